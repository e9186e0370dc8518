/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for the C-model unit tests (verif/unit/test_model_*.cc, test_numerics*.cc).
 *
 *   - Prog: builds a program word by word with dlp_field_set_raw (no assembler), e.g.
 *         Prog p;  p.li(1, 0x1000);  p.insn(DLP_I_MM, {{DLP_F_M0, 5}, ...});  p.halt();
 *     loop()/endloop() fill in lbody; the *_vals() helpers load operand values into r1..r8
 *     with li and emit the instruction that uses those registers.
 *   - Machine: a dlp_t with a small DRAM; run() places the program at a DRAM address (0 by
 *     default) and runs it.
 *   - Snapshot: a copy of every memory, for reference models to update and compare.
 *   - ref::  independent reference arithmetic (gemmlowp / TFLite int8), written from the
 *     definitions in a different formulation from cmodel/src/numerics.c; the tests never use
 *     the model's own numerics to compute an expectation.
 */
#ifndef MODEL_UTIL_H
#define MODEL_UTIL_H

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "dlp.h"

namespace dlpt {

/* ---- configurations -------------------------------------------------------------------------- */

/* The default configuration with a 1 MiB DRAM (keeps snapshots cheap) and a short watchdog. */
inline dlp_config_t test_config()
{
    dlp_config_t c;
    dlp_config_default(&c);
    c.dram_bytes = 1u << 20;
    c.max_cycles = 50000000;
    return c;
}

/* ---- program builder ------------------------------------------------------------------------- */

/* Opcodes as listed in docs/isa.md (checked against the generated table in a test). */
inline unsigned opcode_of(int id)
{
    static const unsigned op[DLP_I_COUNT] = {
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
        0x0d, 0x0e, 0x10, 0x20, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37};
    return op[id];
}

using Word = std::array<uint32_t, DLP_INSN_WORDS>;
using Fields = std::initializer_list<std::pair<dlp_field, int64_t>>;

/* Memory spaces of the dma fields dsp/ssp. */
enum { DRAM = 0, NRAM = 1, WRAM = 2 };
/* Queue bits of wait/signal. ISA v2: the bit of an instruction's own queue names VF. */
enum { QLD = 1, QCP = 2, QST = 4 };

/* DMA operands as values; dma_vals() loads them into r1..r6. */
struct DmaOp {
    int dsp = NRAM, ssp = DRAM;
    uint32_t dst = 0, src = 0, ss1 = 0, ss2 = 0, ds1 = 0, ds2 = 0;
    uint32_t n0 = 1, n1 = 1, n2 = 1, pt = 0, pb = 0, pl = 0, pr = 0;
    int pv = 0;
    unsigned wait = 0, signal = 0;
};

/* mm operands as values; mm_vals() loads them into r1..r7. */
struct MmOp {
    uint32_t acc = 0, in = 0, w = 0, s0 = 0, s1 = 0, ws = 0, as = 0;
    uint32_t m0 = 1, m1 = 1, k = 1, n = 1;
    int accum = 0;
    unsigned wait = 0, signal = 0;
};

/* Vector operands as values; vec_vals() loads them into r1..r7. i0/i1/i2 as the ISA names them. */
struct VecOp {
    int id = DLP_I_VMAX;
    uint32_t d = 0, a = 0, b = 0, p = 0, sd = 0, sa = 0, sb = 0;
    uint32_t rows = 1, cols = 1;
    int i0 = 0, i1 = 0, i2 = 0;
    unsigned wait = 0, signal = 0;
    int vq = 0; /* 1: the VF queue */
};

/* Pooling operands as values; pool_vals() loads them into r1..r6. */
struct PoolOp {
    int id = DLP_I_VMAXPOOL;
    uint32_t d = 0, a = 0, spa = 0, sra = 0, spd = 0, srd = 0;
    uint32_t ch = 1, oh = 1, ow = 1, kh = 1, kw = 1, sh = 1, sw = 1, pt = 0, pl = 0, ih = 1,
             iw = 1;
    unsigned wait = 0, signal = 0;
};

class Prog {
public:
    std::vector<Word> code;

