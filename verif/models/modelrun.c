/* SPDX-License-Identifier: Apache-2.0 */
/*
 * modelrun -- runs a compiled network package on a libdlp back end, one input sample after
 * another, and writes every tensor a layer produces right after that layer (before a later
 * layer may reuse its memory): the model suite (verif/models/check_models.py) compares each of
 * them with TFLite's reference kernels.
 *
 *   modelrun NET.dlpn INPUT.bin SAMPLES OUTDIR [DEVICE]
 *
 * INPUT.bin holds SAMPLES consecutive int8 samples of the network's single input tensor.
 * OUTDIR/<tensor>.bin receives SAMPLES consecutive copies of each produced tensor (dense NHWC),
 * and of each tensor that aliases one (flatten/reshape: the same address and size).
 * Exit status 0 on success, 1 with a message on any error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_driver.h"
#include "dlp_net.h"

static int die(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "modelrun: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n");
    return 1;
}

int main(int argc, char **argv)
{
    dlp_net_t net;
    dlpd_dev_t *dev = NULL;
    char msg[1024];
    long samples;
    FILE *in;
    int rc = 1, input = -1;
    FILE **outs = NULL;
    int8_t *buf = NULL;
    if (argc < 5 || argc > 6) {
        fprintf(stderr, "usage: modelrun NET.dlpn INPUT.bin SAMPLES OUTDIR [DEVICE]\n");
        return 2;
    }
    samples = strtol(argv[3], NULL, 10);
    if (samples < 1 || samples > 100000)
        return die("SAMPLES %s: expected 1..100000%s", argv[3], "");
    if (dlp_net_read_file(argv[1], &net, msg, sizeof msg))
        return die("%s%s", msg, "");
    for (uint32_t t = 0; t < net.hdr.n_tensors; t++)
        if (net.tensors[t].role == DLP_NET_INPUT) {
            if (input >= 0)
                return die("%s: more than one input tensor%s", argv[1], "");
            input = (int)t;
        }
    if (input < 0)
        return die("%s: no input tensor%s", argv[1], "");
    if (dlpd_open(argc > 5 ? argv[5] : "cmodel", &dev, msg, sizeof msg))
        return die("%s%s", msg, "");
    if (dlpd_net_load(dev, &net)) {
        fprintf(stderr, "modelrun: %s\n", dlpd_last_error(dev));
        goto out;
    }
    in = fopen(argv[2], "rb");
    if (!in) {
        die("%s: %s", argv[2], strerror(errno));
        goto out;
    }
    outs = calloc(net.hdr.n_tensors, sizeof *outs);
    buf = malloc(1 << 24);
    if (!outs || !buf) {
        fclose(in);
        die("out of memory%s%s", "", "");
        goto out;
    }
    for (uint32_t t = 0; t < net.hdr.n_tensors; t++) {
        char path[4096];
        if (net.tensors[t].role == DLP_NET_INPUT)
            continue;
        snprintf(path, sizeof path, "%s/%s.bin", argv[4],
                 dlpd_net_string(&net, net.tensors[t].name));
        outs[t] = fopen(path, "wb");
        if (!outs[t]) {
            fclose(in);
            die("%s: %s", path, strerror(errno));
            goto out;
        }
    }
    for (long s = 0; s < samples; s++) {
        uint64_t n = dlpd_tensor_elems(&net.tensors[input]);
        if (n > (1u << 24) || fread(buf, 1, n, in) != n) {
            fclose(in);
            die("%s: fewer samples than %s", argv[2], argv[3]);
            goto out;
        }
        if (dlpd_tensor_write(dev, &net, (uint32_t)input, buf, n)) {
            fprintf(stderr, "modelrun: %s\n", dlpd_last_error(dev));
            fclose(in);
            goto out;
        }
        for (uint32_t l = 0; l < net.hdr.n_layers; l++) {
            dlpd_result_t res;
            const dlp_net_tensor_t *y = &net.tensors[net.layers[l].output];
            if (dlpd_net_run_layer(dev, &net, l, 60000, &res)) {
                fprintf(stderr, "modelrun: sample %ld: %s\n", s, dlpd_last_error(dev));
                fclose(in);
                goto out;
            }
            for (uint32_t t = 0; t < net.hdr.n_tensors; t++) {
                uint64_t m = dlpd_tensor_elems(&net.tensors[t]);
                if (!outs[t] || net.tensors[t].addr != y->addr || m != dlpd_tensor_elems(y))
                    continue;
                if (m > (1u << 24) || dlpd_tensor_read(dev, &net, t, buf, m)) {
                    fprintf(stderr, "modelrun: sample %ld: %s\n", s, dlpd_last_error(dev));
                    fclose(in);
                    goto out;
                }
                if (fwrite(buf, 1, m, outs[t]) != m) {
                    fclose(in);
                    die("write error%s%s", "", "");
                    goto out;
                }
            }
        }
    }
    fclose(in);
    rc = 0;
out:
    if (outs)
        for (uint32_t t = 0; t < net.hdr.n_tensors; t++)
            if (outs[t] && fclose(outs[t]))
                rc = 1;
    free(outs);
    free(buf);
    if (dev)
        dlpd_close(dev);
    dlp_net_free(&net);
    return rc;
}
