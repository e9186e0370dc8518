// SPDX-License-Identifier: Apache-2.0
// OpenDLP RTL co-simulation: the Verilated dlp_top against the C golden model (make sim).
//
// One binary per array shape (the shape is fixed at Verilation: -G parameters, and -D here so
// that the C model runs with the same configuration). Every test runs the same program and
// memory image on the model and on the RTL:
//   - the model first, recording its retire stream (checker.h);
//   - then the RTL behind an AXI DRAM model (sw/axi/axi_dram.h), driven by a host that
//     only uses the CSRs over AXI4-Lite: program address/length, window, cycle limit, interrupt
//     enable, CTRL.start; completion by the interrupt line (or polling STATUS); results and
//     counters read back through the CSRs. Every retire of the RTL's trace port is checked in
//     lockstep; then the status, error cause/pc/info, the interrupt, the counters and the final
//     DRAM image are compared.
// Tests: directed programs (verif/common/progs/*.s), firmware cases (firmware/*/cases, data from
// their generators), constrained-random programs (randprog.h), the trained networks of sw/nets
// compiled for the shape (a run per layer, built with -DSIM_NETS and libdlpnet), and the same
// programs again under random DRAM stalls (results must not change; cycles are then not
// compared).
//
// Usage: sim_<shape> [options]   (see --help). Ends with "N passed, N failed".
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#ifndef SIM_NO_RTL
#include "Vdlp_top.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif
#else
#define VM_TRACE 0
#endif

#include "axi_dram.h"
#include "checker.h"
#include "dlp.h"
#include "dlp_asm.h"
#include "dlpw.h"
#include "host_axil.h"
#ifndef SIM_NO_RTL
#include "axi_pins.h"
#endif
#ifdef SIM_NETS
#include "dlp_net.h"
#include "dlp_prog.h"
#endif
#include "randprog.h"

// ---- the shape this binary was built for: verif/sim/sim.mk passes the configuration's values
// (CFG_<shape>_DFLAGS of the generated rtl/dlp_configs.mk) as Verilator passes them to the core
#if !defined(SHAPE_NAME) || !defined(SHAPE_PRESET) || !defined(SHAPE_CONFIG) || !defined(P_ROWS) || \
    !defined(P_COLS) || !defined(P_VLANES) || !defined(P_BEAT) || !defined(P_BURST) ||            \
    !defined(P_NRAM) || !defined(P_WRAM) || !defined(P_ACC) || !defined(P_IMEM) ||               \
    !defined(P_DRAM_LAT)
#error "the shape's values are missing: build through make sim (verif/sim/sim.mk)"
#endif
// the parameters every configuration leaves at their defaults (sw/isa/dlp.configs)
#define P_OUTS DLP_DEFAULT_MAX_OUTSTANDING
#define P_QDEPTH DLP_DEFAULT_QUEUE_DEPTH
#define P_LDEPTH DLP_DEFAULT_LOOP_DEPTH
#define P_TOKMAX DLP_DEFAULT_TOKEN_MAX

// gtkw.cc: the GTKWave save file of a test's waveform, written when the process exits
void WriteGtkw(const std::string &fst);

