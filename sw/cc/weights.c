/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Weight files (docs/netdesc.md section 3): the binary "DLPW" and the text "dlpw 1" forms of a
 * list of named int8 / int32 / float32 arrays, and their attachment to a parsed network.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "cc_util.h"
#include "dlp_file.h"
#include "dlp_version.h"

static size_t type_size(int type)
{
    return type == CC_W_INT8 ? 1 : 4;
}

static const char *type_name(int type)
{
    return type == CC_W_INT8 ? "int8" : type == CC_W_INT32 ? "int32" : "float32";
}

void cc_wfile_add(cc_wfile_t *wf, const char *name, int type, int ndims, const uint32_t *dims,
                  const void *data)
{
    cc_wrec_t *r;
    if (wf->n == wf->cap) {
        wf->cap = wf->cap ? 2 * wf->cap : 16;
        wf->rec = cc_xrealloc(wf->rec, sizeof *wf->rec * (size_t)wf->cap);
    }
    r = &wf->rec[wf->n++];
    memset(r, 0, sizeof *r);
    r->name = cc_xstrdup(name);
    r->type = type;
    r->ndims = ndims;
    r->count = 1;
    for (int i = 0; i < ndims; i++) {
        r->dims[i] = dims[i];
        r->count *= dims[i];
    }
    r->data = cc_xmalloc(r->count * type_size(type));
    if (data)
        memcpy(r->data, data, r->count * type_size(type));
}

void cc_wfile_free(cc_wfile_t *wf)
{
    for (int i = 0; i < wf->n; i++) {
        free(wf->rec[i].name);
        free(wf->rec[i].data);
    }
    free(wf->rec);
    memset(wf, 0, sizeof *wf);
}

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.')
            return 0;
    return 1;
}

static int dup_check(const cc_wfile_t *wf, const char *fname, char *err, size_t errlen)
{
    const char *name = wf->rec[wf->n - 1].name;
    for (int i = 0; i < wf->n - 1; i++)
        if (!strcmp(wf->rec[i].name, name))
            return cc_fail(err, errlen, "%s: error: record '%s' appears twice", fname, name);
    return 0;
}

/* ---- binary form ---------------------------------------------------------------------------- */

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int parse_binary(const uint8_t *b, size_t len, const char *fname, cc_wfile_t *wf,
                        char *err, size_t errlen)
{
    size_t off = 12;
    uint32_t n;
    if (len < 12)
        return cc_fail(err, errlen, "%s: error: file is %zu bytes, shorter than the 12-byte "
                       "header", fname, len);
    if (rd32(b + 4) != DLP_WEIGHTS_FORMAT)
        return cc_fail(err, errlen, "%s: error: offset 4: weight file version %u, this "
                       "compiler reads version %d", fname, rd32(b + 4), DLP_WEIGHTS_FORMAT);
    n = rd32(b + 8);
    for (uint32_t i = 0; i < n; i++) {
        char name[256];
        unsigned l, type, nd;
        uint32_t dims[4];
        uint64_t count = 1, bytes;
        size_t at = off;
        if (len - off < 2)
            return cc_fail(err, errlen, "%s: error: offset %zu: truncated (record %u of %u)",
                           fname, off, i + 1, n);
        l = b[off] | b[off + 1] << 8;
        off += 2;
        if (l < 1 || l > 255)
            return cc_fail(err, errlen, "%s: error: offset %zu: record %u: name length %u "
                           "(1..255)", fname, at, i + 1, l);
        if (len - off < l + 2)
            return cc_fail(err, errlen, "%s: error: offset %zu: truncated (record %u of %u)",
                           fname, off, i + 1, n);
        memcpy(name, b + off, l);
        name[l] = 0;
        off += l;
        if (!valid_name(name))
            return cc_fail(err, errlen, "%s: error: offset %zu: record %u: bad name (letters, "
                           "digits, '_' and '.' only)", fname, at + 2, i + 1);
        type = b[off];
        nd = b[off + 1];
        off += 2;
        if (type < 1 || type > 3)
            return cc_fail(err, errlen, "%s: error: offset %zu: record '%s': unknown type %u "
                           "(1 int8, 2 int32, 3 float32)", fname, off - 2, name, type);
        if (nd < 1 || nd > 4)
            return cc_fail(err, errlen, "%s: error: offset %zu: record '%s': %u dimensions "
                           "(1..4)", fname, off - 1, name, nd);
        if (len - off < 4 * nd)
            return cc_fail(err, errlen, "%s: error: offset %zu: truncated (record '%s')", fname,
                           off, name);
        for (unsigned d = 0; d < nd; d++) {
            dims[d] = rd32(b + off + 4 * d);
            if (dims[d] == 0)
                return cc_fail(err, errlen, "%s: error: offset %zu: record '%s': dimension %u "
                               "is 0", fname, off + 4 * d, name, d);
            count *= dims[d];
            if (count > (1ull << 34))
                return cc_fail(err, errlen, "%s: error: offset %zu: record '%s' is implausibly "
                               "large", fname, off, name);
        }
        off += 4 * nd;
        bytes = count * type_size((int)type);
        if (len - off < bytes)
            return cc_fail(err, errlen, "%s: error: offset %zu: truncated: record '%s' needs "
                           "%llu data bytes, %zu left", fname, off, name,
                           (unsigned long long)bytes, len - off);
        cc_wfile_add(wf, name, (int)type, (int)nd, dims, NULL);
        if (type == CC_W_INT8) {
            memcpy(wf->rec[wf->n - 1].data, b + off, (size_t)bytes);
        } else {
            uint32_t *dst = wf->rec[wf->n - 1].data;
            for (uint64_t k = 0; k < count; k++)
                dst[k] = rd32(b + off + 4 * k);
        }
        off += (size_t)bytes;
        if (dup_check(wf, fname, err, errlen))
            return -1;
    }
    if (off != len)
        return cc_fail(err, errlen, "%s: error: offset %zu: %zu trailing bytes after the %u "
                       "records", fname, off, len - off, n);
    return 0;
}

