/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdlp: the register-level driver that serves every back end.
 *
 * Everything here goes through the six back-end operations (dlpd_backend_ops_t): the driver
 * never looks inside a back end, so a run on the C model and a run on a board differ only in
 * how register values and DRAM bytes travel. The sequence of register accesses follows
 * docs/csr.md and is the same one verif/sim's bench uses against the RTL.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dlp_isa_gen.h"
#include "dlp_prog.h"
#include "internal.h"

/* ---- the device --------------------------------------------------------------------------------- */

struct dlpd_dev {
    char name[16];
    const dlpd_backend_ops_t *ops;
    void *ctx;
    dlpd_info_t info;
    dlpd_heap_t heap;
    uint64_t win_base, win_limit; /* limit may be 1 << 32 */
    uint64_t cycle_limit;
    int wait_mode;
    int started;                  /* a run was started and not yet collected */
    dlpd_progress_fn progress;
    void *progress_ctx;
    uint32_t progress_ms;
    char err[512];
};

static const char *const err_names[DLPD_E_COUNT] = {
    "DLPD_OK",          "DLPD_E_ARG",     "DLPD_E_NOMEM",   "DLPD_E_BACKEND",
    "DLPD_E_UNAVAILABLE", "DLPD_E_IO",    "DLPD_E_DEVICE",  "DLPD_E_RANGE",
    "DLPD_E_NOSPACE",   "DLPD_E_BUSY",    "DLPD_E_TIMEOUT", "DLPD_E_RUN",
    "DLPD_E_PROGRAM",   "DLPD_E_PACKAGE", "DLPD_E_CAPS",    "DLPD_E_FILE",
    "DLPD_E_RACE",
};

static const char *const err_text[DLPD_E_COUNT] = {
    "success",
    "invalid argument",
    "out of host memory",
    "no such back end, or bad back-end options",
    "the back end is not available",
    "a register or DRAM access failed",
    "the device is not an OpenDLP core this driver supports",
    "address range outside device memory or outside any buffer",
    "not enough free device memory",
    "the core is still running a program",
    "the run did not end in time",
    "the run stopped with an error",
    "bad program",
    "inconsistent network package",
    "the network package was compiled for a different core",
    "file cannot be read",
    "the program has a race: a dependency token is missing",
};

const char *dlpd_err_name(dlpd_err_t e)
{
    return (unsigned)e < DLPD_E_COUNT ? err_names[e] : "DLPD_E_?";
}

const char *dlpd_strerror(dlpd_err_t e)
{
    return (unsigned)e < DLPD_E_COUNT ? err_text[e] : "unknown error code";
}

const char *dlpd_last_error(const dlpd_dev_t *dev)
{
    return dev ? dev->err : "";
}

void dlpd_fmt(char *msg, size_t msglen, const char *fmt, ...)
{
    va_list ap;
    if (!msg || !msglen)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
}

dlpd_err_t dlpd__fail(dlpd_dev_t *dev, dlpd_err_t e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dev->err, sizeof dev->err, fmt, ap);
    va_end(ap);
    return e;
}
#define fail dlpd__fail

/* ---- option strings ------------------------------------------------------------------------------- */

int dlpd_parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || *end)
        return -1;
    *v = x;
    return 0;
}

int dlpd_parse_opts(const char *opts, dlpd_opt_fn fn, void *ctx, char *msg, size_t msglen)
{
    char buf[512];
    if (!opts || !*opts)
        return 0;
    if (strlen(opts) >= sizeof buf) {
        dlpd_fmt(msg, msglen, "options too long: '%.40s...'", opts);
        return -1;
    }
    strcpy(buf, opts);
    for (char *p = buf; p;) {
        char *next = strchr(p, ',');
        if (next)
            *next++ = 0;
        char *eq = strchr(p, '=');
        const char *val = "";
        if (eq) {
            *eq = 0;
            val = eq + 1;
        }
        if (!*p) {
            dlpd_fmt(msg, msglen, "empty option name in '%s'", opts);
            return -1;
        }
        int rc = fn(ctx, p, val, msg, msglen);
        if (rc)
            return rc;
        p = next;
    }
    return 0;
}

/* ---- back-end calls, each failure turned into DLPD_E_IO with what was being done ------------------ */

#define REG(n) DLP_CSR_##n, #n

