/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdlp internals shared by the driver's files (not installed; the API is dlp_driver.h).
 */
#ifndef DLPD_INTERNAL_H
#define DLPD_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "dlp.h"
#include "dlp_driver.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- device memory allocator (alloc.c) --------------------------------------------------------
 * The buffers in use, sorted by address, never overlapping. Everything else in [base, base+size)
 * is free. A sorted array keeps it small and obviously correct; the driver holds a few hundred
 * buffers at most. */
typedef struct dlpd_block {
    uint64_t addr, size;
} dlpd_block_t;

typedef struct dlpd_heap {
    uint64_t base, size;
    dlpd_block_t *blk;
    uint32_t n, cap;
} dlpd_heap_t;

void dlpd_heap_init(dlpd_heap_t *h, uint64_t base, uint64_t size);
void dlpd_heap_fini(dlpd_heap_t *h);
/* 0, or -1 (no space), -2 (host out of memory). align: a power of two >= 1. */
int dlpd_heap_alloc(dlpd_heap_t *h, uint64_t bytes, uint64_t align, uint64_t *addr);
/* 0, or -1 (overlaps a buffer), -2 (host out of memory), -3 (outside the heap). */
int dlpd_heap_reserve(dlpd_heap_t *h, uint64_t addr, uint64_t bytes);
/* 0, or -1 when addr starts no buffer. */
int dlpd_heap_free(dlpd_heap_t *h, uint64_t addr);
/* The buffer containing [addr, addr + len) (len >= 1), or NULL. */
const dlpd_block_t *dlpd_heap_find(const dlpd_heap_t *h, uint64_t addr, uint64_t len);
void dlpd_heap_stats(const dlpd_heap_t *h, dlpd_mem_stats_t *st);

/* ---- back-end option strings "key=value,key=value" (driver.c) -------------------------------- */

/* Calls fn for every pair; stops at the first nonzero return (which it returns). A pair without
   '=' has value "". Returns -1 with msg for an empty key. */
typedef int (*dlpd_opt_fn)(void *ctx, const char *key, const char *value, char *msg,
                           size_t msglen);
int dlpd_parse_opts(const char *opts, dlpd_opt_fn fn, void *ctx, char *msg, size_t msglen);
/* Strict unsigned parse (decimal, 0x hex); 0 or -1. */
int dlpd_parse_u64(const char *s, uint64_t *v);

/* snprintf into msg that tolerates msglen 0 and never overflows. */
void dlpd_fmt(char *msg, size_t msglen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- the rtl back end's shared library (backend_rtl.cc, loaded by rtl_loader.c) -----------------
 * The Verilated core is built per array shape into $(BUILD)/rtl/libdlp_rtl_<shape>.so, which
 * exports DLPD_RTL_OPEN_SYMBOL with this signature. The structure is versioned so that a stale
 * library is refused rather than misread. */
#define DLPD_RTL_ABI 1
#define DLPD_RTL_OPEN_SYMBOL "dlpd_rtl_open"

typedef struct dlpd_rtl_params {
    uint32_t abi;          /* DLPD_RTL_ABI */
    const char *shape;     /* the shape asked for, e.g. "16x16" (the library checks its own) */
    uint64_t dram_bytes;   /* AXI DRAM model size, at address 0 */
    uint32_t latency;      /* exact-timing DRAM latency in cycles (the C model's dram_latency) */
    uint64_t stall_seed;   /* 0: exact timing; else random AXI latency and back-pressure */
} dlpd_rtl_params_t;

typedef dlpd_err_t (*dlpd_rtl_open_fn)(const dlpd_rtl_params_t *p, dlpd_backend_t *be,
                                       char *msg, size_t msglen);

/* ---- the systemc back end's shared library (verif/systemc/backend_systemc.cc, loaded by
 * systemc_loader.c): the SystemC virtual platform with one DLP, built into
 * $(BUILD)/systemc/libdlp_systemc.so by verif/systemc/systemc.mk. */
#define DLPD_SYSTEMC_ABI 1
#define DLPD_SYSTEMC_OPEN_SYMBOL "dlpd_systemc_open"

typedef struct dlpd_systemc_params {
    uint32_t abi;          /* DLPD_SYSTEMC_ABI */
    dlp_config_t cfg;      /* the core (dram_bytes: the platform's memory at address 0; its
                              clock: clock_mhz) */
    double quantum_ns;     /* how far the core may run ahead of SystemC time */
    double latency_ns;     /* the memory's latency per transaction */
} dlpd_systemc_params_t;

typedef dlpd_err_t (*dlpd_systemc_open_fn)(const dlpd_systemc_params_t *p, dlpd_backend_t *be,
                                           char *msg, size_t msglen);

/* ---- the model's configuration from back-end options (backend_cmodel.c) -------------------------
 * The cmodel keys: config=PRESET first, then dlp_config_t fields by name; max_cycles is refused
 * (it is CYCLE_LIMIT); memory sizes must be whole KiB; max_cycles is 0. extra (may be NULL) sees
 * every other key first and returns 1 when it took it, 0 when not, -1 with msg on error.
 * 0, or -1 with msg. */
int dlpd__model_config(const char *opts, dlp_config_t *cfg, dlpd_opt_fn extra, void *extra_ctx,
                       char *msg, size_t msglen);

/* ---- back ends in shared libraries (rtl_loader.c) ------------------------------------------------
 * dlpd__plugin_path: $ENV_VAR/FILE if the variable is set, else the first that exists of
 * <directory of the running program>/SUBDIR/FILE, <that directory>/../lib/opendlp/SUBDIR/FILE
 * (installed tools), <directory of libdlp.so>/opendlp/SUBDIR/FILE (an installed shared libdlp);
 * the first of them when none exists. 0 or -1.
 * dlpd__plugin_open: dlopen(path) and dlsym(symbol) into *fn; DLPD_E_UNAVAILABLE with a message
 * (naming `build_hint` when the file does not exist) otherwise. The library stays loaded. */
int dlpd__plugin_path(const char *env_var, const char *subdir, const char *file, char *out,
                      size_t len);
/* The option lib=PATH into lib[cap]: 0, or -1 with msg when too long. */
int dlpd__plugin_lib_opt(char *lib, size_t cap, const char *value, char *msg, size_t msglen);
dlpd_err_t dlpd__plugin_open(const char *path, const char *symbol, const char *build_hint,
                             void (**fn)(void), char *msg, size_t msglen);

/* ---- driver entry points for the other files (driver.c) ----------------------------------------- */

/* Sets the device's last-error message; returns e. */
dlpd_err_t dlpd__fail(dlpd_dev_t *dev, dlpd_err_t e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* dlpd_start with an explicit window instead of the device's setting. */
dlpd_err_t dlpd__start_window(dlpd_dev_t *dev, uint64_t addr, uint32_t n, uint64_t wbase,
                              uint64_t wlimit);
/* backend_cmodel.c: after a run that halted, nonzero with a message when ops/ctx are the cmodel
   back end's and its race check found races in that run (dlpd_wait reports DLPD_E_RACE). */
int dlpd__cmodel_races(const dlpd_backend_ops_t *ops, void *ctx, char *msg, size_t msglen);
/* DRAM write without the buffer check (the caller has reserved the range). */
dlpd_err_t dlpd__dram_write(dlpd_dev_t *dev, uint64_t addr, const void *src, size_t len);

#ifdef __cplusplus
}
#endif

#endif
