/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdlp: compiled network packages (dlp_net.h) on a device -- capability check, loading,
 * running one layer, tensor I/O -- and the quantization and top-k helpers dlprun uses.
 *
 * The package is trusted no further than its parser checked it, and a caller may build a
 * dlp_net_t by hand, so everything this file dereferences or sends to the device is checked
 * again here: an index out of range or a program outside the image is a DLPD_E_PACKAGE, not a
 * wild read.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_isa_gen.h"
#include "internal.h"

#define fail dlpd__fail

const char *dlpd_net_string(const dlp_net_t *net, uint32_t off)
{
    if (!net || !net->strings || off >= net->hdr.strings_bytes)
        return "";
    /* the string must end inside the section */
    if (!memchr(net->strings + off, 0, net->hdr.strings_bytes - off))
        return "";
    return net->strings + off;
}

uint64_t dlpd_tensor_elems(const dlp_net_tensor_t *t)
{
    uint64_t n = 1;
    if (!t || t->ndims < 1 || t->ndims > DLP_NET_MAX_DIMS)
        return 0;
    for (uint32_t i = 0; i < t->ndims; i++) {
        if (!t->dims[i] || n > UINT32_MAX)
            return 0;
        n *= t->dims[i];
    }
    return n;
}

/*
 * Where a tensor's elements are: n_img images of n_row rows of `run` contiguous bytes, rows
 * `row` bytes apart, images `img` bytes apart (dlp_net.h). A 4-D tensor {N, H, W, C} has runs of
 * W*C bytes, its row stride (0: dense) and image stride (0: dense); tensors of 2 or 3 dimensions
 * are dims[0] runs of the rest, img_stride apart (0: dense); 1-D tensors are one run. A border
 * (halo) around the data makes rows and images longer than their data.
 */
typedef struct layout {
    uint64_t n_img, n_row, run, row, img;
} layout_t;

/* 0, or -1 with why in msg when the strides cannot hold the data or do not fit `bytes`. */
static int tensor_layout(const dlp_net_tensor_t *t, layout_t *L, char *msg, size_t len)
{
    uint64_t elems = dlpd_tensor_elems(t);
    if (!elems) {
        snprintf(msg, len, "bad shape (%u dimensions)", t->ndims);
        return -1;
    }
    if (t->ndims == 4) {
        L->n_img = t->dims[0];
        L->n_row = t->dims[1];
        L->run = (uint64_t)t->dims[2] * t->dims[3];
        L->row = t->row_stride ? t->row_stride : L->run;
        L->img = t->img_stride ? t->img_stride : L->n_row * L->row;
    } else {
        if (t->row_stride) {
            snprintf(msg, len, "a row stride on a %u-D tensor (row strides are for N,H,W,C)",
                     t->ndims);
            return -1;
        }
        L->n_img = t->ndims == 1 ? 1 : t->dims[0];
        L->n_row = 1;
        L->run = elems / L->n_img;
        L->row = L->run;
        L->img = t->img_stride ? t->img_stride : L->run;
    }
    if (L->row < L->run || L->img < (L->n_row - 1) * L->row + L->run) {
        snprintf(msg, len, "strides (row %u, image %u) overlap its rows of %" PRIu64 " bytes",
                 t->row_stride, t->img_stride, L->run);
        return -1;
    }
    uint64_t extent = (L->n_img - 1) * L->img + (L->n_row - 1) * L->row + L->run;
    if (extent > t->bytes) {
        snprintf(msg, len, "its layout spans %" PRIu64 " bytes, more than its %u", extent,
                 t->bytes);
        return -1;
    }
    return 0;
}

static int dense(const layout_t *L)
{
    return L->row == L->run && L->img == L->n_row * L->row;
}

/* [a, a + n) inside [lo, hi)? */
static int inside(uint64_t a, uint64_t n, uint64_t lo, uint64_t hi)
{
    return a >= lo && a <= hi && n <= hi - a;
}

