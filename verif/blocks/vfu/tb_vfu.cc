// SPDX-License-Identifier: Apache-2.0
// Block test of dlp_vfu against the C golden model.
//
// Random sequences of 1..4 vector/pooling instructions (every instruction, random shapes, strides,
// padding, window sizes up to 15x15, in-place operands, extreme requantization and ADD parameters,
// INT32_MIN accumulators) run back to back on the unit (start_i in the cycle after done_o, or a few
// cycles later) with exact C++ models of its three memory ports (request in t, data in t+1; read
// data is random garbage in cycles after no request). The same memory image and the same
// instructions, as a program `li ...; op; ...; halt`, run on a C-model machine (cmodel/include/dlp.h).
// Checked per instruction: done_o exactly in s + dlp_time_vfu() - 1 (and equal to the model's
// retire window), busy_o high exactly in [s, e], no request outside [s, e], every NRAM write inside
// NRAM and only to bytes the model writes, every byte the model writes written; and after each
// sequence all of NRAM (WRAM and ACC are read-only to the unit). A few instructions are aborted
// midway: the unit must go idle at once. Prints PASS/FAIL lines.
#include <cinttypes>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "Vdlp_vfu.h"
#include "dlp.h"
#include "dlp_numerics.h"
#include "dlp_timing.h"
#include "verilated.h"

#ifndef VL
#define VL 16
#endif
#ifndef NRAM_BYTES
#define NRAM_BYTES 16384
#endif
#ifndef WRAM_BYTES
#define WRAM_BYTES 8192
#endif
#ifndef ACC_ELEMS
#define ACC_ELEMS 4096
#endif

template <typename T> static uint8_t *bytes(T &v) { return reinterpret_cast<uint8_t *>(&v); }
template <std::size_t N> static uint8_t *bytes(VlWide<N> &v) { return reinterpret_cast<uint8_t *>(v.data()); }

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint32_t rnd() { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t)rng; }
static uint32_t urand(uint32_t n) { return n ? rnd() % n : 0; }       // 0 .. n-1
static int32_t irange(int32_t lo, int32_t hi) { return lo + (int32_t)urand((uint32_t)(hi - lo + 1)); }

static int g_fail = 0;
static void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("FAIL: vfu V=%d ", VL);
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  g_fail++;
}

// ---- random values ----------------------------------------------------------------------------
static const int32_t kEdge[] = {INT32_MIN, INT32_MIN + 1, -1073741824, -65536, -129, -128, -1, 0,
                                1, 127, 128, 65535, 1073741824, INT32_MAX - 1, INT32_MAX};
static int32_t edge() { return kEdge[urand(sizeof kEdge / sizeof kEdge[0])]; }
static int32_t acc_val() {
  uint32_t k = urand(8);
  if (k < 2) return edge();
  if (k < 5) return irange(-40000, 40000);
  return (int32_t)rnd();
}
static int32_t mult_val() {
  uint32_t k = urand(8);
  if (k == 0) return edge();
  if (k < 5) return (int32_t)((1u << 30) + (rnd() & 0x3fffffff));
  if (k == 5) return -(int32_t)((1u << 30) + (rnd() & 0x3fffffff));
  return (int32_t)rnd();
}
static int32_t shift_val() {
  uint32_t k = urand(10);
  if (k == 0) return edge();
  if (k == 1) return irange(-40, 40);
  if (k == 2) return irange(0, 31);
  return irange(-31, 0);
}
static int32_t small_or_edge(int32_t lo, int32_t hi) { return urand(4) ? irange(lo, hi) : edge(); }

// ---- the memories (shared image) -----------------------------------------------------------------
struct Mem {
  std::vector<uint8_t> nram, wram;
  std::vector<int32_t> acc;
};

static void wr32(std::vector<uint8_t> &m, uint32_t a, int32_t v) {
  for (int i = 0; i < 4; i++) m[a + i] = (uint8_t)((uint32_t)v >> (8 * i));
}

// ---- instructions ----------------------------------------------------------------------------------
struct Insn {
  int id;                      // DLP_I_*
  uint32_t w[DLP_INSN_WORDS];  // encoding with register fields naming r(k+1) for slot k
  uint32_t slot[7];            // register values per slot (0 for unused slots)
  std::string desc;
};

