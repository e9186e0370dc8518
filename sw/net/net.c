/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading and writing compiled network packages (".dlpn"); the format is in dlp_net.h.
 *
 * Every field is serialized one by one in little-endian order (never by copying structs), and
 * the parser checks every count, offset and address against the sizes it has actually read
 * before it touches anything, so a corrupted, truncated or hostile file gives a message, never a
 * crash. The writer serializes, then runs the parser on its own output: a package that the
 * loader would reject is never written.
 */
#include "dlp_net.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_file.h"
#include "dlp_isa_gen.h"
#include "dlp_prog.h"

#define HDR_BYTES 48
#define CFG_BYTES 64
#define TENSOR_BYTES 64
#define LAYER_BYTES 96
/* Far more than any real network; keeps the size arithmetic small. */
#define MAX_ENTRIES (1u << 20)

#define fail dlp_errf
#define rd16 dlp_rd16

/* ---- records: one codec per record, reading (put = 0) or writing (put = 1) its fields at
   their offsets, so that the layout is written once (docs/package.md) ---- */

static void x16(uint8_t *p, uint16_t *v, int put)
{
    if (put) {
        p[0] = (uint8_t)*v;
        p[1] = (uint8_t)(*v >> 8);
    } else {
        *v = rd16(p);
    }
}

static void x32(uint8_t *p, uint32_t *v, int n, int put) /* n consecutive words */
{
    for (int i = 0; i < n; i++) {
        if (put)
            dlp_wr32(p + 4 * i, v[i]);
        else
            v[i] = dlp_rd32(p + 4 * i);
    }
}

static void x64(uint8_t *p, uint64_t *v, int put)
{
    uint32_t w[2] = {(uint32_t)*v, (uint32_t)(*v >> 32)};
    x32(p, w, 2, put);
    if (!put)
        *v = (uint64_t)w[0] | (uint64_t)w[1] << 32;
}

static void xf(uint8_t *p, float *v, int put)
{
    uint32_t u;
    memcpy(&u, v, 4);
    x32(p, &u, 1, put);
    if (!put)
        memcpy(v, &u, 4);
}

static void x_header(uint8_t *p, dlp_net_header_t *h, int put)
{
    if (put)
        memcpy(p, h->magic, 4);
    else
        memcpy(h->magic, p, 4);
    x16(p + 4, &h->version, put);
    x16(p + 6, &h->isa_version, put);
    x32(p + 8, &h->n_tensors, 1, put);
    x32(p + 12, &h->n_layers, 1, put);
    x32(p + 16, &h->strings_bytes, 1, put);
    x32(p + 20, &h->image_bytes, 1, put);
    x32(p + 24, &h->image_addr, 1, put);
    x32(p + 28, &h->dram_base, 1, put);
    x32(p + 32, &h->dram_bytes, 1, put);
    x32(p + 36, &h->flags, 1, put);
    x32(p + 40, &h->body_crc, 1, put);
    x32(p + 44, &h->header_crc, 1, put);
}

static void x_config(uint8_t *p, dlp_net_config_t *c, int put)
{
    x32(p, &c->rows, 1, put);
    x32(p + 4, &c->cols, 1, put);
    x32(p + 8, &c->vlanes, 1, put);
    x32(p + 12, &c->nram_bytes, 1, put);
    x32(p + 16, &c->wram_bytes, 1, put);
    x32(p + 20, &c->acc_bytes, 1, put);
    x32(p + 24, &c->imem_insns, 1, put);
    x32(p + 28, &c->beat_bytes, 1, put);
    x32(p + 32, c->reserved, 8, put);
}

/* A tensor record is the struct's 64 bytes of fields in order (dlp_net.h). */
static void x_tensor(uint8_t *p, dlp_net_tensor_t *t, int put)
{
    uint32_t zp = (uint32_t)t->zero_point;
    x32(p, &t->name, 1, put);
    x32(p + 4, &t->role, 1, put);
    x32(p + 8, &t->addr, 1, put);
    x32(p + 12, &t->bytes, 1, put);
    x32(p + 16, &t->ndims, 1, put);
    x32(p + 20, t->dims, DLP_NET_MAX_DIMS, put);
    xf(p + 36, &t->scale, put);
    x32(p + 40, &zp, 1, put);
    if (!put)
        t->zero_point = (int32_t)zp;
    x32(p + 44, &t->row_stride, 1, put);
    x32(p + 48, &t->img_stride, 1, put);
    x32(p + 52, t->reserved, 3, put);
}

