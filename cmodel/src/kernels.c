/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fast paths of the functional model, chosen at run time; each gives the bits of the definition:
 *
 * mm (docs/isa.md): rows of int8 inputs times a K x N int8 weight tile, summed into int32
 * accumulators modulo 2^32 -- the products are exact and the sums wrap identically:
 *   portable  plain C, any machine (the definition)
 *   avx2      x86-64 with AVX2: pairs of k multiplied and added with vpmaddwd into 16-column
 *             blocks (every pair sum is exact in int32, the accumulation wraps as in C), four
 *             rows sharing each weight load
 * vrq: the requantization of numerics.c (dlp_requant) on 8 columns at a time with AVX2, every
 * step in the same integer arithmetic (64-bit products, the same nudges, truncations and
 * wrap-arounds); the portable path calls dlp_requant.
 * DLP_MM_KERNEL=portable in the environment forces the portable paths (tests compare them);
 * dlp_mm_kernel_name() says which ones run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_numerics.h"
#include "internal.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define DLP_HAVE_AVX2_KERNEL 1
#endif

typedef void (*mm_fn)(const dlp_mm_args_t *a);

static void mm_portable(const dlp_mm_args_t *a)
{
    uint32_t row[128];
    for (uint64_t j = 0; j < a->m1; j++)
        for (uint64_t i = 0; i < a->m0; i++) {
            const int8_t *x = a->x + i * a->s0 + j * a->s1;
            int32_t *out = a->acc + (j * a->m0 + i) * a->as;
            for (uint64_t c0 = 0; c0 < a->n; c0 += 128) {
                uint64_t nb = a->n - c0 < 128 ? a->n - c0 : 128;
                for (uint64_t c = 0; c < nb; c++)
                    row[c] = a->accum ? (uint32_t)out[c0 + c] : 0u;
                for (uint64_t kk = 0; kk < a->k; kk++) {
                    int32_t xv = x[kk];
                    const int8_t *wr = a->w + kk * a->ws + c0;
                    if (!xv)
                        continue;
                    for (uint64_t c = 0; c < nb; c++)
                        row[c] += (uint32_t)(xv * (int32_t)wr[c]);
                }
                for (uint64_t c = 0; c < nb; c++)
                    out[c0 + c] = (int32_t)row[c];
            }
        }
}

#ifdef DLP_HAVE_AVX2_KERNEL
/* The packed weights of one 16-column block, per thread, grown as needed: int16 pairs
   (w[2p][c], w[2p+1][c]), columns 0-7 in pk[2p], 8-15 in pk[2p+1]; a missing k or column is 0.
   It stays allocated (reachable) for the thread's lifetime. */
static _Thread_local __m256i *pk;
static _Thread_local uint64_t pk_cap;

/* Row q's inputs as int32 words (uint16) x[2p] | x[2p+1] << 16, the operand vpmaddwd pairs with
   the weights; a missing x[k] is 0. Per thread, one buffer per row of a group of four. */
static _Thread_local int32_t *xb[4];
static _Thread_local uint64_t xb_cap[4];

/* Room for np pairs in each of the four row buffers and 2*np packed weight vectors; 0 when the
   host is out of memory (the portable kernel then computes the instruction). */
static int reserve(uint64_t np)
{
    for (int q = 0; q < 4; q++)
        if (np > xb_cap[q]) {
            int32_t *nb = realloc(xb[q], np * sizeof *nb);
            if (!nb)
                return 0;
            xb[q] = nb;
            xb_cap[q] = np;
        }
    if (2 * np > pk_cap) {
        void *p = NULL;
        if (posix_memalign(&p, 32, 2 * np * sizeof(__m256i)))
            return 0;
        free(pk);
        pk = p;
        pk_cap = 2 * np;
    }
    return 1;
}

