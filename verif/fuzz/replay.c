/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replays fuzz inputs through a target without libFuzzer (make test, suite fuzz):
 *   fuzz_replay_<target> FILE...
 * Prints "PASS: fuzz/<target>/<file name>" per file; an oracle failure aborts (the suite counts
 * the missing lines and the status), as a sanitizer finding does.
 */
#include <string.h>

#include "dlp_file.h"
#include "fuzz.h"

#ifndef FUZZ_TARGET
#define FUZZ_TARGET "?"
#endif

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        uint8_t *buf;
        size_t len;
        char why[256];
        const char *base = strrchr(argv[i], '/');
        if (dlp_file_read(argv[i], (size_t)1 << 24, &buf, &len, why, sizeof why)) {
            printf("FAIL: fuzz/%s/%s: %s\n", FUZZ_TARGET, base ? base + 1 : argv[i], why);
            continue;
        }
        fflush(stdout);
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        printf("PASS: fuzz/%s/%s\n", FUZZ_TARGET, base ? base + 1 : argv[i]);
    }
    return 0;
}
