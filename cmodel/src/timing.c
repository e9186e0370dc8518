/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Timing model; docs/timing.md is the prose version of this file and the contract for the RTL.
 *
 * DRAM (AXI4, W = beat_bytes, L = dram_latency, at most `max_outstanding` bursts per direction):
 *   - a run of bytes is split into bursts at multiples of W*burst_beats (never crossing 4 KiB);
 *     a burst covers the W-aligned beats that hold its bytes;
 *   - reads: the AR of burst b is accepted at cycle ar[b] >= ar[b-1] + 1 and
 *     >= rlast[b-OUTS] + 1; its first beat arrives at max(ar[b] + L, rlast[b-1] + 1) and the
 *     others on the following cycles; each beat is written to the scratchpad one cycle later;
 *   - writes: beat data is read from the scratchpad one cycle before it is sent; beats go out one
 *     per cycle; the first beat of burst b (with its AW) goes at >= done[b-OUTS] + 2; the B
 *     response of a burst comes L cycles after its last beat; the DMA ends with the last B.
 */
#include "dlp_timing.h"

#include <stdlib.h>
#include <string.h>

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return (a + b - 1) / b;
}

void dlp_sched_free(dlp_dma_sched_t *s)
{
    free(s->issue);
    free(s->done);
    memset(s, 0, sizeof *s);
}

uint64_t dlp_sched_drain(const dlp_dma_sched_t *s, uint64_t t)
{
    uint64_t end = t;
    for (uint32_t i = 0; i < s->n && s->issue[i] <= t; i++)
        end = max_u64(end, s->done[i]);
    return end;
}

/* Burst bookkeeping shared by reads and writes. */
typedef struct bursts {
    const dlp_config_t *cfg;
    dlp_dma_sched_t *out; /* may be NULL */
    uint64_t *done;       /* ring of the last OUTS completion cycles */
    uint64_t n;           /* bursts so far */
    uint64_t prev;        /* reads: last R beat of the previous burst; writes: last W beat */
    uint64_t prev_issue;  /* reads: previous AR cycle */
    uint64_t last_write;  /* reads: last scratchpad write */
    /* reads: data write intervals, for the pad filler */
    uint64_t pad_left, pad_free, pad_last;
} bursts_t;

static void sched_push(dlp_dma_sched_t *s, uint64_t issue, uint64_t done)
{
    if (!s)
        return;
    if (s->n == s->cap) {
        uint32_t ncap = s->cap ? 2 * s->cap : 64;
        uint64_t *a = realloc(s->issue, ncap * sizeof *a);
        uint64_t *b;
        if (!a)
            return; /* the schedule only serves the error drain; losing it is harmless */
        s->issue = a;
        b = realloc(s->done, ncap * sizeof *b);
        if (!b)
            return;
        s->done = b;
        s->cap = ncap;
    }
    s->issue[s->n] = issue;
    s->done[s->n] = done;
    s->n++;
}

/* Pads of a read fill the cycles in which no data beat is written, from start + 1 on. */
static void pad_fill_before(bursts_t *b, uint64_t first_busy, uint64_t last_busy)
{
    if (first_busy > b->pad_free && b->pad_left) {
        uint64_t k = first_busy - b->pad_free;
        if (k > b->pad_left)
            k = b->pad_left;
        b->pad_last = b->pad_free + k - 1;
        b->pad_left -= k;
    }
    if (last_busy + 1 > b->pad_free)
        b->pad_free = last_busy + 1;
}

static void read_burst(bursts_t *b, uint64_t beats)
{
    const dlp_config_t *c = b->cfg;
    uint32_t outs = c->max_outstanding;
    uint64_t ar = b->prev_issue + 1, r0, rlast;
    if (b->n >= outs)
        ar = max_u64(ar, b->done[b->n % outs] + 1);
    r0 = max_u64(ar + c->dram_latency, b->prev + 1);
    rlast = r0 + beats - 1;
    pad_fill_before(b, r0 + 1, rlast + 1);
    b->done[b->n % outs] = rlast;
    sched_push(b->out, ar, rlast);
    b->prev_issue = ar;
    b->prev = rlast;
    b->last_write = rlast + 1;
    b->n++;
}

