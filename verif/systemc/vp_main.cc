// SPDX-License-Identifier: Apache-2.0
// dlp_vp: the example virtual platform (vp.h) as a test program. Its host thread drives the
// DLPs through libdlp; every run is repeated on the C model alone (cmodel/, DRAM inside) and
// the two must agree on every bit of DRAM, every counter and the error registers.
//
//   dlp_vp csr [OPTIONS]                 every register of docs/csr.md through the TLM socket:
//                                        reset values, writes, strobes, W1C, the interrupt,
//                                        TLM error responses to unmapped offsets and bad sizes
//   dlp_vp prog [OPTIONS] PROG.dlpb      one program (dlpsim's --load/--dump/--prog-addr/
//                                        --window, --cycle-limit N, --expect CAUSE[:PC[:INFO]],
//                                        --no-model: no C-model comparison)
//   dlp_vp net [OPTIONS] NET.dlpn [NET2.dlpn]   networks layer by layer on random inputs; two
//                                        packages run at once on two DLPs sharing the memory
// OPTIONS: --config PRESET, --set KEY=VALUE (the core, its clock clock_mhz included; nets: the
// package's shape), --quantum-ns N (default 10000; 0: sync at every transaction),
// --latency-ns N (memory latency per transaction, default 0), --mem-mib N (default 64),
// --seed N (net inputs).
// Prints "PASS: ..." / "FAIL: ..." lines; exit status 0 when nothing failed.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "dlp_prog.h"
#include "vp.h"

using sc_core::sc_time;

