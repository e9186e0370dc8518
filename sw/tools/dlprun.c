/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dlprun -- run a compiled network (.dlpn) on an OpenDLP back end through libdlp.
 *
 *   dlprun [options] net.dlpn
 *
 * Each layer is its own program: dlprun runs them in order, reads the counters after each, and
 * prints the output (top-k for a classifier), the per-layer cycles, MAC utilisation and DRAM
 * traffic. --compare runs a second back end (the RTL against the C model, by default) layer by
 * layer and checks every layer's output tensor and finally the whole DRAM region bit for bit.
 * See `dlprun -h` and docs/libdlp.md.
 *
 * Exit status: 0 success; 1 an input problem (unreadable or malformed file, a package the device
 * cannot run, an unavailable back end), a run that stopped with an error, or a --compare
 * difference; 2 bad usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dlp_config_gen.h"
#include "dlp_driver.h"
#include "dlp_file.h"
#include "dlp_net.h"
#include "dlp_prog.h"
#include "dlp_version.h"

#define MAX_INPUTS 16
/* Every layer is bounded by default, on every back end: a runaway program stops with TIMEOUT
   after DEFAULT_CYCLE_LIMIT cycles (150 times all of AlexNet's 6.8 million, docs/compiler.md),
   and the host gives up after DEFAULT_TIMEOUT_S seconds of wall time (a simulator that is
   slower than expected, a board that does not answer). */
#define DEFAULT_CYCLE_LIMIT 1000000000ull
#define DEFAULT_TIMEOUT_S 600u

enum { FMT_INT8, FMT_F32, FMT_TXT };

typedef struct opts {
    const char *device, *compare, *path;
    const char *inputs[MAX_INPUTS];
    int n_inputs;
    int format;
    int random_input;
    uint64_t seed;
    int top;
    const char *labels;
    const char *dump, *dump_float;
    const char *json;
    uint64_t cycle_limit;
    uint32_t timeout_ms;
    int poll, quiet, no_progress;
    double clock_mhz;
    int show_time;
    double run_cpu_s; /* CPU seconds of the layer runs (--time) */
} opts_t;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: dlprun [options] net.dlpn\n"
            "Runs a compiled OpenDLP network layer by layer and prints its output and counters.\n"
            "\n"
            "Device:\n"
            "  -d, --device SPEC     back end and options (default cmodel): cmodel, rtl, systemc,\n"
            "                        cmodel:functional=1, rtl:stall_seed=3, ... The cmodel is\n"
            "                        built with the package's shape and memories unless a\n"
            "                        config= preset says otherwise; rtl picks the library of\n"
            "                        the package's shape\n"
            "      --compare[=SPEC]  also run on SPEC (default: rtl, or cmodel when --device is\n"
            "                        not cmodel) and check every layer's output tensor and the\n"
            "                        final DRAM region bit for bit\n"
            "      --cycle-limit N   stop a layer with TIMEOUT after N cycles (default %llu;\n"
            "                        0: none)\n"
            "      --timeout SEC     give up waiting for a layer after SEC seconds of wall time\n"
            "                        (default %u; 0: none)\n"
            "      --poll            wait by polling STATUS instead of the interrupt\n"
            "\n"
            "Input (int8 tensors, dims order, NHWC):\n"
            "  -i, --input FILE      data of the next input tensor (repeat for several inputs, in\n"
            "                        package order); NAME=FILE gives tensor NAME's data\n"
            "      --input-format F  int8  raw signed bytes, exactly the tensor's elements (default)\n"
            "                        f32   raw little-endian float32, quantized with the tensor's\n"
            "                              scale and zero point (TFLite rounding, saturating)\n"
            "                        txt   numbers as text (spaces, commas, newlines), quantized\n"
            "                              like f32\n"
            "      --random-input S  random int8 data from seed S instead of files\n"
            "\n"
            "Output:\n"
            "  -k, --top K           classes to list for a classifier output (default 5, 0: none)\n"
            "      --labels FILE     class names, one per line\n"
            "  -o, --dump FILE       raw int8 output tensor (several outputs: FILE.<name>)\n"
            "      --dump-float FILE dequantized output as little-endian float32\n"
            "      --clock-mhz F     also show times at this clock\n"
            "      --time            CPU time of the layer runs (device open and package load\n"
            "                        excluded) and the simulated cycles per CPU second\n"
            "      --json FILE       per-layer figures as JSON (cycles, MACs, DRAM bytes, busy\n"
            "                        cycles per unit, the core's peak and DRAM bandwidth) for\n"
            "                        dlpplot\n"
            "  -q, --quiet           only the output and the totals; no progress\n"
            "      --no-progress     no progress indication on stderr\n"
            "      --version         print the version and exit\n"
            "  -h, --help            this text\n"
            "\n"
            "Exit status: 0 success; 1 an unreadable or malformed input, a package the device\n"
            "cannot run, a run error (TIMEOUT included) or a --compare difference; 2 bad usage.\n",
            (unsigned long long)DEFAULT_CYCLE_LIMIT, DEFAULT_TIMEOUT_S);
}

