// SPDX-License-Identifier: Apache-2.0
// The functional model's fast paths (cmodel/src/kernels.c) against the definitions: mm against
// a plain loop written here (int64 sums, then the wrap to int32), vrq against dlp_requant
// element by element -- with extreme parameters (INT32_MIN multipliers, shifts beyond +-31,
// full-range accumulators and biases), odd sizes and strides, for the portable kernels and for
// the vector ones where the host has them.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

extern "C" {
#include "../../cmodel/src/internal.h"
#include "dlp_numerics.h"
#include "tflite_ref.h"
}

namespace {

void check_mm(int portable)
{
    ref_rng_t r;
    ref_rng_seed(&r, 71 + portable);
    for (int t = 0; t < 300; t++) {
        uint64_t k = (uint64_t)ref_rng_range(&r, 1, t < 50 ? 9 : 300);
        uint64_t n = (uint64_t)ref_rng_range(&r, 1, 40), m0 = (uint64_t)ref_rng_range(&r, 1, 9);
        uint64_t m1 = (uint64_t)ref_rng_range(&r, 1, 3);
        uint64_t s0 = k + (uint64_t)ref_rng_range(&r, 0, 5), s1 = m0 * s0 + 3;
        uint64_t ws = n + (uint64_t)ref_rng_range(&r, 0, 4);
        uint64_t as = n + (uint64_t)ref_rng_range(&r, 0, 3);
        std::vector<int8_t> x(m1 * s1 + 8), w(k * ws + 8);
        std::vector<int32_t> acc(m0 * m1 * as + 8), want;
        int extreme = ref_rng_range(&r, 0, 3) == 0; // all -128: the largest pair sums
        for (auto &v : x)
            v = extreme ? (int8_t)-128 : (int8_t)ref_rng_range(&r, -128, 127);
        for (auto &v : w)
            v = extreme ? (int8_t)-128 : (int8_t)ref_rng_range(&r, -128, 127);
        for (auto &v : acc)
            v = (int32_t)ref_rng_u32(&r);
        int accum = ref_rng_range(&r, 0, 1);
        want = acc;
        for (uint64_t j = 0; j < m1; j++)
            for (uint64_t i = 0; i < m0; i++)
                for (uint64_t c = 0; c < n; c++) {
                    int64_t s = 0;
                    for (uint64_t kk = 0; kk < k; kk++)
                        s += (int64_t)x[i * s0 + j * s1 + kk] * w[kk * ws + c];
                    int32_t *o = &want[(j * m0 + i) * as + c];
                    *o = (int32_t)(uint32_t)((accum ? (uint64_t)(uint32_t)*o : 0) + (uint64_t)s);
                }
        dlp_mm_args_t a;
        a.x = x.data();
        a.w = w.data();
        a.acc = acc.data();
        a.s0 = s0;
        a.s1 = s1;
        a.m0 = m0;
        a.m1 = m1;
        a.k = k;
        a.n = n;
        a.ws = ws;
        a.as = as;
        a.accum = accum;
        dlp_mm_compute(&a);
        ASSERT_EQ(want, acc) << "case " << t << ": k " << k << " n " << n << " rows " << m0 * m1;
    }
}

void check_vrq(int portable)
{
    ref_rng_t r;
    ref_rng_seed(&r, 93 + portable);
    for (int t = 0; t < 400; t++) {
        uint64_t rows = (uint64_t)ref_rng_range(&r, 1, 4), cols = (uint64_t)ref_rng_range(&r, 1, 70);
        uint64_t sa = cols + (uint64_t)ref_rng_range(&r, 0, 3);
        uint64_t sd = cols + (uint64_t)ref_rng_range(&r, 0, 3);
        std::vector<int32_t> acc(rows * sa);
        std::vector<uint8_t> prm(12 * cols);
        std::vector<int8_t> dst(rows * sd, 0), want;
        // most columns realistic (results near the int8 range, where a rounding difference
        // shows), some extreme (saturation, INT32_MIN, shifts beyond +-31)
        std::vector<int> realistic(cols);
        for (uint64_t c = 0; c < cols; c++) {
            int kind = ref_rng_range(&r, 0, 9);
            realistic[c] = kind >= 3;
            int32_t bias = ref_rng_range(&r, 0, 3) ? ref_rng_range(&r, -100000, 100000)
                                                   : (int32_t)ref_rng_u32(&r);
            int32_t mult = kind == 0 ? INT32_MIN : kind == 1 ? 0 : kind == 2 ? (int32_t)ref_rng_u32(&r)
                                                                              : ref_rng_range(&r, 1 << 30, INT32_MAX);
            int32_t shift = kind == 2 ? ref_rng_range(&r, -40, 40) : ref_rng_range(&r, -24, 3);
            if (realistic[c])
                bias = ref_rng_range(&r, -1000, 1000);
            dlp_wr32(&prm[12 * c], (uint32_t)bias);
            dlp_wr32(&prm[12 * c + 4], (uint32_t)mult);
            dlp_wr32(&prm[12 * c + 8], (uint32_t)shift);
        }
        for (uint64_t rr = 0; rr < rows; rr++)
            for (uint64_t c = 0; c < cols; c++) {
                int32_t &v = acc[rr * sa + c];
                int32_t mult = (int32_t)dlp_rd32(&prm[12 * c + 4]);
                int32_t shift = (int32_t)dlp_rd32(&prm[12 * c + 8]);
                if (realistic[c]) {
                    // acc whose requantized value is about y (before the zero point)
                    double y = ref_rng_range(&r, -300, 300) + ref_rng_range(&r, 0, 1000) / 1000.0;
                    double a = y / ((double)mult / 2147483648.0) / ldexp(1.0, shift);
                    v = a > 2e9 ? 2000000000 : a < -2e9 ? -2000000000 : (int32_t)a;
                    v += ref_rng_range(&r, -3, 3);
                } else {
                    int kind = ref_rng_range(&r, 0, 3);
                    v = kind == 0 ? INT32_MIN : kind == 1 ? INT32_MAX : (int32_t)ref_rng_u32(&r);
                }
            }
        int32_t zp = ref_rng_range(&r, -128, 127), lo = ref_rng_range(&r, -128, 127);
        int32_t hi = ref_rng_range(&r, lo, 127);
        want = dst;
        for (uint64_t rr = 0; rr < rows; rr++)
            for (uint64_t c = 0; c < cols; c++)
                want[rr * sd + c] = dlp_requant(acc[rr * sa + c], (int32_t)dlp_rd32(&prm[12 * c]),
                                                (int32_t)dlp_rd32(&prm[12 * c + 4]),
                                                (int32_t)dlp_rd32(&prm[12 * c + 8]), zp, lo, hi);
        dlp_vrq_args_t a;
        a.dst = dst.data();
        a.acc = acc.data();
        a.prm = prm.data();
        a.rows = rows;
        a.cols = cols;
        a.sd = sd;
        a.sa = sa;
        a.zp = zp;
        a.lo = lo;
        a.hi = hi;
        dlp_vrq_compute(&a);
        ASSERT_EQ(want, dst) << "case " << t << ": " << rows << " x " << cols;
    }
}

} // namespace

TEST(ModelKernels, PortableMmAndVrq)
{
    dlp_kernels_select(1);
    check_mm(1);
    check_vrq(1);
    dlp_kernels_select(0);
}

TEST(ModelKernels, FastMmAndVrq)
{
    if (!dlp_kernels_select(0))
        GTEST_SKIP() << "no vector kernels on this host";
    check_mm(0);
    check_vrq(0);
}