__attribute__((target("avx2"))) static const int32_t *pairs(const int8_t *x, uint64_t k, int q)
{
    uint64_t np = (k + 1) / 2, p = 0;
    /* 32 inputs at a time: sign-extended to int16, which pairs them in memory order */
    for (; p + 16 <= k / 2; p += 16) {
        __m256i v = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(x + 2 * p)));
        _mm256_storeu_si256((__m256i *)(xb[q] + p), v);
        v = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(x + 2 * p + 16)));
        _mm256_storeu_si256((__m256i *)(xb[q] + p + 8), v);
    }
    for (; p < np; p++) {
        int32_t x0 = x[2 * p], x1 = 2 * p + 1 < k ? x[2 * p + 1] : 0;
        xb[q][p] = (int32_t)((uint32_t)(uint16_t)x0 | (uint32_t)(uint16_t)x1 << 16);
    }
    return xb[q];
}

__attribute__((target("avx2"))) static void store_row(int32_t *out, __m256i lo, __m256i hi,
                                                      uint64_t nb, int accum)
{
    int32_t tmp[16];
    if (nb == 16) {
        if (accum) {
            lo = _mm256_add_epi32(lo, _mm256_loadu_si256((const __m256i *)out));
            hi = _mm256_add_epi32(hi, _mm256_loadu_si256((const __m256i *)(out + 8)));
        }
        _mm256_storeu_si256((__m256i *)out, lo);
        _mm256_storeu_si256((__m256i *)(out + 8), hi);
        return;
    }
    _mm256_storeu_si256((__m256i *)tmp, lo);
    _mm256_storeu_si256((__m256i *)(tmp + 8), hi);
    for (uint64_t c = 0; c < nb; c++)
        out[c] = (int32_t)((accum ? (uint32_t)out[c] : 0u) + (uint32_t)tmp[c]);
}

__attribute__((target("avx2"))) static void mm_avx2(const dlp_mm_args_t *a)
{
    uint64_t np = (a->k + 1) / 2;
    __m256i *lo, *hi;
    if (!reserve(np)) {
        mm_portable(a);
        return;
    }
    for (uint64_t c0 = 0; c0 < a->n; c0 += 16) {
        uint64_t nb = a->n - c0 < 16 ? a->n - c0 : 16;
        for (uint64_t p = 0; p < np; p++) {
            int16_t t[32];
            for (uint64_t c = 0; c < 16; c++) {
                int16_t w0 = c < nb ? a->w[(2 * p) * a->ws + c0 + c] : 0;
                int16_t w1 = c < nb && 2 * p + 1 < a->k ? a->w[(2 * p + 1) * a->ws + c0 + c] : 0;
                t[2 * c] = w0;
                t[2 * c + 1] = w1;
            }
            pk[2 * p] = _mm256_loadu_si256((const __m256i *)t);
            pk[2 * p + 1] = _mm256_loadu_si256((const __m256i *)(t + 16));
        }
        lo = pk;
        hi = pk + 1;
        {
            uint64_t rows = a->m0 * a->m1;
            /* rows share each weight load in groups of four, unless output rows overlap (then
               each row must see the one before it, as in the definition) */
            uint64_t step = a->as >= a->n ? 4 : 1;
            for (uint64_t r = 0; r < rows; r += step) {
                uint64_t nr = rows - r < step ? rows - r : step;
                const int32_t *xp[4];
                int32_t *out[4];
                __m256i sl[4], sh[4];
                for (uint64_t q = 0; q < nr; q++) {
                    uint64_t rr = r + q, i = rr % a->m0, j = rr / a->m0;
                    xp[q] = pairs(a->x + i * a->s0 + j * a->s1, a->k, (int)q);
                    out[q] = a->acc + rr * a->as + c0;
                    sl[q] = _mm256_setzero_si256();
                    sh[q] = _mm256_setzero_si256();
                }
                if (nr == 4) {
                    for (uint64_t p = 0; p < np; p++) {
                        __m256i wl = lo[2 * p], wh = hi[2 * p];
                        __m256i x0 = _mm256_set1_epi32(xp[0][p]), x1 = _mm256_set1_epi32(xp[1][p]);
                        __m256i x2 = _mm256_set1_epi32(xp[2][p]), x3 = _mm256_set1_epi32(xp[3][p]);
                        sl[0] = _mm256_add_epi32(sl[0], _mm256_madd_epi16(x0, wl));
                        sh[0] = _mm256_add_epi32(sh[0], _mm256_madd_epi16(x0, wh));
                        sl[1] = _mm256_add_epi32(sl[1], _mm256_madd_epi16(x1, wl));
                        sh[1] = _mm256_add_epi32(sh[1], _mm256_madd_epi16(x1, wh));
                        sl[2] = _mm256_add_epi32(sl[2], _mm256_madd_epi16(x2, wl));
                        sh[2] = _mm256_add_epi32(sh[2], _mm256_madd_epi16(x2, wh));
                        sl[3] = _mm256_add_epi32(sl[3], _mm256_madd_epi16(x3, wl));
                        sh[3] = _mm256_add_epi32(sh[3], _mm256_madd_epi16(x3, wh));
                    }
                } else {
                    for (uint64_t q = 0; q < nr; q++)
                        for (uint64_t p = 0; p < np; p++) {
                            __m256i xv = _mm256_set1_epi32(xp[q][p]);
                            sl[q] = _mm256_add_epi32(sl[q], _mm256_madd_epi16(xv, lo[2 * p]));
                            sh[q] = _mm256_add_epi32(sh[q], _mm256_madd_epi16(xv, hi[2 * p]));
                        }
                }
                for (uint64_t q = 0; q < nr; q++)
                    store_row(out[q], sl[q], sh[q], nb, a->accum);
            }
        }
    }
}
#endif

