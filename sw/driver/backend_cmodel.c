/*
 * libdlp back end "cmodel": the C golden model (dlp.h) behind an emulation of the core's
 * register block, so that the driver reaches the model exactly as it reaches the RTL -- through
 * the CSRs of docs/csr.md and the DRAM.
 *
 * The register semantics follow rtl/dlp_csr.sv: reset values 0; PROG_ADDR, PROG_LEN, WIN_*,
 * CYCLE_LIMIT ignore writes while busy; CTRL.start is ignored while busy and latches the run
 * registers, clears STATUS.done/error, ERR_* and the counters; IRQ_EN takes bits 1:0 at any
 * time; IRQ_STATUS is write-1-to-clear and set when a run ends; reading a counter's low word
 * latches its high word into one latch that every _HI offset reads; unmapped offsets read 0.
 *
 * Time: the run started by CTRL.start executes in the driver's waits, each running the model
 * (dlp_advance) for about the wall time the wait allows -- so after start STATUS reads busy
 * until the host has waited long enough, as on a core that is slower than the host, and the
 * counters read during a run show its progress. The watchdog CYCLE_LIMIT is the model's
 * max_cycles; the model takes it at creation only, so a changed limit rebuilds the machine with
 * the same memory contents.
 *
 * What the emulation cannot reproduce: a window reaching past the model's DRAM is cut at its
 * end (accesses there report DRAM_WINDOW where the RTL's DRAM would answer SLVERR, BUS_ERROR),
 * and DRAM written by the host while a run is in progress (the driver does not) is seen by it
 * at once.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dlp.h"
#include "internal.h"

#define HW_REVISION 1 /* rtl/dlp_csr.sv's HwRevision: the model is that core */

enum { CTR_CYCLES, CTR_BDMA, CTR_BMFU, CTR_BVFU, CTR_RD, CTR_WR, CTR_MACS, CTR_INSNS, N_CTR };

typedef struct cm {
    dlp_t *m;
    dlp_config_t cfg; /* cfg.max_cycles is the watchdog the machine was built with */
    /* registers */
    uint32_t prog_addr, prog_len, win_base, win_limit, irq_en, irq_status;
    uint64_t cycle_limit;
    int busy, done, error;
    int running; /* the model has started the run (busy: CTRL.start was written) */
    uint32_t cause, err_pc, err_info;
    uint64_t ctr[N_CTR];
    uint32_t hi_latch;
    /* the run registers latched by CTRL.start */
    uint32_t run_addr, run_len, run_base, run_limit;
    uint64_t run_cycle_limit;
    char note[256]; /* the model's message about the last error */
} cm_t;

static uint32_t cap(const dlp_config_t *c, int i)
{
    switch (i) {
    case 0:
        return c->rows << DLP_CSR_CAP0_ROWS_SHIFT | c->cols << DLP_CSR_CAP0_COLS_SHIFT |
               c->vlanes << DLP_CSR_CAP0_VLANES_SHIFT | c->beat_bytes << DLP_CSR_CAP0_BEAT_SHIFT;
    case 1:
        return (c->nram_bytes / 1024) << DLP_CSR_CAP1_NRAM_KIB_SHIFT |
               (c->wram_bytes / 1024) << DLP_CSR_CAP1_WRAM_KIB_SHIFT;
    case 2:
        return (c->acc_bytes / 1024) << DLP_CSR_CAP2_ACC_KIB_SHIFT |
               c->imem_insns << DLP_CSR_CAP2_IMEM_SHIFT;
    default: /* a 256-beat burst does not fit 8 bits: it reads 0, as in the RTL */
        return c->queue_depth << DLP_CSR_CAP3_QDEPTH_SHIFT |
               c->loop_depth << DLP_CSR_CAP3_LOOPS_SHIFT |
               c->token_max << DLP_CSR_CAP3_TOKMAX_SHIFT |
               (c->burst_beats & 0xffu) << DLP_CSR_CAP3_BURST_SHIFT;
    }
}

