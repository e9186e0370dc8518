/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Network descriptions (docs/netdesc.md): parsing, shape inference, parameter and MAC counts,
 * and the --summary table.
 *
 * The format is line-oriented, so the parser is too: each line is cut into tokens (words,
 * `:`, `,`, `->`, and `key=value` attributes whose value is the rest of the non-blank run),
 * then parsed by the statement's first word. A layer's shapes are computed as soon as its line
 * is read, so every shape error points at the line that causes it.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "cc_util.h"

static const char *const kind_names[CC_KIND_COUNT] = {
    "conv", "fc", "maxpool", "avgpool", "adaptive_avgpool", "add", "relu", "relu6", "lut",
    "flatten", "reshape"};

static const char *const fn_names[CC_FN_COUNT] = {
    "table", "sigmoid", "tanh", "relu", "relu6", "hardswish", "hardsigmoid",
    "silu", "gelu", "elu", "exp", "abs", "neg", "identity"};

const char *cc_kind_name(enum cc_kind k)
{
    return (unsigned)k < CC_KIND_COUNT ? kind_names[k] : "?";
}

const char *cc_fn_name(enum cc_fn f)
{
    return (unsigned)f < CC_FN_COUNT ? fn_names[f] : "?";
}

/* ---- tokens ---------------------------------------------------------------------------------- */

enum tok_type { T_END, T_WORD, T_COLON, T_COMMA, T_ARROW, T_ATTR };

typedef struct tok {
    enum tok_type type;
    int col;               /* 1-based */
    char text[256];        /* word, or attribute key */
    char value[256];       /* attribute value */
    int vcol;
} tok_t;

#define MAX_TOKS 64

typedef struct parser {
    cc_net_t *net;
    const char *file;
    int line;
    tok_t tok[MAX_TOKS];
    int ntok;
    char *err;
    size_t errlen;
} parser_t;

static int perr(parser_t *p, int col, const char *fmt, ...)
{
    va_list ap;
    char msg[768];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cc_fail(p->err, p->errlen, "%s:%d:%d: error: %s", p->file, p->line, col, msg);
    return -1;
}

static int is_word_char(int c)
{
    return isalnum(c) || c == '_' || c == '.';
}

/* Cuts one line into tokens. */
static int lex_line(parser_t *p, const char *s, size_t len)
{
    size_t i = 0;
    p->ntok = 0;
    while (i < len) {
        tok_t *t;
        int c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        if (c == '#' || (c == '/' && i + 1 < len && s[i + 1] == '/'))
            break;
        if (p->ntok == MAX_TOKS - 1)
            return perr(p, (int)i + 1, "too many words on one line (at most %d)", MAX_TOKS - 1);
        t = &p->tok[p->ntok++];
        memset(t, 0, sizeof *t);
        t->col = (int)i + 1;
        if (c == ':') {
            t->type = T_COLON;
            i++;
        } else if (c == ',') {
            t->type = T_COMMA;
            i++;
        } else if (c == '-' && i + 1 < len && s[i + 1] == '>') {
            t->type = T_ARROW;
            i += 2;
        } else if (is_word_char(c)) {
            size_t j = i;
            while (j < len && is_word_char((unsigned char)s[j]))
                j++;
            if (j - i >= sizeof t->text)
                return perr(p, t->col, "word too long (at most %zu characters)",
                            sizeof t->text - 1);
            memcpy(t->text, s + i, j - i);
            t->text[j - i] = 0;
            if (j < len && s[j] == '=') {
                size_t k = j + 1;
                t->type = T_ATTR;
                t->vcol = (int)k + 1;
                while (k < len && !isspace((unsigned char)s[k]) && s[k] != '#')
                    k++;
                if (k - j - 1 >= sizeof t->value)
                    return perr(p, t->vcol, "value too long");
                memcpy(t->value, s + j + 1, k - j - 1);
                t->value[k - j - 1] = 0;
                if (!t->value[0])
                    return perr(p, t->vcol, "'%s=' needs a value", t->text);
                i = k;
            } else {
                t->type = T_WORD;
                i = j;
            }
        } else if (c == '=') {
            return perr(p, t->col, "'=' without an attribute name before it");
        } else if (c < 32 || c > 126) {
            return perr(p, t->col, "unexpected character (byte 0x%02x)", c);
        } else {
            return perr(p, t->col, "unexpected character '%c'", c);
        }
    }
    p->tok[p->ntok].type = T_END;
    p->tok[p->ntok].col = (int)len + 1;
    return 0;
}

/* ---- values ---------------------------------------------------------------------------------- */

static int parse_long(const char *s, long *v)
{
    char *end;
    long x;
    if (!isdigit((unsigned char)s[0]) && !(s[0] == '-' && isdigit((unsigned char)s[1])))
        return -1;
    errno = 0;
    x = strtol(s, &end, 10);
    if (errno || *end)
        return -1;
    *v = x;
    return 0;
}

/* A positive integer in [lo, hi]. */
static int attr_int(parser_t *p, const tok_t *t, long lo, long hi, int *out)
{
    long v;
    if (parse_long(t->value, &v))
        return perr(p, t->vcol, "%s=%s: expected an integer", t->text, t->value);
    if (v < lo || v > hi)
        return perr(p, t->vcol, "%s=%ld is out of range (%ld..%ld)", t->text, v, lo, hi);
    *out = (int)v;
    return 0;
}

