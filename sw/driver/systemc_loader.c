/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdlp back end "systemc": the SystemC/TLM-2.0 virtual platform of verif/systemc/ (one DLP,
 * its memory, driven through the TLM register socket), loaded from the shared library that
 * verif/systemc/systemc.mk builds. libdlp does not compile verif/ code and does not link
 * SystemC: like the rtl back end, the library is found at run time (option lib=PATH;
 * $DLP_SYSTEMC_LIB_DIR/libdlp_systemc.so; <directory of the running program>/systemc/) and
 * refused, never replaced, when it is missing.
 *
 * Options: the cmodel back end's configuration keys (config=PRESET, rows=..., dram_mib=...,
 * dram_latency=..., clock_mhz=...), and quantum_ns (default 10000), latency_ns (the memory's
 * latency per transaction, default 0), lib=PATH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct sc_opts {
    dlpd_systemc_params_t p;
    char lib[512];
} sc_opts_t;

/* The keys of this back end beside the model's configuration: 1 taken, 0 not ours, -1 bad. */
static int opt_own(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    sc_opts_t *o = ctx;
    double *d = NULL, v;
    char *end;
    if (!strcmp(key, "lib"))
        return dlpd__plugin_lib_opt(o->lib, sizeof o->lib, value, msg, msglen) ? -1 : 1;
    if (!strcmp(key, "quantum_ns"))
        d = &o->p.quantum_ns;
    else if (!strcmp(key, "latency_ns"))
        d = &o->p.latency_ns;
    else
        return 0;
    v = strtod(value, &end);
    if (!*value || *end || !(v >= 0 && v <= 1e9)) {
        dlpd_fmt(msg, msglen, "%s: '%s' is not a number from 0 to 1e9", key, value);
        return -1;
    }
    *d = v;
    return 1;
}

dlpd_err_t dlpd_backend_systemc(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen)
{
    sc_opts_t o;
    char path[600], why[700];
    void (*fn)(void);
    dlpd_err_t e;
    memset(&o, 0, sizeof o);
    o.p.abi = DLPD_SYSTEMC_ABI;
    o.p.quantum_ns = 10000;
    if (dlpd__model_config(opts, &o.p.cfg, opt_own, &o, msg, msglen))
        return DLPD_E_BACKEND;
    if (o.lib[0])
        snprintf(path, sizeof path, "%s", o.lib);
    else if (dlpd__plugin_path("DLP_SYSTEMC_LIB_DIR", "systemc", "libdlp_systemc.so", path,
                               sizeof path)) {
        dlpd_fmt(msg, msglen, "cannot tell where the systemc library is; give lib=PATH");
        return DLPD_E_UNAVAILABLE;
    }
    e = dlpd__plugin_open(path, DLPD_SYSTEMC_OPEN_SYMBOL,
                          "build it with 'make systemc'; it needs libsystemc-dev", &fn, why,
                          sizeof why);
    if (e) {
        dlpd_fmt(msg, msglen, "the systemc back end is not built: %s", why);
        return e;
    }
    return ((dlpd_systemc_open_fn)fn)(&o.p, be, msg, msglen);
}
