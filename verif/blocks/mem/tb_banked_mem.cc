// SPDX-License-Identifier: Apache-2.0
// Block test of dlp_banked_mem: random reads and writes of random lengths at random addresses
// on both ports, against a plain array. Prints PASS/FAIL lines. With HALVES (Halves = 1) port C
// joins: B and C own one half each (swapped now and then, and sometimes one port owns both while
// the other is idle, as the scheduler allows), and each accesses only its own half(s).
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
#ifndef PC
#define PC 1
#endif
#ifndef HALVES
#define HALVES 0
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
  const uint32_t half = ELEMS / 2;
  for (int it = 0; it < 20000 && errors < 5; it++) {
    bool awe = rnd() & 1, bwe = rnd() & 1, cwe = HALVES && (rnd() & 1);
    uint32_t aaddr = rnd() % (ELEMS - PA), baddr = rnd() % (ELEMS - PB), caddr = 0;
    uint32_t alen = rnd() % (PA + 1), blen = rnd() % (PB + 1), clen = 0;
    bool cen = false;
    unsigned bown = 3, cown = 0;
    if (HALVES) {
      // ownership: B lo / C hi, B hi / C lo, or one port alone owning both halves
      unsigned mode = rnd() % 4;
      bool blo = mode != 1;
      if (mode == 3) {
        bown = 0, cown = 3;
      } else {
        bown = blo ? 1 : 2, cown = blo ? 2 : 1;
      }
      clen = rnd() % (PC + 1);
      // each port's access stays inside its own half(s) (the scheduler's boxes)
      uint32_t blo_a = bown == 2 ? half : 0, bhi_a = bown == 1 ? half : ELEMS;
      uint32_t clo_a = cown == 2 ? half : 0, chi_a = cown == 1 ? half : ELEMS;
      baddr = blo_a + rnd() % (bhi_a - blo_a - PB + 1);
      caddr = clo_a + rnd() % (chi_a - clo_a - PC + 1);
      cen = cown != 0;
      if (!bown) bwe = false;
    }
    // keep the ports' write ranges disjoint
    if (awe && bwe && aaddr < baddr + PB && baddr < aaddr + PA) bwe = false;
    if (awe && cwe && aaddr < caddr + PC && caddr < aaddr + PA) cwe = false;
    m->a_en_i = 1; m->a_we_i = awe; m->a_addr_i = aaddr; m->a_len_i = alen;
    m->b_en_i = bown != 0; m->b_we_i = bwe; m->b_addr_i = baddr; m->b_len_i = blen;
    m->c_en_i = cen; m->c_we_i = cwe && cen; m->c_addr_i = caddr; m->c_len_i = clen;
    m->b_own_i = HALVES ? bown : 0; m->c_own_i = HALVES ? cown : 0;
    uint8_t wa[PA], wb[PB], wc[PC];
    for (int i = 0; i < PA; i++) { wa[i] = rnd(); bytes(m->a_wdata_i)[i] = wa[i]; }
    for (int i = 0; i < PB; i++) { wb[i] = rnd(); bytes(m->b_wdata_i)[i] = wb[i]; }
    for (int i = 0; i < PC; i++) { wc[i] = rnd(); bytes(m->c_wdata_i)[i] = wc[i]; }
    std::vector<uint8_t> old = ref;
    tick();
    // read-first: read data is the old contents
    for (int i = 0; i < PA; i++) {
      uint8_t got = bytes(m->a_rdata_o)[i];
      if (got != old[aaddr + i]) { printf("FAIL: mem port A read it=%d addr=%u lane %d got %02x want %02x\n", it, aaddr, i, got, old[aaddr + i]); errors++; break; }
    }
    for (int i = 0; i < PB && bown; i++) {
      uint8_t got = bytes(m->b_rdata_o)[i];
      if (got != old[baddr + i]) { printf("FAIL: mem port B read it=%d addr=%u lane %d got %02x want %02x\n", it, baddr, i, got, old[baddr + i]); errors++; break; }
    }
    for (int i = 0; i < PC && cen; i++) {
      uint8_t got = bytes(m->c_rdata_o)[i];
      if (got != old[caddr + i]) { printf("FAIL: mem port C read it=%d addr=%u lane %d got %02x want %02x\n", it, caddr, i, got, old[caddr + i]); errors++; break; }
    }
    if (awe) for (uint32_t i = 0; i < alen; i++) ref[aaddr + i] = wa[i];
    if (bwe && bown) for (uint32_t i = 0; i < blen; i++) ref[baddr + i] = wb[i];
    if (cwe && cen) for (uint32_t i = 0; i < clen; i++) ref[caddr + i] = wc[i];
  }
  printf("%s: mem/banked_mem elems=%d portA=%d portB=%d portC=%d halves=%d\n",
         errors ? "FAIL" : "PASS", ELEMS, PA, PB, HALVES ? PC : 0, HALVES);
  m->final();
  return errors ? 1 : 0;
}
