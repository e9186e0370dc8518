// SPDX-License-Identifier: Apache-2.0
/*
 * mm on the C model: shapes that are not multiples of the array and larger than it, row groups
 * (m1 > 1) with strides, accumulate vs overwrite, int32 wrap-around, several array shapes.
 * Expected accumulators come from the loop in docs/isa.md.
 */
#include "model_util.h"

using namespace dlpt;

namespace {

/* docs/isa.md: for j < m1, i < m0, n < N, with m = j*m0 + i:
     ACC[acc + m*as + n] = (accum ? ACC[...] : 0) + sum_k NRAM[in + i*s0 + j*s1 + k] * WRAM[w + k*ws + n]
   int8 operands, sums modulo 2^32 (done in uint32). */
void ref_mm(Snapshot &s, const MmOp &o)
{
    for (uint64_t j = 0; j < o.m1; j++)
        for (uint64_t i = 0; i < o.m0; i++)
            for (uint64_t n = 0; n < o.n; n++) {
                uint64_t idx = o.acc + (j * o.m0 + i) * o.as + n;
                uint32_t sum = o.accum ? (uint32_t)s.acc.at(idx) : 0u;
                for (uint64_t k = 0; k < o.k; k++) {
                    int32_t x = (int8_t)s.nram.at(o.in + i * o.s0 + j * o.s1 + k);
                    int32_t w = (int8_t)s.wram.at(o.w + k * o.ws + n);
                    sum += (uint32_t)(x * w);
                }
                s.acc.at(idx) = (int32_t)sum;
            }
}

std::string describe(const MmOp &o)
{
    char b[300];
    snprintf(b, sizeof b,
             "mm acc=%u in=0x%x w=0x%x s0=%u s1=%u ws=%u as=%u m0=%u m1=%u k=%u n=%u accum=%d",
             o.acc, o.in, o.w, o.s0, o.s1, o.ws, o.as, o.m0, o.m1, o.k, o.n, o.accum);
    return b;
}

void fill_random(Machine &mc, Rng &g)
{
    for (int sp : {DLP_MEM_NRAM, DLP_MEM_WRAM, DLP_MEM_ACC}) {
        uint64_t len;
        uint8_t *p = mc.mem(sp, &len);
        g.fill(p, len);
    }
}

MmOp random_mm(Rng &g, const dlp_config_t &c)
{
    for (;;) {
        MmOp o;
        o.m0 = (uint32_t)(g.chance(15) ? g.range(40, 150) : g.range(1, 40));
        o.m1 = (uint32_t)(g.chance(40) ? g.range(2, 4) : 1);
        o.k = (uint32_t)(g.chance(15) ? g.range(60, 300) : g.range(1, 60));
        o.n = (uint32_t)(g.chance(15) ? g.range(40, 140) : g.range(1, 40));
        o.accum = (int)g.range(0, 1);
        /* input rows usually packed with a gap; sometimes overlapping or all the same row */
        o.s0 = g.chance(10) ? 0 : g.chance(10) ? (uint32_t)g.range(1, o.k) : o.k + (uint32_t)g.range(0, 7);
        o.s1 = g.chance(10) ? (uint32_t)g.range(0, 50) : o.m0 * o.s0 + (uint32_t)g.range(0, 31);
        o.ws = g.chance(10) ? (uint32_t)g.range(0, o.n) : o.n + (uint32_t)g.range(0, 9);
        o.as = o.n + (uint32_t)g.range(0, 5);
        uint64_t in_span = (uint64_t)(o.m1 - 1) * o.s1 + (uint64_t)(o.m0 - 1) * o.s0 + o.k;
        uint64_t w_span = (uint64_t)(o.k - 1) * o.ws + o.n;
        uint64_t a_span = (uint64_t)(o.m0 * o.m1 - 1) * o.as + o.n;
        if (in_span > c.nram_bytes || w_span > c.wram_bytes || a_span > c.acc_bytes / 4)
            continue;
        o.in = (uint32_t)g.range(0, (int64_t)(c.nram_bytes - in_span));
        o.w = (uint32_t)g.range(0, (int64_t)(c.wram_bytes - w_span));
        o.acc = (uint32_t)g.range(0, (int64_t)(c.acc_bytes / 4 - a_span));
        return o;
    }
}

struct Shape {
    uint32_t rows, cols;
};

} // namespace

