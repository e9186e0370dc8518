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
    uint32_t flags;         /* 0 */
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
    uint32_t reserved[10];
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

/* Writing: the compiler fills a dlp_net_t (pointers to its own arrays) and calls this. */
int dlp_net_write_file(const char *path, const dlp_net_t *net, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
