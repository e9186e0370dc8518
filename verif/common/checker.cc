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
  static const char *n[] = {"LD", "CP", "ST", "FE"};
  return q >= 0 && q < 4 ? n[q] : "?";
}

const char *UnitName(int u) {
  static const char *n[] = {"FE", "DMA", "CP"};
  return u >= 0 && u < 3 ? n[u] : "?";
}

using Byte = std::pair<uint64_t, uint8_t>;  // (mem << 32 | address, value)

// The final value of every byte the runs write, sorted by address.
std::vector<Byte> Flatten(const std::vector<WriteRun> &runs) {
  std::vector<Byte> v;
  size_t n = 0;
  for (const auto &r : runs) n += r.data.size();
  v.reserve(n);
  for (const auto &r : runs)
    for (size_t i = 0; i < r.data.size(); i++)
      v.emplace_back((uint64_t)r.mem << 32 | (uint32_t)(r.addr + i), r.data[i]);
  std::stable_sort(v.begin(), v.end(),
                   [](const Byte &a, const Byte &b) { return a.first < b.first; });
  // keep the last write of each byte
  size_t out = 0;
  for (size_t i = 0; i < v.size(); i++) {
    if (i + 1 < v.size() && v[i + 1].first == v[i].first) continue;
    v[out++] = v[i];
  }
  v.resize(out);
  return v;
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

// Up to 16 bytes of a flattened set starting at key k (consecutive addresses only).
std::string Around(const std::vector<Byte> &v, uint64_t k) {
  auto it = std::lower_bound(v.begin(), v.end(), Byte(k, 0),
                             [](const Byte &a, const Byte &b) { return a.first < b.first; });
  std::string s;
  char b[8];
  for (int i = 0; i < 16 && it != v.end() && it->first == k + (uint64_t)i; i++, ++it) {
    snprintf(b, sizeof b, "%s%02x", i ? " " : "", it->second);
    s += b;
  }
  return s.empty() ? "(nothing)" : s;
}

}  // namespace

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

Checker::Checker(const ExpectedRun &exp, bool compare_timing)
    : exp_(exp), timing_on_(compare_timing), model_error_(exp.result.status != DLP_DONE) {}

bool Checker::Fail(const std::string &m) {
  if (!failed_) {
    failed_ = true;
    msg_ = m;
  }
  return false;
}

