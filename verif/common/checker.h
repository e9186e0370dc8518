/* SPDX-License-Identifier: Apache-2.0 */
// Lockstep retire checker: the RTL's trace port against the C model's retire stream.
//
// The C model runs first with the same configuration and memory image; its retire callback
// records, per queue (FE, LD, CP, VF, ST), the ordered instructions with their write records
// (ExpectedRun). While the RTL runs, the test bench feeds the checker every write it sees on the
// trace port -- DMA: NRAM/WRAM port-A writes and AXI W beats; CP: ACC writes and the VFU's NRAM
// writes for a CP instruction; VF: the VFU's NRAM writes for a VF instruction; FE: register
// writes -- and every unit retire. At a retire the writes accumulated for that unit
// since its previous retire must equal the model's record of the instruction: same pc, the same
// final bytes at the same addresses, nothing extra, nothing missing. Several writes to one byte
// (partial sums of an mm, padding written before data) count by their last value, which is what
// the model records. The first difference stops the check with a message naming the cycle, the
// disassembled instruction, the address and the expected and actual values.
//
// DMA retires are matched by pc against the heads of the LD and ST lists, because the engine's
// choice between two ready queues depends on timing (randomised DRAM stalls); FE, CP and VF
// retire strictly in order.
#ifndef DLP_CHECKER_H
#define DLP_CHECKER_H

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dlp.h"

namespace dlpv {

// Trace units of dlp_top.
enum TraceUnit { kUnitFe = 0, kUnitDma = 1, kUnitCp = 2, kUnitVf = 3, kUnits = 4 };
// Queues as the checker keeps them: the four dlp_queue values and the front end.
enum { kQLd = DLP_Q_LD, kQCp = DLP_Q_CP, kQSt = DLP_Q_ST, kQVf = DLP_Q_VF, kQFe = 4, kQueues = 5 };

// A contiguous write: mem (enum dlp_mem), first byte address (ACC: element index * 4,
// REG: register * 4) and the bytes.
struct WriteRun {
  uint8_t mem;
  uint32_t addr;
  std::vector<uint8_t> data;
};

struct ExpInsn {
  uint32_t pc = 0;
  uint64_t start = 0, end = 0;
  int unit = 0;  // enum dlp_unit
  uint32_t w[4] = {0, 0, 0, 0};
  std::vector<WriteRun> writes;
};

// The model's run as a stream: retired instructions per queue, in retire order, consumed by the
// checker from the front. `more` (optional) advances the model until at least one further
// instruction retired or the run ended, returning false when nothing more will come; the
// checker calls it when it needs an instruction the model has not produced yet, so the model
// runs just ahead of the RTL and memory stays bounded however long the program. `ended` and
// `result` describe the model's run once it is over.
struct ExpectedRun {
  std::deque<ExpInsn> q[kQueues];
  bool ended = false;
  dlp_result_t result{};
  uint64_t n_retired = 0;
  std::function<bool()> more;
  // Register as the model's retire callback: dlp_set_retire_cb(m, ExpectedRun::Callback, &run, 1)
  static void Callback(void *ctx, const dlp_retire_t *r);
};

struct TimingNote {
  bool any = false;
  uint64_t rtl_cycle = 0, model_cycle = 0;
  uint32_t pc = 0;
  int queue = 0;
  std::string text;
};

// The final byte values of a set of writes: a sparse, paged overlay of the address space
// (key = mem << 32 | byte address) that keeps the last value of every byte and the keys in
// first-write order. Clear() is O(1) (a generation stamp), so one overlay serves every retire.
class ByteOverlay {
 public:
  void Clear() {
    gen_++;
    keys_.clear();
  }
  void Put(uint64_t key, const uint8_t *data, uint32_t n);
  bool Get(uint64_t key, uint8_t *v) const;
  const std::vector<uint64_t> &Keys() const { return keys_; }

 private:
  static constexpr unsigned kPageBits = 12;
  struct Page {
    uint32_t stamp[1u << kPageBits];
    uint8_t val[1u << kPageBits];
  };
  Page *Find(uint64_t page) const;
  Page *Make(uint64_t page);
  std::vector<std::pair<uint64_t, std::unique_ptr<Page>>> pages_;  // sorted by page
  mutable size_t last_ = 0;
  uint32_t gen_ = 1;
  std::vector<uint64_t> keys_;
};

class Checker {
 public:
  // When the model's run ends with an error, instructions in flight at the error may or may not
  // retire in the RTL (docs/timing.md: their effects are unspecified); such RTL retires past the
  // model's last one are counted (Unchecked()) but not compared.
  Checker(ExpectedRun &exp, bool compare_timing);
  // The RTL's run is expected to stop with an error the model cannot have (an AXI error response
  // injected by the test bench): the model's retires that the RTL did not reach are noted, not
  // failed, as after a model error. Every RTL retire is still compared.
  void ExpectEarlyStop() { early_stop_ = true; }

  // Writes seen on the trace port in the current cycle, attributed to a unit.
  void Write(int unit, int mem, uint32_t addr, uint32_t nbytes, const uint8_t *data);
  // An AXI W beat of the DMA: beat address (aligned to beat_bytes), data and strobes.
  void DramBeat(uint64_t beat_addr, const uint8_t *data, const uint8_t *strb_bits,
                uint32_t beat_bytes);
  // A unit retired the instruction at pc in cycle `cycle` (cycle 0 = first cycle of the run).
  // Returns false at the first mismatch (see Message()).
  bool Retire(int unit, uint32_t pc, uint64_t cycle);
  // After the run (the model's stream is drained first): every expected instruction retired
  // (for a run the model ended with halt).
  bool Finish();

  bool Failed() const { return failed_; }
  const std::string &Message() const { return msg_; }
  const TimingNote &Timing() const { return timing_; }
  uint64_t Retired() const { return retired_; }
  uint64_t Unchecked() const { return unchecked_; }  // RTL retires past the model's error
  std::string Notes() const { return notes_; }

 private:
  bool Fail(const std::string &m);
  bool Compare(int unit, int queue, const ExpInsn &e, uint64_t cycle);
  bool More() { return exp_.more && !exp_.ended && exp_.more(); }
  bool ModelError() const { return early_stop_ || (exp_.ended && exp_.result.status != DLP_DONE); }
  std::string HeadText(int q) const;

  ExpectedRun &exp_;
  bool timing_on_;
  ByteOverlay pending_[kUnits];  // writes of each trace unit since its last retire
  ByteOverlay want_;        // the model's writes of the instruction being compared
  bool failed_ = false, early_stop_ = false;
  std::string msg_, notes_;
  TimingNote timing_;
  uint64_t retired_ = 0, unchecked_ = 0;
};

// Text of one instruction, "pc 12: dma nram[r1], dram[r2], 64".
std::string DescribeInsn(uint32_t pc, const uint32_t w[4]);

}  // namespace dlpv

#endif
