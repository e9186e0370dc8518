/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Constrained-random OpenDLP programs; see randprog.h for the contract.
 *
 * Structure:
 *   - an IR of nodes (instructions and loops with bodies) built by the op generators;
 *   - analyze(): runs the IR like the front end (registers, loops unrolled), giving each
 *     dynamic queued instruction its footprint (bounding boxes, as the machine's range checks
 *     compute them) and a vector clock "instructions of each queue known complete when it
 *     starts" (queue order, k-th wait of a channel after the k-th signal, sync);
 *   - repair(): fixes the first violation analyze() finds; generation alternates the two.
 * Loop bodies address fresh memory every iteration through "stream" registers that are set
 * before the outermost loop and stepped by addi at the end of their body.
 */
#include "randprog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_decode.h"

/* ---- random numbers (splitmix64) ------------------------------------------------------------- */

static uint64_t next64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* ---- IR --------------------------------------------------------------------------------------- */

typedef struct node node_t;
typedef struct seq {
    node_t **v;
    uint32_t n, cap;
} seq_t;

struct node {
    int is_loop;
    int id;          /* enum dlp_insn_id */
    uint32_t w[4];   /* the instruction; for a loop the loop/loopr word (lbody set when flattened) */
    int sync_before; /* a sync is emitted in front of it (repair) */
    seq_t body;      /* loop body */
    /* wait/signal by queue (bit q = enum dlp_queue q), encoded into w for the instruction's
       queue when the program is flattened (the own queue's bit names VF) */
    unsigned waitq, sigq;
};

static void seq_push(seq_t *s, node_t *n)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            abort();
    }
    s->v[s->n++] = n;
}

static void node_free(node_t *n);
static void seq_truncate(seq_t *s, uint32_t n)
{
    while (s->n > n)
        node_free(s->v[--s->n]);
}

static void node_free(node_t *n)
{
    if (!n)
        return;
    seq_truncate(&n->body, 0);
    free(n->body.v);
    free(n);
}

/* ---- generator state -------------------------------------------------------------------------- */

typedef struct ring {
    uint64_t lo, hi, next;
} ring_t;

typedef struct region {
    uint64_t addr, len;
    node_t *writer; /* top-level writer, for dataflow tokens (NULL inside loops) */
    int queue;
} region_t;

#define N_RECENT 8
#define MAX_DYN 3000
#define MAX_BOX 5

typedef struct pend_step {
    int reg;
    int64_t step;
} pend_step_t;

typedef struct loopctx {
    seq_t *pre;           /* where streams are initialised (before the outermost loop) */
    uint64_t execs;       /* executions of the current body (product of counts, 0 counted as 1) */
    pend_step_t steps[16];
    int nsteps;
} loopctx_t;

typedef struct gen {
    dlp_config_t cfg;
    uint64_t rng;
    seq_t top;
    seq_t *cur;
    loopctx_t *loop; /* NULL at top level */
    int depth;
    /* registers as the generator knows them at the current point */
    uint32_t known, regval[16];
    uint32_t pinned; /* registers holding operands of the instruction being built */
    uint32_t locked; /* stream and loop-count registers of the loop nest being built */
    uint32_t used;   /* registers touched inside the loop nest being built */
    /* memory */
    ring_t nram, wram, acc, dout;
    uint64_t in_base, in_len;     /* read-only random DRAM input */
    uint64_t par_dram, par_wram;  /* parameter block: DRAM copy and its WRAM home */
    uint64_t vrq_off, vadd_off, lut_off, par_len;
    region_t recent[4][N_RECENT];
    int nrecent[4];
    int recent_pos[4];
    uint64_t win_base, win_limit, prog_addr;
    int max_nest;
    int failed;
    char msg[256];
    dlp_randprog_t *out;
} gen_t;

static uint64_t rnd(gen_t *g, uint64_t n) /* 0..n-1 */
{
    return n ? next64(&g->rng) % n : 0;
}

static int64_t rrange(gen_t *g, int64_t lo, int64_t hi) /* lo..hi */
{
    return lo + (int64_t)rnd(g, (uint64_t)(hi - lo + 1));
}

static int chance(gen_t *g, int pct)
{
    return (int)rnd(g, 100) < pct;
}

static void fail(gen_t *g, const char *fmt, ...)
{
    va_list ap;
    if (g->failed)
        return;
    g->failed = 1;
    va_start(ap, fmt);
    vsnprintf(g->msg, sizeof g->msg, fmt, ap);
    va_end(ap);
}

static node_t *new_insn(int id)
{
    node_t *n = calloc(1, sizeof *n);
    if (!n)
        abort();
    n->id = id;
    dlp_field_set_raw(n->w, DLP_F_OP, dlp_insn_info[id].opcode);
    return n;
}

static void setf(node_t *n, int f, int64_t v)
{
    dlp_field_set_raw(n->w, (enum dlp_field)f, (uint32_t)v);
}

static int64_t getf(const node_t *n, int f)
{
    return dlp_field_get(n->w, (enum dlp_field)f);
}

static void emit(gen_t *g, node_t *n)
{
    seq_push(g->cur, n);
}

static void note_reg_use(gen_t *g, int r)
{
    if (g->loop)
        g->used |= 1u << r;
}

static void reg_written(gen_t *g, int r, uint32_t v)
{
    if (!r)
        return;
    g->known |= 1u << r;
    g->regval[r] = v;
    note_reg_use(g, r);
}

static node_t *emit_li(gen_t *g, int r, uint32_t v)
{
    node_t *n = new_insn(DLP_I_LI);
    setf(n, DLP_F_RD, r);
    setf(n, DLP_F_IMM32, (int32_t)v);
    emit(g, n);
    reg_written(g, r, v);
    return n;
}

static void emit_rri(gen_t *g, int id, int rd, int rs, int64_t imm)
{
    node_t *n = new_insn(id);
    setf(n, DLP_F_RD, rd);
    setf(n, DLP_F_RS1, rs);
    setf(n, DLP_F_IMM32, imm);
    emit(g, n);
    note_reg_use(g, rs);
}

static void emit_rrr(gen_t *g, int id, int rd, int rs1, int rs2)
{
    node_t *n = new_insn(id);
    setf(n, DLP_F_RD, rd);
    setf(n, DLP_F_RS1, rs1);
    setf(n, DLP_F_RS2, rs2);
    emit(g, n);
    note_reg_use(g, rs1);
    note_reg_use(g, rs2);
}

/* A register that may be overwritten now, or -1. */
static int free_reg(gen_t *g, uint32_t also_avoid)
{
    int cand[16], n = 0;
    for (int r = 1; r < 16; r++)
        if (!((g->pinned | g->locked | also_avoid) >> r & 1))
            cand[n++] = r;
    if (!n)
        return -1;
    return cand[rnd(g, (uint64_t)n)];
}

/*
 * Returns a register holding v for the instruction being built (pinned until the next op),
 * computing v with a random scalar recipe so that every scalar instruction gets used with
 * meaningful values. -1 when no register is free.
 */
static int set_reg(gen_t *g, uint32_t v)
{
    int r, t, u;
    if (v == 0 && chance(g, 80))
        return 0;
    for (r = 1; r < 16; r++)
        if ((g->known >> r & 1) && g->regval[r] == v && !(g->locked >> r & 1) && chance(g, 85)) {
            g->pinned |= 1u << r;
            note_reg_use(g, r);
            return r;
        }
    r = free_reg(g, 0);
    if (r < 0)
        return -1;
    t = free_reg(g, 1u << r);
    u = t < 0 ? -1 : free_reg(g, 1u << r | 1u << t);
    switch (u < 0 ? 0 : rnd(g, 10)) {
    case 1: {
        int32_t d = (int32_t)rrange(g, -300, 300);
        emit_li(g, t, v - (uint32_t)d);
        emit_rri(g, DLP_I_ADDI, r, t, d);
        break;
    }
    case 2: {
        unsigned s = 0;
        while (s < 6 && v && !(v >> s & 1))
            s++;
        if (!s || !v)
            goto plain;
        emit_li(g, t, v >> s);
        emit_rri(g, DLP_I_SLLI, r, t, s);
        break;
    }
    case 3: {
        uint32_t a = (uint32_t)rnd(g, 100000);
        emit_li(g, t, a);
        emit_li(g, u, v - a);
        emit_rrr(g, DLP_I_ADD, r, t, u);
        break;
    }
    case 4: {
        uint32_t a = (uint32_t)rnd(g, 100000);
        emit_li(g, t, v + a);
        emit_li(g, u, a);
        emit_rrr(g, DLP_I_SUB, r, t, u);
        break;
    }
    case 5:
    case 6: {
        static const uint32_t f[] = {3, 5, 7, 2, 6, 12};
        uint32_t k = f[rnd(g, 6)];
        if (v % k)
            goto plain;
        emit_li(g, t, v / k);
        if (rnd(g, 2)) {
            emit_rri(g, DLP_I_MULI, r, t, k);
        } else {
            emit_li(g, u, k);
            emit_rrr(g, DLP_I_MUL, r, t, u);
        }
        break;
    }
    case 7: {
        unsigned s = (unsigned)rrange(g, 1, 8);
        if (v >> (32 - s))
            goto plain;
        emit_li(g, t, v << s | (uint32_t)rnd(g, 1u << s));
        emit_rri(g, DLP_I_SRLI, r, t, s);
        break;
    }
    default:
    plain:
        emit_li(g, r, v);
        break;
    }
    reg_written(g, r, v);
    g->pinned |= 1u << r;
    return r;
}

