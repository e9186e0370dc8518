/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Convolution (and fully connected) programs: conv2d with any kernel, stride, padding and
 * groups (depthwise included), bias, requantization and fused activation, lookup table and
 * non-overlapping pooling, tiled for any memory sizes and array shape.
 *
 * Dataflow (docs/compiler.md has the pictures). The input tensor lives in DRAM with a border
 * ("halo") of zero-point bytes at least as wide as the padding (plan.c arranges it), so a tile
 * is a plain box of the padded image and no tile needs edge cases. The loop nest is
 *
 *     for image n, super-group sg, output-channel block ob:          header (weights, params)
 *       for output row tile r, column tile q:
 *         for input-channel chunk kc:      load the input box, KH mm's (one per kernel row),
 *                                          or one mm when the box is packed (below)
 *         requantize (vrq), fused ops, store
 *
 * The input box of a tile holds hin x win pixels of tc channels, dense in NRAM; for kernel row
 * fy the KW horizontal taps of an output pixel are then contiguous: KW*tc bytes at
 * (oy*SH + fy)*win*tc + ox*SW*tc. So one mm per kernel row computes the whole tile:
 * M = toh x tow pixels (m1 rows of m0 pixels), K = KW*tc, N = tn output channels, with the
 * weights of that kernel row as a [KW*tc][tn] matrix (OHWI transposed: the im2col layout).
 * Input-channel chunks accumulate in ACC (accum=1). A layer with few input channels can instead
 * pack the kernel's positions into K ("Packed input" below); the cost model chooses.
 *
 * Groups: G groups at a time form a "super-group" whose weights are block-diagonal (zeros
 * between groups), which turns a depthwise convolution into a dense one that fills the array's
 * columns; G = 1 processes one group at a time.
 *
 * Weights: either a block's weights for all its chunks stay in WRAM while its tiles stream by
 * ("resident", loaded in the block's header, two header slots or one with a sync), or each
 * chunk's weights are loaded with its input box ("streamed"). The tile sizes (toh, tow, tn,
 * tc), G and the weight mode minimise a cycle estimate within NRAM/WRAM/ACC; remainders of
 * every dimension are separate unrolled variants, full tiles run in hardware loops.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"

enum { rIN = 1, rOUT = 2, rW = 3, rWC = 4, sI = 5, sO = 6, sH = 7, sW = 8, rRES = 9 };
enum { LV_N, LV_SG, LV_OB, LV_R, LV_Q, LV_KC, LV_COUNT };

typedef struct geom {
    long N, OH, OW, KH, KW, SH, SW;
    long NG, cin_g, cout_g;
    long CI, RSi, ISi, CO, RSo, ISo;
    uint32_t in_org, out_org;
    long pk;               /* fused pool window (1: none) */
    int n_luts;
    int add;               /* a fused add: the other operand's tile is loaded and added */
    long RSr, ISr, CR;     /* its strides */
    uint32_t res_org;
} geom_t;

typedef struct tiling {
    long G, tn, tc, toh, tow;
    int wres, hslots;
    int vf;                /* post-processing on the VF queue (memory halves, two ACC slots) */
    double cost, comp, dma;
    int pack;              /* kernel positions packed into K: one mm of K = KH*KW*tc per chunk */
} tiling_t;

#define N_BEST 12

/* ---- geometry and sizes ---------------------------------------------------------------------- */

static long hin(const geom_t *g, long toh)
{
    return (toh - 1) * g->SH + g->KH;
}

static long win(const geom_t *g, long tow)
{
    return (tow - 1) * g->SW + g->KW;
}

/*
 * Packed input (t->pack). Unpacked, the box is dense and an output pixel's taps of one kernel
 * row are KW*tc contiguous bytes, so a chunk takes KH mm's of K = KW*tc; with few input
 * channels K is a fraction of the array's R rows. Packed, the box is stored as tow column
 * strips, one per output column ox, each hin rows of the KW*tc bytes that column's windows
 * read (a strip is hin*KW*tc bytes). A window is then KH consecutive rows of a strip, i.e.
 * KH*KW*tc contiguous bytes at ox*strip + oy*SH*KW*tc, and one mm computes the tile with
 * K = KH*KW*tc: m0 = tow pixels (stride one strip), m1 = toh rows (stride SH*KW*tc). The K
 * index is fy*KW*tc + fx*tc + c, the order of the chunk's weights [KH][KW][tc][tn] that the
 * unpacked mm's read row by row, so the weight layout is the same. The box is loaded by one DMA:
 * runs of KW*tc bytes (tc = all the input channels, so a run is contiguous in DRAM), hin per
 * strip, tow strips SW pixels apart in DRAM; the strips repeat the KW - SW columns that
 * neighbouring windows share.
 */
static int packable(const cg_t *cg, const geom_t *g)
{
    long R = (long)cg->cfg->rows, k = g->KH * g->KW * g->CI;
    /* only where it saves weight row tiles (the first layers with 1-3 channels) */
    return g->NG == 1 && g->KH > 1 && k <= 65535 &&
           cc_cdiv(k, R) < g->KH * cc_cdiv(g->KW * g->CI, R);
}

/* NRAM bytes of a chunk's input box. */
static long box_bytes(const geom_t *g, const tiling_t *t, long toh, long tow, long tc)
{
    return t->pack ? tow * hin(g, toh) * g->KW * tc : hin(g, toh) * win(g, tow) * tc;
}

/* Header of a block of tn_b outputs over cin_sg inputs: weights of all chunks, then params. */
static long header_bytes(const geom_t *g, long cin_sg, long tn_b)
{
    return g->KH * g->KW * cin_sg * tn_b + DLP_VRQ_PARAM_BYTES * tn_b;
}

/* Bytes of a VF tiling's high NRAM half: pre-pool/pre-add tile X, the output slots (D apart,
   D = the pre-pool tile, so that the ACC slots can be the same distance apart and one register
   serves both), the added tiles, 3 scratch bytes. */
static long vf_slot_dist(const tiling_t *t)
{
    return t->toh * t->tow * t->tn;
}

/* VF, weights resident in two header slots: the second slot's offset, at least a slot of
   weights (low WRAM half) and a slot of parameters (the same offsets in the high half). */
static long vf_hslot(const geom_t *g, const tiling_t *t)
{
    long wb = g->KH * g->KW * t->G * g->cin_g * t->tn, pb = DLP_VRQ_PARAM_BYTES * t->tn;
    return wb > pb ? wb : pb;
}

static int fits(const cg_t *cg, const geom_t *g, const tiling_t *t)
{
    const dlp_config_t *c = cg->cfg;
    long cin_sg = t->G * g->cin_g, pk = g->pk;
    long hi = hin(g, t->toh), wi = win(g, t->tow);
    long in_b = box_bytes(g, t, t->toh, t->tow, t->tc);
    long out_b = (t->toh / pk) * (t->tow / pk) * t->tn;
    long x_b = pk > 1 || g->add ? t->toh * t->tow * t->tn : 0;
    long lut_b = 256L * g->n_luts + (g->add ? DLP_VADD_PARAM_BYTES : 0), wram;
    if (t->toh > 4095 || t->tow > 65535 || t->toh * t->tow > 65535 || g->KW * t->tc > 65535 ||
        t->tn > 65535 || hi > 4095 || wi > 65535)
        return 0;
    if (t->pack && (g->KH * g->KW * t->tc > 65535 || t->tow > 4095))
        return 0;
    if (pk > 1 && (t->toh % pk || t->tow % pk || t->tow > 4095))
        return 0;
    if (t->wres && g->KH * g->KW * cin_sg + DLP_VRQ_PARAM_BYTES > 65535 &&
        header_bytes(g, cin_sg, t->tn) > 1048575)
        return 0;
    if (t->vf) {
        /* low halves: input slots, weights, ACC slot 0; high halves: everything the VFU
           touches (docs/timing.md "Compute units"), so that mm and VF run at the same time */
        long nh = (long)c->nram_bytes / 2, wh = (long)c->wram_bytes / 2, D = vf_slot_dist(t);
        long wb = g->KH * g->KW * cin_sg * t->tn;
        if (2 * in_b > nh || x_b + (g->add ? 4 * D : D + out_b) + 3 > (long)c->nram_bytes - nh)
            return 0;
        if (D > (long)c->acc_bytes / 8)
            return 0;
        if (t->wres) { /* the second slot at sH = WH1 (vf_hslot), its parameters at WH1 + PQ */
            long h1 = t->hslots == 2 ? vf_hslot(g, t) : 0;
            return h1 + wb <= wh &&
                   h1 + DLP_VRQ_PARAM_BYTES * t->tn + lut_b <= (long)c->wram_bytes - wh;
        }
        return 2 * g->KH * g->KW * t->tc * t->tn <= wh &&
               2 * DLP_VRQ_PARAM_BYTES * t->tn + lut_b <= (long)c->wram_bytes - wh;
    }
    if (2 * in_b + x_b + (g->add ? 4 : 2) * out_b + 2 > (long)c->nram_bytes)
        return 0;
    if (4 * t->toh * t->tow * t->tn > (long)c->acc_bytes)
        return 0;
    if (t->wres)
        wram = t->hslots * header_bytes(g, cin_sg, t->tn) + lut_b;
    else
        wram = 2 * DLP_VRQ_PARAM_BYTES * t->tn + 2 * g->KH * g->KW * t->tc * t->tn + lut_b;
    return wram <= (long)c->wram_bytes;
}

