/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dlpcc -- the OpenDLP network compiler (docs/compiler.md).
 *
 *   dlpcc NET.txt -w WEIGHTS -o NET.dlpn [--config NAME] [--set key=value]... [--listing DIR]
 *   dlpcc --summary NET.txt
 *   dlpcc MODEL.tflite [--emit-desc PREFIX] [--fc-rounding float|fixed] [-o NET.dlpn] ...
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cc.h"
#include "cc_util.h"
#include "dlp_file.h"
#include "dlp_prog.h"
#include "dlp_version.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: dlpcc NET.txt -w WEIGHTS [-o NET.dlpn] [options]\n"
            "       dlpcc --summary NET.txt [-w WEIGHTS] [-o NET.dlpn] [options]\n"
            "       dlpcc MODEL.tflite [--emit-desc PREFIX] [-o NET.dlpn] [options]\n"
            "\n"
            "Compiles a network description (docs/netdesc.md) and its weight file, or an int8\n"
            "TFLite model (docs/import.md), into an OpenDLP network package (.dlpn, one program\n"
            "per layer or fused group).\n"
            "\n"
            "  -w FILE          weight file (binary DLPW or text 'dlpw 1')\n"
            "  --emit-desc PREFIX  (a model) write the equivalent description PREFIX.txt and\n"
            "                   weight file PREFIX.dlpw; compiles only with -o, --summary, --run\n"
            "  --fc-rounding R  (a model) FULLY_CONNECTED requantization: float (default:\n"
            "                   TFLite >= 2.20 reference kernels) or fixed (TFLite <= 2.19,\n"
            "                   optimized kernels, TFLite Micro); docs/numerics.md\n"
            "  -o FILE          output package (default: NET with .dlpn)\n"
            "  --config NAME    machine configuration (docs/configs.md): " DLP_PRESET_NAMES "\n"
            "  --set KEY=VALUE  override one configuration field (rows, cols, vlanes, nram_kib,\n"
            "                   wram_kib, acc_kib, imem_insns, beat_bytes, ...); repeatable\n"
            "  --summary        print each layer's output shape, parameters and MACs, and the\n"
            "                   totals; needs no weights (with -w or -o it also compiles)\n"
            "  --listing DIR    write each program's assembly (.s), listing (.lst) and binary\n"
            "                   (.dlpb) to DIR\n"
            "  --base ADDR      DRAM address of the package image (default 0)\n"
            "  --random-weights SEED  invent weights and quantization for what the weight file\n"
            "                   does not give (for measurements without trained weights)\n"
            "  --run            run the package on the C model (random inputs) and print each\n"
            "                   program's cycles, MACs and MAC utilisation\n"
            "  --no-fuse        one program per layer (every tensor in DRAM, for checks)\n"
            "  -v               print each program's tiling and cycle estimate\n"
            "  --version        print the version and exit\n"
            "  -h, --help       this text\n"
            "Exit status: 0 success, 1 an error in the description, weights or run, 2 bad\n"
            "usage.\n");
}

static int write_text(const char *dir, const char *name, const char *ext, const char *text)
{
    char path[4096], why[256];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, ext);
    if (dlp_file_write(path, text ? text : "", text ? strlen(text) : 0, why, sizeof why)) {
        fprintf(stderr, "dlpcc: %s: %s\n", path, why);
        return -1;
    }
    return 0;
}

/* A TFLite flatbuffer: "TFL3" at byte 4. */
static int is_model(const char *path)
{
    unsigned char h[8];
    FILE *f = fopen(path, "rb");
    int yes;
    if (!f)
        return 0;
    yes = fread(h, 1, 8, f) == 8 && !memcmp(h + 4, "TFL3", 4);
    fclose(f);
    return yes;
}

/* Imports a model into net (with its weights), writing PREFIX.txt / PREFIX.dlpw on request. */
static int import_model(const char *path, const char *emit, int fc_float, cc_net_t *net)
{
    char err[2048];
    size_t len;
    uint8_t *buf = cc_read_all(path, DLP_FILE_MAX, &len, err, sizeof err);
    char *desc = NULL;
    cc_wfile_t wf;
    int rc = -1;
    if (!buf) {
        fprintf(stderr, "dlpcc: %s\n", err);
        return -1;
    }
    if (cc_import_tflite(buf, len, path, fc_float, &desc, &wf, err, sizeof err)) {
        fprintf(stderr, "dlpcc: %s\n", err);
        free(buf);
        return -1;
    }
    free(buf);
    if (emit) {
        char p1[4096], p2[4096], why[512];
        snprintf(p1, sizeof p1, "%s.txt", emit);
        snprintf(p2, sizeof p2, "%s.dlpw", emit);
        if (dlp_file_write(p1, desc, strlen(desc), why, sizeof why)) {
            fprintf(stderr, "dlpcc: %s: %s\n", p1, why);
            goto out;
        }
        if (cc_wfile_write(p2, &wf, err, sizeof err)) {
            fprintf(stderr, "dlpcc: %s\n", err);
            goto out;
        }
    }
    if (cc_parse_string(desc, path, net, err, sizeof err) ||
        cc_apply_weights(net, &wf, path, err, sizeof err)) {
        fprintf(stderr, "dlpcc: %s (the imported description: --emit-desc)\n", err);
        cc_net_free(net);
        goto out;
    }
    rc = 0;
out:
    free(desc);
    cc_wfile_free(&wf);
    return rc;
}

