/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The machine: memories, the front end (fetch, scalar execution, loops, dispatch with checks),
 * the LD/CP/VF/ST queues with their token channels, the DMA engine, the matrix unit and the
 * vector unit, stepped one cycle at a time. docs/timing.md describes the cycle-level rules implemented here.
 *
 * Order of events inside cycle t:
 *   1. idle units start the head of a queue if it was pushed before t and its tokens are there;
 *   2. the front end acts on the instruction at pc, seeing queue occupancy and unit activity as
 *      they were at the start of the cycle;
 *   3. units whose last busy cycle is t retire it and signal their tokens (usable from t + 1).
 * Functional effects of a queued instruction are applied when it starts; a correct program
 * (one whose dependencies are expressed with tokens or sync) cannot tell the difference.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "race.h"

/* ---- creation and host access ----------------------------------------------------------------- */


dlp_t *dlp_create(const dlp_config_t *cfg, char *msg, size_t len)
{
    dlp_t *m;
    if (dlp_config_check(cfg, msg, len))
        return NULL;
    m = calloc(1, sizeof *m);
    if (!m) {
        dlp_fail(msg, len, "out of memory");
        return NULL;
    }
    m->cfg = *cfg;
    m->dram = calloc(1, cfg->dram_bytes);
    m->nram = calloc(1, cfg->nram_bytes);
    m->wram = calloc(1, cfg->wram_bytes);
    m->acc_elems = cfg->acc_bytes / 4;
    m->acc = calloc(m->acc_elems, sizeof *m->acc);
    m->imem = calloc((size_t)cfg->imem_insns * DLP_INSN_WORDS, sizeof *m->imem);
    for (int i = 0; i < DLP_NQUEUES; i++) {
        m->q[i].depth = cfg->queue_depth;
        m->q[i].slot = calloc(cfg->queue_depth, sizeof *m->q[i].slot);
    }
    if (!m->dram || !m->nram || !m->wram || !m->acc || !m->imem || !m->q[0].slot ||
        !m->q[1].slot || !m->q[2].slot || !m->q[3].slot) {
        dlp_destroy(m);
        dlp_fail(msg, len, "out of memory allocating %llu bytes of DRAM",
             (unsigned long long)cfg->dram_bytes);
        return NULL;
    }
    if (cfg->race_check && !(m->race = dlp_race_new())) {
        dlp_destroy(m);
        dlp_fail(msg, len, "out of memory allocating the race check");
        return NULL;
    }
    m->win_base = 0;
    m->win_limit = cfg->dram_bytes;
    m->bus_err_cycle = UINT64_MAX;
    return m;
}

static void queue_clear(queue_t *q)
{
    for (uint32_t i = 0; i < q->depth; i++)
        dlp_uop_free_log(&q->slot[i]);
    q->head = q->count = 0;
}

void dlp_destroy(dlp_t *m)
{
    if (!m)
        return;
    for (int i = 0; i < DLP_NQUEUES; i++) {
        if (m->q[i].slot)
            queue_clear(&m->q[i]);
        free(m->q[i].slot);
    }
    dlp_uop_free_log(&m->dma.op);
    dlp_uop_free_log(&m->cp.op);
    dlp_uop_free_log(&m->vf.op);
    dlp_sched_free(&m->dma.sched);
    dlp_race_free(m->race);
    free(m->dram);
    free(m->nram);
    free(m->wram);
    free(m->acc);
    free(m->imem);
    free(m->bus_buf);
    free(m->bus_strb);
    free(m->bus_row);
    free(m);
}

const dlp_config_t *dlp_config(const dlp_t *m)
{
    return &m->cfg;
}

int dlp_dram_write(dlp_t *m, uint64_t addr, const void *src, size_t len)
{
    if (!m->dram || addr > m->cfg.dram_bytes || len > m->cfg.dram_bytes - addr)
        return -1;
    memcpy(m->dram + addr, src, len);
    return 0;
}

int dlp_dram_read(const dlp_t *m, uint64_t addr, void *dst, size_t len)
{
    if (!m->dram || addr > m->cfg.dram_bytes || len > m->cfg.dram_bytes - addr)
        return -1;
    memcpy(dst, m->dram + addr, len);
    return 0;
}

uint8_t *dlp_mem(dlp_t *m, int mem, uint64_t *len)
{
    switch (mem) {
    case DLP_MEM_DRAM:
        *len = m->dram ? m->cfg.dram_bytes : 0;
        return m->dram;
    case DLP_MEM_NRAM:
        *len = m->cfg.nram_bytes;
        return m->nram;
    case DLP_MEM_WRAM:
        *len = m->cfg.wram_bytes;
        return m->wram;
    case DLP_MEM_ACC:
        *len = m->cfg.acc_bytes;
        return (uint8_t *)m->acc;
    default:
        *len = 0;
        return NULL;
    }
}

int dlp_set_window(dlp_t *m, uint64_t base, uint64_t limit)
{
    if (base > limit || limit > m->cfg.dram_bytes || limit > (1ull << 32))
        return -1;
    m->win_base = base;
    m->win_limit = limit;
    return 0;
}

void dlp_set_cycle_limit(dlp_t *m, uint64_t max_cycles)
{
    m->cfg.max_cycles = max_cycles;
}

