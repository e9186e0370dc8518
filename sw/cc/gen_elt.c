/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Element-wise programs: TFLite ADD (vadd), lookup-table activations (vlut), clamps (vclamp,
 * also used to copy a tensor into a buffer with a zero-point border or out of one), with fused
 * clamp / lookup-table ops after an ADD.
 *
 * The tensors are seen as N images of H rows of W*C bytes, each tensor with its own row and
 * image strides (a tensor with a border has longer rows); when every tensor is dense they are
 * one flat row. Tiles are tr rows x tb bytes (a row is split only when one row does not fit
 * NRAM); loop nest image > row tile > byte tile, the same token protocol as
 * firmware/residual_add.
 */
#include <stdlib.h>
#include <string.h>

#include "cg.h"

enum { rA = 1, rB = 2, rO = 3, sA = 4, sB = 5, sO = 6 };

typedef struct egeom {
    long N, H, RB;         /* images, rows, bytes per row */
    int nin;
    long RS[3], IS[3];     /* A, B, O */
    uint32_t org[3];
} egeom_t;

typedef struct etile {
    long tr, tb;
    double cost;
} etile_t;

typedef struct ectx {
    cg_t *cg;
    int copy;              /* a plain copy: LD -> ST directly, the VFU idle */
    const egeom_t *g;
    const etile_t *t;
    long NA[2], NB[2], NO[2], NSCR, WP, WT, lut_at[MAX_EPI];
    int loop[3];
    int err;
} ectx_t;

static void etile(ectx_t *e, long tr, long tb)
{
    cg_t *cg = e->cg;
    const egeom_t *g = e->g;
    const prog_desc_t *pd = cg->pd;
    dma_dim_t none = {1, 0, 0};
    dma_dim_t da = {tr, g->RS[0], tb}, db = {tr, g->RS[1], tb}, dout = {tr, tb, g->RS[2]};
    char fl[48];
    cg_comment(cg, "tile: %ld rows of %ld bytes", tr, tb);
    if (e->copy) {
        /* LD -> ST "slot full", ST -> LD "slot free" (two primer tokens) */
        e->err |= cg_dma(cg, "nram", sA, "dram", rA, tb, da, none, ", wait=st, signal=st");
        e->err |= cg_dma(cg, "dram", rO, "nram", sA, tb, dout, none, ", wait=ld, signal=ld");
        cg_toggle(cg, sA, e->NA[0], e->NA[1]);
        return;
    }
    e->err |= cg_dma(cg, "nram", sA, "dram", rA, tb, da, none,
                     g->nin == 2 ? ", wait=cp" : ", wait=cp, signal=cp");
    if (g->nin == 2)
        e->err |= cg_dma(cg, "nram", sB, "dram", rB, tb, db, none, ", signal=cp");
    snprintf(fl, sizeof fl, ", wait=ld|st, signal=ld%s", pd->n_ops ? "" : "|st");
    cg_li(cg, 12, tb);
    if (pd->elt == ELT_ADD) {
        cg_li(cg, 11, e->WP);
        cg_line(cg, "vadd    nram[r%d], nram[r%d], nram[r%d], wram[r11], %ld, %ld, sd=r12, "
                "sa=r12, sb=r12%s", sO, sA, sB, tr, tb, fl);
    } else if (pd->elt == ELT_LUT) {
        cg_li(cg, 11, e->WT);
        cg_line(cg, "vlut    nram[r%d], nram[r%d], wram[r11], %ld, %ld, sd=r12, sa=r12%s", sO,
                sA, tr, tb, fl);
    } else {
        cg_line(cg, "vclamp  nram[r%d], nram[r%d], %ld, %ld, %d, %d, sd=r12, sa=r12%s", sO, sA,
                tr, tb, pd->clamp_lo, pd->clamp_hi, fl);
    }
    for (int i = 0; i < pd->n_ops; i++)
        cg_vec_tile(cg, &pd->ops[i], sO, sO, tr, tb, e->lut_at[i],
                    i == pd->n_ops - 1 ? ", signal=st" : "");
    e->err |= cg_dma(cg, "dram", rO, "nram", sO, tb, dout, none, ", wait=cp, signal=cp");
    cg_toggle(cg, sA, e->NA[0], e->NA[1]);
    if (g->nin == 2)
        cg_toggle(cg, sB, e->NB[0], e->NB[1]);
    cg_toggle(cg, sO, e->NO[0], e->NO[1]);
}

static void elevel(ectx_t *e, int L, long tr, long tb);

static void eiter(ectx_t *e, int L, long tr, long tb, const long step[3])
{
    cg_t *cg = e->cg;
    long saved[3];
    for (int k = 0; k < 3; k++) {
        saved[k] = cg->adv[rA + k];
        cg->adv[rA + k] = 0;
    }
    if (L == 2)
        etile(e, tr, tb);
    else
        elevel(e, L + 1, tr, tb);
    for (int k = 0; k < 3; k++) {
        if (k == 1 && e->g->nin < 2)
            continue;
        cg_adjust(cg, rA + k, step[k] - cg->adv[rA + k]);
        cg->adv[rA + k] = saved[k] + step[k];
    }
}

