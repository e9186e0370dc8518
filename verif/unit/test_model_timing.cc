// SPDX-License-Identifier: Apache-2.0
/*
 * Cycle counts of the C model against values derived by hand from docs/timing.md.
 *
 * Common ground for the derivations (default configuration: W = 16-byte beats, bursts of 16
 * beats = 256 bytes, OUTS = 8 outstanding bursts, L = 24 cycles latency, R = C = V = 16):
 *   - fetch of n <= 16 instructions at DRAM 0: one burst of n beats, AR in cycle 1, beats arrive
 *     in 25 .. 24+n and are written one cycle later, so the last word is written in 25+n and
 *     dispatch begins in 26+n;
 *   - scalar instructions take one dispatch cycle; a queued one a check and a push cycle; an
 *     entry pushed in cycle t can start in t+1; halt completes in the first cycle whose starting
 *     state has all queues empty and units idle; cycles = halt's cycle + 1.
 */
#include <map>

#include "model_util.h"

using namespace dlpt;

namespace {

struct Span {
    uint64_t start, end;
    int unit;
};

struct Timed {
    dlp_result_t r;
    std::map<uint32_t, Span> span; /* by pc (straight-line programs) */
};

void on_retire(void *ctx, const dlp_retire_t *x)
{
    static_cast<Timed *>(ctx)->span[x->pc] = {x->start, x->end, x->unit};
}

Timed run_timed(Machine &mc, const Prog &p, uint64_t addr = 0)
{
    Timed t;
    dlp_set_retire_cb(mc.m, on_retire, &t, 0);
    t.r = mc.run(p, addr);
    dlp_set_retire_cb(mc.m, nullptr, nullptr, 0);
    return t;
}

uint64_t busy(const Span &s) { return s.end - s.start + 1; }

dlp_config_t cfg_with(void (*f)(dlp_config_t &))
{
    dlp_config_t c = test_config();
    f(c);
    return c;
}

/* [li r1, dst; li r2, src; dma; halt] with the dma at index 2: fetch of 4 words ends in 29,
   li at 30 and 31, check 32, push 33, the DMA starts in 34. */
Prog dma_prog(DmaOp o)
{
    Prog p;
    p.li(1, o.dst);
    p.li(2, o.src);
    p.dma_regs(o, 1, 2, 0, 0, 0, 0);
    p.halt();
    return p;
}

} // namespace

/* ---- fetch ----------------------------------------------------------------------------------------- */

TEST(ModelTiming, FetchOnlyHalt)
{
    /* 1 instruction: beat arrives in 25, written in 26; halt dispatches in 27 -> 28 cycles */
    Machine mc;
    Prog p;
    p.halt();
    Timed t = run_timed(mc, p);
    ASSERT_DONE(t.r);
    EXPECT_EQ(28u, t.r.counters.cycles);
    EXPECT_EQ(27u, t.r.counters.fetch_cycles);
    EXPECT_EQ(16u, t.r.counters.dram_rd_bytes);
    EXPECT_EQ(1u, t.r.counters.insns);
    EXPECT_EQ(0u, t.r.counters.busy_dma + t.r.counters.busy_mfu + t.r.counters.busy_vfu);
    EXPECT_EQ(27u, t.span[0].end);
}

TEST(ModelTiming, NopsThenHalt)
{
    /* 4 instructions: written by 29; nops in 30, 31, 32; halt in 33 -> 34 cycles */
    Machine mc;
    Prog p;
    p.nop(), p.nop(), p.nop(), p.halt();
    Timed t = run_timed(mc, p);
    ASSERT_DONE(t.r);
    EXPECT_EQ(34u, t.r.counters.cycles);
    EXPECT_EQ(30u, t.span[0].start);
    EXPECT_EQ(33u, t.span[3].end);
}

TEST(ModelTiming, FetchTwoBursts)
{
    /* 20 instructions = 320 bytes: bursts [0, 256) of 16 beats and [256, 320) of 4 beats.
       AR0 = 1, beats 25..40; AR1 = 2, first beat max(2 + 24, 40 + 1) = 41, beats 41..44, last
       write 45. 19 nops in 46..64, halt in 65 -> 66 cycles. */
    Machine mc;
    Prog p;
    for (int i = 0; i < 19; i++)
        p.nop();
    p.halt();
    Timed t = run_timed(mc, p);
    ASSERT_DONE(t.r);
    EXPECT_EQ(66u, t.r.counters.cycles);
    EXPECT_EQ(46u, t.r.counters.fetch_cycles);
    EXPECT_EQ(320u, t.r.counters.dram_rd_bytes);
}