static void kib(char *b, size_t len, uint32_t bytes)
{
    if (bytes % 1024)
        snprintf(b, len, "%u bytes", bytes);
    else
        snprintf(b, len, "%u KiB", bytes / 1024);
}

/* Appends ", what" to a mismatch list. */
static void add(char *list, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *list, size_t len, const char *fmt, ...)
{
    size_t n = strlen(list);
    va_list ap;
    if (n + 3 >= len)
        return;
    if (n) {
        strcpy(list + n, "; ");
        n += 2;
    }
    va_start(ap, fmt);
    vsnprintf(list + n, len - n, fmt, ap);
    va_end(ap);
}

static dlpd_err_t check_structure(dlpd_dev_t *dev, const dlp_net_t *net)
{
    const dlp_net_header_t *h = &net->hdr;
    uint64_t lo = h->dram_base, hi = (uint64_t)h->dram_base + h->dram_bytes;
    if (!h->n_layers || !net->layers)
        return fail(dev, DLPD_E_PACKAGE, "package has no layers");
    if (h->n_tensors && !net->tensors)
        return fail(dev, DLPD_E_PACKAGE, "package lists %u tensors but holds none", h->n_tensors);
    if (!h->dram_bytes)
        return fail(dev, DLPD_E_PACKAGE, "package region is empty (dram_bytes 0)");
    if (hi > (1ull << 32))
        return fail(dev, DLPD_E_PACKAGE,
                    "package region 0x%x + 0x%x leaves the 32-bit address space", h->dram_base,
                    h->dram_bytes);
    if (h->image_bytes && !net->image)
        return fail(dev, DLPD_E_PACKAGE, "package image of %u bytes is missing", h->image_bytes);
    if (!inside(h->image_addr, h->image_bytes, lo, hi))
        return fail(dev, DLPD_E_PACKAGE,
                    "image 0x%x + %u bytes is outside the package region 0x%" PRIx64
                    "..0x%" PRIx64,
                    h->image_addr, h->image_bytes, lo, hi - 1);
    for (uint32_t i = 0; i < h->n_tensors; i++) {
        const dlp_net_tensor_t *t = &net->tensors[i];
        const char *nm = dlpd_net_string(net, t->name);
        layout_t L;
        char why[160];
        if (t->role > DLP_NET_CONST)
            return fail(dev, DLPD_E_PACKAGE, "tensor %u (%s): unknown role %u", i, nm, t->role);
        if (tensor_layout(t, &L, why, sizeof why))
            return fail(dev, DLPD_E_PACKAGE, "tensor %u (%s): %s", i, nm, why);
        if (!inside(t->addr, t->bytes, lo, hi))
            return fail(dev, DLPD_E_PACKAGE,
                        "tensor %u (%s) at 0x%x + %u bytes is outside the package region "
                        "0x%" PRIx64 "..0x%" PRIx64,
                        i, nm, t->addr, t->bytes, lo, hi - 1);
    }
    for (uint32_t i = 0; i < h->n_layers; i++) {
        const dlp_net_layer_t *l = &net->layers[i];
        const char *nm = dlpd_net_string(net, l->name);
        if (dlp_net_is_host(net, i)) {
            /* the parameter block was checked by dlp_net_parse; a package built in memory
               is checked when the layer runs */
        } else if (!l->prog_insns || l->prog_addr % DLP_INSN_BYTES ||
            !inside(l->prog_addr, (uint64_t)l->prog_insns * DLP_INSN_BYTES, h->image_addr,
                    (uint64_t)h->image_addr + h->image_bytes))
            return fail(dev, DLPD_E_PACKAGE,
                        "layer %u (%s): program of %u instructions at 0x%x is not a 16-byte "
                        "aligned range inside the image 0x%x + %u bytes",
                        i, nm, l->prog_insns, l->prog_addr, h->image_addr, h->image_bytes);
        if (l->output >= h->n_tensors)
            return fail(dev, DLPD_E_PACKAGE, "layer %u (%s): output tensor %u of %u", i, nm,
                        l->output, h->n_tensors);
        if (l->n_inputs > 4)
            return fail(dev, DLPD_E_PACKAGE, "layer %u (%s): %u inputs (at most 4)", i, nm,
                        l->n_inputs);
        for (uint32_t k = 0; k < l->n_inputs; k++)
            if (l->inputs[k] >= h->n_tensors)
                return fail(dev, DLPD_E_PACKAGE, "layer %u (%s): input tensor %u of %u", i, nm,
                            l->inputs[k], h->n_tensors);
    }
    return DLPD_OK;
}

