// SPDX-License-Identifier: Apache-2.0
/*
 * dma on the C model: every legal pair of memory spaces, 1-D/2-D/3-D strides, padding on all
 * four sides, unaligned addresses, odd sizes. Expected memories come from a byte-by-byte loop
 * written from the formula in docs/isa.md.
 */
#include "model_util.h"

using namespace dlpt;

namespace {

/* docs/isa.md: for i2 < n2, j1 < H1, j0 < W1:
     D[dst + i2*ds2 + j1*ds1 + j0] = (pt <= j1 < pt+n1 && pl <= j0 < pl+n0)
                                     ? S[src + i2*ss2 + (j1-pt)*ss1 + (j0-pl)] : pv */
void ref_dma(Snapshot &s, const DmaOp &o)
{
    std::vector<uint8_t> &D = s.space(o.dsp);
    const std::vector<uint8_t> &S = s.space(o.ssp);
    uint64_t H1 = o.pt + o.n1 + o.pb, W1 = o.pl + o.n0 + o.pr;
    for (uint64_t i2 = 0; i2 < o.n2; i2++)
        for (uint64_t j1 = 0; j1 < H1; j1++)
            for (uint64_t j0 = 0; j0 < W1; j0++) {
                bool data = j1 >= o.pt && j1 < o.pt + o.n1 && j0 >= o.pl && j0 < o.pl + o.n0;
                uint64_t da = o.dst + i2 * o.ds2 + j1 * o.ds1 + j0;
                D.at(da) = data ? S.at(o.src + i2 * o.ss2 + (j1 - o.pt) * o.ss1 + (j0 - o.pl))
                                : (uint8_t)o.pv;
            }
}

uint64_t src_span(const DmaOp &o)
{
    return (uint64_t)(o.n2 - 1) * o.ss2 + (uint64_t)(o.n1 - 1) * o.ss1 + o.n0;
}
uint64_t dst_span(const DmaOp &o)
{
    return (uint64_t)(o.n2 - 1) * o.ds2 + (uint64_t)(o.pt + o.n1 + o.pb - 1) * o.ds1 + o.pl + o.n0 +
           o.pr;
}

/* A random legal dma between the given spaces. Program space (DRAM below 0x1000) is avoided. */
DmaOp random_dma(Rng &g, int dsp, int ssp, const dlp_config_t &c)
{
    for (;;) {
    DmaOp o;
    o.dsp = dsp, o.ssp = ssp;
    int dims = (int)g.range(1, 3);
    o.n0 = (uint32_t)(g.chance(10) ? g.range(100, 700) : g.range(1, 48));
    o.n1 = dims >= 2 ? (uint32_t)g.range(1, 6) : 1;
    o.n2 = dims >= 3 ? (uint32_t)g.range(1, 4) : 1;
    if (g.chance(60)) {
        o.pt = (uint32_t)g.range(0, 3), o.pb = (uint32_t)g.range(0, 3);
        o.pl = (uint32_t)g.range(0, 9), o.pr = (uint32_t)g.range(0, 9);
        if (g.chance(10))
            o.pt = 15, o.pl = (uint32_t)g.range(0, 4095) % 300;
    }
    o.pv = (int)g.range(-128, 127);
    uint32_t W1 = o.pl + o.n0 + o.pr, H1 = o.pt + o.n1 + o.pb;
    /* strides: usually packed plus a gap; sometimes 0 (broadcast) or overlapping source runs */
    o.ss1 = g.chance(10) ? 0 : g.chance(10) ? (uint32_t)g.range(1, o.n0) : o.n0 + (uint32_t)g.range(0, 9);
    o.ss2 = g.chance(10) ? 0 : o.n1 * o.ss1 + (uint32_t)g.range(0, 17);
    /* destination runs never overlap each other (the ISA forbids it, ModelErrors checks it):
       usually planes outside runs, sometimes planes interleaved between the runs */
    if (g.chance(20)) {
        o.ds2 = W1 + (uint32_t)g.range(0, 5);
        o.ds1 = (o.n2 - 1) * o.ds2 + W1 + (uint32_t)g.range(0, 9);
    } else {
        o.ds1 = W1 + (uint32_t)g.range(0, 9);
        o.ds2 = (H1 - 1) * o.ds1 + W1 + (uint32_t)g.range(0, 17);
    }
    auto size_of = [&](int sp) -> uint64_t {
        return sp == DRAM ? c.dram_bytes : sp == NRAM ? c.nram_bytes : c.wram_bytes;
    };
    uint64_t ss = src_span(o), ds = dst_span(o);
    uint64_t sbase = ssp == DRAM ? 0x1000 : 0, dbase = dsp == DRAM ? 0x1000 : 0;
    uint64_t stop_s = size_of(ssp), stop_d = size_of(dsp);
    if (dsp == ssp) { /* same memory: source and destination in different halves */
        uint64_t half = size_of(dsp) / 2;
        if (g.chance(50))
            stop_s = half, dbase = half;
        else
            stop_d = half, sbase = half;
    }
    if (sbase + ss > stop_s || dbase + ds > stop_d)
        continue; /* too large for the memory: draw again */
    o.src = (uint32_t)g.range((int64_t)sbase, (int64_t)(stop_s - ss));
    o.dst = (uint32_t)g.range((int64_t)dbase, (int64_t)(stop_d - ds));
    return o;
    }
}

std::string describe(const DmaOp &o)
{
    char b[400];
    snprintf(b, sizeof b,
             "dma dsp=%d ssp=%d dst=0x%x src=0x%x n0=%u n1=%u n2=%u ss1=%u ss2=%u ds1=%u ds2=%u "
             "pt=%u pb=%u pl=%u pr=%u pv=%d",
             o.dsp, o.ssp, o.dst, o.src, o.n0, o.n1, o.n2, o.ss1, o.ss2, o.ds1, o.ds2, o.pt, o.pb,
             o.pl, o.pr, o.pv);
    return b;
}

void fill_random(Machine &mc, Rng &g)
{
    for (int sp : {DLP_MEM_DRAM, DLP_MEM_NRAM, DLP_MEM_WRAM, DLP_MEM_ACC}) {
        uint64_t len;
        uint8_t *p = mc.mem(sp, &len);
        for (uint64_t i = 0; i + 8 <= len; i += 8) {
            uint64_t v = ((uint64_t)g.u32() << 32) | g.u32();
            std::memcpy(p + i, &v, 8);
        }
    }
}

} // namespace

