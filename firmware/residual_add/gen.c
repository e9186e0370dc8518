/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Data generator and reference for firmware/residual_add:
 *     residual_add-gen OUTDIR H W C RELU SEED [NRAM_KIB]
 * Two random int8 NHWC tensors with their own scales and zero points, an output scale and zero
 * point, TFLite's ADD parameters from ref_add_prepare (RELU 1: act_min = zp_out), the expected
 * output from ref_add. As the compiler it picks the tile TT: a multiple of 64 bytes that fits
 * six tiles (a, b, out, double-buffered) in NRAM (default 128 KiB) and cuts large tensors into
 * at least eight tiles so that the pipeline fills quickly.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fwgen.h"

static double unit(ref_rng_t *r)
{
    return (ref_rng_u32(r) + 0.5) / 4294967296.0;
}

int main(int argc, char **argv)
{
    fwgen_t gen;
    ref_rng_t rng;
    ref_add_t p;
    long H, W, C, relu, seed, nram = 128, n, tt;
    double s1, s2, so;
    int32_t zp1, zp2, zpo;
    int8_t *a, *b, *out;
    uint8_t prm[DLP_VADD_PARAM_BYTES];
    uint64_t a_addr, b_addr, p_addr, o_addr, s_addr;

    if (argc != 7 && argc != 8) {
        fprintf(stderr, "usage: %s OUTDIR H W C RELU SEED [NRAM_KIB]\n", argv[0]);
        return 2;
    }
    H = fw_arg(argc, argv, 2, "H");
    W = fw_arg(argc, argv, 3, "W");
    C = fw_arg(argc, argv, 4, "C");
    relu = fw_arg(argc, argv, 5, "RELU");
    seed = fw_arg(argc, argv, 6, "SEED");
    if (argc == 8)
        nram = fw_arg(argc, argv, 7, "NRAM_KIB");
    n = H * W * C;
    if (H < 1 || W < 1 || C < 1 || n > (32l << 20)) {
        fprintf(stderr, "%s: bad sizes\n", argv[0]);
        return 2;
    }
    tt = (nram * 1024 - 16) / 6 / 64 * 64;
    if (tt > 65472)
        tt = 65472; /* vadd cols <= 65535 */
    {
        long eighth = (n / 8 + 63) / 64 * 64;
        if (eighth < 1024)
            eighth = 1024;
        if (tt > eighth)
            tt = eighth;
    }
    if (tt < 64) {
        fprintf(stderr, "%s: NRAM too small\n", argv[0]);
        return 2;
    }
    if (tt > n)
        tt = n;
    printf("NELEM=%ld TT=%ld tiles=%ld\n", n, tt, (n + tt - 1) / tt);

    ref_rng_seed(&rng, (uint64_t)seed);
    s1 = 0.02 + 0.08 * unit(&rng);
    s2 = 0.02 + 0.08 * unit(&rng);
    so = (s1 + s2) * (0.8 + 0.6 * unit(&rng));
    zp1 = ref_rng_range(&rng, -30, 30);
    zp2 = ref_rng_range(&rng, -30, 30);
    zpo = ref_rng_range(&rng, -30, 30);
    ref_add_prepare(s1, zp1, s2, zp2, so, zpo, relu ? zpo : -128, 127, &p);
    a = fw_alloc((size_t)n);
    b = fw_alloc((size_t)n);
    out = fw_alloc((size_t)n);
    fw_rand_i8(&rng, a, (size_t)n, -128, 127);
    fw_rand_i8(&rng, b, (size_t)n, -128, 127);
    ref_add((int)n, a, b, &p, out);
    {
        const int32_t f[DLP_VADD_WORDS] = {
            [DLP_VADD_A_OFFSET] = p.in1_offset, [DLP_VADD_A_MULT] = p.in1_mult,
            [DLP_VADD_A_SHIFT] = p.in1_shift,   [DLP_VADD_B_OFFSET] = p.in2_offset,
            [DLP_VADD_B_MULT] = p.in2_mult,     [DLP_VADD_B_SHIFT] = p.in2_shift,
            [DLP_VADD_OUT_MULT] = p.out_mult,   [DLP_VADD_OUT_SHIFT] = p.out_shift,
            [DLP_VADD_OUT_OFFSET] = p.out_offset, [DLP_VADD_ACT_MIN] = p.act_min,
            [DLP_VADD_ACT_MAX] = p.act_max,     [DLP_VADD_LEFT_SHIFT] = p.left_shift};
        for (int i = 0; i < DLP_VADD_WORDS; i++)
            fw_put32(prm + 4 * i, f[i]);
    }

    a_addr = 0x10000;
    b_addr = fw_align(a_addr + (uint64_t)n, 64);
    p_addr = fw_align(b_addr + (uint64_t)n, 64);
    o_addr = fw_align(p_addr + sizeof prm, 64);
    s_addr = fw_align(o_addr + (uint64_t)n, 64);
    fw_open(&gen, argv[1]);
    fw_equ(&gen, "NELEM", n);
    fw_equ(&gen, "TT", tt);
    fw_equ(&gen, "A_ADDR", (long long)a_addr);
    fw_equ(&gen, "B_ADDR", (long long)b_addr);
    fw_equ(&gen, "P_ADDR", (long long)p_addr);
    fw_equ(&gen, "OUT_ADDR", (long long)o_addr);
    fw_equ(&gen, "SCR_ADDR", (long long)s_addr);
    fw_load(&gen, "a.bin", a_addr, a, (size_t)n);
    fw_load(&gen, "b.bin", b_addr, b, (size_t)n);
    fw_load(&gen, "p.bin", p_addr, prm, sizeof prm);
    fw_check(&gen, "out.bin", o_addr, out, (size_t)n);
    fw_close(&gen);
    free(a);
    free(b);
    free(out);
    return 0;
}