/* ---- cost model ------------------------------------------------------------------------------ */

/* MFU cycles of one chunk's mm's over a th x tw tile. */
static double step_mm(const dlp_config_t *c, const geom_t *g, const tiling_t *t, long th, long tw,
                      long tck, long tnb)
{
    if (t->pack)
        return cg_t_mm(c, th * tw, g->KH * g->KW * tck, tnb);
    return (double)g->KH * cg_t_mm(c, th * tw, g->KW * tck, tnb);
}

/* DMA cycles of one chunk's input box (runs of whole rows when the chunk is all channels). */
static double box_dma(const dlp_config_t *c, const geom_t *g, const tiling_t *t, long th, long tw,
                      long tck)
{
    long hi = hin(g, th), wi = win(g, tw);
    if (t->pack)
        return cg_t_dma(c, (double)hi * tw, (double)g->KW * tck);
    if (tck == g->CI)
        return cg_t_dma(c, (double)hi, (double)wi * tck);
    return cg_t_dma(c, (double)hi * wi, (double)tck);
}

static double estimate(const cg_t *cg, const geom_t *g, tiling_t *t)
{
    const dlp_config_t *c = cg->cfg;
    long nsg = cc_cdiv(g->NG, t->G), glast = g->NG - (nsg - 1) * t->G;
    /* comp: MFU (and, without VF, VFU) busy cycles; vfu: the VF queue's, which overlap the
       MFU's in steady state (two ACC slots), so the compute time is the larger of the two */
    double comp = 0, vfu = 0, dma = 0, disp = 0, first = 0, last = 0, stall = 0;
    long nmm = t->pack ? 1 : g->KH; /* mm's per chunk */
    for (int s = 0; s < 2; s++) { /* full / last super-group */
        long cnt_sg = s ? 1 : nsg - 1, gg = s ? glast : t->G;
        long cin_sg = gg * g->cin_g, cout_sg = gg * g->cout_g;
        long tn = t->G > 1 ? cout_sg : t->tn, tc = t->G > 1 ? cin_sg : t->tc;
        long nob = cc_cdiv(cout_sg, tn), nkc = cc_cdiv(cin_sg, tc);
        long nr = cc_cdiv(g->OH, t->toh), nq = cc_cdiv(g->OW, t->tow);
        if (!cnt_sg)
            continue;
        for (int b = 0; b < 2; b++)
            for (int r = 0; r < 2; r++)
                for (int q = 0; q < 2; q++) {
                    long cb = b ? 1 : nob - 1, cr = r ? 1 : nr - 1, cq = q ? 1 : nq - 1;
                    long tnb = b ? cout_sg - (nob - 1) * tn : tn;
                    long th = r ? g->OH - (nr - 1) * t->toh : t->toh;
                    long tw = q ? g->OW - (nq - 1) * t->tow : t->tow;
                    double tiles = (double)g->N * cnt_sg * cb * cr * cq, tcomp = 0, tdma = 0;
                    double tvec = 0;
                    long oth = th / g->pk, otw = tw / g->pk;
                    if (tiles == 0)
                        continue;
                    for (int k = 0; k < 2; k++) {
                        long ck = k ? 1 : nkc - 1, tck = k ? cin_sg - (nkc - 1) * tc : tc;
                        if (!ck)
                            continue;
                        tcomp += ck * step_mm(c, g, t, th, tw, tck, tnb);
                        tdma += ck * box_dma(c, g, t, th, tw, tck);
                        if (!t->wres)
                            tdma += ck * cg_t_dma(c, 1, (double)g->KH * g->KW * tck * tnb);
                        disp += tiles * ck * (2.0 * (nmm + 2) + 3.0 * nmm + 8);
                    }
                    tvec += cg_t_vec(c, 1, tnb, 0, 0) + (double)cc_cdiv(tnb, c->vlanes) *
                            (3.0 + th * tw);
                    if (g->pk > 1)
                        tvec += (double)oth * otw * cc_cdiv(tnb, c->vlanes) *
                                (g->pk * g->pk + 1) + 4;
                    tvec += g->n_luts * cg_t_vec(c, oth * otw, tnb, 2, 256 / (4 * c->vlanes));
                    if (g->add) { /* vadd on the VFU, and the other operand's tile */
                        tvec += cg_t_vec(c, th * tw, tnb, 3, cc_cdiv(DLP_VADD_PARAM_BYTES, 4 * c->vlanes));
                        tdma += cg_t_dma(c, tnb == g->CR ? th : (double)th * tw,
                                         tnb == g->CR ? (double)tw * tnb : (double)tnb);
                    }
                    tdma += cg_t_dma(c, tnb == g->CO ? oth : (double)oth * otw,
                                     tnb == g->CO ? (double)otw * tnb : (double)tnb);
                    disp += tiles * 30;
                    if (t->vf) {
                        comp += tiles * tcomp;
                        vfu += tiles * tvec;
                    } else {
                        comp += tiles * (tcomp + tvec);
                    }
                    dma += tiles * tdma;
                    if (first == 0) {
                        first = tdma;
                        last = (t->vf ? tvec : (tcomp + tvec) / (double)cc_cdiv(cin_sg, tc)) +
                               cg_t_dma(c, oth, otw * tnb);
                    }
                }
        /* headers */
        {
            double hb = t->wres ? (double)header_bytes(g, cin_sg, tn) : 12.0 * tn;
            double nblk = (double)g->N * cnt_sg * nob;
            dma += nblk * cg_t_dma(c, 1, hb);
            comp += nblk * 10;
            if (t->wres && t->hslots == 1 && nsg * nob * g->N > 1)
                comp += nblk * cg_t_dma(c, 1, hb); /* the sync serialises the header load */
            /* the header and its CP no-op take one of the two slots of the LD -> CP pipeline:
               a block's first loads wait for the previous block's last mm, and the header
               load, which waits for the one before, for as long as it outlasts that mm */
            {
                long tck = tc < cin_sg ? tc : cin_sg;
                double sd = box_dma(c, g, t, t->toh, t->tow, tck);
                double sc = step_mm(c, g, t, t->toh, t->tow, tck, tn);
                double hd = cg_t_dma(c, 1, hb);
                if (!t->wres)
                    sd += cg_t_dma(c, 1, (double)g->KH * g->KW * tck * tn);
                if (!(t->wres && t->hslots == 1) && hd > sc) /* (one slot: the sync above) */
                    sd += hd - sc;
                stall += (nblk - 1) * sd;
            }
        }
    }
    comp = comp > vfu ? comp : vfu;
    t->comp = comp;
    t->dma = dma;
    {
        double m = comp > dma ? comp : dma;
        m = m > disp ? m : disp;
        return m + first + last + stall + 50;
    }
}

/* Distinct tile sizes for an extent: ceil(extent / t) for every tile count t, in multiples of
   `mult` (a fused pool's window), at most `cap`. */
static int candidates(long extent, long mult, long cap, long *out, int max)
{
    int n = 0;
    long units = extent / mult, prev = -1;
    for (long t = 1; t <= units && n < max; t++) {
        long v = cc_cdiv(units, t) * mult;
        if (v == prev || v > cap)
            continue;
        out[n++] = prev = v;
    }
    return n;
}

static void keep_best(tiling_t *best, int *nb, const tiling_t *t)
{
    int i;
    if (*nb < N_BEST) {
        i = (*nb)++;
    } else {
        if (t->cost >= best[N_BEST - 1].cost)
            return;
        i = N_BEST - 1;
    }
    best[i] = *t;
    while (i > 0 && best[i].cost < best[i - 1].cost) {
        tiling_t x = best[i];
        best[i] = best[i - 1];
        best[i - 1] = x;
        i--;
    }
}

