// SPDX-License-Identifier: Apache-2.0
/*
 * Every error path of the C model: the exact cause (docs/csr.md) and faulting instruction index,
 * that the run terminates, and that a failing instruction has no effect. Also the host-side
 * checks: dlp_config_check, dlp_set_window, dlp_dram_read/write.
 */
#include <set>

#include "model_util.h"

using namespace dlpt;

namespace {

/* Bits owned by each instruction's fields, typed from the bit tables of docs/isa.md
   (hi, lo pairs); everything else is reserved. */
struct Range {
    unsigned hi, lo;
};
std::vector<Range> doc_layout(int id)
{
    const Range op{5, 0}, ws{11, 6};
    switch (id) {
    case DLP_I_NOP:
    case DLP_I_HALT:
    case DLP_I_SYNC:
    case DLP_I_ENDLOOP:
        return {op};
    case DLP_I_LI:
        return {op, {19, 16}, {63, 32}};
    case DLP_I_ADDI:
    case DLP_I_MULI:
    case DLP_I_SLLI:
    case DLP_I_SRLI:
        return {op, {19, 16}, {23, 20}, {63, 32}};
    case DLP_I_ADD:
    case DLP_I_SUB:
    case DLP_I_MUL:
        return {op, {19, 16}, {23, 20}, {27, 24}};
    case DLP_I_LOOP:
        return {op, {63, 32}, {79, 64}};
    case DLP_I_LOOPR:
        return {op, {23, 20}, {79, 64}};
    case DLP_I_DMA:
        return {{127, 0}};
    case DLP_I_MM:
        return {op, ws, {12, 12}, {103, 16}};
    case DLP_I_VRQ:
        return {op, ws, {12, 12}, {23, 16}, {39, 28}, {99, 44}};
    case DLP_I_VADD:
        return {op, ws, {12, 12}, {75, 16}};
    case DLP_I_VMAX:
    case DLP_I_VMIN:
        return {op, ws, {12, 12}, {27, 16}, {75, 32}};
    case DLP_I_VCLAMP:
        return {op, ws, {12, 12}, {23, 16}, {39, 32}, {91, 44}};
    case DLP_I_VLUT:
        return {op, ws, {12, 12}, {23, 16}, {39, 28}, {75, 44}};
    case DLP_I_VMAXPOOL:
    case DLP_I_VAVGPOOL:
        return {op, ws, {12, 12}, {127, 16}};
    }
    return {};
}

bool doc_used(int id, unsigned bit)
{
    for (Range r : doc_layout(id))
        if (bit >= r.lo && bit <= r.hi)
            return true;
    return false;
}

/* A legal program [li r1, 0x100; <insn id>; halt] (endloop: inside a loop of count 1).
   Returns the index of the instruction under test. */
size_t legal_program(Prog &p, int id)
{
    p.li(1, 0x100);
    size_t i;
    switch (id) {
    case DLP_I_LOOP:
        i = p.loop(0);
        p.endloop();
        break;
    case DLP_I_LOOPR:
        i = p.loopr(0);
        p.endloop();
        break;
    case DLP_I_ENDLOOP:
        p.loop(1);
        i = p.endloop();
        break;
    case DLP_I_DMA:
        i = p.insn(id, {{DLP_F_DSP, NRAM}, {DLP_F_SSP, DRAM}, {DLP_F_N0, 1}, {DLP_F_N1, 1}, {DLP_F_N2, 1}});
        break;
    case DLP_I_MM:
        i = p.insn(id, {{DLP_F_M0, 1}, {DLP_F_M1, 1}, {DLP_F_KDIM, 1}, {DLP_F_NDIM, 1}});
        break;
    case DLP_I_VMAXPOOL:
    case DLP_I_VAVGPOOL:
        i = p.insn(id, {{DLP_F_PD, 1}, {DLP_F_CH, 1}, {DLP_F_OH, 1}, {DLP_F_OW, 1}, {DLP_F_KH, 1},
                        {DLP_F_KW, 1}, {DLP_F_SH, 1}, {DLP_F_SW, 1}, {DLP_F_IH, 1}, {DLP_F_IW, 1}});
        break;
    case DLP_I_VRQ:
    case DLP_I_VADD:
    case DLP_I_VMAX:
    case DLP_I_VMIN:
    case DLP_I_VCLAMP:
    case DLP_I_VLUT:
        i = p.insn(id, {{DLP_F_ROWS, 1}, {DLP_F_COLS, 1}});
        break;
    case DLP_I_HALT:
        i = p.halt();
        return i;
    default:
        i = p.insn(id, {});
        break;
    }
    p.halt();
    return i;
}

/* Runs a program expected to fail. */
void expect_fault(Machine &mc, const Prog &p, int cause, uint32_t pc, const std::string &what = "")
{
    dlp_result_t r = mc.run(p);
    SCOPED_TRACE(what);
    EXPECT_FAULT(r, cause, pc);
    EXPECT_NE('\0', r.message[0]) << "an error comes with a message";
}

const char *mn(int id) { return dlp_insn_info[id].mnemonic; }

} // namespace

/* ---- encoding ----------------------------------------------------------------------------------------- */

TEST(ModelErrors, UndefinedOpcodes)
{
    Machine mc;
    std::set<unsigned> defined;
    for (int id = 0; id < DLP_I_COUNT; id++)
        defined.insert(opcode_of(id));
    for (unsigned op = 0; op < 64; op++) {
        if (defined.count(op))
            continue;
        Prog p;
        p.nop();
        p.raw(op);
        p.halt();
        expect_fault(mc, p, DLP_CAUSE_ILLEGAL_OPCODE, 1, "opcode " + std::to_string(op));
    }
}

TEST(ModelErrors, AllZeroWordTraps)
{
    /* zeroed memory: the first instruction is the all-zero word */
    Machine mc;
    dlp_result_t r;
    dlp_run(mc.m, 0x100, 4, &r);
    EXPECT_FAULT(r, DLP_CAUSE_ILLEGAL_OPCODE, 0);
    /* and after legal ones */
    Prog p;
    p.li(1, 2);
    p.raw(0, 0, 0, 0);
    expect_fault(mc, p, DLP_CAUSE_ILLEGAL_OPCODE, 1);
}

/* The reserved-bit masks of the generated table agree with the bit tables of docs/isa.md. */
TEST(ModelErrors, GeneratedUsedMasksMatchDocs)
{
    for (int id = 0; id < DLP_I_COUNT; id++)
        for (unsigned bit = 0; bit < 128; bit++)
            EXPECT_EQ(doc_used(id, bit), (dlp_insn_info[id].used[bit / 32] >> (bit % 32) & 1) != 0)
                << mn(id) << " bit " << bit;
}

/* Every reserved bit of every instruction traps with ILLEGAL_ENCODING at that instruction. */
TEST(ModelErrors, EveryReservedBitTraps)
{
    Machine mc;
    for (int id = 0; id < DLP_I_COUNT; id++) {
        Prog base;
        size_t at = legal_program(base, id);
        dlp_result_t r = mc.run(base);
        ASSERT_DONE(r) << "legal base program for " << mn(id);
        int reserved = 0;
        for (unsigned bit = 6; bit < 128; bit++) {
            if (doc_used(id, bit))
                continue;
            Prog p = base;
            p.set_bit(at, bit);
            r = mc.run(p);
            EXPECT_FAULT(r, DLP_CAUSE_ILLEGAL_ENCODING, at) << mn(id) << " reserved bit " << bit;
            reserved++;
        }
        if (id != DLP_I_DMA && id != DLP_I_VMAXPOOL && id != DLP_I_VAVGPOOL) {
            EXPECT_GT(reserved, 0) << mn(id);
        }
    }
}