/* "A" or "AxB" of positive integers <= hi. */
static int attr_pair(parser_t *p, const tok_t *t, long lo, long hi, int *a, int *b)
{
    char buf[256], *x;
    long va, vb;
    snprintf(buf, sizeof buf, "%s", t->value);
    x = strchr(buf, 'x');
    if (x)
        *x = 0;
    if (parse_long(buf, &va) || (x && parse_long(x + 1, &vb)))
        return perr(p, t->vcol, "%s=%s: expected N or NxM", t->text, t->value);
    if (!x)
        vb = va;
    if (va < lo || va > hi || vb < lo || vb > hi)
        return perr(p, t->vcol, "%s=%s is out of range (%ld..%ld)", t->text, t->value, lo, hi);
    *a = (int)va;
    *b = (int)vb;
    return 0;
}

/* A shape "NxHxWxC" or "NxC". */
static int parse_shape(parser_t *p, const char *s, int col, int *rank, int d[4])
{
    char buf[256], *q, *tokp;
    int n = 0;
    snprintf(buf, sizeof buf, "%s", s);
    for (q = strtok_r(buf, "x", &tokp); q; q = strtok_r(NULL, "x", &tokp)) {
        long v;
        if (n == 4 || parse_long(q, &v))
            return perr(p, col, "shape '%s': expected NxHxWxC or NxC", s);
        if (v < 1 || v > 1000000000)
            return perr(p, col, "shape '%s': dimension %ld out of range (1..1000000000)", s, v);
        d[n++] = (int)v;
    }
    if (n != 2 && n != 4)
        return perr(p, col, "shape '%s': expected NxHxWxC or NxC (2 or 4 dimensions), got %d",
                    s, n);
    if (s[strlen(s) - 1] == 'x' || s[0] == 'x' || strstr(s, "xx"))
        return perr(p, col, "shape '%s': expected NxHxWxC or NxC", s);
    *rank = n;
    return 0;
}

static int attr_float(parser_t *p, const tok_t *t, double *out)
{
    char *end;
    double v;
    errno = 0;
    v = strtod(t->value, &end);
    if (errno || *end || end == t->value)
        return perr(p, t->vcol, "%s=%s: expected a number", t->text, t->value);
    *out = v;
    return 0;
}

/* ---- network building -------------------------------------------------------------------- */

static char *xstrdup(const char *s)
{
    char *d = cc_xmalloc(strlen(s) + 1);
    strcpy(d, s);
    return d;
}

int cc_find_tensor(const cc_net_t *net, const char *name)
{
    for (int i = 0; i < net->nt; i++)
        if (!strcmp(net->t[i].name, name))
            return i;
    return -1;
}

int cc_find_layer(const cc_net_t *net, const char *name)
{
    for (int i = 0; i < net->nl; i++)
        if (!strcmp(net->l[i].name, name))
            return i;
    return -1;
}

static int new_tensor(parser_t *p, const tok_t *t)
{
    cc_net_t *net = p->net;
    cc_tensor_t *x;
    int i = cc_find_tensor(net, t->text);
    if (i >= 0)
        return perr(p, t->col, "tensor '%s' is already defined at line %d", t->text,
                    net->t[i].loc.line);
    if (net->nt == net->cap_t) {
        net->cap_t = net->cap_t ? 2 * net->cap_t : 16;
        net->t = cc_xrealloc(net->t, sizeof *net->t * (size_t)net->cap_t);
    }
    x = &net->t[net->nt];
    memset(x, 0, sizeof *x);
    x->name = xstrdup(t->text);
    x->loc.line = p->line;
    x->loc.col = t->col;
    x->producer = -1;
    x->alias_of = -1;
    x->padded_copy = -1;
    x->pkg_index = -1;
    return net->nt++;
}

static void set_shape(cc_tensor_t *x, int rank, int n, int h, int w, int c)
{
    x->rank = rank;
    x->n = n;
    x->h = h;
    x->w = w;
    x->c = c;
}

uint64_t cc_tensor_elems(const cc_tensor_t *t)
{
    return (uint64_t)t->n * t->h * t->w * t->c;
}

void cc_shape_str(const cc_tensor_t *t, char *buf, size_t len)
{
    if (t->rank == 2)
        snprintf(buf, len, "%dx%d", t->n, t->c);
    else
        snprintf(buf, len, "%dx%dx%dx%d", t->n, t->h, t->w, t->c);
}

/* Resolves a tensor read by a layer. */
static int use_tensor(parser_t *p, const tok_t *t, int *idx)
{
    int i = cc_find_tensor(p->net, t->text);
    if (i < 0)
        return perr(p, t->col, "unknown tensor '%s' (tensors must be defined above their use)",
                    t->text);
    *idx = i;
    return 0;
}

