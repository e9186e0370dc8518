/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Independent TFLite int8 reference kernels; see tflite_ref.h.
 *
 * The fixed-point helpers are written from gemmlowp's definitions in a different formulation
 * from the C model's (exact 64-bit floor arithmetic instead of masks), so a shared mistake is
 * unlikely.
 */
#include "tflite_ref.h"

#include <math.h>
#include <stdlib.h>

/* Round-half-away-from-zero of p / 2^31 for the doubled product, then saturate. */
int32_t ref_srdhm(int32_t a, int32_t b)
{
    int64_t p = (int64_t)a * b;
    int64_t q;
    if (a == INT32_MIN && b == INT32_MIN)
        return INT32_MAX;
    /* gemmlowp: (p + nudge) / 2^31 with C truncation, nudge = +-2^30 (1 - 2^30 for negatives) */
    if (p >= 0)
        q = (p + (1ll << 30)) >> 31; /* non-negative: truncation == floor */
    else {
        int64_t s = p + 1 - (1ll << 30); /* negative numerator */
        q = -((-s) >> 31);               /* truncation toward zero */
    }
    return (int32_t)q;
}

/* x / 2^e rounded to nearest, ties away from zero. */
int32_t ref_rdbpot(int32_t x, int e)
{
    int64_t d = 1ll << e;
    int64_t ax = x < 0 ? -(int64_t)x : x;
    int64_t q = ax / d, r = ax % d;
    if (e > 0 && 2 * r >= d)
        q++;
    return (int32_t)(x < 0 ? -q : q);
}

int32_t ref_mbqm(int32_t x, int32_t mult, int shift)
{
    int s = shift > 31 ? 31 : shift < -31 ? -31 : shift;
    uint32_t ux = (uint32_t)x;
    if (s > 0)
        ux <<= s; /* wraps modulo 2^32 */
    return ref_rdbpot(ref_srdhm((int32_t)ux, mult), s < 0 ? -s : 0);
}

void ref_quantize_multiplier(double real, int32_t *mult, int *shift)
{
    int e;
    double f;
    long long q;
    if (real == 0.0) {
        *mult = 0;
        *shift = 0;
        return;
    }
    f = frexp(real, &e); /* real = f * 2^e, 0.5 <= f < 1 */
    q = llround(f * (double)(1ll << 31));
    if (q == (1ll << 31)) {
        q /= 2;
        e++;
    }
    if (e < -31) {
        e = 0;
        q = 0;
    }
    *mult = (int32_t)q;
    *shift = e;
}

