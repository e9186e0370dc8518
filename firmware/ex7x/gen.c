/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Data generator and reference for firmware/ex7x (textbook exercises 7.7-7.9):
 *     ex7x-gen OUTDIR M K N DBUF SEED [NRAM_KIB WRAM_KIB [ACC_KIB [TK]]]
 * An int8 fully connected layer C[M][N] = A[M][K] x W[K][N] with TFLite per-channel
 * requantization (no activation), checked against ref_fc. DBUF 0 selects the serial program,
 * 1 the double-buffered one. The tiles are chosen for the memory sizes given, by default those
 * of the ex77-fp32 configuration (NRAM 32 KiB, WRAM 64 KiB: the exercise's 128 KB and 256 KB
 * counted in fp32 elements), so that the same program, element for element, is what the
 * exercise describes; the ex77 configuration runs the same binary. The accumulator tile is kept
 * within 64 KiB (ACC_KIB) so that the programs also run on the default, 4x4, 8x8 and 8x16 shapes.
 *   serial: TM = the most rows of A and C that fit NRAM together (tiles balanced);
 *   DBUF:   MODE 1 (stream W in steps of TK rows, A resident) when all of A and C fit NRAM and
 *           W is at least as large as A, with up to eight steps of at least 4 KiB of weights
 *           (TK a multiple of 16); otherwise MODE 0 (stream A, W resident) with TM the most rows
 *           for which two A and two C tiles fit; with the vrq on the VF queue (OVL) when that is
 *           estimated faster: one A slot per NRAM half that the C tile overwrites (ex7x.s), the
 *           first tile's compute in k-chunks (KC0.., 16 rows of W and doubling) and the last
 *           tile's in column blocks of NCB (the width that minimises the estimated tail).
 */
#include <stdio.h>
#include <stdlib.h>

#include "fwgen.h"