/* ---- text form ------------------------------------------------------------------------------ */

typedef struct tlex {
    const char *s, *end;
    int line, col;
    const char *fname;
    char *err;
    size_t errlen;
} tlex_t;

static int terr(tlex_t *t, const char *fmt, const char *a)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, a);
    return cc_fail(t->err, t->errlen, "%s:%d:%d: error: %s", t->fname, t->line, t->col, msg);
}

/* Next whitespace-separated word (comments skipped); 0 at the end. */
static int tword(tlex_t *t, char *w, size_t wl)
{
    size_t n = 0;
    for (;;) {
        while (t->s < t->end && isspace((unsigned char)*t->s)) {
            if (*t->s == '\n') {
                t->line++;
                t->col = 1;
            } else {
                t->col++;
            }
            t->s++;
        }
        if (t->s < t->end && *t->s == '#') {
            while (t->s < t->end && *t->s != '\n')
                t->s++;
            continue;
        }
        break;
    }
    if (t->s >= t->end)
        return 0;
    while (t->s < t->end && !isspace((unsigned char)*t->s) && *t->s != '#') {
        if (n + 1 < wl)
            w[n++] = *t->s;
        t->s++;
        t->col++;
    }
    w[n] = 0;
    return 1;
}

static int parse_text(const uint8_t *b, size_t len, const char *fname, cc_wfile_t *wf, char *err,
                      size_t errlen)
{
    tlex_t t = {(const char *)b, (const char *)b + len, 1, 1, fname, err, errlen};
    char w[300];
    if (!tword(&t, w, sizeof w) || strcmp(w, "dlpw"))
        return terr(&t, "%s", "expected 'dlpw 1' (a text weight file) or the binary magic DLPW");
#define STR_(x) #x
#define STR(x) STR_(x)
    if (!tword(&t, w, sizeof w) || strcmp(w, STR(DLP_WEIGHTS_FORMAT)))
        return terr(&t, "unsupported text weight file version '%s' (expected "
                        STR(DLP_WEIGHTS_FORMAT) ")", w);
#undef STR
#undef STR_
    while (tword(&t, w, sizeof w)) {
        char name[256], dims_s[300], dims_s_copy[300], *q, *tp;
        uint32_t dims[4];
        int nd = 0, type;
        size_t count = 1;
        cc_wrec_t *r;
        int line = t.line, col = t.col;
        if (strlen(w) > 255 || !valid_name(w))
            return terr(&t, "bad record name '%s'", w);
        snprintf(name, sizeof name, "%.255s", w);
        if (!tword(&t, w, sizeof w))
            return terr(&t, "record '%s': expected a type (int8, int32, float32)", name);
        type = !strcmp(w, "int8") ? CC_W_INT8 : !strcmp(w, "int32") ? CC_W_INT32
               : !strcmp(w, "float32") ? CC_W_FLOAT32 : 0;
        if (!type)
            return terr(&t, "unknown type '%s' (int8, int32, float32)", w);
        if (!tword(&t, dims_s, sizeof dims_s))
            return terr(&t, "record '%s': expected the dimensions (e.g. 6x5x5x1)", name);
        snprintf(dims_s_copy, sizeof dims_s_copy, "%s", dims_s);
        for (q = strtok_r(dims_s, "x", &tp); q; q = strtok_r(NULL, "x", &tp)) {
            char *e;
            unsigned long v = strtoul(q, &e, 10);
            if (*e || !isdigit((unsigned char)*q) || v < 1 || v > 0x7fffffff || nd == 4)
                return terr(&t, "record '%s': bad dimensions (1 to 4 positive integers joined "
                            "by x)", name);
            dims[nd++] = (uint32_t)v;
            count *= v;
            if (count > (1u << 30))
                return terr(&t, "record '%s' is too large for a text file", name);
        }
        if (!nd)
            return terr(&t, "record '%s': bad dimensions", name);
        /* every value takes at least two bytes (a digit and a separator, the last one only the
           digit): a count the rest of the file cannot hold is refused before it is allocated */
        if (count > ((size_t)(t.end - t.s) + 1) / 2) {
            char m[400];
            snprintf(m, sizeof m, "record '%%s': dimensions %.64s give %zu values, but only %zu "
                     "bytes of the file remain", dims_s_copy, count, (size_t)(t.end - t.s));
            return terr(&t, m, name);
        }
        cc_wfile_add(wf, name, type, nd, dims, NULL);
        r = &wf->rec[wf->n - 1];
        for (size_t k = 0; k < count; k++) {
            char *e;
            if (!tword(&t, w, sizeof w))
                return terr(&t, "record '%s': the file ends before all its values", name);
            if (type == CC_W_FLOAT32) {
                float f;
                errno = 0;
                f = strtof(w, &e);
                if (*e || e == w || errno)
                    return terr(&t, "'%s' is not a float32 value", w);
                ((float *)r->data)[k] = f;
            } else {
                long v;
                errno = 0;
                v = strtol(w, &e, 10);
                if (*e || e == w || errno)
                    return terr(&t, "'%s' is not an integer", w);
                if (type == CC_W_INT8 && (v < -128 || v > 127))
                    return terr(&t, "%s is outside int8 (-128..127)", w);
                if (type == CC_W_INT32 && (v < INT32_MIN || v > INT32_MAX))
                    return terr(&t, "%s is outside int32", w);
                if (type == CC_W_INT8)
                    ((int8_t *)r->data)[k] = (int8_t)v;
                else
                    ((int32_t *)r->data)[k] = (int32_t)v;
            }
        }
        if (dup_check(wf, fname, err, errlen)) {
            t.line = line;
            t.col = col;
            return terr(&t, "record '%s' appears twice", name);
        }
    }
    return 0;
}