/* "dlprun: MESSAGE" on stderr and exit with STATUS. */
static void vdie(int status, const char *fmt, va_list ap) __attribute__((noreturn));
static void vdie(int status, const char *fmt, va_list ap)
{
    fputs("dlprun: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    exit(status);
}

/* Exit status 1: an input, device or run problem. */
static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdie(1, fmt, ap);
}

/* Exit status 2: bad usage (options, arguments). */
static void usage_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdie(2, fmt, ap);
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A whole input or label file of at most max bytes (dlp_file.h); exits with a message on
   failure. */
static void read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
    char why[256];
    if (dlp_file_read(path, max, buf, len, why, sizeof why))
        die("cannot read %s: %s", path, why);
}

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return errno || *end ? -1 : 0;
}

/* ---- progress ------------------------------------------------------------------------------------ */

typedef struct progress {
    double t0, last;
    int enabled, tty, shown;
    const char *side;
    uint32_t layer, n_layers, runs, n_runs;
    uint64_t macs_done, macs_total;
    const char *name;
} progress_t;

static progress_t g_prog;

static void progress_show(void)
{
    progress_t *p = &g_prog;
    double t = now_s();
    if (!p->enabled || t - p->t0 < 2.0)
        return; /* short runs stay quiet */
    if (p->shown && t - p->last < (p->tty ? 0.25 : 5.0))
        return;
    p->last = t;
    double pct = p->macs_total ? 100.0 * (double)p->macs_done / (double)p->macs_total
                               : 100.0 * p->runs / (p->n_runs ? p->n_runs : 1);
    fprintf(stderr, "%sdlprun: %s layer %u/%u %s: %.0f%% done, %.1f s%s", p->tty ? "\r" : "",
            p->side, p->layer + 1, p->n_layers, p->name, pct, t - p->t0,
            p->tty ? "\033[K" : "\n");
    fflush(stderr);
    p->shown = 1;
}

static void progress_cb(void *ctx, uint64_t elapsed_ms)
{
    (void)ctx;
    (void)elapsed_ms;
    progress_show();
}

static void progress_end(void)
{
    if (g_prog.shown && g_prog.tty)
        fputs("\r\033[K", stderr);
}

/* ---- devices --------------------------------------------------------------------------------------- */

/* The spec with the package's shape filled in: the cmodel is configured as compiled for, the rtl
   back end picks the library of that shape. The user's own options come last and win. */
static char *device_spec(const char *spec, const dlp_net_t *net)
{
    const dlp_net_config_t *c = &net->cfg;
    const char *colon = strchr(spec, ':');
    size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *user = colon ? colon + 1 : "";
    uint64_t need = (uint64_t)net->hdr.dram_base + net->hdr.dram_bytes;
    uint64_t mib = (need + (1u << 20) - 1) >> 20;
    char *out = malloc(strlen(spec) + 512);
    if (!out)
        die("out of memory");
    /* the systemc platform wraps the C model: it is configured the same way */
    int model = (nlen == 6 && !strncmp(spec, "cmodel", 6)) || (nlen == 7 && !strncmp(spec, "systemc", 7));
    if (model && strstr(user, "config=")) {
        /* an explicit preset is the user's choice of core: only the DRAM is sized */
        if (mib < 64)
            mib = 64;
        if (strstr(user, "dram_"))
            sprintf(out, "%s", spec);
        else
            sprintf(out, "%s,dram_mib=%" PRIu64, spec, mib);
    } else if (model) {
        if (mib < 64)
            mib = 64;
        sprintf(out,
                "%.*s:rows=%u,cols=%u,vlanes=%u,nram_bytes=%u,wram_bytes=%u,acc_bytes=%u,"
                "imem_insns=%u,beat_bytes=%u,dram_mib=%" PRIu64 "%s%s",
                (int)nlen, spec, c->rows, c->cols, c->vlanes, c->nram_bytes, c->wram_bytes,
                c->acc_bytes, c->imem_insns, c->beat_bytes, mib, *user ? "," : "", user);
    } else if (nlen == 3 && !strncmp(spec, "rtl", 3)) {
        if (mib < 16)
            mib = 16;
        sprintf(out, "rtl:");
        if (!strstr(user, "shape=")) {
            /* the rtl back end has one library per named configuration: the package's */
            const char *name = NULL;
            for (unsigned i = 1; i < dlp_num_presets && !name; i++) {
                const dlp_preset_t *p = &dlp_presets[i];
                if (p->rows == c->rows && p->cols == c->cols && p->vlanes == c->vlanes &&
                    p->beat_bytes == c->beat_bytes && p->nram_bytes == c->nram_bytes &&
                    p->wram_bytes == c->wram_bytes && p->acc_bytes == c->acc_bytes &&
                    p->imem_insns == c->imem_insns)
                    name = p->name;
            }
            if (!name)
                die("the package was compiled for a core (%ux%u, %u lanes, %u-byte beats, NRAM "
                    "%u, WRAM %u, ACC %u bytes, %u instructions) that is no named "
                    "configuration; the rtl back end has libraries for named configurations "
                    "only (%s; docs/configs.md): compile with dlpcc --config NAME",
                    c->rows, c->cols, c->vlanes, c->beat_bytes, c->nram_bytes, c->wram_bytes,
                    c->acc_bytes, c->imem_insns, DLP_PRESET_NAMES);
            sprintf(out + strlen(out), "shape=%s,", name);
        }
        if (!strstr(user, "dram_mib="))
            sprintf(out + strlen(out), "dram_mib=%" PRIu64 ",", mib);
        strcat(out, user);
        if (out[strlen(out) - 1] == ',')
            out[strlen(out) - 1] = 0;
    } else {
        strcpy(out, spec);
    }
    return out;
}

