/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dlpplot -- pictures of a network run from `dlprun --json` (docs/libdlp.md, "Pictures").
 *
 *   dlpplot roofline RUN.json -o OUT.svg [--title TEXT]
 *   dlpplot util RUN.json -o OUT.svg [--title TEXT]
 *
 * roofline: the roofline of the run's core -- peak MACs per cycle (R x C) and the DRAM bandwidth
 * (bytes per cycle) -- with every layer that does MACs placed at its operational intensity
 * (MACs per DRAM byte) and its attained MACs per cycle, a circle whose area is the layer's
 * share of the run's cycles. util: per layer, the MAC utilisation (MACs / (cycles x R x C)) as
 * a bar, and the share of its cycles each unit (DMA, MFU, VFU) was busy.
 *
 * Output is SVG 1.1 that needs no fonts beyond sans-serif; `rsvg-convert -o x.png x.svg`
 * (Debian librsvg2-bin) makes a PNG. The file is written to a temporary name and renamed, so
 * an error never leaves a partial picture.
 *
 * Exit status: 0 success, 1 unreadable or malformed input, 2 usage.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlp_version.h"

/* ---- a small strict JSON reader (RFC 8259 values; what dlprun writes and more) -------------- */

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jval {
    int type;
    double num;
    char *str;              /* J_STR: the string; member values: their key */
    struct jval *kids;      /* J_ARR, J_OBJ */
    size_t n;
    char *key;
} jval_t;

typedef struct jparser {
    const char *path, *s, *end, *line_start;
    int line, depth;
    char err[300];
} jparser_t;

#define MAX_JSON_BYTES (64u << 20)
#define MAX_DEPTH 32

static int jfail(jparser_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int jfail(jparser_t *p, const char *fmt, ...)
{
    char m[200];
    va_list ap;
    if (p->err[0])
        return -1;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    snprintf(p->err, sizeof p->err, "%s:%d:%d: %s", p->path, p->line,
             (int)(p->s - p->line_start) + 1, m);
    return -1;
}

static void jskip(jparser_t *p)
{
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')) {
        if (*p->s == '\n') {
            p->line++;
            p->line_start = p->s + 1;
        }
        p->s++;
    }
}

static void jfree(jval_t *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++)
        jfree(&v->kids[i]);
    free(v->kids);
    free(v->str);
    free(v->key);
}

static int jvalue(jparser_t *p, jval_t *v);

static int jstring(jparser_t *p, char **out)
{
    size_t cap = 16, n = 0;
    char *b = malloc(cap);
    if (!b)
        return jfail(p, "out of memory");
    p->s++; /* the opening quote */
    for (;;) {
        if (p->s >= p->end) {
            free(b);
            return jfail(p, "unterminated string");
        }
        unsigned char c = (unsigned char)*p->s++;
        if (c == '"')
            break;
        if (c < 0x20) {
            free(b);
            return jfail(p, "control character in a string");
        }
        if (c == '\\') {
            if (p->s >= p->end) {
                free(b);
                return jfail(p, "unterminated string");
            }
            char e = *p->s++;
            switch (e) {
            case '"': case '\\': case '/': c = (unsigned char)e; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u': {
                unsigned u = 0;
                for (int k = 0; k < 4; k++) {
                    char h = p->s < p->end ? *p->s++ : 0;
                    int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                          : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (d < 0) {
                        free(b);
                        return jfail(p, "bad \\u escape");
                    }
                    u = u * 16 + (unsigned)d;
                }
                c = u < 0x80 ? (unsigned char)u : '?'; /* names are ASCII; others shown as ? */
                break;
            }
            default:
                free(b);
                return jfail(p, "bad escape '\\%c'", e);
            }
        }
        if (n + 2 > cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                return jfail(p, "out of memory");
            }
            b = nb;
        }
        b[n++] = (char)c;
    }
    b[n] = 0;
    *out = b;
    return 0;
}

static int jpush(jparser_t *p, jval_t *v, size_t *cap, jval_t **slot)
{
    if (v->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 8;
        jval_t *nk = realloc(v->kids, nc * sizeof *nk);
        if (!nk)
            return jfail(p, "out of memory");
        v->kids = nk;
        *cap = nc;
    }
    *slot = &v->kids[v->n];
    memset(*slot, 0, sizeof **slot);
    v->n++;
    return 0;
}

