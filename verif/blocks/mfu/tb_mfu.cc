// SPDX-License-Identifier: Apache-2.0
// Block test of dlp_mfu (with real dlp_banked_mem NRAM, WRAM and ACC, see tb_mfu.sv).
//
// Drives mm micro-ops -- directed shapes around the array and window sizes, random shapes with
// strides, accumulate on pre-filled accumulators, extreme operands whose int32 sums wrap,
// back-to-back starts in e + 1, aborts -- and checks:
//   * the accumulator contents against an independent reference loop written here, which is
//     itself cross-checked against the C model (a machine running `li r1..r7; mm; halt`);
//   * done_o exactly in e = s + dlp_time_mm(cfg, M, K, N) - 1, busy_o exactly in [s, e], and the
//     C model's own retire cycles against the same formula;
//   * every memory request inside [s, e], every NRAM/WRAM/ACC read inside the instruction's
//     operand box, every ACC write onto an output element, and the number of ACC writes
//     (M * ceil(N/C) * ceil(K/R) rows, M * N * ceil(K/R) elements).
// Prints one PASS:/FAIL: line per group and an INFO: line with the simulation speed.
#include <chrono>
#include <ctime>
#include <cinttypes>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "Vtb_mfu.h"
#include "verilated.h"

#include "dlp.h"
#include "dlp_timing.h"

#ifndef ROWS
#define ROWS 16
#endif
#ifndef COLS
#define COLS 16
#endif
#ifndef NRAMB
#define NRAMB 8192
#endif
#ifndef WRAMB
#define WRAMB 8192
#endif
#ifndef ACCE
#define ACCE 4096
#endif
#ifndef SEED
#define SEED 1
#endif

static constexpr uint32_t R = ROWS, C = COLS, NB = NRAMB, WB = WRAMB, AE = ACCE;
static constexpr uint32_t D = R + C + DLP_T_MFU_PIPE;

// Byte view of a Verilator port of any width (little-endian host).
template <typename T> static uint8_t *bytes(T &v) { return reinterpret_cast<uint8_t *>(&v); }
template <std::size_t N> static uint8_t *bytes(VlWide<N> &v) { return reinterpret_cast<uint8_t *>(v.data()); }

static uint64_t rng = 0x9E3779B97F4A7C15ull * (SEED + 1);
static uint32_t rnd() { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t)rng; }
static uint32_t urand(uint32_t lo, uint32_t hi) { return lo + rnd() % (hi - lo + 1); } // [lo, hi]
static uint64_t cdiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

struct Mm {
    uint32_t acc = 0, in = 0, w = 0, s0 = 0, s1 = 0, ws = 0, as = 0;
    uint32_t m0 = 1, m1 = 1, k = 1, n = 1;
    int accum = 0;
    uint64_t M() const { return (uint64_t)m0 * m1; }
    uint64_t x_hi() const { return in + (uint64_t)(m0 - 1) * s0 + (uint64_t)(m1 - 1) * s1 + k; } // exclusive
    uint64_t w_hi() const { return w + (uint64_t)(k - 1) * ws + n; }
    uint64_t a_hi() const { return acc + (M() - 1) * as + n; }
    bool valid() const
    {
        return m0 && m1 && k && n && m0 < 65536 && m1 < 4096 && k < 65536 && n < 65536 &&
               x_hi() <= NB && w_hi() <= WB && a_hi() <= AE && (M() == 1 || as >= n);
    }
    std::string str() const
    {
        char b[256];
        snprintf(b, sizeof b, "mm acc=%u in=%u w=%u m0=%u m1=%u K=%u N=%u s0=%u s1=%u ws=%u as=%u accum=%d",
                 acc, in, w, m0, m1, k, n, s0, s1, ws, as, accum);
        return b;
    }
};

