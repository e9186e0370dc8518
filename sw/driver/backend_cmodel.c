/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdlp back end "cmodel": the C golden model (dlp.h) behind an emulation of the core's
 * register block, so that the driver reaches the model exactly as it reaches the RTL -- through
 * the CSRs of docs/csr.md and the DRAM.
 *
 * The registers are the model's register block (cmodel/include/dlp_regs.h), which follows
 * rtl/dlp_csr.sv.
 *
 * Time: the run started by CTRL.start executes in the driver's waits, each running the model
 * (dlp_advance) for about the wall time the wait allows -- so after start STATUS reads busy
 * until the host has waited long enough, as on a core that is slower than the host, and the
 * counters read during a run show its progress. The watchdog CYCLE_LIMIT is the model's
 * max_cycles; the model takes it at creation only, so a changed limit rebuilds the machine with
 * the same memory contents.
 *
 * The model's race check (on unless the option race_check=0 is given) runs with every run; a
 * run that halted with races is reported by dlpd_wait() as DLPD_E_RACE (dlpd__cmodel_races).
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
#include "dlp_regs.h"
#include "internal.h"

typedef struct cm {
    dlp_t *m;
    dlp_config_t cfg; /* cfg.max_cycles is the watchdog the machine was built with */
    dlp_regs_t r;
    int running; /* the model has started the run (r.busy: CTRL.start was written) */
    char note[256]; /* the model's message about the last error */
    char race[384]; /* the race check's report of the last run, "" when it found none */
} cm_t;

static int cm_csr_read(void *ctx, uint32_t off, uint32_t *val, char *msg, size_t msglen)
{
    cm_t *s = ctx;
    (void)msg;
    (void)msglen;
    *val = dlp_regs_read(&s->r, off);
    return 0;
}

static int cm_csr_write(void *ctx, uint32_t off, uint32_t v, char *msg, size_t msglen)
{
    cm_t *s = ctx;
    (void)msg;
    (void)msglen;
    if (dlp_regs_write(&s->r, off, v, 0xf))
        s->note[0] = s->race[0] = 0;
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

/* The first wait after CTRL.start: the watchdog, the window, dlp_start. */
static int begin(cm_t *s, char *msg, size_t msglen)
{
    uint64_t base = s->r.win_base, limit = dlp_regs_win_limit(&s->r);
    if (s->r.cycle_limit != s->cfg.max_cycles && rebuild(s, s->r.cycle_limit, msg, msglen))
        return -1;
    if (limit > s->cfg.dram_bytes)
        limit = s->cfg.dram_bytes;
    if (base > limit)
        base = limit; /* an empty window: every access is outside, as in the RTL */
    dlp_set_window(s->m, base, limit);
    dlp_start(s->m, s->r.prog_addr, s->r.prog_len);
    s->running = 1;
    return 0;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The race check's report of a finished run (s->race, "" when it found none). */
static void note_races(cm_t *s, const dlp_result_t *r)
{
    s->race[0] = 0;
    if (r->race.races) {
        char first[320];
        dlp_race_format(&r->race.first, first, sizeof first);
        dlpd_fmt(s->race, sizeof s->race, "the race check found %llu race%s (%s)%s",
                 (unsigned long long)r->race.races, r->race.races == 1 ? "" : "s", first,
                 r->race.races > 1 ? " and more" : "");
    }
}

static const dlpd_backend_ops_t cm_ops;

int dlpd__cmodel_races(const dlpd_backend_ops_t *ops, void *ctx, char *msg, size_t msglen)
{
    const cm_t *s = ctx;
    if (ops != &cm_ops || !s->race[0])
        return 0;
    dlpd_fmt(msg, msglen, "%s", s->race);
    return -1;
}

/* Runs the model for about max_ms of wall time (at least one stretch), in stretches of
   CM_STRETCH cycles, so that the driver's timeout and progress work as on the other back ends. */
#define CM_STRETCH (1u << 16)
static int cm_wait(void *ctx, uint32_t max_ms, int *irq, char *msg, size_t msglen)
{
    cm_t *s = ctx;
    dlp_result_t r;
    if (s->r.busy) {
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
        if (r.status != DLP_RUNNING) {
            s->running = 0;
            dlp_regs_end(&s->r, &r);
            dlpd_fmt(s->note, sizeof s->note, "%s", s->r.done ? "" : r.message);
            note_races(s, &r);
        } else {
            dlp_regs_set_counters(&s->r, &r.counters);
        }
    }
    *irq = dlp_regs_irq(&s->r);
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

typedef struct cfg_opts {
    dlp_config_t *cfg;
    dlpd_opt_fn extra; /* may be NULL */
    void *extra_ctx;
} cfg_opts_t;

static int opt_preset(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    cfg_opts_t *o = ctx;
    if (strcmp(key, "config"))
        return 0;
    if (dlp_config_preset(o->cfg, value)) {
        dlpd_fmt(msg, msglen,
                 "unknown configuration '%s' (" DLP_PRESET_NAMES ")", value);
        return -1;
    }
    return 0;
}

static int opt_field(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    cfg_opts_t *o = ctx;
    int rc;
    if (!strcmp(key, "config"))
        return 0;
    if (!strcmp(key, "max_cycles")) {
        dlpd_fmt(msg, msglen,
                 "max_cycles is the CYCLE_LIMIT register here: set it with "
                 "dlpd_set_cycle_limit (dlprun --cycle-limit)");
        return -1;
    }
    if (o->extra && (rc = o->extra(o->extra_ctx, key, value, msg, msglen)) != 0)
        return rc < 0 ? -1 : 0;
    return dlp_config_set(o->cfg, key, value, msg, msglen);
}

int dlpd__model_config(const char *opts, dlp_config_t *c, dlpd_opt_fn extra, void *extra_ctx,
                       char *msg, size_t msglen)
{
    cfg_opts_t o = {c, extra, extra_ctx};
    dlp_config_default(c);
    /* a preset first, wherever it stands, then the fields on top of it */
    if (dlpd_parse_opts(opts, opt_preset, &o, msg, msglen) ||
        dlpd_parse_opts(opts, opt_field, &o, msg, msglen))
        return -1;
    c->max_cycles = 0; /* CYCLE_LIMIT resets to 0: no watchdog */
    return dlp_config_check_core(c, msg, msglen) ? -1 : 0;
}

dlpd_err_t dlpd_backend_cmodel(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen)
{
    dlp_config_t c;
    char m[256] = "";
    cm_t *s;
    if (dlpd__model_config(opts, &c, NULL, NULL, msg, msglen))
        return DLPD_E_BACKEND;
    s = calloc(1, sizeof *s);
    if (!s) {
        dlpd_fmt(msg, msglen, "out of memory");
        return DLPD_E_NOMEM;
    }
    s->cfg = c;
    dlp_regs_reset(&s->r, &c);
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