static dlpd_err_t rd(dlpd_dev_t *dev, uint32_t off, const char *name, uint32_t *v)
{
    char m[256] = "";
    if (dev->ops->csr_read(dev->ctx, off, v, m, sizeof m))
        return fail(dev, DLPD_E_IO, "%s: reading %s (0x%03x) failed: %s", dev->name, name, off,
                    m);
    return DLPD_OK;
}

static dlpd_err_t wr(dlpd_dev_t *dev, uint32_t off, const char *name, uint32_t v)
{
    char m[256] = "";
    if (dev->ops->csr_write(dev->ctx, off, v, m, sizeof m))
        return fail(dev, DLPD_E_IO, "%s: writing 0x%08x to %s (0x%03x) failed: %s", dev->name, v,
                    name, off, m);
    return DLPD_OK;
}

static dlpd_err_t rd64(dlpd_dev_t *dev, uint32_t lo, const char *name, uint64_t *v)
{
    uint32_t l = 0, h = 0;
    dlpd_err_t e = rd(dev, lo, name, &l);
    if (!e)
        e = rd(dev, lo + 4, name, &h);
    *v = (uint64_t)h << 32 | l;
    return e;
}

/* ---- opening -------------------------------------------------------------------------------------- */

const char *dlpd_backend_names(void)
{
    return "cmodel, rtl, systemc, uart";
}

static const struct {
    const char *name;
    dlpd_err_t (*open)(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen);
} backends[] = {
    {"cmodel", dlpd_backend_cmodel},
    {"rtl", dlpd_backend_rtl},
    {"systemc", dlpd_backend_systemc},
    {"uart", dlpd_backend_uart},
};

dlpd_err_t dlpd_open(const char *spec, dlpd_dev_t **dev, char *msg, size_t msglen)
{
    char name[32];
    const char *colon;
    size_t n;
    dlpd_backend_t be;
    if (!dev) {
        dlpd_fmt(msg, msglen, "dlpd_open: no place for the device handle");
        return DLPD_E_ARG;
    }
    *dev = NULL;
    if (!spec || !*spec) {
        dlpd_fmt(msg, msglen, "no back end named (one of: %s)", dlpd_backend_names());
        return DLPD_E_ARG;
    }
    colon = strchr(spec, ':');
    n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, spec, n);
    name[n] = 0;
    for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
        if (strcmp(name, backends[i].name))
            continue;
        char m[512] = "";
        memset(&be, 0, sizeof be);
        dlpd_err_t e = backends[i].open(colon ? colon + 1 : "", &be, m, sizeof m);
        if (e) {
            dlpd_fmt(msg, msglen, "%s: %s", name, m);
            return e;
        }
        return dlpd_open_backend(&be, dev, msg, msglen);
    }
    dlpd_fmt(msg, msglen, "unknown back end '%s' (known: %s)", name, dlpd_backend_names());
    return DLPD_E_BACKEND;
}

static uint32_t field(uint32_t v, uint32_t mask, unsigned shift)
{
    return (v & mask) >> shift;
}

