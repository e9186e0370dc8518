/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Instruction decoding and the static checks that depend on the instruction word alone.
 * Used by the C model at dispatch and by the assembler, so that both reject exactly the same
 * encodings. Register-dependent checks (ranges, DRAM window, overlap) happen at dispatch in the
 * model, once the register values are known.
 */
#ifndef DLP_DECODE_H
#define DLP_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "dlp_csr_gen.h"
#include "dlp_isa_gen.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Memory spaces (field kind `space`; their codes are dlp.isa's `space` lines) plus the
   accumulator, which only the MFU/VFU address, and the scalar registers (traces). */
enum dlp_mem { DLP_MEM_DRAM = DLP_SPACE_DRAM, DLP_MEM_NRAM = DLP_SPACE_NRAM,
               DLP_MEM_WRAM = DLP_SPACE_WRAM, DLP_MEM_ACC = DLP_SPACE_WRAM + 1,
               DLP_MEM_REG = DLP_SPACE_WRAM + 2 };

/* Queues; also the bit positions of the decoded wait/signal masks (dlp_insn_t.wait_q). The
   encoded 3-bit masks name LD, CP, ST; the bit of the instruction's own queue names VF. */
enum dlp_queue { DLP_Q_LD = 0, DLP_Q_CP = 1, DLP_Q_ST = 2, DLP_Q_VF = 3, DLP_Q_NONE = 4 };
#define DLP_NQUEUES 4

typedef struct dlp_insn {
    uint32_t w[DLP_INSN_WORDS];
    int id;                  /* enum dlp_insn_id, or -1 for an undefined opcode */
    int queue;               /* enum dlp_queue; DLP_Q_NONE for front-end instructions */
    unsigned wait_q, signal_q; /* the wait/signal masks by queue: bit q = enum dlp_queue q */
    int64_t f[DLP_F_COUNT];  /* field values (sign-extended); 0 for fields the insn lacks */
} dlp_insn_t;

/* Field value of a decoded instruction: F(in, N0) */
#define DLP_F(in, name) ((in)->f[DLP_F_##name])

/*
 * Decodes w into *out and applies the static checks. Returns DLP_CAUSE_NONE,
 * DLP_CAUSE_ILLEGAL_OPCODE or DLP_CAUSE_ILLEGAL_ENCODING; on error writes a message naming the
 * offending field to msg. *out is filled as far as possible either way.
 */
int dlp_decode(const uint32_t w[DLP_INSN_WORDS], dlp_insn_t *out, char *msg, size_t msglen);

const char *dlp_mem_name(int mem);   /* "dram", "nram", "wram", "acc", "reg" */
const char *dlp_queue_name(int q);   /* "ld", "cp", "st", "vf", "fe" */

/* Encoded 3-bit wait/signal mask <-> mask by queue (bit q = enum dlp_queue q), for an
   instruction on queue `queue`: the encoded bit of the own queue names VF. */
unsigned dlp_mask_to_queues(unsigned enc, int queue);
unsigned dlp_mask_from_queues(unsigned by_queue, int queue); /* bit `queue` must be clear */

#ifdef __cplusplus
}
#endif

#endif
