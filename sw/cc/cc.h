/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dlpcc, the OpenDLP network compiler: internal interface shared by its sources, the dlpcc
 * command line (sw/tools/dlpcc.c) and the tests (verif/cc/).
 *
 * Pipeline:
 *   cc_parse_file()      network description (docs/netdesc.md) -> cc_net_t with shapes,
 *                        parameter and MAC counts (enough for --summary)
 *   cc_load_weights()    weight file -> weights, biases, scales, activation quantization
 *   cc_compile()         fusion, DRAM layout, tiling and code generation per program, the
 *                        assembler (libdlpasm) -> a package (dlp_net.h) and listings
 * Every failure returns -1 with one message naming the file position or the layer and the
 * reason (docs/compiler.md lists them).
 */
#ifndef DLPCC_CC_H
#define DLPCC_CC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dlp.h"
#include "dlp_net.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cc_kind {
    CC_CONV,
    CC_FC,
    CC_MAXPOOL,
    CC_AVGPOOL,
    CC_ADAPTIVE_AVGPOOL,
    CC_ADD,
    CC_RELU,
    CC_RELU6,
    CC_LUT,
    CC_FLATTEN,
    CC_RESHAPE,
    CC_KIND_COUNT
};

enum cc_act { CC_ACT_NONE, CC_ACT_RELU, CC_ACT_RELU6 };

/* Functions of a lut layer (docs/netdesc.md). */
enum cc_fn {
    CC_FN_TABLE,
    CC_FN_SIGMOID,
    CC_FN_TANH,
    CC_FN_RELU,
    CC_FN_RELU6,
    CC_FN_HARDSWISH,
    CC_FN_HARDSIGMOID,
    CC_FN_SILU,
    CC_FN_GELU,
    CC_FN_ELU,
    CC_FN_EXP,
    CC_FN_ABS,
    CC_FN_NEG,
    CC_FN_IDENTITY,
    CC_FN_COUNT
};

const char *cc_kind_name(enum cc_kind k);
const char *cc_fn_name(enum cc_fn f);

typedef struct cc_loc {
    int line, col;
} cc_loc_t;

typedef struct cc_tensor {
    char *name;
    cc_loc_t loc;          /* where it is defined (input line or producing layer) */
    int rank;              /* 2 (N x C) or 4 (N x H x W x C) */
    int n, h, w, c;        /* rank 2: h = w = 1 */
    int producer;          /* layer index; -1 for a network input */
    int is_input, is_output;
    int n_readers;
    /* quantization: from the description (q_desc) and/or the weight file (q_file) */
    int q_desc, q_file;
    double scale;
    int32_t zp;
    double desc_scale;
    int32_t desc_zp;
    /* compilation (plan.c) */
    int halo_t, halo_l, halo_b, halo_r; /* zero-point border kept around the data in DRAM */
    int alias_of;          /* >= 0: shares the bytes of that tensor (flatten/reshape) */
    int fused;             /* never materialised: lives only inside a fused program */
    int padded_copy;       /* >= 0: index of an internal haloed copy that convolutions read */
    uint32_t base;         /* first byte of the buffer, halo included */
    uint32_t addr;         /* element (0, 0, 0, 0) */
    uint32_t row_stride;   /* bytes between rows (W + halos) * C */
    uint32_t img_stride;   /* bytes between batch images */
    uint32_t span;         /* bytes of the buffer, halo included */
    int pkg_index;         /* index in the package's tensor table, -1 when absent */
} cc_tensor_t;

typedef struct cc_layer {
    enum cc_kind kind;
    char *name;
    cc_loc_t loc;
    int n_in;
    int in[2];
    int out;
    /* geometry (conv, pools) */
    int kh, kw, sh, sw;
    int pt, pl, pb, pr;    /* resolved padding */
    int cout, groups, has_bias, bn;
    enum cc_act act;
    int fc_float;          /* fc round=float: TFLite >= 2.20 reference requantization */
    enum cc_fn fn;
    int adapt_oh, adapt_ow;
    /* derived */
    uint64_t params, macs;
    /* from the weight file */
    int8_t *weight;        /* conv OHWI, fc [out][in] */
    size_t weight_len;
    int32_t *bias;         /* cout entries, or NULL */
    float *wscale;         /* cout entries (a single file scale is broadcast) */
    int8_t *table;         /* 256 entries (lut fn=table) */
    int32_t *requant;      /* conv/fc: cout x (multiplier, shift) given by the file, or NULL */
    int got_weight, got_bias, got_wscale, got_table;
} cc_layer_t;

typedef struct cc_net {
    char *name;
    char *file;            /* the description's path, for messages */
    cc_tensor_t *t;
    int nt, cap_t;
    cc_layer_t *l;
    int nl, cap_l;
    int explicit_outputs;  /* `output` lines were given */
    int nt_parsed;         /* tensors of the description (cc_compile adds internal ones) */
} cc_net_t;

/* ---- description (desc.c) ---- */
int cc_parse_file(const char *path, cc_net_t *net, char *err, size_t errlen);
int cc_parse_string(const char *src, const char *name, cc_net_t *net, char *err, size_t errlen);
void cc_net_free(cc_net_t *net);
int cc_find_tensor(const cc_net_t *net, const char *name);
int cc_find_layer(const cc_net_t *net, const char *name);
/* "1x28x28x1" / "1x10" */
void cc_shape_str(const cc_tensor_t *t, char *buf, size_t len);
uint64_t cc_tensor_elems(const cc_tensor_t *t);

