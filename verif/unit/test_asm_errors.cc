// SPDX-License-Identifier: Apache-2.0
// Assembler diagnostics: every kind of error, with its exact file:line:col and text.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dlp_asm.h"

namespace {

std::vector<std::string> errors(const std::string &src, int max_errors = 0)
{
    dlp_asm_options_t opt = {};
    opt.max_errors = max_errors;
    dlp_asm_result_t r;
    int rc = dlp_asm_string(src.c_str(), "t.s", &opt, &r);
    std::vector<std::string> out;
    for (int i = 0; i < r.n_messages; i++)
        out.push_back(r.messages[i]);
    EXPECT_EQ(rc, r.n_errors ? -1 : 0);
    EXPECT_EQ(r.words == nullptr, r.n_errors != 0 || r.n_insns == 0);
    dlp_asm_result_free(&r);
    return out;
}

// The single message src produces.
std::string error(const std::string &src)
{
    std::vector<std::string> e = errors(src);
    EXPECT_EQ(e.size(), 1u) << src;
    return e.empty() ? "(no error)" : e[0];
}

} // namespace

TEST(AsmError, UnknownInstruction)
{
    EXPECT_EQ(error("  dmx nram[r1]"), "t.s:1:3: error: unknown instruction 'dmx'; did you mean 'dma'?");
    EXPECT_EQ(error("frobnicate"), "t.s:1:1: error: unknown instruction or macro 'frobnicate'");
    EXPECT_EQ(error(".macro blink\n.endm\nblnk"),
              "t.s:3:1: error: unknown instruction 'blnk'; did you mean 'blink'?");
    EXPECT_EQ(error("5 nop"), "t.s:1:1: error: expected a label, instruction or directive, got '5'");
}

TEST(AsmError, OperandCount)
{
    EXPECT_EQ(error("li r1"), "t.s:1:1: error: li takes 2 positional operands, got 1 (syntax: li rd, imm32)");
    EXPECT_EQ(error("dma nram[r1], dram[r2]"),
              "t.s:1:1: error: dma takes 3 positional operands, got 2 (syntax: dma SPACE[rdst], "
              "SPACE[rsrc], n0)");
    EXPECT_EQ(error("move dram[r1]"),
              "t.s:1:1: error: move takes 3 positional operands, got 1 (syntax: move SPACE[rsrc], "
              "SPACE[rdst], n0)");
    EXPECT_EQ(error("nop 1"), "t.s:1:5: error: too many operands for nop (syntax: nop)");
    EXPECT_EQ(error("loopr r1, r2\nendloop"),
              "t.s:1:11: error: too many operands for loopr (syntax: loopr rs1)");
    EXPECT_EQ(error("li r1 5"), "t.s:1:7: error: expected ',' or end of line after an operand, got '5'");
    EXPECT_EQ(error("li r1, 5,"), "t.s:1:10: error: expected an operand after ','");
    EXPECT_EQ(error("dma nram[r1], dram[r2], 4, n1=2, 3"),
              "t.s:1:34: error: positional operand after keyword operands");
}

TEST(AsmError, RegisterAndImmediateMixups)
{
    EXPECT_EQ(error("li r1, r2"), "t.s:1:8: error: expected an immediate for imm32, got register 'r2'");
    EXPECT_EQ(error(".reg p, r3\nli r1, p"),
              "t.s:2:8: error: expected an immediate for imm32, got register 'p'");
    EXPECT_EQ(error("add r1, 5, r2"),
              "t.s:1:9: error: expected a register (r0..r15, zero or a .reg alias) for rs1, got '5'");
    EXPECT_EQ(error("add r16, r1, r2"),
              "t.s:1:5: error: expected a register (r0..r15, zero or a .reg alias) for rd, got 'r16'");
    EXPECT_EQ(error("dma nram[r1], dram[r2], 4, ss1=4"),
              "t.s:1:32: error: expected a register (r0..r15, zero or a .reg alias) for ss1, got '4'");
    EXPECT_EQ(error("li r1, 1 + r2"), "t.s:1:12: error: register 'r2' cannot be used in an expression");
    EXPECT_EQ(error("li r1, nram[r2]"),
              "t.s:1:8: error: memory operand 'nram[...]' cannot be used in an expression");
    EXPECT_EQ(error(".reg p, r1\nli r2, 1 + p"),
              "t.s:2:12: error: 'p' is a register alias and cannot be used in an expression");
}

