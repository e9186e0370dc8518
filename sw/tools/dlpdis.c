/* SPDX-License-Identifier: Apache-2.0 */
/* dlpdis: disassembles an OpenDLP program binary (.dlpb) into assembly that re-assembles to the
 * identical file. See docs/assembler.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_asm.h"
#include "dlp_isa_gen.h"
#include "dlp_prog.h"
#include "dlp_version.h"

static void usage(FILE *f)
{
    fputs("usage: dlpdis [options] file.dlpb\n"
          "Disassembles an OpenDLP program binary to stdout. `dlpasm` turns the output back into\n"
          "the identical binary.\n"
          "\n"
          "  --raw         also show each instruction's four words in hex\n"
          "  --no-index    omit the instruction index comments\n"
          "  --version     print the version and exit\n"
          "  -h, --help    show this help\n"
          "Exit status: 0 success, 1 an unreadable or malformed binary, 2 bad usage.\n",
          f);
}

int main(int argc, char **argv)
{
    const char *input = NULL;
    unsigned flags = 0;
    dlp_prog_t prog;
    char err[512], *text;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (dlp_std_option(a, "dlpdis", usage)) {
            return 0;
        } else if (!strcmp(a, "--raw")) {
            flags |= DLP_DISASM_RAW;
        } else if (!strcmp(a, "--no-index")) {
            flags |= DLP_DISASM_NO_INDEX;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "dlpdis: unknown option %s (try -h)\n", a);
            return 2;
        } else if (input) {
            fprintf(stderr, "dlpdis: more than one input file (%s and %s)\n", input, a);
            return 2;
        } else {
            input = a;
        }
    }
    if (!input) {
        usage(stderr);
        return 2;
    }
    if (dlp_prog_read_file(input, &prog, err, sizeof err)) {
        fprintf(stderr, "dlpdis: %s\n", err);
        return 1;
    }
    text = dlp_disasm_prog(prog.words, prog.n_insns, flags);
    printf("; %s: %u instruction%s, OpenDLP ISA version %d\n", input, prog.n_insns,
           prog.n_insns == 1 ? "" : "s", DLP_ISA_VERSION);
    fputs(text, stdout);
    free(text);
    dlp_prog_free(&prog);
    if (fflush(stdout) || ferror(stdout)) {
        fputs("dlpdis: write error\n", stderr);
        return 1;
    }
    return 0;
}
