/* SPDX-License-Identifier: Apache-2.0 */
/* dlpasm: assembles OpenDLP assembly into a program binary (.dlpb). See docs/assembler.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_asm.h"
#include "dlp_prog.h"
#include "dlp_version.h"

static void usage(FILE *f)
{
    fputs("usage: dlpasm [options] file.s\n"
          "Assembles OpenDLP assembly (docs/assembler.md) into a program binary.\n"
          "\n"
          "  -o FILE           output file (default: file.s with the extension .dlpb)\n"
          "  -I DIR            also search DIR for .include files (after the including file's\n"
          "                    directory); may be repeated\n"
          "  -D NAME[=EXPR]    define the constant NAME (default value 1); may be repeated\n"
          "  --list            print a listing (index, words, source line, symbols) to stdout\n"
          "  --max-errors N    stop after N errors (default 20)\n"
          "  --version         print the version and exit\n"
          "  -h, --help        show this help\n"
          "\n"
          "Errors are printed as file:line:col: error: message. Exit status: 0 success, 1 errors\n"
          "in the input (or it cannot be read or written), 2 bad usage.\n",
          f);
}

/* file.s -> file.dlpb; any other name gets .dlpb appended. */
static char *default_output(const char *in)
{
    size_t n = strlen(in);
    char *out = malloc(n + 6);
    if (!out)
        return NULL;
    memcpy(out, in, n + 1);
    if (n > 2 && !strcmp(in + n - 2, ".s") && in[n - 3] != '/')
        out[n - 2] = 0;
    strcat(out, ".dlpb");
    return out;
}

/* Value of an option given as "-X value" or "-Xvalue"; NULL (with a message) if missing. */
static const char *option_value(int argc, char **argv, int *i)
{
    if (argv[*i][2])
        return argv[*i] + 2;
    if (*i + 1 < argc)
        return argv[++*i];
    fprintf(stderr, "dlpasm: option %s needs a value\n", argv[*i]);
    return NULL; /* usage: the caller exits with 2 */
}

int main(int argc, char **argv)
{
    const char **incs = calloc((size_t)argc, sizeof *incs), **defs = calloc((size_t)argc, sizeof *defs);
    const char *input = NULL, *output = NULL;
    char *owned_output = NULL, err[512];
    dlp_asm_options_t opt = {0};
    dlp_asm_result_t res;
    int list = 0, rc = 1;

    if (!incs || !defs) {
        fputs("dlpasm: out of memory\n", stderr);
        return 1;
    }
    opt.include_dirs = incs;
    opt.defines = defs;
    rc = 2; /* until the options are read, a failure is bad usage */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (dlp_std_option(a, "dlpasm", usage)) {
            rc = 0;
            goto out;
        } else if (!strcmp(a, "--list")) {
            list = 1;
        } else if (!strcmp(a, "--max-errors")) {
            if (i + 1 >= argc || atoi(argv[i + 1]) <= 0) {
                fputs("dlpasm: --max-errors needs a positive number\n", stderr);
                goto out;
            }
            opt.max_errors = atoi(argv[++i]);
        } else if (!strncmp(a, "-o", 2) || !strncmp(a, "-I", 2) || !strncmp(a, "-D", 2)) {
            if (!(v = option_value(argc, argv, &i)))
                goto out;
            if (a[1] == 'o')
                output = v;
            else if (a[1] == 'I')
                incs[opt.n_include_dirs++] = v;
            else
                defs[opt.n_defines++] = v;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "dlpasm: unknown option %s (try -h)\n", a);
            goto out;
        } else if (input) {
            fprintf(stderr, "dlpasm: more than one input file (%s and %s)\n", input, a);
            goto out;
        } else {
            input = a;
        }
    }
    if (!input) {
        usage(stderr);
        goto out;
    }
    rc = 1;
    opt.listing = list;
    if (dlp_asm_file(input, &opt, &res) != 0) {
        for (int i = 0; i < res.n_messages; i++)
            fprintf(stderr, "%s\n", res.messages[i]);
        fprintf(stderr, "dlpasm: %d error%s\n", res.n_errors, res.n_errors == 1 ? "" : "s");
    } else if (res.n_insns == 0) {
        fprintf(stderr, "%s: error: no instructions; a program needs at least one (end it with "
                        "halt)\n", input);
    } else {
        if (!output)
            output = owned_output = default_output(input);
        if (!output)
            fputs("dlpasm: out of memory\n", stderr);
        else if (dlp_prog_write_file(output, res.words, res.n_insns, err, sizeof err))
            fprintf(stderr, "dlpasm: %s\n", err);
        else
            rc = 0;
        if (list && res.listing)
            fputs(res.listing, stdout);
    }
    dlp_asm_result_free(&res);
out:
    free(owned_output);
    free(incs);
    free(defs);
    return rc;
}