namespace {

using dlpv::Checker;
using dlpv::ExpectedRun;

constexpr uint64_t kDramBytes = 16ull << 20;
constexpr unsigned kLatency = P_DRAM_LAT;  // the DRAM latency of the exact mode and of the model

// ---- small helpers ------------------------------------------------------------------------------

#ifndef SIM_NO_RTL
template <typename T>
uint8_t *Bytes(T &v) {
  return reinterpret_cast<uint8_t *>(&v);
}
template <std::size_t N>
uint8_t *Bytes(VlWide<N> &v) {
  return reinterpret_cast<uint8_t *>(v.data());
}
#endif

std::string Fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
std::string Fmt(const char *fmt, ...) {
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

bool ReadFile(const std::string &path, std::vector<uint8_t> *out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

uint64_t SplitMix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t HashStr(const std::string &s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) h = (h ^ (uint8_t)c) * 1099511628211ull;
  return h;
}

dlp_config_t ShapeConfig() {
  dlp_config_t c;
  dlp_config_preset(&c, SHAPE_PRESET);
  c.rows = P_ROWS;
  c.cols = P_COLS;
  c.vlanes = P_VLANES;
  c.beat_bytes = P_BEAT;
  c.burst_beats = P_BURST;
  c.max_outstanding = P_OUTS;
  c.nram_bytes = P_NRAM;
  c.wram_bytes = P_WRAM;
  c.acc_bytes = P_ACC;
  c.imem_insns = P_IMEM;
  c.queue_depth = P_QDEPTH;
  c.loop_depth = P_LDEPTH;
  c.token_max = P_TOKMAX;
  c.dram_bytes = kDramBytes;
  c.dram_latency = kLatency;
  c.max_cycles = 0;
  return c;
}

// ---- tests --------------------------------------------------------------------------------------

struct Region {
  uint64_t addr;
  std::vector<uint8_t> data;
};

struct RefCheck {  // firmware: DRAM bytes that must equal an independent reference
  uint64_t addr;
  std::vector<uint8_t> want;
  std::string file;
};

struct TestSpec {
  std::string name, source;
  std::vector<uint32_t> words;
  uint32_t prog_len = 0;
  uint64_t prog_addr = 0;
  bool prog_loaded = false;  // the program is already in DRAM (a network layer: in the image)
  std::vector<Region> init;
  uint64_t win_base = 0, win_limit = kDramBytes;
  uint64_t cycle_limit = 0;  // 0: the harness's default
  bool poll = false;         // completion by polling STATUS instead of the interrupt
  bool stall_ok = true;      // results independent of DRAM timing (not a TIMEOUT test)
  bool has_expect = false;   // the test file states its outcome
  int exp_cause = 0;
  int64_t exp_pc = -1, exp_info = -1;
  std::vector<RefCheck> checks;
  mutable uint64_t model_cycles = 0;  // known after the exact run
  unsigned latency = kLatency;        // exact-mode DRAM latency (model and DRAM model)
  uint64_t bus_err_burst = 0;         // the DRAM answers this burst with an error (buserr/)
  uint8_t bus_err_resp = 2;           // 2 SLVERR, 3 DECERR
};

struct Options {
  std::vector<std::string> patterns;
  bool have_seed = false;
  uint64_t seed = 1;
  int n_random = 200;
  int n_fault = 0;              // fault programs (fault/N, verif/sim/fault_tests.h)
  int stall_random = 16;        // random programs also run under every stall seed
  int lat_random = 40;          // random programs also run in exact mode at another latency
  std::vector<uint64_t> stall_seeds;
  int n_stall_seeds = 3;
  bool list = false, verbose = false, model_only = false, strict_timing = false;
  std::string waves;
  std::string progs_dir = "verif/common/progs";
  std::string fw_build = "build/rel";
  std::string work = "build/rel/sim";
  bool no_fw = false;
  bool no_nets = false;
  int net_samples = -1;         // samples per network (-1: the kNets table)
  std::string nets_pkgs;        // DIR/<shape>/<net>.dlpn (default: <work>/nets)
  std::string nets_src = "sw/nets";
  uint64_t stall_max_cycles = 300000;  // longer programs are not repeated under stalls
  bool explicit_stall = false;
};

Options g_opt;
dlp_config_t g_cfg;
int g_fw_skipped = 0;

// ---- expressions in directives: numbers, shape constants, + - * ---------------------------------

bool ShapeConst(const std::string &n, int64_t *v) {
  struct {
    const char *n;
    int64_t v;
  } t[] = {{"ROWS", P_ROWS},     {"COLS", P_COLS},     {"VLANES", P_VLANES},
           {"BEAT", P_BEAT},     {"NRAM_BYTES", P_NRAM}, {"WRAM_BYTES", P_WRAM},
           {"ACC_ELEMS", P_ACC / 4}, {"IMEM", P_IMEM}, {"QDEPTH", P_QDEPTH},
           {"LDEPTH", P_LDEPTH}, {"TOKMAX", P_TOKMAX}, {"DRAM_BYTES", (int64_t)kDramBytes}};
  for (auto &e : t)
    if (n == e.n) {
      *v = e.v;
      return true;
    }
  return false;
}

bool EvalExpr(const std::string &s, int64_t *out) {
  int64_t acc = 0, term = 1;
  char op = '+';
  size_t i = 0;
  bool any = false;
  auto flush = [&](int64_t val) {
    if (op == '*') {
      term *= val;
    } else {
      acc += term;
      term = op == '-' ? -val : val;
    }
  };
  acc = 0;
  term = 0;
  while (i < s.size()) {
    if (isspace((unsigned char)s[i])) {
      i++;
      continue;
    }
    int64_t val;
    if (isdigit((unsigned char)s[i])) {
      char *end;
      val = (int64_t)strtoull(s.c_str() + i, &end, 0);
      i = (size_t)(end - s.c_str());
    } else if (isalpha((unsigned char)s[i]) || s[i] == '_') {
      size_t j = i;
      while (j < s.size() && (isalnum((unsigned char)s[j]) || s[j] == '_')) j++;
      if (!ShapeConst(s.substr(i, j - i), &val)) return false;
      i = j;
    } else if (s[i] == '-' && !any) {
      op = '-';
      i++;
      continue;
    } else {
      return false;
    }
    flush(val);
    any = true;
    while (i < s.size() && isspace((unsigned char)s[i])) i++;
    if (i < s.size()) {
      if (s[i] != '+' && s[i] != '-' && s[i] != '*') return false;
      op = s[i++];
    }
  }
  *out = acc + term;
  return any;
}

int CauseOf(const std::string &n) {
  for (int c = 0; c < DLP_CAUSE_COUNT; c++)
    if (n == dlp_cause_name(c)) return c;
  return -1;
}

// ---- directed tests: verif/common/progs/NAME.s ---------------------------------------------------

std::vector<const char *> AsmDefines(std::vector<std::string> *store) {
  const char *names[] = {"ROWS", "COLS", "VLANES", "BEAT", "NRAM_BYTES", "WRAM_BYTES",
                         "ACC_ELEMS", "IMEM", "QDEPTH", "LDEPTH", "TOKMAX"};
  store->clear();
  for (const char *n : names) {
    int64_t v = 0;
    ShapeConst(n, &v);
    store->push_back(Fmt("%s=%lld", n, (long long)v));
  }
  std::vector<const char *> p;
  for (auto &s : *store) p.push_back(s.c_str());
  return p;
}

bool Assemble(const std::string &path, const std::vector<std::string> &incdirs,
              std::vector<uint32_t> *words, std::string *err) {
  std::vector<std::string> defstore;
  std::vector<const char *> defs = AsmDefines(&defstore);
  std::vector<const char *> inc;
  for (auto &d : incdirs) inc.push_back(d.c_str());
  dlp_asm_options_t o{};
  o.include_dirs = inc.data();
  o.n_include_dirs = (int)inc.size();
  o.defines = defs.data();
  o.n_defines = (int)defs.size();
  dlp_asm_result_t r;
  int rc = dlp_asm_file(path.c_str(), &o, &r);
  if (rc) {
    *err = "assembly failed:";
    for (int i = 0; i < r.n_messages && i < 5; i++) *err += std::string("\n    ") + r.messages[i];
  } else {
    words->assign(r.words, r.words + 4 * (size_t)r.n_insns);
  }
  dlp_asm_result_free(&r);
  return rc == 0;
}

bool LoadDirected(const std::string &path, const std::string &name, TestSpec *t,
                  std::string *err) {
  t->name = name;
  t->source = path;
  if (!Assemble(path, {g_opt.progs_dir}, &t->words, err)) return false;
  t->prog_len = (uint32_t)(t->words.size() / 4);
  std::ifstream f(path);
  std::string line;
  int lineno = 0;
  uint64_t rs = HashStr(name);
  while (std::getline(f, line)) {
    lineno++;
    size_t at = line.find(";@");
    if (at == std::string::npos) continue;
    std::istringstream ss(line.substr(at + 2));
    std::string key;
    ss >> key;
    std::vector<std::string> a;
    for (std::string w; ss >> w;) a.push_back(w);
    auto num = [&](size_t i, int64_t *v) {
      if (i >= a.size() || !EvalExpr(a[i], v)) {
        *err = Fmt("%s:%d: bad or missing value in ';@ %s'", path.c_str(), lineno, key.c_str());
        return false;
      }
      return true;
    };
    int64_t v0 = 0, v1 = 0;
    if (key == "expect") {
      t->has_expect = true;
      if (a.empty()) {
        *err = Fmt("%s:%d: ';@ expect' needs halt or a cause", path.c_str(), lineno);
        return false;
      }
      t->exp_cause = a[0] == "halt" ? 0 : CauseOf(a[0]);
      if (t->exp_cause < 0) {
        *err = Fmt("%s:%d: unknown cause %s", path.c_str(), lineno, a[0].c_str());
        return false;
      }
      for (size_t i = 1; i < a.size(); i++) {
        size_t eq = a[i].find('=');
        int64_t v;
        if (eq == std::string::npos || !EvalExpr(a[i].substr(eq + 1), &v)) {
          *err = Fmt("%s:%d: bad '%s'", path.c_str(), lineno, a[i].c_str());
          return false;
        }
        if (a[i].compare(0, eq, "pc") == 0) t->exp_pc = v;
        else if (a[i].compare(0, eq, "info") == 0) t->exp_info = (int64_t)(uint32_t)v;
        else {
          *err = Fmt("%s:%d: unknown key in '%s'", path.c_str(), lineno, a[i].c_str());
          return false;
        }
      }
    } else if (key == "dram") {
      if (!num(0, &v0) || a.size() < 2) return false;
      Region r;
      r.addr = (uint64_t)v0;
      if (a[1] == "random" || a[1] == "fill") {
        if (!num(2, &v1)) return false;
        int64_t fillv = 0;
        if (a[1] == "fill" && !num(3, &fillv)) return false;
        for (int64_t i = 0; i < v1; i++)
          r.data.push_back(a[1] == "fill" ? (uint8_t)fillv : (uint8_t)SplitMix(&rs));
      } else if (a[1] == "bytes" || a[1] == "words") {
        for (size_t i = 2; i < a.size(); i++) {
          int64_t v;
          if (!num(i, &v)) return false;
          int n = a[1] == "bytes" ? 1 : 4;
          for (int k = 0; k < n; k++) r.data.push_back((uint8_t)(v >> (8 * k)));
        }
      } else {
        *err = Fmt("%s:%d: ';@ dram ADDR random|fill|bytes|words ...'", path.c_str(), lineno);
        return false;
      }
      t->init.push_back(std::move(r));
    } else if (key == "window") {
      if (!num(0, &v0) || !num(1, &v1)) return false;
      t->win_base = (uint64_t)v0;
      t->win_limit = (uint64_t)v1;
    } else if (key == "prog_addr") {
      if (!num(0, &v0)) return false;
      t->prog_addr = (uint64_t)v0;
    } else if (key == "prog_len") {
      if (!num(0, &v0)) return false;
      t->prog_len = (uint32_t)v0;
    } else if (key == "cycle_limit") {
      if (!num(0, &v0)) return false;
      t->cycle_limit = (uint64_t)v0;
    } else if (key == "poll") {
      t->poll = true;
    } else if (key == "nostall") {
      t->stall_ok = false;
    } else if (key == "pad") {
      // extra zero words after the program (fetch of a longer PROG_LEN)
      if (!num(0, &v0)) return false;
      t->words.resize(t->words.size() + 4 * (size_t)v0, 0);
    } else {
      *err = Fmt("%s:%d: unknown directive ';@ %s'", path.c_str(), lineno, key.c_str());
      return false;
    }
  }
  return true;
}

std::vector<std::string> ListDirected() {
  std::vector<std::string> v;
  DIR *d = opendir(g_opt.progs_dir.c_str());
  if (!d) return v;
  while (dirent *e = readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 2 && n.compare(n.size() - 2, 2, ".s") == 0 && n[0] != '_')
      v.push_back(n.substr(0, n.size() - 2));
  }
  closedir(d);
  std::sort(v.begin(), v.end());
  return v;
}

// ---- firmware tests: firmware/<prog>/cases -------------------------------------------------------

struct FwCase {
  std::string prog, name;
  std::vector<std::string> args;
};

std::vector<FwCase> ListFirmware() {
  std::vector<FwCase> v;
  if (g_opt.no_fw) return v;
  DIR *d = opendir("firmware");
  if (!d) return v;
  std::vector<std::string> progs;
  while (dirent *e = readdir(d)) {
    std::string n = e->d_name;
    struct stat st;
    if (n[0] != '.' && stat(("firmware/" + n + "/cases").c_str(), &st) == 0) progs.push_back(n);
  }
  closedir(d);
  std::sort(progs.begin(), progs.end());
  for (auto &p : progs) {
    std::ifstream f("firmware/" + p + "/cases");
    std::string line;
    while (std::getline(f, line)) {
      std::istringstream ss(line);
      std::string name, configs;
      if (!(ss >> name) || name[0] == '#' || !(ss >> configs)) continue;
      std::vector<std::string> args;
      for (std::string a; ss >> a;) args.push_back(a);
      // run the case if its configuration list names this shape without overrides
      std::stringstream cs(configs);
      bool found = false;
      for (std::string c; std::getline(cs, c, ',');) {
        bool match = c == SHAPE_CONFIG || (std::string(SHAPE_CONFIG) == "default" && c == "16x16");
        if (match) {
          v.push_back({p, name, args});
          found = true;
          break;
        }
      }
      if (!found) g_fw_skipped++;
    }
  }
  return v;
}

bool LoadFirmware(const FwCase &c, TestSpec *t, std::string *err) {
  t->name = "fw/" + c.prog + "/" + c.name;
  std::string dir = g_opt.work + "/" SHAPE_NAME "/fw/" + c.prog + "-" + c.name;
  std::string gen = g_opt.fw_build + "/fw/" + c.prog + "-gen";
  std::string cmd = "rm -rf '" + dir + "' && mkdir -p '" + dir + "' && '" + gen + "' '" + dir + "'";
  for (auto &a : c.args) cmd += " '" + a + "'";
  cmd += " >'" + dir + "/gen.log' 2>&1";
  if (system(cmd.c_str()) != 0) {
    *err = "data generator failed: " + cmd;
    return false;
  }
  std::string src = "firmware/" + c.prog + "/" + c.prog + ".s";
  t->source = src;
  if (!Assemble(src, {dir}, &t->words, err)) return false;
  t->prog_len = (uint32_t)(t->words.size() / 4);
  std::ifstream m(dir + "/manifest.txt");
  if (!m) {
    *err = "no manifest.txt from the generator in " + dir;
    return false;
  }
  std::string kind;
  while (m >> kind) {
    if (kind == "load") {
      std::string file, addr;
      m >> file >> addr;
      Region r;
      r.addr = strtoull(addr.c_str(), nullptr, 0);
      if (!ReadFile(dir + "/" + file, &r.data)) {
        *err = "cannot read " + dir + "/" + file;
        return false;
      }
      t->init.push_back(std::move(r));
    } else if (kind == "check") {
      std::string addr, len, file;
      m >> addr >> len >> file;
      RefCheck rc;
      rc.addr = strtoull(addr.c_str(), nullptr, 0);
      rc.file = file;
      if (!ReadFile(dir + "/" + file, &rc.want) ||
          rc.want.size() != strtoull(len.c_str(), nullptr, 0)) {
        *err = "cannot read " + dir + "/" + file + " (or its size is not " + len + ")";
        return false;
      }
      t->checks.push_back(std::move(rc));
    } else {
      std::string rest;
      std::getline(m, rest);
    }
  }
  t->has_expect = true;
  t->exp_cause = 0;
  return true;
}

// ---- random tests --------------------------------------------------------------------------------

bool LoadRandom(uint64_t seed, TestSpec *t, std::string *err) {
  dlp_randprog_t p;
  char msg[300];
  t->name = Fmt("rand/%" PRIu64, seed);
  if (dlp_randprog_generate(&g_cfg, seed, nullptr, &p, msg, sizeof msg)) {
    *err = msg;
    return false;
  }
  t->words.assign(p.words, p.words + 4 * (size_t)p.n_insns);
  t->prog_len = p.n_insns;
  t->prog_addr = p.prog_addr;
  t->win_base = p.win_base;
  t->win_limit = p.win_limit;
  for (uint32_t i = 0; i < p.n_init; i++) t->init.push_back({p.init[i].addr,
                                                            std::vector<uint8_t>(p.init[i].data,
                                                                                 p.init[i].data + p.init[i].len)});
  t->has_expect = true;
  t->exp_cause = 0;
  t->source = Fmt("randprog seed %" PRIu64 " (%u instructions, %u dynamic queued, "
                  "%u syncs added, %u tokens)",
                  seed, p.n_insns, p.dyn_queued, p.syncs_added, p.tokens_used);
  dlp_randprog_free(&p);
  return true;
}

// ---- network tests: sw/nets/<net> compiled for this shape ---------------------------------------
//
// net/<net>/<i>: sample i of the network's test set through the compiled package (.dlpn, built
// by sim.mk with dlpcc for this shape's configuration). Like libdlp (sw/driver/netrun.c), the
// host writes the package image and the input tensor (with its strides) into DRAM once, then
// starts each layer's program through the CSRs with the package's DMA window; every layer is a
// run of its own, checked retire by retire, with cycles, counters and the whole DRAM compared
// after it. At the end the output tensor must equal the int8 model's output for that sample
// (sw/nets/<net>/expected.dlpw, record `output`), an expectation computed without the compiler
// or either simulator.

struct NetDef {
  const char *name;
  const char *test_set;  // relative to the nets directory
  int samples;           // run by default (the first N: every class appears early)
};

const NetDef kNets[] = {{"adder4", "adder4/test.dlpw", 16},
                        {"mlp", "data/mnist-test.dlpw", 8},
                        {"lenet5", "data/mnist-test.dlpw", 8},
                        {"rescnn", "data/digits-test.dlpw", 8}};

#ifdef SIM_NETS
// One network: its package for this shape, its test set and expected outputs (loaded once).
struct NetSpec {
  std::string name, pkg_path, err;
  dlp_net_t net{};
  uint32_t in_t = 0, out_t = 0;  // input and output tensor indexes
  dlpv::Dlpw test, expected;
  const dlpv::DlpwRecord *input = nullptr, *label = nullptr, *output = nullptr, *pred = nullptr;
  uint32_t n_samples = 0;
  NetSpec() = default;
  NetSpec(const NetSpec &) = delete;
  NetSpec &operator=(const NetSpec &) = delete;
  ~NetSpec() { dlp_net_free(&net); }
};

// Where a tensor's bytes are: n_img images of n_row rows of `run` bytes, rows `row` bytes apart,
// images `img` bytes apart -- the layout rules of dlp_net.h as libdlp applies them.
struct TensorLayout {
  uint64_t n_img, n_row, run, row, img;
};

bool LayoutOf(const dlp_net_tensor_t &t, TensorLayout *L, std::string *err) {
  uint64_t elems = 1;
  for (uint32_t d = 0; d < t.ndims; d++) elems *= t.dims[d];
  if (t.ndims == 4) {
    L->n_img = t.dims[0];
    L->n_row = t.dims[1];
    L->run = (uint64_t)t.dims[2] * t.dims[3];
    L->row = t.row_stride ? t.row_stride : L->run;
    L->img = t.img_stride ? t.img_stride : L->n_row * L->row;
  } else {
    L->n_img = t.ndims == 1 ? 1 : t.dims[0];
    L->n_row = 1;
    L->run = elems / L->n_img;
    L->row = L->run;
    L->img = t.img_stride ? t.img_stride : L->run;
  }
  uint64_t extent = (L->n_img - 1) * L->img + (L->n_row - 1) * L->row + L->run;
  if ((t.ndims != 4 && t.row_stride) || L->row < L->run ||
      L->img < (L->n_row - 1) * L->row + L->run || extent > t.bytes) {
    *err = Fmt("strides (row %u, image %u) do not fit the tensor's %u bytes", t.row_stride,
               t.img_stride, t.bytes);
    return false;
  }
  return true;
}

uint64_t TensorElems(const dlp_net_tensor_t &t) {
  uint64_t n = 1;
  for (uint32_t d = 0; d < t.ndims; d++) n *= t.dims[d];
  return n;
}

// Dense tensor data -> DRAM regions (one per row unless the tensor is dense).
std::vector<Region> TensorRegions(const dlp_net_tensor_t &t, const int8_t *data) {
  TensorLayout L;
  std::string err;
  std::vector<Region> v;
  LayoutOf(t, &L, &err);  // checked when the package was loaded
  const uint8_t *p = reinterpret_cast<const uint8_t *>(data);
  for (uint64_t i = 0; i < L.n_img; i++)
    for (uint64_t r = 0; r < L.n_row; r++) {
      const uint8_t *src = p + (i * L.n_row + r) * L.run;
      v.push_back({t.addr + i * L.img + r * L.row, std::vector<uint8_t>(src, src + L.run)});
    }
  return v;
}

// A tensor read back from a DRAM image, dense.
std::vector<int8_t> TensorRead(const dlp_net_tensor_t &t, const uint8_t *dram) {
  TensorLayout L;
  std::string err;
  std::vector<int8_t> v;
  LayoutOf(t, &L, &err);
  for (uint64_t i = 0; i < L.n_img; i++)
    for (uint64_t r = 0; r < L.n_row; r++) {
      const uint8_t *src = dram + t.addr + i * L.img + r * L.row;
      v.insert(v.end(), src, src + L.run);
    }
  return v;
}

// Loads a network's package, test set and expected outputs and checks that they belong
// together and to this shape; ns->err says what is wrong otherwise.
void LoadNet(const NetDef &d, NetSpec *ns) {
  ns->name = d.name;
  ns->pkg_path = g_opt.nets_pkgs + "/" SHAPE_NAME "/" + d.name + ".dlpn";
  std::string src = g_opt.nets_src + "/";
  char msg[600];
  if (dlp_net_read_file(ns->pkg_path.c_str(), &ns->net, msg, sizeof msg)) {
    ns->err = std::string("package: ") + msg + " (sim.mk compiles it: make sim)";
    return;
  }
  const dlp_net_t &n = ns->net;
  const dlp_net_config_t &c = n.cfg;
  if (c.rows != P_ROWS || c.cols != P_COLS || c.vlanes != P_VLANES || c.nram_bytes != P_NRAM ||
      c.wram_bytes != P_WRAM || c.acc_bytes != P_ACC || c.beat_bytes != P_BEAT ||
      c.imem_insns > P_IMEM) {
    ns->err = Fmt("%s was compiled for %ux%u V%u NRAM %u WRAM %u ACC %u beat %u imem %u, not "
                  "this shape",
                  ns->pkg_path.c_str(), c.rows, c.cols, c.vlanes, c.nram_bytes, c.wram_bytes,
                  c.acc_bytes, c.beat_bytes, c.imem_insns);
    return;
  }
  if ((uint64_t)n.hdr.dram_base + n.hdr.dram_bytes > kDramBytes) {
    ns->err = Fmt("package region 0x%x + 0x%x does not fit the bench's DRAM", n.hdr.dram_base,
                  n.hdr.dram_bytes);
    return;
  }
  // the input and output tensors (one each in these networks)
  int n_in = 0, n_out = 0;
  for (uint32_t i = 0; i < n.hdr.n_tensors; i++) {
    if (n.tensors[i].role == DLP_NET_INPUT) ns->in_t = i, n_in++;
    if (n.tensors[i].role == DLP_NET_OUTPUT) ns->out_t = i, n_out++;
  }
  if (n_in != 1 || n_out != 1) {
    ns->err = Fmt("%d input and %d output tensors; the bench runs networks with one of each",
                  n_in, n_out);
    return;
  }
  std::string why;
  TensorLayout L;
  if (!LayoutOf(n.tensors[ns->in_t], &L, &why) || !LayoutOf(n.tensors[ns->out_t], &L, &why)) {
    ns->err = "tensor layout: " + why;
    return;
  }
  if (!dlpv::ReadDlpw(src + d.test_set, &ns->test, &why) ||
      !dlpv::ReadDlpw(src + d.name + "/expected.dlpw", &ns->expected, &why)) {
    ns->err = why;
    return;
  }
  ns->input = ns->test.Find("input");
  ns->label = ns->test.Find("label");
  ns->output = ns->expected.Find("output");
  ns->pred = ns->expected.Find("pred");
  const dlpv::DlpwRecord *isc = ns->test.Find("input.scale"), *izp = ns->test.Find("input.zp");
  const dlpv::DlpwRecord *osc = ns->expected.Find("output.scale");
  const dlpv::DlpwRecord *ozp = ns->expected.Find("output.zp");
  using R = dlpv::DlpwRecord;
  if (!ns->input || ns->input->type != R::kInt8 || !ns->label || ns->label->type != R::kInt32 ||
      !ns->output || ns->output->type != R::kInt8 || !ns->pred || !isc || !izp || !osc || !ozp) {
    ns->err = "test set or expected.dlpw lacks input/label/output/pred or their quantization";
    return;
  }
  const dlp_net_tensor_t &ti = n.tensors[ns->in_t], &to = n.tensors[ns->out_t];
  ns->n_samples = ns->input->dims[0];
  if (ns->output->dims[0] != ns->n_samples || ns->label->dims[0] != ns->n_samples ||
      ns->input->Inner() != TensorElems(ti) || ns->output->Inner() != TensorElems(to)) {
    ns->err = Fmt("test set input %s, expected output %s, labels %s do not match the package's "
                  "input (%" PRIu64 " elements) and output (%" PRIu64 " elements)",
                  ns->input->Shape().c_str(), ns->output->Shape().c_str(),
                  ns->label->Shape().c_str(), TensorElems(ti), TensorElems(to));
    return;
  }
  // the data and the package quantize alike (the test set holds int8 inputs as they are)
  if (isc->F32(0) != ti.scale || izp->I32(0) != ti.zero_point || osc->F32(0) != to.scale ||
      ozp->I32(0) != to.zero_point) {
    ns->err = Fmt("quantization differs: test set input %g/%d, package %g/%d; expected output "
                  "%g/%d, package %g/%d",
                  (double)isc->F32(0), izp->I32(0), (double)ti.scale, ti.zero_point,
                  (double)osc->F32(0), ozp->I32(0), (double)to.scale, to.zero_point);
    return;
  }
  if (g_opt.verbose) {
    auto desc = [&](const dlp_net_tensor_t &t) {
      std::string s = Fmt("%s at 0x%x", dlp_net_str(&n, t.name), t.addr);
      for (uint32_t d = 0; d < t.ndims; d++) s += Fmt("%s%u", d ? "x" : " ", t.dims[d]);
      return s + Fmt(" (row stride %u, image stride %u, %u bytes)", t.row_stride, t.img_stride,
                     t.bytes);
    };
    printf("     %s: %u layers, image 0x%x + %u bytes, window 0x%x + 0x%x; input %s; output %s; "
           "%u test samples\n",
           ns->pkg_path.c_str(), n.hdr.n_layers, n.hdr.image_addr, n.hdr.image_bytes,
           n.hdr.dram_base, n.hdr.dram_bytes, desc(ti).c_str(), desc(to).c_str(), ns->n_samples);
  }
}

NetSpec *GetNet(const std::string &name) {
  static std::vector<std::unique_ptr<NetSpec>> cache;
  for (auto &p : cache)
    if (p->name == name) return p.get();
  for (const NetDef &d : kNets)
    if (name == d.name) {
      cache.emplace_back(new NetSpec());
      LoadNet(d, cache.back().get());
      return cache.back().get();
    }
  return nullptr;
}

// The runs of net/<net>/<sample>: one TestSpec per layer; the first also loads the image and the
// input. Every layer's program is part of the image (prog_loaded).
std::vector<TestSpec> NetRuns(const NetSpec &ns, uint32_t sample, unsigned latency) {
  const dlp_net_t &n = ns.net;
  std::vector<TestSpec> v;
  for (uint32_t i = 0; i < n.hdr.n_layers; i++) {
    const dlp_net_layer_t &l = n.layers[i];
    TestSpec t;
    t.name = Fmt("net/%s/%u", ns.name.c_str(), sample);
    t.source = Fmt("%s layer %u of %u (%s, %s), sample %u of %s", ns.pkg_path.c_str(), i,
                   n.hdr.n_layers, dlp_net_str(&n, l.name), dlp_net_str(&n, l.kind), sample,
                   ns.name.c_str());
    const uint8_t *p = n.image + (l.prog_addr - n.hdr.image_addr);
    for (uint32_t k = 0; k < l.prog_insns * 4; k++) t.words.push_back(dlp_rd32(p + 4 * k));
    t.prog_addr = l.prog_addr;
    t.prog_len = l.prog_insns;
    t.prog_loaded = true;
    t.win_base = n.hdr.dram_base;
    t.win_limit = (uint64_t)n.hdr.dram_base + n.hdr.dram_bytes;
    t.has_expect = true;
    t.exp_cause = 0;
    t.latency = latency;
    if (i == 0) {
      t.init.push_back({n.hdr.image_addr, std::vector<uint8_t>(n.image, n.image + n.hdr.image_bytes)});
      const int8_t *x = ns.input->I8() + (uint64_t)sample * ns.input->Inner();
      for (auto &r : TensorRegions(n.tensors[ns.in_t], x)) t.init.push_back(std::move(r));
    }
    v.push_back(std::move(t));
  }
  return v;
}
#endif  // SIM_NETS

// ---- the model run ----------------------------------------------------------------------------------

// The C model, stepped on demand: the checker pulls retired instructions as the RTL needs them
// (ExpectedRun::more), so the model runs just ahead of the RTL.
struct ModelRun {
  dlp_t *m = nullptr;
  std::unique_ptr<ExpectedRun> exp;
  std::string err;
  ModelRun() = default;
  ModelRun(const ModelRun &) = delete;
  ModelRun &operator=(const ModelRun &) = delete;
  ~ModelRun() {
    if (m) dlp_destroy(m);
  }
  // Steps until one more instruction retired or the run ended; false when nothing came.
  bool Advance() {
    if (exp->ended) return false;
    uint64_t n = exp->n_retired;
    while (exp->n_retired == n) {
      if (dlp_step(m) != DLP_RUNNING) {
        dlp_get_result(m, &exp->result);
        exp->ended = true;
        return exp->n_retired != n;
      }
    }
    return true;
  }
  void RunToEnd() {
    while (Advance()) {
    }
  }
  const uint8_t *Dram() {
    uint64_t len;
    return dlp_mem(m, DLP_MEM_DRAM, &len);
  }
};

uint64_t CycleLimit(const TestSpec &t) { return t.cycle_limit ? t.cycle_limit : 50000000ull; }
bool StartModel(const TestSpec &t, ModelRun *mr);

bool CreateModel(const TestSpec &t, ModelRun *mr) {
  dlp_config_t cfg = g_cfg;
  char msg[256];
  cfg.max_cycles = CycleLimit(t);
  cfg.dram_latency = t.latency;
  mr->m = dlp_create(&cfg, msg, sizeof msg);
  if (!mr->m) {
    mr->err = std::string("model configuration: ") + msg;
    return false;
  }
  return true;
}

// Loads the test's program and data and starts the run, recorded in `exp`. Memories keep what
// earlier runs on the same machine left (a network's layers run one after the other).
bool StartRun(const TestSpec &t, ModelRun *mr, std::unique_ptr<ExpectedRun> exp) {
  if (!t.prog_loaded && dlp_dram_write(mr->m, t.prog_addr, t.words.data(), t.words.size() * 4)) {
    mr->err = "program does not fit the DRAM";
    return false;
  }
  for (auto &r : t.init)
    if (dlp_dram_write(mr->m, r.addr, r.data.data(), r.data.size())) {
      mr->err = Fmt("data at 0x%" PRIx64 " does not fit the DRAM", r.addr);
      return false;
    }
  if (dlp_set_window(mr->m, t.win_base, t.win_limit)) {
    mr->err = "bad window";
    return false;
  }
  mr->exp = std::move(exp);
  dlp_set_retire_cb(mr->m, ExpectedRun::Callback, mr->exp.get(), 1);
  mr->exp->more = [mr]() { return mr->Advance(); };
  if (dlp_start(mr->m, t.prog_addr, t.prog_len) != DLP_RUNNING) {
    dlp_get_result(mr->m, &mr->exp->result);
    mr->exp->ended = true;
  }
  return true;
}

bool StartModel(const TestSpec &t, ModelRun *mr) {
  return CreateModel(t, mr) && StartRun(t, mr, std::unique_ptr<ExpectedRun>(new ExpectedRun()));
}

#include "fault_tests.h"

// ---- the RTL bench ----------------------------------------------------------------------------------

struct RtlResult {
  uint32_t status = 0, cause = 0, pc = 0, info = 0, irq_status = 0;
  bool irq_seen = false, irq_cleared = false;
  uint64_t ctr[8] = {0};  // cycles busy_dma busy_mfu busy_vfu rd wr macs insns
  uint64_t ticks = 0;
  double seconds = 0;
  std::string err;  // harness-level failure (checker, protocol, timeout)
  std::string notes;
  dlpv::TimingNote timing;
  uint64_t unchecked = 0;
};

const char *kCtrName[8] = {"cycles", "busy_dma", "busy_mfu", "busy_vfu",
                           "dram_rd_bytes", "dram_wr_bytes", "macs", "insns"};

#ifndef SIM_NO_RTL
class Bench {
 public:
  Bench(const TestSpec &t, ExpectedRun &exp, bool stall, uint64_t stall_seed,
        const std::string &waves)
      : t_(&t), stall_(stall), ctx_(new VerilatedContext), chk_(new Checker(exp, !stall)) {
    ctx_->commandArgs(0, (const char **)nullptr);
    top_.reset(new Vdlp_top(ctx_.get(), "dlp_top"));
    dlp_verif::AxiDramConfig dc;
    dc.base = 0;
    dc.size = kDramBytes;
    dc.beat_bytes = P_BEAT;
    dc.latency = t.latency;
    dc.random = stall;
    dc.seed = stall_seed;
    dc.err_burst = t.bus_err_burst;
    dc.err_resp = t.bus_err_resp;
    if (t.bus_err_burst) chk_->ExpectEarlyStop();
    dram_.reset(new dlp_verif::AxiDram(dc));
    host_.reset(new dlpv::AxilMaster(dlpv::AxilPinsOf(top_.get()), [this] { Tick(); }));
#if VM_TRACE
    if (!waves.empty()) {
      ctx_->traceEverOn(true);
      fst_.reset(new VerilatedFstC);
      top_->trace(fst_.get(), 99);
      fst_->open(waves.c_str());
    }
#else
    (void)waves;
#endif
  }
  ~Bench() {
#if VM_TRACE
    if (fst_) fst_->close();
#endif
    top_->final();
  }