dlpd_err_t dlpd_net_check(dlpd_dev_t *dev, const dlp_net_t *net)
{
    dlpd_info_t in;
    const dlp_net_config_t *c;
    const dlp_net_header_t *h;
    char list[512] = "", a[32], b[32];
    dlpd_err_t e;
    if (!net)
        return fail(dev, DLPD_E_ARG, "dlpd_net_check: net is NULL");
    /* a malformed package first: it is wrong whatever the device */
    if ((e = check_structure(dev, net)))
        return e;
    dlpd_get_info(dev, &in);
    c = &net->cfg;
    h = &net->hdr;
    /* the shape and memories the programs were tiled for */
    if (h->isa_version != in.isa_version)
        add(list, sizeof list, "ISA version %u, the core implements %u", h->isa_version,
            in.isa_version);
    if (c->rows != in.rows || c->cols != in.cols)
        add(list, sizeof list, "a %ux%u array, the core has %ux%u", c->rows, c->cols, in.rows,
            in.cols);
    if (c->vlanes != in.vlanes)
        add(list, sizeof list, "%u vector lanes, the core has %u", c->vlanes, in.vlanes);
#define MEM(field, NAME)                                                                       \
    if (c->field > in.field) {                                                                 \
        kib(a, sizeof a, c->field);                                                            \
        kib(b, sizeof b, in.field);                                                            \
        add(list, sizeof list, NAME " of %s, the core has %s", a, b);                          \
    }
    MEM(nram_bytes, "NRAM")
    MEM(wram_bytes, "WRAM")
    MEM(acc_bytes, "an accumulator")
#undef MEM
    for (uint32_t i = 0; i < h->n_layers; i++)
        if (net->layers[i].prog_insns > in.imem_insns) {
            add(list, sizeof list,
                "layer %u's program of %u instructions, the instruction memory holds %u", i,
                net->layers[i].prog_insns, in.imem_insns);
            break;
        }
    if ((uint64_t)h->dram_base < in.mem_base ||
        (uint64_t)h->dram_base + h->dram_bytes > in.mem_base + in.mem_bytes)
        add(list, sizeof list,
            "DRAM 0x%x..0x%" PRIx64 ", the device memory is 0x%" PRIx64 "..0x%" PRIx64,
            h->dram_base, (uint64_t)h->dram_base + h->dram_bytes - 1, in.mem_base,
            in.mem_base + in.mem_bytes - 1);
    if (list[0]) {
        kib(a, sizeof a, c->nram_bytes);
        kib(b, sizeof b, c->wram_bytes);
        return fail(dev, DLPD_E_CAPS,
                    "the package was compiled for a %ux%u core (V %u, NRAM %s, WRAM %s) and "
                    "cannot run on this %s core (%ux%u, V %u, NRAM %u KiB, WRAM %u KiB): it "
                    "needs %s",
                    c->rows, c->cols, c->vlanes, a, b, in.backend, in.rows, in.cols, in.vlanes,
                    in.nram_bytes / 1024, in.wram_bytes / 1024, list);
    }
    return DLPD_OK;
}