int dlp_set_bus(dlp_t *m, const dlp_bus_t *bus)
{
    size_t burst = (size_t)m->cfg.beat_bytes * m->cfg.burst_beats;
    if (m->has_bus || !bus || !bus->read || !bus->write)
        return -1;
    m->bus_buf = malloc(burst);
    m->bus_strb = malloc(burst);
    if (!m->bus_buf || !m->bus_strb) {
        free(m->bus_buf);
        free(m->bus_strb);
        m->bus_buf = m->bus_strb = NULL;
        return -1;
    }
    m->bus = *bus;
    m->has_bus = 1;
    free(m->dram);
    m->dram = NULL;
    m->cfg.dram_bytes = 1ull << 32; /* the AXI address space */
    m->win_base = 0;
    m->win_limit = m->cfg.dram_bytes;
    return 0;
}

void dlp_set_retire_cb(dlp_t *m, dlp_retire_cb cb, void *ctx, int record_writes)
{
    m->cb = cb;
    m->cb_ctx = ctx;
    m->record_writes = record_writes;
}

uint32_t dlp_reg(const dlp_t *m, unsigned r)
{
    return r < 16 ? m->regs[r] : 0;
}

/* ---- dispatch-time checks ----------------------------------------------------------------------- */

static int err(dlp_t *m, int cause, uint32_t info, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->message, sizeof m->message, fmt, ap);
    va_end(ap);
    m->err_info = info;
    return cause;
}

/* Highest offset of a strided access: base + sum (count_i - 1) * stride_i + len - 1. */
static uint64_t span_hi(uint64_t base, uint64_t len, uint64_t c1, uint64_t s1, uint64_t c2,
                        uint64_t s2)
{
    return base + (c1 - 1) * s1 + (c2 - 1) * s2 + len - 1;
}

typedef struct box {
    int mem;
    uint64_t lo, hi; /* inclusive byte (element for ACC) range */
} box_t;

static uint64_t mem_size(const dlp_t *m, int mem)
{
    switch (mem) {
    case DLP_MEM_NRAM:
        return m->cfg.nram_bytes;
    case DLP_MEM_WRAM:
        return m->cfg.wram_bytes;
    case DLP_MEM_ACC:
        return m->acc_elems;
    default:
        return m->cfg.dram_bytes;
    }
}

static int check_box(dlp_t *m, const char *mn, const char *what, box_t b)
{
    if (b.mem == DLP_MEM_DRAM) {
        /* hi < lo: the range wrapped around 2^64 (a host-given program address near the top);
           its first byte is then already outside the window */
        if (b.lo < m->win_base || b.hi >= m->win_limit || b.hi < b.lo)
            return err(m, DLP_CAUSE_DRAM_WINDOW,
                       (uint32_t)(b.lo < m->win_base || b.hi < b.lo ? b.lo : b.hi),
                       "%s: %s DRAM bytes 0x%llx..0x%llx outside the window 0x%llx..0x%llx", mn,
                       what, (unsigned long long)b.lo, (unsigned long long)b.hi,
                       (unsigned long long)m->win_base, (unsigned long long)m->win_limit - 1);
        return 0;
    }
    if (b.hi >= mem_size(m, b.mem))
        return err(m, DLP_CAUSE_SPAD_RANGE, (uint32_t)b.hi,
                   "%s: %s %s %s 0x%llx..0x%llx outside the %llu-%s memory", mn, what,
                   dlp_mem_name(b.mem), b.mem == DLP_MEM_ACC ? "elements" : "bytes",
                   (unsigned long long)b.lo, (unsigned long long)b.hi,
                   (unsigned long long)mem_size(m, b.mem),
                   b.mem == DLP_MEM_ACC ? "element" : "byte");
    return 0;
}

/* The memory halves a box touches (DLP_BANK_*); none for DRAM. */
static unsigned box_banks(const dlp_t *m, box_t b)
{
    uint64_t half = mem_size(m, b.mem) / 2;
    unsigned lo, shift;
    if (b.mem == DLP_MEM_DRAM)
        return 0;
    shift = 2 * (unsigned)(b.mem - DLP_MEM_NRAM);
    lo = b.lo >= half ? 2u : 1u;
    return (lo | (b.hi >= half ? 2u : 0u)) << shift;
}

static int overlap(box_t a, box_t b)
{
    return a.mem == b.mem && a.lo <= b.hi && b.lo <= a.hi;
}

/* Vector operand rule: a destination coincides with a source or does not overlap it. */
static int check_vec_overlap(dlp_t *m, const char *mn, box_t d, uint64_t sd, box_t s, uint64_t ss,
                             uint64_t rows, const char *sname)
{
    if (!overlap(d, s))
        return 0;
    if (d.lo == s.lo && (rows == 1 || sd == ss))
        return 0;
    return err(m, DLP_CAUSE_OVERLAP, (uint32_t)d.lo,
               "%s: destination 0x%llx..0x%llx partly overlaps source %s 0x%llx..0x%llx", mn,
               (unsigned long long)d.lo, (unsigned long long)d.hi, sname,
               (unsigned long long)s.lo, (unsigned long long)s.hi);
}

/*
 * A destination whose elements are written more than once would make the result depend on the
 * order of the writes, which differs between units; the ISA forbids it. Runs of `len` elements
 * repeated along two dimensions (count, stride) are disjoint when, ordering the dimensions by
 * stride, each stride clears everything spanned by the dimension inside it.
 */
static int runs_overlap(uint64_t len, uint64_t c1, uint64_t s1, uint64_t c2, uint64_t s2)
{
    uint64_t ca = c1, sa = s1, cb = c2, sb = s2;
    if (s2 < s1) {
        ca = c2, sa = s2, cb = c1, sb = s1;
    }
    return (ca > 1 && sa < len) || (cb > 1 && sb < (ca - 1) * sa + len);
}