static int jcontainer(jparser_t *p, jval_t *v, int obj)
{
    size_t cap = 0;
    v->type = obj ? J_OBJ : J_ARR;
    if (++p->depth > MAX_DEPTH)
        return jfail(p, "nested deeper than %d", MAX_DEPTH);
    p->s++;
    jskip(p);
    if (p->s < p->end && *p->s == (obj ? '}' : ']')) {
        p->s++;
        p->depth--;
        return 0;
    }
    for (;;) {
        jval_t *k = NULL;
        char *key = NULL;
        jskip(p);
        if (obj) {
            if (p->s >= p->end || *p->s != '"')
                return jfail(p, "expected a \"key\"");
            if (jstring(p, &key))
                return -1;
            jskip(p);
            if (p->s >= p->end || *p->s != ':') {
                free(key);
                return jfail(p, "expected ':' after a key");
            }
            p->s++;
        }
        if (jpush(p, v, &cap, &k)) {
            free(key);
            return -1;
        }
        k->key = key;
        if (jvalue(p, k))
            return -1;
        jskip(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == (obj ? '}' : ']')) {
            p->s++;
            p->depth--;
            return 0;
        }
        return jfail(p, "expected ',' or '%c'", obj ? '}' : ']');
    }
}

static int jvalue(jparser_t *p, jval_t *v)
{
    jskip(p);
    if (p->s >= p->end)
        return jfail(p, "unexpected end of file");
    switch (*p->s) {
    case '{':
        return jcontainer(p, v, 1);
    case '[':
        return jcontainer(p, v, 0);
    case '"':
        v->type = J_STR;
        return jstring(p, &v->str);
    case 't':
    case 'f':
    case 'n': {
        static const char *w[] = {"true", "false", "null"};
        for (int i = 0; i < 3; i++) {
            size_t l = strlen(w[i]);
            if ((size_t)(p->end - p->s) >= l && !strncmp(p->s, w[i], l)) {
                v->type = i == 2 ? J_NULL : J_BOOL;
                v->num = i == 0;
                p->s += l;
                return 0;
            }
        }
        return jfail(p, "unknown literal");
    }
    default: {
        /* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
        const char *q = p->s;
        char buf[64];
        if (q < p->end && *q == '-')
            q++;
        if (q >= p->end || *q < '0' || *q > '9')
            return jfail(p, "expected a value");
        if (*q == '0')
            q++;
        else
            while (q < p->end && *q >= '0' && *q <= '9')
                q++;
        if (q < p->end && *q == '.') {
            q++;
            if (q >= p->end || *q < '0' || *q > '9')
                return jfail(p, "expected digits after '.'");
            while (q < p->end && *q >= '0' && *q <= '9')
                q++;
        }
        if (q < p->end && (*q == 'e' || *q == 'E')) {
            q++;
            if (q < p->end && (*q == '+' || *q == '-'))
                q++;
            if (q >= p->end || *q < '0' || *q > '9')
                return jfail(p, "expected digits in the exponent");
            while (q < p->end && *q >= '0' && *q <= '9')
                q++;
        }
        if ((size_t)(q - p->s) >= sizeof buf)
            return jfail(p, "number too long");
        memcpy(buf, p->s, (size_t)(q - p->s));
        buf[q - p->s] = 0;
        v->type = J_NUM;
        v->num = strtod(buf, NULL);
        p->s = q;
        return 0;
    }
    }
}

/* Parses a whole file; 0, or -1 with msg ("file:line:col: what"). */
static int jparse_file(const char *path, jval_t *root, char *msg, size_t msglen)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    jparser_t p;
    memset(root, 0, sizeof *root);
    if (!f) {
        snprintf(msg, msglen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        snprintf(msg, msglen, "cannot read %s: %s", path, strerror(errno));
        fclose(f);
        return -1;
    }
    if ((unsigned long)n > MAX_JSON_BYTES) {
        snprintf(msg, msglen, "%s: %ld bytes, more than a run file can be (%u MiB)", path, n,
                 MAX_JSON_BYTES >> 20);
        fclose(f);
        return -1;
    }
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        snprintf(msg, msglen, "cannot read %s", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    memset(&p, 0, sizeof p);
    p.path = path;
    p.s = p.line_start = buf;
    p.end = buf + n;
    p.line = 1;
    if (jvalue(&p, root) == 0) {
        jskip(&p);
        if (p.s != p.end)
            jfail(&p, "text after the JSON value");
    }
    free(buf);
    if (p.err[0]) {
        snprintf(msg, msglen, "%s", p.err);
        jfree(root);
        memset(root, 0, sizeof *root);
        return -1;
    }
    return 0;
}

static const jval_t *jget(const jval_t *o, const char *key)
{
    if (!o || o->type != J_OBJ)
        return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->kids[i].key, key))
            return &o->kids[i];
    return NULL;
}

/* ---- the run --------------------------------------------------------------------------------- */

typedef struct layer {
    const char *name, *kind;
    double macs, cycles, rd, wr, busy_dma, busy_mfu, busy_vfu;
} layer_t;

typedef struct run {
    const char *package, *device;
    double rows, cols, peak, bw;
    layer_t *l;
    size_t n;
    double cycles, macs;
} run_t;

static int bad(char *msg, size_t len, const char *path, const char *what)
{
    snprintf(msg, len, "%s: not a dlprun --json file: %s", path, what);
    return -1;
}

/* A number >= 0 (and finite) named key in o. */
static int num(const jval_t *o, const char *key, double *out)
{
    const jval_t *v = jget(o, key);
    if (!v || v->type != J_NUM || !(v->num >= 0) || !isfinite(v->num))
        return -1;
    *out = v->num;
    return 0;
}

static int load_run(const char *path, const jval_t *root, run_t *r, char *msg, size_t len)
{
    const jval_t *fmt = jget(root, "format"), *core = jget(root, "core"),
                 *layers = jget(root, "layers"), *pk = jget(root, "package"),
                 *dev = jget(root, "device");
    double ver;
    memset(r, 0, sizeof *r);
    if (root->type != J_OBJ || !fmt || fmt->type != J_STR || strcmp(fmt->str, "opendlp-run"))
        return bad(msg, len, path, "no \"format\": \"opendlp-run\"");
    if (num(root, "format_version", &ver) || ver != DLP_RUN_JSON_FORMAT)
        return bad(msg, len, path, "\"format_version\" is not the one this dlpplot reads "
                                   "(dlpplot --version)");
    if (!core || num(core, "rows", &r->rows) || num(core, "cols", &r->cols) ||
        num(core, "peak_macs_per_cycle", &r->peak) || num(core, "dram_bytes_per_cycle", &r->bw) ||
        r->peak <= 0 || r->bw <= 0)
        return bad(msg, len, path, "\"core\" lacks rows, cols, peak_macs_per_cycle or "
                                   "dram_bytes_per_cycle (> 0)");
    if (!layers || layers->type != J_ARR || !layers->n)
        return bad(msg, len, path, "no \"layers\" array, or an empty one");
    r->package = pk && pk->type == J_STR ? pk->str : path;
    r->device = dev && dev->type == J_STR ? dev->str : "?";
    r->n = layers->n;
    r->l = calloc(r->n, sizeof *r->l);
    if (!r->l) {
        snprintf(msg, len, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < r->n; i++) {
        const jval_t *o = &layers->kids[i], *nm = jget(o, "name"), *kd = jget(o, "kind");
        layer_t *l = &r->l[i];
        if (o->type != J_OBJ || !nm || nm->type != J_STR || !kd || kd->type != J_STR ||
            num(o, "macs", &l->macs) || num(o, "cycles", &l->cycles) ||
            num(o, "dram_read_bytes", &l->rd) || num(o, "dram_write_bytes", &l->wr) ||
            num(o, "busy_dma", &l->busy_dma) || num(o, "busy_mfu", &l->busy_mfu) ||
            num(o, "busy_vfu", &l->busy_vfu)) {
            char what[200];
            snprintf(what, sizeof what,
                     "layer %zu lacks name, kind, macs, cycles, dram_read_bytes, "
                     "dram_write_bytes or busy_dma/mfu/vfu (numbers >= 0)",
                     i);
            free(r->l);
            r->l = NULL;
            return bad(msg, len, path, what);
        }
        if (l->cycles < 1 || l->busy_dma > l->cycles || l->busy_mfu > l->cycles ||
            l->busy_vfu > l->cycles || l->macs > l->cycles * r->peak) {
            char what[160];
            snprintf(what, sizeof what,
                     "layer %zu (%s): inconsistent figures (no cycles, a unit busy longer than "
                     "the layer, or more MACs than the peak allows)",
                     i, nm->str);
            free(r->l);
            r->l = NULL;
            return bad(msg, len, path, what);
        }
        l->name = nm->str;
        l->kind = kd->str;
        r->cycles += l->cycles;
        r->macs += l->macs;
    }
    return 0;
}

/* ---- SVG ------------------------------------------------------------------------------------- */

static void xml(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f); break;
        }
    }
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Colour of a layer kind: a fixed palette in order of first appearance. */
static const char *palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
enum { NPAL = sizeof palette / sizeof palette[0] };

typedef struct kinds {
    const char *name[NPAL];
    int n;
} kinds_t;

static int kind_index(kinds_t *k, const char *name)
{
    for (int i = 0; i < k->n; i++)
        if (!strcmp(k->name[i], name))
            return i;
    if (k->n < NPAL) {
        k->name[k->n] = name;
        return k->n++;
    }
    return NPAL - 1; /* more kinds than colours: the rest share the last */
}

static void svg_begin(FILE *f, int w, int h, const char *what, const run_t *r)
{
    /* (an XML comment may not contain "--": the package name is written without) */
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<!-- Generated by dlpplot %s from the dlprun JSON file of ", what);
    for (const char *s = base_name(r->package); *s; s++)
        if (*s != '-' || s[1] != '-')
            fputc(*s == '>' ? '_' : *s, f);
    fprintf(f,
            "; regenerate with make plots (docs/libdlp.md), do not edit. -->\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
            "font-size=\"12\">\n"
            "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n",
            w, h, w, h, w, h);
}

static void svg_title(FILE *f, int x, const char *title, const char *sub)
{
    fprintf(f, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">", x);
    xml(f, title);
    fprintf(f, "</text>\n<text x=\"%d\" y=\"42\" fill=\"#444\">", x);
    xml(f, sub);
    fprintf(f, "</text>\n");
}

/* 0.01, 0.1, 1, 10, 100, 1000, 10k, ... */
static void decade_label(char *b, size_t n, int e)
{
    if (e < 0)
        snprintf(b, n, "%.*f", -e, pow(10, e));
    else if (e < 4)
        snprintf(b, n, "%.0f", pow(10, e));
    else
        snprintf(b, n, "1e%d", e);
}

static int roofline(FILE *f, const run_t *r, const char *title)
{
    const int W = 900, H = 600, L = 80, R = 230, T = 60, B = 70;
    const int pw = W - L - R, ph = H - T - B;
    double ridge = r->peak / r->bw, oi_lo = ridge, oi_hi = ridge, p_lo = r->peak, p_hi = r->peak;
    double max_share = 0;
    size_t shown = 0, hidden = 0;
    kinds_t kinds = {{0}, 0};
    char sub[300], lab[32];

    for (size_t i = 0; i < r->n; i++) {
        const layer_t *l = &r->l[i];
        double bytes = l->rd + l->wr;
        if (l->macs <= 0 || bytes <= 0) {
            hidden++;
            continue;
        }
        double oi = l->macs / bytes, perf = l->macs / l->cycles;
        oi_lo = fmin(oi_lo, oi);
        oi_hi = fmax(oi_hi, oi);
        p_lo = fmin(p_lo, perf);
        max_share = fmax(max_share, l->cycles / r->cycles);
        shown++;
    }
    int ex0 = (int)floor(log10(oi_lo)), ex1 = (int)ceil(log10(oi_hi * 1.5));
    int ey0 = (int)floor(log10(p_lo)), ey1 = (int)ceil(log10(p_hi * 1.5));
    if (ex1 <= ex0)
        ex1 = ex0 + 1;
    if (ey1 <= ey0)
        ey1 = ey0 + 1;
#define X(v) (L + pw * (log10(v) - ex0) / (ex1 - ex0))
#define Y(v) (T + ph - ph * (log10(v) - ey0) / (ey1 - ey0))

    svg_begin(f, W, H, "roofline", r);
    snprintf(sub, sizeof sub,
             "%s on %s, %.0fx%.0f: %.0f MAC/cycle peak, %.0f DRAM bytes/cycle; whole run %.1f%% "
             "of peak",
             base_name(r->package), r->device, r->rows, r->cols, r->peak, r->bw,
             100.0 * r->macs / (r->cycles * r->peak));
    svg_title(f, L, title, sub);
    /* grid and axes */
    fprintf(f, "<g stroke=\"#ddd\" stroke-width=\"1\">\n");
    for (int e = ex0; e <= ex1; e++)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", X(pow(10, e)), T,
                X(pow(10, e)), T + ph);
    for (int e = ey0; e <= ey1; e++)
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", L, Y(pow(10, e)),
                L + pw, Y(pow(10, e)));
    fprintf(f, "</g>\n<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
               "stroke=\"#333\"/>\n", L, T, pw, ph);
    fprintf(f, "<g text-anchor=\"middle\" fill=\"#333\">\n");
    for (int e = ex0; e <= ex1; e++) {
        decade_label(lab, sizeof lab, e);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\">%s</text>\n", X(pow(10, e)), T + ph + 18, lab);
    }
    fprintf(f, "<text x=\"%d\" y=\"%d\">operational intensity: MACs per DRAM byte (read + "
               "written, program fetch included)</text>\n</g>\n", L + pw / 2, T + ph + 42);
    fprintf(f, "<g text-anchor=\"end\" fill=\"#333\">\n");
    for (int e = ey0; e <= ey1; e++) {
        decade_label(lab, sizeof lab, e);
        fprintf(f, "<text x=\"%d\" y=\"%.1f\">%s</text>\n", L - 6, Y(pow(10, e)) + 4, lab);
    }
    fprintf(f, "</g>\n<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\" "
               "fill=\"#333\">attained MACs per cycle</text>\n", L - 50, T + ph / 2);
    /* the roof: bandwidth slope up to the ridge, then the peak */
    double x0 = pow(10, ex0), x1 = pow(10, ex1);
    double xs = fmax(x0, pow(10, ey0) / r->bw); /* where the slope enters the plot */
    fprintf(f, "<polyline fill=\"none\" stroke=\"#000\" stroke-width=\"2.5\" "
               "points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n",
            X(xs), Y(xs * r->bw), X(ridge), Y(r->peak), X(x1), Y(r->peak));
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">peak %.0f MAC/cycle (%.0fx%.0f)"
               "</text>\n", X(x1) - 6, Y(r->peak) - 24, r->peak, r->rows, r->cols);
    {
        /* the bandwidth label along the slope, left of the ridge */
        double xm = sqrt(xs * ridge);
        double ang = atan2(Y(xm * 2 * r->bw) - Y(xm * r->bw), X(xm * 2) - X(xm)) * 180 / 3.14159265358979;
        fprintf(f, "<text transform=\"translate(%.1f,%.1f) rotate(%.1f)\" text-anchor=\"middle\">"
                   "DRAM %.0f bytes/cycle</text>\n", X(xm) - 6, Y(xm * r->bw) - 8, ang, r->bw);
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" "
               "stroke-dasharray=\"4 4\"/>\n", X(ridge), T, X(ridge), T + ph);
    fprintf(f, "<text x=\"%.1f\" y=\"%d\" fill=\"#666\" font-size=\"11\"> ridge %.0f MAC/B</text>\n",
            X(ridge), T + ph - 6, ridge);
    /* the layers, biggest first so that small ones stay visible on top */
    size_t *ord = malloc(r->n * sizeof *ord);
    if (!ord)
        return -1;
    for (size_t i = 0; i < r->n; i++)
        ord[i] = i;
    for (size_t i = 1; i < r->n; i++)
        for (size_t j = i; j > 0 && r->l[ord[j]].cycles > r->l[ord[j - 1]].cycles; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    for (size_t i = 0; i < r->n; i++)
        kind_index(&kinds, r->l[i].kind); /* colours in network order */
    fprintf(f, "<g fill-opacity=\"0.55\" stroke-width=\"1\">\n");
    for (size_t k = 0; k < r->n; k++) {
        const layer_t *l = &r->l[ord[k]];
        double bytes = l->rd + l->wr;
        if (l->macs <= 0 || bytes <= 0)
            continue;
        double rad = 3 + 15 * sqrt(l->cycles / r->cycles / max_share);
        const char *c = palette[kind_index(&kinds, l->kind)];
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"%s\">"
                   "<title>", X(l->macs / bytes), Y(l->macs / l->cycles), rad, c, c);
        xml(f, l->name);
        fprintf(f, " (%s): %.0f MACs in %.0f cycles = %.1f MAC/cycle, %.1f MAC/byte</title>"
                   "</circle>\n", l->kind, l->macs, l->cycles, l->macs / l->cycles, l->macs / bytes);
    }
    fprintf(f, "</g>\n");
    /* names of the three layers that take the most cycles, unless a label would cover another */
    double boxes[3][4];
    int named = 0;
    for (size_t k = 0; k < r->n && k < 3; k++) {
        const layer_t *l = &r->l[ord[k]];
        double bytes = l->rd + l->wr;
        if (l->macs <= 0 || bytes <= 0)
            continue;
        double rad = 3 + 15 * sqrt(l->cycles / r->cycles / max_share);
        double bx = X(l->macs / bytes) + rad * 0.75 + 2, by = Y(l->macs / l->cycles) + rad * 0.75 + 10;
        double bw = 6.2 * ((double)strlen(l->name) + 6), clash = 0;
        for (int b = 0; b < named; b++)
            clash += bx < boxes[b][0] + boxes[b][2] && boxes[b][0] < bx + bw &&
                     by - 12 < boxes[b][1] && boxes[b][1] - 12 < by;
        if (clash || bx + bw > L + pw)
            continue;
        boxes[named][0] = bx, boxes[named][1] = by, boxes[named][2] = bw, boxes[named][3] = 12;
        named++;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#222\">", bx, by);
        xml(f, l->name);
        fprintf(f, " (%.0f%%)</text>\n", 100 * l->cycles / r->cycles);
    }
    free(ord);
    /* legend */
    int lx = L + pw + 20, ly = T + 10;
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">layer kind</text>\n", lx, ly);
    for (int i = 0; i < kinds.n; i++) {
        int any = 0;
        for (size_t j = 0; j < r->n; j++)
            any |= !strcmp(r->l[j].kind, kinds.name[i]) && r->l[j].macs > 0;
        if (!any)
            continue;
        ly += 20;
        fprintf(f, "<circle cx=\"%d\" cy=\"%d\" r=\"6\" fill=\"%s\" fill-opacity=\"0.55\" "
                   "stroke=\"%s\"/><text x=\"%d\" y=\"%d\">", lx + 6, ly - 4, palette[i],
                palette[i], lx + 18, ly);
        xml(f, kinds.name[i]);
        fprintf(f, "</text>\n");
    }
    ly += 30;
    fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#444\">%zu layers shown; circle</text>\n"
               "<text x=\"%d\" y=\"%d\" fill=\"#444\">area: share of the run's</text>\n"
               "<text x=\"%d\" y=\"%d\" fill=\"#444\">cycles (the largest are</text>\n"
               "<text x=\"%d\" y=\"%d\" fill=\"#444\">named where room)</text>\n",
            lx, ly, shown, lx, ly + 16, lx, ly + 32, lx, ly + 48);
    ly += 16;
    if (hidden)
        fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#444\">%zu without MACs (copies,</text>\n"
                   "<text x=\"%d\" y=\"%d\" fill=\"#444\">pooling, adds) not shown</text>\n",
                lx, ly + 56, hidden, lx, ly + 72);
    fprintf(f, "</svg>\n");
