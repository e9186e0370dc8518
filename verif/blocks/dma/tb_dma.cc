// SPDX-License-Identifier: Apache-2.0
// Block test of dlp_dma against the C model.
//
// For random `dma` instructions (every space pair but DRAM to DRAM; 1-byte to multi-burst runs,
// odd alignments, strides (overlapping ones too, and huge unused ones), padding on every side,
// 3-D, tiny runs that hit the outstanding limit, back-to-back pairs) and random program fetches:
//   1. the C model (cmodel/include/dlp.h) runs `li` x6; dma; ...; halt on the same memory image;
//   2. the RTL (tb_dma_top: dlp_dma + real dlp_banked_mem NRAM/WRAM/IMEM) runs the same
//      instruction against sw/axi/axi_dram.h in exact mode: NRAM, WRAM, DRAM (IMEM) must
//      equal the model's, and done must come in exactly the cycle dlp_time_dma / dlp_time_fetch
//      gives; memory requests only in [start, done], idle the cycle after done;
//   3. the same case again with the DRAM in random-stall mode for several seeds: same memories,
//      no hang (watchdog), no AXI protocol violation.
// Also aborts (the drain must end exactly when dlp_sched_drain says) and SLVERR injection.
//
// Usage: tb_dma [--cases N] [--seeds K] [--lat L,L,...] [--seed S]; prints PASS:/FAIL: lines.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vtb_dma_top.h"
#include "axi_dram.h"
#include "axi_pins.h"
#include "dlp.h"
#include "dlp_timing.h"
#include "verilated.h"

#ifndef BEAT
#define BEAT 16
#endif
#ifndef BURST
#define BURST 4
#endif
#ifndef OUTS
#define OUTS 4
#endif
#ifndef NRAM
#define NRAM 4096
#endif
#ifndef WRAM
#define WRAM 8192
#endif
#ifndef IMEM
#define IMEM 2048
#endif

static const uint64_t kDramBytes = 128 * 1024;
static const uint64_t kHighBase = 0x100000000ull - kDramBytes;  // DRAM ending at 2^32
static const uint64_t kProgBytes = 0x200;                       // DRAM [0, 0x200): programs
static const int kBd = 64;                                       // back-door bytes per cycle

template <typename T> static uint8_t *bytes(T &v) { return reinterpret_cast<uint8_t *>(&v); }
template <std::size_t N> static uint8_t *bytes(VlWide<N> &v) {
  return reinterpret_cast<uint8_t *>(v.data());
}

struct DmaOp {
  int dsp, ssp;
  uint32_t dst, src, ss1, ss2, ds1, ds2;  // C-model addresses (DRAM ones without the RTL base)
  uint32_t n0, n1, n2, pt, pb, pl, pr;
  uint8_t pv;
};

static std::string describe(const DmaOp &o) {
  static const char *sp[] = {"dram", "nram", "wram", "?"};
  char b[320];
  snprintf(b, sizeof b,
           "dma %s[0x%x] <- %s[0x%x] n0=%u n1=%u n2=%u ss1=0x%x ss2=0x%x ds1=0x%x ds2=0x%x "
           "pt=%u pb=%u pl=%u pr=%u pv=0x%02x",
           sp[o.dsp], o.dst, sp[o.ssp], o.src, o.n0, o.n1, o.n2, o.ss1, o.ss2, o.ds1, o.ds2, o.pt,
           o.pb, o.pl, o.pr, o.pv);
  return b;
}

static dlp_dma_args_t args_of(const DmaOp &o) {
  dlp_dma_args_t a;
  a.dsp = o.dsp;
  a.ssp = o.ssp;
  a.dst = o.dst;
  a.src = o.src;
  a.ss1 = o.ss1;
  a.ss2 = o.ss2;
  a.ds1 = o.ds1;
  a.ds2 = o.ds2;
  a.n0 = o.n0;
  a.n1 = o.n1;
  a.n2 = o.n2;
  a.pt = o.pt;
  a.pb = o.pb;
  a.pl = o.pl;
  a.pr = o.pr;
  return a;
}

// ---- RTL harness ----------------------------------------------------------------------------

struct Obs {  // outputs seen in one cycle (before its clock edge)
  bool done, fetch_done, busy, idle, mem_req, mem_write, bus_error;
};