static int self_overlap(dlp_t *m, const char *mn, uint64_t dlo)
{
    return err(m, DLP_CAUSE_OVERLAP, (uint32_t)dlo,
               "%s: the destination at 0x%llx writes some elements twice (its strides are too "
               "small for its rows)",
               mn, (unsigned long long)dlo);
}

int dlp_check_dynamic(dlp_t *m, const uop_t *u, unsigned *banks)
{
    const dlp_insn_t *in = &u->in;
    const char *mn = dlp_insn_info[in->id].mnemonic;
    int rc;

    *banks = 0;
    switch (in->id) {
    case DLP_I_DMA: {
        uint64_t n0 = (uint64_t)DLP_F(in, N0), n1 = (uint64_t)DLP_F(in, N1);
        uint64_t n2 = (uint64_t)DLP_F(in, N2);
        uint64_t h1 = (uint64_t)(DLP_F(in, PT) + DLP_F(in, PB)) + n1;
        uint64_t w1 = (uint64_t)(DLP_F(in, PL) + DLP_F(in, PR)) + n0;
        box_t s = {(int)DLP_F(in, SSP), R(u, RSRC), 0};
        box_t d = {(int)DLP_F(in, DSP), R(u, RDST), 0};
        s.hi = span_hi(s.lo, n0, n1, R(u, RSS1), n2, R(u, RSS2));
        d.hi = span_hi(d.lo, w1, h1, R(u, RDS1), n2, R(u, RDS2));
        if ((rc = check_box(m, mn, "source", s)) || (rc = check_box(m, mn, "destination", d)))
            return rc;
        if (runs_overlap(w1, h1, R(u, RDS1), n2, R(u, RDS2)))
            return self_overlap(m, mn, d.lo);
        if (overlap(s, d))
            return err(m, DLP_CAUSE_OVERLAP, (uint32_t)d.lo,
                       "dma: %s source 0x%llx..0x%llx and destination 0x%llx..0x%llx overlap",
                       dlp_mem_name(s.mem), (unsigned long long)s.lo, (unsigned long long)s.hi,
                       (unsigned long long)d.lo, (unsigned long long)d.hi);
        return 0;
    }
    case DLP_I_MM: {
        uint64_t m0 = (uint64_t)DLP_F(in, M0), m1 = (uint64_t)DLP_F(in, M1);
        uint64_t k = (uint64_t)DLP_F(in, KDIM), n = (uint64_t)DLP_F(in, NDIM);
        box_t x = {DLP_MEM_NRAM, R(u, RIN), 0}, w = {DLP_MEM_WRAM, R(u, RW), 0};
        box_t a = {DLP_MEM_ACC, R(u, RACC), 0};
        x.hi = span_hi(x.lo, k, m0, R(u, RINS0), m1, R(u, RINS1));
        w.hi = span_hi(w.lo, n, k, R(u, RWS), 1, 0);
        a.hi = span_hi(a.lo, n, m0 * m1, R(u, RACS), 1, 0);
        if ((rc = check_box(m, mn, "input", x)) || (rc = check_box(m, mn, "weight", w)) ||
            (rc = check_box(m, mn, "output", a)))
            return rc;
        if (m0 * m1 > 1 && R(u, RACS) < n)
            return err(m, DLP_CAUSE_OVERLAP, R(u, RACS),
                       "mm: accumulator row stride %u is smaller than N = %llu: output rows "
                       "overlap",
                       R(u, RACS), (unsigned long long)n);
        *banks = box_banks(m, x) | box_banks(m, w) | box_banks(m, a);
        return 0;
    }
    case DLP_I_VMAXPOOL:
    case DLP_I_VAVGPOOL: {
        int64_t oh = DLP_F(in, OH), ow = DLP_F(in, OW), ch = DLP_F(in, CH);
        int64_t ry = (oh - 1) * DLP_F(in, SH) - DLP_F(in, PPT) + DLP_F(in, KH) - 1;
        int64_t rx = (ow - 1) * DLP_F(in, SW) - DLP_F(in, PPL) + DLP_F(in, KW) - 1;
        box_t s = {DLP_MEM_NRAM, R(u, PA), 0}, d = {DLP_MEM_NRAM, R(u, PD), 0};
        if (ry > DLP_F(in, IH) - 1)
            ry = DLP_F(in, IH) - 1;
        if (rx > DLP_F(in, IW) - 1)
            rx = DLP_F(in, IW) - 1;
        s.hi = span_hi(s.lo, (uint64_t)ch, (uint64_t)ry + 1, R(u, PSRA), (uint64_t)rx + 1,
                       R(u, PSPA));
        d.hi = span_hi(d.lo, (uint64_t)ch, (uint64_t)oh, R(u, PSRD), (uint64_t)ow, R(u, PSPD));
        if ((rc = check_box(m, mn, "source", s)) || (rc = check_box(m, mn, "destination", d)))
            return rc;
        if (runs_overlap((uint64_t)ch, (uint64_t)ow, R(u, PSPD), (uint64_t)oh, R(u, PSRD)))
            return self_overlap(m, mn, d.lo);
        if (overlap(s, d))
            return err(m, DLP_CAUSE_OVERLAP, (uint32_t)d.lo,
                       "%s: destination 0x%llx..0x%llx overlaps source 0x%llx..0x%llx", mn,
                       (unsigned long long)d.lo, (unsigned long long)d.hi,
                       (unsigned long long)s.lo, (unsigned long long)s.hi);
        *banks = box_banks(m, s) | box_banks(m, d);
        return 0;
    }
    default: { /* vector unit */
        uint64_t rows = (uint64_t)DLP_F(in, ROWS), cols = (uint64_t)DLP_F(in, COLS);
        int two = in->id == DLP_I_VADD || in->id == DLP_I_VMAX || in->id == DLP_I_VMIN;
        box_t d = {DLP_MEM_NRAM, R(u, VD), 0};
        box_t a = {in->id == DLP_I_VRQ ? DLP_MEM_ACC : DLP_MEM_NRAM, R(u, VA), 0};
        box_t b = {DLP_MEM_NRAM, R(u, VB), 0}, p = {DLP_MEM_WRAM, R(u, VP), 0};
        d.hi = span_hi(d.lo, cols, rows, R(u, VSD), 1, 0);
        a.hi = span_hi(a.lo, cols, rows, R(u, VSA), 1, 0);
        b.hi = span_hi(b.lo, cols, rows, R(u, VSB), 1, 0);
        if ((rc = check_box(m, mn, "source a", a)))
            return rc;
        if (two && (rc = check_box(m, mn, "source b", b)))
            return rc;
        if (in->id == DLP_I_VRQ || in->id == DLP_I_VADD || in->id == DLP_I_VLUT) {
            p.hi = p.lo + (in->id == DLP_I_VRQ    ? DLP_VRQ_PARAM_BYTES * cols
                              : in->id == DLP_I_VADD ? DLP_VADD_PARAM_BYTES
                                                     : 256) - 1;
            if ((rc = check_box(m, mn, in->id == DLP_I_VLUT ? "table" : "parameters", p)))
                return rc;
        }
        if ((rc = check_box(m, mn, "destination", d)))
            return rc;
        if (runs_overlap(cols, rows, R(u, VSD), 1, 0))
            return self_overlap(m, mn, d.lo);
        if ((rc = check_vec_overlap(m, mn, d, R(u, VSD), a, R(u, VSA), rows, "a")))
            return rc;
        if (two && (rc = check_vec_overlap(m, mn, d, R(u, VSD), b, R(u, VSB), rows, "b")))
            return rc;
        *banks = box_banks(m, d) | box_banks(m, a) | (two ? box_banks(m, b) : 0) |
                 (in->id == DLP_I_VRQ || in->id == DLP_I_VADD || in->id == DLP_I_VLUT
                      ? box_banks(m, p)
                      : 0);
        return 0;
    }
    }
}

