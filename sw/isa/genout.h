/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Output helpers shared by the generators sw/isa/isagen.c and sw/isa/cfggen.c (included by
 * both; each defines GEN_NAME, its program name for messages, before including it).
 */
#ifndef GENOUT_H
#define GENOUT_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static FILE *out;
static char out_path[4096];

/* FNV-1a 64 of a source, line by line: every generated file's first line carries it. */
#define GEN_HASH_INIT 1469598103934665603ull
static void gen_hash_line(uint64_t *h, const char *line)
{
    for (const unsigned char *q = (const unsigned char *)line; *q; q++)
        *h = (*h ^ *q) * 1099511628211ull;
}

static void gen_fail(const char *what)
{
    fprintf(stderr, "%s: %s %s: %s\n", GEN_NAME, what, out_path, errno ? strerror(errno) : "");
    exit(1);
}

/* Creates ROOT/REL (and its directories) as the current output. */
static void open_out(const char *root, const char *rel)
{
    char dir[4096];
    snprintf(out_path, sizeof out_path, "%s/%s", root, rel);
    snprintf(dir, sizeof dir, "%s", out_path);
    for (char *q = dir + 1; *q; q++)
        if (*q == '/') {
            *q = 0;
            mkdir(dir, 0777);
            *q = '/';
        }
    errno = 0;
    if (!(out = fopen(out_path, "w")))
        gen_fail("cannot write");
}

static void close_out(void)
{
    errno = 0;
    if (ferror(out) | fclose(out))
        gen_fail("error writing");
}

static void p(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

/* The licence line every generated source file carries after its generated-file line
   (verif/scripts/spdx-check.sh checks the tree): OPEN/CLOSE are the comment delimiters. */
static void p_spdx(const char *open, const char *close)
{
    p("%s SPDX-License-Identifier: Apache-2.0%s\n", open, close);
}

#endif
