/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pooling programs: max / average pooling (TFLite semantics: padded positions are skipped and
 * not counted), any window and stride up to the VFU's 15, with fused clamp / lookup-table ops.
 *
 * Loop nest: image n > channel block cb > output row tile r > output column tile q. A tile
 * loads the input box its windows touch, clipped to the image; the VFU is told how many rows
 * and columns of padding lie above / left of the box (pt/pl) and skips window positions outside
 * the loaded ih x iw, which reproduces TFLite's padding exactly. Tiles differ only at the
 * image borders, so each level is a run-length encoded list of tile "shapes" (size, padding
 * before, rows or columns loaded): the interior tiles form one hardware loop.
 */
#include <stdlib.h>
#include <string.h>

#include "cg.h"

enum { rIN = 1, rOUT = 2, sI = 5, sO = 6 };

typedef struct pgeom {
    long N, H, W, C, OH, OW, KH, KW, SH, SW, PT, PL;
    long RS, IS, RSo, ISo, Co;
    uint32_t in_org, out_org;
    int avg;
} pgeom_t;

typedef struct ptiling {
    long tcc, toh, tow;
    double cost;
} ptiling_t;

/* A run of identical tiles along one axis. */
typedef struct prun {
    long count, size, pad, loaded; /* output size, padding before the box, input rows/cols */
} prun_t;

#define MAX_RUNS 64

/* Tiles along one axis: output extent `out`, tile t, input extent `in`, window k, stride s,
   padding before p. Returns the number of runs, or -1 when there would be too many. */
static int runs_of(long out, long t, long in, long k, long s, long p, prun_t *r)
{
    int n = 0;
    for (long o0 = 0; o0 < out; o0 += t) {
        long sz = out - o0 < t ? out - o0 : t;
        long a = o0 * s - p, b = (o0 + sz - 1) * s - p + k;
        long lo = a < 0 ? 0 : a, hi = b > in ? in : b;
        if (n && r[n - 1].size == sz && r[n - 1].pad == lo - a && r[n - 1].loaded == hi - lo) {
            r[n - 1].count++;
            continue;
        }
        if (n == MAX_RUNS)
            return -1;
        r[n].count = 1;
        r[n].size = sz;
        r[n].pad = lo - a;
        r[n].loaded = hi - lo;
        n++;
    }
    return n;
}

static int pfits(const cg_t *cg, const pgeom_t *g, const ptiling_t *t)
{
    long ih = (t->toh - 1) * g->SH + g->KH, iw = (t->tow - 1) * g->SW + g->KW;
    if (ih > g->H)
        ih = g->H;
    if (iw > g->W)
        iw = g->W;
    if (t->toh > 4095 || t->tow > 4095 || ih > 4095 || iw > 4095 || t->tcc > 65535)
        return 0;
    return 2 * ih * iw * t->tcc + 2 * t->toh * t->tow * t->tcc + 2 <= (long)cg->cfg->nram_bytes;
}

static double pestimate(const cg_t *cg, const pgeom_t *g, const ptiling_t *t, int n_ops)
{
    const dlp_config_t *c = cg->cfg;
    double tiles = (double)g->N * cc_cdiv(g->C, t->tcc) * cc_cdiv(g->OH, t->toh) *
                   cc_cdiv(g->OW, t->tow);
    long ih = (t->toh - 1) * g->SH + g->KH, iw = (t->tow - 1) * g->SW + g->KW;
    double comp = (double)t->toh * t->tow * cc_cdiv(t->tcc, c->vlanes) * (g->KH * g->KW + 1) + 4 +
                  n_ops * cg_t_vec(c, 1, t->toh * t->tow * t->tcc, 2, 16);
    double dma = (t->tcc == g->C ? cg_t_dma(c, ih, (double)iw * t->tcc)
                                 : cg_t_dma(c, (double)ih * iw, (double)t->tcc)) +
                 (t->tcc == g->Co ? cg_t_dma(c, t->toh, (double)t->tow * t->tcc)
                                  : cg_t_dma(c, (double)t->toh * t->tow, (double)t->tcc));
    double disp = 40;
    double m = comp > dma ? comp : dma;
    m = m > disp ? m : disp;
    return tiles * m + dma + comp;
}

