// SPDX-License-Identifier: Apache-2.0
/*
 * Vector and pooling instructions on the C model: vrq, vadd, vmax, vmin, vclamp, vlut,
 * vmaxpool, vavgpool, with strides, padding windows and exactly-in-place operands. Expected
 * values come from loops written from docs/isa.md using the independent numerics of
 * model_util.h (dlpt::ref), or from hand.
 */
#include "model_util.h"

using namespace dlpt;

namespace {

int32_t rd32(const std::vector<uint8_t> &m, uint64_t a)
{
    return (int32_t)((uint32_t)m.at(a) | (uint32_t)m.at(a + 1) << 8 | (uint32_t)m.at(a + 2) << 16 |
                     (uint32_t)m.at(a + 3) << 24);
}

/* Reference of one vector instruction, element by element in row order (docs/isa.md). */
void ref_vec(Snapshot &s, const VecOp &o)
{
    ref::AddParams ap{};
    if (o.id == DLP_I_VADD) {
        int32_t f[12];
        for (int i = 0; i < 12; i++)
            f[i] = rd32(s.wram, o.p + 4 * i);
        ap = {f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]};
    }
    for (uint64_t r = 0; r < o.rows; r++)
        for (uint64_t c = 0; c < o.cols; c++) {
            int8_t a = o.id == DLP_I_VRQ ? 0 : (int8_t)s.nram.at(o.a + r * o.sa + c);
            bool two = o.id == DLP_I_VADD || o.id == DLP_I_VMAX || o.id == DLP_I_VMIN;
            int8_t b = two ? (int8_t)s.nram.at(o.b + r * o.sb + c) : 0;
            int8_t out = 0;
            switch (o.id) {
            case DLP_I_VRQ: {
                uint64_t pc = o.p + 12 * c;
                out = ref::requant(s.acc.at(o.a + r * o.sa + c), rd32(s.wram, pc),
                                   rd32(s.wram, pc + 4), rd32(s.wram, pc + 8), o.i0, o.i1, o.i2);
                break;
            }
            case DLP_I_VADD:
                out = ref::add_int8(a, b, ap);
                break;
            case DLP_I_VMAX:
                out = a > b ? a : b;
                break;
            case DLP_I_VMIN:
                out = a < b ? a : b;
                break;
            case DLP_I_VCLAMP:
                out = (int8_t)(a < o.i0 ? o.i0 : a > o.i1 ? o.i1 : a);
                break;
            case DLP_I_VLUT:
                out = (int8_t)s.wram.at(o.p + (uint64_t)(a + 128));
                break;
            }
            s.nram.at(o.d + r * o.sd + c) = (uint8_t)out;
        }
}

/* Pooling reference (docs/isa.md): window rows y*sh - pt + dy, columns x*sw - pl + dx, positions
   outside ih x iw skipped; max, or sum rounded half away from zero over the valid count. */
void ref_pool(Snapshot &s, const PoolOp &o)
{
    for (int64_t y = 0; y < o.oh; y++)
        for (int64_t x = 0; x < o.ow; x++)
            for (int64_t c = 0; c < o.ch; c++) {
                int32_t best = -1000, sum = 0, n = 0;
                for (int64_t dy = 0; dy < o.kh; dy++)
                    for (int64_t dx = 0; dx < o.kw; dx++) {
                        int64_t r = y * o.sh - o.pt + dy, q = x * o.sw - o.pl + dx;
                        if (r < 0 || q < 0 || r >= o.ih || q >= o.iw)
                            continue;
                        int32_t v = (int8_t)s.nram.at(o.a + r * o.sra + q * o.spa + c);
                        best = v > best ? v : best;
                        sum += v;
                        n++;
                    }
                ASSERT_GT(n, 0) << "test bug: empty window";
                int32_t out = o.id == DLP_I_VMAXPOOL ? best : ref::avg(sum, n);
                s.nram.at(o.d + y * o.srd + x * o.spd + c) = (uint8_t)(int8_t)out;
            }
}

const char *mn(int id) { return dlp_insn_info[id].mnemonic; }

std::string describe(const VecOp &o)
{
    char b[300];
    snprintf(b, sizeof b,
             "%s d=0x%x a=0x%x b=0x%x p=0x%x sd=%u sa=%u sb=%u rows=%u cols=%u i0=%d i1=%d i2=%d",
             mn(o.id), o.d, o.a, o.b, o.p, o.sd, o.sa, o.sb, o.rows, o.cols, o.i0, o.i1, o.i2);
    return b;
}

