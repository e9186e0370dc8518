// SPDX-License-Identifier: Apache-2.0
/*
 * The vector queue VF (ISA v2) on the C model: a vector instruction with vq=1 runs on the VFU
 * while an mm runs on the MFU, unless the two touch a common memory half or a token orders them.
 * Expectations come from docs/timing.md ("Compute units": the start rules, the busy-cycle
 * formulas) and docs/isa.md (mask bits), written out here, not taken from the model.
 */
#include <map>

#include "model_util.h"

using namespace dlpt;

namespace {

struct Rec {
    uint64_t start, end;
    int unit, queue;
};

struct Recorder {
    std::map<uint32_t, Rec> by_pc;
    static void cb(void *ctx, const dlp_retire_t *x)
    {
        static_cast<Recorder *>(ctx)->by_pc[x->pc] = Rec{x->start, x->end, x->unit, x->queue};
    }
};

/* Default machine: NRAM 128 KiB (halves at 64 KiB), WRAM 256 KiB (128 KiB), ACC 16 Ki elements
   (8 Ki). */
constexpr uint32_t NRAM_HI = 0x10000, WRAM_HI = 0x20000, ACC_HI = 0x2000;

/* docs/timing.md: mm busy = R + F*max(M, D) + D with D = R + C + 3 (DLP_T_MFU_PIPE); vrq busy =
   ch*(ceil(12V/4V) + rows) + 4; vmax busy = 3*rows*ch + 4. */
uint64_t mm_cycles(const dlp_config_t &c, uint64_t m, uint64_t k, uint64_t n)
{
    uint64_t d = c.rows + c.cols + 3, f = ((k + c.rows - 1) / c.rows) * ((n + c.cols - 1) / c.cols);
    return c.rows + f * (m > d ? m : d) + d;
}
uint64_t vrq_cycles(const dlp_config_t &c, uint64_t rows, uint64_t cols)
{
    return (cols + c.vlanes - 1) / c.vlanes * (3 + rows) + 4;
}
uint64_t vmax_cycles(const dlp_config_t &c, uint64_t rows, uint64_t cols)
{
    return 3 * rows * ((cols + c.vlanes - 1) / c.vlanes) + 4;
}

MmOp big_mm(uint32_t acc, uint32_t in, uint32_t w)
{
    MmOp o;
    o.acc = acc, o.in = in, o.w = w;
    o.m0 = 64, o.k = 64, o.n = 32, o.s0 = 64, o.ws = 32, o.as = 32;
    return o;
}

VecOp vrq(uint32_t d, uint32_t a, uint32_t p, int vq)
{
    VecOp o;
    o.id = DLP_I_VRQ, o.d = d, o.a = a, o.p = p, o.rows = 16, o.cols = 32, o.sd = 32, o.sa = 32;
    o.i1 = -128, o.i2 = 127, o.vq = vq;
    return o;
}

struct Outcome {
    dlp_result_t res;
    Recorder rec;
};

Outcome run(Machine &mc, const Prog &p)
{
    Outcome r;
    dlp_set_retire_cb(mc.m, Recorder::cb, &r.rec, 0);
    r.res = mc.run(p);
    return r;
}

/* big_mm, then the vrq v, then halt; *a and *b are their indices in the retire record. */
Outcome run_mm_vrq(Machine &mc, const VecOp &v, size_t *a, size_t *b)
{
    Prog p;
    *a = p.mm_vals(big_mm(0, 0, 0));
    *b = p.vec_vals(v);
    p.halt();
    return run(mc, p);
}

} // namespace

/* The model's timing formulas match the ones above (so the tests below test the overlap). */
TEST(ModelVf, BusyCyclesAsDocumented)
{
    Machine mc;
    size_t a, b;
    Outcome r = run_mm_vrq(mc, vrq(NRAM_HI, ACC_HI, WRAM_HI, 1), &a, &b);
    ASSERT_DONE(r.res);
    EXPECT_EQ(mm_cycles(mc.cfg, 64, 64, 32), r.rec.by_pc[a].end - r.rec.by_pc[a].start + 1);
    EXPECT_EQ(vrq_cycles(mc.cfg, 16, 32), r.rec.by_pc[b].end - r.rec.by_pc[b].start + 1);
    EXPECT_EQ(DLP_UNIT_VFU, r.rec.by_pc[b].unit);
    EXPECT_EQ(DLP_Q_VF, r.rec.by_pc[b].queue);
}

