/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TFLite int8 models -> a network description and a weight file (docs/import.md).
 *
 * The model is read with the bounds-checked FlatBuffers reader (fbs.c) following TFLite's
 * schema (Model, SubGraph, Tensor, QuantizationParameters, Operator, OperatorCode, Buffer and
 * the options tables of the operators below); the result is the text of a description
 * (docs/netdesc.md) and its records, which the compiler then reads as it reads any other
 * description, so that the imported network obeys every rule and check of hand-written ones.
 *
 * Names: tensor i of the model is `t<i>`, operator i is the layer `op<i>`; messages name the
 * operator by its index and TFLite name.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "cc_util.h"
#include "dlp_numerics.h" /* dlp_mbqm: QUANTIZE tables, as the model requantizes */
#include "fbs.h"

/* TFLite schema: field numbers and enumerations used here. */
enum { M_VERSION = 0, M_OPCODES = 1, M_SUBGRAPHS = 2, M_BUFFERS = 4 };
enum { SG_TENSORS = 0, SG_INPUTS = 1, SG_OUTPUTS = 2, SG_OPS = 3 };
enum { T_SHAPE = 0, T_TYPE = 1, T_BUFFER = 2, T_QUANT = 4, T_SPARSITY = 6 };
enum { Q_SCALE = 2, Q_ZP = 3, Q_DIM = 6 };
enum { OP_OPCODE = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_OPTIONS = 4 };
enum { OC_DEPRECATED = 0, OC_CUSTOM = 1, OC_CODE = 3 };
enum { B_DATA = 0, B_OFFSET = 1 };
enum { TT_FLOAT32 = 0, TT_INT32 = 2, TT_UINT8 = 3, TT_INT8 = 9 };
enum {
    OP_ADD = 0, OP_AVERAGE_POOL_2D = 1, OP_CONV_2D = 3, OP_DEPTHWISE_CONV_2D = 4,
    OP_DEQUANTIZE = 6, OP_FULLY_CONNECTED = 9, OP_LOGISTIC = 14, OP_MAX_POOL_2D = 17,
    OP_RELU = 19, OP_RELU6 = 21, OP_RESHAPE = 22, OP_TANH = 28, OP_PAD = 34, OP_MEAN = 40,
    OP_SQUEEZE = 43, OP_PADV2 = 60,
    OP_QUANTIZE = 113
};
enum { ACT_NONE = 0, ACT_RELU = 1, ACT_RELU_N1_TO_1 = 2, ACT_RELU6 = 3 };

#define MAX_TENSORS 100000
#define MAX_DIM (1 << 24)
#define MAX_ELEMS (1ull << 28)

static const struct {
    int code;
    const char *name;
} op_names[] = {
    {0, "ADD"}, {1, "AVERAGE_POOL_2D"}, {2, "CONCATENATION"}, {3, "CONV_2D"},
    {4, "DEPTHWISE_CONV_2D"}, {6, "DEQUANTIZE"}, {9, "FULLY_CONNECTED"}, {14, "LOGISTIC"},
    {17, "MAX_POOL_2D"}, {18, "MUL"}, {19, "RELU"}, {20, "RELU_N1_TO_1"}, {21, "RELU6"},
    {22, "RESHAPE"}, {25, "SOFTMAX"}, {28, "TANH"}, {32, "CUSTOM"}, {34, "PAD"},
    {39, "TRANSPOSE"}, {40, "MEAN"}, {41, "SUB"}, {43, "SQUEEZE"}, {49, "SPLIT"},
    {53, "CAST"}, {54, "PRELU"}, {55, "MAXIMUM"}, {57, "MINIMUM"}, {60, "PADV2"},
    {45, "STRIDED_SLICE"}, {65, "SLICE"}, {77, "SHAPE"}, {70, "EXPAND_DIMS"}, {110, "ELU"},
    {102, "SPLIT_V"}, {23, "RESIZE_BILINEAR"}, {96, "RESIZE_NEAREST_NEIGHBOR"}, {47, "EXP"},
    {50, "LOG_SOFTMAX"}, {42, "DIV"}, {36, "GATHER"}, {56, "ARG_MAX"}, {37, "BATCH_TO_SPACE_ND"},
    {38, "SPACE_TO_BATCH_ND"}, {99, "MIRROR_PAD"}, {100, "ABS"}, {75, "SQRT"}, {76, "RSQRT"}, {67, "TRANSPOSE_CONV"}, {74, "SUM"}, {82, "REDUCE_MAX"},
    {83, "PACK"}, {97, "LEAKY_RELU"}, {113, "QUANTIZE"}, {116, "HARD_SWISH"},
    {125, "BATCH_MATMUL"},
};

static const char *op_name(int code)
{
    static char other[32];
    for (size_t i = 0; i < sizeof op_names / sizeof op_names[0]; i++)
        if (op_names[i].code == code)
            return op_names[i].name;
    snprintf(other, sizeof other, "builtin operator %d", code);
    return other;
}

static const char *type_name(int t)
{
    switch (t) {
    case TT_FLOAT32: return "float32";
    case 1: return "float16";
    case TT_INT32: return "int32";
    case TT_UINT8: return "uint8";
    case 4: return "int64";
    case 7: return "int16";
    case TT_INT8: return "int8";
    default: return "non-int8";
    }
}

typedef struct tensor {
    int rank;
    int dims[4];
    int type;
    const uint8_t *data;    /* constant data (NULL for activations) */
    size_t data_len;
    int nq;                 /* number of scales */
    float *scale;
    int64_t *zp;
    int qdim;
    int padded;             /* the output of a PAD folded into the convolutions that read it: */
    int pad_src, pad[4];    /* the unpadded tensor and the top, left, bottom, right rows */
} tensor_t;

typedef struct imp {
    fbs_t f;
    const char *file;
    tensor_t *t;
    uint32_t nt;
    cc_buf_t *d;
    cc_wfile_t *wf;
    int fc_float;
    char *err;
    size_t errlen;
    int op;                 /* operator being imported, for messages */
    int code;
} imp_t;

