/*
 * libdlp back end "systemc": the SystemC/TLM-2.0 virtual platform of verif/systemc/ (one DLP,
 * its memory, driven through the TLM register socket), loaded from the shared library that
 * verif/systemc/systemc.mk builds. libdlp does not compile verif/ code and does not link
 * SystemC: like the rtl back end, the library is found at run time (option lib=PATH;
 * $DLP_SYSTEMC_LIB_DIR/libdlp_systemc.so; <directory of the running program>/systemc/) and
 * refused, never replaced, when it is missing.
 *
 * Options: the cmodel back end's configuration keys (config=PRESET, rows=..., dram_mib=...,
 * dram_latency=...), and mhz (clock, default 100), quantum_ns (default 10000), latency_ns (the
 * memory's latency per transaction, default 0), lib=PATH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct sc_opts {
    dlpd_systemc_params_t p;
    char lib[512];
} sc_opts_t;

static int opt_preset(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    sc_opts_t *o = ctx;
    if (strcmp(key, "config"))
        return 0;
    if (dlp_config_preset(&o->p.cfg, value)) {
        dlpd_fmt(msg, msglen, "unknown configuration '%s' (default, ex77, ex77-fp32, 4x4, 8x8, 8x16)",
                 value);
        return -1;
    }
    return 0;
}

static int parse_double(const char *s, double lo, double hi, double *v)
{
    char *end;
    if (!*s)
        return -1;
    *v = strtod(s, &end);
    return *end || !(*v >= lo && *v <= hi) ? -1 : 0;
}

static int opt_field(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    sc_opts_t *o = ctx;
    if (!strcmp(key, "config"))
        return 0;
    if (!strcmp(key, "lib")) {
        if (strlen(value) >= sizeof o->lib) {
            dlpd_fmt(msg, msglen, "lib path too long");
            return -1;
        }
        strcpy(o->lib, value);
        return 0;
    }
    if (!strcmp(key, "mhz") || !strcmp(key, "quantum_ns") || !strcmp(key, "latency_ns")) {
        double *d = key[0] == 'm' ? &o->p.mhz : key[0] == 'q' ? &o->p.quantum_ns : &o->p.latency_ns;
        if (parse_double(value, key[0] == 'm' ? 1e-3 : 0, 1e9, d)) {
            dlpd_fmt(msg, msglen, "%s: '%s' is not a number in range", key, value);
            return -1;
        }
        return 0;
    }
    if (!strcmp(key, "max_cycles")) {
        dlpd_fmt(msg, msglen, "max_cycles is the CYCLE_LIMIT register here: set it with "
                              "dlpd_set_cycle_limit (dlprun --cycle-limit)");
        return -1;
    }
    return dlp_config_set(&o->p.cfg, key, value, msg, msglen);
}

dlpd_err_t dlpd_backend_systemc(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen)
{
    sc_opts_t o;
    char path[600], why[700];
    void (*fn)(void);
    dlpd_err_t e;
    memset(&o, 0, sizeof o);
    o.p.abi = DLPD_SYSTEMC_ABI;
    dlp_config_default(&o.p.cfg);
    o.p.mhz = 100;
    o.p.quantum_ns = 10000;
    if (dlpd_parse_opts(opts, opt_preset, &o, msg, msglen) ||
        dlpd_parse_opts(opts, opt_field, &o, msg, msglen))
        return DLPD_E_BACKEND;
    if (o.p.cfg.nram_bytes % 1024 || o.p.cfg.wram_bytes % 1024 || o.p.cfg.acc_bytes % 1024) {
        dlpd_fmt(msg, msglen,
                 "NRAM, WRAM and accumulator sizes must be whole KiB (CAP1/CAP2 count KiB)");
        return DLPD_E_BACKEND;
    }
    if (o.lib[0])
        snprintf(path, sizeof path, "%s", o.lib);
    else if (dlpd__plugin_path("DLP_SYSTEMC_LIB_DIR", "systemc", "libdlp_systemc.so", path,
                               sizeof path)) {
        dlpd_fmt(msg, msglen, "cannot tell where the systemc library is; give lib=PATH");
        return DLPD_E_UNAVAILABLE;
    }
    e = dlpd__plugin_open(path, DLPD_SYSTEMC_OPEN_SYMBOL,
                          "build it with 'make systemc-lib'; it needs libsystemc-dev", &fn, why,
                          sizeof why);
    if (e) {
        dlpd_fmt(msg, msglen, "the systemc back end is not built: %s", why);
        return e;
    }
    return ((dlpd_systemc_open_fn)fn)(&o.p, be, msg, msglen);
}