/* ---- memory ----------------------------------------------------------------------------------- */

static uint64_t ring_alloc(gen_t *g, ring_t *r, uint64_t size)
{
    uint64_t a = r->next + rnd(g, 16);
    if (size + 64 > (r->hi - r->lo) / 2)
        return UINT64_MAX; /* too big: the caller withdraws the instruction */
    if (a + size > r->hi)
        a = r->lo + rnd(g, 16);
    r->next = a + size + rnd(g, 48);
    return a;
}

static ring_t *ring_of(gen_t *g, int mem)
{
    switch (mem) {
    case DLP_MEM_NRAM:
        return &g->nram;
    case DLP_MEM_WRAM:
        return &g->wram;
    case DLP_MEM_ACC:
        return &g->acc;
    default:
        return &g->dout;
    }
}

static uint64_t mem_limit(gen_t *g, int mem)
{
    switch (mem) {
    case DLP_MEM_NRAM:
        return g->cfg.nram_bytes;
    case DLP_MEM_WRAM:
        return g->cfg.wram_bytes;
    case DLP_MEM_ACC:
        return g->cfg.acc_bytes / 4;
    default:
        return g->win_limit;
    }
}

static void remember(gen_t *g, int mem, uint64_t addr, uint64_t len, node_t *writer, int q)
{
    region_t *r = &g->recent[mem][g->recent_pos[mem]];
    r->addr = addr;
    r->len = len;
    r->writer = writer;
    r->queue = q;
    g->recent_pos[mem] = (g->recent_pos[mem] + 1) % N_RECENT;
    if (g->nrecent[mem] < N_RECENT)
        g->nrecent[mem]++;
}

/* An address to read `size` units from: recently written data (a real dependency) or any. */
static uint64_t pick_read(gen_t *g, int mem, uint64_t size, const region_t **from)
{
    *from = NULL;
    if (g->nrecent[mem] && chance(g, 60)) {
        const region_t *r = &g->recent[mem][rnd(g, (uint64_t)g->nrecent[mem])];
        if (r->len >= size) {
            *from = r;
            return r->addr + rnd(g, r->len - size + 1);
        }
        if (r->addr + size <= mem_limit(g, mem) && (mem != DLP_MEM_DRAM || r->addr + size <=
                                                      g->dout.hi)) {
            *from = r;
            return r->addr;
        }
    }
    if (mem == DLP_MEM_DRAM) {
        if (size > g->in_len)
            size = g->in_len;
        return g->in_base + rnd(g, g->in_len - size + 1);
    }
    if (mem == DLP_MEM_WRAM && chance(g, 30) && size <= g->par_len)
        return g->par_wram + rnd(g, g->par_len - size + 1);
    {
        uint64_t lim = mem_limit(g, mem);
        return rnd(g, lim - size + 1);
    }
}

/* ---- operands: registers holding addresses ---------------------------------------------------- */

typedef struct opnd {
    int reg;
    uint64_t addr;         /* value at the first execution */
    const region_t *from;  /* read: the recent region it came from */
} opnd_t;

/* A stream register (loop bodies): set before the outermost loop, stepped at the end of the body. */
static int new_stream(gen_t *g, uint32_t base, int64_t step)
{
    seq_t *save = g->cur;
    int r = free_reg(g, g->used);
    if (r < 0 || g->loop->nsteps == 16)
        return -1;
    g->cur = g->loop->pre;
    emit_li(g, r, base);
    g->cur = save;
    g->known &= ~(1u << r);
    g->locked |= 1u << r;
    g->used |= 1u << r;
    g->loop->steps[g->loop->nsteps].reg = r;
    g->loop->steps[g->loop->nsteps].step = step;
    g->loop->nsteps++;
    return r;
}

/* Address operand of `extent` units in mem. Writes get fresh memory (per iteration in loops). */
static int addr_opnd(gen_t *g, int mem, uint64_t extent, int write, opnd_t *o)
{
    o->from = NULL;
    if (!g->loop || (!write && chance(g, 40))) {
        if (write) {
            o->addr = ring_alloc(g, ring_of(g, mem), extent);
            if (o->addr == UINT64_MAX)
                return -1;
        } else {
            o->addr = pick_read(g, mem, extent, &o->from);
        }
        o->reg = set_reg(g, (uint32_t)o->addr);
        return o->reg < 0 ? -1 : 0;
    } else {
        uint64_t e = g->loop->execs;
        int64_t step = (int64_t)(extent + rnd(g, 8));
        uint64_t total = extent + (e - 1) * (uint64_t)step;
        if (total + 64 > (mem_limit(g, mem) - (mem == DLP_MEM_DRAM ? g->win_base : 0)) / 4)
            return -1;
        if (write || mem != DLP_MEM_DRAM)
            o->addr = ring_alloc(g, ring_of(g, mem), total);
        else
            o->addr = pick_read(g, mem, total, &o->from);
        if (!write && mem != DLP_MEM_DRAM && chance(g, 50))
            o->addr = pick_read(g, mem, total, &o->from);
        if (o->addr == UINT64_MAX)
            return -1;
        o->reg = new_stream(g, (uint32_t)o->addr, step);
        return o->reg < 0 ? -1 : 0;
    }
}

/* A register holding a constant (strides). */
static int const_reg(gen_t *g, uint64_t v)
{
    return set_reg(g, (uint32_t)v);
}

/* Registers holding the constants v[0..cnt-1], written into the register fields f[0..cnt-1] of
 * n. Every register is asked for, in order, before any is checked (the programs a seed makes
 * depend on it); -1 when the registers run out. */
static int const_regs(gen_t *g, node_t *n, const int *f, const uint64_t *v, int cnt)
{
    int r[4], bad = 0;
    for (int i = 0; i < cnt; i++) {
        r[i] = const_reg(g, v[i]);
        bad |= r[i] < 0;
    }
    if (bad)
        return -1;
    for (int i = 0; i < cnt; i++)
        setf(n, f[i], r[i]);
    return 0;
}

/* ---- checkpoints (an op that runs out of registers is withdrawn) ------------------------------ */

typedef struct ckpt {
    uint32_t cur_n, pre_n, known, pinned, locked, used, regval[16];
    int nsteps;
} ckpt_t;

static void save(gen_t *g, ckpt_t *c)
{
    c->cur_n = g->cur->n;
    c->pre_n = g->loop ? g->loop->pre->n : 0;
    c->known = g->known;
    c->pinned = g->pinned;
    c->locked = g->locked;
    c->used = g->used;
    memcpy(c->regval, g->regval, sizeof c->regval);
    c->nsteps = g->loop ? g->loop->nsteps : 0;
}

static void restore(gen_t *g, const ckpt_t *c)
{
    seq_truncate(g->cur, c->cur_n);
    if (g->loop) {
        seq_truncate(g->loop->pre, c->pre_n);
        g->loop->nsteps = c->nsteps;
    }
    g->known = c->known;
    g->pinned = c->pinned;
    g->locked = c->locked;
    g->used = c->used;
    memcpy(g->regval, c->regval, sizeof c->regval);
}

/* ---- queued instructions ---------------------------------------------------------------------- */

static int queue_of(const node_t *n)
{
    if (n->id == DLP_I_DMA)
        return getf(n, DLP_F_DSP) == DLP_MEM_DRAM ? DLP_Q_ST : DLP_Q_LD;
    if (n->id != DLP_I_MM && getf(n, DLP_F_VQ))
        return DLP_Q_VF;
    return DLP_Q_CP;
}

/* Vector and pooling instructions go to the VF queue half of the time (beside the MFU). */
static void pick_vq(gen_t *g, node_t *n)
{
    setf(n, DLP_F_VQ, chance(g, 50));
}

/* Wait on the writer of data we read (dataflow tokens); the analysis removes what cannot work. */
static void dataflow_tokens(gen_t *g, node_t *n, const opnd_t *const *reads, int nreads)
{
    int q = queue_of(n);
    for (int i = 0; i < nreads; i++) {
        const region_t *r = reads[i]->from;
        if (!r || !r->writer || r->queue == q || g->loop)
            continue;
        r->writer->sigq |= 1u << q;
        n->waitq |= 1u << r->queue;
    }
    /* some random extra dependencies */
    if (chance(g, 15))
        n->sigq |= 1u << rnd(g, DLP_NQUEUES) & ~(1u << q);
    if (chance(g, 15))
        n->waitq |= 1u << rnd(g, DLP_NQUEUES) & ~(1u << q);
}