/* "same", "valid", "P", "PHxPW", "T,L,B,R" -> explicit padding, or *same = 1. */
static int attr_pad(parser_t *p, const tok_t *t, int pad[4], int *same)
{
    long v[4];
    int n = 0;
    char buf[256], *q, *tokp;
    *same = 0;
    if (!strcmp(t->value, "same")) {
        *same = 1;
        return 0;
    }
    if (!strcmp(t->value, "valid")) {
        pad[0] = pad[1] = pad[2] = pad[3] = 0;
        return 0;
    }
    if (strchr(t->value, ',')) {
        snprintf(buf, sizeof buf, "%s", t->value);
        for (q = strtok_r(buf, ",", &tokp); q; q = strtok_r(NULL, ",", &tokp)) {
            if (n == 4 || parse_long(q, &v[n]) || v[n] < 0 || v[n] > 4095)
                return perr(p, t->vcol, "p=%s: expected T,L,B,R (four integers 0..4095)",
                            t->value);
            n++;
        }
        if (n != 4)
            return perr(p, t->vcol, "p=%s: expected T,L,B,R (four integers 0..4095)", t->value);
        for (int i = 0; i < 4; i++)
            pad[i] = (int)v[i];
        return 0;
    }
    {
        int a, b;
        if (attr_pair(p, t, 0, 4095, &a, &b))
            return perr(p, t->vcol, "p=%s: expected P, PHxPW, T,L,B,R, same or valid",
                        t->value);
        pad[0] = pad[2] = a;
        pad[1] = pad[3] = b;
    }
    return 0;
}

/* TFLite SAME padding along one axis. */
static void same_pad(int in, int k, int s, int *before, int *after)
{
    int out = (in + s - 1) / s;
    int total = (out - 1) * s + k - in;
    if (total < 0)
        total = 0;
    *before = total / 2;
    *after = total - *before;
}

typedef struct lattrs {
    int k_set, s_set, p_set, out_set, groups_set, dw, bias_set, bn, act_set, fn_set, shape_set,
        q_scale_set, q_zp_set, fc_float;
    int kh, kw, sh, sw, pad[4], same, out_a, out_b, groups, bias;
    enum cc_act act;
    enum cc_fn fn;
    int shape_rank, shape[4];
    double scale;
    int zp;
    int scale_col, zp_col;
} lattrs_t;

/* Which attributes each kind accepts. */
enum {
    A_K = 1 << 0, A_S = 1 << 1, A_P = 1 << 2, A_OUT = 1 << 3, A_GROUPS = 1 << 4, A_BIAS = 1 << 5,
    A_BN = 1 << 6, A_ACT = 1 << 7, A_FN = 1 << 8, A_SHAPE = 1 << 9, A_Q = 1 << 10,
    A_DW = 1 << 11, A_ROUND = 1 << 12
};

static unsigned allowed_attrs(enum cc_kind k)
{
    switch (k) {
    case CC_CONV: return A_K | A_S | A_P | A_OUT | A_GROUPS | A_BIAS | A_BN | A_ACT | A_Q | A_DW;
    case CC_FC: return A_OUT | A_BIAS | A_BN | A_ACT | A_Q | A_ROUND;
    case CC_MAXPOOL:
    case CC_AVGPOOL: return A_K | A_S | A_P | A_Q;
    case CC_ADAPTIVE_AVGPOOL: return A_OUT | A_Q;
    case CC_ADD: return A_ACT | A_Q;
    case CC_RELU:
    case CC_RELU6: return A_Q;
    case CC_LUT: return A_FN | A_Q;
    case CC_FLATTEN: return A_Q;
    case CC_RESHAPE: return A_SHAPE | A_Q;
    default: return 0;
    }
}

