// SPDX-License-Identifier: Apache-2.0
// Disassembler and round trips (text -> bin -> text -> bin, and random bin -> text -> bin), the
// program loader's checks, and fuzzing of the assembler, the disassembler and the loader.
#include <gtest/gtest.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "dlp_asm.h"
#include "dlp_decode.h"
#include "dlp_isa_gen.h"
#include "dlp_prog.h"

namespace {

using Words = std::vector<uint32_t>;

// xorshift64*: deterministic, so a failure names its seed and repeats.
struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed * 0x9e3779b97f4a7c15ull + 1) {}
    uint32_t next()
    {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        return (uint32_t)((s * 0x2545f4914f6cdd1dull) >> 32);
    }
    uint32_t below(uint32_t n) { return next() % n; }
};

int assemble(const std::string &src, Words *w, std::string *msgs)
{
    dlp_asm_result_t r;
    int rc = dlp_asm_string(src.c_str(), "rt.s", nullptr, &r);
    w->assign(r.words, r.words + 4 * (size_t)r.n_insns);
    msgs->clear();
    for (int i = 0; i < r.n_messages; i++)
        *msgs += std::string(r.messages[i]) + "\n";
    dlp_asm_result_free(&r);
    return rc;
}

std::string disasm(const Words &w, unsigned flags = 0)
{
    char *t = dlp_disasm_prog(w.data(), (uint32_t)(w.size() / 4), flags);
    std::string s = t;
    free(t);
    return s;
}

std::string disasm1(const Words &w)
{
    char buf[512];
    if (w.size() < 4)
        return "(no instruction)";
    dlp_disasm_insn(w.data(), buf, sizeof buf);
    return buf;
}

Words assemble_ok(const std::string &src)
{
    Words w;
    std::string msgs;
    EXPECT_EQ(assemble(src, &w, &msgs), 0) << src << msgs;
    return w;
}

// Checks that disassembling w and assembling the text gives w back; reports the first
// differing instruction with its text.
void expect_round_trip(const Words &w, unsigned flags, const std::string &what)
{
    std::string text = disasm(w, flags), msgs;
    Words back;
    ASSERT_EQ(assemble(text, &back, &msgs), 0) << what << "\n" << msgs << text;
    ASSERT_EQ(back.size(), w.size()) << what << "\n" << text;
    for (size_t i = 0; i < w.size(); i++)
        if (back[i] != w[i]) {
            size_t insn = i / 4, pos = 0;
            for (size_t k = 0; k < insn && pos != std::string::npos; k++)
                pos = text.find('\n', pos) + 1;
            FAIL() << what << ": instruction " << insn << " differs in word " << i % 4 << ": "
                   << std::hex << w[i] << " became " << back[i] << "\n  "
                   << text.substr(pos, text.find('\n', pos) - pos);
        }
}

uint32_t field_mask(int f)
{
    unsigned width = dlp_field_info[f].hi - dlp_field_info[f].lo + 1u;
    return width >= 32 ? 0xffffffffu : (1u << width) - 1;
}

// A value for field f, biased toward the edges where encoders go wrong.
uint32_t random_field(Rng &r, int f)
{
    uint32_t m = field_mask(f);
    switch (r.below(7)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return m;
    case 3: return m >> 1;
    case 4: return (m >> 1) + 1;
    case 5: return r.below(16) & m;
    default: return r.next() & m;
    }
}

// A random instruction: a random kind with every one of its fields random, other bits zero
// (mostly legal, sometimes not: zero sizes, space 3, own-queue tokens, ...).
void random_insn(Rng &r, uint32_t w[4])
{
    const dlp_insn_info_t *ii = &dlp_insn_info[r.below(DLP_I_COUNT)];
    w[0] = w[1] = w[2] = w[3] = 0;
    for (int k = 0; k < ii->nfields; k++) {
        int f = ii->fields[k];
        uint32_t v = random_field(r, f);
        if (dlp_field_info[f].kind == DLP_FK_SPACE && r.below(8))
            v %= 3;
        if ((f == DLP_F_WAIT || f == DLP_F_SIGNAL) && r.below(3))
            v = 0;
        dlp_field_set_raw(w, (enum dlp_field)f, v);
    }
    dlp_field_set_raw(w, DLP_F_OP, ii->opcode);
}

void push(Words &out, const uint32_t w[4])
{
    out.insert(out.end(), w, w + 4);
}