static int pcands(long extent, long *out, int max)
{
    int n = 0;
    long prev = -1;
    for (long t = 1; t <= extent && n < max; t++) {
        long v = cc_cdiv(extent, t);
        if (v != prev)
            out[n++] = prev = v;
    }
    return n;
}

typedef struct pctx {
    cg_t *cg;
    const pgeom_t *g;
    const ptiling_t *t;
    long NI0, NI1, NO0, NO1, NSCR, lut_at[MAX_EPI];
    prun_t rr[MAX_RUNS], qr[MAX_RUNS], cr[2];
    int nrr, nqr, ncr;
    int loop_r, loop_q, loop_c, loop_n;
    long cur_tcc;          /* channels of the current block */
    int cur_rrun;          /* the current row run */
    int err;
} pctx_t;

static void ptile(pctx_t *p, const prun_t *r, const prun_t *q, long tcc)
{
    cg_t *cg = p->cg;
    const pgeom_t *g = p->g;
    const prog_desc_t *pd = cg->pd;
    dma_dim_t px = {q->loaded, g->C, tcc}, rows = {r->loaded, g->RS, q->loaded * tcc};
    dma_dim_t opx = {q->size, tcc, g->Co}, orows = {r->size, q->size * tcc, g->RSo};
    long off = r->pad * g->RS + q->pad * g->C;
    cg_comment(cg, "tile: %ldx%ld outputs from %ldx%ld inputs (padding %ld above, %ld left), "
               "%ld channels", r->size, q->size, r->loaded, q->loaded, r->pad, q->pad, tcc);
    cg_addi(cg, 10, rIN, off);
    p->err |= cg_dma(cg, "nram", sI, "dram", 10, tcc, px, rows, ", wait=cp, signal=cp");
    cg_li(cg, 12, tcc);
    cg_li(cg, 13, q->loaded * tcc);
    cg_li(cg, 14, tcc);
    cg_li(cg, 15, q->size * tcc);
    cg_line(cg, "%s nram[r%d], nram[r%d], %ld, %ld, %ld, %ld, %ld, %ld, %ld, sh=%ld, sw=%ld, "
            "pt=%ld, pl=%ld, spa=r12, sra=r13, spd=r14, srd=r15, wait=ld|st, signal=ld%s",
            g->avg ? "vavgpool" : "vmaxpool", sO, sI, tcc, r->loaded, q->loaded, r->size, q->size,
            g->KH, g->KW, g->SH, g->SW, r->pad, q->pad, pd->n_ops ? "" : "|st");
    for (int i = 0; i < pd->n_ops; i++)
        cg_vec_tile(cg, &pd->ops[i], sO, sO, r->size * q->size, tcc, p->lut_at[i],
                    i == pd->n_ops - 1 ? ", signal=st" : "");
    p->err |= cg_dma(cg, "dram", rOUT, "nram", sO, tcc, opx, orows, ", wait=cp, signal=cp");
    cg_toggle(cg, sI, p->NI0, p->NI1);
    cg_toggle(cg, sO, p->NO0, p->NO1);
}

/* One iteration of a level: its body, then the pointers moved to the next iteration's start
   (din, dout past this one's), whatever the inner levels advanced them by (adv tracking). */
static void prun_level(pctx_t *p, int level);

static void piter(pctx_t *p, int level, int run, long din, long dout)
{
    cg_t *cg = p->cg;
    long saved_in = cg->adv[rIN], saved_out = cg->adv[rOUT];
    cg->adv[rIN] = cg->adv[rOUT] = 0;
    if (level == 3)
        ptile(p, &p->rr[p->cur_rrun], &p->qr[run], p->cur_tcc);
    else
        prun_level(p, level + 1);
    cg_adjust(cg, rIN, din - cg->adv[rIN]);
    cg_adjust(cg, rOUT, dout - cg->adv[rOUT]);
    cg->adv[rIN] = saved_in + din;
    cg->adv[rOUT] = saved_out + dout;
}