/* L = 0: images, 1: row tiles, 2: byte tiles */
static void elevel(ectx_t *e, int L, long tr, long tb)
{
    cg_t *cg = e->cg;
    const egeom_t *g = e->g;
    long extent = L == 0 ? g->N : L == 1 ? g->H : g->RB;
    long tile = L == 0 ? 1 : L == 1 ? e->t->tr : e->t->tb;
    long nf = extent / tile, rem = extent % tile;
    for (int v = 0; v < 2; v++) {
        long cnt = v ? (rem ? 1 : 0) : nf, sz = v ? rem : tile, step[3];
        long ntr = L == 1 ? sz : tr, ntb = L == 2 ? sz : tb;
        if (!cnt)
            continue;
        for (int k = 0; k < 3; k++)
            step[k] = L == 0 ? g->IS[k] : L == 1 ? tile * g->RS[k] : tile;
        if (cnt >= 2 && e->loop[L]) {
            cg_loop_begin(cg, cnt);
            eiter(e, L, ntr, ntb, step);
            cg_loop_end(cg);
            for (int k = 0; k < 3; k++)
                cg->adv[rA + k] += (cnt - 1) * step[k];
        } else {
            for (long i = 0; i < cnt; i++)
                eiter(e, L, ntr, ntb, step);
        }
    }
}