std::string describe(const PoolOp &o)
{
    char b[300];
    snprintf(b, sizeof b,
             "%s d=0x%x a=0x%x spa=%u sra=%u spd=%u srd=%u ch=%u oh=%u ow=%u kh=%u kw=%u sh=%u "
             "sw=%u pt=%u pl=%u ih=%u iw=%u",
             mn(o.id), o.d, o.a, o.spa, o.sra, o.spd, o.srd, o.ch, o.oh, o.ow, o.kh, o.kw, o.sh,
             o.sw, o.pt, o.pl, o.ih, o.iw);
    return b;
}

/* Runs `p` (with halt) and compares every memory with `exp` after applying `apply`. */
template <class Op, class F>
void run_and_compare(Machine &mc, const Op &o, F apply, const std::string &what)
{
    Prog p;
    if constexpr (std::is_same<Op, VecOp>::value)
        p.vec_vals(o);
    else
        p.pool_vals(o);
    p.halt();
    std::vector<uint8_t> b = p.bytes();
    ASSERT_EQ(0, dlp_dram_write(mc.m, 0, b.data(), b.size()));
    Snapshot exp = Snapshot::of(mc);
    apply(exp, o);
    if (::testing::Test::HasFatalFailure())
        return;
    dlp_result_t r = mc.run(p);
    ASSERT_DONE(r) << what;
    SCOPED_TRACE(what);
    expect_memories(exp, mc);
}

/* Non-overlapping placement of rows x cols blocks with stride in NRAM. */
struct Bump {
    uint64_t next = 0;
    uint64_t take(Rng &g, uint64_t span)
    {
        uint64_t a = next + (uint64_t)g.range(0, 40);
        next = a + span;
        return a;
    }
};

void fill_random(Machine &mc, Rng &g, bool small_acc)
{
    for (int sp : {DLP_MEM_NRAM, DLP_MEM_WRAM, DLP_MEM_ACC}) {
        uint64_t len;
        uint8_t *p = mc.mem(sp, &len);
        g.fill(p, len);
    }
    if (small_acc) /* half of the accumulators in the range real layers produce */
        for (uint64_t i = 0; i < mc.cfg.acc_bytes / 4; i += 2)
            mc.acc()[i] = (int32_t)g.range(-300000, 300000);
}

/* Writes vrq parameters for `cols` channels at WRAM p: realistic or extreme. */
void put_vrq_params(Machine &mc, Rng &g, uint32_t p, uint32_t cols)
{
    for (uint32_t c = 0; c < cols; c++) {
        uint8_t *q = mc.wram() + p + 12 * c;
        bool real = g.chance(70);
        put32(q, real ? (int32_t)g.range(-20000, 20000) : g.i32());
        put32(q + 4, real ? (int32_t)g.range(1 << 30, INT32_MAX) : g.i32());
        put32(q + 8, real ? (int32_t)g.range(-20, 2) : (int32_t)g.range(-45, 45));
    }
}

void put_add_params(Machine &mc, Rng &g, uint32_t p)
{
    int32_t f[12];
    bool real = g.chance(70);
    f[0] = (int32_t)g.range(-128, 127);
    f[3] = (int32_t)g.range(-128, 127);
    f[8] = (int32_t)g.range(-128, 127);
    if (real) {
        f[1] = (int32_t)g.range(1 << 30, INT32_MAX), f[2] = (int32_t)g.range(-6, 0);
        f[4] = (int32_t)g.range(1 << 30, INT32_MAX), f[5] = (int32_t)g.range(-6, 0);
        f[6] = (int32_t)g.range(1 << 30, INT32_MAX), f[7] = (int32_t)g.range(-24, -12);
        f[9] = (int32_t)g.range(-128, 0), f[10] = (int32_t)g.range(0, 127), f[11] = 20;
    } else {
        f[1] = g.i32(), f[2] = (int32_t)g.range(-40, 40);
        f[4] = g.i32(), f[5] = (int32_t)g.range(-40, 40);
        f[6] = g.i32(), f[7] = (int32_t)g.range(-40, 40);
        f[9] = (int32_t)g.range(-200, 50), f[10] = (int32_t)g.range(-50, 200);
        f[11] = (int32_t)g.range(-3, 35);
    }
    for (int i = 0; i < 12; i++)
        put32(mc.wram() + p + 4 * i, f[i]);
}

} // namespace

/* ---- element-wise instructions, random ------------------------------------------------------------ */