  // One run: with boot, reset and the host's identity checks first (every test's first run);
  // without, the core and the DRAM keep what the previous run left (a network's next layer).
  void Run(RtlResult *r, bool boot = true);
  // Prepares the next run on the same core and DRAM: its program, window and the model's record
  // of it (a fresh checker). The previous run must be over.
  void Next(const TestSpec &t, ExpectedRun &exp) {
    t_ = &t;
    chk_.reset(new Checker(exp, !stall_));
    dlp_verif::AxiDramConfig dc = dram_->config();
    dc.err_burst = t.bus_err_burst;
    dc.err_resp = t.bus_err_resp;
    dram_->configure(dc);
    if (t.bus_err_burst) chk_->ExpectEarlyStop();
    run_cycle_ = run_end_ = -1;
    stop_ = false;
    err_.clear();
    awq_.clear();
    wq_.clear();
  }
  const uint8_t *Dram() const { return dram_->data(); }

 private:
  bool Boot();
  void Tick();
  void Trace(const dlp_verif::AxiMasterSignals &m, const dlp_verif::AxiSlaveSignals &s);
  bool Fail(const std::string &m) {
    if (err_.empty()) err_ = m;
    return false;
  }

  const TestSpec *t_;
  bool stall_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vdlp_top> top_;
  std::unique_ptr<dlp_verif::AxiDram> dram_;
  std::unique_ptr<dlpv::AxilMaster> host_;
  std::unique_ptr<Checker> chk_;
#if VM_TRACE
  std::unique_ptr<VerilatedFstC> fst_;
#endif
  uint64_t ticks_ = 0;
  int64_t run_cycle_ = -1;  // cycle index within the run, -1 before cycle 0
  int64_t run_end_ = -1;
  bool stop_ = false;  // the checker failed: stop simulating
  std::string err_;
  struct Aw {
    uint64_t addr;
    unsigned beats, beat;
  };
  std::deque<Aw> awq_;
  struct Beat {
    uint8_t data[dlp_verif::kAxiMaxBeatBytes];
    uint8_t strb[dlp_verif::kAxiMaxBeatBytes / 8];
  };
  std::deque<Beat> wq_;
};

void Bench::Tick() {
  const dlp_verif::AxiSlaveSignals &s = dram_->out();
  dlp_verif::AxiDriveCore(top_.get(), s, P_BEAT);
  host_->Drive();
  top_->clk_i = 0;
  top_->eval();
#if VM_TRACE
  if (fst_) fst_->dump(ctx_->time());
  ctx_->timeInc(1);
#endif
  host_->Sample();
  const dlp_verif::AxiMasterSignals m = dlp_verif::AxiSampleCore(top_.get(), P_BEAT);
  Trace(m, s);
  dram_->tick(m);
  top_->clk_i = 1;
  top_->eval();
#if VM_TRACE
  if (fst_) fst_->dump(ctx_->time());
  ctx_->timeInc(1);
#endif
  ticks_++;
}

void Bench::Trace(const dlp_verif::AxiMasterSignals &m, const dlp_verif::AxiSlaveSignals &s) {
  Vdlp_top &d = *top_;
  if (d.tr_cycle0_o)
    run_cycle_ = 0;
  else if (run_cycle_ >= 0)
    run_cycle_++;
  uint64_t cyc = run_cycle_ < 0 ? 0 : (uint64_t)run_cycle_;
  // DRAM window: AR/AW bursts and written bytes stay inside it
  uint64_t wlo = t_->win_base & ~(uint64_t)(P_BEAT - 1);
  uint64_t whi = (t_->win_limit + P_BEAT - 1) & ~(uint64_t)(P_BEAT - 1);
  if (m.arvalid && s.arready) {
    uint64_t lo = m.araddr & ~(uint64_t)(P_BEAT - 1), hi = lo + (m.arlen + 1ull) * P_BEAT;
    if (lo < wlo || hi > whi)
      Fail(Fmt("cycle %" PRIu64 ": AXI read burst 0x%" PRIx64 "..0x%" PRIx64
               " leaves the DMA window 0x%" PRIx64 "..0x%" PRIx64,
               cyc, lo, hi - 1, t_->win_base, t_->win_limit - 1));
    if (m.arlen + 1u > P_BURST)
      Fail(Fmt("cycle %" PRIu64 ": AXI read burst of %u beats (BurstBeats %u)", cyc,
               m.arlen + 1u, (unsigned)P_BURST));
  }
  if (m.awvalid && s.awready) {
    uint64_t lo = m.awaddr & ~(uint64_t)(P_BEAT - 1);
    if (m.awlen + 1u > P_BURST)
      Fail(Fmt("cycle %" PRIu64 ": AXI write burst of %u beats (BurstBeats %u)", cyc,
               m.awlen + 1u, (unsigned)P_BURST));
    awq_.push_back({lo, m.awlen + 1u, 0});
  }
  if (m.wvalid && s.wready) {
    Beat b{};
    memcpy(b.data, m.wdata, P_BEAT);
    for (unsigned i = 0; i < P_BEAT; i++)
      if (m.wstrb[i]) b.strb[i / 8] |= (uint8_t)(1u << (i % 8));
    wq_.push_back(b);
  }
  while (!awq_.empty() && !wq_.empty()) {
    Aw &a = awq_.front();
    const Beat &b = wq_.front();
    uint64_t at = a.addr + (uint64_t)a.beat * P_BEAT;
    for (unsigned i = 0; i < P_BEAT; i++)
      if ((b.strb[i / 8] >> (i % 8) & 1) && (at + i < t_->win_base || at + i >= t_->win_limit)) {
        Fail(Fmt("cycle %" PRIu64 ": AXI write of DRAM byte 0x%" PRIx64
                 " outside the DMA window 0x%" PRIx64 "..0x%" PRIx64,
                 cyc, at + i, t_->win_base, t_->win_limit - 1));
        break;
      }
    chk_->DramBeat(at, b.data, b.strb, P_BEAT);
    if (++a.beat == a.beats) awq_.pop_front();
    wq_.pop_front();
  }
  // scratchpad and accumulator writes
  if (d.tr_nram_a_we_o)
    chk_->Write(dlpv::kUnitDma, DLP_MEM_NRAM, d.tr_nram_a_addr_o, d.tr_nram_a_len_o,
               Bytes(d.tr_nram_a_data_o));
  if (d.tr_wram_a_we_o)
    chk_->Write(dlpv::kUnitDma, DLP_MEM_WRAM, d.tr_wram_a_addr_o, d.tr_wram_a_len_o,
               Bytes(d.tr_wram_a_data_o));
  if (d.tr_nram_b_we_o)
    chk_->Write(d.tr_nram_b_vf_o ? dlpv::kUnitVf : dlpv::kUnitCp, DLP_MEM_NRAM,
                d.tr_nram_b_addr_o, d.tr_nram_b_len_o, Bytes(d.tr_nram_b_data_o));
  if (d.tr_acc_we_o)
    chk_->Write(dlpv::kUnitCp, DLP_MEM_ACC, 4 * d.tr_acc_addr_o, 4u * d.tr_acc_len_o,
               Bytes(d.tr_acc_data_o));
  if (d.tr_fe_retire_o) {
    if (d.tr_reg_we_o && d.tr_reg_idx_o != 0) {
      uint8_t v[4];
      uint32_t x = d.tr_reg_data_o;
      for (int i = 0; i < 4; i++) v[i] = (uint8_t)(x >> (8 * i));
      chk_->Write(dlpv::kUnitFe, DLP_MEM_REG, 4u * d.tr_reg_idx_o, 4, v);
    }
    if (!chk_->Retire(dlpv::kUnitFe, d.tr_fe_pc_o, cyc)) stop_ = true;
  }
  if (d.tr_dma_retire_o && !chk_->Retire(dlpv::kUnitDma, d.tr_dma_pc_o, cyc)) stop_ = true;
  if (d.tr_cp_retire_o && !chk_->Retire(dlpv::kUnitCp, d.tr_cp_pc_o, cyc)) stop_ = true;
  if (d.tr_vf_retire_o && !chk_->Retire(dlpv::kUnitVf, d.tr_vf_pc_o, cyc)) stop_ = true;
  if (d.tr_run_end_o && run_end_ < 0) run_end_ = (int64_t)cyc;
}

// CPU time of this thread: the speed figure should not depend on what else the machine runs.
double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

// Reset, then the host checks the core's identity and shape (ID, VERSION, CAP0..3).
bool Bench::Boot() {
  dlpv::AxilMaster &h = *host_;
  top_->rst_ni = 0;
  for (int i = 0; i < 5; i++) Tick();
  top_->rst_ni = 1;
  Tick();
  uint32_t id = 0, ver = 0, cap[4] = {0, 0, 0, 0};
  if (!h.Read(DLP_CSR_ID, &id) || !h.Read(DLP_CSR_VERSION, &ver) ||
      !h.Read(DLP_CSR_CAP0, &cap[0]) || !h.Read(DLP_CSR_CAP1, &cap[1]) ||
      !h.Read(DLP_CSR_CAP2, &cap[2]) || !h.Read(DLP_CSR_CAP3, &cap[3])) {
    return Fail(h.Error());
  }
  uint32_t want_cap[4] = {
      (uint32_t)P_ROWS | (uint32_t)P_COLS << 8 | (uint32_t)P_VLANES << 16 | (uint32_t)P_BEAT << 24,
      (uint32_t)(P_NRAM / 1024) | (uint32_t)(P_WRAM / 1024) << 16,
      (uint32_t)(P_ACC / 1024) | (uint32_t)P_IMEM << 16,
      (uint32_t)P_QDEPTH | (uint32_t)P_LDEPTH << 8 | (uint32_t)P_TOKMAX << 16 |
          (uint32_t)P_BURST << 24};
  if (id != DLP_CSR_ID_VALUE) Fail(Fmt("ID reads 0x%08x, expected 0x%08x", id, DLP_CSR_ID_VALUE));
  if ((ver & 0xffff) != DLP_ISA_VERSION)
    Fail(Fmt("VERSION.isa reads %u, the model implements ISA %u", ver & 0xffff, DLP_ISA_VERSION));
  for (int i = 0; i < 4; i++)
    if (cap[i] != want_cap[i])
      Fail(Fmt("CAP%d reads 0x%08x but this bench was built for 0x%08x (shape " SHAPE_NAME ")", i,
               cap[i], want_cap[i]));
  return err_.empty();
}

void Bench::Run(RtlResult *r, bool boot) {
  double t0 = CpuSeconds();
  uint64_t ticks0 = boot ? 0 : ticks_;
  dlpv::AxilMaster &h = *host_;
  auto done = [&]() {
    r->ticks = ticks_ - ticks0;
    r->seconds = CpuSeconds() - t0;
    r->timing = chk_->Timing();
    r->unchecked = chk_->Unchecked();
    r->notes = chk_->Notes();
    if (err_.empty() && chk_->Failed()) err_ = chk_->Message();
    r->err = err_;
  };
  if (boot) {
    if (!Boot()) return done();
  } else {
    // like libdlp before a start: the core must be idle
    uint32_t st = 0;
    if (!h.Read(DLP_CSR_STATUS, &st)) {
      Fail(h.Error());
      return done();
    }
    if (st & 1) {
      Fail(Fmt("STATUS reads 0x%x (busy) before the start of the next run", st));
      return done();
    }
  }
  // DRAM contents, like a CPU writing shared memory
  if (!t_->prog_loaded) dram_->write(t_->prog_addr, t_->words.data(), t_->words.size() * 4);
  for (auto &rg : t_->init) dram_->write(rg.addr, rg.data.data(), rg.data.size());
  // program, window, watchdog, interrupt, start -- all through the CSRs
  uint64_t lim = CycleLimit(*t_);
  bool ok = h.Write(DLP_CSR_PROG_ADDR, (uint32_t)t_->prog_addr) &&
            h.Write(DLP_CSR_PROG_LEN, t_->prog_len) &&
            h.Write(DLP_CSR_WIN_BASE, (uint32_t)t_->win_base) &&
            h.Write(DLP_CSR_WIN_LIMIT, (uint32_t)t_->win_limit) &&
            h.Write(DLP_CSR_CYCLE_LIMIT_LO, (uint32_t)lim) &&
            h.Write(DLP_CSR_CYCLE_LIMIT_HI, (uint32_t)(lim >> 32)) &&
            h.Write(DLP_CSR_IRQ_STATUS, 3) && h.Write(DLP_CSR_IRQ_EN, t_->poll ? 0 : 3);
  uint32_t rb = 0;
  if (ok && (!h.Read(DLP_CSR_PROG_LEN, &rb) || rb != t_->prog_len))
    Fail(Fmt("PROG_LEN reads back 0x%x after writing 0x%x", rb, t_->prog_len));
  if (!ok) Fail(h.Error());
  if (!err_.empty()) return done();
  if (!h.Write(DLP_CSR_CTRL, 1)) {
    Fail(h.Error());
    return done();
  }
  // wait for the end: the interrupt line, or STATUS polling
  uint64_t guard = lim + 200000;
  uint64_t start_ticks = ticks_;
  if (!t_->poll) {
    while (!top_->irq_o && !stop_ && ticks_ - start_ticks < guard) Tick();
    r->irq_seen = top_->irq_o;
  } else {
    uint32_t st = 1;
    while ((st & 1) && !stop_ && ticks_ - start_ticks < guard) {
      for (int i = 0; i < 50 && !stop_; i++) Tick();
      if (!h.Read(DLP_CSR_STATUS, &st)) {
        Fail(h.Error());
        return done();
      }
      if (top_->irq_o) Fail("irq_o rose although IRQ_EN is 0");
    }
  }
  if (stop_) return done();
  if (ticks_ - start_ticks >= guard) {
    Fail(Fmt("the run did not end within %" PRIu64 " cycles (%s; run cycle %" PRId64 ")", guard,
             t_->poll ? "STATUS still busy" : "no interrupt", run_cycle_));
    return done();
  }
  // results and counters through the CSRs
  const uint32_t ctr_addr[8] = {DLP_CSR_CYCLES_LO,  DLP_CSR_BUSY_DMA_LO, DLP_CSR_BUSY_MFU_LO,
                                DLP_CSR_BUSY_VFU_LO, DLP_CSR_DRAM_RD_LO, DLP_CSR_DRAM_WR_LO,
                                DLP_CSR_MACS_LO,    DLP_CSR_INSNS_LO};
  ok = h.Read(DLP_CSR_STATUS, &r->status) && h.Read(DLP_CSR_ERR_CAUSE, &r->cause) &&
       h.Read(DLP_CSR_ERR_PC, &r->pc) && h.Read(DLP_CSR_ERR_INFO, &r->info) &&
       h.Read(DLP_CSR_IRQ_STATUS, &r->irq_status);
  for (int i = 0; i < 8 && ok; i++) ok = h.Read64(ctr_addr[i], &r->ctr[i]);
  if (ok && !t_->poll) {
    ok = h.Write(DLP_CSR_IRQ_STATUS, 3);
    for (int i = 0; i < 2; i++) Tick();
    r->irq_cleared = !top_->irq_o;
  }
  if (!ok) Fail(h.Error());
  // the AXI side must be quiet, and the DRAM model saw no protocol violation
  for (int i = 0; i < 8 && !dram_->quiet(); i++) Tick();
  if (!dram_->quiet()) Fail("AXI transactions still in flight after the run ended");
  if (!dram_->violations().empty()) Fail("AXI protocol: " + dram_->violations().front());
  if (err_.empty() && !chk_->Finish()) Fail(chk_->Message());
  done();
}

#endif  // SIM_NO_RTL

// ---- one test ------------------------------------------------------------------------------------

struct Totals {
  int pass = 0, fail = 0;
  int64_t max_diff = 0;
  std::string max_diff_test;
  int exact = 0, timed = 0;
  uint64_t ticks = 0;
  double seconds = 0;
  std::string bench;
  int skipped = 0;
  std::vector<std::string> failures;
  int net_pass = 0, net_fail = 0;  // network tests (each several runs)
  uint64_t net_runs = 0;           // their layer runs on the RTL
};

std::string Replay(const std::string &name) {
  return "make sim SHAPE=" SHAPE_NAME " TEST=" + name;
}

// Compares the RTL's outcome with the model's. Returns "" when they agree.
[[maybe_unused]] std::string CompareOutcome(const TestSpec &t, ModelRun &mr, const RtlResult &r,
                           const uint8_t *rtl_dram, bool stall) {
  const dlp_result_t &e = mr.exp->result;
  bool model_done = e.status == DLP_DONE;
  uint32_t want_status = model_done ? 2u : 4u;
  std::string s;
  auto add = [&](const std::string &m) { s += (s.empty() ? "" : "\n    ") + m; };
  if ((r.status & 7) != want_status)
    add(Fmt("STATUS = 0x%x, the model ended %s (expected 0x%x)", r.status,
            model_done ? "with halt" : "with an error", want_status));
  if (r.cause != (uint32_t)e.cause || (!model_done && (r.pc != e.err_pc || r.info != e.err_info)))
    add(Fmt("ERR_CAUSE/PC/INFO = %s/%u/0x%x, the model's %s/%u/0x%x (%s)", dlp_cause_name((int)r.cause),
            r.pc, r.info, dlp_cause_name(e.cause), e.err_pc, e.err_info, e.message));
  uint32_t want_irq = model_done ? 1u : 2u;
  if ((r.irq_status & 3) != want_irq)
    add(Fmt("IRQ_STATUS = 0x%x, expected 0x%x", r.irq_status, want_irq));
  if (!t.poll && !r.irq_seen) add("irq_o did not rise");
  if (!t.poll && !r.irq_cleared) add("irq_o stayed high after writing IRQ_STATUS");
  // counters: functional ones always (for runs that halted), timing ones in exact mode only
  const dlp_counters_t &c = e.counters;
  uint64_t want[8] = {c.cycles, c.busy_dma, c.busy_mfu, c.busy_vfu,
                      c.dram_rd_bytes, c.dram_wr_bytes, c.macs, c.insns};
  bool timing_equal = r.ctr[0] == c.cycles;
  for (int i = 1; i < 8; i++) {
    bool timing_ctr = i <= 3;
    if (r.ctr[i] == want[i]) continue;
    if (timing_ctr && (stall || !timing_equal)) continue;  // follows the cycle difference
    if (!model_done && (stall || !timing_equal)) continue;  // in flight at the error
    if (!timing_ctr || g_opt.strict_timing || timing_equal)
      add(Fmt("counter %s = %" PRIu64 ", the model's %" PRIu64, kCtrName[i], r.ctr[i], want[i]));
  }
  // the final DRAM image (runs that halted; after an error, memory written by instructions in
  // flight is unspecified -- every retired instruction's writes were already checked)
  if (model_done) {
    const uint8_t *a = mr.Dram();
    if (memcmp(a, rtl_dram, kDramBytes) != 0) {
      uint64_t k = 0;
      while (a[k] == rtl_dram[k]) k++;
      uint64_t n = 0;
      for (uint64_t i = k; i < kDramBytes; i++) n += a[i] != rtl_dram[i];
      add(Fmt("final DRAM differs at 0x%" PRIx64 ": model 0x%02x, RTL 0x%02x (%" PRIu64
              " bytes differ)",
              k, a[k], rtl_dram[k], n));
    }
  }
  // the test's own expectation (checks the model too)
  if (t.has_expect) {
    if (e.cause != t.exp_cause || (t.exp_pc >= 0 && (int64_t)e.err_pc != t.exp_pc) ||
        (t.exp_info >= 0 && (int64_t)e.err_info != t.exp_info))
      add(Fmt("the test expects %s pc=%lld info=0x%llx; the model gives %s pc=%u info=0x%x (%s)",
              t.exp_cause ? dlp_cause_name(t.exp_cause) : "halt", (long long)t.exp_pc,
              (long long)t.exp_info, dlp_cause_name(e.cause), e.err_pc, e.err_info, e.message));
  }
  for (auto &rc : t.checks) {
    if (memcmp(rtl_dram + rc.addr, rc.want.data(), rc.want.size()) != 0)
      add(Fmt("RTL output at 0x%" PRIx64 " differs from the independent reference %s",
              rc.addr, rc.file.c_str()));
    if (memcmp(mr.Dram() + rc.addr, rc.want.data(), rc.want.size()) != 0)
      add(Fmt("model output at 0x%" PRIx64 " differs from the independent reference %s",
              rc.addr, rc.file.c_str()));
  }
  return s;
}


// Writes the program's disassembly (with indices) next to the other build products; returns
// the path, for failure reports.
std::string DumpProgram(const TestSpec &t, const std::string &label) {
  std::string n = label;
  for (char &c : n)
    if (!isalnum((unsigned char)c) && c != '-' && c != '_') c = '_';
  std::string dir = g_opt.work + "/" SHAPE_NAME "-failed";
  mkdir(g_opt.work.c_str(), 0755);
  mkdir(dir.c_str(), 0755);
  std::string path = dir + "/" + n + ".s";
  char *text = dlp_disasm_prog(t.words.data(), (uint32_t)(t.words.size() / 4), 0);
  FILE *f = fopen(path.c_str(), "w");
  if (!f || !text) {
    free(text);
    if (f) fclose(f);
    return "(could not write " + path + ")";
  }
  fprintf(f, "; %s: %s\n; PROG_ADDR 0x%" PRIx64 " PROG_LEN %u WIN 0x%" PRIx64 "..0x%" PRIx64
          "\n%s", label.c_str(), t.source.c_str(), t.prog_addr, t.prog_len, t.win_base,
          t.win_limit, text);
  fclose(f);
  free(text);
  return path;
}


void RunTest(const TestSpec &t, bool stall, uint64_t stall_seed, Totals *tot) {
  std::string label = stall ? Fmt("stall/%s@%" PRIu64, t.name.c_str(), stall_seed) : t.name;
  ModelRun mr;
  if (!StartModel(t, &mr)) {
    printf("FAIL %-6s %-28s model: %s\n", SHAPE_NAME, label.c_str(), mr.err.c_str());
    tot->fail++;
    tot->failures.push_back(label);
    return;
  }
  if (stall && t.model_cycles > g_opt.stall_max_cycles && !g_opt.explicit_stall) {
    tot->skipped++;
    return;
  }
  if (g_opt.model_only) mr.RunToEnd();
  const dlp_result_t &e = mr.exp->result;
  if (g_opt.model_only) {
    std::string s;
    if (t.has_expect && (e.cause != t.exp_cause || (t.exp_pc >= 0 && (int64_t)e.err_pc != t.exp_pc) ||
                         (t.exp_info >= 0 && (int64_t)e.err_info != t.exp_info)))
      s = Fmt("the test expects %s pc=%lld info=0x%llx; the model gives %s pc=%u info=0x%x (%s)",
              t.exp_cause ? dlp_cause_name(t.exp_cause) : "halt", (long long)t.exp_pc,
              (long long)t.exp_info, dlp_cause_name(e.cause), e.err_pc, e.err_info, e.message);
    for (auto &rc : t.checks)
      if (memcmp(mr.Dram() + rc.addr, rc.want.data(), rc.want.size()) != 0)
        s += " model output differs from " + rc.file;
    printf("%s %-6s %-28s model %" PRIu64 " cycles, %" PRIu64 " retired, %s%s%s\n",
           s.empty() ? "PASS" : "FAIL", SHAPE_NAME, label.c_str(), e.counters.cycles,
           mr.exp->n_retired, e.cause ? dlp_cause_name(e.cause) : "halt", s.empty() ? "" : "\n    ",
           s.c_str());
    (s.empty() ? tot->pass : tot->fail)++;
    if (!s.empty()) tot->failures.push_back(label);
    return;
  }
  RtlResult r;
  std::string diff;
#ifndef SIM_NO_RTL
  {
    std::string waves;
    if (!g_opt.waves.empty()) {
      std::string n = label;
      for (char &c : n)
        if (!isalnum((unsigned char)c) && c != '-' && c != '_') c = '_';
      mkdir(g_opt.waves.c_str(), 0755);
      waves = g_opt.waves + "/" + n + ".fst";
      WriteGtkw(waves);
    }
    Bench b(t, *mr.exp, stall, stall_seed, waves);
    b.Run(&r);
    mr.RunToEnd();
    if (r.err.empty()) diff = CompareOutcome(t, mr, r, b.Dram(), stall);
  }
  if (!stall) t.model_cycles = mr.exp->result.counters.cycles;
#else
  r.err = "built without the RTL (SIM_NO_RTL): use --model-only";
#endif
  tot->ticks += r.ticks;
  tot->seconds += r.seconds;
  if (t.name.compare(0, 9, "dir/bench") == 0 && !stall && r.seconds > 0)
    tot->bench = Fmt("%.0f cycles/s on %s (%" PRIu64 " cycles, %.2f s of CPU time)",
                     (double)r.ticks / r.seconds, t.name.c_str(), r.ticks, r.seconds);
  double cps = r.seconds > 0 ? (double)r.ticks / r.seconds : 0;
  bool ok = r.err.empty() && diff.empty();
  int64_t d = (int64_t)r.ctr[0] - (int64_t)e.counters.cycles;
  std::string cyc;
  if (!r.err.empty())
    cyc = Fmt("model %" PRIu64, e.counters.cycles);
  else if (stall)
    cyc = Fmt("rtl %" PRIu64 " model %" PRIu64 " (stalls: not compared)", r.ctr[0],
              e.counters.cycles);
  else
    cyc = Fmt("rtl %" PRIu64 " model %" PRIu64 " diff %+" PRId64, r.ctr[0], e.counters.cycles, d);
  printf("%s %-6s %-28s %-46s %7.0fk cyc/s%s%s\n", ok ? "PASS" : "FAIL", SHAPE_NAME,
         label.c_str(), cyc.c_str(), cps / 1000, e.cause ? " " : "",
         e.cause ? dlp_cause_name(e.cause) : "");
  if (!stall && r.err.empty()) {
    tot->timed++;
    if (d == 0) tot->exact++;
    if (std::llabs(d) > std::llabs(tot->max_diff) || tot->max_diff_test.empty()) {
      if (std::llabs(d) >= std::llabs(tot->max_diff)) {
        tot->max_diff = d;
        tot->max_diff_test = label;
      }
    }
    if (d != 0 || r.timing.any)
      printf("     %s\n", r.timing.any ? r.timing.text.c_str() : "cycle counts differ");
    if (d != 0 && g_opt.strict_timing && ok) {
      ok = false;
      diff = "cycle count differs (--strict-timing)";
    }
  }
  if (!r.notes.empty() && g_opt.verbose) printf("     note: %s\n", r.notes.c_str());
  if (!ok) {
    printf("     %s\n", (r.err.empty() ? diff : r.err).c_str());
    printf("     test: %s\n", t.source.c_str());
    printf("     program: %s\n", DumpProgram(t, label).c_str());
    printf("     replay: %s\n",
           stall ? (Replay("stall/" + t.name) + Fmt(" SEED=%" PRIu64, stall_seed)).c_str()
                 : Replay(t.name).c_str());
    tot->fail++;
    tot->failures.push_back(label);
  } else {
    tot->pass++;
  }
  fflush(stdout);
}

#ifdef SIM_NETS
// The RTL's output next to the expected one: "class 7 (label 7)" for a classifier, the bits
// of the adder's sum (LSB first) otherwise.
std::string NetVerdict(const NetSpec &ns, uint32_t sample, const std::vector<int8_t> &out) {
  if (ns.pred->dims.size() == 1) {
    size_t best = 0;
    for (size_t i = 1; i < out.size(); i++)
      if (out[i] > out[best]) best = i;
    return Fmt("class %zu (label %d)", best, ns.label->I32(sample));
  }
  int32_t zp = ns.expected.Find("output.zp")->I32(0);
  std::string got, want;
  uint64_t k = ns.label->Inner();
  for (size_t i = 0; i < out.size(); i++) got += out[i] > zp ? '1' : '0';
  for (uint64_t i = 0; i < k; i++) want += ns.label->I32(sample * k + i) ? '1' : '0';
  return "bits " + got + " (label " + want + ")";
}

// net/<net>/<sample>: every layer in lockstep on one core and one DRAM (see NetRuns).
void RunNetTest(const NetSpec &ns, uint32_t sample, bool stall, uint64_t stall_seed,
                unsigned latency, Totals *tot) {
  std::string name = Fmt("net/%s/%u", ns.name.c_str(), sample);
  std::string label = stall ? Fmt("stall/%s@%" PRIu64, name.c_str(), stall_seed)
                      : latency != kLatency ? Fmt("lat%u/%s", latency, name.c_str())
                                            : name;
  auto fail = [&](const std::string &why, const std::string &cyc, const TestSpec *t) {
    printf("FAIL %-6s %-28s %s\n     %s\n", SHAPE_NAME, label.c_str(), cyc.c_str(), why.c_str());
    if (t) {
      printf("     test: %s\n", t->source.c_str());
      printf("     program: %s\n", DumpProgram(*t, label).c_str());
    }
    printf("     replay: %s\n",
           stall ? (Replay("stall/" + name) + Fmt(" SEED=%" PRIu64, stall_seed)).c_str()
                 : Replay(label).c_str());
    tot->fail++;
    tot->net_fail++;
    tot->failures.push_back(label);
    fflush(stdout);
  };
  if (!ns.err.empty()) return fail(ns.name + ": " + ns.err, "", nullptr);
  if (sample >= ns.n_samples)
    return fail(Fmt("the test set has %u samples", ns.n_samples), "", nullptr);
  std::vector<TestSpec> runs = NetRuns(ns, sample, latency);
  const uint32_t n_layers = (uint32_t)runs.size();
  ModelRun mr;
  if (!CreateModel(runs[0], &mr)) return fail("model: " + mr.err, "", nullptr);
  uint64_t rtl_cyc = 0, model_cyc = 0, ticks = 0;
  double seconds = 0;
  std::vector<int8_t> rtl_out;
  auto layer_name = [&](uint32_t i) {
    return Fmt("layer %u (%s)", i, dlp_net_str(&ns.net, ns.net.layers[i].name));
  };
  if (g_opt.model_only) {
    for (uint32_t i = 0; i < n_layers; i++) {
      if (!StartRun(runs[i], &mr, std::unique_ptr<ExpectedRun>(new ExpectedRun())))
        return fail(layer_name(i) + ": model: " + mr.err, "", &runs[i]);
      mr.RunToEnd();
      const dlp_result_t &e = mr.exp->result;
      model_cyc += e.counters.cycles;
      if (e.status != DLP_DONE)
        return fail(layer_name(i) + Fmt(": the model stopped with %s at pc %u (%s)",
                                        dlp_cause_name(e.cause), e.err_pc, e.message),
                    "", &runs[i]);
    }
  } else {
#ifndef SIM_NO_RTL
    std::string waves;
    if (!g_opt.waves.empty()) {
      std::string n = label;
      for (char &c : n)
        if (!isalnum((unsigned char)c) && c != '-' && c != '_') c = '_';
      mkdir(g_opt.waves.c_str(), 0755);
      waves = g_opt.waves + "/" + n + ".fst";
      WriteGtkw(waves);
    }
    std::unique_ptr<Bench> b;
    for (uint32_t i = 0; i < n_layers; i++) {
      std::unique_ptr<ExpectedRun> exp(new ExpectedRun());
      ExpectedRun *e0 = exp.get();
      if (b) b->Next(runs[i], *e0);  // the previous layer's checker goes before its record
      if (!StartRun(runs[i], &mr, std::move(exp)))
        return fail(layer_name(i) + ": model: " + mr.err, "", &runs[i]);
      if (!b) b.reset(new Bench(runs[0], *e0, stall, stall_seed, waves));
      RtlResult r;
      b->Run(&r, i == 0);
      mr.RunToEnd();
      std::string diff = r.err.empty() ? CompareOutcome(runs[i], mr, r, b->Dram(), stall) : "";
      const dlp_result_t &e = mr.exp->result;
      ticks += r.ticks;
      seconds += r.seconds;
      tot->net_runs++;
      int64_t d = (int64_t)r.ctr[0] - (int64_t)e.counters.cycles;
      if (!stall && r.err.empty()) {
        tot->timed++;
        if (d == 0) tot->exact++;
        if (std::llabs(d) > std::llabs(tot->max_diff) || tot->max_diff_test.empty()) {
          tot->max_diff = d;
          tot->max_diff_test = Fmt("%s %s", label.c_str(), layer_name(i).c_str());
        }
        if (d != 0 || r.timing.any)
          printf("     %s: %s\n", layer_name(i).c_str(),
                 r.timing.any ? r.timing.text.c_str() : "cycle counts differ");
      }
      rtl_cyc += r.ctr[0];
      model_cyc += e.counters.cycles;
      std::string why = r.err.empty() ? diff : r.err;
      if (!why.empty()) {
        tot->ticks += ticks;
        tot->seconds += seconds;
        return fail(layer_name(i) + ": " + why,
                    Fmt("%s: rtl %" PRIu64 " model %" PRIu64, layer_name(i).c_str(), r.ctr[0],
                        e.counters.cycles),
                    &runs[i]);
      }
    }
    rtl_out = TensorRead(ns.net.tensors[ns.out_t], b->Dram());
#else
    return fail("built without the RTL (SIM_NO_RTL): use --model-only", "", nullptr);
#endif
  }
  tot->ticks += ticks;
  tot->seconds += seconds;
  // the output against the int8 model's (independent of the compiler and of both simulators)
  std::vector<int8_t> model_out = TensorRead(ns.net.tensors[ns.out_t], mr.Dram());
  const int8_t *want = ns.output->I8() + (uint64_t)sample * ns.output->Inner();
  auto show = [](const int8_t *v, size_t n) {
    std::string s;
    for (size_t i = 0; i < n; i++) s += Fmt("%s%d", i ? " " : "", v[i]);
    return s;
  };
  std::string why;
  if (!std::equal(model_out.begin(), model_out.end(), want))
    why += "model output  [" + show(model_out.data(), model_out.size()) + "]\n     ";
  if (!g_opt.model_only && !std::equal(rtl_out.begin(), rtl_out.end(), want))
    why += "RTL output    [" + show(rtl_out.data(), rtl_out.size()) + "]\n     ";
  std::string cyc =
      g_opt.model_only ? Fmt("model %" PRIu64 ", %u layers", model_cyc, n_layers)
      : stall ? Fmt("rtl %" PRIu64 " model %" PRIu64 ", %u layers (stalls)", rtl_cyc, model_cyc,
                    n_layers)
              : Fmt("rtl %" PRIu64 " model %" PRIu64 " diff %+" PRId64 ", %u layers", rtl_cyc,
                    model_cyc, (int64_t)(rtl_cyc - model_cyc), n_layers);
  if (!why.empty())
    return fail(why + "expected.dlpw [" + show(want, model_out.size()) + "] (" + g_opt.nets_src +
                    "/" + ns.name + "/expected.dlpw, record output, sample " +
                    std::to_string(sample) + ")",
                cyc, nullptr);
  double cps = seconds > 0 ? (double)ticks / seconds : 0;
  std::string speed = g_opt.model_only ? "" : Fmt(" %7.0fk cyc/s", cps / 1000);
  printf("PASS %-6s %-28s %-46s%s  %s\n", SHAPE_NAME, label.c_str(), cyc.c_str(), speed.c_str(),
         NetVerdict(ns, sample, g_opt.model_only ? model_out : rtl_out).c_str());
  tot->pass++;
  tot->net_pass++;
  fflush(stdout);
}
#endif  // SIM_NETS

// ---- self tests of the harness (no RTL needed) ------------------------------------------------------

// Feeds the model's own retire stream to the checker as if it came from the RTL: it must pass;
// then corrupts one byte, drops one write, adds one, reorders two retires: each must be caught.
std::string SelfTestChecker() {
  TestSpec t;
  std::string err;
  if (!LoadRandom(777, &t, &err)) return err;
  ModelRun mr;
  if (!StartModel(t, &mr)) return mr.err;
  mr.RunToEnd();
  const ExpectedRun &e = *mr.exp;
  // replay in end-cycle order
  struct Ev {
    uint64_t cyc;
    int q;
    size_t i;
  };
  std::vector<Ev> ev;
  for (int q = 0; q < dlpv::kQueues; q++)
    for (size_t i = 0; i < e.q[q].size(); i++) ev.push_back({e.q[q][i].end, q, i});
  std::stable_sort(ev.begin(), ev.end(), [](const Ev &a, const Ev &b) { return a.cyc < b.cyc; });
  auto unit_of = [](int q) {
    return q == dlpv::kQFe   ? dlpv::kUnitFe
           : q == dlpv::kQCp ? dlpv::kUnitCp
           : q == dlpv::kQVf ? dlpv::kUnitVf
                             : dlpv::kUnitDma;
  };
  // mode: 0 clean, 1 corrupt a byte, 2 drop a run, 3 extra byte, 4 wrong pc, 5 missing retire
  for (int mode = 0; mode < 6; mode++) {
    ExpectedRun copy;
    for (int q = 0; q < dlpv::kQueues; q++) copy.q[q] = e.q[q];
    copy.ended = true;
    copy.result = e.result;
    Checker c(copy, true);
    bool injected = false;
    bool ok = true;
    for (size_t k = 0; k < ev.size() && ok; k++) {
      const dlpv::ExpInsn &x = e.q[ev[k].q][ev[k].i];
      int u = unit_of(ev[k].q);
      bool target = !injected && x.unit != DLP_UNIT_FE && !x.writes.empty() && k > ev.size() / 2;
      if (mode == 5 && target) {
        injected = true;
        continue;
      }
      for (size_t w = 0; w < x.writes.size(); w++) {
        const dlpv::WriteRun &run = x.writes[w];
        std::vector<uint8_t> data = run.data;
        if (mode == 2 && target && w == 0) continue;
        if (mode == 1 && target && w == 0) data[data.size() / 2] ^= 0x40;
        // split into beat-sized pieces in reverse order: the comparison must not depend on it
        for (size_t off = data.size(); off > 0;) {
          size_t n = std::min<size_t>(off, 16), at = off - n;
          c.Write(u, run.mem, run.addr + (uint32_t)at, (uint32_t)n, data.data() + at);
          off = at;
        }
      }
      if (mode == 3 && target) {
        uint8_t b = 0x5a;
        c.Write(u, DLP_MEM_NRAM, 0x1ffff & (x.pc * 7919), 1, &b);
      }
      uint32_t pc = x.pc + (mode == 4 && target ? 1 : 0);
      if (target) injected = true;
      ok = c.Retire(u, pc, x.end);
    }
    if (ok) ok = c.Finish();
    if (mode == 0 && !ok) return "clean replay rejected: " + c.Message();
    if (mode == 0 && c.Timing().any) return "clean replay reports a timing difference";
    if (mode > 0 && ok) return Fmt("fault %d was not detected", mode);
    if (g_opt.verbose && mode > 0) printf("     fault %d: %s\n", mode, c.Message().c_str());
  }
  return "";
}

// Every instruction class and every DMA space pair appears in the random programs.
std::string SelfTestCoverage(const std::vector<uint64_t> &seeds) {
  uint32_t cnt[DLP_I_COUNT] = {0}, pairs = 0, nested = 0, zero = 0, reg = 0, toks = 0;
  for (uint64_t s : seeds) {
    dlp_randprog_t p;
    char msg[300];
    if (dlp_randprog_generate(&g_cfg, s, nullptr, &p, msg, sizeof msg)) return msg;
    for (int i = 0; i < DLP_I_COUNT; i++) cnt[i] += p.id_count[i];
    pairs |= p.dma_pairs;
    nested += p.loops_nested;
    zero += p.loops_zero;
    reg += p.loops_reg;
    toks += p.tokens_used;
    dlp_randprog_free(&p);
  }
  std::string miss;
  for (int i = 0; i < DLP_I_COUNT; i++)
    if (!cnt[i]) miss += std::string(" ") + dlp_insn_info[i].mnemonic;
  for (int s = 0; s < 3; s++)
    for (int d = 0; d < 3; d++)
      if (!(s == 0 && d == 0) && !(pairs >> (s * 3 + d) & 1))
        miss += Fmt(" dma %s->%s", dlp_mem_name(s), dlp_mem_name(d));
  if (!nested) miss += " nested-loop";
  if (!zero) miss += " zero-count-loop";
  if (!reg) miss += " loopr";
  if (!toks) miss += " tokens";
  if (!miss.empty()) return "never generated:" + miss;
  std::string s = "classes:";
  for (int i = 0; i < DLP_I_COUNT; i++) s += Fmt(" %s=%u", dlp_insn_info[i].mnemonic, cnt[i]);
  if (g_opt.verbose) printf("     %s nested=%u zero=%u loopr=%u tokens=%u\n", s.c_str(), nested,
                            zero, reg, toks);
  return "";
}

#ifdef SIM_NETS
// The network tests' own plumbing: the .dlpw reader accepts a well-formed file and rejects
// truncated, padded and mistyped ones; a strided tensor is written row by row where its
// strides say and read back unchanged, bytes between rows untouched. (The sw/nets packages
// have dense input tensors, so the runs themselves do not exercise the strided path.)
std::string SelfTestNetIo() {
  auto u32 = [](std::vector<uint8_t> *b, uint32_t v) {
    for (int i = 0; i < 4; i++) b->push_back((uint8_t)(v >> (8 * i)));
  };
  std::vector<uint8_t> f = {'D', 'L', 'P', 'W'};
  u32(&f, 1);
  u32(&f, 2);
  f.insert(f.end(), {5, 0, 'i', 'n', 'p', 'u', 't', 1, 2});  // int8 2x3
  u32(&f, 2);
  u32(&f, 3);
  f.insert(f.end(), {1, 0xff, 2, 0xfe, 3, 0x80});
  f.insert(f.end(), {5, 0, 'l', 'a', 'b', 'e', 'l', 2, 1});  // int32 2
  u32(&f, 2);
  u32(&f, 7);
  u32(&f, (uint32_t)-9);
  dlpv::Dlpw w;
  std::string err;
  if (!dlpv::ParseDlpw(f, &w, &err)) return "dlpw: a valid file rejected: " + err;
  const dlpv::DlpwRecord *in = w.Find("input"), *lb = w.Find("label");
  if (!in || !lb || in->Shape() != "2x3" || in->Inner() != 3 || in->I8()[3] != -2 ||
      in->I8()[5] != -128 || lb->I32(0) != 7 || lb->I32(1) != -9)
    return "dlpw: records read wrongly";
  std::vector<uint8_t> bad = f;
  bad.pop_back();
  if (dlpv::ParseDlpw(bad, &w, &err)) return "dlpw: a truncated file accepted";
  bad = f;
  bad.push_back(0);
  if (dlpv::ParseDlpw(bad, &w, &err)) return "dlpw: trailing bytes accepted";
  bad = f;
  bad[19] = 4;  // type of the first record
  if (dlpv::ParseDlpw(bad, &w, &err)) return "dlpw: type 4 accepted";
  // a 1x3x4x2 tensor, rows 12 bytes apart (8 bytes of data each), at 0x100
  dlp_net_tensor_t t{};
  t.addr = 0x100;
  t.ndims = 4;
  t.dims[0] = 1, t.dims[1] = 3, t.dims[2] = 4, t.dims[3] = 2;
  t.row_stride = 12;
  t.bytes = 32;
  int8_t data[24];
  for (int i = 0; i < 24; i++) data[i] = (int8_t)(i + 1);
  std::vector<uint8_t> mem(0x200, 0xee);
  std::vector<Region> rs = TensorRegions(t, data);
  if (rs.size() != 3 || rs[1].addr != 0x10c || rs[2].addr != 0x118 || rs[2].data.size() != 8)
    return "layout: rows not at addr + r * row_stride";
  for (auto &r : rs) std::copy(r.data.begin(), r.data.end(), mem.begin() + (std::ptrdiff_t)r.addr);
  std::vector<int8_t> back = TensorRead(t, mem.data());
  if (back.size() != 24 || !std::equal(back.begin(), back.end(), data))
    return "layout: strided tensor not read back unchanged";
  if (mem[0x108] != 0xee || mem[0x10b] != 0xee || mem[0x120] != 0xee || mem[0xff] != 0xee)
    return "layout: bytes between rows written";
  t.bytes = 31;
  TensorLayout L;
  if (LayoutOf(t, &L, &err)) return "layout: a tensor larger than its bytes accepted";
  return "";
}
#endif

#include "buserr_tests.h"

// ---- main ----------------------------------------------------------------------------------------

void Usage() {
  printf(
      "usage: sim_" SHAPE_NAME " [options]\n"
      "Co-simulates the Verilated OpenDLP core (shape " SHAPE_NAME ") against the C model.\n"
      "  --list                 list the tests and exit\n"
      "  --test PATTERN         run tests whose name contains PATTERN (repeatable); a test\n"
      "                         name is dir/NAME, fw/PROG/CASE, rand/SEED, selftest/..., or\n"
      "                         stall/TEST@SEED\n"
      "  --seed N               seed: of the random programs (rand/N ...) and stall runs; with\n"
      "                         --test rand or --test stall/TEST it names the one to replay\n"
      "  --random N             random programs (default 200)\n"
      "  --fault N              fault programs: random programs ending with an error (default 0)\n"
      "  --stall-random N       random programs also run under every stall seed (default 16)\n"
      "  --lat-random N         random programs also run, cycle-exact, at DRAM latency 1, 80 or\n"
      "                         200 (default 40; test names latL/rand/SEED)\n"
      "  --stall-seeds A,B,..   stall seeds (default: 3 derived from --seed)\n"
      "  --waves DIR            write DIR/<test>.fst and a GTKWave save file DIR/<test>.gtkw\n"
      "                         for every test run (binary built with traces: WAVES=1)\n"
      "  --strict-timing        a cycle difference fails the test\n"
      "  --model-only           run the tests on the C model only\n"
      "  --no-firmware          skip firmware cases\n"
      "  --no-nets              skip the network tests (net/NET/SAMPLE)\n"
      "  --net-samples N        test samples per network (default: adder4 16, mlp 8, lenet5 8,\n"
      "                         rescnn 8); --test net/NET/I runs sample I in any case\n"
      "  --nets DIR             compiled packages DIR/" SHAPE_NAME "/NET.dlpn (default WORK/nets)\n"
      "  --nets-src DIR         the networks' test sets and expected outputs (default sw/nets)\n"
      "  --fw-build DIR         where the firmware generators are (default build/rel)\n"
      "  --work DIR             scratch directory (default build/rel/sim)\n"
      "  -v                     more detail\n");
}

}  // namespace