    size_t size() const { return code.size(); }

    /* Generic: opcode of `id` plus the given fields (values are truncated to the field). */
    size_t insn(int id, Fields fs)
    {
        Word w{};
        dlp_field_set_raw(w.data(), DLP_F_OP, opcode_of(id));
        for (const auto &f : fs)
            dlp_field_set_raw(w.data(), f.first, (uint32_t)f.second);
        code.push_back(w);
        return code.size() - 1;
    }
    size_t raw(uint32_t w0, uint32_t w1 = 0, uint32_t w2 = 0, uint32_t w3 = 0)
    {
        code.push_back(Word{w0, w1, w2, w3});
        return code.size() - 1;
    }
    /* Sets a field of an already emitted instruction. */
    void set(size_t i, dlp_field f, int64_t v) { dlp_field_set_raw(code[i].data(), f, (uint32_t)v); }
    /* Sets one raw bit of an emitted instruction. */
    void set_bit(size_t i, unsigned bit) { code[i][bit / 32] |= 1u << (bit % 32); }

    size_t nop() { return insn(DLP_I_NOP, {}); }
    size_t halt() { return insn(DLP_I_HALT, {}); }
    size_t sync() { return insn(DLP_I_SYNC, {}); }
    size_t li(unsigned rd, uint32_t imm) { return insn(DLP_I_LI, {{DLP_F_RD, rd}, {DLP_F_IMM32, imm}}); }
    size_t addi(unsigned rd, unsigned rs1, uint32_t imm)
    {
        return insn(DLP_I_ADDI, {{DLP_F_RD, rd}, {DLP_F_RS1, rs1}, {DLP_F_IMM32, imm}});
    }
    size_t muli(unsigned rd, unsigned rs1, uint32_t imm)
    {
        return insn(DLP_I_MULI, {{DLP_F_RD, rd}, {DLP_F_RS1, rs1}, {DLP_F_IMM32, imm}});
    }
    size_t slli(unsigned rd, unsigned rs1, uint32_t imm)
    {
        return insn(DLP_I_SLLI, {{DLP_F_RD, rd}, {DLP_F_RS1, rs1}, {DLP_F_IMM32, imm}});
    }
    size_t srli(unsigned rd, unsigned rs1, uint32_t imm)
    {
        return insn(DLP_I_SRLI, {{DLP_F_RD, rd}, {DLP_F_RS1, rs1}, {DLP_F_IMM32, imm}});
    }
    size_t add(unsigned rd, unsigned rs1, unsigned rs2) { return rrr(DLP_I_ADD, rd, rs1, rs2); }
    size_t sub(unsigned rd, unsigned rs1, unsigned rs2) { return rrr(DLP_I_SUB, rd, rs1, rs2); }
    size_t mul(unsigned rd, unsigned rs1, unsigned rs2) { return rrr(DLP_I_MUL, rd, rs1, rs2); }

    /* loop/loopr open a body whose lbody endloop() fills in. */
    size_t loop(uint32_t count)
    {
        size_t i = insn(DLP_I_LOOP, {{DLP_F_LCOUNT, count}});
        open.push_back(i);
        return i;
    }
    size_t loopr(unsigned rs1)
    {
        size_t i = insn(DLP_I_LOOPR, {{DLP_F_RS1, rs1}});
        open.push_back(i);
        return i;
    }
    size_t endloop()
    {
        size_t i = insn(DLP_I_ENDLOOP, {});
        if (!open.empty()) {
            set(open.back(), DLP_F_LBODY, (int64_t)(i - open.back() - 1));
            open.pop_back();
        }
        return i;
    }