/* ---- run control ------------------------------------------------------------------------------------ */

static void retire(dlp_t *m, const uop_t *u, int unit, int queue, uint64_t start, uint64_t end)
{
    dlp_retire_t r;
    m->ctr.insns++;
    if (!m->cb)
        return;
    r.start = start;
    r.end = end;
    r.pc = u->pc;
    r.unit = unit;
    r.queue = queue;
    r.insn = &u->in;
    r.n_writes = m->record_writes ? u->n_writes : 0;
    r.writes = u->writes;
    m->cb(m->cb_ctx, &r);
}

/* Stops the run with an error at cycle t; bursts already on the bus finish first. */
static void stop_error(dlp_t *m, int cause, uint64_t t)
{
    uint64_t end = t;
    m->status = DLP_ERROR;
    m->cause = cause;
    m->err_pc = m->pc;
    /* A unit that started in the cycle the run stops is aborted by the stop: it counts no DRAM
       bytes and no MACs (the core gates its counters with the cycle's error; docs/timing.md). */
    for (int i = 0; i < 3; i++) {
        const unit_t *un = i == 0 ? &m->dma : i == 1 ? &m->cp : &m->vf;
        uint64_t rd, wr, macs;
        if (!un->busy || un->start != t)
            continue;
        dlp_uop_work(&un->op.in, &rd, &wr, &macs);
        m->ctr.dram_rd_bytes -= rd;
        m->ctr.dram_wr_bytes -= wr;
        m->ctr.macs -= macs;
    }
    if (m->dma.busy) {
        end = dlp_sched_drain(&m->dma.sched, t);
        m->ctr.busy_dma += t - m->dma.start + 1;
    }
    if (m->cp.busy) {
        if (m->cp.kind == DLP_UNIT_MFU)
            m->ctr.busy_mfu += t - m->cp.start + 1;
        else
            m->ctr.busy_vfu += t - m->cp.start + 1;
    }
    if (m->vf.busy)
        m->ctr.busy_vfu += t - m->vf.start + 1;
    m->dma.busy = m->cp.busy = m->vf.busy = 0;
    m->end_cycle = end;
    m->ctr.cycles = end + 1;
}