TEST(ModelErrors, DmaSpaceThreeAndDramToDram)
{
    Machine mc;
    struct {
        int dsp, ssp;
    } cases[] = {{3, DRAM}, {NRAM, 3}, {3, 3}, {DRAM, 3}, {DRAM, DRAM}};
    for (auto c : cases) {
        Prog p;
        p.nop();
        p.insn(DLP_I_DMA, {{DLP_F_DSP, c.dsp}, {DLP_F_SSP, c.ssp}, {DLP_F_N0, 1}, {DLP_F_N1, 1},
                           {DLP_F_N2, 1}});
        p.halt();
        expect_fault(mc, p, DLP_CAUSE_ILLEGAL_ENCODING, 1,
                     "dsp " + std::to_string(c.dsp) + " ssp " + std::to_string(c.ssp));
    }
}

TEST(ModelErrors, ZeroSizes)
{
    Machine mc;
    struct Case {
        int id;
        dlp_field f;
    };
    const Case cases[] = {
        {DLP_I_DMA, DLP_F_N0},        {DLP_I_DMA, DLP_F_N1},        {DLP_I_DMA, DLP_F_N2},
        {DLP_I_MM, DLP_F_M0},         {DLP_I_MM, DLP_F_M1},         {DLP_I_MM, DLP_F_KDIM},
        {DLP_I_MM, DLP_F_NDIM},       {DLP_I_VRQ, DLP_F_ROWS},      {DLP_I_VRQ, DLP_F_COLS},
        {DLP_I_VADD, DLP_F_ROWS},     {DLP_I_VADD, DLP_F_COLS},     {DLP_I_VMAX, DLP_F_ROWS},
        {DLP_I_VMAX, DLP_F_COLS},     {DLP_I_VMIN, DLP_F_ROWS},     {DLP_I_VMIN, DLP_F_COLS},
        {DLP_I_VCLAMP, DLP_F_ROWS},   {DLP_I_VCLAMP, DLP_F_COLS},   {DLP_I_VLUT, DLP_F_ROWS},
        {DLP_I_VLUT, DLP_F_COLS},
    };
    for (const Case &c : cases) {
        Prog p;
        size_t at = legal_program(p, c.id);
        p.set(at, c.f, 0);
        expect_fault(mc, p, DLP_CAUSE_ILLEGAL_ENCODING, at,
                     std::string(mn(c.id)) + " " + dlp_field_info[c.f].name + " = 0");
    }
    for (int id : {DLP_I_VMAXPOOL, DLP_I_VAVGPOOL})
        for (dlp_field f : {DLP_F_CH, DLP_F_OH, DLP_F_OW, DLP_F_KH, DLP_F_KW, DLP_F_SH, DLP_F_SW,
                            DLP_F_IH, DLP_F_IW}) {
            Prog p;
            size_t at = legal_program(p, id);
            p.set(at, f, 0);
            expect_fault(mc, p, DLP_CAUSE_ILLEGAL_ENCODING, at,
                         std::string(mn(id)) + " " + dlp_field_info[f].name + " = 0");
        }
}

/* ISA v2: every mask bit is legal; the bit of the instruction's own queue names VF. The table
   below is written from docs/isa.md (bits 0 LD, 1 CP, 2 ST; own bit = VF), not from the decoder. */
TEST(ModelErrors, OwnQueueBitNamesVf)
{
    struct Case {
        int id;
        std::vector<std::pair<dlp_field, int64_t>> f;
        int queue;
        unsigned named[3]; /* queue named by encoded bits 0, 1, 2 */
    };
    const Case cases[] = {
        {DLP_I_DMA, {{DLP_F_DSP, NRAM}, {DLP_F_SSP, DRAM}}, DLP_Q_LD, {DLP_Q_VF, DLP_Q_CP, DLP_Q_ST}},
        {DLP_I_DMA, {{DLP_F_DSP, DRAM}, {DLP_F_SSP, NRAM}}, DLP_Q_ST, {DLP_Q_LD, DLP_Q_CP, DLP_Q_VF}},
        {DLP_I_MM, {}, DLP_Q_CP, {DLP_Q_LD, DLP_Q_VF, DLP_Q_ST}},
        {DLP_I_VRQ, {}, DLP_Q_CP, {DLP_Q_LD, DLP_Q_VF, DLP_Q_ST}},
        {DLP_I_VRQ, {{DLP_F_VQ, 1}}, DLP_Q_VF, {DLP_Q_LD, DLP_Q_CP, DLP_Q_ST}},
        {DLP_I_VAVGPOOL, {{DLP_F_VQ, 1}}, DLP_Q_VF, {DLP_Q_LD, DLP_Q_CP, DLP_Q_ST}},
    };
    for (const Case &c : cases)
        for (unsigned bit = 0; bit < 3; bit++) {
            uint32_t w[4] = {opcode_of(c.id), 0, 0, 0};
            for (auto &kv : c.f)
                dlp_field_set_raw(w, kv.first, (uint64_t)kv.second);
            dlp_field_set_raw(w, DLP_F_WAIT, 1u << bit);
            dlp_field_set_raw(w, DLP_F_SIGNAL, 7u & ~(1u << bit));
            dlp_insn_t d;
            char msg[160];
            /* sizes are not checked by this test: zero sizes make decode fail, so set them */
            for (dlp_field sz : {DLP_F_N0, DLP_F_N1, DLP_F_N2, DLP_F_M0, DLP_F_M1, DLP_F_KDIM,
                                 DLP_F_NDIM, DLP_F_ROWS, DLP_F_COLS, DLP_F_CH, DLP_F_OH, DLP_F_OW,
                                 DLP_F_KH, DLP_F_KW, DLP_F_SH, DLP_F_SW, DLP_F_IH, DLP_F_IW})
                for (int i = 0; i < dlp_insn_info[c.id].nfields; i++)
                    if (dlp_insn_info[c.id].fields[i] == sz)
                        dlp_field_set_raw(w, sz, 1);
            ASSERT_EQ(DLP_CAUSE_NONE, dlp_decode(w, &d, msg, sizeof msg)) << mn(c.id) << ": " << msg;
            EXPECT_EQ(c.queue, d.queue) << mn(c.id);
            unsigned all = 1u << c.named[0] | 1u << c.named[1] | 1u << c.named[2];
            EXPECT_EQ(1u << c.named[bit], d.wait_q) << mn(c.id) << " bit " << bit;
            EXPECT_EQ(all & ~(1u << c.named[bit]), d.signal_q) << mn(c.id) << " bit " << bit;
        }
}

TEST(ModelErrors, ShiftAmountOutOfRange)
{
    Machine mc;
    for (int id : {DLP_I_SLLI, DLP_I_SRLI})
        for (uint32_t sh : {32u, 33u, 100u, 0xffffffffu, 0x80000000u}) {
            Prog p;
            p.li(1, 5);
            p.insn(id, {{DLP_F_RD, 2}, {DLP_F_RS1, 1}, {DLP_F_IMM32, sh}});
            p.halt();
            expect_fault(mc, p, DLP_CAUSE_ILLEGAL_ENCODING, 1, std::string(mn(id)) + " " + std::to_string(sh));
            EXPECT_EQ(0u, dlp_reg(mc.m, 2));
        }
}

TEST(ModelErrors, LoAboveHi)
{
    Machine mc;
    {
        Prog p;
        size_t at = legal_program(p, DLP_I_VRQ);
        p.set(at, DLP_F_I1, 5); /* lo */
        p.set(at, DLP_F_I2, 4); /* hi */
        expect_fault(mc, p, DLP_CAUSE_ILLEGAL_ENCODING, at, "vrq");
        p.set(at, DLP_F_I2, 5); /* lo == hi is legal */
        ASSERT_DONE(mc.run(p));
        p.set(at, DLP_F_I1, 127);
        p.set(at, DLP_F_I2, -128);
        expect_fault(mc, p, DLP_CAUSE_ILLEGAL_ENCODING, at, "vrq 127 > -128");
    }
    {
        Prog p;
        size_t at = legal_program(p, DLP_I_VCLAMP);
        p.set(at, DLP_F_I0, 0);
        p.set(at, DLP_F_I1, -1);
        expect_fault(mc, p, DLP_CAUSE_ILLEGAL_ENCODING, at, "vclamp");
        p.set(at, DLP_F_I1, 0);
        ASSERT_DONE(mc.run(p));
    }
}