TEST(ModelTiming, FetchBurstSplitAndOutstandingLimit)
{
    /* 2 instructions at 0xf0: bytes 0xf0..0x10f are split at the 256-byte boundary into two
       one-beat bursts. OUTS = 8: AR 1 and 2, beats 25 and max(26, 26) = 26, last write 27;
       nop 28, halt 29 -> 30 cycles. OUTS = 1: AR1 waits for rlast0 + 1 = 26, its beat arrives
       in 50, written 51; nop 52, halt 53 -> 54 cycles. */
    Prog p;
    p.nop(), p.halt();
    {
        Machine mc;
        Timed t = run_timed(mc, p, 0xf0);
        ASSERT_DONE(t.r);
        EXPECT_EQ(30u, t.r.counters.cycles);
    }
    {
        Machine mc(cfg_with([](dlp_config_t &c) { c.max_outstanding = 1; }));
        Timed t = run_timed(mc, p, 0xf0);
        ASSERT_DONE(t.r);
        EXPECT_EQ(54u, t.r.counters.cycles);
    }
}

/* ---- DMA ------------------------------------------------------------------------------------------- */

TEST(ModelTiming, DmaLoad)
{
    /* 64 bytes DRAM 0x1000 -> NRAM 0x40, started in 34: one burst of 4 beats, AR 35, beats
       59..62, written 60..63: busy 34..63 = 30 cycles. halt waits 34..63, completes in 64. */
    Machine mc;
    DmaOp o;
    o.dst = 0x40, o.src = 0x1000, o.n0 = 64;
    Prog p = dma_prog(o);
    Timed t = run_timed(mc, p);
    ASSERT_DONE(t.r);
    EXPECT_EQ(34u, t.span[2].start);
    EXPECT_EQ(63u, t.span[2].end);
    EXPECT_EQ(65u, t.r.counters.cycles);
    EXPECT_EQ(30u, t.r.counters.busy_dma);
    EXPECT_EQ(64u + 64u, t.r.counters.dram_rd_bytes);
    EXPECT_EQ(30u, t.r.counters.stall_sync);
}

TEST(ModelTiming, DmaLoadUnalignedWithPadding)
{
    /* dst NRAM 0x100, ds1 = 32; src DRAM 0x1008, n0 = 20, pt = 1, pl = 3, pr = 2 (W1 = 25).
       Pads: top row 0x100..0x118 (chunks 0x100, 0x110), left 0x120..0x122 (0x120), right
       0x137..0x138 (0x130): 4 chunks. Data [0x1008, 0x101c) covers beats 0x1000 and 0x1010.
       5 instructions: written by 30; li 31, 32, 33; check 34, push 35, start 36. AR 37, beats
       61, 62, written 62, 63; pads in 37..40. End 63: busy 28; halt 64 -> 65 cycles. */
    Machine mc;
    Prog p;
    p.li(1, 0x100), p.li(2, 0x1008), p.li(5, 32);
    DmaOp o;
    o.n0 = 20, o.pt = 1, o.pl = 3, o.pr = 2;
    size_t at = p.dma_regs(o, 1, 2, 0, 0, 5, 0);
    p.halt();
    Timed t = run_timed(mc, p);
    ASSERT_DONE(t.r);
    EXPECT_EQ(36u, t.span[at].start);
    EXPECT_EQ(28u, busy(t.span[at]));
    EXPECT_EQ(65u, t.r.counters.cycles);
}

TEST(ModelTiming, DmaLoadPaddingBeyondLatency)
{
    /* n0 = 1 byte, pt = pb = 15, ds1 = 16: 30 one-byte pad rows = 30 chunks. Started in s, the
       data beat arrives in s + 25 and is written in s + 26. Pads fill s+1..s+25 (25 chunks) and
       s+27..s+31 (5 more): end s + 31, busy 32. Program as dma_prog with ds1 in r5:
       [li r5; li r2; dma; halt]: start 34, end 65, halt 66 -> 67 cycles. */
    Machine mc;
    Prog p;
    p.li(5, 16), p.li(2, 0x1000);
    DmaOp o;
    o.n0 = 1, o.pt = 15, o.pb = 15;
    p.dma_regs(o, 0, 2, 0, 0, 5, 0);
    p.halt();
    Timed t = run_timed(mc, p);
    ASSERT_DONE(t.r);
    EXPECT_EQ(34u, t.span[2].start);
    EXPECT_EQ(32u, busy(t.span[2]));
    EXPECT_EQ(67u, t.r.counters.cycles);
}