// The 128-bit instruction word, built with the generated field table (as the C model decodes it).
static void mm_word(const Mm &o, uint32_t w[DLP_INSN_WORDS])
{
    memset(w, 0, 4 * DLP_INSN_WORDS);
    dlp_field_set_raw(w, DLP_F_OP, dlp_insn_info[DLP_I_MM].opcode);
    dlp_field_set_raw(w, DLP_F_RACC, 1);
    dlp_field_set_raw(w, DLP_F_RIN, 2);
    dlp_field_set_raw(w, DLP_F_RW, 3);
    dlp_field_set_raw(w, DLP_F_RINS0, 4);
    dlp_field_set_raw(w, DLP_F_RINS1, 5);
    dlp_field_set_raw(w, DLP_F_RWS, 6);
    dlp_field_set_raw(w, DLP_F_RACS, 7);
    dlp_field_set_raw(w, DLP_F_M0, o.m0);
    dlp_field_set_raw(w, DLP_F_M1, o.m1);
    dlp_field_set_raw(w, DLP_F_KDIM, o.k);
    dlp_field_set_raw(w, DLP_F_NDIM, o.n);
    dlp_field_set_raw(w, DLP_F_ACCUM, (uint32_t)o.accum);
}

// Independent reference: the ISA's definition, int64 products, int32 results modulo 2^32.
static void ref_mm(const Mm &o, const std::vector<uint8_t> &nram, const std::vector<uint8_t> &wram,
                   std::vector<uint32_t> &acc)
{
    for (uint64_t j = 0; j < o.m1; j++)
        for (uint64_t i = 0; i < o.m0; i++) {
            uint64_t m = j * o.m0 + i;
            for (uint64_t n = 0; n < o.n; n++) {
                uint64_t a = o.acc + m * o.as + n;
                int64_t s = 0;
                for (uint64_t k = 0; k < o.k; k++)
                    s += (int64_t)(int8_t)nram[o.in + i * o.s0 + j * o.s1 + k] *
                         (int64_t)(int8_t)wram[o.w + k * o.ws + n];
                acc[a] = (uint32_t)((o.accum ? (uint64_t)acc[a] : 0) + (uint64_t)s);
            }
        }
}

// ---- C model cross-check -------------------------------------------------------------------------
struct Model {
    dlp_config_t cfg;
    dlp_t *m = nullptr;
    uint64_t mfu_start = 0, mfu_end = 0;
    int mfu_retired = 0;