class ModelMmShapes : public ::testing::TestWithParam<Shape> {};

TEST_P(ModelMmShapes, RandomAgainstReference)
{
    Shape sh = GetParam();
    dlp_config_t c = test_config();
    c.rows = sh.rows, c.cols = sh.cols;
    Machine mc(c);
    ASSERT_NE(nullptr, mc.m) << mc.create_msg;
    const uint64_t seed = 0x3300000 + sh.rows * 1000 + sh.cols;
    Rng g(seed);
    fill_random(mc, g);
    uint64_t macs = 0;
    for (int i = 0; i < 12; i++) {
        MmOp o = random_mm(g, c);
        Prog p;
        p.mm_vals(o);
        p.halt();
        std::vector<uint8_t> b = p.bytes();
        ASSERT_EQ(0, dlp_dram_write(mc.m, 0, b.data(), b.size()));
        Snapshot exp = Snapshot::of(mc);
        ref_mm(exp, o);
        dlp_result_t r = mc.run(p);
        ASSERT_DONE(r) << "seed " << seed << " case " << i << ": " << describe(o);
        SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(i) + ": " +
                     describe(o));
        expect_memories(exp, mc);
        EXPECT_EQ((uint64_t)o.m0 * o.m1 * o.k * o.n, r.counters.macs);
        macs += r.counters.macs;
        if (::testing::Test::HasFailure())
            return;
    }
}

std::string shape_name(const ::testing::TestParamInfo<Shape> &i)
{
    return std::to_string(i.param.rows) + "x" + std::to_string(i.param.cols);
}

INSTANTIATE_TEST_SUITE_P(ModelMm, ModelMmShapes,
                         ::testing::Values(Shape{16, 16}, Shape{4, 4}, Shape{8, 16}, Shape{16, 8},
                                           Shape{3, 5}, Shape{1, 1}, Shape{32, 32},
                                           Shape{64, 64}, Shape{64, 1}, Shape{1, 64}),
                         shape_name);

/* Overwrite vs accumulate, by hand: 2x3 times 3x2. */
TEST(ModelMm, AccumulateVersusOverwriteByHand)
{
    Machine mc;
    const int8_t x[6] = {1, 2, 3, -4, 5, -6};   /* rows {1,2,3}, {-4,5,-6} at NRAM 0x10 */
    const int8_t w[6] = {7, -8, 9, 10, -11, 12}; /* rows k: {7,-8}, {9,10}, {-11,12} at WRAM 0x20 */
    std::memcpy(mc.nram() + 0x10, x, 6);
    std::memcpy(mc.wram() + 0x20, w, 6);
    int32_t *acc = mc.acc();
    for (int i = 0; i < 8; i++)
        acc[100 + i] = 1000 + i;
    /* row 0: 1*7 + 2*9 + 3*-11 = -8;  1*-8 + 2*10 + 3*12 = 48
       row 1: -4*7 + 5*9 + -6*-11 = 83;  -4*-8 + 5*10 + -6*12 = 10 */
    MmOp o;
    o.acc = 100, o.in = 0x10, o.w = 0x20, o.s0 = 3, o.ws = 2, o.as = 3, o.m0 = 2, o.k = 3, o.n = 2;
    Prog p;
    p.mm_vals(o);
    p.halt();
    ASSERT_DONE(mc.run(p));
    EXPECT_EQ(-8, acc[100]);
    EXPECT_EQ(48, acc[101]);
    EXPECT_EQ(1002, acc[102]); /* the gap column of as = 3 is untouched */
    EXPECT_EQ(83, acc[103]);
    EXPECT_EQ(10, acc[104]);
    EXPECT_EQ(1005, acc[105]);
    /* accumulate: the same product added again */
    Prog q;
    o.accum = 1;
    q.mm_vals(o);
    q.halt();
    ASSERT_DONE(mc.run(q));
    EXPECT_EQ(-16, acc[100]);
    EXPECT_EQ(96, acc[101]);
    EXPECT_EQ(166, acc[103]);
    EXPECT_EQ(20, acc[104]);
}