TEST(AsmError, FieldRanges)
{
    EXPECT_EQ(error("dma nram[r1], dram[r2], 64, pv=300"),
              "t.s:1:32: error: value 300 does not fit field pv (signed, 8 bits)");
    EXPECT_EQ(error("dma nram[r1], dram[r2], 64, pv=-129"),
              "t.s:1:32: error: value -129 does not fit field pv (signed, 8 bits)");
    EXPECT_EQ(error("dma nram[r1], dram[r2], -1"),
              "t.s:1:25: error: value -1 does not fit field n0 (unsigned, 20 bits)");
    EXPECT_EQ(error("dma nram[r1], dram[r2], 0x100000"),
              "t.s:1:25: error: value 1048576 does not fit field n0 (unsigned, 20 bits)");
    EXPECT_EQ(error("mm acc[r1], nram[r2], wram[r3], 1, 1, 1, accum=2"),
              "t.s:1:48: error: value 2 does not fit field accum (unsigned, 1 bit)");
    EXPECT_EQ(error("li r1, 0x100000000"),
              "t.s:1:8: error: value 4294967296 does not fit field imm32 (signed, 32 bits)");
    EXPECT_EQ(error("li r1, -0x80000001"),
              "t.s:1:8: error: value -2147483649 does not fit field imm32 (signed, 32 bits)");
    EXPECT_EQ(error("vclamp nram[r1], nram[r2], 1, 1, -200, 0"),
              "t.s:1:34: error: value -200 does not fit field i0 (signed, 8 bits)");
}

TEST(AsmError, Keywords)
{
    EXPECT_EQ(error("dma nram[r1], dram[r2], 4, n3=1"),
              "t.s:1:28: error: unknown keyword 'n3' for dma; did you mean 'n1'?");
    EXPECT_EQ(error("vmax nram[r1], nram[r2], nram[r3], 1, 1, foo=1"),
              "t.s:1:42: error: unknown keyword 'foo' for vmax (it takes sd, sa, sb, vq, wait, signal)");
    EXPECT_EQ(error("li r1, 1, x=2"), "t.s:1:11: error: li takes no keyword operands");
    EXPECT_EQ(error("dma nram[r1], dram[r2], 4, n1=1, N1=2"),
              "t.s:1:34: error: duplicate keyword 'n1'");
    EXPECT_EQ(error("nop wait=ld"),
              "t.s:1:5: error: nop takes no wait= (only the queued instructions dma, mm and the "
              "vector instructions synchronise with tokens)");
    EXPECT_EQ(error("mm acc[r1], nram[r2], wram[r3], 1, 1, 1, wait=xx"),
              "t.s:1:47: error: wait= takes ld, cp, st or vf, several joined by '|'; got 'xx'");
    EXPECT_EQ(error("mm acc[r1], nram[r2], wram[r3], 1, 1, 1, signal=ld|ld"),
              "t.s:1:52: error: queue ld is listed twice in signal=");
    EXPECT_EQ(error("mm acc[r1], nram[r2], wram[r3], 1, 1, 1, wait=ld, wait=st"),
              "t.s:1:51: error: duplicate keyword 'wait'");
}