    bool init()
    {
        char msg[256];
        dlp_config_default(&cfg);
        cfg.rows = R;
        cfg.cols = C;
        cfg.nram_bytes = NB;
        cfg.wram_bytes = WB;
        cfg.acc_bytes = 4 * AE;
        cfg.dram_bytes = 1u << 16;
        cfg.max_cycles = 100000000;
        if (dlp_config_check(&cfg, msg, sizeof msg)) {
            printf("FAIL: mfu/%ux%u C model configuration: %s\n", R, C, msg);
            return false;
        }
        m = dlp_create(&cfg, msg, sizeof msg);
        if (!m) {
            printf("FAIL: mfu/%ux%u dlp_create: %s\n", R, C, msg);
            return false;
        }
        dlp_set_retire_cb(m, retire, this, 0);
        return true;
    }
    static void retire(void *ctx, const dlp_retire_t *r)
    {
        Model *self = static_cast<Model *>(ctx);
        if (r->unit == DLP_UNIT_MFU) {
            self->mfu_start = r->start;
            self->mfu_end = r->end;
            self->mfu_retired++;
        }
    }
    // Runs `li r1..r7; mm; halt` on the given memories; returns the accumulators afterwards.
    bool run(const Mm &o, const std::vector<uint8_t> &nram, const std::vector<uint8_t> &wram,
             const std::vector<uint32_t> &acc, std::vector<uint32_t> &acc_out, std::string &why)
    {
        uint64_t len;
        memcpy(dlp_mem(m, DLP_MEM_NRAM, &len), nram.data(), NB);
        memcpy(dlp_mem(m, DLP_MEM_WRAM, &len), wram.data(), WB);
        memcpy(dlp_mem(m, DLP_MEM_ACC, &len), acc.data(), 4 * AE);
        const uint32_t vals[7] = {o.acc, o.in, o.w, o.s0, o.s1, o.ws, o.as};
        std::vector<uint32_t> prog;
        for (unsigned r = 0; r < 7; r++) {
            uint32_t w[DLP_INSN_WORDS] = {0};
            dlp_field_set_raw(w, DLP_F_OP, dlp_insn_info[DLP_I_LI].opcode);
            dlp_field_set_raw(w, DLP_F_RD, r + 1);
            dlp_field_set_raw(w, DLP_F_IMM32, vals[r]);
            prog.insert(prog.end(), w, w + DLP_INSN_WORDS);
        }
        uint32_t w[DLP_INSN_WORDS];
        mm_word(o, w);
        prog.insert(prog.end(), w, w + DLP_INSN_WORDS);
        uint32_t h[DLP_INSN_WORDS] = {0};
        dlp_field_set_raw(h, DLP_F_OP, dlp_insn_info[DLP_I_HALT].opcode);
        prog.insert(prog.end(), h, h + DLP_INSN_WORDS);
        std::vector<uint8_t> img(prog.size() * 4);
        for (size_t i = 0; i < prog.size(); i++)
            for (int b = 0; b < 4; b++)
                img[4 * i + b] = (uint8_t)(prog[i] >> (8 * b));
        dlp_dram_write(m, 0, img.data(), img.size());
        dlp_result_t res;
        mfu_retired = 0;
        if (dlp_run(m, 0, (uint32_t)(prog.size() / DLP_INSN_WORDS), &res) != 0) {
            why = std::string("C model stopped with an error: ") + res.message;
            return false;
        }
        if (mfu_retired != 1) {
            why = "C model retired no mm";
            return false;
        }
        uint64_t busy = mfu_end - mfu_start + 1, want = dlp_time_mm(&cfg, o.M(), o.k, o.n);
        if (busy != want) {
            char b[128];
            snprintf(b, sizeof b, "C model mm busy %" PRIu64 " cycles, dlp_time_mm says %" PRIu64, busy, want);
            why = b;
            return false;
        }
        acc_out.resize(AE);
        memcpy(acc_out.data(), dlp_mem(m, DLP_MEM_ACC, &len), 4 * AE);
        return true;
    }
};

// ---- the bench -------------------------------------------------------------------------------------
class Bench {
public:
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vtb_mfu> top;
    Model model;
    uint64_t cyc = 0;
    std::vector<uint8_t> nram, wram; // contents (the unit never writes them)
    std::vector<uint32_t> acc;       // expected accumulator contents
    int errors = 0;                  // errors of the current group
    bool check_model = true;
    uint64_t n_model = 0, n_insns = 0, busy_cycles = 0;

    // the instruction in flight, for the per-cycle monitor
    bool inflight = false;
    Mm cur;
    uint64_t s = 0, e = 0;    // start, expected done
    uint64_t stop = 0;        // last cycle requests are allowed (e, or the abort cycle)
    bool done_seen = false;
    uint64_t wr_rows = 0, wr_elems = 0;
    std::vector<uint8_t> outmask;

    Bench(int argc, char **argv) : ctx(new VerilatedContext), nram(NB), wram(WB), acc(AE), outmask(AE)
    {
        ctx->commandArgs(argc, argv);
        top.reset(new Vtb_mfu(ctx.get()));
        if (!model.init())
            errors++;
        top->rst_ni = 0;
        clear_inputs();
        for (int i = 0; i < 4; i++)
            step();
        top->rst_ni = 1;
        step();
    }
    ~Bench() { top->final(); if (model.m) dlp_destroy(model.m); }

    void clear_inputs()
    {
        top->start_i = 0;
        top->abort_i = 0;
        top->tb_nram_en_i = top->tb_nram_we_i = 0;
        top->tb_wram_en_i = top->tb_wram_we_i = 0;
        top->tb_acc_we_i = top->tb_acc_rd_i = 0;
    }

    void fail(const char *fmt, ...) __attribute__((format(printf, 2, 3)))
    {
        if (errors++ < 8) {
            va_list ap;
            va_start(ap, fmt);
            printf("  error at cycle %" PRIu64 ": ", cyc);
            vprintf(fmt, ap);
            va_end(ap);
            if (inflight)
                printf("    in %s (s=%" PRIu64 ", e=%" PRIu64 ")\n", cur.str().c_str(), s, e);
        }
    }