static void x_layer(uint8_t *p, dlp_net_layer_t *l, int put)
{
    x32(p, &l->name, 1, put);
    x32(p + 4, &l->kind, 1, put);
    x32(p + 8, &l->prog_addr, 1, put);
    x32(p + 12, &l->prog_insns, 1, put);
    x32(p + 16, &l->output, 1, put);
    x32(p + 20, &l->n_inputs, 1, put);
    x32(p + 24, l->inputs, 4, put);
    x64(p + 40, &l->macs, put);
    x64(p + 48, &l->params, put);
    x32(p + 56, &l->host_bytes, 1, put);
    x32(p + 60, l->reserved, 9, put);
}

/* The readers take a const buffer; the writers a const record (the codecs leave the side they
   read unchanged). */
#define get_header(p, h) x_header((uint8_t *)(uintptr_t)(p), h, 0)
#define put_header(p, h) x_header(p, (dlp_net_header_t *)(uintptr_t)(h), 1)
#define get_config(p, c) x_config((uint8_t *)(uintptr_t)(p), c, 0)
#define put_config(p, c) x_config(p, (dlp_net_config_t *)(uintptr_t)(c), 1)
#define get_tensor(p, t) x_tensor((uint8_t *)(uintptr_t)(p), t, 0)
#define put_tensor(p, t) x_tensor(p, (dlp_net_tensor_t *)(uintptr_t)(t), 1)
#define get_layer(p, l) x_layer((uint8_t *)(uintptr_t)(p), l, 0)
#define put_layer(p, l) x_layer(p, (dlp_net_layer_t *)(uintptr_t)(l), 1)

/* Checks the parsed tables against each other and against the sizes; 0 or -1 with message. */
/* ---- host layers ---------------------------------------------------------------------------- */

#define HFC_HEAD 32

static uint64_t tensor_elems(const dlp_net_tensor_t *t)
{
    uint64_t e = 1;
    for (uint32_t d = 0; d < t->ndims && d < DLP_NET_MAX_DIMS; d++)
        e *= t->dims[d];
    return e;
}

/* Why host layer i's parameter block is unusable, or NULL. Every size is checked before it is
   multiplied, in 64 bits. */
static const char *host_check(const dlp_net_t *n, uint32_t i)
{
    const dlp_net_header_t *h = &n->hdr;
    const dlp_net_layer_t *l = &n->layers[i];
    const uint8_t *b;
    uint64_t in_n, out_n;
    int32_t lo, hi;
    if (!(h->flags & DLP_NET_FLAG_HOST_LAYERS))
        return "the header's host-layers flag is not set";
    if (strcmp(n->strings + l->kind, DLP_NET_HOST_FC))
        return "unknown kind (expected " DLP_NET_HOST_FC ")";
    if (l->prog_addr < h->image_addr || l->host_bytes > h->image_bytes ||
        l->prog_addr - h->image_addr > h->image_bytes - l->host_bytes)
        return "the parameter block is not inside the image";
    if (l->host_bytes < HFC_HEAD)
        return "the parameter block is shorter than its header";
    b = n->image + (l->prog_addr - h->image_addr);
    if (memcmp(b, "HFC1", 4))
        return "the parameter block does not start with HFC1";
    in_n = dlp_rd32(b + 4);
    out_n = dlp_rd32(b + 8);
    lo = (int32_t)dlp_rd32(b + 20);
    hi = (int32_t)dlp_rd32(b + 24);
    if (!in_n || !out_n || in_n > (1u << 24) || out_n > (1u << 24) ||
        HFC_HEAD + 12 * out_n + in_n * out_n != l->host_bytes)
        return "the block's sizes do not add up to host_bytes";
    if (lo < -128 || hi > 127 || lo > hi || (int32_t)dlp_rd32(b + 12) < -128 ||
        (int32_t)dlp_rd32(b + 12) > 127 || (int32_t)dlp_rd32(b + 16) < -128 ||
        (int32_t)dlp_rd32(b + 16) > 127)
        return "a zero point or the activation range is outside -128..127";
    if (l->n_inputs != 1 || l->inputs[0] >= h->n_tensors || l->output >= h->n_tensors ||
        tensor_elems(&n->tensors[l->inputs[0]]) != in_n ||
        tensor_elems(&n->tensors[l->output]) != out_n)
        return "the input and output tensors do not have the block's sizes";
    return NULL;
}

