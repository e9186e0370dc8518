/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fwrun -- runs one firmware case (a generator's output directory and its assembled program)
 * through libdlp on a device and on a reference device, and compares them bit for bit.
 *
 *   fwrun -d SPEC [--compare SPEC] [--label NAME] [--timeout SEC] DIR PROG.dlpb
 *
 * DIR/manifest.txt (firmware/README.md): the data region (from the lowest to the highest address
 * the manifest names) is cleared, "load FILE ADDR" lines are written into device DRAM,
 * "check ADDR LEN REF" ranges are read back after the run. The run passes when the program
 * halts on both devices, every checked range equals the generator's independent reference REF,
 * the whole data region [lowest, highest address of the manifest) is identical on both devices,
 * and so are the counters that do not depend on timing (instructions, MACs, DRAM bytes read and
 * written). Cycles are reported for both (a board's block-RAM DRAM is faster than the model's
 * DRAM latency, so they differ).
 *
 * --compare defaults to "cmodel", configured from the first device's capability registers
 * (shape, memories, beat) so that both run the same machine.
 *
 * Prints one line, "PASS: NAME ..." or "FAIL: NAME reason"; exit status 0 or 1 (2: usage).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_driver.h"

#define MAX_ITEMS 32

typedef struct item {
    int check; /* 0 load, 1 check */
    char file[512];
    uint64_t addr, len;
} item_t;

static const char *label = "fw";

static void fail(const char *fmt, const char *a, const char *b)
{
    printf("FAIL: %s ", label);
    printf(fmt, a, b);
    printf("\n");
    exit(1);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

typedef struct side {
    const char *spec;
    dlpd_dev_t *dev;
    dlpd_info_t info;
    dlpd_result_t res;
    uint8_t *region;
} side_t;

static void run_side(side_t *s, const char *dir, const char *prog, item_t *it, int n,
                     uint64_t lo, uint64_t hi, uint32_t timeout_ms)
{
    char msg[512];
    dlpd_prog_t p;
    dlpd_err_t e;
    if ((e = dlpd_open(s->spec, &s->dev, msg, sizeof msg)) != DLPD_OK)
        fail("cannot open %s: %s", s->spec, msg);
    dlpd_get_info(s->dev, &s->info);
    if (dlpd_alloc_at(s->dev, lo, hi - lo))
        fail("%s: %s", s->spec, dlpd_last_error(s->dev));
    /* a board's DRAM keeps what the last run left there; the model's starts at zero */
    uint8_t *zero = calloc(1, hi - lo);
    if (!zero || dlpd_write(s->dev, lo, zero, hi - lo))
        fail("%s: %s", s->spec, zero ? dlpd_last_error(s->dev) : "out of memory");
    free(zero);
    for (int i = 0; i < n; i++) {
        char path[1100];
        size_t len;
        uint8_t *buf;
        if (it[i].check)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, it[i].file);
        if (!(buf = slurp(path, &len)))
            fail("cannot read %s%s", path, "");
        if (dlpd_write(s->dev, it[i].addr, buf, len))
            fail("%s: %s", s->spec, dlpd_last_error(s->dev));
        free(buf);
    }
    if (dlpd_prog_load_file(s->dev, prog, &p))
        fail("%s: %s", s->spec, dlpd_last_error(s->dev));
    e = dlpd_run(s->dev, &p, timeout_ms, &s->res);
    if (e == DLPD_E_RUN)
        fail("%s: %s", s->spec, s->res.message);
    if (e)
        fail("%s: %s", s->spec, dlpd_last_error(s->dev));
    s->region = malloc(hi - lo);
    if (!s->region || dlpd_read(s->dev, lo, s->region, hi - lo))
        fail("%s: %s", s->spec, s->region ? dlpd_last_error(s->dev) : "out of memory");
}

int main(int argc, char **argv)
{
    const char *dev_spec = NULL, *cmp_spec = "cmodel", *dir = NULL, *prog = NULL;
    double timeout_s = 0;
    item_t it[MAX_ITEMS];
    int n = 0;
    char line[1024], path[1100], cmodel_spec[512];
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-d") && i + 1 < argc)
            dev_spec = argv[++i];
        else if (!strcmp(argv[i], "--compare") && i + 1 < argc)
            cmp_spec = argv[++i];
        else if (!strcmp(argv[i], "--label") && i + 1 < argc)
            label = argv[++i];
        else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
            timeout_s = atof(argv[++i]);
        else if (!dir)
            dir = argv[i];
        else if (!prog)
            prog = argv[i];
        else
            dir = NULL, i = argc;
    }
    if (!dev_spec || !dir || !prog) {
        fprintf(stderr, "usage: fwrun -d SPEC [--compare SPEC] [--label NAME] [--timeout SEC] "
                        "DIR PROG.dlpb\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/manifest.txt", dir);
    FILE *mf = fopen(path, "r");
    if (!mf)
        fail("no manifest %s%s", path, "");
    while (fgets(line, sizeof line, mf) && n < MAX_ITEMS) {
        char kind[16], a[512], b[64], c[512];
        int k = sscanf(line, "%15s %511s %63s %511s", kind, a, b, c);
        if (k == 3 && !strcmp(kind, "load")) {
            size_t len = 0;
            uint8_t *buf;
            snprintf(path, sizeof path, "%s/%s", dir, a);
            if (!(buf = slurp(path, &len)))
                fail("cannot read %s%s", path, "");
            free(buf);
            it[n] = (item_t){0, "", strtoull(b, NULL, 0), len};
            snprintf(it[n].file, sizeof it[n].file, "%s", a);
        } else if (k == 4 && !strcmp(kind, "check")) {
            it[n] = (item_t){1, "", strtoull(a, NULL, 0), strtoull(b, NULL, 0)};
            snprintf(it[n].file, sizeof it[n].file, "%s", c);
        } else {
            continue;
        }
        if (it[n].addr < lo)
            lo = it[n].addr;
        if (it[n].addr + it[n].len > hi)
            hi = it[n].addr + it[n].len;
        n++;
    }
    fclose(mf);
    if (!n || hi <= lo)
        fail("manifest %s/manifest.txt lists nothing to load or check%s", dir, "");
    lo &= ~(uint64_t)63;
    hi = (hi + 63) & ~(uint64_t)63;

    side_t d, m;
    memset(&d, 0, sizeof d);
    memset(&m, 0, sizeof m);
    d.spec = dev_spec;
    m.spec = cmp_spec;
    uint32_t tmo = (uint32_t)(timeout_s * 1000);
    run_side(&d, dir, prog, it, n, lo, hi, tmo);
    if (!strcmp(cmp_spec, "cmodel")) {
        const dlpd_info_t *i = &d.info;
        uint64_t mib = ((i->mem_base + i->mem_bytes) >> 20) + 1;
        snprintf(cmodel_spec, sizeof cmodel_spec,
                 "cmodel:rows=%u,cols=%u,vlanes=%u,nram_bytes=%u,wram_bytes=%u,acc_bytes=%u,"
                 "imem_insns=%u,beat_bytes=%u,dram_mib=%" PRIu64,
                 i->rows, i->cols, i->vlanes, i->nram_bytes, i->wram_bytes, i->acc_bytes,
                 i->imem_insns, i->beat_bytes, mib < 16 ? 16 : mib);
        m.spec = cmodel_spec;
    }
    run_side(&m, dir, prog, it, n, lo, hi, tmo);

    for (int i = 0; i < n; i++) {
        size_t len;
        uint8_t *ref;
        if (!it[i].check)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, it[i].file);
        if (!(ref = slurp(path, &len)) || len != it[i].len)
            fail("reference %s missing or not %s bytes long", path, "LEN");
        if (memcmp(d.region + (it[i].addr - lo), ref, len)) {
            snprintf(line, sizeof line, "0x%" PRIx64, it[i].addr);
            fail("%s: the output at %s differs from the generator's reference", dev_spec, line);
        }
        free(ref);
    }
    for (uint64_t k = 0; k < hi - lo; k++)
        if (d.region[k] != m.region[k]) {
            snprintf(line, sizeof line, "0x%" PRIx64 ": %02x vs %02x", lo + k, d.region[k],
                     m.region[k]);
            fail("DRAM differs from %s at %s", m.spec, line);
        }
    const dlpd_counters_t *a = &d.res.counters, *b = &m.res.counters;
    if (a->insns != b->insns || a->macs != b->macs || a->dram_rd_bytes != b->dram_rd_bytes ||
        a->dram_wr_bytes != b->dram_wr_bytes) {
        snprintf(line, sizeof line,
                 "insns %" PRIu64 "/%" PRIu64 " macs %" PRIu64 "/%" PRIu64 " rd %" PRIu64
                 "/%" PRIu64 " wr %" PRIu64 "/%" PRIu64,
                 a->insns, b->insns, a->macs, b->macs, a->dram_rd_bytes, b->dram_rd_bytes,
                 a->dram_wr_bytes, b->dram_wr_bytes);
        fail("counters differ (device/reference): %s%s", line, "");
    }
    printf("PASS: %s %" PRIu64 " bytes identical; cycles %" PRIu64 " (reference %" PRIu64
           "), insns %" PRIu64 ", macs %" PRIu64 "\n",
           label, hi - lo, a->cycles, b->cycles, a->insns, a->macs);
    dlpd_close(d.dev);
    dlpd_close(m.dev);
    free(d.region);
    free(m.region);
    return 0;
}
