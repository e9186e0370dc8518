/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenDLP compiled network package (".dlpn"): what dlpcc writes and libdlp/dlprun run.
 *
 * A package holds everything a back end needs to run a network: the configuration it was
 * compiled for, a DRAM image (weights, biases, requantization parameters, lookup tables, and the
 * programs), the tensors the host reads and writes, and one program per layer (fused layers
 * count as one) so that the driver can report per-layer cycles. All DRAM addresses are absolute
 * device addresses; the driver loads the image at `image_addr` and sets the DMA window to
 * [dram_base, dram_base + dram_bytes).
 *
 * File layout (all integers little-endian):
 *   header        48 bytes   dlp_net_header_t (magic "DLPN", version, counts, sizes, CRCs)
 *   config        64 bytes   dlp_net_config_t: the shape the code was compiled for
 *   tensors       n_tensors * 64 bytes   dlp_net_tensor_t
 *   layers        n_layers * 96 bytes    dlp_net_layer_t
 *   strings       strings_bytes          NUL-terminated names, referenced by offset
 *   image         image_bytes            copied to DRAM at image_addr
 * A package is rejected when the magic, version, sizes or CRCs are wrong, when any offset or
 * address points outside its section, or when a program is not inside the image.
 *
 * Host layers: a layer the DLP cannot compute exactly runs on the host (docs/compiler.md). It
 * has prog_insns = 0, its prog_addr points to a parameter block of host_bytes inside the image,
 * its kind names the block's format, and the header carries DLP_NET_FLAG_HOST_LAYERS. The one
 * kind so far is "host_fully_connected" (TFLite >= 2.20's FULLY_CONNECTED, fc round=float):
 *   offset  size          field (little-endian)
 *   0       4             "HFC1"
 *   4       4 x 4         uint32 in_n, out_n; int32 in_zp, out_zp
 *   20      3 x 4         int32 act_min, act_max; uint32 has_bias
 *   32      8 x out_n     float64 multipliers m[c] = s_in * s_w[c] / s_out (docs/numerics.md)
 *   ...     4 x out_n     int32 biases (zeros without a bias)
 *   ...     in_n x out_n  int8 weights [out][in]
 * dlp_net_host_run() computes a host layer; runners that do not call it refuse such packages.
 */
#ifndef DLP_NET_H
#define DLP_NET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DLP_NET_MAGIC "DLPN"
#define DLP_NET_VERSION 1
#define DLP_NET_MAX_DIMS 4
#define DLP_NET_FLAG_HOST_LAYERS 1u /* some layers run on the host (prog_insns 0) */
#define DLP_NET_HOST_FC "host_fully_connected"

typedef struct dlp_net_header {
    char magic[4];          /* "DLPN" */
    uint16_t version;       /* DLP_NET_VERSION */
    uint16_t isa_version;   /* DLP_ISA_VERSION of the programs */
    uint32_t n_tensors;
    uint32_t n_layers;
    uint32_t strings_bytes;
    uint32_t image_bytes;
    uint32_t image_addr;    /* DRAM address of image byte 0 */
    uint32_t dram_base;     /* the region the network uses: [dram_base, dram_base + dram_bytes) */
    uint32_t dram_bytes;
    uint32_t flags;         /* 0, or DLP_NET_FLAG_HOST_LAYERS */
    uint32_t body_crc;      /* CRC-32 of everything after the header */
    uint32_t header_crc;    /* CRC-32 of the first 44 bytes */
} dlp_net_header_t;

/* The configuration the programs were compiled for; a back end whose shape or memories differ
   refuses the package (the programs' tiling depends on them). */
typedef struct dlp_net_config {
    uint32_t rows, cols, vlanes;
    uint32_t nram_bytes, wram_bytes, acc_bytes;
    uint32_t imem_insns;
    uint32_t beat_bytes;
    uint32_t reserved[8];
} dlp_net_config_t;

enum dlp_net_role { DLP_NET_INTERNAL = 0, DLP_NET_INPUT = 1, DLP_NET_OUTPUT = 2,
                    DLP_NET_CONST = 3 };

/* An int8 tensor in DRAM, NHWC, densely packed unless strides say otherwise. */
typedef struct dlp_net_tensor {
    uint32_t name;          /* offset into strings */
    uint32_t role;          /* enum dlp_net_role */
    uint32_t addr;          /* DRAM address of element 0 */
    uint32_t bytes;         /* size in DRAM */
    uint32_t ndims;         /* 1..4 */
    uint32_t dims[DLP_NET_MAX_DIMS]; /* e.g. {N, H, W, C} */
    float scale;            /* real = scale * (q - zero_point) */
    int32_t zero_point;
    uint32_t row_stride;    /* bytes between rows (H) for 4-D tensors; 0 = dense (W*C) */
    uint32_t img_stride;    /* bytes between images (N); 0 = dense (H*row_stride) */
    uint32_t reserved[3];
} dlp_net_tensor_t;

/* One program: a layer, or a group of fused layers. */
typedef struct dlp_net_layer {
    uint32_t name;          /* offset into strings, e.g. "conv1+relu" */
    uint32_t kind;          /* offset into strings, e.g. "conv2d" */
    uint32_t prog_addr;     /* DRAM address of its instructions (inside the image) */
    uint32_t prog_insns;
    uint32_t output;        /* index of its output tensor */
    uint32_t n_inputs;
    uint32_t inputs[4];     /* indexes of its input tensors */
    uint64_t macs;          /* multiply-accumulates as the network defines them */
    uint64_t params;        /* trainable parameters (weights + biases) */
    uint32_t host_bytes;    /* a host layer: its parameter block (at prog_addr); else 0 */
    uint32_t reserved[9];
} dlp_net_layer_t;

/* A parsed package (all pointers into one allocation; free with dlp_net_free). */
typedef struct dlp_net {
    dlp_net_header_t hdr;
    dlp_net_config_t cfg;
    dlp_net_tensor_t *tensors;
    dlp_net_layer_t *layers;
    const char *strings;
    const uint8_t *image;
    void *storage;
} dlp_net_t;

/* Parses and validates a package; -1 with a message naming the problem on failure. */
int dlp_net_parse(const uint8_t *buf, size_t len, dlp_net_t *net, char *err, size_t errlen);
int dlp_net_read_file(const char *path, dlp_net_t *net, char *err, size_t errlen);
void dlp_net_free(dlp_net_t *net);
const char *dlp_net_str(const dlp_net_t *net, uint32_t offset); /* "" if out of range */

/* A host layer (prog_insns 0): 1 when layer l is one. */
int dlp_net_is_host(const dlp_net_t *net, uint32_t l);
/* Computes host layer l from its input elements (dense, in_n) into out (dense, out_n); -1 with a
   message when the block is malformed or the sizes differ. */
int dlp_net_host_run(const dlp_net_t *net, uint32_t l, const int8_t *in, size_t in_n,
                     int8_t *out, size_t out_n, char *err, size_t errlen);

/* Writing: the compiler fills a dlp_net_t (pointers to its own arrays) and calls this. */
int dlp_net_write_file(const char *path, const dlp_net_t *net, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