typedef struct side {
    const char *label; /* the spec as the user wrote it */
    dlpd_dev_t *dev;
    dlpd_info_t info;
    dlpd_result_t *res; /* per layer */
} side_t;

static void open_side(side_t *s, const char *spec, const dlp_net_t *net, const opts_t *o)
{
    char msg[512];
    char *full = device_spec(spec, net);
    dlpd_err_t e = dlpd_open(full, &s->dev, msg, sizeof msg);
    free(full);
    if (e == DLPD_E_BACKEND || e == DLPD_E_ARG)
        usage_die("%s", msg); /* no such back end, or bad options in the spec */
    if (e)
        die("%s", msg);
    s->label = spec;
    dlpd_get_info(s->dev, &s->info);
    if (dlpd_net_load(s->dev, net))
        die("%s: %s", spec, dlpd_last_error(s->dev));
    dlpd_set_cycle_limit(s->dev, o->cycle_limit);
    dlpd_set_wait_mode(s->dev, o->poll ? DLPD_WAIT_POLL : DLPD_WAIT_IRQ);
    dlpd_set_progress(s->dev, progress_cb, NULL, 250);
    s->res = calloc(net->hdr.n_layers, sizeof *s->res);
    if (!s->res)
        die("out of memory");
}

/* ---- inputs ----------------------------------------------------------------------------------------- */

static int8_t *input_data(const dlp_net_t *net, uint32_t ti, const char *path, const opts_t *o)
{
    const dlp_net_tensor_t *t = &net->tensors[ti];
    const char *name = dlpd_net_string(net, t->name);
    uint64_t n = dlpd_tensor_elems(t);
    int8_t *q = malloc(n ? n : 1);
    uint8_t *buf = NULL;
    size_t len = 0;
    if (!q)
        die("out of memory");
    if (!path) {
        uint64_t x = o->seed * 0x9e3779b97f4a7c15ull + ti + 1;
        for (uint64_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            q[i] = (int8_t)(x >> 32);
        }
        return q;
    }
    /* no format needs more than 64 bytes of text per element */
    read_file(path, (size_t)n * 64 + 4096, &buf, &len);
    if (o->format == FMT_INT8) {
        if (len != n)
            die("%s: %zu bytes, but input tensor %s has %" PRIu64
                " int8 elements (--input-format f32 or txt for float data)",
                path, len, name, n);
        memcpy(q, buf, n);
    } else if (o->format == FMT_F32) {
        if (len != 4 * n)
            die("%s: %zu bytes, but input tensor %s has %" PRIu64 " elements = %" PRIu64
                " bytes of float32",
                path, len, name, n, 4 * n);
        for (uint64_t i = 0; i < n; i++) {
            uint32_t u = dlp_rd32(buf + 4 * i);
            float f;
            memcpy(&f, &u, 4);
            q[i] = dlpd_quantize(f, t->scale, t->zero_point);
        }
    } else {
        uint64_t i = 0;
        char *p = (char *)buf;
        for (;;) {
            while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',')
                p++;
            if (!*p)
                break;
            char *end;
            errno = 0;
            float f = strtof(p, &end);
            if (end == p)
                die("%s: '%.20s' is not a number (value %" PRIu64 ")", path, p, i + 1);
            if (i < n)
                q[i] = dlpd_quantize(f, t->scale, t->zero_point);
            i++;
            p = end;
        }
        if (i != n)
            die("%s: %" PRIu64 " numbers, but input tensor %s has %" PRIu64 " elements", path, i,
                name, n);
    }
    free(buf);
    return q;
}

