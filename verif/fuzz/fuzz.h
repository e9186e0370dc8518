/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz targets (make fuzz, docs in verif/fuzz/README.md). Each fuzz_<target>.c defines
 * LLVMFuzzerTestOneInput; built with clang -fsanitize=fuzzer it is a libFuzzer binary, built
 * with replay.c's main() it replays a corpus (make test, suite fuzz). A target aborts (a
 * finding) when an oracle fails; every other outcome -- an error message for bad input
 * included -- is a pass.
 */
#ifndef DLP_FUZZ_H
#define DLP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An oracle: abort with a message when cond is false. */
#define FUZZ_CHECK(cond, ...)                                                                  \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "fuzz oracle failed: %s: ", #cond);                               \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

#endif
