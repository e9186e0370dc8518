/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenDLP C golden model.
 *
 * A machine (dlp_t) holds DRAM, NRAM, WRAM, the accumulators, the scalar registers and the
 * control state of one OpenDLP core. It executes program binaries bit-exactly (the semantics in
 * docs/isa.md and docs/numerics.md) and counts cycles with a timing model of the pipelined
 * microarchitecture that the RTL implements (docs/timing.md). Typical use:
 *
 *     dlp_config_t cfg;
 *     dlp_config_default(&cfg);              // 16x16 array, NRAM 128 KiB, WRAM 256 KiB, ...
 *     dlp_t *m = dlp_create(&cfg, err, sizeof err);
 *     dlp_dram_write(m, 0x0, program_words, 16 * n);   // the program lives in DRAM
 *     dlp_dram_write(m, 0x10000, input, input_len);
 *     dlp_result_t r;
 *     dlp_run(m, 0x0, n, &r);                // r.status, r.cause, r.cycles, r.counters ...
 *     dlp_dram_read(m, 0x20000, output, output_len);
 *     dlp_destroy(m);
 *
 * Every retired instruction, with the memory and register writes it made, can be observed
 * through a callback (dlp_set_retire_cb); the RTL co-simulation checks its own retire port
 * against this stream. Nothing here aborts or has undefined behaviour on bad programs: errors
 * stop the machine with a cause (dlp_csr_gen.h), the index of the faulting instruction and a
 * message.
 */
#ifndef DLP_H
#define DLP_H

#include <stddef.h>
#include <stdint.h>

#include "dlp_config_gen.h"
#include "dlp_csr_gen.h"
#include "dlp_decode.h"
#include "dlp_isa_gen.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- configuration ------------------------------------------------------------------------ */

/* The machine parameters. Their legal ranges, rules and defaults are in sw/isa/dlp.configs
   (docs/configs.md); dlp_config_check() applies them, the RTL checks the same at elaboration. */
typedef struct dlp_config {
    /* datapath shape */
    uint32_t rows;            /* R: systolic array rows (reduction dimension) */
    uint32_t cols;            /* C: systolic array columns (output channels) */
    uint32_t vlanes;          /* V: vector unit lanes */
    /* memories */
    uint32_t nram_bytes;      /* NRAM size */
    uint32_t wram_bytes;      /* WRAM size */
    uint32_t acc_bytes;       /* accumulator size in bytes (4 per element) */
    uint32_t imem_insns;      /* instruction memory capacity */
    uint64_t dram_bytes;      /* size of the model's DRAM, 4 KiB .. 4 GiB (the model's own) */
    /* DRAM interface (AXI4) */
    uint32_t beat_bytes;      /* W: bytes per beat = DRAM bytes per cycle */
    uint32_t burst_beats;     /* longest burst; W*burst_beats <= 4096 */
    uint32_t max_outstanding; /* bursts in flight per direction */
    uint32_t dram_latency;    /* cycles from AR (or last W beat) to first R beat (or B) */
    /* control */
    uint32_t queue_depth;     /* entries in each of the LD, CP, VF and ST queues */
    uint32_t loop_depth;      /* hardware loop nesting */
    uint32_t token_max;       /* tokens a channel can hold */
    /* reporting only */
    double clock_mhz;         /* clock used to convert cycles into time */
    /* simulation */
    uint64_t max_cycles;      /* watchdog: TIMEOUT after this many cycles; 0 = none */
    int functional;           /* 1: fast functional mode, every unit takes one cycle */
    int race_check;           /* 1 (default): report accesses the program does not order */
} dlp_config_t;

/* The "default" configuration of sw/isa/dlp.configs (the brief's 16x16, NRAM 128 KiB, WRAM
   256 KiB, ACC 64 KiB, 16-byte beats). */
void dlp_config_default(dlp_config_t *cfg);

/*
 * Named configurations: every `config` line of sw/isa/dlp.configs (docs/configs.md lists them;
 * DLP_PRESET_NAMES in dlp_config_gen.h is the list for messages). Returns 0, or -1 for an
 * unknown name.
 */
int dlp_config_preset(dlp_config_t *cfg, const char *name);
/* The kernel that computes mm's arithmetic on this host: "avx2" or "portable" (the same bits;
   DLP_MM_KERNEL=portable in the environment forces the portable one). */
const char *dlp_mm_kernel_name(void);

/* Sets one field by name ("rows", "nram_bytes", "nram_kib", ...). Returns 0 or -1 with msg. */
int dlp_config_set(dlp_config_t *cfg, const char *key, const char *value, char *msg,
                   size_t msglen);

/* Checks every field's range. Returns 0 or -1 with a message naming the field. */
int dlp_config_check(const dlp_config_t *cfg, char *msg, size_t msglen);