    size_t dma_vals(const DmaOp &o)
    {
        li(1, o.dst), li(2, o.src), li(3, o.ss1), li(4, o.ss2), li(5, o.ds1), li(6, o.ds2);
        return dma_regs(o, 1, 2, 3, 4, 5, 6);
    }
    size_t dma_regs(const DmaOp &o, unsigned rdst, unsigned rsrc, unsigned rss1, unsigned rss2,
                    unsigned rds1, unsigned rds2)
    {
        return insn(DLP_I_DMA,
                    {{DLP_F_DSP, o.dsp}, {DLP_F_SSP, o.ssp}, {DLP_F_RDST, rdst}, {DLP_F_RSRC, rsrc},
                     {DLP_F_RSS1, rss1}, {DLP_F_RSS2, rss2}, {DLP_F_RDS1, rds1}, {DLP_F_RDS2, rds2},
                     {DLP_F_N0, o.n0}, {DLP_F_N1, o.n1}, {DLP_F_N2, o.n2}, {DLP_F_PT, o.pt},
                     {DLP_F_PB, o.pb}, {DLP_F_PL, o.pl}, {DLP_F_PR, o.pr}, {DLP_F_PV, o.pv},
                     {DLP_F_WAIT, o.wait}, {DLP_F_SIGNAL, o.signal}});
    }
    size_t mm_vals(const MmOp &o)
    {
        li(1, o.acc), li(2, o.in), li(3, o.w), li(4, o.s0), li(5, o.s1), li(6, o.ws), li(7, o.as);
        return mm_regs(o, 1, 2, 3, 4, 5, 6, 7);
    }
    size_t mm_regs(const MmOp &o, unsigned racc, unsigned rin, unsigned rw, unsigned rs0,
                   unsigned rs1, unsigned rws, unsigned racs)
    {
        return insn(DLP_I_MM,
                    {{DLP_F_RACC, racc}, {DLP_F_RIN, rin}, {DLP_F_RW, rw}, {DLP_F_RINS0, rs0},
                     {DLP_F_RINS1, rs1}, {DLP_F_RWS, rws}, {DLP_F_RACS, racs}, {DLP_F_M0, o.m0},
                     {DLP_F_M1, o.m1}, {DLP_F_KDIM, o.k}, {DLP_F_NDIM, o.n},
                     {DLP_F_ACCUM, o.accum}, {DLP_F_WAIT, o.wait}, {DLP_F_SIGNAL, o.signal}});
    }
    /* Emits only the fields the instruction owns (others stay 0, as reserved bits must). */
    size_t vec_vals(const VecOp &o)
    {
        li(1, o.d), li(2, o.a), li(3, o.b), li(4, o.p), li(5, o.sd), li(6, o.sa), li(7, o.sb);
        return vec_regs(o, 1, 2, 3, 4, 5, 6, 7);
    }
    size_t vec_regs(const VecOp &o, unsigned rd, unsigned ra, unsigned rb, unsigned rp,
                    unsigned rsd, unsigned rsa, unsigned rsb)
    {
        size_t i = insn(o.id, {{DLP_F_VD, rd}, {DLP_F_VA, ra}, {DLP_F_VSD, rsd}, {DLP_F_VSA, rsa},
                               {DLP_F_ROWS, o.rows}, {DLP_F_COLS, o.cols},
                               {DLP_F_WAIT, o.wait}, {DLP_F_SIGNAL, o.signal},
                               {DLP_F_VQ, o.vq}});
        bool two = o.id == DLP_I_VADD || o.id == DLP_I_VMAX || o.id == DLP_I_VMIN;
        bool param = o.id == DLP_I_VRQ || o.id == DLP_I_VADD || o.id == DLP_I_VLUT;
        if (two) {
            set(i, DLP_F_VB, rb);
            set(i, DLP_F_VSB, rsb);
        }
        if (param)
            set(i, DLP_F_VP, rp);
        if (o.id == DLP_I_VRQ || o.id == DLP_I_VCLAMP) {
            set(i, DLP_F_I0, o.i0);
            set(i, DLP_F_I1, o.i1);
        }
        if (o.id == DLP_I_VRQ)
            set(i, DLP_F_I2, o.i2);
        return i;
    }
    size_t pool_vals(const PoolOp &o)
    {
        li(1, o.d), li(2, o.a), li(3, o.spa), li(4, o.sra), li(5, o.spd), li(6, o.srd);
        return insn(o.id, {{DLP_F_PD, 1}, {DLP_F_PA, 2}, {DLP_F_PSPA, 3}, {DLP_F_PSRA, 4},
                           {DLP_F_PSPD, 5}, {DLP_F_PSRD, 6}, {DLP_F_CH, o.ch}, {DLP_F_OH, o.oh},
                           {DLP_F_OW, o.ow}, {DLP_F_KH, o.kh}, {DLP_F_KW, o.kw}, {DLP_F_SH, o.sh},
                           {DLP_F_SW, o.sw}, {DLP_F_PPT, o.pt}, {DLP_F_PPL, o.pl},
                           {DLP_F_IH, o.ih}, {DLP_F_IW, o.iw}, {DLP_F_WAIT, o.wait},
                           {DLP_F_SIGNAL, o.signal}});
    }

