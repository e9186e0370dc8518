/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Data generator and reference for firmware/fc_relu:
 *     fc_relu-gen OUTDIR BATCH IN OUT SEED [NRAM_KIB WRAM_KIB ACC_KIB]
 * A TFLite int8 FULLY_CONNECTED layer with fused ReLU: random input [BATCH][IN] (zero point
 * zp_in), filter [OUT][IN] with symmetric per-channel scales, int32 bias, per-channel
 * multiplier/shift. The program's DRAM image holds the filter transposed ([IN][OUT]) and
 * bias' = bias - zp_in * sum_i w[o][i]; the expected output is ref_fc with act_min = zp_out,
 * computed from the TFLite-layout filter and the unfolded bias.
 *
 * As the compiler it chooses the dataflow (fc_relu.s): weight-stationary (the GEMM core, filter
 * stored transposed [IN][OUT], tiles from fw_gemm_tiling) or input-stationary (filter in
 * TFLite's [OUT][IN] layout streamed through the array, inputs resident in WRAM; tiles TNB x TK
 * chosen here), whichever a cycle estimate for a 16x16 array with 16-byte beats prefers --
 * input-stationary for batches of one or two.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fwgen.h"

typedef struct is_tiling {
    long tnb, tk;
    double cost;
} is_tiling_t;

static long cdiv(long a, long b)
{
    return (a + b - 1) / b;
}

/* one-column mm of m rows (the model's timing on the default core) */
static double mm1(long m, long k)
{
    return fw_mm_cycles(m, k, 1);
}

static double is_estimate(long B, long K, long N, long tnb, long tk)
{
    long nb = cdiv(N, tnb), kt = cdiv(K, tk);
    double comp = 0, dma;
    for (long b = 0; b < nb; b++) {
        long n = b < nb - 1 ? tnb : N - (nb - 1) * tnb;
        comp += B * ((kt - 1) * mm1(n, tk) + mm1(n, K - (kt - 1) * tk)) +
                fw_vrq_cycles(B, n);
    }
    /* filter tiles (tnb runs of tk), out tiles (B runs of tnb), params, the inputs once */
    dma = (double)nb * kt * fw_dma_cycles(tnb, tk) + nb * fw_dma_cycles(B, tnb) +
          nb * fw_dma_cycles(1, (double)DLP_VRQ_PARAM_BYTES * tnb) + fw_dma_cycles(1, (double)B * K);
    return (comp > dma ? comp : dma) + (double)tnb * tk / 16 + B * K / 16.0 + 100;
}

static is_tiling_t is_tiling(long B, long K, long N, long nram, long wram, long acc)
{
    is_tiling_t best = {0, 0, 0};
    for (long tnb = 16; tnb < N + 16; tnb += 16)
        for (long tk = 16; tk < K + 16; tk += 16) {
            long n = tnb < N ? tnb : N, k = tk < K ? tk : K;
            double c;
            if (2 * n * k + 2 * B * n + 16 > nram || B * K + 24 * n > wram || 4 * B * n > acc)
                continue;
            c = is_estimate(B, K, N, n, k);
            if (!best.tnb || c < best.cost) {
                is_tiling_t t = {n, k, c};
                best = t;
            }
        }
    return best;
}