// A random program with nested loops whose lbody is mostly right, sometimes wrong, with
// unmatched loops and endloops, random instructions, and random garbage words.
void random_block(Rng &r, Words &out, int depth, int len)
{
    uint32_t w[4];
    for (int i = 0; i < len; i++) {
        uint32_t pick = r.below(100);
        if (pick < 15 && depth < 7) {
            size_t at = out.size();
            memset(w, 0, sizeof w);
            if (r.below(2)) {
                dlp_field_set_raw(w, DLP_F_OP, DLP_OP_LOOP);
                dlp_field_set_raw(w, DLP_F_IMM32, random_field(r, DLP_F_IMM32));
            } else {
                dlp_field_set_raw(w, DLP_F_OP, DLP_OP_LOOPR);
                dlp_field_set_raw(w, DLP_F_RS1, r.below(16));
            }
            push(out, w);
            random_block(r, out, depth + 1, (int)r.below(6));
            uint32_t body = (uint32_t)((out.size() - at) / 4 - 1);
            dlp_field_set_raw(&out[at], DLP_F_LBODY, r.below(10) ? body : random_field(r, DLP_F_LBODY));
            if (r.below(15)) {
                memset(w, 0, sizeof w);
                w[0] = DLP_OP_ENDLOOP;
                push(out, w);
            }
        } else if (pick < 18) {
            memset(w, 0, sizeof w);
            w[0] = DLP_OP_ENDLOOP; // stray
            push(out, w);
        } else if (pick < 25) {
            for (auto &x : w)
                x = r.next(); // garbage
            push(out, w);
        } else if (pick < 30) {
            for (auto &x : w)
                x = r.next() & r.next(); // a defined opcode with stray bits, often
            w[0] = (w[0] & ~0x3fu) | dlp_insn_info[r.below(DLP_I_COUNT)].opcode;
            push(out, w);
        } else {
            random_insn(r, w);
            push(out, w);
        }
    }
}

const char kProgram[] =
    "; a small kernel in the textbook's style\n"
    ".equ TILE, 64\n"
    ".reg src, r1\n"
    ".reg dst, r2\n"
    "    li src, 0x80000000\n"
    "    li dst, 0\n"
    "    li r3, TILE * 4\n"
    "    loop 4\n"
    "        move dram[src], nram[dst], TILE, n1=4, ss1=r3, signal=cp\n"
    "        loopr r3\n"
    "            compute mac, acc[r4], nram[r2], wram[r5], 16, TILE, 16, wait=ld, signal=st\n"
    "            vrq nram[r6], acc[r4], wram[r7], 16, 16, zp=-5, lo=-5, hi=100\n"
    "        endloop\n"
    "        dma dram[r8], nram[r6], 256, wait=cp\n"
    "        addi src, src, TILE\n"
    "    endloop\n"
    "    vmaxpool nram[r1], nram[r2], 8, 4, 4, 2, 2, 2, 2, sh=2, sw=2\n"
    "    vclamp nram[r1], nram[r1], 1, 8, 0, 6\n"
    "    sync\n"
    "    halt\n";

} // namespace

// ---- disassembler output --------------------------------------------------------------------

TEST(AsmDisasm, CanonicalText)
{
    EXPECT_EQ(disasm1(assemble_ok("li r1, 5")), "li r1, 5");
    EXPECT_EQ(disasm1(assemble_ok("li r1, 0x12345678")), "li r1, 0x12345678");
    EXPECT_EQ(disasm1(assemble_ok("li r1, -70000")), "li r1, 0xfffeee90");
    EXPECT_EQ(disasm1(assemble_ok("li r1, -65535")), "li r1, -65535");
    EXPECT_EQ(disasm1(assemble_ok("add r1, zero, r15")), "add r1, r0, r15");
    EXPECT_EQ(disasm1(assemble_ok("dma nram[r1], dram[r2], 64")), "dma nram[r1], dram[r2], 64");
    EXPECT_EQ(disasm1(assemble_ok("move dram[r2], wram[r1], 64, pv=-1, n2=1, signal=st|cp")),
              "dma wram[r1], dram[r2], 64, pv=-1, signal=cp|st");
    EXPECT_EQ(disasm1(assemble_ok("vrq nram[r1], acc[r2], wram[r3], 4, 4, hi=127, lo=0")),
              "vrq nram[r1], acc[r2], wram[r3], 4, 4, lo=0");
    EXPECT_EQ(disasm1(assemble_ok("mm acc[r1], nram[r2], wram[r3], 1, 2, 3, accum=1, wait=st")),
              "mm acc[r1], nram[r2], wram[r3], 1, 2, 3, accum=1, wait=st");
    EXPECT_EQ(disasm1(assemble_ok("vmaxpool nram[r1], nram[r2], 8, 2, 2, 1, 1, 2, 2, srd=r9")),
              "vmaxpool nram[r1], nram[r2], 8, 2, 2, 1, 1, 2, 2, srd=r9");
}