static void write_burst(bursts_t *b, uint64_t beats)
{
    const dlp_config_t *c = b->cfg;
    uint32_t outs = c->max_outstanding;
    uint64_t first = b->prev + 1, last, bresp;
    if (b->n >= outs)
        first = max_u64(first, b->done[b->n % outs] + 2);
    last = first + beats - 1;
    bresp = last + c->dram_latency;
    b->done[b->n % outs] = bresp;
    sched_push(b->out, first, bresp);
    b->prev = last;
    b->last_write = bresp;
    b->n++;
}

/* Splits the DRAM byte run [addr, addr+len) into bursts and feeds them to fn. */
uint64_t dlp_burst_stop(const dlp_config_t *cfg, uint64_t addr, uint64_t end)
{
    uint64_t bound = (uint64_t)cfg->beat_bytes * cfg->burst_beats;
    uint64_t stop = (addr / bound + 1) * bound;
    return stop > end ? end : stop;
}

static void split_run(bursts_t *b, uint64_t addr, uint64_t len, void (*fn)(bursts_t *, uint64_t))
{
    uint64_t w = b->cfg->beat_bytes;
    uint64_t end = addr + len; /* exclusive */
    while (addr < end) {
        uint64_t stop = dlp_burst_stop(b->cfg, addr, end);
        fn(b, (stop - 1) / w - addr / w + 1);
        addr = stop;
    }
}

/* Number of W-aligned chunks the byte range [x, x+len) touches. */
static uint64_t chunks(uint64_t x, uint64_t len, uint64_t w)
{
    return len ? (x + len - 1) / w - x / w + 1 : 0;
}

/* Scratchpad-side pad chunks of a DMA whose destination is on chip. */
static uint64_t pad_chunks(const dlp_dma_args_t *a, uint64_t w)
{
    uint64_t h1 = (uint64_t)a->pt + a->n1 + a->pb, w1 = (uint64_t)a->pl + a->n0 + a->pr, n = 0;
    for (uint64_t i2 = 0; i2 < a->n2; i2++)
        for (uint64_t j1 = 0; j1 < h1; j1++) {
            uint64_t d = a->dst + i2 * a->ds2 + j1 * a->ds1;
            if (j1 < a->pt || j1 >= a->pt + a->n1)
                n += chunks(d, w1, w);
            else
                n += chunks(d, a->pl, w) + chunks(d + a->pl + a->n0, a->pr, w);
        }
    return n;
}

static int bursts_init(bursts_t *b, const dlp_config_t *cfg, dlp_dma_sched_t *sched,
                       uint64_t start)
{
    memset(b, 0, sizeof *b);
    b->cfg = cfg;
    b->out = sched;
    b->done = calloc(cfg->max_outstanding, sizeof *b->done);
    b->prev_issue = start;
    b->prev = start;
    b->pad_free = start + 1;
    if (sched)
        sched->n = 0;
    return b->done != NULL;
}