int cc_wfile_parse(const uint8_t *buf, size_t len, const char *name, cc_wfile_t *wf, char *err,
                   size_t errlen)
{
    int rc;
    memset(wf, 0, sizeof *wf);
    if (len >= 4 && !memcmp(buf, "DLPW", 4))
        rc = parse_binary(buf, len, name, wf, err, errlen);
    else if (memchr(buf, 0, len))
        rc = cc_fail(err, errlen, "%s: error: not a weight file (no DLPW magic, and not text)",
                     name);
    else
        rc = parse_text(buf, len, name, wf, err, errlen);
    if (rc)
        cc_wfile_free(wf);
    return rc;
}

int cc_wfile_read(const char *path, cc_wfile_t *wf, char *err, size_t errlen)
{
    size_t len;
    uint8_t *buf = cc_read_all(path, DLP_FILE_MAX, &len, err, errlen);
    int rc;
    memset(wf, 0, sizeof *wf);
    if (!buf)
        return -1;
    rc = cc_wfile_parse(buf, len, path, wf, err, errlen);
    free(buf);
    return rc;
}

static void put32(FILE *f, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    fwrite(b, 1, 4, f);
}

int cc_wfile_write(const char *path, const cc_wfile_t *wf, char *err, size_t errlen)
{
    dlp_ofile_t o;
    char why[256];
    FILE *f = dlp_ofile_open(&o, path, why, sizeof why);
    if (!f)
        return cc_fail(err, errlen, "%s: %s", path, why);
    fwrite("DLPW", 1, 4, f);
    put32(f, DLP_WEIGHTS_FORMAT);
    put32(f, (uint32_t)wf->n);
    for (int i = 0; i < wf->n; i++) {
        const cc_wrec_t *r = &wf->rec[i];
        size_t l = strlen(r->name);
        uint8_t h[4] = {(uint8_t)l, (uint8_t)(l >> 8), (uint8_t)r->type, (uint8_t)r->ndims};
        fwrite(h, 1, 2, f);
        fwrite(r->name, 1, l, f);
        fwrite(h + 2, 1, 2, f);
        for (int d = 0; d < r->ndims; d++)
            put32(f, r->dims[d]);
        if (r->type == CC_W_INT8)
            fwrite(r->data, 1, r->count, f);
        else
            for (size_t k = 0; k < r->count; k++)
                put32(f, ((const uint32_t *)r->data)[k]);
    }
    if (dlp_ofile_commit(&o, why, sizeof why))
        return cc_fail(err, errlen, "%s: %s", path, why);
    return 0;
}