/* Pairs the -i arguments with the package's input tensors. */
static void write_inputs(const dlp_net_t *net, const opts_t *o, side_t *sides, int n_sides)
{
    uint32_t in_idx[MAX_INPUTS], n_in = 0;
    const char *path[MAX_INPUTS] = {0};
    for (uint32_t i = 0; i < net->hdr.n_tensors && n_in < MAX_INPUTS; i++)
        if (net->tensors[i].role == DLP_NET_INPUT)
            in_idx[n_in++] = i;
    if (!n_in)
        die("%s: the package marks no tensor as an input", o->path);
    int next = 0;
    for (int a = 0; a < o->n_inputs; a++) {
        const char *arg = o->inputs[a], *eq = strchr(arg, '=');
        int named = -1;
        if (eq)
            for (uint32_t k = 0; k < n_in; k++) {
                const char *nm = dlpd_net_string(net, net->tensors[in_idx[k]].name);
                if (strlen(nm) == (size_t)(eq - arg) && !strncmp(nm, arg, (size_t)(eq - arg)))
                    named = (int)k;
            }
        if (named >= 0) {
            path[named] = eq + 1;
            continue;
        }
        while (next < (int)n_in && path[next])
            next++;
        if (next == (int)n_in)
            usage_die("more input files than the package's %u input tensor(s)", n_in);
        path[next] = arg;
    }
    for (uint32_t k = 0; k < n_in; k++) {
        const dlp_net_tensor_t *t = &net->tensors[in_idx[k]];
        if (!path[k] && !o->random_input)
            usage_die("no data for input tensor %s (%" PRIu64 " elements): give -i FILE or "
                "--random-input SEED",
                dlpd_net_string(net, t->name), dlpd_tensor_elems(t));
        int8_t *q = input_data(net, in_idx[k], path[k], o);
        for (int s = 0; s < n_sides; s++)
            if (dlpd_tensor_write(sides[s].dev, net, in_idx[k], q, dlpd_tensor_elems(t)))
                die("%s: %s", sides[s].label, dlpd_last_error(sides[s].dev));
        free(q);
    }
}

/* ---- comparing ------------------------------------------------------------------------------------- */

/* "n0 h2 w3 c5"-style coordinates of element i of a tensor. */
static void coords(const dlp_net_tensor_t *t, uint64_t i, char *buf, size_t len)
{
    uint64_t c[DLP_NET_MAX_DIMS];
    for (int d = (int)t->ndims - 1; d >= 0; d--) {
        c[d] = i % t->dims[d];
        i /= t->dims[d];
    }
    buf[0] = 0;
    for (uint32_t d = 0; d < t->ndims; d++) {
        size_t n = strlen(buf);
        snprintf(buf + n, len - n, "%s%" PRIu64, d ? "," : "[", c[d]);
    }
    size_t n = strlen(buf);
    snprintf(buf + n, len - n, "]");
}

/* 0 when equal; else prints the difference and returns 1. */
static int compare_tensor(const dlp_net_t *net, uint32_t layer, uint32_t ti, side_t *a, side_t *b)
{
    const dlp_net_tensor_t *t = &net->tensors[ti];
    uint64_t n = dlpd_tensor_elems(t), diffs = 0, first = 0;
    int8_t *x = malloc(n), *y = malloc(n);
    if (!x || !y)
        die("out of memory");
    if (dlpd_tensor_read(a->dev, net, ti, x, n))
        die("%s: %s", a->label, dlpd_last_error(a->dev));
    if (dlpd_tensor_read(b->dev, net, ti, y, n))
        die("%s: %s", b->label, dlpd_last_error(b->dev));
    for (uint64_t i = 0; i < n; i++)
        if (x[i] != y[i] && !diffs++)
            first = i;
    if (diffs) {
        char at[64];
        coords(t, first, at, sizeof at);
        printf("compare: layer %u (%s): output tensor %s differs in %" PRIu64 " of %" PRIu64
               " elements; first at element %" PRIu64 " %s: %s %d, %s %d\n",
               layer, dlpd_net_string(net, net->layers[layer].name),
               dlpd_net_string(net, t->name), diffs, n, first, at, a->label, x[first], b->label,
               y[first]);
    }
    free(x);
    free(y);
    return diffs != 0;
}

static int compare_region(const dlp_net_t *net, side_t *a, side_t *b)
{
    uint64_t base = net->hdr.dram_base, size = net->hdr.dram_bytes;
    const size_t chunk = 1u << 20;
    uint8_t *x = malloc(chunk), *y = malloc(chunk);
    int rc = 0;
    if (!x || !y)
        die("out of memory");
    for (uint64_t off = 0; off < size && !rc; off += chunk) {
        size_t n = size - off < chunk ? (size_t)(size - off) : chunk;
        if (dlpd_read(a->dev, base + off, x, n) || dlpd_read(b->dev, base + off, y, n))
            die("reading the package region back: %s / %s", dlpd_last_error(a->dev),
                dlpd_last_error(b->dev));
        for (size_t i = 0; i < n; i++)
            if (x[i] != y[i]) {
                printf("compare: DRAM byte 0x%" PRIx64 " differs after the last layer: %s 0x%02x, "
                       "%s 0x%02x\n",
                       base + off + i, a->label, x[i], b->label, y[i]);
                rc = 1;
                break;
            }
    }
    free(x);
    free(y);
    return rc;
}