int dlp_start(dlp_t *m, uint64_t prog_addr, uint32_t n)
{
    char msg[256];
    for (int i = 0; i < DLP_NQUEUES; i++)
        queue_clear(&m->q[i]);
    memset(m->tokens, 0, sizeof m->tokens);
    memset(m->regs, 0, sizeof m->regs);
    memset(&m->ctr, 0, sizeof m->ctr);
    dlp_uop_free_log(&m->dma.op);
    dlp_uop_free_log(&m->cp.op);
    dlp_uop_free_log(&m->vf.op);
    m->dma.busy = m->cp.busy = m->vf.busy = 0;
    m->dma_rr = DLP_Q_ST; /* so that LD is preferred first */
    m->loop_sp = 0;
    m->pc = 0;
    m->fe_checked = 0;
    m->now = 0;
    m->status = DLP_RUNNING;
    m->cause = DLP_CAUSE_NONE;
    m->err_pc = m->err_info = 0;
    m->message[0] = 0;
    m->fe_check_cause = 0;
    m->prog_addr = prog_addr;
    m->n_insns = n;
    m->bus_err_cycle = UINT64_MAX;
    dlp_race_reset(m->race);

    if (n == 0 || n > m->cfg.imem_insns || prog_addr % DLP_INSN_BYTES) {
        if (n == 0)
            snprintf(msg, sizeof msg, "program length is 0");
        else if (n > m->cfg.imem_insns)
            snprintf(msg, sizeof msg,
                     "program of %u instructions exceeds the instruction memory (%u)", n,
                     m->cfg.imem_insns);
        else
            snprintf(msg, sizeof msg, "program address 0x%llx is not 16-byte aligned",
                     (unsigned long long)prog_addr);
        err(m, DLP_CAUSE_BAD_PROGRAM, n, "%s", msg);
        stop_error(m, DLP_CAUSE_BAD_PROGRAM, 0);
        return m->status;
    }
    {
        box_t b = {DLP_MEM_DRAM, prog_addr, prog_addr + (uint64_t)n * DLP_INSN_BYTES - 1};
        if (check_box(m, "fetch", "program", b)) {
            stop_error(m, DLP_CAUSE_DRAM_WINDOW, 0);
            return m->status;
        }
    }
    m->fetch_end = dlp_time_fetch(&m->cfg, prog_addr, n, &m->dma.sched);
    if (m->has_bus) {
        /* burst by burst into the instruction memory; a failed one ends the fetch */
        uint32_t k = 0;
        uint64_t len = (uint64_t)n * DLP_INSN_BYTES;
        uint8_t *buf = dlp_bus_row(m, len);
        if (!buf)
            m->bus_err_cycle = 0;
        else if (!dlp_bus_read_run(m, &m->dma.sched, 0, &k, prog_addr, buf, len))
            for (uint64_t i = 0; i < (uint64_t)n * DLP_INSN_WORDS; i++)
                m->imem[i] = dlp_rd32(buf + 4 * i);
    } else {
        for (uint64_t i = 0; i < (uint64_t)n * DLP_INSN_WORDS; i++)
            m->imem[i] = dlp_rd32(m->dram + prog_addr + 4 * i);
    }
    m->ctr.fetch_cycles = m->fetch_end + 1;
    m->ctr.dram_rd_bytes += (uint64_t)n * DLP_INSN_BYTES;
    m->fe_ready = m->fetch_end + 1;
    return m->status;
}

/* ---- queues and units ---------------------------------------------------------------------------------- */

static uop_t *q_head(queue_t *q)
{
    return &q->slot[q->head];
}

static int head_ready(dlp_t *m, int qi, uint64_t t)
{
    queue_t *q = &m->q[qi];
    uop_t *u;
    unsigned wait;
    if (!q->count || m->q_visible[qi][q->head] > t)
        return 0;
    u = q_head(q);
    wait = u->in.wait_q;
    for (int f = 0; f < DLP_NQUEUES; f++)
        if ((wait >> f & 1) && !m->tokens[f][qi])
            return 0;
    return 1;
}

static void start_unit(dlp_t *m, unit_t *un, int qi, uint64_t t)
{
    queue_t *q = &m->q[qi];
    uop_t *u = q_head(q);
    unsigned wait = u->in.wait_q;
    for (int f = 0; f < DLP_NQUEUES; f++)
        if (wait >> f & 1)
            m->tokens[f][qi]--;
    dlp_uop_free_log(&un->op);
    un->op = *u;
    memset(u, 0, sizeof *u);
    q->head = (q->head + 1) % q->depth;
    q->count--;
    un->busy = 1;
    un->start = t;
    {
        uint64_t rd, wr, macs;
        dlp_uop_work(&un->op.in, &rd, &wr, &macs);
        m->ctr.dram_rd_bytes += rd;
        m->ctr.dram_wr_bytes += wr;
        m->ctr.macs += macs;
    }
    dlp_race_start(m->race, &un->op);
    switch (un->op.in.id) {
    case DLP_I_DMA: {
        dlp_dma_args_t a;
        const uop_t *o = &un->op;
        a.dsp = (int)DLP_F(&o->in, DSP);
        a.ssp = (int)DLP_F(&o->in, SSP);
        a.dst = R(o, RDST);
        a.src = R(o, RSRC);
        a.ss1 = R(o, RSS1);
        a.ss2 = R(o, RSS2);
        a.ds1 = R(o, RDS1);
        a.ds2 = R(o, RDS2);
        a.n0 = (uint32_t)DLP_F(&o->in, N0);
        a.n1 = (uint32_t)DLP_F(&o->in, N1);
        a.n2 = (uint32_t)DLP_F(&o->in, N2);
        a.pt = (uint32_t)DLP_F(&o->in, PT);
        a.pb = (uint32_t)DLP_F(&o->in, PB);
        a.pl = (uint32_t)DLP_F(&o->in, PL);
        a.pr = (uint32_t)DLP_F(&o->in, PR);
        un->kind = DLP_UNIT_DMA;
        un->end = dlp_time_dma(&m->cfg, &a, t, &un->sched);
        break;
    }
    case DLP_I_MM: {
        const dlp_insn_t *in = &un->op.in;
        un->kind = DLP_UNIT_MFU;
        un->end = t + dlp_time_mm(&m->cfg, (uint64_t)(DLP_F(in, M0) * DLP_F(in, M1)),
                                  (uint64_t)DLP_F(in, KDIM), (uint64_t)DLP_F(in, NDIM)) - 1;
        break;
    }
    default:
        un->kind = DLP_UNIT_VFU;
        un->end = t + dlp_time_vfu(&m->cfg, &un->op.in) - 1;
        break;
    }
    /* the effects after the timing: a DMA's bus bursts take their cycles from its schedule */
    dlp_exec(m, &un->op, m->cb && m->record_writes, &un->sched, t);
}

