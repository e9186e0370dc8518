/* SPDX-License-Identifier: Apache-2.0 */
// OpenDLP: an AXI4 slave DRAM model for Verilated cores (header only), used by the test benches
// (verif/) and by libdlp's rtl back end (sw/driver/backend_rtl.cc); sw/axi/ is its home so that
// sw/ never compiles code from verif/.
//
// The model owns a byte array mapped at [base, base + size) and answers the five AXI4 channels
// of one master with a single ID (in-order reads and writes, INCR bursts). It is a cycle model
// with registered outputs: the harness calls, every clock cycle,
//
//     const AxiSlaveSignals &s = dram.out();   // drive these into the DUT's AXI inputs
//     ... dut->eval() with the clock low ...
//     AxiMasterSignals m = <the DUT's AXI outputs>;
//     dram.tick(m);                            // the clock edge: handshakes, next outputs
//     ... clock high, dut->eval() ...
//
// Timing modes:
//   exact  (random = false): the schedule docs/timing.md assumes -- ARREADY, AWREADY, WREADY
//          always high; the first R beat of a burst `latency` cycles after its AR handshake and
//          the beats in order, one per cycle, never before the previous burst's last beat plus
//          one; the B response `latency` cycles after the burst's last W beat (or after its AW
//          if that came later). With a master that keeps RREADY/BREADY high this reproduces the
//          C model's DRAM timing cycle for cycle.
//   random (random = true, seeded): read and write latencies drawn per burst from
//          [min_latency, max_latency], ARREADY/AWREADY/WREADY low in random cycles, gaps between
//          R beats, extra B delays. Only timing changes; the data never does.
//
// Error injection: with err_enable, every burst touching [err_lo, err_hi) answers SLVERR (reads
// still return the data; writes of such a burst are dropped); with err_burst = N, the N-th burst
// accepted after construction or configure() (AR and AW counted together, 1 = the first) does.
// err_resp is the error response: 2 SLVERR (default) or 3 DECERR.
//
// Protocol checks (each violation is recorded in violations()): ARSIZE/AWSIZE = log2(beat_bytes),
// INCR bursts, no burst crossing 4 KiB, bursts inside the memory, WLAST exactly on the last beat,
// and every VALID with its payload held stable until its handshake.
#ifndef DLP_AXI_DRAM_H
#define DLP_AXI_DRAM_H

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace dlp_verif {

constexpr unsigned kAxiMaxBeatBytes = 128;

struct AxiDramConfig {
  uint64_t base = 0;          // AXI address of byte 0 of the memory
  uint64_t size = 1u << 20;   // bytes
  unsigned beat_bytes = 16;   // data bus bytes (power of two)
  unsigned latency = 24;      // exact mode: AR -> first R beat, last W beat -> B (cycles, >= 1)
  bool random = false;        // randomised timing instead of exact
  uint64_t seed = 1;          // random mode seed (print it so a failure can be replayed)
  unsigned min_latency = 1;   // random mode latency range per burst
  unsigned max_latency = 40;
  unsigned p_arready = 60;    // random mode: percent of cycles with ARREADY high
  unsigned p_awready = 60;    //                                   AWREADY high
  unsigned p_wready = 60;     //                                   WREADY high
  unsigned p_rgap = 25;       // percent of cycles in which a ready R beat is held back
  unsigned p_bdelay = 30;     // percent of cycles in which a ready B response is held back
  bool err_enable = false;    // SLVERR for bursts that touch [err_lo, err_hi)
  uint64_t err_lo = 0, err_hi = 0;
  uint64_t err_burst = 0;     // the N-th burst answers err_resp (0: none)
  uint8_t err_resp = 2;       // 2 SLVERR, 3 DECERR
};

// What the master drives; sampled at the clock edge.
struct AxiMasterSignals {
  bool arvalid = false;
  uint32_t araddr = 0;
  uint8_t arlen = 0, arsize = 0, arburst = 1;
  bool rready = false;
  bool awvalid = false;
  uint32_t awaddr = 0;
  uint8_t awlen = 0, awsize = 0, awburst = 1;
  bool wvalid = false;
  uint8_t wdata[kAxiMaxBeatBytes] = {};
  bool wstrb[kAxiMaxBeatBytes] = {};
  bool wlast = false;
  bool bready = false;
};

// What the DRAM drives; registered, constant for a whole cycle.
struct AxiSlaveSignals {
  bool arready = false;
  bool rvalid = false;
  uint8_t rdata[kAxiMaxBeatBytes] = {};
  uint8_t rresp = 0;
  bool rlast = false;
  bool awready = false;
  bool wready = false;
  bool bvalid = false;
  uint8_t bresp = 0;
};

class AxiDram {
 public:
  enum : uint8_t { kOkay = 0, kSlvErr = 2 };

  explicit AxiDram(const AxiDramConfig &cfg) : cfg_(cfg), mem_(cfg.size, 0), rng_(cfg.seed) {
    next_outputs();
  }

  // Changes the timing mode/seed/latency/error range; only between transactions (quiet()).
  void configure(const AxiDramConfig &cfg) {
    uint64_t size = cfg_.size;
    cfg_ = cfg;
    if (cfg.size != size) mem_.assign(cfg.size, 0);
    rng_.seed(cfg.seed);
    n_burst_ = 0;
    next_outputs();
  }
  const AxiDramConfig &config() const { return cfg_; }

  // ---- memory ------------------------------------------------------------------------------
  uint8_t *data() { return mem_.data(); }
  const uint8_t *data() const { return mem_.data(); }
  uint64_t size() const { return mem_.size(); }
  bool contains(uint64_t addr, uint64_t len) const {
    return addr >= cfg_.base && len <= cfg_.size && addr - cfg_.base <= cfg_.size - len;
  }
  void write(uint64_t addr, const void *src, size_t len) {
    if (contains(addr, len)) std::memcpy(&mem_[addr - cfg_.base], src, len);
  }
  void read(uint64_t addr, void *dst, size_t len) const {
    if (contains(addr, len)) std::memcpy(dst, &mem_[addr - cfg_.base], len);
  }

  // ---- clocking ----------------------------------------------------------------------------
  const AxiSlaveSignals &out() const { return out_; }
  uint64_t cycle() const { return now_; }

  // One clock edge: the handshakes of the cycle that ends, then the outputs of the next one.
  void tick(const AxiMasterSignals &m) {
    const AxiSlaveSignals &s = out_;
    check_stable(m);
    if (m.arvalid && s.arready) accept_ar(m);
    if (s.rvalid && m.rready) {
      RBurst &b = rq_.front();
      if (++b.beat == b.beats) rq_.pop_front();
      rhold_ = false;
    } else {
      rhold_ = s.rvalid;  // a presented beat must stay until taken
    }
    if (m.awvalid && s.awready) accept_aw(m);
    if (m.wvalid && s.wready) {
      WBeat w;
      std::memcpy(w.data, m.wdata, cfg_.beat_bytes);
      std::memcpy(w.strb, m.wstrb, cfg_.beat_bytes);
      w.last = m.wlast;
      w.cycle = now_;
      wq_.push_back(w);
    }
    if (s.bvalid && m.bready) {
      bq_.pop_front();
      bhold_ = false;
    } else {
      bhold_ = s.bvalid;
    }
    match_writes();
    prev_ = m;
    prev_out_ = out_;
    now_++;
    next_outputs();
  }

  // Nothing in flight: no burst waiting for data, beats or a response.
  bool quiet() const { return rq_.empty() && awq_.empty() && wq_.empty() && bq_.empty(); }

  const std::vector<std::string> &violations() const { return violations_; }
  uint64_t read_bursts() const { return n_rd_; }
  uint64_t write_bursts() const { return n_wr_; }

 private:
  struct RBurst {
    uint64_t addr;   // beat-aligned address of beat 0
    unsigned beats, beat;
    uint64_t ready;  // cycle from which beat 0 may be presented
    bool err;
  };
  struct AwBurst {
    uint64_t addr;
    unsigned beats, beat;
    uint64_t cycle;
    bool err;
  };
  struct WBeat {
    uint8_t data[kAxiMaxBeatBytes];
    bool strb[kAxiMaxBeatBytes];
    bool last;
    uint64_t cycle;
  };
  struct BResp {
    uint64_t ready;
    bool err;
  };

  unsigned rnd(unsigned lo, unsigned hi) {  // uniform in [lo, hi]
    return lo + (unsigned)(rng_() % (uint64_t)(hi - lo + 1));
  }
  bool chance(unsigned percent) { return rnd(0, 99) < percent; }
  unsigned latency() {
    return cfg_.random ? rnd(cfg_.min_latency, cfg_.max_latency) : cfg_.latency;
  }

  void violation(const char *fmt, ...) __attribute__((format(printf, 2, 3))) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (violations_.size() < 100)
      violations_.push_back("cycle " + std::to_string(now_) + ": " + buf);
  }

  bool check_burst(const char *ch, uint64_t addr, unsigned len, unsigned size, unsigned burst) {
    unsigned w = cfg_.beat_bytes;
    bool ok = true;
    if ((1u << size) != w) {
      violation("%s size %u does not match the %u-byte bus", ch, size, w);
      ok = false;
    }
    if (burst != 1) {
      violation("%s burst type %u is not INCR", ch, burst);
      ok = false;
    }
    uint64_t lo = addr & ~(uint64_t)(w - 1), hi = lo + (uint64_t)(len + 1) * w;  // [lo, hi)
    if (lo / 4096 != (hi - 1) / 4096) {
      violation("%s 0x%llx len %u crosses a 4 KiB boundary", ch, (unsigned long long)addr, len);
      ok = false;
    }
    if (!contains(lo, hi - lo)) {
      violation("%s 0x%llx len %u outside the memory", ch, (unsigned long long)addr, len);
      ok = false;
    }
    return ok;
  }
  bool in_error(uint64_t lo, uint64_t bytes) {
    bool chosen = cfg_.err_burst && ++n_burst_ == cfg_.err_burst;
    return chosen || (cfg_.err_enable && lo < cfg_.err_hi && cfg_.err_lo < lo + bytes);
  }

  void accept_ar(const AxiMasterSignals &m) {
    RBurst b;
    unsigned w = cfg_.beat_bytes;
    b.addr = m.araddr & ~(uint64_t)(w - 1);
    b.beats = m.arlen + 1u;
    b.beat = 0;
    b.err = !check_burst("AR", m.araddr, m.arlen, m.arsize, m.arburst) ||
            in_error(b.addr, (uint64_t)b.beats * w);
    b.ready = now_ + latency();
    n_rd_++;
    rq_.push_back(b);
  }

  void accept_aw(const AxiMasterSignals &m) {
    AwBurst a;
    unsigned w = cfg_.beat_bytes;
    a.addr = m.awaddr & ~(uint64_t)(w - 1);
    a.beats = m.awlen + 1u;
    a.beat = 0;
    a.cycle = now_;
    a.err = !check_burst("AW", m.awaddr, m.awlen, m.awsize, m.awburst) ||
            in_error(a.addr, (uint64_t)a.beats * w);
    n_wr_++;
    awq_.push_back(a);
  }

  // Applies W beats (which may precede their AW) to memory in order; schedules B responses.
  void match_writes() {
    unsigned w = cfg_.beat_bytes;
    while (!awq_.empty() && !wq_.empty()) {
      AwBurst &a = awq_.front();
      const WBeat &beat = wq_.front();
      uint64_t at = a.addr + (uint64_t)a.beat * w;
      if (!a.err && contains(at, w))
        for (unsigned i = 0; i < w; i++)
          if (beat.strb[i]) mem_[at - cfg_.base + i] = beat.data[i];
      a.beat++;
      bool last = a.beat == a.beats;
      if (beat.last != last)
        violation("WLAST %d on beat %u of a %u-beat burst", beat.last, a.beat - 1, a.beats);
      if (last) {
        uint64_t from = beat.cycle > a.cycle ? beat.cycle : a.cycle;
        uint64_t ready = from + latency();
        if (!bq_.empty() && ready < bq_.back().ready) ready = bq_.back().ready;
        bq_.push_back({ready, a.err});
        awq_.pop_front();
      }
      wq_.pop_front();
    }
  }

  void check_stable(const AxiMasterSignals &m) {
    unsigned w = cfg_.beat_bytes;
    if (prev_.arvalid && !prev_out_.arready &&
        (!m.arvalid || m.araddr != prev_.araddr || m.arlen != prev_.arlen))
      violation("AR dropped or changed before ARREADY");
    if (prev_.awvalid && !prev_out_.awready &&
        (!m.awvalid || m.awaddr != prev_.awaddr || m.awlen != prev_.awlen))
      violation("AW dropped or changed before AWREADY");
    if (prev_.wvalid && !prev_out_.wready &&
        (!m.wvalid || m.wlast != prev_.wlast || std::memcmp(m.wdata, prev_.wdata, w) != 0 ||
         std::memcmp(m.wstrb, prev_.wstrb, w) != 0))
      violation("W dropped or changed before WREADY");
  }

  void next_outputs() {
    AxiSlaveSignals &s = out_;
    unsigned w = cfg_.beat_bytes;
    bool rnd_mode = cfg_.random;
    s.arready = !rnd_mode || chance(cfg_.p_arready);
    s.awready = !rnd_mode || chance(cfg_.p_awready);
    s.wready = !rnd_mode || chance(cfg_.p_wready);
    // R: the head burst's next beat, once its latency has passed
    bool rv = false;
    if (!rq_.empty()) {
      const RBurst &b = rq_.front();
      rv = now_ >= b.ready && (rhold_ || !rnd_mode || !chance(cfg_.p_rgap));
      if (rv) {
        uint64_t at = b.addr + (uint64_t)b.beat * w;
        if (contains(at, w))
          std::memcpy(s.rdata, &mem_[at - cfg_.base], w);
        else
          std::memset(s.rdata, 0, w);
        s.rresp = b.err ? cfg_.err_resp : kOkay;
        s.rlast = b.beat + 1 == b.beats;
      }
    }
    s.rvalid = rv;
    if (!rv) {
      s.rlast = false;
      s.rresp = 0;
    }
    bool bv = !bq_.empty() && now_ >= bq_.front().ready &&
              (bhold_ || !rnd_mode || !chance(cfg_.p_bdelay));
    s.bvalid = bv;
    s.bresp = bv && bq_.front().err ? cfg_.err_resp : kOkay;
  }

  AxiDramConfig cfg_;
  std::vector<uint8_t> mem_;
  std::mt19937_64 rng_;
  uint64_t now_ = 0, n_rd_ = 0, n_wr_ = 0, n_burst_ = 0;
  std::deque<RBurst> rq_;
  std::deque<AwBurst> awq_;
  std::deque<WBeat> wq_;
  std::deque<BResp> bq_;
  bool rhold_ = false, bhold_ = false;
  AxiMasterSignals prev_;
  AxiSlaveSignals out_, prev_out_;
  std::vector<std::string> violations_;
};

}  // namespace dlp_verif

#endif