TEST(ModelTiming, DmaLoadManyBursts)
{
    /* 1024 bytes from 0x1000 = 4 bursts of 16 beats, started in s = 34.
       OUTS = 8: ARs s+1..s+4; beats back to back from s+25 to s+88, last write s+89: busy 90.
       OUTS = 1: each AR waits for the previous burst's last beat: AR s+1 (beats s+25..s+40),
       s+41 (s+65..s+80), s+81 (s+105..s+120), s+121 (s+145..s+160), written s+161: busy 162. */
    DmaOp o;
    o.dst = 0x40, o.src = 0x1000, o.n0 = 1024;
    Prog p = dma_prog(o);
    {
        Machine mc;
        Timed t = run_timed(mc, p);
        ASSERT_DONE(t.r);
        EXPECT_EQ(90u, busy(t.span[2]));
        EXPECT_EQ(34u + 90 + 1, t.r.counters.cycles);
    }
    {
        Machine mc(cfg_with([](dlp_config_t &c) { c.max_outstanding = 1; }));
        Timed t = run_timed(mc, p);
        ASSERT_DONE(t.r);
        EXPECT_EQ(162u, busy(t.span[2]));
        EXPECT_EQ(34u + 162 + 1, t.r.counters.cycles);
    }
}

TEST(ModelTiming, DmaStore)
{
    /* 64 bytes NRAM 0x40 -> DRAM 0x2000, started in s = 34: beats s+2..s+5 (first beat no
       earlier than start + 2), B response L = 24 after the last beat: s + 29 = 63. busy 30,
       halt in 64 -> 65 cycles. */
    Machine mc;
    DmaOp o;
    o.dsp = DRAM, o.ssp = NRAM, o.dst = 0x2000, o.src = 0x40, o.n0 = 64;
    Prog p = dma_prog(o);
    Timed t = run_timed(mc, p);
    ASSERT_DONE(t.r);
    EXPECT_EQ(34u, t.span[2].start);
    EXPECT_EQ(63u, t.span[2].end);
    EXPECT_EQ(65u, t.r.counters.cycles);
    EXPECT_EQ(64u, t.r.counters.dram_wr_bytes);
    EXPECT_EQ(64u, t.r.counters.dram_rd_bytes); /* the fetch only */
}

TEST(ModelTiming, DmaStoreUnalignedPaddedAndManyBursts)
{
    {
        /* dst 0x2004, n0 = 10, pl = 2, pr = 3: 15 bytes 0x2004..0x2012 = beats 0x2000, 0x2010:
           beats s+2, s+3, B s+27: busy 28 */
        Machine mc;
        DmaOp o;
        o.dsp = DRAM, o.ssp = NRAM, o.dst = 0x2004, o.src = 0x40, o.n0 = 10, o.pl = 2, o.pr = 3;
        Timed t = run_timed(mc, dma_prog(o));
        ASSERT_DONE(t.r);
        EXPECT_EQ(28u, busy(t.span[2]));
        EXPECT_EQ(15u, t.r.counters.dram_wr_bytes);
    }
    DmaOp big;
    big.dsp = DRAM, big.ssp = NRAM, big.dst = 0x2000, big.src = 0x40, big.n0 = 1024;
    {
        /* 4 bursts, OUTS = 8: beats s+2..s+65 back to back, last B at s+89: busy 90 */
        Machine mc;
        Timed t = run_timed(mc, dma_prog(big));
        ASSERT_DONE(t.r);
        EXPECT_EQ(90u, busy(t.span[2]));
    }
    {
        /* OUTS = 1: burst b's first beat waits for bresp[b-1] + 2: beats s+2..s+17 (B s+41),
           s+43..s+58 (B s+82), s+84..s+99 (B s+123), s+125..s+140 (B s+164): busy 165 */
        Machine mc(cfg_with([](dlp_config_t &c) { c.max_outstanding = 1; }));
        Timed t = run_timed(mc, dma_prog(big));
        ASSERT_DONE(t.r);
        EXPECT_EQ(165u, busy(t.span[2]));
    }
}