static int choose(const cg_t *cg, const geom_t *g, tiling_t *best, int *nbest)
{
    static long th[512], tw[512], tn[512], tc[512];
    long gs[64];
    int nh, nw, ngs = 0;
    *nbest = 0;
    nh = candidates(g->OH, g->pk, 4095, th, 512);
    nw = candidates(g->OW, g->pk, 65535, tw, 512);
    /* super-group sizes */
    gs[ngs++] = 1;
    if (g->NG > 1) {
        long prev = 1;
        for (long t = g->NG; t >= 1 && ngs < 64; t--) {
            long v = cc_cdiv(g->NG, t);
            long cmax = 4 * (long)(cg->cfg->cols > 8 ? cg->cfg->cols : 8);
            long rmax = 4 * (long)(cg->cfg->rows > 8 ? cg->cfg->rows : 8);
            if (v != prev && v > 1 && v * g->cout_g <= cmax && v * g->cin_g <= rmax)
                gs[ngs++] = prev = v;
        }
    }
    int can_pack = packable(cg, g);
    for (int a = 0; a < ngs; a++) {
        long G = gs[a];
        int nn, nc;
        if (G > 1) {
            tn[0] = G * g->cout_g;
            tc[0] = G * g->cin_g;
            nn = nc = 1;
        } else {
            nn = candidates(g->cout_g, 1, 65535, tn, 512);
            nc = candidates(g->cin_g, 1, 65535, tc, 512);
        }
        for (int i = 0; i < nn; i++)
            for (int j = 0; j < nc; j++)
                for (int mode = 0; mode < 6 * (1 + (can_pack && tc[j] == g->CI)); mode++)
                    for (int h = 0; h < nh; h++)
                        for (int w = 0; w < nw; w++) {
                            tiling_t t = {G, tn[i], tc[j], th[h], tw[w], mode % 3 < 2,
                                          2 - mode % 3 % 2, mode % 6 < 3, 0, 0, 0, mode >= 6};
                            if (mode % 3 == 2)
                                t.hslots = 0;
                            if (!fits(cg, g, &t))
                                continue;
                            t.cost = estimate(cg, g, &t);
                            keep_best(best, nbest, &t);
                        }
    }
    return *nbest ? 0 : -1;
}

/* ---- weights layout ------------------------------------------------------------------------- */

typedef struct wsrc {
    const int8_t *w;       /* OHWI, cout x KH x KW x cin_g */
    const int32_t *bias2;  /* folded bias per output channel */
    const int32_t *mult, *shift;
} wsrc_t;

/* Writes the weight/parameter image for the tiling; returns its DRAM address. */
static uint32_t layout_weights(cg_t *cg, const geom_t *g, const tiling_t *t, const wsrc_t *s)
{
    long nsg = cc_cdiv(g->NG, t->G), total = 0;
    uint8_t *buf;
    size_t at = 0;
    uint32_t addr;
    for (long sg = 0; sg < nsg; sg++) {
        long gg = sg < nsg - 1 ? t->G : g->NG - (nsg - 1) * t->G;
        total += header_bytes(g, gg * g->cin_g, gg * g->cout_g);
    }
    buf = cc_xcalloc((size_t)total);
    for (long sg = 0; sg < nsg; sg++) {
        long gg = sg < nsg - 1 ? t->G : g->NG - (nsg - 1) * t->G;
        long cin_sg = gg * g->cin_g, cout_sg = gg * g->cout_g;
        long tn = t->G > 1 ? cout_sg : t->tn, tc = t->G > 1 ? cin_sg : t->tc;
        long co0 = sg * t->G * g->cout_g;
        for (long ob = 0; ob * tn < cout_sg; ob++) {
            long tnb = cout_sg - ob * tn < tn ? cout_sg - ob * tn : tn;
            for (long kc = 0; kc * tc < cin_sg; kc++) {
                long tck = cin_sg - kc * tc < tc ? cin_sg - kc * tc : tc;
                for (long fy = 0; fy < g->KH; fy++)
                    for (long fx = 0; fx < g->KW; fx++)
                        for (long ci = 0; ci < tck; ci++)
                            for (long n = 0; n < tnb; n++) {
                                long cis = kc * tc + ci, cos = ob * tn + n;
                                int8_t v = 0;
                                if (cis / g->cin_g == cos / g->cout_g)
                                    v = s->w[(((co0 + cos) * g->KH + fy) * g->KW + fx) * g->cin_g +
                                             cis % g->cin_g];
                                buf[at++] = (uint8_t)v;
                            }
            }
            for (long n = 0; n < tnb; n++) {
                long co = co0 + ob * tn + n;
                int32_t v[3] = {s->bias2[co], s->mult[co], s->shift[co]};
                for (int k = 0; k < 3; k++)
                    for (int b = 0; b < 4; b++)
                        buf[at++] = (uint8_t)((uint32_t)v[k] >> (8 * b));
            }
        }
    }
    addr = cg_const(cg, buf, at, 64);
    free(buf);
    return addr;
}


/* Per output channel: the bias with the input zero point folded in (docs/numerics.md), and the
   TFLite multiplier/shift of s_in * s_w[c] / s_out. */
static void make_params(cg_t *cg, int32_t **bias2, int32_t **mult, int32_t **shift)
{
    const cc_net_t *net = cg->net;
    const cc_layer_t *l = &net->l[cg->pd->main_layer];
    const cc_tensor_t *x = &net->t[l->in[0]];
    long k = (long)l->kh * l->kw * (x->c / l->groups);
    *bias2 = cc_xmalloc(sizeof(int32_t) * (size_t)l->cout);
    *mult = cc_xmalloc(sizeof(int32_t) * (size_t)l->cout);
    *shift = cc_xmalloc(sizeof(int32_t) * (size_t)l->cout);
    for (long co = 0; co < l->cout; co++) {
        uint32_t sum = 0;
        for (long i = 0; i < k; i++)
            sum += (uint32_t)(int32_t)l->weight[co * k + i];
        (*bias2)[co] = (int32_t)((uint32_t)(l->bias ? l->bias[co] : 0) - (uint32_t)x->zp * sum);
        if (l->requant) { /* given by the weight file (NAME.requant) */
            (*mult)[co] = l->requant[2 * co];
            (*shift)[co] = l->requant[2 * co + 1];
        } else {
            cc_quantize_multiplier(x->scale * l->wscale[co] / net->t[l->out].scale,
                                   &(*mult)[co], &(*shift)[co]);
        }
    }
}

/* ---- fully connected, input-stationary -------------------------------------------------------
 *
 * For a batch of one or two vectors a weight-stationary array spends max(M, R + C + 3) cycles
 * per R x C weight tile, i.e. R*C MACs per R + C + 3 cycles. Swapping the operands -- the
 * filter rows stream through the array as the matrix "input" (M = output features) and each
 * input vector is a one-column "weight" -- gives R MACs per cycle, as fast as the DRAM delivers
 * the weights (firmware/fc_relu's IS mode). The filter keeps TFLite's [out][in] layout; the
 * input vectors stay in WRAM; per block of tnb outputs and k-step of tk inputs:
 *     LD: filter tile w[o0:o0+tnb][k0:k0+tk] -> NRAM slot
 *     CP: per batch row b: mm acc[b*TNB..] (+)= tile x in[b][k0:k0+tk]   (N = 1)
 *         after the last k-step: vrq -> [B][tnb], fused ops
 *     ST: out[:, o0:o0+tnb]
 */
typedef struct is_tiling {
    long tnb, tk;
    double cost;
} is_tiling_t;

static double is_cost(const cg_t *cg, long B, long K, long O, long tnb, long tk, int n_luts)
{
    const dlp_config_t *c = cg->cfg;
    double total = 0, first = 0;
    long nob = cc_cdiv(O, tnb), nkc = cc_cdiv(K, tk);
    for (int b = 0; b < 2; b++)
        for (int k = 0; k < 2; k++) {
            long cb = b ? 1 : nob - 1, ck = k ? 1 : nkc - 1;
            long n = b ? O - (nob - 1) * tnb : tnb, kk = k ? K - (nkc - 1) * tk : tk;
            double comp, dma;
            if (!cb || !ck)
                continue;
            comp = (double)B * cg_t_mm(c, n, kk, 1);
            dma = cg_t_dma(c, 1, (double)n * kk);
            total += (double)cb * ck * ((comp > dma ? comp : dma) + 20);
            if (!first)
                first = dma;
        }
    total += nob * (cg_t_vec(c, B, tnb, 1, 3) + n_luts * cg_t_vec(c, B, tnb, 2, 16) +
                    cg_t_dma(c, (double)B, (double)tnb) + cg_t_dma(c, 1, 12.0 * tnb) + 30);
    return total + first + cg_t_dma(c, (double)B, (double)K) + 100;
}

static int is_choose(const cg_t *cg, long B, long K, long O, int n_luts, is_tiling_t *best)
{
    static long tn[512], tk[512];
    int nn = candidates(O, 1, 65535, tn, 512), nk = candidates(K, 1, 65535, tk, 512), found = 0;
    for (int i = 0; i < nn; i++)
        for (int j = 0; j < nk; j++) {
            long wram = B * K + 2 * DLP_VRQ_PARAM_BYTES * tn[i] + 256L * n_luts;
            long nram = 2 * tn[i] * tk[j] + 2 * B * tn[i] + 2;
            double c;
            if (wram > (long)cg->cfg->wram_bytes || nram > (long)cg->cfg->nram_bytes ||
                4 * B * tn[i] > (long)cg->cfg->acc_bytes)
                continue;
            c = is_cost(cg, B, K, O, tn[i], tk[j], n_luts);
            if (!found || c < best->cost) {
                best->tnb = tn[i];
                best->tk = tk[j];
                best->cost = c;
                found = 1;
            }
        }
    return found;
}