TEST(ModelErrors, PoolWindowWithoutValidPosition)
{
    Machine mc;
    struct Case {
        uint32_t kh, kw, sh, sw, pt, pl, ih, iw, oh, ow;
        bool legal;
    };
    const Case cases[] = {
        {2, 2, 1, 1, 2, 0, 4, 4, 1, 1, false}, /* pt = kh: first window entirely above */
        {2, 2, 1, 1, 0, 2, 4, 4, 1, 1, false}, /* pl = kw */
        {2, 2, 1, 1, 1, 1, 4, 4, 1, 1, true},  /* pt = kh - 1: one valid row */
        {2, 2, 2, 2, 0, 0, 3, 3, 3, 1, false}, /* last row window starts at 4 >= ih = 3 */
        {2, 2, 2, 2, 0, 0, 3, 3, 2, 2, true},  /* starts at 2 = ih - 1 */
        {3, 3, 2, 2, 1, 1, 3, 3, 3, 1, false}, /* (3-1)*2 - 1 = 3 >= 3 */
        {3, 3, 2, 2, 1, 1, 4, 4, 3, 1, true},  /* 3 = ih - 1 */
        {1, 1, 1, 3, 0, 0, 1, 7, 1, 4, false}, /* (4-1)*3 = 9 >= 7 columns */
    };
    for (int id : {DLP_I_VMAXPOOL, DLP_I_VAVGPOOL})
        for (const Case &c : cases) {
            Prog p;
            p.li(1, 0x1000);
            p.li(2, 1);  /* pixel stride */
            p.li(3, 16); /* row stride */
            size_t at = p.insn(id, {{DLP_F_PD, 1}, {DLP_F_PSPA, 2}, {DLP_F_PSRA, 3}, {DLP_F_PSPD, 2},
                                    {DLP_F_PSRD, 3}, {DLP_F_CH, 1}, {DLP_F_OH, c.oh}, {DLP_F_OW, c.ow},
                                    {DLP_F_KH, c.kh}, {DLP_F_KW, c.kw}, {DLP_F_SH, c.sh},
                                    {DLP_F_SW, c.sw}, {DLP_F_PPT, c.pt}, {DLP_F_PPL, c.pl},
                                    {DLP_F_IH, c.ih}, {DLP_F_IW, c.iw}});
            p.halt();
            std::string what = std::string(mn(id)) + " kh=" + std::to_string(c.kh) +
                               " pt=" + std::to_string(c.pt) + " pl=" + std::to_string(c.pl) +
                               " oh=" + std::to_string(c.oh) + " ow=" + std::to_string(c.ow);
            if (c.legal) {
                dlp_result_t r = mc.run(p);
                EXPECT_DONE(r) << what;
            } else {
                expect_fault(mc, p, DLP_CAUSE_ILLEGAL_ENCODING, at, what);
            }
        }
}

/* ---- DRAM window ---------------------------------------------------------------------------------------- */

TEST(ModelErrors, DmaOutsideWindow)
{
    Machine mc;
    /* program at 0x8000, window [0x8000, 0x20000) */
    const uint32_t base = 0x8000, limit = 0x20000;
    ASSERT_EQ(0, dlp_set_window(mc.m, base, limit));
    struct Case {
        DmaOp o;
        bool legal;
        uint32_t info; /* ERR_INFO: the offending address (lowest byte below the base, highest
                          byte above the limit, low 32 bits) */
        const char *what;
    };
    std::vector<Case> cases;
    auto load = [](uint32_t src, uint32_t n0) {
        DmaOp o;
        o.dsp = NRAM, o.ssp = DRAM, o.src = src, o.n0 = n0;
        return o;
    };
    auto store = [](uint32_t dst, uint32_t n0) {
        DmaOp o;
        o.dsp = DRAM, o.ssp = NRAM, o.dst = dst, o.n0 = n0;
        return o;
    };
    cases.push_back({load(base, 16), true, 0, "load at base"});
    cases.push_back({load(base - 1, 16), false, base - 1, "load one byte below base"});
    cases.push_back({load(0x10, 4), false, 0x10, "load far below"});
    cases.push_back({load(limit - 16, 16), true, 0, "load ending at limit - 1"});
    cases.push_back({load(limit - 16, 17), false, limit, "load one byte past limit"});
    cases.push_back({store(base - 4, 8), false, base - 4, "store below base"});
    cases.push_back({store(limit - 8, 9), false, limit, "store past limit"});
    {
        DmaOp o = load(0x9000, 16);
        o.n1 = 3, o.ss1 = 0x10000; /* runs at 0x9000, 0x19000, 0x29000 */
        cases.push_back({o, false, 0x2900f, "2-D strides past the limit"});
        o.n1 = 1, o.n2 = 2, o.ss2 = 0x16ff0; /* planes at 0x9000 and 0x1fff0: ends at limit-1 */
        o.ds2 = 16;                           /* destination planes side by side */
        cases.push_back({o, true, 0, "3-D up to the limit"});
        o.ss2 = 0x16ff1;
        cases.push_back({o, false, limit, "3-D one past the limit"});
    }
    {
        DmaOp o = store(limit - 10, 5);
        o.pr = 5; /* padding is written too: ends at limit - 1 */
        cases.push_back({o, true, 0, "store with padding up to the limit"});
        o.pr = 6;
        cases.push_back({o, false, limit, "store padding past the limit"});
        o.pr = 0, o.dst = base, o.pl = 0, o.pt = 0, o.n0 = 1, o.n1 = 1;
        o.dst = base + 1, o.pl = 2; /* left padding below the base */
        cases.push_back({o, true, 0, "left pad inside"});
    }
    {
        /* runs past 4 GiB: no wrap-around; the highest byte 0x1_0000_000f is reported as its
           low 32 bits, 0xf */
        DmaOp o = load(0xfffffff0, 32);
        cases.push_back({o, false, 0xf, "source beyond the 32-bit space (above limit)"});
    }
    for (const Case &c : cases) {
        Prog p;
        size_t at = p.dma_vals(c.o);
        p.halt();
        dlp_result_t r = mc.run(p, base);
        if (c.legal) {
            EXPECT_DONE(r) << c.what;
            continue;
        }
        EXPECT_FAULT(r, DLP_CAUSE_DRAM_WINDOW, at) << c.what;
        EXPECT_EQ(c.info, r.err_info) << c.what;
    }
}

TEST(ModelErrors, ProgramOutsideWindow)
{
    Machine mc;
    Prog p;
    p.nop();
    p.halt();
    ASSERT_EQ(0, dlp_set_window(mc.m, 0x1000, 0x2000));
    dlp_result_t r = mc.run(p, 0);
    EXPECT_FAULT(r, DLP_CAUSE_DRAM_WINDOW, 0);
    EXPECT_EQ(0u, r.err_info);
    r = mc.run(p, 0x1ff0); /* second instruction at 0x2000..0x200f */
    EXPECT_FAULT(r, DLP_CAUSE_DRAM_WINDOW, 0);
    EXPECT_EQ(0x200fu, r.err_info);
    r = mc.run(p, 0x1fe0); /* ends at 0x1fff */
    EXPECT_DONE(r);
    /* addresses beyond the 32-bit space or the DRAM never wrap around into the window */
    ASSERT_EQ(0, dlp_set_window(mc.m, 0, mc.cfg.dram_bytes));
    for (uint64_t addr : {(uint64_t)0xfffffffffffffff0ull, (uint64_t)0xffffffffull << 4,
                          (uint64_t)1 << 32, (uint64_t)mc.cfg.dram_bytes}) {
        dlp_run(mc.m, addr, 2, &r);
        EXPECT_EQ(DLP_ERROR, r.status) << std::hex << addr;
        EXPECT_EQ(DLP_CAUSE_DRAM_WINDOW, r.cause) << std::hex << addr;
    }
}

/* ---- scratchpad ranges ------------------------------------------------------------------------------------- */

