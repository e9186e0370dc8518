/* SPDX-License-Identifier: Apache-2.0 */
/* dlpcc helpers; see cc_util.h. */
#include "cc_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_file.h"

static void oom(size_t n)
{
    fprintf(stderr, "dlpcc: out of memory (%zu bytes)\n", n);
    exit(1);
}

void *cc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *cc_xcalloc(size_t n)
{
    void *p = calloc(n ? n : 1, 1);
    if (!p)
        oom(n);
    return p;
}

void *cc_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *cc_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cc_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

char *cc_xprintf(const char *fmt, ...)
{
    cc_buf_t b = {0};
    va_list ap;
    va_start(ap, fmt);
    cc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return b.s;
}

uint8_t *cc_read_all(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    uint8_t *buf;
    char why[256];
    if (dlp_file_read(path, max, &buf, len, why, sizeof why)) {
        cc_fail(err, errlen, "%s: error: %s", path, why);
        return NULL;
    }
    return buf;
}

void cc_buf_vprintf(cc_buf_t *b, const char *fmt, va_list ap)
{
    va_list aq;
    int n;
    va_copy(aq, ap);
    n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        b->s = cc_xrealloc(b->s, cap);
        b->cap = cap;
    }
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void cc_buf_printf(cc_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void cc_buf_free(cc_buf_t *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}