static void finish_op(gen_t *g, node_t *n, int wmem, uint64_t waddr, uint64_t wlen)
{
    emit(g, n);
    g->pinned = 0;
    if (wmem >= 0)
        remember(g, wmem, waddr, wlen, g->loop ? NULL : n, queue_of(n));
    g->out->id_count[n->id]++;
}

static const int dma_pairs[8][2] = { /* {ssp, dsp} */
    {DLP_MEM_DRAM, DLP_MEM_NRAM}, {DLP_MEM_DRAM, DLP_MEM_WRAM}, {DLP_MEM_NRAM, DLP_MEM_DRAM},
    {DLP_MEM_WRAM, DLP_MEM_DRAM}, {DLP_MEM_NRAM, DLP_MEM_NRAM}, {DLP_MEM_NRAM, DLP_MEM_WRAM},
    {DLP_MEM_WRAM, DLP_MEM_NRAM}, {DLP_MEM_WRAM, DLP_MEM_WRAM}};

static int gen_dma(gen_t *g, int pair)
{
    int ssp = dma_pairs[pair][0], dsp = dma_pairs[pair][1];
    int big = chance(g, 8); /* many bursts: the MaxOutstanding limit, 4 KiB crossings */
    uint64_t n0 = big ? (uint64_t)rrange(g, 1000, 6000)
                      : chance(g, 20) ? (uint64_t)rrange(g, 1, 4) : (uint64_t)rrange(g, 1, 320);
    uint64_t n1 = big || chance(g, 40) ? 1 : (uint64_t)rrange(g, 1, 6);
    uint64_t n2 = big || chance(g, 60) ? 1 : (uint64_t)rrange(g, 1, 3);
    int pad = chance(g, 40);
    uint64_t pt = pad ? (uint64_t)rrange(g, 0, 2) : 0, pb = pad ? (uint64_t)rrange(g, 0, 2) : 0;
    uint64_t pl = pad ? (uint64_t)rrange(g, 0, 5) : 0, pr = pad ? (uint64_t)rrange(g, 0, 5) : 0;
    uint64_t w1 = pl + n0 + pr, h1 = pt + n1 + pb;
    uint64_t ss1 = n1 > 1 ? (chance(g, 10) ? (uint64_t)rnd(g, n0 + 1) : n0 + rnd(g, 40)) : 0;
    uint64_t ds1 = h1 > 1 ? w1 + (chance(g, 50) ? 0 : rnd(g, 40)) : 0;
    uint64_t ss2 = n2 > 1 ? (n1 - 1) * ss1 + n0 + rnd(g, 40) : 0;
    uint64_t ds2 = n2 > 1 ? (h1 - 1) * ds1 + w1 + rnd(g, 40) : 0;
    uint64_t sext = (n2 - 1) * ss2 + (n1 - 1) * ss1 + n0;
    uint64_t dext = (n2 - 1) * ds2 + (h1 - 1) * ds1 + w1;
    opnd_t s, d;
    const opnd_t *reads[1] = {&s};
    node_t *n;
    ckpt_t c;

    if (n1 > 1 && chance(g, 8))
        ss1 = 0; /* broadcast one source run */
    sext = (n2 - 1) * ss2 + (n1 - 1) * ss1 + n0;
    save(g, &c);
    if (addr_opnd(g, dsp, dext, 1, &d))
        goto fail;
    if (ssp != dsp) {
        if (addr_opnd(g, ssp, sext, 0, &s))
            goto fail;
    } else {
        /* same on-chip memory: the source box must not overlap the destination box */
        int ok = 0;
        if (!g->loop) {
            const region_t *from;
            uint64_t a = pick_read(g, ssp, sext, &from);
            if (a + sext <= d.addr || d.addr + dext <= a) {
                s.addr = a;
                s.from = from;
                s.reg = set_reg(g, (uint32_t)a);
                if (s.reg < 0)
                    goto fail;
                ok = 1;
            }
        }
        if (!ok) {
            if (addr_opnd(g, ssp, sext, 1, &s)) /* a fresh region (a stream in loops) */
                goto fail;
            s.from = NULL;
        }
    }
    n = new_insn(DLP_I_DMA);
    setf(n, DLP_F_SSP, ssp);
    setf(n, DLP_F_DSP, dsp);
    setf(n, DLP_F_RSRC, s.reg);
    setf(n, DLP_F_RDST, d.reg);
    setf(n, DLP_F_N0, (int64_t)n0);
    setf(n, DLP_F_N1, (int64_t)n1);
    setf(n, DLP_F_N2, (int64_t)n2);
    setf(n, DLP_F_PT, (int64_t)pt);
    setf(n, DLP_F_PB, (int64_t)pb);
    setf(n, DLP_F_PL, (int64_t)pl);
    setf(n, DLP_F_PR, (int64_t)pr);
    setf(n, DLP_F_PV, rrange(g, -128, 127));
    {
        const int f[] = {DLP_F_RSS1, DLP_F_RSS2, DLP_F_RDS1, DLP_F_RDS2};
        const uint64_t v[] = {ss1, ss2, ds1, ds2};
        if (const_regs(g, n, f, v, 4) < 0) {
            node_free(n);
            goto fail;
        }
    }
    dataflow_tokens(g, n, reads, 1);
    finish_op(g, n, dsp, d.addr, dext);
    g->out->dma_pairs |= 1u << (ssp * 3 + dsp);
    return 0;
fail:
    restore(g, &c);
    return -1;
}

static int gen_mm(gen_t *g)
{
    uint32_t R = g->cfg.rows, C = g->cfg.cols;
    int big = chance(g, 10); /* many rows and tiles */
    uint64_t m0 = (uint64_t)rrange(g, 1, big ? 80 : 24);
    uint64_t m1 = chance(g, 70) ? 1 : (uint64_t)rrange(g, 2, 3);
    uint64_t k = chance(g, 30) ? (uint64_t)rrange(g, 1, R)
                               : (uint64_t)rrange(g, 1, (big ? 4 : 2) * R + 5);
    uint64_t nn = chance(g, 30) ? (uint64_t)rrange(g, 1, C)
                                : (uint64_t)rrange(g, 1, (big ? 4 : 2) * C + 5);
    uint64_t M = m0 * m1;
    uint64_t s0 = chance(g, 10) ? 0 : k + rnd(g, 9);
    uint64_t s1 = m1 > 1 ? m0 * s0 + rnd(g, 20) : 0;
    uint64_t ws = nn + rnd(g, 9);
    uint64_t as = M > 1 ? nn + rnd(g, 5) : rnd(g, 3);
    uint64_t xext = (m1 - 1) * s1 + (m0 - 1) * s0 + k, wext = (k - 1) * ws + nn;
    uint64_t aext = (M - 1) * as + nn;
    opnd_t x, w, a;
    const opnd_t *reads[2] = {&x, &w};
    node_t *n;
    ckpt_t c;
    int accum = chance(g, 40);

    save(g, &c);
    if (accum && g->nrecent[DLP_MEM_ACC] && !g->loop && chance(g, 70)) {
        /* accumulate onto a recent result */
        const region_t *r = &g->recent[DLP_MEM_ACC][rnd(g, (uint64_t)g->nrecent[DLP_MEM_ACC])];
        if (r->addr + aext <= g->acc.hi) {
            a.addr = r->addr;
            a.reg = set_reg(g, (uint32_t)a.addr);
            a.from = NULL;
            if (a.reg < 0)
                goto fail;
        } else if (addr_opnd(g, DLP_MEM_ACC, aext, 1, &a)) {
            goto fail;
        }
    } else if (addr_opnd(g, DLP_MEM_ACC, aext, 1, &a)) {
        goto fail;
    }
    if (addr_opnd(g, DLP_MEM_NRAM, xext, 0, &x) || addr_opnd(g, DLP_MEM_WRAM, wext, 0, &w))
        goto fail;
    n = new_insn(DLP_I_MM);
    setf(n, DLP_F_RACC, a.reg);
    setf(n, DLP_F_RIN, x.reg);
    setf(n, DLP_F_RW, w.reg);
    setf(n, DLP_F_M0, (int64_t)m0);
    setf(n, DLP_F_M1, (int64_t)m1);
    setf(n, DLP_F_KDIM, (int64_t)k);
    setf(n, DLP_F_NDIM, (int64_t)nn);
    setf(n, DLP_F_ACCUM, accum);
    {
        const int f[] = {DLP_F_RINS0, DLP_F_RINS1, DLP_F_RWS, DLP_F_RACS};
        const uint64_t v[] = {s0, s1, ws, as};
        if (const_regs(g, n, f, v, 4) < 0) {
            node_free(n);
            goto fail;
        }
    }
    dataflow_tokens(g, n, reads, 2);
    finish_op(g, n, DLP_MEM_ACC, a.addr, aext);
    return 0;
fail:
    restore(g, &c);
    return -1;
}