/* Checks, beyond dlp_config_check, that a core can have this configuration: the CAP registers
   give NRAM, WRAM and accumulator sizes in whole KiB. Used by everything that builds or targets
   a core (dlpcc, libdlp's cmodel back end), so that they accept the same configurations. Block
   test benches use dlp_config_check alone. */
int dlp_config_check_core(const dlp_config_t *cfg, char *msg, size_t msglen);

/* Writes "rows=16 cols=16 ..." (all fields) to buf. */
void dlp_config_format(const dlp_config_t *cfg, char *buf, size_t len);

/* ---- machine ------------------------------------------------------------------------------- */

typedef struct dlp dlp_t;

/* Creates a machine (memories zeroed, window = all of DRAM). NULL with a message on error. */
dlp_t *dlp_create(const dlp_config_t *cfg, char *msg, size_t msglen);
void dlp_destroy(dlp_t *m);
const dlp_config_t *dlp_config(const dlp_t *m);

/* Host access to memories. Return 0, or -1 when the range is outside the memory. */
int dlp_dram_write(dlp_t *m, uint64_t addr, const void *src, size_t len);
int dlp_dram_read(const dlp_t *m, uint64_t addr, void *dst, size_t len);
/* Direct pointers for test benches: the memory, its size in bytes via *len. */
uint8_t *dlp_mem(dlp_t *m, int mem, uint64_t *len); /* DLP_MEM_DRAM/NRAM/WRAM/ACC */

/* DMA and fetch window [base, limit); limit <= DRAM size. Returns 0 or -1. */
int dlp_set_window(dlp_t *m, uint64_t base, uint64_t limit);

/* The watchdog of the next runs (cfg.max_cycles; 0 = none), e.g. from a CYCLE_LIMIT register. */
void dlp_set_cycle_limit(dlp_t *m, uint64_t max_cycles);

/* ---- an external DRAM bus ---------------------------------------------------------------------- */

/*
 * By default the DRAM is an array inside the machine. A bus replaces it: the program fetch and
 * every DMA then reach DRAM only through these two functions, one call per AXI4 burst, cut and
 * timed exactly as the RTL's AXI4 master cuts them (docs/timing.md): a burst starts at a
 * beat-aligned address, covers `len` = beats * beat_bytes bytes (beats <= burst_beats, never
 * crossing a 4 KiB boundary) and carries full beats (AxSIZE = log2 beat_bytes, INCR).
 *
 *   read   fills data[0, len) from DRAM [addr, addr + len). cycle: the cycle of its AR handshake
 *          in the cycle model (the DMA's start cycle in functional mode).
 *   write  writes the bytes i of data[0, len) whose strb[i] is 1 to DRAM addr + i (the AXI
 *          write strobes; the other bytes are not written). cycle: the cycle of its first beat.
 *
 * Each returns 0 for OKAY, or nonzero for an error response (SLVERR, DECERR): the machine then
 * stops with DLP_CAUSE_BUS_ERROR in the cycle the response arrives (the first R beat of a read
 * burst, the B response of a write burst), issues no further bursts for that instruction, and
 * ERR_INFO is 0 as in the RTL. The functions must not call back into the machine.
 *
 * dlp_set_bus attaches a bus to a machine that has not run yet: the internal DRAM is freed,
 * dram_bytes becomes the 32-bit AXI address space (4 GiB) and the window all of it;
 * dlp_dram_read/dlp_dram_write then return -1 and dlp_mem(DLP_MEM_DRAM) NULL. Returns 0, or -1
 * when a function is missing or a bus is already attached.
 */
typedef struct dlp_bus {
    int (*read)(void *ctx, uint64_t cycle, uint64_t addr, uint8_t *data, uint32_t len);
    int (*write)(void *ctx, uint64_t cycle, uint64_t addr, const uint8_t *data,
                 const uint8_t *strb, uint32_t len);
    void *ctx;
} dlp_bus_t;

int dlp_set_bus(dlp_t *m, const dlp_bus_t *bus);

/* ---- running -------------------------------------------------------------------------------- */

enum dlp_status { DLP_IDLE = 0, DLP_RUNNING = 1, DLP_DONE = 2, DLP_ERROR = 3 };
enum dlp_unit { DLP_UNIT_FE = 0, DLP_UNIT_DMA = 1, DLP_UNIT_MFU = 2, DLP_UNIT_VFU = 3 };

typedef struct dlp_counters {
    uint64_t cycles;
    uint64_t busy_dma, busy_mfu, busy_vfu;
    uint64_t dram_rd_bytes, dram_wr_bytes;
    uint64_t macs;
    uint64_t insns;
    uint64_t fetch_cycles;     /* cycles spent loading the program into the instruction memory */
    uint64_t stall_queue_full; /* dispatch cycles lost to a full queue */
    uint64_t stall_sync;       /* dispatch cycles spent waiting in sync/halt */
} dlp_counters_t;

