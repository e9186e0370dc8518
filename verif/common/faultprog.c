/* SPDX-License-Identifier: Apache-2.0 */
/* Fault programs: see faultprog.h. */
#include "faultprog.h"

#include <stdio.h>

static uint64_t next(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int dlp_faultprog_mutate(uint64_t seed, int kind, uint32_t *words, uint32_t *n_insns,
                         uint64_t model_cycles, uint64_t *cycle_limit, uint32_t *index,
                         char *what, size_t whatlen)
{
    uint64_t s = seed * 0x2545f4914f6cdd1dull + 17;
    uint32_t n = *n_insns;
    uint64_t cap = model_cycles + 1000 < DLP_FAULTPROG_MAX_CYCLES ? model_cycles + 1000
                                                                   : DLP_FAULTPROG_MAX_CYCLES;
    /* by the seed: 3 in 8 cuts, 2 limits, 2 flips, 1 random word */
    static const int by_seed[8] = {0, 0, 0, 1, 1, 2, 2, 3};
    uint64_t r = next(&s);
    if (kind == DLP_FAULTPROG_ANY)
        kind = by_seed[r % 8];
    *cycle_limit = cap;
    *index = 0;
    if (kind == DLP_FAULTPROG_CUT && n < 2)
        kind = DLP_FAULTPROG_LIMIT;
    if (kind == DLP_FAULTPROG_CUT) {
        /* keep 1..n-1 instructions (the last one is the halt) */
        uint32_t keep = 1 + (uint32_t)(next(&s) % (n - 1));
        *n_insns = keep;
        snprintf(what, whatlen, "cut after %u of %u instructions", keep, n);
    } else if (kind == DLP_FAULTPROG_LIMIT) {
        uint64_t span = model_cycles > 20 ? model_cycles - 10 : 10;
        *cycle_limit = 10 + next(&s) % span;
        if (*cycle_limit > cap)
            *cycle_limit = cap;
        snprintf(what, whatlen, "cycle limit %llu of a %llu-cycle run",
                 (unsigned long long)*cycle_limit, (unsigned long long)model_cycles);
    } else if (kind == DLP_FAULTPROG_FLIP) {
        uint32_t i = (uint32_t)(next(&s) % n), bit = (uint32_t)(next(&s) % 128);
        words[4 * i + bit / 32] ^= 1u << (bit % 32);
        *index = i;
        snprintf(what, whatlen, "flip bit %u of instruction %u", bit, i);
    } else {
        uint32_t i = (uint32_t)(next(&s) % n);
        for (int k = 0; k < 4; k++)
            words[4 * i + k] = (uint32_t)next(&s);
        *index = i;
        snprintf(what, whatlen, "instruction %u replaced by a random word", i);
    }
    return kind;
}
