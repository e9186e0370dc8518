// SPDX-License-Identifier: Apache-2.0
/*
 * TFLite int8 numerics of the C model (cmodel/src/numerics.c) against hand-derived values and
 * against the independent reference in model_util.h (dlpt::ref), which is itself cross-checked
 * with exact 64-bit-mantissa long double arithmetic.
 */
#include <cmath>
#include <limits>

#include "dlp_numerics.h"
#include "model_util.h"

using namespace dlpt;

namespace {

const int32_t MIN = INT32_MIN, MAX = INT32_MAX;
const int32_t P30 = 1 << 30; /* 2^30, the multiplier 0.5 */

/* A third formulation for cross-checking ref::: exact long double arithmetic (x86 extended
   precision has a 64-bit mantissa, so |a*b| <= 2^62 and every quotient below are exact). */
constexpr bool kExactLD = std::numeric_limits<long double>::digits >= 64;

int32_t srdhm_ld(int32_t a, int32_t b)
{
    if (a == MIN && b == MIN)
        return MAX;
    long double q = (long double)a * (long double)b / 2147483648.0L; /* exact */
    return (int32_t)std::floor(q + 0.5L);                              /* ties toward +inf */
}

int32_t rdbpot_ld(int32_t x, int e)
{
    long double q = std::fabs((long double)x) / std::ldexp(1.0L, e);
    long double r = std::floor(q + 0.5L); /* ties away from zero, on the magnitude */
    return (int32_t)(x < 0 ? -r : r);
}

/* Operands that hit the interesting cases more often than uniform numbers would. */
int32_t interesting(Rng &g)
{
    switch (g.range(0, 7)) {
    case 0:
        return (int32_t)g.range(-300, 300);
    case 1:
        return g.chance(50) ? MIN + (int32_t)g.range(0, 3) : MAX - (int32_t)g.range(0, 3);
    case 2:
        return (int32_t)(g.range(-8, 8) * (int64_t(1) << g.range(0, 27))); /* tie makers */
    case 3:
        return (int32_t)g.range(P30, MAX); /* a typical quantized multiplier */
    default:
        return g.i32();
    }
}

} // namespace

/* ---- SaturatingRoundingDoublingHighMul ----------------------------------------------------------- */

TEST(NumericsSrdhm, HandValues)
{
    /* the one overflow: (-2^31)(-2^31)*2 / 2^32 = 2^31, saturated */
    EXPECT_EQ(MAX, dlp_srdhm(MIN, MIN));
    /* (-2^31)(2^31-1)/2^31 = -(2^31-1) exactly */
    EXPECT_EQ(-2147483647, dlp_srdhm(MIN, MAX));
    EXPECT_EQ(-2147483647, dlp_srdhm(MAX, MIN));
    /* (2^31-1)^2/2^31 = 2^31 - 2 + 2^-31 -> 2147483646 */
    EXPECT_EQ(2147483646, dlp_srdhm(MAX, MAX));
    /* 2^30 * 2^30 / 2^31 = 2^29 */
    EXPECT_EQ(1 << 29, dlp_srdhm(P30, P30));
    /* multiplying by 2^31-1 is x - x/2^31: rounds back to x for small |x| of either sign */
    EXPECT_EQ(100, dlp_srdhm(100, MAX));
    EXPECT_EQ(-100, dlp_srdhm(-100, MAX));
    /* x * 2^30 / 2^31 = x/2 */
    EXPECT_EQ(5, dlp_srdhm(10, P30));
    EXPECT_EQ(-5, dlp_srdhm(-10, P30));
    EXPECT_EQ(0, dlp_srdhm(0, MIN));
}

