/* SPDX-License-Identifier: Apache-2.0 */
/* Internal structures of the C model, shared by machine.c, exec.c and timing.c. */
#ifndef DLP_INTERNAL_H
#define DLP_INTERNAL_H

#include <stdint.h>

#include "dlp.h"
#include "dlp_prog.h"
#include "dlp_timing.h"

/* A queued instruction: the decoded word plus the register values read at dispatch. */
typedef struct uop {
    dlp_insn_t in;
    uint32_t pc;
    uint32_t rv[16];     /* register file snapshot at dispatch */
    unsigned banks;      /* memory halves its operands touch (DLP_BANK_* bits), from the checks */
    /* write log for the retire callback */
    dlp_write_t *writes;
    uint32_t n_writes, cap_writes;
    uint8_t *wdata;
    size_t wdata_len, wdata_cap;
} uop_t;

/* Formats an error message into msg (when len > 0) and returns -1 (config.c). */
int dlp_fail(char *msg, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Value of the register named by field `name` of a uop: R(u, RDST) */
#define R(u, name) ((u)->rv[(u)->in.f[DLP_F_##name] & 15])

typedef struct queue {
    uop_t *slot;
    uint32_t head, count, depth;
} queue_t;

/*
 * Memory halves for the overlap of the MFU and the VFU: NRAM, WRAM and ACC are each split at
 * half their size, each half with its own compute port. An mm and a vector instruction run at
 * the same time only if they touch no common half (docs/timing.md, "Compute units").
 */
enum {
    DLP_BANK_NRAM_LO = 1 << 0, DLP_BANK_NRAM_HI = 1 << 1,
    DLP_BANK_WRAM_LO = 1 << 2, DLP_BANK_WRAM_HI = 1 << 3,
    DLP_BANK_ACC_LO = 1 << 4, DLP_BANK_ACC_HI = 1 << 5
};

/* An instruction in flight: on the DMA engine (LD or ST queue), from the CP queue (on the MFU,
   or on the VFU), or from the VF queue (on the VFU). */
typedef struct unit {
    int busy;
    uint64_t start, end; /* busy during [start, end] */
    uop_t op;
    int kind;            /* enum dlp_unit of the instruction being executed */
    dlp_dma_sched_t sched; /* DRAM burst schedule of the running DMA (for error drain) */
} unit_t;

struct loop_ent {
    uint32_t start_pc; /* first body instruction */
    uint32_t end_pc;   /* index of the matching endloop */
    uint32_t remaining;
};

struct dlp {
    dlp_config_t cfg;
    uint8_t *dram, *nram, *wram;
    int32_t *acc;
    uint32_t acc_elems;
    uint64_t win_base, win_limit;
    uint32_t regs[16];

    /* program */
    uint64_t prog_addr;
    uint32_t n_insns;
    uint32_t *imem; /* 4 words per instruction, copied from DRAM by the fetch phase */

    /* run state */
    int status;
    uint64_t now;
    uint64_t fetch_end;   /* last cycle of the program fetch */
    uint32_t pc;
    uint64_t fe_ready;    /* first cycle the front end may act on pc */
    int fe_checked;       /* the queued instruction at pc had its check cycle */
    int fe_check_cause;   /* result of that check, reported in the push cycle */
    unsigned fe_banks;    /* memory halves of the checked instruction */
    struct loop_ent loops[16];
    uint32_t loop_sp;
    queue_t q[DLP_NQUEUES];
    uint64_t q_visible[DLP_NQUEUES][64]; /* cycle from which each queued entry may start */
    uint32_t tokens[DLP_NQUEUES][DLP_NQUEUES]; /* tokens[from][to] */
    unit_t dma, cp, vf;
    int dma_rr;               /* round robin: queue served last by the DMA engine */

    int cause;
    uint32_t err_pc, err_info;
    char message[256];
    uint64_t end_cycle;
    dlp_counters_t ctr;

    dlp_retire_cb cb;
    void *cb_ctx;
    int record_writes;

    /* external DRAM bus (dlp_set_bus); has_bus = 0: DRAM is the array above */
    int has_bus;
    dlp_bus_t bus;
    uint8_t *bus_buf;        /* one burst: beat_bytes * burst_beats bytes */
    uint8_t *bus_strb;
    uint8_t *bus_row;        /* a DMA run's bytes on their way to or from the bus */
    size_t bus_row_cap;
    uint64_t bus_err_cycle;  /* cycle of the first error response; UINT64_MAX: none */
    uint64_t bus_err_addr;   /* its burst's address */

    struct dlp_race_state *race; /* race.c; NULL when cfg.race_check is 0 */
};

/*
 * exec.c: the bus side of fetch and DMA. Moves the DRAM bytes [addr, addr + len) burst by burst
 * through the bus; bursts are numbered from *k on in `sched` (their AR / first W cycles; t when
 * the schedule lacks them). Returns 0, or -1 after an error response (recorded in
 * bus_err_cycle), when no further burst is issued.
 */
int dlp_bus_read_run(dlp_t *m, const dlp_dma_sched_t *sched, uint64_t t, uint32_t *k,
                     uint64_t addr, uint8_t *dst, uint64_t len);
int dlp_bus_write_run(dlp_t *m, const dlp_dma_sched_t *sched, uint64_t t, uint32_t *k,
                      uint64_t addr, const uint8_t *src, uint64_t len);
/* A buffer of at least len bytes for a run (m->bus_row), NULL when the host is out of memory. */
uint8_t *dlp_bus_row(dlp_t *m, size_t len);

/* exec.c: functional semantics. The uop's operands were checked at dispatch. A DMA's bus
   bursts take their cycles from `sched` (the schedule of the DMA starting at t). */
void dlp_exec(dlp_t *m, uop_t *u, int record, const dlp_dma_sched_t *sched, uint64_t t);

/* mm's arithmetic (kernels.c): rows r = j*m0 + i of x (x + i*s0 + j*s1, k bytes) times the
   k x n tile w (row stride ws), into acc + r*as (n int32, added to when accum). */
typedef struct dlp_mm_args {
    const int8_t *x, *w;
    int32_t *acc;
    uint64_t s0, s1, m0, m1, k, n, ws, as;
    int accum;
} dlp_mm_args_t;
void dlp_mm_compute(const dlp_mm_args_t *a);
/* vrq's arithmetic (kernels.c): rows of cols int32 at acc (row stride sa) requantized with the
   12-byte (bias, multiplier, shift) per column at prm into dst (row stride sd). */
typedef struct dlp_vrq_args {
    int8_t *dst;
    const int32_t *acc;
    const uint8_t *prm;
    uint64_t rows, cols, sd, sa;
    int32_t zp, lo, hi;
} dlp_vrq_args_t;
void dlp_vrq_compute(const dlp_vrq_args_t *a);
/* Chooses the kernels again (the fast ones the host supports, or the portable ones); returns 1
   when fast ones run. For tests. */
int dlp_kernels_select(int portable);
/* The DRAM bytes (read, written: a DMA's source run bytes, or its destination bytes with the
   padding) and MACs (M*K*N of an mm) an instruction counts when it starts (docs/timing.md,
   "Counters when a run stops with an error"). */
void dlp_uop_work(const dlp_insn_t *in, uint64_t *rd, uint64_t *wr, uint64_t *macs);
void dlp_uop_free_log(uop_t *u);

/* machine.c: dispatch-time checks; returns a cause and fills m->message/err_info on error.
   On success *banks holds the memory halves the operands touch (DLP_BANK_*). */
int dlp_check_dynamic(dlp_t *m, const uop_t *u, unsigned *banks);

#endif
