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
    /* write log for the retire callback */
    dlp_write_t *writes;
    uint32_t n_writes, cap_writes;
    uint8_t *wdata;
    size_t wdata_len, wdata_cap;
} uop_t;

/* Value of the register named by field `name` of a uop: R(u, RDST) */
#define R(u, name) ((u)->rv[(u)->in.f[DLP_F_##name] & 15])

typedef struct queue {
    uop_t *slot;
    uint32_t head, count, depth;
} queue_t;

/* One execution unit: the DMA engine, or the compute unit (MFU or VFU, one at a time). */
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
    struct loop_ent loops[16];
    uint32_t loop_sp;
    queue_t q[3];
    uint64_t q_visible[3][64]; /* cycle from which each queued entry may start */
    uint32_t tokens[3][3];     /* tokens[from][to] */
    unit_t dma, cp;
    int dma_rr;               /* round robin: queue served last by the DMA engine */

    int cause;
    uint32_t err_pc, err_info;
    char message[256];
    uint64_t end_cycle;
    dlp_counters_t ctr;

    dlp_retire_cb cb;
    void *cb_ctx;
    int record_writes;
};

/* exec.c: functional semantics. The uop's operands were checked at dispatch. */
void dlp_exec(dlp_t *m, uop_t *u, int record);
/* The DRAM bytes (read, written: a DMA's source run bytes, or its destination bytes with the
   padding) and MACs (M*K*N of an mm) an instruction counts when it starts (docs/timing.md,
   "Counters when a run stops with an error"). */
void dlp_uop_work(const dlp_insn_t *in, uint64_t *rd, uint64_t *wr, uint64_t *macs);
void dlp_uop_free_log(uop_t *u);

/* machine.c: dispatch-time checks; returns a cause and fills m->message/err_info on error. */
int dlp_check_dynamic(dlp_t *m, const uop_t *u);

#endif