/* Disjoint halves, no token: the vrq on VF starts while the mm runs. */
TEST(ModelVf, OverlapsMatrixUnit)
{
    Machine mc;
    size_t a, b;
    Outcome r = run_mm_vrq(mc, vrq(NRAM_HI, ACC_HI, WRAM_HI, 1), &a, &b);
    ASSERT_DONE(r.res);
    const Rec &m = r.rec.by_pc[a], &v = r.rec.by_pc[b];
    EXPECT_GT(v.start, m.start);
    EXPECT_LT(v.end, m.end) << "the vrq ran entirely inside the mm";
    EXPECT_EQ(r.res.counters.busy_mfu, m.end - m.start + 1);
    EXPECT_EQ(r.res.counters.busy_vfu, v.end - v.start + 1);
}

/* The same vrq on CP waits for the mm (one CP instruction at a time). */
TEST(ModelVf, CpVectorStaysInOrder)
{
    Machine mc;
    size_t a, b;
    Outcome r = run_mm_vrq(mc, vrq(NRAM_HI, ACC_HI, WRAM_HI, 0), &a, &b);
    ASSERT_DONE(r.res);
    EXPECT_EQ(r.rec.by_pc[a].end + 1, r.rec.by_pc[b].start);
    EXPECT_EQ(DLP_Q_CP, r.rec.by_pc[b].queue);
}

/* A common half of any memory serialises them: the VF instruction starts after the mm. */
TEST(ModelVf, CommonHalfSerialises)
{
    struct Case {
        const char *what;
        uint32_t d, a, p;
    };
    const Case cases[] = {
        {"nram", 0x8000, ACC_HI, WRAM_HI},       /* destination in the mm's NRAM half */
        {"acc", NRAM_HI, 0x1000, WRAM_HI},       /* source in the mm's ACC half */
        {"wram", NRAM_HI, ACC_HI, 0x100},        /* parameters in the mm's WRAM half */
        {"straddle", NRAM_HI - 16, ACC_HI, WRAM_HI}, /* destination crosses into the low half */
    };
    for (const Case &c : cases) {
        Machine mc;
        size_t a, b;
        Outcome r = run_mm_vrq(mc, vrq(c.d, c.a, c.p, 1), &a, &b);
        ASSERT_DONE(r.res) << c.what;
        EXPECT_EQ(r.rec.by_pc[a].end + 1, r.rec.by_pc[b].start) << c.what;
    }
    /* and the reverse: an mm behind a running VF instruction on a common half waits for it */
    Machine mc;
    Prog p;
    VecOp v = vrq(0x100, 0x1000, WRAM_HI, 1);
    v.rows = 200;
    size_t b = p.vec_vals(v);
    MmOp m = big_mm(ACC_HI, 0x8000, 0);
    m.wait = 0;
    size_t a = p.mm_vals(m);
    p.halt();
    Outcome r = run(mc, p);
    ASSERT_DONE(r.res);
    EXPECT_LT(r.rec.by_pc[b].start, r.rec.by_pc[a].start);
    EXPECT_EQ(r.rec.by_pc[b].end + 1, r.rec.by_pc[a].start);
}

/* Tokens order the queues: mm signal=vf (its own bit), vrq on VF wait=cp. */
TEST(ModelVf, TokensOrderMatrixAndVector)
{
    Machine mc;
    Prog p;
    MmOp m = big_mm(0, 0, 0);
    m.signal = QCP; /* own bit of CP = VF */
    size_t a = p.mm_vals(m);
    VecOp v = vrq(NRAM_HI, ACC_HI, WRAM_HI, 1);
    v.wait = QCP;
    size_t b = p.vec_vals(v);
    p.halt();
    Outcome r = run(mc, p);
    ASSERT_DONE(r.res);
    EXPECT_EQ(r.rec.by_pc[a].end + 1, r.rec.by_pc[b].start);
}

/* A vector instruction on CP needs the VFU, which a VF instruction may hold, and the other way. */
TEST(ModelVf, QueuesShareTheVectorUnit)
{
    Machine mc;
    Prog p;
    VecOp x;
    x.id = DLP_I_VMAX, x.d = 0x100, x.a = 0x200, x.b = 0x300, x.rows = 8, x.cols = 16;
    x.sd = x.sa = x.sb = 16, x.vq = 1;
    size_t a = p.vec_vals(x);
    x.vq = 0, x.d = 0x400;
    size_t b = p.vec_vals(x);
    x.vq = 1, x.d = 0x500;
    size_t c = p.vec_vals(x);
    p.halt();
    Outcome r = run(mc, p);
    ASSERT_DONE(r.res);
    EXPECT_EQ(vmax_cycles(mc.cfg, 8, 16), r.rec.by_pc[a].end - r.rec.by_pc[a].start + 1);
    EXPECT_EQ(r.rec.by_pc[a].end + 1, r.rec.by_pc[b].start);
    EXPECT_EQ(r.rec.by_pc[b].end + 1, r.rec.by_pc[c].start);
    EXPECT_EQ(DLP_Q_CP, r.rec.by_pc[b].queue);
}