TEST(NumericsSrdhm, TiesRoundTowardPlusInfinity)
{
    /* ab = +-2^30 and +-3*2^30: the exact results are +-0.5 and +-1.5. gemmlowp's nudge
       (2^30 for ab >= 0, 1 - 2^30 below) with truncating division rounds every tie up. */
    EXPECT_EQ(1, dlp_srdhm(1 << 15, 1 << 15));      /*  0.5 ->  1 */
    EXPECT_EQ(0, dlp_srdhm(-(1 << 15), 1 << 15));   /* -0.5 ->  0 */
    EXPECT_EQ(2, dlp_srdhm(3 << 15, 1 << 15));      /*  1.5 ->  2 */
    EXPECT_EQ(-1, dlp_srdhm(-(3 << 15), 1 << 15));  /* -1.5 -> -1 */
    EXPECT_EQ(-1, dlp_srdhm(3, -P30 / 2 * 1));      /* 3 * -2^29 = -1.5 * 2^30 -> -0.75 -> -1 */
    EXPECT_EQ(0, dlp_srdhm(1, -P30));               /* -2^30 / 2^31 = -0.5 -> 0 */
    EXPECT_EQ(-1, dlp_srdhm(-3, P30));              /* -1.5 -> -1 */
    EXPECT_EQ(-2, dlp_srdhm(-5, P30));              /* -2.5 -> -2 */
    EXPECT_EQ(3, dlp_srdhm(5, P30));                /*  2.5 ->  3 */
}

TEST(NumericsSrdhm, NegativeProductsWhereTruncationDiffersFromShift)
{
    /* ab = -1: (-1 + 1 - 2^30) / 2^31 truncates to 0, where an arithmetic shift of the same
       sum would give -1. The exact value -2^-31 rounds to 0. */
    EXPECT_EQ(0, dlp_srdhm(-1, 1));
    EXPECT_EQ(0, dlp_srdhm(1, -1));
    /* ab = -(2^30 - 1): -0.49999... -> 0 */
    EXPECT_EQ(0, dlp_srdhm(-(P30 - 1), 1));
    /* ab = -(2^30 + 1): -0.50000000047 -> -1 */
    EXPECT_EQ(-1, dlp_srdhm(-(P30 + 1), 1));
    /* ab = -3*2^30 - 2: -1.0000000009 * 1.5 -> -2; ab = -3*2^30: exactly -1.5 -> -1 */
    EXPECT_EQ(-2, dlp_srdhm(-(3 << 29) - 1, 2));
    EXPECT_EQ(-1, dlp_srdhm(-(3 << 29), 2));
    /* large negative: MIN * 3 = -3 * 2^31 -> exactly -3 */
    EXPECT_EQ(-3, dlp_srdhm(MIN, 3));
    /* MIN * 1 = -2^31 -> exactly -1; MIN * -1 -> +1 */
    EXPECT_EQ(-1, dlp_srdhm(MIN, 1));
    EXPECT_EQ(1, dlp_srdhm(MIN, -1));
}

TEST(NumericsSrdhm, RandomAgainstReference)
{
    const uint64_t seed = 0x5EED0001;
    Rng g(seed);
    for (int i = 0; i < 20000; i++) {
        int32_t a = interesting(g), b = interesting(g);
        ASSERT_EQ(ref::srdhm(a, b), dlp_srdhm(a, b)) << "seed " << seed << " a=" << a << " b=" << b;
        if (kExactLD) {
            ASSERT_EQ(srdhm_ld(a, b), ref::srdhm(a, b)) << "reference self-check a=" << a
                                                        << " b=" << b;
        }
    }
}

/* ---- RoundingDivideByPOT ----------------------------------------------------------------------------- */

TEST(NumericsRdbpot, ExponentZeroIsIdentity)
{
    for (int32_t x : {0, 1, -1, 12345, -12345, MIN, MAX})
        EXPECT_EQ(x, dlp_rdbpot(x, 0)) << x;
}