class ModelVector : public ::testing::TestWithParam<int> {};

TEST_P(ModelVector, RandomAgainstReference)
{
    const int id = GetParam();
    const uint64_t seed = 0x7EC0000 + (uint64_t)id;
    Rng g(seed);
    for (uint32_t lanes : {16u, 4u, 1u}) {
        dlp_config_t c = test_config();
        c.vlanes = lanes;
        Machine mc(c);
        fill_random(mc, g, id == DLP_I_VRQ);
        for (int i = 0; i < 12; i++) {
            VecOp o;
            o.id = id;
            o.rows = (uint32_t)(g.chance(20) ? g.range(8, 40) : g.range(1, 7));
            o.cols = (uint32_t)(g.chance(20) ? g.range(60, 300) : g.range(1, 60));
            o.sd = o.cols + (uint32_t)g.range(0, 9);
            o.sa = g.chance(10) ? o.cols - (uint32_t)g.range(0, o.cols - 1) : o.cols + (uint32_t)g.range(0, 9);
            o.sb = g.chance(10) ? 0 : o.cols + (uint32_t)g.range(0, 9);
            Bump nb;
            o.d = (uint32_t)nb.take(g, (o.rows - 1) * o.sd + o.cols);
            if (id == DLP_I_VRQ) {
                o.a = (uint32_t)g.range(0, 2000);
                o.p = (uint32_t)g.range(0, 1000);
                put_vrq_params(mc, g, o.p, o.cols);
                o.i0 = (int)g.range(-128, 127);
                o.i1 = (int)g.range(-128, 127);
                o.i2 = (int)g.range(o.i1, 127);
            } else {
                bool in_place = g.chance(25);
                o.a = in_place ? o.d : (uint32_t)nb.take(g, (o.rows - 1) * o.sa + o.cols);
                if (in_place)
                    o.sa = o.sd;
                o.b = (uint32_t)nb.take(g, (o.rows - 1) * o.sb + o.cols);
                if (g.chance(20)) /* b in place instead (or as well) */
                    o.b = o.d, o.sb = o.sd;
                o.p = (uint32_t)g.range(0, 5000);
                if (id == DLP_I_VADD)
                    put_add_params(mc, g, o.p);
                o.i0 = (int)g.range(-128, 127);
                o.i1 = (int)g.range(o.i0, 127);
            }
            std::string what = "seed " + std::to_string(seed) + " lanes " + std::to_string(lanes) +
                               " case " + std::to_string(i) + ": " + describe(o);
            run_and_compare(mc, o, ref_vec, what);
            if (::testing::Test::HasFailure())
                return;
        }
    }
}

std::string vec_name(const ::testing::TestParamInfo<int> &i)
{
    return mn(i.param);
}

INSTANTIATE_TEST_SUITE_P(ModelVfu, ModelVector,
                         ::testing::Values((int)DLP_I_VRQ, (int)DLP_I_VADD, (int)DLP_I_VMAX,
                                           (int)DLP_I_VMIN, (int)DLP_I_VCLAMP, (int)DLP_I_VLUT),
                         vec_name);

/* ---- element-wise instructions, by hand -------------------------------------------------------------- */

TEST(ModelVrq, BiasPerChannelMultShiftZeroPointAndClamps)
{
    Machine mc;
    int32_t *acc = mc.acc();
    /* two rows of three channels at ACC 10 with row stride 4 */
    const int32_t a[2][3] = {{1000, 7, -100}, {-1000, -7, 40}};
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 3; c++)
            acc[10 + 4 * r + c] = a[r][c];
    /* channel 0: bias 24, x0.5;  channel 1: bias 0, x0.5;  channel 2: bias -20, x0.75 >> 2 */
    const int32_t prm[3][3] = {{24, 1 << 30, 0}, {0, 1 << 30, 0}, {-20, 3 << 29, -2}};
    for (int c = 0; c < 3; c++)
        for (int k = 0; k < 3; k++)
            put32(mc.wram() + 0x40 + 12 * c + 4 * k, prm[c][k]);
    VecOp o;
    o.id = DLP_I_VRQ, o.d = 0x100, o.a = 10, o.p = 0x40, o.sd = 8, o.sa = 4, o.rows = 2, o.cols = 3;
    o.i0 = -10, o.i1 = -100, o.i2 = 100; /* zp -10, clamp [-100, 100] */
    Prog p;
    p.vec_vals(o);
    p.halt();
    ASSERT_DONE(mc.run(p));
    const int8_t *out = (const int8_t *)mc.nram() + 0x100;
    EXPECT_EQ(100, out[0]);   /* 1024 * 0.5 = 512, -10 = 502 -> 100 */
    EXPECT_EQ(-6, out[1]);    /* 7 * 0.5 = 3.5 -> 4, -10 = -6 */
    EXPECT_EQ(-33, out[2]);   /* (-100 - 20) * 0.75 = -90, / 4 = -22.5 -> -23, -10 = -33 */
    EXPECT_EQ(-100, out[8]);  /* -976 * 0.5 = -488 -> -100 */
    EXPECT_EQ(-13, out[9]);   /* -3.5 -> -3, -10 = -13 */
    EXPECT_EQ(-6, out[10]);   /* (40 - 20) * 0.75 = 15, / 4 = 3.75 -> 4, -10 = -6 */
}

