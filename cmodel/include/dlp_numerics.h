/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenDLP numerics: TensorFlow Lite's int8 quantized arithmetic, bit for bit.
 *
 * These functions define the semantics that the C model executes and the RTL must match.
 * They follow TFLite's reference kernels (gemmlowp fixed-point helpers, the "double rounding"
 * MultiplyByQuantizedMultiplier that TFLite builds by default), with every case that is
 * undefined behaviour in C++ given a defined result:
 *   - shifts are clamped to -31..31 (TFLite produces values in -31..30);
 *   - `x * (1 << left_shift)` wraps modulo 2^32 (two's complement), as every TFLite build does;
 *   - int32 additions (accumulator + bias) wrap modulo 2^32.
 * docs/numerics.md states the same rules in prose.
 */
#ifndef DLP_NUMERICS_H
#define DLP_NUMERICS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Wrapping int32 arithmetic without signed-overflow UB. */
static inline int32_t dlp_wrap_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}
static inline int32_t dlp_wrap_mul(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a * (uint32_t)b);
}
static inline int32_t dlp_wrap_shl(int32_t a, int s)
{
    return (int32_t)((uint32_t)a << s);
}

/*
 * gemmlowp SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b, rounded to nearest with
 * ties toward +infinity (-0.5 -> 0, -1.5 -> -1, 0.5 -> 1: the nudge 1 - 2^30 for negative
 * products and C's truncating division by 2^31 together give floor(a*b/2^31 + 1/2)); the only
 * overflow (INT32_MIN * INT32_MIN) saturates to INT32_MAX.
 */
int32_t dlp_srdhm(int32_t a, int32_t b);

/*
 * gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero,
 * for exponent 0..31.
 */
int32_t dlp_rdbpot(int32_t x, int exponent);

/*
 * TFLite MultiplyByQuantizedMultiplier(x, multiplier, shift): shift > 0 multiplies by 2^shift
 * before the high multiply, shift < 0 divides after it. shift is clamped to -31..31.
 */
int32_t dlp_mbqm(int32_t x, int32_t multiplier, int32_t shift);

static inline int32_t dlp_clamp(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static inline int8_t dlp_sat8(int32_t v)
{
    return (int8_t)dlp_clamp(v, -128, 127);
}

/* Requantization of one accumulator (vrq): clamp(zp + MBQM(acc + bias, mult, shift), lo, hi). */
int8_t dlp_requant(int32_t acc, int32_t bias, int32_t mult, int32_t shift, int32_t zp, int32_t lo,
                   int32_t hi);

/* TFLite int8 ADD parameters, in the order vadd reads them from WRAM (12 int32 words). */
typedef struct dlp_add_params {
    int32_t a_offset, a_mult, a_shift;
    int32_t b_offset, b_mult, b_shift;
    int32_t out_mult, out_shift, out_offset;
    int32_t act_min, act_max;
    int32_t left_shift; /* clamped to 0..31 */
} dlp_add_params_t;

int8_t dlp_add_int8(int8_t a, int8_t b, const dlp_add_params_t *p);

/* TFLite int8 average: sum of `count` values rounded half away from zero. count >= 1. */
int32_t dlp_avg_round(int32_t sum, int32_t count);

#ifdef __cplusplus
}
#endif

#endif