int dlp_net_is_host(const dlp_net_t *net, uint32_t l)
{
    return net && l < net->hdr.n_layers && net->layers[l].prog_insns == 0 &&
           net->layers[l].host_bytes != 0;
}

int dlp_net_host_run(const dlp_net_t *net, uint32_t l, const int8_t *in, size_t in_n,
                     int8_t *out, size_t out_n, char *err, size_t errlen)
{
    const uint8_t *b, *mult, *bias;
    const int8_t *w;
    const char *why;
    uint32_t bi, bo;
    int32_t in_zp, out_zp, lo, hi;
    if (!dlp_net_is_host(net, l))
        return fail(err, errlen, "layer %u is not a host layer", l);
    if ((why = host_check(net, l)))
        return fail(err, errlen, "layer %u: %s", l, why);
    b = net->image + (net->layers[l].prog_addr - net->hdr.image_addr);
    bi = dlp_rd32(b + 4);
    bo = dlp_rd32(b + 8);
    if (in_n != bi || out_n != bo)
        return fail(err, errlen, "layer %u: %zu inputs and %zu outputs, the block has %u and %u",
                    l, in_n, out_n, bi, bo);
    in_zp = (int32_t)dlp_rd32(b + 12);
    out_zp = (int32_t)dlp_rd32(b + 16);
    lo = (int32_t)dlp_rd32(b + 20);
    hi = (int32_t)dlp_rd32(b + 24);
    mult = b + HFC_HEAD;
    bias = mult + 8 * (size_t)bo;
    w = (const int8_t *)(bias + 4 * (size_t)bo);
    for (uint32_t o = 0; o < bo; o++) {
        /* TFLite >= 2.20 reference FULLY_CONNECTED (docs/numerics.md): the int32 accumulator
           (wrapping) times the double multiplier, rounded half away from zero */
        uint64_t mb = (uint64_t)dlp_rd32(mult + 8 * (size_t)o) |
                      (uint64_t)dlp_rd32(mult + 8 * (size_t)o + 4) << 32;
        double m, r;
        uint32_t acc = dlp_rd32(bias + 4 * (size_t)o);
        int32_t v;
        memcpy(&m, &mb, 8);
        for (uint32_t k = 0; k < bi; k++)
            acc += (uint32_t)((int32_t)(in[k] - in_zp) * w[(size_t)o * bi + k]);
        r = round((double)(int32_t)acc * m);
        v = r >= 2147483647.0 ? INT32_MAX : r <= -2147483648.0 ? INT32_MIN : (int32_t)r;
        v = (int32_t)((uint32_t)v + (uint32_t)out_zp);
        out[o] = (int8_t)(v < lo ? lo : v > hi ? hi : v);
    }
    return 0;
}