TEST(ModelVrq, Relu6AndShiftClamping)
{
    Machine mc;
    int32_t *acc = mc.acc();
    const int32_t a[6] = {-50, 0, 5, 11, 12, 200};
    for (int i = 0; i < 6; i++)
        acc[i] = a[i];
    /* zp = -128 + 0 and a scale such that 6.0 -> 12 steps: out = -128 + x/2 in [-128, -116] */
    for (int c = 0; c < 6; c++) {
        put32(mc.wram() + 12 * c, 0);
        put32(mc.wram() + 12 * c + 4, 1 << 30);
        put32(mc.wram() + 12 * c + 8, 0);
    }
    VecOp o;
    o.id = DLP_I_VRQ, o.d = 0x200, o.cols = 6;
    o.i0 = -128, o.i1 = -128, o.i2 = -116;
    Prog p;
    p.vec_vals(o);
    p.halt();
    ASSERT_DONE(mc.run(p));
    const int8_t *out = (const int8_t *)mc.nram() + 0x200;
    /* x*0.5 (ties up): -25, 0, 2.5->3, 5.5->6, 6, 100; + (-128), clamp [-128, -116] */
    const int8_t exp[6] = {-128, -128, -125, -122, -122, -116};
    for (int i = 0; i < 6; i++)
        EXPECT_EQ(exp[i], out[i]) << i;

    /* shift 40 behaves as 31 and -40 as -31 (clamped): acc 1 << 31 wraps to INT32_MIN,
       times 0.5 = -2^30 -> -128; INT32_MAX * (2^31-1) / 2^31 / 2^31 -> 1 */
    acc[0] = 1, acc[1] = INT32_MAX;
    put32(mc.wram() + 8, 40);
    put32(mc.wram() + 12 + 4, INT32_MAX);
    put32(mc.wram() + 12 + 8, -40);
    o.cols = 2, o.i0 = 0, o.i1 = -128, o.i2 = 127;
    Prog q;
    q.vec_vals(o);
    q.halt();
    ASSERT_DONE(mc.run(q));
    EXPECT_EQ(-128, out[0]);
    EXPECT_EQ(1, out[1]);
}

TEST(ModelVadd, TfliteExampleByHand)
{
    Machine mc;
    /* s_a = 0.5, s_b = 0.25, s_out = 0.5, zero points 0 (see NumericsAdd.HandWorkedTfliteScales) */
    const int32_t prm[12] = {0, 1 << 30, 0, 0, 1 << 30, -1, 1 << 30, -18, 0, -128, 127, 20};
    for (int i = 0; i < 12; i++)
        put32(mc.wram() + 0x80 + 4 * i, prm[i]);
    const int8_t a[4] = {10, 1, -1, 127}, b[4] = {8, 1, -1, 127};
    std::memcpy(mc.nram() + 0x10, a, 4);
    std::memcpy(mc.nram() + 0x20, b, 4);
    VecOp o;
    o.id = DLP_I_VADD, o.d = 0x10, o.a = 0x10, o.b = 0x20, o.p = 0x80, o.cols = 4; /* in place on a */
    Prog p;
    p.vec_vals(o);
    p.halt();
    ASSERT_DONE(mc.run(p));
    const int8_t *out = (const int8_t *)mc.nram() + 0x10;
    EXPECT_EQ(14, out[0]);  /* (5 + 2) / 0.5 */
    EXPECT_EQ(2, out[1]);   /* 0.75 / 0.5 = 1.5 -> 2 */
    EXPECT_EQ(-2, out[2]);  /* -1.5 -> -2 */
    EXPECT_EQ(127, out[3]); /* (63.5 + 31.75) / 0.5 = 190.5 -> saturates at act_max 127 */
}