int gen_elt(cg_t *cg)
{
    const cc_net_t *net = cg->net;
    const prog_desc_t *pd = cg->pd;
    const cc_tensor_t *a = &net->t[pd->in[0]], *o = &net->t[pd->out];
    const cc_tensor_t *ts[3];
    egeom_t g;
    etile_t best[8], t;
    int nbest = 0, dense = 1, copy;
    static long rows_c[512], bytes_c[512];
    int nr = 0, nb = 0;
    ectx_t e;
    uint32_t paddr = 0, taddr = 0, lut_addr[MAX_EPI];
    long wl;

    memset(&g, 0, sizeof g);
    copy = pd->elt == ELT_CLAMP && pd->clamp_lo == -128 && pd->clamp_hi == 127 && !pd->n_ops &&
           pd->n_in == 1;
    ts[0] = a;
    ts[1] = pd->n_in == 2 ? &net->t[pd->in[1]] : a;
    ts[2] = o;
    g.nin = pd->n_in;
    g.N = a->n;
    g.H = a->h;
    g.RB = (long)a->w * a->c;
    for (int k = 0; k < 3; k++) {
        const cc_tensor_t *x = ts[k];
        int same = x->h == a->h && x->w == a->w && x->c == a->c;
        g.org[k] = x->addr;
        g.RS[k] = same ? (long)x->row_stride : g.RB;
        g.IS[k] = same ? (long)x->img_stride : g.RB * g.H;
        if (g.RS[k] != g.RB || g.IS[k] != g.RB * g.H)
            dense = 0;
    }
    if (dense) {
        g.RB *= g.H * g.N;
        g.H = g.N = 1;
        for (int k = 0; k < 3; k++)
            g.RS[k] = g.IS[k] = g.RB;
    }
    {
        long prev = -1;
        for (long tt = 1; tt <= g.RB && nb < 512; tt++) {
            long v = cc_cdiv(g.RB, tt);
            if (v != prev && v <= 65535)
                bytes_c[nb++] = prev = v;
        }
        prev = -1;
        for (long tt = 1; tt <= g.H && nr < 512; tt++) {
            long v = cc_cdiv(g.H, tt);
            if (v != prev && v <= 65535)
                rows_c[nr++] = prev = v;
        }
    }
    for (int i = 0; i < nb; i++)
        for (int j = 0; j < nr; j++) {
            etile_t c = {rows_c[j], bytes_c[i], 0};
            double tiles, comp, dma;
            int k;
            if (c.tb < g.RB && c.tr > 1)
                continue;
            if ((long)(copy ? 1 : g.nin + 1) * 2 * c.tr * c.tb + 2 > (long)cg->cfg->nram_bytes)
                continue;
            tiles = (double)g.N * cc_cdiv(g.H, c.tr) * cc_cdiv(g.RB, c.tb);
            comp = copy ? 0 : cg_t_vec(cg->cfg, c.tr, c.tb, pd->elt == ELT_ADD ? 3 : 2, 4) +
                              pd->n_ops * cg_t_vec(cg->cfg, c.tr, c.tb, 2, 4);
            dma = (g.nin + 1) * cg_t_dma(cg->cfg, (double)c.tr, (double)c.tb);
            c.cost = tiles * (comp > dma ? comp : dma) + tiles * 30 + comp + dma;
            if (nbest < 8)
                k = nbest++;
            else if (c.cost < best[7].cost)
                k = 7;
            else
                continue;
            best[k] = c;
            while (k > 0 && best[k].cost < best[k - 1].cost) {
                etile_t s = best[k];
                best[k] = best[k - 1];
                best[k - 1] = s;
                k--;
            }
        }
    if (!nbest)
        return cg_fail(cg, "cannot tile this layer for NRAM %u bytes (one byte of each operand "
                       "double-buffered needs %d)", cg->cfg->nram_bytes, 2 * (g.nin + 1) + 2);
    if (cg->attempt >= nbest)
        return cg_fail(cg, "no tiling gives a program that fits the instruction memory "
                       "(imem_insns=%u)", cg->cfg->imem_insns);
    t = best[cg->attempt];

    memset(&e, 0, sizeof e);
    e.cg = cg;
    e.g = &g;
    e.t = &t;
    e.copy = copy;
    {
        long tile = t.tr * t.tb, at = 0;
        e.NA[0] = at, at += tile;
        e.NA[1] = at, at += tile;
        if (copy)
            tile = 0;
        if (g.nin == 2) {
            e.NB[0] = at, at += tile;
            e.NB[1] = at, at += tile;
        }
        e.NO[0] = at, at += tile;
        e.NO[1] = at, at += tile;
        e.NSCR = at;
    }
    e.WP = 0;
    e.WT = 64;
    wl = 64 + 256;
    for (int i = 0; i < pd->n_ops; i++)
        if (pd->ops[i].kind == EPI_LUT) {
            e.lut_at[i] = wl;
            wl += 256;
        }
    if (wl > (long)cg->cfg->wram_bytes)
        return cg_fail(cg, "the parameters and tables need %ld bytes of WRAM", wl);
    {
        int depth = (int)cg->cfg->loop_depth;
        long cnt[3] = {g.N, g.H / t.tr, g.RB / t.tb};
        for (int L = 2; L >= 0; L--) {
            e.loop[L] = cnt[L] >= 2 && depth > 0;
            depth -= e.loop[L];
        }
    }
    if (pd->elt == ELT_ADD) {
        uint8_t pb[DLP_VADD_PARAM_BYTES];
        for (int k = 0; k < DLP_VADD_WORDS; k++)
            for (int b = 0; b < 4; b++)
                pb[4 * k + b] = (uint8_t)((uint32_t)pd->add[k] >> (8 * b));
        paddr = cg_const(cg, pb, DLP_VADD_PARAM_BYTES, 16);
    }
    if (pd->elt == ELT_LUT)
        taddr = cg_const(cg, pd->table, 256, 16);
    for (int i = 0; i < pd->n_ops; i++)
        lut_addr[i] = pd->ops[i].kind == EPI_LUT ? cg_const(cg, pd->ops[i].table, 256, 16) : 0;

    cc_buf_printf(&cg->plan, "tiles of %ld x %ld bytes, est %.0f cycles", t.tr, t.tb, t.cost);
    cg->est_cycles = (uint64_t)t.cost;
    cg_comment(cg, "%s: %s over %ld x %ld rows of %ld bytes", pd->name,
               pd->elt == ELT_ADD ? "add" : pd->elt == ELT_LUT ? "lookup table" : "clamp/copy",
               g.N, g.H, g.RB);
    cg_comment(cg, "tiling: %s", cg->plan.s);
    if (paddr) {
        cg_li(cg, 10, (long)paddr);
        cg_li(cg, 11, e.WP);
        cg_line(cg, "dma     wram[r11], dram[r10], %d", DLP_VADD_PARAM_BYTES);
    }
    if (taddr) {
        cg_li(cg, 10, (long)taddr);
        cg_li(cg, 11, e.WT);
        cg_line(cg, "dma     wram[r11], dram[r10], 256");
    }
    for (int i = 0; i < pd->n_ops; i++)
        if (pd->ops[i].kind == EPI_LUT) {
            cg_li(cg, 10, (long)lut_addr[i]);
            cg_li(cg, 11, e.lut_at[i]);
            cg_line(cg, "dma     wram[r11], dram[r10], 256");
        }
    if (paddr || taddr || pd->n_ops)
        cg_line(cg, "sync");
    cg_li(cg, rA, (long)g.org[0]);
    if (g.nin == 2)
        cg_li(cg, rB, (long)g.org[1]);
    cg_li(cg, rO, (long)g.org[2]);
    cg_li(cg, sA, e.NA[0]);
    if (g.nin == 2)
        cg_li(cg, sB, e.NB[0]);
    if (!copy)
        cg_li(cg, sO, e.NO[0]);
    if (copy) {
        cg_comment(cg, "two ST->LD primer tokens: both slots are free");
        cg_li(cg, 10, (long)cg->scratch_dram);
        cg_li(cg, 11, e.NSCR);
        cg_line(cg, "dma     dram[r10], nram[r11], 1, signal=ld");
        cg_line(cg, "dma     dram[r10], nram[r11], 1, signal=ld");
    } else {
        cg_primers(cg, e.NSCR, 0);
    }
    memset(cg->adv, 0, sizeof cg->adv);
    cg->lazy = 1u << rA | 1u << rB | 1u << rO;
    elevel(&e, 0, t.tr, t.tb);
    cg_line(cg, "halt");
    return e.err ? -1 : 0;
}