/* level 0: images, 1: channel blocks, 2: row runs, 3: column runs */
static void prun_level(pctx_t *p, int level)
{
    cg_t *cg = p->cg;
    const pgeom_t *g = p->g;
    const ptiling_t *t = p->t;
    int nruns = level == 0 ? 1 : level == 1 ? p->ncr : level == 2 ? p->nrr : p->nqr;
    for (int k = 0; k < nruns; k++) {
        long count, din, dout;
        int loopable;
        if (level == 0) {
            count = g->N;
            din = g->IS;
            dout = g->ISo;
            loopable = p->loop_n;
        } else if (level == 1) {
            count = p->cr[k].count;
            din = dout = t->tcc;
            p->cur_tcc = p->cr[k].size;
            loopable = p->loop_c;
        } else if (level == 2) {
            count = p->rr[k].count;
            din = p->rr[k].size * g->SH * g->RS;
            dout = p->rr[k].size * g->RSo;
            p->cur_rrun = k;
            loopable = p->loop_r;
        } else {
            count = p->qr[k].count;
            din = p->qr[k].size * g->SW * g->C;
            dout = p->qr[k].size * g->Co;
            loopable = p->loop_q;
        }
        if (count >= 2 && loopable) {
            cg_loop_begin(cg, count);
            piter(p, level, k, din, dout);
            cg_loop_end(cg);
            cg->adv[rIN] += (count - 1) * din;
            cg->adv[rOUT] += (count - 1) * dout;
        } else {
            for (long i = 0; i < count; i++)
                piter(p, level, k, din, dout);
        }
    }
}