struct SpacePair {
    int dsp, ssp;
};

class ModelDmaPairs : public ::testing::TestWithParam<SpacePair> {};

TEST_P(ModelDmaPairs, RandomAgainstReference)
{
    SpacePair sp = GetParam();
    const uint64_t seed = 0xD3A0000 + (uint64_t)sp.dsp * 4 + (uint64_t)sp.ssp;
    Rng g(seed);
    Machine mc;
    fill_random(mc, g);
    for (int i = 0; i < 25; i++) {
        DmaOp o = random_dma(g, sp.dsp, sp.ssp, mc.cfg);
        Prog p;
        p.dma_vals(o);
        p.halt();
        /* the program lives at DRAM 0; write it first so the snapshot includes it */
        std::vector<uint8_t> b = p.bytes();
        ASSERT_EQ(0, dlp_dram_write(mc.m, 0, b.data(), b.size()));
        Snapshot exp = Snapshot::of(mc);
        ref_dma(exp, o);
        dlp_result_t r = mc.run(p);
        ASSERT_DONE(r) << "seed " << seed << " case " << i << ": " << describe(o);
        SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(i) + ": " +
                     describe(o));
        expect_memories(exp, mc);
        if (::testing::Test::HasFailure())
            return;
        /* bytes counted by the DRAM counters: data read, destination (with padding) written */
        uint64_t H1 = o.pt + o.n1 + o.pb, W1 = o.pl + o.n0 + o.pr;
        EXPECT_EQ((uint64_t)p.size() * 16 + (o.ssp == DRAM ? (uint64_t)o.n0 * o.n1 * o.n2 : 0),
                  r.counters.dram_rd_bytes);
        EXPECT_EQ(o.dsp == DRAM ? (uint64_t)o.n2 * H1 * W1 : 0, r.counters.dram_wr_bytes);
    }
}

