/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Data generator and reference for firmware/conv3x3:
 *     conv3x3-gen OUTDIR H W CIN COUT STRIDE PAD SEED [NRAM_KIB WRAM_KIB ACC_KIB]
 * One NHWC image H x W x CIN, a 3x3 filter bank (TFLite OHWI, symmetric per-channel scales),
 * stride 1 or 2, PAD 1 = one pixel of padding on every side, PAD 0 = TFLite SAME (the odd
 * pixel of padding, if any, at the bottom/right), fused ReLU. The program multiplies raw int8
 * values and pads with the input zero point, so its parameter block carries
 * bias' = bias - zp_in * sum(filter[co]); the expected output comes from ref_conv2d (TFLite's
 * reference convolution, which skips padded positions and subtracts zp_in from every input).
 *
 * As the compiler it lays the filter out as the im2col weight matrix [9*CIN][COUT] (row
 * (fy*3 + fx)*CIN + ci) and picks the output-row tile TOH and the output-channel block TN that
 * minimise a cycle estimate within the memory sizes (default 128/256/64 KiB).
 */
#include <stdio.h>
#include <stdlib.h>

#include "fwgen.h"

static long cdiv(long a, long b)
{
    return (a + b - 1) / b;
}

typedef struct geom {
    long H, W, CIN, COUT, S, PT, PL, PB, PR, OH, OW, WP;
} geom_t;

static long in_rows(const geom_t *g, long toh)
{
    return (toh - 1) * g->S + 3;
}

static int fits(const geom_t *g, long toh, long tn, long nram, long wram, long acc)
{
    long nb = cdiv(g->COUT, tn);
    long hslots = nb > 1 ? 2 : 1;
    return 2 * in_rows(g, toh) * g->WP * g->CIN + 2 * toh * g->OW * tn + 16 <= nram &&
           hslots * (9 * g->CIN * tn + DLP_VRQ_PARAM_BYTES * tn) <= wram && 4 * toh * g->OW * tn <= acc &&
           toh * g->OW <= 65535 && toh <= 4095;
}

static double estimate(const geom_t *g, long toh, long tn)
{
    long t = cdiv(g->OH, toh), nb = cdiv(g->COUT, tn);
    double comp = 0, bytes, dma;
    for (long b = 0; b < nb; b++) {
        long n = b < nb - 1 ? tn : g->COUT - (nb - 1) * tn;
        for (long r = 0; r < t; r++) {
            long m = (r < t - 1 ? toh : g->OH - (t - 1) * toh) * g->OW;
            comp += 3 * fw_mm_cycles(m, 3 * g->CIN, n) + fw_vrq_cycles(m, n);
        }
    }
    bytes = (double)nb * t * in_rows(g, toh) * g->W * g->CIN + 9.0 * g->CIN * g->COUT +
            (double)g->OH * g->OW * g->COUT;
    dma = bytes / 16 + 40.0 * nb * t * 2;
    return (comp > dma ? comp : dma) + in_rows(g, toh) * g->W * g->CIN / 16.0 +
           (double)toh * g->OW * tn / 16 + 0.01 * dma;
}

