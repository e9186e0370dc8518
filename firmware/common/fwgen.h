/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for firmware data generators.
 *
 * A generator (firmware/<prog>/gen.c) is run by verif/scripts/firmware-tests.sh as
 *     <prog>-gen OUTDIR ARGS...
 * and writes into OUTDIR:
 *   params.inc    `.equ` lines that the program's assembly source includes (sizes, addresses)
 *   *.bin         raw DRAM images (inputs, weights, parameters) and the expected outputs
 *   manifest.txt  what to load and what to compare:
 *                   load FILE ADDR
 *                   check ADDR LEN EXPECTED_FILE
 * The expected outputs come from verif/ref (independent plain-loop TFLite references), never
 * from the C model.
 */
#ifndef FWGEN_H
#define FWGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dlp_isa_gen.h" /* the vrq and vadd parameter blocks */
#include "tflite_ref.h"

typedef struct fwgen {
    const char *dir;
    FILE *params, *manifest;
} fwgen_t;

/* Opens OUTDIR/params.inc and OUTDIR/manifest.txt; exits with a message on failure. */
void fw_open(fwgen_t *g, const char *dir);
void fw_close(fwgen_t *g);

/* `.equ NAME, value` in params.inc */
void fw_equ(fwgen_t *g, const char *name, long long value);

/* Writes a DRAM image file and a `load` line. */
void fw_load(fwgen_t *g, const char *file, uint64_t addr, const void *data, size_t len);

/* Writes an expected-output file and a `check` line. */
void fw_check(fwgen_t *g, const char *file, uint64_t addr, const void *data, size_t len);

/* Parses a decimal argument or exits with usage. */
long fw_arg(int argc, char **argv, int i, const char *what);

/* Little-endian int32 store. */
void fw_put32(uint8_t *p, int32_t v);

/* ---- data and quantization helpers (shared by the generators) ---- */


/* Uniform random int8 values in [lo, hi]. */
void fw_rand_i8(ref_rng_t *r, int8_t *p, size_t n, int lo, int hi);

/* Rounds a up to a multiple of al (a power of two or any positive value). */
uint64_t fw_align(uint64_t a, uint64_t al);

/*
 * TFLite int8 quantization of one layer with `n` output channels and reduction length `k`
 * (k = Cin*kh*kw for a convolution): a random input scale and zero point, symmetric
 * per-channel weight scales, an output scale chosen so that typical outputs spread over the int8
 * range (with some saturation at the ends), a random output zero point, int32 biases, and each
 * channel's multiplier/shift from ref_quantize_multiplier(s_in * s_w[c] / s_out) as TFLite's
 * Prepare computes them. fw_layer_quant_free() releases the arrays.
 */
typedef struct fw_layer_quant {
    int n;
    double s_in, s_out, *s_w;
    int32_t zp_in, zp_out;
    int32_t *bias, *mult, *shift;
} fw_layer_quant_t;
void fw_layer_quant(ref_rng_t *r, int n, int k, fw_layer_quant_t *q);
void fw_layer_quant_free(fw_layer_quant_t *q);

/* The ref_requant_t view of a layer (act_min/act_max given: -128/127, or zp_out/127 for ReLU). */
ref_requant_t fw_requant(const fw_layer_quant_t *q, int32_t act_min, int32_t act_max);

/*
 * The vrq parameter block: 12 bytes per channel (int32 bias, multiplier, shift, little endian).
 * `bias` is the bias the program adds, i.e. already folded with the input zero point when the
 * program multiplies raw int8 inputs (docs/numerics.md).
 */
void fw_vrq_params(uint8_t *dst, int n, const int32_t *bias, const int32_t *mult,
                   const int32_t *shift);

/*
 * Tiles for firmware/common/gemm_core.inc (C[M][N] = A[M][K] x B[K][N]): m-tile TM, n-block
 * TN, k-step TK, and BRES = 1 when the n-block's whole K x TN panel of B stays in WRAM. Chosen
 * to minimise a cycle estimate for a 16x16 array with 16-byte DRAM beats (compute, DMA and
 * dispatch, whichever dominates, plus pipeline fill) within the given memory sizes in bytes.
 * tm = 0 when nothing fits.
 */
typedef struct fw_gemm_tiling {
    long tm, tn, tk;
    int bres;
    double cost; /* the estimate, cycles */
    int ovl;     /* vrq on the VF queue beside the next mm, operands in memory halves */
    long nram, wram, acc; /* the memory sizes tiled for, bytes */
} fw_gemm_tiling_t;
/* The cheapest tiling by estimate, in order (ovl = 0) or overlapped (ovl = 1). */
fw_gemm_tiling_t fw_gemm_tiling(long M, long K, long N, long nram, long wram, long acc);
/* Writes TM, TN, TK, BRES, OVL and the memory halves (gemm_core.inc) to params.inc. */
void fw_gemm_equs(fwgen_t *g, const fw_gemm_tiling_t *t);

/*
 * Plan for firmware/common/wres_core.inc (weights resident, row tiles of A streamed, the vrq on
 * the VF queue): row tiles of TM rows (balanced) in n-blocks of TN columns, one A slot per NRAM
 * half (the C tile overwrites it), one ACC tile per ACC half, W K x N in the WRAM low half and
 * the parameters in the high half. The first tile computes in nchunk k-chunks kc[] (16 rows of
 * W, then doubling, the rest once it is at most twice the next), the last one in column blocks
 * of ncb. tn = 0 lets the planner choose TN (a multiple of 16, or N) by its estimate; else TN is
 * tn. Returns 0 when it does not fit: W or the parameters exceed a WRAM half, or no row fits.
 */
typedef struct fw_wres {
    long tm, tn, nchunk, kc[6], ncb;
    double cost; /* the estimate, cycles: the computes, the first chunk's loads, the tail */
} fw_wres_t;
int fw_wres_plan(long M, long K, long N, long nram, long wram, long acc, long tn, fw_wres_t *p);
/* Writes WRES=1, TM, TN, NCHUNK, KC0.., NCB and the memory halves to params.inc. */
void fw_wres_equs(fwgen_t *g, const fw_wres_t *p, long nram, long wram, long acc);

/* Rough DMA time of a transfer of `runs` runs of `run_bytes` bytes with the default DRAM
   interface (16-byte beats, 24-cycle latency, 8 bursts in flight): short runs cost a burst
   round trip shared by eight, long ones their beats. Used by the tile choosers. */
double fw_dma_cycles(double runs, double run_bytes);
/* The model's cycles of an mm (m x k x n) and of a vrq (rows x cols) on the default core. */
double fw_mm_cycles(long m, long k, long n);
double fw_vrq_cycles(long rows, long cols);

/* Allocates or exits with a message. */
void *fw_alloc(size_t n);

#endif