    // One clock cycle: inputs as set, combinational outputs checked, then the rising edge.
    void step()
    {
        top->clk_i = 0;
        top->eval();
        monitor();
        top->clk_i = 1;
        top->eval();
        cyc++;
    }

    void monitor()
    {
        if (!top->rst_ni)
            return;
        bool in_window = inflight && cyc >= s && cyc <= stop;
        if ((bool)top->busy_o != in_window)
            fail("busy_o=%d, expected %d\n", top->busy_o, in_window);
        if (top->done_o) {
            if (!inflight || cyc != e || stop != e)
                fail("done_o in cycle %" PRIu64 ", expected %" PRIu64 "\n", cyc, e);
            done_seen = true;
        }
        bool any = top->mon_nram_en_o || top->mon_wram_en_o || top->mon_acc_rd_en_o || top->mon_acc_we_o;
        if (!any)
            return;
        if (!in_window) {
            fail("memory request outside [s, e] (nram %d wram %d acc_rd %d acc_we %d)\n", top->mon_nram_en_o,
                 top->mon_wram_en_o, top->mon_acc_rd_en_o, top->mon_acc_we_o);
            return;
        }
        if (top->mon_nram_en_o && (top->mon_nram_addr_o < cur.in || top->mon_nram_addr_o >= cur.x_hi()))
            fail("NRAM read at %u outside the input [%u, %" PRIu64 ")\n", (unsigned)top->mon_nram_addr_o, cur.in,
                 cur.x_hi());
        if (top->mon_wram_en_o && (top->mon_wram_addr_o < cur.w || top->mon_wram_addr_o >= cur.w_hi()))
            fail("WRAM read at %u outside the weights [%u, %" PRIu64 ")\n", (unsigned)top->mon_wram_addr_o, cur.w,
                 cur.w_hi());
        if (top->mon_acc_rd_en_o && !outmask[top->mon_acc_rd_addr_o])
            fail("ACC read at %u, not an output element\n", (unsigned)top->mon_acc_rd_addr_o);
        if (top->mon_acc_we_o) {
            uint32_t a = top->mon_acc_wr_addr_o, l = top->mon_acc_wr_len_o;
            if (l == 0 || l > C)
                fail("ACC write length %u\n", l);
            for (uint32_t i = 0; i < l; i++)
                if (a + i >= AE || !outmask[a + i]) {
                    fail("ACC write of element %u, not an output element\n", a + i);
                    break;
                }
            wr_rows++;
            wr_elems += l;
        }
    }

    void idle(uint64_t n)
    {
        for (uint64_t i = 0; i < n; i++)
            step();
    }

    // ---- memory access through the harness ports ----
    void write_nram(uint32_t lo, uint32_t hi)
    {
        for (uint32_t a = lo & ~15u; a < hi && a < NB; a += 16) {
            top->tb_nram_en_i = top->tb_nram_we_i = 1;
            top->tb_nram_addr_i = a;
            memcpy(bytes(top->tb_nram_wdata_i), &nram[a], 16);
            step();
        }
        top->tb_nram_en_i = top->tb_nram_we_i = 0;
    }
    void write_wram(uint32_t lo, uint32_t hi)
    {
        for (uint32_t a = lo & ~15u; a < hi && a < WB; a += 16) {
            top->tb_wram_en_i = top->tb_wram_we_i = 1;
            top->tb_wram_addr_i = a;
            memcpy(bytes(top->tb_wram_wdata_i), &wram[a], 16);
            step();
        }
        top->tb_wram_en_i = top->tb_wram_we_i = 0;
    }
    void write_acc()
    {
        for (uint32_t a = 0; a < AE; a += C) {
            uint32_t b = a + C <= AE ? a : AE - C; // the last chunk ends at the top
            top->tb_acc_we_i = 1;
            top->tb_acc_wr_addr_i = b;
            memcpy(bytes(top->tb_acc_wdata_i), &acc[b], 4 * C);
            step();
        }
        top->tb_acc_we_i = 0;
    }
    std::vector<uint32_t> read_acc()
    {
        std::vector<uint32_t> got(AE);
        for (uint32_t a = 0; a < AE; a += C) {
            uint32_t b = a + C <= AE ? a : AE - C;
            top->tb_acc_rd_i = 1;
            top->tb_acc_rd_addr_i = b;
            step();
            memcpy(&got[b], bytes(top->tb_acc_rdata_o), 4 * C);
        }
        top->tb_acc_rd_i = 0;
        return got;
    }
    // Compares the accumulators with the expectation; reports the first differences.
    void check_acc(const char *what)
    {
        std::vector<uint32_t> got = read_acc();
        int shown = 0;
        for (uint32_t a = 0; a < AE; a++)
            if (got[a] != acc[a]) {
                if (shown++ < 4)
                    fail("%s: ACC[%u] = 0x%08x, expected 0x%08x\n", what, a, got[a], acc[a]);
            }
        if (shown)
            acc = got; // resynchronise so that later instructions are checked on their own
    }