TEST(AsmDisasm, LoopsAndRawWordsInSingleMode)
{
    Words w = assemble_ok("loop 0x10000\nnop\nnop\nendloop");
    EXPECT_EQ(disasm1(w), "loop 65536  ; body 2");
    EXPECT_EQ(disasm1(assemble_ok("loopr r3\nendloop")), "loopr r3  ; body 0");
    EXPECT_EQ(disasm1(Words{0, 0, 0, 0}),
              ".insn 0x00000000, 0x00000000, 0x00000000, 0x00000000  ; undefined opcode 0x00");
    EXPECT_EQ(disasm1(Words{0x00000101u, 0, 0, 0}),
              ".insn 0x00000101, 0x00000000, 0x00000000, 0x00000000  ; nop: reserved bit 8 is set");
    EXPECT_EQ(disasm1(assemble_ok(".insn 0x10, 0, 0, 0")),
              ".insn 0x00000010, 0x00000000, 0x00000000, 0x00000000  ; dma: DRAM to DRAM is not supported");
}

TEST(AsmDisasm, TruncatesLikeSnprintf)
{
    Words w = assemble_ok("dma nram[r1], dram[r2], 64");
    char buf[8];
    memset(buf, 'x', sizeof buf);
    int n = dlp_disasm_insn(w.data(), buf, sizeof buf);
    EXPECT_EQ(n, (int)strlen("dma nram[r1], dram[r2], 64"));
    EXPECT_STREQ(buf, "dma nra");
    EXPECT_EQ(dlp_disasm_insn(w.data(), nullptr, 0), n);
}

TEST(AsmDisasm, ProgramIndentsLoopBodies)
{
    Words w = assemble_ok("loop 2\nloopr r1\nnop\nendloop\nendloop\nhalt");
    EXPECT_EQ(disasm(w),
              "loop 2                                          ; 0\n"
              "    loopr r1                                    ; 1\n"
              "        nop                                     ; 2\n"
              "    endloop                                     ; 3\n"
              "endloop                                         ; 4\n"
              "halt                                            ; 5\n");
    EXPECT_EQ(disasm(w, DLP_DISASM_NO_INDEX), "loop 2\n    loopr r1\n        nop\n    endloop\nendloop\nhalt\n");
    EXPECT_EQ(disasm(assemble_ok("li r1, 7"), DLP_DISASM_RAW),
              "li r1, 7                                        ; 0: 00010004 00000007 00000000 00000000\n");
}

TEST(AsmDisasm, MismatchedLoopsBecomeRaw)
{
    // lbody says 5, but the endloop is right after the loop
    Words w = assemble_ok(".insn 0x0c, 3, 5, 0\n.insn 0x0e, 0, 0, 0\n.insn 0x0e, 0, 0, 0\n"
                          ".insn 0x0c, 1, 0, 0\nhalt");
    EXPECT_EQ(disasm(w),
              ".insn 0x0000000c, 0x00000003, 0x00000005, 0x00000000  ; 0: loop with lbody 5, but its endloop at 1 makes the body 0\n"
              ".insn 0x0000000e, 0x00000000, 0x00000000, 0x00000000  ; 1: endloop of the loop at 0, which is written as .insn\n"
              ".insn 0x0000000e, 0x00000000, 0x00000000, 0x00000000  ; 2: endloop without loop\n"
              ".insn 0x0000000c, 0x00000001, 0x00000000, 0x00000000  ; 3: loop (lbody 0) without endloop\n"
              "halt                                            ; 4\n");
    expect_round_trip(w, 0, "mismatched loops");
}

// ---- round trips ------------------------------------------------------------------------------

TEST(AsmRoundTrip, TextBinTextBin)
{
    Words w1 = assemble_ok(kProgram);
    ASSERT_EQ(w1.size(), 4u * 16);
    std::string t1 = disasm(w1), msgs;
    Words w2;
    ASSERT_EQ(assemble(t1, &w2, &msgs), 0) << msgs << t1;
    EXPECT_EQ(w1, w2);
    EXPECT_EQ(disasm(w2), t1); // the canonical text is a fixed point
    for (unsigned flags : {DLP_DISASM_RAW, DLP_DISASM_NO_INDEX, DLP_DISASM_RAW | DLP_DISASM_NO_INDEX})
        expect_round_trip(w1, flags, "flags " + std::to_string(flags));
}

