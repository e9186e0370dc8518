/* SPDX-License-Identifier: Apache-2.0 */
/* relu.c -- a first libdlp program: runs relu.dlpb on a device and checks its result.
 *
 *     relu [DEVICE [PROGRAM]]      e.g.  relu cmodel relu.dlpb,  relu rtl:shape=4x4
 *
 * Build against an installed OpenDLP (examples/Makefile):
 *     cc relu.c $(pkg-config --cflags --libs opendlp) -o relu && dlpasm relu.s
 */
#include <stdint.h>
#include <stdio.h>

#include "dlp_driver.h"

enum { N = 4096, IN = 0x10000, OUT = 0x20000 }; /* the addresses relu.s was written for */

int main(int argc, char **argv)
{
    const char *spec = argc > 1 ? argv[1] : "cmodel", *path = argc > 2 ? argv[2] : "relu.dlpb";
    int8_t input[N], output[N];
    uint32_t x = 1;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        input[i] = (int8_t)(x >> 16);
    }

    dlpd_dev_t *dev;
    char msg[512];
    if (dlpd_open(spec, &dev, msg, sizeof msg) != DLPD_OK) { /* "cmodel", "rtl:shape=4x4", ... */
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    dlpd_info_t info;
    dlpd_get_info(dev, &info); /* ID, VERSION, CAP0..3 decoded: rows, cols, NRAM, ... */

    dlpd_prog_t prog;
    dlpd_result_t res;
    if (dlpd_alloc_at(dev, IN, N) || dlpd_alloc_at(dev, OUT, N) || /* before the program: */
        dlpd_prog_load_file(dev, path, &prog) ||                   /* it goes anywhere free */
        dlpd_write(dev, IN, input, N)) {
        fprintf(stderr, "%s\n", dlpd_last_error(dev));
        dlpd_close(dev);
        return 1;
    }
    dlpd_set_cycle_limit(dev, 1000000); /* the core's watchdog: TIMEOUT after 1M cycles */
    dlpd_err_t e = dlpd_run(dev, &prog, 5000, &res); /* start, wait up to 5 s */
    if (e != DLPD_OK || dlpd_read(dev, OUT, output, N)) {
        /* e.g. "run stopped with DRAM_WINDOW at instruction 4 (DRAM byte 0x1fff0): ..." */
        fprintf(stderr, "%s\n", dlpd_last_error(dev));
        dlpd_close(dev);
        return 1;
    }
    int bad = 0;
    for (int i = 0; i < N; i++)
        bad += output[i] != (input[i] < 0 ? 0 : input[i]);
    printf("%s (%ux%u): %llu cycles, %d of %d outputs wrong\n", info.backend, info.rows, info.cols,
           (unsigned long long)res.counters.cycles, bad, N);
    dlpd_close(dev);
    return bad ? 1 : 0;
}
