/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fault programs: valid random programs (randprog.h) turned into programs that end with an
 * error, for the co-simulation of error runs (make sim, fault/N) and the soak run.
 *
 * dlp_faultprog_mutate() applies one mutation chosen by the seed:
 *   - cut:    the program ends after a random instruction, without its halt: the run ends with
 *             PC_RANGE (or LOOP, when the cut falls inside a loop body), usually while DMA and
 *             compute instructions are queued or running -- the case the counter rule of
 *             docs/timing.md ("Counters when a run stops with an error") is about;
 *   - limit:  the cycle limit is set to a random cycle of the run: TIMEOUT with units busy;
 *   - flip:   one random bit of one random instruction is flipped: an illegal opcode, reserved
 *             bits, a bad field, an address outside a scratchpad or the window, a changed loop
 *             count or token pattern (a deadlock, an overflow) -- or a still-valid program;
 *   - word:   one instruction is replaced by a random 128-bit word.
 * A program can run for long after a flip (a loop count grown to 2^31): every mutation also
 * sets a cycle limit, at most DLP_FAULTPROG_MAX_CYCLES.
 * The result is deterministic in the seed; its outcome is whatever the C model says it is.
 *
 * Cuts and limits keep a race-free program race-free (a prefix of its run). A flipped or
 * replaced instruction may instead become a valid one that races with another unit, whose
 * outcome depends on timing and is unspecified: a user of flip/word mutations keeps only those
 * where the changed instruction (*index) stops the run the first time it is dispatched, which
 * the C model tells (DLP_FAULTPROG_CUT forces a cut otherwise).
 */
#ifndef DLP_FAULTPROG_H
#define DLP_FAULTPROG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DLP_FAULTPROG_MAX_CYCLES 400000u

enum { DLP_FAULTPROG_ANY = -1, DLP_FAULTPROG_CUT = 0, DLP_FAULTPROG_LIMIT = 1,
       DLP_FAULTPROG_FLIP = 2, DLP_FAULTPROG_WORD = 3 };

/* words: 4 * *n_insns words, changed in place; *n_insns may shrink. model_cycles: the cycles
   of the unmutated program's run (the range the limit mutation picks from). kind: one of the
   enum, or DLP_FAULTPROG_ANY to let the seed choose. Returns the kind applied; *index is the
   changed instruction of a flip or word mutation. Writes a short description ("cut after 17 of
   240 instructions", "flip bit 77 of instruction 5", ...) to what. */
int dlp_faultprog_mutate(uint64_t seed, int kind, uint32_t *words, uint32_t *n_insns,
                         uint64_t model_cycles, uint64_t *cycle_limit, uint32_t *index,
                         char *what, size_t whatlen);

#ifdef __cplusplus
}
#endif

#endif