    /* Little-endian bytes of the program, as it lives in DRAM. */
    std::vector<uint8_t> bytes() const
    {
        std::vector<uint8_t> b(code.size() * DLP_INSN_BYTES);
        for (size_t i = 0; i < code.size(); i++)
            for (int k = 0; k < DLP_INSN_WORDS; k++)
                for (int j = 0; j < 4; j++)
                    b[i * 16 + k * 4 + j] = (uint8_t)(code[i][k] >> (8 * j));
        return b;
    }

private:
    std::vector<size_t> open;
    size_t rrr(int id, unsigned rd, unsigned rs1, unsigned rs2)
    {
        return insn(id, {{DLP_F_RD, rd}, {DLP_F_RS1, rs1}, {DLP_F_RS2, rs2}});
    }
};

/* ---- machine ----------------------------------------------------------------------------------- */

class Machine {
public:
    dlp_config_t cfg;
    dlp_t *m = nullptr;
    std::string create_msg;

    explicit Machine(const dlp_config_t &c = test_config()) : cfg(c)
    {
        char msg[256] = "";
        m = dlp_create(&cfg, msg, sizeof msg);
        create_msg = msg;
    }
    ~Machine() { dlp_destroy(m); }
    Machine(const Machine &) = delete;
    Machine &operator=(const Machine &) = delete;

    uint8_t *mem(int which, uint64_t *len = nullptr)
    {
        uint64_t l = 0;
        uint8_t *p = dlp_mem(m, which, &l);
        if (len)
            *len = l;
        return p;
    }
    uint8_t *nram() { return mem(DLP_MEM_NRAM); }
    uint8_t *wram() { return mem(DLP_MEM_WRAM); }
    uint8_t *dram() { return mem(DLP_MEM_DRAM); }
    int32_t *acc() { return reinterpret_cast<int32_t *>(mem(DLP_MEM_ACC)); }

    /* Writes the program at addr and runs it there. */
    dlp_result_t run(const Prog &p, uint64_t addr = 0)
    {
        std::vector<uint8_t> b = p.bytes();
        dlp_result_t r;
        EXPECT_EQ(0, dlp_dram_write(m, addr, b.data(), b.size()));
        dlp_run(m, addr, (uint32_t)p.size(), &r);
        return r;
    }
};

/* Describes a result for failure messages. */
inline std::string describe(const dlp_result_t &r)
{
    return "status=" + std::to_string(r.status) + " cause=" + std::to_string(r.cause) +
           " err_pc=" + std::to_string(r.err_pc) + " err_info=" + std::to_string(r.err_info) +
           " msg='" + r.message + "'";
}

#define EXPECT_DONE(r) EXPECT_EQ(DLP_DONE, (r).status) << dlpt::describe(r)
#define ASSERT_DONE(r) ASSERT_EQ(DLP_DONE, (r).status) << dlpt::describe(r)
/* An error run: status, cause and faulting instruction index. */
inline ::testing::AssertionResult is_fault(const dlp_result_t &r, int cause, uint32_t pc)
{
    if (r.status == DLP_ERROR && r.cause == cause && r.err_pc == pc)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "expected an error with cause " << cause << " at pc "
                                         << pc << ", got " << describe(r);
}
#define EXPECT_FAULT(r, cause_, pc_) EXPECT_TRUE(dlpt::is_fault((r), (cause_), (uint32_t)(pc_)))

/* ---- memory snapshots ---------------------------------------------------------------------------- */

struct Snapshot {
    std::vector<uint8_t> dram, nram, wram;
    std::vector<int32_t> acc;

