/* SPDX-License-Identifier: Apache-2.0 */
/* Bounds-checked FlatBuffers reading; see fbs.h. */
#include "fbs.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void bad(fbs_t *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(fbs_t *f, const char *fmt, ...)
{
    va_list ap;
    if (f->bad++)
        return;
    va_start(ap, fmt);
    vsnprintf(f->why, sizeof f->why, fmt, ap);
    va_end(ap);
}

void fbs_init(fbs_t *f, const uint8_t *b, size_t len)
{
    memset(f, 0, sizeof *f);
    f->b = b;
    f->len = len;
}

int fbs_ok(const fbs_t *f)
{
    return !f->bad;
}

/* n bytes at pos are inside the buffer */
static int in(fbs_t *f, uint64_t pos, uint64_t n, const char *what)
{
    if (pos > f->len || n > f->len - pos) {
        bad(f, "%s at byte %llu (+%llu) is outside the %zu-byte file", what,
            (unsigned long long)pos, (unsigned long long)n, f->len);
        return 0;
    }
    return 1;
}

static uint64_t rd(fbs_t *f, uint64_t pos, unsigned size, const char *what)
{
    uint64_t v = 0;
    if (!in(f, pos, size, what))
        return 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)f->b[pos + i] << (8 * i);
    return v;
}

static int64_t sext(uint64_t v, unsigned size)
{
    if (size < 8 && (v >> (8 * size - 1)) & 1)
        v |= ~0ull << (8 * size);
    return (int64_t)v;
}

static fbs_tab_t table_at(fbs_t *f, uint64_t pos)
{
    fbs_tab_t t = {0, 0, 0};
    int64_t so;
    uint64_t vt, vlen, tlen;
    if (f->bad || !in(f, pos, 4, "table"))
        return t;
    so = sext(rd(f, pos, 4, "table"), 4);
    if (so > (int64_t)pos || (int64_t)pos - so > (int64_t)f->len) {
        bad(f, "table at byte %llu: vtable offset %lld leaves the file",
            (unsigned long long)pos, (long long)so);
        return t;
    }
    vt = (uint64_t)((int64_t)pos - so);
    vlen = rd(f, vt, 2, "vtable");
    tlen = rd(f, vt + 2, 2, "vtable");
    if (f->bad)
        return t;
    if (vlen < 4 || vlen % 2 || !in(f, vt, vlen, "vtable") || !in(f, pos, tlen < 4 ? 4 : tlen,
                                                                    "table")) {
        bad(f, "table at byte %llu: malformed vtable (%llu bytes)", (unsigned long long)pos,
            (unsigned long long)vlen);
        return t;
    }
    t.pos = pos;
    t.vt = vt;
    t.vt_len = (uint32_t)vlen;
    return t;
}

fbs_tab_t fbs_root(fbs_t *f)
{
    return table_at(f, rd(f, 0, 4, "root offset"));
}

/* Position of field id's value, 0 when absent. */
static uint64_t field(fbs_t *f, fbs_tab_t t, unsigned id, unsigned size)
{
    uint64_t at = 4 + 2ull * id, off;
    if (f->bad || !t.pos || at + 2 > t.vt_len)
        return 0;
    off = rd(f, t.vt + at, 2, "vtable entry");
    if (!off)
        return 0;
    if (!in(f, t.pos + off, size, "field"))
        return 0;
    return t.pos + off;
}

int fbs_has(fbs_t *f, fbs_tab_t t, unsigned id)
{
    return field(f, t, id, 1) != 0;
}

int64_t fbs_int(fbs_t *f, fbs_tab_t t, unsigned id, unsigned size, int64_t dflt)
{
    uint64_t p = field(f, t, id, size);
    return p ? sext(rd(f, p, size, "field"), size) : dflt;
}

uint64_t fbs_uint(fbs_t *f, fbs_tab_t t, unsigned id, unsigned size, uint64_t dflt)
{
    uint64_t p = field(f, t, id, size);
    return p ? rd(f, p, size, "field") : dflt;
}

float fbs_float(fbs_t *f, fbs_tab_t t, unsigned id, float dflt)
{
    uint64_t p = field(f, t, id, 4);
    uint32_t u;
    float v;
    if (!p)
        return dflt;
    u = (uint32_t)rd(f, p, 4, "field");
    memcpy(&v, &u, 4);
    return v;
}

/* Follows the 32-bit offset stored at p. */
static uint64_t follow(fbs_t *f, uint64_t p)
{
    uint64_t o = rd(f, p, 4, "offset");
    if (f->bad)
        return 0;
    if (!o || p + o >= f->len) {
        bad(f, "offset %llu at byte %llu leaves the %zu-byte file", (unsigned long long)o,
            (unsigned long long)p, f->len);
        return 0;
    }
    return p + o;
}

fbs_tab_t fbs_table(fbs_t *f, fbs_tab_t t, unsigned id)
{
    fbs_tab_t none = {0, 0, 0};
    uint64_t p = field(f, t, id, 4);
    return p ? table_at(f, follow(f, p)) : none;
}

static fbs_vec_t vec_at(fbs_t *f, uint64_t p, unsigned elem_size)
{
    fbs_vec_t v = {0, 0};
    uint64_t n;
    if (f->bad)
        return v;
    n = rd(f, p, 4, "vector length");
    if (f->bad || !in(f, p + 4, n * elem_size, "vector"))
        return v;
    v.pos = p + 4;
    v.n = (uint32_t)n;
    return v;
}

fbs_vec_t fbs_vector(fbs_t *f, fbs_tab_t t, unsigned id, unsigned elem_size)
{
    fbs_vec_t none = {0, 0};
    uint64_t p = field(f, t, id, 4);
    return p ? vec_at(f, follow(f, p), elem_size) : none;
}

const char *fbs_string(fbs_t *f, fbs_tab_t t, unsigned id, uint32_t *len)
{
    fbs_vec_t v = fbs_vector(f, t, id, 1);
    *len = 0;
    if (!v.pos)
        return NULL;
    *len = v.n;
    return (const char *)f->b + v.pos;
}

fbs_tab_t fbs_vec_table(fbs_t *f, fbs_vec_t v, uint32_t i)
{
    fbs_tab_t none = {0, 0, 0};
    if (f->bad || i >= v.n)
        return none;
    return table_at(f, follow(f, v.pos + 4ull * i));
}

int64_t fbs_vec_int(fbs_t *f, fbs_vec_t v, uint32_t i, unsigned size)
{
    if (f->bad || i >= v.n)
        return 0;
    return sext(rd(f, v.pos + (uint64_t)size * i, size, "vector element"), size);
}

float fbs_vec_float(fbs_t *f, fbs_vec_t v, uint32_t i)
{
    uint32_t u = (uint32_t)fbs_vec_int(f, v, i, 4);
    float x;
    memcpy(&x, &u, 4);
    return x;
}