static int parse_attrs(parser_t *p, enum cc_kind kind, int first, lattrs_t *a)
{
    unsigned ok = allowed_attrs(kind);
    for (int i = first; i < p->ntok; i++) {
        const tok_t *t = &p->tok[i];
        unsigned need;
        if (t->type == T_WORD) {
            if (!strcmp(t->text, "relu") || !strcmp(t->text, "relu6")) {
                need = A_ACT;
                a->act = t->text[4] ? CC_ACT_RELU6 : CC_ACT_RELU;
                if (a->act_set++)
                    return perr(p, t->col, "the activation is given twice");
            } else if (!strcmp(t->text, "bn")) {
                need = A_BN;
                a->bn = 1;
            } else if (!strcmp(t->text, "depthwise")) {
                need = A_DW;
                a->dw = 1;
            } else {
                return perr(p, t->col, "unexpected word '%s' (attributes are key=value or one of "
                            "the flags relu, relu6, bn, depthwise)", t->text);
            }
            if (!(ok & need))
                return perr(p, t->col, "%s layers do not take '%s'", cc_kind_name(kind),
                            t->text);
            continue;
        }
        if (t->type != T_ATTR)
            return perr(p, t->col, "expected an attribute (key=value) or a flag");
        if (!strcmp(t->text, "k")) {
            need = A_K;
            if ((ok & need) && attr_pair(p, t, 1, 4095, &a->kh, &a->kw))
                return -1;
            a->k_set = 1;
        } else if (!strcmp(t->text, "s")) {
            need = A_S;
            if ((ok & need) && attr_pair(p, t, 1, 4095, &a->sh, &a->sw))
                return -1;
            a->s_set = 1;
        } else if (!strcmp(t->text, "p")) {
            need = A_P;
            if ((ok & need) && attr_pad(p, t, a->pad, &a->same))
                return -1;
            a->p_set = 1;
        } else if (!strcmp(t->text, "out")) {
            need = A_OUT;
            if (ok & need) {
                if (kind == CC_ADAPTIVE_AVGPOOL) {
                    if (attr_pair(p, t, 1, 1000000, &a->out_a, &a->out_b))
                        return -1;
                } else if (attr_int(p, t, 1, 1000000000, &a->out_a)) {
                    return -1;
                }
            }
            a->out_set = 1;
        } else if (!strcmp(t->text, "groups")) {
            need = A_GROUPS;
            if ((ok & need) && attr_int(p, t, 1, 1000000000, &a->groups))
                return -1;
            a->groups_set = 1;
        } else if (!strcmp(t->text, "bias")) {
            need = A_BIAS;
            if ((ok & need) && attr_int(p, t, 0, 1, &a->bias))
                return -1;
            a->bias_set = 1;
        } else if (!strcmp(t->text, "act")) {
            need = A_ACT;
            if (!strcmp(t->value, "relu"))
                a->act = CC_ACT_RELU;
            else if (!strcmp(t->value, "relu6"))
                a->act = CC_ACT_RELU6;
            else if (!strcmp(t->value, "none"))
                a->act = CC_ACT_NONE;
            else if (ok & need)
                return perr(p, t->vcol, "act=%s: expected relu, relu6 or none", t->value);
            if ((ok & need) && a->act_set++)
                return perr(p, t->col, "the activation is given twice");
        } else if (!strcmp(t->text, "round")) {
            need = A_ROUND;
            if (!strcmp(t->value, "float"))
                a->fc_float = 1;
            else if (!strcmp(t->value, "fixed"))
                a->fc_float = 0;
            else if (ok & need)
                return perr(p, t->vcol, "round=%s: expected fixed (MultiplyByQuantizedMultiplier) "
                            "or float (TFLite >= 2.20 reference FULLY_CONNECTED)", t->value);
        } else if (!strcmp(t->text, "fn")) {
            int f;
            need = A_FN;
            for (f = 0; f < CC_FN_COUNT; f++)
                if (!strcmp(t->value, fn_names[f]))
                    break;
            if ((ok & need) && f == CC_FN_COUNT)
                return perr(p, t->vcol, "fn=%s: unknown function (known: table, sigmoid, tanh, "
                            "relu, relu6, hardswish, hardsigmoid, silu, gelu, elu, exp, abs, "
                            "neg, identity)", t->value);
            a->fn = (enum cc_fn)f;
            a->fn_set = 1;
        } else if (!strcmp(t->text, "shape")) {
            need = A_SHAPE;
            if ((ok & need) && parse_shape(p, t->value, t->vcol, &a->shape_rank, a->shape))
                return -1;
            a->shape_set = 1;
        } else if (!strcmp(t->text, "scale")) {
            need = A_Q;
            if (attr_float(p, t, &a->scale))
                return -1;
            if (!(a->scale > 0) || !isfinite(a->scale))
                return perr(p, t->vcol, "scale=%s: the scale must be a positive number",
                            t->value);
            a->q_scale_set = 1;
            a->scale_col = t->col;
        } else if (!strcmp(t->text, "zp")) {
            long v;
            need = A_Q;
            if (parse_long(t->value, &v))
                return perr(p, t->vcol, "zp=%s: expected an integer", t->value);
            if (v < -128 || v > 127)
                return perr(p, t->vcol, "zp=%ld: an int8 zero point must be in -128..127", v);
            a->zp = (int)v;
            a->q_zp_set = 1;
            a->zp_col = t->col;
        } else {
            return perr(p, t->col, "unknown attribute '%s' for %s layers", t->text,
                        cc_kind_name(kind));
        }
        if (!(ok & need))
            return perr(p, t->col, "%s layers do not take '%s='", cc_kind_name(kind), t->text);
    }
    if (a->q_scale_set != a->q_zp_set)
        return perr(p, a->q_scale_set ? a->scale_col : a->zp_col,
                    "scale= and zp= go together (give both or neither)");
    return 0;
}

static const cc_tensor_t *T(const parser_t *p, int i)
{
    return &p->net->t[i];
}

/* *out = the product of n non-negative ints; 1 when it does not fit 64 bits. */
static int prod(uint64_t *out, int n, ...)
{
    va_list ap;
    int over = 0;
    *out = 1;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        int v = va_arg(ap, int);
        over |= v < 0 || __builtin_mul_overflow(*out, (uint64_t)v, out);
    }
    va_end(ap);
    return over;
}