std::string pair_name(const ::testing::TestParamInfo<SpacePair> &i)
{
    static const char *const names[] = {"Dram", "Nram", "Wram"};
    return std::string(names[i.param.ssp]) + "To" + names[i.param.dsp];
}

INSTANTIATE_TEST_SUITE_P(ModelDma, ModelDmaPairs,
                         ::testing::Values(SpacePair{NRAM, DRAM}, SpacePair{WRAM, DRAM},
                                           SpacePair{DRAM, NRAM}, SpacePair{DRAM, WRAM},
                                           SpacePair{NRAM, NRAM}, SpacePair{WRAM, NRAM},
                                           SpacePair{NRAM, WRAM}, SpacePair{WRAM, WRAM}),
                         pair_name);

/* Padding on all four sides, written out by hand. */
TEST(ModelDma, PaddingAllSidesByHand)
{
    Machine mc;
    const uint8_t src[] = {1, 2, 3, 0xaa, 0xbb, 4, 5, 6}; /* runs of 3 with source stride 5 */
    ASSERT_EQ(0, dlp_dram_write(mc.m, 0x1003, src, sizeof src));
    std::memset(mc.nram() + 0x200, 0x55, 64);
    DmaOp o;
    o.dsp = NRAM, o.ssp = DRAM, o.dst = 0x201, o.src = 0x1003;
    o.n0 = 3, o.n1 = 2, o.ss1 = 5, o.pt = 1, o.pb = 1, o.pl = 2, o.pr = 1, o.pv = -7, o.ds1 = 7;
    Prog p;
    p.dma_vals(o);
    p.halt();
    ASSERT_DONE(mc.run(p));
    const uint8_t F = 0xf9, U = 0x55; /* pv = -7; U = untouched */
    /* W1 = 2+3+1 = 6 bytes per run, H1 = 1+2+1 = 4 runs, destination stride 7 (one gap byte) */
    const uint8_t exp[] = {U, F, F, F, F, F, F, /* row 0: top padding */
                           U, F, F, 1, 2, 3, F, /* row 1: pl, data, pr */
                           U, F, F, 4, 5, 6, F, /* row 2 */
                           U, F, F, F, F, F, F, /* row 3: bottom padding */
                           U, U};
    EXPECT_EQ(std::vector<uint8_t>(exp, exp + sizeof exp),
              std::vector<uint8_t>(mc.nram() + 0x200, mc.nram() + 0x200 + sizeof exp));
}

/* A 3-D transfer into a store with padding, by hand: 2 planes of 2 runs of 2 bytes. */
TEST(ModelDma, ThreeDimensionalStoreByHand)
{
    Machine mc;
    for (int i = 0; i < 64; i++)
        mc.nram()[0x100 + i] = (uint8_t)i;
    std::memset(mc.dram() + 0x3000, 0xee, 64);
    DmaOp o;
    o.dsp = DRAM, o.ssp = NRAM, o.dst = 0x3001, o.src = 0x100;
    o.n0 = 2, o.n1 = 2, o.n2 = 2, o.ss1 = 4, o.ss2 = 16, o.pr = 1, o.pv = 9, o.ds1 = 3, o.ds2 = 8;
    Prog p;
    p.dma_vals(o);
    p.halt();
    ASSERT_DONE(mc.run(p));
    /* plane 0 reads NRAM 0x100.. {0,1}, {4,5}; plane 1 {16,17}, {20,21}; each run + 1 pad byte;
       runs 3 bytes apart, planes 8 bytes apart, starting at 0x3001 */
    const uint8_t E = 0xee;
    const uint8_t exp[] = {E, 0, 1, 9, 4, 5, 9, E, E, 16, 17, 9, 20, 21, 9, E, E};
    EXPECT_EQ(std::vector<uint8_t>(exp, exp + sizeof exp),
              std::vector<uint8_t>(mc.dram() + 0x3000, mc.dram() + 0x3000 + sizeof exp));
}

