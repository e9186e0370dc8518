/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small, bounds-checked reader of FlatBuffers binaries (the container of TFLite models).
 *
 * Written from the FlatBuffers binary format: a root offset, tables that point to a vtable of
 * 16-bit field offsets, 32-bit offsets to child tables, vectors and strings (relative to where
 * the offset is stored), vectors and strings prefixed with a 32-bit length. Every position and
 * length is checked against the buffer before it is read; a failed check sets `bad` in the
 * reader and yields an empty value, so callers test `fbs_ok()` once after a group of reads and
 * never touch memory outside the buffer. Offsets are kept in 64 bits so that no sum wraps.
 */
#ifndef DLPCC_FBS_H
#define DLPCC_FBS_H

#include <stddef.h>
#include <stdint.h>

typedef struct fbs {
    const uint8_t *b;
    size_t len;
    int bad;              /* a check failed */
    char why[160];        /* the first failure */
} fbs_t;

/* A table: its position (0 = absent). */
typedef struct fbs_tab {
    uint64_t pos;
    uint64_t vt;          /* vtable position */
    uint32_t vt_len;      /* vtable bytes */
} fbs_tab_t;

/* A vector: the position of element 0 and the count (0 = absent or empty). */
typedef struct fbs_vec {
    uint64_t pos;
    uint32_t n;
} fbs_vec_t;

void fbs_init(fbs_t *f, const uint8_t *b, size_t len);
int fbs_ok(const fbs_t *f);
fbs_tab_t fbs_root(fbs_t *f);

/* Scalars of field `id` (the default when the field is absent). */
int64_t fbs_int(fbs_t *f, fbs_tab_t t, unsigned id, unsigned size, int64_t dflt);
uint64_t fbs_uint(fbs_t *f, fbs_tab_t t, unsigned id, unsigned size, uint64_t dflt);
float fbs_float(fbs_t *f, fbs_tab_t t, unsigned id, float dflt);
int fbs_has(fbs_t *f, fbs_tab_t t, unsigned id);
/* Children of field `id`. */
fbs_tab_t fbs_table(fbs_t *f, fbs_tab_t t, unsigned id);
fbs_vec_t fbs_vector(fbs_t *f, fbs_tab_t t, unsigned id, unsigned elem_size);
/* A string field as a pointer into the buffer and a length (NULL, 0 when absent). */
const char *fbs_string(fbs_t *f, fbs_tab_t t, unsigned id, uint32_t *len);
/* Elements of vectors. */
fbs_tab_t fbs_vec_table(fbs_t *f, fbs_vec_t v, uint32_t i);
int64_t fbs_vec_int(fbs_t *f, fbs_vec_t v, uint32_t i, unsigned size);
float fbs_vec_float(fbs_t *f, fbs_vec_t v, uint32_t i);

#endif