enum { iF = 1, iOUT = 2, iP = 3, iX = 4, iSF = 5, iSO = 6, iSH = 7 };

typedef struct is_ctx {
    cg_t *cg;
    long B, K, O, TNB, tk;
    long NF0, NF1, NO0, NO1, NSCR, XW, WH0, WH1, RSo;
    long lut_at[MAX_EPI];
    int loop_kc, loop_ob;
    int err;
} is_ctx_t;

static void is_step(is_ctx_t *e, long tnb, long tk, int first, int last)
{
    cg_t *cg = e->cg;
    const prog_desc_t *pd = cg->pd;
    dma_dim_t rows = {tnb, tk, tk}, one = {1, 0, 0};
    cg_comment(cg, "step: %ld outputs x %ld inputs%s", tnb, tk, first ? " (first)" : "");
    e->err |= cg_dma(cg, "nram", iSF, "dram", iF, tk, rows, one, ", wait=cp, signal=cp");
    cg_li(cg, 12, tk);
    cg_li(cg, 13, 1);
    for (long b = 0; b < e->B; b++) {
        char fl[48];
        snprintf(fl, sizeof fl, "%s%s", b == 0 ? ", wait=ld" : "",
                 b == e->B - 1 ? ", signal=ld" : "");
        cg_addi(cg, 10, iX, b * e->K);
        cg_li(cg, 11, b * e->TNB);
        cg_line(cg, "mm      acc[r11], nram[r%d], wram[r10], %ld, %ld, 1, s0=r12, ws=r13, as=r13, "
                "accum=%d%s", iSF, tnb, tk, first ? 0 : 1, fl);
    }
    cg_toggle(cg, iSF, e->NF0, e->NF1);
    if (last) {
        int nw = 1 + pd->n_ops, w = 0;
        char fl[48];
        dma_dim_t orow = {e->B, tnb, e->RSo};
        cg_comment(cg, "epilogue: requantize %ld x %ld, store", e->B, tnb);
        cg_li(cg, 12, tnb);
        cg_li(cg, 13, e->TNB);
        snprintf(fl, sizeof fl, ", wait=st%s", nw == 1 ? ", signal=st" : "");
        cg_line(cg, "vrq     nram[r%d], acc[zero], wram[r%d], %ld, %ld, sd=r12, sa=r13, zp=%d, "
                "lo=%d, hi=%d%s", iSO, iSH, e->B, tnb,
                cg->net->t[cg->net->l[pd->main_layer].out].zp, pd->vrq_lo, pd->vrq_hi, fl);
        for (int i = 0; i < pd->n_ops; i++) {
            w++;
            cg_vec_tile(cg, &pd->ops[i], iSO, iSO, e->B, tnb, e->lut_at[i],
                        w == nw - 1 ? ", signal=st" : "");
        }
        e->err |= cg_dma(cg, "dram", iOUT, "nram", iSO, tnb, orow, one, ", wait=cp, signal=cp");
        cg_toggle(cg, iSO, e->NO0, e->NO1);
    }
}

/* One block of tnb outputs: header (parameters), its k-steps, pointers to the next block. */
static void is_block(is_ctx_t *e, long tnb)
{
    cg_t *cg = e->cg;
    long nf = e->K / e->tk, rem = e->K % e->tk, steps = nf + (rem > 0);
    dma_dim_t one = {1, 0, 0};
    cg_comment(cg, "block of %ld outputs: parameters", tnb);
    e->err |= cg_dma(cg, "wram", iSH, "dram", iP, DLP_VRQ_PARAM_BYTES * tnb, one, one, ", wait=cp, signal=cp");
    cg_dummy_cp(cg, e->NSCR, ", wait=ld, signal=ld");
    /* k-steps: first, middle (loop), last */
    is_step(e, tnb, nf ? e->tk : rem, 1, steps == 1);
    cg_adjust(cg, iF, tnb * (nf ? e->tk : rem));
    cg_adjust(cg, iX, nf ? e->tk : rem);
    if (nf > 2 || (nf == 2 && rem)) {
        long mid = rem ? nf - 1 : nf - 2;
        if (mid >= 2 && e->loop_kc)
            cg_loop_begin(cg, mid);
        for (long i = 0; i < (mid >= 2 && e->loop_kc ? 1 : mid); i++) {
            is_step(e, tnb, e->tk, 0, 0);
            cg_adjust(cg, iF, tnb * e->tk);
            cg_adjust(cg, iX, e->tk);
        }
        if (mid >= 2 && e->loop_kc)
            cg_loop_end(cg);
    }
    if (steps > 1) {
        long lk = rem ? rem : e->tk;
        is_step(e, tnb, lk, 0, 1);
        cg_adjust(cg, iF, tnb * lk);
        cg_adjust(cg, iX, lk);
    }
    /* back to k = 0 of the inputs, on to the next block (the filter tiles are consecutive) */
    cg_adjust(cg, iX, -e->K);
    cg_adjust(cg, iOUT, tnb);
    cg_adjust(cg, iP, DLP_VRQ_PARAM_BYTES * tnb);
    cg_toggle(cg, iSH, e->WH0, e->WH1);
}

static int gen_fc_is(cg_t *cg, const is_tiling_t *t, long B, long K, long O, uint32_t x_addr,
                     long x_stride, uint32_t out_addr, long RSo)
{
    const prog_desc_t *pd = cg->pd;
    const cc_layer_t *l = &cg->net->l[pd->main_layer];
    is_ctx_t e;
    int32_t *bias2, *mult, *shift;
    uint8_t *prm;
    uint32_t waddr, paddr, lut_addr[MAX_EPI];
    long wl, nob = O / t->tnb;
    memset(&e, 0, sizeof e);
    e.cg = cg;
    e.B = B;
    e.K = K;
    e.O = O;
    e.TNB = t->tnb;
    e.tk = t->tk;
    e.RSo = RSo;
    e.NF0 = 0;
    e.NF1 = t->tnb * t->tk;
    e.NO0 = 2 * e.NF1;
    e.NO1 = e.NO0 + B * t->tnb;
    e.NSCR = e.NO1 + B * t->tnb;
    e.XW = 0;
    e.WH0 = B * K;
    e.WH1 = e.WH0 + DLP_VRQ_PARAM_BYTES * t->tnb;
    wl = e.WH1 + DLP_VRQ_PARAM_BYTES * t->tnb;
    for (int i = 0; i < pd->n_ops; i++)
        if (pd->ops[i].kind == EPI_LUT) {
            e.lut_at[i] = wl;
            wl += 256;
        }
    make_params(cg, &bias2, &mult, &shift);
    {
        /* the filter pre-tiled: per block, per k-step, the tile [tnb][tk] row-major, so that
           each step loads one contiguous run */
        uint8_t *tiles = cc_xmalloc((size_t)O * (size_t)K);
        size_t at = 0;
        for (long o0 = 0; o0 < O; o0 += t->tnb) {
            long nb = O - o0 < t->tnb ? O - o0 : t->tnb;
            for (long k0 = 0; k0 < K; k0 += t->tk) {
                long kk = K - k0 < t->tk ? K - k0 : t->tk;
                for (long o = 0; o < nb; o++)
                    for (long k = 0; k < kk; k++)
                        tiles[at++] = (uint8_t)l->weight[(o0 + o) * K + k0 + k];
            }
        }
        waddr = cg_const(cg, tiles, at, 64);
        free(tiles);
    }
    prm = cc_xmalloc(DLP_VRQ_PARAM_BYTES * (size_t)O);
    for (long o = 0; o < O; o++) {
        int32_t v[DLP_VRQ_WORDS];
        v[DLP_VRQ_BIAS] = bias2[o];
        v[DLP_VRQ_MULT] = mult[o];
        v[DLP_VRQ_SHIFT] = shift[o];
        for (int k = 0; k < DLP_VRQ_WORDS; k++)
            for (int b = 0; b < 4; b++)
                prm[DLP_VRQ_PARAM_BYTES * o + 4 * k + b] = (uint8_t)((uint32_t)v[k] >> (8 * b));
    }
    paddr = cg_const(cg, prm, DLP_VRQ_PARAM_BYTES * (size_t)O, 16);
    free(prm);
    free(bias2);
    free(mult);
    free(shift);
    for (int i = 0; i < pd->n_ops; i++)
        lut_addr[i] = pd->ops[i].kind == EPI_LUT ? cg_const(cg, pd->ops[i].table, 256, 16) : 0;
    {
        int depth = (int)cg->cfg->loop_depth;
        long mid = (K / t->tk) - 1 - (K % t->tk ? 0 : 1);
        e.loop_kc = mid >= 2 && depth > 0;
        depth -= e.loop_kc;
        e.loop_ob = nob >= 2 && depth > 0;
    }
    cc_buf_printf(&cg->plan, "input-stationary: %ld outputs x %ld inputs per step, est %.0f "
                  "cycles", t->tnb, t->tk, t->cost);
    cg->est_cycles = (uint64_t)t->cost;
    cg_comment(cg, "%s: fully connected %ld -> %ld, batch %ld, input-stationary (filter rows "
               "stream through the array, the input vectors are the weights)", pd->name, K, O, B);
    cg_comment(cg, "tiling: %s", cg->plan.s);
    {
        dma_dim_t xr = {B, x_stride, K}, one = {1, 0, 0};
        cg_li(cg, 10, (long)x_addr);
        cg_li(cg, 11, e.XW);
        e.err |= cg_dma(cg, "wram", 11, "dram", 10, K, xr, one, "");
    }
    for (int i = 0; i < pd->n_ops; i++)
        if (pd->ops[i].kind == EPI_LUT) {
            cg_li(cg, 10, (long)lut_addr[i]);
            cg_li(cg, 11, e.lut_at[i]);
            cg_line(cg, "dma     wram[r11], dram[r10], 256");
        }
    cg_line(cg, "sync");
    cg_li(cg, iF, (long)waddr);
    cg_li(cg, iOUT, (long)out_addr);
    cg_li(cg, iP, (long)paddr);
    cg_li(cg, iX, e.XW);
    cg_li(cg, iSF, e.NF0);
    cg_li(cg, iSO, e.NO0);
    cg_li(cg, iSH, e.WH0);
    cg_primers(cg, e.NSCR, 0);
    cg->lazy = 1u << iF | 1u << iOUT | 1u << iP | 1u << iX;
    if (nob >= 2 && e.loop_ob)
        cg_loop_begin(cg, nob);
    for (long i = 0; i < (nob >= 2 && e.loop_ob ? 1 : nob); i++)
        is_block(&e, t->tnb);
    if (nob >= 2 && e.loop_ob)
        cg_loop_end(cg);
    if (O % t->tnb)
        is_block(&e, O % t->tnb);
    cg_line(cg, "halt");
    return e.err ? -1 : 0;
}