dlpd_err_t dlpd_open_backend(const dlpd_backend_t *be, dlpd_dev_t **out, char *msg,
                             size_t msglen)
{
    dlpd_dev_t *dev;
    dlpd_err_t e;
    uint32_t ver = 0;
    dlpd_info_t *in;
    if (!out || !be || !be->ops || !be->ops->csr_read || !be->ops->csr_write ||
        !be->ops->dram_read || !be->ops->dram_write || !be->ops->wait || !be->ops->close) {
        dlpd_fmt(msg, msglen, "dlpd_open_backend: incomplete back end");
        if (be && be->ops && be->ops->close)
            be->ops->close(be->ctx);
        return DLPD_E_ARG;
    }
    *out = NULL;
    dev = calloc(1, sizeof *dev);
    if (!dev) {
        be->ops->close(be->ctx);
        dlpd_fmt(msg, msglen, "out of memory");
        return DLPD_E_NOMEM;
    }
    snprintf(dev->name, sizeof dev->name, "%s", be->name ? be->name : "device");
    dev->ops = be->ops;
    dev->ctx = be->ctx;
    in = &dev->info;
    snprintf(in->backend, sizeof in->backend, "%s", dev->name);

    /* identity: a CPU driver's first reads */
    if ((e = rd(dev, REG(ID), &in->id)) || (e = rd(dev, REG(VERSION), &ver)) ||
        (e = rd(dev, REG(CAP0), &in->cap[0])) || (e = rd(dev, REG(CAP1), &in->cap[1])) ||
        (e = rd(dev, REG(CAP2), &in->cap[2])) || (e = rd(dev, REG(CAP3), &in->cap[3])))
        goto fail;
    if (in->id != DLP_CSR_ID_VALUE) {
        e = fail(dev, DLPD_E_DEVICE,
                 "%s: ID reads 0x%08x, not an OpenDLP core (expected 0x%08x, \"ODLP\")",
                 dev->name, in->id, DLP_CSR_ID_VALUE);
        goto fail;
    }
    in->isa_version = field(ver, DLP_CSR_VERSION_ISA_MASK, DLP_CSR_VERSION_ISA_SHIFT);
    in->hw_revision = field(ver, DLP_CSR_VERSION_HW_MASK, DLP_CSR_VERSION_HW_SHIFT);
    if (in->isa_version != DLP_ISA_VERSION) {
        e = fail(dev, DLPD_E_DEVICE,
                 "%s: the core implements ISA version %u; this driver and its programs are "
                 "for version %u",
                 dev->name, in->isa_version, DLP_ISA_VERSION);
        goto fail;
    }
    in->rows = field(in->cap[0], DLP_CSR_CAP0_ROWS_MASK, DLP_CSR_CAP0_ROWS_SHIFT);
    in->cols = field(in->cap[0], DLP_CSR_CAP0_COLS_MASK, DLP_CSR_CAP0_COLS_SHIFT);
    in->vlanes = field(in->cap[0], DLP_CSR_CAP0_VLANES_MASK, DLP_CSR_CAP0_VLANES_SHIFT);
    in->beat_bytes = field(in->cap[0], DLP_CSR_CAP0_BEAT_MASK, DLP_CSR_CAP0_BEAT_SHIFT);
    in->nram_bytes = 1024 * field(in->cap[1], DLP_CSR_CAP1_NRAM_KIB_MASK,
                                  DLP_CSR_CAP1_NRAM_KIB_SHIFT);
    in->wram_bytes = 1024 * field(in->cap[1], DLP_CSR_CAP1_WRAM_KIB_MASK,
                                  DLP_CSR_CAP1_WRAM_KIB_SHIFT);
    in->acc_bytes = 1024 * field(in->cap[2], DLP_CSR_CAP2_ACC_KIB_MASK,
                                 DLP_CSR_CAP2_ACC_KIB_SHIFT);
    in->imem_insns = field(in->cap[2], DLP_CSR_CAP2_IMEM_MASK, DLP_CSR_CAP2_IMEM_SHIFT);
    in->queue_depth = field(in->cap[3], DLP_CSR_CAP3_QDEPTH_MASK, DLP_CSR_CAP3_QDEPTH_SHIFT);
    in->loop_depth = field(in->cap[3], DLP_CSR_CAP3_LOOPS_MASK, DLP_CSR_CAP3_LOOPS_SHIFT);
    in->token_max = field(in->cap[3], DLP_CSR_CAP3_TOKMAX_MASK, DLP_CSR_CAP3_TOKMAX_SHIFT);
    in->burst_beats = field(in->cap[3], DLP_CSR_CAP3_BURST_MASK, DLP_CSR_CAP3_BURST_SHIFT);
    if (!in->burst_beats)
        in->burst_beats = 256;
    if (!in->rows || !in->cols || !in->vlanes || !in->beat_bytes || !in->imem_insns) {
        e = fail(dev, DLPD_E_DEVICE,
                 "%s: capability registers describe no usable core (CAP0 0x%08x CAP2 0x%08x)",
                 dev->name, in->cap[0], in->cap[2]);
        goto fail;
    }

    /* device memory: what the back end offers, inside the core's 32-bit address space */
    in->mem_base = be->mem_base;
    in->mem_bytes = be->mem_bytes;
    if (in->mem_base >= (1ull << 32)) {
        e = fail(dev, DLPD_E_DEVICE, "%s: device memory at 0x%" PRIx64
                 " is outside the core's 32-bit address space", dev->name, in->mem_base);
        goto fail;
    }
    if (in->mem_bytes > (1ull << 32) - in->mem_base)
        in->mem_bytes = (1ull << 32) - in->mem_base;
    dlpd_heap_init(&dev->heap, in->mem_base, in->mem_bytes);
    dev->win_base = in->mem_base;
    dev->win_limit = in->mem_base + in->mem_bytes;
    dev->wait_mode = DLPD_WAIT_IRQ;
    dev->progress_ms = 1000;
    *out = dev;
    return DLPD_OK;

fail:
    dlpd_fmt(msg, msglen, "%s", dev->err);
    dev->ops->close(dev->ctx);
    free(dev);
    return e;
}

