/* SPDX-License-Identifier: Apache-2.0 */
// buserr/<case>: the whole core when the DRAM answers an AXI transaction with an error (issue
// 17). Included by sim_main.cc after RunTest; kind 6 in main's test list.
//
// The test bench's DRAM (verif/common/axi_dram.h, err_burst/err_resp) answers SLVERR or DECERR
// on one chosen burst of a program that fetches, loads 4 KiB and stores them back: the program
// fetch, the first or a later DMA read burst, the first or the last DMA write burst. The C model
// has no AXI errors, so the expectation is the documented behaviour (docs/csr.md, docs/rtl.md):
//   - the run ends with STATUS.error, ERR_CAUSE = BUS_ERROR and the error interrupt, within the
//     cycle limit (no hang), with no AXI transaction left in flight and no protocol violation;
//   - every instruction the RTL retired before the error matches the model's retire;
//   - the same core then runs the program again without the error and the whole outcome (retires,
//     cycles, counters, final DRAM) equals the model's: nothing of the failed run is left behind.
#ifndef SIM_BUSERR_TESTS_H
#define SIM_BUSERR_TESTS_H

struct BusErrCase {
  const char *name;
  int burst;  // 1: the fetch; 2..: 1 + k for the k-th DMA read burst; < 0: -k-th write burst
  uint8_t resp;
};

const BusErrCase kBusErrCases[] = {
    {"fetch-slverr", 1, 2},       {"fetch-decerr", 1, 3},      {"load-first-decerr", 2, 3},
    {"load-late-slverr", 7, 2},   {"store-first-slverr", -1, 2}, {"store-last-decerr", -16, 3},
};

bool LoadBusErr(const BusErrCase &c, TestSpec *t, std::string *err) {
  const char *src =
      "    li r1, 0x10000\n    li r2, 0x20000\n"
      "    dma nram[r0], dram[r1], 4096\n    sync\n"
      "    dma dram[r2], nram[r0], 4096\n    sync\n    halt\n";
  dlp_asm_result_t r;
  if (dlp_asm_string(src, "buserr.s", nullptr, &r)) {
    *err = r.n_messages ? r.messages[0] : "assembly failed";
    dlp_asm_result_free(&r);
    return false;
  }
  t->words.assign(r.words, r.words + 4 * (size_t)r.n_insns);
  t->prog_len = r.n_insns;
  dlp_asm_result_free(&r);
  std::vector<uint8_t> data(4096);
  for (size_t i = 0; i < data.size(); i++) data[i] = (uint8_t)(i * 37 + (i >> 7));
  t->init.push_back({0x10000, data});
  t->name = std::string("buserr/") + c.name;
  t->source = "verif/sim/buserr_tests.h";
  t->stall_ok = false;
  // bursts: one for the fetch (7 instructions), then 4 KiB of reads, then 4 KiB of writes
  uint64_t per = (uint64_t)g_cfg.beat_bytes * g_cfg.burst_beats, reads = 4096 / per;
  t->bus_err_burst = c.burst > 0 ? (uint64_t)c.burst : 1 + reads + (uint64_t)(-c.burst);
  if (c.burst < -(int64_t)reads) t->bus_err_burst = 1 + 2 * reads;  // the last write burst
  t->bus_err_resp = c.resp;
  return true;
}

void RunBusErrTest(const BusErrCase &c, Totals *tot) {
  TestSpec t;
  std::string err, why;
  auto result = [&](const std::string &s, const std::string &detail) {
    printf("%s %-6s %-28s %s%s%s\n", s.empty() ? "PASS" : "FAIL", SHAPE_NAME, t.name.c_str(),
           detail.c_str(), s.empty() ? "" : "\n     ", s.c_str());
    (s.empty() ? tot->pass : tot->fail)++;
    if (!s.empty()) tot->failures.push_back(t.name);
  };
  if (!LoadBusErr(c, &t, &err)) return result(err, "");
#ifndef SIM_NO_RTL
  ModelRun mr;
  if (!StartModel(t, &mr)) return result("model: " + mr.err, "");
  Bench b(t, *mr.exp, false, 0, "");
  RtlResult r;
  b.Run(&r);
  if (!r.err.empty()) why = r.err;
  else if (!(r.status & DLP_CSR_STATUS_ERROR_MASK) || r.cause != DLP_CAUSE_BUS_ERROR)
    why = Fmt("STATUS 0x%x, ERR_CAUSE %s: expected an error with BUS_ERROR", r.status,
              dlp_cause_name((int)r.cause));
  else if ((r.irq_status & 3) != 2 || !r.irq_seen)
    why = Fmt("IRQ_STATUS 0x%x, interrupt %s: expected the error interrupt", r.irq_status,
              r.irq_seen ? "seen" : "not seen");
  if (!why.empty())
    return result(why, Fmt("burst %" PRIu64 " %s", t.bus_err_burst, t.bus_err_resp == 3 ? "DECERR" : "SLVERR"));
  std::string first = Fmt("burst %" PRIu64 " %s: BUS_ERROR after %" PRIu64 " cycles, %" PRIu64
                          " retired; ", t.bus_err_burst, t.bus_err_resp == 3 ? "DECERR" : "SLVERR",
                          r.ctr[0], r.ctr[7]);
  // the same core again, without the error: the model's outcome exactly
  TestSpec t2 = t;
  t2.bus_err_burst = 0;
  ModelRun mr2;
  if (!StartModel(t2, &mr2)) return result("model: " + mr2.err, first);
  b.Next(t2, *mr2.exp);
  RtlResult r2;
  b.Run(&r2, false);
  mr2.RunToEnd();
  why = r2.err.empty() ? CompareOutcome(t2, mr2, r2, b.Dram(), false) : r2.err;
  if (why.empty() && r2.ctr[0] != mr2.exp->result.counters.cycles)
    why = Fmt("the run after the error took %" PRIu64 " cycles, the model's %" PRIu64, r2.ctr[0],
              mr2.exp->result.counters.cycles);
  result(why.empty() ? "" : "the run after the error: " + why,
         first + Fmt("then %" PRIu64 " cycles as the model", r2.ctr[0]));
#else
  result("built without the RTL (SIM_NO_RTL)", "");
#endif
}

#endif
