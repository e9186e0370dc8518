// SPDX-License-Identifier: Apache-2.0
// Assembler: encodings of every instruction, expressions, directives, options and the listing.
// Expected words are built independently of the assembler, with dlp_field_set_raw() on the
// fields of the ISA tables (and a few spelled out in hex), never through the assembler's path.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "dlp_asm.h"
#include "dlp_decode.h"
#include "dlp_isa_gen.h"

namespace {

using Words = std::vector<uint32_t>;

struct Asm {
    int rc = -1;
    Words w;
    std::vector<std::string> msgs;
    std::string listing;
};

Asm assemble(const std::string &src, const dlp_asm_options_t *opt = nullptr,
             const char *name = "t.s")
{
    dlp_asm_result_t r;
    Asm out;
    out.rc = dlp_asm_string(src.c_str(), name, opt, &r);
    out.w.assign(r.words, r.words + 4 * (size_t)r.n_insns);
    for (int i = 0; i < r.n_messages; i++)
        out.msgs.push_back(r.messages[i]);
    if (r.listing)
        out.listing = r.listing;
    dlp_asm_result_free(&r);
    return out;
}

// Assembles src, which must succeed; returns the words.
Words ok(const std::string &src, const dlp_asm_options_t *opt = nullptr)
{
    Asm a = assemble(src, opt);
    std::string all;
    for (auto &m : a.msgs)
        all += m + "\n";
    EXPECT_EQ(a.rc, 0) << src << "\n" << all;
    return a.w;
}

// One instruction: opcode plus the given raw field values.
Words enc(unsigned opcode, std::initializer_list<std::pair<dlp_field, uint32_t>> fields)
{
    uint32_t w[4] = {0, 0, 0, 0};
    dlp_field_set_raw(w, DLP_F_OP, opcode);
    for (auto &f : fields)
        dlp_field_set_raw(w, f.first, f.second);
    return Words(w, w + 4);
}

Words cat(std::initializer_list<Words> parts)
{
    Words out;
    for (auto &p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

// The 64-bit value of an expression, read back through .insn.
int64_t eval(const std::string &expr)
{
    Words w = ok(".equ V, " + expr + "\n.insn V & 0xffffffff, (V >> 32) & 0xffffffff, 0, 0\n");
    if (w.size() != 4)
        return 0x5eadbeef;
    return (int64_t)((uint64_t)w[1] << 32 | w[0]);
}

} // namespace

// ---- encodings ------------------------------------------------------------------------------

TEST(AsmEncode, LiByHand)
{
    // li r1, 0x1000: opcode 4 in bits 5:0, rd in 19:16, imm32 in word 1
    EXPECT_EQ(ok("li r1, 0x1000"), (Words{0x00010004u, 0x1000u, 0, 0}));
    EXPECT_EQ(ok("li r15, -1"), (Words{0x000f0004u, 0xffffffffu, 0, 0}));
    EXPECT_EQ(ok("nop"), (Words{1, 0, 0, 0}));
}

TEST(AsmEncode, FrontEnd)
{
    EXPECT_EQ(ok("nop"), enc(DLP_OP_NOP, {}));
    EXPECT_EQ(ok("halt"), enc(DLP_OP_HALT, {}));
    EXPECT_EQ(ok("sync"), enc(DLP_OP_SYNC, {}));
    EXPECT_EQ(ok("li r3, 123456"), enc(DLP_OP_LI, {{DLP_F_RD, 3}, {DLP_F_IMM32, 123456}}));
    EXPECT_EQ(ok("li r3, 0xffffffff"), enc(DLP_OP_LI, {{DLP_F_RD, 3}, {DLP_F_IMM32, 0xffffffffu}}));
    EXPECT_EQ(ok("li r3, -2147483648"), enc(DLP_OP_LI, {{DLP_F_RD, 3}, {DLP_F_IMM32, 0x80000000u}}));
    EXPECT_EQ(ok("addi r1, r2, -7"),
              enc(DLP_OP_ADDI, {{DLP_F_RD, 1}, {DLP_F_RS1, 2}, {DLP_F_IMM32, (uint32_t)-7}}));
    EXPECT_EQ(ok("add r4, r5, r6"), enc(DLP_OP_ADD, {{DLP_F_RD, 4}, {DLP_F_RS1, 5}, {DLP_F_RS2, 6}}));
    EXPECT_EQ(ok("sub r7, r8, r9"), enc(DLP_OP_SUB, {{DLP_F_RD, 7}, {DLP_F_RS1, 8}, {DLP_F_RS2, 9}}));
    EXPECT_EQ(ok("mul r10, r11, r12"),
              enc(DLP_OP_MUL, {{DLP_F_RD, 10}, {DLP_F_RS1, 11}, {DLP_F_RS2, 12}}));
    EXPECT_EQ(ok("muli r13, r14, 3"),
              enc(DLP_OP_MULI, {{DLP_F_RD, 13}, {DLP_F_RS1, 14}, {DLP_F_IMM32, 3}}));
    EXPECT_EQ(ok("slli r1, r1, 31"), enc(DLP_OP_SLLI, {{DLP_F_RD, 1}, {DLP_F_RS1, 1}, {DLP_F_IMM32, 31}}));
    EXPECT_EQ(ok("srli r2, zero, 0"), enc(DLP_OP_SRLI, {{DLP_F_RD, 2}, {DLP_F_RS1, 0}, {DLP_F_IMM32, 0}}));
}

TEST(AsmEncode, CaseInsensitive)
{
    EXPECT_EQ(ok("LI R3, 5"), ok("li r3, 5"));
    EXPECT_EQ(ok("Add r1, ZERO, r2"), ok("add r1, r0, r2"));
    EXPECT_EQ(ok("DMA NRAM[r1], Dram[R2], 8, N1=2, WAIT=CP, Signal=St|Cp"),
              ok("dma nram[r1], dram[r2], 8, n1=2, wait=cp, signal=st|cp"));
}

TEST(AsmEncode, Loops)
{
    // loop 3 { nop; loopr r5 { nop; nop } }: outer body 4, inner body 2
    Words w = ok("loop 3\n nop\n loopr r5\n nop\n nop\n endloop\nendloop\nhalt\n");
    EXPECT_EQ(w, cat({enc(DLP_OP_LOOP, {{DLP_F_IMM32, 3}, {DLP_F_LBODY, 5}}), enc(DLP_OP_NOP, {}),
                      enc(DLP_OP_LOOPR, {{DLP_F_RS1, 5}, {DLP_F_LBODY, 2}}), enc(DLP_OP_NOP, {}),
                      enc(DLP_OP_NOP, {}), enc(DLP_OP_ENDLOOP, {}), enc(DLP_OP_ENDLOOP, {}),
                      enc(DLP_OP_HALT, {})}));
    EXPECT_EQ(ok("loop 0xffffffff\nendloop"),
              cat({enc(DLP_OP_LOOP, {{DLP_F_IMM32, 0xffffffffu}, {DLP_F_LBODY, 0}}),
                   enc(DLP_OP_ENDLOOP, {})}));
}

TEST(AsmEncode, LongestLoopBody)
{
    Words w = ok("loop 2\n.rept 65535\nnop\n.endr\nendloop\n");
    ASSERT_EQ(w.size(), 4u * 65537);
    EXPECT_EQ(dlp_field_get_raw(w.data(), DLP_F_LBODY), 65535u);
}

TEST(AsmEncode, DmaDefaultsAndKeywords)
{
    EXPECT_EQ(ok("dma nram[r1], dram[r2], 64"),
              enc(DLP_OP_DMA, {{DLP_F_DSP, DLP_MEM_NRAM}, {DLP_F_RDST, 1}, {DLP_F_SSP, DLP_MEM_DRAM},
                               {DLP_F_RSRC, 2}, {DLP_F_N0, 64}, {DLP_F_N1, 1}, {DLP_F_N2, 1}}));
    EXPECT_EQ(ok("dma dram[r3], wram[r4], 1048575, n1=65535, n2=4095, ss1=r5, ss2=r6, ds1=r7, "
                 "ds2=r8, pt=15, pb=14, pl=4095, pr=4094, pv=-128, wait=ld|cp, signal=ld|cp"),
              enc(DLP_OP_DMA, {{DLP_F_DSP, DLP_MEM_DRAM}, {DLP_F_RDST, 3}, {DLP_F_SSP, DLP_MEM_WRAM},
                               {DLP_F_RSRC, 4}, {DLP_F_N0, 1048575}, {DLP_F_N1, 65535},
                               {DLP_F_N2, 4095}, {DLP_F_RSS1, 5}, {DLP_F_RSS2, 6}, {DLP_F_RDS1, 7},
                               {DLP_F_RDS2, 8}, {DLP_F_PT, 15}, {DLP_F_PB, 14}, {DLP_F_PL, 4095},
                               {DLP_F_PR, 4094}, {DLP_F_PV, 0x80}, {DLP_F_WAIT, 3},
                               {DLP_F_SIGNAL, 3}}));
    // keyword order does not matter
    EXPECT_EQ(ok("dma wram[r1], nram[r2], 4, pv=5, n2=3, n1=2"),
              ok("dma wram[r1], nram[r2], 4, n1=2, n2=3, pv=5"));
}

TEST(AsmEncode, MovePseudoIsDmaWithSwappedOperands)
{
    Words expect = enc(DLP_OP_DMA, {{DLP_F_DSP, DLP_MEM_WRAM}, {DLP_F_RDST, 2}, {DLP_F_SSP, DLP_MEM_DRAM},
                                    {DLP_F_RSRC, 1}, {DLP_F_N0, 256}, {DLP_F_N1, 4}, {DLP_F_N2, 1},
                                    {DLP_F_SIGNAL, 2}});
    EXPECT_EQ(ok("move dram[r1], wram[r2], 256, n1=4, signal=cp"), expect);
    EXPECT_EQ(ok("dma wram[r2], dram[r1], 256, n1=4, signal=cp"), expect);
}

TEST(AsmEncode, MmAndComputePseudo)
{
    Words expect = enc(DLP_OP_MM, {{DLP_F_RACC, 1}, {DLP_F_RIN, 2}, {DLP_F_RW, 3}, {DLP_F_M0, 16},
                                   {DLP_F_KDIM, 64}, {DLP_F_NDIM, 32}, {DLP_F_M1, 1}});
    EXPECT_EQ(ok("mm acc[r1], nram[r2], wram[r3], 16, 64, 32"), expect);
    EXPECT_EQ(ok("compute mac, acc[r1], nram[r2], wram[r3], 16, 64, 32"), expect);
    EXPECT_EQ(ok("COMPUTE MAC, acc[r1], nram[r2], wram[r3], 16, 64, 32"), expect);
    EXPECT_EQ(ok("mm acc[r1], nram[r2], wram[r3], 65535, 65535, 65535, m1=4095, s0=r4, s1=r5, ws=r6, "
                 "as=r7, accum=1, wait=ld|st, signal=ld|st"),
              enc(DLP_OP_MM, {{DLP_F_RACC, 1}, {DLP_F_RIN, 2}, {DLP_F_RW, 3}, {DLP_F_M0, 65535},
                              {DLP_F_KDIM, 65535}, {DLP_F_NDIM, 65535}, {DLP_F_M1, 4095},
                              {DLP_F_RINS0, 4}, {DLP_F_RINS1, 5}, {DLP_F_RWS, 6}, {DLP_F_RACS, 7},
                              {DLP_F_ACCUM, 1}, {DLP_F_WAIT, 5}, {DLP_F_SIGNAL, 5}}));
}

TEST(AsmEncode, VectorUnit)
{
    EXPECT_EQ(ok("vrq nram[r1], acc[r2], wram[r3], 4, 8"),
              enc(DLP_OP_VRQ, {{DLP_F_VD, 1}, {DLP_F_VA, 2}, {DLP_F_VP, 3}, {DLP_F_ROWS, 4},
                               {DLP_F_COLS, 8}, {DLP_F_I0, 0}, {DLP_F_I1, 0x80}, {DLP_F_I2, 0x7f}}));
    EXPECT_EQ(ok("vrq nram[r1], acc[r2], wram[r3], 4, 8, sd=r4, sa=r5, zp=-3, lo=-3, hi=100"),
              enc(DLP_OP_VRQ, {{DLP_F_VD, 1}, {DLP_F_VA, 2}, {DLP_F_VP, 3}, {DLP_F_ROWS, 4},
                               {DLP_F_COLS, 8}, {DLP_F_VSD, 4}, {DLP_F_VSA, 5}, {DLP_F_I0, 0xfd},
                               {DLP_F_I1, 0xfd}, {DLP_F_I2, 100}}));
    EXPECT_EQ(ok("vadd nram[r1], nram[r2], nram[r3], wram[r4], 2, 3, sd=r5, sa=r6, sb=r7"),
              enc(DLP_OP_VADD, {{DLP_F_VD, 1}, {DLP_F_VA, 2}, {DLP_F_VB, 3}, {DLP_F_VP, 4},
                                {DLP_F_ROWS, 2}, {DLP_F_COLS, 3}, {DLP_F_VSD, 5}, {DLP_F_VSA, 6},
                                {DLP_F_VSB, 7}}));
    EXPECT_EQ(ok("vmax nram[r1], nram[r2], nram[r3], 5, 6, sb=r9, signal=ld"),
              enc(DLP_OP_VMAX, {{DLP_F_VD, 1}, {DLP_F_VA, 2}, {DLP_F_VB, 3}, {DLP_F_ROWS, 5},
                                {DLP_F_COLS, 6}, {DLP_F_VSB, 9}, {DLP_F_SIGNAL, 1}}));
    EXPECT_EQ(ok("vmin nram[r1], nram[r2], nram[r3], 5, 6, wait=st"),
              enc(DLP_OP_VMIN, {{DLP_F_VD, 1}, {DLP_F_VA, 2}, {DLP_F_VB, 3}, {DLP_F_ROWS, 5},
                                {DLP_F_COLS, 6}, {DLP_F_WAIT, 4}}));
    EXPECT_EQ(ok("vclamp nram[r1], nram[r2], 7, 9, -128, 6, sd=r3"),
              enc(DLP_OP_VCLAMP, {{DLP_F_VD, 1}, {DLP_F_VA, 2}, {DLP_F_ROWS, 7}, {DLP_F_COLS, 9},
                                  {DLP_F_I0, 0x80}, {DLP_F_I1, 6}, {DLP_F_VSD, 3}}));
    EXPECT_EQ(ok("vlut nram[r1], nram[r2], wram[r3], 1, 256, sa=r4"),
              enc(DLP_OP_VLUT, {{DLP_F_VD, 1}, {DLP_F_VA, 2}, {DLP_F_VP, 3}, {DLP_F_ROWS, 1},
                                {DLP_F_COLS, 256}, {DLP_F_VSA, 4}}));
}

TEST(AsmEncode, Pooling)
{
    for (auto [mn, op] : {std::pair<const char *, unsigned>{"vmaxpool", DLP_OP_VMAXPOOL},
                          std::pair<const char *, unsigned>{"vavgpool", DLP_OP_VAVGPOOL}}) {
        EXPECT_EQ(ok(std::string(mn) + " nram[r1], nram[r2], 64, 1, 1, 1, 1, 1, 1"),
                  enc(op, {{DLP_F_PD, 1}, {DLP_F_PA, 2}, {DLP_F_CH, 64}, {DLP_F_OH, 1}, {DLP_F_OW, 1},
                           {DLP_F_KH, 1}, {DLP_F_KW, 1}, {DLP_F_SH, 1}, {DLP_F_SW, 1},
                           {DLP_F_IH, 1}, {DLP_F_IW, 1}}));
        EXPECT_EQ(ok(std::string(mn) + " nram[r1], nram[r2], 8, 14, 14, 7, 7, 3, 3, sh=2, sw=2, "
                                       "pt=1, pl=1, spa=r3, sra=r4, spd=r5, srd=r6, "
                                       "wait=ld, signal=st"),
                  enc(op, {{DLP_F_PD, 1}, {DLP_F_PA, 2}, {DLP_F_CH, 8}, {DLP_F_OH, 7}, {DLP_F_OW, 7},
                           {DLP_F_KH, 3}, {DLP_F_KW, 3}, {DLP_F_SH, 2}, {DLP_F_SW, 2},
                           {DLP_F_PPT, 1}, {DLP_F_PPL, 1}, {DLP_F_IH, 14}, {DLP_F_IW, 14},
                           {DLP_F_PSPA, 3}, {DLP_F_PSRA, 4}, {DLP_F_PSPD, 5}, {DLP_F_PSRD, 6},
                           {DLP_F_WAIT, 1}, {DLP_F_SIGNAL, 4}}));
    }
}

// Every field of every instruction is reachable from text: an operand, wait/signal (queued
// instructions), lbody (loops, filled by the assembler) or the opcode.
TEST(AsmEncode, EveryFieldHasSyntax)
{
    for (int i = 0; i < DLP_I_COUNT; i++) {
        const dlp_insn_info_t *ii = &dlp_insn_info[i];
        for (int k = 0; k < ii->nfields; k++) {
            int f = ii->fields[k];
            bool covered = f == DLP_F_OP || f == DLP_F_LBODY ||
                           ((f == DLP_F_WAIT || f == DLP_F_SIGNAL) && ii->qclass != DLP_QC_FE);
            for (int o = 0; o < ii->nops; o++)
                covered |= ii->ops[o].field == f || ii->ops[o].field2 == f;
            EXPECT_TRUE(covered) << ii->mnemonic << " field " << dlp_field_info[f].name;
        }
    }
}

// ---- labels and expressions ------------------------------------------------------------------

TEST(AsmExpr, LabelsForwardAndBackward)
{
    Words w = ok("start: li r1, end\n li r2, start\nmid: li r3, mid\nend:\n");
    EXPECT_EQ(w[1], 3u);
    EXPECT_EQ(w[5], 0u);
    EXPECT_EQ(w[9], 2u);
    // several labels on a line, a label on a line of its own
    w = ok("a: b:\nc: nop\n li r1, a + b + c\n");
    EXPECT_EQ(w[5], 0u);
}

TEST(AsmExpr, Literals)
{
    EXPECT_EQ(eval("42"), 42);
    EXPECT_EQ(eval("0x2A"), 42);
    EXPECT_EQ(eval("0X2a"), 42);
    EXPECT_EQ(eval("0b101010"), 42);
    EXPECT_EQ(eval("'*'"), 42);
    EXPECT_EQ(eval("'\\n'"), 10);
    EXPECT_EQ(eval("'\\x41'"), 0x41);
    EXPECT_EQ(eval("'\\''"), '\'');
    EXPECT_EQ(eval("007"), 7); // a leading zero is not octal
    EXPECT_EQ(eval("0xffffffffffffffff"), -1);
}

TEST(AsmExpr, PrecedenceLikeC)
{
    EXPECT_EQ(eval("1 + 2 * 3"), 7);
    EXPECT_EQ(eval("(1 + 2) * 3"), 9);
    EXPECT_EQ(eval("10 - 2 - 3"), 5);
    EXPECT_EQ(eval("100 / 10 / 5"), 2);
    EXPECT_EQ(eval("2 * 3 % 4"), 2);
    EXPECT_EQ(eval("1 << 2 + 1"), 8);
    EXPECT_EQ(eval("1 | 2 ^ 3 & 4"), 3);
    EXPECT_EQ(eval("6 & 3 == 3"), 0); // == binds tighter than &
    EXPECT_EQ(eval("1 < 2 == 1"), 1);
    EXPECT_EQ(eval("1 || 0 && 0"), 1);
    EXPECT_EQ(eval("-2 * -3"), 6);
    EXPECT_EQ(eval("- - 5"), 5);
    EXPECT_EQ(eval("~0"), -1);
    EXPECT_EQ(eval("!5 + !0"), 1);
    EXPECT_EQ(eval("+7"), 7);
    EXPECT_EQ(eval("3 > 2 > 1"), 0);
}

TEST(AsmExpr, Operators)
{
    EXPECT_EQ(eval("7 / 2"), 3);
    EXPECT_EQ(eval("-7 / 2"), -3);
    EXPECT_EQ(eval("-7 % 3"), -1);
    EXPECT_EQ(eval("-16 >> 2"), -4); // arithmetic shift
    EXPECT_EQ(eval("1 << 40"), 1ll << 40);
    EXPECT_EQ(eval("0x0f0 | 0x00f"), 0xff);
    EXPECT_EQ(eval("0xff ^ 0x0f"), 0xf0);
    EXPECT_EQ(eval("5 != 5"), 0);
    EXPECT_EQ(eval("5 <= 5"), 1);
    EXPECT_EQ(eval("5 >= 6"), 0);
    EXPECT_EQ(eval("2 && 3"), 1);
    EXPECT_EQ(eval("0 || 0"), 0);
}

TEST(AsmExpr, SixtyFourBitWraparound)
{
    EXPECT_EQ(eval("0x7fffffffffffffff + 1"), INT64_MIN);
    EXPECT_EQ(eval("(-0x7fffffffffffffff - 1) / -1"), INT64_MIN);
    EXPECT_EQ(eval("(-0x7fffffffffffffff - 1) % -1"), 0);
    EXPECT_EQ(eval("1 << 63"), INT64_MIN);
    EXPECT_EQ(eval("0x100000000 * 0x100000000"), 0);
}

TEST(AsmExpr, ShortCircuitDoesNotEvaluate)
{
    EXPECT_EQ(eval("0 && 1 / 0"), 0);
    EXPECT_EQ(eval("1 || undefined_symbol"), 1);
    EXPECT_EQ(eval("0 && (1 << 99)"), 0);
}

TEST(AsmExpr, Defined)
{
    EXPECT_EQ(eval("defined(NOPE)"), 0);
    EXPECT_EQ(ok(".equ A, 1\n.equ V, defined(A) * 2 + defined(B)\n.insn V, 0, 0, 0")[0], 2u);
    // a label defined later is not defined yet
    EXPECT_EQ(ok(".equ V, defined(L)\n.insn V, 0, 0, 0\nL:")[0], 0u);
}

TEST(AsmExpr, ForwardEquConstant)
{
    Words w = ok("li r1, SIZE * 2\n.equ SIZE, 40\n");
    EXPECT_EQ(w[1], 80u);
    // a constant computed from a later label
    w = ok(".equ LEN, end - start\nstart: nop\nnop\nend: li r1, LEN\n");
    EXPECT_EQ(w[9], 2u);
}

TEST(AsmExpr, ImmediateRanges)
{
    EXPECT_EQ(ok("dma nram[r1], dram[r2], 1, pv=127")[3] >> 24, 127u);
    EXPECT_EQ(ok("dma nram[r1], dram[r2], 1, pv=-128")[3] >> 24, 0x80u);
    EXPECT_EQ(dlp_field_get_raw(ok("dma nram[r1], dram[r2], 0xfffff").data(), DLP_F_N0), 0xfffffu);
    EXPECT_EQ(ok("li r1, 0x80000000")[1], 0x80000000u);
}

// ---- directives -----------------------------------------------------------------------------

TEST(AsmDirective, EquSetReg)
{
    Words w = ok(".equ N, 3\n.set S, N\n.set S, S * 2\n.reg ptr, r7\nli ptr, S\n.set S, S + 1\n"
                 "li r1, S\n.reg ptr, r8\nli ptr, N\n");
    EXPECT_EQ(w, cat({enc(DLP_OP_LI, {{DLP_F_RD, 7}, {DLP_F_IMM32, 6}}),
                      enc(DLP_OP_LI, {{DLP_F_RD, 1}, {DLP_F_IMM32, 7}}),
                      enc(DLP_OP_LI, {{DLP_F_RD, 8}, {DLP_F_IMM32, 3}})}));
    // aliases work in memory operands and keyword registers
    EXPECT_EQ(ok(".reg src, r2\n.reg stride, r9\ndma nram[r1], dram[src], 4, ss1=stride"),
              ok("dma nram[r1], dram[r2], 4, ss1=r9"));
    // an alias of an alias
    EXPECT_EQ(ok(".reg a, r4\n.reg b, a\nli b, 1"), ok("li r4, 1"));
}

TEST(AsmDirective, IfElifElse)
{
    const char *src = ".if MODE == 0\n li r1, 10\n.elif MODE == 1\n li r1, 11\n.elif MODE == 1\n"
                      " li r1, 99\n.else\n li r1, 12\n.endif\n";
    for (int mode = 0; mode < 4; mode++) {
        std::string def = ".equ MODE, " + std::to_string(mode) + "\n";
        Words w = ok(def + src);
        ASSERT_EQ(w.size(), 4u);
        EXPECT_EQ(w[1], mode == 0 ? 10u : mode == 1 ? 11u : 12u) << mode;
    }
}

TEST(AsmDirective, IfNestedAndSkippedContentIgnored)
{
    Words w = ok(".if 1\n .if 0\n  this is not assembled 'x\n  .if 1\n   neither\n  .endif\n"
                 " .else\n  nop\n .endif\n.else\n halt\n.endif\n");
    EXPECT_EQ(w, enc(DLP_OP_NOP, {}));
    // directives in a false branch are not executed
    w = ok(".equ A, 1\n.if 0\n.equ A, 2\n.error \"no\"\n.include \"missing.s\"\n.endif\nli r1, A");
    EXPECT_EQ(w[1], 1u);
}

TEST(AsmDirective, MacroParametersDefaultsAndCounter)
{
    Words w = ok(".macro ld2 dst, val=5\n li \\dst, \\val\n.endm\nld2 r1, 7\nld2 r2\n");
    EXPECT_EQ(w, cat({enc(DLP_OP_LI, {{DLP_F_RD, 1}, {DLP_F_IMM32, 7}}),
                      enc(DLP_OP_LI, {{DLP_F_RD, 2}, {DLP_F_IMM32, 5}})}));
    // \@ makes labels unique per expansion; \() separates a parameter from following text
    w = ok(".macro spin n\nl\\@: li r\\n\\()0, l\\@\n.endm\nspin 1\nspin 1\n");
    EXPECT_EQ(w, cat({enc(DLP_OP_LI, {{DLP_F_RD, 10}, {DLP_F_IMM32, 0}}),
                      enc(DLP_OP_LI, {{DLP_F_RD, 10}, {DLP_F_IMM32, 1}})}));
    // memory operands and expressions as arguments
    EXPECT_EQ(ok(".macro cp d, s, n\n dma \\d, \\s, \\n\n.endm\ncp nram[r1], dram[r2], (2 + 2)\n"),
              ok("dma nram[r1], dram[r2], 4"));
}

TEST(AsmDirective, MacroRecursionWithCondition)
{
    // a recursive macro that stops by itself: emits n nops
    Words w = ok(".macro nops n\n.if \\n > 0\n nop\n nops \\n - 1\n.endif\n.endm\nnops 5\n");
    EXPECT_EQ(w.size(), 20u);
}

TEST(AsmDirective, MacroCanUseLoopsAndStrings)
{
    Words w = ok(".macro rep n, body\n loop \\n\n \\body\n endloop\n.endm\nrep 4, nop\n");
    EXPECT_EQ(w, cat({enc(DLP_OP_LOOP, {{DLP_F_IMM32, 4}, {DLP_F_LBODY, 1}}), enc(DLP_OP_NOP, {}),
                      enc(DLP_OP_ENDLOOP, {})}));
    // unknown escapes inside strings are left to the string
    Asm a = assemble(".macro fail\n.error \"bad\\tthing\"\n.endm\nfail\n");
    ASSERT_EQ(a.msgs.size(), 1u);
    EXPECT_EQ(a.msgs[0], "t.s:2:1: error: bad\tthing\nt.s:4:1: note: in expansion of macro 'fail'");
}

TEST(AsmDirective, Rept)
{
    EXPECT_EQ(ok(".rept 3\nnop\n.endr").size(), 12u);
    EXPECT_EQ(ok(".rept 0\nnop\n.endr\nhalt"), enc(DLP_OP_HALT, {}));
    // nested, with .set stepping a value
    Words w = ok(".set I, 0\n.rept 2\n.rept 3\nli r1, I\n.set I, I + 1\n.endr\n.endr\n");
    ASSERT_EQ(w.size(), 24u);
    for (int i = 0; i < 6; i++)
        EXPECT_EQ(w[4 * i + 1], (uint32_t)i);
}

TEST(AsmDirective, Insn)
{
    EXPECT_EQ(ok(".insn 0x12345678, 1, -1, 0xffffffff"),
              (Words{0x12345678u, 1, 0xffffffffu, 0xffffffffu}));
    // raw words are not checked: an undefined opcode goes through
    EXPECT_EQ(ok(".insn 0, 0, 0, 0"), (Words{0, 0, 0, 0}));
    // .insn is an instruction for labels
    EXPECT_EQ(ok(".insn 1,0,0,0\nx: li r1, x")[5], 1u);
}

TEST(AsmDirective, IncludeRelativeAndSearchPath)
{
    char tmpl[] = "/tmp/dlpasm_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    std::string dir = tmpl;
    ASSERT_EQ(system(("mkdir -p " + dir + "/sub " + dir + "/lib").c_str()), 0);
    std::ofstream(dir + "/main.s") << ".include \"sub/a.s\"\nli r1, A + B\n";
    std::ofstream(dir + "/sub/a.s") << ".equ A, 1\n.include \"b.s\"\n";   // relative to sub/
    std::ofstream(dir + "/sub/b.s") << ".include \"c.s\"\n.equ B, C * 10\n";
    std::ofstream(dir + "/lib/c.s") << ".equ C, 4\n";                     // found by -I
    std::string lib = dir + "/lib";
    const char *incs[] = {"/nonexistent", lib.c_str()};
    dlp_asm_options_t opt = {};
    opt.include_dirs = incs;
    opt.n_include_dirs = 2;
    dlp_asm_result_t r;
    EXPECT_EQ(dlp_asm_file((dir + "/main.s").c_str(), &opt, &r), 0)
        << (r.n_messages ? r.messages[0] : "");
    ASSERT_EQ(r.n_insns, 1u);
    EXPECT_EQ(r.words[1], 41u);
    dlp_asm_result_free(&r);

    // without -I, c.s is not found, and the error points into b.s
    EXPECT_EQ(dlp_asm_file((dir + "/main.s").c_str(), nullptr, &r), -1);
    ASSERT_GE(r.n_messages, 1);
    EXPECT_EQ(std::string(r.messages[0]),
              dir + "/sub/b.s:1:10: error: cannot open include file 'c.s': No such file or directory");
    dlp_asm_result_free(&r);

    // an include cycle through two files
    std::ofstream(dir + "/x.s") << ".include \"y.s\"\n";
    std::ofstream(dir + "/y.s") << "nop\n.include \"x.s\"\n";
    EXPECT_EQ(dlp_asm_file((dir + "/x.s").c_str(), nullptr, &r), -1);
    ASSERT_EQ(r.n_messages, 1);
    EXPECT_EQ(std::string(r.messages[0]), dir + "/y.s:2:10: error: recursive .include of 'x.s'");
    dlp_asm_result_free(&r);
    ASSERT_EQ(system(("rm -rf " + dir).c_str()), 0);
}

TEST(AsmDirective, PredefinedSymbols)
{
    const char *defs[] = {"N=4*4", "DEBUG"};
    dlp_asm_options_t opt = {};
    opt.defines = defs;
    opt.n_defines = 2;
    Words w = ok(".if DEBUG\nli r1, N\n.endif\n", &opt);
    EXPECT_EQ(w, enc(DLP_OP_LI, {{DLP_F_RD, 1}, {DLP_F_IMM32, 16}}));
    // the usual "default unless given" idiom
    w = ok(".if !defined(N)\n.equ N, 1\n.endif\nli r1, N\n", &opt);
    EXPECT_EQ(w[1], 16u);
    Asm a = assemble(".equ N, 3\n", &opt);
    ASSERT_EQ(a.msgs.size(), 1u);
    EXPECT_EQ(a.msgs[0], "t.s:1:6: error: .equ constant 'N' is already defined on the command line");
    const char *bad[] = {"X=1+"};
    opt.defines = bad;
    opt.n_defines = 1;
    a = assemble("nop", &opt);
    ASSERT_EQ(a.msgs.size(), 1u);
    EXPECT_EQ(a.msgs[0], "<command line>:1:5: error: expected an expression, got end of line");
}

TEST(AsmDirective, CommentsAndBlankLines)
{
    EXPECT_EQ(ok("; comment\n# another\n// and another\n\n   \t\nnop ; trailing\nhalt # x\n"
                 "sync // y\n"),
              cat({enc(DLP_OP_NOP, {}), enc(DLP_OP_HALT, {}), enc(DLP_OP_SYNC, {})}));
    EXPECT_EQ(ok("nop\r\nhalt\r\n"), cat({enc(DLP_OP_NOP, {}), enc(DLP_OP_HALT, {})}));
    EXPECT_EQ(ok("li r1, ';'  ; a char literal is not a comment")[1], (uint32_t)';');
}

TEST(AsmApi, EmptySourceAndListing)
{
    Asm a = assemble("; nothing\n");
    EXPECT_EQ(a.rc, 0);
    EXPECT_TRUE(a.w.empty());

    dlp_asm_options_t opt = {};
    opt.listing = 1;
    a = assemble(".equ K, 7\n.reg p, r3\nstart: li p, K\n  loop 2\n  nop\n  endloop\n", &opt);
    ASSERT_EQ(a.rc, 0);
    EXPECT_NE(a.listing.find("      0   00030004 00000007 00000000 00000000  t.s:3: start: li p, K\n"),
              std::string::npos) << a.listing;
    EXPECT_NE(a.listing.find("      1   0000000c 00000002 00000001 00000000  t.s:4: loop 2\n"),
              std::string::npos) << a.listing;
    EXPECT_NE(a.listing.find(";   K                        equ   7 (0x7)\n"), std::string::npos);
    EXPECT_NE(a.listing.find(";   p                        reg   r3\n"), std::string::npos);
    EXPECT_NE(a.listing.find(";   start                    label 0 (0x0)\n"), std::string::npos);
}

TEST(AsmApi, FileNotFound)
{
    dlp_asm_result_t r;
    EXPECT_EQ(dlp_asm_file("/nonexistent/prog.s", nullptr, &r), -1);
    ASSERT_EQ(r.n_messages, 1);
    EXPECT_EQ(r.n_errors, 1);
    EXPECT_STREQ(r.messages[0], "/nonexistent/prog.s: error: cannot open: No such file or directory");
    EXPECT_EQ(r.words, nullptr);
    dlp_asm_result_free(&r);
    dlp_asm_result_free(&r); // twice is harmless
}

/* Lines of a skipped .if branch are not assembled, so they may hold anything the lexer rejects
   (found by the firmware: a .macro with a \parameter inside an .if 0). */
TEST(AsmDirective, SkippedBranchesAreNotLexed)
{
    dlp_asm_options_t opt;
    dlp_asm_result_t res;
    auto assemble = [&](const char *src) {
        memset(&opt, 0, sizeof opt);
        int rc = dlp_asm_string(src, "t.s", &opt, &res);
        std::string msgs;
        for (int i = 0; i < res.n_messages; i++)
            msgs += std::string(res.messages[i]) + "\n";
        dlp_asm_result_free(&res);
        return std::make_pair(rc, msgs);
    };
    EXPECT_EQ(0, assemble(".if 0\n.macro m a\n.if \\a\n.endif\n.endm\n.endif\nhalt\n").first);
    EXPECT_EQ(0, assemble(".if 0\n.if @\n.endif\n.endif\nhalt\n").first);
    EXPECT_EQ(0, assemble(".if 1\nnop\n.elif @\n.endif\nhalt\n").first) << "elif after a taken branch";
    auto bad = assemble(".if 0\nnop\n.elif @\n.endif\nhalt\n");
    EXPECT_EQ(-1, bad.first) << "an .elif that must be evaluated still reports";
    EXPECT_NE(std::string::npos, bad.second.find("t.s:3:7: error: unexpected character '@'")) << bad.second;
}