TEST(AsmError, MemoryOperands)
{
    EXPECT_EQ(error("mm nram[r1], nram[r2], wram[r3], 1, 1, 1"),
              "t.s:1:4: error: racc must be acc[rN], not nram[...]");
    EXPECT_EQ(error("vrq nram[r1], acc[r2], r3, 1, 1"),
              "t.s:1:24: error: expected wram[rN] for vp, got 'r3'");
    EXPECT_EQ(error("dma acc[r1], dram[r2], 4"),
              "t.s:1:5: error: the DMA cannot reach acc; rdst must be dram[rN], nram[rN] or wram[rN]");
    EXPECT_EQ(error("dma r1, dram[r2], 4"),
              "t.s:1:5: error: expected a memory operand dram[rN], nram[rN] or wram[rN] for rdst, got 'r1'");
    EXPECT_EQ(error("dma nram[r1, dram[r2], 4"),
              "t.s:1:12: error: expected ']' after the register of rdst, got ','");
    EXPECT_EQ(error("dma nram[5], dram[r2], 4"),
              "t.s:1:10: error: expected a register (r0..r15, zero or a .reg alias) for rdst, got '5'");
}

// Encodings the machine would trap on, found by dlp_decode(), reported at the mnemonic; a queue
// naming itself in wait=/signal= (which has no encoding), reported at the keyword.
TEST(AsmError, DecoderChecks)
{
    EXPECT_EQ(error("  dma dram[r1], dram[r2], 4"), "t.s:1:3: error: dma: DRAM to DRAM is not supported");
    EXPECT_EQ(error("move dram[r2], nram[r1], 4, wait=ld"),
              "t.s:1:29: error: wait=ld: move runs on the ld queue, which cannot wait for itself");
    EXPECT_EQ(error("dma dram[r1], nram[r2], 4, signal=st"),
              "t.s:1:28: error: signal=st: dma runs on the st queue, which cannot signal itself");
    EXPECT_EQ(error("mm acc[r1], nram[r2], wram[r3], 1, 1, 1, wait=cp"),
              "t.s:1:42: error: wait=cp: mm runs on the cp queue, which cannot wait for itself");
    EXPECT_EQ(error("vmax nram[r1], nram[r2], nram[r3], 1, 1, vq=1, signal=vf"),
              "t.s:1:48: error: signal=vf: vmax runs on the vf queue, which cannot signal itself");
    EXPECT_EQ(error("dma nram[r1], dram[r2], 0"), "t.s:1:1: error: dma: field n0 is zero");
    EXPECT_EQ(error("dma nram[r1], dram[r2], 1, n2=0"), "t.s:1:1: error: dma: field n2 is zero");
    EXPECT_EQ(error("slli r1, r1, 32"), "t.s:1:1: error: slli: shift amount 32 outside 0..31");
    EXPECT_EQ(error("srli r1, r1, -1"), "t.s:1:1: error: srli: shift amount -1 outside 0..31");
    EXPECT_EQ(error("vclamp nram[r1], nram[r2], 1, 1, 5, 3"), "t.s:1:1: error: vclamp: lo 5 is above hi 3");
    EXPECT_EQ(error("vrq nram[r1], acc[r2], wram[r3], 1, 1, lo=10, hi=9"),
              "t.s:1:1: error: vrq: lo 10 is above hi 9");
    EXPECT_EQ(error("vmaxpool nram[r1], nram[r2], 1, 1, 1, 2, 1, 1, 1"),
              "t.s:1:1: error: vmaxpool: the last window (output 2x1, stride 1x1) starts outside "
              "the 1x1 input");
    EXPECT_EQ(error("vavgpool nram[r1], nram[r2], 1, 1, 1, 1, 1, 2, 2, pt=2"),
              "t.s:1:1: error: vavgpool: padding (pt=2, pl=0) leaves the first window empty (kh=2, kw=2)");
    EXPECT_EQ(error("compute relu, nram[r1]"),
              "t.s:1:9: error: compute supports the type 'mac' (the matrix unit, as mm), got "
              "'relu'; use the vector instructions for the other operations");
}

