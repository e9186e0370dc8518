/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Versions of the OpenDLP tools and of the formats they read and write, for `--version`.
 *
 *     $ build/rel/dlpsim --version
 *     dlpsim (OpenDLP) v0.1-12-g1a09aae
 *     ISA version 1; program binary (.dlpb) format 1; network package (.dlpn) format 1;
 *     weight file (.dlpw) format 1; dlprun --json format 1
 *
 * The first line's version is `git describe --tags --always --dirty` of the source the tool was
 * built from ("unknown" outside a git checkout); the format versions are the constants the
 * readers check.
 */
#ifndef DLP_VERSION_H
#define DLP_VERSION_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DLP_WEIGHTS_FORMAT 1  /* .dlpw binary and "dlpw 1" text weight files */
#define DLP_RUN_JSON_FORMAT 1 /* dlprun --json, read by dlpplot */

/* git describe of the build ("unknown" when not built from a git checkout). */
const char *dlp_version(void);

/* Prints the two lines above for `tool` to f. */
void dlp_print_version(FILE *f, const char *tool);

/* The options every tool has: -h/--help prints usage(stdout), --version the version lines of
   `tool`; 1 when `a` was one of them (the tool then exits with status 0), else 0. */
int dlp_std_option(const char *a, const char *tool, void (*usage)(FILE *));

#ifdef __cplusplus
}
#endif

#endif