int main(int argc, char **argv)
{
    fwgen_t gen;
    ref_rng_t rng;
    fw_layer_quant_t q;
    geom_t g;
    long pad, seed, nram = 128, wram = 256, acc = 64, best_toh = 0, best_tn = 0;
    double best = 0;
    int8_t *in, *filt, *wmat, *out;
    int32_t *bias2;
    uint8_t *P;
    uint64_t in_addr, w_addr, p_addr, o_addr, s_addr;
    ref_conv_t rc;
    ref_requant_t rq;

    if (argc != 9 && argc != 12) {
        fprintf(stderr,
                "usage: %s OUTDIR H W CIN COUT STRIDE PAD SEED [NRAM_KIB WRAM_KIB ACC_KIB]\n",
                argv[0]);
        return 2;
    }
    g.H = fw_arg(argc, argv, 2, "H");
    g.W = fw_arg(argc, argv, 3, "W");
    g.CIN = fw_arg(argc, argv, 4, "CIN");
    g.COUT = fw_arg(argc, argv, 5, "COUT");
    g.S = fw_arg(argc, argv, 6, "STRIDE");
    pad = fw_arg(argc, argv, 7, "PAD");
    seed = fw_arg(argc, argv, 8, "SEED");
    if (argc == 12) {
        nram = fw_arg(argc, argv, 9, "NRAM_KIB");
        wram = fw_arg(argc, argv, 10, "WRAM_KIB");
        acc = fw_arg(argc, argv, 11, "ACC_KIB");
    }
    if (g.H < 1 || g.W < 1 || g.CIN < 1 || g.CIN > 4095 || g.COUT < 1 || g.COUT > 65535 ||
        (g.S != 1 && g.S != 2) || (pad != 0 && pad != 1)) {
        fprintf(stderr, "%s: need H, W >= 1, 1 <= CIN <= 4095, STRIDE 1 or 2, PAD 0 or 1\n",
                argv[0]);
        return 2;
    }
    if (pad) {
        g.PT = g.PL = g.PB = g.PR = 1;
        g.OH = (g.H + 2 - 3) / g.S + 1;
        g.OW = (g.W + 2 - 3) / g.S + 1;
    } else { /* TFLite SAME */
        long th, tw;
        g.OH = cdiv(g.H, g.S);
        g.OW = cdiv(g.W, g.S);
        th = (g.OH - 1) * g.S + 3 - g.H;
        tw = (g.OW - 1) * g.S + 3 - g.W;
        th = th > 0 ? th : 0;
        tw = tw > 0 ? tw : 0;
        g.PT = th / 2;
        g.PB = th - g.PT;
        g.PL = tw / 2;
        g.PR = tw - g.PL;
    }
    g.WP = g.PL + g.W + g.PR;

    for (long toh = 1; toh <= g.OH; toh++)
        for (long tn = 1; tn < g.COUT + 16; tn = tn < 16 ? 2 * tn : tn + 16) {
            long n = tn < g.COUT ? tn : g.COUT; /* 1, 2, 4, 8 for tiny WRAMs, then 16, 32, ... */
            double c;
            if (!fits(&g, toh, n, nram * 1024, wram * 1024, acc * 1024))
                continue;
            c = estimate(&g, toh, n);
            if (!best_toh || c < best) {
                best = c;
                best_toh = toh;
                best_tn = n;
            }
        }
    if (!best_toh) {
        fprintf(stderr,
                "%s: nothing fits NRAM %ld KiB, WRAM %ld KiB, ACC %ld KiB; the smallest tiling "
                "(one output row, one output channel) needs NRAM %ld, WRAM %ld, ACC %ld bytes\n",
                argv[0], nram, wram, acc, 2 * in_rows(&g, 1) * g.WP * g.CIN + 2 * g.OW + 16,
                9 * g.CIN + 12, 4 * g.OW);
        return 2;
    }
    printf("OH=%ld OW=%ld pads t%ld l%ld b%ld r%ld tiles TOH=%ld TN=%ld (estimate %.0f cycles)\n",
           g.OH, g.OW, g.PT, g.PL, g.PB, g.PR, best_toh, best_tn, best);

    ref_rng_seed(&rng, (uint64_t)seed);
    in = fw_alloc((size_t)(g.H * g.W * g.CIN));
    filt = fw_alloc((size_t)(g.COUT * 9 * g.CIN));
    wmat = fw_alloc((size_t)(g.COUT * 9 * g.CIN));
    out = fw_alloc((size_t)(g.OH * g.OW * g.COUT));
    P = fw_alloc((size_t)(DLP_VRQ_PARAM_BYTES * g.COUT));
    bias2 = fw_alloc(sizeof(int32_t) * (size_t)g.COUT);
    fw_rand_i8(&rng, in, (size_t)(g.H * g.W * g.CIN), -128, 127);
    fw_rand_i8(&rng, filt, (size_t)(g.COUT * 9 * g.CIN), -127, 127);
    fw_layer_quant(&rng, (int)g.COUT, (int)(9 * g.CIN), &q);

    for (long co = 0; co < g.COUT; co++) {
        int64_t s = 0;
        for (long k = 0; k < 9 * g.CIN; k++) { /* OHWI: k = (fy*3 + fx)*CIN + ci */
            int8_t w = filt[co * 9 * g.CIN + k];
            wmat[k * g.COUT + co] = w;
            s += w;
        }
        bias2[co] = (int32_t)(uint32_t)((uint32_t)q.bias[co] - (uint32_t)q.zp_in * (uint32_t)s);
    }
    fw_vrq_params(P, (int)g.COUT, bias2, q.mult, q.shift);

    rc.n = 1;
    rc.ih = (int)g.H;
    rc.iw = (int)g.W;
    rc.ic = (int)g.CIN;
    rc.oc = (int)g.COUT;
    rc.kh = rc.kw = 3;
    rc.sh = rc.sw = (int)g.S;
    rc.pad_t = (int)g.PT;
    rc.pad_l = (int)g.PL;
    rc.pad_b = (int)g.PB;
    rc.pad_r = (int)g.PR;
    rc.groups = 1;
    if (ref_conv_oh(&rc) != g.OH || ref_conv_ow(&rc) != g.OW) {
        fprintf(stderr, "%s: internal error: output size mismatch\n", argv[0]);
        return 2;
    }
    rq = fw_requant(&q, q.zp_out, 127); /* fused ReLU */
    ref_conv2d(&rc, in, filt, &rq, out);

    in_addr = 0x10000;
    w_addr = fw_align(in_addr + (uint64_t)(g.H * g.W * g.CIN), 64);
    p_addr = fw_align(w_addr + (uint64_t)(9 * g.CIN * g.COUT), 64);
    o_addr = fw_align(p_addr + (uint64_t)(DLP_VRQ_PARAM_BYTES * g.COUT), 64);
    s_addr = fw_align(o_addr + (uint64_t)(g.OH * g.OW * g.COUT), 64);

    fw_open(&gen, argv[1]);
    fw_equ(&gen, "H", g.H);
    fw_equ(&gen, "W", g.W);
    fw_equ(&gen, "CIN", g.CIN);
    fw_equ(&gen, "COUT", g.COUT);
    fw_equ(&gen, "S", g.S);
    fw_equ(&gen, "PAD_T", g.PT);
    fw_equ(&gen, "PAD_L", g.PL);
    fw_equ(&gen, "PAD_B", g.PB);
    fw_equ(&gen, "PAD_R", g.PR);
    fw_equ(&gen, "OH", g.OH);
    fw_equ(&gen, "OW", g.OW);
    fw_equ(&gen, "TOH", best_toh);
    fw_equ(&gen, "TN", best_tn);
    fw_equ(&gen, "ZP_IN", q.zp_in);
    fw_equ(&gen, "ZP_OUT", q.zp_out);
    fw_equ(&gen, "IN_ADDR", (long long)in_addr);
    fw_equ(&gen, "W_ADDR", (long long)w_addr);
    fw_equ(&gen, "P_ADDR", (long long)p_addr);
    fw_equ(&gen, "OUT_ADDR", (long long)o_addr);
    fw_equ(&gen, "SCR_ADDR", (long long)s_addr);
    fw_load(&gen, "in.bin", in_addr, in, (size_t)(g.H * g.W * g.CIN));
    fw_load(&gen, "w.bin", w_addr, wmat, (size_t)(9 * g.CIN * g.COUT));
    fw_load(&gen, "p.bin", p_addr, P, (size_t)(DLP_VRQ_PARAM_BYTES * g.COUT));
    fw_check(&gen, "out.bin", o_addr, out, (size_t)(g.OH * g.OW * g.COUT));
    fw_close(&gen);

    fw_layer_quant_free(&q);
    free(in);
    free(filt);
    free(wmat);
    free(out);
    free(P);
    free(bias2);
    return 0;
}
