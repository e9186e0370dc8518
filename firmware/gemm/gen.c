/*
 * Data generator and reference for firmware/gemm:
 *     gemm-gen OUTDIR M K N SEED [NRAM_KIB WRAM_KIB ACC_KIB]
 * Random int8 A (M x K, zero point zp_A) and B (K x N, symmetric per-column scales), TFLite
 * per-channel requantization. The program multiplies raw int8 values, so its parameter block
 * carries bias' = bias - zp_A * sum_k B[k][n]; the expected output comes from ref_fc (TFLite's
 * fully connected with the zero point subtracted from every input), which shares nothing with
 * the program or the C model.
 *
 * Acting as the compiler, it picks the tiles (TM, TN, TK, BRES: see gemm.s) that minimise a
 * simple cycle estimate for a 16x16 array with 16-byte DRAM beats, within the memory sizes given
 * (default: the default configuration's 128/256/64 KiB). The program is correct for every array
 * shape; the sizes only have to fit the smallest memories among the case's configurations.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fwgen.h"

typedef struct tiling {
    long tm, tn, tk;
    int bres;
    double cost;
} tiling_t;

static long cdiv(long a, long b)
{
    return (a + b - 1) / b;
}

static double mm_cycles(long m, long k, long n)
{
    long d = 16 + 16 + 3;
    return 16 + (double)cdiv(k, 16) * cdiv(n, 16) * (m > d ? m : d) + d;
}

static double vrq_cycles(long rows, long cols)
{
    return (double)cdiv(cols, 16) * (3 + rows) + 4;
}

/* Estimated cycles: the busier of compute, DMA (16 B/cycle plus ~40 cycles per transfer) and
   dispatch (~24 cycles per step), plus the first load and the last store that cannot overlap. */
static double estimate(long M, long K, long N, long tm, long tn, long tk, int bres)
{
    long mt = cdiv(M, tm), nb = cdiv(N, tn), kt = cdiv(K, tk);
    long mr = M - (mt - 1) * tm, nr = N - (nb - 1) * tn, kl = K - (kt - 1) * tk;
    double comp = 0, dma, bytes, xfers, disp;
    for (int a = 0; a < 2; a++)     /* full / last m-tile */
        for (int b = 0; b < 2; b++) /* full / last n-block */
        {
            long cm = a ? 1 : mt - 1, cn = b ? 1 : nb - 1, m = a ? mr : tm, n = b ? nr : tn;
            double per = (kt - 1) * mm_cycles(m, tk, n) + mm_cycles(m, kl, n) + vrq_cycles(m, n);
            comp += (double)cm * cn * per;
        }
    bytes = (double)M * K * nb + (double)K * N * (bres ? 1 : mt) + (double)M * N + 12.0 * N;
    xfers = (double)mt * nb * kt * (bres ? 1 : 2) + (double)mt * nb + 2.0 * nb;
    dma = bytes / 16 + 40 * xfers;
    disp = 24.0 * mt * nb * kt;
    {
        double t = comp > dma ? comp : dma;
        t = t > disp ? t : disp;
        /* a little of the DMA time breaks ties in favour of less traffic (B resident) */
        return t + (double)tm * tk / 16 + (double)tm * tn / 16 + 100 + 0.01 * dma;
    }
}

static int fits(long K, long tm, long tn, long tk, int bres, long nram, long wram, long acc)
{
    long w = bres ? 2 * (K * tn + 12 * tn) : 2 * tk * tn + 2 * 12 * tn;
    return 2 * tm * tk + 2 * tm * tn + 16 <= nram && w <= wram && 4 * tm * tn <= acc;
}

/* Candidate tile sizes: multiples of 16 below the dimension, and the dimension itself. */
static long cand(long dim, int i)
{
    long v = 16L * (i + 1);
    return v < dim ? v : dim;
}

static tiling_t choose(long M, long K, long N, long nram, long wram, long acc)
{
    tiling_t best = {0, 0, 0, 0, 0};
    for (int i = 0; i <= M / 16; i++)
        for (int j = 0; j <= N / 16; j++)
            for (int l = 0; l <= K / 16; l++)
                for (int bres = 0; bres < 2; bres++) {
                    long tm = cand(M, i), tn = cand(N, j), tk = cand(K, l);
                    double c;
                    if (!fits(K, tm, tn, tk, bres, nram, wram, acc))
                        continue;
                    c = estimate(M, K, N, tm, tn, tk, bres);
                    if (!best.tm || c < best.cost) {
                        tiling_t t = {tm, tn, tk, bres, c};
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
    long M, K, N, seed, nram = 128, wram = 256, acc = 64;
    int8_t *A, *B, *Bt, *C;
    int32_t *bias2;
    uint8_t *P;
    uint64_t a_addr, b_addr, p_addr, c_addr, s_addr;
    tiling_t t;
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
    t = choose(M, K, N, nram * 1024, wram * 1024, acc * 1024);
    if (!t.tm) {
        fprintf(stderr, "%s: no tiling of %ldx%ldx%ld fits NRAM %ld KiB, WRAM %ld KiB, ACC %ld KiB\n",
                argv[0], M, K, N, nram, wram, acc);
        return 2;
    }
    printf("tiles TM=%ld TN=%ld TK=%ld BRES=%d (estimate %.0f cycles)\n", t.tm, t.tn, t.tk,
           t.bres, t.cost);

    ref_rng_seed(&rng, (uint64_t)seed);
    A = fw_alloc((size_t)(M * K));
    B = fw_alloc((size_t)(K * N));
    Bt = fw_alloc((size_t)(K * N));
    C = fw_alloc((size_t)(M * N));
    P = fw_alloc((size_t)(12 * N));
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
    c_addr = fw_align(p_addr + (uint64_t)(12 * N), 64);
    s_addr = fw_align(c_addr + (uint64_t)(M * N), 64);

    fw_open(&g, argv[1]);
    fw_equ(&g, "M", M);
    fw_equ(&g, "K", K);
    fw_equ(&g, "N", N);
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
    fw_load(&g, "a.bin", a_addr, A, (size_t)(M * K));
    fw_load(&g, "b.bin", b_addr, B, (size_t)(K * N));
    fw_load(&g, "p.bin", p_addr, P, (size_t)(12 * N));
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