class Rtl {
 public:
  Rtl(VerilatedContext *ctx, const dlp_verif::AxiDramConfig &dc) : top(new Vtb_dma_top(ctx)), dram(dc) {
    top->rst_ni = 0;
    for (int i = 0; i < 4; i++) step();
    top->rst_ni = 1;
    step();
  }
  ~Rtl() { top->final(); }

  // One cycle: inputs set by the caller before, outputs of the cycle returned.
  Obs step() {
    const dlp_verif::AxiSlaveSignals &s = dram.out();
    dlp_verif::AxiDriveCore(top.get(), s, BEAT);
    top->clk_i = 0;
    top->eval();
    const dlp_verif::AxiMasterSignals m = dlp_verif::AxiSampleCore(top.get(), BEAT);
    Obs o{(bool)top->done_o, (bool)top->fetch_done_o, (bool)top->busy_o, (bool)top->idle_o,
          (bool)top->mem_req_o, (bool)top->mem_write_o, (bool)top->bus_error_o};
    if (trace)
      printf("%6" PRIu64 " st%d ab%d dn%d bz%d id%d | AR %d%d %08x/%u | R %d%d%d | AW %d%d %08x/%u | "
             "W %d%d%d | B %d | mem %d%d\n",
             cycle, top->start_i, top->abort_i, o.done, o.busy, o.idle, m.arvalid, s.arready,
             m.araddr, m.arlen, s.rvalid, s.rlast, s.rresp, m.awvalid, s.awready, m.awaddr,
             m.awlen, m.wvalid, s.wready, m.wlast, s.bvalid, o.mem_req, o.mem_write);
    dram.tick(m);
    top->clk_i = 1;
    top->eval();
    cycle++;
    return o;
  }

  void bd_write(int sel, const uint8_t *src, uint32_t size) {
    top->bd_sel_i = sel;
    top->bd_en_i = 1;
    top->bd_we_i = 1;
    for (uint32_t a = 0; a < size; a += kBd) {
      top->bd_addr_i = a;
      top->bd_len_i = kBd;
      std::memcpy(bytes(top->bd_wdata_i), src + a, kBd);
      step();
    }
    top->bd_en_i = 0;
    top->bd_we_i = 0;
  }
  void bd_read(int sel, uint8_t *dst, uint32_t size) {
    top->bd_sel_i = sel;
    top->bd_en_i = 1;
    top->bd_we_i = 0;
    for (uint32_t a = 0; a < size; a += kBd) {
      top->bd_addr_i = a;
      step();
      std::memcpy(dst + a, bytes(top->bd_rdata_o), kBd);
    }
    top->bd_en_i = 0;
  }

  void set_uop(const uint32_t w[4], const uint32_t regs[7], uint32_t pc) {
    for (int i = 0; i < 4; i++) top->uop_i[i] = w[i];
    for (int k = 0; k < 7; k++) top->uop_i[4 + k] = regs[k];
    top->uop_i[11] = pc;
  }

  std::unique_ptr<Vtb_dma_top> top;
  dlp_verif::AxiDram dram;
  uint64_t cycle = 0;
  bool trace = getenv("DMA_TRACE") != nullptr;
};

// ---- test -----------------------------------------------------------------------------------

struct Stats {
  int cases = 0, dmas = 0, fetches = 0, exact = 0, random_runs = 0, aborts = 0, errinj = 0;
  int fails = 0, skipped = 0;
  int pair[3][3] = {};  // [dsp][ssp] dma instructions run
};

class Test {
 public:
  Test(VerilatedContext *ctx, unsigned lat, uint64_t seed, int seeds)
      : ctx_(ctx), lat_(lat), rng_(seed), seeds_(seeds) {
    dlp_config_default(&cfg_);
    cfg_.nram_bytes = NRAM;
    cfg_.wram_bytes = WRAM;
    cfg_.imem_insns = IMEM / 16;
    cfg_.dram_bytes = kDramBytes;
    cfg_.beat_bytes = BEAT;
    cfg_.burst_beats = BURST;
    cfg_.max_outstanding = OUTS;
    cfg_.dram_latency = lat;
    char msg[256];
    if (dlp_config_check(&cfg_, msg, sizeof msg)) {
      printf("FAIL: dma: C model config: %s\n", msg);
      exit(1);
    }
    model_ = dlp_create(&cfg_, msg, sizeof msg);
    if (!model_) {
      printf("FAIL: dma: dlp_create: %s\n", msg);
      exit(1);
    }
    dlp_verif::AxiDramConfig dc;
    dc.size = kDramBytes;
    dc.beat_bytes = BEAT;
    dc.latency = lat;
    rtl_.reset(new Rtl(ctx_, dc));
  }
  ~Test() { dlp_destroy(model_); }