/* Both heads ready in one cycle (one DMA signals CP and VF): CP starts first; the VF head goes
   along if the halves are disjoint, else after the mm. */
TEST(ModelVf, SameCycleCpFirst)
{
    for (int common = 0; common < 2; common++) {
        Machine mc;
        Prog p;
        DmaOp d;
        d.dsp = NRAM, d.ssp = DRAM, d.dst = 0x3000, d.src = 0x8000, d.n0 = 64;
        d.signal = QCP | QLD; /* LD's own bit = VF */
        size_t x = p.dma_vals(d);
        MmOp m = big_mm(0, 0, 0);
        m.wait = QLD;
        size_t a = p.mm_vals(m);
        VecOp v = vrq(common ? 0x4000 : NRAM_HI, ACC_HI, WRAM_HI, 1);
        v.wait = QLD;
        size_t b = p.vec_vals(v);
        p.halt();
        Outcome r = run(mc, p);
        ASSERT_DONE(r.res);
        EXPECT_EQ(r.rec.by_pc[x].end + 1, r.rec.by_pc[a].start) << common;
        EXPECT_EQ(common ? r.rec.by_pc[a].end + 1 : r.rec.by_pc[x].end + 1, r.rec.by_pc[b].start)
            << common;
    }
}

/* The results do not depend on the queue: the same mm + vrq pipeline, ordered by tokens on two
   queues or by the CP queue alone, writes the same memories. */
TEST(ModelVf, SameResultsAsInOrder)
{
    Snapshot out[2];
    for (int vq = 0; vq < 2; vq++) {
        Machine mc;
        std::mt19937 g(7);
        for (uint32_t i = 0; i < 0x4000; i++)
            mc.nram()[i] = (uint8_t)g();
        for (uint32_t i = 0; i < 0x2000; i++)
            mc.wram()[i] = (uint8_t)g();
        for (uint32_t c = 0; c < 32; c++) {
            uint8_t *q = mc.wram() + WRAM_HI + 12 * c;
            uint32_t vals[3] = {(uint32_t)(g() % 1000), (uint32_t)(0x40000000u + g() % 0x10000000u), (uint32_t)-8};
            std::memcpy(q, vals, 12);
        }
        Prog p;
        /* two tiles: mm into ACC half t, vrq of that half while the next mm computes */
        for (uint32_t t = 0; t < 4; t++) {
            MmOp m = big_mm((t & 1) * ACC_HI, t * 0x1000, 0);
            if (vq) {
                m.signal = QCP;          /* to VF: tile ready */
                m.wait = t >= 2 ? QCP : 0; /* from VF: the half was drained */
            }
            p.mm_vals(m);
            VecOp v = vrq(NRAM_HI + t * 0x800, (t & 1) * ACC_HI, WRAM_HI, vq);
            v.rows = 64;
            if (vq) {
                v.wait = QCP;
                v.signal = t < 2 ? QCP : 0;
            }
            p.vec_vals(v);
        }
        p.halt();
        dlp_result_t r = mc.run(p);
        ASSERT_DONE(r);
        out[vq] = Snapshot::of(mc);
    }
    /* DRAM holds the two (different) programs; the scratchpads must agree */
    EXPECT_EQ("", first_diff("NRAM", out[0].nram, out[1].nram));
    EXPECT_EQ("", first_diff("WRAM", out[0].wram, out[1].wram));
    EXPECT_EQ("", first_diff("ACC", out[0].acc, out[1].acc));
}

/* Without the token that would release it, a VF head deadlocks; a full VF channel overflows. */
TEST(ModelVf, DeadlockAndOverflow)
{
    {
        Machine mc;
        Prog p;
        VecOp v = vrq(NRAM_HI, ACC_HI, WRAM_HI, 1);
        v.wait = QCP;
        p.vec_vals(v);
        size_t s = p.sync();
        p.halt();
        dlp_result_t r = mc.run(p);
        EXPECT_FAULT(r, DLP_CAUSE_DEADLOCK, s);
    }
    {
        dlp_config_t c = test_config();
        c.token_max = 1;
        Machine mc(c);
        Prog p;
        VecOp v = vrq(NRAM_HI, ACC_HI, WRAM_HI, 1);
        v.signal = QST; /* VF -> ST, never consumed */
        p.vec_vals(v);
        size_t second = p.vec_vals(v);
        p.halt();
        dlp_result_t r = mc.run(p);
        EXPECT_FAULT(r, DLP_CAUSE_TOKEN_OVERFLOW, second);
        EXPECT_EQ(3u * 4 + 2, r.err_info) << "from VF (3) to ST (2)";
    }
}