/* ---- emission ------------------------------------------------------------------------------- */

typedef struct cur {
    long gg, cin_sg, cout_sg, tn, tc; /* current super-group / block / chunk sizes */
    long toh, tow, tck;
    int kfirst, klast;
} cur_t;

typedef struct em_ctx {
    cg_t *cg;
    const geom_t *g;
    const tiling_t *t;
    /* memory map */
    long NI0, NI1, NX, NO0, NO1, NR0, NSCR, WH0, WH1, WW0, WW1, LUT[2], ADDP;
    long PQ;               /* the parameters of a header slot sH are at WRAM sH + PQ */
    long ACCQ;             /* VF: the ACC slot of a tile is sO + ACCQ (elements) */
    long lut_at[MAX_EPI];
    int can_loop[LV_COUNT];
    int nblocks_total;
    int err;
} em_ctx_t;

static void emit_level(em_ctx_t *e, int L, cur_t cur);

static long chunk_bytes(const geom_t *g, long tck, long tnb)
{
    return g->KH * g->KW * tck * tnb;
}

static long stride_of(const em_ctx_t *e, int L, int reg, const cur_t *c)
{
    const geom_t *g = e->g;
    const tiling_t *t = e->t;
    long pk = g->pk;
    switch (L) {
    case LV_N:
        return reg == rIN ? g->ISi : reg == rOUT ? g->ISo : reg == rRES ? g->ISr : 0;
    case LV_SG: {
        long full_cin = t->G * g->cin_g, full_cout = t->G * g->cout_g;
        long tn = t->G > 1 ? full_cout : t->tn, bytes = 0;
        for (long ob = 0; ob * tn < full_cout; ob++) {
            long tnb = full_cout - ob * tn < tn ? full_cout - ob * tn : tn;
            bytes += header_bytes(g, full_cin, tnb);
        }
        return reg == rIN ? full_cin : (reg == rOUT || reg == rRES) ? full_cout : bytes;
    }
    case LV_OB:
        return (reg == rOUT || reg == rRES) ? c->tn
               : (reg == rW || reg == rWC) ? header_bytes(g, c->cin_sg, c->tn) : 0;
    case LV_R:
        return reg == rIN ? t->toh * g->SH * g->RSi : reg == rOUT ? (t->toh / pk) * g->RSo
               : reg == rRES ? t->toh * g->RSr : 0;
    case LV_Q:
        return reg == rIN ? t->tow * g->SW * g->CI : reg == rOUT ? (t->tow / pk) * g->CO
               : reg == rRES ? t->tow * g->CR : 0;
    case LV_KC:
        return reg == rIN ? c->tc : reg == rWC ? chunk_bytes(g, c->tc, c->tn) : 0;
    }
    return 0;
}

static void emit_step(em_ctx_t *e, const cur_t *c)
{
    cg_t *cg = e->cg;
    const geom_t *g = e->g;
    const tiling_t *t = e->t;
    long hi = hin(g, c->toh), wi = win(g, c->tow), tck = c->tck, tnb = c->tn;
    long nmm = t->pack ? 1 : g->KH, kdim = t->pack ? g->KH * g->KW * tck : g->KW * tck;
    /* the box: dense (runs of tck bytes, wi per row, hi rows) or packed (runs of KW*tck bytes,
       hi per strip, tow strips) */
    long n0 = t->pack ? g->KW * tck : tck;
    dma_dim_t px = {wi, g->CI, tck}, rows = {hi, g->RSi, wi * tck};
    if (t->pack) {
        px = (dma_dim_t){hi, g->RSi, g->KW * tck};
        rows = (dma_dim_t){c->tow, g->SW * g->CI, hi * g->KW * tck};
    }
    cg_comment(cg, "step: %ldx%ld pixels, %ld input channels, %ld outputs%s", c->toh, c->tow,
               tck, tnb, c->kfirst ? " (first chunk)" : "");
    /* this step also loads the tile the epilogue adds (with VF the epilogue loads it) */
    int res = g->add && c->klast && !t->vf;
    if (t->vf) {
        /* the input box waits cp (slot free); the group's last load signals cp */
        dma_dim_t one = {1, 0, 0};
        e->err |= cg_dma(cg, "nram", sI, "dram", rIN, n0, px, rows,
                         t->wres ? ", wait=cp, signal=cp" : ", wait=cp");
        if (!t->wres)
            e->err |= cg_dma(cg, "wram", sW, "dram", rWC, chunk_bytes(g, tck, tnb), one, one,
                             ", signal=cp");
        cg_addi(cg, 15, sO, e->ACCQ);
    } else if (t->wres && !res) {
        e->err |= cg_dma(cg, "nram", sI, "dram", rIN, n0, px, rows, ", wait=cp, signal=cp");
    } else {
        dma_dim_t one = {1, 0, 0};
        e->err |= cg_dma(cg, "nram", sI, "dram", rIN, n0, px, rows, ", wait=cp");
        if (res) {
            dma_dim_t rp = {c->tow, g->CR, tnb}, rr = {c->toh, g->RSr, c->tow * tnb};
            cg_addi(cg, 10, sO, e->NR0 - e->NO0);
            e->err |= cg_dma(cg, "nram", 10, "dram", rRES, tnb, rp, rr,
                             t->wres ? ", signal=cp" : "");
        }
        if (!t->wres)
            e->err |= cg_dma(cg, "wram", sW, "dram", rWC, chunk_bytes(g, tck, tnb), one, one,
                             ", signal=cp");
    }
    cg_li(cg, 12, t->pack ? hi * g->KW * tck : g->SW * tck);
    cg_li(cg, 13, t->pack ? g->SH * g->KW * tck : g->SH * wi * tck);
    cg_li(cg, 14, tnb);
    for (long fy = 0; fy < nmm; fy++) {
        int ra = sI, rb = sW;
        char flags[64];
        if (fy) {
            cg_addi(cg, 10, sI, fy * wi * tck);
            cg_addi(cg, 11, sW, fy * g->KW * tck * tnb);
            ra = 10;
            rb = 11;
        }
        if (t->vf) /* the first mm of a tile waits for its ACC slot (vf), the last hands the
                      tile to the VF queue */
            snprintf(flags, sizeof flags, "%s%s", fy == 0 ? (c->kfirst ? ", wait=ld|vf" :
                     ", wait=ld") : "", fy == nmm - 1 ? (c->klast ? ", signal=ld|vf" :
                     ", signal=ld") : "");
        else
            snprintf(flags, sizeof flags, "%s%s", fy == 0 ? ", wait=ld" : "",
                     fy == nmm - 1 && !res ? ", signal=ld" : "");
        cg_line(cg, "mm      acc[%s], nram[r%d], wram[r%d], %ld, %ld, %ld, m1=%ld, s0=r12, "
                "s1=r13, ws=r14, as=r14, accum=%d%s", t->vf ? "r15" : "zero", ra, rb, c->tow,
                kdim, tnb, c->toh, (c->kfirst && fy == 0) ? 0 : 1, flags);
    }
    cg_toggle(cg, sI, e->NI0, e->NI1);
    if (t->wres)
        cg_line(cg, "addi    r%d, r%d, %ld", sW, sW, chunk_bytes(g, tck, tnb));
    else
        cg_toggle(cg, sW, e->WW0, e->WW1);
    cg->cvalid[sW] = 0;
}