int main(int argc, char **argv) {
  std::string stall_seed_list;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        fprintf(stderr, "sim: %s needs a value\n", a.c_str());
        exit(2);
      }
      return argv[++i];
    };
    if (a == "--list") g_opt.list = true;
    else if (a == "--test") g_opt.patterns.push_back(val());
    else if (a == "--seed") {
      g_opt.seed = strtoull(val().c_str(), nullptr, 0);
      g_opt.have_seed = true;
    } else if (a == "--random") g_opt.n_random = atoi(val().c_str());
    else if (a == "--stall-random") g_opt.stall_random = atoi(val().c_str());
    else if (a == "--fault") g_opt.n_fault = atoi(val().c_str());
    else if (a == "--lat-random") g_opt.lat_random = atoi(val().c_str());
    else if (a == "--stall-seeds") stall_seed_list = val();
    else if (a == "--waves") g_opt.waves = val();
    else if (a == "--strict-timing") g_opt.strict_timing = true;
    else if (a == "--model-only") g_opt.model_only = true;
    else if (a == "--no-firmware") g_opt.no_fw = true;
    else if (a == "--no-nets") g_opt.no_nets = true;
    else if (a == "--net-samples") g_opt.net_samples = atoi(val().c_str());
    else if (a == "--nets") g_opt.nets_pkgs = val();
    else if (a == "--nets-src") g_opt.nets_src = val();
    else if (a == "--fw-build") g_opt.fw_build = val();
    else if (a == "--work") g_opt.work = val();
    else if (a == "--progs") g_opt.progs_dir = val();
    else if (a == "-v") g_opt.verbose = true;
    else if (a == "-h" || a == "--help") {
      Usage();
      return 0;
    } else {
      fprintf(stderr, "sim: unknown option %s (see --help)\n", a.c_str());
      return 2;
    }
  }
  if (g_opt.nets_pkgs.empty()) g_opt.nets_pkgs = g_opt.work + "/nets";