TEST(ModelTiming, OnChipMoves)
{
    /* chunks split at 16-byte destination addresses; same memory: end = start + 2*chunks;
       different memories: end = start + 1 + chunks */
    struct Case {
        int dsp, ssp;
        uint32_t dst, n0;
        uint64_t busy;
    };
    const Case cases[] = {
        {NRAM, NRAM, 0x100, 40, 7}, /* 0x100..0x127: 3 chunks, 2*3 + 1 */
        {NRAM, NRAM, 0x10f, 40, 9}, /* 0x10f..0x136: 4 chunks */
        {WRAM, NRAM, 0x100, 40, 5}, /* 3 chunks, 1 + 3 + 1 */
        {WRAM, NRAM, 0x10f, 40, 6}, /* 4 chunks */
        {NRAM, WRAM, 0x100, 1, 3},  /* 1 chunk */
        {WRAM, WRAM, 0x100, 1, 3},  /* 1 chunk, 2*1 + 1 */
    };
    for (const Case &c : cases) {
        Machine mc;
        DmaOp o;
        o.dsp = c.dsp, o.ssp = c.ssp, o.dst = c.dst, o.src = 0x400, o.n0 = c.n0;
        Timed t = run_timed(mc, dma_prog(o));
        ASSERT_DONE(t.r);
        EXPECT_EQ(34u, t.span[2].start);
        EXPECT_EQ(c.busy, busy(t.span[2])) << c.dsp << "<-" << c.ssp << " dst 0x" << std::hex << c.dst;
        EXPECT_EQ(34u + c.busy + 1, t.r.counters.cycles);
        EXPECT_EQ(0u, t.r.counters.dram_wr_bytes);
    }
}

/* ---- matrix unit --------------------------------------------------------------------------------------- */

TEST(ModelTiming, Mm)
{
    struct Case {
        uint32_t rows, cols, m0, m1, k, n;
        uint64_t busy;
    };
    const Case cases[] = {
        /* D = 16+16+3 = 35, F = ceil(20/16)*ceil(17/16) = 4: 16 + 4*max(5, 35) + 35 = 191 */
        {16, 16, 5, 1, 20, 17, 191},
        /* M = 100 > D: 16 + 1*100 + 35 = 151 */
        {16, 16, 50, 2, 16, 16, 151},
        /* 4x4: D = 11, F = 3*2 = 6: 4 + 6*11 + 11 = 81 */
        {4, 4, 3, 1, 9, 5, 81},
        /* 8x16: D = 27, F = ceil(17/8)*1 = 3, M = 40: 8 + 3*40 + 27 = 155 */
        {8, 16, 40, 1, 17, 16, 155},
        /* 1x1: D = 5, F = 2*3 = 6, M = 1: 1 + 6*5 + 5 = 36 */
        {1, 1, 1, 1, 2, 3, 36},
    };
    for (const Case &c : cases) {
        dlp_config_t cfg = test_config();
        cfg.rows = c.rows, cfg.cols = c.cols;
        Machine mc(cfg);
        /* [li r1, N; mm; halt]: written by 28; li 29, check 30, push 31, start 32 */
        Prog p;
        p.li(1, c.n);
        MmOp o;
        o.m0 = c.m0, o.m1 = c.m1, o.k = c.k, o.n = c.n;
        p.mm_regs(o, 0, 0, 0, 0, 0, 0, 1);
        p.halt();
        Timed t = run_timed(mc, p);
        ASSERT_DONE(t.r);
        std::string what = std::to_string(c.rows) + "x" + std::to_string(c.cols) + " M=" +
                           std::to_string(c.m0 * c.m1) + " K=" + std::to_string(c.k) +
                           " N=" + std::to_string(c.n);
        EXPECT_EQ(32u, t.span[1].start) << what;
        EXPECT_EQ(c.busy, busy(t.span[1])) << what;
        EXPECT_EQ(c.busy, t.r.counters.busy_mfu) << what;
        EXPECT_EQ(32u + c.busy + 1, t.r.counters.cycles) << what;
        EXPECT_EQ((uint64_t)c.m0 * c.m1 * c.k * c.n, t.r.counters.macs) << what;
    }
}

/* ---- vector unit ----------------------------------------------------------------------------------------- */