/* vrq, vadd, vmax, vmin, vclamp, vlut */
static int gen_vec(gen_t *g, int id)
{
    uint32_t V = g->cfg.vlanes;
    uint64_t rows = chance(g, 30) ? 1 : (uint64_t)rrange(g, 1, 8);
    uint64_t cols = chance(g, 30) ? (uint64_t)rrange(g, 1, V) : (uint64_t)rrange(g, 1, 3 * V + 7);
    int two = id == DLP_I_VADD || id == DLP_I_VMAX || id == DLP_I_VMIN;
    int amem = id == DLP_I_VRQ ? DLP_MEM_ACC : DLP_MEM_NRAM;
    uint64_t sd = rows > 1 ? cols + rnd(g, 12) : rnd(g, 4);
    uint64_t sa = rows > 1 ? (chance(g, 10) ? 0 : cols + rnd(g, 12)) : rnd(g, 4);
    uint64_t sb = rows > 1 ? cols + rnd(g, 12) : rnd(g, 4);
    uint64_t dext = (rows - 1) * sd + cols, aext = (rows - 1) * sa + cols;
    uint64_t bext = (rows - 1) * sb + cols;
    int inplace = id != DLP_I_VRQ && !g->loop && chance(g, 15);
    opnd_t d, a, b = {0, 0, NULL};
    const opnd_t *reads[2] = {&a, &b};
    node_t *n;
    ckpt_t c;
    uint64_t p = 0;

    save(g, &c);
    if (inplace) {
        sa = sd;
        aext = dext;
        if (addr_opnd(g, DLP_MEM_NRAM, dext, 1, &d))
            goto fail;
        a = d;
        a.from = NULL;
    } else if (addr_opnd(g, DLP_MEM_NRAM, dext, 1, &d) || addr_opnd(g, amem, aext, 0, &a)) {
        goto fail;
    }
    if (two && addr_opnd(g, DLP_MEM_NRAM, bext, 0, &b))
        goto fail;
    /* a source may not partly overlap the destination: move it if it does */
    if (!inplace && amem == DLP_MEM_NRAM && a.addr < d.addr + dext && d.addr < a.addr + aext)
        goto fail;
    if (two && b.addr < d.addr + dext && d.addr < b.addr + bext)
        goto fail;
    if (g->loop && (a.addr < d.addr + dext * g->loop->execs * 2 &&
                    d.addr < a.addr + aext * g->loop->execs * 2) && amem == DLP_MEM_NRAM)
        goto fail;
    if (g->loop && two && b.addr < d.addr + dext * g->loop->execs * 2 &&
        d.addr < b.addr + bext * g->loop->execs * 2)
        goto fail;
    n = new_insn(id);
    pick_vq(g, n);
    setf(n, DLP_F_VD, d.reg);
    setf(n, DLP_F_VA, a.reg);
    setf(n, DLP_F_ROWS, (int64_t)rows);
    setf(n, DLP_F_COLS, (int64_t)cols);
    if (two)
        setf(n, DLP_F_VB, b.reg);
    switch (id) {
    case DLP_I_VRQ: {
        int64_t lo = rrange(g, -128, 60), hi = rrange(g, lo, 127);
        p = g->par_wram + g->vrq_off + 12 * rnd(g, 256 - cols + 1);
        if (chance(g, 15))
            p = pick_read(g, DLP_MEM_WRAM, 12 * cols, &(const region_t *){NULL});
        setf(n, DLP_F_I0, rrange(g, -128, 127));
        setf(n, DLP_F_I1, lo);
        setf(n, DLP_F_I2, hi);
        break;
    }
    case DLP_I_VADD:
        p = g->par_wram + g->vadd_off + 48 * rnd(g, 4);
        break;
    case DLP_I_VLUT:
        p = g->par_wram + g->lut_off + 256 * rnd(g, 2);
        break;
    case DLP_I_VCLAMP: {
        int64_t lo = rrange(g, -128, 127), hi = rrange(g, lo, 127);
        setf(n, DLP_F_I0, lo);
        setf(n, DLP_F_I1, hi);
        break;
    }
    default:
        break;
    }
    if (id == DLP_I_VRQ || id == DLP_I_VADD || id == DLP_I_VLUT) {
        int r = const_reg(g, p);
        if (r < 0) {
            node_free(n);
            goto fail;
        }
        setf(n, DLP_F_VP, r);
    }
    {
        const int f[] = {DLP_F_VSD, DLP_F_VSA, DLP_F_VSB};
        const uint64_t v[] = {sd, sa, sb};
        if (const_regs(g, n, f, v, two ? 3 : 2) < 0) {
            node_free(n);
            goto fail;
        }
    }
    dataflow_tokens(g, n, reads, two ? 2 : 1);
    finish_op(g, n, DLP_MEM_NRAM, d.addr, dext);
    return 0;
fail:
    restore(g, &c);
    return -1;
}

static int gen_pool(gen_t *g, int id)
{
    uint32_t V = g->cfg.vlanes;
    uint64_t ch = chance(g, 40) ? (uint64_t)rrange(g, 1, V) : (uint64_t)rrange(g, 1, 2 * V + 5);
    uint64_t kh = (uint64_t)rrange(g, 1, 3), kw = (uint64_t)rrange(g, 1, 3);
    uint64_t sh = (uint64_t)rrange(g, 1, 2), sw = (uint64_t)rrange(g, 1, 2);
    uint64_t ih = (uint64_t)rrange(g, 1, 7), iw = (uint64_t)rrange(g, 1, 7);
    uint64_t ppt = rnd(g, kh), ppl = rnd(g, kw);
    uint64_t ohmax = (ih - 1 + ppt) / sh + 1, owmax = (iw - 1 + ppl) / sw + 1;
    uint64_t oh = (uint64_t)rrange(g, 1, (int64_t)(ohmax < 5 ? ohmax : 5));
    uint64_t ow = (uint64_t)rrange(g, 1, (int64_t)(owmax < 5 ? owmax : 5));
    uint64_t spa = ch + rnd(g, 4), sra = iw * spa + rnd(g, 8);
    uint64_t spd = ch + rnd(g, 4), srd = ow * spd + rnd(g, 8);
    uint64_t sext = (ih - 1) * sra + (iw - 1) * spa + ch, dext = (oh - 1) * srd + (ow - 1) * spd + ch;
    opnd_t s, d;
    const opnd_t *reads[1] = {&s};
    node_t *n;
    ckpt_t c;

    save(g, &c);
    if (addr_opnd(g, DLP_MEM_NRAM, dext, 1, &d) || addr_opnd(g, DLP_MEM_NRAM, sext, 0, &s))
        goto fail;
    if (s.addr < d.addr + dext * (g->loop ? g->loop->execs * 2 : 1) &&
        d.addr < s.addr + sext * (g->loop ? g->loop->execs * 2 : 1))
        goto fail;
    n = new_insn(id);
    pick_vq(g, n);
    setf(n, DLP_F_PD, d.reg);
    setf(n, DLP_F_PA, s.reg);
    setf(n, DLP_F_CH, (int64_t)ch);
    setf(n, DLP_F_OH, (int64_t)oh);
    setf(n, DLP_F_OW, (int64_t)ow);
    setf(n, DLP_F_KH, (int64_t)kh);
    setf(n, DLP_F_KW, (int64_t)kw);
    setf(n, DLP_F_SH, (int64_t)sh);
    setf(n, DLP_F_SW, (int64_t)sw);
    setf(n, DLP_F_PPT, (int64_t)ppt);
    setf(n, DLP_F_PPL, (int64_t)ppl);
    setf(n, DLP_F_IH, (int64_t)ih);
    setf(n, DLP_F_IW, (int64_t)iw);
    {
        const int f[] = {DLP_F_PSPA, DLP_F_PSRA, DLP_F_PSPD, DLP_F_PSRD};
        const uint64_t v[] = {spa, sra, spd, srd};
        if (const_regs(g, n, f, v, 4) < 0) {
            node_free(n);
            goto fail;
        }
    }
    dataflow_tokens(g, n, reads, 1);
    finish_op(g, n, DLP_MEM_NRAM, d.addr, dext);
    return 0;
fail:
    restore(g, &c);
    return -1;
}

