// SPDX-License-Identifier: Apache-2.0
// libdlp back end "systemc": the virtual platform of vp.h with one DLP, driven from outside the
// simulation (time passes in sc_start slices while the driver waits). Built into
// $(BUILD)/systemc/libdlp_systemc.so by verif/systemc/systemc.mk and loaded by
// sw/driver/systemc_loader.c. SystemC elaborates once per process, so a process holds one
// platform: a second open is refused.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "internal.h"
#include "vp.h"

namespace {

VpPlatform *g_platform;  // never destroyed: SystemC cannot take modules away
VpHost g_host;

void Msg(char *msg, size_t len, const std::string &s) {
  if (msg && len) std::snprintf(msg, len, "%s", s.c_str());
}

}  // namespace

// libsystemc's own main() calls sc_main, so the library needs one to load; a program that loads
// this library has its own main and never reaches it.
int sc_main(int, char **) { return 1; }

extern "C" __attribute__((visibility("default"))) dlpd_err_t dlpd_systemc_open(
    const dlpd_systemc_params_t *p, dlpd_backend_t *be, char *msg, size_t msglen);

extern "C" dlpd_err_t dlpd_systemc_open(const dlpd_systemc_params_t *p, dlpd_backend_t *be,
                                        char *msg, size_t msglen) {
  if (p->abi != DLPD_SYSTEMC_ABI) {
    Msg(msg, msglen, "library built for systemc ABI " + std::to_string(DLPD_SYSTEMC_ABI) +
                         ", libdlp speaks " + std::to_string(p->abi) + ": rebuild it");
    return DLPD_E_UNAVAILABLE;
  }
  if (g_platform) {
    Msg(msg, msglen, "this process already has its SystemC platform (one systemc device per process)");
    return DLPD_E_UNAVAILABLE;
  }
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  VpOptions o;
  o.cfg = p->cfg;
  o.dlps = 1;
  o.mem_bytes = p->cfg.dram_bytes;
  o.quantum = sc_core::sc_time(p->quantum_ns, sc_core::SC_NS);
  o.mem_latency = sc_core::sc_time(p->latency_ns, sc_core::SC_NS);
  try {
    g_platform = new VpPlatform("vp", o);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // elaborate, start the DLP's thread
  } catch (const std::exception &e) {
    Msg(msg, msglen, std::string("cannot build the SystemC platform: ") + e.what());
    return DLPD_E_DEVICE;
  }
  g_host.p = g_platform;
  g_host.index = 0;
  g_host.in_thread = false;
  g_host.backend(be, 0, o.mem_bytes);
  return DLPD_OK;
}