    // ---- one instruction ----
    // Starts `o` in the current cycle and runs it to its done cycle; the next call may start in
    // e + 1. abort_at > 0: abort in cycle s + abort_at - 1 (if before e).
    void run(const Mm &o, uint64_t abort_at = 0)
    {
        if (!o.valid()) {
            fail("test bug: invalid %s\n", o.str().c_str());
            return;
        }
        std::vector<uint32_t> before = acc;
        ref_mm(o, nram, wram, acc);
        if (check_model) {
            std::vector<uint32_t> mo;
            std::string why;
            if (!model.run(o, nram, wram, before, mo, why))
                fail("%s: %s\n", o.str().c_str(), why.c_str());
            else if (mo != acc) {
                for (uint32_t a = 0; a < AE; a++)
                    if (mo[a] != acc[a]) {
                        fail("C model and reference differ: ACC[%u] model 0x%08x reference 0x%08x (%s)\n", a, mo[a],
                             acc[a], o.str().c_str());
                        break;
                    }
            }
            n_model++;
        }
        cur = o;
        std::fill(outmask.begin(), outmask.end(), 0);
        for (uint64_t m = 0; m < o.M(); m++)
            for (uint64_t n = 0; n < o.n; n++)
                outmask[o.acc + m * o.as + n] = 1;
        uint64_t T = dlp_time_mm(&model.cfg, o.M(), o.k, o.n);
        s = cyc;
        e = s + T - 1;
        stop = e;
        if (abort_at && s + abort_at - 1 < e)
            stop = s + abort_at - 1;
        inflight = true;
        done_seen = false;
        wr_rows = wr_elems = 0;

        uint32_t w[DLP_INSN_WORDS];
        mm_word(o, w);
        const uint32_t vals[7] = {o.acc, o.in, o.w, o.s0, o.s1, o.ws, o.as};
        auto &u = top->uop_i;
        for (int i = 0; i < (int)(sizeof u / 4); i++)
            u[i] = 0;
        for (int i = 0; i < 4; i++)
            u[i] = w[i];
        for (int k = 0; k < 7; k++)
            u[4 + k] = vals[k];
        u[11] = (uint32_t)n_insns & 0xffff; // instruction index
        top->start_i = 1;
        if (stop == s && stop != e)
            top->abort_i = 1;
        step();
        top->start_i = 0;
        top->abort_i = 0;
        while (cyc <= stop) {
            if (cyc == stop && stop != e)
                top->abort_i = 1;
            step();
        }
        top->abort_i = 0;
        n_insns++;
        busy_cycles += stop - s + 1;
        if (stop == e) {
            if (!done_seen)
                fail("no done_o in cycle %" PRIu64 "\n", e);
            uint64_t kf = cdiv(o.k, R), nf = cdiv(o.n, C);
            if (wr_rows != o.M() * nf * kf || wr_elems != o.M() * o.n * kf)
                fail("%" PRIu64 " ACC writes of %" PRIu64 " elements, expected %" PRIu64 " of %" PRIu64 "\n", wr_rows,
                     wr_elems, o.M() * nf * kf, o.M() * o.n * kf);
            inflight = false;
        } else {
            // aborted: idle from the next cycle on, no request; the memory written so far is
            // unspecified, so the expectation is resynchronised from the memory.
            inflight = false;
            idle(D + 4);
            acc = read_acc();
        }
    }

