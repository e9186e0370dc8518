/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenDLP program binary format (".dlpb").
 *
 *   offset size  field
 *   0      4     magic "DLPB"
 *   4      2     format version (DLP_PROG_FORMAT = 1), little-endian
 *   6      2     ISA version the program was assembled for (must equal DLP_ISA_VERSION)
 *   8      4     header size in bytes (32)
 *   12     4     instruction count n (1 .. DLP_PROG_MAX_INSNS)
 *   16     4     instruction size in bytes (16)
 *   20     4     flags (0; every other value is rejected)
 *   24     4     CRC-32 (IEEE 802.3) of the n*16 instruction bytes
 *   28     4     CRC-32 of header bytes 0..27
 *   32     n*16  instructions, little-endian 128-bit words
 *
 * The file size must be exactly 32 + 16*n. Every loader (dlpsim, dlpdis, libdlp) calls
 * dlp_prog_parse(), which checks all of the above and reports the first problem found.
 * Instructions themselves are not checked here: an illegal instruction is a run-time trap.
 */
#ifndef DLP_PROG_H
#define DLP_PROG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DLP_PROG_MAGIC "DLPB"
#define DLP_PROG_FORMAT 1
#define DLP_PROG_HEADER_BYTES 32
#define DLP_PROG_MAX_INSNS (1u << 20)

typedef struct dlp_prog {
    uint32_t n_insns;
    uint32_t *words; /* 4 * n_insns words; words[4*i + k] holds bits 32k+31..32k of insn i */
} dlp_prog_t;

/* CRC-32 (IEEE 802.3, reflected, init and final xor 0xFFFFFFFF). */
uint32_t dlp_crc32(const void *data, size_t len);

/*
 * Parses and validates a program image of `len` bytes. On success returns 0 and fills *prog
 * (free with dlp_prog_free). On failure returns -1, leaves *prog empty and writes a message
 * naming the problem and its byte offset to err (at most errlen bytes, always terminated).
 */
int dlp_prog_parse(const uint8_t *buf, size_t len, dlp_prog_t *prog, char *err, size_t errlen);

/* Reads and parses a file; messages are prefixed with the path. */
int dlp_prog_read_file(const char *path, dlp_prog_t *prog, char *err, size_t errlen);

/* Serializes n instructions (4 words each) into a newly allocated image; returns its size. */
size_t dlp_prog_serialize(const uint32_t *words, uint32_t n_insns, uint8_t **out);

/* Writes words as a program file. Returns 0 or -1 with a message in err. */
int dlp_prog_write_file(const char *path, const uint32_t *words, uint32_t n_insns, char *err,
                        size_t errlen);

void dlp_prog_free(dlp_prog_t *prog);

/* Little-endian helpers shared by the tools. */
static inline uint16_t dlp_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t dlp_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void dlp_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#ifdef __cplusplus
}
#endif

#endif