/* Shapes, resolved geometry, parameters and MACs of the layer just parsed. */
static int infer(parser_t *p, cc_layer_t *L, lattrs_t *a, int out_idx, int ncol)
{
    cc_net_t *net = p->net;
    const cc_tensor_t *x = T(p, L->in[0]);
    cc_tensor_t *y = &net->t[out_idx];
    const char *nm = L->name;
    const char *kn = cc_kind_name(L->kind);
    char shp[64];

    cc_shape_str(x, shp, sizeof shp);
    switch (L->kind) {
    case CC_CONV:
    case CC_MAXPOOL:
    case CC_AVGPOOL: {
        int oh, ow, ph, pw;
        if (x->rank != 4)
            return perr(p, ncol, "layer %s (%s): input %s is %s, but a %s needs NxHxWxC", nm, kn,
                        x->name, shp, kn);
        if (!a->k_set)
            return perr(p, ncol, "layer %s (%s): the window size k= is missing", nm, kn);
        L->kh = a->kh;
        L->kw = a->kw;
        if (a->s_set) {
            L->sh = a->sh;
            L->sw = a->sw;
        } else if (L->kind == CC_CONV) {
            L->sh = L->sw = 1;
        } else {
            L->sh = a->kh;
            L->sw = a->kw;
        }
        if (a->same) {
            same_pad(x->h, L->kh, L->sh, &L->pt, &L->pb);
            same_pad(x->w, L->kw, L->sw, &L->pl, &L->pr);
        } else if (a->p_set) {
            L->pt = a->pad[0];
            L->pl = a->pad[1];
            L->pb = a->pad[2];
            L->pr = a->pad[3];
        }
        ph = x->h + L->pt + L->pb;
        pw = x->w + L->pl + L->pr;
        if (L->kh > ph || L->kw > pw)
            return perr(p, ncol, "layer %s (%s): the %dx%d window is larger than the padded "
                        "%dx%d input %s", nm, kn, L->kh, L->kw, ph, pw, x->name);
        oh = (ph - L->kh) / L->sh + 1;
        ow = (pw - L->kw) / L->sw + 1;
        if (L->kind == CC_CONV) {
            int cin = x->c;
            if (a->dw && a->groups_set)
                return perr(p, ncol, "layer %s (conv): give either depthwise or groups=", nm);
            L->groups = a->dw ? cin : a->groups_set ? a->groups : 1;
            if (!a->out_set && !a->dw)
                return perr(p, ncol, "layer %s (conv): the number of output channels out= is "
                            "missing", nm);
            L->cout = a->out_set ? a->out_a : cin;
            if (cin % L->groups)
                return perr(p, ncol, "layer %s (conv): input %s has %d channels, not a multiple "
                            "of groups=%d", nm, x->name, cin, L->groups);
            if (L->cout % L->groups)
                return perr(p, ncol, "layer %s (conv): out=%d is not a multiple of groups=%d",
                            nm, L->cout, L->groups);
            L->has_bias = a->bias_set ? a->bias : 1;
            L->bn = a->bn;
            L->act = a->act;
            /* products of file-given sizes: checked, so that a total never wraps */
            if (prod(&L->params, 4, L->cout, L->kh, L->kw, cin / L->groups) ||
                __builtin_add_overflow(L->params, (L->has_bias ? (uint64_t)L->cout : 0) +
                                                      (L->bn ? 2ull * L->cout : 0),
                                       &L->params) ||
                prod(&L->macs, 7, x->n, oh, ow, L->cout, L->kh, L->kw, cin / L->groups))
                return perr(p, ncol, "layer %s (conv): its parameter or MAC count exceeds 2^64",
                            nm);
            set_shape(y, 4, x->n, oh, ow, L->cout);
        } else {
            if (L->pt >= L->kh || L->pb >= L->kh || L->pl >= L->kw || L->pr >= L->kw)
                return perr(p, ncol, "layer %s (%s): padding %d,%d,%d,%d must be smaller than "
                            "the %dx%d window (a window would see only padding)", nm, kn, L->pt,
                            L->pl, L->pb, L->pr, L->kh, L->kw);
            set_shape(y, 4, x->n, oh, ow, x->c);
        }
        break;
    }
    case CC_FC:
        if (x->rank == 4 && (x->h != 1 || x->w != 1))
            return perr(p, ncol, "layer %s (fc): input %s is %s; an fc layer needs NxC (insert a "
                        "flatten layer)", nm, x->name, shp);
        if (!a->out_set)
            return perr(p, ncol, "layer %s (fc): the number of outputs out= is missing", nm);
        L->cout = a->out_a;
        L->groups = 1;
        L->kh = L->kw = L->sh = L->sw = 1;
        L->has_bias = a->bias_set ? a->bias : 1;
        L->bn = a->bn;
        L->act = a->act;
        L->fc_float = a->fc_float;
        L->params = (uint64_t)L->cout * x->c + (L->has_bias ? (uint64_t)L->cout : 0) +
                    (L->bn ? 2ull * L->cout : 0);
        L->macs = (uint64_t)x->n * x->c * L->cout;
        set_shape(y, 2, x->n, 1, 1, L->cout);
        break;
    case CC_ADAPTIVE_AVGPOOL:
        if (x->rank != 4)
            return perr(p, ncol, "layer %s (adaptive_avgpool): input %s is %s, needs NxHxWxC", nm,
                        x->name, shp);
        if (!a->out_set)
            return perr(p, ncol, "layer %s (adaptive_avgpool): the output size out= is missing",
                        nm);
        L->adapt_oh = a->out_a;
        L->adapt_ow = a->out_b;
        if (x->h % L->adapt_oh || x->w % L->adapt_ow)
            return perr(p, ncol, "layer %s (adaptive_avgpool): not supported: the %dx%d input "
                        "is not a multiple of the %dx%d output (only equal windows are "
                        "supported)", nm, x->h, x->w, L->adapt_oh, L->adapt_ow);
        L->kh = L->sh = x->h / L->adapt_oh;
        L->kw = L->sw = x->w / L->adapt_ow;
        set_shape(y, 4, x->n, L->adapt_oh, L->adapt_ow, x->c);
        break;
    case CC_ADD: {
        const cc_tensor_t *b = T(p, L->in[1]);
        char shb[64];
        cc_shape_str(b, shb, sizeof shb);
        if (strcmp(shp, shb))
            return perr(p, ncol, "layer %s (add): shape mismatch: %s is %s, %s is %s", nm,
                        x->name, shp, b->name, shb);
        L->act = a->act;
        set_shape(y, x->rank, x->n, x->h, x->w, x->c);
        break;
    }
    case CC_RELU:
    case CC_RELU6:
    case CC_LUT:
        L->fn = L->kind == CC_LUT ? (a->fn_set ? a->fn : CC_FN_TABLE) : CC_FN_IDENTITY;
        set_shape(y, x->rank, x->n, x->h, x->w, x->c);
        break;
    case CC_FLATTEN:
        if ((uint64_t)x->h * x->w * x->c > 1000000000u)
            return perr(p, ncol, "layer %s (flatten): too many features", nm);
        set_shape(y, 2, x->n, 1, 1, x->h * x->w * x->c);
        break;
    case CC_RESHAPE: {
        uint64_t e = 1;
        if (!a->shape_set)
            return perr(p, ncol, "layer %s (reshape): the new shape= is missing", nm);
        for (int i = 0; i < a->shape_rank; i++)
            e *= (uint64_t)a->shape[i];
        if (e != cc_tensor_elems(x)) {
            char want[80];
            if (a->shape_rank == 2)
                snprintf(want, sizeof want, "%dx%d", a->shape[0], a->shape[1]);
            else
                snprintf(want, sizeof want, "%dx%dx%dx%d", a->shape[0], a->shape[1],
                         a->shape[2], a->shape[3]);
            return perr(p, ncol, "layer %s (reshape): shape mismatch: %s (%s) has %llu "
                        "elements, shape=%s has %llu", nm, x->name, shp,
                        (unsigned long long)cc_tensor_elems(x), want, (unsigned long long)e);
        }
        if (a->shape_rank == 2)
            set_shape(y, 2, a->shape[0], 1, 1, a->shape[1]);
        else
            set_shape(y, 4, a->shape[0], a->shape[1], a->shape[2], a->shape[3]);
        break;
    }
    default:
        break;
    }
    if (cc_tensor_elems(y) > 0xffffffffu / 2)
        return perr(p, ncol, "layer %s (%s): output %s has %llu elements, more than a 32-bit "
                    "DRAM can hold", nm, kn, y->name, (unsigned long long)cc_tensor_elems(y));
    {
        uint64_t params = L->params, macs = L->macs;
        for (int i = 0; i < net->nl; i++)
            if (__builtin_add_overflow(params, net->l[i].params, &params) ||
                __builtin_add_overflow(macs, net->l[i].macs, &macs))
                return perr(p, ncol, "layer %s (%s): the network's parameter or MAC total "
                            "exceeds 2^64 here", nm, kn);
    }
    return 0;
}