static int validate(const dlp_net_t *n, char *err, size_t errlen)
{
    const dlp_net_header_t *h = &n->hdr;
    const dlp_net_config_t *c = &n->cfg;
    uint64_t lo = h->dram_base, hi = (uint64_t)h->dram_base + h->dram_bytes;
    uint64_t img_end = (uint64_t)h->image_addr + h->image_bytes;
    size_t toff = HDR_BYTES + CFG_BYTES, loff = toff + (size_t)h->n_tensors * TENSOR_BYTES;

    if (!c->rows || !c->cols || !c->vlanes || !c->nram_bytes || !c->wram_bytes ||
        !c->acc_bytes || !c->imem_insns || !c->beat_bytes)
        return fail(err, errlen, "offset %d: configuration has a zero size", HDR_BYTES);
    if (h->dram_bytes == 0 || hi > (1ull << 32))
        return fail(err, errlen, "offset 28: DRAM region [0x%x, +0x%x) is empty or beyond 4 GiB",
                    h->dram_base, h->dram_bytes);
    if (h->image_addr < lo || img_end > hi)
        return fail(err, errlen,
                    "offset 24: image [0x%x, 0x%llx) is outside the DRAM region [0x%llx, 0x%llx)",
                    h->image_addr, (unsigned long long)img_end, (unsigned long long)lo,
                    (unsigned long long)hi);
    if (h->strings_bytes && n->strings[h->strings_bytes - 1] != '\0')
        return fail(err, errlen, "string table does not end with a NUL byte");
    for (uint32_t i = 0; i < h->n_tensors; i++) {
        const dlp_net_tensor_t *t = &n->tensors[i];
        size_t off = toff + (size_t)i * TENSOR_BYTES;
        uint64_t elems = 1;
        if (t->name >= h->strings_bytes)
            return fail(err, errlen, "offset %zu: tensor %u: name offset %u outside the strings",
                        off, i, t->name);
        if (t->role > DLP_NET_CONST)
            return fail(err, errlen, "offset %zu: tensor %u (%s): unknown role %u", off + 4, i,
                        n->strings + t->name, t->role);
        if (t->ndims < 1 || t->ndims > DLP_NET_MAX_DIMS)
            return fail(err, errlen, "offset %zu: tensor %u (%s): %u dimensions (1..%d)",
                        off + 16, i, n->strings + t->name, t->ndims, DLP_NET_MAX_DIMS);
        for (uint32_t d = 0; d < t->ndims; d++) {
            if (t->dims[d] == 0)
                return fail(err, errlen, "offset %zu: tensor %u (%s): dimension %u is 0",
                            off + 20 + 4 * d, i, n->strings + t->name, d);
            elems *= t->dims[d];
            if (elems > (1ull << 32))
                return fail(err, errlen, "offset %zu: tensor %u (%s): too many elements",
                            off + 20, i, n->strings + t->name);
        }
        if (t->bytes < elems)
            return fail(err, errlen, "offset %zu: tensor %u (%s): %u bytes for %llu elements",
                        off + 12, i, n->strings + t->name, t->bytes, (unsigned long long)elems);
        if (t->addr < lo || (uint64_t)t->addr + t->bytes > hi)
            return fail(err, errlen,
                        "offset %zu: tensor %u (%s): [0x%x, +%u) outside the DRAM region", off + 8,
                        i, n->strings + t->name, t->addr, t->bytes);
        if (!(t->scale > 0) || !isfinite(t->scale) || t->zero_point < -128 ||
            t->zero_point > 127)
            return fail(err, errlen, "offset %zu: tensor %u (%s): bad quantization (scale %g, "
                        "zero point %d)", off + 36, i, n->strings + t->name, (double)t->scale,
                        t->zero_point);
    }
    for (uint32_t i = 0; i < h->n_layers; i++) {
        const dlp_net_layer_t *l = &n->layers[i];
        size_t off = loff + (size_t)i * LAYER_BYTES;
        uint64_t pend = (uint64_t)l->prog_addr + (uint64_t)l->prog_insns * DLP_INSN_BYTES;
        if (l->name >= h->strings_bytes || l->kind >= h->strings_bytes)
            return fail(err, errlen, "offset %zu: layer %u: name or kind outside the strings",
                        off, i);
        if (l->prog_insns == 0 && l->host_bytes) {
            const char *why = host_check(n, i);
            if (why)
                return fail(err, errlen, "offset %zu: layer %u (%s): host layer: %s", off + 8, i,
                            n->strings + l->name, why);
        } else if (l->prog_insns == 0 || l->prog_addr < h->image_addr || pend > img_end ||
            (l->prog_addr - h->image_addr) % DLP_INSN_BYTES)
            return fail(err, errlen,
                        "offset %zu: layer %u (%s): program [0x%x, %u instructions) is not "
                        "inside the image", off + 8, i, n->strings + l->name, l->prog_addr,
                        l->prog_insns);
        if (l->output >= h->n_tensors)
            return fail(err, errlen, "offset %zu: layer %u (%s): output tensor %u of %u",
                        off + 16, i, n->strings + l->name, l->output, h->n_tensors);
        if (l->n_inputs > 4)
            return fail(err, errlen, "offset %zu: layer %u (%s): %u inputs (at most 4)",
                        off + 20, i, n->strings + l->name, l->n_inputs);
        for (uint32_t k = 0; k < l->n_inputs; k++)
            if (l->inputs[k] >= h->n_tensors)
                return fail(err, errlen, "offset %zu: layer %u (%s): input tensor %u of %u",
                            off + 24 + 4 * k, i, n->strings + l->name, l->inputs[k],
                            h->n_tensors);
    }
    return 0;
}

