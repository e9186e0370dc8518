// SPDX-License-Identifier: Apache-2.0
// OpenDLP as a loosely timed SystemC/TLM-2.0 module (dlp_tlm.h).
#include "dlp_tlm.h"

#include <cstring>
#include <stdexcept>

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

DlpTlm::DlpTlm(sc_core::sc_module_name name, const dlp_config_t &cfg, const sc_time &quantum)
    : sc_module(name), csr("csr"), dram("dram"), irq("irq"), cfg_(cfg), quantum_(quantum) {
  char msg[256] = "";
  dlp_config_t c = cfg;
  c.max_cycles = 0;  // CYCLE_LIMIT resets to 0
  m_ = dlp_create(&c, msg, sizeof msg);  // checks every field, clock_mhz > 0 included
  if (!m_) throw std::runtime_error(std::string(basename()) + ": " + msg);
  period_ = sc_time(1000.0 / cfg.clock_mhz, sc_core::SC_NS);
  if (period_ <= SC_ZERO_TIME) {
    dlp_destroy(m_);
    throw std::runtime_error(std::string(basename()) + ": clock_mhz " + std::to_string(cfg.clock_mhz) +
                             " gives no period at SystemC's time resolution");
  }
  const dlp_bus_t bus = {bus_read, bus_write, this};
  if (dlp_set_bus(m_, &bus)) {
    dlp_destroy(m_);
    throw std::runtime_error(std::string(basename()) + ": cannot attach the DRAM socket");
  }
  cfg_ = *dlp_config(m_);
  dlp_regs_reset(&regs_, &cfg_);
  be_ = new unsigned char[(size_t)cfg_.beat_bytes * cfg_.burst_beats];
  csr.register_b_transport(this, &DlpTlm::csr_transport);
  SC_HAS_PROCESS(DlpTlm);
  SC_THREAD(run_thread);
  set_stack_size(kStackBytes);  // the C model runs on this thread's stack
  SC_METHOD(drive_irq);
  sensitive << irq_ev_;
  dont_initialize();
}

DlpTlm::~DlpTlm() {
  dlp_destroy(m_);
  delete[] be_;
}

void DlpTlm::update_irq() { irq_ev_.notify(); }

void DlpTlm::drive_irq() { irq.write(dlp_regs_irq(&regs_) != 0); }

// One 32-bit register access. The AXI4-Lite slave of the RTL cannot be asked anything else;
// here other shapes are answered with the TLM error responses (docs/systemc.md).
void DlpTlm::csr_transport(tlm::tlm_generic_payload &t, sc_time &delay) {
  const uint64_t off = t.get_address();
  const tlm::tlm_command cmd = t.get_command();
  uint32_t v = 0;
  unsigned strb = 0;
  if (cmd == tlm::TLM_IGNORE_COMMAND) {
    t.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (t.get_data_length() != 4 || t.get_streaming_width() < 4) {
    t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  if (off >= 0x1000 || !dlp_regs_mapped((uint32_t)off)) {
    t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const unsigned char *be = t.get_byte_enable_ptr();
  const unsigned be_len = t.get_byte_enable_length();
  for (unsigned i = 0; i < 4; i++)
    if (!be || be_len == 0 || be[i % be_len] == TLM_BYTE_ENABLED) strb |= 1u << i;
  if (cmd == tlm::TLM_READ_COMMAND && strb != 0xf) {
    t.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  delay += period_;  // one clock per register access
  if (cmd == tlm::TLM_READ_COMMAND) {
    if (regs_.busy && off == DLP_CSR_CYCLES_LO) {
      // the cycle counter while a run lasts: the cycles elapsed at the access
      const sc_time now = sc_core::sc_time_stamp() + delay;
      dlp_regs_set_cycles(&regs_, now > run_start_ ? (uint64_t)((now - run_start_) / period_) : 0);
    }
    v = dlp_regs_read(&regs_, (uint32_t)off);
    std::memcpy(t.get_data_ptr(), &v, 4);  // host byte order, as TLM-2.0 data arrays are
  } else {
    std::memcpy(&v, t.get_data_ptr(), 4);
    if (dlp_regs_write(&regs_, (uint32_t)off, v, strb)) {
      run_start_ = sc_core::sc_time_stamp() + delay;
      start_ev_.notify(delay);
    }
    update_irq();
  }
  t.set_response_status(tlm::TLM_OK_RESPONSE);
}

void DlpTlm::run_thread() {
  for (;;) {
    wait(start_ev_);
    uint64_t base = regs_.win_base, limit = dlp_regs_win_limit(&regs_);
    if (base > limit) base = limit;  // an empty window: every access is outside, as in the RTL
    dlp_set_window(m_, base, limit);
    dlp_set_cycle_limit(m_, regs_.cycle_limit);
    bursts_ = write_bursts_ = 0;
    dlp_result_t r;
    dlp_run(m_, regs_.prog_addr, regs_.prog_len, &r);
    const sc_time end = run_start_ + (double)r.counters.cycles * period_;
    if (end > sc_core::sc_time_stamp()) wait(end - sc_core::sc_time_stamp());
    run_time_ = sc_core::sc_time_stamp() - run_start_;
    dlp_regs_end(&regs_, &r);
    note_ = r.status == DLP_DONE ? "" : r.message;
    update_irq();
    end_ev_.notify(SC_ZERO_TIME);
  }
}

int DlpTlm::burst(tlm::tlm_command cmd, uint64_t cycle, uint64_t addr, uint8_t *data,
                  const uint8_t *strb, uint32_t len) {
  const sc_time at = run_start_ + (double)cycle * period_, now = sc_core::sc_time_stamp();
  sc_time offset = at > now ? at - now : SC_ZERO_TIME;
  if (offset >= quantum_) {  // the core is a quantum ahead: let the others catch up
    wait(offset);
    offset = SC_ZERO_TIME;
  }
  tlm::tlm_generic_payload t;
  t.set_command(cmd);
  t.set_address(addr);
  t.set_data_ptr(data);
  t.set_data_length(len);
  t.set_streaming_width(len);  // INCR: one address per byte
  if (strb) {
    for (uint32_t i = 0; i < len; i++) be_[i] = strb[i] ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
    t.set_byte_enable_ptr(be_);
    t.set_byte_enable_length(len);
  }
  t.set_dmi_allowed(false);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  dram->b_transport(t, offset);  // the target's delay is not fed back (dlp_tlm.h)
  bursts_++;
  if (cmd == tlm::TLM_WRITE_COMMAND) write_bursts_++;
  return t.is_response_ok() ? 0 : -1;
}

int DlpTlm::bus_read(void *ctx, uint64_t cycle, uint64_t addr, uint8_t *data, uint32_t len) {
  return static_cast<DlpTlm *>(ctx)->burst(tlm::TLM_READ_COMMAND, cycle, addr, data, nullptr, len);
}

int DlpTlm::bus_write(void *ctx, uint64_t cycle, uint64_t addr, const uint8_t *data,
                      const uint8_t *strb, uint32_t len) {
  // a write's data is only read by the target
  return static_cast<DlpTlm *>(ctx)->burst(tlm::TLM_WRITE_COMMAND, cycle, addr,
                                           const_cast<uint8_t *>(data), strb, len);
}