void Checker::Write(int unit, int mem, uint32_t addr, uint32_t nbytes, const uint8_t *data) {
  if (unit < 0 || unit > 2 || !nbytes) return;
  WriteRun r;
  r.mem = (uint8_t)mem;
  r.addr = addr;
  r.data.assign(data, data + nbytes);
  pending_[unit].push_back(std::move(r));
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
  std::vector<Byte> want = Flatten(e.writes), got = Flatten(pending_[unit]);
  pending_[unit].clear();
  size_t i = 0, j = 0;
  while (i < want.size() || j < got.size()) {
    char buf[512];
    if (i < want.size() && j < got.size() && want[i].first == got[j].first) {
      if (want[i].second != got[j].second) {
        snprintf(buf, sizeof buf,
                 "cycle %" PRIu64 ": %s (%s queue) %s: %s: expected 0x%02x, got 0x%02x\n"
                 "    expected from there: %s\n    actual from there:   %s",
                 cycle, UnitName(unit), QueueName(queue), DescribeInsn(e.pc, e.w).c_str(),
                 Where(want[i].first).c_str(), want[i].second, got[j].second,
                 Around(want, want[i].first).c_str(), Around(got, want[i].first).c_str());
        return Fail(buf);
      }
      i++;
      j++;
    } else if (j >= got.size() || (i < want.size() && want[i].first < got[j].first)) {
      snprintf(buf, sizeof buf,
               "cycle %" PRIu64 ": %s (%s queue) %s: missing write of %s: expected 0x%02x, the "
               "RTL did not write it (%zu bytes expected, %zu written)\n"
               "    expected from there: %s",
               cycle, UnitName(unit), QueueName(queue), DescribeInsn(e.pc, e.w).c_str(),
               Where(want[i].first).c_str(), want[i].second, want.size(), got.size(),
               Around(want, want[i].first).c_str());
      return Fail(buf);
    } else {
      snprintf(buf, sizeof buf,
               "cycle %" PRIu64 ": %s (%s queue) %s: extra write of %s = 0x%02x that the model "
               "does not make (%zu bytes expected, %zu written)\n    actual from there: %s",
               cycle, UnitName(unit), QueueName(queue), DescribeInsn(e.pc, e.w).c_str(),
               Where(got[j].first).c_str(), got[j].second, want.size(), got.size(),
               Around(got, got[j].first).c_str());
      return Fail(buf);
    }
  }
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
  int q;
  if (unit == kUnitFe) {
    q = kQFe;
  } else if (unit == kUnitCp) {
    q = kQCp;
  } else {
    bool ld = head_[kQLd] < exp_.q[kQLd].size() && exp_.q[kQLd][head_[kQLd]].pc == pc;
    bool st = head_[kQSt] < exp_.q[kQSt].size() && exp_.q[kQSt][head_[kQSt]].pc == pc;
    q = ld ? kQLd : st ? kQSt : -1;
    if (q < 0) {
      if (model_error_ && head_[kQLd] >= exp_.q[kQLd].size() &&
          head_[kQSt] >= exp_.q[kQSt].size()) {
        // in flight at the model's error: unspecified
        pending_[unit].clear();
        unchecked_++;
        return true;
      }
      char buf[600];
      std::string l = head_[kQLd] < exp_.q[kQLd].size()
                          ? DescribeInsn(exp_.q[kQLd][head_[kQLd]].pc, exp_.q[kQLd][head_[kQLd]].w)
                          : "nothing";
      std::string s = head_[kQSt] < exp_.q[kQSt].size()
                          ? DescribeInsn(exp_.q[kQSt][head_[kQSt]].pc, exp_.q[kQSt][head_[kQSt]].w)
                          : "nothing";
      snprintf(buf, sizeof buf,
               "cycle %" PRIu64 ": DMA retired pc %u, but the model's next LD retire is %s and "
               "its next ST retire is %s",
               cycle, pc, l.c_str(), s.c_str());
      return Fail(buf);
    }
  }
  if (head_[q] >= exp_.q[q].size()) {
    if (model_error_) {
      pending_[unit].clear();
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
  const ExpInsn &e = exp_.q[q][head_[q]];
  if (e.pc != pc) {
    char buf[400];
    snprintf(buf, sizeof buf,
             "cycle %" PRIu64 ": %s retired pc %u, but the model's next %s retire is %s",
             cycle, UnitName(unit), pc, QueueName(q), DescribeInsn(e.pc, e.w).c_str());
    return Fail(buf);
  }
  head_[q]++;
  retired_++;
  return Compare(unit, q, e, cycle);
}

bool Checker::Finish() {
  if (failed_) return false;
  for (int q = 0; q < 4; q++) {
    if (head_[q] < exp_.q[q].size()) {
      const ExpInsn &e = exp_.q[q][head_[q]];
      char buf[400];
      if (model_error_) {
        snprintf(buf, sizeof buf, "%zu %s instruction(s) the model retired before its error "
                 "did not retire in the RTL (first %s); ",
                 exp_.q[q].size() - head_[q], QueueName(q), DescribeInsn(e.pc, e.w).c_str());
        notes_ += buf;
        continue;
      }
      snprintf(buf, sizeof buf,
               "the run ended, but the RTL never retired %s (%s queue; %zu %s retire(s) missing; "
               "the model retired it in cycle %" PRIu64 ")",
               DescribeInsn(e.pc, e.w).c_str(), QueueName(q), exp_.q[q].size() - head_[q],
               QueueName(q), e.end);
      return Fail(buf);
    }
  }
  for (int u = 0; u < 3; u++) {
    if (!pending_[u].empty() && !model_error_) {
      char buf[300];
      const WriteRun &w = pending_[u].front();
      snprintf(buf, sizeof buf,
               "the run ended with %zu write(s) of the %s unit that no retired instruction "
               "owns (first: %s, %zu bytes)",
               pending_[u].size(), UnitName(u),
               Where((uint64_t)w.mem << 32 | w.addr).c_str(), w.data.size());
      return Fail(buf);
    }
  }
  return true;
}

}  // namespace dlpv