#undef X
#undef Y
    return 0;
}

static int utilisation(FILE *f, const run_t *r, const char *title)
{
    /* names are drawn at -60 degrees, at most NAME_MAX characters of about 6 pixels */
    enum { NAME_MAX = 28 };
    size_t longest = 1;
    for (size_t i = 0; i < r->n; i++)
        longest = strlen(r->l[i].name) > longest ? strlen(r->l[i].name) : longest;
    if (longest > NAME_MAX)
        longest = NAME_MAX;
    const int sh = 70; /* the panel of cycle shares above the main one */
    const int L = 70 + (int)(3.2 * (double)longest), R = 170, T = 60 + sh + 20, ph = 300;
    const int B = 30 + (int)(5.6 * (double)longest);
    int slot = r->n > 60 ? 12 : r->n > 30 ? 16 : 28;
    int pw = (int)r->n * slot;
    if (pw < 360)
        pw = 360, slot = pw / (int)r->n;
    const int W = L + pw + R, H = T + ph + B;
    double max_share = 0;
    for (size_t i = 0; i < r->n; i++)
        max_share = fmax(max_share, r->l[i].cycles / r->cycles);
    char sub[300];
    static const struct {
        const char *name, *colour;
    } unit[3] = {{"DMA busy", "#ff7f0e"}, {"MFU busy", "#2ca02c"}, {"VFU busy", "#9467bd"}};

    svg_begin(f, W, H, "util", r);
    snprintf(sub, sizeof sub,
             "%s on %s, %.0fx%.0f: whole run %.1f%% MAC utilisation in %.0f cycles",
             base_name(r->package), r->device, r->rows, r->cols,
             100.0 * r->macs / (r->cycles * r->peak), r->cycles);
    svg_title(f, 70, title, sub);
    /* cycle shares */
    const int st = T - sh - 20;
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
               "stroke=\"#333\"/>\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#333\">"
               "%.0f%%</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#333\">0%%</text>\n",
            L, st, pw, sh, L - 6, st + 10, 100 * max_share, L - 6, st + sh);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#333\">share of</text>"
               "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#333\">the run's</text>"
               "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#333\">cycles</text>\n",
            L - 46, st + 24, L - 46, st + 40, L - 46, st + 56);
    for (size_t i = 0; i < r->n; i++) {
        double hgt = sh * (r->l[i].cycles / r->cycles) / max_share;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#888\"/>\n",
                L + (double)i * slot + slot * 0.15, st + sh - hgt, slot * 0.7, hgt);
    }
    fprintf(f, "<g stroke=\"#ddd\">\n");
    for (int p = 0; p <= 100; p += 20)
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", L, T + ph - ph * p / 100.0,
                L + pw, T + ph - ph * p / 100.0);
    fprintf(f, "</g>\n<g text-anchor=\"end\" fill=\"#333\">\n");
    for (int p = 0; p <= 100; p += 20)
        fprintf(f, "<text x=\"%d\" y=\"%.1f\">%d%%</text>\n", L - 6, T + ph - ph * p / 100.0 + 4, p);
    fprintf(f, "</g>\n<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\" "
               "fill=\"#333\">share of the layer's cycles</text>\n", L - 48, T + ph / 2);
    /* bars: MAC utilisation; ticks: unit busy */
    for (size_t i = 0; i < r->n; i++) {
        const layer_t *l = &r->l[i];
        double x = L + (double)i * slot, u = l->macs / (l->cycles * r->peak);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f77b4\">"
                   "<title>", x + slot * 0.15, T + ph - ph * u, slot * 0.7, ph * u);
        xml(f, l->name);
        fprintf(f, ": MAC utilisation %.1f%%, DMA %.0f%%, MFU %.0f%%, VFU %.0f%% busy, %.0f cycles"
                   "</title></rect>\n", 100 * u, 100 * l->busy_dma / l->cycles,
                100 * l->busy_mfu / l->cycles, 100 * l->busy_vfu / l->cycles, l->cycles);
        double b[3] = {l->busy_dma, l->busy_mfu, l->busy_vfu};
        for (int k = 0; k < 3; k++)
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"2.5\"/>\n", x + slot * 0.05, T + ph - ph * b[k] / l->cycles,
                    x + slot * 0.95, T + ph - ph * b[k] / l->cycles, unit[k].colour);
        fprintf(f, "<text transform=\"translate(%.1f,%d) rotate(-60)\" text-anchor=\"end\" "
                   "font-size=\"%d\">", x + slot * 0.6, T + ph + 10, slot < 16 ? 9 : 10);
        if (strlen(l->name) > NAME_MAX) {
            char cut[NAME_MAX + 1];
            memcpy(cut, l->name, NAME_MAX - 3);
            memcpy(cut + NAME_MAX - 3, "...", 4);
            xml(f, cut);
        } else {
            xml(f, l->name);
        }
        fprintf(f, "</text>\n");
    }
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
            L, T, pw, ph);
    int lx = L + pw + 20, ly = T + 10;
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"#1f77b4\"/>"
               "<text x=\"%d\" y=\"%d\">MAC utilisation</text>\n", lx, ly - 9, lx + 20, ly);
    for (int k = 0; k < 3; k++) {
        ly += 20;
        fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                   "stroke-width=\"2.5\"/><text x=\"%d\" y=\"%d\">%s</text>\n",
                lx, ly - 4, lx + 14, ly - 4, unit[k].colour, lx + 20, ly, unit[k].name);
    }
    fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#444\">MAC utilisation =</text>\n"
               "<text x=\"%d\" y=\"%d\" fill=\"#444\">MACs / (cycles x %.0f)</text>\n",
            lx, ly + 30, lx, ly + 46, r->peak);
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"#888\"/>"
               "<text x=\"%d\" y=\"%d\">share of the run's</text><text x=\"%d\" y=\"%d\">"
               "cycles (top panel)</text>\n", lx, st + 1, lx + 20, st + 10, lx + 20, st + 26);
    fprintf(f, "</svg>\n");
    return 0;
}