TEST(ModelTiming, VectorOps)
{
    struct Case {
        uint32_t lanes;
        int id;
        uint32_t rows, cols;
        uint64_t busy;
    };
    const Case cases[] = {
        /* vrq: ch*(ceil(12V/4V) + rows) + 4, ch = ceil(cols/V) */
        {16, DLP_I_VRQ, 3, 20, 16},  /* 2*(3+3) + 4 */
        {4, DLP_I_VRQ, 3, 20, 34},   /* 5*(3+3) + 4 */
        {1, DLP_I_VRQ, 1, 2, 12},    /* 2*(3+1) + 4 */
        /* vadd: ceil(48/4V) + 3*rows*ch + 4 */
        {16, DLP_I_VADD, 2, 17, 17}, /* 1 + 12 + 4 */
        {4, DLP_I_VADD, 2, 17, 37},  /* 3 + 30 + 4 */
        /* vmax, vmin: 3*rows*ch + 4 */
        {16, DLP_I_VMAX, 1, 16, 7},
        {16, DLP_I_VMIN, 4, 33, 40}, /* 3*4*3 + 4 */
        /* vclamp: 2*rows*ch + 4 */
        {16, DLP_I_VCLAMP, 2, 16, 8},
        {16, DLP_I_VCLAMP, 1, 1, 6},
        /* vlut: ceil(256/4V) + 2*rows*ch + 4 */
        {16, DLP_I_VLUT, 1, 1, 10},  /* 4 + 2 + 4 */
        {4, DLP_I_VLUT, 1, 1, 22},   /* 16 + 2 + 4 */
    };
    for (const Case &c : cases) {
        dlp_config_t cfg = test_config();
        cfg.vlanes = c.lanes;
        Machine mc(cfg);
        /* all operands at address 0 with row stride r5 = cols: exactly in place (the ISA
           forbids destination rows that overlap each other); [li; op; halt]: three beats arrive
           in 25..27 and are written by 28, li 29, check 30, push 31, start 32 */
        Prog p;
        VecOp o;
        o.id = c.id, o.rows = c.rows, o.cols = c.cols;
        p.li(5, c.cols);
        p.vec_regs(o, 0, 0, 0, 0, 5, 5, 5);
        p.halt();
        Timed t = run_timed(mc, p);
        std::string what = std::string(dlp_insn_info[c.id].mnemonic) + " V=" +
                           std::to_string(c.lanes) + " rows=" + std::to_string(c.rows) +
                           " cols=" + std::to_string(c.cols);
        ASSERT_DONE(t.r) << what;
        EXPECT_EQ(32u, t.span[1].start) << what;
        EXPECT_EQ(c.busy, busy(t.span[1])) << what;
        EXPECT_EQ(c.busy, t.r.counters.busy_vfu) << what;
        EXPECT_EQ(0u, t.r.counters.busy_mfu) << what;
        EXPECT_EQ(32u + c.busy + 1, t.r.counters.cycles) << what;
    }
}

TEST(ModelTiming, PoolOps)
{
    /* oh*ow*ceil(ch/V)*(kh*kw + 1) + 4 */
    struct Case {
        int id;
        uint32_t ch, oh, ow, kh, kw, ih, iw, pt;
        uint64_t busy;
    };
    const Case cases[] = {
        {DLP_I_VMAXPOOL, 3, 2, 2, 2, 2, 3, 3, 0, 24},  /* 4*1*5 + 4 */
        {DLP_I_VAVGPOOL, 17, 1, 3, 3, 1, 3, 3, 0, 28}, /* 3*2*4 + 4 */
        {DLP_I_VAVGPOOL, 1, 2, 1, 3, 3, 3, 1, 2, 24},  /* padding positions still cost: 2*1*10 + 4 */
    };
    for (const Case &c : cases) {
        Machine mc;
        Prog p;
        p.li(1, 0x1000);
        /* destination pixels side by side: pixel stride r2 = ch, row stride r3 = ow*ch (the
           ISA forbids destinations that write an element twice); [li x3; pool; halt]: five beats
           arrive in 25..29, written by 30, li 31..33, check 34, push 35, start 36 */
        p.li(2, c.ch);
        p.li(3, c.ow * c.ch);
        size_t at = p.insn(c.id, {{DLP_F_PD, 1}, {DLP_F_PSPD, 2}, {DLP_F_PSRD, 3}, {DLP_F_CH, c.ch}, {DLP_F_OH, c.oh}, {DLP_F_OW, c.ow},
                                  {DLP_F_KH, c.kh}, {DLP_F_KW, c.kw}, {DLP_F_SH, 1}, {DLP_F_SW, 1},
                                  {DLP_F_PPT, c.pt}, {DLP_F_IH, c.ih}, {DLP_F_IW, c.iw}});
        p.halt();
        Timed t = run_timed(mc, p);
        ASSERT_DONE(t.r);
        EXPECT_EQ(36u, t.span[at].start);
        EXPECT_EQ(c.busy, busy(t.span[at]));
        EXPECT_EQ(c.busy, t.r.counters.busy_vfu);
        EXPECT_EQ(36u + c.busy + 1, t.r.counters.cycles);
    }
}

/* ---- front end ----------------------------------------------------------------------------------------------- */