static const int kVecSlotField[7] = {DLP_F_VD, DLP_F_VA, DLP_F_VB, DLP_F_VP, DLP_F_VSD, DLP_F_VSA,
                                     DLP_F_VSB};
static const int kPoolSlotField[6] = {DLP_F_PD, DLP_F_PA, DLP_F_PSPA, DLP_F_PSRA, DLP_F_PSPD,
                                      DLP_F_PSRD};

static void set_slot(Insn &in, int k, uint32_t value) {
  int f = (in.id == DLP_I_VMAXPOOL || in.id == DLP_I_VAVGPOOL) ? kPoolSlotField[k] : kVecSlotField[k];
  dlp_field_set_raw(in.w, (enum dlp_field)f, (uint32_t)(k + 1));
  in.slot[k] = value;
}

static Insn new_insn(int id) {
  Insn in;
  memset(in.w, 0, sizeof in.w);
  memset(in.slot, 0, sizeof in.slot);
  in.id = id;
  dlp_field_set_raw(in.w, DLP_F_OP, dlp_insn_info[id].opcode);
  return in;
}

struct Box { uint64_t lo, hi; };
static uint64_t span(uint64_t rows, uint64_t stride, uint64_t cols) { return (rows - 1) * stride + cols; }
static bool boxes_overlap(Box a, Box b) { return a.lo <= b.hi && b.lo <= a.hi; }

// a region of `len` bytes inside [0, size) that overlaps none of `avoid`; false if none found
static bool place(uint64_t len, uint64_t size, const std::vector<Box> &avoid, uint64_t *at) {
  if (len > size) return false;
  for (int tries = 0; tries < 200; tries++) {
    uint64_t a = urand((uint32_t)(size - len + 1));
    Box b{a, a + len - 1};
    bool ok = true;
    for (const Box &x : avoid) ok = ok && !boxes_overlap(b, x);
    if (ok) { *at = a; return true; }
  }
  return false;
}

static uint32_t pick_cols() {
  uint32_t k = urand(10);
  if (k < 2) return (1 + urand(4)) * VL;          // exact multiples of V
  if (k < 7) return 1 + urand(3 * VL + 5);
  if (k < 9) return 1 + urand(8);
  return 1 + urand(200);
}

static uint32_t pick_rows() {
  uint32_t k = urand(10);
  if (k < 3) return 1;
  if (k < 8) return 1 + urand(8);
  return 1 + urand(30);
}

static int pick_stride(uint32_t cols) {
  uint32_t k = urand(6);
  if (k == 0) return (int)cols;
  return (int)(cols + urand(k < 4 ? 8 : 64));
}

// vadd's 12 parameter words: mostly TFLite-like, some fully random / extreme
static void vadd_params(std::vector<uint8_t> &wram, uint32_t p) {
  int32_t w[12];
  if (urand(3)) {
    w[0] = irange(-128, 127);                         // a_offset = -zp_a
    w[1] = mult_val();
    w[2] = irange(-31, 0);
    w[3] = irange(-128, 127);
    w[4] = mult_val();
    w[5] = irange(-31, 0);
    w[6] = mult_val();
    w[7] = irange(-31, 0);
    w[8] = irange(-128, 127);
    w[9] = urand(4) ? -128 : irange(-128, 127);
    w[10] = urand(4) ? 127 : irange(-128, 127);
    w[11] = urand(2) ? 20 : irange(0, 31);
  } else {
    for (int i = 0; i < 12; i++) w[i] = urand(2) ? edge() : (int32_t)rnd();
    w[2] = shift_val();
    w[5] = shift_val();
    w[7] = shift_val();
    if (urand(2)) w[11] = irange(-5, 40);
  }
  for (int i = 0; i < 12; i++) wr32(wram, p + 4 * i, w[i]);
}