/* m1 row groups with their own stride, by hand: m0 = 1, m1 = 3 rows taken 100 bytes apart. */
TEST(ModelMm, RowGroupsByHand)
{
    Machine mc;
    mc.nram()[0] = 2, mc.nram()[100] = 3, mc.nram()[200] = (uint8_t)-5;
    mc.wram()[0] = 10, mc.wram()[1] = (uint8_t)-1;
    MmOp o;
    o.s1 = 100, o.as = 4, o.m1 = 3, o.k = 1, o.n = 2;
    Prog p;
    p.mm_vals(o);
    p.halt();
    ASSERT_DONE(mc.run(p));
    int32_t *acc = mc.acc();
    EXPECT_EQ(20, acc[0]);
    EXPECT_EQ(-2, acc[1]);
    EXPECT_EQ(30, acc[4]);
    EXPECT_EQ(-3, acc[5]);
    EXPECT_EQ(-50, acc[8]);
    EXPECT_EQ(5, acc[9]);
}

/* int32 sums wrap modulo 2^32: -128 * -128 = 2^14 summed over K = 65535 gives 1073725440; three
   accumulating passes give 3221176320 = -1073790976 (mod 2^32). */
TEST(ModelMm, WrapsWithExtremeOperandsAndLargeK)
{
    dlp_config_t c = test_config();
    Machine mc(c);
    const uint32_t K = 65535;
    std::memset(mc.nram(), 0x80, K); /* -128 */
    std::memset(mc.wram(), 0x80, 2 * K);
    Prog p;
    MmOp o;
    o.acc = 0, o.in = 0, o.w = 0, o.ws = 2, o.k = K, o.n = 2, o.accum = 1;
    p.li(1, o.acc), p.li(2, o.in), p.li(3, o.w), p.li(6, o.ws);
    p.loop(3);
    p.mm_regs(o, 1, 2, 3, 0, 0, 6, 0);
    p.endloop();
    p.halt();
    dlp_result_t r = mc.run(p);
    ASSERT_DONE(r);
    EXPECT_EQ(-1073790976, mc.acc()[0]);
    EXPECT_EQ(-1073790976, mc.acc()[1]);
    EXPECT_EQ(3ull * K * 2, r.counters.macs);
    /* one pass on top of INT32_MAX: 2147483647 + 1073725440 - 2^32 = -1073758209 */
    mc.acc()[0] = INT32_MAX;
    mc.acc()[1] = INT32_MIN; /* INT32_MIN + 1073725440 = -1073758208 (no wrap) */
    Prog q;
    q.li(1, 0), q.li(6, 2);
    q.mm_regs(o, 1, 0, 0, 0, 0, 6, 0);
    q.halt();
    ASSERT_DONE(mc.run(q));
    EXPECT_EQ(-1073758209, mc.acc()[0]);
    EXPECT_EQ(-1073758208, mc.acc()[1]);
}

/* 127 * -128 over K = 65535 stays in range: 65535 * -16256 = -1065336960. */
TEST(ModelMm, LargeNegativeSumWithoutWrap)
{
    Machine mc;
    const uint32_t K = 65535;
    std::memset(mc.nram(), 0x7f, K);
    std::memset(mc.wram(), 0x80, K);
    MmOp o;
    o.k = K, o.ws = 1, o.n = 1;
    Prog p;
    p.mm_vals(o);
    p.halt();
    ASSERT_DONE(mc.run(p));
    EXPECT_EQ(-1065336960, mc.acc()[0]);
}