/* ---- attaching records to the network -------------------------------------------------------- */

static void dims_str(const uint32_t *d, int nd, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < nd && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? "x" : "", d[i]);
}

static int want(const cc_wrec_t *r, const char *fname, int type, int nd, const uint32_t *dims,
                char *err, size_t errlen)
{
    char a[64], b[64];
    int same = r->ndims == nd;
    for (int i = 0; same && i < nd; i++)
        same = r->dims[i] == dims[i];
    if (r->type != type)
        return cc_fail(err, errlen, "%s: error: record '%s' is %s, expected %s", fname, r->name,
                       type_name(r->type), type_name(type));
    if (!same) {
        dims_str(r->dims, r->ndims, a, sizeof a);
        dims_str(dims, nd, b, sizeof b);
        return cc_fail(err, errlen, "%s: error: record '%s' has shape %s, expected %s", fname,
                       r->name, a, b);
    }
    return 0;
}

static int apply_layer(cc_net_t *net, cc_layer_t *l, const cc_wrec_t *r, const char *field,
                       const char *fname, char *err, size_t errlen)
{
    const cc_tensor_t *x = &net->t[l->in[0]];
    int is_mm = l->kind == CC_CONV || l->kind == CC_FC;
    uint32_t d[4];
    if (is_mm && !strcmp(field, "weight")) {
        int nd;
        if (l->kind == CC_CONV) {
            d[0] = (uint32_t)l->cout, d[1] = (uint32_t)l->kh, d[2] = (uint32_t)l->kw;
            d[3] = (uint32_t)(x->c / l->groups);
            nd = 4;
        } else {
            d[0] = (uint32_t)l->cout, d[1] = (uint32_t)x->c;
            nd = 2;
        }
        if (want(r, fname, CC_W_INT8, nd, d, err, errlen))
            return -1;
        free(l->weight);
        l->weight = cc_xmalloc(r->count);
        memcpy(l->weight, r->data, r->count);
        l->weight_len = r->count;
        l->got_weight = 1;
        return 0;
    }
    if (is_mm && !strcmp(field, "bias")) {
        d[0] = (uint32_t)l->cout;
        if (!l->has_bias && !l->bn)
            return cc_fail(err, errlen, "%s: error: record '%s': layer %s has bias=0 (and no "
                           "bn), so it takes no bias", fname, r->name, l->name);
        if (want(r, fname, CC_W_INT32, 1, d, err, errlen))
            return -1;
        free(l->bias);
        l->bias = cc_xmalloc(4 * r->count);
        memcpy(l->bias, r->data, 4 * r->count);
        l->got_bias = 1;
        return 0;
    }
    if (is_mm && !strcmp(field, "weight_scale")) {
        d[0] = r->count == 1 ? 1 : (uint32_t)l->cout;
        if (want(r, fname, CC_W_FLOAT32, 1, d, err, errlen))
            return -1;
        free(l->wscale);
        l->wscale = cc_xmalloc(sizeof(float) * (size_t)l->cout);
        for (int c = 0; c < l->cout; c++) {
            float s = ((const float *)r->data)[r->count == 1 ? 0 : c];
            if (!(s > 0) || !isfinite(s))
                return cc_fail(err, errlen, "%s: error: record '%s': bad quantization "
                               "parameters: weight scale of channel %d is %g (must be > 0)",
                               fname, r->name, r->count == 1 ? 0 : c, (double)s);
            l->wscale[c] = s;
        }
        l->got_wscale = 1;
        return 0;
    }
    if (is_mm && !l->fc_float && !strcmp(field, "requant")) {
        d[0] = (uint32_t)l->cout;
        d[1] = 2;
        if (want(r, fname, CC_W_INT32, 2, d, err, errlen))
            return -1;
        for (int c = 0; c < l->cout; c++) {
            int32_t m = ((const int32_t *)r->data)[2 * c], sh = ((const int32_t *)r->data)[2 * c + 1];
            if (m < 0 || sh < -31 || sh > 31)
                return cc_fail(err, errlen, "%s: error: record '%s': channel %d has multiplier "
                               "%d and shift %d (0..2^31-1 and -31..31)", fname, r->name, c, m,
                               sh);
        }
        free(l->requant);
        l->requant = cc_xmalloc(4 * r->count);
        memcpy(l->requant, r->data, 4 * r->count);
        return 0;
    }
    if (l->kind == CC_LUT && !strcmp(field, "table")) {
        d[0] = 256;
        if (l->fn != CC_FN_TABLE)
            return cc_fail(err, errlen, "%s: error: record '%s': layer %s computes fn=%s, it "
                           "takes no table", fname, r->name, l->name, cc_fn_name(l->fn));
        if (want(r, fname, CC_W_INT8, 1, d, err, errlen))
            return -1;
        free(l->table);
        l->table = cc_xmalloc(256);
        memcpy(l->table, r->data, 256);
        l->got_table = 1;
        return 0;
    }
    return 1; /* not a field of this layer */
}

