/* SPDX-License-Identifier: Apache-2.0 */
// fault/N: the co-simulation of runs that end with an error (issue 17). Included by sim_main.cc
// after LoadRandom and StartModel; a test kind of its own (kind 5 in main's test list).
//
// fault/N is random program N (rand/N's generator, with the fault seed space of its own) turned
// into a fault program by dlp_faultprog_mutate (verif/common/faultprog.h): cut before its
// halt, stopped by a cycle limit inside the run, one bit flipped, or one instruction replaced
// by a random word -- kept only when the changed instruction stops the run at its first
// dispatch (a changed instruction that runs may race; then the program is cut instead). The C
// model decides the outcome (an error, or still a halt); the RTL must
// agree retire by retire, on the cause, pc and info, the cycles and every counter
// (docs/timing.md, "Counters when a run stops with an error"). Exact DRAM timing only: a cycle
// limit or a flipped token pattern makes the outcome depend on timing.
#ifndef SIM_FAULT_TESTS_H
#define SIM_FAULT_TESTS_H

#include "faultprog.h"

// Runs t on the model alone: true when it stops with an error at instruction `index` without
// ever having retired it (the changed instruction did nothing before the stop).
bool StopsAtUnretired(const TestSpec &t, uint32_t index) {
  ModelRun mr;
  if (!StartModel(t, &mr)) return false;
  mr.RunToEnd();
  const dlp_result_t &r = mr.exp->result;
  if (r.status != DLP_ERROR || r.err_pc != index) return false;
  for (auto &q : mr.exp->q)
    for (auto &e : q)
      if (e.pc == index) return false;
  return true;
}

bool LoadFault(uint64_t seed, TestSpec *t, std::string *err) {
  if (!LoadRandom(seed, t, err)) return false;
  // the unmutated program's cycles: the range a cycle-limit mutation picks from
  ModelRun mr;
  if (!StartModel(*t, &mr)) {
    *err = mr.err;
    return false;
  }
  dlp_set_retire_cb(mr.m, nullptr, nullptr, 0);
  dlp_advance(mr.m, UINT64_MAX);
  dlp_result_t r;
  dlp_get_result(mr.m, &r);
  std::vector<uint32_t> orig = t->words;
  uint32_t orig_len = t->prog_len, index = 0;
  char what[128];
  uint64_t limit = 0;
  int kind = dlp_faultprog_mutate(seed, DLP_FAULTPROG_ANY, t->words.data(), &t->prog_len,
                                  r.counters.cycles, &limit, &index, what, sizeof what);
  t->cycle_limit = limit;
  // a changed instruction that ran may race with another unit (faultprog.h): cut instead
  if ((kind == DLP_FAULTPROG_FLIP || kind == DLP_FAULTPROG_WORD) && !StopsAtUnretired(*t, index)) {
    t->words = orig;
    t->prog_len = orig_len;
    dlp_faultprog_mutate(seed, DLP_FAULTPROG_CUT, t->words.data(), &t->prog_len,
                         r.counters.cycles, &limit, &index, what, sizeof what);
    t->cycle_limit = limit;
  }
  t->words.resize(4 * (size_t)t->prog_len);
  t->name = Fmt("fault/%" PRIu64, seed);
  t->has_expect = false;  // whatever the model says
  t->stall_ok = false;
  t->source += std::string(", ") + what;
  return true;
}

#endif