/* ---- output ------------------------------------------------------------------------------------------ */

static char **read_labels(const char *path, size_t *n)
{
    uint8_t *buf;
    size_t len, cap = 0;
    char **v = NULL;
    *n = 0;
    read_file(path, (size_t)16 << 20, &buf, &len);
    for (char *line = (char *)buf; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[l - 1] = 0;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            v = realloc(v, cap * sizeof *v);
            if (!v)
                die("out of memory");
        }
        v[(*n)++] = strdup(line);
        line = nl ? nl + 1 : NULL;
    }
    free(buf);
    return v;
}

/* A classifier's output: one non-trivial dimension, the last, of at least 2 classes. */
static int is_classifier(const dlp_net_tensor_t *t)
{
    for (uint32_t d = 0; d + 1 < t->ndims; d++)
        if (t->dims[d] != 1)
            return 0;
    return t->dims[t->ndims - 1] >= 2;
}

static void shape_str(const dlp_net_tensor_t *t, char *buf, size_t len)
{
    buf[0] = 0;
    for (uint32_t d = 0; d < t->ndims; d++) {
        size_t n = strlen(buf);
        snprintf(buf + n, len - n, "%s%u", d ? "x" : "", t->dims[d]);
    }
}

static void write_out(const char *path, const void *data, size_t len)
{
    char why[256];
    if (dlp_file_write(path, data, len, why, sizeof why))
        die("cannot write %s: %s", path, why);
}

static void print_output(const dlp_net_t *net, uint32_t ti, int several, side_t *s,
                         const opts_t *o, char **labels, size_t n_labels)
{
    const dlp_net_tensor_t *t = &net->tensors[ti];
    const char *name = dlpd_net_string(net, t->name);
    uint64_t n = dlpd_tensor_elems(t);
    int8_t *q = malloc(n);
    char shape[64], path[1024];
    if (!q)
        die("out of memory");
    if (dlpd_tensor_read(s->dev, net, ti, q, n))
        die("%s", dlpd_last_error(s->dev));
    shape_str(t, shape, sizeof shape);
    if (o->dump) {
        snprintf(path, sizeof path, several ? "%s.%s" : "%s", o->dump, name);
        write_out(path, q, n);
    }
    if (o->dump_float) {
        uint8_t *f = malloc(4 * n);
        if (!f)
            die("out of memory");
        for (uint64_t i = 0; i < n; i++) {
            float v = dlpd_dequantize(q[i], t->scale, t->zero_point);
            uint32_t u;
            memcpy(&u, &v, 4);
            dlp_wr32(f + 4 * i, u);
        }
        snprintf(path, sizeof path, several ? "%s.%s" : "%s", o->dump_float, name);
        write_out(path, f, 4 * n);
        free(f);
    }
    if (is_classifier(t) && o->top > 0) {
        uint32_t idx[64];
        size_t k = dlpd_topk(q, n, (size_t)(o->top > 64 ? 64 : o->top), idx);
        printf("output %s (%s): top %zu\n", name, shape, k);
        for (size_t i = 0; i < k; i++) {
            printf("  %2zu. class %-5u score %9.5f  (int8 %4d)", i + 1, idx[i],
                   (double)dlpd_dequantize(q[idx[i]], t->scale, t->zero_point), q[idx[i]]);
            if (idx[i] < n_labels)
                printf("  %s", labels[idx[i]]);
            printf("\n");
        }
    } else {
        int lo = 127, hi = -128;
        for (uint64_t i = 0; i < n; i++) {
            lo = q[i] < lo ? q[i] : lo;
            hi = q[i] > hi ? q[i] : hi;
        }
        printf("output %s (%s, %" PRIu64 " int8 values): min %d max %d, CRC-32 %08x%s\n", name,
               shape, n, lo, hi, dlp_crc32(q, n), o->dump ? "" : "  (--dump FILE saves it)");
    }
    free(q);
}

