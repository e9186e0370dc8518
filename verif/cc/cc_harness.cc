// SPDX-License-Identifier: Apache-2.0
/* dlpcc test harness: see cc_harness.h. */
#include "cc_harness.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace cct {

static void put_q(cc_wfile_t *wf, const char *tname, float scale, int32_t zp)
{
    uint32_t one = 1;
    std::string s = std::string(tname) + ".scale", z = std::string(tname) + ".zp";
    cc_wfile_add(wf, s.c_str(), CC_W_FLOAT32, 1, &one, &scale);
    cc_wfile_add(wf, z.c_str(), CC_W_INT32, 1, &one, &zp);
}

std::string build_case(const std::string &desc, uint64_t seed, Case &c)
{
    char err[2048];
    ref_rng_t rng;
    cc_wfile_t wf{};
    cc_net_t &net = c.net;
    ref_rng_seed(&rng, seed);
    c.desc = desc;
    if (cc_parse_string(desc.c_str(), "test.net", &net, err, sizeof err))
        return err;
    c.parsed = true;
    c.ref.assign((size_t)net.nt, {});
    std::vector<float> scale((size_t)net.nt);
    std::vector<int32_t> zp((size_t)net.nt);

    /* inputs */
    for (int i = 0; i < net.nt; i++) {
        cc_tensor_t *t = &net.t[i];
        if (!t->is_input)
            continue;
        scale[i] = (float)(0.01 + 0.04 * unit(&rng));
        zp[i] = ref_rng_range(&rng, -40, 40);
        put_q(&wf, t->name, scale[i], zp[i]);
        c.ref[i].resize(cc_tensor_elems(t));
        for (auto &v : c.ref[i])
            v = (int8_t)ref_rng_range(&rng, -128, 127);
    }

    for (int li = 0; li < net.nl; li++) {
        const cc_layer_t *l = &net.l[li];
        const cc_tensor_t *x = &net.t[l->in[0]], *y = &net.t[l->out];
        int xi = l->in[0], yi = l->out;
        const std::vector<int8_t> &in = c.ref[xi];
        std::vector<int8_t> &out = c.ref[yi];
        out.assign(cc_tensor_elems(y), 0);
        switch (l->kind) {
        case CC_CONV:
        case CC_FC: {
            LayerParams &p = c.lp[li];
            int k = l->kind == CC_CONV ? l->kh * l->kw * (x->c / l->groups) : x->c;
            double mean_w = 0;
            p.w.resize((size_t)l->cout * k);
            for (auto &v : p.w)
                v = (int8_t)ref_rng_range(&rng, -127, 127);
            p.wscale.resize((size_t)l->cout);
            for (auto &s : p.wscale) {
                s = (float)(0.002 + 0.018 * unit(&rng));
                mean_w += s / l->cout;
            }
            scale[yi] = (float)(scale[xi] * mean_w * std::sqrt((double)k) * 74.0 * 73.0 / 45.0);
            zp[yi] = ref_rng_range(&rng, -30, 30);
            p.bias.resize((size_t)l->cout);
            for (int o = 0; o < l->cout; o++) {
                double span = 1.5 * scale[yi] / ((double)scale[xi] * p.wscale[o]);
                p.bias[o] = (int32_t)std::llround((2 * unit(&rng) - 1) * span);
            }
            std::vector<int32_t> mult((size_t)l->cout), shift((size_t)l->cout);
            for (int o = 0; o < l->cout; o++) {
                int sh;
                ref_quantize_multiplier((double)scale[xi] * (double)p.wscale[o] / (double)scale[yi],
                                        &mult[o], &sh);
                shift[o] = sh;
            }
            ref_requant_t rq;
            rq.bias = (l->has_bias || l->bn) ? p.bias.data() : nullptr;
            rq.mult = mult.data();
            rq.shift = shift.data();
            rq.in_zp = zp[xi];
            rq.out_zp = zp[yi];
            act_range(l->act, scale[yi], zp[yi], &rq.act_min, &rq.act_max);
            if (l->kind == CC_CONV) {
                ref_conv_t g{x->n, x->h, x->w, x->c, l->cout, l->kh, l->kw, l->sh, l->sw,
                             l->pt, l->pl, l->pb, l->pr, l->groups};
                if (ref_conv_oh(&g) != y->h || ref_conv_ow(&g) != y->w)
                    return "shape mismatch between the parser and the reference for " +
                           std::string(l->name);
                ref_conv2d(&g, in.data(), p.w.data(), &rq, out.data());
                uint32_t d[4] = {(uint32_t)l->cout, (uint32_t)l->kh, (uint32_t)l->kw,
                                 (uint32_t)(x->c / l->groups)};
                cc_wfile_add(&wf, (std::string(l->name) + ".weight").c_str(), CC_W_INT8, 4, d,
                             p.w.data());
            } else {
                ref_fc(x->n, x->c, l->cout, in.data(), p.w.data(), &rq, out.data());
                uint32_t d[2] = {(uint32_t)l->cout, (uint32_t)x->c};
                cc_wfile_add(&wf, (std::string(l->name) + ".weight").c_str(), CC_W_INT8, 2, d,
                             p.w.data());
            }
            uint32_t n = (uint32_t)l->cout;
            if (l->has_bias || l->bn)
                cc_wfile_add(&wf, (std::string(l->name) + ".bias").c_str(), CC_W_INT32, 1, &n,
                             p.bias.data());
            cc_wfile_add(&wf, (std::string(l->name) + ".weight_scale").c_str(), CC_W_FLOAT32, 1,
                         &n, p.wscale.data());
            put_q(&wf, y->name, scale[yi], zp[yi]);
            break;
        }
        case CC_MAXPOOL:
        case CC_AVGPOOL:
        case CC_ADAPTIVE_AVGPOOL: {
            ref_pool_t g{x->n, x->h, x->w, x->c, l->kh, l->kw, l->sh, l->sw, l->pt, l->pl,
                         y->h, y->w, -128, 127};
            scale[yi] = scale[xi];
            zp[yi] = zp[xi];
            if (l->kind == CC_MAXPOOL)
                ref_maxpool(&g, in.data(), out.data());
            else
                ref_avgpool(&g, in.data(), out.data());
            break;
        }
        case CC_ADD: {
            int bi = l->in[1];
            ref_add_t p;
            int32_t lo, hi;
            scale[yi] = (float)((scale[xi] + scale[bi]) * (0.7 + 0.6 * unit(&rng)));
            zp[yi] = ref_rng_range(&rng, -30, 30);
            act_range(l->act, scale[yi], zp[yi], &lo, &hi);
            ref_add_prepare(scale[xi], zp[xi], scale[bi], zp[bi], scale[yi], zp[yi], lo, hi, &p);
            ref_add((int)out.size(), in.data(), c.ref[bi].data(), &p, out.data());
            put_q(&wf, y->name, scale[yi], zp[yi]);
            break;
        }
        case CC_RELU:
        case CC_RELU6:
        case CC_LUT: {
            int8_t tab[256];
            int fn = l->fn;
            if (l->kind != CC_LUT || fn == CC_FN_RELU || fn == CC_FN_RELU6) {
                int act = (l->kind == CC_RELU || fn == CC_FN_RELU) ? 1 : 2;
                bool same = l->kind != CC_LUT && ref_rng_range(&rng, 0, 1);
                scale[yi] = same ? scale[xi] : (float)(scale[xi] * (0.5 + unit(&rng)));
                zp[yi] = same ? zp[xi] : ref_rng_range(&rng, -128, 20);
                requant_relu_table(act, scale[xi], zp[xi], scale[yi], zp[yi], tab);
            } else if (fn == CC_FN_TABLE) {
                LayerParams &p = c.lp[li];
                p.table.resize(256);
                for (auto &v : p.table)
                    v = (int8_t)ref_rng_range(&rng, -128, 127);
                memcpy(tab, p.table.data(), 256);
                uint32_t n = 256;
                cc_wfile_add(&wf, (std::string(l->name) + ".table").c_str(), CC_W_INT8, 1, &n,
                             tab);
                scale[yi] = scale[xi];
                zp[yi] = zp[xi];
            } else {
                if (fn == CC_FN_SIGMOID) {
                    scale[yi] = 1.0f / 256;
                    zp[yi] = -128;
                } else if (fn == CC_FN_TANH) {
                    scale[yi] = 1.0f / 128;
                    zp[yi] = 0;
                } else {
                    scale[yi] = (float)(scale[xi] * (0.5 + unit(&rng)));
                    zp[yi] = ref_rng_range(&rng, -40, 40);
                }
                fn_table(fn, scale[xi], zp[xi], scale[yi], zp[yi], tab);
            }
            ref_lut((int)out.size(), in.data(), tab, out.data());
            put_q(&wf, y->name, scale[yi], zp[yi]);
            break;
        }
        case CC_FLATTEN:
        case CC_RESHAPE:
            scale[yi] = scale[xi];
            zp[yi] = zp[xi];
            out = in;
            break;
        default:
            return "unexpected layer kind";
        }
    }
    int rc = cc_apply_weights(&net, &wf, "test.dlpw", err, sizeof err);
    cc_wfile_free(&wf);
    if (rc)
        return err;
    return "";
}