// element-wise instructions: vadd, vmax, vmin, vclamp, vlut
static bool gen_vector(int id, Mem &mem, Insn &in) {
  bool two = id == DLP_I_VADD || id == DLP_I_VMAX || id == DLP_I_VMIN;
  uint32_t rows = pick_rows(), cols = pick_cols();
  uint32_t sd = pick_stride(cols), sa = pick_stride(cols), sb = pick_stride(cols);
  if (urand(8) == 0) sa = urand(cols + 1);        // overlapping source rows (reads only)
  if (two && urand(8) == 0) sb = urand(2) ? 0 : urand(cols + 1);
  int mode = urand(4); // 0: disjoint, 1: d == a (in place), 2: d == b (in place), 3: a == b
  if (!two && mode >= 2) mode = 0;
  if (mode == 1 || mode == 2) {
    // exactly in place: same address and stride (destination rows never overlap: ISA rule)
    uint32_t &s = mode == 1 ? sa : sb;
    s = sd;
  }
  if (rows == 1 && urand(2)) { sd = rnd(); sa = rnd(); sb = rnd(); } // strides unused
  uint64_t ld = span(rows, sd, cols), la = span(rows, sa, cols), lb = span(rows, sb, cols);
  uint64_t d, a, b = 0;
  std::vector<Box> avoid;
  if (!place(ld, NRAM_BYTES, avoid, &d)) return false;
  avoid.push_back({d, d + ld - 1});
  if (mode == 1) a = d; else if (!place(la, NRAM_BYTES, avoid, &a)) return false;
  if (two) {
    if (mode == 2) b = d;
    else if (mode == 3) { b = a; sb = sa; }
    else if (!place(lb, NRAM_BYTES, avoid, &b)) return false;
  }
  in = new_insn(id);
  dlp_field_set_raw(in.w, DLP_F_ROWS, rows);
  dlp_field_set_raw(in.w, DLP_F_COLS, cols);
  set_slot(in, 0, (uint32_t)d);
  set_slot(in, 1, (uint32_t)a);
  set_slot(in, 4, sd);
  set_slot(in, 5, sa);
  if (two) { set_slot(in, 2, (uint32_t)b); set_slot(in, 6, sb); }
  if (id == DLP_I_VADD || id == DLP_I_VLUT) {
    uint32_t plen = id == DLP_I_VADD ? 48 : 256;
    uint32_t p = urand(WRAM_BYTES - plen + 1);
    set_slot(in, 3, p);
    if (id == DLP_I_VADD) vadd_params(mem.wram, p);
    else for (uint32_t i = 0; i < 256; i++) mem.wram[p + i] = (uint8_t)rnd();
  }
  if (id == DLP_I_VCLAMP) {
    int32_t x = irange(-128, 127), y = irange(-128, 127);
    if (urand(4) == 0) { x = -128; y = 127; }
    dlp_field_set_raw(in.w, DLP_F_I0, (uint32_t)(x < y ? x : y) & 0xff);
    dlp_field_set_raw(in.w, DLP_F_I1, (uint32_t)(x < y ? y : x) & 0xff);
  }
  char buf[160];
  snprintf(buf, sizeof buf, "%s d=%" PRIu64 " a=%" PRIu64 " b=%" PRIu64 " rows=%u cols=%u sd=%u sa=%u sb=%u mode=%d",
           dlp_insn_info[id].mnemonic, d, a, b, rows, cols, sd, sa, sb, mode);
  in.desc = buf;
  return true;
}