TEST(AsmError, Expressions)
{
    EXPECT_EQ(error("li r1, 1/0"), "t.s:1:9: error: division by zero");
    EXPECT_EQ(error("li r1, 1 % (2 - 2)"), "t.s:1:10: error: division by zero");
    EXPECT_EQ(error("li r1, 1 << 64"), "t.s:1:10: error: shift count 64 outside 0..63");
    EXPECT_EQ(error("li r1, 1 >> -1"), "t.s:1:10: error: shift count -1 outside 0..63");
    EXPECT_EQ(error("li r1, nothing"), "t.s:1:8: error: undefined symbol 'nothing'");
    EXPECT_EQ(error("li r1, (1 + 2"), "t.s:1:14: error: expected ')' to close the '(' at column 8, got end of line");
    EXPECT_EQ(error("li r1, 1 +"), "t.s:1:11: error: expected an expression, got end of line");
    EXPECT_EQ(error("li r1, 1 + * 2"), "t.s:1:12: error: expected an expression, got '*'");
    EXPECT_EQ(error("li r1, defined(5)"), "t.s:1:16: error: expected a symbol name in defined(), got '5'");
    EXPECT_EQ(error("li r1, S\n.set S, 1"),
              "t.s:1:8: error: 'S' is used before its first .set (only labels and .equ constants "
              "can be used before their definition)");
    EXPECT_EQ(error("li r1, A\n.equ A, B\n.equ B, 1"),
              "t.s:1:8: error: cannot resolve 'A': it is used before its definition, which itself "
              "depends on a later symbol");
}

TEST(AsmError, Lexer)
{
    EXPECT_EQ(error("li r1, 12ab"), "t.s:1:8: error: invalid number '12ab'");
    EXPECT_EQ(error("li r1, 0x"), "t.s:1:8: error: invalid number '0x'");
    EXPECT_EQ(error("li r1, 0b102"), "t.s:1:8: error: invalid number '0b102'");
    EXPECT_EQ(error("li r1, 99999999999999999999"),
              "t.s:1:8: error: number '99999999999999999999' does not fit in 64 bits");
    EXPECT_EQ(error("li r1, 'a"), "t.s:1:8: error: unterminated character literal");
    EXPECT_EQ(error("li r1, ''"), "t.s:1:8: error: empty character literal");
    EXPECT_EQ(error("li r1, '\\q'"), "t.s:1:8: error: invalid escape sequence in character literal");
    EXPECT_EQ(error(".error \"abc"), "t.s:1:8: error: unterminated string");
    EXPECT_EQ(error(".error \"a\\qb\""), "t.s:1:8: error: invalid escape sequence in string");
    EXPECT_EQ(error("li r1, @"), "t.s:1:8: error: unexpected character '@'");
    EXPECT_EQ(error("li r1, \x01"), "t.s:1:8: error: unexpected byte 0x01");
    EXPECT_EQ(error("li r1, \\x"),
              "t.s:1:8: error: unexpected '\\' (macro parameters are only substituted inside "
              ".macro bodies)");
}

TEST(AsmError, Symbols)
{
    EXPECT_EQ(error("a: nop\n  a: nop"), "t.s:2:3: error: label 'a' is already defined at t.s:1");
    EXPECT_EQ(error("r1: nop"), "t.s:1:1: error: 'r1' is a reserved word and cannot name a label");
    EXPECT_EQ(error(".equ nram, 1"), "t.s:1:6: error: 'nram' is a reserved word and cannot name a symbol");
    EXPECT_EQ(error(".x: nop"), "t.s:1:1: error: label name '.x' cannot start with '.' (reserved for directives)");
    EXPECT_EQ(error(".equ a, 1\na: nop"), "t.s:2:1: error: 'a' is already defined at t.s:1 as a .equ constant");
    EXPECT_EQ(error(".equ X, 1\n.equ X, 1"), "t.s:2:6: error: .equ constant 'X' is already defined at t.s:1");
    EXPECT_EQ(error(".equ X, 1\n.set X, 2"), "t.s:2:6: error: 'X' is already defined at t.s:1 as a .equ constant");
    EXPECT_EQ(error(".set X, 1\n.equ X, 2"), "t.s:2:6: error: 'X' is already defined at t.s:1 as a .set symbol");
    EXPECT_EQ(error(".reg X, r1\n.set X, 2"), "t.s:2:6: error: 'X' is already defined at t.s:1 as a .reg alias");
    EXPECT_EQ(error("L: nop\n.reg L, r2"), "t.s:2:6: error: 'L' is already defined at t.s:1 as a label");
    EXPECT_EQ(error(".equ X 1"), "t.s:1:8: error: expected ',' after the symbol name");
    EXPECT_EQ(error(".equ 5, 1"), "t.s:1:6: error: expected a symbol name, got '5'");
    EXPECT_EQ(error(".reg p, 5"),
              "t.s:1:9: error: expected a register (r0..r15, zero or a .reg alias) for .reg, got '5'");
    EXPECT_EQ(error(".equ X, 1 2"), "t.s:1:11: error: unexpected '2' after the end of the statement");
}