/* Retires the unit's instruction if it ends at t; returns 1 if it did. Errors: token overflow. */
static int finish_unit(dlp_t *m, unit_t *un, uint64_t t)
{
    unsigned sig;
    int qi;
    if (!un->busy || un->end != t)
        return 0;
    qi = un->op.in.queue;
    sig = un->op.in.signal_q;
    un->busy = 0;
    switch (un->kind) {
    case DLP_UNIT_DMA:
        m->ctr.busy_dma += t - un->start + 1;
        break;
    case DLP_UNIT_MFU:
        m->ctr.busy_mfu += t - un->start + 1;
        break;
    default:
        m->ctr.busy_vfu += t - un->start + 1;
        break;
    }
    retire(m, &un->op, un->kind, qi, un->start, t);
    dlp_race_signal(m->race, qi, sig);
    for (int to = 0; to < DLP_NQUEUES; to++) {
        if (!(sig >> to & 1))
            continue;
        if (m->tokens[qi][to] >= m->cfg.token_max) {
            m->pc = un->op.pc; /* the signalling instruction is the faulting one */
            err(m, DLP_CAUSE_TOKEN_OVERFLOW, (uint32_t)(qi * 4 + to),
                "%s: signal from %s to %s, but the channel already holds %u tokens",
                dlp_insn_info[un->op.in.id].mnemonic, dlp_queue_name(qi), dlp_queue_name(to),
                m->cfg.token_max);
            return -1;
        }
        m->tokens[qi][to]++;
    }
    return 1;
}

/* ---- the front end ---------------------------------------------------------------------------------- */

enum fe_result { FE_ACTED, FE_STALLED, FE_WAITING, FE_ERROR };

static void fe_retire(dlp_t *m, const dlp_insn_t *in, uint64_t t, int write_reg, uint32_t r)
{
    uop_t u;
    dlp_write_t wr;
    uint8_t data[4];
    memset(&u, 0, sizeof u);
    u.in = *in;
    u.pc = m->pc;
    if (write_reg && r) {
        dlp_wr32(data, m->regs[r]);
        wr.mem = DLP_MEM_REG;
        wr.addr = r;
        wr.len = 1;
        wr.data = data;
        u.writes = &wr;
        u.n_writes = 1;
    }
    retire(m, &u, DLP_UNIT_FE, DLP_Q_NONE, t, t);
}

static int all_idle(const uint32_t qcount[DLP_NQUEUES], const int busy[3])
{
    return !qcount[0] && !qcount[1] && !qcount[2] && !qcount[3] && !busy[0] && !busy[1] &&
           !busy[2];
}