    static Snapshot of(Machine &mc)
    {
        Snapshot s;
        uint64_t len;
        uint8_t *p = mc.mem(DLP_MEM_DRAM, &len);
        s.dram.assign(p, p + len);
        p = mc.mem(DLP_MEM_NRAM, &len);
        s.nram.assign(p, p + len);
        p = mc.mem(DLP_MEM_WRAM, &len);
        s.wram.assign(p, p + len);
        p = mc.mem(DLP_MEM_ACC, &len);
        s.acc.resize(len / 4);
        std::memcpy(s.acc.data(), p, len);
        return s;
    }
    std::vector<uint8_t> &space(int sp) { return sp == DRAM ? dram : sp == NRAM ? nram : wram; }
};

/* First difference between two byte vectors, as a message ("" when equal). */
template <class T> std::string first_diff(const char *what, const std::vector<T> &exp,
                                          const std::vector<T> &act)
{
    if (exp.size() != act.size())
        return std::string(what) + ": sizes differ";
    if (!std::memcmp(exp.data(), act.data(), exp.size() * sizeof(T)))
        return "";
    size_t n = 0, first = 0;
    for (size_t i = 0; i < exp.size(); i++)
        if (exp[i] != act[i]) {
            if (!n++)
                first = i;
        }
    return std::string(what) + ": " + std::to_string(n) + " differences, first at 0x" +
           [](size_t v) {
               char b[32];
               snprintf(b, sizeof b, "%zx", v);
               return std::string(b);
           }(first) +
           ": expected " + std::to_string((long long)exp[first]) + ", got " +
           std::to_string((long long)act[first]);
}

/* Compares every memory of the machine with the expected snapshot. */
inline void expect_memories(const Snapshot &exp, Machine &mc)
{
    Snapshot act = Snapshot::of(mc);
    EXPECT_EQ("", first_diff("DRAM", exp.dram, act.dram));
    EXPECT_EQ("", first_diff("NRAM", exp.nram, act.nram));
    EXPECT_EQ("", first_diff("WRAM", exp.wram, act.wram));
    EXPECT_EQ("", first_diff("ACC", exp.acc, act.acc));
}

/* ---- random numbers ---------------------------------------------------------------------------------- */

class Rng {
public:
    explicit Rng(uint64_t seed) : g(seed) {}
    /* uniform in [lo, hi] */
    int64_t range(int64_t lo, int64_t hi)
    {
        return std::uniform_int_distribution<int64_t>(lo, hi)(g);
    }
    uint32_t u32() { return (uint32_t)g(); }
    int32_t i32() { return (int32_t)g(); }
    int8_t i8() { return (int8_t)g(); }
    bool chance(int percent) { return range(0, 99) < percent; }
    void fill(uint8_t *p, size_t n)
    {
        for (size_t i = 0; i < n; i++)
            p[i] = (uint8_t)g();
    }

private:
    std::mt19937_64 g;
};

inline void put32(uint8_t *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(u >> (8 * i));
}

/* ---- independent reference arithmetic ------------------------------------------------------------ */

namespace ref {

/* Wrapping int32 operations done on uint32 (no signed overflow). */
inline int32_t wadd(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
inline int32_t wshl(int32_t a, int s) { return (int32_t)((uint32_t)a << s); }

/* Floor division by a positive divisor, sign-safe. */
inline int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/*
 * gemmlowp SaturatingRoundingDoublingHighMul. The reference computes
 * trunc((ab + (ab >= 0 ? 2^30 : 1 - 2^30)) / 2^31); for ab >= 0 that is floor((ab + 2^30)/2^31),
 * and for ab < 0, trunc((ab + 1 - 2^30)/2^31) = -floor((2^31 - 1 - (ab + 2^30))/2^31)
 * = floor((ab + 2^30)/2^31) as well. So: round(ab / 2^31) with ties toward +infinity,
 * computed here as one floor division. INT32_MIN * INT32_MIN saturates to INT32_MAX.
 */
inline int32_t srdhm(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN)
        return INT32_MAX;
    return (int32_t)floor_div((int64_t)a * b + (int64_t(1) << 30), int64_t(1) << 31);
}

/* gemmlowp RoundingDivideByPOT: x / 2^e rounded to nearest, ties away from zero (sign and
   magnitude form). */
inline int32_t rdbpot(int32_t x, int e)
{
    if (e == 0)
        return x;
    int64_t mag = x < 0 ? -(int64_t)x : (int64_t)x;
    int64_t q = (mag + (int64_t(1) << (e - 1))) >> e;
    return (int32_t)(x < 0 ? -q : q);
}

/* TFLite MultiplyByQuantizedMultiplier, shift clamped to -31..31, x << left wraps. */
inline int32_t mbqm(int32_t x, int32_t mult, int32_t shift)
{
    int s = shift > 31 ? 31 : shift < -31 ? -31 : (int)shift;
    int left = s > 0 ? s : 0, right = s < 0 ? -s : 0;
    return rdbpot(srdhm(wshl(x, left), mult), right);
}

/* vrq: clamp(zp + MBQM(acc + bias, mult, shift), lo, hi), int32 additions wrapping. */
inline int8_t requant(int32_t acc, int32_t bias, int32_t mult, int32_t shift, int32_t zp,
                      int32_t lo, int32_t hi)
{
    int32_t v = wadd(mbqm(wadd(acc, bias), mult, shift), zp);
    return (int8_t)(v < lo ? lo : v > hi ? hi : v);
}

/* TFLite int8 ADD parameters, WRAM order. */
struct AddParams {
    int32_t a_offset, a_mult, a_shift, b_offset, b_mult, b_shift;
    int32_t out_mult, out_shift, out_offset, act_min, act_max, left_shift;
};

/* TFLite reference_integer_ops::Add ElementWise, MBQM for each scaling. */
inline int8_t add_int8(int8_t a, int8_t b, const AddParams &p)
{
    int ls = p.left_shift < 0 ? 0 : p.left_shift > 31 ? 31 : p.left_shift;
    int32_t sa = wshl(wadd(p.a_offset, a), ls);
    int32_t sb = wshl(wadd(p.b_offset, b), ls);
    int32_t raw = wadd(mbqm(sa, p.a_mult, p.a_shift), mbqm(sb, p.b_mult, p.b_shift));
    int32_t out = wadd(mbqm(raw, p.out_mult, p.out_shift), p.out_offset);
    out = out < p.act_min ? p.act_min : out > p.act_max ? p.act_max : out;
    return (int8_t)(out < -128 ? -128 : out > 127 ? 127 : out);
}

/* TFLite average: s/n rounded half away from zero = sign(s) * floor((2|s| + n) / 2n). */
inline int32_t avg(int32_t s, int32_t n)
{
    int64_t mag = s < 0 ? -(int64_t)s : s;
    int64_t q = (2 * mag + n) / (2 * (int64_t)n);
    return (int32_t)(s < 0 ? -q : q);
}

} // namespace ref

} // namespace dlpt

#endif