static bool gen_vrq(Mem &mem, Insn &in) {
  uint32_t rows = pick_rows(), cols = pick_cols();
  uint32_t sd = pick_stride(cols), sa = urand(4) ? pick_stride(cols) : urand(cols + 1);
  if (rows == 1 && urand(2)) { sd = rnd(); sa = rnd(); }
  uint64_t ld = span(rows, sd, cols), la = span(rows, sa, cols);
  uint64_t d, a;
  if (!place(ld, NRAM_BYTES, {}, &d) || !place(la, ACC_ELEMS, {}, &a)) return false;
  if (12ull * cols > WRAM_BYTES) return false;
  uint32_t p = urand(WRAM_BYTES - 12 * cols + 1);
  for (uint32_t c = 0; c < cols; c++) {
    wr32(mem.wram, p + 12 * c, urand(3) ? irange(-100000, 100000) : acc_val());
    wr32(mem.wram, p + 12 * c + 4, mult_val());
    wr32(mem.wram, p + 12 * c + 8, shift_val());
  }
  for (uint32_t r = 0; r < rows; r++)
    for (uint32_t c = 0; c < cols; c++) mem.acc[a + (uint64_t)r * sa + c] = acc_val();
  in = new_insn(DLP_I_VRQ);
  dlp_field_set_raw(in.w, DLP_F_ROWS, rows);
  dlp_field_set_raw(in.w, DLP_F_COLS, cols);
  int32_t zp = irange(-128, 127), x = irange(-128, 127), y = irange(-128, 127);
  if (urand(3) == 0) { x = -128; y = 127; }
  dlp_field_set_raw(in.w, DLP_F_I0, (uint32_t)zp & 0xff);
  dlp_field_set_raw(in.w, DLP_F_I1, (uint32_t)(x < y ? x : y) & 0xff);
  dlp_field_set_raw(in.w, DLP_F_I2, (uint32_t)(x < y ? y : x) & 0xff);
  set_slot(in, 0, (uint32_t)d);
  set_slot(in, 1, (uint32_t)a);
  set_slot(in, 3, p);
  set_slot(in, 4, sd);
  set_slot(in, 5, sa);
  char buf[160];
  snprintf(buf, sizeof buf, "vrq d=%" PRIu64 " a=%" PRIu64 " p=%u rows=%u cols=%u sd=%u sa=%u", d, a, p,
           rows, cols, sd, sa);
  in.desc = buf;
  return true;
}

static bool gen_pool(int id, Insn &in) {
  bool big = urand(4) == 0;
  uint32_t kh = big ? 1 + urand(15) : 1 + urand(4), kw = big ? 1 + urand(15) : 1 + urand(4);
  uint32_t sh = urand(3) ? 1 + urand(3) : 1 + urand(15), sw = urand(3) ? 1 + urand(3) : 1 + urand(15);
  uint32_t ih = 1 + urand(big ? 20 : 10), iw = 1 + urand(big ? 20 : 10);
  uint32_t ppt = urand(3) ? 0 : urand(kh), ppl = urand(3) ? 0 : urand(kw); // <= k-1: a valid position
  uint32_t ohmax = (ih - 1 + ppt) / sh + 1, owmax = (iw - 1 + ppl) / sw + 1;
  uint32_t oh = 1 + urand(ohmax < (big ? 3u : 6u) ? ohmax : (big ? 3u : 6u));
  uint32_t ow = 1 + urand(owmax < (big ? 3u : 6u) ? owmax : (big ? 3u : 6u));
  uint32_t ch = urand(3) ? 1 + urand(3 * VL + 3) : (urand(2) ? VL : 1 + urand(80));
  uint32_t spa = ch + (urand(2) ? 0 : urand(8));
  uint32_t sra = iw * spa + (urand(2) ? 0 : urand(16));
  if (urand(10) == 0) spa = urand(ch + 1);           // overlapping input pixels (reads only)
  uint32_t spd = ch + (urand(2) ? 0 : urand(8));
  uint32_t srd = ow * spd + (urand(2) ? 0 : urand(16));
  // source box as the model computes it (rows/columns actually reachable)
  int64_t ry = (int64_t)(oh - 1) * sh - ppt + kh - 1, rx = (int64_t)(ow - 1) * sw - ppl + kw - 1;
  if (ry > (int64_t)ih - 1) ry = ih - 1;
  if (rx > (int64_t)iw - 1) rx = iw - 1;
  uint64_t ls = (uint64_t)ry * sra + (uint64_t)rx * spa + ch;
  uint64_t ld = (uint64_t)(oh - 1) * srd + (uint64_t)(ow - 1) * spd + ch;
  uint64_t a, d;
  if (!place(ls, NRAM_BYTES, {}, &a)) return false;
  if (!place(ld, NRAM_BYTES, {{a, a + ls - 1}}, &d)) return false;
  in = new_insn(id);
  dlp_field_set_raw(in.w, DLP_F_CH, ch);
  dlp_field_set_raw(in.w, DLP_F_OH, oh);
  dlp_field_set_raw(in.w, DLP_F_OW, ow);
  dlp_field_set_raw(in.w, DLP_F_KH, kh);
  dlp_field_set_raw(in.w, DLP_F_KW, kw);
  dlp_field_set_raw(in.w, DLP_F_SH, sh);
  dlp_field_set_raw(in.w, DLP_F_SW, sw);
  dlp_field_set_raw(in.w, DLP_F_PPT, ppt);
  dlp_field_set_raw(in.w, DLP_F_PPL, ppl);
  dlp_field_set_raw(in.w, DLP_F_IH, ih);
  dlp_field_set_raw(in.w, DLP_F_IW, iw);
  set_slot(in, 0, (uint32_t)d);
  set_slot(in, 1, (uint32_t)a);
  set_slot(in, 2, spa);
  set_slot(in, 3, sra);
  set_slot(in, 4, spd);
  set_slot(in, 5, srd);
  char buf[200];
  snprintf(buf, sizeof buf,
           "%s d=%" PRIu64 " a=%" PRIu64 " ch=%u oh=%u ow=%u k=%ux%u s=%ux%u pad=%u,%u in=%ux%u spa=%u sra=%u spd=%u srd=%u",
           dlp_insn_info[id].mnemonic, d, a, ch, oh, ow, kh, kw, sh, sw, ppt, ppl, ih, iw, spa, sra, spd, srd);
  in.desc = buf;
  return true;
}