/* One random queued instruction of any class; weights favour the data movers. */
static int gen_random_op(gen_t *g)
{
    for (int tries = 0; tries < 6 && !g->failed; tries++) {
        int k = (int)rnd(g, 20), rc;
        if (k < 7)
            rc = gen_dma(g, (int)rnd(g, 8));
        else if (k < 10)
            rc = gen_mm(g);
        else if (k < 17)
            rc = gen_vec(g, DLP_I_VRQ + (int)rnd(g, 6));
        else
            rc = gen_pool(g, rnd(g, 2) ? DLP_I_VMAXPOOL : DLP_I_VAVGPOOL);
        if (rc == 0)
            return 0;
    }
    return -1;
}

/* Scalar instructions whose results only show in the register trace. */
static void gen_scalar_noise(gen_t *g, int count)
{
    for (int i = 0; i < count; i++) {
        int rd = free_reg(g, 0), rs = (int)rnd(g, 16), rt = (int)rnd(g, 16);
        static const int ids[] = {DLP_I_LI, DLP_I_ADDI, DLP_I_ADD, DLP_I_SUB, DLP_I_MUL,
                                  DLP_I_MULI, DLP_I_SLLI, DLP_I_SRLI, DLP_I_NOP};
        int id = ids[rnd(g, 9)];
        if (rd < 0)
            return;
        if (chance(g, 5))
            rd = 0; /* writes to r0 are ignored */
        switch (id) {
        case DLP_I_LI:
            emit_li(g, rd, (uint32_t)next64(&g->rng));
            break;
        case DLP_I_ADDI:
        case DLP_I_MULI:
            emit_rri(g, id, rd, rs, (int32_t)next64(&g->rng));
            break;
        case DLP_I_SLLI:
        case DLP_I_SRLI:
            emit_rri(g, id, rd, rs, rrange(g, 0, 31));
            break;
        case DLP_I_NOP:
            emit(g, new_insn(DLP_I_NOP));
            break;
        default:
            emit_rrr(g, id, rd, rs, rt);
            break;
        }
        if (id != DLP_I_NOP)
            g->out->id_count[id]++;
        else
            g->out->id_count[DLP_I_NOP]++;
        if (id != DLP_I_LI && id != DLP_I_NOP) {
            g->known &= ~(1u << rd);
            note_reg_use(g, rd);
        }
    }
}

/* ---- loops ------------------------------------------------------------------------------------ */

static void close_body(gen_t *g)
{
    for (int i = 0; i < g->loop->nsteps; i++)
        emit_rri(g, DLP_I_ADDI, g->loop->steps[i].reg, g->loop->steps[i].reg,
                 g->loop->steps[i].step);
}

static int loop_count(gen_t *g)
{
    if (chance(g, 12))
        return 0;
    return (int)rrange(g, 1, 3);
}

/* Pipeline body: LD into a stream buffer, a CP op on it, ST of the result, chained by tokens. */
static int gen_pipeline_body(gen_t *g)
{
    uint32_t V = g->cfg.vlanes;
    uint64_t rows = (uint64_t)rrange(g, 1, 4), cols = (uint64_t)rrange(g, 1, 2 * V + 3);
    uint64_t sz = rows * cols, e = g->loop->execs;
    uint64_t xin = g->in_base + rnd(g, g->in_len > sz * e + 16 ? g->in_len - sz * e - 16 : 1);
    uint64_t xbuf = ring_alloc(g, &g->nram, sz * e + 16), ybuf = ring_alloc(g, &g->nram, sz * e + 16);
    uint64_t out = ring_alloc(g, &g->dout, sz * e + 16);
    int rin, rx, ry, ro;
    if (xbuf == UINT64_MAX || ybuf == UINT64_MAX || out == UINT64_MAX || sz * e + 64 > g->in_len)
        return -1;
    rin = new_stream(g, (uint32_t)xin, (int64_t)sz);
    rx = new_stream(g, (uint32_t)xbuf, (int64_t)sz);
    ry = new_stream(g, (uint32_t)ybuf, (int64_t)sz);
    ro = new_stream(g, (uint32_t)out, (int64_t)sz);
    static const int ops[] = {DLP_I_VCLAMP, DLP_I_VLUT, DLP_I_VMAX, DLP_I_VMIN, DLP_I_VADD};
    int id = ops[rnd(g, 5)];
    node_t *n, *dma_in;
    int vq;
    if (rin < 0 || rx < 0 || ry < 0 || ro < 0)
        return -1;
    n = new_insn(DLP_I_DMA);
    setf(n, DLP_F_SSP, DLP_MEM_DRAM);
    setf(n, DLP_F_DSP, DLP_MEM_NRAM);
    setf(n, DLP_F_RSRC, rin);
    setf(n, DLP_F_RDST, rx);
    setf(n, DLP_F_N0, (int64_t)sz);
    setf(n, DLP_F_N1, 1);
    setf(n, DLP_F_N2, 1);
    finish_op(g, n, -1, 0, 0);
    dma_in = n;
    n = new_insn(id);
    pick_vq(g, n);
    dma_in->sigq = 1u << queue_of(n);
    setf(n, DLP_F_VD, ry);
    setf(n, DLP_F_VA, rx);
    setf(n, DLP_F_VB, rx); /* vmax/vmin/vadd of the buffer with itself */
    setf(n, DLP_F_ROWS, (int64_t)rows);
    setf(n, DLP_F_COLS, (int64_t)cols);
    if (id == DLP_I_VCLAMP) {
        setf(n, DLP_F_I0, -20);
        setf(n, DLP_F_I1, 90);
    } else if (id == DLP_I_VLUT || id == DLP_I_VADD) {
        int rp = const_reg(g, g->par_wram + (id == DLP_I_VLUT ? g->lut_off : g->vadd_off));
        if (rp < 0) {
            node_free(n);
            return -1;
        }
        setf(n, DLP_F_VP, rp);
    }
    {
        int rs = const_reg(g, cols);
        if (rs < 0) {
            node_free(n);
            return -1;
        }
        setf(n, DLP_F_VSD, rs);
        setf(n, DLP_F_VSA, rs);
        setf(n, DLP_F_VSB, rs);
    }
    if (id != DLP_I_VADD && id != DLP_I_VMAX && id != DLP_I_VMIN) {
        setf(n, DLP_F_VB, 0);
        setf(n, DLP_F_VSB, 0);
    }
    n->waitq = 1u << DLP_Q_LD;
    n->sigq = 1u << DLP_Q_ST;
    vq = queue_of(n);
    finish_op(g, n, -1, 0, 0);
    n = new_insn(DLP_I_DMA);
    setf(n, DLP_F_SSP, DLP_MEM_NRAM);
    setf(n, DLP_F_DSP, DLP_MEM_DRAM);
    setf(n, DLP_F_RSRC, ry);
    setf(n, DLP_F_RDST, ro);
    setf(n, DLP_F_N0, (int64_t)sz);
    setf(n, DLP_F_N1, 1);
    setf(n, DLP_F_N2, 1);
    n->waitq = 1u << vq;
    finish_op(g, n, -1, 0, 0);
    g->out->dma_pairs |= 1u << (DLP_MEM_DRAM * 3 + DLP_MEM_NRAM) | 1u << (DLP_MEM_NRAM * 3);
    return 0;
}

static int gen_body(gen_t *g, int kind);

/* A loop (and, through gen_body, nested ones). kind: 0 pipeline, 1 random ops, 2 nested,
   3 scalar only. */
static int gen_loop_at(gen_t *g, int kind)
{
    int count = loop_count(g), use_reg = chance(g, 35), creg = -1;
    loopctx_t ctx, *outer = g->loop;
    seq_t pre_local = {0};
    node_t *ln;
    seq_t *save_cur = g->cur;
    int rc;

    memset(&ctx, 0, sizeof ctx);
    if (!outer) {
        ctx.pre = &pre_local;
        ctx.execs = count ? (uint64_t)count : 1;
        g->used = 0;
        g->locked = 0;
    } else {
        ctx.pre = outer->pre;
        ctx.execs = outer->execs * (count ? (uint64_t)count : 1);
    }
    if (use_reg) {
        seq_t *s = g->cur;
        g->loop = &ctx;
        creg = free_reg(g, g->used);
        if (creg < 0) {
            g->loop = outer;
            use_reg = 0;
        } else {
            g->cur = ctx.pre;
            emit_li(g, creg, (uint32_t)count);
            g->cur = s;
            g->locked |= 1u << creg;
            g->used |= 1u << creg;
        }
    }
    ln = new_insn(use_reg ? DLP_I_LOOPR : DLP_I_LOOP);
    ln->is_loop = 1;
    if (use_reg)
        setf(ln, DLP_F_RS1, creg);
    else
        setf(ln, DLP_F_IMM32, count);
    g->out->id_count[ln->id]++;
    g->out->id_count[DLP_I_ENDLOOP]++;
    if (!count)
        g->out->loops_zero++;
    if (use_reg)
        g->out->loops_reg++;
    if (outer)
        g->out->loops_nested++;
    g->loop = &ctx;
    g->depth++;
    g->cur = &ln->body;
    g->known &= g->locked; /* inside the body only values set in the body itself are known */
    g->known = 0;
    rc = gen_body(g, kind);
    close_body(g);
    g->depth--;
    g->cur = save_cur;
    g->loop = outer;
    if (!outer) {
        /* stream set-up, then the loop */
        for (uint32_t i = 0; i < pre_local.n; i++)
            seq_push(g->cur, pre_local.v[i]);
        free(pre_local.v);
        g->locked = 0;
        g->used = 0;
    }
    seq_push(g->cur, ln);
    g->known = 0; /* registers stepped or clobbered in the loop */
    g->pinned = 0;
    return rc;
}