TEST(NumericsRdbpot, ExponentOne)
{
    /* x/2, ties away from zero */
    EXPECT_EQ(1, dlp_rdbpot(1, 1));   /*  0.5 ->  1 */
    EXPECT_EQ(-1, dlp_rdbpot(-1, 1)); /* -0.5 -> -1 */
    EXPECT_EQ(1, dlp_rdbpot(2, 1));
    EXPECT_EQ(-1, dlp_rdbpot(-2, 1));
    EXPECT_EQ(2, dlp_rdbpot(3, 1));   /*  1.5 ->  2 */
    EXPECT_EQ(-2, dlp_rdbpot(-3, 1)); /* -1.5 -> -2 */
    EXPECT_EQ(3, dlp_rdbpot(5, 1));
    EXPECT_EQ(-3, dlp_rdbpot(-5, 1));
    EXPECT_EQ(1073741824, dlp_rdbpot(MAX, 1));   /* 1073741823.5 -> 1073741824 */
    EXPECT_EQ(-1073741824, dlp_rdbpot(MIN, 1));  /* exact */
    EXPECT_EQ(-1073741824, dlp_rdbpot(MIN + 1, 1)); /* -1073741823.5 -> -1073741824 */
}

TEST(NumericsRdbpot, ExponentThirtyOne)
{
    /* x / 2^31 lies in [-1, 1) */
    EXPECT_EQ(1, dlp_rdbpot(MAX, 31));        /* 0.99999 */
    EXPECT_EQ(-1, dlp_rdbpot(MIN, 31));       /* exactly -1 */
    EXPECT_EQ(1, dlp_rdbpot(P30, 31));        /* 0.5 -> 1 */
    EXPECT_EQ(-1, dlp_rdbpot(-P30, 31));      /* -0.5 -> -1 (away from zero) */
    EXPECT_EQ(0, dlp_rdbpot(P30 - 1, 31));    /* 0.4999 */
    EXPECT_EQ(0, dlp_rdbpot(-(P30 - 1), 31)); /* -0.4999 */
    EXPECT_EQ(-1, dlp_rdbpot(-(P30 + 1), 31));
    EXPECT_EQ(0, dlp_rdbpot(0, 31));
}

TEST(NumericsRdbpot, NegativeTiesRoundAwayFromZero)
{
    EXPECT_EQ(-1, dlp_rdbpot(-4, 3));  /* -0.5 */
    EXPECT_EQ(-2, dlp_rdbpot(-12, 3)); /* -1.5 */
    EXPECT_EQ(-3, dlp_rdbpot(-20, 3)); /* -2.5 */
    EXPECT_EQ(3, dlp_rdbpot(20, 3));   /*  2.5 */
    EXPECT_EQ(-1, dlp_rdbpot(-5, 3));  /* -0.625 */
    EXPECT_EQ(0, dlp_rdbpot(-3, 3));   /* -0.375 */
    EXPECT_EQ(-8, dlp_rdbpot(-(15 << 9), 10)); /* -7.5 -> -8 */
}

TEST(NumericsRdbpot, RandomAgainstReference)
{
    const uint64_t seed = 0x5EED0002;
    Rng g(seed);
    for (int i = 0; i < 20000; i++) {
        int32_t x = interesting(g);
        int e = (int)g.range(0, 31);
        if (g.chance(20)) /* an exact tie: odd multiple of 2^(e-1) */
            x = (int32_t)((g.range(-1000, 1000) * 2 + 1) * (e ? (int64_t(1) << (e - 1)) : 1) %
                          (int64_t(1) << 31));
        ASSERT_EQ(ref::rdbpot(x, e), dlp_rdbpot(x, e)) << "seed " << seed << " x=" << x << " e=" << e;
        if (kExactLD) {
            ASSERT_EQ(rdbpot_ld(x, e), ref::rdbpot(x, e)) << "reference self-check";
        }
    }
}

/* ---- MultiplyByQuantizedMultiplier ---------------------------------------------------------------- */

TEST(NumericsMbqm, ShiftZero)
{
    EXPECT_EQ(2, dlp_mbqm(3, P30, 0));   /* 1.5 -> 2 (srdhm ties up) */
    EXPECT_EQ(-1, dlp_mbqm(-3, P30, 0)); /* -1.5 -> -1 */
    EXPECT_EQ(500, dlp_mbqm(1000, P30, 0));
}