void dlpd_close(dlpd_dev_t *dev)
{
    if (!dev)
        return;
    dev->ops->close(dev->ctx);
    dlpd_heap_fini(&dev->heap);
    free(dev);
}

void dlpd_get_info(const dlpd_dev_t *dev, dlpd_info_t *info)
{
    *info = dev->info;
}

/* ---- registers ------------------------------------------------------------------------------------ */

static dlpd_err_t check_off(dlpd_dev_t *dev, uint32_t off)
{
    if (off % 4 || off >= 0x1000)
        return fail(dev, DLPD_E_ARG,
                    "CSR offset 0x%x: registers are 32-bit words at 4-byte aligned offsets "
                    "below 0x1000",
                    off);
    return DLPD_OK;
}

dlpd_err_t dlpd_csr_read(dlpd_dev_t *dev, uint32_t off, uint32_t *val)
{
    if (!val)
        return fail(dev, DLPD_E_ARG, "dlpd_csr_read: val is NULL");
    dlpd_err_t e = check_off(dev, off);
    return e ? e : rd(dev, off, "register", val);
}

dlpd_err_t dlpd_csr_write(dlpd_dev_t *dev, uint32_t off, uint32_t val)
{
    dlpd_err_t e = check_off(dev, off);
    return e ? e : wr(dev, off, "register", val);
}

dlpd_err_t dlpd_csr_read64(dlpd_dev_t *dev, uint32_t lo_off, uint64_t *val)
{
    if (!val)
        return fail(dev, DLPD_E_ARG, "dlpd_csr_read64: val is NULL");
    dlpd_err_t e = check_off(dev, lo_off);
    if (!e)
        e = check_off(dev, lo_off + 4);
    return e ? e : rd64(dev, lo_off, "counter", val);
}

/* ---- device memory -------------------------------------------------------------------------------- */

dlpd_err_t dlpd_alloc(dlpd_dev_t *dev, uint64_t bytes, uint64_t align, uint64_t *addr)
{
    if (!addr)
        return fail(dev, DLPD_E_ARG, "dlpd_alloc: addr is NULL");
    if (!bytes)
        return fail(dev, DLPD_E_ARG, "dlpd_alloc: size 0");
    if (!align)
        align = DLPD_ALIGN_DEFAULT;
    if (align & (align - 1))
        return fail(dev, DLPD_E_ARG, "dlpd_alloc: alignment %" PRIu64 " is not a power of two",
                    align);
    int rc = dlpd_heap_alloc(&dev->heap, bytes, align, addr);
    if (rc == -2)
        return fail(dev, DLPD_E_NOMEM, "dlpd_alloc: out of host memory");
    if (rc) {
        dlpd_mem_stats_t st;
        dlpd_heap_stats(&dev->heap, &st);
        return fail(dev, DLPD_E_NOSPACE,
                    "%s: cannot allocate %" PRIu64 " bytes (alignment %" PRIu64
                    ") of device memory: %" PRIu64 " of %" PRIu64
                    " bytes free, largest free range %" PRIu64 " bytes",
                    dev->name, bytes, align, st.free, st.total, st.largest_free);
    }
    return DLPD_OK;
}

dlpd_err_t dlpd_alloc_at(dlpd_dev_t *dev, uint64_t addr, uint64_t bytes)
{
    if (!bytes)
        return fail(dev, DLPD_E_ARG, "dlpd_alloc_at: size 0");
    int rc = dlpd_heap_reserve(&dev->heap, addr, bytes);
    if (rc == -3)
        return fail(dev, DLPD_E_RANGE,
                    "%s: 0x%" PRIx64 " + %" PRIu64 " bytes is outside device memory 0x%" PRIx64
                    "..0x%" PRIx64,
                    dev->name, addr, bytes, dev->info.mem_base,
                    dev->info.mem_base + dev->info.mem_bytes - 1);
    if (rc == -2)
        return fail(dev, DLPD_E_NOMEM, "dlpd_alloc_at: out of host memory");
    if (rc)
        return fail(dev, DLPD_E_NOSPACE,
                    "%s: 0x%" PRIx64 "..0x%" PRIx64 " overlaps a buffer already allocated",
                    dev->name, addr, addr + bytes - 1);
    return DLPD_OK;
}