  Stats st;

  uint32_t r(uint32_t n) { return n ? (uint32_t)(rng_() % n) : 0; }  // [0, n)
  uint32_t rr(uint32_t lo, uint32_t hi) { return lo + r(hi - lo + 1); }  // [lo, hi]
  bool p(int percent) { return (int)r(100) < percent; }

  // ---- random instruction -----------------------------------------------------------------
  static uint64_t space_size(int sp) {
    return sp == DLP_MEM_DRAM ? kDramBytes : sp == DLP_MEM_NRAM ? NRAM : WRAM;
  }
  static uint64_t space_lo(int sp) { return sp == DLP_MEM_DRAM ? kProgBytes : 0; }

  bool gen(DmaOp &o) {
    static const int pairs[8][2] = {{1, 0}, {2, 0}, {0, 1}, {0, 2}, {1, 2}, {2, 1}, {1, 1}, {2, 2}};
    int pi = r(8);
    o.dsp = pairs[pi][0];
    o.ssp = pairs[pi][1];
    int shape = r(6);
    switch (shape) {
    case 0:  // tiny runs, many of them: outstanding limit, 1-byte runs
      o.n0 = rr(1, 4);
      o.n1 = rr(1, 48);
      o.n2 = rr(1, 2);
      break;
    case 1:  // one long run: burst boundaries
      o.n0 = rr(1, 1200);
      o.n1 = 1;
      o.n2 = 1;
      break;
    case 2:  // 2-D
      o.n0 = rr(1, 200);
      o.n1 = rr(1, 10);
      o.n2 = 1;
      break;
    case 3:  // 3-D
      o.n0 = rr(1, 40);
      o.n1 = rr(1, 6);
      o.n2 = rr(2, 6);
      break;
    case 4:  // rows around the beat size
      o.n0 = rr(1, 3 * BEAT);
      o.n1 = rr(1, 8);
      o.n2 = rr(1, 3);
      break;
    default:  // large rows
      o.n0 = rr(BEAT * BURST, 2000);
      o.n1 = rr(1, 2);
      o.n2 = 1;
      break;
    }
    o.pt = p(40) ? (p(10) ? rr(0, 15) : rr(0, 3)) : 0;
    o.pb = p(40) ? (p(10) ? rr(0, 15) : rr(0, 3)) : 0;
    o.pl = p(40) ? (p(10) ? rr(0, 300) : rr(0, BEAT + 3)) : 0;
    o.pr = p(40) ? (p(10) ? rr(0, 300) : rr(0, BEAT + 3)) : 0;
    o.pv = (uint8_t)r(256);
    uint64_t h1 = o.pt + o.n1 + o.pb, w1 = o.pl + o.n0 + o.pr;
    // destination strides: the ISA forbids writing an element twice, so runs are disjoint --
    // planes after rows, or interleaved (planes inside the row stride); unused strides random
    uint64_t ds1, ds2, ss1, ss2;
    if (h1 > 1 && o.n2 > 1 && p(15)) {
      ds2 = w1 + (p(50) ? 0 : r(8));
      ds1 = (o.n2 - 1) * ds2 + w1 + (p(50) ? 0 : r(8));
    } else {
      ds1 = h1 == 1 ? (p(50) ? (uint32_t)rng_() : r(64)) : w1 + (p(50) ? 0 : r(40));
      ds2 = o.n2 == 1 ? (p(50) ? (uint32_t)rng_() : r(64))
                      : (h1 - 1) * ds1 + w1 + (p(50) ? 0 : r(50));
    }
    if (o.n1 == 1)
      ss1 = p(50) ? (uint32_t)rng_() : r(64);
    else if (p(15))
      ss1 = r(o.n0 + 1);  // overlapping source rows are fine
    else
      ss1 = o.n0 + (p(50) ? 0 : r(40));
    if (o.n2 == 1)
      ss2 = p(50) ? (uint32_t)rng_() : r(64);
    else if (p(10))
      ss2 = r((uint32_t)(o.n1 * (ss1 ? ss1 : 1) + 1));
    else
      ss2 = (o.n1 - 1) * ss1 + o.n0 + (p(50) ? 0 : r(50));
    o.ds1 = (uint32_t)ds1;
    o.ds2 = (uint32_t)ds2;
    o.ss1 = (uint32_t)ss1;
    o.ss2 = (uint32_t)ss2;
    uint64_t dspan = (o.n2 - 1) * ds2 + (h1 - 1) * ds1 + w1;  // unused strides count 0 times
    uint64_t sspan = (o.n2 - 1) * ss2 + (o.n1 - 1) * ss1 + o.n0;
    uint64_t dlo = space_lo(o.dsp), dsz = space_size(o.dsp);
    uint64_t slo = space_lo(o.ssp), ssz = space_size(o.ssp);
    if (dspan > dsz - dlo || sspan > ssz - slo) return false;
    for (int tries = 0; tries < 20; tries++) {
      // sometimes flush against the end of the memory (for DRAM with the high base: 2^32)
      o.dst = (uint32_t)(p(15) ? dsz - dspan : dlo + r((uint32_t)(dsz - dspan - dlo + 1)));
      o.src = (uint32_t)(p(15) ? ssz - sspan : slo + r((uint32_t)(ssz - sspan - slo + 1)));
      if (o.dsp != o.ssp) return true;
      if (o.dst + dspan <= o.src || o.src + sspan <= o.dst) return true;
    }
    return false;
  }