static int gen_body(gen_t *g, int kind)
{
    switch (kind) {
    case 0:
        if (gen_pipeline_body(g))
            return -1;
        if (chance(g, 50))
            gen_scalar_noise(g, 1);
        return 0;
    case 1: {
        int nops = (int)rrange(g, 1, 3), ok = 0;
        for (int i = 0; i < nops; i++) {
            if (gen_random_op(g) == 0)
                ok++;
            if (chance(g, 30))
                gen_scalar_noise(g, 1);
        }
        return ok ? 0 : -1;
    }
    case 2:
        if (chance(g, 50))
            gen_random_op(g);
        if (g->depth < g->max_nest)
            gen_loop_at(g, rnd(g, 3) == 0 ? 0 : rnd(g, 2) ? 1 : 3);
        else
            gen_random_op(g);
        if (chance(g, 40))
            gen_scalar_noise(g, 1);
        return 0;
    default:
        gen_scalar_noise(g, (int)rrange(g, 1, 4));
        return 0;
    }
}

/* ---- analysis: dynamic instances, footprints, happens-before ---------------------------------- */

typedef struct box {
    int mem, write;
    uint64_t lo, hi;
} box_t;

typedef struct dyn {
    node_t *n;
    int q;
    uint32_t pos;
    uint32_t before[DLP_NQUEUES];
    box_t b[MAX_BOX];
    int nb;
} dyn_t;

enum { V_NONE, V_RACE, V_NOTOKEN, V_OVERFLOW, V_BUG };

typedef struct an {
    gen_t *g;
    uint32_t regs[16];
    uint32_t count[DLP_NQUEUES], syncvc[DLP_NQUEUES];
    int last[DLP_NQUEUES]; /* last dynamic instance of each queue, -1 */
    dyn_t *d;
    uint32_t nd;
    int *sig[DLP_NQUEUES][DLP_NQUEUES];
    uint32_t nsig[DLP_NQUEUES][DLP_NQUEUES], capsig[DLP_NQUEUES][DLP_NQUEUES];
    uint32_t nwait[DLP_NQUEUES][DLP_NQUEUES];
    int kind;
    node_t *vn;
    int vbit;
    int depth;
    uint32_t tokens_used;
} an_t;

static uint64_t span(uint64_t base, uint64_t len, uint64_t c1, uint64_t s1, uint64_t c2, uint64_t s2)
{
    return base + (c1 - 1) * s1 + (c2 - 1) * s2 + len - 1;
}

static void addbox(dyn_t *d, int mem, int write, uint64_t lo, uint64_t hi)
{
    d->b[d->nb].mem = mem;
    d->b[d->nb].write = write;
    d->b[d->nb].lo = lo;
    d->b[d->nb].hi = hi;
    d->nb++;
}

static void footprint(an_t *a, const node_t *n, dyn_t *d)
{
    dlp_insn_t in;
    char msg[64];
    const uint32_t *rv = a->regs;
#define RV(f) ((uint64_t)rv[DLP_F(&in, f) & 15])
    dlp_decode(n->w, &in, msg, sizeof msg);
    d->nb = 0;
    switch (in.id) {
    case DLP_I_DMA: {
        uint64_t n0 = (uint64_t)DLP_F(&in, N0), n1 = (uint64_t)DLP_F(&in, N1),
                 n2 = (uint64_t)DLP_F(&in, N2);
        uint64_t h1 = (uint64_t)(DLP_F(&in, PT) + DLP_F(&in, PB)) + n1;
        uint64_t w1 = (uint64_t)(DLP_F(&in, PL) + DLP_F(&in, PR)) + n0;
        addbox(d, (int)DLP_F(&in, SSP), 0, RV(RSRC), span(RV(RSRC), n0, n1, RV(RSS1), n2, RV(RSS2)));
        addbox(d, (int)DLP_F(&in, DSP), 1, RV(RDST), span(RV(RDST), w1, h1, RV(RDS1), n2, RV(RDS2)));
        break;
    }
    case DLP_I_MM: {
        uint64_t m0 = (uint64_t)DLP_F(&in, M0), m1 = (uint64_t)DLP_F(&in, M1);
        uint64_t k = (uint64_t)DLP_F(&in, KDIM), nn = (uint64_t)DLP_F(&in, NDIM);
        addbox(d, DLP_MEM_NRAM, 0, RV(RIN), span(RV(RIN), k, m0, RV(RINS0), m1, RV(RINS1)));
        addbox(d, DLP_MEM_WRAM, 0, RV(RW), span(RV(RW), nn, k, RV(RWS), 1, 0));
        addbox(d, DLP_MEM_ACC, 1, RV(RACC), span(RV(RACC), nn, m0 * m1, RV(RACS), 1, 0));
        break;
    }
    case DLP_I_VMAXPOOL:
    case DLP_I_VAVGPOOL: {
        uint64_t ch = (uint64_t)DLP_F(&in, CH);
        addbox(d, DLP_MEM_NRAM, 0, RV(PA),
               span(RV(PA), ch, (uint64_t)DLP_F(&in, IH), RV(PSRA), (uint64_t)DLP_F(&in, IW), RV(PSPA)));
        addbox(d, DLP_MEM_NRAM, 1, RV(PD),
               span(RV(PD), ch, (uint64_t)DLP_F(&in, OH), RV(PSRD), (uint64_t)DLP_F(&in, OW), RV(PSPD)));
        break;
    }
    default: {
        uint64_t rows = (uint64_t)DLP_F(&in, ROWS), cols = (uint64_t)DLP_F(&in, COLS);
        int two = in.id == DLP_I_VADD || in.id == DLP_I_VMAX || in.id == DLP_I_VMIN;
        addbox(d, in.id == DLP_I_VRQ ? DLP_MEM_ACC : DLP_MEM_NRAM, 0, RV(VA),
               span(RV(VA), cols, rows, RV(VSA), 1, 0));
        if (two)
            addbox(d, DLP_MEM_NRAM, 0, RV(VB), span(RV(VB), cols, rows, RV(VSB), 1, 0));
        if (in.id == DLP_I_VRQ || in.id == DLP_I_VADD || in.id == DLP_I_VLUT)
            addbox(d, DLP_MEM_WRAM, 0, RV(VP),
                   RV(VP) + (in.id == DLP_I_VRQ ? 12 * cols : in.id == DLP_I_VADD ? 48 : 256) - 1);
        addbox(d, DLP_MEM_NRAM, 1, RV(VD), span(RV(VD), cols, rows, RV(VSD), 1, 0));
        break;
    }
    }
#undef RV
}

static int conflict(const dyn_t *a, const dyn_t *b)
{
    for (int i = 0; i < a->nb; i++)
        for (int j = 0; j < b->nb; j++) {
            const box_t *x = &a->b[i], *y = &b->b[j];
            if (x->mem == y->mem && (x->write || y->write) && x->lo <= y->hi && y->lo <= x->hi)
                return 1;
        }
    return 0;
}

static int violate(an_t *a, int kind, node_t *n, int bit)
{
    a->kind = kind;
    a->vn = n;
    a->vbit = bit;
    return -1;
}

