/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenDLP timing model: how many cycles each unit is busy with an instruction.
 *
 * docs/timing.md explains the microarchitecture these formulas describe; the RTL implements the
 * same schedule, so that C-model and RTL cycle counts agree. The functions are pure (they read
 * only the configuration and the instruction's resolved operands), so test benches can use them.
 */
#ifndef DLP_TIMING_H
#define DLP_TIMING_H

#include <stddef.h>
#include <stdint.h>

#include "dlp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Microarchitectural constants of the RTL (not configurable). */
#define DLP_T_FE_QUEUE_CYCLES 2 /* a queued instruction spends 2 cycles in dispatch: check, push */
#define DLP_T_ENDLOOP_TAKEN 2   /* a taken endloop costs 2 dispatch cycles (1 bubble) */
#define DLP_T_MFU_PIPE 3        /* MFU: NRAM read, accumulator read, add/write stages */
#define DLP_T_VFU_PIPE 4        /* VFU: read, two math stages, write */

/* The AXI4 master's burst cutting: the end (exclusive) of the burst that starts at DRAM byte
   addr of a run that ends (exclusive) at end -- the next multiple of beat_bytes * burst_beats,
   or end. Its beats are addr / beat_bytes .. (stop - 1) / beat_bytes. */
uint64_t dlp_burst_stop(const dlp_config_t *cfg, uint64_t addr, uint64_t end);

/* Resolved DMA operands (register values substituted). */
typedef struct dlp_dma_args {
    int dsp, ssp;                  /* enum dlp_mem */
    uint32_t dst, src;
    uint32_t ss1, ss2, ds1, ds2;
    uint32_t n0, n1, n2;
    uint32_t pt, pb, pl, pr;
} dlp_dma_args_t;

/*
 * The DRAM side of a DMA: the schedule of its AXI bursts. Kept so that an error can wait for the
 * bursts already on the bus to finish (AXI transactions cannot be abandoned).
 */
typedef struct dlp_dma_sched {
    uint64_t *issue; /* cycle of the AR/AW handshake of each burst */
    uint64_t *done;  /* cycle of the last R beat (reads) or of the B response (writes) */
    uint32_t n, cap;
} dlp_dma_sched_t;

void dlp_sched_free(dlp_dma_sched_t *s);

/* Cycles after which outstanding bursts issued no later than `t` have completed (>= t). */
uint64_t dlp_sched_drain(const dlp_dma_sched_t *s, uint64_t t);

/*
 * Last busy cycle of a DMA that starts at cycle `start`. Fills `sched` (may be NULL) with its
 * bursts. Returns start when cfg->functional.
 */
uint64_t dlp_time_dma(const dlp_config_t *cfg, const dlp_dma_args_t *a, uint64_t start,
                      dlp_dma_sched_t *sched);

/* Last cycle of the program fetch of n instructions at addr, starting at cycle 0. */
uint64_t dlp_time_fetch(const dlp_config_t *cfg, uint64_t addr, uint32_t n,
                        dlp_dma_sched_t *sched);

/* Busy cycles of an mm with M = m0*m1 rows, reduction K and N columns. */
uint64_t dlp_time_mm(const dlp_config_t *cfg, uint64_t m, uint64_t k, uint64_t n);

/* Busy cycles of a vector or pooling instruction (decoded fields only). */
uint64_t dlp_time_vfu(const dlp_config_t *cfg, const dlp_insn_t *in);

#ifdef __cplusplus
}
#endif

#endif
