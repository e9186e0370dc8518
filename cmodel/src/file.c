/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounded reads and all-or-nothing writes (dlp_file.h).
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include "dlp_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int dlp_errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

#define fail dlp_errf

int dlp_file_read(const char *path, size_t max, uint8_t **buf, size_t *len, char *err,
                  size_t errlen)
{
    struct stat st;
    uint8_t *b = NULL;
    size_t n = 0, cap;
    int fd;

    *buf = NULL;
    *len = 0;
    fd = open(path, O_RDONLY | O_NOCTTY);
    if (fd < 0)
        return fail(err, errlen, "cannot open: %s", strerror(errno));
    if (fstat(fd, &st)) {
        int e = errno;
        close(fd);
        return fail(err, errlen, "cannot examine: %s", strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return fail(err, errlen, "is a directory, not a file");
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > (uint64_t)max) {
        close(fd);
        return fail(err, errlen, "is %llu bytes, larger than the limit of %zu bytes",
                    (unsigned long long)st.st_size, max);
    }
    /* a regular file's size is the first guess; anything else grows from 64 KiB up to max */
    cap = S_ISREG(st.st_mode) ? (size_t)st.st_size : 65536;
    if (cap > max)
        cap = max;
    b = malloc(cap + 1);
    if (!b) {
        close(fd);
        return fail(err, errlen, "out of memory (%zu bytes)", cap + 1);
    }
    for (;;) {
        ssize_t got;
        if (n == cap) {
            uint8_t *nb;
            size_t ncap = cap < 32768 ? 65536 : cap > max / 2 ? max : 2 * cap;
            if (ncap > max)
                ncap = max;
            if (cap == max) {
                /* at the limit: one more byte tells "exactly max" from "too long" */
                uint8_t extra;
                do
                    got = read(fd, &extra, 1);
                while (got < 0 && errno == EINTR);
                if (got == 0)
                    break;
                int e = errno;
                free(b);
                close(fd);
                if (got < 0)
                    return fail(err, errlen, "read error: %s", strerror(e));
                return fail(err, errlen, "goes on beyond the limit of %zu bytes", max);
            }
            nb = realloc(b, ncap + 1);
            if (!nb) {
                free(b);
                close(fd);
                return fail(err, errlen, "out of memory (%zu bytes)", ncap + 1);
            }
            b = nb;
            cap = ncap;
        }
        got = read(fd, b + n, cap - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(b);
            close(fd);
            return fail(err, errlen, "read error: %s", strerror(e));
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    b[n] = 0;
    *buf = b;
    *len = n;
    return 0;
}

/* ---- writing ------------------------------------------------------------------------------------ */

static void ofile_clear(dlp_ofile_t *o)
{
    free(o->target);
    free(o->tmp);
    o->f = NULL;
    o->target = o->tmp = NULL;
}

FILE *dlp_ofile_open(dlp_ofile_t *o, const char *path, char *err, size_t errlen)
{
    struct stat st;
    size_t l;
    int fd;
    mode_t mask;

    memset(o, 0, sizeof *o);
    if (!path || !*path) {
        fail(err, errlen, "empty file name");
        return NULL;
    }
    /* a symbolic link: replace the file it names */
    o->target = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL)
                                                             : strdup(path);
    if (!o->target) {
        fail(err, errlen, "cannot resolve: %s", strerror(errno));
        return NULL;
    }
    if (stat(o->target, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            ofile_clear(o);
            fail(err, errlen, "is a directory");
            return NULL;
        }
        /* a device or FIFO: nothing to replace, write it directly */
        o->f = fopen(o->target, "wb");
        if (!o->f) {
            fail(err, errlen, "cannot open: %s", strerror(errno));
            ofile_clear(o);
        }
        return o->f;
    }
    l = strlen(o->target);
    o->tmp = malloc(l + 11);
    if (!o->tmp) {
        ofile_clear(o);
        fail(err, errlen, "out of memory");
        return NULL;
    }
    memcpy(o->tmp, o->target, l);
    memcpy(o->tmp + l, ".tmpXXXXXX", 11);
    fd = mkstemp(o->tmp);
    if (fd < 0) {
        fail(err, errlen, "cannot create a temporary file beside it: %s", strerror(errno));
        ofile_clear(o);
        return NULL;
    }
    /* mkstemp makes the file 0600; give it the mode a plain fopen would */
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, (mode_t)(0666 & ~mask)) || !(o->f = fdopen(fd, "wb"))) {
        fail(err, errlen, "cannot set up the temporary file: %s", strerror(errno));
        close(fd);
        unlink(o->tmp);
        ofile_clear(o);
        return NULL;
    }
    return o->f;
}

int dlp_ofile_commit(dlp_ofile_t *o, char *err, size_t errlen)
{
    int bad, e;
    if (!o->f)
        return fail(err, errlen, "not open");
    errno = 0;
    bad = fflush(o->f) != 0 || ferror(o->f);
    e = errno;
    if (fclose(o->f) && !bad) {
        bad = 1;
        e = errno;
    }
    o->f = NULL;
    if (bad) {
        if (o->tmp)
            unlink(o->tmp);
        ofile_clear(o);
        return fail(err, errlen, "write error: %s", e ? strerror(e) : "unknown");
    }
    if (o->tmp && rename(o->tmp, o->target)) {
        e = errno;
        unlink(o->tmp);
        ofile_clear(o);
        return fail(err, errlen, "cannot replace it: %s", strerror(e));
    }
    ofile_clear(o);
    return 0;
}

void dlp_ofile_abort(dlp_ofile_t *o)
{
    if (o->f)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    ofile_clear(o);
}

int dlp_file_write(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    dlp_ofile_t o;
    FILE *f = dlp_ofile_open(&o, path, err, errlen);
    if (!f)
        return -1;
    if (len && fwrite(data, 1, len, f) != len) {
        int e = errno;
        dlp_ofile_abort(&o);
        return fail(err, errlen, "write error: %s", e ? strerror(e) : "short write");
    }
    return dlp_ofile_commit(&o, err, errlen);
}