static int fe_step(dlp_t *m, uint64_t t, const uint32_t qcount[DLP_NQUEUES], const int busy[3])
{
    dlp_insn_t in;
    char msg[200];
    int cause;
    uint32_t *reg;

    if (t < m->fe_ready)
        return FE_WAITING;
    if (m->pc >= m->n_insns) {
        err(m, DLP_CAUSE_PC_RANGE, m->pc, "execution ran past the last instruction (%u) without halt",
            m->n_insns - 1);
        stop_error(m, DLP_CAUSE_PC_RANGE, t);
        return FE_ERROR;
    }
    cause = dlp_decode(&m->imem[(size_t)m->pc * DLP_INSN_WORDS], &in, msg, sizeof msg);
    if (cause) {
        err(m, cause, m->imem[(size_t)m->pc * DLP_INSN_WORDS], "%s", msg);
        stop_error(m, cause, t);
        return FE_ERROR;
    }
    m->fe_ready = t + 1;
    reg = &m->regs[DLP_F(&in, RD) & 15];
    switch (in.id) {
    case DLP_I_NOP:
        break;
    case DLP_I_HALT:
    case DLP_I_SYNC:
        if (!all_idle(qcount, busy)) {
            m->fe_ready = t;
            m->ctr.stall_sync++;
            return FE_STALLED;
        }
        dlp_race_sync(m->race);
        if (in.id == DLP_I_HALT) {
            fe_retire(m, &in, t, 0, 0);
            m->status = DLP_DONE;
            m->end_cycle = t;
            m->ctr.cycles = t + 1;
            return FE_ACTED;
        }
        break;
    case DLP_I_LI:
        *reg = (uint32_t)DLP_F(&in, IMM32);
        break;
    case DLP_I_ADDI:
        *reg = m->regs[DLP_F(&in, RS1)] + (uint32_t)DLP_F(&in, IMM32);
        break;
    case DLP_I_ADD:
        *reg = m->regs[DLP_F(&in, RS1)] + m->regs[DLP_F(&in, RS2)];
        break;
    case DLP_I_SUB:
        *reg = m->regs[DLP_F(&in, RS1)] - m->regs[DLP_F(&in, RS2)];
        break;
    case DLP_I_MUL:
        *reg = m->regs[DLP_F(&in, RS1)] * m->regs[DLP_F(&in, RS2)];
        break;
    case DLP_I_MULI:
        *reg = m->regs[DLP_F(&in, RS1)] * (uint32_t)DLP_F(&in, IMM32);
        break;
    case DLP_I_SLLI:
        *reg = m->regs[DLP_F(&in, RS1)] << DLP_F(&in, IMM32);
        break;
    case DLP_I_SRLI:
        *reg = m->regs[DLP_F(&in, RS1)] >> DLP_F(&in, IMM32);
        break;
    case DLP_I_LOOP:
    case DLP_I_LOOPR: {
        uint32_t count = in.id == DLP_I_LOOP ? (uint32_t)DLP_F(&in, LCOUNT)
                                             : m->regs[DLP_F(&in, RS1)];
        uint64_t end_pc = (uint64_t)m->pc + (uint64_t)DLP_F(&in, LBODY) + 1;
        if (end_pc >= m->n_insns) {
            err(m, DLP_CAUSE_PC_RANGE, (uint32_t)end_pc,
                "loop body of %lld instructions runs past the end of the program",
                (long long)DLP_F(&in, LBODY));
            stop_error(m, DLP_CAUSE_PC_RANGE, t);
            return FE_ERROR;
        }
        if (count && m->loop_sp == m->cfg.loop_depth) {
            err(m, DLP_CAUSE_LOOP, m->loop_sp, "loop nesting deeper than %u", m->cfg.loop_depth);
            stop_error(m, DLP_CAUSE_LOOP, t);
            return FE_ERROR;
        }
        fe_retire(m, &in, t, 0, 0);
        if (!count) {
            m->pc = (uint32_t)end_pc + 1;
            return FE_ACTED;
        }
        m->loops[m->loop_sp].start_pc = m->pc + 1;
        m->loops[m->loop_sp].end_pc = (uint32_t)end_pc;
        m->loops[m->loop_sp].remaining = count;
        m->loop_sp++;
        m->pc++;
        return FE_ACTED;
    }
    case DLP_I_ENDLOOP: {
        struct loop_ent *l = &m->loops[m->loop_sp ? m->loop_sp - 1 : 0];
        if (!m->loop_sp || l->end_pc != m->pc) {
            if (m->loop_sp)
                err(m, DLP_CAUSE_LOOP, m->loop_sp,
                    "endloop at %u does not end the innermost loop (which ends at %u)", m->pc,
                    l->end_pc);
            else
                err(m, DLP_CAUSE_LOOP, 0, "endloop at %u without an open loop", m->pc);
            stop_error(m, DLP_CAUSE_LOOP, t);
            return FE_ERROR;
        }
        fe_retire(m, &in, t, 0, 0);
        if (l->remaining > 1) {
            l->remaining--;
            m->pc = l->start_pc;
            m->fe_ready = t + DLP_T_ENDLOOP_TAKEN;
        } else {
            m->loop_sp--;
            m->pc++;
        }
        return FE_ACTED;
    }
    default: { /* queued instruction: a check cycle, then a push cycle */
        queue_t *q = &m->q[in.queue];
        uop_t *u;
        if (!m->fe_checked) {
            /* check cycle: the range checks are computed (the RTL registers their products) */
            uop_t probe;
            memset(&probe, 0, sizeof probe);
            probe.in = in;
            probe.pc = m->pc;
            memcpy(probe.rv, m->regs, sizeof probe.rv);
            m->fe_check_cause = dlp_check_dynamic(m, &probe, &m->fe_banks);
            m->fe_checked = 1;
            return FE_ACTED;
        }
        /* push cycle: a failed check stops the core here, before the queue-full test */
        if (m->fe_check_cause) {
            stop_error(m, m->fe_check_cause, t);
            return FE_ERROR;
        }
        if (qcount[in.queue] >= q->depth) {
            m->fe_ready = t;
            m->ctr.stall_queue_full++;
            return FE_STALLED;
        }
        u = &q->slot[(q->head + q->count) % q->depth];
        memset(u, 0, sizeof *u);
        u->in = in;
        u->pc = m->pc;
        u->banks = m->fe_banks;
        memcpy(u->rv, m->regs, sizeof u->rv);
        m->q_visible[in.queue][(q->head + q->count) % q->depth] = t + 1;
        q->count++;
        m->fe_checked = 0;
        m->pc++;
        return FE_ACTED;
    }
    }
    fe_retire(m, &in, t, in.id != DLP_I_NOP && in.id != DLP_I_SYNC,
              (uint32_t)(DLP_F(&in, RD) & 15));
    m->regs[0] = 0;
    m->pc++;
    return FE_ACTED;
}

/* Next cycle at which something can change when cycle t changed nothing. */
static uint64_t next_event(const dlp_t *m, uint64_t t)
{
    uint64_t n = UINT64_MAX;
    if (m->fe_ready > t)
        n = m->fe_ready;
    if (m->dma.busy && m->dma.end < n)
        n = m->dma.end;
    if (m->cp.busy && m->cp.end < n)
        n = m->cp.end;
    if (m->vf.busy && m->vf.end < n)
        n = m->vf.end;
    if (m->cfg.max_cycles && m->cfg.max_cycles < n)
        n = m->cfg.max_cycles;
    if (m->bus_err_cycle < n)
        n = m->bus_err_cycle;
    return n > t ? n : t + 1;
}