dlpd_err_t dlpd_free(dlpd_dev_t *dev, uint64_t addr)
{
    if (dlpd_heap_free(&dev->heap, addr))
        return fail(dev, DLPD_E_ARG, "dlpd_free: 0x%" PRIx64 " is not the start of a buffer",
                    addr);
    return DLPD_OK;
}

void dlpd_mem_stats(const dlpd_dev_t *dev, dlpd_mem_stats_t *st)
{
    dlpd_heap_stats(&dev->heap, st);
}

static dlpd_err_t check_buffer(dlpd_dev_t *dev, const char *what, uint64_t addr, size_t len)
{
    if (addr > UINT64_MAX - len || !dlpd_heap_find(&dev->heap, addr, len))
        return fail(dev, DLPD_E_RANGE,
                    "%s: 0x%" PRIx64 " + %zu bytes is not inside one allocated buffer "
                    "(allocate with dlpd_alloc, or reserve fixed addresses with dlpd_alloc_at)",
                    what, addr, len);
    return DLPD_OK;
}

/* Raw DRAM access below the buffer check (the package loader uses it after reserving). */
static dlpd_err_t dram_write(dlpd_dev_t *dev, uint64_t addr, const void *src, size_t len)
{
    char m[256] = "";
    if (dev->ops->dram_write(dev->ctx, addr, src, len, m, sizeof m))
        return fail(dev, DLPD_E_IO, "%s: writing %zu bytes of DRAM at 0x%" PRIx64 " failed: %s",
                    dev->name, len, addr, m);
    return DLPD_OK;
}

static dlpd_err_t dram_read(dlpd_dev_t *dev, uint64_t addr, void *dst, size_t len)
{
    char m[256] = "";
    if (dev->ops->dram_read(dev->ctx, addr, dst, len, m, sizeof m))
        return fail(dev, DLPD_E_IO, "%s: reading %zu bytes of DRAM at 0x%" PRIx64 " failed: %s",
                    dev->name, len, addr, m);
    return DLPD_OK;
}

dlpd_err_t dlpd_write(dlpd_dev_t *dev, uint64_t addr, const void *src, size_t len)
{
    if (!len)
        return DLPD_OK;
    if (!src)
        return fail(dev, DLPD_E_ARG, "dlpd_write: src is NULL");
    dlpd_err_t e = check_buffer(dev, "dlpd_write", addr, len);
    return e ? e : dram_write(dev, addr, src, len);
}

dlpd_err_t dlpd_read(dlpd_dev_t *dev, uint64_t addr, void *dst, size_t len)
{
    if (!len)
        return DLPD_OK;
    if (!dst)
        return fail(dev, DLPD_E_ARG, "dlpd_read: dst is NULL");
    dlpd_err_t e = check_buffer(dev, "dlpd_read", addr, len);
    return e ? e : dram_read(dev, addr, dst, len);
}

/* ---- programs ------------------------------------------------------------------------------------- */

dlpd_err_t dlpd_prog_load(dlpd_dev_t *dev, const uint32_t *words, uint32_t n_insns,
                          dlpd_prog_t *prog)
{
    uint8_t *bytes;
    uint64_t addr;
    size_t len = (size_t)n_insns * DLP_INSN_BYTES;
    dlpd_err_t e;
    if (!prog || (!words && n_insns))
        return fail(dev, DLPD_E_ARG, "dlpd_prog_load: NULL argument");
    memset(prog, 0, sizeof *prog);
    if (!n_insns)
        return fail(dev, DLPD_E_PROGRAM, "program has no instructions");
    if (n_insns > dev->info.imem_insns)
        return fail(dev, DLPD_E_PROGRAM,
                    "program of %u instructions does not fit the instruction memory of %u "
                    "(CAP2.imem)",
                    n_insns, dev->info.imem_insns);
    bytes = malloc(len);
    if (!bytes)
        return fail(dev, DLPD_E_NOMEM, "out of host memory");
    for (size_t i = 0; i < (size_t)n_insns * DLP_INSN_WORDS; i++)
        dlp_wr32(bytes + 4 * i, words[i]);
    e = dlpd_alloc(dev, len, DLPD_ALIGN_DEFAULT, &addr);
    if (!e) {
        e = dram_write(dev, addr, bytes, len);
        if (e)
            dlpd_heap_free(&dev->heap, addr);
    }
    free(bytes);
    if (e)
        return e;
    prog->addr = addr;
    prog->n_insns = n_insns;
    return DLPD_OK;
}

