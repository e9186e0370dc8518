// SPDX-License-Identifier: Apache-2.0
// Lockstep retire checker; see checker.h.
#include "checker.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <utility>

#include "dlp_asm.h"

namespace dlpv {

namespace {

const char *QueueName(int q) {
  static const char *n[] = {"LD", "CP", "ST", "VF", "FE"};
  return q >= 0 && q < kQueues ? n[q] : "?";
}

const char *UnitName(int u) {
  static const char *n[] = {"FE", "DMA", "CP", "VF"};
  return u >= 0 && u < kUnits ? n[u] : "?";
}

std::string Fmt3(uint64_t cycle, int unit, int queue) {
  char b[96];
  snprintf(b, sizeof b, "cycle %" PRIu64 ": %s (%s queue) ", cycle, UnitName(unit),
           QueueName(queue));
  return b;
}

std::string Where(uint64_t key) {
  int mem = (int)(key >> 32);
  uint32_t a = (uint32_t)key;
  char buf[96];
  if (mem == DLP_MEM_ACC)
    snprintf(buf, sizeof buf, "acc[%u] byte %u", a / 4, a % 4);
  else if (mem == DLP_MEM_REG)
    snprintf(buf, sizeof buf, "r%u byte %u", a / 4, a % 4);
  else
    snprintf(buf, sizeof buf, "%s[0x%x]", dlp_mem_name(mem), a);
  return buf;
}

// Up to 16 consecutive bytes of an overlay from key k.
std::string Around(const ByteOverlay &o, uint64_t k) {
  std::string s;
  char b[8];
  uint8_t v;
  for (int i = 0; i < 16 && o.Get(k + (uint64_t)i, &v); i++) {
    snprintf(b, sizeof b, "%s%02x", i ? " " : "", v);
    s += b;
  }
  return s.empty() ? "(nothing)" : s;
}

}  // namespace

ByteOverlay::Page *ByteOverlay::Find(uint64_t page) const {
  if (last_ < pages_.size() && pages_[last_].first == page) return pages_[last_].second.get();
  auto it = std::lower_bound(pages_.begin(), pages_.end(), page,
                             [](const std::pair<uint64_t, std::unique_ptr<Page>> &a,
                                uint64_t p) { return a.first < p; });
  if (it == pages_.end() || it->first != page) return nullptr;
  last_ = (size_t)(it - pages_.begin());
  return it->second.get();
}

ByteOverlay::Page *ByteOverlay::Make(uint64_t page) {
  Page *p = Find(page);
  if (p) return p;
  std::unique_ptr<Page> np(new Page);
  memset(np->stamp, 0, sizeof np->stamp);
  p = np.get();
  auto it = std::lower_bound(pages_.begin(), pages_.end(), page,
                             [](const std::pair<uint64_t, std::unique_ptr<Page>> &a,
                                uint64_t q) { return a.first < q; });
  it = pages_.insert(it, std::make_pair(page, std::move(np)));
  last_ = (size_t)(it - pages_.begin());
  return p;
}

void ByteOverlay::Put(uint64_t key, const uint8_t *data, uint32_t n) {
  const uint64_t mask = (1u << kPageBits) - 1;
  uint32_t i = 0;
  while (i < n) {
    uint64_t k = key + i;
    Page *p = Make(k >> kPageBits);
    uint32_t off = (uint32_t)(k & mask);
    uint32_t m = std::min<uint32_t>(n - i, (uint32_t)(mask + 1 - off));
    for (uint32_t j = 0; j < m; j++) {
      if (p->stamp[off + j] != gen_) {
        p->stamp[off + j] = gen_;
        keys_.push_back(k + j);
      }
      p->val[off + j] = data[i + j];
    }
    i += m;
  }
}

bool ByteOverlay::Get(uint64_t key, uint8_t *v) const {
  const Page *p = Find(key >> kPageBits);
  uint32_t off = (uint32_t)(key & ((1u << kPageBits) - 1));
  if (!p || p->stamp[off] != gen_) return false;
  *v = p->val[off];
  return true;
}

std::string DescribeInsn(uint32_t pc, const uint32_t w[4]) {
  char text[256];
  dlp_disasm_insn(w, text, sizeof text);
  char buf[300];
  snprintf(buf, sizeof buf, "pc %u: %s", pc, text);
  return buf;
}

void ExpectedRun::Callback(void *ctx, const dlp_retire_t *r) {
  auto *run = static_cast<ExpectedRun *>(ctx);
  ExpInsn e;
  e.pc = r->pc;
  e.start = r->start;
  e.end = r->end;
  e.unit = r->unit;
  memcpy(e.w, r->insn->w, sizeof e.w);
  for (uint32_t i = 0; i < r->n_writes; i++) {
    const dlp_write_t &w = r->writes[i];
    WriteRun run_;
    run_.mem = w.mem;
    uint32_t bytes = w.len;
    if (w.mem == DLP_MEM_ACC || w.mem == DLP_MEM_REG) {
      bytes = 4 * w.len;
      run_.addr = 4 * w.addr;
    } else {
      run_.addr = w.addr;
    }
    run_.data.assign(w.data, w.data + bytes);
    e.writes.push_back(std::move(run_));
  }
  int q = r->unit == DLP_UNIT_FE ? kQFe : r->queue;
  run->q[q].push_back(std::move(e));
  run->n_retired++;
}

Checker::Checker(ExpectedRun &exp, bool compare_timing) : exp_(exp), timing_on_(compare_timing) {}

std::string Checker::HeadText(int q) const {
  if (exp_.q[q].empty()) return "nothing";
  return DescribeInsn(exp_.q[q].front().pc, exp_.q[q].front().w);
}

bool Checker::Fail(const std::string &m) {
  if (!failed_) {
    failed_ = true;
    msg_ = m;
  }
  return false;
}

void Checker::Write(int unit, int mem, uint32_t addr, uint32_t nbytes, const uint8_t *data) {
  if (unit < 0 || unit >= kUnits || !nbytes) return;
  pending_[unit].Put((uint64_t)mem << 32 | addr, data, nbytes);
}

void Checker::DramBeat(uint64_t beat_addr, const uint8_t *data, const uint8_t *strb,
                       uint32_t beat_bytes) {
  // one run per contiguous group of enabled byte lanes
  uint32_t i = 0;
  while (i < beat_bytes) {
    if (!(strb[i / 8] >> (i % 8) & 1)) {
      i++;
      continue;
    }
    uint32_t j = i;
    while (j < beat_bytes && (strb[j / 8] >> (j % 8) & 1)) j++;
    Write(kUnitDma, DLP_MEM_DRAM, (uint32_t)(beat_addr + i), j - i, data + i);
    i = j;
  }
}

bool Checker::Compare(int unit, int queue, const ExpInsn &e, uint64_t cycle) {
  ByteOverlay &got = pending_[unit];
  want_.Clear();
  for (const auto &r : e.writes) want_.Put((uint64_t)r.mem << 32 | r.addr, r.data.data(),
                                           (uint32_t)r.data.size());
  // Same set of bytes with the same values? Find the lowest address that differs.
  bool bad = want_.Keys().size() != got.Keys().size();
  uint64_t first = UINT64_MAX;
  uint8_t a = 0, b = 0;
  for (uint64_t k : got.Keys())
    if (!want_.Get(k, &a) || (got.Get(k, &b), a != b)) {
      bad = true;
      first = std::min(first, k);
    }
  if (bad)
    for (uint64_t k : want_.Keys())
      if (!got.Get(k, &b)) first = std::min(first, k);
  if (bad) {
    char buf[600];
    bool hw = want_.Get(first, &a), hg = got.Get(first, &b);
    std::string head = Fmt3(cycle, unit, queue) + DescribeInsn(e.pc, e.w) + ": ";
    if (hw && hg)
      snprintf(buf, sizeof buf,
               "%s%s: expected 0x%02x, got 0x%02x\n    expected from there: %s\n"
               "    actual from there:   %s",
               head.c_str(), Where(first).c_str(), a, b, Around(want_, first).c_str(),
               Around(got, first).c_str());
    else if (hw)
      snprintf(buf, sizeof buf,
               "%smissing write of %s: expected 0x%02x, the RTL did not write it (%zu bytes "
               "expected, %zu written)\n    expected from there: %s",
               head.c_str(), Where(first).c_str(), a, want_.Keys().size(), got.Keys().size(),
               Around(want_, first).c_str());
    else
      snprintf(buf, sizeof buf,
               "%sextra write of %s = 0x%02x that the model does not make (%zu bytes expected, "
               "%zu written)\n    actual from there: %s",
               head.c_str(), Where(first).c_str(), b, want_.Keys().size(), got.Keys().size(),
               Around(got, first).c_str());
    got.Clear();
    return Fail(buf);
  }
  got.Clear();
  if (timing_on_ && !timing_.any && cycle != e.end) {
    char buf[400];
    timing_.any = true;
    timing_.rtl_cycle = cycle;
    timing_.model_cycle = e.end;
    timing_.pc = e.pc;
    timing_.queue = queue;
    snprintf(buf, sizeof buf,
             "first retire-cycle difference: %s (%s queue) %s retired in cycle %" PRIu64
             ", the model's in %" PRIu64 " (started %" PRIu64 ")",
             UnitName(unit), QueueName(queue), DescribeInsn(e.pc, e.w).c_str(), cycle, e.end,
             e.start);
    timing_.text = buf;
  }
  return true;
}

bool Checker::Retire(int unit, uint32_t pc, uint64_t cycle) {
  if (failed_) return false;
  int q = unit == kUnitFe ? kQFe : unit == kUnitCp ? kQCp : unit == kUnitVf ? kQVf : -1;
  if (q < 0) {
    // the DMA serves LD and ST: the instruction is the head of one of them
    for (;;) {
      bool hl = !exp_.q[kQLd].empty(), hs = !exp_.q[kQSt].empty();
      if (hl && exp_.q[kQLd].front().pc == pc) {
        q = kQLd;
        break;
      }
      if (hs && exp_.q[kQSt].front().pc == pc) {
        q = kQSt;
        break;
      }
      if ((hl && hs) || !More()) break;
    }
    if (q < 0) {
      if (ModelError() && exp_.q[kQLd].empty() && exp_.q[kQSt].empty()) {
        pending_[unit].Clear();  // in flight at the model's error: unspecified
        unchecked_++;
        return true;
      }
      char buf[700];
      snprintf(buf, sizeof buf,
               "cycle %" PRIu64 ": DMA retired pc %u, but the model's next LD retire is %s and "
               "its next ST retire is %s",
               cycle, pc, HeadText(kQLd).c_str(), HeadText(kQSt).c_str());
      return Fail(buf);
    }
  } else {
    while (exp_.q[q].empty() && More()) {
    }
    if (exp_.q[q].empty()) {
      if (ModelError()) {
        pending_[unit].Clear();
        unchecked_++;
        return true;
      }
      char buf[300];
      snprintf(buf, sizeof buf,
               "cycle %" PRIu64 ": %s retired pc %u, but the model retired no further %s "
               "instruction",
               cycle, UnitName(unit), pc, QueueName(q));
      return Fail(buf);
    }
  }
  ExpInsn e = std::move(exp_.q[q].front());
  exp_.q[q].pop_front();
  if (e.pc != pc) {
    char buf[400];
    snprintf(buf, sizeof buf,
             "cycle %" PRIu64 ": %s retired pc %u, but the model's next %s retire is %s",
             cycle, UnitName(unit), pc, QueueName(q), DescribeInsn(e.pc, e.w).c_str());
    return Fail(buf);
  }
  retired_++;
  return Compare(unit, q, e, cycle);
}

bool Checker::Finish() {
  if (failed_) return false;
  while (More()) {
  }
  for (int q = 0; q < kQueues; q++) {
    if (exp_.q[q].empty()) continue;
    const ExpInsn &e = exp_.q[q].front();
    char buf[400];
    if (ModelError()) {
      snprintf(buf, sizeof buf,
               "%zu %s instruction(s) the model retired before its error did not retire in the "
               "RTL (first %s); ",
               exp_.q[q].size(), QueueName(q), DescribeInsn(e.pc, e.w).c_str());
      notes_ += buf;
      continue;
    }
    snprintf(buf, sizeof buf,
             "the run ended, but the RTL never retired %s (%s queue; %zu %s retire(s) missing; "
             "the model retired it in cycle %" PRIu64 ")",
             DescribeInsn(e.pc, e.w).c_str(), QueueName(q), exp_.q[q].size(), QueueName(q),
             e.end);
    return Fail(buf);
  }
  for (int u = 0; u < kUnits; u++) {
    if (!pending_[u].Keys().empty() && !ModelError()) {
      char buf[300];
      uint64_t k = *std::min_element(pending_[u].Keys().begin(), pending_[u].Keys().end());
      snprintf(buf, sizeof buf,
               "the run ended with %zu byte(s) written by the %s unit that no retired "
               "instruction owns (first: %s)",
               pending_[u].Keys().size(), UnitName(u), Where(k).c_str());
      return Fail(buf);
    }
  }
  return true;
}

}  // namespace dlpv