int main(int argc, char **argv)
{
    fwgen_t g;
    ref_rng_t rng;
    fw_layer_quant_t q;
    long M, K, N, dbuf, seed, nram = 32, wram = 64, acc = 64 * 1024, tk = 0, tm = 0, mode = 0, tmax;
    fw_wres_t wp;
    int ovl = 0;
    int8_t *A, *W, *Wt, *C;
    int32_t *bias2;
    uint8_t *P;
    uint64_t a_addr, w_addr, p_addr, c_addr, s_addr;
    ref_requant_t rq;

    if (argc != 7 && argc != 9 && argc != 10 && argc != 11) {
        fprintf(stderr, "usage: %s OUTDIR M K N DBUF SEED [NRAM_KIB WRAM_KIB [ACC_KIB [TK]]]\n",
                argv[0]);
        return 2;
    }
    M = fw_arg(argc, argv, 2, "M");
    K = fw_arg(argc, argv, 3, "K");
    N = fw_arg(argc, argv, 4, "N");
    dbuf = fw_arg(argc, argv, 5, "DBUF");
    seed = fw_arg(argc, argv, 6, "SEED");
    if (argc >= 9) {
        nram = fw_arg(argc, argv, 7, "NRAM_KIB") * 1024;
        wram = fw_arg(argc, argv, 8, "WRAM_KIB") * 1024;
    } else {
        nram *= 1024;
        wram *= 1024;
    }
    if (argc >= 10)
        acc = fw_arg(argc, argv, 9, "ACC_KIB") * 1024;
    if (argc == 11)
        tk = fw_arg(argc, argv, 10, "TK");
    if (M < 1 || K < 1 || N < 1 || M > 65535 || K > 65535 || N > 65535 || (dbuf != 0 && dbuf != 1)) {
        fprintf(stderr, "%s: bad arguments\n", argv[0]);
        return 2;
    }
    if (dbuf && M * K + M * N + 16 <= nram && 4 * M * N <= acc && K * N >= M * K) {
        mode = 1;
        if (!tk) { /* up to eight weight steps of at least 4 KiB, a multiple of 16 rows */
            long steps = K * N / 4096;
            steps = steps < 1 ? 1 : steps > 8 ? 8 : steps;
            tk = ((K + steps - 1) / steps + 15) / 16 * 16;
        }
        if (tk > K)
            tk = K;
        if (2 * tk * N + DLP_VRQ_PARAM_BYTES * N > wram) {
            fprintf(stderr, "%s: two weight steps of %ld rows do not fit WRAM\n", argv[0], tk);
            return 2;
        }
        tm = M;
    } else {
        long tiles;
        if (K * N + DLP_VRQ_PARAM_BYTES * N > wram) {
            fprintf(stderr, "%s: the weights do not fit WRAM (this program keeps them resident)\n",
                    argv[0]);
            return 2;
        }
        tmax = (nram - 16) / ((dbuf ? 2 : 1) * (K + N));
        if (tmax > acc / (4 * N))
            tmax = acc / (4 * N);
        if (tmax < 1) {
            fprintf(stderr, "%s: one row of A and C does not fit NRAM\n", argv[0]);
            return 2;
        }
        tiles = (M + tmax - 1) / tmax;
        tm = (M + tiles - 1) / tiles;
        tk = K;
        /* OVL: firmware/common/wres_core.inc with TN = N, taken when its estimate beats the
           in-order one (mm and vrq per tile, after the whole of W has arrived) */
        if (dbuf && fw_wres_plan(M, K, N, nram, wram, acc, N, &wp) &&
            wp.cost < tiles * (fw_mm_cycles(tm, K, N) + fw_vrq_cycles(tm, N)) +
                          fw_dma_cycles(1, (double)(K * N))) {
            ovl = 1;
            tm = wp.tm;
        }
    }
    printf("DBUF=%ld MODE=%ld OVL=%d TM=%ld TK=%ld\n", dbuf, mode, ovl, tm, tk);

    ref_rng_seed(&rng, (uint64_t)seed);
    A = fw_alloc((size_t)(M * K));
    W = fw_alloc((size_t)(K * N));
    Wt = fw_alloc((size_t)(K * N));
    C = fw_alloc((size_t)(M * N));
    P = fw_alloc((size_t)(DLP_VRQ_PARAM_BYTES * N));
    bias2 = fw_alloc(sizeof(int32_t) * (size_t)N);
    fw_rand_i8(&rng, A, (size_t)(M * K), -128, 127);
    fw_rand_i8(&rng, W, (size_t)(K * N), -127, 127);
    fw_layer_quant(&rng, (int)N, (int)K, &q);
    for (long n = 0; n < N; n++) {
        int64_t s = 0;
        for (long k = 0; k < K; k++) {
            s += W[k * N + n];
            Wt[n * K + k] = W[k * N + n];
        }
        bias2[n] = (int32_t)(uint32_t)((uint32_t)q.bias[n] - (uint32_t)q.zp_in * (uint32_t)s);
    }
    fw_vrq_params(P, (int)N, bias2, q.mult, q.shift);
    rq = fw_requant(&q, -128, 127);
    ref_fc((int)M, (int)K, (int)N, A, Wt, &rq, C);

    a_addr = 0x10000;
    w_addr = fw_align(a_addr + (uint64_t)(M * K), 64);
    p_addr = fw_align(w_addr + (uint64_t)(K * N), 64);
    c_addr = fw_align(p_addr + (uint64_t)(DLP_VRQ_PARAM_BYTES * N), 64);
    s_addr = fw_align(c_addr + (uint64_t)(M * N), 64);
    fw_open(&g, argv[1]);
    fw_equ(&g, "M", M);
    fw_equ(&g, "K", K);
    fw_equ(&g, "N", N);
    fw_equ(&g, "DBUF", dbuf);
    fw_equ(&g, "MODE", mode);
    fw_equ(&g, "TK", tk);
    fw_equ(&g, "OVL", ovl);
    if (ovl)
        fw_wres_equs(&g, &wp, nram, wram, acc);
    else
        fw_equ(&g, "TM", tm);
    fw_equ(&g, "ZP_OUT", q.zp_out);
    fw_equ(&g, "A_ADDR", (long long)a_addr);
    fw_equ(&g, "W_ADDR", (long long)w_addr);
    fw_equ(&g, "P_ADDR", (long long)p_addr);
    fw_equ(&g, "C_ADDR", (long long)c_addr);
    fw_equ(&g, "SCR_ADDR", (long long)s_addr);
    fw_load(&g, "a.bin", a_addr, A, (size_t)(M * K));
    fw_load(&g, "w.bin", w_addr, W, (size_t)(K * N));
    fw_load(&g, "p.bin", p_addr, P, (size_t)(DLP_VRQ_PARAM_BYTES * N));
    fw_check(&g, "c.bin", c_addr, C, (size_t)(M * N));
    fw_close(&g);
    fw_layer_quant_free(&q);
    free(A);
    free(W);
    free(Wt);
    free(C);
    free(P);
    free(bias2);
    return 0;
}