TEST(ModelTiming, TakenEndloopCostsTwoCycles)
{
    /* [loop 3; nop; endloop; halt]: written by 29; loop 30; nop 31; endloop 32 (taken, next
       dispatch 34); nop 34; endloop 35 (taken); nop 37; endloop 38 (not taken, 1 cycle);
       halt 39 -> 40 cycles */
    Machine mc;
    Prog p;
    p.loop(3), p.nop(), p.endloop(), p.halt();
    Timed t = run_timed(mc, p);
    ASSERT_DONE(t.r);
    EXPECT_EQ(40u, t.r.counters.cycles);
    EXPECT_EQ(8u, t.r.counters.insns);
    /* count 1: nothing is taken: loop 30, nop 31, endloop 32, halt 33 -> 34 */
    Prog q;
    q.loop(1), q.nop(), q.endloop(), q.halt();
    t = run_timed(mc, q);
    ASSERT_DONE(t.r);
    EXPECT_EQ(34u, t.r.counters.cycles);
}

TEST(ModelTiming, QueueFullStalls)
{
    /* queue_depth = 1, three vclamps (rows 1, cols 16: 2 + 4 = 6 cycles each), then halt.
       Written by 29. A: check 30, push 31, runs 32..37. B: check 32, push 33 (the queue was
       empty at the start of 33), waits in the queue. C: check 34; its push sees a full queue at
       the start of 35, 36, 37 and 38 (B leaves the queue in 38, but the test sees the state at
       the start of the cycle): 4 stall cycles, push 39. B runs 38..43, C 44..49. halt waits
       40..49 (10 cycles), completes in 50 -> 51 cycles. */
    Machine mc(cfg_with([](dlp_config_t &c) { c.queue_depth = 1; }));
    Prog p;
    VecOp o;
    o.id = DLP_I_VCLAMP, o.cols = 16;
    for (int i = 0; i < 3; i++)
        p.vec_regs(o, 0, 0, 0, 0, 0, 0, 0);
    p.halt();
    Timed t = run_timed(mc, p);
    ASSERT_DONE(t.r);
    EXPECT_EQ(51u, t.r.counters.cycles);
    EXPECT_EQ(32u, t.span[0].start);
    EXPECT_EQ(37u, t.span[0].end);
    EXPECT_EQ(38u, t.span[1].start);
    EXPECT_EQ(44u, t.span[2].start);
    EXPECT_EQ(49u, t.span[2].end);
    EXPECT_EQ(4u, t.r.counters.stall_queue_full);
    EXPECT_EQ(10u, t.r.counters.stall_sync);
    EXPECT_EQ(18u, t.r.counters.busy_vfu);
}

/* ---- counters ------------------------------------------------------------------------------------------------- */

TEST(ModelTiming, CountersOfLoadSyncStore)
{
    /* 0 li r1, 0x40; 1 li r2, 0x1000; 2 dma nram[r1] <- dram[r2], 64; 3 sync; 4 li r3, 0x2000;
       5 dma dram[r3] <- nram[r1], 32; 6 halt.
       7 words, written by 32. li 33, 34; check 35, push 36; load runs 37..66 (AR 38, beats
       62..65, written 63..66); sync waits 37..66 (30), completes 67; li 68; check 69, push 70;
       store runs 71..98 (beats 73, 74, B 98); halt waits 71..98 (28), completes 99. */
    Machine mc;
    Prog p;
    p.li(1, 0x40), p.li(2, 0x1000);
    DmaOp ld;
    ld.n0 = 64;
    p.dma_regs(ld, 1, 2, 0, 0, 0, 0);
    p.sync();
    p.li(3, 0x2000);
    DmaOp st;
    st.dsp = DRAM, st.ssp = NRAM, st.n0 = 32;
    p.dma_regs(st, 3, 1, 0, 0, 0, 0);
    p.halt();
    Timed t = run_timed(mc, p);
    ASSERT_DONE(t.r);
    const dlp_counters_t &c = t.r.counters;
    EXPECT_EQ(100u, c.cycles);
    EXPECT_EQ(33u, c.fetch_cycles);
    EXPECT_EQ(58u, c.busy_dma);
    EXPECT_EQ(0u, c.busy_mfu);
    EXPECT_EQ(0u, c.busy_vfu);
    EXPECT_EQ(112u + 64u, c.dram_rd_bytes);
    EXPECT_EQ(32u, c.dram_wr_bytes);
    EXPECT_EQ(0u, c.macs);
    EXPECT_EQ(7u, c.insns);
    EXPECT_EQ(58u, c.stall_sync);
    EXPECT_EQ(0u, c.stall_queue_full);
    EXPECT_EQ(67u, t.span[3].end);
    EXPECT_EQ(71u, t.span[5].start);
}

