// SPDX-License-Identifier: Apache-2.0
// Block test of dlp_requant against the C model's numerics (cmodel/src/numerics.c): millions of
// random and edge-case inputs, one per cycle, through the pipelined lane.
//   y_o (cycle t+2) == dlp_mbqm(wrap_shl(wrap_add(x, add), lsh), mult, shift)
//   q_o (cycle t+3) == sat8(dlp_clamp(wrap_add(y, zp), lo, hi)), and == dlp_requant(...) for vrq
//   operands (lsh = 0, lo <= hi 8-bit).
// Prints PASS/FAIL lines.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "Vdlp_requant.h"
#include "dlp_numerics.h"
#include "verilated.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd() { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t)rng; }

static const int32_t kEdge[] = {INT32_MIN, INT32_MIN + 1, -1073741825, -1073741824, -65536, -129,
                                -128, -2, -1, 0, 1, 2, 127, 128, 65535, 1073741823, 1073741824,
                                INT32_MAX - 1, INT32_MAX};
static const int kNEdge = sizeof kEdge / sizeof kEdge[0];

static int32_t edge_or_rand() {
  uint32_t k = rnd() % 8;
  if (k < 3) return kEdge[rnd() % kNEdge];
  if (k == 3) return (int32_t)(rnd() % 513) - 256;
  if (k == 4) return (int32_t)(rnd() >> (rnd() % 32)) * ((rnd() & 1) ? 1 : -1);
  return (int32_t)rnd();
}

static int32_t mult_val() {
  uint32_t k = rnd() % 6;
  if (k == 0) return kEdge[rnd() % kNEdge];
  if (k <= 2) return (int32_t)((1u << 30) + (rnd() & 0x3fffffff)); // TFLite range [2^30, 2^31)
  if (k == 3) return -(int32_t)((1u << 30) + (rnd() & 0x3fffffff));
  return (int32_t)rnd();
}

static int32_t shift_val() {
  uint32_t k = rnd() % 8;
  if (k == 0) return kEdge[rnd() % kNEdge];          // far outside: clamped
  if (k == 1) return (int32_t)(rnd() % 81) - 40;      // around the clamp
  return (int32_t)(rnd() % 63) - 31;
}

struct Vec {
  int32_t x, add, mult, shift, zp, lo, hi;
  int lsh;
  bool vrq; // lsh = 0, zp/lo/hi int8 with lo <= hi: also compare against dlp_requant()
};

static Vec gen(uint64_t i) {
  Vec v;
  v.x = edge_or_rand();
  v.add = (rnd() % 3 == 0) ? 0 : edge_or_rand();
  v.mult = mult_val();
  v.shift = shift_val();
  v.vrq = (i % 2) == 0;
  if (v.vrq) {
    v.lsh = 0;
    v.zp = (int8_t)rnd();
    int32_t a = (int8_t)rnd(), b = (int8_t)rnd();
    v.lo = a < b ? a : b;
    v.hi = a < b ? b : a;
  } else {
    v.lsh = (rnd() % 4 == 0) ? 20 : (int)(rnd() % 32);
    v.zp = edge_or_rand();
    v.lo = (rnd() % 2) ? (int32_t)(int8_t)rnd() : edge_or_rand();
    v.hi = (rnd() % 2) ? (int32_t)(int8_t)rnd() : edge_or_rand(); // lo > hi allowed (vadd)
  }
  return v;
}

static int32_t ref_y(const Vec &v) {
  return dlp_mbqm(dlp_wrap_shl(dlp_wrap_add(v.x, v.add), v.lsh), v.mult, v.shift);
}

static int8_t ref_q(const Vec &v, int32_t y) {
  return dlp_sat8(dlp_clamp(dlp_wrap_add(y, v.zp), v.lo, v.hi));
}

int main(int argc, char **argv) {
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  auto m = std::make_unique<Vdlp_requant>(ctx.get());
  uint64_t n = 4000000;
  if (const char *e = getenv("REQUANT_N")) n = strtoull(e, nullptr, 0);
  const uint64_t kRing = 8;
  Vec ring[kRing];
  int errors = 0;
  uint64_t checked = 0;
  // exhaustive-ish corner grid first: every shift -33..33 with edge x and multipliers
  uint64_t grid = 0;
  const int32_t gshift_lo = -33, gshift_hi = 33;
  const uint64_t grid_n = (uint64_t)(gshift_hi - gshift_lo + 1) * kNEdge * kNEdge;
  for (uint64_t t = 0; t < grid_n + n + 3 && errors < 10; t++) {
    if (t < grid_n + n) {
      Vec v;
      if (t < grid_n) {
        uint64_t g = grid++;
        v = Vec{kEdge[g % kNEdge], 0, kEdge[(g / kNEdge) % kNEdge],
                gshift_lo + (int32_t)(g / (kNEdge * kNEdge)), 0, -128, 127, 0, true};
      } else {
        v = gen(t);
      }
      ring[t % kRing] = v;
      m->x_i = (uint32_t)v.x;
      m->add_i = (uint32_t)v.add;
      m->lsh_i = (uint32_t)v.lsh;
      m->mult_i = (uint32_t)v.mult;
      m->shift_i = (uint32_t)v.shift;
    }
    if (t >= 2) { // stage-3 operands of the vector from t-2
      const Vec &v = ring[(t - 2) % kRing];
      m->zp_i = (uint32_t)v.zp;
      m->lo_i = (uint32_t)v.lo;
      m->hi_i = (uint32_t)v.hi;
    }
    m->clk_i = 0;
    m->eval();
    if (t >= 2 && t - 2 < grid_n + n) {
      const Vec &v = ring[(t - 2) % kRing];
      int32_t want = ref_y(v), got = (int32_t)m->y_o;
      if (got != want) {
        printf("FAIL: requant y x=%" PRId32 " add=%" PRId32 " lsh=%d mult=%" PRId32 " shift=%" PRId32
               ": got %" PRId32 " want %" PRId32 "\n", v.x, v.add, v.lsh, v.mult, v.shift, got, want);
        errors++;
      }
    }
    if (t >= 3 && t - 3 < grid_n + n) {
      const Vec &v = ring[(t - 3) % kRing];
      int32_t y = ref_y(v);
      int8_t want = ref_q(v, y), got = (int8_t)m->q_o;
      if (v.vrq && dlp_requant(v.x, v.add, v.mult, v.shift, v.zp, v.lo, v.hi) != want) {
        printf("FAIL: requant harness: dlp_requant disagrees with its definition\n");
        errors++;
      }
      if (got != want) {
        printf("FAIL: requant q x=%" PRId32 " add=%" PRId32 " lsh=%d mult=%" PRId32 " shift=%" PRId32
               " zp=%" PRId32 " lo=%" PRId32 " hi=%" PRId32 ": got %d want %d\n", v.x, v.add, v.lsh,
               v.mult, v.shift, v.zp, v.lo, v.hi, got, want);
        errors++;
      }
      checked++;
    }
    m->clk_i = 1;
    m->eval();
  }
  printf("%s: vfu/requant %" PRIu64 " inputs (%" PRIu64 " corner-grid, %" PRIu64
         " random) against dlp_mbqm/dlp_requant\n", errors ? "FAIL" : "PASS", checked, grid_n, n);
  m->final();
  return errors ? 1 : 0;
}