/* Registers stepped by addi inside a loop give each iteration's addresses. */
TEST(ModelDma, LoopWithSteppedAddresses)
{
    Machine mc;
    for (int i = 0; i < 256; i++)
        mc.dram()[0x4000 + i] = (uint8_t)(i * 7 + 1);
    Prog p;
    p.li(1, 0x10); /* NRAM destination */
    p.li(2, 0x4000);
    p.loop(4);
    p.insn(DLP_I_DMA, {{DLP_F_DSP, NRAM}, {DLP_F_SSP, DRAM}, {DLP_F_RDST, 1}, {DLP_F_RSRC, 2},
                       {DLP_F_N0, 16}, {DLP_F_N1, 1}, {DLP_F_N2, 1}});
    p.addi(1, 1, 16);
    p.addi(2, 2, 32); /* every other 16-byte block */
    p.endloop();
    p.sync();
    p.halt();
    ASSERT_DONE(mc.run(p));
    for (int it = 0; it < 4; it++)
        for (int j = 0; j < 16; j++)
            ASSERT_EQ((uint8_t)((32 * it + j) * 7 + 1), mc.nram()[0x10 + 16 * it + j]) << it << " " << j;
    EXPECT_EQ(0, mc.nram()[0x50]);
}

/* A long transfer that crosses many burst and 4 KiB boundaries, into WRAM and back out. */
TEST(ModelDma, LongUnalignedRoundTrip)
{
    Machine mc;
    Rng g(0xD3A1);
    const uint32_t n = 70001;
    std::vector<uint8_t> data(n);
    g.fill(data.data(), n);
    ASSERT_EQ(0, dlp_dram_write(mc.m, 0x10003, data.data(), n));
    Prog p;
    DmaOp in;
    in.dsp = WRAM, in.ssp = DRAM, in.dst = 0x105, in.src = 0x10003, in.n0 = n;
    p.dma_vals(in);
    p.sync();
    DmaOp out;
    out.dsp = DRAM, out.ssp = WRAM, out.dst = 0x40009, out.src = 0x105, out.n0 = n;
    p.dma_vals(out);
    p.halt();
    ASSERT_DONE(mc.run(p));
    EXPECT_EQ(0, std::memcmp(data.data(), mc.wram() + 0x105, n));
    EXPECT_EQ(0, std::memcmp(data.data(), mc.dram() + 0x40009, n));
}

/* Maximum padding fields: pt = pb = 15 runs, pl/pr of 4095 bytes. */
TEST(ModelDma, MaximumPadding)
{
    Machine mc;
    mc.dram()[0x2000] = 0x42;
    DmaOp o;
    o.dsp = WRAM, o.ssp = DRAM, o.dst = 0, o.src = 0x2000, o.n0 = 1;
    o.pt = 15, o.pb = 15, o.pl = 4095, o.pr = 4095, o.pv = 3;
    o.ds1 = 8191; /* W1 = 4095 + 1 + 4095 */
    Prog p;
    p.dma_vals(o);
    p.halt();
    Snapshot exp = Snapshot::of(mc);
    {
        std::vector<uint8_t> b = p.bytes();
        std::copy(b.begin(), b.end(), exp.dram.begin());
    }
    ref_dma(exp, o);
    ASSERT_DONE(mc.run(p));
    expect_memories(exp, mc);
    EXPECT_EQ(0x42, mc.wram()[15 * 8191 + 4095]);
    EXPECT_EQ(3, mc.wram()[31 * 8191 - 1]);
}