namespace {

struct Args {
  std::string mode;
  std::vector<std::string> files;
  dlp_config_t cfg;
  double quantum_ns = 10000, latency_ns = 0;
  uint64_t mem_mib = 64, seed = 1;
  // prog
  struct Load {
    std::string path;
    uint64_t addr;
  };
  struct Dump {
    uint64_t addr, len;
    std::string path;
  };
  std::vector<Load> loads;
  std::vector<Dump> dumps;
  uint64_t prog_addr = 0, win_base = 0, win_limit = 0, cycle_limit = 0;
  bool have_window = false, model = true;
  std::string expect;
};

Args g;
int g_fail = 0;

void Result(bool ok, const std::string &what) {
  std::printf("%s: %s\n", ok ? "PASS" : "FAIL", what.c_str());
  if (!ok) {
    std::fprintf(stderr, "dlp_vp: error: %s\n", what.c_str());
    g_fail++;
  }
}

[[noreturn]] void Usage(const char *why) {
  std::fprintf(stderr, "dlp_vp: %s\nusage: dlp_vp csr|prog|net [options] [files] (see verif/systemc/vp_main.cc)\n", why);
  std::exit(2);
}

bool ParseU64(const char *s, uint64_t *v) {
  char *end;
  if (!s || !*s || *s == '-') return false;
  *v = std::strtoull(s, &end, 0);
  return !*end;
}

std::string Hex(uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%" PRIx64, v);
  return b;
}

VpPlatform *g_p;

// ---- csr: the register page through TLM -----------------------------------------------------------

tlm::tlm_response_status Rd(unsigned off, uint32_t *v, unsigned len = 4, const uint8_t *be = nullptr,
                            unsigned be_len = 0) {
  uint8_t b[8] = {0};
  tlm::tlm_response_status s =
      VpAccess(g_p, true, tlm::TLM_READ_COMMAND, kCsrBase + off, b, len, be, be_len);
  std::memcpy(v, b, 4);
  return s;
}
tlm::tlm_response_status Wr(unsigned off, uint32_t v, unsigned len = 4, const uint8_t *be = nullptr,
                            unsigned be_len = 0) {
  uint8_t b[8] = {0};
  std::memcpy(b, &v, 4);
  return VpAccess(g_p, true, tlm::TLM_WRITE_COMMAND, kCsrBase + off, b, len, be, be_len);
}
uint32_t Get(unsigned off) {
  uint32_t v = 0;
  if (Rd(off, &v) != tlm::TLM_OK_RESPONSE) Result(false, "csr: read of " + Hex(off) + " failed");
  return v;
}
void Expect(const char *what, uint32_t got, uint32_t want) {
  Result(got == want, std::string("csr: ") + what + " reads " + Hex(got) + ", want " + Hex(want));
}

struct Reg {
  const char *name;
  unsigned off;
};
// Written here from docs/csr.md, independently of the generated header and of dlp_regs.
const Reg kRegs[] = {
    {"ID", 0x000},           {"VERSION", 0x004},     {"CAP0", 0x008},       {"CAP1", 0x00C},
    {"CAP2", 0x010},         {"CAP3", 0x014},        {"CTRL", 0x020},       {"STATUS", 0x024},
    {"ERR_CAUSE", 0x028},    {"ERR_PC", 0x02C},      {"ERR_INFO", 0x030},   {"IRQ_EN", 0x034},
    {"IRQ_STATUS", 0x038},   {"PROG_ADDR", 0x040},   {"PROG_LEN", 0x044},   {"WIN_BASE", 0x048},
    {"WIN_LIMIT", 0x04C},    {"CYCLE_LIMIT_LO", 0x050}, {"CYCLE_LIMIT_HI", 0x054},
    {"CYCLES_LO", 0x080},    {"CYCLES_HI", 0x084},   {"BUSY_DMA_LO", 0x088}, {"BUSY_DMA_HI", 0x08C},
    {"BUSY_MFU_LO", 0x090},  {"BUSY_MFU_HI", 0x094}, {"BUSY_VFU_LO", 0x098}, {"BUSY_VFU_HI", 0x09C},
    {"DRAM_RD_LO", 0x0A0},   {"DRAM_RD_HI", 0x0A4},  {"DRAM_WR_LO", 0x0A8}, {"DRAM_WR_HI", 0x0AC},
    {"MACS_LO", 0x0B0},      {"MACS_HI", 0x0B4},     {"INSNS_LO", 0x0B8},   {"INSNS_HI", 0x0BC},
};

void CsrTests() {
  const dlp_config_t &c = g_p->dlp[0]->config();
  // the generated map and this list agree
  for (const Reg &r : kRegs) Result(dlp_regs_mapped(r.off), std::string("csr: ") + r.name + " is mapped");
  // reset values
  const uint32_t cap[4] = {c.rows | c.cols << 8 | c.vlanes << 16 | c.beat_bytes << 24,
                           (c.nram_bytes / 1024) | (c.wram_bytes / 1024) << 16,
                           (c.acc_bytes / 1024) | c.imem_insns << 16,
                           c.queue_depth | c.loop_depth << 8 | c.token_max << 16 |
                               (c.burst_beats & 0xff) << 24};
  for (const Reg &r : kRegs) {
    uint32_t want = 0;
    if (r.off == 0x000) want = 0x504C444F;
    if (r.off == 0x004) want = DLP_ISA_VERSION | 1u << 16;
    if (r.off >= 0x008 && r.off <= 0x014) want = cap[(r.off - 8) / 4];
    Expect((std::string(r.name) + " after reset").c_str(), Get(r.off), want);
  }
  // every other offset of the page, and bad shapes, get TLM error responses
  unsigned unmapped = 0, wrong = 0;
  for (unsigned off = 0; off < 0x1000; off += 4) {
    bool mapped = false;
    for (const Reg &r : kRegs) mapped |= r.off == off;
    if (mapped) continue;
    uint32_t v;
    unmapped++;
    if (Rd(off, &v) != tlm::TLM_ADDRESS_ERROR_RESPONSE ||
        Wr(off, 0xffffffffu) != tlm::TLM_ADDRESS_ERROR_RESPONSE)
      wrong++;
  }
  Result(wrong == 0, "csr: " + std::to_string(unmapped) + " unmapped offsets answered with "
                     "TLM_ADDRESS_ERROR_RESPONSE (" + std::to_string(wrong) + " were not)");
  for (unsigned len : {1u, 2u, 8u}) {
    uint32_t v;
    Result(Rd(0x040, &v, len) == tlm::TLM_BURST_ERROR_RESPONSE &&
               Wr(0x040, 1, len) == tlm::TLM_BURST_ERROR_RESPONSE,
           "csr: a " + std::to_string(len) + "-byte access gets TLM_BURST_ERROR_RESPONSE");
  }
  {
    uint32_t v;
    Result(Rd(0x042, &v) == tlm::TLM_ADDRESS_ERROR_RESPONSE,
           "csr: a misaligned access gets TLM_ADDRESS_ERROR_RESPONSE");
    const uint8_t be[4] = {0xff, 0, 0xff, 0};
    Result(Rd(0x040, &v, 4, be, 4) == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE,
           "csr: a read with byte enables off gets TLM_BYTE_ENABLE_ERROR_RESPONSE");
    Result(VpAccess(g_p, true, tlm::TLM_READ_COMMAND, kCsrBase + kCsrPage * g_p->dlp.size(), (uint8_t *)&v, 4) ==
               tlm::TLM_ADDRESS_ERROR_RESPONSE,
           "csr: the bus answers an address with no target with TLM_ADDRESS_ERROR_RESPONSE");
  }
  // read/write registers: all bits, then byte strobes
  for (unsigned off : {0x040u, 0x044u, 0x048u, 0x04Cu, 0x050u, 0x054u}) {
    Wr(off, 0xA5C3F00Fu ^ off);
    Expect(("write/read " + Hex(off)).c_str(), Get(off), 0xA5C3F00Fu ^ off);
    const uint8_t be[4] = {0xff, 0, 0xff, 0};
    Wr(off, 0x11223344u, 4, be, 4);
    Expect(("strobed write " + Hex(off)).c_str(), Get(off), ((0xA5C3F00Fu ^ off) & 0xff00ff00u) | 0x00220044u);
  }
  // read-only registers ignore writes
  for (unsigned off : {0x000u, 0x004u, 0x008u, 0x024u, 0x028u, 0x02Cu, 0x030u, 0x080u, 0x0B8u}) {
    uint32_t before = Get(off);
    Wr(off, ~before);
    Expect(("read-only " + Hex(off) + " after a write").c_str(), Get(off), before);
  }
  Wr(0x034, 0xffffffffu);
  Expect("IRQ_EN after writing all ones", Get(0x034), 3);
  Wr(0x034, 0);

  // a run: an all-zero program is an illegal opcode at instruction 0 (ERR_INFO its low word, 0)
  std::memset(g_p->mem.data() + 0x1000, 0, 64);
  Wr(0x040, 0x1000);
  Wr(0x044, 4);
  Wr(0x048, 0);
  Wr(0x04C, 0);  // 2^32
  Wr(0x050, 0);
  Wr(0x054, 0);
  Wr(0x034, 2);  // IRQ_EN.error
  Wr(0x020, 1);  // CTRL.start
  Expect("STATUS right after start", Get(0x024) & 1, 1);
  Wr(0x040, 0x2000);  // frozen while busy
  Expect("PROG_ADDR written while busy", Get(0x040), 0x1000);
  sc_core::wait(g_p->dlp[0]->run_end_event());
  sc_core::wait(sc_core::SC_ZERO_TIME);
  Result(g_p->irq[0]->read(), "csr: the interrupt line is high after an error run with IRQ_EN.error");
  Expect("STATUS after the run", Get(0x024), 4);
  Expect("ERR_CAUSE", Get(0x028), DLP_CAUSE_ILLEGAL_OPCODE);
  Expect("ERR_PC", Get(0x02C), 0);
  Expect("ERR_INFO", Get(0x030), 0);
  Expect("IRQ_STATUS", Get(0x038), 2);
  // the C model alone on the same program
  dlp_config_t mc = c;
  mc.dram_bytes = 1u << 20;
  char msg[256];
  dlp_t *m = dlp_create(&mc, msg, sizeof msg);
  dlp_result_t r;
  dlp_run(m, 0x1000, 4, &r);
  dlp_destroy(m);
  const uint64_t want[8] = {r.counters.cycles,        r.counters.busy_dma,      r.counters.busy_mfu,
                            r.counters.busy_vfu,      r.counters.dram_rd_bytes, r.counters.dram_wr_bytes,
                            r.counters.macs,          r.counters.insns};
  for (unsigned k = 0; k < 8; k++) {
    uint32_t lo = Get(0x080 + 8 * k), hi = Get(0x084 + 8 * k);
    Expect((std::string(kRegs[19 + 2 * k].name) + "/_HI (C model: " + std::to_string(want[k]) + ")").c_str(),
           (uint32_t)((uint64_t)hi << 32 | lo) == want[k] ? 1 : 0, 1);
  }
  Result(g_p->dlp[0]->run_time() == (double)r.counters.cycles * g_p->dlp[0]->period(),
         "csr: the run took CYCLES clock periods of SystemC time (" + g_p->dlp[0]->run_time().to_string() + ")");
  Wr(0x038, 2);  // W1C
  sc_core::wait(sc_core::SC_ZERO_TIME);
  Expect("IRQ_STATUS after writing 1", Get(0x038), 0);
  Result(!g_p->irq[0]->read(), "csr: the interrupt line drops when IRQ_STATUS is cleared");
  // CTRL.start with strobe 0 off does nothing
  const uint8_t be_hi[4] = {0, 0xff, 0xff, 0xff};
  Wr(0x020, 1, 4, be_hi, 4);
  Expect("STATUS after CTRL.start without byte 0", Get(0x024), 4);
}

// ---- prog: one program on the platform and on the C model ---------------------------------------

bool ReadFile(const std::string &path, std::vector<uint8_t> *out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

int CauseByName(const std::string &n) {
  for (int c = 0; c < 16; c++)
    if (n == dlp_cause_name(c)) return c;
  return -1;
}

void ProgTest() {
  const std::string label = "prog/" + g.files[0];
  dlp_prog_t prog;
  char msg[512];
  if (dlp_prog_read_file(g.files[0].c_str(), &prog, msg, sizeof msg)) Usage(msg);
  VpPlatform &p = *g_p;
  const uint64_t mem = p.mem.size();
  std::vector<std::vector<uint8_t>> data;
  for (const Args::Load &l : g.loads) {
    data.emplace_back();
    if (!ReadFile(l.path, &data.back()) || l.addr > mem || data.back().size() > mem - l.addr)
      Usage(("cannot load " + l.path).c_str());
  }
  if (g.prog_addr > mem || (uint64_t)prog.n_insns * 16 > mem - g.prog_addr) Usage("program outside memory");
  // the platform's memory, as a loader would fill it
  std::memcpy(p.mem.data() + g.prog_addr, prog.words, (size_t)prog.n_insns * 16);
  for (size_t i = 0; i < g.loads.size(); i++)
    std::memcpy(p.mem.data() + g.loads[i].addr, data[i].data(), data[i].size());

  VpHost host{&p, 0, true};
  dlpd_backend_t be;
  host.backend(&be, 0, mem);
  dlpd_dev_t *dev;
  if (dlpd_open_backend(&be, &dev, msg, sizeof msg) != DLPD_OK) {
    Result(false, label + ": open: " + msg);
    return;
  }
  if (g.have_window) dlpd_set_window(dev, g.win_base, g.win_limit);
  dlpd_set_cycle_limit(dev, g.cycle_limit);
  dlpd_prog_t dp = {g.prog_addr, prog.n_insns};
  dlpd_result_t res;
  dlpd_err_t e = dlpd_run(dev, &dp, 0, &res);
  if (e != DLPD_OK && e != DLPD_E_RUN) {
    Result(false, label + ": " + dlpd_last_error(dev));
    dlpd_close(dev);
    return;
  }
  dlpd_close(dev);
  std::printf("status        %s\ncycles        %" PRIu64 "\nmacs          %" PRIu64 "\n",
              res.halted ? "halted" : "error", res.counters.cycles, res.counters.macs);
  if (!res.halted) std::printf("error         %s\n", res.message);
  // the interrupt: the driver waits for it (IRQ_EN = done|error)
  Result(res.irq_status == (res.halted ? 1u : 2u),
         label + ": IRQ_STATUS " + Hex(res.irq_status) + " raised the interrupt");
  Result(p.dlp[0]->run_time() == (double)res.counters.cycles * p.dlp[0]->period(),
         label + ": SystemC time of the run is CYCLES periods");
  Result(p.mem.violations().empty(),
         label + ": every DRAM transaction has the AXI4 master's burst shape" +
             (p.mem.violations().empty() ? "" : ": " + p.mem.violations()[0]));
  if (!g.expect.empty()) {
    char name[32] = "";
    long long pc = -1, info = -1;
    std::sscanf(g.expect.c_str(), "%31[^:]:%lli:%lli", name, &pc, &info);
    int cause = std::strcmp(name, "halt") ? CauseByName(name) : 0;
    if (cause < 0) Usage(("unknown cause " + g.expect).c_str());
    bool ok = res.cause == cause && (pc < 0 || res.err_pc == (uint32_t)pc) &&
              (info < 0 || res.err_info == (uint32_t)info);
    Result(ok, label + ": ended with " + dlp_cause_name(res.cause) + " pc=" +
                   std::to_string(res.err_pc) + " info=" + Hex(res.err_info) + ", expected " + g.expect);
  }
  if (g.model) {
    dlp_config_t mc = p.dlp[0]->config();
    mc.dram_bytes = mem;
    mc.max_cycles = g.cycle_limit;
    dlp_t *m = dlp_create(&mc, msg, sizeof msg);
    if (!m) Usage(msg);
    dlp_dram_write(m, g.prog_addr, prog.words, (size_t)prog.n_insns * 16);
    for (size_t i = 0; i < g.loads.size(); i++)
      dlp_dram_write(m, g.loads[i].addr, data[i].data(), data[i].size());
    if (g.have_window) dlp_set_window(m, g.win_base, g.win_limit ? g.win_limit : 1ull << 32);
    dlp_result_t r;
    dlp_run(m, g.prog_addr, prog.n_insns, &r);
    const dlp_counters_t &c = r.counters;
    const dlpd_counters_t &s = res.counters;
    std::string d;
    auto cmp = [&](const char *n, uint64_t a, uint64_t b) {
      if (a != b) d += std::string(" ") + n + " " + std::to_string(a) + " vs " + std::to_string(b);
    };
    cmp("cause", (uint64_t)res.cause, (uint64_t)r.cause);
    cmp("err_pc", res.err_pc, r.err_pc);
    cmp("err_info", res.err_info, r.err_info);
    cmp("cycles", s.cycles, c.cycles);
    cmp("busy_dma", s.busy_dma, c.busy_dma);
    cmp("busy_mfu", s.busy_mfu, c.busy_mfu);
    cmp("busy_vfu", s.busy_vfu, c.busy_vfu);
    cmp("dram_rd", s.dram_rd_bytes, c.dram_rd_bytes);
    cmp("dram_wr", s.dram_wr_bytes, c.dram_wr_bytes);
    cmp("macs", s.macs, c.macs);
    cmp("insns", s.insns, c.insns);
    Result(d.empty(), label + ": registers equal the C model's (cycles " + std::to_string(s.cycles) + ")" +
                          (d.empty() ? "" : ":" + d));
    uint64_t n = 0;
    const uint8_t *md = dlp_mem(m, DLP_MEM_DRAM, &n);
    uint64_t first = n;
    for (uint64_t i = 0; i < n && first == n; i++)
      if (md[i] != p.mem.data()[i]) first = i;
    Result(first == n, label + ": all " + std::to_string(n) + " DRAM bytes equal the C model's" +
                           (first == n ? "" : " (first difference at " + Hex(first) + ")"));
    dlp_destroy(m);
  }
  for (const Args::Dump &d : g.dumps) {
    FILE *f = std::fopen(d.path.c_str(), "wb");
    if (!f || d.addr > mem || d.len > mem - d.addr ||
        std::fwrite(p.mem.data() + d.addr, 1, d.len, f) != d.len) {
      Result(false, label + ": cannot write " + d.path);
    }
    if (f) std::fclose(f);
  }
  dlp_prog_free(&prog);
}

// ---- net: packages layer by layer on the platform and on the C model -----------------------------

void NetConfig(const dlp_net_t &n, dlp_config_t *c) {
  c->rows = n.cfg.rows;
  c->cols = n.cfg.cols;
  c->vlanes = n.cfg.vlanes;
  c->nram_bytes = n.cfg.nram_bytes;
  c->wram_bytes = n.cfg.wram_bytes;
  c->acc_bytes = n.cfg.acc_bytes;
  c->imem_insns = n.cfg.imem_insns;
  c->beat_bytes = n.cfg.beat_bytes;
}

void NetTest(unsigned i, const dlp_net_t *net, const std::string &label) {
  VpPlatform &p = *g_p;
  const uint64_t part = p.mem.size() / p.dlp.size();
  VpHost host{&p, i, true};
  dlpd_backend_t be;
  host.backend(&be, i * part, part);
  dlpd_dev_t *sd = nullptr, *cd = nullptr;
  char msg[512];
  const dlp_config_t &c = p.dlp[i]->config();
  char spec[400];
  std::snprintf(spec, sizeof spec,
                "cmodel:rows=%u,cols=%u,vlanes=%u,nram_bytes=%u,wram_bytes=%u,acc_bytes=%u,"
                "imem_insns=%u,beat_bytes=%u,burst_beats=%u,max_outstanding=%u,dram_latency=%u,"
                "queue_depth=%u,loop_depth=%u,token_max=%u,dram_mib=%" PRIu64,
                c.rows, c.cols, c.vlanes, c.nram_bytes, c.wram_bytes, c.acc_bytes, c.imem_insns,
                c.beat_bytes, c.burst_beats, c.max_outstanding, c.dram_latency, c.queue_depth,
                c.loop_depth, c.token_max, p.mem.size() >> 20);
  if (dlpd_open_backend(&be, &sd, msg, sizeof msg) != DLPD_OK ||
      dlpd_open(spec, &cd, msg, sizeof msg) != DLPD_OK) {
    Result(false, label + ": open: " + msg);
    return;
  }
  if (dlpd_net_load(sd, net) != DLPD_OK || dlpd_net_load(cd, net) != DLPD_OK) {
    Result(false, label + ": load: " + dlpd_last_error(sd) + " / " + dlpd_last_error(cd));
    return;
  }
  uint64_t rs = g.seed * 0x9E3779B97F4A7C15ull + i;
  for (uint32_t t = 0; t < net->hdr.n_tensors; t++) {
    if (net->tensors[t].role != DLP_NET_INPUT) continue;
    std::vector<int8_t> in(dlpd_tensor_elems(&net->tensors[t]));
    for (int8_t &x : in) {
      rs ^= rs << 13, rs ^= rs >> 7, rs ^= rs << 17;
      x = (int8_t)(rs >> 24);
    }
    dlpd_tensor_write(sd, net, t, in.data(), in.size());
    dlpd_tensor_write(cd, net, t, in.data(), in.size());
  }
  uint64_t cycles = 0;
  unsigned bad = 0;
  for (uint32_t l = 0; l < net->hdr.n_layers; l++) {
    dlpd_result_t a, b;
    dlpd_err_t ea = dlpd_net_run_layer(sd, net, l, 0, &a), eb = dlpd_net_run_layer(cd, net, l, 0, &b);
    std::string d;
    if (ea != DLPD_OK || eb != DLPD_OK) d = std::string(" run: ") + dlpd_last_error(sd) + " / " + dlpd_last_error(cd);
    if (std::memcmp(&a.counters, &b.counters, sizeof a.counters))
      d += " counters differ (cycles " + std::to_string(a.counters.cycles) + " vs " +
           std::to_string(b.counters.cycles) + ")";
    const dlp_net_tensor_t &o = net->tensors[net->layers[l].output];
    std::vector<int8_t> x(dlpd_tensor_elems(&o)), y(x.size());
    dlpd_tensor_read(sd, net, net->layers[l].output, x.data(), x.size());
    dlpd_tensor_read(cd, net, net->layers[l].output, y.data(), y.size());
    if (x != y) d += " output tensor differs";
    if (!d.empty()) {
      bad++;
      Result(false, label + ": layer " + std::to_string(l) + " (" + dlp_net_str(net, net->layers[l].name) + "):" + d);
    }
    cycles += a.counters.cycles;
  }
  std::vector<uint8_t> ra(net->hdr.dram_bytes), rb(net->hdr.dram_bytes);
  dlpd_read(sd, net->hdr.dram_base, ra.data(), ra.size());
  dlpd_read(cd, net->hdr.dram_base, rb.data(), rb.size());
  Result(bad == 0 && ra == rb,
         label + ": " + std::to_string(net->hdr.n_layers) + " layers, outputs, counters and the " +
             std::to_string(ra.size()) + "-byte DRAM region equal the C model's (" +
             std::to_string(cycles) + " cycles on dlp" + std::to_string(i) + ")");
  dlpd_close(sd);
  dlpd_close(cd);
}

std::vector<dlp_net_t> g_nets;

struct Host : sc_core::sc_module {
  unsigned index;
  Host(sc_core::sc_module_name n, unsigned i) : sc_module(n), index(i) {
    SC_HAS_PROCESS(Host);
    SC_THREAD(run);
    set_stack_size(DlpTlm::kStackBytes);  // libdlp and the C model run on it
  }
  void run() {
    if (g.mode == "csr") CsrTests();
    else if (g.mode == "prog") ProgTest();
    else NetTest(index, &g_nets[index], "net/" + g.files[index] + (g_nets.size() > 1 ? " (two DLPs at once)" : ""));
  }
};

void ParseArgs(int argc, char **argv) {
  char msg[256];
  dlp_config_default(&g.cfg);
  if (argc < 2) Usage("no mode");
  g.mode = argv[1];
  if (g.mode != "csr" && g.mode != "prog" && g.mode != "net") Usage("mode is csr, prog or net");
  for (int i = 2; i < argc; i++) {
    std::string a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : nullptr;
    uint64_t u;
    auto need = [&]() {
      if (!v) Usage(("missing value for " + a).c_str());
      i++;
      return std::string(v);
    };
    if (a == "--config") {
      if (dlp_config_preset(&g.cfg, need().c_str())) Usage("unknown --config");
    } else if (a == "--set") {
      std::string kv = need();
      size_t eq = kv.find('=');
      if (eq == std::string::npos ||
          dlp_config_set(&g.cfg, kv.substr(0, eq).c_str(), kv.c_str() + eq + 1, msg, sizeof msg))
        Usage(("--set " + kv).c_str());
    } else if (a == "--quantum-ns") {
      g.quantum_ns = std::atof(need().c_str());
    } else if (a == "--latency-ns") {
      g.latency_ns = std::atof(need().c_str());
    } else if (a == "--mem-mib") {
      if (!ParseU64(need().c_str(), &g.mem_mib) || !g.mem_mib || g.mem_mib > 4096) Usage("--mem-mib 1..4096");
    } else if (a == "--seed") {
      if (!ParseU64(need().c_str(), &g.seed)) Usage("--seed");
    } else if (a == "--load") {
      std::string s = need();
      size_t at = s.rfind('@');
      if (at == std::string::npos || !ParseU64(s.c_str() + at + 1, &u)) Usage("--load FILE@ADDR");
      g.loads.push_back({s.substr(0, at), u});
    } else if (a == "--dump") {
      std::string s = need();
      size_t c1 = s.find(':'), c2 = c1 == std::string::npos ? c1 : s.find(':', c1 + 1);
      uint64_t len;
      if (c2 == std::string::npos || !ParseU64(s.substr(0, c1).c_str(), &u) ||
          !ParseU64(s.substr(c1 + 1, c2 - c1 - 1).c_str(), &len))
        Usage("--dump ADDR:LEN:FILE");
      g.dumps.push_back({u, len, s.substr(c2 + 1)});
    } else if (a == "--prog-addr") {
      if (!ParseU64(need().c_str(), &g.prog_addr)) Usage("--prog-addr");
    } else if (a == "--window") {
      std::string s = need();
      size_t c = s.find(':');
      if (c == std::string::npos || !ParseU64(s.substr(0, c).c_str(), &g.win_base) ||
          !ParseU64(s.c_str() + c + 1, &g.win_limit))
        Usage("--window BASE:LIMIT");
      g.have_window = true;
    } else if (a == "--cycle-limit") {
      if (!ParseU64(need().c_str(), &g.cycle_limit)) Usage("--cycle-limit");
    } else if (a == "--expect") {
      g.expect = need();
    } else if (a == "--no-model") {
      g.model = false;
    } else if (a == "-q" || a == "--quiet") {
    } else if (!a.empty() && a[0] == '-') {
      Usage(("unknown option " + a).c_str());
    } else {
      g.files.push_back(a);
    }
  }
  if (g.mode == "prog" && g.files.size() != 1) Usage("prog wants one program");
  if (g.mode == "net" && (g.files.empty() || g.files.size() > 2)) Usage("net wants one or two packages");
}

}  // namespace

int sc_main(int argc, char **argv) {
  ParseArgs(argc, argv);
  VpOptions o;
  o.cfg = g.cfg;
  if (g.mode == "net") {
    for (const std::string &f : g.files) {
      char msg[256];
      g_nets.emplace_back();
      if (dlp_net_read_file(f.c_str(), &g_nets.back(), msg, sizeof msg)) Usage(msg);
    }
    NetConfig(g_nets[0], &o.cfg);  // the packages' shape (both: dlpd_net_load checks)
    o.dlps = (unsigned)g_nets.size();
  }
  o.mem_bytes = g.mem_mib << 20;
  o.quantum = sc_time(g.quantum_ns, sc_core::SC_NS);
  o.mem_latency = sc_time(g.latency_ns, sc_core::SC_NS);
  VpPlatform p("vp", o);
  g_p = &p;
  std::vector<std::unique_ptr<Host>> hosts;
  for (unsigned i = 0; i < o.dlps; i++)
    hosts.emplace_back(new Host(("host" + std::to_string(i)).c_str(), i));
  sc_core::sc_start();
  Result(p.mem.violations().empty(), "platform: no AXI burst-shape violations in " +
                                         std::to_string(p.mem.transactions()) + " DRAM transactions");
  for (dlp_net_t &n : g_nets) dlp_net_free(&n);
  return g_fail ? 1 : 0;
}