TEST(NumericsMbqm, PositiveShifts)
{
    /* shift 1: 3*2 = 6, times 0.5 = 3 */
    EXPECT_EQ(3, dlp_mbqm(3, P30, 1));
    /* shift 4: 100*16 = 1600, times 0.75 (3*2^29) = 1200 */
    EXPECT_EQ(1200, dlp_mbqm(100, 3 << 29, 4));
    /* shift 31: 1 << 31 wraps to INT32_MIN; INT32_MIN * 0.5 = -2^30 */
    EXPECT_EQ(-P30, dlp_mbqm(1, P30, 31));
    /* 2 << 31 wraps to 0 */
    EXPECT_EQ(0, dlp_mbqm(2, P30, 31));
    /* 3 << 31 = 0x1_8000_0000 wraps to INT32_MIN */
    EXPECT_EQ(-P30, dlp_mbqm(3, P30, 31));
    /* shift 40 is clamped to 31: the same values */
    EXPECT_EQ(-P30, dlp_mbqm(1, P30, 40));
    EXPECT_EQ(0, dlp_mbqm(2, P30, 40));
    /* shift 2 of 2^29 + 1 = 2^31 + 4 wraps to INT32_MIN + 4; times 0.5 = -2^30 + 2 */
    EXPECT_EQ(-P30 + 2, dlp_mbqm((1 << 29) + 1, P30, 2));
}

TEST(NumericsMbqm, NegativeShifts)
{
    /* TFLite-like multiplier 1518500250 (~0.7071 * 2^31), shift -7:
       srdhm(1000, M) = round(1000 * 0.70710678) = 707; 707 / 128 = 5.52 -> 6 */
    EXPECT_EQ(6, dlp_mbqm(1000, 1518500250, -7));
    EXPECT_EQ(-6, dlp_mbqm(-1000, 1518500250, -7));
    /* shift -31: srdhm(MAX, MAX) = 2147483646, / 2^31 = 0.99999 -> 1 */
    EXPECT_EQ(1, dlp_mbqm(MAX, MAX, -31));
    /* srdhm(2^30, 2^31-1) = 2^30 - 0.5 -> 2^30 (tie up); 2^30 / 2^31 = 0.5 -> 1 */
    EXPECT_EQ(1, dlp_mbqm(P30, MAX, -31));
    /* srdhm(-2^30, 2^31-1) = -2^30 + 0.5 -> -2^30 + 1 (tie up); / 2^31 = -0.49999 -> 0 */
    EXPECT_EQ(0, dlp_mbqm(-P30, MAX, -31));
    /* -40 is clamped to -31 */
    EXPECT_EQ(1, dlp_mbqm(MAX, MAX, -40));
    EXPECT_EQ(0, dlp_mbqm(-P30, MAX, -40));
    /* -1: 7 * 0.5 = 3.5 -> 4, / 2 = 2 */
    EXPECT_EQ(2, dlp_mbqm(7, P30, -1));
    /* -9 * 0.5 = -4.5 -> -4 (srdhm tie up), / 2 = -2 (exact) */
    EXPECT_EQ(-2, dlp_mbqm(-9, P30, -1));
    /* -11 * 0.5 = -5.5 -> -5, / 2 = -2.5 -> -3 (rdbpot tie away) */
    EXPECT_EQ(-3, dlp_mbqm(-11, P30, -1));
}

TEST(NumericsMbqm, SaturationAndInt32Min)
{
    EXPECT_EQ(MAX, dlp_mbqm(MIN, MIN, 0));
    /* saturated MAX / 2 = 1073741823.5 -> 1073741824 */
    EXPECT_EQ(1073741824, dlp_mbqm(MIN, MIN, -1));
    EXPECT_EQ(-P30, dlp_mbqm(MIN, P30, 0));
    EXPECT_EQ(-(1 << 29), dlp_mbqm(MIN, P30, -1));
    EXPECT_EQ(-1, dlp_mbqm(MIN, 1, 0)); /* -2^31 / 2^31 */
    EXPECT_EQ(1, dlp_mbqm(MIN, -1, 0));
    /* shift 1 of INT32_MIN wraps to 0 */
    EXPECT_EQ(0, dlp_mbqm(MIN, P30, 1));
    /* a multiplier of INT32_MIN is -1.0: x -> -x, except x = INT32_MIN which saturates */
    EXPECT_EQ(-12345, dlp_mbqm(12345, MIN, 0));
}