    // ---- memory contents ----
    enum { DATA_RANDOM, DATA_MIN, DATA_EXTREME, DATA_SPARSE, DATA_MODES };
    static uint8_t data_byte(int mode)
    {
        static const uint8_t ext[] = {0x80, 0x7f, 0xff, 0x00, 0x01, 0x81};
        switch (mode) {
        case DATA_MIN: return 0x80;
        case DATA_EXTREME: return ext[rnd() % sizeof ext];
        case DATA_SPARSE: return rnd() % 4 ? 0 : (uint8_t)rnd();
        default: return (uint8_t)rnd();
        }
    }
    void fill(int mode, uint32_t nram_hi = NB, uint32_t wram_hi = WB)
    {
        for (uint32_t a = 0; a < nram_hi; a++)
            nram[a] = data_byte(mode);
        for (uint32_t a = 0; a < wram_hi; a++)
            wram[a] = data_byte(mode);
        write_nram(0, nram_hi);
        write_wram(0, wram_hi);
    }
    enum { ACC_RANDOM, ACC_HIGH, ACC_LOW, ACC_ZERO, ACC_MODES };
    void fill_acc(int mode)
    {
        for (auto &v : acc) {
            switch (mode) {
            case ACC_HIGH: v = 0x7fff0000u + (rnd() & 0xffff); break; // sums overflow int32
            case ACC_LOW: v = 0x80000000u + (rnd() & 0xffff); break;
            case ACC_ZERO: v = 0; break;
            default: v = rnd(); break;
            }
        }
        write_acc();
    }
};

// A random valid mm. kmax/nmax/mmax bound the shape; strides are dense, overlapping (even 0) or
// larger than the array.
static Mm random_mm(uint32_t kmax, uint32_t nmax, uint32_t mmax, uint32_t nram_hi = NB, uint32_t wram_hi = WB)
{
    for (;;) {
        Mm o;
        o.k = urand(1, kmax);
        o.n = urand(1, nmax);
        o.m1 = rnd() % 3 ? 1 : urand(2, 4);
        o.m0 = urand(1, mmax / o.m1 > 0 ? mmax / o.m1 : 1);
        switch (rnd() % 4) {
        case 0: o.s0 = o.k; break;
        case 1: o.s0 = urand(0, 3); break;
        case 2: o.s0 = urand(R + 1, 3 * R + 7); break;
        default: o.s0 = urand(0, o.k + 2 * R); break;
        }
        o.s1 = rnd() % 2 ? o.m0 * o.s0 + urand(0, 40) : urand(0, 5 * R);
        o.ws = rnd() % 2 ? o.n : urand(0, o.n + 2 * C);
        o.as = o.M() == 1 && rnd() % 2 ? urand(0, 100) : o.n + (rnd() % 2 ? 0 : urand(1, C + 5));
        o.accum = rnd() % 2;
        uint64_t xs = o.x_hi(), wsz = o.w_hi(), as = (o.M() - 1) * o.as + o.n;
        if (xs > nram_hi || wsz > wram_hi || as > AE)
            continue;
        o.in = urand(0, (uint32_t)(nram_hi - xs));
        o.w = urand(0, (uint32_t)(wram_hi - wsz));
        o.acc = urand(0, (uint32_t)(AE - as));
        if (o.valid())
            return o;
    }
}

static int passed = 0, failed = 0;

static void report(Bench &b, const char *group, const std::string &detail)
{
    if (b.errors) {
        printf("FAIL: mfu/%ux%u %s (%d errors) %s\n", R, C, group, b.errors, detail.c_str());
        failed++;
    } else {
        printf("PASS: mfu/%ux%u %s %s\n", R, C, group, detail.c_str());
        passed++;
    }
    fflush(stdout);
    b.errors = 0;
}

