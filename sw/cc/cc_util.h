/* SPDX-License-Identifier: Apache-2.0 */
/* dlpcc: small helpers shared by the compiler's sources (messages, memory, text buffers). */
#ifndef DLPCC_UTIL_H
#define DLPCC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "dlp_file.h"

/* Formats a message into err (if any) and returns -1 (dlp_file.h). */
#define cc_fail dlp_errf

/* Allocation that aborts with a message on failure (as libdlpasm does). */
void *cc_xmalloc(size_t n);
void *cc_xcalloc(size_t n);
void *cc_xrealloc(void *p, size_t n);
char *cc_xstrdup(const char *s);
char *cc_xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads a whole file of at most max bytes (NUL-terminated copy; dlp_file.h); NULL with
   "path: error: reason" in err. */
uint8_t *cc_read_all(const char *path, size_t max, size_t *len, char *err, size_t errlen);

/* The largest network description read (a text file; the largest in the tree is a few KiB). */
#define CC_DESC_MAX ((size_t)16 << 20)

/* A growable text buffer. */
typedef struct cc_buf {
    char *s;
    size_t len, cap;
} cc_buf_t;
void cc_buf_printf(cc_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cc_buf_vprintf(cc_buf_t *b, const char *fmt, va_list ap);
void cc_buf_free(cc_buf_t *b);

static inline long cc_cdiv(long a, long b)
{
    return (a + b - 1) / b;
}

#endif