static int an_queued(an_t *a, node_t *n)
{
    gen_t *g = a->g;
    dyn_t *d;
    int q = queue_of(n);
    unsigned wait = n->waitq, sig = n->sigq;
    if (a->nd == MAX_DYN)
        return violate(a, V_BUG, n, -1);
    d = &a->d[a->nd];
    memset(d, 0, sizeof *d);
    d->n = n;
    d->q = q;
    d->pos = a->count[q];
    memcpy(d->before, a->syncvc, sizeof d->before);
    if (a->last[q] >= 0) {
        const dyn_t *p = &a->d[a->last[q]];
        for (int i = 0; i < DLP_NQUEUES; i++)
            if (p->before[i] > d->before[i])
                d->before[i] = p->before[i];
        if (p->pos + 1 > d->before[q])
            d->before[q] = p->pos + 1;
    }
    for (int p = 0; p < DLP_NQUEUES; p++) {
        const dyn_t *s;
        if (!(wait >> p & 1))
            continue;
        if (a->nwait[p][q] >= a->nsig[p][q])
            return violate(a, V_NOTOKEN, n, p);
        s = &a->d[a->sig[p][q][a->nwait[p][q]++]];
        a->tokens_used++;
        for (int i = 0; i < DLP_NQUEUES; i++)
            if (s->before[i] > d->before[i])
                d->before[i] = s->before[i];
        if (s->pos + 1 > d->before[p])
            d->before[p] = s->pos + 1;
    }
    footprint(a, n, d);
    for (int i = 0; i < d->nb; i++) {
        const box_t *b = &d->b[i];
        uint64_t lim = mem_limit(g, b->mem);
        if (b->hi >= lim || (b->mem == DLP_MEM_DRAM && b->lo < g->win_base)) {
            fail(g, "internal: generated operand %s 0x%llx..0x%llx out of range",
                 dlp_mem_name(b->mem), (unsigned long long)b->lo, (unsigned long long)b->hi);
            return violate(a, V_BUG, n, -1);
        }
    }
    for (uint32_t i = 0; i < a->nd; i++) {
        const dyn_t *o = &a->d[i];
        if (o->q == q || d->before[o->q] > o->pos)
            continue;
        if (conflict(o, d))
            return violate(a, V_RACE, n, -1);
    }
    for (int t = 0; t < DLP_NQUEUES; t++) {
        int *nv;
        if (!(sig >> t & 1))
            continue;
        /* the channel's runtime count stays below token_max: see randprog.h */
        if (a->nsig[q][t] - a->nwait[q][t] + 1 + g->cfg.queue_depth + 1 > g->cfg.token_max ||
            a->nsig[q][t] - a->nwait[q][t] >= 2)
            return violate(a, V_OVERFLOW, n, t);
        if (a->nsig[q][t] == a->capsig[q][t]) {
            a->capsig[q][t] = a->capsig[q][t] ? 2 * a->capsig[q][t] : 16;
            nv = realloc(a->sig[q][t], a->capsig[q][t] * sizeof *nv);
            if (!nv)
                abort();
            a->sig[q][t] = nv;
        }
        a->sig[q][t][a->nsig[q][t]++] = (int)a->nd;
    }
    a->last[q] = (int)a->nd;
    a->count[q]++;
    a->nd++;
    return 0;
}

static int an_seq(an_t *a, const seq_t *s)
{
    for (uint32_t i = 0; i < s->n; i++) {
        node_t *n = s->v[i];
        uint32_t *r = a->regs;
        int rd = (int)getf(n, DLP_F_RD) & 15, rs = (int)getf(n, DLP_F_RS1) & 15,
            rt = (int)getf(n, DLP_F_RS2) & 15;
        uint32_t imm = (uint32_t)getf(n, DLP_F_IMM32);
        if (n->sync_before)
            memcpy(a->syncvc, a->count, sizeof a->syncvc);
        if (n->is_loop) {
            uint32_t cnt = n->id == DLP_I_LOOPR ? r[rs] : imm;
            for (uint32_t k = 0; k < cnt; k++)
                if (an_seq(a, &n->body))
                    return -1;
            continue;
        }
        switch (n->id) {
        case DLP_I_LI:
            r[rd] = imm;
            break;
        case DLP_I_ADDI:
            r[rd] = r[rs] + imm;
            break;
        case DLP_I_ADD:
            r[rd] = r[rs] + r[rt];
            break;
        case DLP_I_SUB:
            r[rd] = r[rs] - r[rt];
            break;
        case DLP_I_MUL:
            r[rd] = r[rs] * r[rt];
            break;
        case DLP_I_MULI:
            r[rd] = r[rs] * imm;
            break;
        case DLP_I_SLLI:
            r[rd] = r[rs] << (imm & 31);
            break;
        case DLP_I_SRLI:
            r[rd] = r[rs] >> (imm & 31);
            break;
        case DLP_I_SYNC:
            memcpy(a->syncvc, a->count, sizeof a->syncvc);
            break;
        case DLP_I_NOP:
        case DLP_I_HALT:
            break;
        default:
            if (an_queued(a, n))
                return -1;
            break;
        }
        r[0] = 0;
    }
    return 0;
}

static void an_free(an_t *a)
{
    for (int i = 0; i < DLP_NQUEUES; i++)
        for (int j = 0; j < DLP_NQUEUES; j++)
            free(a->sig[i][j]);
    free(a->d);
}

/* Runs the analysis; returns V_NONE or the first violation (in a->vn, a->vbit). */
static int analyze(gen_t *g, an_t *a)
{
    memset(a, 0, sizeof *a);
    a->g = g;
    for (int q = 0; q < DLP_NQUEUES; q++)
        a->last[q] = -1;
    a->d = malloc(MAX_DYN * sizeof *a->d);
    if (!a->d)
        abort();
    if (an_seq(a, &g->top) == 0)
        a->kind = V_NONE;
    return a->kind;
}

/* Analyse and repair until the program is clean. Returns -1 on an internal failure. */
static int settle(gen_t *g)
{
    for (int round = 0; round < 20000; round++) {
        an_t a;
        int k = analyze(g, &a);
        node_t *n = a.vn;
        int bit = a.vbit;
        g->out->dyn_queued = a.nd;
        g->out->tokens_used = a.tokens_used;
        an_free(&a);
        switch (k) {
        case V_NONE:
            return 0;
        case V_RACE:
            if (n->sync_before) {
                fail(g, "internal: race remains after a sync");
                return -1;
            }
            n->sync_before = 1;
            g->out->syncs_added++;
            break;
        case V_NOTOKEN:
            n->waitq &= ~(1u << bit);
            g->out->waits_removed++;
            break;
        case V_OVERFLOW:
            n->sigq &= ~(1u << bit);
            g->out->signals_removed++;
            break;
        default:
            if (!g->failed)
                fail(g, "internal: program too long to analyse");
            return -1;
        }
    }
    fail(g, "internal: repair did not converge");
    return -1;
}

/* ---- flattening ------------------------------------------------------------------------------- */

typedef struct wbuf {
    uint32_t *w;
    uint32_t n, cap;
} wbuf_t;

static void put(wbuf_t *b, const uint32_t w[4])
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        b->w = realloc(b->w, (size_t)b->cap * 16);
        if (!b->w)
            abort();
    }
    memcpy(b->w + 4 * (size_t)b->n, w, 16);
    b->n++;
}

static void flatten(const seq_t *s, wbuf_t *b, uint32_t *id_count)
{
    for (uint32_t i = 0; i < s->n; i++) {
        const node_t *n = s->v[i];
        if (n->sync_before) {
            uint32_t w[4] = {DLP_OP_SYNC, 0, 0, 0};
            put(b, w);
            id_count[DLP_I_SYNC]++;
        }
        if (n->is_loop) {
            uint32_t at = b->n, w[4];
            uint32_t e[4] = {DLP_OP_ENDLOOP, 0, 0, 0};
            memcpy(w, n->w, 16);
            put(b, w);
            flatten(&n->body, b, id_count);
            dlp_field_set_raw(b->w + 4 * (size_t)at, DLP_F_LBODY, b->n - at - 1);
            put(b, e);
        } else {
            uint32_t w[4];
            memcpy(w, n->w, 16);
            if (n->id >= 0 && dlp_insn_info[n->id].qclass != DLP_QC_FE) {
                int q = queue_of(n);
                dlp_field_set_raw(w, DLP_F_WAIT, dlp_mask_from_queues(n->waitq, q));
                dlp_field_set_raw(w, DLP_F_SIGNAL, dlp_mask_from_queues(n->sigq, q));
            }
            put(b, w);
        }
    }
}

/* ---- data ------------------------------------------------------------------------------------- */

