// SPDX-License-Identifier: Apache-2.0
// Block test of dlp_banked_mem: random reads and writes of random lengths at random addresses
// on both ports, against a plain array. Prints PASS/FAIL lines.
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <vector>
#include <memory>
#include "Vdlp_banked_mem.h"
#include "verilated.h"

#ifndef ELEMS
#define ELEMS 4096
#endif
#ifndef PA
#define PA 16
#endif
#ifndef PB
#define PB 64
#endif

// Byte view of a Verilator port of any width (little-endian host).
template <typename T> static uint8_t *bytes(T &v) { return reinterpret_cast<uint8_t *>(&v); }
template <std::size_t N> static uint8_t *bytes(VlWide<N> &v) { return reinterpret_cast<uint8_t *>(v.data()); }

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd() { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t)rng; }

int main(int argc, char **argv) {
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  auto m = std::make_unique<Vdlp_banked_mem>(ctx.get());
  std::vector<uint8_t> ref(ELEMS, 0);
  int errors = 0;
  auto tick = [&]() { m->clk_i = 0; m->eval(); m->clk_i = 1; m->eval(); };
  for (int it = 0; it < 20000 && errors < 5; it++) {
    bool awe = rnd() & 1, bwe = rnd() & 1;
    uint32_t aaddr = rnd() % (ELEMS - PA), baddr = rnd() % (ELEMS - PB);
    uint32_t alen = rnd() % (PA + 1), blen = rnd() % (PB + 1);
    // keep the two ports' write ranges disjoint
    if (awe && bwe && aaddr < baddr + PB && baddr < aaddr + PA) bwe = false;
    m->a_en_i = 1; m->a_we_i = awe; m->a_addr_i = aaddr; m->a_len_i = alen;
    m->b_en_i = 1; m->b_we_i = bwe; m->b_addr_i = baddr; m->b_len_i = blen;
    uint8_t wa[PA], wb[PB];
    for (int i = 0; i < PA; i++) { wa[i] = rnd(); bytes(m->a_wdata_i)[i] = wa[i]; }
    for (int i = 0; i < PB; i++) { wb[i] = rnd(); bytes(m->b_wdata_i)[i] = wb[i]; }
    std::vector<uint8_t> old = ref;
    tick();
    // read-first: read data is the old contents
    for (int i = 0; i < PA; i++) {
      uint8_t got = bytes(m->a_rdata_o)[i];
      if (got != old[aaddr + i]) { printf("FAIL: mem port A read it=%d addr=%u lane %d got %02x want %02x\n", it, aaddr, i, got, old[aaddr + i]); errors++; break; }
    }
    for (int i = 0; i < PB; i++) {
      uint8_t got = bytes(m->b_rdata_o)[i];
      if (got != old[baddr + i]) { printf("FAIL: mem port B read it=%d addr=%u lane %d got %02x want %02x\n", it, baddr, i, got, old[baddr + i]); errors++; break; }
    }
    if (awe) for (uint32_t i = 0; i < alen; i++) ref[aaddr + i] = wa[i];
    if (bwe) for (uint32_t i = 0; i < blen; i++) ref[baddr + i] = wb[i];
  }
  printf("%s: mem/banked_mem elems=%d portA=%d portB=%d\n", errors ? "FAIL" : "PASS", ELEMS, PA, PB);
  m->final();
  return errors ? 1 : 0;
}