#if !VM_TRACE
  if (!g_opt.waves.empty()) {
    fprintf(stderr, "sim: this binary was built without traces; use make sim WAVES=1\n");
    return 2;
  }
#endif
  g_cfg = ShapeConfig();
  {
    char msg[200];
    if (dlp_config_check(&g_cfg, msg, sizeof msg)) {
      fprintf(stderr, "sim: shape configuration: %s\n", msg);
      return 2;
    }
  }
  uint64_t seed = g_opt.have_seed ? g_opt.seed : 1;
  if (!stall_seed_list.empty()) {
    std::stringstream ss(stall_seed_list);
    for (std::string x; std::getline(ss, x, ',');) g_opt.stall_seeds.push_back(strtoull(x.c_str(), nullptr, 0));
  } else {
    uint64_t s = seed * 7919 + 17;
    for (int i = 0; i < g_opt.n_stall_seeds; i++) g_opt.stall_seeds.push_back(SplitMix(&s) % 1000000);
  }

  // the test list: (name, kind, detail)
  struct Item {
    std::string name;
    int kind;  // 0 selftest, 1 directed, 2 firmware, 3 random, 4 network (detail: its name),
               // 5 fault program, 6 bus error (seed: the case's index)
    std::string detail;
    uint64_t seed;
    FwCase fw;
  };
  std::vector<Item> items;
  // a shape with memories smaller than the defaults runs only its firmware cases: the directed
  // and random programs are written for the default memory sizes
  bool small = P_NRAM < 131072 || P_WRAM < 262144 || P_ACC < 65536;
  if (!small) items.push_back({"selftest/checker", 0, "", 0, {}});
  if (!small) items.push_back({"selftest/randprog-coverage", 0, "", 0, {}});
