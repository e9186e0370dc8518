/* SPDX-License-Identifier: Apache-2.0 */
/* TFLite int8 numerics; see dlp_numerics.h for the rules on the cases C++ leaves undefined. */
#include "dlp_numerics.h"

int32_t dlp_srdhm(int32_t a, int32_t b)
{
    int64_t ab, nudge;
    if (a == INT32_MIN && b == INT32_MIN)
        return INT32_MAX;
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    /* truncating division, as the reference: differs from >> 31 for negative sums */
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

int32_t dlp_rdbpot(int32_t x, int exponent)
{
    int64_t mask = ((int64_t)1 << exponent) - 1;
    int64_t remainder = (int64_t)x & mask;
    int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    /* arithmetic shift of a negative value: implementation-defined in C11, arithmetic on gcc;
       written as floor division to stay portable */
    int64_t q = x >= 0 ? ((int64_t)x >> exponent)
                       : -((-(int64_t)x + mask) >> exponent);
    return (int32_t)(q + (remainder > threshold ? 1 : 0));
}

int32_t dlp_mbqm(int32_t x, int32_t multiplier, int32_t shift)
{
    int s = shift > 31 ? 31 : shift < -31 ? -31 : (int)shift;
    int left = s > 0 ? s : 0;
    int right = s > 0 ? 0 : -s;
    return dlp_rdbpot(dlp_srdhm(dlp_wrap_shl(x, left), multiplier), right);
}

int8_t dlp_requant(int32_t acc, int32_t bias, int32_t mult, int32_t shift, int32_t zp, int32_t lo,
                   int32_t hi)
{
    int32_t v = dlp_mbqm(dlp_wrap_add(acc, bias), mult, shift);
    return (int8_t)dlp_clamp(dlp_wrap_add(v, zp), lo, hi);
}

int8_t dlp_add_int8(int8_t a, int8_t b, const dlp_add_params_t *p)
{
    int ls = p->left_shift < 0 ? 0 : p->left_shift > 31 ? 31 : p->left_shift;
    int32_t sa = dlp_wrap_shl(dlp_wrap_add(a, p->a_offset), ls);
    int32_t sb = dlp_wrap_shl(dlp_wrap_add(b, p->b_offset), ls);
    int32_t ra = dlp_mbqm(sa, p->a_mult, p->a_shift);
    int32_t rb = dlp_mbqm(sb, p->b_mult, p->b_shift);
    int32_t out = dlp_wrap_add(dlp_mbqm(dlp_wrap_add(ra, rb), p->out_mult, p->out_shift),
                               p->out_offset);
    return dlp_sat8(dlp_clamp(out, p->act_min, p->act_max));
}

int32_t dlp_avg_round(int32_t sum, int32_t count)
{
    return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}