/* Requantization of rows (vrq): dst[r*sd + c] = dlp_requant(acc[r*sa + c], bias[c], mult[c],
   shift[c], zp, lo, hi); prm holds the 12-byte (bias, mult, shift) of each column. */
static void vrq_portable(const dlp_vrq_args_t *a)
{
    for (uint64_t r = 0; r < a->rows; r++)
        for (uint64_t c = 0; c < a->cols; c++) {
            const uint8_t *pc = a->prm + 12 * c;
            a->dst[r * a->sd + c] = dlp_requant(a->acc[r * a->sa + c], (int32_t)dlp_rd32(pc),
                                                (int32_t)dlp_rd32(pc + 4),
                                                (int32_t)dlp_rd32(pc + 8), a->zp, a->lo, a->hi);
        }
}

#ifdef DLP_HAVE_AVX2_KERNEL
/* SaturatingRoundingDoublingHighMul of the even (or, shifted down, odd) 32-bit lanes: the
   64-bit product, the nudge by its sign, C's truncating division by 2^31 -- whose low 32 bits
   are bits 31..62 of the (adjusted) sum, so a logical shift serves -- in the low 32 bits of
   each 64-bit lane. */
__attribute__((target("avx2"))) static __m256i srdhm_lanes(__m256i x, __m256i m)
{
    const __m256i zero = _mm256_setzero_si256();
    __m256i ab = _mm256_mul_epi32(x, m);
    __m256i neg = _mm256_cmpgt_epi64(zero, ab);
    __m256i t = _mm256_add_epi64(ab, _mm256_blendv_epi8(_mm256_set1_epi64x(1ll << 30),
                                                        _mm256_set1_epi64x(1 - (1ll << 30)),
                                                        neg));
    __m256i tneg = _mm256_cmpgt_epi64(zero, t);
    t = _mm256_add_epi64(t, _mm256_and_si256(tneg, _mm256_set1_epi64x((1ll << 31) - 1)));
    return _mm256_srli_epi64(t, 31);
}

