/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Constrained-random OpenDLP programs for the RTL regression (make sim).
 *
 * dlp_randprog_generate() builds a valid, race-free program for a machine configuration from a
 * seed: every instruction class (scalar arithmetic, loops -- nested, register-counted and
 * zero-count --, dma between every pair of spaces with strides and padding, mm, every vector
 * and pooling op, half of the vector and pooling ops on the VF queue beside the MFU) with
 * wait/signal dependencies among the four queues and sync barriers. "Race-free" means that two
 * instructions in different queues that may run at the same time never touch the same byte
 * when one of them writes it, so the program's results do not depend on timing (AXI latency,
 * back-pressure) -- the property the co-simulation relies on to compare the RTL with the model
 * under randomised DRAM stalls.
 *
 * How: the generator emits instructions into a small IR, then interprets the IR the way the
 * machine's front end would (registers, loops unrolled) to get every dynamic queued
 * instruction with its memory footprint and its happens-before relation (queue order, tokens
 * paired in order, sync). Violations are repaired until none remain: a wait without a token to
 * consume is removed, a signal that would let a channel pile up tokens is removed, and a race
 * gets a sync in front of the later instruction. Programs therefore never deadlock, never
 * overflow a token channel and never fail a dispatch check (the C model confirms this for every
 * generated program in the regression).
 */
#ifndef DLP_RANDPROG_H
#define DLP_RANDPROG_H

#include <stddef.h>
#include <stdint.h>

#include "dlp.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dlp_randprog_region {
    uint64_t addr;
    uint32_t len;
    uint8_t *data;
} dlp_randprog_region_t;

typedef struct dlp_randprog_opts {
    uint32_t items;     /* top-level items (ops, loops, scalar groups); 0: 60 */
    uint32_t max_insns; /* program length cap; 0: min(imem_insns, 1500) */
} dlp_randprog_opts_t;

typedef struct dlp_randprog {
    uint32_t *words; /* 4 words per instruction, the layout of dlp_prog.h */
    uint32_t n_insns;
    uint64_t prog_addr;
    uint64_t win_base, win_limit; /* DMA/fetch window to program (WIN_BASE, WIN_LIMIT) */
    dlp_randprog_region_t *init;  /* DRAM contents before the run */
    uint32_t n_init;
    /* statistics */
    uint32_t id_count[DLP_I_COUNT]; /* static occurrences of each instruction */
    uint32_t dma_pairs;             /* bit (ssp * 3 + dsp) for each space pair used */
    uint32_t dyn_queued;            /* dynamic queued instructions */
    uint32_t syncs_added, waits_removed, signals_removed, tokens_used;
    uint32_t loops_nested, loops_zero, loops_reg;
} dlp_randprog_t;

/* Builds a program. Returns 0, or -1 with a message (configuration too small, internal error). */
int dlp_randprog_generate(const dlp_config_t *cfg, uint64_t seed, const dlp_randprog_opts_t *opts,
                          dlp_randprog_t *out, char *msg, size_t msglen);
void dlp_randprog_free(dlp_randprog_t *p);

#ifdef __cplusplus
}
#endif

#endif