static bool gen(int id, Mem &mem, Insn &in) {
  if (id == DLP_I_VRQ) return gen_vrq(mem, in);
  if (id == DLP_I_VMAXPOOL || id == DLP_I_VAVGPOOL) return gen_pool(id, in);
  return gen_vector(id, mem, in);
}

// ---- the C model -----------------------------------------------------------------------------------
struct Retire { uint64_t start, end; std::set<uint32_t> bytes; };
static std::vector<Retire> g_retired;

static void on_retire(void *, const dlp_retire_t *r) {
  if (r->unit != DLP_UNIT_VFU) return;
  Retire x{r->start, r->end, {}};
  for (uint32_t i = 0; i < r->n_writes; i++) {
    const dlp_write_t &w = r->writes[i];
    if (w.mem != DLP_MEM_NRAM) { fail("model: VFU write to memory %d", w.mem); continue; }
    for (uint32_t k = 0; k < w.len; k++) x.bytes.insert(w.addr + k);
  }
  g_retired.push_back(x);
}

static void put_insn(std::vector<uint32_t> &prog, const uint32_t w[4]) {
  for (int i = 0; i < 4; i++) prog.push_back(w[i]);
}

static void put_li(std::vector<uint32_t> &prog, int rd, uint32_t v) {
  uint32_t w[4] = {0, 0, 0, 0};
  dlp_field_set_raw(w, DLP_F_OP, DLP_OP_LI);
  dlp_field_set_raw(w, DLP_F_RD, (uint32_t)rd);
  dlp_field_set_raw(w, DLP_F_IMM32, v);
  put_insn(prog, w);
}

// ---- the RTL ---------------------------------------------------------------------------------------
struct Rtl {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Vdlp_vfu> m;
  uint64_t cycle = 0;
  Mem *mem = nullptr;
  // read data for the next cycle
  bool nram_rd = false, wram_rd = false, acc_rd = false;
  uint32_t nram_ra = 0, wram_ra = 0, acc_ra = 0;
  // observed in the last step
  bool req = false, done = false, busy = false;
  std::vector<std::pair<uint32_t, uint32_t>> writes; // (addr, len) of this instruction
  bool trace = getenv("VFU_TRACE") != nullptr;

  void drive_rdata() {
    for (int i = 0; i < VL; i++)
      bytes(m->nram_rdata_i)[i] = nram_rd ? mem->nram[(nram_ra + i) % NRAM_BYTES] : (uint8_t)rnd();
    for (int i = 0; i < 4 * VL; i++)
      bytes(m->wram_rdata_i)[i] = wram_rd ? mem->wram[(wram_ra + i) % WRAM_BYTES] : (uint8_t)rnd();
    for (int i = 0; i < VL; i++) {
      uint32_t v = acc_rd ? (uint32_t)mem->acc[(acc_ra + i) % ACC_ELEMS] : rnd();
      memcpy(bytes(m->acc_rdata_i) + 4 * i, &v, 4);
    }
  }

