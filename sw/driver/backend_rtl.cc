// SPDX-License-Identifier: Apache-2.0
// libdlp back end "rtl": the Verilated core (dlp_top) behind the AXI DRAM model, driven through
// its AXI4-Lite slave by the co-simulation harness's host master -- the register accesses a CPU
// would make, nothing else. Built per array shape into $(BUILD)/rtl/libdlp_rtl_<shape>.so by
// sw/driver/driver.mk and loaded by rtl_loader.c.
//
// Time: every CSR access ticks the clock until its AXI4-Lite transaction completes; wait()
// ticks until irq_o is high, the run started by the last CTRL write has ended (the trace port's
// tr_run_end_o pulse), or the wall-time budget is spent. DRAM reads and writes by the host go straight to the DRAM model's
// array, as another bus master's would, while the core is idle.
#include <time.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "Vdlp_top.h"
#include "verilated.h"
#include "axi_dram.h"
#include "axi_pins.h"
#include "host_axil.h"
#include "internal.h"

#ifndef RTL_SHAPE_NAME
#error "build with -DRTL_SHAPE_NAME=\"RxC\" (sw/driver/driver.mk)"
#endif

namespace {


uint64_t NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

class Rtl {
 public:
  explicit Rtl(const dlpd_rtl_params_t &p) : ctx_(new VerilatedContext) {
    ctx_->commandArgs(0, (const char **)nullptr);
    top_.reset(new Vdlp_top(ctx_.get(), "dlp_top"));
    dlp_verif::AxiDramConfig dc;
    dc.base = 0;
    dc.size = p.dram_bytes;
    dc.beat_bytes = 16;  // until CAP0 says otherwise (below)
    dc.latency = p.latency;
    dc.random = p.stall_seed != 0;
    dc.seed = p.stall_seed;
    dram_.reset(new dlp_verif::AxiDram(dc));
    host_.reset(new dlpv::AxilMaster(dlpv::AxilPinsOf(top_.get()), [this] { Tick(); }));
  }
  ~Rtl() { top_->final(); }

  // Reset, then size the DRAM model's data bus from CAP0.beat.
  bool Init(std::string *err) {
    top_->rst_ni = 0;
    for (int i = 0; i < 5; i++) Tick();
    top_->rst_ni = 1;
    Tick();
    uint32_t cap0 = 0;
    if (!host_->Read(DLP_CSR_CAP0, &cap0)) {
      *err = host_->Error();
      return false;
    }
    beat_ = (cap0 & DLP_CSR_CAP0_BEAT_MASK) >> DLP_CSR_CAP0_BEAT_SHIFT;
    if (beat_ < 4 || beat_ > dlp_verif::kAxiMaxBeatBytes || (beat_ & (beat_ - 1))) {
      *err = "CAP0.beat reads " + std::to_string(beat_) + ", not a supported AXI data width";
      return false;
    }
    dlp_verif::AxiDramConfig dc = dram_->config();
    dc.beat_bytes = beat_;
    dram_->configure(dc);
    return true;
  }

  bool CsrRead(uint32_t off, uint32_t *v, std::string *err) {
    if (host_->Read(off, v)) return true;
    *err = host_->Error();
    return false;
  }
  bool CsrWrite(uint32_t off, uint32_t v, std::string *err) {
    if (off == DLP_CSR_CTRL) run_ended_ = false;  // a (possible) new run
    if (host_->Write(off, v)) return true;
    *err = host_->Error();
    return false;
  }
  bool DramRead(uint64_t addr, void *dst, size_t len) {
    if (!dram_->contains(addr, len)) return false;
    dram_->read(addr, dst, len);
    return true;
  }
  bool DramWrite(uint64_t addr, const void *src, size_t len) {
    if (!dram_->contains(addr, len)) return false;
    dram_->write(addr, src, len);
    return true;
  }

  // Ticks until the interrupt line is high, the run has ended (then there is nothing left to
  // simulate: later waits return at once), or max_ms have passed.
  bool Wait(uint32_t max_ms, int *irq, std::string *err) {
    uint64_t t0 = NowMs();
    while (!top_->irq_o && !run_ended_) {
      for (int i = 0; i < 1024 && !top_->irq_o && !run_ended_; i++) Tick();
      if (NowMs() - t0 >= max_ms) break;
    }
    // the AXI side must have settled by the end of a run; protocol violations are reported
    if (!dram_->violations().empty()) {
      *err = "AXI protocol: " + dram_->violations().front();
      return false;
    }
    *irq = top_->irq_o;
    return true;
  }
  uint64_t Size() const { return dram_->size(); }

