/* SPDX-License-Identifier: Apache-2.0 */
// A small SystemC virtual platform around DlpTlm (docs/systemc.md):
//
//   host initiator --> VpBus --+--> VpMemory (DRAM, 0x0 .. size)  <--+-- dlp0.dram, dlp1.dram
//                              +--> dlp0.csr (kCsrBase)              |   (straight to memory)
//                              +--> dlp1.csr (kCsrBase + 0x1000) ...
//
// and a libdlp back end over it (VpHost), so that the one register-level driver (sw/driver)
// drives each DLP: from an SC_THREAD of the platform's own host, or -- in dlprun's systemc back
// end -- from outside the simulation between sc_start calls.
#ifndef DLP_VP_H
#define DLP_VP_H

#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include "dlp_driver.h"
#include "dlp_tlm.h"

// DRAM: a byte array behind a TLM-2.0 target socket that any number of initiators bind to.
// Transactions outside it get TLM_ADDRESS_ERROR_RESPONSE (the DLP turns that into BUS_ERROR);
// each b_transport adds `latency` to the delay. It also checks that every burst of a DLP has the
// AXI4 master's shape: beat-aligned, whole beats, at most burst_beats, not crossing 4 KiB.
class VpMemory : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<VpMemory> socket;
  VpMemory(sc_core::sc_module_name name, uint64_t size, const sc_core::sc_time &latency);
  uint8_t *data() { return mem_.data(); }
  uint64_t size() const { return mem_.size(); }
  // the AXI shape every transaction must have (beat_bytes 0: not checked)
  void expect_bursts(uint32_t beat_bytes, uint32_t burst_beats) {
    beat_ = beat_bytes;
    burst_beats_ = burst_beats;
  }
  const std::vector<std::string> &violations() const { return violations_; }
  uint64_t transactions() const { return transactions_; }

 private:
  void b_transport(int id, tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
  unsigned int transport_dbg(int id, tlm::tlm_generic_payload &t);
  std::vector<uint8_t> mem_;
  sc_core::sc_time latency_;
  uint32_t beat_ = 0, burst_beats_ = 0;
  std::vector<std::string> violations_;
  uint64_t transactions_ = 0;
};

// Address decoder: region i (added with map(), in binding order of `out`) gets the
// transactions inside it, with the region's base subtracted; others: TLM_ADDRESS_ERROR_RESPONSE.
class VpBus : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<VpBus> in;
  tlm_utils::multi_passthrough_initiator_socket<VpBus> out;
  explicit VpBus(sc_core::sc_module_name name);
  void map(uint64_t base, uint64_t size) { regions_.push_back({base, size}); }

 private:
  struct Region {
    uint64_t base, size;
  };
  int decode(tlm::tlm_generic_payload &t) const;
  void b_transport(int id, tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
  unsigned int transport_dbg(int id, tlm::tlm_generic_payload &t);
  std::vector<Region> regions_;
};

struct VpOptions {
  dlp_config_t cfg;                  // every DLP's configuration (its clock: cfg.clock_mhz)
  unsigned dlps = 1;
  uint64_t mem_bytes = 64ull << 20;  // DRAM at address 0
  sc_core::sc_time quantum = sc_core::sc_time(10, sc_core::SC_US);
  sc_core::sc_time mem_latency = sc_core::SC_ZERO_TIME;  // per DRAM transaction
};

// Where the host sees DLP i's registers.
constexpr uint64_t kCsrBase = 0x80000000ull;
constexpr uint64_t kCsrPage = 0x1000;

class VpPlatform : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<VpPlatform> host;  // the host CPU's bus master
  VpMemory mem;
  VpBus bus;
  std::vector<std::unique_ptr<DlpTlm>> dlp;
  std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> irq;

  VpPlatform(sc_core::sc_module_name name, const VpOptions &o);
  const VpOptions &options() const { return opt_; }

 private:
  VpOptions opt_;
};

// The libdlp back end of one DLP of a platform: register accesses as 32-bit transactions of the
// host socket, DRAM copies as debug transactions, waiting for the interrupt or the run's end.
// in_thread: called from an SC_THREAD (waits with wait()); else from outside the simulation
// (time passes with sc_start()). [mem_base, mem_base + mem_bytes) is the device memory the
// driver allocates from.
struct VpHost {
  VpPlatform *p;
  unsigned index;
  bool in_thread;
  // Fills *be; the VpHost must outlive the device.
  void backend(dlpd_backend_t *be, uint64_t mem_base, uint64_t mem_bytes);
};

// A TLM transaction of the host socket (32-bit register or any other size), for tests of the
// target's answers. Returns the response status; in_thread: waits for the annotated delay.
tlm::tlm_response_status VpAccess(VpPlatform *p, bool in_thread, tlm::tlm_command cmd,
                                  uint64_t addr, uint8_t *data, unsigned len,
                                  const uint8_t *byte_enables = nullptr, unsigned be_len = 0);

#endif