  // ---- C model ------------------------------------------------------------------------------
  static void put(std::vector<uint32_t> &prog, const uint32_t w[4]) {
    prog.insert(prog.end(), w, w + 4);
  }
  static void li(std::vector<uint32_t> &prog, unsigned rd, uint32_t v) {
    uint32_t w[4] = {0, 0, 0, 0};
    dlp_field_set_raw(w, DLP_F_OP, DLP_OP_LI);
    dlp_field_set_raw(w, DLP_F_RD, rd);
    dlp_field_set_raw(w, DLP_F_IMM32, v);
    put(prog, w);
  }
  static void encode_dma(const DmaOp &o, uint32_t w[4]) {
    std::memset(w, 0, 16);
    dlp_field_set_raw(w, DLP_F_OP, DLP_OP_DMA);
    dlp_field_set_raw(w, DLP_F_DSP, o.dsp);
    dlp_field_set_raw(w, DLP_F_SSP, o.ssp);
    dlp_field_set_raw(w, DLP_F_RDST, 1);
    dlp_field_set_raw(w, DLP_F_RSRC, 2);
    dlp_field_set_raw(w, DLP_F_RSS1, 3);
    dlp_field_set_raw(w, DLP_F_RSS2, 4);
    dlp_field_set_raw(w, DLP_F_RDS1, 5);
    dlp_field_set_raw(w, DLP_F_RDS2, 6);
    dlp_field_set_raw(w, DLP_F_N0, o.n0);
    dlp_field_set_raw(w, DLP_F_N1, o.n1);
    dlp_field_set_raw(w, DLP_F_N2, o.n2);
    dlp_field_set_raw(w, DLP_F_PT, o.pt);
    dlp_field_set_raw(w, DLP_F_PB, o.pb);
    dlp_field_set_raw(w, DLP_F_PL, o.pl);
    dlp_field_set_raw(w, DLP_F_PR, o.pr);
    dlp_field_set_raw(w, DLP_F_PV, o.pv);
  }

  // Runs the ops on the C model from the image; leaves the result in the model's memories.
  bool run_model(const std::vector<DmaOp> &ops, std::string &err) {
    std::vector<uint32_t> prog;
    for (const DmaOp &o : ops) {
      li(prog, 1, o.dst);
      li(prog, 2, o.src);
      li(prog, 3, o.ss1);
      li(prog, 4, o.ss2);
      li(prog, 5, o.ds1);
      li(prog, 6, o.ds2);
      uint32_t w[4];
      encode_dma(o, w);
      put(prog, w);
    }
    uint32_t h[4] = {0, 0, 0, 0};
    dlp_field_set_raw(h, DLP_F_OP, DLP_OP_HALT);
    put(prog, h);
    if (prog.size() * 4 > kProgBytes) {
      err = "program too long";
      return false;
    }
    std::memcpy(img_dram_.data(), prog.data(), prog.size() * 4);
    uint64_t len;
    std::memcpy(dlp_mem(model_, DLP_MEM_DRAM, &len), img_dram_.data(), kDramBytes);
    std::memcpy(dlp_mem(model_, DLP_MEM_NRAM, &len), img_nram_.data(), NRAM);
    std::memcpy(dlp_mem(model_, DLP_MEM_WRAM, &len), img_wram_.data(), WRAM);
    dlp_result_t res;
    dlp_run(model_, 0, (uint32_t)(prog.size() / 4), &res);
    if (res.status != DLP_DONE) {
      err = std::string("C model rejected it: ") + res.message;
      return false;
    }
    return true;
  }

