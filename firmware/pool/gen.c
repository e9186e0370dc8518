/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Data generator and reference for firmware/pool:
 *     pool-gen OUTDIR OP K S PAD H W C SEED [NRAM_KIB]
 * OP 0 = max, 1 = average; a K x K window with stride S; PAD 0 = VALID, 1 = TFLite SAME
 * (padding split as TFLite does, the odd pixel at the bottom/right; padded positions are not
 * counted by the average). Random int8 NHWC input; the expected output comes from
 * ref_maxpool/ref_avgpool. As the compiler it picks the output-row tile TOH: the largest that
 * fits two input and two output tiles in NRAM (default 128 KiB), capped so that the image is
 * cut into at least a few tiles when it is large (so that DMA overlaps the VFU).
 */
#include <stdio.h>
#include <stdlib.h>

#include "fwgen.h"

int main(int argc, char **argv)
{
    fwgen_t gen;
    ref_rng_t rng;
    long op, k, s, pad, H, W, C, seed, nram = 128, OH, OW, pt = 0, pl = 0, toh, best = 0;
    int8_t *in, *out;
    uint64_t in_addr, o_addr, s_addr;
    ref_pool_t rp;

    if (argc != 10 && argc != 11) {
        fprintf(stderr, "usage: %s OUTDIR OP K S PAD H W C SEED [NRAM_KIB]\n", argv[0]);
        return 2;
    }
    op = fw_arg(argc, argv, 2, "OP");
    k = fw_arg(argc, argv, 3, "K");
    s = fw_arg(argc, argv, 4, "S");
    pad = fw_arg(argc, argv, 5, "PAD");
    H = fw_arg(argc, argv, 6, "H");
    W = fw_arg(argc, argv, 7, "W");
    C = fw_arg(argc, argv, 8, "C");
    seed = fw_arg(argc, argv, 9, "SEED");
    if (argc == 11)
        nram = fw_arg(argc, argv, 10, "NRAM_KIB");
    if ((op != 0 && op != 1) || k < 1 || k > 15 || s < 1 || s > 15 || (pad != 0 && pad != 1) ||
        H < 1 || W < 1 || C < 1 || C > 65535 || H > 4095 || W > 4095 || (!pad && (H < k || W < k))) {
        fprintf(stderr, "%s: bad arguments\n", argv[0]);
        return 2;
    }
    if (pad) {
        long th, tw;
        OH = (H + s - 1) / s;
        OW = (W + s - 1) / s;
        th = (OH - 1) * s + k - H;
        tw = (OW - 1) * s + k - W;
        pt = (th > 0 ? th : 0) / 2;
        pl = (tw > 0 ? tw : 0) / 2;
    } else {
        OH = (H - k) / s + 1;
        OW = (W - k) / s + 1;
    }
    /* largest tile that fits, but at least ~4 tiles for images above 16 KiB so loads overlap */
    for (toh = 1; toh <= OH; toh++) {
        long rows = (toh - 1) * s + k;
        if (2 * rows * W * C + 2 * toh * OW * C + 16 > nram * 1024)
            break;
        if (H * W * C > 16384 && toh > (OH + 3) / 4)
            break;
        best = toh;
    }
    if (!best) {
        fprintf(stderr, "%s: one output row does not fit NRAM %ld KiB\n", argv[0], nram);
        return 2;
    }
    printf("OH=%ld OW=%ld pad t%ld l%ld TOH=%ld\n", OH, OW, pt, pl, best);

    ref_rng_seed(&rng, (uint64_t)seed);
    in = fw_alloc((size_t)(H * W * C));
    out = fw_alloc((size_t)(OH * OW * C));
    fw_rand_i8(&rng, in, (size_t)(H * W * C), -128, 127);
    rp.n = 1;
    rp.ih = (int)H;
    rp.iw = (int)W;
    rp.c = (int)C;
    rp.kh = rp.kw = (int)k;
    rp.sh = rp.sw = (int)s;
    rp.pad_t = (int)pt;
    rp.pad_l = (int)pl;
    rp.oh = (int)OH;
    rp.ow = (int)OW;
    rp.act_min = -128;
    rp.act_max = 127;
    if (op)
        ref_avgpool(&rp, in, out);
    else
        ref_maxpool(&rp, in, out);

    in_addr = 0x10000;
    o_addr = fw_align(in_addr + (uint64_t)(H * W * C), 64);
    s_addr = fw_align(o_addr + (uint64_t)(OH * OW * C), 64);
    fw_open(&gen, argv[1]);
    fw_equ(&gen, "OP", op);
    fw_equ(&gen, "K", k);
    fw_equ(&gen, "S", s);
    fw_equ(&gen, "H", H);
    fw_equ(&gen, "W", W);
    fw_equ(&gen, "C", C);
    fw_equ(&gen, "OH", OH);
    fw_equ(&gen, "OW", OW);
    fw_equ(&gen, "PAD_T", pt);
    fw_equ(&gen, "PAD_L", pl);
    fw_equ(&gen, "TOH", best);
    fw_equ(&gen, "IN_ADDR", (long long)in_addr);
    fw_equ(&gen, "OUT_ADDR", (long long)o_addr);
    fw_equ(&gen, "SCR_ADDR", (long long)s_addr);
    fw_load(&gen, "in.bin", in_addr, in, (size_t)(H * W * C));
    fw_check(&gen, "out.bin", o_addr, out, (size_t)(OH * OW * C));
    fw_close(&gen);
    free(in);
    free(out);
    return 0;
}
