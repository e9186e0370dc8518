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

#endif