static int counter_index(uint32_t off, int *hi)
{
    if (off < DLP_CSR_CYCLES_LO || off > DLP_CSR_INSNS_HI)
        return -1;
    *hi = (off & 4) != 0;
    return (int)((off - DLP_CSR_CYCLES_LO) / 8);
}

static int cm_csr_read(void *ctx, uint32_t off, uint32_t *val, char *msg, size_t msglen)
{
    cm_t *s = ctx;
    int hi, k;
    (void)msg;
    (void)msglen;
    off &= 0xffc;
    *val = 0;
    if ((k = counter_index(off, &hi)) >= 0) {
        if (hi) {
            *val = s->hi_latch;
        } else {
            *val = (uint32_t)s->ctr[k];
            s->hi_latch = (uint32_t)(s->ctr[k] >> 32);
        }
        return 0;
    }
    switch (off) {
    case DLP_CSR_ID: *val = DLP_CSR_ID_VALUE; break;
    case DLP_CSR_VERSION:
        *val = (uint32_t)DLP_ISA_VERSION << DLP_CSR_VERSION_ISA_SHIFT |
               (uint32_t)HW_REVISION << DLP_CSR_VERSION_HW_SHIFT;
        break;
    case DLP_CSR_CAP0: *val = cap(&s->cfg, 0); break;
    case DLP_CSR_CAP1: *val = cap(&s->cfg, 1); break;
    case DLP_CSR_CAP2: *val = cap(&s->cfg, 2); break;
    case DLP_CSR_CAP3: *val = cap(&s->cfg, 3); break;
    case DLP_CSR_STATUS:
        *val = (s->busy ? DLP_CSR_STATUS_BUSY_MASK : 0) | (s->done ? DLP_CSR_STATUS_DONE_MASK : 0) |
               (s->error ? DLP_CSR_STATUS_ERROR_MASK : 0);
        break;
    case DLP_CSR_ERR_CAUSE: *val = s->cause; break;
    case DLP_CSR_ERR_PC: *val = s->err_pc; break;
    case DLP_CSR_ERR_INFO: *val = s->err_info; break;
    case DLP_CSR_IRQ_EN: *val = s->irq_en; break;
    case DLP_CSR_IRQ_STATUS: *val = s->irq_status; break;
    case DLP_CSR_PROG_ADDR: *val = s->prog_addr; break;
    case DLP_CSR_PROG_LEN: *val = s->prog_len; break;
    case DLP_CSR_WIN_BASE: *val = s->win_base; break;
    case DLP_CSR_WIN_LIMIT: *val = s->win_limit; break;
    case DLP_CSR_CYCLE_LIMIT_LO: *val = (uint32_t)s->cycle_limit; break;
    case DLP_CSR_CYCLE_LIMIT_HI: *val = (uint32_t)(s->cycle_limit >> 32); break;
    default: break; /* CTRL (write-only) and unmapped offsets read 0 */
    }
    return 0;
}

static void start(cm_t *s)
{
    s->run_addr = s->prog_addr;
    s->run_len = s->prog_len;
    s->run_base = s->win_base;
    s->run_limit = s->win_limit;
    s->run_cycle_limit = s->cycle_limit;
    s->done = s->error = 0;
    s->cause = s->err_pc = s->err_info = 0;
    memset(s->ctr, 0, sizeof s->ctr);
    s->note[0] = 0;
    s->busy = 1;
}

static int cm_csr_write(void *ctx, uint32_t off, uint32_t v, char *msg, size_t msglen)
{
    cm_t *s = ctx;
    (void)msg;
    (void)msglen;
    off &= 0xffc;
    switch (off) {
    case DLP_CSR_CTRL:
        if ((v & DLP_CSR_CTRL_START_MASK) && !s->busy)
            start(s);
        return 0;
    case DLP_CSR_IRQ_EN:
        s->irq_en = v & (DLP_CSR_IRQ_EN_DONE_MASK | DLP_CSR_IRQ_EN_ERROR_MASK);
        return 0;
    case DLP_CSR_IRQ_STATUS:
        s->irq_status &= ~v;
        return 0;
    default:
        break;
    }
    if (s->busy)
        return 0; /* the run registers are frozen while the core runs */
    switch (off) {
    case DLP_CSR_PROG_ADDR: s->prog_addr = v; break;
    case DLP_CSR_PROG_LEN: s->prog_len = v; break;
    case DLP_CSR_WIN_BASE: s->win_base = v; break;
    case DLP_CSR_WIN_LIMIT: s->win_limit = v; break;
    case DLP_CSR_CYCLE_LIMIT_LO:
        s->cycle_limit = (s->cycle_limit & ~(uint64_t)0xffffffffu) | v;
        break;
    case DLP_CSR_CYCLE_LIMIT_HI:
        s->cycle_limit = (s->cycle_limit & 0xffffffffu) | (uint64_t)v << 32;
        break;
    default: break; /* read-only and unmapped: ignored */
    }
    return 0;
}