  void new_image() {
    img_dram_.resize(kDramBytes);
    img_nram_.resize(NRAM);
    img_wram_.resize(WRAM);
    img_imem_.resize(IMEM);
    for (auto *v : {&img_dram_, &img_nram_, &img_wram_, &img_imem_})
      for (auto &b : *v) b = (uint8_t)rng_();
  }

  // Loads the image into the DRAM model (timing mode given) and the RTL memories in `mems`
  // (bit 0 NRAM, 1 WRAM, 2 IMEM).
  void load_rtl(bool random, uint64_t seed, uint64_t base, unsigned mems, bool err = false,
                uint64_t elo = 0, uint64_t ehi = 0) {
    dlp_verif::AxiDramConfig dc = rtl_->dram.config();
    dc.random = random;
    dc.seed = seed;
    dc.base = base;
    dc.latency = lat_;
    dc.err_enable = err;
    dc.err_lo = elo;
    dc.err_hi = ehi;
    rtl_->dram.configure(dc);
    std::memcpy(rtl_->dram.data(), img_dram_.data(), kDramBytes);
    if (mems & 1) rtl_->bd_write(0, img_nram_.data(), NRAM);
    if (mems & 2) rtl_->bd_write(1, img_wram_.data(), WRAM);
    if (mems & 4) rtl_->bd_write(2, img_imem_.data(), IMEM);
  }

  // Compares RTL memories with the expected ones (a null one is not compared; DRAM always is);
  // returns "" or a description of the first differing byte.
  std::string compare(const uint8_t *dram, const uint8_t *nram, const uint8_t *wram,
                      const uint8_t *imem) {
    std::vector<uint8_t> got(WRAM > NRAM ? WRAM : NRAM);
    char b[200];
    struct {
      const char *name;
      int sel;
      const uint8_t *want;
      uint32_t size;
    } mems[] = {{"nram", 0, nram, NRAM}, {"wram", 1, wram, WRAM}, {"imem", 2, imem, IMEM}};
    for (auto &m : mems) {
      if (!m.want) continue;
      got.resize(m.size);
      rtl_->bd_read(m.sel, got.data(), m.size);
      for (uint32_t i = 0; i < m.size; i++)
        if (got[i] != m.want[i]) {
          snprintf(b, sizeof b, "%s[0x%x] = 0x%02x, want 0x%02x", m.name, i, got[i], m.want[i]);
          return b;
        }
    }
    const uint8_t *d = rtl_->dram.data();
    for (uint64_t i = 0; i < kDramBytes; i++)
      if (d[i] != dram[i]) {
        snprintf(b, sizeof b, "dram[0x%" PRIx64 "] = 0x%02x, want 0x%02x", i, d[i], dram[i]);
        return b;
      }
    return "";
  }

  void fail(const std::string &what) {
    st.fails++;
    if (st.fails <= 10) printf("FAIL: dma L=%u: %s\n", lat_, what.c_str());
  }

  void start_op(const DmaOp &o, uint64_t base, uint32_t pc) {
    uint32_t w[4], regs[7] = {o.dst, o.src, o.ss1, o.ss2, o.ds1, o.ds2, 0};
    encode_dma(o, w);
    if (o.dsp == DLP_MEM_DRAM) regs[0] += (uint32_t)base;
    if (o.ssp == DLP_MEM_DRAM) regs[1] += (uint32_t)base;
    rtl_->set_uop(w, regs, pc);
    rtl_->top->start_i = 1;
  }