static void add_region(dlp_randprog_t *p, uint64_t addr, uint32_t len, uint8_t *data)
{
    dlp_randprog_region_t *r = realloc(p->init, (p->n_init + 1) * sizeof *r);
    if (!r)
        abort();
    p->init = r;
    r[p->n_init].addr = addr;
    r[p->n_init].len = len;
    r[p->n_init].data = data;
    p->n_init++;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Parameter block: 256 vrq channels (bias, multiplier, shift), 4 vadd blocks, 2 LUTs. */
static uint8_t *make_params(gen_t *g)
{
    uint8_t *p = calloc(1, g->par_len);
    if (!p)
        abort();
    for (int c = 0; c < 256; c++) {
        uint8_t *q = p + g->vrq_off + 12 * (uint64_t)c;
        put32(q, (uint32_t)rrange(g, -2000, 2000));
        put32(q + 4, chance(g, 90) ? (uint32_t)rrange(g, 1 << 30, 0x7fffffff) : (uint32_t)next64(&g->rng));
        put32(q + 8, chance(g, 90) ? (uint32_t)rrange(g, -12, 1) : (uint32_t)rrange(g, -40, 40));
    }
    for (int b = 0; b < 4; b++) {
        uint8_t *q = p + g->vadd_off + 48 * (uint64_t)b;
        int32_t amin = (int32_t)rrange(g, -128, 0);
        int32_t v[12] = {(int32_t)rrange(g, -128, 127), (int32_t)rrange(g, 1 << 30, 0x7fffffff),
                         (int32_t)rrange(g, -5, 0), (int32_t)rrange(g, -128, 127),
                         (int32_t)rrange(g, 1 << 30, 0x7fffffff), (int32_t)rrange(g, -5, 0),
                         (int32_t)rrange(g, 1 << 30, 0x7fffffff), (int32_t)rrange(g, -20, -14),
                         (int32_t)rrange(g, -128, 127), amin, (int32_t)rrange(g, amin, 127),
                         b == 3 ? (int32_t)rrange(g, 0, 31) : 20};
        for (int i = 0; i < 12; i++)
            put32(q + 4 * i, (uint32_t)v[i]);
    }
    for (int i = 0; i < 512; i++)
        p[g->lut_off + (uint64_t)i] = (uint8_t)next64(&g->rng);
    return p;
}

/* ---- top level -------------------------------------------------------------------------------- */

void dlp_randprog_free(dlp_randprog_t *p)
{
    if (!p)
        return;
    free(p->words);
    for (uint32_t i = 0; i < p->n_init; i++)
        free(p->init[i].data);
    free(p->init);
    memset(p, 0, sizeof *p);
}

static void emit_prologue(gen_t *g)
{
    /* parameters into WRAM, random data into parts of NRAM and WRAM */
    node_t *n;
    int rd, rs;
    struct { int dsp; uint64_t dst, len; } loads[3] = {
        {DLP_MEM_WRAM, g->par_wram, g->par_len},
        {DLP_MEM_NRAM, 0, 0},
        {DLP_MEM_WRAM, 0, 0}};
    loads[1].len = (uint64_t)rrange(g, 2048, 8192);
    loads[1].dst = ring_alloc(g, &g->nram, loads[1].len);
    loads[2].len = (uint64_t)rrange(g, 2048, 8192);
    loads[2].dst = ring_alloc(g, &g->wram, loads[2].len);
    for (int i = 0; i < 3; i++) {
        uint64_t src = i == 0 ? g->par_dram : g->in_base + rnd(g, g->in_len - loads[i].len);
        rd = set_reg(g, (uint32_t)loads[i].dst);
        rs = set_reg(g, (uint32_t)src);
        n = new_insn(DLP_I_DMA);
        setf(n, DLP_F_SSP, DLP_MEM_DRAM);
        setf(n, DLP_F_DSP, loads[i].dsp);
        setf(n, DLP_F_RDST, rd);
        setf(n, DLP_F_RSRC, rs);
        setf(n, DLP_F_N0, (int64_t)loads[i].len);
        setf(n, DLP_F_N1, 1);
        setf(n, DLP_F_N2, 1);
        finish_op(g, n, i ? loads[i].dsp : -1, loads[i].dst, loads[i].len);
        g->out->dma_pairs |= 1u << loads[i].dsp;
    }
    emit(g, new_insn(DLP_I_SYNC));
    g->out->id_count[DLP_I_SYNC]++;
}

int dlp_randprog_generate(const dlp_config_t *cfg, uint64_t seed, const dlp_randprog_opts_t *opts,
                          dlp_randprog_t *out, char *msg, size_t msglen)
{
    gen_t *g = calloc(1, sizeof *g);
    uint32_t items = opts && opts->items ? opts->items : 60;
    uint32_t max_insns = opts && opts->max_insns ? opts->max_insns : 1500;
    wbuf_t wb = {0};
    int rc = 0;

    memset(out, 0, sizeof *out);
    if (!g)
        abort();
    if (max_insns > cfg->imem_insns)
        max_insns = cfg->imem_insns;
    g->cfg = *cfg;
    g->rng = seed ^ 0x5eed0d1e0000ull;
    g->out = out;
    g->cur = &g->top;
    g->max_nest = cfg->loop_depth < 3 ? (int)cfg->loop_depth : 2;
    if (cfg->nram_bytes < 32768 || cfg->wram_bytes < 32768 || cfg->acc_bytes < 16384 ||
        cfg->dram_bytes < (4u << 20) || max_insns < 300) {
        snprintf(msg, msglen, "randprog: the configuration is too small for random programs");
        free(g);
        return -1;
    }
    /* DRAM layout: program, random input, parameters, output ring; window around them */
    g->prog_addr = 0x10000ull * (uint64_t)rrange(g, 1, 4) + 16 * rnd(g, 64);
    g->in_base = 0x100000 + rnd(g, 4096);
    g->in_len = 0x40000;
    g->par_dram = 0x148000 + rnd(g, 256);
    g->vrq_off = 0;
    g->vadd_off = 3072;
    g->lut_off = 3072 + 192 + rnd(g, 16);
    g->par_len = g->lut_off + 512;
    g->par_wram = rnd(g, 64);
    g->dout.lo = 0x150000 + rnd(g, 512);
    g->dout.hi = 0x1d0000;
    g->dout.next = g->dout.lo;
    g->win_base = g->prog_addr - 16 * rnd(g, 4096 / 16);
    g->win_limit = g->dout.hi + rnd(g, 5000);
    g->nram.lo = 0;
    g->nram.hi = cfg->nram_bytes;
    g->nram.next = rnd(g, 1024);
    g->wram.lo = g->par_wram + g->par_len + 64;
    g->wram.hi = cfg->wram_bytes;
    g->wram.next = g->wram.lo;
    g->acc.lo = 0;
    g->acc.hi = cfg->acc_bytes / 4;
    g->acc.next = rnd(g, 256);
    out->prog_addr = g->prog_addr;
    out->win_base = g->win_base;
    out->win_limit = g->win_limit;
    {
        uint8_t *in = malloc(g->in_len);
        if (!in)
            abort();
        for (uint64_t i = 0; i < g->in_len; i += 8) {
            uint64_t v = next64(&g->rng);
            memcpy(in + i, &v, 8);
        }
        add_region(out, g->in_base, (uint32_t)g->in_len, in);
        add_region(out, g->par_dram, (uint32_t)g->par_len, make_params(g));
    }

    emit_prologue(g);
    if (settle(g))
        rc = -1;
    for (uint32_t it = 0; it < items && !rc && !g->failed; it++) {
        uint32_t before = g->top.n;
        int k = (int)rnd(g, 100);
        if (k < 55) {
            gen_random_op(g);
        } else if (k < 62) {
            gen_scalar_noise(g, (int)rrange(g, 1, 4));
        } else if (k < 66) {
            emit(g, new_insn(DLP_I_SYNC));
            out->id_count[DLP_I_SYNC]++;
        } else {
            int kind = (int)rnd(g, 4);
            gen_loop_at(g, kind);
        }
        g->pinned = 0;
        if (g->failed)
            break;
        if (settle(g)) {
            rc = -1;
            break;
        }
        {
            uint32_t cnt[DLP_I_COUNT] = {0};
            wbuf_t t = {0};
            flatten(&g->top, &t, cnt);
            free(t.w);
            if (t.n + 2 > max_insns) {
                seq_truncate(&g->top, before);
                break;
            }
        }
    }
    if (!rc && !g->failed) {
        node_t *h;
        if (chance(g, 50)) {
            emit(g, new_insn(DLP_I_SYNC));
            out->id_count[DLP_I_SYNC]++;
        }
        h = new_insn(DLP_I_HALT);
        emit(g, h);
        out->id_count[DLP_I_HALT]++;
        if (settle(g))
            rc = -1;
    }
    if (g->failed || rc) {
        snprintf(msg, msglen, "randprog seed %llu: %s", (unsigned long long)seed,
                 g->failed ? g->msg : "generation failed");
        rc = -1;
    } else {
        uint32_t dummy[DLP_I_COUNT] = {0};
        flatten(&g->top, &wb, dummy);
        out->words = wb.w;
        out->n_insns = wb.n;
        memset(out->id_count, 0, sizeof out->id_count);
        /* every instruction must pass the static checks */
        for (uint32_t i = 0; i < wb.n; i++) {
            dlp_insn_t in;
            char m[160];
            int bad = dlp_decode(wb.w + 4 * (size_t)i, &in, m, sizeof m);
            if (!bad)
                out->id_count[in.id]++;
            if (bad) {
                snprintf(msg, msglen, "randprog seed %llu: internal: instruction %u: %s",
                         (unsigned long long)seed, i, m);
                rc = -1;
                break;
            }
        }
    }
    seq_truncate(&g->top, 0);
    free(g->top.v);
    free(g);
    if (rc)
        dlp_randprog_free(out);
    return rc;
}