/*
 * Race check (cfg.race_check, on by default; docs/isa.md "Dependency tokens"). The model applies
 * a queued instruction's effects when it starts, so a missing wait/signal token rarely changes
 * its bits -- but the RTL's would. With the check on, every run records each pair of
 * instructions of different queues that touch the same bytes, one of them writing, without
 * queue order, a token chain or a sync ordering them -- whatever the timing of this run. The run
 * itself is unchanged (same bits, same cycles); the races are reported in dlp_result_t.race.
 */
enum dlp_race_kind { DLP_RACE_RAW = 1, DLP_RACE_WAR = 2, DLP_RACE_WAW = 3 };

typedef struct dlp_race {
    int kind;          /* enum dlp_race_kind: what [0] did, then what [1] did */
    int mem;           /* enum dlp_mem */
    uint64_t lo, hi;   /* first and last byte (ACC: element) both touched, one writing */
    uint32_t pc[2];    /* instruction index: [0] the earlier instruction, [1] the later one */
    int queue[2];      /* enum dlp_queue */
    uint32_t seq[2];   /* position in its queue's dynamic stream, from 0 */
    int id[2];         /* enum dlp_insn_id */
} dlp_race_t;

typedef struct dlp_race_summary {
    int checked;              /* 1: the run was checked (0: check off, or it ran out of memory) */
    uint64_t races;           /* pairs of instructions (per kind and memory) found racing */
    uint64_t insns[DLP_Q_NONE]; /* queued instructions checked, per queue (enum dlp_queue:
                                   LD, CP, ST, VF) */
    uint64_t uninit_bytes;    /* on-chip bytes read before anything in this run wrote them */
    dlp_race_t first;         /* the first race, when races > 0 */
} dlp_race_summary_t;

/* The k-th race of the last run (k < 16 and k < races): 0, or -1. */
int dlp_race_get(const dlp_t *m, unsigned k, dlp_race_t *out);
/* "read-after-write race on nram bytes 0x100..0x13f: dma at pc 3 (ld #0) writes them and mm at
   pc 5 (cp #0) reads them, with no token or sync ordering the two" */
void dlp_race_format(const dlp_race_t *r, char *buf, size_t len);

typedef struct dlp_result {
    int status;        /* DLP_DONE or DLP_ERROR */
    int cause;         /* enum dlp_cause */
    uint32_t err_pc;   /* instruction index of the fault */
    uint32_t err_info; /* cause-specific detail (ERR_INFO CSR) */
    char message[256]; /* human-readable description of the error, "" when done */
    dlp_counters_t counters;
    dlp_race_summary_t race; /* the race check's findings (race.checked = 0 when off) */
} dlp_result_t;

/*
 * Runs the program of n_insns instructions at DRAM address prog_addr until halt or an error.
 * Registers are reset to 0 and the token channels emptied at the start of every run;
 * memories keep their contents. Returns 0 when the run ended with halt, -1 otherwise.
 */
int dlp_run(dlp_t *m, uint64_t prog_addr, uint32_t n_insns, dlp_result_t *res);

/* Step-wise use: start, then advance one cycle at a time (returns the status after the cycle). */
int dlp_start(dlp_t *m, uint64_t prog_addr, uint32_t n_insns);
int dlp_step(dlp_t *m);
/* Or in stretches: runs a started program as dlp_run does (idle cycles skipped) until it ends or
   its cycle count reaches `until` (a skipped idle stretch may carry it past). Returns the status.
   dlp_start + dlp_advance(m, UINT64_MAX) + dlp_get_result is dlp_run; results and counters do
   not depend on how a run is cut into stretches. */
int dlp_advance(dlp_t *m, uint64_t until);
void dlp_get_result(const dlp_t *m, dlp_result_t *res);
uint32_t dlp_reg(const dlp_t *m, unsigned r);

/* ---- observation ---------------------------------------------------------------------------- */

typedef struct dlp_write {
    uint8_t mem;          /* enum dlp_mem; DLP_MEM_REG for a scalar register */
    uint32_t addr;        /* byte address; element index for ACC; register number for REG */
    uint32_t len;         /* bytes; elements for ACC; 1 for REG */
    const uint8_t *data;  /* len bytes (4*len little-endian bytes for ACC and REG) */
} dlp_write_t;

typedef struct dlp_retire {
    uint64_t start, end;  /* first and last busy cycle (equal for front-end instructions) */
    uint32_t pc;          /* instruction index */
    int unit;             /* enum dlp_unit */
    int queue;            /* enum dlp_queue; DLP_Q_NONE for the front end */
    const dlp_insn_t *insn;
    uint32_t n_writes;
    const dlp_write_t *writes; /* in the order the instruction made them */
} dlp_retire_t;

typedef void (*dlp_retire_cb)(void *ctx, const dlp_retire_t *r);
/* Called at the end cycle of every retired instruction. Recording writes costs memory; with
   record_writes = 0 the records are omitted (n_writes = 0). */
void dlp_set_retire_cb(dlp_t *m, dlp_retire_cb cb, void *ctx, int record_writes);

#ifdef __cplusplus
}
#endif

#endif