int main(int argc, char **argv)
{
    const char *net_path = NULL, *wpath = NULL, *opath = NULL, *listing = NULL;
    const char *emit = NULL, *fc_round = "float";
    const char *config = "default";
    const char *sets[64];
    int n_sets = 0, summary = 0, verbose = 0, run = 0, random_w = 0, model, no_fuse = 0;
    unsigned long long seed = 0;
    unsigned long base = 0;
    dlp_config_t cfg;
    cc_net_t net;
    cc_output_t out;
    cc_options_t opt;
    char err[2048], def_out[4096];

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_next = i + 1 < argc;
        if (dlp_std_option(a, "dlpcc", usage)) {
            return 0;
        } else if (!strcmp(a, "--summary")) {
            summary = 1;
        } else if (!strcmp(a, "-v")) {
            verbose = 1;
        } else if (!strcmp(a, "--no-fuse")) {
            no_fuse = 1;
        } else if (!strcmp(a, "--run")) {
            run = 1;
        } else if (!strcmp(a, "--random-weights")) {
            char *e;
            if (!has_next) {
                fprintf(stderr, "dlpcc: --random-weights needs a seed\n");
                return 2;
            }
            seed = strtoull(argv[++i], &e, 0);
            if (*e || e == argv[i]) {
                fprintf(stderr, "dlpcc: --random-weights %s: expected a number\n", argv[i]);
                return 2;
            }
            random_w = 1;
        } else if (!strcmp(a, "--emit-desc") || !strcmp(a, "--fc-rounding")) {
            if (!has_next) {
                fprintf(stderr, "dlpcc: %s needs a value\n", a);
                return 2;
            }
            if (!strcmp(a, "--emit-desc"))
                emit = argv[++i];
            else
                fc_round = argv[++i];
            if (strcmp(fc_round, "float") && strcmp(fc_round, "fixed")) {
                fprintf(stderr, "dlpcc: --fc-rounding %s: expected float or fixed\n", fc_round);
                return 2;
            }
        } else if ((!strcmp(a, "-w") || !strcmp(a, "-o") || !strcmp(a, "--config") ||
                    !strcmp(a, "--set") || !strcmp(a, "--listing") || !strcmp(a, "--base"))) {
            if (!has_next) {
                fprintf(stderr, "dlpcc: %s needs a value\n", a);
                return 2;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "-w"))
                wpath = v;
            else if (!strcmp(a, "-o"))
                opath = v;
            else if (!strcmp(a, "--config"))
                config = v;
            else if (!strcmp(a, "--listing"))
                listing = v;
            else if (!strcmp(a, "--base")) {
                char *e;
                base = strtoul(v, &e, 0);
                if (*e || e == v || base > 0xfffff000ul) {
                    fprintf(stderr, "dlpcc: --base %s: expected an address\n", v);
                    return 2;
                }
            } else {
                if (n_sets == 64) {
                    fprintf(stderr, "dlpcc: too many --set options\n");
                    return 2;
                }
                sets[n_sets++] = v;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "dlpcc: unknown option '%s' (see dlpcc --help)\n", a);
            return 2;
        } else if (net_path) {
            fprintf(stderr, "dlpcc: more than one network description ('%s' and '%s')\n",
                    net_path, a);
            return 2;
        } else {
            net_path = a;
        }
    }
    if (!net_path) {
        usage(stderr);
        return 2;
    }
    if (dlp_config_preset(&cfg, config)) {
        fprintf(stderr, "dlpcc: unknown configuration '%s' (" DLP_PRESET_NAMES ")\n", config);
        return 2;
    }
    for (int i = 0; i < n_sets; i++) {
        char key[128];
        const char *eq = strchr(sets[i], '=');
        if (!eq || eq == sets[i] || (size_t)(eq - sets[i]) >= sizeof key) {
            fprintf(stderr, "dlpcc: --set %s: expected KEY=VALUE\n", sets[i]);
            return 2;
        }
        snprintf(key, sizeof key, "%.*s", (int)(eq - sets[i]), sets[i]);
        if (dlp_config_set(&cfg, key, eq + 1, err, sizeof err)) {
            fprintf(stderr, "dlpcc: --set %s: %s\n", sets[i], err);
            return 2;
        }
    }
    if (dlp_config_check_core(&cfg, err, sizeof err)) {
        fprintf(stderr, "dlpcc: configuration: %s\n", err);
        return 2;
    }

    model = is_model(net_path);
    if (!model && emit) {
        fprintf(stderr, "dlpcc: --emit-desc needs a model (%s is not a TFLite file)\n", net_path);
        return 2;
    }
    if (model) {
        if (import_model(net_path, emit, !strcmp(fc_round, "float"), &net))
            return 1;
        if (emit && !summary && !opath && !run) {
            cc_net_free(&net);
            return 0;
        }
    } else if (cc_parse_file(net_path, &net, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (summary)
        cc_summary(&net, stdout);
    if (summary && !wpath && !opath && !random_w && !run) {
        cc_net_free(&net);
        return 0;
    }
    if (!model && !wpath && !random_w) {
        fprintf(stderr, "dlpcc: %s: compiling needs a weight file (-w FILE); --summary alone "
                "needs none\n", net_path);
        cc_net_free(&net);
        return 2; /* a missing option: usage */
    }
    if ((wpath && cc_load_weights(&net, wpath, err, sizeof err)) ||
        (random_w && cc_random_weights(&net, seed, err, sizeof err))) {
        fprintf(stderr, "%s\n", err);
        cc_net_free(&net);
        return 1;
    }
    if (!opath) {
        const char *dot = strrchr(net_path, '.'), *slash = strrchr(net_path, '/');
        size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - net_path)
                                                     : strlen(net_path);
        snprintf(def_out, sizeof def_out, "%.*s.dlpn", (int)stem, net_path);
        opath = def_out;
    }
    memset(&opt, 0, sizeof opt);
    opt.dram_base = (uint32_t)base;
    opt.listing = listing != NULL;
    opt.verbose = verbose;
    opt.no_fuse = no_fuse;
    if (cc_compile(&net, &cfg, &opt, &out, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        cc_net_free(&net);
        return 1;
    }
    if (listing) {
        if (mkdir(listing, 0777) && errno != EEXIST) {
            fprintf(stderr, "dlpcc: %s: %s\n", listing, strerror(errno));
            cc_output_free(&out);
            cc_net_free(&net);
            return 1;
        }
        for (int i = 0; i < out.n_progs; i++) {
            char stem[512];
            snprintf(stem, sizeof stem, "%02d_%s", i, out.progs[i].name);
            for (char *c = stem; *c; c++)
                if (*c == '/' || *c == '+')
                    *c = '_';
            if (write_text(listing, stem, ".s", out.progs[i].source) ||
                write_text(listing, stem, ".lst", out.progs[i].listing)) {
                cc_output_free(&out);
                cc_net_free(&net);
                return 1;
            }
            {
                char path[4096];
                snprintf(path, sizeof path, "%s/%s.dlpb", listing, stem);
                if (dlp_prog_write_file(path, out.progs[i].words, out.progs[i].n_insns, err,
                                        sizeof err)) {
                    fprintf(stderr, "dlpcc: %s\n", err);
                    cc_output_free(&out);
                    cc_net_free(&net);
                    return 1;
                }
            }
        }
    }
    if (run && cc_run_model(&out, &cfg, seed, stdout, err, sizeof err)) {
        fprintf(stderr, "dlpcc: --run: %s\n", err);
        cc_output_free(&out);
        cc_net_free(&net);
        return 1;
    }
    if (dlp_net_write_file(opath, &out.pkg, err, sizeof err)) {
        fprintf(stderr, "dlpcc: %s\n", err);
        cc_output_free(&out);
        cc_net_free(&net);
        return 1;
    }
    {
        uint64_t est = 0, macs = 0;
        for (int i = 0; i < out.n_progs; i++) {
            est += out.progs[i].est_cycles;
            macs += out.progs[i].macs;
            if (verbose)
                fprintf(stderr, "%-24s %s\n", out.progs[i].name, out.progs[i].plan);
        }
        printf("dlpcc: %s: %d programs, %u tensors, image %u bytes at 0x%x; %llu MACs, "
               "estimated %llu cycles on %ux%u\n", opath, out.n_progs, out.pkg.hdr.n_tensors,
               out.pkg.hdr.image_bytes, out.pkg.hdr.image_addr, (unsigned long long)macs,
               (unsigned long long)est, cfg.rows, cfg.cols);
    }
    cc_output_free(&out);
    cc_net_free(&net);
    return 0;
}
