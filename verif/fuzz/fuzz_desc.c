/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the network description parser (docs/netdesc.md). Oracles: no crash, no leak
   (a failed parse frees what it built); a parsed network's totals do not wrap. */
#include <string.h>

#include "cc.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = malloc(size + 1), err[1024];
    cc_net_t net;
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = 0;
    if (cc_parse_string(src, "fuzz.txt", &net, err, sizeof err) == 0) {
        uint64_t params, macs, sum_p = 0, sum_m = 0;
        cc_totals(&net, &params, &macs);
        for (int i = 0; i < net.nl; i++) {
            FUZZ_CHECK(!__builtin_add_overflow(sum_p, net.l[i].params, &sum_p) &&
                           !__builtin_add_overflow(sum_m, net.l[i].macs, &sum_m),
                       "totals wrap at layer %d", i);
        }
        FUZZ_CHECK(sum_p == params && sum_m == macs, "cc_totals differs from the layer sums");
        cc_net_free(&net);
    } else {
        FUZZ_CHECK(err[0] != 0, "a refused description without a message");
    }
    free(src);
    return 0;
}
