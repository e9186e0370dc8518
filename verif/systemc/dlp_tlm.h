/* SPDX-License-Identifier: Apache-2.0 */
// OpenDLP as a loosely timed SystemC/TLM-2.0 module: the C golden model (cmodel/) behind
//   csr   a TLM-2.0 target socket: the register page of docs/csr.md (offsets from dlp_csr_gen.h,
//         behaviour of rtl/dlp_csr.sv through cmodel's dlp_regs block), 32-bit accesses;
//   dram  a TLM-2.0 initiator socket: every DRAM access of the core -- the program fetch and
//         every DMA burst -- as a transaction shaped like the RTL's AXI4 master's burst
//         (beat-aligned address, beats * beat_bytes bytes, write strobes as byte enables);
//   irq   the interrupt line, (IRQ_STATUS & IRQ_EN) != 0.
// docs/systemc.md tells how to put it into a platform.
//
// Time: cycle n of a run is at start + n * clock period, start being the time the CTRL.start
// write takes effect (its transport time plus its annotated delay). A run's transactions carry
// the time of their cycle in the cycle model as their delay annotation; the module waits (syncs)
// when a transaction's local time is a quantum or more ahead of SystemC time, and at the end of
// a run, so that STATUS, the counters and irq change exactly cycles * period after the start.
// The delay a target adds is not fed back: the core's timing is the cycle model's at its
// configured dram_latency, so results and cycle counts never depend on the memory's latency.
#ifndef DLP_TLM_H
#define DLP_TLM_H

#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "dlp.h"
#include "dlp_regs.h"

class DlpTlm : public sc_core::sc_module {
 public:
  // Stack of the run thread (SystemC's default is small for C code under AddressSanitizer).
  static constexpr std::size_t kStackBytes = 4u << 20;

  tlm_utils::simple_target_socket<DlpTlm> csr;
  tlm_utils::simple_initiator_socket<DlpTlm> dram;
  sc_core::sc_out<bool> irq;

  // cfg: the core; its clock is cfg.clock_mhz (dram_bytes and max_cycles are not used: the DRAM
  // is whatever the socket reaches, the watchdog is CYCLE_LIMIT). quantum: how far the core may
  // run ahead of SystemC time between syncs; SC_ZERO_TIME syncs at every transaction.
  // Throws std::runtime_error when cfg is not a valid configuration.
  DlpTlm(sc_core::sc_module_name name, const dlp_config_t &cfg, const sc_core::sc_time &quantum);
  ~DlpTlm() override;

  const dlp_config_t &config() const { return cfg_; }
  const sc_core::sc_time &period() const { return period_; }
  bool busy() const { return regs_.busy != 0; }
  // Notified when a run has ended (STATUS and the counters are final).
  const sc_core::sc_event &run_end_event() const { return end_ev_; }
  // The C model's message about the last run's error ("" after halt).
  const std::string &note() const { return note_; }
  // SystemC time from the last run's start to its end (cycles * period).
  const sc_core::sc_time &run_time() const { return run_time_; }
  // Transactions sent by the last run, and how many of them were writes.
  uint64_t bursts() const { return bursts_; }
  uint64_t write_bursts() const { return write_bursts_; }

 private:
  void csr_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
  void run_thread();
  void update_irq();  // from any process: wakes drive_irq, the line's one driver
  void drive_irq();
  // the model's bus (dlp_bus_t) as transactions on `dram`
  int burst(tlm::tlm_command cmd, uint64_t cycle, uint64_t addr, uint8_t *data,
            const uint8_t *strb, uint32_t len);
  static int bus_read(void *ctx, uint64_t cycle, uint64_t addr, uint8_t *data, uint32_t len);
  static int bus_write(void *ctx, uint64_t cycle, uint64_t addr, const uint8_t *data,
                       const uint8_t *strb, uint32_t len);

  dlp_config_t cfg_;
  sc_core::sc_time period_, quantum_;
  dlp_t *m_ = nullptr;
  dlp_regs_t regs_;
  sc_core::sc_event start_ev_, end_ev_, irq_ev_;
  sc_core::sc_time run_start_, run_time_;
  std::string note_;
  uint64_t bursts_ = 0, write_bursts_ = 0;
  unsigned char *be_ = nullptr;  // byte-enable array of a write burst
};

#endif