TEST(ModelErrors, ScratchpadRanges)
{
    Machine mc;
    const uint32_t N = mc.cfg.nram_bytes, W = mc.cfg.wram_bytes, A = mc.cfg.acc_bytes / 4;
    struct Case {
        Prog p;
        size_t at;
        bool legal;
        std::string what;
    };
    std::vector<Case> cases;
    auto add_dma = [&](int dsp, int ssp, uint32_t dst, uint32_t src, uint32_t n0, bool legal,
                       const std::string &what) {
        Case c;
        DmaOp o;
        o.dsp = dsp, o.ssp = ssp, o.dst = dst, o.src = src, o.n0 = n0;
        c.at = c.p.dma_vals(o);
        c.p.halt();
        c.legal = legal, c.what = what;
        cases.push_back(c);
    };
    add_dma(NRAM, DRAM, N - 16, 0x1000, 16, true, "nram dst last byte");
    add_dma(NRAM, DRAM, N - 16, 0x1000, 17, false, "nram dst past end");
    add_dma(WRAM, DRAM, W - 1, 0x1000, 1, true, "wram dst last byte");
    add_dma(WRAM, DRAM, W, 0x1000, 1, false, "wram dst at size");
    add_dma(DRAM, NRAM, 0x1000, N - 3, 4, false, "nram src past end");
    add_dma(DRAM, WRAM, 0x1000, 0xffffffff, 1, false, "wram src at 4 GiB - 1");
    add_dma(WRAM, NRAM, 0, N - 8, 9, false, "on-chip src past end");
    auto add_mm = [&](MmOp o, bool legal, const std::string &what) {
        Case c;
        c.at = c.p.mm_vals(o);
        c.p.halt();
        c.legal = legal, c.what = what;
        cases.push_back(c);
    };
    {
        MmOp o;
        o.k = 16, o.n = 4, o.ws = 4, o.as = 4, o.m0 = 2, o.s0 = 16;
        o.in = N - 32;
        add_mm(o, true, "mm input up to the end");
        o.in = N - 31;
        add_mm(o, false, "mm input past the end");
        o.in = 0, o.w = W - 64;
        add_mm(o, true, "mm weights up to the end");
        o.w = W - 63;
        add_mm(o, false, "mm weights past the end");
        o.w = 0, o.acc = A - 8;
        add_mm(o, true, "mm accumulators up to the end");
        o.acc = A - 7;
        add_mm(o, false, "mm accumulators past the end");
        o.acc = 0, o.m1 = 2, o.s1 = N / 2; /* second row group at N/2 + 16 .. N/2 + 31 */
        add_mm(o, true, "mm second row group inside");
        o.s1 = N - 31;
        add_mm(o, false, "mm second row group past the end");
    }
    auto add_vec = [&](VecOp o, bool legal, const std::string &what) {
        Case c;
        c.at = c.p.vec_vals(o);
        c.p.halt();
        c.legal = legal, c.what = what;
        cases.push_back(c);
    };
    {
        VecOp o;
        o.rows = 2, o.cols = 8, o.sd = 8, o.sa = 8, o.sb = 8, o.a = 0x100, o.b = 0x200;
        o.id = DLP_I_VMAX, o.d = N - 16;
        add_vec(o, true, "vmax d up to the end");
        o.d = N - 15;
        add_vec(o, false, "vmax d past the end");
        o.d = 0, o.b = N - 15;
        add_vec(o, false, "vmax b past the end");
        o.b = 0x200, o.a = N - 15, o.id = DLP_I_VMIN;
        add_vec(o, false, "vmin a past the end");
        o.a = 0x100, o.id = DLP_I_VCLAMP, o.d = N;
        add_vec(o, false, "vclamp d past the end");
        o.d = 0, o.id = DLP_I_VLUT, o.p = W - 256;
        add_vec(o, true, "vlut table up to the end");
        o.p = W - 255;
        add_vec(o, false, "vlut table past the end");
        o.id = DLP_I_VADD, o.p = W - 48;
        add_vec(o, true, "vadd parameters up to the end");
        o.p = W - 47;
        add_vec(o, false, "vadd parameters past the end");
        o.id = DLP_I_VRQ, o.p = W - 96; /* 12 bytes per column */
        o.a = A - 16;
        add_vec(o, true, "vrq parameters and accumulators up to the end");
        o.p = W - 95;
        add_vec(o, false, "vrq parameters past the end");
        o.p = 0, o.a = A - 15;
        add_vec(o, false, "vrq accumulators past the end");
    }
    {
        PoolOp o;
        o.ch = 4, o.oh = 2, o.ow = 2, o.kh = 2, o.kw = 2, o.ih = 3, o.iw = 3, o.spa = 4, o.sra = 12,
        o.spd = 4, o.srd = 8;
        o.a = N - 36; /* 3x3 pixels of 4 channels: 36 bytes */
        Case c;
        c.at = c.p.pool_vals(o);
        c.p.halt();
        c.legal = true, c.what = "pool source up to the end";
        cases.push_back(c);
        o.a = N - 35;
        Case d;
        d.at = d.p.pool_vals(o);
        d.p.halt();
        d.legal = false, d.what = "pool source past the end";
        cases.push_back(d);
        o.a = 0x100, o.d = N - 15, o.id = DLP_I_VAVGPOOL; /* 2x2 outputs of 4: 16 bytes */
        Case e;
        e.at = e.p.pool_vals(o);
        e.p.halt();
        e.legal = false, e.what = "pool destination past the end";
        cases.push_back(e);
    }
    for (Case &c : cases) {
        dlp_result_t r = mc.run(c.p);
        if (c.legal)
            EXPECT_DONE(r) << c.what;
        else
            EXPECT_FAULT(r, DLP_CAUSE_SPAD_RANGE, c.at) << c.what;
    }
}

/* ---- overlap ------------------------------------------------------------------------------------------------- */

TEST(ModelErrors, OnChipDmaOverlap)
{
    Machine mc;
    struct Case {
        int sp;
        uint32_t dst, src, n0, n1, ss1, ds1;
        bool legal;
        const char *what;
    };
    const Case cases[] = {
        {NRAM, 0x100, 0x100, 16, 1, 0, 0, false, "same address"},
        {NRAM, 0x108, 0x100, 16, 1, 0, 0, false, "dst inside src"},
        {WRAM, 0x0f1, 0x100, 16, 1, 0, 0, false, "last dst byte on first src byte"},
        {WRAM, 0x0f0, 0x100, 16, 1, 0, 0, true, "adjacent below"},
        {NRAM, 0x110, 0x100, 16, 1, 0, 0, true, "adjacent above"},
        /* bounding boxes: src bytes 0..3, 16..19 (box 0..19); dst 8..11, 24..27 (box 8..27) */
        {NRAM, 0x008, 0x000, 4, 2, 16, 16, false, "interleaved runs overlap as bounding boxes"},
    };
    for (const Case &c : cases) {
        DmaOp o;
        o.dsp = o.ssp = c.sp, o.dst = c.dst, o.src = c.src, o.n0 = c.n0, o.n1 = c.n1;
        o.ss1 = c.ss1, o.ds1 = c.ds1;
        Prog p;
        size_t at = p.dma_vals(o);
        p.halt();
        dlp_result_t r = mc.run(p);
        if (c.legal)
            EXPECT_DONE(r) << c.what;
        else
            EXPECT_FAULT(r, DLP_CAUSE_OVERLAP, at) << c.what;
    }
    /* different memories never overlap */
    DmaOp o;
    o.dsp = WRAM, o.ssp = NRAM, o.dst = 0x100, o.src = 0x100, o.n0 = 64;
    Prog p;
    p.dma_vals(o);
    p.halt();
    EXPECT_DONE(mc.run(p));
}

/* A destination may not write any element twice: the order of such writes differs between units
   (the DMA writes padding in free cycles, the VFU goes column chunk first). */