TEST(AsmError, Conditionals)
{
    EXPECT_EQ(error(".if L\n.endif\nL: nop"),
              "t.s:1:5: error: the .if condition uses a symbol defined later in the source; it "
              "must be known when the line is reached");
    EXPECT_TRUE(errors(".if 1\n.elif L\n.endif\nL: nop").empty()) << "no .elif after a taken branch";
    EXPECT_EQ(error("  .elif 1"), "t.s:1:3: error: .elif without .if");
    EXPECT_EQ(error(".else"), "t.s:1:1: error: .else without .if");
    EXPECT_EQ(error(".endif"), "t.s:1:1: error: .endif without .if");
    EXPECT_EQ(error(".if 0\n.else\n.elif 1\n.endif"), "t.s:3:1: error: .elif after .else");
    EXPECT_EQ(error(".if 0\n.else\n.else\n.endif"), "t.s:3:1: error: second .else for the same .if");
    EXPECT_EQ(error("nop\n  .if 1\nnop"), "t.s:2:3: error: .if without .endif");
    EXPECT_EQ(error(".if 1/0\n.endif"), "t.s:1:6: error: division by zero");
    // a conditional cannot span the end of a macro body
    std::vector<std::string> e = errors(".macro m\n.if 1\n.endm\nm\n.endif");
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0], "t.s:2:1: error: .if without .endif\nt.s:4:1: note: in expansion of macro 'm'");
    EXPECT_EQ(e[1], "t.s:5:1: error: .endif without .if");
}

TEST(AsmError, Blocks)
{
    EXPECT_EQ(error(".endm"), "t.s:1:1: error: .endm without .macro");
    EXPECT_EQ(error(".endr"), "t.s:1:1: error: .endr without .rept");
    EXPECT_EQ(error("nop\n.macro m\nnop"), "t.s:2:1: error: .macro without .endm");
    EXPECT_EQ(error(".rept 2\nnop"), "t.s:1:1: error: .rept without .endr");
    EXPECT_EQ(error(".rept -1\n.endr"), "t.s:1:7: error: .rept count -1 is negative");
    EXPECT_EQ(error(".rept N\n.endr\n.equ N, 2"),
              "t.s:1:7: error: the .rept count uses a symbol defined later in the source; it must "
              "be known when the line is reached");
    EXPECT_EQ(error(".eq X, 1"), "t.s:1:1: error: unknown directive '.eq'; did you mean '.equ'?");
    EXPECT_EQ(error(".frobnicate"), "t.s:1:1: error: unknown directive '.frobnicate'");
    EXPECT_EQ(error(".error \"stop here\""), "t.s:1:1: error: stop here");
    EXPECT_EQ(error(".error stop"), "t.s:1:8: error: expected a message in double quotes after .error");
    EXPECT_EQ(error(".insn 1, 2"), "t.s:1:11: error: .insn takes four words separated by ','");
    EXPECT_EQ(error(".insn 0x100000000, 0, 0, 0"), "t.s:1:7: error: value 4294967296 does not fit in a 32-bit word");
    EXPECT_EQ(error(".include foo.s"), "t.s:1:10: error: expected a file name in double quotes after .include");
    EXPECT_EQ(error(".include \"/nonexistent/x.s\""),
              "t.s:1:10: error: cannot open include file '/nonexistent/x.s': No such file or directory");
}