/* Token masks of an instruction's wait/signal fields, by the queue they name. */
enum { Q_LD = 1, Q_CP = 2, Q_ST = 4, Q_VF = 8 };

/* The flags of a vector instruction: on the VF queue (vq) or CP, waiting for and signalling
   the queues of the masks. */
static const char *qflags(char *buf, size_t n, int vq, unsigned wait, unsigned sig)
{
    static const char *const names[4] = {"ld", "cp", "st", "vf"};
    size_t o = (size_t)snprintf(buf, n, "%s", vq ? ", vq=1" : "");
    for (int f = 0; f < 2; f++) {
        unsigned m = f ? sig : wait;
        const char *sep = f ? ", signal=" : ", wait=";
        for (int q = 0; q < 4; q++)
            if (m & (1u << q)) {
                o += (size_t)snprintf(buf + o, n - o, "%s%s", sep, names[q]);
                sep = "|";
            }
    }
    return buf;
}

/* Requantization, fused ops and the store of one output tile. With VF they run on the VF
   queue: the vrq waits cp (the tile's last mm) and signals cp (its ACC slot is free), a vadd
   waits ld (the added tile) and signals ld (its slot is free); the output slot's first writer
   waits st and its last signals st. Without VF they follow the mm's on CP. */
static void emit_epilogue(em_ctx_t *e, const cur_t *c)
{
    cg_t *cg = e->cg;
    const geom_t *g = e->g;
    const tiling_t *t = e->t;
    const prog_desc_t *pd = cg->pd;
    long tnb = c->tn, pix = c->toh * c->tow, pk = g->pk;
    long oth = c->toh / pk, otw = c->tow / pk;
    int pool_at = -1, n_writers, w = 0, vq = t->vf;
    unsigned qacc = vq ? Q_CP : 0; /* the vrq's tokens with the mm's (VF only) */
    const char *acc = vq ? "r15" : "zero";
    char fl[96];
    for (int i = 0; i < pd->n_ops; i++)
        if (pd->ops[i].kind == EPI_POOL)
            pool_at = i;
    /* instructions writing the output slot: the last one before the pool (or vrq) when there is
       no pool, else the pool and everything after it */
    n_writers = g->add ? pd->n_ops : pool_at < 0 ? 1 + pd->n_ops : pd->n_ops - pool_at;
#define FLAGS(ew, es)                                                                            \
    (qflags(fl, sizeof fl, vq, (w == 0 ? Q_ST : 0) | (ew),                                       \
            (w == n_writers - 1 ? Q_ST : 0) | (es)), w++, fl)
    cg_comment(cg, "epilogue: requantize %ld x %ld, fused ops, store", pix, tnb);
    if (g->add && vq) {
        /* the added tile, after the tile's input loads so that it does not hold them up: it
           waits vf (its slot's vadd two tiles back) and signals vf (tile ready) */
        dma_dim_t rp = {c->tow, g->CR, tnb}, rr = {c->toh, g->RSr, c->tow * tnb};
        cg_addi(cg, 10, sO, e->NR0 - e->NO0);
        cg->cvalid[10] = 0;
        e->err |= cg_dma(cg, "nram", 10, "dram", rRES, tnb, rp, rr, ", wait=vf, signal=vf");
    }
    if (vq)
        cg_addi(cg, 10, sH, e->PQ);
    else if (t->wres)
        cg_addi(cg, 10, sH, chunk_bytes(g, c->cin_sg, tnb));
    else
        cg_line(cg, "add     r10, r%d, zero", sH);
    cg->cvalid[10] = 0;
    if (vq) {
        cg_addi(cg, 15, sO, e->ACCQ);
        cg->cvalid[15] = 0;
    }
    cg_li(cg, 12, tnb);
    if (g->add) {
        /* vrq -> X, then out = add(X, the other operand's tile) */
        const epi_op_t *op = &pd->ops[0];
        cg_li(cg, 13, e->NX);
        cg_line(cg, "vrq     nram[r13], acc[%s], wram[r10], %ld, %ld, sd=r12, sa=r12, zp=%d, "
                "lo=%d, hi=%d%s", acc, pix, tnb,
                cg->net->t[cg->net->l[pd->main_layer].out].zp, pd->vrq_lo, pd->vrq_hi,
                qflags(fl, sizeof fl, vq, qacc, qacc));
        cg_addi(cg, 10, sO, e->NR0 - e->NO0);
        cg_li(cg, 14, e->ADDP);
        FLAGS(vq ? Q_LD : 0, Q_LD);
        cg_line(cg, "vadd    nram[r%d], nram[r13], nram[r10], wram[r14], %ld, %ld, sd=r12, "
                "sa=r12, sb=r12%s   ; + %s", sO, pix, tnb, fl, cg->net->t[op->other].name);
        for (int i = 1; i < pd->n_ops; i++)
            cg_vec_tile(cg, &pd->ops[i], sO, sO, pix, tnb, e->lut_at[i], FLAGS(0, 0));
    } else if (pool_at >= 0) {
        cg_li(cg, 9, e->NX);
        cg_line(cg, "vrq     nram[r9], acc[%s], wram[r10], %ld, %ld, sd=r12, sa=r12, zp=%d, "
                "lo=%d, hi=%d%s", acc, pix, tnb,
                cg->net->t[cg->net->l[pd->main_layer].out].zp, pd->vrq_lo, pd->vrq_hi,
                qflags(fl, sizeof fl, vq, qacc, qacc));
    } else {
        cg_line(cg, "vrq     nram[r%d], acc[%s], wram[r10], %ld, %ld, sd=r12, sa=r12, zp=%d, "
                "lo=%d, hi=%d%s", sO, acc, pix, tnb,
                cg->net->t[cg->net->l[pd->main_layer].out].zp, pd->vrq_lo, pd->vrq_hi,
                FLAGS(qacc, qacc));
    }
    for (int i = 0; i < pd->n_ops && !g->add; i++) {
        const epi_op_t *op = &pd->ops[i];
        if (op->kind == EPI_POOL) {
            cg_li(cg, 12, tnb);
            cg_li(cg, 13, c->tow * tnb);
            cg_li(cg, 14, tnb);
            cg_li(cg, 15, otw * tnb);
            cg_line(cg, "%s nram[r%d], nram[r9], %ld, %ld, %ld, %ld, %ld, %ld, %ld, sh=%ld, "
                    "sw=%ld, spa=r12, sra=r13, spd=r14, srd=r15%s",
                    op->avg ? "vavgpool" : "vmaxpool", sO, tnb, c->toh, c->tow, oth, otw, pk, pk,
                    pk, pk, FLAGS(0, 0));
        } else if (i < pool_at) {
            cg_vec_tile(cg, op, 9, 9, pix, tnb, e->lut_at[i], qflags(fl, sizeof fl, vq, 0, 0));
        } else {
            cg_vec_tile(cg, op, sO, sO, oth * otw, tnb, e->lut_at[i], FLAGS(0, 0));
        }
    }
#undef FLAGS
    {
        dma_dim_t px = {otw, tnb, g->CO}, rows = {oth, otw * tnb, g->RSo};
        e->err |= cg_dma(cg, "dram", rOUT, "nram", sO, tnb, px, rows,
                         vq ? ", wait=vf, signal=vf" : ", wait=cp, signal=cp");
    }
    cg_toggle(cg, sO, e->NO0, e->NO1);
}

static void emit_header(em_ctx_t *e, const cur_t *c)
{
    cg_t *cg = e->cg;
    const geom_t *g = e->g;
    const tiling_t *t = e->t;
    dma_dim_t one = {1, 0, 0};
    cg_comment(cg, "block header: %s of %ld outputs", t->wres ? "weights and parameters"
               : "parameters", c->tn);
    if (t->vf) {
        /* the header slot's parameters were last read by the vrq's of the block two back (one
           back and a sync with one slot): the first load waits cp and st, an ST -> LD token
           from a 1-byte store after the block's last store (emit_iter), which waited for the
           block's last VF writer. (Not vf: VF -> LD pairs each added tile's load with the vadd
           two tiles back; a per-block token there would pair it with the previous tile.) */
        long wb = chunk_bytes(g, c->cin_sg, c->tn);
        if (t->wres) {
            dma_dim_t rows = {g->KH * g->KW * c->cin_sg, c->tn, c->tn};
            if (t->hslots == 1 && e->nblocks_total > 1)
                cg_line(cg, "sync");
            e->err |= cg_dma(cg, "wram", sH, "dram", rW, c->tn, rows, one, ", wait=cp|st");
            cg_addi(cg, 10, rW, wb);
            cg_addi(cg, 11, sH, e->PQ);
            cg->cvalid[11] = 0;
            e->err |= cg_dma(cg, "wram", 11, "dram", 10, DLP_VRQ_PARAM_BYTES * c->tn, one, one,
                             ", signal=cp");
        } else {
            cg_addi(cg, 10, rW, wb);
            e->err |= cg_dma(cg, "wram", sH, "dram", 10, DLP_VRQ_PARAM_BYTES * c->tn, one, one,
                             ", wait=cp|st, signal=cp");
        }
        cg->cvalid[10] = 0;
    } else if (t->wres) {
        dma_dim_t rows = {g->KH * g->KW * c->cin_sg + 12, c->tn, c->tn};
        if (t->hslots == 1 && e->nblocks_total > 1)
            cg_line(cg, "sync");
        e->err |= cg_dma(cg, "wram", sH, "dram", rW, c->tn, rows, one, ", wait=cp, signal=cp");
    } else {
        cg_addi(cg, 10, rW, chunk_bytes(g, c->cin_sg, c->tn));
        cg->cvalid[10] = 0;
        e->err |= cg_dma(cg, "wram", sH, "dram", 10, 12 * c->tn, one, one, ", wait=cp, signal=cp");
    }
    cg_dummy_cp(cg, e->NSCR, ", wait=ld, signal=ld");
}