int main(int argc, char **argv)
{
    fwgen_t g;
    ref_rng_t rng;
    fw_layer_quant_t q;
    long B, I, O, seed, nram = 128, wram = 256, acc = 64;
    int8_t *in, *w, *wt, *out;
    int32_t *bias2;
    uint8_t *P;
    uint64_t a_addr, b_addr, p_addr, c_addr, s_addr;
    fw_gemm_tiling_t t;
    is_tiling_t it;
    int is;
    ref_requant_t rq;

    if (argc != 6 && argc != 9) {
        fprintf(stderr, "usage: %s OUTDIR BATCH IN OUT SEED [NRAM_KIB WRAM_KIB ACC_KIB]\n",
                argv[0]);
        return 2;
    }
    B = fw_arg(argc, argv, 2, "BATCH");
    I = fw_arg(argc, argv, 3, "IN");
    O = fw_arg(argc, argv, 4, "OUT");
    seed = fw_arg(argc, argv, 5, "SEED");
    if (argc == 9) {
        nram = fw_arg(argc, argv, 6, "NRAM_KIB");
        wram = fw_arg(argc, argv, 7, "WRAM_KIB");
        acc = fw_arg(argc, argv, 8, "ACC_KIB");
    }
    if (B < 1 || I < 1 || O < 1 || B > 65535 || I > 65535 || O > 65535) {
        fprintf(stderr, "%s: sizes must be 1..65535\n", argv[0]);
        return 2;
    }
    t = fw_gemm_tiling(B, I, O, nram * 1024, wram * 1024, acc * 1024);
    it = is_tiling(B, I, O, nram * 1024, wram * 1024, acc * 1024);
    if (!t.tm && !it.tnb) {
        fprintf(stderr, "%s: no tiling fits NRAM %ld KiB, WRAM %ld KiB, ACC %ld KiB\n", argv[0],
                nram, wram, acc);
        return 2;
    }
    is = it.tnb && (!t.tm || it.cost < t.cost);
    if (is)
        printf("input-stationary: TNB=%ld TK=%ld (k-steps %ld; estimate %.0f cycles, "
               "weight-stationary %.0f)\n", it.tnb, it.tk, (I + it.tk - 1) / it.tk, it.cost,
               t.tm ? t.cost : 0.0);
    else
        printf("weight-stationary: TM=%ld TN=%ld TK=%ld BRES=%d (k-steps %ld; estimate %.0f "
               "cycles, input-stationary %.0f)\n", t.tm, t.tn, t.tk, t.bres,
               (I + t.tk - 1) / t.tk, t.cost, it.tnb ? it.cost : 0.0);

    ref_rng_seed(&rng, (uint64_t)seed);
    in = fw_alloc((size_t)(B * I));
    w = fw_alloc((size_t)(O * I));
    wt = fw_alloc((size_t)(O * I));
    out = fw_alloc((size_t)(B * O));
    P = fw_alloc((size_t)(DLP_VRQ_PARAM_BYTES * O));
    bias2 = fw_alloc(sizeof(int32_t) * (size_t)O);
    fw_rand_i8(&rng, in, (size_t)(B * I), -128, 127);
    fw_rand_i8(&rng, w, (size_t)(O * I), -127, 127);
    fw_layer_quant(&rng, (int)O, (int)I, &q);
    for (long o = 0; o < O; o++) {
        int64_t s = 0;
        for (long i = 0; i < I; i++) {
            s += w[o * I + i];
            wt[i * O + o] = w[o * I + i];
        }
        bias2[o] = (int32_t)(uint32_t)((uint32_t)q.bias[o] - (uint32_t)q.zp_in * (uint32_t)s);
    }
    fw_vrq_params(P, (int)O, bias2, q.mult, q.shift);
    rq = fw_requant(&q, q.zp_out, 127);
    ref_fc((int)B, (int)I, (int)O, in, w, &rq, out);

    a_addr = 0x10000;
    b_addr = fw_align(a_addr + (uint64_t)(B * I), 64);
    p_addr = fw_align(b_addr + (uint64_t)(I * O), 64);
    c_addr = fw_align(p_addr + (uint64_t)(DLP_VRQ_PARAM_BYTES * O), 64);
    s_addr = fw_align(c_addr + (uint64_t)(B * O), 64);
    fw_open(&g, argv[1]);
    fw_equ(&g, "M", B);
    fw_equ(&g, "K", I);
    fw_equ(&g, "N", O);
    fw_equ(&g, "IS", is);
    if (is) {
        fw_equ(&g, "TNB", it.tnb);
        fw_equ(&g, "TK", it.tk);
    } else {
        fw_gemm_equs(&g, &t);
    }
    fw_equ(&g, "ZP_OUT", q.zp_out);
    fw_equ(&g, "A_ADDR", (long long)a_addr);
    fw_equ(&g, "B_ADDR", (long long)b_addr);
    fw_equ(&g, "P_ADDR", (long long)p_addr);
    fw_equ(&g, "C_ADDR", (long long)c_addr);
    fw_equ(&g, "SCR_ADDR", (long long)s_addr);
    fw_load(&g, "in.bin", a_addr, in, (size_t)(B * I));
    /* weight-stationary streams the transposed filter, input-stationary TFLite's layout */
    fw_load(&g, "w.bin", b_addr, is ? w : wt, (size_t)(I * O));
    fw_load(&g, "p.bin", p_addr, P, (size_t)(DLP_VRQ_PARAM_BYTES * O));
    fw_check(&g, "out.bin", c_addr, out, (size_t)(B * O));
    fw_close(&g);

    fw_layer_quant_free(&q);
    free(in);
    free(w);
    free(wt);
    free(out);
    free(P);
    free(bias2);
    return 0;
}