/* A machine with another watchdog and the same memory contents. */
static int rebuild(cm_t *s, uint64_t max_cycles, char *msg, size_t msglen)
{
    dlp_config_t c = s->cfg;
    char m[256] = "";
    c.max_cycles = max_cycles;
    dlp_t *n = dlp_create(&c, m, sizeof m);
    if (!n) {
        dlpd_fmt(msg, msglen, "cannot rebuild the model for CYCLE_LIMIT %llu: %s",
                 (unsigned long long)max_cycles, m);
        return -1;
    }
    const int mems[4] = {DLP_MEM_DRAM, DLP_MEM_NRAM, DLP_MEM_WRAM, DLP_MEM_ACC};
    for (int i = 0; i < 4; i++) {
        uint64_t a = 0, b = 0;
        uint8_t *src = dlp_mem(s->m, mems[i], &a), *dst = dlp_mem(n, mems[i], &b);
        if (src && dst && a == b)
            memcpy(dst, src, (size_t)a);
    }
    dlp_destroy(s->m);
    s->m = n;
    s->cfg = c;
    return 0;
}

/* The counters as the model has them now (a run in progress shows its progress). */
static void copy_counters(cm_t *s, const dlp_result_t *r)
{
    s->ctr[CTR_CYCLES] = r->counters.cycles;
    s->ctr[CTR_BDMA] = r->counters.busy_dma;
    s->ctr[CTR_BMFU] = r->counters.busy_mfu;
    s->ctr[CTR_BVFU] = r->counters.busy_vfu;
    s->ctr[CTR_RD] = r->counters.dram_rd_bytes;
    s->ctr[CTR_WR] = r->counters.dram_wr_bytes;
    s->ctr[CTR_MACS] = r->counters.macs;
    s->ctr[CTR_INSNS] = r->counters.insns;
}

/* The first wait after CTRL.start: the watchdog, the window, dlp_start. */
static int begin(cm_t *s, char *msg, size_t msglen)
{
    uint64_t base = s->run_base, limit = s->run_limit ? s->run_limit : 1ull << 32;
    if (s->run_cycle_limit != s->cfg.max_cycles && rebuild(s, s->run_cycle_limit, msg, msglen))
        return -1;
    if (limit > s->cfg.dram_bytes)
        limit = s->cfg.dram_bytes;
    if (base > limit)
        base = limit; /* an empty window: every access is outside, as in the RTL */
    dlp_set_window(s->m, base, limit);
    dlp_start(s->m, s->run_addr, s->run_len);
    s->running = 1;
    return 0;
}