TEST(ModelErrors, DestinationWritesAnElementTwice)
{
    Machine mc;
    auto run_dma = [&](uint32_t n0, uint32_t n1, uint32_t n2, uint32_t ds1, uint32_t ds2,
                       uint32_t pl) {
        DmaOp o;
        o.dsp = NRAM, o.ssp = DRAM, o.dst = 0x200, o.src = 0x1000;
        o.n0 = n0, o.n1 = n1, o.n2 = n2, o.ss1 = 64, o.ss2 = 1024, o.ds1 = ds1, o.ds2 = ds2, o.pl = pl;
        Prog p;
        size_t at = p.dma_vals(o);
        p.halt();
        return std::make_pair(mc.run(p), at);
    };
    /* runs of 16 bytes, 4 per plane, 2 planes */
    auto [r1, a1] = run_dma(16, 4, 1, 15, 0, 0); /* rows 1 byte too close */
    EXPECT_FAULT(r1, DLP_CAUSE_OVERLAP, a1) << "ds1 < run";
    EXPECT_EQ(0x200u, r1.err_info);
    auto [r2, a2] = run_dma(16, 4, 1, 16, 0, 1); /* padding makes the run 17 bytes */
    EXPECT_FAULT(r2, DLP_CAUSE_OVERLAP, a2) << "ds1 < pl + n0";
    auto [r3, a3] = run_dma(16, 4, 2, 16, 63, 0); /* plane 2 starts inside plane 1 (64 bytes) */
    EXPECT_FAULT(r3, DLP_CAUSE_OVERLAP, a3) << "ds2 < plane";
    EXPECT_DONE(run_dma(16, 4, 2, 16, 64, 0).first) << "planes side by side";
    /* planes interleaved between the runs (e.g. channel blocks of NHWC pixels): legal */
    EXPECT_DONE(run_dma(16, 4, 2, 32, 16, 0).first) << "interleaved planes";
    auto [r4, a4] = run_dma(16, 4, 3, 32, 16, 0); /* third plane lands on the next run */
    EXPECT_FAULT(r4, DLP_CAUSE_OVERLAP, a4) << "interleaved planes too many";
    EXPECT_DONE(run_dma(16, 1, 3, 0, 16, 0).first) << "one run per plane ignores ds1";

    /* vector: rows closer than their length */
    VecOp v;
    v.id = DLP_I_VCLAMP, v.d = 0x100, v.a = 0x400, v.sa = 20, v.rows = 3, v.cols = 20, v.i1 = 5;
    v.sd = 19;
    Prog pv;
    size_t av = pv.vec_vals(v);
    pv.halt();
    dlp_result_t rv = mc.run(pv);
    EXPECT_FAULT(rv, DLP_CAUSE_OVERLAP, av) << "vector sd < cols";
    EXPECT_EQ(0x100u, rv.err_info);
    v.sd = 20;
    Prog pv2;
    pv2.vec_vals(v);
    pv2.halt();
    EXPECT_DONE(mc.run(pv2)) << "vector rows side by side";
    v.rows = 1, v.sd = 0;
    Prog pv3;
    pv3.vec_vals(v);
    pv3.halt();
    EXPECT_DONE(mc.run(pv3)) << "one row ignores its stride";

    /* pooling: destination pixels closer than their channels */
    PoolOp q;
    q.d = 0x800, q.a = 0, q.ch = 8, q.ih = 4, q.iw = 4, q.oh = 2, q.ow = 2, q.kh = 2, q.kw = 2;
    q.sh = 2, q.sw = 2, q.spa = 8, q.sra = 32, q.spd = 7, q.srd = 16;
    Prog pp;
    size_t ap = pp.pool_vals(q);
    pp.halt();
    EXPECT_FAULT(mc.run(pp), DLP_CAUSE_OVERLAP, ap) << "pool spd < ch";
    q.spd = 8, q.srd = 15;
    Prog pp2;
    size_t ap2 = pp2.pool_vals(q);
    pp2.halt();
    EXPECT_FAULT(mc.run(pp2), DLP_CAUSE_OVERLAP, ap2) << "pool srd < ow*spd";
    q.srd = 16;
    Prog pp3;
    pp3.pool_vals(q);
    pp3.halt();
    EXPECT_DONE(mc.run(pp3)) << "pool destination dense";
}

TEST(ModelErrors, VectorPartialOverlap)
{
    Machine mc;
    struct Case {
        int id;
        uint32_t d, a, b, sd, sa, sb, rows;
        bool legal;
        const char *what;
    };
    const Case cases[] = {
        {DLP_I_VMAX, 0x101, 0x100, 0x400, 16, 16, 16, 1, false, "d = a + 1"},
        {DLP_I_VMAX, 0x0ff, 0x100, 0x400, 16, 16, 16, 1, false, "d = a - 1"},
        {DLP_I_VMAX, 0x100, 0x100, 0x400, 16, 16, 16, 3, true, "exactly in place on a"},
        {DLP_I_VMAX, 0x100, 0x400, 0x100, 16, 16, 16, 3, true, "exactly in place on b"},
        {DLP_I_VMIN, 0x100, 0x400, 0x108, 16, 16, 16, 1, false, "b partly overlaps"},
        {DLP_I_VMIN, 0x100, 0x100, 0x400, 16, 32, 16, 2, false, "same start, different strides"},
        {DLP_I_VMIN, 0x100, 0x100, 0x400, 16, 32, 16, 1, true, "same start, one row"},
        {DLP_I_VADD, 0x100, 0x10f, 0x400, 16, 16, 16, 1, false, "vadd partial"},
        {DLP_I_VADD, 0x100, 0x110, 0x400, 16, 16, 16, 1, true, "vadd adjacent"},
        {DLP_I_VCLAMP, 0x104, 0x100, 0, 16, 16, 0, 1, false, "vclamp partial"},
        {DLP_I_VCLAMP, 0x100, 0x100, 0, 16, 16, 0, 4, true, "vclamp in place"},
        {DLP_I_VLUT, 0x100, 0x0f8, 0, 16, 16, 0, 1, false, "vlut partial"},
        {DLP_I_VLUT, 0x100, 0x100, 0, 16, 16, 0, 4, true, "vlut in place"},
    };
    for (const Case &c : cases) {
        VecOp o;
        o.id = c.id, o.d = c.d, o.a = c.a, o.b = c.b, o.sd = c.sd, o.sa = c.sa, o.sb = c.sb;
        o.rows = c.rows, o.cols = 16, o.p = 0;
        Prog p;
        size_t at = p.vec_vals(o);
        p.halt();
        dlp_result_t r = mc.run(p);
        if (c.legal)
            EXPECT_DONE(r) << c.what;
        else
            EXPECT_FAULT(r, DLP_CAUSE_OVERLAP, at) << c.what;
    }
    /* pooling: the destination may not overlap the source at all, not even exactly */
    for (uint32_t d : {0x100u, 0x104u, 0x130u}) {
        PoolOp o; /* 1x1 windows over all 3x3 pixels: source 0x100..0x123, dest d..d+35 */
        o.a = 0x100, o.d = d, o.ch = 4, o.ih = 3, o.iw = 3, o.oh = 3, o.ow = 3, o.spa = 4,
        o.sra = 12, o.spd = 4, o.srd = 12;
        Prog p;
        size_t at = p.pool_vals(o);
        p.halt();
        dlp_result_t r = mc.run(p);
        if (d == 0x130) /* source is 0x100..0x123: the destination 0x130.. is clear */
            EXPECT_DONE(r);
        else
            EXPECT_FAULT(r, DLP_CAUSE_OVERLAP, at) << std::hex << d;
    }
}

TEST(ModelErrors, MmAccumulatorRowOverlap)
{
    Machine mc;
    struct Case {
        uint32_t m0, m1, n, as;
        bool legal;
    };
    const Case cases[] = {
        {2, 1, 4, 3, false}, {2, 1, 4, 4, true}, {1, 2, 4, 0, false},
        {1, 1, 4, 0, true},  /* M = 1: the stride is irrelevant */
        {3, 2, 20, 19, false}, {3, 2, 20, 100, true},
    };
    for (const Case &c : cases) {
        MmOp o;
        o.m0 = c.m0, o.m1 = c.m1, o.n = c.n, o.as = c.as, o.k = 2, o.ws = c.n, o.s0 = 2, o.s1 = 8;
        Prog p;
        size_t at = p.mm_vals(o);
        p.halt();
        dlp_result_t r = mc.run(p);
        std::string what = "m0=" + std::to_string(c.m0) + " m1=" + std::to_string(c.m1) +
                           " n=" + std::to_string(c.n) + " as=" + std::to_string(c.as);
        if (c.legal)
            EXPECT_DONE(r) << what;
        else
            EXPECT_FAULT(r, DLP_CAUSE_OVERLAP, at) << what;
    }
}