  // Runs ops back to back on the RTL (op k+1 starts the cycle after op k's done). Checks the
  // done cycles in exact mode. Returns false (after reporting) on a failure.
  bool run_rtl(const std::vector<DmaOp> &ops, uint64_t base, bool exact, const char *mode) {
    for (int i = 0; i < 3; i++) rtl_->step();
    uint64_t s = rtl_->cycle;
    for (size_t k = 0; k < ops.size(); k++) {
      const DmaOp &o = ops[k];
      dlp_dma_args_t a = args_of(o);
      uint64_t want = dlp_time_dma(&cfg_, &a, s, nullptr);
      uint64_t limit = s + (want - s) * (exact ? 1 : 60) + 5000;
      start_op(o, base, (uint32_t)k);
      uint64_t e = 0;
      bool seen = false;
      while (!seen) {
        uint64_t t = rtl_->cycle;
        Obs ob = rtl_->step();
        rtl_->top->start_i = 0;
        if (!ob.busy) {
          fail(std::string(mode) + ": busy_o low before done: " + describe(o));
          return false;
        }
        if (ob.bus_error) {
          fail(std::string(mode) + ": unexpected bus error: " + describe(o));
          return false;
        }
        if (ob.done) {
          seen = true;
          e = t;
        }
        if (t > limit) {
          fail(std::string(mode) + ": watchdog, no done after " + std::to_string(t - s) +
               " cycles (seed " + std::to_string(rtl_->dram.config().seed) + "): " + describe(o));
          return false;
        }
      }
      if (exact) {
        if (e != want) {
          char b[160];
          snprintf(b, sizeof b, "done in cycle s+%" PRIu64 ", C model dlp_time_dma says s+%" PRIu64
                   ": ", e - s, want - s);
          fail(std::string(mode) + ": " + b + describe(o));
          return false;
        }
        st.exact++;
      }
      s = e + 1;
    }
    // after the last done: idle at once, and no memory request
    for (int i = 0; i < 4; i++) {
      Obs ob = rtl_->step();
      if (ob.mem_req || ob.done || ob.busy) {
        fail(std::string(mode) + ": memory request, done or busy after done: " +
             describe(ops.back()));
        return false;
      }
      if (i == 0 && !ob.idle) {
        fail(std::string(mode) + ": not idle the cycle after done: " + describe(ops.back()));
        return false;
      }
    }
    if (!rtl_->dram.quiet()) {
      fail(std::string(mode) + ": AXI traffic left after done: " + describe(ops.back()));
      return false;
    }
    return check_axi(mode);
  }

  bool check_axi(const char *mode) {
    if (!rtl_->dram.violations().empty()) {
      fail(std::string(mode) + ": AXI protocol: " + rtl_->dram.violations().front());
      return false;
    }
    return true;
  }

  // One random case: 1 or 2 DMAs, exact run, then random-stall runs.
  void dma_case() {
    std::vector<DmaOp> ops(p(15) ? 2 : 1);
    for (auto &o : ops) {
      int tries = 0;
      while (!gen(o))
        if (++tries > 1000) {
          st.skipped++;
          return;
        }
    }
    new_image();
    std::string err;
    if (!run_model(ops, err)) {
      fail("generator made an invalid instruction (" + err + "): " + describe(ops[0]));
      return;
    }
    st.cases++;
    st.dmas += (int)ops.size();
    for (const DmaOp &o : ops) st.pair[o.dsp][o.ssp]++;
    uint64_t len;
    std::vector<uint8_t> want_dram(dlp_mem(model_, DLP_MEM_DRAM, &len),
                                   dlp_mem(model_, DLP_MEM_DRAM, &len) + kDramBytes);
    std::vector<uint8_t> want_nram(dlp_mem(model_, DLP_MEM_NRAM, &len),
                                   dlp_mem(model_, DLP_MEM_NRAM, &len) + NRAM);
    std::vector<uint8_t> want_wram(dlp_mem(model_, DLP_MEM_WRAM, &len),
                                   dlp_mem(model_, DLP_MEM_WRAM, &len) + WRAM);
    uint64_t base = p(30) ? kHighBase : 0;
    for (int run = 0; run <= seeds_; run++) {
      bool exact = run == 0;
      uint64_t seed = rng_();
      char mode[64];
      if (exact)
        snprintf(mode, sizeof mode, "exact");
      else
        snprintf(mode, sizeof mode, "random seed %" PRIu64, seed);
      // the exact run loads and compares every memory; the reruns only restore and compare
      // the destination memories (the exact run showed that nothing else is written)
      unsigned dst_mems = 0;
      for (const DmaOp &o : ops)
        if (o.dsp != DLP_MEM_DRAM) dst_mems |= 1u << (o.dsp - 1);
      unsigned mems = exact ? 7u : dst_mems;
      load_rtl(!exact, seed, base, mems);
      if (!run_rtl(ops, base, exact, mode)) return;
      std::string d = compare(want_dram.data(), (mems & 1) ? want_nram.data() : nullptr,
                              (mems & 2) ? want_wram.data() : nullptr,
                              exact ? img_imem_.data() : nullptr);
      if (!d.empty()) {
        fail(std::string(mode) + ": memory differs from the C model: " + d + " after " +
             describe(ops[0]) + (ops.size() > 1 ? " ; " + describe(ops[1]) : ""));
        return;
      }
      if (!exact) st.random_runs++;
    }
  }