dlpd_err_t dlpd_prog_load_file(dlpd_dev_t *dev, const char *path, dlpd_prog_t *prog)
{
    dlp_prog_t p;
    char m[256];
    FILE *f;
    if (!path || !prog)
        return fail(dev, DLPD_E_ARG, "dlpd_prog_load_file: NULL argument");
    memset(prog, 0, sizeof *prog);
    f = fopen(path, "rb");
    if (!f)
        return fail(dev, DLPD_E_FILE, "%s: %s", path, strerror(errno));
    fclose(f);
    if (dlp_prog_read_file(path, &p, m, sizeof m))
        return fail(dev, DLPD_E_PROGRAM, "%s", m);
    dlpd_err_t e = dlpd_prog_load(dev, p.words, p.n_insns, prog);
    dlp_prog_free(&p);
    return e;
}

dlpd_err_t dlpd_prog_unload(dlpd_dev_t *dev, dlpd_prog_t *prog)
{
    if (!prog)
        return fail(dev, DLPD_E_ARG, "dlpd_prog_unload: prog is NULL");
    dlpd_err_t e = dlpd_free(dev, prog->addr);
    if (!e)
        memset(prog, 0, sizeof *prog);
    return e;
}

/* ---- running -------------------------------------------------------------------------------------- */

dlpd_err_t dlpd_set_window(dlpd_dev_t *dev, uint64_t base, uint64_t limit)
{
    if (base > limit || limit > (1ull << 32))
        return fail(dev, DLPD_E_ARG,
                    "window 0x%" PRIx64 "..0x%" PRIx64 ": need base <= limit <= 2^32", base,
                    limit);
    dev->win_base = base;
    dev->win_limit = limit;
    return DLPD_OK;
}

dlpd_err_t dlpd_set_cycle_limit(dlpd_dev_t *dev, uint64_t cycles)
{
    dev->cycle_limit = cycles;
    return DLPD_OK;
}

dlpd_err_t dlpd_set_wait_mode(dlpd_dev_t *dev, int mode)
{
    if (mode != DLPD_WAIT_IRQ && mode != DLPD_WAIT_POLL)
        return fail(dev, DLPD_E_ARG, "wait mode %d: DLPD_WAIT_IRQ or DLPD_WAIT_POLL", mode);
    dev->wait_mode = mode;
    return DLPD_OK;
}

void dlpd_set_progress(dlpd_dev_t *dev, dlpd_progress_fn fn, void *ctx, uint32_t interval_ms)
{
    dev->progress = fn;
    dev->progress_ctx = ctx;
    dev->progress_ms = interval_ms ? interval_ms : 1000;
}

static dlpd_err_t start_with(dlpd_dev_t *dev, uint64_t addr, uint32_t n, uint64_t wbase,
                             uint64_t wlimit)
{
    uint32_t st = 0;
    const uint32_t irq_all = DLP_CSR_IRQ_STATUS_DONE_MASK | DLP_CSR_IRQ_STATUS_ERROR_MASK;
    dlpd_err_t e;
    if (addr >= (1ull << 32))
        return fail(dev, DLPD_E_ARG, "program address 0x%" PRIx64 " is beyond 32 bits", addr);
    if ((e = rd(dev, REG(STATUS), &st)))
        return e;
    if (st & DLP_CSR_STATUS_BUSY_MASK)
        return fail(dev, DLPD_E_BUSY,
                    "%s: the core is still running a program (STATUS 0x%x); wait for it first",
                    dev->name, st);
    if ((e = wr(dev, REG(PROG_ADDR), (uint32_t)addr)) || (e = wr(dev, REG(PROG_LEN), n)) ||
        (e = wr(dev, REG(WIN_BASE), (uint32_t)wbase)) ||
        (e = wr(dev, REG(WIN_LIMIT), (uint32_t)wlimit)) || /* 2^32 is written as 0 */
        (e = wr(dev, REG(CYCLE_LIMIT_LO), (uint32_t)dev->cycle_limit)) ||
        (e = wr(dev, REG(CYCLE_LIMIT_HI), (uint32_t)(dev->cycle_limit >> 32))) ||
        (e = wr(dev, REG(IRQ_STATUS), irq_all)) ||
        (e = wr(dev, REG(IRQ_EN), dev->wait_mode == DLPD_WAIT_IRQ ? irq_all : 0)) ||
        (e = wr(dev, REG(CTRL), DLP_CSR_CTRL_START_MASK)))
        return e;
    dev->started = 1;
    return DLPD_OK;
}