int dlp_net_parse(const uint8_t *buf, size_t len, dlp_net_t *net, char *err, size_t errlen)
{
    dlp_net_header_t h;
    uint64_t need;
    size_t ttab, ltab, tsize, lsize;
    uint8_t *store;
    const uint8_t *p;

    memset(net, 0, sizeof *net);
    if (!buf || len < HDR_BYTES + CFG_BYTES)
        return fail(err, errlen, "file is %zu bytes, shorter than the %d-byte header and "
                    "configuration", len, HDR_BYTES + CFG_BYTES);
    if (memcmp(buf, DLP_NET_MAGIC, 4))
        return fail(err, errlen, "offset 0: bad magic (not an OpenDLP network package)");
    if (dlp_crc32(buf, 44) != dlp_rd32(buf + 44))
        return fail(err, errlen, "offset 44: header CRC mismatch (header corrupted)");
    get_header(buf, &h);
    if (h.version != DLP_NET_VERSION)
        return fail(err, errlen, "offset 4: package version %u, this tool reads version %d",
                    h.version, DLP_NET_VERSION);
    if (h.isa_version != DLP_ISA_VERSION)
        return fail(err, errlen, "offset 6: programs for ISA version %u, this tool implements "
                    "version %d", h.isa_version, DLP_ISA_VERSION);
    if (h.flags & ~DLP_NET_FLAG_HOST_LAYERS)
        return fail(err, errlen, "offset 36: unknown flags 0x%x", h.flags);
    if (h.n_tensors > MAX_ENTRIES || h.n_layers > MAX_ENTRIES)
        return fail(err, errlen, "offset 8: %u tensors and %u layers is implausible",
                    h.n_tensors, h.n_layers);
    ttab = (size_t)h.n_tensors * TENSOR_BYTES;
    ltab = (size_t)h.n_layers * LAYER_BYTES;
    need = (uint64_t)HDR_BYTES + CFG_BYTES + ttab + ltab + h.strings_bytes + h.image_bytes;
    if (need != len)
        return fail(err, errlen, "file is %zu bytes, its header describes %llu (%s)", len,
                    (unsigned long long)need, need > len ? "truncated" : "trailing bytes");
    if (dlp_crc32(buf + HDR_BYTES, len - HDR_BYTES) != h.body_crc)
        return fail(err, errlen, "offset 40: body CRC mismatch (contents corrupted)");

    /* one allocation: tensors, layers, strings, image */
    /* the layer array holds uint64_t fields, so it starts 16-byte aligned */
    tsize = (sizeof(dlp_net_tensor_t) * h.n_tensors + 15) / 16 * 16;
    lsize = sizeof(dlp_net_layer_t) * h.n_layers;
    store = malloc(tsize + lsize + h.strings_bytes + h.image_bytes + 1);
    if (!store)
        return fail(err, errlen, "out of memory reading a %zu-byte package", len);
    net->storage = store;
    net->hdr = h;
    net->tensors = (dlp_net_tensor_t *)(void *)store;
    net->layers = (dlp_net_layer_t *)(void *)(store + tsize);
    {
        uint8_t *s = store + tsize + lsize;
        p = buf + HDR_BYTES + CFG_BYTES + ttab + ltab;
        memcpy(s, p, h.strings_bytes);
        net->strings = (const char *)s;
        memcpy(s + h.strings_bytes, p + h.strings_bytes, h.image_bytes);
        net->image = s + h.strings_bytes;
    }
    get_config(buf + HDR_BYTES, &net->cfg);
    p = buf + HDR_BYTES + CFG_BYTES;
    for (uint32_t i = 0; i < h.n_tensors; i++)
        get_tensor(p + (size_t)i * TENSOR_BYTES, &net->tensors[i]);
    p += ttab;
    for (uint32_t i = 0; i < h.n_layers; i++)
        get_layer(p + (size_t)i * LAYER_BYTES, &net->layers[i]);
    if (validate(net, err, errlen)) {
        dlp_net_free(net);
        return -1;
    }
    return 0;
}