#ifdef SIM_NETS
  if (!g_opt.no_nets) items.push_back({"selftest/net-io", 0, "", 0, {}});
#endif
  if (!small)
    for (auto &d : ListDirected()) items.push_back({"dir/" + d, 1, d, 0, {}});
  for (auto &c : ListFirmware()) items.push_back({"fw/" + c.prog + "/" + c.name, 2, "", 0, c});
#ifdef SIM_NETS
  // networks: the first samples of each test set, and any net/NET/I a pattern names
  for (const NetDef &d : kNets) {
    int n = g_opt.no_nets ? 0 : g_opt.net_samples >= 0 ? g_opt.net_samples : d.samples;
    for (int i = 0; i < n; i++)
      items.push_back({Fmt("net/%s/%d", d.name, i), 4, d.name, (uint64_t)i, {}});
  }
  for (auto &p0 : g_opt.patterns) {
    std::string p = p0.compare(0, 6, "stall/") == 0 ? p0.substr(6) : p0;
    if (p.compare(0, 3, "lat") == 0 && p.find('/') != std::string::npos) p = p.substr(p.find('/') + 1);
    if (p.find('@') != std::string::npos) p = p.substr(0, p.find('@'));
    for (const NetDef &d : kNets) {
      std::string pre = std::string("net/") + d.name + "/";
      if (p.compare(0, pre.size(), pre) != 0 || p.size() == pre.size() ||
          p.find_first_not_of("0123456789", pre.size()) != std::string::npos)
        continue;
      bool have = false;
      for (auto &it : items) have |= it.name == p;
      if (!have)
        items.push_back({p, 4, d.name, strtoull(p.c_str() + pre.size(), nullptr, 10), {}});
    }
  }