TEST(AsmRoundTrip, EverySingleRandomInstruction)
{
    Rng r(1);
    int text = 0, raw = 0;
    for (int i = 0; i < 6000; i++) {
        uint32_t w[4];
        if (i % 3 == 2)
            for (auto &x : w)
                x = r.next();
        else
            random_insn(r, w);
        dlp_insn_t d;
        Words one(w, w + 4);
        bool legal = dlp_decode(w, &d, nullptr, 0) == DLP_CAUSE_NONE;
        std::string s = disasm1(one);
        EXPECT_EQ(s.rfind(".insn ", 0) == 0, !legal) << s;
        if (legal && (d.id == DLP_I_LOOP || d.id == DLP_I_LOOPR)) {
            EXPECT_NE(s.find("  ; body " + std::to_string(d.f[DLP_F_LBODY])), std::string::npos) << s;
            continue;
        }
        text += legal;
        raw += !legal;
        Words back;
        std::string msgs;
        // a lone endloop assembles only after a loop
        std::string src = legal && d.id == DLP_I_ENDLOOP ? "loop 1\n" + s : s;
        ASSERT_EQ(assemble(src, &back, &msgs), 0) << s << "\n" << msgs;
        back.erase(back.begin(), back.end() - 4);
        ASSERT_EQ(back, one) << "seed 1, case " << i << ": " << s;
    }
    // the generator must exercise both paths substantially
    EXPECT_GT(text, 1000);
    EXPECT_GT(raw, 1000);
}

TEST(AsmRoundTrip, RandomProgramsWithLoops)
{
    size_t total = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        Rng r(seed);
        Words w;
        random_block(r, w, 0, 10 + (int)r.below(40));
        if (w.empty())
            continue;
        total += w.size() / 4;
        expect_round_trip(w, seed % 4 == 0 ? DLP_DISASM_RAW : 0, "seed " + std::to_string(seed));
        if (HasFatalFailure())
            return;
    }
    EXPECT_GT(total, 5000u);
}

