/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Data generator and reference for firmware/gemm:
 *     gemm-gen OUTDIR M K N SEED [NRAM_KIB WRAM_KIB ACC_KIB]
 * Random int8 A (M x K, zero point zp_A) and B (K x N, symmetric per-column scales), TFLite
 * per-channel requantization. The program multiplies raw int8 values, so its parameter block
 * carries bias' = bias - zp_A * sum_k B[k][n]; the expected output comes from ref_fc (TFLite's
 * fully connected with the zero point subtracted from every input), which shares nothing with
 * the program or the C model.
 *
 * Acting as the compiler, it picks the tiles for the memory sizes given (default: the default
 * configuration's 128/256/64 KiB): fw_wres_plan() (WRES = 1: B resident, wres_core.inc) when
 * all of B fits the WRAM low half and its estimate is below that of fw_gemm_tiling() (TM, TN,
 * TK, BRES, OVL: gemm_core.inc). The program is correct for every array shape; the sizes only
 * have to fit the smallest memories among the case's configurations.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fwgen.h"

int main(int argc, char **argv)
{
    fwgen_t g;
    ref_rng_t rng;
    fw_layer_quant_t q;
    long M, K, N, seed, nram = 128, wram = 256, acc = 64;
    int8_t *A, *B, *Bt, *C;
    int32_t *bias2;
    uint8_t *P;
    uint64_t a_addr, b_addr, p_addr, c_addr, s_addr;
    fw_gemm_tiling_t t;
    fw_wres_t wp;
    int wres;
    ref_requant_t rq;

    if (argc != 6 && argc != 9) {
        fprintf(stderr, "usage: %s OUTDIR M K N SEED [NRAM_KIB WRAM_KIB ACC_KIB]\n", argv[0]);
        return 2;
    }
    M = fw_arg(argc, argv, 2, "M");
    K = fw_arg(argc, argv, 3, "K");
    N = fw_arg(argc, argv, 4, "N");
    seed = fw_arg(argc, argv, 5, "SEED");
    if (argc == 9) {
        nram = fw_arg(argc, argv, 6, "NRAM_KIB");
        wram = fw_arg(argc, argv, 7, "WRAM_KIB");
        acc = fw_arg(argc, argv, 8, "ACC_KIB");
    }
    if (M < 1 || K < 1 || N < 1 || M > 65535 || K > 65535 || N > 65535) {
        fprintf(stderr, "%s: sizes must be 1..65535\n", argv[0]);
        return 2;
    }
    t = fw_gemm_tiling(M, K, N, nram * 1024, wram * 1024, acc * 1024);
    if (!t.tm) {
        fprintf(stderr, "%s: no tiling of %ldx%ldx%ld fits NRAM %ld KiB, WRAM %ld KiB, ACC %ld KiB\n",
                argv[0], M, K, N, nram, wram, acc);
        return 2;
    }
    /* or B resident (wres_core.inc), when it fits and its estimate is lower */
    wres = fw_wres_plan(M, K, N, nram * 1024, wram * 1024, acc * 1024, 0, &wp) &&
           wp.cost < t.cost;
    if (wres)
        printf("tiles WRES TM=%ld TN=%ld NCHUNK=%ld NCB=%ld (estimate %.0f cycles)\n", wp.tm,
               wp.tn, wp.nchunk, wp.ncb, wp.cost);
    else
        printf("tiles TM=%ld TN=%ld TK=%ld BRES=%d OVL=%d (estimate %.0f cycles)\n", t.tm, t.tn,
               t.tk, t.bres, t.ovl, t.cost);

    ref_rng_seed(&rng, (uint64_t)seed);
    A = fw_alloc((size_t)(M * K));
    B = fw_alloc((size_t)(K * N));
    Bt = fw_alloc((size_t)(K * N));
    C = fw_alloc((size_t)(M * N));
    P = fw_alloc((size_t)(DLP_VRQ_PARAM_BYTES * N));
    bias2 = fw_alloc(sizeof(int32_t) * (size_t)N);
    fw_rand_i8(&rng, A, (size_t)(M * K), -128, 127);
    fw_rand_i8(&rng, B, (size_t)(K * N), -127, 127); /* TFLite symmetric weights */
    fw_layer_quant(&rng, (int)N, (int)K, &q);

    /* fold the input zero point into the bias (the program multiplies raw int8 values) */
    for (long n = 0; n < N; n++) {
        int64_t s = 0;
        for (long k = 0; k < K; k++) {
            s += B[k * N + n];
            Bt[n * K + k] = B[k * N + n];
        }
        bias2[n] = (int32_t)(uint32_t)((uint32_t)q.bias[n] - (uint32_t)q.zp_in * (uint32_t)s);
    }
    fw_vrq_params(P, (int)N, bias2, q.mult, q.shift);

    /* reference: TFLite fully connected, batch M, filter [N][K] */
    rq = fw_requant(&q, -128, 127);
    ref_fc((int)M, (int)K, (int)N, A, Bt, &rq, C);

    a_addr = 0x10000;
    b_addr = fw_align(a_addr + (uint64_t)(M * K), 64);
    p_addr = fw_align(b_addr + (uint64_t)(K * N), 64);
    c_addr = fw_align(p_addr + (uint64_t)(DLP_VRQ_PARAM_BYTES * N), 64);
    s_addr = fw_align(c_addr + (uint64_t)(M * N), 64);

    fw_open(&g, argv[1]);
    fw_equ(&g, "M", M);
    fw_equ(&g, "K", K);
    fw_equ(&g, "N", N);
    if (wres)
        fw_wres_equs(&g, &wp, nram * 1024, wram * 1024, acc * 1024);
    else
        fw_gemm_equs(&g, &t);
    fw_equ(&g, "ZP_OUT", q.zp_out);
    fw_equ(&g, "A_ADDR", (long long)a_addr);
    fw_equ(&g, "B_ADDR", (long long)b_addr);
    fw_equ(&g, "P_ADDR", (long long)p_addr);
    fw_equ(&g, "C_ADDR", (long long)c_addr);
    fw_equ(&g, "SCR_ADDR", (long long)s_addr);
    fw_load(&g, "a.bin", a_addr, A, (size_t)(M * K));
    fw_load(&g, "b.bin", b_addr, B, (size_t)(K * N));
    fw_load(&g, "p.bin", p_addr, P, (size_t)(DLP_VRQ_PARAM_BYTES * N));
    fw_check(&g, "c.bin", c_addr, C, (size_t)(M * N));
    fw_close(&g);

    fw_layer_quant_free(&q);
    free(A);
    free(B);
    free(Bt);
    free(C);
    free(P);
    free(bias2);
    return 0;
}