#endif
  std::vector<uint64_t> rseeds;
  for (int i = 0; i < g_opt.n_random && !small; i++) rseeds.push_back(seed * 100000 + (uint64_t)i);
  // a replay of one random program: --test rand --seed N
  bool replay_rand = false;
  for (auto &p : g_opt.patterns)
    if ((p == "rand" || p == "rand/") && g_opt.have_seed) replay_rand = true;
  if (replay_rand) rseeds = {g_opt.seed};
  for (auto &p0 : g_opt.patterns) {
    std::string p = p0.compare(0, 6, "stall/") == 0 ? p0.substr(6) : p0;
    if (p.compare(0, 5, "rand/") == 0 && p.size() > 5 && isdigit((unsigned char)p[5])) {
      rseeds.push_back(strtoull(p.c_str() + 5, nullptr, 10));
    }
  }
  std::sort(rseeds.begin(), rseeds.end());
  rseeds.erase(std::unique(rseeds.begin(), rseeds.end()), rseeds.end());
  for (uint64_t s : rseeds) items.push_back({Fmt("rand/%" PRIu64, s), 3, "", s, {}});
  for (size_t i = 0; i < sizeof kBusErrCases / sizeof kBusErrCases[0] && !small; i++)
    items.push_back({std::string("buserr/") + kBusErrCases[i].name, 6, "", i, {}});
  for (int i = 0; i < g_opt.n_fault && !small; i++)
    items.push_back({Fmt("fault/%" PRIu64, seed * 100000 + (uint64_t)i), 5, "",
                     seed * 100000 + (uint64_t)i, {}});
  for (auto &p : g_opt.patterns)  // a replay: --test fault/N
    if (p.compare(0, 6, "fault/") == 0 && p.size() > 6 && isdigit((unsigned char)p[6])) {
      uint64_t s = strtoull(p.c_str() + 6, nullptr, 10);
      bool have = false;
      for (auto &it : items) have |= it.kind == 5 && it.seed == s;
      if (!have && !small) items.push_back({p, 5, "", s, {}});
    }

  auto exact_name = [&](const std::string &q) {
    for (auto &it : items)
      if (it.name == q) return true;
    return false;
  };
  // latL/TEST: TEST in exact mode at DRAM latency L
  auto lat_of = [](const std::string &p, std::string *rest) -> unsigned {
    size_t i = 3;
    if (p.compare(0, 3, "lat") != 0) return 0;
    while (i < p.size() && isdigit((unsigned char)p[i])) i++;
    if (i == 3 || i >= p.size() || p[i] != '/') return 0;
    *rest = p.substr(i + 1);
    return (unsigned)atoi(p.c_str() + 3);
  };
  unsigned forced_lat = 0;
  bool lat_only = !g_opt.patterns.empty();
  for (auto &p : g_opt.patterns) {
    std::string rest;
    unsigned l = lat_of(p, &rest);
    if (l) {
      forced_lat = l;
      if (rest.compare(0, 5, "rand/") == 0 && rest.size() > 5 && isdigit((unsigned char)rest[5]))
        rseeds.push_back(strtoull(rest.c_str() + 5, nullptr, 10));
    } else {
      lat_only = false;
    }
  }
  if (forced_lat) {
    std::sort(rseeds.begin(), rseeds.end());
    rseeds.erase(std::unique(rseeds.begin(), rseeds.end()), rseeds.end());
    items.erase(std::remove_if(items.begin(), items.end(),
                               [](const Item &it) { return it.kind == 3; }),
                items.end());
    for (uint64_t s : rseeds) items.push_back({Fmt("rand/%" PRIu64, s), 3, "", s, {}});
  }
  auto selected = [&](const std::string &n) {
    if (g_opt.patterns.empty()) return true;
    for (auto &p0 : g_opt.patterns) {
      std::string p = p0, rest;
      if (lat_of(p0, &rest)) p = rest;
      std::string q = p.compare(0, 6, "stall/") == 0 ? p.substr(6) : p;
      size_t at = q.find('@');
      if (at != std::string::npos) q = q.substr(0, at);
      if (q == "rand" || q == "rand/") {
        if (n.compare(0, 5, "rand/") == 0) return true;
        continue;
      }
      if (exact_name(q)) {  // a full test name selects that test only
        if (n == q) return true;
        continue;
      }
      if (n == q || (n.find(q) != std::string::npos && q.find('/') == std::string::npos) ||
          n.compare(0, q.size(), q) == 0)
        return true;
    }
    return false;
  };
  bool stall_only = false, stall_pattern = false;
  std::vector<uint64_t> stall_seeds = g_opt.stall_seeds;
  for (auto &p : g_opt.patterns)
    if (p.compare(0, 6, "stall/") == 0) {
      stall_pattern = true;
      size_t at = p.find('@');
      if (at != std::string::npos) stall_seeds = {strtoull(p.c_str() + at + 1, nullptr, 10)};
      else if (g_opt.have_seed) stall_seeds = {g_opt.seed};
    }
  g_opt.explicit_stall = stall_pattern;
  stall_only = stall_pattern && std::all_of(g_opt.patterns.begin(), g_opt.patterns.end(),
                                            [](const std::string &p) {
                                              return p.compare(0, 6, "stall/") == 0;
                                            });
  if (g_opt.list) {
    for (auto &it : items)
      if (selected(it.name)) printf("%s\n", it.name.c_str());
    return 0;
  }
  printf("OpenDLP co-simulation, shape " SHAPE_NAME " (R=%d C=%d V=%d W=%d, NRAM %d KiB, WRAM "
         "%d KiB, ACC %d KiB): seed %" PRIu64 ", %zu random programs, stall seeds",
         P_ROWS, P_COLS, P_VLANES, P_BEAT, P_NRAM / 1024, P_WRAM / 1024, P_ACC / 1024, seed,
         rseeds.size());
  for (uint64_t s : stall_seeds) printf(" %" PRIu64, s);
  printf("%s\n", g_opt.model_only ? " (model only)" : "");
  fflush(stdout);

  Totals tot;
  std::vector<TestSpec> stall_tests;
  std::vector<const Item *> stall_nets;
  int n_stall_random = 0, n_lat_random = 0;
  auto t_start = std::chrono::steady_clock::now();
  for (auto &it : items) {
    if (!selected(it.name)) continue;
    if (it.kind == 0) {
      if (stall_only) continue;
      std::vector<uint64_t> cs(rseeds.begin(), rseeds.begin() + std::min<size_t>(rseeds.size(), 60));
      if (cs.empty()) cs = {1, 2, 3};
      std::string m = it.name == "selftest/checker" ? SelfTestChecker()
#ifdef SIM_NETS
                      : it.name == "selftest/net-io" ? SelfTestNetIo()
#endif
                                                     : SelfTestCoverage(cs);
      printf("%s %-6s %s%s%s\n", m.empty() ? "PASS" : "FAIL", SHAPE_NAME, it.name.c_str(),
             m.empty() ? "" : "\n     ", m.c_str());
      (m.empty() ? tot.pass : tot.fail)++;
      if (!m.empty()) tot.failures.push_back(it.name);
      continue;
    }
    if (it.kind == 6) {
      if (!stall_only && !lat_only && !g_opt.model_only) RunBusErrTest(kBusErrCases[it.seed], &tot);
      continue;
    }
    if (it.kind == 4) {
#ifdef SIM_NETS
      const NetSpec &ns = *GetNet(it.detail);
      if (!stall_only && !lat_only) RunNetTest(ns, (uint32_t)it.seed, false, 0, kLatency, &tot);
      // the first three samples also cycle-exact at DRAM latency 1, 80, 200 (as latL/rand/N)
      static const unsigned net_lats[3] = {1, 80, 200};
      if (!g_opt.model_only && !stall_only && forced_lat)
        RunNetTest(ns, (uint32_t)it.seed, false, 0, forced_lat, &tot);
      else if (!g_opt.model_only && g_opt.patterns.empty() && it.seed < 3)
        RunNetTest(ns, (uint32_t)it.seed, false, 0, net_lats[it.seed], &tot);
      if (!g_opt.model_only && (g_opt.patterns.empty() || stall_pattern))
        stall_nets.push_back(&it);
#endif
      continue;
    }
    TestSpec t;
    std::string err;
    bool ok = it.kind == 1 ? LoadDirected(g_opt.progs_dir + "/" + it.detail + ".s", it.name, &t, &err)
              : it.kind == 2 ? LoadFirmware(it.fw, &t, &err)
              : it.kind == 5 ? LoadFault(it.seed, &t, &err)
                             : LoadRandom(it.seed, &t, &err);
    if (!ok) {
      printf("FAIL %-6s %-28s %s\n", SHAPE_NAME, it.name.c_str(), err.c_str());
      tot.fail++;
      tot.failures.push_back(it.name);
      continue;
    }
    if (!stall_only && !lat_only) RunTest(t, false, 0, &tot);
    // the same program cycle-exact at another DRAM latency: 1 (the AXI pipeline at full rate),
    // 80 and 200 (bursts limited by MaxOutstanding)
    if (!g_opt.model_only && !stall_only &&
        (forced_lat || (it.kind == 3 && n_lat_random < g_opt.lat_random && g_opt.patterns.empty()))) {
      static const unsigned lats[3] = {1, 80, 200};
      TestSpec tl = t;
      tl.latency = forced_lat ? forced_lat : lats[it.seed % 3];
      tl.name = Fmt("lat%u/%s", tl.latency, t.name.c_str());
      RunTest(tl, false, 0, &tot);
      n_lat_random++;
    }
    bool want_stall = t.stall_ok && !g_opt.model_only &&
                      (stall_pattern || it.kind != 3 || n_stall_random < g_opt.stall_random);
    if (want_stall && (g_opt.patterns.empty() || stall_pattern)) {
      if (it.kind == 3) n_stall_random++;
      stall_tests.push_back(std::move(t));
    }
  }
  // robustness: the same programs under random DRAM stalls -- random programs under every
  // stall seed, directed and firmware tests under one seed each (rotating)
  size_t k = 0;
  for (auto &t : stall_tests) {
    if (stall_pattern || t.name.compare(0, 5, "rand/") == 0) {
      for (uint64_t s : stall_seeds) RunTest(t, true, s, &tot);
    } else {
      RunTest(t, true, stall_seeds[k++ % stall_seeds.size()], &tot);
    }
  }