TEST(ModelVector, MaxMinClampLutByHand)
{
    Machine mc;
    const int8_t a[5] = {-128, -1, 0, 5, 127}, b[5] = {127, -2, 0, 6, -128};
    std::memcpy(mc.nram() + 0x00, a, 5);
    std::memcpy(mc.nram() + 0x08, b, 5);
    for (int i = 0; i < 256; i++) /* table: f(x) = -x, saturated */
        mc.wram()[0x300 + i] = (uint8_t)(int8_t)(i == 0 ? 127 : 128 - i);
    Prog p;
    VecOp o;
    o.cols = 5, o.a = 0x00, o.b = 0x08;
    o.id = DLP_I_VMAX, o.d = 0x10;
    p.vec_vals(o);
    o.id = DLP_I_VMIN, o.d = 0x18;
    p.vec_vals(o);
    o.id = DLP_I_VCLAMP, o.d = 0x20, o.i0 = -1, o.i1 = 5;
    p.vec_vals(o);
    o.id = DLP_I_VLUT, o.d = 0x28, o.p = 0x300;
    p.vec_vals(o);
    p.halt();
    ASSERT_DONE(mc.run(p));
    const int8_t *n = (const int8_t *)mc.nram();
    const int8_t emax[5] = {127, -1, 0, 6, 127}, emin[5] = {-128, -2, 0, 5, -128};
    const int8_t ecl[5] = {-1, -1, 0, 5, 5}, elut[5] = {127, 1, 0, -5, -127};
    for (int i = 0; i < 5; i++) {
        EXPECT_EQ(emax[i], n[0x10 + i]) << i;
        EXPECT_EQ(emin[i], n[0x18 + i]) << i;
        EXPECT_EQ(ecl[i], n[0x20 + i]) << i;
        EXPECT_EQ(elut[i], n[0x28 + i]) << i;
    }
}

/* Exactly in place with rows > 1 and equal strides: every op, destination = source. */
TEST(ModelVector, ExactlyInPlaceMultiRow)
{
    Machine mc;
    Rng g(0x1A9);
    g.fill(mc.nram(), 4096);
    g.fill(mc.wram(), 4096);
    for (int id : {DLP_I_VADD, DLP_I_VMAX, DLP_I_VMIN, DLP_I_VCLAMP, DLP_I_VLUT}) {
        VecOp o;
        o.id = id, o.rows = 3, o.cols = 20, o.d = 0x100, o.sd = 32, o.a = 0x100, o.sa = 32;
        o.b = 0x400, o.sb = 24, o.p = 0x200, o.i0 = -20, o.i1 = 30;
        if (id == DLP_I_VADD)
            put_add_params(mc, g, o.p);
        run_and_compare(mc, o, ref_vec, std::string("in place ") + mn(id));
        /* the same with the second source in place instead */
        if (id == DLP_I_VADD || id == DLP_I_VMAX || id == DLP_I_VMIN) {
            o.a = 0x600, o.b = 0x100, o.sb = 32;
            run_and_compare(mc, o, ref_vec, std::string("in place b ") + mn(id));
        }
    }
}

/* ---- pooling ---------------------------------------------------------------------------------------------- */

TEST(ModelPool, PartialWindowsByHand)
{
    /* 3x3 single-channel input [1 2 3; 4 5 6; 7 8 9], 2x2 windows, stride 2, padding 1:
       windows cover {1}, {2,3}, {4,7}, {5,6,8,9}. avg: 1, 2.5->3, 5.5->6, 7; max: 1, 3, 7, 9.
       Negated input: avg -1, -3, -6, -7 (ties away from zero); max -1, -2, -4, -5. */
    Machine mc;
    for (int sign : {1, -1}) {
        for (int i = 0; i < 9; i++)
            mc.nram()[0x10 + i] = (uint8_t)(int8_t)(sign * (i + 1));
        PoolOp o;
        o.a = 0x10, o.spa = 1, o.sra = 3, o.spd = 1, o.srd = 2;
        o.ch = 1, o.oh = 2, o.ow = 2, o.kh = 2, o.kw = 2, o.sh = 2, o.sw = 2, o.pt = 1, o.pl = 1,
        o.ih = 3, o.iw = 3;
        Prog p;
        o.id = DLP_I_VAVGPOOL, o.d = 0x40;
        p.pool_vals(o);
        o.id = DLP_I_VMAXPOOL, o.d = 0x50;
        p.pool_vals(o);
        p.halt();
        ASSERT_DONE(mc.run(p));
        const int8_t *n = (const int8_t *)mc.nram();
        const int8_t avg_pos[4] = {1, 3, 6, 7}, max_pos[4] = {1, 3, 7, 9};
        const int8_t avg_neg[4] = {-1, -3, -6, -7}, max_neg[4] = {-1, -2, -4, -5};
        for (int i = 0; i < 4; i++) {
            EXPECT_EQ(sign > 0 ? avg_pos[i] : avg_neg[i], n[0x40 + i]) << "sign " << sign << " " << i;
            EXPECT_EQ(sign > 0 ? max_pos[i] : max_neg[i], n[0x50 + i]) << "sign " << sign << " " << i;
        }
    }
}