TEST(AsmError, Macros)
{
    const std::string m = ".macro two a, b\n li \\a, \\b\n.endm\n";
    EXPECT_EQ(error(m + "two r1"), "t.s:4:1: error: macro 'two': missing argument 'b'");
    EXPECT_EQ(error(m + "two r1, 2, 3"), "t.s:4:1: error: macro 'two' takes 2 arguments, got 3");
    EXPECT_EQ(error(m + "two r1, r2"),
              "t.s:2:9: error: expected an immediate for imm32, got register 'r2'\n"
              "t.s:4:1: note: in expansion of macro 'two'"); // column in the expanded line
    EXPECT_EQ(error(".macro m\n li r1, \\x\n.endm\n  m"),
              "t.s:2:9: error: macro 'm' has no parameter '\\x'\nt.s:4:3: note: in expansion of macro 'm'");
    EXPECT_EQ(error(m + ".macro two\n.endm"), "t.s:4:8: error: macro 'two' is already defined at t.s:1");
    EXPECT_EQ(error(".macro dma\n.endm"), "t.s:1:8: error: 'dma' is an instruction and cannot be redefined as a macro");
    EXPECT_EQ(error(".macro Move\n.endm"), "t.s:1:8: error: 'Move' is an instruction and cannot be redefined as a macro");
    EXPECT_EQ(error(".macro m a, a\n.endm"), "t.s:1:13: error: duplicate macro parameter 'a'");
    // nested expansions give one note per level
    EXPECT_EQ(error(".macro inner\n li r1, r2\n.endm\n.macro outer\n inner\n.endm\nouter"),
              "t.s:2:9: error: expected an immediate for imm32, got register 'r2'\n"
              "t.s:5:2: note: in expansion of macro 'inner'\n"
              "t.s:7:1: note: in expansion of macro 'outer'");
}

TEST(AsmError, RunawayExpansionStops)
{
    std::vector<std::string> e = errors(".macro m\n m\n.endm\nm");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].substr(0, e[0].find('\n')),
              "t.s:2:2: error: macro 'm' expanded more than 64 levels deep (infinite recursion?)");
    // exponential recursion stops at the error limit
    e = errors(".macro m\n m\n m\n.endm\nm");
    EXPECT_EQ(e.size(), 21u);
    // a huge .rept stops at the expansion limit
    e = errors(".rept 0x7fffffffffffffff\n; nothing\n.endr\n");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0], "t.s:2:1: error: more than 1000000 lines generated by macros and .rept "
                    "(runaway expansion?)");
}

TEST(AsmError, Loops)
{
    EXPECT_EQ(error("nop\n  endloop"), "t.s:2:3: error: endloop without loop");
    EXPECT_EQ(error("loop 2\nnop\n  loop 3\nendloop"), "t.s:1:1: error: loop without endloop");
    std::vector<std::string> e = errors("loop 2\n.rept 65536\nnop\n.endr\nendloop");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0], "t.s:1:1: error: loop body has 65536 instructions; field lbody holds at most 65535");
}

TEST(AsmError, OneErrorPerLineAndLimit)
{
    // the bad operand does not also produce "expected ','" etc.
    EXPECT_EQ(errors("li r1, 'x' 'y 5").size(), 1u);
    std::string src;
    for (int i = 0; i < 30; i++)
        src += "bogus\n";
    std::vector<std::string> e = errors(src);
    ASSERT_EQ(e.size(), 21u);
    EXPECT_EQ(e[19], "t.s:20:1: error: unknown instruction or macro 'bogus'");
    EXPECT_EQ(e[20], "t.s:21:1: note: too many errors; stopping after 20");
    e = errors(src, 3);
    ASSERT_EQ(e.size(), 4u);
    EXPECT_EQ(e[3], "t.s:4:1: note: too many errors; stopping after 3");
    // errors come in line order, and the result says how many
    dlp_asm_result_t r;
    EXPECT_EQ(dlp_asm_string("nop\nbad1\nnop\nli r1, r2\n", "t.s", nullptr, &r), -1);
    EXPECT_EQ(r.n_errors, 2);
    EXPECT_EQ(r.n_insns, 0u);
    dlp_asm_result_free(&r);
}