static void finish(cm_t *s, const dlp_result_t *r)
{
    s->busy = s->running = 0;
    s->done = r->status == DLP_DONE;
    s->error = !s->done;
    s->cause = (uint32_t)r->cause;
    s->err_pc = r->err_pc;
    s->err_info = r->err_info;
    s->irq_status |= s->done ? DLP_CSR_IRQ_STATUS_DONE_MASK : DLP_CSR_IRQ_STATUS_ERROR_MASK;
    dlpd_fmt(s->note, sizeof s->note, "%s", s->done ? "" : r->message);
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Runs the model for about max_ms of wall time (at least one stretch), in stretches of
   CM_STRETCH cycles, so that the driver's timeout and progress work as on the other back ends. */
#define CM_STRETCH (1u << 16)
static int cm_wait(void *ctx, uint32_t max_ms, int *irq, char *msg, size_t msglen)
{
    cm_t *s = ctx;
    dlp_result_t r;
    if (s->busy) {
        uint64_t t0 = now_ms();
        if (!s->running && begin(s, msg, msglen))
            return -1;
        do {
            dlp_result_t now;
            dlp_get_result(s->m, &now);
            if (dlp_advance(s->m, now.counters.cycles + CM_STRETCH) != DLP_RUNNING)
                break;
        } while (now_ms() - t0 < max_ms);
        dlp_get_result(s->m, &r);
        copy_counters(s, &r);
        if (r.status != DLP_RUNNING)
            finish(s, &r);
    }
    *irq = (s->irq_status & s->irq_en) != 0;
    return 0;
}

static int cm_dram_read(void *ctx, uint64_t addr, void *dst, size_t len, char *msg,
                        size_t msglen)
{
    cm_t *s = ctx;
    if (dlp_dram_read(s->m, addr, dst, len)) {
        dlpd_fmt(msg, msglen, "outside the model's %llu bytes of DRAM",
                 (unsigned long long)s->cfg.dram_bytes);
        return -1;
    }
    return 0;
}

static int cm_dram_write(void *ctx, uint64_t addr, const void *src, size_t len, char *msg,
                         size_t msglen)
{
    cm_t *s = ctx;
    if (dlp_dram_write(s->m, addr, src, len)) {
        dlpd_fmt(msg, msglen, "outside the model's %llu bytes of DRAM",
                 (unsigned long long)s->cfg.dram_bytes);
        return -1;
    }
    return 0;
}

static void cm_note(void *ctx, char *buf, size_t len)
{
    cm_t *s = ctx;
    dlpd_fmt(buf, len, "%s", s->note);
}

static void cm_close(void *ctx)
{
    cm_t *s = ctx;
    if (!s)
        return;
    dlp_destroy(s->m);
    free(s);
}

static const dlpd_backend_ops_t cm_ops = {
    cm_csr_read, cm_csr_write, cm_dram_read, cm_dram_write, cm_wait, cm_close, cm_note,
};

/* ---- options ------------------------------------------------------------------------------------ */

static int opt_preset(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    if (strcmp(key, "config"))
        return 0;
    if (dlp_config_preset(ctx, value)) {
        dlpd_fmt(msg, msglen,
                 "unknown configuration '%s' (" DLP_PRESET_NAMES ")", value);
        return -1;
    }
    return 0;
}

static int opt_field(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    if (!strcmp(key, "config"))
        return 0;
    if (!strcmp(key, "max_cycles")) {
        dlpd_fmt(msg, msglen,
                 "max_cycles is the CYCLE_LIMIT register here: set it with "
                 "dlpd_set_cycle_limit (dlprun --cycle-limit)");
        return -1;
    }
    return dlp_config_set(ctx, key, value, msg, msglen);
}

dlpd_err_t dlpd_backend_cmodel(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen)
{
    dlp_config_t c;
    char m[256] = "";
    cm_t *s;
    dlp_config_default(&c);
    /* a preset first, wherever it stands, then the fields on top of it */
    if (dlpd_parse_opts(opts, opt_preset, &c, msg, msglen) ||
        dlpd_parse_opts(opts, opt_field, &c, msg, msglen))
        return DLPD_E_BACKEND;
    c.max_cycles = 0; /* CYCLE_LIMIT resets to 0: no watchdog */
    if (dlp_config_check_core(&c, msg, msglen))
        return DLPD_E_BACKEND;
    s = calloc(1, sizeof *s);
    if (!s) {
        dlpd_fmt(msg, msglen, "out of memory");
        return DLPD_E_NOMEM;
    }
    s->cfg = c;
    s->m = dlp_create(&c, m, sizeof m);
    if (!s->m) {
        free(s);
        dlpd_fmt(msg, msglen, "%s", m);
        return DLPD_E_BACKEND;
    }
    be->name = "cmodel";
    be->ops = &cm_ops;
    be->ctx = s;
    be->mem_base = 0;
    be->mem_bytes = c.dram_bytes;
    return DLPD_OK;
}