/* Reads a tensor of the package from the machine (strides for bordered tensors). */
static std::vector<int8_t> read_tensor(dlp_t *m, const dlp_net_tensor_t &t)
{
    uint32_t n = t.dims[0], h = t.ndims == 4 ? t.dims[1] : 1, w = t.ndims == 4 ? t.dims[2] : 1;
    uint32_t ch = t.ndims == 4 ? t.dims[3] : t.dims[1];
    uint32_t rs = t.row_stride ? t.row_stride : w * ch;
    uint32_t is = t.img_stride ? t.img_stride : h * rs;
    std::vector<int8_t> v((size_t)n * h * w * ch);
    for (uint32_t b = 0; b < n; b++)
        for (uint32_t y = 0; y < h; y++)
            dlp_dram_read(m, t.addr + (uint64_t)b * is + (uint64_t)y * rs,
                          v.data() + ((size_t)b * h + y) * w * ch, (size_t)w * ch);
    return v;
}

RunReport compile_and_run(Case &c, const dlp_config_t &cfg)
{
    RunReport rep;
    cc_output_t out;
    cc_options_t opt{};
    char err[2048];
    const char *dump = getenv("CC_LISTING"); /* debugging: write each program's assembly here */
    opt.listing = dump != nullptr;
    if (cc_compile(&c.net, &cfg, &opt, &out, err, sizeof err)) {
        rep.error = std::string("compile: ") + err;
        return rep;
    }
    if (dump)
        for (int i = 0; i < out.n_progs; i++) {
            std::string path = std::string(dump) + "/" + std::to_string(i) + "_" +
                               out.progs[i].name + ".s";
            FILE *f = fopen(path.c_str(), "w");
            if (f) {
                fputs(out.progs[i].source, f);
                fclose(f);
            }
        }
    const dlp_net_t &pkg = out.pkg;
    rep.programs = (int)pkg.hdr.n_layers;
    for (int i = 0; i < out.n_progs; i++)
        rep.plans += std::string(out.progs[i].name) + ": " + out.progs[i].plan + "\n";
    dlp_config_t mc = cfg;
    uint64_t need = (uint64_t)pkg.hdr.dram_base + pkg.hdr.dram_bytes;
    mc.dram_bytes = std::max<uint64_t>(need, 1 << 20);
    mc.dram_bytes = (mc.dram_bytes + 4095) / 4096 * 4096;
    dlp_t *m = dlp_create(&mc, err, sizeof err);
    if (!m) {
        rep.error = std::string("dlp_create: ") + err;
        cc_output_free(&out);
        return rep;
    }
    dlp_dram_write(m, pkg.hdr.image_addr, pkg.image, pkg.hdr.image_bytes);
    dlp_set_window(m, pkg.hdr.dram_base, (uint64_t)pkg.hdr.dram_base + pkg.hdr.dram_bytes);
    /* inputs by name */
    for (uint32_t i = 0; i < pkg.hdr.n_tensors; i++) {
        const dlp_net_tensor_t &t = pkg.tensors[i];
        if (t.role != DLP_NET_INPUT)
            continue;
        int ti = cc_find_tensor(&c.net, dlp_net_str(&pkg, t.name));
        if (ti < 0 || c.ref[ti].size() != t.bytes) {
            rep.error = std::string("input tensor mismatch: ") + dlp_net_str(&pkg, t.name);
            break;
        }
        dlp_dram_write(m, t.addr, c.ref[ti].data(), t.bytes);
    }
    for (uint32_t i = 0; rep.error.empty() && i < pkg.hdr.n_layers; i++) {
        const dlp_net_layer_t &l = pkg.layers[i];
        dlp_result_t r;
        dlp_run(m, l.prog_addr, l.prog_insns, &r);
        rep.cycles += r.counters.cycles;
        rep.macs += r.counters.macs;
        rep.mfu_busy += r.counters.busy_mfu;
        if (r.status != DLP_DONE) {
            std::ostringstream o;
            o << "program " << i << " (" << dlp_net_str(&pkg, l.name) << ") stopped: cause "
              << r.cause << " at pc " << r.err_pc << ": " << r.message;
            rep.error = o.str();
        } else if (!r.race.checked || r.race.races) {
            /* the token protocol: the model's race check (docs/isa.md "Dependency tokens") */
            char msg[512] = "the race check did not run";
            if (r.race.races)
                dlp_race_format(&r.race.first, msg, sizeof msg);
            std::ostringstream o;
            o << "program " << i << " (" << dlp_net_str(&pkg, l.name) << "): " << r.race.races
              << " race(s): " << msg;
            rep.error = o.str();
        }
    }
    /* every tensor the package exposes that the reference knows */
    for (uint32_t i = 0; rep.error.empty() && i < pkg.hdr.n_tensors; i++) {
        const dlp_net_tensor_t &t = pkg.tensors[i];
        std::string name = dlp_net_str(&pkg, t.name);
        std::string base = name;
        if (base.size() > 7 && base.substr(base.size() - 7) == ".padded")
            base = base.substr(0, base.size() - 7);
        int ti = cc_find_tensor(&c.net, base.c_str());
        if (ti < 0 || c.ref[ti].empty())
            continue;
        std::vector<int8_t> got = read_tensor(m, t);
        const std::vector<int8_t> &exp = c.ref[ti];
        if (got.size() != exp.size()) {
            rep.error = "tensor " + name + ": size differs";
            break;
        }
        size_t bad = 0, first = 0;
        for (size_t k = 0; k < got.size(); k++)
            if (got[k] != exp[k] && !bad++)
                first = k;
        if (bad) {
            std::ostringstream o;
            o << "tensor " << name << ": " << bad << " of " << got.size()
              << " bytes differ, first at element " << first << ": expected " << (int)exp[first]
              << ", got " << (int)got[first];
            rep.error = o.str();
        }
    }
    dlp_destroy(m);
    cc_output_free(&out);
    return rep;
}

std::string compile_error(const std::string &desc, const std::string &weights_text,
                          const dlp_config_t &cfg)
{
    cc_net_t net;
    cc_wfile_t wf;
    cc_output_t out;
    cc_options_t opt{};
    char err[2048];
    if (cc_parse_string(desc.c_str(), "test.net", &net, err, sizeof err))
        return err;
    if (!weights_text.empty()) {
        if (cc_wfile_parse((const uint8_t *)weights_text.data(), weights_text.size(), "test.dlpw",
                           &wf, err, sizeof err)) {
            cc_net_free(&net);
            return err;
        }
        int rc = cc_apply_weights(&net, &wf, "test.dlpw", err, sizeof err);
        cc_wfile_free(&wf);
        if (rc) {
            cc_net_free(&net);
            return err;
        }
    }
    if (cc_compile(&net, &cfg, &opt, &out, err, sizeof err)) {
        cc_net_free(&net);
        return err;
    }
    cc_output_free(&out);
    cc_net_free(&net);
    return "";
}

} // namespace cct