static int parse_kind(const char *w, enum cc_kind *k, enum cc_fn *fn)
{
    *fn = CC_FN_TABLE;
    for (int i = 0; i < CC_KIND_COUNT; i++)
        if (!strcmp(w, kind_names[i])) {
            *k = (enum cc_kind)i;
            return 0;
        }
    if (!strcmp(w, "linear")) {
        *k = CC_FC;
        return 0;
    }
    if (!strcmp(w, "sigmoid") || !strcmp(w, "tanh")) {
        *k = CC_LUT;
        *fn = w[0] == 's' ? CC_FN_SIGMOID : CC_FN_TANH;
        return 0;
    }
    return -1;
}

static int parse_layer(parser_t *p, enum cc_kind kind, enum cc_fn alias_fn)
{
    cc_net_t *net = p->net;
    const tok_t *tk = p->tok;
    cc_layer_t L;
    lattrs_t a;
    int i = 1, out, nin_want = kind == CC_ADD ? 2 : 1;

    memset(&L, 0, sizeof L);
    memset(&a, 0, sizeof a);
    L.kind = kind;
    L.loc.line = p->line;
    L.loc.col = tk[0].col;
    if (tk[i].type != T_WORD)
        return perr(p, tk[i].col, "expected the layer name after '%s'", tk[0].text);
    if (cc_find_layer(net, tk[i].text) >= 0)
        return perr(p, tk[i].col, "layer '%s' is already defined at line %d", tk[i].text,
                    net->l[cc_find_layer(net, tk[i].text)].loc.line);
    i++;
    if (tk[i].type != T_COLON)
        return perr(p, tk[i].col, "expected ':' after the layer name (%s NAME: IN -> OUT ...)",
                    tk[0].text);
    i++;
    for (;;) {
        if (tk[i].type != T_WORD)
            return perr(p, tk[i].col, "expected an input tensor name");
        if (L.n_in == 2)
            return perr(p, tk[i].col, "too many inputs: %s layers take %d", tk[0].text,
                        nin_want);
        if (use_tensor(p, &tk[i], &L.in[L.n_in]))
            return -1;
        L.n_in++;
        i++;
        if (tk[i].type == T_COMMA) {
            i++;
            continue;
        }
        break;
    }
    if (tk[i].type != T_ARROW)
        return perr(p, tk[i].col, "expected '->' and the output tensor name");
    if (L.n_in != nin_want)
        return perr(p, tk[i].col, "%s layers take %d input%s, got %d", tk[0].text, nin_want,
                    nin_want > 1 ? "s" : "", L.n_in);
    i++;
    if (tk[i].type != T_WORD)
        return perr(p, tk[i].col, "expected the output tensor name after '->'");
    if (parse_attrs(p, kind, i + 1, &a))
        return -1;
    if (alias_fn != CC_FN_TABLE) {
        if (a.fn_set)
            return perr(p, tk[0].col, "%s layers do not take fn=", tk[0].text);
        a.fn = alias_fn;
        a.fn_set = 1;
    }
    out = new_tensor(p, &tk[i]);
    if (out < 0)
        return -1;
    L.out = out;
    L.name = xstrdup(tk[1].text);
    if (infer(p, &L, &a, out, tk[1].col)) {
        free(L.name);
        net->nt--;
        free(net->t[out].name);
        return -1;
    }
    net->t[out].producer = net->nl;
    net->t[out].loc.line = p->line;
    if (a.q_scale_set) {
        net->t[out].q_desc = 1;
        net->t[out].desc_scale = a.scale;
        net->t[out].desc_zp = a.zp;
    }
    for (int k = 0; k < L.n_in; k++)
        net->t[L.in[k]].n_readers++;
    if (net->nl == net->cap_l) {
        net->cap_l = net->cap_l ? 2 * net->cap_l : 16;
        net->l = cc_xrealloc(net->l, sizeof *net->l * (size_t)net->cap_l);
    }
    net->l[net->nl++] = L;
    return 0;
}

