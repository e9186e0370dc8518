/* SPDX-License-Identifier: Apache-2.0 */
// Host-side AXI4-Lite master for Verilated cores (the test benches in verif/ and libdlp's rtl
// back end; sw/axi/ is its home so that sw/ never compiles code from verif/): drives the CSR slave of dlp_top one
// cycle at a time, the way a CPU's bus bridge would (AW and W presented together, BREADY and
// RREADY high while a response is awaited).
//
// The master does not own the clock. The harness's tick function calls, every cycle,
//     Drive()   before the clock-low eval (puts the master's outputs on the pins),
//     Sample()  after the clock-low eval, before the rising edge (sees the handshakes),
// and the blocking helpers Write()/Read() call the harness's tick until their transaction has
// completed (or a timeout, which is reported, never hangs).
#ifndef DLP_HOST_AXIL_H
#define DLP_HOST_AXIL_H

#include <cstdint>
#include <functional>
#include <string>

namespace dlpv {

// Pointers to the Verilated model's AXI4-Lite ports (Verilator's CData/SData/IData).
struct AxilPins {
  uint16_t *awaddr;
  uint8_t *awvalid;
  const uint8_t *awready;
  uint32_t *wdata;
  uint8_t *wstrb;
  uint8_t *wvalid;
  const uint8_t *wready;
  const uint8_t *bresp;
  const uint8_t *bvalid;
  uint8_t *bready;
  uint16_t *araddr;
  uint8_t *arvalid;
  const uint8_t *arready;
  const uint32_t *rdata;
  const uint8_t *rresp;
  const uint8_t *rvalid;
  uint8_t *rready;
};

class AxilMaster {
 public:
  AxilMaster(const AxilPins &pins, std::function<void()> tick, uint64_t timeout_cycles = 10000)
      : p_(pins), tick_(std::move(tick)), timeout_(timeout_cycles) {}

  void Drive();
  void Sample();

  // Blocking transactions (tick the harness until done). Return false on a timeout or a
  // non-OKAY response; Error() says which.
  bool Write(uint32_t addr, uint32_t data, uint8_t strb = 0xf);
  bool Read(uint32_t addr, uint32_t *data);
  // A 64-bit counter: low word (which latches the high word), then high word.
  bool Read64(uint32_t lo_addr, uint64_t *v);

  const std::string &Error() const { return err_; }
  bool Idle() const { return state_ == kIdle; }
  uint64_t Transactions() const { return n_; }

 private:
  enum State { kIdle, kWrite, kWaitB, kRead, kWaitR, kDone };
  bool Run(const char *what, uint32_t addr);

  AxilPins p_;
  std::function<void()> tick_;
  uint64_t timeout_;
  State state_ = kIdle;
  bool aw_done_ = false, w_done_ = false;
  uint32_t addr_ = 0, wdata_ = 0, rdata_ = 0;
  uint8_t strb_ = 0, resp_ = 0;
  uint64_t n_ = 0;
  std::string err_;
};

}  // namespace dlpv

#endif