/* ---- overlap ---------------------------------------------------------------------------------------------------- */

namespace {

/* Four tiles: load 1024 bytes (64 rows of K = 16) into alternating NRAM buffers and multiply
   each by the same 16x16 weights. `tokens`: double buffering with wait/signal; otherwise a sync
   after every queued instruction. */
Prog tiles_program(bool tokens)
{
    Prog p;
    p.li(1, 0x10000); /* DRAM source, stepped */
    p.li(2, 0), p.li(3, 1024); /* NRAM buffers */
    p.li(4, 16);                /* s0 = K, ws = as = N */
    p.li(6, 0), p.li(7, 1024), p.li(8, 2048), p.li(9, 3072); /* ACC outputs */
    auto load = [&](unsigned buf, unsigned wait) {
        DmaOp o;
        o.n0 = 1024, o.wait = tokens ? wait : 0, o.signal = tokens ? QCP : 0;
        p.dma_regs(o, buf, 1, 0, 0, 0, 0);
        p.addi(1, 1, 1024);
        if (!tokens)
            p.sync();
    };
    auto mm = [&](unsigned acc, unsigned buf, bool sig) {
        MmOp o;
        o.m0 = 64, o.k = 16, o.n = 16, o.wait = tokens ? QLD : 0, o.signal = tokens && sig ? QLD : 0;
        p.mm_regs(o, acc, buf, 0, 4, 0, 4, 4);
        if (!tokens)
            p.sync();
    };
    load(2, 0);
    load(3, 0);
    mm(6, 2, true);
    load(2, QCP);
    mm(7, 3, true);
    load(3, QCP);
    mm(8, 2, false);
    mm(9, 3, false);
    p.halt();
    return p;
}

} // namespace

/*
 * Token version (21 instructions: 0-7 li, 8 LD0, 9 addi, 10 LD1, 11 addi, 12 mm0, 13 LD2,
 * 14 addi, 15 mm1, 16 LD3, 17 addi, 18 mm2, 19 mm3, 20 halt). Fetch: 336 bytes = bursts of 16
 * and 5 beats, beats 25..45, written by 46; dispatch from 47: li 47..54, LD0 check/push 55/56,
 * LD1 58/59, mm0 61/62, ... all pushed by 74, halt waits from 75. Each load is busy 90 (four
 * 16-beat bursts), each mm 16 + max(64, 35) + 35 = 115.
 *   LD0 57..146; LD1 147..236 and mm0 147..261 (token of LD0 usable in 147) in parallel;
 *   LD2 waits for mm0's token: 262..351; mm1 262..376; LD3 waits for mm1: 377..466;
 *   mm2 377..491; mm3 (LD3's token usable in 467, unit free in 492) 492..606; halt 607.
 *   -> 608 cycles.
 * Serial version (a sync after every queued instruction; 29 instructions, written by 54): each
 * load or mm is check, push, then runs from the next cycle and its sync completes one cycle
 * after it ends, the next check follows: LD0 65..154, LD1 158..247, mm0 251..365,
 * LD2 369..458, mm1 462..576, LD3 580..669, mm2 673..787, mm3 791..905, sync 906, halt 907.
 *   -> 908 cycles.
 */
TEST(ModelTiming, DoubleBufferingOverlapsLoadAndCompute)
{
    Rng g(0x0DB);
    std::vector<uint8_t> x(4096), w(256);
    g.fill(x.data(), x.size());
    g.fill(w.data(), w.size());
    for (int tokens : {1, 0}) {
        Machine mc;
        std::memcpy(mc.dram() + 0x10000, x.data(), x.size());
        std::memcpy(mc.wram(), w.data(), w.size());
        Prog p = tiles_program(tokens);
        Timed t = run_timed(mc, p);
        ASSERT_DONE(t.r) << "tokens " << tokens;
        /* results: ACC[1024*i + 16*m + n] = sum_k x[1024*i + 16*m + k] * w[16*k + n] */
        for (int tile = 0; tile < 4; tile++)
            for (int m = 0; m < 64; m++)
                for (int n = 0; n < 16; n++) {
                    int32_t s = 0;
                    for (int k = 0; k < 16; k++)
                        s += (int8_t)x[1024 * tile + 16 * m + k] * (int8_t)w[16 * k + n];
                    ASSERT_EQ(s, mc.acc()[1024 * tile + 16 * m + n]) << tile << " " << m << " " << n;
                }
        EXPECT_EQ(4u * 90, t.r.counters.busy_dma);
        EXPECT_EQ(4u * 115, t.r.counters.busy_mfu);
        uint64_t serial = t.r.counters.fetch_cycles + t.r.counters.busy_dma + t.r.counters.busy_mfu;
        if (tokens) {
            EXPECT_EQ(608u, t.r.counters.cycles);
            EXPECT_LT(t.r.counters.cycles, serial);
            /* the second load runs while the first mm computes */
            const Span &ld1 = t.span[10], &mm0 = t.span[12];
            EXPECT_EQ(147u, ld1.start);
            EXPECT_EQ(147u, mm0.start);
            EXPECT_EQ(261u, mm0.end);
            EXPECT_EQ(492u, t.span[19].start);
        } else {
            EXPECT_EQ(908u, t.r.counters.cycles);
            EXPECT_GT(t.r.counters.cycles, serial);
        }
    }
}

