/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test harness for dlpcc (verif/cc/test_cc_*.cc).
 *
 *   Case c;  build_case(description, seed, &c)   parses the description, invents a TFLite-style
 *                                                quantization and random weights and inputs,
 *                                                hands the weights to the compiler as a weight
 *                                                file would, and computes every tensor with the
 *                                                independent int8 references (verif/ref), never
 *                                                with the compiler's or the C model's arithmetic
 *   compile_and_run(c, cfg, &report)             compiles for the configuration, runs each
 *                                                program of the package on the C model (a small
 *                                                in-process loader playing libdlp) and compares
 *                                                every tensor the package exposes, bit for bit
 */
#ifndef CC_HARNESS_H
#define CC_HARNESS_H

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cc.h"
#include "dlp.h"
#include "dlp_net.h"
#include "tflite_ref.h"

namespace cct {

/* ---- configurations ------------------------------------------------------------------------ */

struct Config {
    std::string name;
    dlp_config_t cfg;
};

inline dlp_config_t make_config(const char *preset, std::initializer_list<const char *> sets = {})
{
    dlp_config_t c;
    char msg[256];
    if (dlp_config_preset(&c, preset))
        ADD_FAILURE() << "unknown preset " << preset;
    for (const char *s : sets) {
        std::string kv(s);
        size_t eq = kv.find('=');
        if (dlp_config_set(&c, kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), msg,
                           sizeof msg))
            ADD_FAILURE() << msg;
    }
    c.dram_bytes = 16u << 20;
    c.max_cycles = 200000000;
    return c;
}

/* The configurations every layer test runs on: the shapes of the brief, tiny memories and
   exercise 7.7's machine. */
inline std::vector<Config> all_configs()
{
    return {
        {"default", make_config("default")},
        {"4x4", make_config("4x4")},
        {"8x16", make_config("8x16")},
        {"16x16-tiny", make_config("default", {"nram_kib=2", "wram_kib=2", "acc_kib=1"})},
        {"4x4-tiny", make_config("4x4", {"nram_kib=1", "wram_kib=1", "acc_kib=1"})},
        {"ex77", make_config("ex77")}, /* 64-byte DRAM beats, 1 MiB of accumulators */
    };
}

/* ---- a test case: network, quantization, weights, reference -------------------------------- */

struct LayerParams {
    std::vector<int8_t> w;      /* OHWI or [out][in] */
    std::vector<int32_t> bias;
    std::vector<float> wscale;
    std::vector<int8_t> table;  /* lut fn=table */
};

struct Case {
    cc_net_t net{};
    bool parsed = false;
    std::map<int, LayerParams> lp;
    std::vector<std::vector<int8_t>> ref; /* per tensor, dense NHWC */
    std::string desc;
    ~Case()
    {
        if (parsed)
            cc_net_free(&net);
    }
};

inline double unit(ref_rng_t *r)
{
    return (ref_rng_u32(r) + 0.5) / 4294967296.0;
}

/* TFLite's activation range of a fused ReLU/ReLU6 (float arithmetic as TFLite). */
inline void act_range(int act, float scale, int32_t zp, int32_t *lo, int32_t *hi)
{
    *lo = -128;
    *hi = 127;
    if (act >= 1)
        *lo = std::max(-128, zp);
    if (act == 2)
        *hi = std::min(127, zp + (int32_t)std::round(6.0f / scale));
}

/* Activation tables written independently of the compiler (TFLite's definitions). */
inline float fn_value(int fn, float x)
{
    switch (fn) {
    case CC_FN_SIGMOID: return 1.0f / (1.0f + std::exp(-x));
    case CC_FN_TANH: return std::tanh(x);
    case CC_FN_HARDSWISH: return x * std::min(6.0f, std::max(0.0f, x + 3)) / 6.0f;
    case CC_FN_SILU: return x / (1.0f + std::exp(-x));
    case CC_FN_ABS: return std::fabs(x);
    case CC_FN_NEG: return -x;
    case CC_FN_ELU: return x > 0 ? x : std::exp(x) - 1.0f;
    default: return x;
    }
}

inline void requant_relu_table(int act, float s_in, int32_t zp_in, float s_out, int32_t zp_out,
                               int8_t t[256])
{
    int32_t mult;
    int shift, lo, hi;
    ref_quantize_multiplier((double)(s_in / s_out), &mult, &shift);
    act_range(act, s_out, zp_out, &lo, &hi);
    for (int i = 0; i < 256; i++) {
        int32_t v = zp_out + ref_mbqm(i - 128 - zp_in, mult, shift);
        t[i] = (int8_t)std::min(hi, std::max(lo, v));
    }
}

inline void fn_table(int fn, float s_in, int32_t zp_in, float s_out, int32_t zp_out, int8_t t[256])
{
    float inv = 1.0f / s_out;
    for (int i = 0; i < 256; i++) {
        float x = s_in * (float)(i - 128 - zp_in);
        float q = std::round(fn_value(fn, x) * inv) + (float)zp_out;
        t[i] = (int8_t)std::min(127.0f, std::max(-128.0f, q));
    }
}

/*
 * Parses desc and builds quantization, weights, inputs and the reference outputs. Returns "" or
 * the reason it could not.
 */
std::string build_case(const std::string &desc, uint64_t seed, Case &c);

/* What a run gives back. */
struct RunReport {
    std::string error;      /* "" when compiled, ran and matched */
    uint64_t cycles = 0;
    uint64_t macs = 0;
    uint64_t mfu_busy = 0;
    int programs = 0;
    std::string plans;      /* each program's tiling line */
};

/* Compiles c for cfg, runs the package on the C model, compares every exposed tensor. */
RunReport compile_and_run(Case &c, const dlp_config_t &cfg);

/* Compile only; returns the compiler's message ("" on success). */
std::string compile_error(const std::string &desc, const std::string &weights_text,
                          const dlp_config_t &cfg);

} // namespace cct

#endif
