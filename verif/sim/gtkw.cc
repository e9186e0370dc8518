// SPDX-License-Identifier: Apache-2.0
// GTKWave save files for the co-simulation's waveforms (make sim TEST=... WAVES=1).
//
// WriteGtkw(fst) is called when a traced test starts; the save file <fst without .fst>.gtkw is
// written when the process exits, after every bench has closed its FST, from the FST's own
// signal hierarchy (fstapi's reader). So the groups hold exactly the signals the dump has --
// whatever the shape, and across renames inside a block, a group keeps the signals that still
// match its patterns; a pattern that matches nothing leaves its group smaller, never a dangling
// name. [dumpfile] is the path as the harness was given it: relative to the directory make sim
// runs in (the repository), so `gtkwave build/rel/sim/waves/16x16/x.gtkw` works from there and
// the build tree can move.
//
// Groups: ports and interrupt; AXI-Lite (CSRs); AXI read; AXI write; front end; scheduler
// (queue counts and heads, token channels, busy units); DMA; MFU and the systolic array's
// ports; VFU (controls, and each lane's operand and result); trace port.
// verif/sim/check-gtkw.sh opens a save file in GTKWave and checks that every signal it names
// is found.

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#if VM_TRACE_FST
#include "gtkwave/fstapi.h"
#endif

void WriteGtkw(const std::string &fst);

namespace {

struct Var {
  std::string scope;  // dotted, e.g. dlp_top.dlp_top.u_sched
  std::string name;   // e.g. q_cnt_q[0] (the range part dropped)
  std::string full;   // as GTKWave names it: scope.name[msb:lsb]
  unsigned width;
};

struct Group {
  const char *title;
  const char *scope;  // scope relative to the core, "" for the core itself
  const char *names;  // regular expression the signal name must match entirely
};

// The core's scope is the parent of the scheduler's: dlp_top.dlp_top in make sim.
const Group kGroups[] = {
    {"core: clock, reset, interrupt", "", "clk_i|rst_ni|irq_o"},
    {"AXI-Lite (CSRs)", "", "s_axil_.*"},
    {"AXI read (AR/R)", "", "m_axi_(ar|r)[a-z]*_[io]"},
    {"AXI write (AW/W/B)", "", "m_axi_(aw|w|b)[a-z]*_[io]"},
    {"front end", "u_frontend",
     "pc_o|push_o|push_queue_o|stalled_o|retire_o|halt_o|err_o|err_cause_o|sp_q"},
    {"scheduler: queues and tokens", "u_sched",
     "(q_cnt_q|q_head_q|tok_q)\\[.*|[a-z]+_busy_q|[a-z]+_queue_q|[a-z]+_pc_q|[a-z]+_sig_q|"
     "cp_mfu_q|rr_last_ld_q|[a-z]+_start_o|[a-z]+_done_i"},
    {"DMA", "u_dma",
     "start_i|done_o|busy_o|idle_o|fetch_(start_i|addr_i|bytes_i|done_o)|"
     "(nram|wram|imem)_(en|we|addr|len)_o"},
    {"MFU", "u_mfu",
     "start_i|busy_o|done_o|nram_(en|addr)_o|wram_(en|addr)_o|acc_rd_(en|addr)_o|"
     "acc_we_o|acc_wr_(addr|len)_o"},
    {"MFU systolic array (rows in, psums out)", "u_mfu.u_array",
     "x_i|sel_i|w_i|w_first_i|w_bank_i|psum_o"},
    {"VFU", "u_vfu",
     "start_i|busy_o|done_o|md_q|nram_(en|we|addr|len)_o|wram_(en|addr)_o|acc_(en|addr)_o"},
    {"VFU lanes (operand a_q, result res_q)", "u_vfu.g_lane\\[[0-9]+\\]", "a_q|res_q"},
    {"trace port", "", "tr_.*"},
};

std::vector<std::string> &Pending() {
  static std::vector<std::string> p;
  return p;
}

#if VM_TRACE_FST
// Every variable of the dump, in hierarchy order.
bool ReadVars(const std::string &fst, std::vector<Var> *out) {
  void *r = fstReaderOpen(fst.c_str());
  if (!r) return false;
  std::vector<std::string> stack;
  while (fstHier *h = fstReaderIterateHier(r)) {
    if (h->htyp == FST_HT_SCOPE) {
      stack.push_back(stack.empty() ? std::string(h->u.scope.name)
                                    : stack.back() + "." + h->u.scope.name);
    } else if (h->htyp == FST_HT_UPSCOPE) {
      if (!stack.empty()) stack.pop_back();
    } else if (h->htyp == FST_HT_VAR && !stack.empty()) {
      std::string n = h->u.var.name, range;
      size_t sp = n.find(' ');  // Verilator writes "name [msb:lsb]"
      if (sp != std::string::npos) {
        range = n.substr(sp + 1);
        n = n.substr(0, sp);
      }
      out->push_back({stack.back(), n, stack.back() + "." + n + range, h->u.var.length});
    }
  }
  fstReaderClose(r);
  return true;
}

void Write(const std::string &fst) {
  std::vector<Var> vars;
  if (!ReadVars(fst, &vars)) {
    fprintf(stderr, "waves: cannot read %s back to write its GTKWave save file\n", fst.c_str());
    return;
  }
  std::string core;
  for (const Var &v : vars) {
    size_t p = v.scope.rfind(".u_sched");
    if (p != std::string::npos && p + 8 == v.scope.size()) {
      core = v.scope.substr(0, p);
      break;
    }
  }
  std::string path = fst.substr(0, fst.rfind('.')) + ".gtkw";
  FILE *f = fopen(path.c_str(), "w");
  if (!f) return;
  fprintf(f, "[dumpfile] \"%s\"\n[timestart] 0\n", fst.c_str());
  for (const Group &g : kGroups) {
    std::regex scope_re(core.empty() ? std::string("$^")
                                     : std::regex_replace(core, std::regex("[.\\[\\]]"), "\\$&") +
                                           (g.scope[0] ? std::string("\\.") + g.scope : ""));
    std::regex name_re(g.names);
    std::vector<const Var *> sel;
    for (const Var &v : vars)
      if (std::regex_match(v.scope, scope_re) && std::regex_match(v.name, name_re))
        sel.push_back(&v);
    if (sel.empty()) continue;
    fprintf(f, "@800200\n-%s\n", g.title);
    for (const Var *v : sel) fprintf(f, "%s\n%s\n", v->width > 1 ? "@22" : "@28", v->full.c_str());
    fprintf(f, "@1000200\n-%s\n", g.title);
  }
  fclose(f);
}
#endif

struct AtExit {
  ~AtExit() {
#if VM_TRACE_FST
    for (const std::string &fst : Pending()) Write(fst);
#endif
  }
};

}  // namespace

void WriteGtkw(const std::string &fst) {
  std::vector<std::string> &pending = Pending();  // constructed first, so destroyed last
  static AtExit at_exit;  // destroyed after main returns: every bench has closed its dump
  (void)at_exit;
  pending.push_back(fst);
  printf("waves: %s (GTKWave save file %s)\n", fst.c_str(),
         (fst.substr(0, fst.rfind('.')) + ".gtkw").c_str());
}