/* ---- main ------------------------------------------------------------------------------------ */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: dlpplot roofline|util RUN.json -o OUT.svg [--title TEXT]\n"
            "Draws a network run written by `dlprun --json` as SVG:\n"
            "  roofline   the core's roofline (peak MAC/cycle, DRAM bytes/cycle) with every\n"
            "             layer at its MACs per DRAM byte and MACs per cycle\n"
            "  util       per layer: MAC utilisation and the share of cycles DMA, MFU and VFU\n"
            "             were busy\n"
            "  -o FILE      the SVG to write (rsvg-convert turns it into PNG)\n"
            "  --title TEXT the picture's title\n"
            "  --version    print the version and exit\n"
            "  -h, --help   this text\n"
            "Exit status: 0 success, 1 unreadable or malformed input, 2 usage.\n");
}

int main(int argc, char **argv)
{
    const char *cmd = NULL, *in = NULL, *out = NULL, *title = NULL;
    char msg[400], tmp[1100], deftitle[300];
    jval_t root;
    run_t run;
    int rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (dlp_std_option(a, "dlpplot", usage)) {
            return 0;
        } else if (!strcmp(a, "-o") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(a, "--title") && i + 1 < argc) {
            title = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "dlpplot: unknown option or missing value: %s (see dlpplot -h)\n", a);
            return 2;
        } else if (!cmd) {
            cmd = a;
        } else if (!in) {
            in = a;
        } else {
            fprintf(stderr, "dlpplot: more than one input given ('%s', '%s')\n", in, a);
            return 2;
        }
    }
    if (!cmd || !in || !out) {
        usage(stderr);
        return 2;
    }
    if (strcmp(cmd, "roofline") && strcmp(cmd, "util")) {
        fprintf(stderr, "dlpplot: unknown picture '%s' (roofline, util)\n", cmd);
        return 2;
    }
    if (jparse_file(in, &root, msg, sizeof msg)) {
        fprintf(stderr, "dlpplot: %s\n", msg);
        return 1;
    }
    if (load_run(in, &root, &run, msg, sizeof msg)) {
        fprintf(stderr, "dlpplot: %s\n", msg);
        jfree(&root);
        return 1;
    }
    if (!title) {
        snprintf(deftitle, sizeof deftitle, "%s: %s", base_name(run.package),
                 !strcmp(cmd, "roofline") ? "roofline" : "per-layer utilisation");
        title = deftitle;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", out, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "dlpplot: cannot write %s: %s\n", tmp, strerror(errno));
        rc = 1;
    } else {
        rc = !strcmp(cmd, "roofline") ? roofline(f, &run, title) : utilisation(f, &run, title);
        if ((ferror(f) | fclose(f)) || rc || rename(tmp, out)) {
            fprintf(stderr, "dlpplot: cannot write %s: %s\n", out, strerror(errno));
            remove(tmp);
            rc = 1;
        }
    }
    free(run.l);
    jfree(&root);
    return rc;
}