dlpd_err_t dlpd_start(dlpd_dev_t *dev, const dlpd_prog_t *prog)
{
    if (!prog)
        return fail(dev, DLPD_E_ARG, "dlpd_start: prog is NULL");
    return start_with(dev, prog->addr, prog->n_insns, dev->win_base, dev->win_limit);
}

dlpd_err_t dlpd_read_counters(dlpd_dev_t *dev, dlpd_counters_t *c)
{
    dlpd_err_t e;
    if (!c)
        return fail(dev, DLPD_E_ARG, "dlpd_read_counters: c is NULL");
    if ((e = rd64(dev, REG(CYCLES_LO), &c->cycles)) ||
        (e = rd64(dev, REG(BUSY_DMA_LO), &c->busy_dma)) ||
        (e = rd64(dev, REG(BUSY_MFU_LO), &c->busy_mfu)) ||
        (e = rd64(dev, REG(BUSY_VFU_LO), &c->busy_vfu)) ||
        (e = rd64(dev, REG(DRAM_RD_LO), &c->dram_rd_bytes)) ||
        (e = rd64(dev, REG(DRAM_WR_LO), &c->dram_wr_bytes)) ||
        (e = rd64(dev, REG(MACS_LO), &c->macs)) || (e = rd64(dev, REG(INSNS_LO), &c->insns)))
        return e;
    return DLPD_OK;
}

static const char *const queue_name[4] = {"LD", "CP", "ST", "?"};

char *dlpd_format_cause(int cause, uint32_t pc, uint32_t info, char *buf, size_t len)
{
    /* ERR_INFO as sw/isa/dlp.csr's `info` line of the cause says (dlp_csr_gen.h) */
    char value[32], detail[128];
    const char *label = dlp_cause_info_label(cause), *at = strstr(label, "{}");
    switch (dlp_cause_info_fmt(cause)) {
    case DLP_INFO_WORD:
        snprintf(value, sizeof value, "0x%08x", info);
        break;
    case DLP_INFO_DEC:
        snprintf(value, sizeof value, "%u", info);
        break;
    case DLP_INFO_CHANNEL:
        snprintf(value, sizeof value, "%s->%s", queue_name[(info >> 2) & 3], queue_name[info & 3]);
        break;
    default: /* DLP_INFO_HEX, DLP_INFO_NONE */
        snprintf(value, sizeof value, "0x%x", info);
        break;
    }
    if (at)
        snprintf(detail, sizeof detail, "%.*s%s%s", (int)(at - label), label, value, at + 2);
    else
        snprintf(detail, sizeof detail, "%s %s", label, value);
    if (cause == DLP_CAUSE_BAD_PROGRAM)
        snprintf(buf, len, "BAD_PROGRAM (%s): %s", detail, dlp_cause_doc(cause));
    else
        snprintf(buf, len, "%s at instruction %u (%s): %s", dlp_cause_name(cause), pc, detail,
                 dlp_cause_doc(cause));
    return buf;
}

#define STATUS_CHECK_MS 200

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Reads the outcome of a run that has ended and clears its interrupt. */
static dlpd_err_t collect(dlpd_dev_t *dev, dlpd_result_t *r)
{
    uint32_t cause = 0;
    dlpd_err_t e;
    memset(r, 0, sizeof *r);
    if ((e = rd(dev, REG(STATUS), &r->status)) || (e = rd(dev, REG(ERR_CAUSE), &cause)) ||
        (e = rd(dev, REG(ERR_PC), &r->err_pc)) || (e = rd(dev, REG(ERR_INFO), &r->err_info)) ||
        (e = rd(dev, REG(IRQ_STATUS), &r->irq_status)) ||
        (e = dlpd_read_counters(dev, &r->counters)) ||
        (e = wr(dev, REG(IRQ_STATUS), DLP_CSR_IRQ_STATUS_DONE_MASK |
                                          DLP_CSR_IRQ_STATUS_ERROR_MASK)))
        return e;
    dev->started = 0;
    r->cause = (int)cause;
    int done = !!(r->status & DLP_CSR_STATUS_DONE_MASK);
    int error = !!(r->status & DLP_CSR_STATUS_ERROR_MASK);
    if (done == error) {
        snprintf(r->message, sizeof r->message,
                 "STATUS reads 0x%x after the run: expected exactly one of done and error",
                 r->status);
        return fail(dev, DLPD_E_DEVICE, "%s: %s", dev->name, r->message);
    }
    if (done) {
        r->halted = 1;
        if (dlpd__cmodel_races(dev->ops, dev->ctx, r->message, sizeof r->message))
            return fail(dev, DLPD_E_RACE, "%s: the run halted, but %s", dev->name, r->message);
        return DLPD_OK;
    }
    dlpd_format_cause(r->cause, r->err_pc, r->err_info, r->message, sizeof r->message);
    if (dev->ops->note) {
        char note[256] = "";
        dev->ops->note(dev->ctx, note, sizeof note);
        size_t n = strlen(r->message);
        if (note[0] && n + 4 < sizeof r->message)
            snprintf(r->message + n, sizeof r->message - n, " [%s: %s]", dev->name, note);
    }
    return fail(dev, DLPD_E_RUN, "run stopped with %s", r->message);
}