/* One iteration of level L with the sizes in c. */
static void emit_iter(em_ctx_t *e, int L, cur_t c)
{
    cg_t *cg = e->cg;
    long saved[16];
    static const int regs[5] = {rIN, rOUT, rW, rWC, rRES};
    memcpy(saved, cg->adv, sizeof saved);
    memset(cg->adv, 0, sizeof cg->adv);
    if (L == LV_OB)
        emit_header(e, &c);
    if (L == LV_Q && e->t->wres) {
        cg_line(cg, "add     r%d, r%d, zero", sW, sH);
        cg->cvalid[sW] = 0;
    }
    if (L == LV_KC)
        emit_step(e, &c);
    else
        emit_level(e, L + 1, c);
    if (L == LV_Q)
        emit_epilogue(e, &c);
    if (L == LV_OB && e->t->vf) { /* the block's ST -> LD token (emit_header) */
        cg_li(cg, 10, (long)cg->scratch_dram);
        cg_li(cg, 11, e->NSCR + 1);
        cg_line(cg, "dma     dram[r10], nram[r11], 1, signal=ld");
    }
    if (L == LV_OB && e->t->wres && e->t->hslots == 2)
        cg_toggle(cg, sH, e->WH0, e->WH1);
    if (L == LV_OB && !e->t->wres)
        cg_toggle(cg, sH, e->WH0, e->WH1);
    for (int k = 0; k < 5; k++) {
        int r = regs[k];
        long s = stride_of(e, L, r, &c);
        if ((r == rWC && e->t->wres) || (r == rRES && !e->g->add))
            continue;
        cg_adjust(cg, r, s - cg->adv[r]);
        saved[r] += s;
    }
    memcpy(cg->adv, saved, sizeof saved);
}

static void emit_group(em_ctx_t *e, int L, long count, cur_t c)
{
    cg_t *cg = e->cg;
    if (count >= 2 && e->can_loop[L]) {
        static const int regs[5] = {rIN, rOUT, rW, rWC, rRES};
        cg_loop_begin(cg, count);
        emit_iter(e, L, c);
        cg_loop_end(cg);
        for (int k = 0; k < 5; k++)
            cg->adv[regs[k]] += (count - 1) * stride_of(e, L, regs[k], &c);
    } else {
        for (long i = 0; i < count; i++)
            emit_iter(e, L, c);
    }
}

static void emit_level(em_ctx_t *e, int L, cur_t c)
{
    const geom_t *g = e->g;
    const tiling_t *t = e->t;
    long extent = 0, tile = 1, nf, rem;
    switch (L) {
    case LV_N: extent = g->N; tile = 1; break;
    case LV_SG: extent = g->NG; tile = t->G; break;
    case LV_OB: extent = c.cout_sg; tile = c.tn; break;
    case LV_R: extent = g->OH; tile = t->toh; break;
    case LV_Q: extent = g->OW; tile = t->tow; break;
    case LV_KC: extent = c.cin_sg; tile = c.tc; break;
    }
    nf = extent / tile;
    rem = extent % tile;
    if (L == LV_KC) {
        /* the first chunk overwrites the accumulators: its own variant; with a fused add (the
           last one also loads the tile to add) or VF (its last mm signals vf) the last one is
           one too */
        long n = nf + (rem > 0), mid;
        cur_t f = c;
        f.kfirst = 1;
        f.klast = n == 1;
        f.tck = nf ? tile : rem;
        emit_group(e, L, 1, f);
        if (n == 1)
            return;
        c.kfirst = 0;
        c.klast = 0;
        c.tck = tile;
        mid = nf - 1 - (!rem && (g->add || t->vf) ? 1 : 0);
        if (mid > 0)
            emit_group(e, L, mid, c);
        if (rem || g->add || t->vf) {
            c.tck = rem ? rem : tile;
            c.klast = 1;
            emit_group(e, L, 1, c);
        }
        return;
    }
    for (int v = 0; v < 2; v++) {
        long cnt = v ? (rem ? 1 : 0) : nf, sz = v ? rem : tile;
        cur_t n = c;
        if (!cnt)
            continue;
        switch (L) {
        case LV_SG:
            n.gg = sz;
            n.cin_sg = sz * g->cin_g;
            n.cout_sg = sz * g->cout_g;
            n.tn = t->G > 1 ? n.cout_sg : t->tn;
            n.tc = t->G > 1 ? n.cin_sg : t->tc;
            if (n.tn > n.cout_sg)
                n.tn = n.cout_sg;
            if (n.tc > n.cin_sg)
                n.tc = n.cin_sg;
            break;
        case LV_OB: n.tn = sz; break;
        case LV_R: n.toh = sz; break;
        case LV_Q: n.tow = sz; break;
        default: break;
        }
        emit_group(e, L, cnt, n);
    }
}

/* Decides which levels run as hardware loops: the innermost looping levels get the loop stack;
   outer ones are unrolled when the configuration's loop depth is exhausted. */
static void plan_loops(em_ctx_t *e)
{
    const geom_t *g = e->g;
    const tiling_t *t = e->t;
    long counts[LV_COUNT];
    int depth = (int)e->cg->cfg->loop_depth;
    counts[LV_N] = g->N;
    counts[LV_SG] = g->NG / t->G;
    counts[LV_OB] = (t->G > 1 ? 1 : t->G * g->cout_g / t->tn);
    counts[LV_R] = g->OH / t->toh;
    counts[LV_Q] = g->OW / t->tow;
    counts[LV_KC] = (t->G > 1 ? 1 : g->cin_g / t->tc) - 1 - (g->add || t->vf ? 1 : 0);
    for (int L = LV_COUNT - 1; L >= 0; L--) {
        e->can_loop[L] = counts[L] >= 2 && depth > 0;
        if (e->can_loop[L])
            depth--;
    }
}

