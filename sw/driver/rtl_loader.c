/*
 * libdlp back end "rtl": finds and loads the shared library that holds the Verilated core for
 * one array shape (backend_rtl.cc, built by sw/driver/driver.mk's rtl-lib rule).
 *
 * The core's shape is fixed when Verilator elaborates it, so there is one library per shape;
 * loading it at run time keeps libdlp, dlprun and the unit tests free of Verilator and lets one
 * dlprun drive whichever shapes have been built. When the library is missing, opening "rtl"
 * fails with DLPD_E_UNAVAILABLE and names the file and the make rule -- it never falls back to
 * something else.
 *
 * Search order: option lib=PATH; $DLP_RTL_LIB_DIR/libdlp_rtl_<shape>.so; <directory of the
 * running program>/rtl/libdlp_rtl_<shape>.so (build/rel/dlprun finds build/rel/rtl/). The
 * systemc back end's library is found and loaded by the same two functions.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

typedef struct rtl_opts {
    char shape[32];
    char lib[512];
    dlpd_rtl_params_t p;
} rtl_opts_t;

static int opt(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    rtl_opts_t *o = ctx;
    uint64_t v;
    if (!strcmp(key, "shape")) {
        unsigned r, c;
        char tail;
        if (sscanf(value, "%ux%u%c", &r, &c, &tail) != 2 || !r || !c || r > 128 || c > 128) {
            dlpd_fmt(msg, msglen, "shape '%s': want ROWSxCOLS, e.g. 16x16", value);
            return -1;
        }
        snprintf(o->shape, sizeof o->shape, "%ux%u", r, c);
        return 0;
    }
    if (!strcmp(key, "lib"))
        return dlpd__plugin_lib_opt(o->lib, sizeof o->lib, value, msg, msglen);
    if (dlpd_parse_u64(value, &v)) {
        dlpd_fmt(msg, msglen, "%s: '%s' is not a number", key, value);
        return -1;
    }
    if (!strcmp(key, "dram_mib") && v >= 1 && v <= 4096) {
        o->p.dram_bytes = v << 20;
    } else if (!strcmp(key, "latency") && v >= 1 && v <= 4096) {
        o->p.latency = (uint32_t)v;
    } else if (!strcmp(key, "stall_seed")) {
        o->p.stall_seed = v;
    } else {
        dlpd_fmt(msg, msglen,
                 "unknown option or value out of range: %s=%s (shape, lib, dram_mib 1..4096, "
                 "latency 1..4096, stall_seed)",
                 key, value);
        return -1;
    }
    return 0;
}

int dlpd__plugin_path(const char *env_var, const char *subdir, const char *file, char *out,
                      size_t len)
{
    char exe[512];
    const char *env = getenv(env_var);
    if (env && *env)
        return snprintf(out, len, "%s/%s", env, file) < (int)len ? 0 : -1;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    return snprintf(out, len, "%s/%s/%s", exe, subdir, file) < (int)len ? 0 : -1;
}

int dlpd__plugin_lib_opt(char *lib, size_t cap, const char *value, char *msg, size_t msglen)
{
    if (strlen(value) >= cap) {
        dlpd_fmt(msg, msglen, "lib path too long");
        return -1;
    }
    strcpy(lib, value);
    return 0;
}

dlpd_err_t dlpd__plugin_open(const char *path, const char *symbol, const char *build_hint,
                             void (**fn)(void), char *msg, size_t msglen)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        if (access(path, F_OK))
            dlpd_fmt(msg, msglen, "%s does not exist (%s)", path, build_hint);
        else
            dlpd_fmt(msg, msglen, "cannot load %s: %s", path, why ? why : "dlopen failed");
        return DLPD_E_UNAVAILABLE;
    }
    /* object-to-function pointer conversion through a union: dlsym's documented use */
    union {
        void *obj;
        void (*fn)(void);
    } sym;
    sym.obj = dlsym(h, symbol);
    if (!sym.obj) {
        dlpd_fmt(msg, msglen, "%s has no %s: not an OpenDLP back end library", path, symbol);
        dlclose(h);
        return DLPD_E_UNAVAILABLE;
    }
    /* the library stays loaded for the life of the process: its ops outlive any device */
    *fn = sym.fn;
    return DLPD_OK;
}

dlpd_err_t dlpd_backend_rtl(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen)
{
    rtl_opts_t o;
    char path[600], file[64], hint[160], why[700];
    void (*fn)(void);
    dlpd_err_t e;
    memset(&o, 0, sizeof o);
    strcpy(o.shape, "16x16");
    o.p.abi = DLPD_RTL_ABI;
    o.p.dram_bytes = 16u << 20;
    o.p.latency = 24;
    if (dlpd_parse_opts(opts, opt, &o, msg, msglen))
        return DLPD_E_BACKEND;
    o.p.shape = o.shape;
    snprintf(file, sizeof file, "libdlp_rtl_%s.so", o.shape);
    if (o.lib[0])
        snprintf(path, sizeof path, "%s", o.lib);
    else if (dlpd__plugin_path("DLP_RTL_LIB_DIR", "rtl", file, path, sizeof path)) {
        dlpd_fmt(msg, msglen, "cannot tell where the rtl library is; give lib=PATH");
        return DLPD_E_UNAVAILABLE;
    }
    snprintf(hint, sizeof hint,
             "build it with 'make rtl-lib RTL_SHAPE=%s'; it needs Verilator and the core in rtl/",
             o.shape);
    e = dlpd__plugin_open(path, DLPD_RTL_OPEN_SYMBOL, hint, &fn, why, sizeof why);
    if (e) {
        dlpd_fmt(msg, msglen, "the RTL back end for shape %s is not built: %s", o.shape, why);
        return e;
    }
    return ((dlpd_rtl_open_fn)fn)(&o.p, be, msg, msglen);
}