int gen_pool(cg_t *cg)
{
    const cc_net_t *net = cg->net;
    const prog_desc_t *pd = cg->pd;
    const cc_layer_t *l = &net->l[pd->main_layer];
    const cc_tensor_t *x = &net->t[pd->in[0]], *y = &net->t[pd->out];
    pgeom_t g;
    ptiling_t best[8], t;
    int nbest = 0;
    static long ch[512], hh[512], ww[512];
    int nc, nh, nw;
    pctx_t p;
    uint32_t lut_addr[MAX_EPI];

    memset(&g, 0, sizeof g);
    g.N = x->n;
    g.H = x->h;
    g.W = x->w;
    g.C = x->c;
    g.OH = y->h;
    g.OW = y->w;
    g.KH = l->kh;
    g.KW = l->kw;
    g.SH = l->sh;
    g.SW = l->sw;
    g.PT = l->pt;
    g.PL = l->pl;
    g.RS = (long)x->row_stride;
    g.IS = (long)x->img_stride;
    g.RSo = (long)y->row_stride;
    g.ISo = (long)y->img_stride;
    g.Co = y->c;
    g.avg = l->kind != CC_MAXPOOL;
    g.in_org = x->addr - (uint32_t)(g.PT * g.RS) - (uint32_t)(g.PL * g.C);
    g.out_org = y->addr;
    if (g.KH > 15 || g.KW > 15 || g.SH > 15 || g.SW > 15)
        return cg_fail(cg, "not supported: the %ldx%ld window or %ldx%ld stride exceeds the "
                       "VFU's limit of 15", g.KH, g.KW, g.SH, g.SW);
    nc = pcands(g.C, ch, 512);
    nh = pcands(g.OH, hh, 512);
    nw = pcands(g.OW, ww, 512);
    for (int a = 0; a < nc; a++)
        for (int b = 0; b < nh; b++)
            for (int d = 0; d < nw; d++) {
                ptiling_t c = {ch[a], hh[b], ww[d], 0};
                prun_t tmp[MAX_RUNS];
                int i;
                if (!pfits(cg, &g, &c) ||
                    runs_of(g.OH, c.toh, g.H, g.KH, g.SH, g.PT, tmp) < 0 ||
                    runs_of(g.OW, c.tow, g.W, g.KW, g.SW, g.PL, tmp) < 0)
                    continue;
                c.cost = pestimate(cg, &g, &c, pd->n_ops);
                if (nbest < 8)
                    i = nbest++;
                else if (c.cost < best[7].cost)
                    i = 7;
                else
                    continue;
                best[i] = c;
                while (i > 0 && best[i].cost < best[i - 1].cost) {
                    ptiling_t s = best[i];
                    best[i] = best[i - 1];
                    best[i - 1] = s;
                    i--;
                }
            }
    if (!nbest)
        return cg_fail(cg, "cannot tile this layer for NRAM %u bytes: even one output pixel of "
                       "one channel needs %ld", cg->cfg->nram_bytes,
                       2 * g.KH * g.KW + 2 + 2);
    if (cg->attempt >= nbest)
        return cg_fail(cg, "no tiling gives a program that fits the instruction memory "
                       "(imem_insns=%u)", cg->cfg->imem_insns);
    t = best[cg->attempt];

    memset(&p, 0, sizeof p);
    p.cg = cg;
    p.g = &g;
    p.t = &t;
    {
        long ih = (t.toh - 1) * g.SH + g.KH, iw = (t.tow - 1) * g.SW + g.KW, wl = 0;
        if (ih > g.H)
            ih = g.H;
        if (iw > g.W)
            iw = g.W;
        p.NI0 = 0;
        p.NI1 = ih * iw * t.tcc;
        p.NO0 = 2 * p.NI1;
        p.NO1 = p.NO0 + t.toh * t.tow * t.tcc;
        p.NSCR = p.NO1 + t.toh * t.tow * t.tcc;
        for (int i = 0; i < pd->n_ops; i++)
            if (pd->ops[i].kind == EPI_LUT) {
                p.lut_at[i] = wl;
                wl += 256;
            }
        if (wl > (long)cg->cfg->wram_bytes)
            return cg_fail(cg, "the lookup tables need %ld bytes of WRAM", wl);
    }
    p.nrr = runs_of(g.OH, t.toh, g.H, g.KH, g.SH, g.PT, p.rr);
    p.nqr = runs_of(g.OW, t.tow, g.W, g.KW, g.SW, g.PL, p.qr);
    /* channel blocks: cr[k] = {count, size} */
    {
        long nf = g.C / t.tcc, rem = g.C % t.tcc;
        p.ncr = 0;
        if (nf) {
            p.cr[p.ncr].count = nf;
            p.cr[p.ncr].size = t.tcc;
            p.ncr++;
        }
        if (rem) {
            p.cr[p.ncr].count = 1;
            p.cr[p.ncr].size = rem;
            p.ncr++;
        }
    }
    {
        /* loop stack: innermost levels first */
        int depth = (int)cg->cfg->loop_depth, any_q = 0, any_r = 0, any_c = 0;
        for (int i = 0; i < p.nqr; i++)
            any_q |= p.qr[i].count >= 2;
        for (int i = 0; i < p.nrr; i++)
            any_r |= p.rr[i].count >= 2;
        for (int i = 0; i < p.ncr; i++)
            any_c |= p.cr[i].count >= 2;
        p.loop_q = any_q && depth > 0;
        depth -= p.loop_q;
        p.loop_r = any_r && depth > 0;
        depth -= p.loop_r;
        p.loop_c = any_c && depth > 0;
        depth -= p.loop_c;
        p.loop_n = g.N >= 2 && depth > 0;
    }
    for (int i = 0; i < pd->n_ops; i++)
        lut_addr[i] = pd->ops[i].kind == EPI_LUT ? cg_const(cg, pd->ops[i].table, 256, 16) : 0;

    cc_buf_printf(&cg->plan, "channels %ld, toh=%ld tow=%ld, est %.0f cycles", t.tcc, t.toh,
                  t.tow, t.cost);
    cg->est_cycles = (uint64_t)t.cost;
    cg_comment(cg, "%s: %s %ldx%ld s%ldx%ld pad %ld,%ld on %ldx%ldx%ld -> %ldx%ld", pd->name,
               g.avg ? "average pooling" : "max pooling", g.KH, g.KW, g.SH, g.SW, g.PT, g.PL,
               g.H, g.W, g.C, g.OH, g.OW);
    cg_comment(cg, "tiling: %s", cg->plan.s);
    for (int i = 0; i < pd->n_ops; i++)
        if (pd->ops[i].kind == EPI_LUT) {
            cg_li(cg, 10, (long)lut_addr[i]);
            cg_li(cg, 11, p.lut_at[i]);
            cg_line(cg, "dma     wram[r11], dram[r10], 256");
        }
    for (int i = 0; i < pd->n_ops; i++)
        if (pd->ops[i].kind == EPI_LUT) {
            cg_line(cg, "sync");
            break;
        }
    cg_li(cg, rIN, (long)g.in_org);
    cg_li(cg, rOUT, (long)g.out_org);
    cg_li(cg, sI, p.NI0);
    cg_li(cg, sO, p.NO0);
    cg_primers(cg, p.NSCR, 0);
    memset(cg->adv, 0, sizeof cg->adv);
    cg->lazy = 1u << rIN | 1u << rOUT;
    prun_level(&p, 0);
    cg_line(cg, "halt");
    return p.err ? -1 : 0;
}