TEST(NumericsMbqm, RandomAgainstReference)
{
    const uint64_t seed = 0x5EED0003;
    Rng g(seed);
    for (int i = 0; i < 20000; i++) {
        int32_t x = interesting(g), mult = interesting(g);
        int32_t shift = g.chance(10) ? (int32_t)g.range(-60, 60) : (int32_t)g.range(-31, 31);
        if (g.chance(30))
            shift = (int32_t)g.range(-12, 3), x = (int32_t)g.range(-100000, 100000);
        ASSERT_EQ(ref::mbqm(x, mult, shift), dlp_mbqm(x, mult, shift))
            << "seed " << seed << " x=" << x << " mult=" << mult << " shift=" << shift;
    }
}

/* The reference against plain floating point: for a multiplier in [2^30, 2^31) and a
   non-positive shift, MBQM(x) is within one of x * M / 2^(31 - shift). */
TEST(NumericsMbqm, ReferenceCloseToRealProduct)
{
    Rng g(0x5EED0004);
    for (int i = 0; i < 5000; i++) {
        int32_t x = g.i32(), m = (int32_t)g.range(P30, MAX), s = (int32_t)g.range(-31, 0);
        double exact = (double)x * (double)m / std::ldexp(1.0, 31 - s);
        ASSERT_LE(std::fabs(ref::mbqm(x, m, s) - exact), 1.0) << x << " " << m << " " << s;
    }
}

/* ---- requantization -------------------------------------------------------------------------------------- */

TEST(NumericsRequant, ClampAndZeroPoint)
{
    /* (1000 + 24) * 0.5 = 512, - 5 = 507 -> 127 */
    EXPECT_EQ(127, dlp_requant(1000, 24, P30, 0, -5, -128, 127));
    /* (-1000 + 24) * 0.5 = -488, - 5 -> -128 */
    EXPECT_EQ(-128, dlp_requant(-1000, 24, P30, 0, -5, -128, 127));
    /* 7 * 0.5 = 3.5 -> 4, + (-10) = -6 */
    EXPECT_EQ(-6, dlp_requant(7, 0, P30, 0, -10, -128, 127));
    /* -7 * 0.5 = -3.5 -> -3, - 10 = -13 */
    EXPECT_EQ(-13, dlp_requant(-7, 0, P30, 0, -10, -128, 127));
    /* ReLU6-like window [zp, zp + 3] with zp = 3: 100 * 0.5 + 3 = 53 -> 6; -50 + 3 -> 3 */
    EXPECT_EQ(6, dlp_requant(100, 0, P30, 0, 3, 3, 6));
    EXPECT_EQ(3, dlp_requant(-100, 0, P30, 0, 3, 3, 6));
    EXPECT_EQ(5, dlp_requant(4, 0, P30, 0, 3, 3, 6));
    /* acc + bias wraps: MAX + 1 = MIN, * 0.5 = -2^30 -> -128 */
    EXPECT_EQ(-128, dlp_requant(MAX, 1, P30, 0, 0, -128, 127));
    /* per-channel shift: (300 - 44) * 0.75 * 2^-3 = 24 */
    EXPECT_EQ(24, dlp_requant(300, -44, 3 << 29, -3, 0, -128, 127));
}

TEST(NumericsRequant, RandomAgainstReference)
{
    const uint64_t seed = 0x5EED0005;
    Rng g(seed);
    for (int i = 0; i < 20000; i++) {
        int32_t acc = g.chance(50) ? (int32_t)g.range(-200000, 200000) : g.i32();
        int32_t bias = g.chance(50) ? (int32_t)g.range(-5000, 5000) : g.i32();
        int32_t mult = g.chance(80) ? (int32_t)g.range(P30, MAX) : g.i32();
        int32_t shift = (int32_t)g.range(-40, 40);
        int32_t zp = (int32_t)g.range(-128, 127);
        int32_t lo = (int32_t)g.range(-128, 127), hi = (int32_t)g.range(lo, 127);
        ASSERT_EQ(ref::requant(acc, bias, mult, shift, zp, lo, hi),
                  dlp_requant(acc, bias, mult, shift, zp, lo, hi))
            << "seed " << seed << " acc=" << acc << " bias=" << bias << " mult=" << mult
            << " shift=" << shift << " zp=" << zp << " lo=" << lo << " hi=" << hi;
    }
}

