/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dlpcc compilation driver: checks the quantization, groups layers into programs (fusion),
 * decides where every tensor lives in DRAM (with zero-point borders for padded convolutions),
 * runs the code generators and the assembler, and assembles the package.
 *
 * DRAM map of a package (addresses grow downwards):
 *     dram_base   dense activation tensors (written by programs or the host before use)
 *     image_addr  tensors with a zero-point border (the border is part of the image)
 *                 16 scratch bytes (the token primers' stores)
 *                 per program: weights, parameters, tables
 *                 the programs
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "dlp_asm.h"
#include "dlp_prog.h"

typedef struct planner {
    cc_net_t *net;
    const dlp_config_t *cfg;
    const cc_options_t *opt;
    prog_desc_t *pd;
    int np, cap;
    int *prog_of;          /* layer -> program (or -1) */
    char *err;
    size_t errlen;
} planner_t;

static int lfail(planner_t *p, const cc_layer_t *l, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int lfail(planner_t *p, const cc_layer_t *l, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cc_fail(p->err, p->errlen, "%s:%d:%d: error: layer %s (%s): %s", p->net->file,
                   l->loc.line, l->loc.col, l->name, cc_kind_name(l->kind), msg);
}

/* ---- quantization ---------------------------------------------------------------------------- */

static int same_q(double s1, int32_t z1, double s2, int32_t z2)
{
    return (float)s1 == (float)s2 && z1 == z2;
}

static int requantizes(enum cc_kind k)
{
    return k == CC_CONV || k == CC_FC || k == CC_ADD || k == CC_RELU || k == CC_RELU6 ||
           k == CC_LUT;
}

static int resolve_quant(planner_t *p)
{
    cc_net_t *net = p->net;
    for (int i = 0; i < net->nt; i++) {
        cc_tensor_t *t = &net->t[i];
        const cc_layer_t *l = t->producer >= 0 ? &net->l[t->producer] : NULL;
        int file = t->q_file == 3;
        if (file && t->q_desc && !same_q(t->scale, t->zp, t->desc_scale, t->desc_zp))
            return cc_fail(p->err, p->errlen, "%s:%d:%d: error: tensor %s: the description says "
                           "scale=%g zp=%d, the weight file scale=%g zp=%d", net->file,
                           t->loc.line, t->loc.col, t->name, t->desc_scale, t->desc_zp,
                           t->scale, t->zp);
        if (!file && t->q_desc) {
            t->scale = (double)(float)t->desc_scale;
            t->zp = t->desc_zp;
        }
        if (file || t->q_desc) {
            t->scale = (double)(float)t->scale;
            if (l && !requantizes(l->kind)) {
                const cc_tensor_t *x = &net->t[l->in[0]];
                if (!same_q(t->scale, t->zp, x->scale, x->zp))
                    return lfail(p, l, "bad quantization parameters: its output %s has scale=%g "
                                 "zp=%d, but a %s does not requantize (its input %s has scale=%g "
                                 "zp=%d)", t->name, t->scale, t->zp, cc_kind_name(l->kind),
                                 x->name, x->scale, x->zp);
            }
            continue;
        }
        if (!l)
            return cc_fail(p->err, p->errlen, "%s:%d:%d: error: input %s has no quantization: "
                           "give scale= and zp= in the description or %s.scale and %s.zp in "
                           "the weight file", net->file, t->loc.line, t->loc.col, t->name,
                           t->name, t->name);
        if (l->kind == CC_CONV || l->kind == CC_FC || l->kind == CC_ADD)
            return lfail(p, l, "its output %s has no quantization: give scale= and zp= on the "
                         "layer or %s.scale and %s.zp in the weight file", t->name, t->name,
                         t->name);
        t->scale = net->t[l->in[0]].scale;
        t->zp = net->t[l->in[0]].zp;
    }
    return 0;
}

static int check_layer(planner_t *p, const cc_layer_t *l)
{
    const cc_net_t *net = p->net;
    if (l->kind == CC_FC && l->fc_float && net->t[l->in[0]].n != 1)
        return lfail(p, l, "round=float runs on the host, which takes one input vector (a batch "
                     "of %d is not built yet)", net->t[l->in[0]].n);
    if (l->kind == CC_CONV || l->kind == CC_FC) {
        const cc_tensor_t *x = &net->t[l->in[0]], *y = &net->t[l->out];
        if (!l->got_weight)
            return lfail(p, l, "the weight file has no weights (record %s.weight)", l->name);
        if (!l->got_wscale)
            return lfail(p, l, "the weight file has no weight scales (record %s.weight_scale)",
                         l->name);
        if ((l->has_bias || l->bn) && !l->got_bias)
            return lfail(p, l, "the weight file has no bias (record %s.bias; use bias=0 for a "
                         "layer without one)", l->name);
        for (int c = 0; c < l->cout; c++) {
            int32_t m, s;
            double r = x->scale * (double)l->wscale[c] / y->scale;
            if (cc_quantize_multiplier(r, &m, &s))
                return lfail(p, l, "bad quantization parameters: channel %d's effective scale "
                             "s_in*s_w/s_out = %g*%g/%g = %g is outside what TFLite's "
                             "multiplier/shift can represent", c, x->scale,
                             (double)l->wscale[c], y->scale, r);
        }
    }
    if (l->kind == CC_LUT && l->fn == CC_FN_TABLE && !l->got_table)
        return lfail(p, l, "fn=table needs the 256-entry table %s.table in the weight file",
                     l->name);
    if (l->kind == CC_ADD) {
        int32_t prm[12];
        const cc_tensor_t *a = &net->t[l->in[0]], *b = &net->t[l->in[1]], *y = &net->t[l->out];
        if (cc_add_params(a->scale, a->zp, b->scale, b->zp, y->scale, y->zp, -128, 127, prm))
            return lfail(p, l, "bad quantization parameters: the input scales %g, %g and output "
                         "scale %g give multipliers TFLite cannot represent", a->scale, b->scale,
                         y->scale);
    }
    return 0;
}

/* ---- fusion ---------------------------------------------------------------------------------- */

/* The table of an activation layer (relu/relu6 with requantization, lut). */
static int layer_table(planner_t *p, const cc_layer_t *l, int8_t tab[256])
{
    const cc_tensor_t *x = &p->net->t[l->in[0]], *y = &p->net->t[l->out];
    char msg[256];
    enum cc_fn fn = l->kind == CC_RELU ? CC_FN_RELU : l->kind == CC_RELU6 ? CC_FN_RELU6 : l->fn;
    if (fn == CC_FN_TABLE) {
        memcpy(tab, l->table, 256);
        return 0;
    }
    if (cc_make_table(fn, x->scale, x->zp, y->scale, y->zp, tab, msg, sizeof msg))
        return lfail(p, l, "bad quantization parameters: %s", msg);
    return 0;
}

/* relu/relu6 that keep the quantization are a clamp; lo and hi get its range. */
static int is_clamp(const cc_net_t *net, const cc_layer_t *l, int32_t *lo, int32_t *hi)
{
    const cc_tensor_t *x = &net->t[l->in[0]], *y = &net->t[l->out];
    if ((l->kind != CC_RELU && l->kind != CC_RELU6) || !same_q(x->scale, x->zp, y->scale, y->zp))
        return 0;
    cc_act_range(l->kind == CC_RELU ? CC_ACT_RELU : CC_ACT_RELU6, y->scale, y->zp, lo, hi);
    return 1;
}

static void clamp_table(int8_t t[256], int32_t lo, int32_t hi)
{
    for (int i = 0; i < 256; i++)
        t[i] = (int8_t)(t[i] < lo ? lo : t[i] > hi ? hi : t[i]);
}

/* table' = second(first(x)) */
static void compose(int8_t first[256], const int8_t second[256])
{
    for (int i = 0; i < 256; i++)
        first[i] = second[first[i] + 128];
}

static void table_after_clamp(int8_t t[256], int32_t lo, int32_t hi)
{
    int8_t o[256];
    memcpy(o, t, 256);
    for (int i = 0; i < 256; i++) {
        int x = i - 128;
        x = x < lo ? lo : x > hi ? hi : x;
        t[i] = o[x + 128];
    }
}

static int is_poolable(const cc_layer_t *r)
{
    return (r->kind == CC_MAXPOOL || r->kind == CC_AVGPOOL || r->kind == CC_ADAPTIVE_AVGPOOL) &&
           r->kh == r->kw && r->sh == r->kh && r->sw == r->kw && !r->pt && !r->pl && !r->pb &&
           !r->pr && r->kh > 1 && r->kh <= 15;
}

static int is_alias_layer(const cc_layer_t *l)
{
    return l->kind == CC_FLATTEN || l->kind == CC_RESHAPE ||
           (l->kind == CC_ADAPTIVE_AVGPOOL && l->kh == 1 && l->kw == 1);
}

/* Tries to add layer r (the only reader of pd's current output) to the program. */
static int try_fuse(planner_t *p, prog_desc_t *pd, const cc_layer_t *r)
{
    const cc_net_t *net = p->net;
    int32_t lo, hi;
    int8_t tab[256];
    epi_op_t *last = pd->n_ops ? &pd->ops[pd->n_ops - 1] : NULL;
    int has_pool = 0, lut_before_pool = -1;
    if (pd->n_fused == MAX_FUSED)
        return 0;
    for (int i = 0; i < pd->n_ops; i++)
        if (pd->ops[i].kind == EPI_POOL)
            has_pool = 1;
        else if (!has_pool && pd->ops[i].kind == EPI_LUT)
            lut_before_pool = i;
    if (is_clamp(net, r, &lo, &hi)) {
        if (pd->type == P_ELT && pd->elt == ELT_CLAMP) {
            pd->clamp_lo = lo > pd->clamp_lo ? lo : pd->clamp_lo;
            pd->clamp_hi = hi < pd->clamp_hi ? hi : pd->clamp_hi;
            if (pd->clamp_lo > pd->clamp_hi)
                pd->clamp_lo = pd->clamp_hi;
        } else if (pd->type == P_ELT && pd->elt == ELT_LUT && !pd->n_ops) {
            clamp_table(pd->table, lo, hi);
        } else if (last && last->kind == EPI_LUT) {
            clamp_table(last->table, lo, hi);
        } else if (last && last->kind == EPI_ADD) {
            last->add[9] = lo > last->add[9] ? lo : last->add[9];
            last->add[10] = hi < last->add[10] ? hi : last->add[10];
            if (last->add[9] > last->add[10])
                last->add[9] = last->add[10];
        } else if (last && last->kind == EPI_CLAMP) {
            last->lo = lo > last->lo ? lo : last->lo;
            last->hi = hi < last->hi ? hi : last->hi;
            if (last->lo > last->hi)
                last->lo = last->hi;
        } else if (pd->type == P_CONV && (!pd->n_ops || (has_pool && !pd->ops[pd->n_ops - 1].avg &&
                                                         pd->n_ops == 1))) {
            /* straight after vrq, or after a max pool that follows vrq directly: clamping
               commutes with max, so vrq clamps */
            pd->vrq_lo = lo > pd->vrq_lo ? lo : pd->vrq_lo;
            pd->vrq_hi = hi < pd->vrq_hi ? hi : pd->vrq_hi;
            if (pd->vrq_lo > pd->vrq_hi)
                pd->vrq_lo = pd->vrq_hi;
        } else if (pd->type == P_ELT && pd->elt == ELT_ADD && !pd->n_ops) {
            pd->add[9] = lo > pd->add[9] ? lo : pd->add[9];
            pd->add[10] = hi < pd->add[10] ? hi : pd->add[10];
            if (pd->add[9] > pd->add[10])
                pd->add[9] = pd->add[10];
        } else if (pd->n_ops < MAX_EPI) {
            epi_op_t *op = &pd->ops[pd->n_ops++];
            memset(op, 0, sizeof *op);
            op->kind = EPI_CLAMP;
            op->lo = lo;
            op->hi = hi;
        } else {
            return 0;
        }
        return 1;
    }
    (void)lut_before_pool;
    if (r->kind == CC_RELU || r->kind == CC_RELU6 || r->kind == CC_LUT) {
        if (layer_table(p, r, tab))
            return -1;
        if (pd->type == P_ELT && pd->elt == ELT_LUT && !pd->n_ops) {
            compose(pd->table, tab);
        } else if (pd->type == P_ELT && pd->elt == ELT_CLAMP) {
            int32_t l0 = pd->clamp_lo, h0 = pd->clamp_hi;
            memcpy(pd->table, tab, 256);
            table_after_clamp(pd->table, l0, h0);
            pd->elt = ELT_LUT;
        } else if (last && last->kind == EPI_LUT) {
            compose(last->table, tab);
        } else if (last && last->kind == EPI_CLAMP) {
            int32_t l0 = last->lo, h0 = last->hi;
            last->kind = EPI_LUT;
            memcpy(last->table, tab, 256);
            table_after_clamp(last->table, l0, h0);
        } else if (pd->n_ops < MAX_EPI) {
            epi_op_t *op = &pd->ops[pd->n_ops++];
            memset(op, 0, sizeof *op);
            op->kind = EPI_LUT;
            memcpy(op->table, tab, 256);
        } else {
            return 0;
        }
        return 1;
    }
    if (pd->type == P_CONV && net->l[pd->main_layer].kind == CC_CONV && !pd->n_ops &&
        r->kind == CC_ADD && p->np > 0) {
        /* the add of a residual connection: the other operand must already be in DRAM when
           this program runs (a network input, or the output of an earlier program) */
        int cur = pd->fused[pd->n_fused - 1] == pd->main_layer
                      ? net->l[pd->main_layer].out : net->l[pd->fused[pd->n_fused - 1]].out;
        int other = r->in[0] == cur ? r->in[1] : r->in[0];
        const cc_tensor_t *o = &net->t[other], *a = &net->t[cur], *y = &net->t[r->out];
        int prod = o->producer, ok = 0;
        int32_t lo, hi;
        if (other == cur)
            return 0;
        while (prod >= 0 && is_alias_layer(&net->l[prod]))
            prod = net->t[net->l[prod].in[0]].producer;
        if (prod < 0)
            ok = 1; /* a network input (or an alias of one) */
        else if (p->prog_of[prod] >= 0 && p->prog_of[prod] < (int)(pd - p->pd))
            ok = 1;
        if (!ok)
            return 0;
        epi_op_t *op = &pd->ops[pd->n_ops++];
        memset(op, 0, sizeof *op);
        op->kind = EPI_ADD;
        op->other = other;
        cc_act_range(r->act, y->scale, y->zp, &lo, &hi);
        cc_add_params(a->scale, a->zp, o->scale, o->zp, y->scale, y->zp, lo, hi, op->add);
        pd->n_in = 2;
        pd->in[1] = other;
        return 1;
    }
    if (pd->type == P_CONV && net->l[pd->main_layer].kind == CC_CONV && !has_pool &&
        (!pd->n_ops || pd->ops[0].kind != EPI_ADD) && is_poolable(r) && pd->n_ops < MAX_EPI) {
        epi_op_t *op = &pd->ops[pd->n_ops++];
        memset(op, 0, sizeof *op);
        op->kind = EPI_POOL;
        op->avg = r->kind != CC_MAXPOOL;
        op->k = r->kh;
        return 1;
    }
    return 0;
}

static prog_desc_t *new_prog(planner_t *p)
{
    prog_desc_t *pd;
    if (p->np == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        p->pd = cc_xrealloc(p->pd, sizeof *p->pd * (size_t)p->cap);
    }
    pd = &p->pd[p->np++];
    memset(pd, 0, sizeof *pd);
    pd->main_layer = -1;
    pd->vrq_lo = -128;
    pd->vrq_hi = 127;
    pd->clamp_lo = -128;
    pd->clamp_hi = 127;
    return pd;
}

/* The single layer reading tensor t, or -1. */
static int only_reader(const cc_net_t *net, int t)
{
    int found = -1;
    if (net->t[t].n_readers != 1 || net->t[t].is_output)
        return -1;
    for (int i = 0; i < net->nl; i++)
        for (int k = 0; k < net->l[i].n_in; k++)
            if (net->l[i].in[k] == t)
                found = i;
    return found;
}

static int build_programs(planner_t *p)
{
    cc_net_t *net = p->net;
    for (int i = 0; i < net->nl; i++)
        p->prog_of[i] = -1;
    for (int i = 0; i < net->nl; i++) {
        const cc_layer_t *l = &net->l[i];
        prog_desc_t *pd;
        int idx;
        if (p->prog_of[i] >= 0 || is_alias_layer(l))
            continue;
        pd = new_prog(p);
        idx = p->np - 1;
        pd->main_layer = i;
        pd->fused[pd->n_fused++] = i;
        pd->n_in = l->n_in;
        pd->in[0] = l->in[0];
        pd->in[1] = l->n_in > 1 ? l->in[1] : -1;
        p->prog_of[i] = idx;
        switch (l->kind) {
        case CC_FC:
            if (l->fc_float) {
                /* double-precision requantization: the host computes it (dlp_net.h) */
                pd->type = P_HOST;
                pd->kind = DLP_NET_HOST_FC;
                break;
            }
            /* fall through */
        case CC_CONV: {
            const cc_tensor_t *y = &net->t[l->out];
            pd->type = P_CONV;
            pd->kind = l->kind == CC_CONV ? (l->groups > 1 && l->groups == net->t[l->in[0]].c
                                                 ? "depthwise_conv2d" : "conv2d")
                                          : "fully_connected";
            cc_act_range(l->act, y->scale, y->zp, &pd->vrq_lo, &pd->vrq_hi);
            break;
        }
        case CC_MAXPOOL:
        case CC_AVGPOOL:
        case CC_ADAPTIVE_AVGPOOL:
            pd->type = P_POOL;
            pd->kind = l->kind == CC_MAXPOOL ? "max_pool2d" : "average_pool2d";
            break;
        case CC_ADD: {
            const cc_tensor_t *a = &net->t[l->in[0]], *b = &net->t[l->in[1]],
                              *y = &net->t[l->out];
            int32_t lo, hi;
            cc_act_range(l->act, y->scale, y->zp, &lo, &hi);
            pd->type = P_ELT;
            pd->elt = ELT_ADD;
            pd->kind = "add";
            cc_add_params(a->scale, a->zp, b->scale, b->zp, y->scale, y->zp, lo, hi, pd->add);
            break;
        }
        default: { /* relu, relu6, lut */
            int32_t lo, hi;
            pd->type = P_ELT;
            pd->kind = "activation";
            if (is_clamp(net, l, &lo, &hi)) {
                pd->elt = ELT_CLAMP;
                pd->clamp_lo = lo;
                pd->clamp_hi = hi;
            } else {
                pd->elt = ELT_LUT;
                if (layer_table(p, l, pd->table))
                    return -1;
            }
            break;
        }
        }
        /* fuse the chain of single readers */
        {
            int cur = l->out;
            for (;;) {
                int r = p->opt->no_fuse || pd->type == P_HOST ? -1 : only_reader(net, cur), rc;
                if (r < 0 || p->prog_of[r] >= 0 ||
                    (net->l[r].n_in != 1 && net->l[r].kind != CC_ADD))
                    break;
                rc = try_fuse(p, pd, &net->l[r]);
                if (rc < 0)
                    return -1;
                if (!rc)
                    break;
                net->t[cur].fused = 1;
                pd->fused[pd->n_fused++] = r;
                p->prog_of[r] = idx;
                cur = net->l[r].out;
            }
            pd->out = cur;
        }
        {
            size_t o = 0;
            for (int k = 0; k < pd->n_fused && o < sizeof pd->name - 1; k++)
                o += (size_t)snprintf(pd->name + o, sizeof pd->name - o, "%s%s", k ? "+" : "",
                                      net->l[pd->fused[k]].name);
        }
    }
    return 0;
}

/* ---- tensors: borders, aliases, copies ------------------------------------------------------- */

static int root_of(const cc_net_t *net, int t)
{
    while (net->t[t].alias_of >= 0)
        t = net->t[t].alias_of;
    return t;
}

/* A new internal tensor shaped like tensor `like`. */
static int add_tensor(cc_net_t *net, int like, const char *name)
{
    cc_tensor_t *t, *l;
    if (net->nt == net->cap_t) {
        net->cap_t = net->cap_t ? 2 * net->cap_t : 16;
        net->t = cc_xrealloc(net->t, sizeof *net->t * (size_t)net->cap_t);
    }
    t = &net->t[net->nt];
    l = &net->t[like];
    memset(t, 0, sizeof *t);
    t->name = cc_xstrdup(name);
    t->loc = l->loc;
    t->rank = l->rank;
    t->n = l->n;
    t->h = l->h;
    t->w = l->w;
    t->c = l->c;
    t->scale = l->scale;
    t->zp = l->zp;
    t->producer = -1;
    t->alias_of = -1;
    t->padded_copy = -1;
    t->pkg_index = -1;
    return net->nt++;
}

static void insert_prog(planner_t *p, int at, const prog_desc_t *pd)
{
    new_prog(p);
    memmove(&p->pd[at + 1], &p->pd[at], sizeof *p->pd * (size_t)(p->np - 1 - at));
    p->pd[at] = *pd;
}

static int is_aliased(const cc_net_t *net, int t)
{
    for (int i = 0; i < net->nt; i++)
        if (net->t[i].alias_of == t)
            return 1;
    return 0;
}

static void copy_prog(prog_desc_t *pd, int from, int to, const char *name)
{
    memset(pd, 0, sizeof *pd);
    pd->type = P_ELT;
    pd->elt = ELT_CLAMP;
    pd->main_layer = -1;
    pd->clamp_lo = -128;
    pd->clamp_hi = 127;
    pd->vrq_lo = -128;
    pd->vrq_hi = 127;
    pd->n_in = 1;
    pd->in[0] = from;
    pd->in[1] = -1;
    pd->out = to;
    pd->kind = "copy";
    snprintf(pd->name, sizeof pd->name, "%.200s", name);
}

static int plan_tensors(planner_t *p)
{
    cc_net_t *net = p->net;
    /* 1. aliases */
    for (int i = 0; i < net->nl; i++)
        if (is_alias_layer(&net->l[i]))
            net->t[net->l[i].out].alias_of = net->l[i].in[0];
    /* 2. borders of convolution inputs, or bordered copies */
    for (int i = 0; i < p->np; i++) {
        prog_desc_t *pd = &p->pd[i];
        const cc_layer_t *l;
        int x;
        cc_tensor_t *b;
        if (pd->type != P_CONV)
            continue;
        l = &net->l[pd->main_layer];
        if (l->kind != CC_CONV || !(l->pt | l->pl | l->pb | l->pr))
            continue;
        x = pd->in[0];
        if (net->t[x].is_input || net->t[x].is_output || net->t[x].alias_of >= 0 ||
            is_aliased(net, x)) {
            if (net->t[x].padded_copy < 0) {
                char name[300];
                prog_desc_t cp;
                int nx;
                snprintf(name, sizeof name, "%.250s.padded", net->t[x].name);
                nx = add_tensor(net, x, name);
                net->t[x].padded_copy = nx;
                copy_prog(&cp, x, nx, name);
                insert_prog(p, i, &cp);
                i++;
                pd = &p->pd[i];
            }
            x = net->t[x].padded_copy;
            pd->in[0] = x;
        }
        b = &net->t[x];
        b->halo_t = l->pt > b->halo_t ? l->pt : b->halo_t;
        b->halo_l = l->pl > b->halo_l ? l->pl : b->halo_l;
        b->halo_b = l->pb > b->halo_b ? l->pb : b->halo_b;
        b->halo_r = l->pr > b->halo_r ? l->pr : b->halo_r;
    }
    return 0;
}

static uint32_t align_up(uint64_t a, uint64_t al)
{
    return (uint32_t)((a + al - 1) / al * al);
}

static int has_halo(const cc_tensor_t *t)
{
    return (t->halo_t | t->halo_l | t->halo_b | t->halo_r) != 0;
}

/* Addresses; fills the haloed tensors' part of the image with their zero points. */
static int layout(planner_t *p, uint8_t **image, size_t *image_len, uint32_t *image_addr,
                  uint32_t *scratch)
{
    cc_net_t *net = p->net;
    uint64_t at = p->opt->dram_base, img = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            at = align_up(at, 4096);
            *image_addr = (uint32_t)at;
            img = at;
        }
        for (int i = 0; i < net->nt; i++) {
            cc_tensor_t *t = &net->t[i];
            uint64_t rs, is;
            if (t->fused || t->alias_of >= 0 || has_halo(t) != pass)
                continue;
            rs = (uint64_t)(t->w + t->halo_l + t->halo_r) * t->c;
            is = (uint64_t)(t->h + t->halo_t + t->halo_b) * rs;
            at = align_up(at, 64);
            if (at + is * t->n > 0xfffff000ull)
                return cc_fail(p->err, p->errlen, "%s: error: the network's tensors need more "
                               "than the 4 GiB a 32-bit DRAM address reaches", net->file);
            t->base = (uint32_t)at;
            t->row_stride = (uint32_t)rs;
            t->img_stride = (uint32_t)is;
            t->span = (uint32_t)(is * t->n);
            t->addr = t->base + (uint32_t)(t->halo_t * rs + (uint64_t)t->halo_l * t->c);
            at += t->span;
            if (pass == 1) {
                size_t off = (size_t)(t->base - img), end = off + t->span;
                *image = cc_xrealloc(*image, end + 1);
                if (end > *image_len)
                    memset(*image + *image_len, 0, end - *image_len);
                memset(*image + off, (uint8_t)t->zp, t->span);
                *image_len = end;
            }
        }
    }
    /* aliases: the bytes of their (dense) root, seen with their own shape */
    for (int i = 0; i < net->nt; i++) {
        cc_tensor_t *t = &net->t[i];
        if (t->alias_of >= 0) {
            const cc_tensor_t *r = &net->t[root_of(net, i)];
            t->base = r->base;
            t->addr = r->addr;
            t->row_stride = (uint32_t)t->w * (uint32_t)t->c;
            t->img_stride = t->row_stride * (uint32_t)t->h;
            t->span = t->img_stride * (uint32_t)t->n;
        }
    }
    {
        size_t off = align_up(*image_len, 16);
        *image = cc_xrealloc(*image, off + 16 + 1);
        memset(*image + *image_len, 0, off + 16 - *image_len);
        *image_len = off + 16;
        *scratch = *image_addr + (uint32_t)off;
    }
    return 0;
}