dlpd_err_t dlpd_wait(dlpd_dev_t *dev, uint32_t timeout_ms, dlpd_result_t *res)
{
    dlpd_result_t local;
    uint64_t t0 = now_ms(), next_progress, last_status_check;
    dlpd_err_t e;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if (!dev->started) {
        /* a run started through the registers directly is waited for too */
        uint32_t st = 0;
        if ((e = rd(dev, REG(STATUS), &st)))
            return e;
        if (!(st & DLP_CSR_STATUS_BUSY_MASK))
            return fail(dev, DLPD_E_ARG, "dlpd_wait: no run in progress");
        dev->started = 1;
    }
    next_progress = t0 + dev->progress_ms;
    last_status_check = t0;
    for (;;) {
        uint64_t now = now_ms(), elapsed = now - t0;
        uint32_t slice = 50;
        int irq = 0;
        char m[256] = "";
        if (timeout_ms && elapsed >= timeout_ms) {
            uint64_t cyc = 0;
            rd64(dev, REG(CYCLES_LO), &cyc);
            return fail(dev, DLPD_E_TIMEOUT,
                        "%s: the run did not end within %u ms (CYCLES reads %" PRIu64
                        "); the core is still busy",
                        dev->name, timeout_ms, cyc);
        }
        if (timeout_ms && timeout_ms - elapsed < slice)
            slice = (uint32_t)(timeout_ms - elapsed);
        if (dev->ops->wait(dev->ctx, slice, &irq, m, sizeof m))
            return fail(dev, DLPD_E_IO, "%s: waiting for the core failed: %s", dev->name, m);
        now = now_ms();
        if (dev->wait_mode == DLPD_WAIT_IRQ && irq)
            return collect(dev, res);
        /* Polling; in interrupt mode also every STATUS_CHECK_MS, so that a core that stopped
           without raising its interrupt is reported rather than waited for forever. */
        if (dev->wait_mode == DLPD_WAIT_POLL || now - last_status_check >= STATUS_CHECK_MS) {
            uint32_t st = 0;
            last_status_check = now;
            if ((e = rd(dev, REG(STATUS), &st)))
                return e;
            if (!(st & DLP_CSR_STATUS_BUSY_MASK)) {
                if (dev->wait_mode == DLPD_WAIT_POLL)
                    return collect(dev, res);
                return fail(dev, DLPD_E_DEVICE,
                            "%s: the run ended (STATUS 0x%x) but the interrupt line stayed low "
                            "with IRQ_EN set",
                            dev->name, st);
            }
        }
        if (dev->progress && now >= next_progress) {
            dev->progress(dev->progress_ctx, now - t0);
            next_progress = now + dev->progress_ms;
        }
    }
}

dlpd_err_t dlpd_run(dlpd_dev_t *dev, const dlpd_prog_t *prog, uint32_t timeout_ms,
                    dlpd_result_t *res)
{
    dlpd_err_t e = dlpd_start(dev, prog);
    if (e) {
        if (res)
            memset(res, 0, sizeof *res);
        return e;
    }
    return dlpd_wait(dev, timeout_ms, res);
}

/* ---- internal entry points for netrun.c ------------------------------------------------------------ */

dlpd_err_t dlpd__start_window(dlpd_dev_t *dev, uint64_t addr, uint32_t n, uint64_t wbase,
                              uint64_t wlimit)
{
    return start_with(dev, addr, n, wbase, wlimit);
}

dlpd_err_t dlpd__dram_write(dlpd_dev_t *dev, uint64_t addr, const void *src, size_t len)
{
    return dram_write(dev, addr, src, len);
}
