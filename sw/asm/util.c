/* SPDX-License-Identifier: Apache-2.0 */
/* Small utilities of the assembler: growable strings, a string map, name lookups. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_internal.h"
#include "dlp_decode.h"

/* ---- allocation ------------------------------------------------------------------------------ */

static void out_of_memory(void)
{
    fputs("dlpasm: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* ---- growable string ------------------------------------------------------------------------- */

static void sb_reserve(sbuf_t *b, size_t extra)
{
    size_t need = b->len + extra + 1, ncap;
    if (need <= b->cap)
        return;
    ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap *= 2;
    b->p = xrealloc(b->p, ncap);
    b->cap = ncap;
}

void sb_putn(sbuf_t *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void sb_puts(sbuf_t *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

void sb_putc(sbuf_t *b, char c)
{
    sb_putn(b, &c, 1);
}

void sb_vprintf(sbuf_t *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0)
        return;
    sb_reserve(b, (size_t)n);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sb_printf(sbuf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

char *sb_take(sbuf_t *b)
{
    char *p = b->p ? b->p : xstrndup("", 0);
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

/* ---- string map -------------------------------------------------------------------------------- */

static size_t hash(const char *s, size_t n)
{
    size_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static strmap_entry_t *sm_slot(const strmap_t *m, const char *key, size_t klen)
{
    size_t i = hash(key, klen) & (m->cap - 1);
    for (;;) {
        strmap_entry_t *e = &m->e[i];
        if (!e->key || (strlen(e->key) == klen && !memcmp(e->key, key, klen)))
            return e;
        i = (i + 1) & (m->cap - 1);
    }
}

void *sm_get(const strmap_t *m, const char *key, size_t klen)
{
    if (!m->cap)
        return NULL;
    strmap_entry_t *e = sm_slot(m, key, klen);
    return e->key ? e->val : NULL;
}

void sm_put(strmap_t *m, const char *key, size_t klen, void *val)
{
    strmap_entry_t *e;
    if (2 * (m->n + 1) > m->cap) { /* keep the load factor at most 1/2 */
        strmap_t bigger = {xcalloc(m->cap ? 2 * m->cap : 64, sizeof *m->e),
                           m->cap ? 2 * m->cap : 64, m->n};
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].key)
                *sm_slot(&bigger, m->e[i].key, strlen(m->e[i].key)) = m->e[i];
        free(m->e);
        *m = bigger;
    }
    e = sm_slot(m, key, klen);
    if (!e->key) {
        e->key = xstrndup(key, klen);
        m->n++;
    }
    e->val = val;
}

void sm_free(strmap_t *m, void (*free_val)(void *))
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].key) {
            free(m->e[i].key);
            if (free_val)
                free_val(m->e[i].val);
        }
    free(m->e);
    m->e = NULL;
    m->cap = m->n = 0;
}

/* ---- names ------------------------------------------------------------------------------------- */

int eq_nocase(const char *s, size_t n, const char *w)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!w[i] || tolower((unsigned char)s[i]) != tolower((unsigned char)w[i]))
            return 0;
    return w[i] == 0;
}

int reg_number(const char *s, size_t n)
{
    if (eq_nocase(s, n, "zero"))
        return 0;
    if (n < 2 || n > 3 || (s[0] != 'r' && s[0] != 'R'))
        return -1;
    if (!isdigit((unsigned char)s[1]) || (n == 3 && (!isdigit((unsigned char)s[2]) || s[1] == '0')))
        return -1; /* "r01" is a symbol, not a register */
    int r = n == 2 ? s[1] - '0' : (s[1] - '0') * 10 + (s[2] - '0');
    return r < 16 ? r : -1;
}

int space_number(const char *s, size_t n)
{
    for (int m = DLP_MEM_DRAM; m <= DLP_MEM_ACC; m++)
        if (eq_nocase(s, n, dlp_mem_name(m)))
            return m;
    return -1;
}

int insn_of_name(const char *s, size_t n)
{
    for (int i = 0; i < DLP_I_COUNT; i++)
        if (eq_nocase(s, n, dlp_insn_info[i].mnemonic))
            return i;
    return -1;
}

int edit_distance(const char *a, size_t an, const char *b, int cap)
{
    size_t bn = strlen(b);
    int row[64];
    if (an >= 63 || bn >= 63)
        return cap + 1;
    for (size_t j = 0; j <= bn; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= an; i++) {
        int diag = row[0], best;
        row[0] = (int)i;
        best = row[0];
        for (size_t j = 1; j <= bn; j++) {
            int up = row[j];
            int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            int v = diag + !same;
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
    }
    return row[bn];
}