dlpd_err_t dlpd_net_load(dlpd_dev_t *dev, const dlp_net_t *net)
{
    dlpd_err_t e = dlpd_net_check(dev, net);
    if (e)
        return e;
    if ((e = dlpd_alloc_at(dev, net->hdr.dram_base, net->hdr.dram_bytes)))
        return e;
    if (net->hdr.image_bytes &&
        (e = dlpd__dram_write(dev, net->hdr.image_addr, net->image, net->hdr.image_bytes))) {
        dlpd_free(dev, net->hdr.dram_base);
        return e;
    }
    return DLPD_OK;
}

dlpd_err_t dlpd_net_unload(dlpd_dev_t *dev, const dlp_net_t *net)
{
    if (!net)
        return fail(dev, DLPD_E_ARG, "dlpd_net_unload: net is NULL");
    return dlpd_free(dev, net->hdr.dram_base);
}

static dlpd_err_t tensor_io(dlpd_dev_t *dev, const dlp_net_t *net, uint32_t tensor, size_t n,
                            int8_t *rd_data, const int8_t *wr_data);

/* A host layer (dlp_net.h): its input read from device memory, computed here, its output
   written back; the device does not run (its counters do not move). */
static dlpd_err_t run_host_layer(dlpd_dev_t *dev, const dlp_net_t *net, uint32_t layer)
{
    const dlp_net_layer_t *l = &net->layers[layer];
    uint64_t ni, no;
    int8_t *x, *y;
    char msg[256];
    dlpd_err_t e;
    if (l->n_inputs != 1 || l->inputs[0] >= net->hdr.n_tensors || l->output >= net->hdr.n_tensors)
        return fail(dev, DLPD_E_PACKAGE, "layer %u (%s): a host layer needs one input tensor",
                    layer, dlpd_net_string(net, l->name));
    ni = dlpd_tensor_elems(&net->tensors[l->inputs[0]]);
    no = dlpd_tensor_elems(&net->tensors[l->output]);
    if (!ni || !no || ni > (1u << 24) || no > (1u << 24))
        return fail(dev, DLPD_E_PACKAGE, "layer %u (%s): tensor sizes %" PRIu64 " and %" PRIu64
                    " out of range", layer, dlpd_net_string(net, l->name), ni, no);
    x = malloc((size_t)ni);
    y = malloc((size_t)no);
    if (!x || !y) {
        free(x);
        free(y);
        return fail(dev, DLPD_E_NOMEM, "layer %u: out of memory", layer);
    }
    e = tensor_io(dev, net, l->inputs[0], (size_t)ni, x, NULL);
    if (!e && dlp_net_host_run(net, layer, x, (size_t)ni, y, (size_t)no, msg, sizeof msg))
        e = fail(dev, DLPD_E_PACKAGE, "layer %u (%s): %s", layer, dlpd_net_string(net, l->name),
                 msg);
    if (!e)
        e = tensor_io(dev, net, l->output, (size_t)no, NULL, y);
    free(x);
    free(y);
    return e;
}

dlpd_err_t dlpd_net_run_layer(dlpd_dev_t *dev, const dlp_net_t *net, uint32_t layer,
                              uint32_t timeout_ms, dlpd_result_t *res)
{
    if (res)
        memset(res, 0, sizeof *res);
    if (!net || !net->layers || layer >= net->hdr.n_layers)
        return fail(dev, DLPD_E_ARG, "dlpd_net_run_layer: layer %u of %u", layer,
                    net && net->layers ? net->hdr.n_layers : 0);
    const dlp_net_layer_t *l = &net->layers[layer];
    uint64_t base = net->hdr.dram_base, limit = base + net->hdr.dram_bytes;
    dlpd_err_t e;
    if (dlp_net_is_host(net, layer))
        return run_host_layer(dev, net, layer);
    e = dlpd__start_window(dev, l->prog_addr, l->prog_insns, base, limit);
    if (!e)
        e = dlpd_wait(dev, timeout_ms, res);
    if (e) {
        char m[512];
        snprintf(m, sizeof m, "%s", dlpd_last_error(dev));
        fail(dev, e, "layer %u (%s): %s", layer, dlpd_net_string(net, l->name), m);
    }
    return e;
}