/* The --summary table: per layer its kind, output shape, parameters and MACs, and totals. */
void cc_summary(const cc_net_t *net, FILE *f);
void cc_totals(const cc_net_t *net, uint64_t *params, uint64_t *macs);

/* ---- weight files (weights.c) ---- */
enum cc_wtype { CC_W_INT8 = 1, CC_W_INT32 = 2, CC_W_FLOAT32 = 3 };

typedef struct cc_wrec {
    char *name;
    int type;              /* enum cc_wtype */
    int ndims;
    uint32_t dims[4];
    size_t count;          /* product of dims */
    void *data;            /* count elements of the type (host order) */
} cc_wrec_t;

typedef struct cc_wfile {
    cc_wrec_t *rec;
    int n, cap;
} cc_wfile_t;

/* Reads a weight file (binary "DLPW" or text "dlpw 1"). */
int cc_wfile_read(const char *path, cc_wfile_t *wf, char *err, size_t errlen);
int cc_wfile_parse(const uint8_t *buf, size_t len, const char *name, cc_wfile_t *wf, char *err,
                   size_t errlen);
/* Adds a record (copies data); for tests and tools that write weight files. */
void cc_wfile_add(cc_wfile_t *wf, const char *name, int type, int ndims, const uint32_t *dims,
                  const void *data);
int cc_wfile_write(const char *path, const cc_wfile_t *wf, char *err, size_t errlen);
void cc_wfile_free(cc_wfile_t *wf);
/* Attaches the records to the network's layers and tensors, checking names, types, shapes. */
int cc_apply_weights(cc_net_t *net, const cc_wfile_t *wf, const char *fname, char *err,
                     size_t errlen);
int cc_load_weights(cc_net_t *net, const char *path, char *err, size_t errlen);

/* ---- model import (import_tflite.c; docs/import.md) ---- */
/* A TFLite int8 flatbuffer -> the text of an equivalent network description (malloc'd, in
   *desc) and its weight records. fc_float: FULLY_CONNECTED layers get round=float (TFLite's
   reference kernels from 2.20 on) instead of round=fixed. -1 with a message naming the
   operator (index and TFLite name) and the reason. */
int cc_import_tflite(const uint8_t *buf, size_t len, const char *fname, int fc_float,
                     char **desc, cc_wfile_t *wf, char *err, size_t errlen);

/* ---- quantization (quant.c) ---- */
/* TFLite QuantizeMultiplier: real -> multiplier in [2^30, 2^31) and shift. -1 when the real
   multiplier is not representable (zero, negative, NaN, or needing a shift outside -31..30). */
int cc_quantize_multiplier(double real, int32_t *mult, int32_t *shift);
/* TFLite's activation range of a fused ReLU/ReLU6 for an output quantization. */
void cc_act_range(enum cc_act act, double scale, int32_t zp, int32_t *lo, int32_t *hi);
/* The 256-entry table of a lut layer, or of relu/relu6 with requantization (-1 + message when
   the quantization cannot be represented). */
int cc_make_table(enum cc_fn fn, double s_in, int32_t zp_in, double s_out, int32_t zp_out,
                  int8_t table[256], char *err, size_t errlen);
/* TFLite int8 ADD parameters (vadd's 12 words). */
int cc_add_params(double s1, int32_t zp1, double s2, int32_t zp2, double so, int32_t zpo,
                  int32_t act_min, int32_t act_max, int32_t p[DLP_VADD_WORDS]);

/* ---- compilation (plan.c, gen_*.c) ---- */
typedef struct cc_options {
    uint32_t dram_base;    /* where the image goes (default 0) */
    int listing;           /* keep each program's assembly and listing */
    int verbose;           /* print tiling decisions to stderr */
    int no_fuse;           /* one program per layer: every tensor materialised (for checks) */
} cc_options_t;

typedef struct cc_program {
    char *name;            /* "c1+relu+p1" */
    char *kind;            /* "conv2d", "pool", ... */
    char *source;          /* assembly text (when listing) */
    char *listing;         /* assembler listing (when listing) */
    char *plan;            /* one line: tiling and estimate */
    uint32_t *words;
    uint32_t n_insns;
    uint64_t macs, params, est_cycles;
    uint32_t host_addr, host_bytes; /* a host layer (n_insns 0): its parameter block */
    int out_tensor;
    int n_in;
    int in_tensor[4];
} cc_program_t;

typedef struct cc_output {
    dlp_net_t pkg;         /* pointers into the arrays below */
    dlp_net_tensor_t *tensors;
    dlp_net_layer_t *layers;
    char *strings;
    uint8_t *image;
    cc_program_t *progs;
    int n_progs;
} cc_output_t;

int cc_compile(cc_net_t *net, const dlp_config_t *cfg, const cc_options_t *opt, cc_output_t *out,
               char *err, size_t errlen);
void cc_output_free(cc_output_t *out);

/* Invents plausible weights and quantization for whatever the network still lacks
   (dlpcc --random-weights): for measurements without trained weights. */
int cc_random_weights(cc_net_t *net, uint64_t seed, char *err, size_t errlen);

/* Runs a compiled package on the C model with random inputs and prints each program's cycles,
   MACs and MAC utilisation (dlpcc --run). */
int cc_run_model(const cc_output_t *out, const dlp_config_t *cfg, uint64_t seed, FILE *report,
                 char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