/* ---- code generation and the package --------------------------------------------------------- */

/* A host FULLY_CONNECTED (fc round=float): its parameter block in the image (dlp_net.h). */
static int gen_host(planner_t *p, prog_desc_t *pd, cc_program_t *out, uint8_t **image,
                    size_t *image_len, uint32_t image_addr)
{
    const cc_net_t *net = p->net;
    const cc_layer_t *l = &net->l[pd->main_layer];
    const cc_tensor_t *x = &net->t[l->in[0]], *y = &net->t[l->out];
    uint64_t in_n = cc_tensor_elems(x), out_n = (uint64_t)l->cout;
    uint64_t bytes = 32 + 12 * out_n + in_n * out_n;
    size_t at = align_up(*image_len, 16);
    int32_t lo, hi;
    uint8_t *b;
    if (bytes > (1u << 30))
        return lfail(p, l, "%llu x %llu weights are too large for a host layer",
                     (unsigned long long)in_n, (unsigned long long)out_n);
    if (has_halo(&net->t[root_of(net, l->in[0])]))
        return lfail(p, l, "the input of a host layer must be dense (it has a border)");
    cc_act_range(l->act, y->scale, y->zp, &lo, &hi);
    *image = cc_xrealloc(*image, at + (size_t)bytes + 1);
    memset(*image + *image_len, 0, at + (size_t)bytes - *image_len);
    b = *image + at;
    memcpy(b, "HFC1", 4);
    dlp_wr32(b + 4, (uint32_t)in_n);
    dlp_wr32(b + 8, (uint32_t)out_n);
    dlp_wr32(b + 12, (uint32_t)x->zp);
    dlp_wr32(b + 16, (uint32_t)y->zp);
    dlp_wr32(b + 20, (uint32_t)lo);
    dlp_wr32(b + 24, (uint32_t)hi);
    dlp_wr32(b + 28, l->bias ? 1u : 0u);
    for (uint64_t c = 0; c < out_n; c++) {
        /* TFLite: (double) s_in * (double) s_w[c] / (double) s_out, the scales being float32 */
        double m = (double)(float)x->scale * (double)l->wscale[c] / (double)(float)y->scale;
        uint64_t u;
        memcpy(&u, &m, 8);
        dlp_wr32(b + 32 + 8 * c, (uint32_t)u);
        dlp_wr32(b + 36 + 8 * c, (uint32_t)(u >> 32));
        dlp_wr32(b + 32 + 8 * out_n + 4 * c, l->bias ? (uint32_t)l->bias[c] : 0u);
    }
    memcpy(b + 32 + 12 * out_n, l->weight, (size_t)(in_n * out_n));
    *image_len = at + (size_t)bytes;
    memset(out, 0, sizeof *out);
    out->name = cc_xstrdup(pd->name);
    out->kind = cc_xstrdup(pd->kind);
    out->words = cc_xmalloc(1);
    out->plan = cc_xprintf("on the host: %llu x %llu, double-precision requantization",
                           (unsigned long long)out_n, (unsigned long long)in_n);
    out->host_addr = image_addr + (uint32_t)at;
    out->host_bytes = (uint32_t)bytes;
    out->macs = l->macs;
    out->params = l->params;
    out->out_tensor = pd->out;
    out->n_in = 1;
    out->in_tensor[0] = l->in[0];
    return 0;
}

