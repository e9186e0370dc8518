// SPDX-License-Identifier: Apache-2.0
// The virtual platform of vp.h.
#include "vp.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

// ---- memory --------------------------------------------------------------------------------------

VpMemory::VpMemory(sc_core::sc_module_name name, uint64_t size, const sc_time &latency)
    : sc_module(name), socket("socket"), mem_(size, 0), latency_(latency) {
  socket.register_b_transport(this, &VpMemory::b_transport);
  socket.register_transport_dbg(this, &VpMemory::transport_dbg);
}

void VpMemory::b_transport(int id, tlm::tlm_generic_payload &t, sc_time &delay) {
  const uint64_t a = t.get_address(), n = t.get_data_length();
  const unsigned char *be = t.get_byte_enable_ptr();
  const unsigned be_len = t.get_byte_enable_length();
  transactions_++;
  if (beat_ && violations_.size() < 20) {
    char m[160];
    const uint64_t bound = (uint64_t)beat_ * burst_beats_;
    if (a % beat_ || n % beat_ || n == 0 || n > bound || a / 4096 != (a + n - 1) / 4096) {
      std::snprintf(m, sizeof m, "initiator %d: burst 0x%" PRIx64 "+%" PRIu64
                    " is not whole %u-byte beats within one %" PRIu64 "-byte burst and 4 KiB",
                    id, a, n, beat_, bound);
      violations_.push_back(m);
    }
  }
  if (t.get_streaming_width() < n) {
    t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  if (a > mem_.size() || n > mem_.size() - a) {
    t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  uint8_t *d = t.get_data_ptr();
  if (t.is_read()) {
    std::memcpy(d, &mem_[a], n);
  } else if (t.is_write()) {
    for (uint64_t i = 0; i < n; i++)
      if (!be || be_len == 0 || be[i % be_len] == TLM_BYTE_ENABLED) mem_[a + i] = d[i];
  }
  delay += latency_;
  t.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned int VpMemory::transport_dbg(int, tlm::tlm_generic_payload &t) {
  const uint64_t a = t.get_address();
  uint64_t n = t.get_data_length();
  if (a >= mem_.size()) return 0;
  if (n > mem_.size() - a) n = mem_.size() - a;
  if (t.is_read()) std::memcpy(t.get_data_ptr(), &mem_[a], n);
  else if (t.is_write()) std::memcpy(&mem_[a], t.get_data_ptr(), n);
  t.set_response_status(tlm::TLM_OK_RESPONSE);
  return (unsigned int)n;
}

// ---- address decoder -----------------------------------------------------------------------------

VpBus::VpBus(sc_core::sc_module_name name) : sc_module(name), in("in"), out("out") {
  in.register_b_transport(this, &VpBus::b_transport);
  in.register_transport_dbg(this, &VpBus::transport_dbg);
}

int VpBus::decode(tlm::tlm_generic_payload &t) const {
  const uint64_t a = t.get_address(), n = t.get_data_length();
  for (size_t i = 0; i < regions_.size(); i++) {
    const Region &r = regions_[i];
    if (a >= r.base && a - r.base < r.size && n <= r.size - (a - r.base)) return (int)i;
  }
  return -1;
}

void VpBus::b_transport(int, tlm::tlm_generic_payload &t, sc_time &delay) {
  const int i = decode(t);
  if (i < 0) {
    t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const uint64_t a = t.get_address();
  t.set_address(a - regions_[i].base);
  out[i]->b_transport(t, delay);
  t.set_address(a);
}

unsigned int VpBus::transport_dbg(int, tlm::tlm_generic_payload &t) {
  const int i = decode(t);
  if (i < 0) return 0;
  const uint64_t a = t.get_address();
  t.set_address(a - regions_[i].base);
  const unsigned int n = out[i]->transport_dbg(t);
  t.set_address(a);
  return n;
}

// ---- platform ------------------------------------------------------------------------------------

VpPlatform::VpPlatform(sc_core::sc_module_name name, const VpOptions &o)
    : sc_module(name), host("host"), mem("mem", o.mem_bytes, o.mem_latency), bus("bus"), opt_(o) {
  host.bind(bus.in);
  bus.out.bind(mem.socket);
  bus.map(0, o.mem_bytes);
  for (unsigned i = 0; i < o.dlps; i++) {
    std::string n = "dlp" + std::to_string(i);
    dlp.emplace_back(new DlpTlm(n.c_str(), o.cfg, o.quantum));
    irq.emplace_back(new sc_core::sc_signal<bool>((n + "_irq").c_str()));
    dlp[i]->irq.bind(*irq[i]);
    dlp[i]->dram.bind(mem.socket);
    bus.out.bind(dlp[i]->csr);
    bus.map(kCsrBase + i * kCsrPage, kCsrPage);
  }
  mem.expect_bursts(dlp.empty() ? 0 : dlp[0]->config().beat_bytes,
                    dlp.empty() ? 0 : dlp[0]->config().burst_beats);
}

tlm::tlm_response_status VpAccess(VpPlatform *p, bool in_thread, tlm::tlm_command cmd,
                                  uint64_t addr, uint8_t *data, unsigned len,
                                  const uint8_t *byte_enables, unsigned be_len) {
  tlm::tlm_generic_payload t;
  sc_time delay = SC_ZERO_TIME;
  t.set_command(cmd);
  t.set_address(addr);
  t.set_data_ptr(data);
  t.set_data_length(len);
  t.set_streaming_width(len);
  t.set_byte_enable_ptr(const_cast<uint8_t *>(byte_enables));
  t.set_byte_enable_length(be_len);
  t.set_dmi_allowed(false);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  p->host->b_transport(t, delay);
  if (in_thread) sc_core::wait(delay);
  else if (delay > SC_ZERO_TIME) sc_core::sc_start(delay);
  return t.get_response_status();
}

// ---- the libdlp back end ---------------------------------------------------------------------------

namespace {

void Msg(char *msg, size_t len, const std::string &s) {
  if (msg && len) std::snprintf(msg, len, "%s", s.c_str());
}

uint64_t NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int Csr(VpHost *h, tlm::tlm_command cmd, uint32_t off, uint32_t *v, char *msg, size_t len) {
  uint8_t b[4];
  std::memcpy(b, v, 4);
  tlm::tlm_response_status s =
      VpAccess(h->p, h->in_thread, cmd, kCsrBase + h->index * kCsrPage + off, b, 4);
  if (s != tlm::TLM_OK_RESPONSE) {
    char m[96];
    std::snprintf(m, sizeof m, "register 0x%03x of dlp%u: TLM response %d", off, h->index, (int)s);
    Msg(msg, len, m);
    return -1;
  }
  std::memcpy(v, b, 4);
  return 0;
}

int OpCsrRead(void *ctx, uint32_t off, uint32_t *val, char *msg, size_t len) {
  *val = 0;
  return Csr(static_cast<VpHost *>(ctx), tlm::TLM_READ_COMMAND, off, val, msg, len);
}
int OpCsrWrite(void *ctx, uint32_t off, uint32_t val, char *msg, size_t len) {
  return Csr(static_cast<VpHost *>(ctx), tlm::TLM_WRITE_COMMAND, off, &val, msg, len);
}

int Dbg(VpHost *h, tlm::tlm_command cmd, uint64_t addr, void *p, size_t n, char *msg,
        size_t len) {
  tlm::tlm_generic_payload t;
  t.set_command(cmd);
  t.set_address(addr);
  t.set_data_ptr(static_cast<uint8_t *>(p));
  t.set_data_length((unsigned)n);
  if (n > 0xffffffffu || h->p->host->transport_dbg(t) != n) {
    Msg(msg, len, "outside the platform's DRAM");
    return -1;
  }
  return 0;
}
int OpDramRead(void *ctx, uint64_t addr, void *dst, size_t n, char *msg, size_t len) {
  return Dbg(static_cast<VpHost *>(ctx), tlm::TLM_READ_COMMAND, addr, dst, n, msg, len);
}
int OpDramWrite(void *ctx, uint64_t addr, const void *src, size_t n, char *msg, size_t len) {
  return Dbg(static_cast<VpHost *>(ctx), tlm::TLM_WRITE_COMMAND, addr, const_cast<void *>(src),
             n, msg, len);
}

// Until the interrupt line is high, or the DLP is idle (nothing left to wait for), or max_ms of
// wall time have passed (0: no limit). A run executes in the DLP's thread; from outside the
// simulation, time passes in slices of sc_start.
int OpWait(void *ctx, uint32_t max_ms, int *irq, char *, size_t) {
  VpHost *h = static_cast<VpHost *>(ctx);
  DlpTlm &d = *h->p->dlp[h->index];
  sc_core::sc_signal<bool> &line = *h->p->irq[h->index];
  const uint64_t t0 = NowMs();
  while (!line.read() && d.busy()) {
    if (h->in_thread)
      sc_core::wait(d.run_end_event() | line.value_changed_event());
    else
      sc_core::sc_start(1000 * d.period());
    if (max_ms && NowMs() - t0 >= max_ms) break;
  }
  if (h->in_thread) sc_core::wait(SC_ZERO_TIME);  // let the line's update settle
  else if (sc_core::sc_pending_activity_at_current_time()) sc_core::sc_start(SC_ZERO_TIME);
  *irq = line.read();
  return 0;
}

void OpNote(void *ctx, char *buf, size_t len) {
  VpHost *h = static_cast<VpHost *>(ctx);
  Msg(buf, len, h->p->dlp[h->index]->note());
}

void OpClose(void *) {}  // the platform outlives its devices

const dlpd_backend_ops_t kOps = {OpCsrRead, OpCsrWrite, OpDramRead, OpDramWrite,
                                 OpWait,    OpClose,    OpNote};

}  // namespace

void VpHost::backend(dlpd_backend_t *be, uint64_t mem_base, uint64_t mem_bytes) {
  be->name = "systemc";
  be->ops = &kOps;
  be->ctx = this;
  be->mem_base = mem_base;
  be->mem_bytes = mem_bytes;
}
