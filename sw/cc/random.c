/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random weights and quantization (dlpcc --random-weights SEED), and running a compiled package
 * on the C model (dlpcc --run): for measuring cycles and MAC utilisation of real network shapes
 * without trained weights. The values are plausible (TFLite-like scales that keep outputs spread
 * over the int8 range), not meaningful.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "cc_util.h"

typedef struct rng {
    uint64_t s;
} rng_t;

static uint32_t rnd(rng_t *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 0x2545F4914F6CDD1Dull) >> 32);
}

static double unit(rng_t *r)
{
    return (rnd(r) + 0.5) / 4294967296.0;
}

static int range(rng_t *r, int lo, int hi)
{
    return lo + (int)(rnd(r) % (uint32_t)(hi - lo + 1));
}

static void put_q(cc_wfile_t *wf, const char *t, float s, int32_t z)
{
    uint32_t one = 1;
    char name[600];
    snprintf(name, sizeof name, "%.500s.scale", t);
    cc_wfile_add(wf, name, CC_W_FLOAT32, 1, &one, &s);
    snprintf(name, sizeof name, "%.500s.zp", t);
    cc_wfile_add(wf, name, CC_W_INT32, 1, &one, &z);
}

int cc_random_weights(cc_net_t *net, uint64_t seed, char *err, size_t errlen)
{
    cc_wfile_t wf;
    rng_t r = {seed * 0x9E3779B97F4A7C15ull + 1};
    double *scale = cc_xcalloc(sizeof(double) * (size_t)net->nt);
    int rc;
    memset(&wf, 0, sizeof wf);
    for (int i = 0; i < net->nt; i++) {
        const cc_tensor_t *t = &net->t[i];
        const cc_layer_t *l = t->producer >= 0 ? &net->l[t->producer] : NULL;
        if (!l) {
            scale[i] = t->q_desc ? t->desc_scale : 0.01 + 0.04 * unit(&r);
            if (!t->q_desc && !t->q_file)
                put_q(&wf, t->name, (float)scale[i], range(&r, -40, 40));
            continue;
        }
        scale[i] = scale[l->in[0]];
        if (l->kind == CC_CONV || l->kind == CC_FC) {
            const cc_tensor_t *x = &net->t[l->in[0]];
            long k = l->kind == CC_CONV ? (long)l->kh * l->kw * (x->c / l->groups) : x->c;
            size_t nw = (size_t)l->cout * (size_t)k;
            int8_t *w = cc_xmalloc(nw);
            float *ws = cc_xmalloc(sizeof(float) * (size_t)l->cout);
            int32_t *b = cc_xmalloc(sizeof(int32_t) * (size_t)l->cout);
            char name[600];
            uint32_t d[4], n = (uint32_t)l->cout;
            double s_in = scale[l->in[0]];
            for (size_t j = 0; j < nw; j++)
                w[j] = (int8_t)range(&r, -127, 127);
            /* the output scale stays within a band (deep networks would otherwise multiply it
               away); the weight scales then make the accumulator of uniform int8 inputs and
               weights (std ~ sqrt(k) * 74 * 73) span ~45 output steps */
            scale[i] = s_in * (0.5 + unit(&r));
            if (scale[i] < 0.005 || scale[i] > 0.2)
                scale[i] = 0.01 + 0.04 * unit(&r);
            for (int c = 0; c < l->cout; c++)
                ws[c] = (float)(scale[i] * 45.0 / (s_in * sqrt((double)k) * 74.0 * 73.0) *
                                (0.5 + unit(&r)));
            for (int c = 0; c < l->cout; c++)
                b[c] = (int32_t)llround((2 * unit(&r) - 1) * 1.5 * scale[i] /
                                        (scale[l->in[0]] * ws[c]));
            if (l->kind == CC_CONV) {
                d[0] = n, d[1] = (uint32_t)l->kh, d[2] = (uint32_t)l->kw;
                d[3] = (uint32_t)(x->c / l->groups);
            } else {
                d[0] = n, d[1] = (uint32_t)x->c;
            }
            snprintf(name, sizeof name, "%.500s.weight", l->name);
            if (!l->got_weight)
                cc_wfile_add(&wf, name, CC_W_INT8, l->kind == CC_CONV ? 4 : 2, d, w);
            snprintf(name, sizeof name, "%.500s.weight_scale", l->name);
            if (!l->got_wscale)
                cc_wfile_add(&wf, name, CC_W_FLOAT32, 1, &n, ws);
            snprintf(name, sizeof name, "%.500s.bias", l->name);
            if ((l->has_bias || l->bn) && !l->got_bias)
                cc_wfile_add(&wf, name, CC_W_INT32, 1, &n, b);
            free(w);
            free(ws);
            free(b);
        } else if (l->kind == CC_ADD) {
            scale[i] = (scale[l->in[0]] + scale[l->in[1]]) * (0.4 + 0.3 * unit(&r));
        } else if (l->kind == CC_LUT && l->fn == CC_FN_TABLE && !l->got_table) {
            int8_t tab[256];
            uint32_t n = 256;
            char name[600];
            for (int j = 0; j < 256; j++)
                tab[j] = (int8_t)range(&r, -128, 127);
            snprintf(name, sizeof name, "%.500s.table", l->name);
            cc_wfile_add(&wf, name, CC_W_INT8, 1, &n, tab);
        }
        if ((l->kind == CC_CONV || l->kind == CC_FC || l->kind == CC_ADD) && !t->q_desc &&
            !t->q_file)
            put_q(&wf, t->name, (float)scale[i], range(&r, -30, 30));
    }
    free(scale);
    rc = cc_apply_weights(net, &wf, "--random-weights", err, errlen);
    cc_wfile_free(&wf);
    return rc;
}