static int generate(planner_t *p, prog_desc_t *pd, cc_program_t *out, uint8_t **image,
                    size_t *image_len, uint32_t image_addr, uint32_t scratch)
{
    const cc_net_t *net = p->net;
    size_t mark = *image_len;
    if (pd->type == P_HOST)
        return gen_host(p, pd, out, image, image_len, image_addr);
    for (int attempt = 0;; attempt++) {
        cg_t g;
        dlp_asm_options_t ao;
        dlp_asm_result_t res;
        int rc;
        memset(&g, 0, sizeof g);
        g.cfg = p->cfg;
        g.net = net;
        g.pd = pd;
        g.attempt = attempt;
        g.image = image;
        g.image_len = image_len;
        g.image_addr = image_addr;
        g.scratch_dram = scratch;
        g.err = p->err;
        g.errlen = p->errlen;
        *image_len = mark;
        rc = pd->type == P_CONV ? gen_conv(&g) : pd->type == P_POOL ? gen_pool(&g) : gen_elt(&g);
        if (rc) {
            cc_buf_free(&g.text);
            cc_buf_free(&g.plan);
            return -1;
        }
        memset(&ao, 0, sizeof ao);
        ao.listing = p->opt->listing;
        ao.max_errors = 3;
        if (dlp_asm_string(g.text.s, pd->name, &ao, &res)) {
            cc_fail(p->err, p->errlen, "dlpcc: internal error: the code generated for %s does "
                    "not assemble: %s", pd->name, res.n_messages ? res.messages[0] : "?");
            dlp_asm_result_free(&res);
            cc_buf_free(&g.text);
            cc_buf_free(&g.plan);
            return -1;
        }
        if (res.n_insns > p->cfg->imem_insns) {
            if (p->opt->verbose)
                fprintf(stderr, "dlpcc: %s: %u instructions exceed imem_insns=%u, trying the "
                        "next tiling\n", pd->name, res.n_insns, p->cfg->imem_insns);
            dlp_asm_result_free(&res);
            cc_buf_free(&g.text);
            cc_buf_free(&g.plan);
            continue;
        }
        memset(out, 0, sizeof *out);
        out->name = cc_xstrdup(pd->name);
        out->kind = cc_xstrdup(pd->kind);
        out->words = cc_xmalloc(16 * (size_t)res.n_insns);
        memcpy(out->words, res.words, 16 * (size_t)res.n_insns);
        out->n_insns = res.n_insns;
        out->plan = g.plan.s ? g.plan.s : cc_xstrdup("");
        out->est_cycles = g.est_cycles;
        if (p->opt->listing) {
            out->source = g.text.s;
            out->listing = res.listing;
            res.listing = NULL;
        } else {
            cc_buf_free(&g.text);
        }
        dlp_asm_result_free(&res);
        for (int k = 0; k < pd->n_fused; k++) {
            out->macs += net->l[pd->fused[k]].macs;
            out->params += net->l[pd->fused[k]].params;
        }
        out->out_tensor = pd->out;
        out->n_in = pd->n_in;
        for (int k = 0; k < pd->n_in; k++)
            out->in_tensor[k] = pd->in[k];
        return 0;
    }
}