static double pct(uint64_t a, uint64_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static void print_layers(const dlp_net_t *net, side_t *s, const opts_t *o, side_t *cmp)
{
    uint64_t macs_per_cycle = (uint64_t)s->info.rows * s->info.cols;
    dlpd_counters_t tot = {0};
    uint64_t net_macs = 0, host_macs = 0;
    if (!o->quiet) {
        printf("%3s  %-20s %-16s %12s %12s %6s %11s %11s", "#", "layer", "kind", "cycles",
               "MACs", "util", "DRAM rd", "DRAM wr");
        if (cmp)
            printf(" %12s", "cycles(cmp)");
        printf("\n");
    }
    for (uint32_t i = 0; i < net->hdr.n_layers; i++) {
        const dlp_net_layer_t *l = &net->layers[i];
        const dlpd_counters_t *c = &s->res[i].counters;
        uint64_t m = l->macs ? l->macs : c->macs;
        tot.cycles += c->cycles;
        tot.busy_mfu += c->busy_mfu;
        tot.dram_rd_bytes += c->dram_rd_bytes;
        tot.dram_wr_bytes += c->dram_wr_bytes;
        tot.macs += c->macs;
        if (dlp_net_is_host(net, i))
            host_macs += m; /* computed by the host: not the DLP's utilisation */
        else
            net_macs += m;
        if (o->quiet)
            continue;
        printf("%3u  %-20.20s %-16.16s %12" PRIu64 " %12" PRIu64 " %5.1f%% %11" PRIu64
               " %11" PRIu64,
               i, dlpd_net_string(net, l->name), dlpd_net_string(net, l->kind), c->cycles, m,
               pct(m, c->cycles * macs_per_cycle), c->dram_rd_bytes, c->dram_wr_bytes);
        if (cmp)
            printf(" %12" PRIu64, cmp->res[i].counters.cycles);
        printf("\n");
    }
    printf("total: %" PRIu64 " cycles", tot.cycles);
    if (o->clock_mhz > 0)
        printf(" (%.3f ms at %g MHz)", (double)tot.cycles / (o->clock_mhz * 1e3), o->clock_mhz);
    printf(", %" PRIu64 " MACs, MAC utilisation %.1f%% of %ux%u (MFU busy %.1f%%), DRAM %" PRIu64
           " bytes read, %" PRIu64 " written\n",
           net_macs, pct(net_macs, tot.cycles * macs_per_cycle), s->info.rows, s->info.cols,
           pct(tot.busy_mfu, tot.cycles), tot.dram_rd_bytes, tot.dram_wr_bytes);
    if (o->show_time)
        printf("time: %.6f s CPU in the layer runs, %.3f M simulated cycles/s\n", o->run_cpu_s,
               o->run_cpu_s > 0 ? (double)tot.cycles / o->run_cpu_s / 1e6 : 0.0);
    if (host_macs)
        printf("host layers: %" PRIu64 " MACs computed by the host (not in the totals above)\n",
               host_macs);
    if (cmp) {
        uint64_t cc = 0;
        for (uint32_t i = 0; i < net->hdr.n_layers; i++)
            cc += cmp->res[i].counters.cycles;
        printf("total on %s: %" PRIu64 " cycles (%+" PRId64 ")\n", cmp->label, cc,
               (int64_t)(cc - tot.cycles));
    }
}

/* ---- JSON (docs/libdlp.md, "dlprun --json"; read by dlpplot) ------------------------------------------ */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_counters(FILE *f, const dlpd_counters_t *c)
{
    fprintf(f,
            "\"cycles\": %" PRIu64 ", \"dram_read_bytes\": %" PRIu64
            ", \"dram_write_bytes\": %" PRIu64 ", \"busy_dma\": %" PRIu64
            ", \"busy_mfu\": %" PRIu64 ", \"busy_vfu\": %" PRIu64 ", \"mfu_macs\": %" PRIu64
            ", \"instructions\": %" PRIu64,
            c->cycles, c->dram_rd_bytes, c->dram_wr_bytes, c->busy_dma, c->busy_mfu, c->busy_vfu,
            c->macs, c->insns);
}

/* Written to a temporary file renamed into place, so that a failed run leaves no partial file. */
static void write_json(const dlp_net_t *net, const side_t *s, const opts_t *o)
{
    const dlpd_info_t *in = &s->info;
    char tmp[1100];
    FILE *f;
    dlpd_counters_t tot;
    uint64_t net_macs = 0;
    memset(&tot, 0, sizeof tot);
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", o->json, (long)getpid());
    if (!(f = fopen(tmp, "w")))
        die("cannot write %s: %s", tmp, strerror(errno));
    fprintf(f, "{\n  \"format\": \"opendlp-run\", \"format_version\": %d,\n  \"package\": ",
            DLP_RUN_JSON_FORMAT);
    json_str(f, o->path);
    fprintf(f, ", \"device\": ");
    json_str(f, s->label);
    fprintf(f,
            ",\n  \"core\": {\"rows\": %u, \"cols\": %u, \"vlanes\": %u, \"beat_bytes\": %u, "
            "\"nram_bytes\": %u, \"wram_bytes\": %u, \"acc_bytes\": %u,\n           "
            "\"peak_macs_per_cycle\": %u, \"dram_bytes_per_cycle\": %u},\n  \"layers\": [\n",
            in->rows, in->cols, in->vlanes, in->beat_bytes, in->nram_bytes, in->wram_bytes,
            in->acc_bytes, in->rows * in->cols, in->beat_bytes);
    for (uint32_t i = 0; i < net->hdr.n_layers; i++) {
        const dlp_net_layer_t *l = &net->layers[i];
        const dlpd_counters_t *c = &s->res[i].counters;
        fprintf(f, "    {\"index\": %u, \"name\": ", i);
        json_str(f, dlpd_net_string(net, l->name));
        fprintf(f, ", \"kind\": ");
        json_str(f, dlpd_net_string(net, l->kind));
        fprintf(f, ", \"macs\": %" PRIu64 ", ", l->macs);
        json_counters(f, c);
        fprintf(f, "}%s\n", i + 1 < net->hdr.n_layers ? "," : "");
        tot.cycles += c->cycles;
        tot.dram_rd_bytes += c->dram_rd_bytes;
        tot.dram_wr_bytes += c->dram_wr_bytes;
        tot.busy_dma += c->busy_dma;
        tot.busy_mfu += c->busy_mfu;
        tot.busy_vfu += c->busy_vfu;
        tot.macs += c->macs;
        tot.insns += c->insns;
        net_macs += l->macs;
    }
    fprintf(f, "  ],\n  \"total\": {\"macs\": %" PRIu64 ", ", net_macs);
    json_counters(f, &tot);
    fprintf(f, "}\n}\n");
    if (ferror(f) | fclose(f) || rename(tmp, o->json)) {
        int e = errno;
        remove(tmp);
        die("cannot write %s: %s", o->json, strerror(e));
    }
}

/* ---- main --------------------------------------------------------------------------------------------- */

static void parse_args(int argc, char **argv, opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->device = "cmodel";
    o->top = 5;
    o->cycle_limit = DEFAULT_CYCLE_LIMIT;
    o->timeout_ms = DEFAULT_TIMEOUT_S * 1000u;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t u;
#define TAKE(...)                                                                              \
    (!strcmp(a, __VA_ARGS__) &&                                                                \
     (v ? (i++, 1) : (usage_die("%s needs a value (see dlprun -h)", a), 0)))
        if (dlp_std_option(a, "dlprun", usage)) {
            exit(0);
        } else if (TAKE("-d") || TAKE("--device")) {
            o->device = v;
        } else if (!strcmp(a, "--compare")) {
            o->compare = "";
        } else if (!strncmp(a, "--compare=", 10)) {
            o->compare = a + 10;
        } else if (TAKE("-i") || TAKE("--input")) {
            if (o->n_inputs == MAX_INPUTS)
                usage_die("at most %d inputs", MAX_INPUTS);
            o->inputs[o->n_inputs++] = v;
        } else if (TAKE("--input-format")) {
            if (!strcmp(v, "int8"))
                o->format = FMT_INT8;
            else if (!strcmp(v, "f32"))
                o->format = FMT_F32;
            else if (!strcmp(v, "txt"))
                o->format = FMT_TXT;
            else
                usage_die("--input-format: int8, f32 or txt, not '%s'", v);
        } else if (TAKE("--random-input")) {
            if (parse_u64(v, &o->seed))
                usage_die("--random-input wants a seed, got '%s'", v);
            o->random_input = 1;
        } else if (TAKE("-k") || TAKE("--top")) {
            if (parse_u64(v, &u) || u > 1000)
                usage_die("--top wants 0..1000, got '%s'", v);
            o->top = (int)u;
        } else if (TAKE("--labels")) {
            o->labels = v;
        } else if (TAKE("-o") || TAKE("--dump")) {
            o->dump = v;
        } else if (TAKE("--dump-float")) {
            o->dump_float = v;
        } else if (TAKE("--json")) {
            o->json = v;
        } else if (TAKE("--cycle-limit")) {
            if (parse_u64(v, &o->cycle_limit))
                usage_die("--cycle-limit wants a number of cycles, got '%s'", v);
        } else if (TAKE("--timeout")) {
            char *end;
            double s = strtod(v, &end);
            if (end == v || *end || !(s >= 0) || s > 4e6)
                usage_die("--timeout wants seconds, got '%s'", v);
            o->timeout_ms = (uint32_t)ceil(s * 1000.0);
        } else if (TAKE("--clock-mhz")) {
            char *end;
            o->clock_mhz = strtod(v, &end);
            if (end == v || *end || !(o->clock_mhz > 0))
                usage_die("--clock-mhz wants a frequency, got '%s'", v);
        } else if (!strcmp(a, "--poll")) {
            o->poll = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (!strcmp(a, "--time")) {
            o->show_time = 1;
        } else if (!strcmp(a, "--no-progress")) {
            o->no_progress = 1;
        } else if (a[0] == '-' && a[1]) {
            usage_die("unknown option or missing value: %s (see dlprun -h)", a);
        } else if (o->path) {
            usage_die("more than one package given ('%s', '%s')", o->path, a);
        } else {
            o->path = a;
        }
#undef TAKE
    }
    if (!o->path) {
        usage(stderr);
        exit(2);
    }
    if (o->compare && !*o->compare)
        o->compare = strncmp(o->device, "cmodel", 6) ? "cmodel" : "rtl";
    if (o->compare && o->show_time)
        die("--time measures one device: not with --compare");
}

int main(int argc, char **argv)
{
    opts_t o;
    dlp_net_t net;
    char err[512];
    side_t sides[2];
    int n_sides, rc = 0;
    char **labels = NULL;
    size_t n_labels = 0;

    parse_args(argc, argv, &o);
    if (dlp_net_read_file(o.path, &net, err, sizeof err))
        die("%s", err);
    if (o.labels)
        labels = read_labels(o.labels, &n_labels);
    memset(sides, 0, sizeof sides);
    open_side(&sides[0], o.device, &net, &o);
    n_sides = 1;
    if (o.compare) {
        open_side(&sides[1], o.compare, &net, &o);
        n_sides = 2;
    }
    if (!o.quiet) {
        const dlpd_info_t *in = &sides[0].info;
        printf("%s: %u layers on %s (%ux%u, V %u, NRAM %u KiB, WRAM %u KiB)%s%s\n", o.path,
               net.hdr.n_layers, o.device, in->rows, in->cols, in->vlanes, in->nram_bytes / 1024,
               in->wram_bytes / 1024, o.compare ? ", compared with " : "",
               o.compare ? o.compare : "");
    }
    write_inputs(&net, &o, sides, n_sides);

    g_prog.t0 = g_prog.last = now_s();
    g_prog.enabled = !o.quiet && !o.no_progress;
    g_prog.tty = isatty(2);
    g_prog.n_layers = net.hdr.n_layers;
    g_prog.n_runs = net.hdr.n_layers * (uint32_t)n_sides;
    for (uint32_t i = 0; i < net.hdr.n_layers; i++)
        g_prog.macs_total += net.layers[i].macs * (uint64_t)n_sides;
    double cpu0 = cpu_s();
    for (uint32_t i = 0; i < net.hdr.n_layers && !rc; i++) {
        for (int s = 0; s < n_sides; s++) {
            g_prog.side = sides[s].label;
            g_prog.layer = i;
            g_prog.name = dlpd_net_string(&net, net.layers[i].name);
            progress_show();
            dlpd_err_t e = dlpd_net_run_layer(sides[s].dev, &net, i, o.timeout_ms,
                                              &sides[s].res[i]);
            if (e) {
                const dlpd_counters_t *c = &sides[s].res[i].counters;
                progress_end();
                fprintf(stderr, "dlprun: %s: %s\n", sides[s].label, dlpd_last_error(sides[s].dev));
                if (e == DLPD_E_TIMEOUT)
                    fprintf(stderr, "dlprun: the wall-time limit is %g s (--timeout SEC, 0: "
                            "none)\n", o.timeout_ms / 1000.0);
                else if (e == DLPD_E_RUN && sides[s].res[i].cause == DLP_CAUSE_TIMEOUT)
                    fprintf(stderr, "dlprun: the cycle limit is %" PRIu64 " (--cycle-limit N, "
                            "0: none); the layer ran %" PRIu64 " cycles\n", o.cycle_limit,
                            c->cycles);
                exit(1);
            }
            g_prog.runs++;
            g_prog.macs_done += net.layers[i].macs;
        }
        if (n_sides == 2 && compare_tensor(&net, i, net.layers[i].output, &sides[0], &sides[1]))
            rc = 1;
    }
    progress_end();
    o.run_cpu_s = cpu_s() - cpu0;
    if (!rc && n_sides == 2 && compare_region(&net, &sides[0], &sides[1]))
        rc = 1;

    print_layers(&net, &sides[0], &o, n_sides == 2 ? &sides[1] : NULL);
    if (o.json && !rc)
        write_json(&net, &sides[0], &o);
    /* outputs: the tensors marked as such, else the last layer's */
    int n_out = 0;
    for (uint32_t i = 0; i < net.hdr.n_tensors; i++)
        n_out += net.tensors[i].role == DLP_NET_OUTPUT;
    if (!rc) {
        if (n_out)
            for (uint32_t i = 0; i < net.hdr.n_tensors; i++) {
                if (net.tensors[i].role == DLP_NET_OUTPUT)
                    print_output(&net, i, n_out > 1, &sides[0], &o, labels, n_labels);
            }
        else
            print_output(&net, net.layers[net.hdr.n_layers - 1].output, 0, &sides[0], &o,
                         labels, n_labels);
    }
    if (n_sides == 2)
        printf("compare: %s\n",
               rc ? "DIFFERENT (see above)"
                  : "every layer's output tensor and the final DRAM region are identical");

    for (int s = 0; s < n_sides; s++) {
        free(sides[s].res);
        dlpd_close(sides[s].dev);
    }
    for (size_t i = 0; i < n_labels; i++)
        free(labels[i]);
    free(labels);
    dlp_net_free(&net);
    return rc;
}