uint64_t dlp_time_dma(const dlp_config_t *cfg, const dlp_dma_args_t *a, uint64_t start,
                      dlp_dma_sched_t *sched)
{
    uint64_t w = cfg->beat_bytes, end;
    bursts_t b;

    if (sched)
        sched->n = 0;
    if (cfg->functional)
        return start;
    if (a->ssp == DLP_MEM_DRAM) {
        /* load: data beats at their arrival, pads in the free cycles */
        if (!bursts_init(&b, cfg, sched, start))
            return start;
        b.pad_left = pad_chunks(a, w);
        for (uint64_t i2 = 0; i2 < a->n2; i2++)
            for (uint64_t i1 = 0; i1 < a->n1; i1++)
                split_run(&b, a->src + i2 * a->ss2 + i1 * a->ss1, a->n0, read_burst);
        if (b.pad_left)
            b.pad_last = b.pad_free + b.pad_left - 1;
        end = max_u64(b.last_write, b.pad_last);
        free(b.done);
        return max_u64(end, start + 1);
    }
    if (a->dsp == DLP_MEM_DRAM) {
        /* store: one beat per cycle over the destination runs, pads included */
        uint64_t h1 = (uint64_t)a->pt + a->n1 + a->pb, w1 = (uint64_t)a->pl + a->n0 + a->pr;
        if (!bursts_init(&b, cfg, sched, start))
            return start;
        b.prev = start + 1; /* the first scratchpad read is at start + 1, its beat at start + 2 */
        for (uint64_t i2 = 0; i2 < a->n2; i2++)
            for (uint64_t j1 = 0; j1 < h1; j1++)
                split_run(&b, a->dst + i2 * a->ds2 + j1 * a->ds1, w1, write_burst);
        end = b.last_write;
        free(b.done);
        return end;
    }
    {
        /* on chip: chunks split at destination beat boundaries; read then write */
        uint64_t h1 = (uint64_t)a->pt + a->n1 + a->pb, w1 = (uint64_t)a->pl + a->n0 + a->pr;
        uint64_t n = 0;
        for (uint64_t i2 = 0; i2 < a->n2; i2++)
            for (uint64_t j1 = 0; j1 < h1; j1++)
                n += chunks(a->dst + i2 * a->ds2 + j1 * a->ds1, w1, w);
        return a->ssp == a->dsp ? start + 2 * n : start + 1 + n;
    }
}

uint64_t dlp_time_fetch(const dlp_config_t *cfg, uint64_t addr, uint32_t n, dlp_dma_sched_t *sched)
{
    bursts_t b;
    uint64_t end;
    if (sched)
        sched->n = 0;
    if (cfg->functional)
        return 0;
    if (!bursts_init(&b, cfg, sched, 0))
        return 0;
    split_run(&b, addr, (uint64_t)n * DLP_INSN_BYTES, read_burst);
    end = b.last_write;
    free(b.done);
    return end;
}

uint64_t dlp_time_mm(const dlp_config_t *cfg, uint64_t m, uint64_t k, uint64_t n)
{
    uint64_t r = cfg->rows, c = cfg->cols;
    uint64_t folds = ceil_div(k, r) * ceil_div(n, c);
    uint64_t d = r + c + DLP_T_MFU_PIPE;
    if (cfg->functional)
        return 1;
    return r + folds * max_u64(m, d) + d;
}

uint64_t dlp_time_vfu(const dlp_config_t *cfg, const dlp_insn_t *in)
{
    uint64_t v = cfg->vlanes, pbytes = 4 * v; /* parameter bytes read per cycle */
    uint64_t rows = (uint64_t)DLP_F(in, ROWS), nch = ceil_div((uint64_t)DLP_F(in, COLS), v);
    uint64_t t;
    if (cfg->functional)
        return 1;
    switch (in->id) {
    case DLP_I_VRQ: /* per column chunk: V parameter blocks, then one row per cycle */
        t = nch * (ceil_div(DLP_VRQ_PARAM_BYTES * v, pbytes) + rows);
        break;
    case DLP_I_VADD: /* the parameter block; read A, read B, write per vector */
        t = ceil_div(DLP_VADD_PARAM_BYTES, pbytes) + 3 * rows * nch;
        break;
    case DLP_I_VMAX:
    case DLP_I_VMIN:
        t = 3 * rows * nch;
        break;
    case DLP_I_VCLAMP:
        t = 2 * rows * nch;
        break;
    case DLP_I_VLUT:
        t = ceil_div(256, pbytes) + 2 * rows * nch;
        break;
    case DLP_I_VMAXPOOL:
    case DLP_I_VAVGPOOL: {
        uint64_t win = (uint64_t)DLP_F(in, KH) * (uint64_t)DLP_F(in, KW);
        t = (uint64_t)DLP_F(in, OH) * (uint64_t)DLP_F(in, OW) *
            ceil_div((uint64_t)DLP_F(in, CH), v) * (win + 1);
        break;
    }
    default:
        t = 1;
        break;
    }
    return t + DLP_T_VFU_PIPE;
}
