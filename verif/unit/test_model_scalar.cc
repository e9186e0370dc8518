// SPDX-License-Identifier: Apache-2.0
/*
 * Front-end instructions on the C model: scalar arithmetic (wrapping), r0, hardware loops.
 * Expected register values come from a separate interpreter of the ISA text or from hand.
 */
#include "model_util.h"

using namespace dlpt;

/* The opcode table of model_util.h (typed from docs/isa.md) agrees with the generated one. */
TEST(ModelEncoding, OpcodesMatchGeneratedTable)
{
    for (int id = 0; id < DLP_I_COUNT; id++) {
        EXPECT_EQ(opcode_of(id), dlp_insn_info[id].opcode) << dlp_insn_info[id].mnemonic;
        EXPECT_EQ(id, dlp_insn_of_opcode(opcode_of(id)));
    }
}

TEST(ModelScalar, ArithmeticWraps)
{
    Machine mc;
    Prog p;
    p.li(1, 0x7fffffff);
    p.addi(2, 1, 1);            /* 0x80000000 */
    p.li(3, 0xffffffff);
    p.add(4, 3, 3);             /* 0xfffffffe */
    p.sub(5, 0, 3);             /* 0 - 0xffffffff = 1 */
    p.li(6, 0x10001);
    p.mul(7, 6, 6);             /* 0x1_0002_0001 -> 0x00020001 */
    p.muli(8, 6, 0xffff);       /* 0x10001 * 0xffff = 0xffffffff */
    p.slli(9, 3, 31);           /* 0x80000000 */
    p.srli(10, 3, 31);          /* 1 (logical) */
    p.srli(11, 2, 4);           /* 0x08000000: logical, not arithmetic */
    p.addi(12, 0, 0xfffffffe);  /* r0 + (-2) */
    p.slli(13, 6, 0);           /* shift 0 */
    p.sub(14, 2, 3);            /* 0x80000000 - 0xffffffff = 0x80000001 */
    p.li(15, 0x12345678);
    p.halt();
    dlp_result_t r = mc.run(p);
    ASSERT_DONE(r);
    EXPECT_EQ(0x7fffffffu, dlp_reg(mc.m, 1));
    EXPECT_EQ(0x80000000u, dlp_reg(mc.m, 2));
    EXPECT_EQ(0xffffffffu, dlp_reg(mc.m, 3));
    EXPECT_EQ(0xfffffffeu, dlp_reg(mc.m, 4));
    EXPECT_EQ(1u, dlp_reg(mc.m, 5));
    EXPECT_EQ(0x00020001u, dlp_reg(mc.m, 7));
    EXPECT_EQ(0xffffffffu, dlp_reg(mc.m, 8));
    EXPECT_EQ(0x80000000u, dlp_reg(mc.m, 9));
    EXPECT_EQ(1u, dlp_reg(mc.m, 10));
    EXPECT_EQ(0x08000000u, dlp_reg(mc.m, 11));
    EXPECT_EQ(0xfffffffeu, dlp_reg(mc.m, 12));
    EXPECT_EQ(0x10001u, dlp_reg(mc.m, 13));
    EXPECT_EQ(0x80000001u, dlp_reg(mc.m, 14));
    EXPECT_EQ(0x12345678u, dlp_reg(mc.m, 15));
}

TEST(ModelScalar, R0StaysZero)
{
    Machine mc;
    Prog p;
    p.li(0, 5);
    p.addi(0, 0, 7);
    p.muli(0, 0, 3);
    p.li(1, 9);
    p.add(0, 1, 1);
    p.add(2, 0, 0);  /* 0 + 0 */
    p.addi(3, 0, 4); /* 0 + 4 */
    p.halt();
    dlp_result_t r = mc.run(p);
    ASSERT_DONE(r);
    EXPECT_EQ(0u, dlp_reg(mc.m, 0));
    EXPECT_EQ(0u, dlp_reg(mc.m, 2));
    EXPECT_EQ(4u, dlp_reg(mc.m, 3));
}

TEST(ModelScalar, RegistersResetBetweenRuns)
{
    Machine mc;
    Prog a;
    a.li(5, 77);
    a.halt();
    ASSERT_DONE(mc.run(a));
    EXPECT_EQ(77u, dlp_reg(mc.m, 5));
    Prog b;
    b.addi(6, 5, 1); /* r5 was reset to 0 at the start of the run */
    b.halt();
    ASSERT_DONE(mc.run(b));
    EXPECT_EQ(1u, dlp_reg(mc.m, 6));
}

/* Random straight-line scalar programs against a small interpreter written from docs/isa.md. */
TEST(ModelScalar, RandomProgramsAgainstInterpreter)
{
    const uint64_t seed = 0xC0FFEE01;
    Rng g(seed);
    Machine mc;
    for (int prog = 0; prog < 40; prog++) {
        Prog p;
        uint32_t reg[16] = {0};
        for (int i = 0; i < 60; i++) {
            unsigned rd = (unsigned)g.range(0, 15), rs1 = (unsigned)g.range(0, 15),
                     rs2 = (unsigned)g.range(0, 15);
            uint32_t imm = g.chance(50) ? g.u32() : (uint32_t)g.range(-20, 20);
            uint32_t sh = (uint32_t)g.range(0, 31);
            switch (g.range(0, 7)) {
            case 0:
                p.li(rd, imm), reg[rd] = imm;
                break;
            case 1:
                p.addi(rd, rs1, imm), reg[rd] = reg[rs1] + imm;
                break;
            case 2:
                p.add(rd, rs1, rs2), reg[rd] = reg[rs1] + reg[rs2];
                break;
            case 3:
                p.sub(rd, rs1, rs2), reg[rd] = reg[rs1] - reg[rs2];
                break;
            case 4:
                p.mul(rd, rs1, rs2), reg[rd] = (uint32_t)((uint64_t)reg[rs1] * reg[rs2]);
                break;
            case 5:
                p.muli(rd, rs1, imm), reg[rd] = (uint32_t)((uint64_t)reg[rs1] * imm);
                break;
            case 6:
                p.slli(rd, rs1, sh), reg[rd] = (uint32_t)((uint64_t)reg[rs1] << sh);
                break;
            default:
                p.srli(rd, rs1, sh), reg[rd] = reg[rs1] >> sh;
                break;
            }
            reg[0] = 0;
        }
        p.halt();
        dlp_result_t r = mc.run(p);
        ASSERT_DONE(r) << "seed " << seed << " program " << prog;
        for (unsigned k = 0; k < 16; k++)
            ASSERT_EQ(reg[k], dlp_reg(mc.m, k)) << "seed " << seed << " program " << prog << " r" << k;
    }
}

