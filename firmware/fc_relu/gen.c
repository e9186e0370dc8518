/*
 * Data generator and reference for firmware/fc_relu:
 *     fc_relu-gen OUTDIR BATCH IN OUT SEED [NRAM_KIB WRAM_KIB ACC_KIB]
 * A TFLite int8 FULLY_CONNECTED layer with fused ReLU: random input [BATCH][IN] (zero point
 * zp_in), filter [OUT][IN] with symmetric per-channel scales, int32 bias, per-channel
 * multiplier/shift. The program's DRAM image holds the filter transposed ([IN][OUT]) and
 * bias' = bias - zp_in * sum_i w[o][i]; the expected output is ref_fc with act_min = zp_out,
 * computed from the untransposed filter and the unfolded bias.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fwgen.h"

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
    if (!t.tm) {
        fprintf(stderr, "%s: no tiling fits NRAM %ld KiB, WRAM %ld KiB, ACC %ld KiB\n", argv[0],
                nram, wram, acc);
        return 2;
    }
    printf("tiles TM=%ld TN=%ld TK=%ld BRES=%d (k-steps %ld; estimate %.0f cycles)\n", t.tm, t.tn,
           t.tk, t.bres, (I + t.tk - 1) / t.tk, t.cost);

    ref_rng_seed(&rng, (uint64_t)seed);
    in = fw_alloc((size_t)(B * I));
    w = fw_alloc((size_t)(O * I));
    wt = fw_alloc((size_t)(O * I));
    out = fw_alloc((size_t)(B * O));
    P = fw_alloc((size_t)(12 * O));
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
    c_addr = fw_align(p_addr + (uint64_t)(12 * O), 64);
    s_addr = fw_align(c_addr + (uint64_t)(B * O), 64);
    fw_open(&g, argv[1]);
    fw_equ(&g, "M", B);
    fw_equ(&g, "K", I);
    fw_equ(&g, "N", O);
    fw_equ(&g, "TM", t.tm);
    fw_equ(&g, "TN", t.tn);
    fw_equ(&g, "TK", t.tk);
    fw_equ(&g, "BRES", t.bres);
    fw_equ(&g, "ZP_OUT", q.zp_out);
    fw_equ(&g, "A_ADDR", (long long)a_addr);
    fw_equ(&g, "B_ADDR", (long long)b_addr);
    fw_equ(&g, "P_ADDR", (long long)p_addr);
    fw_equ(&g, "C_ADDR", (long long)c_addr);
    fw_equ(&g, "SCR_ADDR", (long long)s_addr);
    fw_load(&g, "in.bin", a_addr, in, (size_t)(B * I));
    fw_load(&g, "wt.bin", b_addr, wt, (size_t)(I * O));
    fw_load(&g, "p.bin", p_addr, P, (size_t)(12 * O));
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
