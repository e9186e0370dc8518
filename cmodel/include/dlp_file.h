/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Files as every OpenDLP tool reads and writes them: bounded reads, all-or-nothing writes.
 *
 *     uint8_t *buf; size_t len; char why[256];
 *     if (dlp_file_read("net.dlpn", DLP_FILE_MAX, &buf, &len, why, sizeof why))
 *         fprintf(stderr, "net.dlpn: %s\n", why);       // "is a directory", "larger than ..."
 *
 *     dlp_ofile_t o;
 *     FILE *f = dlp_ofile_open(&o, "out.s", why, sizeof why);
 *     ... fprintf(f, ...) ...
 *     if (dlp_ofile_commit(&o, why, sizeof why))        // the old out.s is left as it was
 *         fprintf(stderr, "out.s: %s\n", why);
 *
 * Reads: a regular file is refused when it is larger than the caller's maximum, before anything
 * is allocated; anything else that can be opened (a pipe, a device such as /dev/zero) is read
 * until the maximum and refused when it goes on; a directory is refused. The buffer is
 * NUL-terminated (one byte beyond *len), so that text parsers may rely on it.
 *
 * Writes: the data go to a temporary file beside the target ("TARGET.tmpXXXXXX"), which is
 * renamed over the target only when every byte has been written and the file closed without
 * error; on any failure the temporary file is removed and the target is untouched. A target
 * that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is written directly.
 * A symbolic link is followed: the file it names is replaced, the link stays.
 *
 * Messages (err, errlen bytes, always terminated) say what went wrong without the path; the
 * caller names the file. Not thread-safe (the write path reads the process umask).
 */
#ifndef DLP_FILE_H
#define DLP_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Formats a message into err (errlen bytes, nothing when err is NULL or errlen 0) and returns
   -1: the error convention of every reader and writer here. */
int dlp_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The largest file a tool reads unless the format bounds it more tightly: 1 GiB. */
#define DLP_FILE_MAX ((size_t)1 << 30)

/* 0, or -1 with a message. On success *buf (malloc'd, free() it) holds *len bytes + a NUL. */
int dlp_file_read(const char *path, size_t max, uint8_t **buf, size_t *len, char *err,
                  size_t errlen);

typedef struct dlp_ofile {
    FILE *f;
    char *target; /* the file to replace (a symbolic link resolved) */
    char *tmp;    /* the temporary file, NULL when writing the target directly */
} dlp_ofile_t;

/* Opens the temporary file (or the non-regular target). NULL with a message on failure. */
FILE *dlp_ofile_open(dlp_ofile_t *o, const char *path, char *err, size_t errlen);
/* Flushes, closes and renames; 0, or -1 with a message (the temporary file removed). */
int dlp_ofile_commit(dlp_ofile_t *o, char *err, size_t errlen);
/* Closes and removes the temporary file; the target is untouched. */
void dlp_ofile_abort(dlp_ofile_t *o);

/* The whole of data[0..len) as the file path, all or nothing. 0, or -1 with a message. */
int dlp_file_write(const char *path, const void *data, size_t len, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