static int parse_input(parser_t *p)
{
    const tok_t *tk = p->tok;
    lattrs_t a;
    int rank, d[4], idx;
    cc_tensor_t *x;
    if (tk[1].type != T_WORD)
        return perr(p, tk[1].col, "expected the input tensor name (input NAME: SHAPE)");
    if (tk[2].type != T_COLON)
        return perr(p, tk[2].col, "expected ':' after the input name (input NAME: SHAPE)");
    if (tk[3].type != T_WORD)
        return perr(p, tk[3].col, "expected the shape NxHxWxC or NxC");
    if (parse_shape(p, tk[3].text, tk[3].col, &rank, d))
        return -1;
    memset(&a, 0, sizeof a);
    for (int i = 4; i < p->ntok; i++)
        if (p->tok[i].type != T_ATTR ||
            (strcmp(p->tok[i].text, "scale") && strcmp(p->tok[i].text, "zp")))
            return perr(p, p->tok[i].col, "an input takes only scale= and zp=");
    if (parse_attrs(p, CC_RELU, 4, &a))
        return -1;
    idx = new_tensor(p, &tk[1]);
    if (idx < 0)
        return -1;
    x = &p->net->t[idx];
    if (rank == 2)
        set_shape(x, 2, d[0], 1, 1, d[1]);
    else
        set_shape(x, 4, d[0], d[1], d[2], d[3]);
    if (cc_tensor_elems(x) > 0xffffffffu / 2)
        return perr(p, tk[3].col, "input %s has %llu elements, more than a 32-bit DRAM can hold",
                    x->name, (unsigned long long)cc_tensor_elems(x));
    x->is_input = 1;
    if (a.q_scale_set) {
        x->q_desc = 1;
        x->desc_scale = a.scale;
        x->desc_zp = a.zp;
    }
    return 0;
}

static int parse_output(parser_t *p)
{
    int i = 1;
    for (;;) {
        int idx = -1;
        if (p->tok[i].type != T_WORD)
            return perr(p, p->tok[i].col, "expected a tensor name (output NAME[, NAME]...)");
        if (use_tensor(p, &p->tok[i], &idx))
            return -1;
        p->net->t[idx].is_output = 1;
        i++;
        if (p->tok[i].type == T_END)
            break;
        if (p->tok[i].type != T_COMMA)
            return perr(p, p->tok[i].col, "expected ',' or the end of the line");
        i++;
    }
    p->net->explicit_outputs = 1;
    return 0;
}

static int parse_line(parser_t *p)
{
    const tok_t *t0 = &p->tok[0];
    enum cc_kind kind;
    enum cc_fn fn;
    if (t0->type == T_END)
        return 0;
    if (t0->type != T_WORD)
        return perr(p, t0->col, "expected a statement (network, input, output or a layer kind)");
    if (!strcmp(t0->text, "network")) {
        if (p->tok[1].type != T_WORD || p->tok[2].type != T_END)
            return perr(p, p->tok[1].col, "expected 'network NAME'");
        if (p->net->name)
            return perr(p, t0->col, "the network is named twice");
        p->net->name = xstrdup(p->tok[1].text);
        return 0;
    }
    if (!strcmp(t0->text, "input"))
        return parse_input(p);
    if (!strcmp(t0->text, "output"))
        return parse_output(p);
    if (parse_kind(t0->text, &kind, &fn) == 0)
        return parse_layer(p, kind, fn);
    if (!strcmp(t0->text, "batchnorm") || !strcmp(t0->text, "bn"))
        return perr(p, t0->col, "unsupported layer '%s': fold BatchNorm into the preceding conv "
                    "or fc and give that layer the flag 'bn'", t0->text);
    if (!strcmp(t0->text, "concat") || !strcmp(t0->text, "softmax") ||
        !strcmp(t0->text, "dropout") || !strcmp(t0->text, "mul") || !strcmp(t0->text, "upsample") ||
        !strcmp(t0->text, "lstm") || !strcmp(t0->text, "deconv"))
        return perr(p, t0->col, "unsupported layer kind '%s' (supported: conv, fc, maxpool, "
                    "avgpool, adaptive_avgpool, add, relu, relu6, lut, sigmoid, tanh, flatten, "
                    "reshape)", t0->text);
    return perr(p, t0->col, "unknown statement '%s' (expected network, input, output, or a layer "
                "kind: conv, fc, maxpool, avgpool, adaptive_avgpool, add, relu, relu6, lut, "
                "sigmoid, tanh, flatten, reshape)", t0->text);
}