int dlp_net_read_file(const char *path, dlp_net_t *net, char *err, size_t errlen)
{
    uint8_t *buf;
    size_t len;
    int rc;
    char sub[512];

    memset(net, 0, sizeof *net);
    if (dlp_file_read(path, DLP_FILE_MAX, &buf, &len, sub, sizeof sub))
        return fail(err, errlen, "%s: %s", path, sub);
    rc = dlp_net_parse(buf, len, net, sub, sizeof sub);
    free(buf);
    if (rc)
        return fail(err, errlen, "%s: %s", path, sub);
    return 0;
}

void dlp_net_free(dlp_net_t *net)
{
    if (!net)
        return;
    free(net->storage);
    memset(net, 0, sizeof *net);
}

const char *dlp_net_str(const dlp_net_t *net, uint32_t offset)
{
    if (!net || !net->strings || offset >= net->hdr.strings_bytes)
        return "";
    return net->strings + offset;
}

int dlp_net_write_file(const char *path, const dlp_net_t *net, char *err, size_t errlen)
{
    const dlp_net_header_t *h = &net->hdr;
    size_t ttab = (size_t)h->n_tensors * TENSOR_BYTES, ltab = (size_t)h->n_layers * LAYER_BYTES;
    size_t len = HDR_BYTES + CFG_BYTES + ttab + ltab + h->strings_bytes + h->image_bytes;
    dlp_net_header_t hh = *h;
    dlp_net_t check;
    uint8_t *buf, *p;
    int rc;
    char sub[512];

    if (h->n_tensors > MAX_ENTRIES || h->n_layers > MAX_ENTRIES)
        return fail(err, errlen, "%s: too many tensors or layers", path);
    buf = calloc(len, 1);
    if (!buf)
        return fail(err, errlen, "%s: out of memory (%zu bytes)", path, len);
    put_config(buf + HDR_BYTES, &net->cfg);
    p = buf + HDR_BYTES + CFG_BYTES;
    for (uint32_t i = 0; i < h->n_tensors; i++)
        put_tensor(p + (size_t)i * TENSOR_BYTES, &net->tensors[i]);
    p += ttab;
    for (uint32_t i = 0; i < h->n_layers; i++)
        put_layer(p + (size_t)i * LAYER_BYTES, &net->layers[i]);
    p += ltab;
    if (h->strings_bytes)
        memcpy(p, net->strings, h->strings_bytes);
    if (h->image_bytes)
        memcpy(p + h->strings_bytes, net->image, h->image_bytes);
    memcpy(hh.magic, DLP_NET_MAGIC, 4);
    hh.version = DLP_NET_VERSION;
    hh.isa_version = DLP_ISA_VERSION;
    hh.body_crc = dlp_crc32(buf + HDR_BYTES, len - HDR_BYTES);
    put_header(buf, &hh);
    hh.header_crc = dlp_crc32(buf, 44);
    put_header(buf, &hh);

    if (dlp_net_parse(buf, len, &check, sub, sizeof sub)) {
        free(buf);
        return fail(err, errlen, "%s: refusing to write an invalid package: %s", path, sub);
    }
    dlp_net_free(&check);
    rc = dlp_file_write(path, buf, len, sub, sizeof sub);
    free(buf);
    if (rc)
        return fail(err, errlen, "%s: %s", path, sub);
    return 0;
}