int gen_conv(cg_t *cg)
{
    const cc_net_t *net = cg->net;
    const prog_desc_t *pd = cg->pd;
    const cc_layer_t *l = &net->l[pd->main_layer];
    const cc_tensor_t *x = &net->t[pd->in[0]], *y = &net->t[pd->out];
    geom_t g;
    tiling_t best[N_BEST], t;
    int nbest;
    em_ctx_t e;
    wsrc_t ws;
    int32_t *bias2, *mult, *shift;
    uint32_t wbase, lut_addr[MAX_EPI];
    long pk = 1;
    cur_t c0;

    memset(&g, 0, sizeof g);
    for (int i = 0; i < pd->n_ops; i++)
        if (pd->ops[i].kind == EPI_POOL)
            pk = pd->ops[i].k;
        else if (pd->ops[i].kind == EPI_LUT)
            g.n_luts++;
    g.pk = pk;
    if (pd->n_ops && pd->ops[0].kind == EPI_ADD) {
        const cc_tensor_t *o = &net->t[pd->ops[0].other];
        g.add = 1;
        g.RSr = (long)o->row_stride;
        g.ISr = (long)o->img_stride;
        g.CR = o->c;
        g.res_org = o->addr;
    }
    g.N = x->n;
    g.KH = l->kh;
    g.KW = l->kw;
    g.SH = l->sh;
    g.SW = l->sw;
    g.NG = l->groups;
    g.cin_g = x->c / l->groups;
    g.cout_g = l->cout / l->groups;
    g.CI = x->c;
    g.CO = y->c;
    if (l->kind == CC_FC) {
        /* batch rows as an N x 1 image of 1x1 pixels */
        g.N = 1;
        g.OH = x->n;
        g.OW = 1;
        g.RSi = (long)x->img_stride;
        g.RSo = (long)y->img_stride;
        g.ISi = g.ISo = 0;
        g.in_org = x->addr;
    } else {
        const cc_tensor_t *ot = &net->t[l->out];
        g.OH = ot->h / 1;
        g.OW = ot->w;
        if (pk > 1) {
            g.OH = y->h * pk;
            g.OW = y->w * pk;
        }
        g.RSi = (long)x->row_stride;
        g.ISi = (long)x->img_stride;
        g.RSo = (long)y->row_stride;
        g.ISo = (long)y->img_stride;
        g.in_org = x->addr - (uint32_t)(l->pt * g.RSi) - (uint32_t)(l->pl * g.CI);
    }
    g.out_org = y->addr;

    if (l->kind == CC_FC) {
        is_tiling_t it;
        int ws_ok = choose(cg, &g, best, &nbest) == 0;
        if (is_choose(cg, x->n, x->c, l->cout, g.n_luts, &it) &&
            (!ws_ok || it.cost < best[0].cost)) {
            if (cg->attempt == 0)
                return gen_fc_is(cg, &it, x->n, x->c, l->cout, x->addr, (long)x->img_stride,
                                 y->addr, (long)y->img_stride);
            cg->attempt--; /* later attempts: the weight-stationary tilings */
        }
    }
    if (choose(cg, &g, best, &nbest))
        return cg_fail(cg, "cannot tile this layer for NRAM %u, WRAM %u, ACC %u bytes: even the "
                       "smallest tile (1 output pixel, 1 output channel, 1 input channel) needs "
                       "NRAM %ld, WRAM %ld, ACC 4 bytes", cg->cfg->nram_bytes,
                       cg->cfg->wram_bytes, cg->cfg->acc_bytes,
                       2 * g.KH * g.KW + (pk > 1 ? pk * pk : 0) + 2 + 2,
                       2 * (g.KH * g.KW + 12) + 256L * g.n_luts);
    if (cg->attempt >= nbest)
        return cg_fail(cg, "no tiling gives a program that fits the instruction memory "
                       "(imem_insns=%u) and loop stack (loop_depth=%u)", cg->cfg->imem_insns,
                       cg->cfg->loop_depth);
    t = best[cg->attempt];

    make_params(cg, &bias2, &mult, &shift);
    ws.w = l->weight;
    ws.bias2 = bias2;
    ws.mult = mult;
    ws.shift = shift;
    wbase = layout_weights(cg, &g, &t, &ws);
    free(bias2);
    free(mult);
    free(shift);
    for (int i = 0; i < pd->n_ops; i++)
        lut_addr[i] = pd->ops[i].kind == EPI_LUT ? cg_const(cg, pd->ops[i].table, 256, 16) : 0;

    /* memory map */
    memset(&e, 0, sizeof e);
    e.cg = cg;
    e.g = &g;
    e.t = &t;
    {
        long in_b = box_bytes(&g, &t, t.toh, t.tow, t.tc);
        long out_b = (t.toh / pk) * (t.tow / pk) * t.tn;
        long wlut, cin_sg = t.G * g.cin_g;
        e.NI0 = 0;
        e.NI1 = in_b;
        if (t.vf) {
            /* fits() checked the halves: input slots, weights and ACC slot 0 low; the rest
               high. The output (and added-tile) slots are D apart like the ACC slots, so the
               ACC slot is sO + ACCQ. */
            long D = vf_slot_dist(&t), nh = (long)cg->cfg->nram_bytes / 2;
            long wh = (long)cg->cfg->wram_bytes / 2, ac0 = (long)cg->cfg->acc_bytes / 8 - D;
            e.NX = nh;
            e.NO0 = e.NX + (pk > 1 || g.add ? D : 0);
            e.NO1 = e.NO0 + D;
            e.NR0 = e.NO0 + 2 * D;
            e.NSCR = e.NO0 + (g.add ? 4 * D : D + out_b);
            e.ACCQ = ac0 - e.NO0;
            if (t.wres) {
                e.WH0 = 0;
                e.WH1 = t.hslots == 2 ? vf_hslot(&g, &t) : 0;
                e.PQ = wh;
                wlut = wh + e.WH1 + DLP_VRQ_PARAM_BYTES * t.tn;
            } else {
                e.WW0 = 0;
                e.WW1 = chunk_bytes(&g, t.tc, t.tn);
                e.WH0 = wh;
                e.WH1 = wh + DLP_VRQ_PARAM_BYTES * t.tn;
                wlut = e.WH1 + DLP_VRQ_PARAM_BYTES * t.tn;
            }
        } else {
        e.NX = 2 * in_b;
        e.NO0 = e.NX + (pk > 1 || g.add ? t.toh * t.tow * t.tn : 0);
        e.NO1 = e.NO0 + out_b;
        e.NR0 = e.NO1 + out_b; /* the added tiles: NO0/NO1 + 2*out_b, so sO + that offset */
        e.NSCR = e.NR0 + (g.add ? 2 * out_b : 0);
        if (t.wres) {
            long hb = header_bytes(&g, cin_sg, t.tn);
            e.WH0 = 0;
            e.WH1 = t.hslots == 2 ? hb : 0;
            wlut = t.hslots * hb;
        } else {
            e.WH0 = 0;
            e.WH1 = 12 * t.tn;
            e.WW0 = 24 * t.tn;
            e.WW1 = e.WW0 + chunk_bytes(&g, t.tc, t.tn);
            wlut = e.WW1 + chunk_bytes(&g, t.tc, t.tn);
        }
        }
        for (int i = 0; i < pd->n_ops; i++)
            if (pd->ops[i].kind == EPI_LUT) {
                e.lut_at[i] = wlut;
                wlut += 256;
            }
        e.ADDP = wlut;
        e.nblocks_total = (int)(g.N * cc_cdiv(g.NG, t.G) *
                                cc_cdiv(t.G * g.cout_g, t.G > 1 ? t.G * g.cout_g : t.tn));
    }
    plan_loops(&e);

    cc_buf_printf(&cg->plan, "G=%ld tn=%ld tc=%ld toh=%ld tow=%ld %s%s%s%s est %.0f cycles "
                  "(compute %.0f, dma %.0f)", t.G, t.tn, t.tc, t.toh, t.tow,
                  t.wres ? "weights resident" : "weights streamed",
                  t.wres ? (t.hslots == 2 ? " x2" : " x1") : "",
                  t.vf ? ", post-processing on VF" : "",
                  t.pack ? ", kernel packed into K" : "", t.cost, t.comp, t.dma);
    cg->est_cycles = (uint64_t)t.cost;

    cg_comment(cg, "%s: %s %ldx%ld s%ldx%ld, groups %ld, %ld -> %ld channels, output %ldx%ld%s",
               pd->name, cc_kind_name(l->kind), g.KH, g.KW, g.SH, g.SW, g.NG, g.CI, (long)l->cout,
               g.OH, g.OW, pk > 1 ? " (before the fused pool)" : "");
    cg_comment(cg, "tiling: %s", cg->plan.s);
    cg_comment(cg, "NRAM: in %ld/%ld, pre-pool %ld, out %ld/%ld, scratch %ld; WRAM: headers "
               "%ld/%ld%s", e.NI0, e.NI1, e.NX, e.NO0, e.NO1, e.NSCR, e.WH0, e.WH1,
               t.wres ? "" : ", streamed weights at WW0/WW1");
    for (int i = 0; i < pd->n_ops; i++)
        if (pd->ops[i].kind == EPI_LUT) {
            cg_li(cg, 10, (long)lut_addr[i]);
            cg_li(cg, 11, e.lut_at[i]);
            cg_line(cg, "dma     wram[r11], dram[r10], 256");
        }
    if (g.add) {
        uint8_t pb[DLP_VADD_PARAM_BYTES];
        for (int k = 0; k < DLP_VADD_WORDS; k++)
            for (int b = 0; b < 4; b++)
                pb[4 * k + b] = (uint8_t)((uint32_t)pd->ops[0].add[k] >> (8 * b));
        cg_li(cg, 10, (long)cg_const(cg, pb, DLP_VADD_PARAM_BYTES, 16));
        cg_li(cg, 11, e.ADDP);
        cg_line(cg, "dma     wram[r11], dram[r10], %d", DLP_VADD_PARAM_BYTES);
    }
    if (g.n_luts || g.add)
        cg_line(cg, "sync");
    if (g.add)
        cg_li(cg, rRES, (long)g.res_org);
    cg_li(cg, rIN, (long)g.in_org);
    cg_li(cg, rOUT, (long)g.out_org);
    cg_li(cg, rW, (long)wbase);
    if (!t.wres)
        cg_li(cg, rWC, (long)wbase);
    cg_li(cg, sI, e.NI0);
    cg_li(cg, sO, e.NO0);
    cg_li(cg, sH, e.WH0);
    cg_li(cg, sW, t.wres ? 0 : e.WW0);
    cg_primers(cg, e.NSCR, t.vf);
    memset(&c0, 0, sizeof c0);
    memset(cg->adv, 0, sizeof cg->adv);
    cg->lazy = 1u << rIN | 1u << rOUT | 1u << rW | 1u << rWC | (g.add ? 1u << rRES : 0);
    emit_level(&e, LV_N, c0);
    cg_line(cg, "halt");
    return e.err ? -1 : 0;
}
