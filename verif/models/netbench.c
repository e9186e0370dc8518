/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netbench -- the C model's speed on a compiled network (make bench): loads a package once,
 * runs it RUNS times on a libdlp back end (default: the C model's functional mode) with random
 * inputs, and prints the MACs per run, the CPU seconds per run (package loading excluded) and
 * G MAC/s, with the mm kernel in use.
 *
 *   netbench NET.dlpn [RUNS] [DEVICE]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dlp.h"
#include "dlp_driver.h"
#include "dlp_net.h"

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    dlp_net_t net;
    dlpd_dev_t *dev;
    char msg[1024];
    long runs = argc > 2 ? strtol(argv[2], NULL, 10) : 3;
    const char *spec = argc > 3 ? argv[3] : "cmodel:functional=1";
    uint64_t macs = 0;
    double t0, t;
    uint32_t seed = 1;
    if (argc < 2 || runs < 1 || runs > 1000) {
        fprintf(stderr, "usage: netbench NET.dlpn [RUNS 1..1000] [DEVICE]\n");
        return 2;
    }
    if (dlp_net_read_file(argv[1], &net, msg, sizeof msg)) {
        fprintf(stderr, "netbench: %s\n", msg);
        return 1;
    }
    if (dlpd_open(spec, &dev, msg, sizeof msg)) {
        fprintf(stderr, "netbench: %s\n", msg);
        dlp_net_free(&net);
        return 1;
    }
    if (dlpd_net_load(dev, &net))
        goto fail;
    for (uint32_t l = 0; l < net.hdr.n_layers; l++)
        macs += net.layers[l].macs;
    t0 = cpu_seconds();
    for (long r = 0; r < runs; r++) {
        for (uint32_t i = 0; i < net.hdr.n_tensors; i++) {
            uint64_t n = dlpd_tensor_elems(&net.tensors[i]);
            int8_t *x;
            if (net.tensors[i].role != DLP_NET_INPUT)
                continue;
            x = malloc(n ? n : 1);
            if (!x)
                goto fail;
            for (uint64_t k = 0; k < n; k++) {
                seed = seed * 1664525u + 1013904223u;
                x[k] = (int8_t)(seed >> 24);
            }
            if (dlpd_tensor_write(dev, &net, i, x, n)) {
                free(x);
                goto fail;
            }
            free(x);
        }
        for (uint32_t l = 0; l < net.hdr.n_layers; l++) {
            dlpd_result_t res;
            if (dlpd_net_run_layer(dev, &net, l, 0, &res))
                goto fail;
        }
    }
    t = (cpu_seconds() - t0) / (double)runs;
    printf("%s on %s, mm kernel %s: %llu MACs per run, %.3f s CPU per run (%ld runs, loading "
           "excluded): %.2f G MAC/s\n",
           argv[1], spec, dlp_mm_kernel_name(), (unsigned long long)macs, t, runs,
           (double)macs / t / 1e9);
    dlpd_close(dev);
    dlp_net_free(&net);
    return 0;
fail:
    fprintf(stderr, "netbench: %s\n", dlpd_last_error(dev));
    dlpd_close(dev);
    dlp_net_free(&net);
    return 1;
}
