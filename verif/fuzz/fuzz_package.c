/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the network package reader (dlp_net_parse) and the driver's package checks
   (dlpd_net_check on a C-model device). Oracles: no crash, no leak; a package the reader
   accepts is either run-checked or refused with a message. */
#include <string.h>

#include "dlp_driver.h"
#include "dlp_net.h"
#include "fuzz.h"

static dlpd_dev_t *dev;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dlp_net_t net;
    char err[512];
    if (!dev) {
        char msg[256];
        if (dlpd_open("cmodel:dram_mib=4", &dev, msg, sizeof msg)) {
            fprintf(stderr, "fuzz_package: %s\n", msg);
            abort();
        }
    }
    if (dlp_net_parse(data, size, &net, err, sizeof err)) {
        FUZZ_CHECK(err[0] != 0, "a refused package without a message");
        return 0;
    }
    dlpd_err_t e = dlpd_net_check(dev, &net);
    FUZZ_CHECK(e == DLPD_OK || dlpd_last_error(dev)[0] != 0, "a refused package without a message");
    for (uint32_t i = 0; i < net.hdr.n_tensors; i++)
        (void)dlpd_tensor_elems(&net.tensors[i]);
    dlp_net_free(&net);
    return 0;
}