  void fetch_case() {
    new_image();
    uint32_t n = p(30) ? rr(1, 4) : rr(1, IMEM / 16);
    uint32_t addr = 16 * rr(0, (uint32_t)(kDramBytes / 16 - n));
    uint64_t base = p(30) ? kHighBase : 0;
    std::vector<uint8_t> want_imem = img_imem_;
    std::memcpy(want_imem.data(), img_dram_.data() + addr, n * 16);
    uint64_t want = dlp_time_fetch(&cfg_, addr, n, nullptr);
    st.fetches++;
    for (int run = 0; run <= seeds_; run++) {
      bool exact = run == 0;
      uint64_t seed = rng_();
      load_rtl(!exact, seed, base, exact ? 7u : 4u);
      for (int i = 0; i < 3; i++) rtl_->step();
      uint64_t f0 = rtl_->cycle, e = 0;
      rtl_->top->fetch_start_i = 1;
      rtl_->top->fetch_addr_i = (uint32_t)(addr + base);
      rtl_->top->fetch_bytes_i = n * 16;
      for (;;) {
        uint64_t t = rtl_->cycle;
        Obs ob = rtl_->step();
        rtl_->top->fetch_start_i = 0;
        if (ob.fetch_done) {
          e = t - f0;
          break;
        }
        if (t - f0 > (exact ? want : 60 * want) + 5000) {
          char b[96];
          snprintf(b, sizeof b, "fetch watchdog: %u insns at 0x%x", n, addr);
          fail(b);
          return;
        }
      }
      if (exact && e != want) {
        char b[160];
        snprintf(b, sizeof b, "fetch of %u insns at 0x%x: fetch_done in cycle %" PRIu64
                 ", dlp_time_fetch says %" PRIu64, n, addr, e, want);
        fail(b);
        return;
      }
      if (exact) st.exact++;
      else st.random_runs++;
      for (int i = 0; i < 3; i++) rtl_->step();
      if (!check_axi("fetch")) return;
      std::string d = compare(img_dram_.data(), exact ? img_nram_.data() : nullptr,
                              exact ? img_wram_.data() : nullptr, want_imem.data());
      if (!d.empty()) {
        fail("fetch of " + std::to_string(n) + " insns: " + d);
        return;
      }
    }
  }

  // Abort at a random cycle of a random DMA: in exact mode idle_o must rise exactly after the
  // bursts the C model drains (dlp_sched_drain); in random mode it must rise at all.
  void abort_case() {
    DmaOp o;
    int tries = 0;
    while (!gen(o) || (o.ssp != DLP_MEM_DRAM && o.dsp != DLP_MEM_DRAM))
      if (++tries > 1000) return;
    new_image();
    std::string err;
    if (!run_model({o}, err)) return;
    dlp_dma_args_t a = args_of(o);
    for (int run = 0; run < 2; run++) {
      bool exact = run == 0;
      load_rtl(!exact, rng_(), 0, 0);
      for (int i = 0; i < 3; i++) rtl_->step();
      uint64_t s = rtl_->cycle;
      dlp_dma_sched_t sched = {nullptr, nullptr, 0, 0};
      uint64_t end = dlp_time_dma(&cfg_, &a, s, &sched);
      uint64_t t = s + r((uint32_t)(end - s));  // abort in [s, end)
      start_op(o, 0, 0);
      uint64_t idle_at = 0;
      bool ok = true;
      while (rtl_->cycle < t + 200000) {
        uint64_t c = rtl_->cycle;
        rtl_->top->abort_i = c == t;
        Obs ob = rtl_->step();
        rtl_->top->start_i = 0;
        rtl_->top->abort_i = 0;
        if (c > t && ob.mem_write) {
          fail("abort: scratchpad write after the abort cycle: " + describe(o));
          ok = false;
          break;
        }
        if (c > t && ob.done) {
          fail("abort: done after abort: " + describe(o));
          ok = false;
          break;
        }
        if (c > t && ob.idle) {
          idle_at = c;
          break;
        }
      }
      if (ok && idle_at == 0) fail("abort: never idle: " + describe(o));
      if (ok && idle_at && exact) {
        uint64_t drain = dlp_sched_drain(&sched, t);
        if (idle_at != drain + 1) {
          char b[160];
          snprintf(b, sizeof b, "abort at s+%" PRIu64 ": idle from s+%" PRIu64
                   ", C model drain ends at s+%" PRIu64 ": ", t - s, idle_at - s, drain - s);
          fail(b + describe(o));
        }
      }
      dlp_sched_free(&sched);
      for (int i = 0; i < 3; i++) rtl_->step();
      if (!rtl_->dram.quiet()) fail("abort: AXI traffic after idle: " + describe(o));
      check_axi("abort");
      st.aborts++;
    }
  }