static int32_t clamp(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int8_t finish(int64_t acc64, int c, const ref_requant_t *q)
{
    int32_t acc = (int32_t)(uint32_t)acc64; /* int32 wrap, as TFLite's int32 accumulator */
    if (q->bias)
        acc = (int32_t)((uint32_t)acc + (uint32_t)q->bias[c]);
    acc = ref_mbqm(acc, q->mult[c], q->shift[c]);
    acc = (int32_t)((uint32_t)acc + (uint32_t)q->out_zp);
    return (int8_t)clamp(clamp(acc, q->act_min, q->act_max), -128, 127);
}

int ref_conv_oh(const ref_conv_t *g)
{
    return (g->ih + g->pad_t + g->pad_b - g->kh) / g->sh + 1;
}

int ref_conv_ow(const ref_conv_t *g)
{
    return (g->iw + g->pad_l + g->pad_r - g->kw) / g->sw + 1;
}

void ref_conv2d(const ref_conv_t *g, const int8_t *in, const int8_t *filt, const ref_requant_t *q,
                int8_t *out)
{
    int oh = ref_conv_oh(g), ow = ref_conv_ow(g);
    int icg = g->ic / g->groups, ocg = g->oc / g->groups;
    for (int b = 0; b < g->n; b++)
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
                for (int o = 0; o < g->oc; o++) {
                    int grp = o / ocg;
                    int64_t acc = 0;
                    for (int fy = 0; fy < g->kh; fy++)
                        for (int fx = 0; fx < g->kw; fx++) {
                            int iy = y * g->sh - g->pad_t + fy, ix = x * g->sw - g->pad_l + fx;
                            if (iy < 0 || iy >= g->ih || ix < 0 || ix >= g->iw)
                                continue;
                            for (int c = 0; c < icg; c++) {
                                int32_t v = in[(((size_t)b * g->ih + iy) * g->iw + ix) * g->ic +
                                               grp * icg + c];
                                int32_t w = filt[(((size_t)o * g->kh + fy) * g->kw + fx) * icg + c];
                                acc += (int64_t)(v - q->in_zp) * w;
                            }
                        }
                    out[(((size_t)b * oh + y) * ow + x) * g->oc + o] = finish(acc, o, q);
                }
}

void ref_fc(int batch, int in_n, int out_n, const int8_t *in, const int8_t *filt,
            const ref_requant_t *q, int8_t *out)
{
    for (int b = 0; b < batch; b++)
        for (int o = 0; o < out_n; o++) {
            int64_t acc = 0;
            for (int i = 0; i < in_n; i++)
                acc += (int64_t)(in[(size_t)b * in_n + i] - q->in_zp) * filt[(size_t)o * in_n + i];
            out[(size_t)b * out_n + o] = finish(acc, o, q);
        }
}

void ref_fc_float(int batch, int in_n, int out_n, const int8_t *in, const int8_t *filt,
                  const ref_requant_t *q, float in_scale, const float *w_scale, float out_scale,
                  int8_t *out)
{
    for (int o = 0; o < out_n; o++) {
        /* the product of the input and weight scales in double, then the division */
        double m = (double)in_scale * (double)w_scale[o] / (double)out_scale;
        for (int b = 0; b < batch; b++) {
            int64_t acc = 0;
            double r;
            int32_t v;
            for (int i = 0; i < in_n; i++)
                acc += (int64_t)(in[(size_t)b * in_n + i] - q->in_zp) * filt[(size_t)o * in_n + i];
            acc = (int32_t)(uint32_t)acc;
            if (q->bias)
                acc = (int32_t)((uint32_t)acc + (uint32_t)q->bias[o]);
            r = round((double)acc * m); /* C round(): halves away from zero */
            /* beyond int32 TFLite's conversion is undefined; saturate (never reached by models) */
            v = r >= 2147483647.0 ? INT32_MAX : r <= -2147483648.0 ? INT32_MIN : (int32_t)r;
            v = (int32_t)((uint32_t)v + (uint32_t)q->out_zp);
            out[(size_t)b * out_n + o] = (int8_t)clamp(clamp(v, q->act_min, q->act_max), -128, 127);
        }
    }
}

static void pool(const ref_pool_t *g, const int8_t *in, int8_t *out, int is_max)
{
    for (int b = 0; b < g->n; b++)
        for (int y = 0; y < g->oh; y++)
            for (int x = 0; x < g->ow; x++)
                for (int c = 0; c < g->c; c++) {
                    int32_t best = -128, sum = 0, count = 0, v;
                    for (int fy = 0; fy < g->kh; fy++)
                        for (int fx = 0; fx < g->kw; fx++) {
                            int iy = y * g->sh - g->pad_t + fy, ix = x * g->sw - g->pad_l + fx;
                            if (iy < 0 || iy >= g->ih || ix < 0 || ix >= g->iw)
                                continue;
                            v = in[(((size_t)b * g->ih + iy) * g->iw + ix) * g->c + c];
                            if (v > best)
                                best = v;
                            sum += v;
                            count++;
                        }
                    if (is_max)
                        v = best;
                    else if (count == 0)
                        v = 0;
                    else
                        v = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                    out[(((size_t)b * g->oh + y) * g->ow + x) * g->c + c] =
                        (int8_t)clamp(v, g->act_min, g->act_max);
                }
}

void ref_maxpool(const ref_pool_t *g, const int8_t *in, int8_t *out)
{
    pool(g, in, out, 1);
}

void ref_avgpool(const ref_pool_t *g, const int8_t *in, int8_t *out)
{
    pool(g, in, out, 0);
}

void ref_add(int n, const int8_t *a, const int8_t *b, const ref_add_t *p, int8_t *out)
{
    for (int i = 0; i < n; i++) {
        int32_t x1 = (int32_t)((uint32_t)(a[i] + p->in1_offset) << p->left_shift);
        int32_t x2 = (int32_t)((uint32_t)(b[i] + p->in2_offset) << p->left_shift);
        int32_t s1 = ref_mbqm(x1, p->in1_mult, p->in1_shift);
        int32_t s2 = ref_mbqm(x2, p->in2_mult, p->in2_shift);
        int32_t raw = ref_mbqm((int32_t)((uint32_t)s1 + (uint32_t)s2), p->out_mult, p->out_shift);
        raw = (int32_t)((uint32_t)raw + (uint32_t)p->out_offset);
        out[i] = (int8_t)clamp(clamp(raw, p->act_min, p->act_max), -128, 127);
    }
}

/* TFLite's PrepareGeneralSubOp/Add for int8: left_shift 20, twice the larger input scale. */
void ref_add_prepare(double s1, int32_t zp1, double s2, int32_t zp2, double so, int32_t zpo,
                     int32_t act_min, int32_t act_max, ref_add_t *p)
{
    double twice_max = 2.0 * (s1 > s2 ? s1 : s2);
    int sh;
    p->left_shift = 20;
    p->in1_offset = -zp1;
    p->in2_offset = -zp2;
    p->out_offset = zpo;
    ref_quantize_multiplier(s1 / twice_max, &p->in1_mult, &sh);
    p->in1_shift = sh;
    ref_quantize_multiplier(s2 / twice_max, &p->in2_mult, &sh);
    p->in2_shift = sh;
    ref_quantize_multiplier(twice_max / ((double)(1 << 20) * so), &p->out_mult, &sh);
    p->out_shift = sh;
    p->act_min = act_min;
    p->act_max = act_max;
}

void ref_lut(int n, const int8_t *in, const int8_t table[256], int8_t *out)
{
    for (int i = 0; i < n; i++)
        out[i] = table[in[i] + 128];
}

void ref_rng_seed(ref_rng_t *r, uint64_t seed)
{
    r->s = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (!r->s)
        r->s = 1;
}

uint32_t ref_rng_u32(ref_rng_t *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 0x2545F4914F6CDD1Dull) >> 32);
}

int32_t ref_rng_range(ref_rng_t *r, int32_t lo, int32_t hi)
{
    uint64_t span = (uint64_t)((int64_t)hi - lo) + 1;
    return (int32_t)(lo + (int64_t)(ref_rng_u32(r) % span));
}