/* ---- element-wise add ---------------------------------------------------------------------------------- */

namespace {

dlp_add_params_t to_model(const ref::AddParams &p)
{
    dlp_add_params_t q;
    q.a_offset = p.a_offset, q.a_mult = p.a_mult, q.a_shift = p.a_shift;
    q.b_offset = p.b_offset, q.b_mult = p.b_mult, q.b_shift = p.b_shift;
    q.out_mult = p.out_mult, q.out_shift = p.out_shift, q.out_offset = p.out_offset;
    q.act_min = p.act_min, q.act_max = p.act_max, q.left_shift = p.left_shift;
    return q;
}

} // namespace

TEST(NumericsAdd, HandWorkedHalves)
{
    /* a*0.5 + b*0.5, then *2 (shift 1) * 0.5: out = round(a/2) + round(b/2) (srdhm ties up) */
    ref::AddParams p = {0, P30, 0, 0, P30, 0, P30, 1, 0, -128, 127, 0};
    dlp_add_params_t q = to_model(p);
    EXPECT_EQ(15, dlp_add_int8(10, 20, &q));     /* 5 + 10 = 15; 30 * 0.5 = 15 */
    EXPECT_EQ(2, dlp_add_int8(3, 0, &q));        /* 1.5 -> 2; 4 * 0.5 = 2 */
    EXPECT_EQ(-1, dlp_add_int8(-3, 0, &q));      /* -1.5 -> -1; -2 * 0.5 = -1 */
    EXPECT_EQ(127, dlp_add_int8(127, 127, &q));  /* 63.5 -> 64 twice = 128 -> saturates */
    EXPECT_EQ(-128, dlp_add_int8(-128, -128, &q)); /* -64 - 64 = -128 */

    /* offsets and activation range: a_offset 5, out_offset -3, act [-10, 10] */
    ref::AddParams p2 = {5, P30, 0, 0, P30, 0, P30, 1, -3, -10, 10, 0};
    dlp_add_params_t q2 = to_model(p2);
    EXPECT_EQ(10, dlp_add_int8(10, 20, &q2));  /* 15*0.5=7.5->8, +10 = 18; 18 - 3 = 15 -> 10 */
    EXPECT_EQ(-10, dlp_add_int8(-20, 0, &q2)); /* -15*0.5 = -7.5 -> -7; -7 - 3 = -10 */
    EXPECT_EQ(-10, dlp_add_int8(-30, 0, &q2)); /* -12.5 -> -12; -15 -> -10 */
    EXPECT_EQ(2, dlp_add_int8(1, 3, &q2));     /* 6*0.5 = 3, 3*0.5 = 1.5 -> 2; 5; 10*0.5 - 3 = 2 */
}

TEST(NumericsAdd, HandWorkedTfliteScales)
{
    /* TFLite Prepare for s_a = 0.5, s_b = 0.25, s_out = 0.5, all zero points 0, left_shift 20:
       twice_max = 1.0; a: 0.5 -> (2^30, 0); b: 0.25 -> (2^30, -1); out: 1/(2^20 * 0.5) = 2^-19
       -> (2^30, -18). */
    ref::AddParams p = {0, P30, 0, 0, P30, -1, P30, -18, 0, -128, 127, 20};
    dlp_add_params_t q = to_model(p);
    /* a=10, b=8: 10<<20 * 0.5 = 5242880; 8<<20 * 0.5 / 2 = 2097152; sum 7340032;
       * 0.5 = 3670016; / 2^18 = 14.0 -> 14 (= (10*0.5 + 8*0.25) / 0.5) */
    EXPECT_EQ(14, dlp_add_int8(10, 8, &q));
    /* a=1, b=1: 524288 + 262144 = 786432; * 0.5 = 393216; / 2^18 = 1.5 -> 2 (away from 0) */
    EXPECT_EQ(2, dlp_add_int8(1, 1, &q));
    EXPECT_EQ(-2, dlp_add_int8(-1, -1, &q));
    /* output zero point -1 */
    p.out_offset = -1;
    q = to_model(p);
    EXPECT_EQ(13, dlp_add_int8(10, 8, &q));
}