 private:
  void Tick() {
    const dlp_verif::AxiSlaveSignals &s = dram_->out();
    dlp_verif::AxiDriveCore(top_.get(), s, beat_);
    host_->Drive();
    top_->clk_i = 0;
    top_->eval();
    host_->Sample();
    const dlp_verif::AxiMasterSignals m = dlp_verif::AxiSampleCore(top_.get(), beat_);
    if (top_->tr_run_end_o) run_ended_ = true;
    dram_->tick(m);
    top_->clk_i = 1;
    top_->eval();
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vdlp_top> top_;
  std::unique_ptr<dlp_verif::AxiDram> dram_;
  std::unique_ptr<dlpv::AxilMaster> host_;
  unsigned beat_ = 16;
  bool run_ended_ = false;
};

// The library does not link libdlp (the executable that loads it need not export its symbols),
// so messages are formatted here.
void Msg(char *msg, size_t len, const std::string &s) {
  if (msg && len) std::snprintf(msg, len, "%s", s.c_str());
}

int OpCsrRead(void *ctx, uint32_t off, uint32_t *val, char *msg, size_t len) {
  std::string e;
  if (static_cast<Rtl *>(ctx)->CsrRead(off, val, &e)) return 0;
  Msg(msg, len, e);
  return -1;
}
int OpCsrWrite(void *ctx, uint32_t off, uint32_t val, char *msg, size_t len) {
  std::string e;
  if (static_cast<Rtl *>(ctx)->CsrWrite(off, val, &e)) return 0;
  Msg(msg, len, e);
  return -1;
}
int OpDramRead(void *ctx, uint64_t addr, void *dst, size_t n, char *msg, size_t len) {
  if (static_cast<Rtl *>(ctx)->DramRead(addr, dst, n)) return 0;
  Msg(msg, len, "outside the DRAM model");
  return -1;
}
int OpDramWrite(void *ctx, uint64_t addr, const void *src, size_t n, char *msg, size_t len) {
  if (static_cast<Rtl *>(ctx)->DramWrite(addr, src, n)) return 0;
  Msg(msg, len, "outside the DRAM model");
  return -1;
}
int OpWait(void *ctx, uint32_t max_ms, int *irq, char *msg, size_t len) {
  std::string e;
  if (static_cast<Rtl *>(ctx)->Wait(max_ms, irq, &e)) return 0;
  Msg(msg, len, e);
  return -1;
}
void OpClose(void *ctx) { delete static_cast<Rtl *>(ctx); }

const dlpd_backend_ops_t kOps = {OpCsrRead, OpCsrWrite, OpDramRead, OpDramWrite,
                                 OpWait,    OpClose,    nullptr};

}  // namespace

extern "C" __attribute__((visibility("default"))) dlpd_err_t dlpd_rtl_open(
    const dlpd_rtl_params_t *p, dlpd_backend_t *be, char *msg, size_t msglen);

extern "C" dlpd_err_t dlpd_rtl_open(const dlpd_rtl_params_t *p, dlpd_backend_t *be, char *msg,
                                    size_t msglen) {
  if (p->abi != DLPD_RTL_ABI) {
    Msg(msg, msglen, "library built for rtl ABI " + std::to_string(DLPD_RTL_ABI) +
                         ", libdlp speaks " + std::to_string(p->abi) + ": rebuild it");
    return DLPD_E_UNAVAILABLE;
  }
  if (std::strcmp(p->shape, RTL_SHAPE_NAME) != 0) {
    Msg(msg, msglen, std::string("library holds the ") + RTL_SHAPE_NAME + " core, not " + p->shape);
    return DLPD_E_UNAVAILABLE;
  }
  Rtl *r = new Rtl(*p);
  std::string e;
  if (!r->Init(&e)) {
    delete r;
    Msg(msg, msglen, std::string("the Verilated ") + RTL_SHAPE_NAME + " core does not answer: " + e);
    return DLPD_E_DEVICE;
  }
  be->name = "rtl";
  be->ops = &kOps;
  be->ctx = r;
  be->mem_base = 0;
  be->mem_bytes = r->Size();
  return DLPD_OK;
}