int main(int argc, char **argv)
{
    Bench b(argc, argv);
    if (b.errors) {
        printf("FAIL: mfu/%ux%u setup\n", R, C);
        return 1;
    }
    // Operands of the ordinary tests live in the first 8 KiB (memory fills stay cheap).
    const uint32_t nlo = NB < 8192 ? NB : 8192, wlo = WB < 8192 ? WB : 8192;
    char det[160];

    // 1. Directed shapes: exactly one tile, folds around the array, windows around D.
    {
        uint64_t n0 = b.n_insns;
        b.fill(Bench::DATA_RANDOM, nlo, wlo);
        b.fill_acc(Bench::ACC_RANDOM);
        const uint32_t ks[] = {1, R - 1 ? R - 1 : 1, R, R + 1, 2 * R + 3};
        const uint32_t ns[] = {1, C, C + 1, 2 * C - 1 ? 2 * C - 1 : 1};
        const uint32_t ms[] = {1, 2, D - 1, D, D + 1, 2 * D + 5};
        for (uint32_t k : ks)
            for (uint32_t n : ns)
                for (uint32_t mm : ms) {
                    Mm o;
                    o.k = k, o.n = n, o.m0 = mm, o.m1 = 1;
                    o.s0 = k, o.ws = n, o.as = n;
                    o.accum = (int)((k + n + mm) & 1);
                    if ((uint64_t)mm * n > AE || (uint64_t)mm * k > nlo || (uint64_t)k * n > wlo)
                        continue;
                    o.acc = urand(0, (uint32_t)(AE - mm * n));
                    o.in = urand(0, nlo - mm * k);
                    o.w = urand(0, wlo - k * n);
                    b.run(o);
                    if (rnd() % 2)
                        b.idle(rnd() % 3);
                }
        b.check_acc("directed");
        snprintf(det, sizeof det, "directed shapes (%" PRIu64 " instructions)", b.n_insns - n0);
        report(b, "directed", det);
    }

    // 2. Random batches, started back to back (e + 1) or after a gap, on random memories.
    {
        uint64_t n0 = b.n_insns, b2b = 0;
        const int batches = R * C >= 128 ? 60 : 120;
        for (int bt = 0; bt < batches; bt++) {
            b.fill(bt % 5 == 4 ? Bench::DATA_SPARSE : Bench::DATA_RANDOM, nlo, wlo);
            b.fill_acc(bt % 3 ? Bench::ACC_RANDOM : Bench::ACC_ZERO);
            int n = urand(1, 5);
            for (int i = 0; i < n; i++) {
                uint32_t scale = urand(1, 3);
                Mm o = random_mm(scale * R + urand(0, R), scale * C + urand(0, C), urand(1, 3 * D), nlo, wlo);
                b.run(o);
                if (rnd() % 3 == 0)
                    b.idle(urand(1, 5));
                else
                    b2b++;
            }
            b.check_acc("random");
        }
        snprintf(det, sizeof det, "random strides/folds/accum (%" PRIu64 " instructions, %" PRIu64 " back to back)",
                 b.n_insns - n0, b2b);
        report(b, "random", det);
    }

    // 3. Extreme operands: -128 everywhere (and mixed extremes), accumulators near the int32
    //    limits, K large, so that the int32 sums wrap.
    {
        uint64_t n0 = b.n_insns;
        for (int bt = 0; bt < 6; bt++) {
            b.fill(bt % 2 ? Bench::DATA_EXTREME : Bench::DATA_MIN, nlo, wlo);
            b.fill_acc(bt % 3 == 2 ? Bench::ACC_LOW : Bench::ACC_HIGH);
            for (int i = 0; i < 3; i++) {
                Mm o;
                o.k = urand(nlo / 8, nlo / 4);
                o.n = urand(1, 2 * C + 1);
                o.m0 = urand(1, 4);
                o.m1 = urand(1, 2);
                o.s0 = urand(0, 9);
                o.s1 = urand(0, 50);
                o.ws = 0; // every weight row at the same bytes: the K rows fit any WRAM
                o.as = o.n + urand(0, 3);
                o.accum = 1;
                o.in = 0;
                o.w = urand(0, wlo - o.n);
                o.acc = urand(0, (uint32_t)(AE - (o.M() - 1) * o.as - o.n));
                if (!o.valid())
                    continue;
                b.run(o);
            }
            b.check_acc("extreme");
        }
        snprintf(det, sizeof det, "-128/extreme operands, wrapping int32 sums (%" PRIu64 " instructions)",
                 b.n_insns - n0);
        report(b, "extreme", det);
    }

    // 4. The largest K (65535): 16-bit counters at their limit, sums of -128*-128 that wrap.
    if (NB >= 65536 && WB >= 65536) {
        b.fill(Bench::DATA_MIN);
        b.fill_acc(Bench::ACC_HIGH);
        Mm o;
        o.k = 65535, o.n = 1 + (C > 1), o.m0 = 1, o.m1 = 1, o.ws = 1, o.accum = 1;
        o.in = NB - 65535;
        o.acc = 7;
        b.run(o);
        o.accum = 0, o.n = 1, o.ws = 0;
        b.run(o);
        b.check_acc("kmax");
        report(b, "kmax", "K = 65535 on -128 operands");
    }

    // 5. Aborts at random points; the unit must go idle at once and run the next mm correctly.
    {
        b.fill(Bench::DATA_RANDOM, nlo, wlo);
        b.fill_acc(Bench::ACC_RANDOM);
        for (int i = 0; i < 20; i++) {
            Mm o = random_mm(3 * R, 3 * C, 2 * D, nlo, wlo);
            uint64_t T = dlp_time_mm(&b.model.cfg, o.M(), o.k, o.n);
            b.run(o, urand(1, (uint32_t)T));
            Mm p = random_mm(2 * R, 2 * C, 2 * D, nlo, wlo);
            b.run(p);
            b.check_acc("after abort");
        }
        report(b, "abort", "abort in [s, e], then a full mm");
    }

    // 6. Speed: a long stream of back-to-back mm (the C model check is off here).
    {
        b.check_model = false;
        b.fill(Bench::DATA_RANDOM, nlo, wlo);
        b.fill_acc(Bench::ACC_ZERO);
        Mm o;
        o.k = 4 * R + 1 <= nlo ? 4 * R : 1;
        o.n = 4 * C;
        o.m0 = 256 <= AE / o.n ? 256 : AE / o.n;
        o.s0 = 7, o.ws = o.n, o.as = o.n, o.accum = 1;
        while (!o.valid() && o.n > 1)
            o.n /= 2, o.ws = o.n, o.as = o.n;
        const uint64_t T = dlp_time_mm(&b.model.cfg, o.M(), o.k, o.n);
        const int reps = (int)(200000 / T + 1);
        uint64_t c0 = b.cyc;
        auto t0 = std::chrono::steady_clock::now();
        std::clock_t p0 = std::clock();
        for (int i = 0; i < reps; i++)
            b.run(o);
        double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        double cpu = (double)(std::clock() - p0) / CLOCKS_PER_SEC;
        uint64_t cyc = b.cyc - c0;
        b.check_acc("stream");
        snprintf(det, sizeof det, "streaming M=%u K=%u N=%u x%d back to back", o.m0, o.k, o.n, reps);
        report(b, "stream", det);
        printf("INFO: mfu/%ux%u simulation speed (streaming, harness and memories included): %" PRIu64
               " cycles in %.3f s CPU = %.0f cycles/s (%.0f cycles/s wall; %.1f MMAC/s simulated)\n",
               R, C, cyc, cpu, cyc / cpu, cyc / sec, (double)reps * o.m0 * o.k * o.n / cpu / 1e6);
    }

    printf("INFO: mfu/%ux%u %" PRIu64 " instructions, %" PRIu64 " busy cycles, %" PRIu64
           " cross-checked against the C model\n",
           R, C, b.n_insns, b.busy_cycles, b.n_model);
    return failed ? 1 : 0;
}