static int finish(parser_t *p)
{
    cc_net_t *net = p->net;
    int n_out = 0, n_in = 0;
    if (net->nl == 0)
        return cc_fail(p->err, p->errlen, "%s: error: the description defines no layers",
                       p->file);
    for (int i = 0; i < net->nt; i++) {
        cc_tensor_t *t = &net->t[i];
        n_in += t->is_input;
        if (!net->explicit_outputs && t->n_readers == 0 && !t->is_input)
            t->is_output = 1;
        n_out += t->is_output;
    }
    if (!n_in)
        return cc_fail(p->err, p->errlen, "%s: error: the description has no input", p->file);
    if (!n_out)
        return cc_fail(p->err, p->errlen, "%s: error: the network has no output", p->file);
    net->nt_parsed = net->nt;
    return 0;
}

static int parse_string(const char *src, const char *name, cc_net_t *net, char *err,
                        size_t errlen)
{
    parser_t p;
    const char *s = src;
    memset(net, 0, sizeof *net);
    memset(&p, 0, sizeof p);
    net->file = xstrdup(name ? name : "<string>");
    p.net = net;
    p.file = net->file;
    p.err = err;
    p.errlen = errlen;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        p.line++;
        if (memchr(s, 0, len))
            return perr(&p, 1, "NUL byte in the description");
        if (lex_line(&p, s, len) || parse_line(&p))
            return -1;
        s += len + (e ? 1 : 0);
    }
    return finish(&p);
}

/* On failure the partly built network is freed: *net is empty, as the caller expects. */
int cc_parse_string(const char *src, const char *name, cc_net_t *net, char *err, size_t errlen)
{
    int rc = parse_string(src, name, net, err, errlen);
    if (rc)
        cc_net_free(net);
    return rc;
}

int cc_parse_file(const char *path, cc_net_t *net, char *err, size_t errlen)
{
    size_t len;
    char *buf = (char *)cc_read_all(path, CC_DESC_MAX, &len, err, errlen);
    int rc;
    memset(net, 0, sizeof *net);
    if (!buf)
        return -1;
    if (strlen(buf) != len) {
        free(buf);
        return cc_fail(err, errlen, "%s: error: the description contains a NUL byte (is it a "
                       "text file?)", path);
    }
    rc = cc_parse_string(buf, path, net, err, errlen);
    free(buf);
    return rc;
}

void cc_net_free(cc_net_t *net)
{
    for (int i = 0; i < net->nt; i++)
        free(net->t[i].name);
    for (int i = 0; i < net->nl; i++) {
        cc_layer_t *l = &net->l[i];
        free(l->name);
        free(l->weight);
        free(l->bias);
        free(l->wscale);
        free(l->requant);
        free(l->table);
    }
    free(net->t);
    free(net->l);
    free(net->name);
    free(net->file);
    memset(net, 0, sizeof *net);
}

/* ---- summary --------------------------------------------------------------------------------- */

void cc_totals(const cc_net_t *net, uint64_t *params, uint64_t *macs)
{
    *params = *macs = 0;
    for (int i = 0; i < net->nl; i++) {
        *params += net->l[i].params;
        *macs += net->l[i].macs;
    }
}

static void group3(uint64_t v, char *buf, size_t len)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v), o = 0;
    for (int i = 0; i < n && o + 2 < (int)len; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = 0;
}

void cc_summary(const cc_net_t *net, FILE *f)
{
    uint64_t params, macs;
    char a[40], b[40], shp[64];
    int wname = 5;
    for (int i = 0; i < net->nl; i++) {
        int n = (int)strlen(net->l[i].name);
        wname = n > wname ? n : wname;
    }
    fprintf(f, "network %s (%s): %d layers\n", net->name ? net->name : "(unnamed)", net->file,
            net->nl);
    for (int i = 0; i < net->nt; i++)
        if (net->t[i].is_input) {
            cc_shape_str(&net->t[i], shp, sizeof shp);
            fprintf(f, "input %s: %s\n", net->t[i].name, shp);
        }
    fprintf(f, "%-*s  %-16s  %-18s  %15s  %17s\n", wname, "layer", "kind", "output", "params",
            "MACs");
    for (int i = 0; i < net->nl; i++) {
        const cc_layer_t *l = &net->l[i];
        char kind[48];
        cc_shape_str(&net->t[l->out], shp, sizeof shp);
        group3(l->params, a, sizeof a);
        group3(l->macs, b, sizeof b);
        if (l->kind == CC_LUT)
            snprintf(kind, sizeof kind, "lut(%s)", cc_fn_name(l->fn));
        else
            snprintf(kind, sizeof kind, "%s%s", cc_kind_name(l->kind),
                     l->act == CC_ACT_RELU ? "+relu" : l->act == CC_ACT_RELU6 ? "+relu6" : "");
        fprintf(f, "%-*s  %-16s  %-18s  %15s  %17s\n", wname, l->name, kind, shp, a, b);
    }
    cc_totals(net, &params, &macs);
    group3(params, a, sizeof a);
    group3(macs, b, sizeof b);
    fprintf(f, "%-*s  %-16s  %-18s  %15s  %17s\n", wname, "total", "", "", a, b);
    fprintf(f, "(MACs: one per multiply-accumulate of conv and fc layers; pooling, additions and "
            "activations not counted)\n");
}