/* One cycle; returns 1 if any state changed (other than counters). */
static int cycle(dlp_t *m, int *fe_out)
{
    uint64_t t = m->now;
    uint32_t qcount[DLP_NQUEUES] = {m->q[0].count, m->q[1].count, m->q[2].count, m->q[3].count};
    int busy[3] = {m->dma.busy, m->cp.busy, m->vf.busy};
    int changed = 0, fe;

    *fe_out = FE_WAITING;
    /* the watchdog, checked from the first cycle after the program fetch (as in the core) */
    if (m->cfg.max_cycles && t >= m->cfg.max_cycles && t > m->fetch_end) {
        err(m, DLP_CAUSE_TIMEOUT, m->pc, "cycle limit of %llu reached",
            (unsigned long long)m->cfg.max_cycles);
        stop_error(m, DLP_CAUSE_TIMEOUT, t);
        return 1;
    }
    /* 1. starts */
    if (t > m->fetch_end) {
        if (!m->dma.busy) {
            int ld = head_ready(m, DLP_Q_LD, t), st = head_ready(m, DLP_Q_ST, t);
            int pick = -1;
            if (ld && st)
                pick = m->dma_rr == DLP_Q_LD ? DLP_Q_ST : DLP_Q_LD;
            else if (ld)
                pick = DLP_Q_LD;
            else if (st)
                pick = DLP_Q_ST;
            if (pick >= 0) {
                start_unit(m, &m->dma, pick, t);
                m->dma_rr = pick;
                changed = 1;
            }
        }
        /* CP first: an mm needs its memory halves free of the VFU's instruction, a vector
           instruction needs the VFU */
        if (!m->cp.busy && head_ready(m, DLP_Q_CP, t)) {
            const uop_t *h = q_head(&m->q[DLP_Q_CP]);
            int ok = h->in.id == DLP_I_MM ? !(m->vf.busy && (h->banks & m->vf.op.banks))
                                          : !m->vf.busy;
            if (ok) {
                start_unit(m, &m->cp, DLP_Q_CP, t);
                changed = 1;
            }
        }
        /* then VF: the VFU must be free (a CP vector instruction may hold it) and the halves
           free of the MFU's instruction, which may have started in this cycle */
        if (!m->vf.busy && !(m->cp.busy && m->cp.kind == DLP_UNIT_VFU) &&
            head_ready(m, DLP_Q_VF, t)) {
            const uop_t *h = q_head(&m->q[DLP_Q_VF]);
            if (!(m->cp.busy && (h->banks & m->cp.op.banks))) {
                start_unit(m, &m->vf, DLP_Q_VF, t);
                changed = 1;
            }
        }
    }
    /* 2. front end */
    fe = fe_step(m, t, qcount, busy);
    *fe_out = fe;
    if (fe == FE_ERROR || m->status == DLP_DONE)
        return 1;
    if (fe == FE_ACTED)
        changed = 1;
    /* 3. completions */
    for (int i = 0; i < 3; i++) {
        int rc = finish_unit(m, i == 0 ? &m->dma : i == 1 ? &m->cp : &m->vf, t);
        if (rc < 0) {
            stop_error(m, DLP_CAUSE_TOKEN_OVERFLOW, t);
            return 1;
        }
        if (rc)
            changed = 1;
    }
    if (!changed && fe == FE_STALLED && !m->dma.busy && !m->cp.busy && !m->vf.busy) {
        err(m, DLP_CAUSE_DEADLOCK, m->pc,
            "deadlock: dispatch is blocked and no queue head can ever get its tokens "
            "(queued ld=%u cp=%u vf=%u st=%u)",
            m->q[DLP_Q_LD].count, m->q[DLP_Q_CP].count, m->q[DLP_Q_VF].count,
            m->q[DLP_Q_ST].count);
        stop_error(m, DLP_CAUSE_DEADLOCK, t);
        return 1;
    }
    /* 4. an error response of the bus (the lowest priority, as in the RTL) */
    if (t >= m->bus_err_cycle) {
        err(m, DLP_CAUSE_BUS_ERROR, 0, "the DRAM answered the burst at 0x%llx with an error",
            (unsigned long long)m->bus_err_addr);
        stop_error(m, DLP_CAUSE_BUS_ERROR, t);
        return 1;
    }
    return changed;
}

int dlp_step(dlp_t *m)
{
    int fe;
    if (m->status != DLP_RUNNING)
        return m->status;
    cycle(m, &fe);
    if (m->status == DLP_RUNNING)
        m->now++;
    return m->status;
}

void dlp_get_result(const dlp_t *m, dlp_result_t *res)
{
    memset(res, 0, sizeof *res);
    res->status = m->status;
    res->cause = m->cause;
    res->err_pc = m->err_pc;
    res->err_info = m->err_info;
    snprintf(res->message, sizeof res->message, "%s", m->message);
    res->counters = m->ctr;
    dlp_race_summary(m->race, &res->race);
    if (m->status == DLP_RUNNING)
        res->counters.cycles = m->now;
}

int dlp_advance(dlp_t *m, uint64_t until)
{
    while (m->status == DLP_RUNNING && m->now < until) {
        int fe;
        uint64_t t = m->now;
        int changed = cycle(m, &fe);
        if (m->status != DLP_RUNNING)
            break;
        if (!changed) {
            /* nothing happens until the next timed event: skip the idle cycles */
            uint64_t n2 = next_event(m, t);
            if (fe == FE_STALLED && n2 > t + 1) {
                /* the stalled front end would have counted one stall per skipped cycle */
                dlp_insn_t in;
                char msg[8];
                dlp_decode(&m->imem[(size_t)m->pc * DLP_INSN_WORDS], &in, msg, sizeof msg);
                if (in.id == DLP_I_SYNC || in.id == DLP_I_HALT)
                    m->ctr.stall_sync += n2 - t - 1;
                else
                    m->ctr.stall_queue_full += n2 - t - 1;
            }
            m->now = n2;
        } else {
            m->now = t + 1;
        }
    }
    return m->status;
}

int dlp_run(dlp_t *m, uint64_t prog_addr, uint32_t n, dlp_result_t *res)
{
    dlp_start(m, prog_addr, n);
    dlp_advance(m, UINT64_MAX);
    dlp_get_result(m, res);
    return m->status == DLP_DONE ? 0 : -1;
}