#ifdef SIM_NETS
  // networks: every layer again under one stall seed (all of them when a stall test is named)
  for (const Item *it : stall_nets) {
    const NetSpec &ns = *GetNet(it->detail);
    if (stall_pattern) {
      for (uint64_t s : stall_seeds) RunNetTest(ns, (uint32_t)it->seed, true, s, kLatency, &tot);
    } else {
      RunNetTest(ns, (uint32_t)it->seed, true, stall_seeds[k++ % stall_seeds.size()], kLatency,
                 &tot);
    }
  }
#endif
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  printf("---- shape " SHAPE_NAME ": %d passed, %d failed in %.1f s", tot.pass, tot.fail, wall);
  if (tot.skipped || g_fw_skipped)
    printf(" (not run: %d stall repeats of programs over %" PRIu64 " cycles, %d firmware cases "
           "for configurations other than this shape's)",
           tot.skipped, g_opt.stall_max_cycles, g_fw_skipped);
  printf("\n");
  if (tot.timed)
    printf("cycle-exact: %d of %d timed runs; largest difference %+" PRId64 " cycles (%s)\n",
           tot.exact, tot.timed, tot.max_diff, tot.max_diff_test.c_str());
  if (tot.seconds > 0)
    printf("simulation speed: %.0f cycles/s (%" PRIu64 " RTL cycles in %.1f s of CPU time, "
           "lockstep checking included)\n",
           (double)tot.ticks / tot.seconds, tot.ticks, tot.seconds);
  if (!tot.bench.empty()) printf("benchmark: %s\n", tot.bench.c_str());
  if (tot.net_pass + tot.net_fail && g_opt.model_only)
    printf("networks: %d passed, %d failed (model only; outputs against "
           "sw/nets/*/expected.dlpw)\n", tot.net_pass, tot.net_fail);
  else if (tot.net_pass + tot.net_fail)
    printf("networks: %d passed, %d failed (%" PRIu64 " layer runs on the RTL, each checked "
           "retire by retire; outputs against sw/nets/*/expected.dlpw)\n",
           tot.net_pass, tot.net_fail, tot.net_runs);
  for (auto &f : tot.failures) printf("failed: %s\n", f.c_str());
  printf("%d passed, %d failed\n", tot.pass, tot.fail);
  return tot.fail ? 1 : 0;
}