  // SLVERR on part of the source/destination: bus_error_o must pulse, nothing may hang.
  void error_case() {
    DmaOp o;
    int tries = 0;
    while (!gen(o) || (o.ssp != DLP_MEM_DRAM && o.dsp != DLP_MEM_DRAM))
      if (++tries > 1000) return;
    new_image();
    uint64_t at = o.ssp == DLP_MEM_DRAM ? o.src : o.dst;
    load_rtl(p(50), rng_(), 0, 0, true, at, at + 1);
    for (int i = 0; i < 3; i++) rtl_->step();
    start_op(o, 0, 0);
    bool err = false, done = false;
    uint64_t t0 = rtl_->cycle;
    while (rtl_->cycle < t0 + 400000 && !done) {
      Obs ob = rtl_->step();
      rtl_->top->start_i = 0;
      err |= ob.bus_error;
      done |= ob.done;
    }
    for (int i = 0; i < 3; i++) rtl_->step();
    if (!err) fail("SLVERR: no bus_error_o: " + describe(o));
    if (!done) fail("SLVERR: the instruction never ended: " + describe(o));
    check_axi("slverr");
    st.errinj++;
  }

 private:
  VerilatedContext *ctx_;
  unsigned lat_;
  std::mt19937_64 rng_;
  int seeds_;
  dlp_config_t cfg_;
  dlp_t *model_ = nullptr;
  std::unique_ptr<Rtl> rtl_;
  std::vector<uint8_t> img_dram_, img_nram_, img_wram_, img_imem_;
};

int main(int argc, char **argv) {
  int cases = 150, seeds = 3;
  uint64_t seed = 1;
  std::vector<unsigned> lats = {1, 24};
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--cases" && i + 1 < argc)
      cases = atoi(argv[++i]);
    else if (a == "--seeds" && i + 1 < argc)
      seeds = atoi(argv[++i]);
    else if (a == "--seed" && i + 1 < argc)
      seed = strtoull(argv[++i], nullptr, 0);
    else if (a == "--lat" && i + 1 < argc) {
      lats.clear();
      for (char *t = strtok(argv[++i], ","); t; t = strtok(nullptr, ",")) lats.push_back(atoi(t));
    }
  }
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  int failed = 0;
  for (unsigned lat : lats) {
    Test t(ctx.get(), lat, seed * 1000003u + lat, seeds);
    for (int c = 0; c < cases; c++) {
      t.dma_case();
      if (c % 5 == 0) t.fetch_case();
      if (c % 10 == 0) t.abort_case();
      if (c % 25 == 0) t.error_case();
      if (t.st.fails > 10) break;
    }
    const Stats &s = t.st;
    printf("%s: dma W=%d BurstBeats=%d MaxOutstanding=%d L=%u seed=%" PRIu64
           ": %d cases (%d dma), %d fetches, done cycle == C model in %d/%d exact runs, "
           "%d random-stall runs (%d seeds each), %d aborts, %d SLVERR runs, %d failures\n",
           s.fails ? "FAIL" : "PASS", BEAT, BURST, OUTS, lat, seed, s.cases, s.dmas, s.fetches,
           s.exact, s.dmas + s.fetches, s.random_runs, seeds, s.aborts, s.errinj, s.fails);
    printf("      loads dram->nram %d dram->wram %d, stores nram->dram %d wram->dram %d, moves "
           "nram->wram %d wram->nram %d nram->nram %d wram->wram %d\n",
           s.pair[1][0], s.pair[2][0], s.pair[0][1], s.pair[0][2], s.pair[2][1], s.pair[1][2],
           s.pair[1][1], s.pair[2][2]);
    failed += s.fails != 0;
  }
  return failed ? 1 : 0;
}