/* ---- loops and pc -------------------------------------------------------------------------------------------- */

TEST(ModelErrors, LoopStackOverflow)
{
    for (uint32_t depth : {1u, 4u, 16u}) {
        dlp_config_t c = test_config();
        c.loop_depth = depth;
        Machine mc(c);
        Prog p;
        size_t last = 0;
        for (uint32_t d = 0; d <= depth; d++)
            last = p.loop(2);
        p.nop();
        for (uint32_t d = 0; d <= depth; d++)
            p.endloop();
        p.halt();
        expect_fault(mc, p, DLP_CAUSE_LOOP, (uint32_t)last, "depth " + std::to_string(depth));
    }
}

TEST(ModelErrors, EndloopWithoutLoop)
{
    Machine mc;
    Prog p;
    p.nop();
    p.insn(DLP_I_ENDLOOP, {});
    p.halt();
    expect_fault(mc, p, DLP_CAUSE_LOOP, 1);
    /* after a completed loop, a second endloop has no loop to end */
    Prog q;
    q.loop(2);
    q.nop();
    q.endloop();
    q.insn(DLP_I_ENDLOOP, {});
    q.halt();
    dlp_result_t r = mc.run(q);
    EXPECT_FAULT(r, DLP_CAUSE_LOOP, 3);
    /* the message names no stale loop end (it once printed "...open loop2") */
    std::string msg = r.message;
    EXPECT_EQ("open loop", msg.substr(msg.size() >= 9 ? msg.size() - 9 : 0)) << msg;
}

TEST(ModelErrors, EndloopNotMatching)
{
    Machine mc;
    /* the loop's body is 3 instructions (ends at index 4); the endloop at 2 is not its end */
    Prog p;
    size_t l = p.loop(2);
    p.nop();
    p.insn(DLP_I_ENDLOOP, {});
    p.nop();
    p.insn(DLP_I_ENDLOOP, {});
    p.halt();
    p.set(l, DLP_F_LBODY, 3);
    expect_fault(mc, p, DLP_CAUSE_LOOP, 2);
    /* improperly nested: inner loop ends after the outer one */
    Prog q;
    size_t outer = q.loop(2);
    size_t inner = q.loop(2);
    q.nop();
    q.insn(DLP_I_ENDLOOP, {}); /* 3: outer's end by its lbody, but inner is innermost */
    q.nop();
    q.insn(DLP_I_ENDLOOP, {});
    q.halt();
    q.set(outer, DLP_F_LBODY, 2);
    q.set(inner, DLP_F_LBODY, 3);
    expect_fault(mc, q, DLP_CAUSE_LOOP, 3);
}

TEST(ModelErrors, LoopBodyPastEnd)
{
    Machine mc;
    for (uint32_t count : {0u, 2u}) {
        Prog p;
        p.nop();
        size_t l = p.loop(count);
        p.nop();
        p.insn(DLP_I_ENDLOOP, {});
        p.set(l, DLP_F_LBODY, 5); /* endloop would be at 7, the program has 4 */
        expect_fault(mc, p, DLP_CAUSE_PC_RANGE, 1, "count " + std::to_string(count));
    }
    Prog q;
    size_t l = q.loopr(0);
    q.insn(DLP_I_ENDLOOP, {});
    q.set(l, DLP_F_LBODY, 1); /* endloop at index 2 = n */
    expect_fault(mc, q, DLP_CAUSE_PC_RANGE, 0);
}

TEST(ModelErrors, PcPastEndWithoutHalt)
{
    Machine mc;
    Prog p;
    p.nop();
    p.li(1, 3);
    dlp_result_t r = mc.run(p);
    EXPECT_FAULT(r, DLP_CAUSE_PC_RANGE, 2);
    EXPECT_EQ(3u, dlp_reg(mc.m, 1));
    /* and with queued work in flight */
    Prog q;
    DmaOp o;
    o.n0 = 64, o.src = 0x1000;
    q.dma_vals(o);
    r = mc.run(q);
    EXPECT_FAULT(r, DLP_CAUSE_PC_RANGE, 7);
}

/* ---- tokens, deadlock, timeout --------------------------------------------------------------------------------- */

TEST(ModelErrors, TokenOverflow)
{
    {
        dlp_config_t c = test_config();
        c.token_max = 1;
        Machine mc(c);
        Prog p;
        p.li(1, 0x1000);
        size_t a = p.insn(DLP_I_DMA, {{DLP_F_DSP, NRAM}, {DLP_F_SSP, DRAM}, {DLP_F_RSRC, 1},
                                      {DLP_F_N0, 4}, {DLP_F_N1, 1}, {DLP_F_N2, 1}, {DLP_F_SIGNAL, QCP}});
        size_t b = p.insn(DLP_I_DMA, {{DLP_F_DSP, NRAM}, {DLP_F_SSP, DRAM}, {DLP_F_RSRC, 1},
                                      {DLP_F_N0, 4}, {DLP_F_N1, 1}, {DLP_F_N2, 1}, {DLP_F_SIGNAL, QCP}});
        p.halt();
        (void)a;
        expect_fault(mc, p, DLP_CAUSE_TOKEN_OVERFLOW, (uint32_t)b, "token_max 1");
    }
    {
        /* default token_max 15: the 16th signal of a vclamp to LD overflows */
        Machine mc;
        ASSERT_EQ(15u, mc.cfg.token_max);
        Prog p;
        p.loop(20);
        size_t v = p.insn(DLP_I_VCLAMP, {{DLP_F_ROWS, 1}, {DLP_F_COLS, 1}, {DLP_F_SIGNAL, QLD}});
        p.endloop();
        p.halt();
        expect_fault(mc, p, DLP_CAUSE_TOKEN_OVERFLOW, (uint32_t)v, "16th token");
        /* 15 are fine */
        p.set(0, DLP_F_LCOUNT, 15);
        EXPECT_DONE(mc.run(p));
    }
}

TEST(ModelErrors, DeadlockCpWaitsForLdTokenNeverSignalled)
{
    Machine mc;
    for (int id : {DLP_I_SYNC, DLP_I_HALT}) {
        Prog p;
        p.insn(DLP_I_MM, {{DLP_F_M0, 1}, {DLP_F_M1, 1}, {DLP_F_KDIM, 1}, {DLP_F_NDIM, 1},
                          {DLP_F_WAIT, QLD}});
        p.nop();
        size_t s = p.insn(id, {});
        if (id == DLP_I_SYNC)
            p.halt();
        expect_fault(mc, p, DLP_CAUSE_DEADLOCK, (uint32_t)s, mn(id));
    }
}

TEST(ModelErrors, DeadlockCrossWaitAndFullQueue)
{
    {
        /* CP waits for ST, ST waits for CP */
        Machine mc;
        Prog p;
        p.li(1, 0x2000);
        p.insn(DLP_I_VCLAMP, {{DLP_F_ROWS, 1}, {DLP_F_COLS, 1}, {DLP_F_WAIT, QST}, {DLP_F_SIGNAL, QST}});
        p.insn(DLP_I_DMA, {{DLP_F_DSP, DRAM}, {DLP_F_SSP, NRAM}, {DLP_F_RDST, 1}, {DLP_F_N0, 1},
                           {DLP_F_N1, 1}, {DLP_F_N2, 1}, {DLP_F_WAIT, QCP}, {DLP_F_SIGNAL, QCP}});
        size_t s = p.sync();
        p.halt();
        expect_fault(mc, p, DLP_CAUSE_DEADLOCK, (uint32_t)s, "cross wait");
    }
    {
        /* queue depth 1: the second CP instruction can never be pushed */
        dlp_config_t c = test_config();
        c.queue_depth = 1;
        Machine mc(c);
        Prog p;
        p.insn(DLP_I_VCLAMP, {{DLP_F_ROWS, 1}, {DLP_F_COLS, 1}, {DLP_F_WAIT, QLD}});
        size_t second = p.insn(DLP_I_VCLAMP, {{DLP_F_ROWS, 1}, {DLP_F_COLS, 1}});
        p.halt();
        expect_fault(mc, p, DLP_CAUSE_DEADLOCK, (uint32_t)second, "full queue");
    }
}

