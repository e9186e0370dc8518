/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Device memory allocator: first fit over a sorted array of the buffers in use.
 *
 * Free space is implicit -- the gaps between buffers -- so freeing merges neighbours for free
 * and there is no free list to keep consistent. All arithmetic is on uint64_t with explicit
 * overflow checks: a request near 2^64 must fail, not wrap.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void dlpd_heap_init(dlpd_heap_t *h, uint64_t base, uint64_t size)
{
    memset(h, 0, sizeof *h);
    h->base = base;
    h->size = size;
}

void dlpd_heap_fini(dlpd_heap_t *h)
{
    free(h->blk);
    memset(h, 0, sizeof *h);
}

/* Index of the first buffer whose address is >= addr. */
static uint32_t lower_bound(const dlpd_heap_t *h, uint64_t addr)
{
    uint32_t lo = 0, hi = h->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (h->blk[mid].addr < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int insert_at(dlpd_heap_t *h, uint32_t i, uint64_t addr, uint64_t size)
{
    if (h->n == h->cap) {
        uint32_t cap = h->cap ? 2 * h->cap : 16;
        dlpd_block_t *b = realloc(h->blk, (size_t)cap * sizeof *b);
        if (!b)
            return -2;
        h->blk = b;
        h->cap = cap;
    }
    memmove(&h->blk[i + 1], &h->blk[i], (size_t)(h->n - i) * sizeof *h->blk);
    h->blk[i].addr = addr;
    h->blk[i].size = size;
    h->n++;
    return 0;
}

/* Rounds a up to a multiple of align (a power of two); 0 on overflow past 2^64 - 1. */
static int align_up(uint64_t a, uint64_t align, uint64_t *out)
{
    uint64_t r = a & (align - 1);
    if (!r) {
        *out = a;
        return 0;
    }
    if (a > UINT64_MAX - (align - r))
        return -1;
    *out = a + (align - r);
    return 0;
}

int dlpd_heap_alloc(dlpd_heap_t *h, uint64_t bytes, uint64_t align, uint64_t *addr)
{
    uint64_t end = h->base + h->size; /* callers keep base + size <= 2^64 - 1 */
    uint64_t gap = h->base;
    for (uint32_t i = 0; i <= h->n; i++) {
        uint64_t gap_end = i < h->n ? h->blk[i].addr : end;
        uint64_t a;
        if (!align_up(gap, align, &a) && a <= gap_end && gap_end - a >= bytes) {
            int rc = insert_at(h, i, a, bytes);
            if (rc)
                return rc;
            *addr = a;
            return 0;
        }
        if (i < h->n)
            gap = h->blk[i].addr + h->blk[i].size;
    }
    return -1;
}

int dlpd_heap_reserve(dlpd_heap_t *h, uint64_t addr, uint64_t bytes)
{
    if (addr < h->base || addr - h->base > h->size || bytes > h->size - (addr - h->base))
        return -3;
    uint32_t i = lower_bound(h, addr);
    if (i > 0 && h->blk[i - 1].addr + h->blk[i - 1].size > addr)
        return -1;
    if (i < h->n && h->blk[i].addr - addr < bytes)
        return -1;
    return insert_at(h, i, addr, bytes);
}

int dlpd_heap_free(dlpd_heap_t *h, uint64_t addr)
{
    uint32_t i = lower_bound(h, addr);
    if (i == h->n || h->blk[i].addr != addr)
        return -1;
    memmove(&h->blk[i], &h->blk[i + 1], (size_t)(h->n - i - 1) * sizeof *h->blk);
    h->n--;
    return 0;
}

const dlpd_block_t *dlpd_heap_find(const dlpd_heap_t *h, uint64_t addr, uint64_t len)
{
    /* the candidate is the last buffer starting at or below addr */
    uint32_t i = lower_bound(h, addr);
    if (i < h->n && h->blk[i].addr == addr)
        i++;
    if (i == 0)
        return NULL;
    const dlpd_block_t *b = &h->blk[i - 1];
    uint64_t off = addr - b->addr;
    if (off >= b->size || len > b->size - off)
        return NULL;
    return b;
}

void dlpd_heap_stats(const dlpd_heap_t *h, dlpd_mem_stats_t *st)
{
    uint64_t gap = h->base, end = h->base + h->size;
    memset(st, 0, sizeof *st);
    st->total = h->size;
    st->buffers = h->n;
    for (uint32_t i = 0; i <= h->n; i++) {
        uint64_t gap_end = i < h->n ? h->blk[i].addr : end;
        if (gap_end - gap > st->largest_free)
            st->largest_free = gap_end - gap;
        st->free += gap_end - gap;
        if (i < h->n) {
            st->used += h->blk[i].size;
            gap = h->blk[i].addr + h->blk[i].size;
        }
    }
}