TEST(AsmRoundTrip, ThroughFiles)
{
    char tmpl[] = "/tmp/dlpasm_rt_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    std::string dir = tmpl, err(256, 0);
    Words w = assemble_ok(kProgram);
    ASSERT_EQ(dlp_prog_write_file((dir + "/a.dlpb").c_str(), w.data(), (uint32_t)(w.size() / 4),
                                  &err[0], err.size()), 0);
    dlp_prog_t p;
    ASSERT_EQ(dlp_prog_read_file((dir + "/a.dlpb").c_str(), &p, &err[0], err.size()), 0);
    char *text = dlp_disasm_prog(p.words, p.n_insns, 0);
    FILE *f = fopen((dir + "/b.s").c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs(text, f);
    fclose(f);
    free(text);
    dlp_prog_free(&p);
    dlp_asm_result_t r;
    ASSERT_EQ(dlp_asm_file((dir + "/b.s").c_str(), nullptr, &r), 0);
    EXPECT_EQ(Words(r.words, r.words + 4 * r.n_insns), w);
    dlp_asm_result_free(&r);
    ASSERT_EQ(system(("rm -rf " + dir).c_str()), 0);
}

// ---- program loader ---------------------------------------------------------------------------

namespace {

std::vector<uint8_t> image(const Words &w)
{
    uint8_t *b;
    size_t n = dlp_prog_serialize(w.data(), (uint32_t)(w.size() / 4), &b);
    std::vector<uint8_t> v(b, b + n);
    free(b);
    return v;
}

void fix_header_crc(std::vector<uint8_t> &b)
{
    dlp_wr32(&b[28], dlp_crc32(b.data(), 28));
}

std::string parse_error(const std::vector<uint8_t> &b)
{
    dlp_prog_t p;
    char err[256] = "";
    int rc = dlp_prog_parse(b.data(), b.size(), &p, err, sizeof err);
    EXPECT_EQ(p.words, nullptr);
    return rc ? err : "(accepted)";
}

} // namespace

TEST(AsmLoader, AcceptsWhatTheAssemblerWrites)
{
    Words w = assemble_ok(kProgram);
    std::vector<uint8_t> b = image(w);
    ASSERT_EQ(b.size(), 32 + w.size() * 4);
    dlp_prog_t p;
    char err[256];
    ASSERT_EQ(dlp_prog_parse(b.data(), b.size(), &p, err, sizeof err), 0) << err;
    EXPECT_EQ(Words(p.words, p.words + 4 * p.n_insns), w);
    dlp_prog_free(&p);
}

TEST(AsmLoader, RejectsMalformedHeaders)
{
    const std::vector<uint8_t> good = image(assemble_ok("nop\nhalt"));
    std::vector<uint8_t> b;

    EXPECT_EQ(parse_error(std::vector<uint8_t>(good.begin(), good.begin() + 31)),
              "file is 31 bytes, shorter than the 32-byte header");
    b = good;
    b[0] = 'X';
    EXPECT_EQ(parse_error(b), "offset 0: bad magic (not an OpenDLP program)");
    b = good;
    b[9] ^= 1;
    EXPECT_EQ(parse_error(b), "offset 28: header CRC mismatch (header corrupted)");
    b = good;
    b[4] = 2;
    fix_header_crc(b);
    EXPECT_EQ(parse_error(b), "offset 4: format version 2, this tool reads version 1");
    b = good;
    b[6] = 7;
    fix_header_crc(b);
    EXPECT_EQ(parse_error(b), "offset 6: ISA version 7, this tool implements version 2");
    b = good;
    dlp_wr32(&b[8], 64);
    fix_header_crc(b);
    EXPECT_EQ(parse_error(b), "offset 8: header size 64, expected 32");
    b = good;
    dlp_wr32(&b[16], 8);
    fix_header_crc(b);
    EXPECT_EQ(parse_error(b), "offset 16: instruction size 8, expected 16");
    b = good;
    dlp_wr32(&b[20], 1);
    fix_header_crc(b);
    EXPECT_EQ(parse_error(b), "offset 20: unknown flags 0x00000001");
    b = good;
    dlp_wr32(&b[12], 0);
    fix_header_crc(b);
    EXPECT_EQ(parse_error(b), "offset 12: the program has no instructions");
    b = good;
    dlp_wr32(&b[12], DLP_PROG_MAX_INSNS + 1);
    fix_header_crc(b);
    EXPECT_EQ(parse_error(b), "offset 12: 1048577 instructions, more than the limit 1048576");
    b = good;
    dlp_wr32(&b[12], 3);
    fix_header_crc(b);
    EXPECT_EQ(parse_error(b), "file is 64 bytes but the header announces 3 instructions (80 bytes)");
    b = good;
    b.resize(b.size() - 1);
    EXPECT_EQ(parse_error(b), "file is 63 bytes but the header announces 2 instructions (64 bytes)");
    b = good;
    b.push_back(0);
    EXPECT_EQ(parse_error(b), "file is 65 bytes but the header announces 2 instructions (64 bytes)");
    b = good;
    b[40] ^= 0x80;
    EXPECT_EQ(parse_error(b), "offset 24: instruction CRC mismatch (body corrupted)");
}

TEST(AsmLoader, FileErrorsNameThePath)
{
    dlp_prog_t p;
    char err[256];
    EXPECT_EQ(dlp_prog_read_file("/nonexistent/x.dlpb", &p, err, sizeof err), -1);
    EXPECT_STREQ(err, "/nonexistent/x.dlpb: cannot open: No such file or directory");
}

// ---- fuzzing ------------------------------------------------------------------------------------

namespace {

// Assembles hostile text; any result is fine as long as it is consistent (sanitizers catch the
// rest). Successful output must also survive a round trip.
void hostile(const std::string &src)
{
    dlp_asm_result_t r;
    int rc = dlp_asm_string(src.c_str(), "fuzz.s", nullptr, &r);
    ASSERT_EQ(rc == 0, r.n_errors == 0) << src;
    ASSERT_LE(r.n_errors, DLP_ASM_DEFAULT_MAX_ERRORS) << src;
    for (int i = 0; i < r.n_messages; i++)
        ASSERT_EQ(strncmp(r.messages[i], "fuzz.s:", 7), 0) << r.messages[i];
    if (rc == 0 && r.n_insns)
        expect_round_trip(Words(r.words, r.words + 4 * (size_t)r.n_insns), 0, src);
    dlp_asm_result_free(&r);
}

} // namespace

TEST(AsmFuzz, RandomBytes)
{
    Rng r(7);
    for (int i = 0; i < 2000; i++) {
        std::string s(r.below(200), ' ');
        for (auto &c : s) {
            c = (char)(r.below(4) ? 32 + r.below(95) : r.below(256));
            if (!c)
                c = '\n';
        }
        hostile(s);
        if (HasFatalFailure())
            return;
    }
}

TEST(AsmFuzz, TokenSoup)
{
    static const char *const vocab[] = {
        "nop", "halt", "sync", "li", "addi", "add", "slli", "loop", "loopr", "endloop", "dma",
        "move", "compute", "mac", "mm", "vrq", "vadd", "vclamp", "vmaxpool", "vavgpool", "r0", "r1",
        "r15", "zero", "r16", "nram[r1]", "dram[r2]", "wram[r3]", "acc[r4]", "nram[", "]", "[",
        ",", ",", ",", "=", "n1=", "pv=", "wait=", "signal=", "ld", "cp|st", "|", "accum=1", "0",
        "1", "2", "7", "-1", "64", "0xffffffff", "65536", "'c'", "'", "\"", "\"s\"", "(", ")",
        "+", "-", "*", "/", "%", "<<", ">>", "&&", "||", "!", "~", "==", ".equ", ".set", ".reg",
        ".if", ".elif", ".else", ".endif", ".macro", ".endm", ".rept", ".endr", ".error",
        ".insn", ".include", "\"no_such_file.s\"", "\\@", "\\a", "\\()", "a", "b", "m", "L:",
        "L", "M:", "defined(a)", "defined", ";", "#", "//", "\n", "\n", "\n", "\n", "\n", "\t",
        "\\", "@", "\x01", "0x", "9999999999999999999999",
    };
    const uint32_t n = sizeof vocab / sizeof vocab[0];
    Rng r(11);
    for (int i = 0; i < 3000; i++) {
        std::string s;
        for (uint32_t k = r.below(60); k > 0; k--) {
            s += vocab[r.below(n)];
            s += r.below(3) ? " " : "";
        }
        hostile(s);
        if (HasFatalFailure())
            return;
    }
}

TEST(AsmFuzz, MutatedPrograms)
{
    const std::string base = std::string(".macro pair a, b=2\n li \\a, \\b\nx\\@: nop\n.endm\n"
                                         ".rept 2\npair r1\n.endr\n.if 1\npair r2, 3\n.endif\n") +
                             kProgram;
    Rng r(13);
    int accepted = 0;
    for (int i = 0; i < 1500; i++) {
        std::string s = base;
        for (uint32_t k = 1 + r.below(4); k > 0; k--) {
            size_t at = r.below((uint32_t)s.size());
            switch (r.below(4)) {
            case 0: s[at] = (char)(32 + r.below(95)); break;
            case 1: s.erase(at, 1 + r.below(8)); break;
            case 2: s.insert(at, 1, "\n,[]()=|;\\"[r.below(10)]); break;
            default: s.insert(at, s.substr(r.below((uint32_t)s.size()), r.below(30))); break;
            }
        }
        dlp_asm_result_t res;
        accepted += dlp_asm_string(s.c_str(), "fuzz.s", nullptr, &res) == 0;
        dlp_asm_result_free(&res);
        hostile(s);
        if (HasFatalFailure())
            return;
    }
    EXPECT_GT(accepted, 50); // some mutations stay valid and went through the round trip
}

TEST(AsmFuzz, LoaderAndDisassemblerOnRandomImages)
{
    Rng r(17);
    const std::vector<uint8_t> good = image(assemble_ok(kProgram));
    for (int i = 0; i < 3000; i++) {
        std::vector<uint8_t> b;
        if (i % 2) {
            b.resize(r.below(120));
            for (auto &x : b)
                x = (uint8_t)r.next();
            if (b.size() >= 4 && r.below(2))
                memcpy(b.data(), "DLPB", 4);
        } else {
            b = good;
            for (uint32_t k = 1 + r.below(3); k > 0; k--)
                b[r.below((uint32_t)b.size())] ^= (uint8_t)(1u << r.below(8));
            if (r.below(2)) { // make the CRCs right so that the deeper checks run
                dlp_wr32(&b[24], dlp_crc32(b.data() + 32, b.size() - 32));
                fix_header_crc(b);
            }
        }
        dlp_prog_t p;
        char err[256];
        if (dlp_prog_parse(b.data(), b.size(), &p, err, sizeof err) == 0) {
            expect_round_trip(Words(p.words, p.words + 4 * (size_t)p.n_insns), 0, "image " + std::to_string(i));
            dlp_prog_free(&p);
        } else {
            EXPECT_GT(strlen(err), 10u);
        }
        if (HasFatalFailure())
            return;
    }
}