/* dlp_run skips cycles in which nothing can change; stepping every cycle with dlp_step must
   give the same cycle count, counters (stall counters included) and memories. */
TEST(ModelTiming, SteppingMatchesRun)
{
    struct Variant {
        const char *what;
        Prog p;
        dlp_config_t cfg;
    };
    std::vector<Variant> vs;
    vs.push_back({"double buffering with tokens", tiles_program(true), test_config()});
    vs.push_back({"serial with sync", tiles_program(false), test_config()});
    {
        Prog p;
        VecOp o;
        o.id = DLP_I_VCLAMP, o.cols = 16;
        for (int i = 0; i < 3; i++)
            p.vec_regs(o, 0, 0, 0, 0, 0, 0, 0);
        p.halt();
        vs.push_back({"queue full", p, cfg_with([](dlp_config_t &c) { c.queue_depth = 1; })});
    }
    {
        Prog p;
        DmaOp o;
        o.src = 0x1000, o.n0 = 4096;
        p.dma_regs(o, 0, 0, 0, 0, 0, 0);
        p.insn(DLP_I_VCLAMP, {{DLP_F_ROWS, 1}, {DLP_F_COLS, 1}, {DLP_F_WAIT, QST}});
        p.sync();
        vs.push_back({"deadlock after a load", p, test_config()});
        /* an error with the DMA in flight: the stepped run drains the same bursts */
        vs.push_back({"timeout while loading", p, cfg_with([](dlp_config_t &c) { c.max_cycles = 60; })});
    }
    for (Variant &v : vs) {
        Machine a(v.cfg), b(v.cfg);
        Rng g(0x57E9);
        std::vector<uint8_t> x(8192);
        g.fill(x.data(), x.size());
        for (Machine *mc : {&a, &b}) {
            std::memcpy(mc->dram() + 0x10000, x.data(), x.size());
            std::memcpy(mc->wram(), x.data(), 256);
        }
        dlp_result_t ra = a.run(v.p), rb;
        std::vector<uint8_t> bytes = v.p.bytes();
        ASSERT_EQ(0, dlp_dram_write(b.m, 0, bytes.data(), bytes.size()));
        dlp_start(b.m, 0, (uint32_t)v.p.size());
        for (uint64_t n = 0; dlp_step(b.m) == DLP_RUNNING; n++)
            ASSERT_LT(n, 10000000u) << v.what;
        dlp_get_result(b.m, &rb);
        SCOPED_TRACE(v.what);
        EXPECT_EQ(ra.status, rb.status);
        EXPECT_EQ(ra.cause, rb.cause);
        EXPECT_EQ(ra.err_pc, rb.err_pc);
        const dlp_counters_t &ca = ra.counters, &cb = rb.counters;
        EXPECT_EQ(ca.cycles, cb.cycles);
        EXPECT_EQ(ca.busy_dma, cb.busy_dma);
        EXPECT_EQ(ca.busy_mfu, cb.busy_mfu);
        EXPECT_EQ(ca.busy_vfu, cb.busy_vfu);
        EXPECT_EQ(ca.dram_rd_bytes, cb.dram_rd_bytes);
        EXPECT_EQ(ca.dram_wr_bytes, cb.dram_wr_bytes);
        EXPECT_EQ(ca.macs, cb.macs);
        EXPECT_EQ(ca.insns, cb.insns);
        EXPECT_EQ(ca.fetch_cycles, cb.fetch_cycles);
        EXPECT_EQ(ca.stall_queue_full, cb.stall_queue_full);
        EXPECT_EQ(ca.stall_sync, cb.stall_sync);
        expect_memories(Snapshot::of(a), b);
    }
}
