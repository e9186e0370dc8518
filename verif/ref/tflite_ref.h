/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Independent int8 reference kernels with TensorFlow Lite semantics.
 *
 * Written as plain loops from TFLite's reference kernels (conv, depthwise conv, fully connected,
 * pooling, add, lookup table) and gemmlowp's fixed-point helpers. This code deliberately shares
 * nothing with the C model (cmodel/): tests compare the model, the RTL and compiled networks
 * against it. Tensors are NHWC; convolution filters are OHWI (TFLite's layout).
 */
#ifndef TFLITE_REF_H
#define TFLITE_REF_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* gemmlowp / TFLite fixed point (UB cases defined as in docs/numerics.md). */
int32_t ref_srdhm(int32_t a, int32_t b);
int32_t ref_rdbpot(int32_t x, int exponent);
int32_t ref_mbqm(int32_t x, int32_t mult, int shift);

/* TFLite QuantizeMultiplier: real multiplier -> (int32 multiplier in [2^30, 2^31), shift). */
void ref_quantize_multiplier(double real, int32_t *mult, int *shift);

typedef struct ref_requant {
    const int32_t *bias;  /* per output channel (may be NULL) */
    const int32_t *mult;  /* per output channel */
    const int32_t *shift; /* per output channel */
    int32_t in_zp, out_zp;
    int32_t act_min, act_max;
} ref_requant_t;

/* Convolution, NHWC input [n][ih][iw][ic], OHWI filter [oc][kh][kw][ic/groups],
   output [n][oh][ow][oc] with oh = (ih + pad_t + pad_b - kh) / sh + 1 (same for w). */
typedef struct ref_conv {
    int n, ih, iw, ic, oc, kh, kw, sh, sw, pad_t, pad_l, pad_b, pad_r, groups;
} ref_conv_t;
void ref_conv2d(const ref_conv_t *g, const int8_t *in, const int8_t *filt, const ref_requant_t *q,
                int8_t *out);
int ref_conv_oh(const ref_conv_t *g);
int ref_conv_ow(const ref_conv_t *g);

/* Fully connected: out[b][o] from in[b][i] and filter[o][i], requantized with
   MultiplyByQuantizedMultiplier (q->mult, q->shift): TFLite's reference kernels up to 2.19, its
   optimized kernels and TFLite Micro ("fixed" rounding, docs/numerics.md). */
void ref_fc(int batch, int in_n, int out_n, const int8_t *in, const int8_t *filt,
            const ref_requant_t *q, int8_t *out);
/* The same layer as TFLite's reference kernels compute it from 2.20 on (LiteRT): the int32
   accumulator times s_in * s_w[o] / s_out in double precision, rounded half away from zero
   ("float" rounding). w_scale has out_n entries; q->mult and q->shift are not used. */
void ref_fc_float(int batch, int in_n, int out_n, const int8_t *in, const int8_t *filt,
                  const ref_requant_t *q, float in_scale, const float *w_scale, float out_scale,
                  int8_t *out);

/* Pooling over NHWC [n][ih][iw][c]; positions in the padding are skipped (TFLite). */
typedef struct ref_pool {
    int n, ih, iw, c, kh, kw, sh, sw, pad_t, pad_l, oh, ow;
    int32_t act_min, act_max;
} ref_pool_t;
void ref_maxpool(const ref_pool_t *g, const int8_t *in, int8_t *out);
void ref_avgpool(const ref_pool_t *g, const int8_t *in, int8_t *out);

/* Element-wise add with TFLite's int8 ADD parameters. */
typedef struct ref_add {
    int32_t in1_offset, in1_mult, in1_shift;
    int32_t in2_offset, in2_mult, in2_shift;
    int32_t out_mult, out_shift, out_offset;
    int32_t act_min, act_max, left_shift;
} ref_add_t;
void ref_add(int n, const int8_t *a, const int8_t *b, const ref_add_t *p, int8_t *out);
/* TFLite's Prepare for int8 ADD: parameters from the scales and zero points. */
void ref_add_prepare(double s1, int32_t zp1, double s2, int32_t zp2, double so, int32_t zpo,
                     int32_t act_min, int32_t act_max, ref_add_t *p);

/* Lookup table: out = table[x + 128]. */
void ref_lut(int n, const int8_t *in, const int8_t table[256], int8_t *out);

/* Deterministic generator (xorshift64*), independent of libc rand(). */
typedef struct ref_rng {
    uint64_t s;
} ref_rng_t;
void ref_rng_seed(ref_rng_t *r, uint64_t seed);
uint32_t ref_rng_u32(ref_rng_t *r);
int32_t ref_rng_range(ref_rng_t *r, int32_t lo, int32_t hi); /* inclusive */

#ifdef __cplusplus
}
#endif

#endif