int cc_apply_weights(cc_net_t *net, const cc_wfile_t *wf, const char *fname, char *err,
                     size_t errlen)
{
    for (int i = 0; i < wf->n; i++) {
        const cc_wrec_t *r = &wf->rec[i];
        char obj[256];
        const char *dot = strrchr(r->name, '.'), *field;
        int li, ti, rc = 1;
        uint32_t one = 1;
        if (!dot || dot == r->name || !dot[1])
            return cc_fail(err, errlen, "%s: error: record '%s': names are LAYER.FIELD or "
                           "TENSOR.FIELD", fname, r->name);
        snprintf(obj, sizeof obj, "%.*s", (int)(dot - r->name), r->name);
        field = dot + 1;
        li = cc_find_layer(net, obj);
        ti = cc_find_tensor(net, obj);
        if (li >= 0) {
            rc = apply_layer(net, &net->l[li], r, field, fname, err, errlen);
            if (rc < 0)
                return -1;
        }
        if (rc == 1 && ti >= 0 && (!strcmp(field, "scale") || !strcmp(field, "zp"))) {
            cc_tensor_t *t = &net->t[ti];
            if (!strcmp(field, "scale")) {
                float s;
                if (want(r, fname, CC_W_FLOAT32, 1, &one, err, errlen))
                    return -1;
                s = *(const float *)r->data;
                if (!(s > 0) || !isfinite(s))
                    return cc_fail(err, errlen, "%s: error: record '%s': bad quantization "
                                   "parameters: scale %g (must be > 0)", fname, r->name,
                                   (double)s);
                t->scale = s;
                t->q_file |= 1;
            } else {
                int32_t z;
                if (want(r, fname, CC_W_INT32, 1, &one, err, errlen))
                    return -1;
                z = *(const int32_t *)r->data;
                if (z < -128 || z > 127)
                    return cc_fail(err, errlen, "%s: error: record '%s': bad quantization "
                                   "parameters: zero point %d outside -128..127", fname,
                                   r->name, z);
                t->zp = z;
                t->q_file |= 2;
            }
            rc = 0;
        }
        if (rc == 1) {
            if (li < 0 && ti < 0)
                return cc_fail(err, errlen, "%s: error: record '%s': no layer or tensor named "
                               "'%s' in %s", fname, r->name, obj, net->file);
            return cc_fail(err, errlen, "%s: error: record '%s': '%s' is not a field of %s%s%s "
                           "(layers: weight, bias, weight_scale, requant, table; tensors: scale, zp)",
                           fname, r->name, field, li >= 0 ? "layer " : "tensor ", obj,
                           li >= 0 ? "" : "");
        }
    }
    for (int i = 0; i < net->nt; i++)
        if (net->t[i].q_file == 1 || net->t[i].q_file == 2)
            return cc_fail(err, errlen, "%s: error: tensor %s has a %s record but no %s", fname,
                           net->t[i].name, net->t[i].q_file == 1 ? "scale" : "zp",
                           net->t[i].q_file == 1 ? "zp" : "scale");
    return 0;
}

int cc_load_weights(cc_net_t *net, const char *path, char *err, size_t errlen)
{
    cc_wfile_t wf;
    int rc;
    if (cc_wfile_read(path, &wf, err, errlen))
        return -1;
    rc = cc_apply_weights(net, &wf, path, err, errlen);
    cc_wfile_free(&wf);
    return rc;
}