/* Copies a tensor's elements between dense host order and its layout in device memory, one
   run (row) at a time unless the tensor is dense. */
static dlpd_err_t tensor_io(dlpd_dev_t *dev, const dlp_net_t *net, uint32_t tensor, size_t n,
                            int8_t *rd_data, const int8_t *wr_data)
{
    const dlp_net_tensor_t *t;
    layout_t L;
    char why[160];
    if (!net || !net->tensors || tensor >= net->hdr.n_tensors)
        return fail(dev, DLPD_E_ARG, "tensor %u does not exist (%u tensors)", tensor,
                    net && net->tensors ? net->hdr.n_tensors : 0);
    t = &net->tensors[tensor];
    if (tensor_layout(t, &L, why, sizeof why))
        return fail(dev, DLPD_E_PACKAGE, "tensor %u (%s): %s", tensor,
                    dlpd_net_string(net, t->name), why);
    if (n != dlpd_tensor_elems(t))
        return fail(dev, DLPD_E_ARG, "tensor %u (%s) has %" PRIu64 " elements, not %zu", tensor,
                    dlpd_net_string(net, t->name), dlpd_tensor_elems(t), n);
    if (dense(&L))
        return rd_data ? dlpd_read(dev, t->addr, rd_data, n) : dlpd_write(dev, t->addr, wr_data, n);
    for (uint64_t i = 0; i < L.n_img; i++)
        for (uint64_t r = 0; r < L.n_row; r++) {
            uint64_t at = t->addr + i * L.img + r * L.row, off = (i * L.n_row + r) * L.run;
            dlpd_err_t e = rd_data ? dlpd_read(dev, at, rd_data + off, (size_t)L.run)
                                   : dlpd_write(dev, at, wr_data + off, (size_t)L.run);
            if (e)
                return e;
        }
    return DLPD_OK;
}

dlpd_err_t dlpd_tensor_write(dlpd_dev_t *dev, const dlp_net_t *net, uint32_t tensor,
                             const int8_t *data, size_t n)
{
    if (!data && n)
        return fail(dev, DLPD_E_ARG, "dlpd_tensor_write: data is NULL");
    return tensor_io(dev, net, tensor, n, NULL, data);
}

dlpd_err_t dlpd_tensor_read(dlpd_dev_t *dev, const dlp_net_t *net, uint32_t tensor,
                            int8_t *data, size_t n)
{
    if (!data && n)
        return fail(dev, DLPD_E_ARG, "dlpd_tensor_read: data is NULL");
    return tensor_io(dev, net, tensor, n, data, NULL);
}

/* ---- helpers ------------------------------------------------------------------------------------ */

int8_t dlpd_quantize(float x, float scale, int32_t zero_point)
{
    float q = x / scale;
    if (isnan(q))
        return (int8_t)(zero_point < -128 ? -128 : zero_point > 127 ? 127 : zero_point);
    q = roundf(q); /* half away from zero, as TfLiteRound */
    /* clamp in float first: the conversion of an out-of-range float is undefined */
    if (q < -1e6f)
        q = -1e6f;
    if (q > 1e6f)
        q = 1e6f;
    int32_t v = (int32_t)q + zero_point;
    return (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
}

float dlpd_dequantize(int8_t q, float scale, int32_t zero_point)
{
    return scale * (float)((int32_t)q - zero_point);
}

size_t dlpd_topk(const int8_t *v, size_t n, size_t k, uint32_t *idx)
{
    size_t m = 0; /* idx[0..m) holds the best so far, best first */
    if (!v || !idx || !k)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = m; /* m <= k: the free slot, or k when the last entry must go */
        if (m == k && v[i] <= v[idx[k - 1]])
            continue; /* later equal values lose: ties go to the lower index */
        /* insert i, shifting smaller entries down */
        while (j > 0 && v[idx[j - 1]] < v[i]) {
            if (j < k)
                idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = (uint32_t)i;
        if (m < k)
            m++;
    }
    return m;
}