  // one clock cycle with the given start/abort inputs; applies the memory requests
  void step(bool start, const uint32_t *uop_words, bool abort) {
    m->start_i = start;
    m->abort_i = abort;
    if (uop_words)
      for (int i = 0; i < 12; i++) m->uop_i[i] = uop_words[i];
    drive_rdata();
    m->clk_i = 0;
    m->eval();
    done = m->done_o;
    busy = m->busy_o;
    req = m->nram_en_o || m->wram_en_o || m->acc_en_o;
    nram_rd = m->nram_en_o && !m->nram_we_o;
    nram_ra = m->nram_addr_o;
    wram_rd = m->wram_en_o;
    wram_ra = m->wram_addr_o;
    acc_rd = m->acc_en_o;
    acc_ra = m->acc_addr_o;
    if (trace && (m->nram_en_o || m->wram_en_o || m->acc_en_o || m->done_o || start))
      printf("  c%" PRIu64 "%s nram %s%s a=%u l=%u | wram %d a=%u | acc %d a=%u%s\n", cycle,
             start ? " START" : "", m->nram_en_o ? (m->nram_we_o ? "W" : "R") : "-", "",
             (unsigned)m->nram_addr_o, (unsigned)m->nram_len_o, m->wram_en_o, (unsigned)m->wram_addr_o,
             m->acc_en_o, (unsigned)m->acc_addr_o, m->done_o ? " DONE" : "");
    if (m->rst_ni && m->nram_en_o && m->nram_we_o) {
      uint32_t a = m->nram_addr_o, len = m->nram_len_o;
      if (len == 0 || len > VL || a + len > NRAM_BYTES) {
        fail("cycle %" PRIu64 ": bad NRAM write addr=%u len=%u", cycle, a, len);
      } else {
        for (uint32_t i = 0; i < len; i++) mem->nram[a + i] = bytes(m->nram_wdata_o)[i];
        writes.push_back({a, len});
      }
    }
    m->clk_i = 1;
    m->eval();
    if (ctx->gotError()) { // an RTL assertion fired (its message is printed above)
      fail("cycle %" PRIu64 ": RTL assertion failed", cycle);
      ctx->gotError(false);
    }
    cycle++;
  }
};

static void make_uop(const Insn &in, uint16_t pc, uint32_t uop[12]) {
  memset(uop, 0, 12 * sizeof(uint32_t));
  for (int i = 0; i < 4; i++) uop[i] = in.w[i];
  for (int k = 0; k < 7; k++) uop[4 + k] = in.slot[k];
  uop[11] = pc;
}