static int ifail(imp_t *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ifail(imp_t *m, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (m->op >= 0)
        return cc_fail(m->err, m->errlen, "%s: operator %d (%s): %s", m->file, m->op,
                       op_name(m->code), msg);
    return cc_fail(m->err, m->errlen, "%s: %s", m->file, msg);
}

static int fbs_fail(imp_t *m)
{
    return ifail(m, "malformed or truncated model: %s", m->f.why);
}

static uint64_t elems(const tensor_t *t)
{
    uint64_t n = 1;
    for (int i = 0; i < t->rank; i++)
        n *= (uint64_t)t->dims[i];
    return n;
}

/* ---- reading the tensors ----------------------------------------------------------------------- */

static int read_tensors(imp_t *m, fbs_tab_t sg, fbs_vec_t buffers)
{
    fbs_t *f = &m->f;
    fbs_vec_t tv = fbs_vector(f, sg, SG_TENSORS, 4);
    if (!fbs_ok(f))
        return fbs_fail(m);
    if (tv.n > MAX_TENSORS)
        return ifail(m, "%u tensors (at most %d)", tv.n, MAX_TENSORS);
    m->nt = tv.n;
    m->t = cc_xcalloc(sizeof *m->t * (tv.n ? tv.n : 1));
    for (uint32_t i = 0; i < tv.n; i++) {
        tensor_t *t = &m->t[i];
        fbs_tab_t tt = fbs_vec_table(f, tv, i), q;
        fbs_vec_t shape = fbs_vector(f, tt, T_SHAPE, 4);
        uint32_t b;
        if (!fbs_ok(f))
            return fbs_fail(m);
        if (fbs_has(f, tt, T_SPARSITY))
            return ifail(m, "tensor %u is sparse (not supported)", i);
        if (shape.n > 4)
            return ifail(m, "tensor %u has %u dimensions (at most 4)", i, shape.n);
        for (uint32_t k = 0; k < shape.n; k++) {
            t->rank = (int)k + 1;
            int64_t d = fbs_vec_int(f, shape, k, 4);
            if (d < 1 || d > MAX_DIM)
                return ifail(m, "tensor %u: dimension %u is %lld (1..%d; dynamic shapes are not "
                             "supported)", i, k, (long long)d, MAX_DIM);
            t->dims[k] = (int)d;
            /* each factor is below 2^24: the running product cannot wrap before this check */
            if (elems(t) > MAX_ELEMS)
                return ifail(m, "tensor %u has more than %llu elements", i,
                             (unsigned long long)MAX_ELEMS);
        }
        t->type = (int)fbs_int(f, tt, T_TYPE, 1, 0);
        b = (uint32_t)fbs_uint(f, tt, T_BUFFER, 4, 0);
        if (b >= buffers.n && buffers.n)
            return ifail(m, "tensor %u: buffer %u of %u", i, b, buffers.n);
        if (b) {
            fbs_tab_t bt = fbs_vec_table(f, buffers, b);
            fbs_vec_t data = fbs_vector(f, bt, B_DATA, 1);
            if (fbs_uint(f, bt, B_OFFSET, 8, 0))
                return ifail(m, "tensor %u: data stored outside the flatbuffer (models over 2 "
                             "GB) are not supported", i);
            if (data.n) {
                t->data = f->b + data.pos;
                t->data_len = data.n;
            }
        }
        q = fbs_table(f, tt, T_QUANT);
        if (q.pos) {
            fbs_vec_t sv = fbs_vector(f, q, Q_SCALE, 4), zv = fbs_vector(f, q, Q_ZP, 8);
            if (!fbs_ok(f))
                return fbs_fail(m);
            if (sv.n && zv.n && sv.n != zv.n)
                return ifail(m, "tensor %u: %u scales but %u zero points", i, sv.n, zv.n);
            if (sv.n) {
                t->nq = (int)sv.n;
                t->scale = cc_xmalloc(sizeof *t->scale * sv.n);
                t->zp = cc_xcalloc(sizeof *t->zp * sv.n);
                for (uint32_t k = 0; k < sv.n; k++) {
                    t->scale[k] = fbs_vec_float(f, sv, k);
                    if (zv.n)
                        t->zp[k] = fbs_vec_int(f, zv, k, 8);
                }
            }
            t->qdim = (int)fbs_int(f, q, Q_DIM, 4, 0);
        }
        if (!fbs_ok(f))
            return fbs_fail(m);
    }
    return 0;
}

/* ---- checks on operands ------------------------------------------------------------------------- */

/* An int8 activation tensor with one scale and zero point. */
static int act_tensor(imp_t *m, int i, const char *role)
{
    const tensor_t *t;
    if (i < 0 || (uint32_t)i >= m->nt)
        return ifail(m, "%s tensor index %d of %u", role, i, m->nt);
    t = &m->t[i];
    if (t->type == TT_FLOAT32)
        return ifail(m, "%s tensor %d is float32: a float model (convert with full integer "
                     "quantization: int8 activations and weights)", role, i);
    if (t->type == TT_UINT8)
        return ifail(m, "%s tensor %d is uint8: uint8 quantization is not supported (convert "
                     "with int8 activations)", role, i);
    if (t->type != TT_INT8)
        return ifail(m, "%s tensor %d is %s (only int8 activations are supported)", role, i,
                     type_name(t->type));
    if (t->nq != 1)
        return ifail(m, "%s tensor %d has %d scales (an activation needs one)", role, i, t->nq);
    if (!(t->scale[0] > 0) || !isfinite(t->scale[0]))
        return ifail(m, "%s tensor %d: scale %g (must be > 0)", role, i, (double)t->scale[0]);
    if (t->zp[0] < -128 || t->zp[0] > 127)
        return ifail(m, "%s tensor %d: zero point %lld (-128..127)", role, i,
                     (long long)t->zp[0]);
    if (t->rank < 1 || t->rank == 3)
        return ifail(m, "%s tensor %d has %d dimensions (1, 2 or 4 are supported)", role, i,
                     t->rank);
    return 0;
}

/* A constant tensor of the given type and element count. */
static int const_tensor(imp_t *m, int i, int type, uint64_t n, const char *role)
{
    const tensor_t *t;
    size_t es = type == TT_INT32 ? 4 : 1;
    if (i < 0 || (uint32_t)i >= m->nt)
        return ifail(m, "%s tensor index %d of %u", role, i, m->nt);
    t = &m->t[i];
    if (t->type != type)
        return ifail(m, "%s tensor %d is %s, expected %s%s", role, i, type_name(t->type),
                     type_name(type), t->type == TT_FLOAT32 ? " (a float model?)" : "");
    if (!t->data)
        return ifail(m, "%s tensor %d is not a constant (computed weights are not supported)",
                     role, i);
    if (elems(t) != n || t->data_len != n * es)
        return ifail(m, "%s tensor %d has %llu elements in %zu bytes, expected %llu", role, i,
                     (unsigned long long)elems(t), t->data_len, (unsigned long long)n);
    return 0;
}

/* Weight scales: one, or one per output channel along dimension qdim; zero points 0. */
static int weight_scales(imp_t *m, int i, int out, int qdim, float **ws, int *nws)
{
    const tensor_t *t = &m->t[i];
    if (t->nq != 1 && t->nq != out)
        return ifail(m, "weight tensor %d has %d scales (1 or %d expected)", i, t->nq, out);
    if (t->nq > 1 && t->qdim != qdim)
        return ifail(m, "weight tensor %d is quantized along dimension %d (expected %d)", i,
                     t->qdim, qdim);
    for (int k = 0; k < t->nq; k++) {
        if (!(t->scale[k] > 0) || !isfinite(t->scale[k]))
            return ifail(m, "weight tensor %d: scale %d is %g (must be > 0)", i, k,
                         (double)t->scale[k]);
        if (t->zp[k])
            return ifail(m, "weight tensor %d: zero point %lld (weights must be symmetric)", i,
                         (long long)t->zp[k]);
    }
    *ws = t->scale;
    *nws = t->nq;
    return 0;
}

/* ---- writing the description and the records ----------------------------------------------------- */

static void shape_str(const tensor_t *t, char *b, size_t n)
{
    if (t->rank == 4)
        snprintf(b, n, "%dx%dx%dx%d", t->dims[0], t->dims[1], t->dims[2], t->dims[3]);
    else if (t->rank == 2)
        snprintf(b, n, "%dx%d", t->dims[0], t->dims[1]);
    else
        snprintf(b, n, "1x%d", t->dims[0]);
}

/* The quantization records of tensor i, under the name t<i><suffix>. */
static void quant_records_as(imp_t *m, int i, const char *suffix)
{
    char name[64];
    uint32_t one = 1;
    float s = m->t[i].scale[0];
    int32_t z = (int32_t)m->t[i].zp[0];
    snprintf(name, sizeof name, "t%d%s.scale", i, suffix);
    cc_wfile_add(m->wf, name, CC_W_FLOAT32, 1, &one, &s);
    snprintf(name, sizeof name, "t%d%s.zp", i, suffix);
    cc_wfile_add(m->wf, name, CC_W_INT32, 1, &one, &z);
}

static void quant_records(imp_t *m, int i)
{
    quant_records_as(m, i, "");
}

/* A little-endian int32 of constant data. */
static int32_t le32(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

/* The bias record of the current operator from the int32 constant tensor b (checked). */
static void bias_record(imp_t *m, int b, int n_out)
{
    char name[64];
    uint32_t n = (uint32_t)n_out;
    int32_t *bias = cc_xmalloc(sizeof *bias * (size_t)n_out);
    for (int o = 0; o < n_out; o++)
        bias[o] = le32(m->t[b].data + 4 * (size_t)o);
    snprintf(name, sizeof name, "op%d.bias", m->op);
    cc_wfile_add(m->wf, name, CC_W_INT32, 1, &n, bias);
    free(bias);
}

/* The rest of a conv/fc: weight scales, bias (b >= 0) and the output's quantization. */
static int scale_bias_quant(imp_t *m, const float *ws, int nws, int b, int n_out, int y)
{
    char name[64];
    uint32_t n = (uint32_t)nws;
    snprintf(name, sizeof name, "op%d.weight_scale", m->op);
    cc_wfile_add(m->wf, name, CC_W_FLOAT32, 1, &n, ws);
    if (b >= 0)
        bias_record(m, b, n_out);
    quant_records(m, y);
    return 0;
}

static const char *act_attr(imp_t *m, int act, int *bad)
{
    *bad = 0;
    switch (act) {
    case ACT_NONE: return "";
    case ACT_RELU: return " relu";
    case ACT_RELU6: return " relu6";
    default:
        *bad = ifail(m, "fused activation %s is not supported",
                     act == ACT_RELU_N1_TO_1 ? "RELU_N1_TO_1" : "TANH/SIGN_BIT");
        return "";
    }
}

static const char *padding(int p)
{
    return p == 0 ? "same" : "valid";
}

static int same_quant(const imp_t *m, int a, int b)
{
    return m->t[a].scale[0] == m->t[b].scale[0] && m->t[a].zp[0] == m->t[b].zp[0];
}

/* The expected output size of a window along one dimension (TFLite's padding rules). */
static int window_out(int in, int k, int s, int pad_same)
{
    return pad_same ? (in + s - 1) / s : (in - k) / s + 1;
}

static int check_out_hw(imp_t *m, int x, int y, int kh, int kw, int sh, int sw, int pad)
{
    const tensor_t *X = &m->t[x], *Y = &m->t[y];
    int oh, ow;
    if (X->rank != 4 || Y->rank != 4)
        return ifail(m, "input %d and output %d must be NHWC (4 dimensions)", x, y);
    if (sh < 1 || sw < 1 || sh > 4096 || sw > 4096 || kh < 1 || kw < 1 || kh > 4096 || kw > 4096)
        return ifail(m, "window %dx%d, stride %dx%d out of range", kh, kw, sh, sw);
    if (pad != 0 && pad != 1)
        return ifail(m, "unknown padding %d", pad);
    if (pad == 1 && (kh > X->dims[1] || kw > X->dims[2]))
        return ifail(m, "a %dx%d window does not fit the %dx%d input (VALID)", kh, kw, X->dims[1],
                     X->dims[2]);
    oh = window_out(X->dims[1], kh, sh, pad == 0);
    ow = window_out(X->dims[2], kw, sw, pad == 0);
    if (Y->dims[0] != X->dims[0] || Y->dims[1] != oh || Y->dims[2] != ow)
        return ifail(m, "output tensor %d is %dx%dx%d, the operator gives %dx%dx%d", y,
                     Y->dims[0], Y->dims[1], Y->dims[2], X->dims[0], oh, ow);
    return 0;
}

/* conv, depthwise conv */
static int do_conv(imp_t *m, fbs_tab_t op, fbs_tab_t opt, int x, int w, int b, int y, int dw)
{
    fbs_t *f = &m->f;
    const tensor_t *X = &m->t[x], *W, *Y = &m->t[y];
    int pad, sw_, sh_, act, dlw, dlh, mult = 1, O, KH, KW, I, groups, bad;
    int ekh, ekw;
    float *ws;
    int nws;
    const char *a;
    char name[64];
    (void)op;
    if (w < 0 || (uint32_t)w >= m->nt)
        return ifail(m, "no weight tensor");
    W = &m->t[w];
    if (W->rank != 4)
        return ifail(m, "weight tensor %d has %d dimensions (4 expected)", w, W->rank);
    pad = (int)fbs_int(f, opt, 0, 1, 0);
    sw_ = (int)fbs_int(f, opt, 1, 4, 0);
    sh_ = (int)fbs_int(f, opt, 2, 4, 0);
    if (dw) {
        mult = (int)fbs_int(f, opt, 3, 4, 0);
        act = (int)fbs_int(f, opt, 4, 1, 0);
        dlw = (int)fbs_int(f, opt, 5, 4, 1);
        dlh = (int)fbs_int(f, opt, 6, 4, 1);
    } else {
        act = (int)fbs_int(f, opt, 3, 1, 0);
        dlw = (int)fbs_int(f, opt, 4, 4, 1);
        dlh = (int)fbs_int(f, opt, 5, 4, 1);
    }
    if (!fbs_ok(f))
        return fbs_fail(m);
    if (dlw < 1 || dlh < 1 || dlw > 64 || dlh > 64)
        return ifail(m, "dilation %dx%d out of range (1..64)", dlh, dlw);
    if (X->rank != 4)
        return ifail(m, "input tensor %d is not NHWC", x);
    KH = W->dims[1];
    KW = W->dims[2];
    if (dw) {
        O = W->dims[3];
        I = 1;
        if (W->dims[0] != 1 || O % X->dims[3])
            return ifail(m, "depthwise weights %dx%dx%dx%d do not fit %d input channels",
                         W->dims[0], KH, KW, O, X->dims[3]);
        groups = X->dims[3];
        (void)mult; /* the channel multiplier is O / C; TFLite's field may be stale */
    } else {
        O = W->dims[0];
        I = W->dims[3];
        if (X->dims[3] % I || O % (X->dims[3] / I))
            return ifail(m, "weights %dx%dx%dx%d do not fit %d input channels", O, KH, KW, I,
                         X->dims[3]);
        groups = X->dims[3] / I;
    }
    if (const_tensor(m, w, TT_INT8, (uint64_t)O * KH * KW * I, "weight"))
        return -1;
    if (weight_scales(m, w, O, dw ? 3 : 0, &ws, &nws))
        return -1;
    if (b >= 0 && const_tensor(m, b, TT_INT32, (uint64_t)O, "bias"))
        return -1;
    /* a dilated window is the undilated one with zero weights in between: exact */
    ekh = (KH - 1) * dlh + 1;
    ekw = (KW - 1) * dlw + 1;
    if (check_out_hw(m, x, y, ekh, ekw, sh_, sw_, pad))
        return -1;
    if (Y->dims[3] != O)
        return ifail(m, "output tensor %d has %d channels, the weights %d", y, Y->dims[3], O);
    a = act_attr(m, act, &bad);
    if (bad)
        return -1;
    if (!dw && groups > 1)
        snprintf(name, sizeof name, " groups=%d", groups);
    else
        name[0] = 0;
    if (X->padded) {
        /* a PAD before the convolution: explicit padding of the unpadded tensor (the PAD fills
           with the zero point, as the convolution's padding does) */
        int th = pad == 0 ? (Y->dims[1] - 1) * sh_ + ekh - X->dims[1] : 0;
        int tw = pad == 0 ? (Y->dims[2] - 1) * sw_ + ekw - X->dims[2] : 0;
        th = th > 0 ? th : 0;
        tw = tw > 0 ? tw : 0;
        cc_buf_printf(m->d, "conv op%d: t%d -> t%d k=%dx%d s=%dx%d p=%d,%d,%d,%d out=%d%s%s%s%s\n",
                      m->op, X->pad_src, y, ekh, ekw, sh_, sw_, X->pad[0] + th / 2,
                      X->pad[1] + tw / 2, X->pad[2] + th - th / 2, X->pad[3] + tw - tw / 2, O,
                      dw ? " depthwise" : "", name, b < 0 ? " bias=0" : "", a);
    } else {
        cc_buf_printf(m->d, "conv op%d: t%d -> t%d k=%dx%d s=%dx%d p=%s out=%d%s%s%s%s\n", m->op,
                      x, y, ekh, ekw, sh_, sw_, padding(pad), O, dw ? " depthwise" : "", name,
                      b < 0 ? " bias=0" : "", a);
    }
    {
        uint32_t dims[4] = {(uint32_t)O, (uint32_t)ekh, (uint32_t)ekw, (uint32_t)I};
        int8_t *wt = cc_xcalloc((size_t)O * ekh * ekw * I);
        for (int o = 0; o < O; o++)
            for (int ky = 0; ky < KH; ky++)
                for (int kx = 0; kx < KW; kx++)
                    for (int c = 0; c < I; c++) {
                        /* TFLite: OHWI for conv, 1 x KH x KW x O for depthwise */
                        size_t src = dw ? ((size_t)ky * KW + kx) * O + o
                                        : (((size_t)o * KH + ky) * KW + kx) * I + c;
                        size_t dst = (((size_t)o * ekh + ky * dlh) * ekw + kx * dlw) * I + c;
                        wt[dst] = (int8_t)W->data[src];
                    }
        snprintf(name, sizeof name, "op%d.weight", m->op);
        cc_wfile_add(m->wf, name, CC_W_INT8, 4, dims, wt);
        free(wt);
    }
    return scale_bias_quant(m, ws, nws, b, O, y);
}

static int do_fc(imp_t *m, fbs_tab_t opt, int x, int w, int b, int y)
{
    fbs_t *f = &m->f;
    const tensor_t *X = &m->t[x], *W, *Y = &m->t[y];
    int act = (int)fbs_int(f, opt, 0, 1, 0), fmt = (int)fbs_int(f, opt, 1, 1, 0), bad, O, I;
    uint64_t n_in;
    float *ws;
    int nws, src = x;
    const char *a;
    char name[64];
    if (!fbs_ok(f))
        return fbs_fail(m);
    if (fmt)
        return ifail(m, "shuffled weights format %d is not supported", fmt);
    if (w < 0 || (uint32_t)w >= m->nt || m->t[w].rank != 2)
        return ifail(m, "weight tensor %d must have 2 dimensions", w);
    W = &m->t[w];
    O = W->dims[0];
    I = W->dims[1];
    if (const_tensor(m, w, TT_INT8, (uint64_t)O * I, "weight") ||
        weight_scales(m, w, O, 0, &ws, &nws) ||
        (b >= 0 && const_tensor(m, b, TT_INT32, (uint64_t)O, "bias")))
        return -1;
    n_in = elems(X);
    if (n_in % (uint64_t)I || elems(Y) != n_in / (uint64_t)I * (uint64_t)O ||
        Y->dims[Y->rank - 1] != O)
        return ifail(m, "input %d (%llu elements) and output %d do not fit %dx%d weights", x,
                     (unsigned long long)n_in, y, O, I);
    if (n_in / (uint64_t)I != 1 || Y->rank != 2)
        return ifail(m, "a batch of %llu rows (or keep_num_dims) is not supported; the "
                     "input must be one vector", (unsigned long long)(n_in / (uint64_t)I));
    if (X->rank == 4 && X->dims[3] != I) {
        /* TFLite flattens the input: the (h, w, c) order of NHWC bytes, as `flatten` does */
        cc_buf_printf(m->d, "flatten op%d_flat: t%d -> t%d_flat\n", m->op, x, x);
        src = -1;
    }
    a = act_attr(m, act, &bad);
    if (bad)
        return -1;
    if (src < 0)
        cc_buf_printf(m->d, "fc op%d: t%d_flat -> t%d out=%d%s%s round=%s\n", m->op, x, y, O,
                      b < 0 ? " bias=0" : "", a, m->fc_float ? "float" : "fixed");
    else
        cc_buf_printf(m->d, "fc op%d: t%d -> t%d out=%d%s%s round=%s\n", m->op, x, y, O,
                      b < 0 ? " bias=0" : "", a, m->fc_float ? "float" : "fixed");
    {
        uint32_t dims[2] = {(uint32_t)O, (uint32_t)I};
        snprintf(name, sizeof name, "op%d.weight", m->op);
        cc_wfile_add(m->wf, name, CC_W_INT8, 2, dims, W->data);
    }
    return scale_bias_quant(m, ws, nws, b, O, y);
}

static int do_pool(imp_t *m, fbs_tab_t opt, int x, int y, int is_max)
{
    fbs_t *f = &m->f;
    int pad = (int)fbs_int(f, opt, 0, 1, 0), sw_ = (int)fbs_int(f, opt, 1, 4, 0);
    int sh_ = (int)fbs_int(f, opt, 2, 4, 0), kw = (int)fbs_int(f, opt, 3, 4, 0);
    int kh = (int)fbs_int(f, opt, 4, 4, 0), act = (int)fbs_int(f, opt, 5, 1, 0), bad;
    const char *a;
    if (!fbs_ok(f))
        return fbs_fail(m);
    if (check_out_hw(m, x, y, kh, kw, sh_, sw_, pad))
        return -1;
    if (!same_quant(m, x, y))
        return ifail(m, "input %d and output %d are quantized differently", x, y);
    a = act_attr(m, act, &bad);
    if (bad)
        return -1;
    if (*a) {
        /* the fused activation clamps the pooled values: a relu layer of the same scale */
        cc_buf_printf(m->d, "%s op%d: t%d -> t%d_pool k=%dx%d s=%dx%d p=%s\n",
                      is_max ? "maxpool" : "avgpool", m->op, x, y, kh, kw, sh_, sw_,
                      padding(pad));
        cc_buf_printf(m->d, "%s op%d_act: t%d_pool -> t%d\n", a + 1, m->op, y, y);
        quant_records(m, y);
    } else {
        cc_buf_printf(m->d, "%s op%d: t%d -> t%d k=%dx%d s=%dx%d p=%s\n",
                      is_max ? "maxpool" : "avgpool", m->op, x, y, kh, kw, sh_, sw_,
                      padding(pad));
    }
    return 0;
}

/* An int8 -> int8 QUANTIZE: TFLite's Requantize with the multiplier of s_in / s_out (double). */
static int do_requantize(imp_t *m, int x, int y)
{
    int8_t tab[256];
    int32_t mult, shift, zi = (int32_t)m->t[x].zp[0], zo = (int32_t)m->t[y].zp[0];
    uint32_t n = 256;
    char name[64];
    if (elems(&m->t[x]) != elems(&m->t[y]))
        return ifail(m, "input %d and output %d differ in size", x, y);
    if (cc_quantize_multiplier((double)m->t[x].scale[0] / (double)m->t[y].scale[0], &mult,
                               &shift))
        return ifail(m, "the scale ratio %g / %g cannot be represented",
                     (double)m->t[x].scale[0], (double)m->t[y].scale[0]);
    for (int i = 0; i < 256; i++) {
        int32_t v = zo + dlp_mbqm(i - 128 - zi, mult, shift);
        tab[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
    }
    cc_buf_printf(m->d, "lut op%d: t%d -> t%d fn=table\n", m->op, x, y);
    snprintf(name, sizeof name, "op%d.table", m->op);
    cc_wfile_add(m->wf, name, CC_W_INT8, 1, &n, tab);
    quant_records(m, y);
    return 0;
}

/* PAD / PADV2 with the zero point, folded into the convolutions that read its output. */
static int do_pad(imp_t *m, int x, int pv, int cv, int y)
{
    tensor_t *X = &m->t[x], *Y = &m->t[y];
    const tensor_t *P;
    int32_t p[8];
    if (pv < 0 || (uint32_t)pv >= m->nt)
        return ifail(m, "no paddings tensor");
    P = &m->t[pv];
    if (X->rank != 4 || const_tensor(m, pv, TT_INT32, 8, "paddings"))
        return X->rank != 4 ? ifail(m, "input %d is not NHWC", x) : -1;
    if (X->padded)
        return ifail(m, "a PAD of a PAD is not supported");
    for (int k = 0; k < 8; k++) {
        p[k] = le32(P->data + 4 * k);
        if (p[k] < 0 || p[k] > 4096)
            return ifail(m, "padding %d out of range (0..4096)", p[k]);
    }
    if (p[0] || p[1] || p[6] || p[7])
        return ifail(m, "padding of the batch or channel dimension is not supported");
    if (!same_quant(m, x, y))
        return ifail(m, "input %d and output %d are quantized differently", x, y);
    if (Y->rank != 4 || Y->dims[1] != X->dims[1] + p[2] + p[3] ||
        Y->dims[2] != X->dims[2] + p[4] + p[5] || Y->dims[3] != X->dims[3])
        return ifail(m, "output tensor %d does not have the padded shape", y);
    if (cv >= 0) { /* PADV2: the constant must be the zero point (a real 0) */
        if (const_tensor(m, cv, TT_INT8, 1, "constant"))
            return -1;
        if ((int8_t)m->t[cv].data[0] != (int8_t)X->zp[0])
            return ifail(m, "PADV2 with a constant other than the zero point is not supported");
    }
    Y->padded = 1;
    Y->pad_src = x;
    Y->pad[0] = p[2];
    Y->pad[1] = p[4];
    Y->pad[2] = p[3];
    Y->pad[3] = p[5];
    return 0;
}

/* MEAN over H and W: TFLite's int8 reference kernel sums x - zp_in over the n = H*W positions
   and rescales with QuantizeMultiplier(s_in / s_out) adjusted for n (below). That is a
   depthwise convolution with a window of the whole image, weights 1, no bias, and that
   multiplier and shift given to the compiler as the layer's `requant` record. */
static int do_mean(imp_t *m, fbs_tab_t opt, int x, int ax, int y)
{
    const tensor_t *X = &m->t[x], *A, *Y = &m->t[y];
    int keep = (int)fbs_int(&m->f, opt, 0, 1, 0), seen[4] = {0, 0, 0, 0}, C, H, W;
    int32_t mult, shift, *rq;
    int64_t n;
    int sh;
    char name[64];
    uint32_t dims[4], d2[2];
    int8_t *ones;
    if (!fbs_ok(&m->f))
        return fbs_fail(m);
    if (ax < 0 || (uint32_t)ax >= m->nt)
        return ifail(m, "no axis tensor");
    A = &m->t[ax];
    if (X->rank != 4 || const_tensor(m, ax, TT_INT32, elems(A), "axis"))
        return X->rank != 4 ? ifail(m, "input %d is not NHWC", x) : -1;
    for (uint64_t k = 0; k < elems(A); k++) {
        int32_t v = le32(A->data + 4 * k);
        if (v < -4 || v > 3)
            return ifail(m, "axis %d out of range", v);
        seen[(v + 4) % 4] = 1;
    }
    if (seen[0] || seen[3] || !seen[1] || !seen[2])
        return ifail(m, "MEAN over other axes than height and width is not supported");
    H = X->dims[1];
    W = X->dims[2];
    C = X->dims[3];
    n = (int64_t)H * W;
    if (H > 4096 || W > 4096)
        return ifail(m, "a %dx%d window is too large", H, W);
    if (elems(Y) != (uint64_t)X->dims[0] * (uint64_t)C || Y->dims[Y->rank - 1] != C)
        return ifail(m, "output %d does not have %d channels", y, C);
    if (cc_quantize_multiplier((double)X->scale[0] / (double)Y->scale[0], &mult, &shift))
        return ifail(m, "the scale ratio %g / %g cannot be represented", (double)X->scale[0],
                     (double)Y->scale[0]);
    sh = 0;
    while (sh < 62 && (n >> (sh + 1)))
        sh++; /* floor(log2 n) */
    if (sh > 32)
        sh = 32;
    if (sh > 31 + shift)
        sh = 31 + shift;
    rq = cc_xmalloc(sizeof *rq * 2 * (size_t)C);
    for (int c = 0; c < C; c++) {
        rq[2 * c] = (int32_t)(((int64_t)mult << sh) / n);
        rq[2 * c + 1] = shift - sh;
    }
    cc_buf_printf(m->d, "conv op%d: t%d -> t%d%s k=%dx%d p=valid out=%d depthwise bias=0\n",
                  m->op, x, y, keep ? "" : "_mean", H, W, C);
    if (!keep)
        cc_buf_printf(m->d, "reshape op%d_r: t%d_mean -> t%d shape=%dx%d\n", m->op, y, y,
                      X->dims[0], C);
    dims[0] = (uint32_t)C;
    dims[1] = (uint32_t)H;
    dims[2] = (uint32_t)W;
    dims[3] = 1;
    ones = cc_xmalloc((size_t)C * (size_t)n);
    memset(ones, 1, (size_t)C * (size_t)n);
    snprintf(name, sizeof name, "op%d.weight", m->op);
    cc_wfile_add(m->wf, name, CC_W_INT8, 4, dims, ones);
    free(ones);
    {
        /* each weight 1 stands for 1/n; the requant record sets the arithmetic */
        float ws = (float)(1.0 / (double)n);
        uint32_t one = 1;
        snprintf(name, sizeof name, "op%d.weight_scale", m->op);
        cc_wfile_add(m->wf, name, CC_W_FLOAT32, 1, &one, &ws);
    }
    d2[0] = (uint32_t)C;
    d2[1] = 2;
    snprintf(name, sizeof name, "op%d.requant", m->op);
    cc_wfile_add(m->wf, name, CC_W_INT32, 2, d2, rq);
    free(rq);
    quant_records_as(m, y, keep ? "" : "_mean");
    return 0;
}

/* ---- the graph ---------------------------------------------------------------------------------- */

static int import_op(imp_t *m, fbs_tab_t op, fbs_vec_t opcodes)
{
    fbs_t *f = &m->f;
    uint32_t oc = (uint32_t)fbs_uint(f, op, OP_OPCODE, 4, 0);
    fbs_vec_t iv = fbs_vector(f, op, OP_INPUTS, 4), ov = fbs_vector(f, op, OP_OUTPUTS, 4);
    fbs_tab_t code_t, opt;
    int in[3] = {-1, -1, -1}, y;
    if (!fbs_ok(f))
        return fbs_fail(m);
    if (oc >= opcodes.n)
        return ifail(m, "operator code %u of %u", oc, opcodes.n);
    code_t = fbs_vec_table(f, opcodes, oc);
    {
        int64_t dep = fbs_int(f, code_t, OC_DEPRECATED, 1, 0), c = fbs_int(f, code_t, OC_CODE, 4, 0);
        m->code = (int)(c > dep ? c : dep);
    }
    if (!fbs_ok(f))
        return fbs_fail(m);
    if (m->code == 32) {
        uint32_t len;
        const char *s = fbs_string(f, code_t, OC_CUSTOM, &len);
        return ifail(m, "custom operator '%.*s' is not supported", s ? (int)(len > 64 ? 64 : len)
                                                                     : 0, s ? s : "");
    }
    if (ov.n != 1)
        return ifail(m, "%u outputs (operators with one output are supported)", ov.n);
    for (uint32_t k = 0; k < iv.n && k < 3; k++)
        in[k] = (int)fbs_vec_int(f, iv, k, 4);
    y = (int)fbs_vec_int(f, ov, 0, 4);
    opt = fbs_table(f, op, OP_OPTIONS);
    if (!fbs_ok(f))
        return fbs_fail(m);
    if (m->code == OP_DEQUANTIZE || (m->code == OP_QUANTIZE && in[0] >= 0 &&
                                     (uint32_t)in[0] < m->nt &&
                                     m->t[in[0]].type == TT_FLOAT32)) {
        return ifail(m, "%s between float and int8 inside the model (float islands are not "
                     "supported)", op_name(m->code));
    }
    switch (m->code) {
    case OP_CONV_2D:
    case OP_DEPTHWISE_CONV_2D:
    case OP_FULLY_CONNECTED:
    case OP_ADD:
    case OP_AVERAGE_POOL_2D:
    case OP_MAX_POOL_2D:
    case OP_RESHAPE:
    case OP_SQUEEZE:
    case OP_RELU:
    case OP_RELU6:
    case OP_LOGISTIC:
    case OP_TANH:
    case OP_QUANTIZE:
    case OP_MEAN:
    case OP_PAD:
    case OP_PADV2:
        break;
    default:
        return ifail(m, "not supported by the importer (docs/import.md lists what is)");
    }
    for (uint32_t k = 0; k < iv.n && k < 3; k++)
        if (in[k] >= 0 && (uint32_t)in[k] < m->nt && m->t[in[k]].padded &&
            (k > 0 || (m->code != OP_CONV_2D && m->code != OP_DEPTHWISE_CONV_2D)))
            return ifail(m, "reads tensor %d, the output of a PAD (a PAD is supported only before "
                         "a convolution)", in[k]);
    if (act_tensor(m, in[0], "input") || act_tensor(m, y, "output"))
        return -1;
    switch (m->code) {
    case OP_CONV_2D:
        return do_conv(m, op, opt, in[0], in[1], iv.n > 2 ? in[2] : -1, y, 0);
    case OP_DEPTHWISE_CONV_2D:
        return do_conv(m, op, opt, in[0], in[1], iv.n > 2 ? in[2] : -1, y, 1);
    case OP_FULLY_CONNECTED:
        return do_fc(m, opt, in[0], in[1], iv.n > 2 ? in[2] : -1, y);
    case OP_AVERAGE_POOL_2D:
    case OP_MAX_POOL_2D:
        return do_pool(m, opt, in[0], y, m->code == OP_MAX_POOL_2D);
    case OP_ADD: {
        int bad;
        const char *a;
        if (iv.n != 2 || act_tensor(m, in[1], "second input"))
            return iv.n != 2 ? ifail(m, "%u inputs (2 expected)", iv.n) : -1;
        if (elems(&m->t[in[0]]) != elems(&m->t[in[1]]) || m->t[in[0]].rank != m->t[in[1]].rank ||
            memcmp(m->t[in[0]].dims, m->t[in[1]].dims, sizeof m->t[0].dims) ||
            elems(&m->t[y]) != elems(&m->t[in[0]]))
            return ifail(m, "inputs %d and %d differ in shape (broadcasting is not supported)",
                         in[0], in[1]);
        a = act_attr(m, (int)fbs_int(f, opt, 0, 1, 0), &bad);
        if (bad)
            return -1;
        cc_buf_printf(m->d, "add op%d: t%d, t%d -> t%d%s\n", m->op, in[0], in[1], y, a);
        quant_records(m, y);
        return 0;
    }
    case OP_RESHAPE:
    case OP_SQUEEZE: {
        char s[64];
        if (elems(&m->t[in[0]]) != elems(&m->t[y]))
            return ifail(m, "input %d and output %d differ in size", in[0], y);
        if (!same_quant(m, in[0], y))
            return ifail(m, "input %d and output %d are quantized differently", in[0], y);
        shape_str(&m->t[y], s, sizeof s);
        cc_buf_printf(m->d, "reshape op%d: t%d -> t%d shape=%s\n", m->op, in[0], y, s);
        return 0;
    }
    case OP_RELU:
    case OP_RELU6:
        cc_buf_printf(m->d, "%s op%d: t%d -> t%d\n", m->code == OP_RELU ? "relu" : "relu6", m->op,
                      in[0], y);
        quant_records(m, y);
        return 0;
    case OP_LOGISTIC:
    case OP_TANH:
        cc_buf_printf(m->d, "lut op%d: t%d -> t%d fn=%s\n", m->op, in[0], y,
                      m->code == OP_LOGISTIC ? "sigmoid" : "tanh");
        quant_records(m, y);
        return 0;
    case OP_QUANTIZE:
        return do_requantize(m, in[0], y);
    case OP_MEAN:
        return do_mean(m, opt, in[0], in[1], y);
    case OP_PAD:
    case OP_PADV2:
        return do_pad(m, in[0], in[1], m->code == OP_PADV2 && iv.n > 2 ? in[2] : -1, y);
    default:
        return ifail(m, "not supported");
    }
}

/* A graph input that is float32 and quantized by a QUANTIZE (or an output produced by a
   DEQUANTIZE): the int8 side becomes the network's edge and the operator is dropped. */
static int edge_op(imp_t *m, int code, int x, int y, int is_input)
{
    if (is_input)
        return code == OP_QUANTIZE && m->t[x].type == TT_FLOAT32 && m->t[y].type == TT_INT8;
    return code == OP_DEQUANTIZE && m->t[x].type == TT_INT8 && m->t[y].type == TT_FLOAT32;
}

int cc_import_tflite(const uint8_t *buf, size_t len, const char *fname, int fc_float,
                     char **desc, cc_wfile_t *wf, char *err, size_t errlen)
{
    imp_t m;
    fbs_t *f = &m.f;
    fbs_tab_t root, sg;
    fbs_vec_t opcodes, subgraphs, buffers, gin, gout, ops;
    cc_buf_t d = {NULL, 0, 0};
    int rc = -1, n_in = 0;
    int *net_in = NULL, *net_out = NULL, *drop = NULL;
    memset(&m, 0, sizeof m);
    m.file = fname ? fname : "<model>";
    m.d = &d;
    m.wf = wf;
    m.fc_float = fc_float;
    m.err = err;
    m.errlen = errlen;
    m.op = -1;
    *desc = NULL;
    memset(wf, 0, sizeof *wf);
    fbs_init(f, buf, len);
    if (len < 8 || memcmp(buf + 4, "TFL3", 4))
        return ifail(&m, "not a TFLite model (no 'TFL3' file identifier)");
    root = fbs_root(f);
    if (!fbs_ok(f))
        return fbs_fail(&m);
    if (fbs_uint(f, root, M_VERSION, 4, 0) != 3)
        return ifail(&m, "schema version %llu (3 expected)",
                     (unsigned long long)fbs_uint(f, root, M_VERSION, 4, 0));
    opcodes = fbs_vector(f, root, M_OPCODES, 4);
    subgraphs = fbs_vector(f, root, M_SUBGRAPHS, 4);
    buffers = fbs_vector(f, root, M_BUFFERS, 4);
    if (!fbs_ok(f))
        return fbs_fail(&m);
    if (subgraphs.n != 1)
        return ifail(&m, "%u subgraphs (models with exactly one are supported)", subgraphs.n);
    sg = fbs_vec_table(f, subgraphs, 0);
    if (!fbs_ok(f))
        return fbs_fail(&m);
    if (read_tensors(&m, sg, buffers))
        goto out;
    gin = fbs_vector(f, sg, SG_INPUTS, 4);
    gout = fbs_vector(f, sg, SG_OUTPUTS, 4);
    ops = fbs_vector(f, sg, SG_OPS, 4);
    if (!fbs_ok(f)) {
        fbs_fail(&m);
        goto out;
    }
    if (!gin.n || !gout.n || !ops.n) {
        ifail(&m, "the model has %u inputs, %u outputs and %u operators", gin.n, gout.n, ops.n);
        goto out;
    }
    net_in = cc_xcalloc(sizeof *net_in * gin.n);
    net_out = cc_xcalloc(sizeof *net_out * gout.n);
    drop = cc_xcalloc(sizeof *drop * ops.n);
    for (uint32_t i = 0; i < gin.n; i++)
        net_in[i] = (int)fbs_vec_int(f, gin, i, 4);
    for (uint32_t i = 0; i < gout.n; i++)
        net_out[i] = (int)fbs_vec_int(f, gout, i, 4);
    for (uint32_t i = 0; i < gin.n + gout.n; i++) {
        int t = i < gin.n ? net_in[i] : net_out[i - gin.n];
        if (t < 0 || (uint32_t)t >= m.nt) {
            ifail(&m, "graph %s tensor %d of %u", i < gin.n ? "input" : "output", t, m.nt);
            goto out;
        }
    }
    /* edge QUANTIZE / DEQUANTIZE operators: find and drop them */
    for (uint32_t k = 0; k < ops.n; k++) {
        fbs_tab_t op = fbs_vec_table(f, ops, k), ct;
        fbs_vec_t iv = fbs_vector(f, op, OP_INPUTS, 4), ov = fbs_vector(f, op, OP_OUTPUTS, 4);
        uint32_t oc = (uint32_t)fbs_uint(f, op, OP_OPCODE, 4, 0);
        int code, x, y;
        if (!fbs_ok(f)) {
            fbs_fail(&m);
            goto out;
        }
        if (iv.n < 1 || ov.n != 1 || oc >= opcodes.n)
            continue;
        ct = fbs_vec_table(f, opcodes, oc);
        code = (int)fbs_int(f, ct, OC_CODE, 4, 0);
        if (fbs_int(f, ct, OC_DEPRECATED, 1, 0) > code)
            code = (int)fbs_int(f, ct, OC_DEPRECATED, 1, 0);
        x = (int)fbs_vec_int(f, iv, 0, 4);
        y = (int)fbs_vec_int(f, ov, 0, 4);
        if (!fbs_ok(f)) {
            fbs_fail(&m);
            goto out;
        }
        if (x < 0 || y < 0 || (uint32_t)x >= m.nt || (uint32_t)y >= m.nt)
            continue;
        for (uint32_t i = 0; i < gin.n; i++)
            if (net_in[i] == x && edge_op(&m, code, x, y, 1)) {
                net_in[i] = y;
                drop[k] = 1;
            }
        for (uint32_t i = 0; i < gout.n; i++)
            if (net_out[i] == y && edge_op(&m, code, x, y, 0)) {
                net_out[i] = x;
                drop[k] = 1;
            }
    }
    cc_buf_printf(&d, "# imported from %s (TFLite), FULLY_CONNECTED rounding %s\n", m.file,
                  fc_float ? "float (TFLite >= 2.20 reference)" : "fixed (TFLite <= 2.19)");
    for (uint32_t i = 0; i < gin.n; i++) {
        char s[64];
        if (act_tensor(&m, net_in[i], "graph input"))
            goto out;
        shape_str(&m.t[net_in[i]], s, sizeof s);
        cc_buf_printf(&d, "input t%d: %s\n", net_in[i], s);
        quant_records(&m, net_in[i]);
        n_in++;
    }
    for (uint32_t k = 0; k < ops.n; k++) {
        if (drop[k])
            continue;
        m.op = (int)k;
        m.code = -1;
        if (import_op(&m, fbs_vec_table(f, ops, k), opcodes))
            goto out;
    }
    m.op = -1;
    cc_buf_printf(&d, "output");
    for (uint32_t i = 0; i < gout.n; i++) {
        if (act_tensor(&m, net_out[i], "graph output"))
            goto out;
        if (m.t[net_out[i]].padded) {
            ifail(&m, "graph output %d is the output of a PAD (not supported)", net_out[i]);
            goto out;
        }
        cc_buf_printf(&d, "%s t%d", i ? "," : "", net_out[i]);
    }
    cc_buf_printf(&d, "\n");
    *desc = d.s;
    d.s = NULL;
    rc = 0;
out:
    (void)n_in;
    cc_buf_free(&d);
    free(net_in);
    free(net_out);
    free(drop);
    for (uint32_t i = 0; i < m.nt; i++) {
        free(m.t[i].scale);
        free(m.t[i].zp);
    }
    free(m.t);
    if (rc)
        cc_wfile_free(wf);
    return rc;
}