static uint32_t add_string(cc_buf_t *s, const char *str)
{
    uint32_t off = (uint32_t)s->len;
    cc_buf_printf(s, "%s", str);
    s->len++; /* keep the NUL */
    if (s->len + 1 > s->cap) {
        s->s = cc_xrealloc(s->s, s->len + 64);
        s->cap = s->len + 64;
    }
    s->s[s->len] = 0;
    return off;
}

int cc_compile(cc_net_t *net, const dlp_config_t *cfg, const cc_options_t *opt, cc_output_t *out,
               char *err, size_t errlen)
{
    planner_t p;
    uint8_t *image = NULL;
    size_t image_len = 0;
    uint32_t image_addr = 0, scratch = 0;
    cc_buf_t strs = {0};
    int rc = -1, ntens = 0;

    memset(out, 0, sizeof *out);
    memset(&p, 0, sizeof p);
    p.net = net;
    p.cfg = cfg;
    p.opt = opt;
    p.err = err;
    p.errlen = errlen;
    /* forget what an earlier compilation of the same network planned */
    for (int i = net->nt_parsed; i < net->nt; i++)
        free(net->t[i].name);
    net->nt = net->nt_parsed;
    for (int i = 0; i < net->nt; i++) {
        cc_tensor_t *t = &net->t[i];
        t->halo_t = t->halo_l = t->halo_b = t->halo_r = 0;
        t->alias_of = t->padded_copy = t->pkg_index = -1;
        t->fused = 0;
        t->base = t->addr = t->row_stride = t->img_stride = t->span = 0;
    }
    if (cfg->token_max < 2)
        return cc_fail(err, errlen, "dlpcc: configuration: token_max=%u, the double-buffered "
                       "programs need at least 2", cfg->token_max);
    if (resolve_quant(&p))
        return -1;
    for (int i = 0; i < net->nl; i++)
        if (check_layer(&p, &net->l[i]))
            return -1;
    p.prog_of = cc_xmalloc(sizeof(int) * (size_t)net->nl);
    if (build_programs(&p) || plan_tensors(&p) ||
        layout(&p, &image, &image_len, &image_addr, &scratch))
        goto done;

    out->progs = cc_xcalloc(sizeof *out->progs * (size_t)(p.np ? p.np : 1));
    for (int i = 0; i < p.np; i++) {
        if (generate(&p, &p.pd[i], &out->progs[i], &image, &image_len, image_addr, scratch))
            goto done;
        out->n_progs++;
    }
    /* programs at the end of the image */
    {
        uint32_t total = 0;
        size_t at = align_up(image_len, 16);
        for (int i = 0; i < out->n_progs; i++)
            total += 16 * out->progs[i].n_insns;
        image = cc_xrealloc(image, at + total + 1);
        memset(image + image_len, 0, at - image_len);
        image_len = at;
        for (int i = 0; i < out->n_progs; i++) {
            cc_program_t *pr = &out->progs[i];
            uint8_t *d = image + image_len;
            for (uint32_t k = 0; k < 4 * pr->n_insns; k++) {
                uint32_t w = pr->words[k];
                d[4 * k] = (uint8_t)w;
                d[4 * k + 1] = (uint8_t)(w >> 8);
                d[4 * k + 2] = (uint8_t)(w >> 16);
                d[4 * k + 3] = (uint8_t)(w >> 24);
            }
            pr->est_cycles += 0;
            out->progs[i].macs += 0;
            image_len += 16 * (size_t)pr->n_insns;
        }
    }
    {
        uint64_t end = (uint64_t)image_addr + image_len;
        uint64_t need = align_up(end - opt->dram_base, 4096);
        if ((uint64_t)opt->dram_base + need > cfg->dram_bytes) {
            cc_fail(err, errlen, "%s: error: the network needs DRAM up to 0x%llx (%llu bytes from "
                    "0x%x); the configuration has %llu bytes (--set dram_mib=N)", net->file,
                    (unsigned long long)(opt->dram_base + need), (unsigned long long)need,
                    opt->dram_base, (unsigned long long)cfg->dram_bytes);
            goto done;
        }
        out->pkg.hdr.dram_base = opt->dram_base;
        out->pkg.hdr.dram_bytes = (uint32_t)need;
    }

    /* tensor table: every tensor that exists in DRAM */
    add_string(&strs, "");
    for (int i = 0; i < net->nt; i++)
        if (!net->t[i].fused)
            ntens++;
    out->tensors = cc_xcalloc(sizeof *out->tensors * (size_t)(ntens ? ntens : 1));
    ntens = 0;
    for (int i = 0; i < net->nt; i++) {
        cc_tensor_t *t = &net->t[i];
        dlp_net_tensor_t *d;
        if (t->fused)
            continue;
        t->pkg_index = ntens;
        d = &out->tensors[ntens++];
        d->name = add_string(&strs, t->name);
        d->role = t->is_input ? DLP_NET_INPUT : t->is_output ? DLP_NET_OUTPUT : DLP_NET_INTERNAL;
        d->addr = t->addr;
        d->bytes = (uint32_t)((uint64_t)(t->n - 1) * t->img_stride +
                              (uint64_t)(t->h - 1) * t->row_stride + (uint64_t)t->w * t->c);
        if (t->rank == 2) {
            d->ndims = 2;
            d->dims[0] = (uint32_t)t->n;
            d->dims[1] = (uint32_t)t->c;
        } else {
            d->ndims = 4;
            d->dims[0] = (uint32_t)t->n;
            d->dims[1] = (uint32_t)t->h;
            d->dims[2] = (uint32_t)t->w;
            d->dims[3] = (uint32_t)t->c;
        }
        d->scale = (float)t->scale;
        d->zero_point = t->zp;
        if (has_halo(t)) {
            d->row_stride = t->row_stride;
            d->img_stride = t->img_stride;
        }
    }
    out->layers = cc_xcalloc(sizeof *out->layers * (size_t)(out->n_progs ? out->n_progs : 1));
    {
        uint32_t pa = image_addr + (uint32_t)(image_len);
        for (int i = out->n_progs - 1; i >= 0; i--)
            pa -= 16 * out->progs[i].n_insns;
        for (int i = 0; i < out->n_progs; i++) {
            cc_program_t *pr = &out->progs[i];
            dlp_net_layer_t *d = &out->layers[i];
            d->name = add_string(&strs, pr->name);
            d->kind = add_string(&strs, pr->kind);
            d->prog_addr = pa;
            d->prog_insns = pr->n_insns;
            pa += 16 * pr->n_insns;
            if (pr->host_bytes) {
                d->prog_addr = pr->host_addr;
                d->host_bytes = pr->host_bytes;
                out->pkg.hdr.flags |= DLP_NET_FLAG_HOST_LAYERS;
            }
            d->output = (uint32_t)net->t[pr->out_tensor].pkg_index;
            d->n_inputs = (uint32_t)pr->n_in;
            for (int k = 0; k < pr->n_in; k++)
                d->inputs[k] = (uint32_t)net->t[pr->in_tensor[k]].pkg_index;
            d->macs = pr->macs;
            d->params = pr->params;
        }
    }
    out->strings = strs.s;
    out->image = image;
    image = NULL;
    memcpy(out->pkg.hdr.magic, DLP_NET_MAGIC, 4);
    out->pkg.hdr.version = DLP_NET_VERSION;
    out->pkg.hdr.isa_version = DLP_ISA_VERSION;
    out->pkg.hdr.n_tensors = (uint32_t)ntens;
    out->pkg.hdr.n_layers = (uint32_t)out->n_progs;
    out->pkg.hdr.strings_bytes = (uint32_t)strs.len;
    out->pkg.hdr.image_bytes = (uint32_t)image_len;
    out->pkg.hdr.image_addr = image_addr;
    out->pkg.cfg.rows = cfg->rows;
    out->pkg.cfg.cols = cfg->cols;
    out->pkg.cfg.vlanes = cfg->vlanes;
    out->pkg.cfg.nram_bytes = cfg->nram_bytes;
    out->pkg.cfg.wram_bytes = cfg->wram_bytes;
    out->pkg.cfg.acc_bytes = cfg->acc_bytes;
    out->pkg.cfg.imem_insns = cfg->imem_insns;
    out->pkg.cfg.beat_bytes = cfg->beat_bytes;
    out->pkg.tensors = out->tensors;
    out->pkg.layers = out->layers;
    out->pkg.strings = out->strings;
    out->pkg.image = out->image;
    rc = 0;
done:
    if (rc) {
        cc_output_free(out);
        free(strs.s);
    }
    free(image);
    free(p.pd);
    free(p.prog_of);
    return rc;
}

void cc_output_free(cc_output_t *out)
{
    for (int i = 0; i < out->n_progs; i++) {
        cc_program_t *pr = &out->progs[i];
        free(pr->name);
        free(pr->kind);
        free(pr->source);
        free(pr->listing);
        free(pr->plan);
        free(pr->words);
    }
    free(out->progs);
    free(out->tensors);
    free(out->layers);
    free(out->strings);
    free(out->image);
    memset(out, 0, sizeof *out);
}