int main(int argc, char **argv) {
  Rtl rtl;
  rtl.ctx = std::make_unique<VerilatedContext>();
  rtl.ctx->randReset(2);
  rtl.ctx->fatalOnError(false); // assertion failures become FAIL lines
  rtl.ctx->commandArgs(argc, argv);
  rtl.m = std::make_unique<Vdlp_vfu>(rtl.ctx.get());
  int n_seq = 2000;
  if (const char *e = getenv("VFU_SEQS")) n_seq = atoi(e);
  if (const char *e = getenv("VFU_SEED")) rng = strtoull(e, nullptr, 0) | 1;

  dlp_config_t cfg;
  dlp_config_default(&cfg);
  cfg.vlanes = VL;
  cfg.nram_bytes = NRAM_BYTES;
  cfg.wram_bytes = WRAM_BYTES;
  cfg.acc_bytes = 4 * ACC_ELEMS;
  cfg.dram_bytes = 1 << 20;
  cfg.dram_latency = 4;
  char msg[256];
  dlp_t *model = dlp_create(&cfg, msg, sizeof msg);
  if (!model) { printf("FAIL: vfu V=%d: dlp_create: %s\n", VL, msg); return 1; }
  dlp_set_retire_cb(model, on_retire, nullptr, 1);
  uint64_t len;
  uint8_t *m_nram = dlp_mem(model, DLP_MEM_NRAM, &len);
  uint8_t *m_wram = dlp_mem(model, DLP_MEM_WRAM, &len);
  uint8_t *m_acc = dlp_mem(model, DLP_MEM_ACC, &len);

  Mem mem;
  mem.nram.resize(NRAM_BYTES);
  mem.wram.resize(WRAM_BYTES);
  mem.acc.resize(ACC_ELEMS);
  rtl.mem = &mem;

  // exhaustive check of the average-pool reciprocal argument (the RTL's D1/D2 arithmetic)
  for (uint32_t n = 1; n <= 225; n++) {
    uint64_t mrec = ((1ull << 23) + n - 1) / n;
    for (uint32_t num = 0; num < (1u << 15); num++)
      if ((num * mrec) >> 23 != num / n) { fail("reciprocal n=%u N=%u", n, num); n = 226; break; }
  }

  // reset
  for (int i = 0; i < 4; i++) {
    rtl.m->rst_ni = 0;
    rtl.step(false, nullptr, false);
  }
  rtl.m->rst_ni = 1;
  rtl.step(false, nullptr, false);

  const int kIds[] = {DLP_I_VRQ, DLP_I_VADD, DLP_I_VMAX, DLP_I_VMIN, DLP_I_VCLAMP, DLP_I_VLUT,
                      DLP_I_VMAXPOOL, DLP_I_VAVGPOOL};
  int count[DLP_I_COUNT] = {0};
  int fails_at[DLP_I_COUNT] = {0};
  uint64_t cycles_total = 0, aborted = 0, gen_rejects = 0;

  for (int seq = 0; seq < n_seq && g_fail < 10; seq++) {
    // fresh random memory image (partly zero/extreme so that max/min/clamp see edge bytes)
    for (auto &x : mem.nram) x = urand(8) ? (uint8_t)rnd() : (uint8_t)(urand(2) ? 0x80 : 0x7f);
    for (auto &x : mem.wram) x = (uint8_t)rnd();
    for (auto &x : mem.acc) x = acc_val();
    int k = 1 + (int)urand(4);
    std::vector<Insn> insns;
    while ((int)insns.size() < k) {
      Insn in;
      int id = kIds[urand(8)];
      if (gen(id, mem, in)) insns.push_back(in);
      else gen_rejects++;
    }
    memcpy(m_nram, mem.nram.data(), NRAM_BYTES);
    memcpy(m_wram, mem.wram.data(), WRAM_BYTES);
    for (uint32_t i = 0; i < ACC_ELEMS; i++) memcpy(m_acc + 4 * i, &mem.acc[i], 4);

    // the model: li r1..r7; op; ... halt
    std::vector<uint32_t> prog;
    for (const Insn &in : insns) {
      for (int s = 0; s < 7; s++) put_li(prog, s + 1, in.slot[s]);
      put_insn(prog, in.w);
    }
    uint32_t halt[4] = {0, 0, 0, 0};
    dlp_field_set_raw(halt, DLP_F_OP, DLP_OP_HALT);
    put_insn(prog, halt);
    dlp_dram_write(model, 0, prog.data(), 4 * prog.size());
    g_retired.clear();
    dlp_result_t res;
    if (dlp_run(model, 0, (uint32_t)(prog.size() / 4), &res) != 0) {
      fail("seq %d: the model rejected the program: %s (%s)", seq, res.message, insns[0].desc.c_str());
      continue;
    }
    if (g_retired.size() != insns.size()) { fail("seq %d: model retired %zu", seq, g_retired.size()); continue; }

    // the RTL, back to back
    bool abort_seq = urand(40) == 0;
    for (size_t i = 0; i < insns.size(); i++) {
      const Insn &in = insns[i];
      dlp_insn_t dec;
      dlp_decode(in.w, &dec, msg, sizeof msg);
      uint64_t T = dlp_time_vfu(&cfg, &dec);
      if (T != g_retired[i].end - g_retired[i].start + 1)
        fail("%s: dlp_time_vfu %" PRIu64 " != model retire window %" PRIu64, in.desc.c_str(), T,
             g_retired[i].end - g_retired[i].start + 1);
      // optional idle gap before the start
      int gap = urand(3) ? 0 : (int)urand(3);
      for (int g = 0; g < gap; g++) {
        rtl.step(false, nullptr, false);
        if (rtl.req || rtl.busy || rtl.done) fail("%s: request/busy/done while idle", in.desc.c_str());
      }
      uint32_t uop[12];
      make_uop(in, (uint16_t)i, uop);
      rtl.writes.clear();
      uint64_t s = rtl.cycle, e = s + T - 1, abort_at = 0;
      bool do_abort = abort_seq && i + 1 == insns.size();
      if (do_abort) abort_at = s + 1 + urand((uint32_t)(T - 2));
      bool ok = true;
      for (uint64_t c = s; c <= e; c++) {
        bool ab = do_abort && c == abort_at;
        rtl.step(c == s, c == s ? uop : nullptr, ab);
        if (do_abort && c > abort_at) {
          if (rtl.busy || rtl.req || rtl.done) { fail("%s: busy/request after abort", in.desc.c_str()); ok = false; break; }
          continue;
        }
        if (!rtl.busy) { fail("%s: busy_o low in cycle s+%" PRIu64, in.desc.c_str(), c - s); ok = false; break; }
        if (rtl.done != (c == e)) {
          fail("%s: done_o=%d in cycle s+%" PRIu64 ", expected done in s+%" PRIu64, in.desc.c_str(),
               rtl.done, c - s, T - 1);
          ok = false;
          break;
        }
        if (ab) break;
      }
      count[in.id]++;
      cycles_total += T;
      if (do_abort) {
        aborted++;
        // idle at once; no request in the following cycles
        for (int g = 0; g < 3; g++) {
          rtl.step(false, nullptr, false);
          if (rtl.busy || rtl.req || rtl.done) { fail("%s: not idle after abort", in.desc.c_str()); ok = false; }
        }
        break; // memory after an abort is unspecified: skip the comparison of this sequence
      }
      if (!ok) { fails_at[in.id]++; break; }
      // written bytes == the model's
      std::set<uint32_t> got;
      for (auto &w : rtl.writes)
        for (uint32_t b = 0; b < w.second; b++) got.insert(w.first + b);
      if (got != g_retired[i].bytes) {
        uint32_t first = 0;
        for (uint32_t b : got) if (!g_retired[i].bytes.count(b)) { first = b; break; }
        fail("%s: written byte set differs (rtl %zu bytes, model %zu, e.g. 0x%x)", in.desc.c_str(),
             got.size(), g_retired[i].bytes.size(), first);
        fails_at[in.id]++;
      }
    }
    if (abort_seq) continue;
    // the final NRAM image
    for (uint32_t b = 0; b < NRAM_BYTES; b++) {
      if (mem.nram[b] != m_nram[b]) {
        // name the instruction that last wrote the byte in the model
        int who = -1;
        for (size_t i = 0; i < insns.size(); i++) if (g_retired[i].bytes.count(b)) who = (int)i;
        fail("seq %d: NRAM[0x%x] rtl %d model %d (written by %s)", seq, b, (int8_t)mem.nram[b],
             (int8_t)m_nram[b], who >= 0 ? insns[who].desc.c_str() : "nobody");
        if (who >= 0) fails_at[insns[who].id]++;
        break;
      }
    }
  }

  for (int id : kIds)
    printf("%s: vfu V=%d %-9s %4d instructions against the C model (bits, done cycle, writes)\n",
           fails_at[id] ? "FAIL" : "PASS", VL, dlp_insn_info[id].mnemonic, count[id]);
  printf("%s: vfu V=%d %d sequences, %" PRIu64 " busy cycles, %" PRIu64 " aborted, %" PRIu64
         " generator retries\n", g_fail ? "FAIL" : "PASS", VL, n_seq, cycles_total, aborted, gen_rejects);
  dlp_destroy(model);
  rtl.m->final();
  return g_fail ? 1 : 0;
}