TEST(ModelPool, MaxOfAllMinusOneTwentyEight)
{
    Machine mc;
    std::memset(mc.nram(), 0x80, 64);
    PoolOp o;
    o.d = 0x100, o.ch = 4, o.kh = 3, o.kw = 3, o.ih = 3, o.iw = 3, o.spa = 4, o.sra = 12;
    Prog p;
    p.pool_vals(o);
    o.id = DLP_I_VAVGPOOL, o.d = 0x200;
    p.pool_vals(o);
    p.halt();
    ASSERT_DONE(mc.run(p));
    for (int c = 0; c < 4; c++) {
        EXPECT_EQ(-128, (int8_t)mc.nram()[0x100 + c]);
        EXPECT_EQ(-128, (int8_t)mc.nram()[0x200 + c]);
    }
}

TEST(ModelPool, RandomAgainstReference)
{
    const uint64_t seed = 0x9001;
    Rng g(seed);
    for (uint32_t lanes : {16u, 3u}) {
        dlp_config_t c = test_config();
        c.vlanes = lanes;
        Machine mc(c);
        g.fill(mc.nram(), mc.cfg.nram_bytes);
        for (int i = 0; i < 60; i++) {
            PoolOp o;
            o.id = g.chance(50) ? DLP_I_VMAXPOOL : DLP_I_VAVGPOOL;
            o.ch = (uint32_t)(g.chance(15) ? g.range(17, 70) : g.range(1, 16));
            o.kh = (uint32_t)g.range(1, g.chance(10) ? 15 : 4);
            o.kw = (uint32_t)g.range(1, g.chance(10) ? 15 : 4);
            o.sh = (uint32_t)g.range(1, g.chance(10) ? 15 : 3);
            o.sw = (uint32_t)g.range(1, g.chance(10) ? 15 : 3);
            o.pt = (uint32_t)g.range(0, o.kh - 1);
            o.pl = (uint32_t)g.range(0, o.kw - 1);
            o.ih = (uint32_t)g.range(1, 12);
            o.iw = (uint32_t)g.range(1, 12);
            /* every window must start inside: (oh-1)*sh - pt <= ih - 1 */
            o.oh = (uint32_t)g.range(1, (o.ih - 1 + o.pt) / o.sh + 1);
            o.ow = (uint32_t)g.range(1, (o.iw - 1 + o.pl) / o.sw + 1);
            o.spa = o.ch + (uint32_t)g.range(0, 3);
            o.sra = o.iw * o.spa + (uint32_t)g.range(0, 5);
            o.spd = o.ch + (uint32_t)g.range(0, 3);
            o.srd = o.ow * o.spd + (uint32_t)g.range(0, 5);
            uint64_t in_span = (uint64_t)(o.ih - 1) * o.sra + (uint64_t)(o.iw - 1) * o.spa + o.ch;
            uint64_t out_span = (uint64_t)(o.oh - 1) * o.srd + (uint64_t)(o.ow - 1) * o.spd + o.ch;
            Bump nb;
            if (g.chance(50)) {
                o.a = (uint32_t)nb.take(g, in_span);
                o.d = (uint32_t)nb.take(g, out_span);
            } else {
                o.d = (uint32_t)nb.take(g, out_span);
                o.a = (uint32_t)nb.take(g, in_span);
            }
            std::string what = "seed " + std::to_string(seed) + " lanes " + std::to_string(lanes) +
                               " case " + std::to_string(i) + ": " + describe(o);
            run_and_compare(mc, o, ref_pool, what);
            if (::testing::Test::HasFailure())
                return;
        }
    }
}