TEST(ModelErrors, TimeoutWithInfiniteishLoop)
{
    dlp_config_t c = test_config();
    c.max_cycles = 3000;
    Machine mc(c);
    Prog p;
    p.loop(0xffffffffu);
    p.nop();
    p.endloop();
    p.halt();
    dlp_result_t r = mc.run(p);
    /* fetch of 4 instructions ends in cycle 29 (see ModelTiming); the loop dispatches at 30,
       then nop at 31 + 3k, endloop (taken, 2 cycles) at 32 + 3k. Cycle 3000 = 33 + 3*989 is
       the bubble after a taken endloop, with pc back on the nop (index 1). The error is in
       cycle 3000, so the run counts 3001 cycles. */
    EXPECT_FAULT(r, DLP_CAUSE_TIMEOUT, 1);
    EXPECT_EQ(3001u, r.counters.cycles);
}

TEST(ModelErrors, TimeoutWhileDmaInFlight)
{
    dlp_config_t c = test_config();
    c.max_cycles = 60;
    Machine mc(c);
    Prog p;
    DmaOp o;
    o.src = 0x1000, o.n0 = 4096;
    p.dma_vals(o);
    p.halt();
    dlp_result_t r = mc.run(p);
    /* 8 instructions: fetch ends in 33; li at 34..39, dma check 40, push 41, start 42.
       16 bursts of 16 beats: ARs of bursts 0..7 at 43..50 (8 outstanding); burst 8 waits for
       rlast[0] + 1 = 83. Burst b's beats arrive from 67 + 16b, so burst 7 ends at 194.
       At cycle 60 the front end waits in halt (index 7); the bursts on the bus finish: the run
       ends in cycle 194 and counts 195 cycles. */
    EXPECT_FAULT(r, DLP_CAUSE_TIMEOUT, 7);
    EXPECT_EQ(195u, r.counters.cycles);
}

/* ---- program ---------------------------------------------------------------------------------------------------- */

TEST(ModelErrors, BadProgram)
{
    dlp_config_t c = test_config();
    c.imem_insns = 8;
    Machine mc(c);
    Prog p;
    for (int i = 0; i < 7; i++)
        p.nop();
    p.halt();
    std::vector<uint8_t> b = p.bytes();
    ASSERT_EQ(0, dlp_dram_write(mc.m, 0x100, b.data(), b.size()));
    dlp_result_t r;
    dlp_run(mc.m, 0x100, 8, &r); /* exactly the instruction memory */
    EXPECT_DONE(r);
    dlp_run(mc.m, 0x100, 0, &r);
    EXPECT_FAULT(r, DLP_CAUSE_BAD_PROGRAM, 0);
    dlp_run(mc.m, 0x100, 9, &r);
    EXPECT_FAULT(r, DLP_CAUSE_BAD_PROGRAM, 0);
    for (uint64_t a : {0x108ull, 0x101ull, 0x10full}) {
        dlp_run(mc.m, a, 1, &r);
        EXPECT_FAULT(r, DLP_CAUSE_BAD_PROGRAM, 0) << std::hex << a;
    }
    EXPECT_EQ(-1, dlp_run(mc.m, 0x100, 0, &r));
}

/* ---- no effect from a failing instruction ---------------------------------------------------------------------------- */

TEST(ModelErrors, FailingInstructionHasNoEffect)
{
    Machine mc;
    std::memset(mc.dram() + 0x1000, 0x5a, 64);
    Prog p;
    DmaOp good;
    good.dst = 0x40, good.src = 0x1000, good.n0 = 8;
    p.dma_vals(good);
    p.sync();
    p.li(9, 123);
    DmaOp bad = good;
    bad.dst = 0x80, bad.n0 = 8, bad.n1 = 2, bad.ds1 = mc.cfg.nram_bytes; /* second run outside */
    size_t at = p.dma_vals(bad);
    p.halt();
    dlp_result_t r = mc.run(p);
    EXPECT_FAULT(r, DLP_CAUSE_SPAD_RANGE, at);
    EXPECT_EQ(123u, dlp_reg(mc.m, 9));
    EXPECT_EQ(0x5a, mc.nram()[0x40]);
    for (int i = 0; i < 8; i++)
        EXPECT_EQ(0, mc.nram()[0x80 + i]) << i;
}

/* The run stops in the cycle of the check (docs/timing.md): an undefined word at index 0 of a
   one-instruction program is decoded in cycle 27 (fetch: AR 1, beat 25, write 26). */
TEST(ModelErrors, ErrorCycle)
{
    Machine mc;
    Prog p;
    p.raw(0x3f);
    dlp_result_t r = mc.run(p);
    EXPECT_FAULT(r, DLP_CAUSE_ILLEGAL_OPCODE, 0);
    EXPECT_EQ(28u, r.counters.cycles);
    /* register-dependent checks of a queued instruction stop the core in its push cycle: a
       two-instruction program is written by cycle 27, the dma is checked in 28 and stops in 29 */
    Prog q;
    q.insn(DLP_I_DMA, {{DLP_F_DSP, NRAM}, {DLP_F_SSP, DRAM}, {DLP_F_N0, 200000}, {DLP_F_N1, 1},
                       {DLP_F_N2, 1}});
    q.halt();
    r = mc.run(q);
    EXPECT_FAULT(r, DLP_CAUSE_SPAD_RANGE, 0);
    EXPECT_EQ(30u, r.counters.cycles);
}

/* ---- host-side checks ---------------------------------------------------------------------------------------- */

TEST(ModelHost, ConfigCheckRejectsOutOfRange)
{
    struct Case {
        const char *field;
        void (*set)(dlp_config_t &);
    };
    const Case cases[] = {
        {"rows", [](dlp_config_t &c) { c.rows = 0; }},
        {"rows", [](dlp_config_t &c) { c.rows = 129; }},
        {"cols", [](dlp_config_t &c) { c.cols = 0; }},
        {"cols", [](dlp_config_t &c) { c.cols = 200; }},
        {"rows", [](dlp_config_t &c) { c.rows = 65; }}, /* the RTL's limit (sw/isa/dlp.configs) */
        {"cols", [](dlp_config_t &c) { c.cols = 65; }},
        {"vlanes", [](dlp_config_t &c) { c.vlanes = 65; }},
        {"nram_bytes", [](dlp_config_t &c) { c.nram_bytes = 1023; }},
        {"wram_bytes", [](dlp_config_t &c) { c.wram_bytes = (16u << 20) + 1; }},
        {"acc_bytes", [](dlp_config_t &c) { c.acc_bytes = 512; }},
        {"acc_bytes", [](dlp_config_t &c) { c.acc_bytes = 1026; }}, /* not a multiple of 4 */
        {"imem_insns", [](dlp_config_t &c) { c.imem_insns = 0; }},
        {"imem_insns", [](dlp_config_t &c) { c.imem_insns = 65536; }},
        {"dram_bytes", [](dlp_config_t &c) { c.dram_bytes = 4095; }},
        {"dram_bytes", [](dlp_config_t &c) { c.dram_bytes = (1ull << 32) + 1; }},
        {"beat_bytes", [](dlp_config_t &c) { c.beat_bytes = 2; }},
        {"beat_bytes", [](dlp_config_t &c) { c.beat_bytes = 24; }}, /* not a power of two */
        {"beat_bytes", [](dlp_config_t &c) { c.beat_bytes = 256; }},
        {"burst_beats", [](dlp_config_t &c) { c.burst_beats = 0; }},
        {"burst_beats", [](dlp_config_t &c) { c.burst_beats = 257; }},
        {"burst_beats", [](dlp_config_t &c) { c.beat_bytes = 32, c.burst_beats = 256; }}, /* 8 KiB */
        {"max_outstanding", [](dlp_config_t &c) { c.max_outstanding = 0; }},
        {"max_outstanding", [](dlp_config_t &c) { c.max_outstanding = 65; }},
        {"dram_latency", [](dlp_config_t &c) { c.dram_latency = 0; }},
        {"dram_latency", [](dlp_config_t &c) { c.dram_latency = 4097; }},
        {"queue_depth", [](dlp_config_t &c) { c.queue_depth = 0; }},
        {"queue_depth", [](dlp_config_t &c) { c.queue_depth = 65; }},
        {"loop_depth", [](dlp_config_t &c) { c.loop_depth = 0; }},
        {"loop_depth", [](dlp_config_t &c) { c.loop_depth = 17; }},
        {"token_max", [](dlp_config_t &c) { c.token_max = 0; }},
        {"token_max", [](dlp_config_t &c) { c.token_max = 256; }},
        {"functional", [](dlp_config_t &c) { c.functional = 2; }},
        {"clock_mhz", [](dlp_config_t &c) { c.clock_mhz = 0; }},
    };
    for (const Case &k : cases) {
        dlp_config_t c = test_config();
        k.set(c);
        char msg[256] = "";
        EXPECT_EQ(-1, dlp_config_check(&c, msg, sizeof msg)) << k.field;
        EXPECT_NE(nullptr, std::strstr(msg, k.field == std::string("burst_beats") ? "burst" : k.field))
            << k.field << ": message '" << msg << "'";
        char msg2[256] = "";
        EXPECT_EQ(nullptr, dlp_create(&c, msg2, sizeof msg2)) << k.field;
        EXPECT_NE('\0', msg2[0]) << k.field;
    }
}

