/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dlpcc code generation: the program descriptions that plan.c hands to the generators
 * (gen_conv.c, gen_pool.c, gen_elt.c) and the emitter they share (emit.c).
 *
 * Generators write DLP assembly text (docs/assembler.md) that libdlpasm assembles; the text is
 * also the listing a user reads. Every program follows the double-buffering token protocol of
 * firmware/common/pipeline.inc (LD->CP "buffer full", CP->LD "buffer free", CP->ST "result
 * ready", ST->CP "result buffer free", two primer tokens per backward channel).
 *
 * Register conventions of the generated code:
 *   r1..r8    kernel-specific DRAM pointers and on-chip slot addresses
 *   r9..r11   address temporaries (r9: a pointer in convolutions with a fused add; r11 is
 *             the temporary of slot toggles)
 *   r12..r15  stride operands of the next queued instruction (li'd just before it)
 */
#ifndef DLPCC_CG_H
#define DLPCC_CG_H

#include "cc.h"
#include "cc_util.h"

/* ---- what a program computes ---------------------------------------------------------------- */

enum epi_kind { EPI_CLAMP, EPI_LUT, EPI_POOL, EPI_ADD };

/* An operation applied to a computed tile in NRAM before it is stored (fusion). */
typedef struct epi_op {
    enum epi_kind kind;
    int32_t lo, hi;        /* EPI_CLAMP */
    int8_t table[256];     /* EPI_LUT */
    int avg, k;            /* EPI_POOL: average (else max), window = stride = k, no padding */
    int other;             /* EPI_ADD: the tensor added to the tile (its tile is loaded too) */
    int32_t add[DLP_VADD_WORDS]; /* EPI_ADD: vadd parameters (the tile is input A) */
} epi_op_t;

enum prog_type { P_CONV, P_POOL, P_ELT, P_HOST };
enum elt_op { ELT_ADD, ELT_LUT, ELT_CLAMP };

#define MAX_FUSED 8
#define MAX_EPI 4

typedef struct prog_desc {
    enum prog_type type;
    enum elt_op elt;
    int main_layer;        /* -1: an internal copy */
    int n_fused;
    int fused[MAX_FUSED];  /* layers in this program, main first */
    int in[2], n_in;       /* tensor indexes */
    int out;
    int32_t vrq_lo, vrq_hi;   /* conv/fc: fused activation range */
    int32_t add[DLP_VADD_WORDS]; /* ELT_ADD */
    int32_t clamp_lo, clamp_hi; /* ELT_CLAMP */
    int8_t table[256];        /* ELT_LUT */
    epi_op_t ops[MAX_EPI];
    int n_ops;
    char name[256];
    const char *kind;         /* package kind string */
} prog_desc_t;

/* ---- generator context ----------------------------------------------------------------------- */

typedef struct cg {
    const dlp_config_t *cfg;
    const cc_net_t *net;
    const prog_desc_t *pd;
    int attempt;           /* 0: best tiling; k: the k-th alternative (program too large) */
    /* output */
    cc_buf_t text;
    cc_buf_t plan;         /* one-line tiling summary */
    uint64_t est_cycles;
    /* emission state */
    int indent;
    int depth;             /* open hardware loops */
    long cval[16];
    int cvalid[16];
    long adv[16];          /* pointer tracking: advance since the current level body began */
    unsigned lazy;         /* registers whose adjustments wait in pend[] until they are used */
    long pend[16];
    /* image: constants are appended here */
    uint8_t **image;
    size_t *image_len;
    uint32_t image_addr;
    uint32_t scratch_dram; /* 16 bytes for the token primers' stores */
    char *err;
    size_t errlen;
} cg_t;

/* Appends constant data to the image (aligned) and returns its DRAM address. */
uint32_t cg_const(cg_t *g, const void *data, size_t len, size_t align);

void cg_line(cg_t *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cg_comment(cg_t *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* li with a cache of known register values (r12..r15 strides mostly). */
void cg_li(cg_t *g, int reg, long value);
void cg_invalidate(cg_t *g);
/* rd = rs + imm (skips a no-op; tracks nothing). */
void cg_addi(cg_t *g, int rd, int rs, long imm);
/* A pointer register advanced by imm, recorded in adv[]. */
void cg_advance(cg_t *g, int reg, long imm);
/*
 * Lazy pointers: cg_adjust() adds to a register marked in g->lazy without emitting anything;
 * the sum is folded into the next cg_addi() that reads the register, or emitted as one addi
 * by cg_flush() before a DMA uses the register and at loop boundaries. Generators use lazy
 * registers only through cg_dma() and cg_addi(), never by name in other instructions.
 */
void cg_adjust(cg_t *g, int reg, long delta);
void cg_flush(cg_t *g, int reg);
void cg_flush_all(cg_t *g);
/* reg <- (a + b) - reg: flips between two slot addresses (uses r11 as a temporary). */
void cg_toggle(cg_t *g, int reg, long a, long b);
void cg_loop_begin(cg_t *g, long count);
void cg_loop_end(cg_t *g);

/*
 * A DMA of up to three dimensions: n0 contiguous bytes, repeated d1.n times (strides d1.ss /
 * d1.ds), repeated d2.n times. Contiguous dimensions are merged. Stride registers r12..r15 are
 * loaded as needed. spaces: "dram", "nram", "wram". flags: ", wait=cp, signal=cp" or "".
 */
typedef struct dma_dim {
    long n, ss, ds;
} dma_dim_t;
int cg_dma(cg_t *g, const char *dsp, int dreg, const char *ssp, int sreg, long n0, dma_dim_t d1,
           dma_dim_t d2, const char *flags);

/* Prologue: the primer tokens (clobbers r10, r11); the 2-byte NRAM scratch lives at nscr.
   vf: results come from the VF queue (ST->VF and ST->LD instead of ST->CP, and VF->LD,
   VF->CP tokens from a third scratch byte at nscr + 2). */
void cg_primers(cg_t *g, long nscr, int vf);
/* A CP instruction that only passes a token LD -> CP -> LD (header steps). */
void cg_dummy_cp(cg_t *g, long nscr, const char *flags);

/*
 * A vector operation over a dense NRAM tile of rows x cols bytes (row stride cols), as vlut or
 * vclamp: emitted as one row when it fits the cols field, else row by row.
 */
void cg_vec_tile(cg_t *g, const epi_op_t *op, int dreg, int sreg, long rows, long cols,
                 long wram_table, const char *flags);

/* Error helper for generators: "layer X (kind): message". */
int cg_fail(cg_t *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Cost-model helpers (docs/timing.md). */
double cg_t_mm(const dlp_config_t *c, long m, long k, long n);
double cg_t_dma(const dlp_config_t *c, double runs, double run_bytes);
double cg_t_vec(const dlp_config_t *c, long rows, long cols, int per_elem_cycles, long prep);

/* Generators: 0, or -1 with a message (an impossible tiling names the layer and the need). */
int gen_conv(cg_t *g);
int gen_pool(cg_t *g);
int gen_elt(cg_t *g);

#endif