/* ---- loops ------------------------------------------------------------------------------------------ */

TEST(ModelLoop, CountsIterations)
{
    Machine mc;
    Prog p;
    p.loop(3);
    p.addi(1, 1, 1);
    p.addi(2, 2, 10);
    p.endloop();
    p.addi(3, 1, 100); /* runs once after the loop */
    p.loop(1);          /* count 1: body once */
    p.addi(4, 4, 1);
    p.endloop();
    p.loop(5); /* empty body (lbody = 0) */
    p.endloop();
    p.halt();
    dlp_result_t r = mc.run(p);
    ASSERT_DONE(r);
    EXPECT_EQ(3u, dlp_reg(mc.m, 1));
    EXPECT_EQ(30u, dlp_reg(mc.m, 2));
    EXPECT_EQ(103u, dlp_reg(mc.m, 3));
    EXPECT_EQ(1u, dlp_reg(mc.m, 4));
    /* dynamic instructions: loop + 3*(2 + endloop) + addi + loop + (addi + endloop) + loop +
       5 * endloop + halt = 1 + 9 + 1 + 1 + 2 + 1 + 5 + 1 = 21 */
    EXPECT_EQ(21u, r.counters.insns);
}

TEST(ModelLoop, CountZeroSkipsBody)
{
    Machine mc;
    Prog p;
    p.loop(0);
    p.addi(1, 1, 1);
    p.loop(4); /* a nested loop inside the skipped body is skipped as well */
    p.addi(2, 2, 1);
    p.endloop();
    p.endloop();
    p.addi(3, 3, 7);
    p.li(5, 0);
    p.loopr(5); /* loopr with a zero register */
    p.addi(4, 4, 1);
    p.endloop();
    p.halt();
    dlp_result_t r = mc.run(p);
    ASSERT_DONE(r);
    EXPECT_EQ(0u, dlp_reg(mc.m, 1));
    EXPECT_EQ(0u, dlp_reg(mc.m, 2));
    EXPECT_EQ(7u, dlp_reg(mc.m, 3));
    EXPECT_EQ(0u, dlp_reg(mc.m, 4));
}

TEST(ModelLoop, LooprTakesCountFromRegisterAtDispatch)
{
    Machine mc;
    Prog p;
    p.li(1, 6);
    p.loopr(1);
    p.addi(2, 2, 1);
    p.li(1, 100); /* changing the register inside the body does not change the count */
    p.endloop();
    p.halt();
    dlp_result_t r = mc.run(p);
    ASSERT_DONE(r);
    EXPECT_EQ(6u, dlp_reg(mc.m, 2));
}

/* Nesting to the configured depth: the innermost body runs the product of the counts. */
TEST(ModelLoop, NestingToConfiguredDepth)
{
    for (uint32_t depth : {1u, 2u, 4u, 7u, 16u}) {
        dlp_config_t c = test_config();
        c.loop_depth = depth;
        Machine mc(c);
        ASSERT_NE(nullptr, mc.m) << mc.create_msg;
        Prog p;
        uint64_t product = 1;
        for (uint32_t d = 0; d < depth; d++) {
            uint32_t count = depth > 8 ? (d < 4 ? 2 : 1) : 2 + d % 2;
            product *= count;
            p.loop(count);
            p.addi(2, 2, 1); /* counts entries into the next level */
        }
        p.addi(1, 1, 1);
        for (uint32_t d = 0; d < depth; d++)
            p.endloop();
        p.halt();
        dlp_result_t r = mc.run(p);
        ASSERT_DONE(r) << "depth " << depth;
        EXPECT_EQ(product, dlp_reg(mc.m, 1)) << "depth " << depth;
    }
}

TEST(ModelLoop, LoopEndingAtLastInstructionThenPcRange)
{
    /* The body may end at the last instruction; after the loop, pc = n is past the end. */
    Machine mc;
    Prog p;
    p.loop(2);
    p.addi(1, 1, 1);
    p.endloop();
    dlp_result_t r = mc.run(p);
    EXPECT_FAULT(r, DLP_CAUSE_PC_RANGE, 3);
    EXPECT_EQ(2u, dlp_reg(mc.m, 1));
}

TEST(ModelLoop, ManyIterations)
{
    Machine mc;
    Prog p;
    p.li(3, 20000);
    p.loopr(3);
    p.addi(1, 1, 3);
    p.endloop();
    p.halt();
    dlp_result_t r = mc.run(p);
    ASSERT_DONE(r);
    EXPECT_EQ(60000u, dlp_reg(mc.m, 1));
}