__attribute__((target("avx2"))) static void vrq_avx2(const dlp_vrq_args_t *a)
{
    uint64_t c8 = a->cols & ~(uint64_t)7;
    int32_t *cb = malloc(sizeof(int32_t) * 5 * (c8 ? c8 : 1));
    if (!cb) {
        vrq_portable(a);
        return;
    }
    /* per column: bias, multiplier, left shift, right shift, rounding mask (numerics.c) */
    for (uint64_t c = 0; c < c8; c++) {
        const uint8_t *pc = a->prm + 12 * c;
        int32_t sh = (int32_t)dlp_rd32(pc + 8);
        int s = sh > 31 ? 31 : sh < -31 ? -31 : (int)sh;
        cb[c] = (int32_t)dlp_rd32(pc);
        cb[c8 + c] = (int32_t)dlp_rd32(pc + 4);
        cb[2 * c8 + c] = s > 0 ? s : 0;
        cb[3 * c8 + c] = s > 0 ? 0 : -s;
        cb[4 * c8 + c] = (int32_t)((1ll << cb[3 * c8 + c]) - 1);
    }
    for (uint64_t r = 0; r < a->rows; r++) {
        const int32_t *acc = a->acc + r * a->sa;
        int8_t *dst = a->dst + r * a->sd;
        for (uint64_t c = 0; c < c8; c += 8) {
            const __m256i imin = _mm256_set1_epi32(INT32_MIN);
            __m256i v = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)(acc + c)),
                                         _mm256_loadu_si256((const __m256i *)(cb + c)));
            __m256i m = _mm256_loadu_si256((const __m256i *)(cb + c8 + c));
            __m256i left = _mm256_loadu_si256((const __m256i *)(cb + 2 * c8 + c));
            __m256i right = _mm256_loadu_si256((const __m256i *)(cb + 3 * c8 + c));
            __m256i mask = _mm256_loadu_si256((const __m256i *)(cb + 4 * c8 + c));
            __m256i x = _mm256_sllv_epi32(v, left), ev, od, q, rem, thr, y;
            int32_t out[8];
            ev = srdhm_lanes(x, m);
            od = srdhm_lanes(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(m, 32));
            q = _mm256_blend_epi32(ev, _mm256_slli_epi64(od, 32), 0xAA);
            q = _mm256_blendv_epi8(q, _mm256_set1_epi32(INT32_MAX),
                                   _mm256_and_si256(_mm256_cmpeq_epi32(x, imin),
                                                    _mm256_cmpeq_epi32(m, imin)));
            /* RoundingDivideByPOT */
            rem = _mm256_and_si256(q, mask);
            thr = _mm256_sub_epi32(_mm256_srli_epi32(mask, 1),
                                   _mm256_cmpgt_epi32(_mm256_setzero_si256(), q));
            y = _mm256_sub_epi32(_mm256_srav_epi32(q, right), _mm256_cmpgt_epi32(rem, thr));
            y = _mm256_add_epi32(y, _mm256_set1_epi32(a->zp));
            y = _mm256_max_epi32(_mm256_min_epi32(y, _mm256_set1_epi32(a->hi)),
                                 _mm256_set1_epi32(a->lo));
            _mm256_storeu_si256((__m256i *)out, y);
            for (int k = 0; k < 8; k++)
                dst[c + k] = (int8_t)out[k];
        }
        for (uint64_t c = c8; c < a->cols; c++) {
            const uint8_t *pc = a->prm + 12 * c;
            dst[c] = dlp_requant(acc[c], (int32_t)dlp_rd32(pc), (int32_t)dlp_rd32(pc + 4),
                                 (int32_t)dlp_rd32(pc + 8), a->zp, a->lo, a->hi);
        }
    }
    free(cb);
}
#endif

static mm_fn chosen;
static void (*chosen_vrq)(const dlp_vrq_args_t *a);
static const char *chosen_name;

static void choose(void)
{
    const char *env = getenv("DLP_MM_KERNEL");
    chosen = mm_portable;
    chosen_vrq = vrq_portable;
    chosen_name = "portable";
#ifdef DLP_HAVE_AVX2_KERNEL
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && !(env && !strcmp(env, "portable"))) {
        chosen_vrq = vrq_avx2;
        chosen_name = "avx2";
        chosen = mm_avx2;
        return;
    }
#else
    (void)env;
#endif
}

void dlp_mm_compute(const dlp_mm_args_t *a)
{
    if (!chosen)
        choose();
    chosen(a);
}

int dlp_kernels_select(int portable)
{
    choose();
    if (portable) {
        chosen = mm_portable;
        chosen_vrq = vrq_portable;
        chosen_name = "portable";
    }
    return chosen == mm_portable ? 0 : 1;
}

void dlp_vrq_compute(const dlp_vrq_args_t *a)
{
    if (!chosen)
        choose();
    chosen_vrq(a);
}

const char *dlp_mm_kernel_name(void)
{
    if (!chosen)
        choose();
    return chosen_name;
}
