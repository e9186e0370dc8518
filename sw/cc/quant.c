/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Quantization arithmetic of the compiler, as TFLite's Prepare functions compute it: the
 * multiplier/shift of a real scale ratio, fused activation ranges, ADD parameters and the
 * lookup tables of activation layers. (The run-time arithmetic is the machine's: vrq, vadd,
 * vlut, docs/numerics.md.)
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cc.h"
#include "cc_util.h"
#include "dlp_numerics.h" /* dlp_mbqm: the model's requantization, bit for bit */

int cc_quantize_multiplier(double real, int32_t *mult, int32_t *shift)
{
    int e;
    double f;
    long long q;
    *mult = 0;
    *shift = 0;
    if (!(real > 0) || !isfinite(real))
        return -1;
    f = frexp(real, &e); /* real = f * 2^e, 0.5 <= f < 1 */
    q = llround(f * (double)(1ll << 31));
    if (q == (1ll << 31)) {
        q /= 2;
        e++;
    }
    if (e < -31 || e > 30)
        return -1;
    *mult = (int32_t)q;
    *shift = e;
    return 0;
}

void cc_act_range(enum cc_act act, double scale, int32_t zp, int32_t *lo, int32_t *hi)
{
    *lo = -128;
    *hi = 127;
    if (act == CC_ACT_RELU || act == CC_ACT_RELU6)
        *lo = zp > -128 ? zp : -128;
    if (act == CC_ACT_RELU6) {
        /* TFLite: zero_point + TfLiteRound(6.0f / scale), in float */
        double q = (double)zp + (double)roundf(6.0f / (float)scale);
        *hi = q < 127 ? (int32_t)q : 127;
        if (*hi < *lo)
            *hi = *lo;
    }
}

/* The functions in float, as TFLite's LUT population evaluates them. */
static float fn_eval(enum cc_fn fn, float x)
{
    switch (fn) {
    case CC_FN_SIGMOID: return 1.0f / (1.0f + expf(-x));
    case CC_FN_TANH: return tanhf(x);
    case CC_FN_RELU: return x > 0 ? x : 0;
    case CC_FN_RELU6: return x < 0 ? 0 : x > 6 ? 6 : x;
    case CC_FN_HARDSWISH: {
        float r = x + 3 < 0 ? 0 : x + 3 > 6 ? 6 : x + 3;
        return x * r / 6.0f;
    }
    case CC_FN_HARDSIGMOID: {
        float r = x + 3 < 0 ? 0 : x + 3 > 6 ? 6 : x + 3;
        return r / 6.0f;
    }
    case CC_FN_SILU: return x / (1.0f + expf(-x));
    case CC_FN_GELU: return 0.5f * x * (1.0f + erff(x * 0.70710678f));
    case CC_FN_ELU: return x > 0 ? x : expf(x) - 1.0f;
    case CC_FN_EXP: return expf(x);
    case CC_FN_ABS: return fabsf(x);
    case CC_FN_NEG: return -x;
    default: return x;
    }
}

int cc_make_table(enum cc_fn fn, double s_in, int32_t zp_in, double s_out, int32_t zp_out,
                  int8_t table[256], char *err, size_t errlen)
{
    if (fn == CC_FN_RELU || fn == CC_FN_RELU6 || fn == CC_FN_IDENTITY) {
        /* TFLite's integer requantizing ReLU / ReLU6 / identity (QUANTIZE between scales) */
        int32_t m, sh, lo, hi;
        /* TFLite's ReluPrepare divides the float scales in float */
        if (cc_quantize_multiplier((double)((float)s_in / (float)s_out), &m, &sh))
            return cc_fail(err, errlen, "the scale ratio %g / %g cannot be represented", s_in,
                           s_out);
        cc_act_range(fn == CC_FN_RELU ? CC_ACT_RELU : fn == CC_FN_RELU6 ? CC_ACT_RELU6
                                                                          : CC_ACT_NONE,
                     s_out, zp_out, &lo, &hi);
        for (int i = 0; i < 256; i++) {
            int32_t v = zp_out + dlp_mbqm(i - 128 - zp_in, m, sh);
            table[i] = (int8_t)(v < lo ? lo : v > hi ? hi : v);
        }
        return 0;
    }
    /* TFLite's LUTPopulate: dequantize, transform, rescale and round in float */
    {
        float inv = 1.0f / (float)s_out;
        for (int i = 0; i < 256; i++) {
            float x = (float)s_in * (float)(i - 128 - zp_in);
            float r = roundf(fn_eval(fn, x) * inv);
            float q = r + (float)zp_out;
            if (isnan(q))
                q = (float)zp_out;
            table[i] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
        }
    }
    return 0;
}

int cc_add_params(double s1, int32_t zp1, double s2, int32_t zp2, double so, int32_t zpo,
                  int32_t act_min, int32_t act_max, int32_t p[DLP_VADD_WORDS])
{
    double twice_max = 2.0 * (s1 > s2 ? s1 : s2);
    int32_t m, sh;
    memset(p, 0, DLP_VADD_WORDS * sizeof *p);
    p[DLP_VADD_LEFT_SHIFT] = 20; /* left_shift for int8 */
    p[DLP_VADD_A_OFFSET] = -zp1;
    p[DLP_VADD_B_OFFSET] = -zp2;
    p[DLP_VADD_OUT_OFFSET] = zpo;
    if (cc_quantize_multiplier(s1 / twice_max, &m, &sh))
        return -1;
    p[DLP_VADD_A_MULT] = m;
    p[DLP_VADD_A_SHIFT] = sh;
    if (cc_quantize_multiplier(s2 / twice_max, &m, &sh))
        return -1;
    p[DLP_VADD_B_MULT] = m;
    p[DLP_VADD_B_SHIFT] = sh;
    if (cc_quantize_multiplier(twice_max / ((double)(1 << 20) * so), &m, &sh))
        return -1;
    p[DLP_VADD_OUT_MULT] = m;
    p[DLP_VADD_OUT_SHIFT] = sh;
    p[DLP_VADD_ACT_MIN] = act_min;
    p[DLP_VADD_ACT_MAX] = act_max;
    return 0;
}