TEST(NumericsAdd, RandomAgainstReference)
{
    const uint64_t seed = 0x5EED0006;
    Rng g(seed);
    for (int i = 0; i < 20000; i++) {
        ref::AddParams p;
        bool realistic = g.chance(60);
        p.a_offset = (int32_t)g.range(-128, 127);
        p.b_offset = (int32_t)g.range(-128, 127);
        p.out_offset = (int32_t)g.range(-128, 127);
        if (realistic) {
            p.left_shift = 20;
            p.a_mult = (int32_t)g.range(P30, MAX), p.a_shift = (int32_t)g.range(-8, 0);
            p.b_mult = (int32_t)g.range(P30, MAX), p.b_shift = (int32_t)g.range(-8, 0);
            p.out_mult = (int32_t)g.range(P30, MAX), p.out_shift = (int32_t)g.range(-24, -10);
            p.act_min = (int32_t)g.range(-128, 0), p.act_max = (int32_t)g.range(0, 127);
        } else {
            p.left_shift = (int32_t)g.range(-5, 40);
            p.a_mult = interesting(g), p.a_shift = (int32_t)g.range(-40, 40);
            p.b_mult = interesting(g), p.b_shift = (int32_t)g.range(-40, 40);
            p.out_mult = interesting(g), p.out_shift = (int32_t)g.range(-40, 40);
            p.act_min = (int32_t)g.range(-300, 100), p.act_max = (int32_t)g.range(-100, 300);
        }
        dlp_add_params_t q = to_model(p);
        int8_t a = g.i8(), b = g.i8();
        ASSERT_EQ(ref::add_int8(a, b, p), dlp_add_int8(a, b, &q))
            << "seed " << seed << " iteration " << i << " a=" << (int)a << " b=" << (int)b;
    }
}

/* ---- average rounding ---------------------------------------------------------------------------------------- */

TEST(NumericsAvg, HandValues)
{
    EXPECT_EQ(3, dlp_avg_round(5, 2));    /*  2.5 ->  3 */
    EXPECT_EQ(-3, dlp_avg_round(-5, 2));  /* -2.5 -> -3 */
    EXPECT_EQ(-2, dlp_avg_round(-3, 2));  /* -1.5 -> -2 */
    EXPECT_EQ(-1, dlp_avg_round(-2, 4));  /* -0.5 -> -1 */
    EXPECT_EQ(0, dlp_avg_round(-1, 4));   /* -0.25 -> 0 */
    EXPECT_EQ(-1, dlp_avg_round(-4, 3));  /* -1.33 -> -1 */
    EXPECT_EQ(-1, dlp_avg_round(-2, 3));  /* -0.67 -> -1 */
    EXPECT_EQ(0, dlp_avg_round(-1, 3));   /* -0.33 -> 0 */
    EXPECT_EQ(0, dlp_avg_round(0, 9));
    EXPECT_EQ(-128, dlp_avg_round(-128 * 225, 225));
    EXPECT_EQ(-7, dlp_avg_round(-13, 2)); /* -6.5 -> -7 */
    EXPECT_EQ(-17, dlp_avg_round(-50, 3)); /* -16.67 -> -17 */
    EXPECT_EQ(2, dlp_avg_round(4, 2));
}

TEST(NumericsAvg, RandomAgainstReference)
{
    const uint64_t seed = 0x5EED0007;
    Rng g(seed);
    for (int i = 0; i < 20000; i++) {
        int32_t n = (int32_t)g.range(1, 225);
        int32_t s = (int32_t)g.range(-128 * n, 127 * n);
        ASSERT_EQ(ref::avg(s, n), dlp_avg_round(s, n)) << "seed " << seed << " s=" << s
                                                        << " n=" << n;
    }
}