int cc_run_model(const cc_output_t *out, const dlp_config_t *cfg, uint64_t seed, FILE *report,
                 char *err, size_t errlen)
{
    const dlp_net_t *pkg = &out->pkg;
    dlp_config_t mc = *cfg;
    dlp_t *m;
    rng_t r = {seed * 0x9E3779B97F4A7C15ull + 7};
    uint64_t total_cycles = 0, total_macs = 0;
    double peak = (double)cfg->rows * cfg->cols;
    uint64_t need = (uint64_t)pkg->hdr.dram_base + pkg->hdr.dram_bytes;
    if (mc.dram_bytes < need)
        mc.dram_bytes = (need + 4095) / 4096 * 4096;
    m = dlp_create(&mc, err, errlen);
    if (!m)
        return -1;
    dlp_dram_write(m, pkg->hdr.image_addr, pkg->image, pkg->hdr.image_bytes);
    dlp_set_window(m, pkg->hdr.dram_base, need);
    for (uint32_t i = 0; i < pkg->hdr.n_tensors; i++) {
        const dlp_net_tensor_t *t = &pkg->tensors[i];
        if (t->role == DLP_NET_INPUT) {
            uint8_t *buf = cc_xmalloc(t->bytes);
            for (uint32_t k = 0; k < t->bytes; k++)
                buf[k] = (uint8_t)rnd(&r);
            dlp_dram_write(m, t->addr, buf, t->bytes);
            free(buf);
        }
    }
    fprintf(report, "%-32s %12s %14s %8s  %s\n", "program", "cycles", "MACs", "util",
            "DRAM bytes (rd/wr)");
    for (uint32_t i = 0; i < pkg->hdr.n_layers; i++) {
        const dlp_net_layer_t *l = &pkg->layers[i];
        dlp_result_t res;
        if (dlp_net_is_host(pkg, i)) {
            /* computed here from the (dense) input tensor in the model's DRAM */
            const dlp_net_tensor_t *x = &pkg->tensors[l->inputs[0]], *y = &pkg->tensors[l->output];
            int8_t *xb = cc_xmalloc(x->bytes), *yb = cc_xmalloc(y->bytes);
            char why[512] = "DRAM access outside the model's memory";
            int bad = dlp_dram_read(m, x->addr, xb, x->bytes) ||
                      dlp_net_host_run(pkg, i, xb, x->bytes, yb, y->bytes, why, sizeof why) ||
                      dlp_dram_write(m, y->addr, yb, y->bytes);
            free(xb);
            free(yb);
            if (bad) {
                cc_fail(err, errlen, "host layer %s: %s", dlp_net_str(pkg, l->name), why);
                dlp_destroy(m);
                return -1;
            }
            total_macs += l->macs;
            fprintf(report, "%-32s %12s %14llu %8s  (on the host)\n", dlp_net_str(pkg, l->name),
                    "-", (unsigned long long)l->macs, "-");
            continue;
        }
        dlp_run(m, l->prog_addr, l->prog_insns, &res);
        if (res.status != DLP_DONE) {
            cc_fail(err, errlen, "program %s stopped with cause %d at instruction %u: %s",
                    dlp_net_str(pkg, l->name), res.cause, res.err_pc, res.message);
            dlp_destroy(m);
            return -1;
        }
        total_cycles += res.counters.cycles;
        total_macs += l->macs;
        /* the layer's MACs (as --summary counts them), not the array's: a grouped convolution
           also multiplies the zeros between its groups */
        fprintf(report, "%-32s %12llu %14llu %7.1f%%  %llu/%llu\n", dlp_net_str(pkg, l->name),
                (unsigned long long)res.counters.cycles, (unsigned long long)l->macs,
                100.0 * (double)l->macs / ((double)res.counters.cycles * peak),
                (unsigned long long)res.counters.dram_rd_bytes,
                (unsigned long long)res.counters.dram_wr_bytes);
    }
    fprintf(report, "%-32s %12llu %14llu %7.1f%%  (%ux%u array, %.0f MHz: %.3f ms)\n", "total",
            (unsigned long long)total_cycles, (unsigned long long)total_macs,
            100.0 * (double)total_macs / ((double)total_cycles * peak), cfg->rows, cfg->cols,
            cfg->clock_mhz, (double)total_cycles / (cfg->clock_mhz * 1000.0));
    dlp_destroy(m);
    return 0;
}