TEST(ModelHost, ConfigCheckAcceptsPresetsAndLimits)
{
    for (const char *name : {"default", "16x16", "ex77", "ex77-fp32", "4x4", "8x8", "8x16",
                             "16x16-smallmem", "4x4-w8", "ulx3s-85f", "ulx3s-45f"}) {
        dlp_config_t c;
        ASSERT_EQ(0, dlp_config_preset(&c, name)) << name;
        char msg[256] = "";
        EXPECT_EQ(0, dlp_config_check(&c, msg, sizeof msg)) << name << ": " << msg;
    }
    /* every preset is named in the list that help texts and messages print, and vice versa */
    for (unsigned i = 0; i < dlp_num_presets; i++)
        EXPECT_NE(nullptr, strstr(DLP_PRESET_NAMES, dlp_presets[i].name)) << dlp_presets[i].name;
    /* a few presets' numbers, against the published shapes (README, docs/fpga.md) */
    {
        dlp_config_t c;
        ASSERT_EQ(0, dlp_config_preset(&c, "8x16"));
        EXPECT_EQ(8u, c.rows);
        EXPECT_EQ(16u, c.cols);
        EXPECT_EQ(8u, c.vlanes);
        ASSERT_EQ(0, dlp_config_preset(&c, "ex77"));
        EXPECT_EQ(64u, c.beat_bytes);
        EXPECT_EQ(1000.0, c.clock_mhz);
        ASSERT_EQ(0, dlp_config_preset(&c, "4x4-w8"));
        EXPECT_EQ(2u, c.vlanes);
        EXPECT_EQ(8u, c.beat_bytes);
    }
    dlp_config_t c;
    EXPECT_EQ(-1, dlp_config_preset(&c, "no-such-preset"));
    c = test_config();
    c.rows = 64, c.cols = 1, c.vlanes = 64, c.imem_insns = 65535, c.beat_bytes = 64;
    c.burst_beats = 64, c.max_outstanding = 64, c.dram_latency = 4096, c.queue_depth = 64;
    c.loop_depth = 16, c.token_max = 255, c.max_cycles = 0;
    char msg[256] = "";
    EXPECT_EQ(0, dlp_config_check(&c, msg, sizeof msg)) << msg;
    /* bursts that are not a power of two would cross 4 KiB boundaries */
    c.burst_beats = 3;
    EXPECT_EQ(-1, dlp_config_check(&c, msg, sizeof msg));
    EXPECT_NE(nullptr, strstr(msg, "burst_beats = 3 is not a power of two")) << msg;
}

TEST(ModelHost, SetWindow)
{
    Machine mc;
    const uint64_t D = mc.cfg.dram_bytes;
    EXPECT_EQ(0, dlp_set_window(mc.m, 0, D));
    EXPECT_EQ(0, dlp_set_window(mc.m, 0x1000, 0x2000));
    EXPECT_EQ(-1, dlp_set_window(mc.m, 0x2000, 0x1000)); /* base above limit */
    EXPECT_EQ(-1, dlp_set_window(mc.m, 0, D + 1));       /* past the DRAM */
    EXPECT_EQ(-1, dlp_set_window(mc.m, 0, 1ull << 33));
    /* a rejected window leaves the previous one in place */
    Prog p;
    p.halt();
    dlp_result_t r = mc.run(p, 0x1000);
    EXPECT_DONE(r);
    r = mc.run(p, 0x2000);
    EXPECT_FAULT(r, DLP_CAUSE_DRAM_WINDOW, 0);
}

TEST(ModelHost, DramReadWriteBounds)
{
    Machine mc;
    const uint64_t D = mc.cfg.dram_bytes;
    uint8_t buf[32] = {1, 2, 3};
    EXPECT_EQ(0, dlp_dram_write(mc.m, D - 32, buf, 32));
    EXPECT_EQ(0, dlp_dram_read(mc.m, D - 32, buf, 32));
    EXPECT_EQ(-1, dlp_dram_write(mc.m, D - 31, buf, 32));
    EXPECT_EQ(-1, dlp_dram_read(mc.m, D - 31, buf, 32));
    EXPECT_EQ(-1, dlp_dram_write(mc.m, D + 1, buf, 0));
    EXPECT_EQ(-1, dlp_dram_read(mc.m, ~0ull, buf, 1));
    EXPECT_EQ(-1, dlp_dram_write(mc.m, 1, buf, SIZE_MAX)); /* length overflow */
    EXPECT_EQ(-1, dlp_dram_read(mc.m, ~0ull - 3, buf, 8)); /* address + length wraps */
    EXPECT_EQ(0, dlp_dram_write(mc.m, D, buf, 0));
    uint8_t back[3];
    EXPECT_EQ(0, dlp_dram_read(mc.m, D - 32, back, 3));
    EXPECT_EQ(1, back[0]);
    EXPECT_EQ(3, back[2]);
}

TEST(ModelHost, ConfigSetByName)
{
    dlp_config_t c = test_config();
    char msg[256] = "";
    EXPECT_EQ(0, dlp_config_set(&c, "nram_kib", "64", msg, sizeof msg)) << msg;
    EXPECT_EQ(65536u, c.nram_bytes);
    EXPECT_EQ(0, dlp_config_set(&c, "rows", "0x20", msg, sizeof msg)) << msg;
    EXPECT_EQ(32u, c.rows);
    EXPECT_EQ(0, dlp_config_set(&c, "dram_mib", "2", msg, sizeof msg)) << msg;
    EXPECT_EQ(2u << 20, c.dram_bytes);
    EXPECT_EQ(-1, dlp_config_set(&c, "rows", "-1", msg, sizeof msg));
    EXPECT_NE(nullptr, std::strstr(msg, "rows"));
    EXPECT_EQ(-1, dlp_config_set(&c, "rows", "12x", msg, sizeof msg));
    EXPECT_EQ(-1, dlp_config_set(&c, "no_such_key", "1", msg, sizeof msg));
    EXPECT_NE(nullptr, std::strstr(msg, "no_such_key"));
    EXPECT_EQ(-1, dlp_config_set(&c, "nram_kib", "99999999", msg, sizeof msg));
    EXPECT_EQ(65536u, c.nram_bytes); /* unchanged by the failed calls */
    EXPECT_EQ(0, dlp_config_check(&c, msg, sizeof msg)) << msg;
}
