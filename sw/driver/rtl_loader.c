/* SPDX-License-Identifier: Apache-2.0 */
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
 * Where: option lib=PATH; else $DLP_RTL_LIB_DIR/libdlp_rtl_<shape>.so when that variable is
 * set; else the first that exists of <directory of the running program>/rtl/ (build/rel/dlprun
 * finds build/rel/rtl/), <that directory>/../lib/opendlp/rtl/ (installed tools) and
 * <directory of libdlp.so>/opendlp/rtl/ (programs linked with an installed libdlp.so). The
 * systemc back end's library is found and loaded by the same functions.
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlp_config_gen.h"
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
        /* a named configuration (docs/configs.md): one library per configuration */
        for (unsigned i = 0; i < dlp_num_presets; i++)
            if (!strcmp(value, dlp_presets[i].name) && strlen(value) < sizeof o->shape) {
                memcpy(o->shape, value, strlen(value) + 1);
                return 0;
            }
        dlpd_fmt(msg, msglen,
                 "shape '%s' is not a named configuration (ROWSxCOLS for the plain ones; all: "
                 "%s)",
                 value, DLP_PRESET_NAMES);
        return -1;
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

/* Directory part of path, in place ("" when it has none). */
static void dir_of(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash)
        *slash = 0;
    else
        path[0] = 0;
}

int dlpd__plugin_path(const char *env_var, const char *subdir, const char *file, char *out,
                      size_t len)
{
    enum { MAX_CANDIDATES = 3 };
    char cand[MAX_CANDIDATES][600], dir[512];
    int n = 0;
    const char *env = getenv(env_var);
    if (env && *env)
        return snprintf(out, len, "%s/%s", env, file) < (int)len ? 0 : -1;
    ssize_t l = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (l > 0) {
        dir[l] = 0;
        dir_of(dir);
        snprintf(cand[n++], sizeof cand[0], "%s/%s/%s", dir, subdir, file);
        snprintf(cand[n++], sizeof cand[0], "%s/../lib/opendlp/%s/%s", dir, subdir, file);
    }
    Dl_info di;
    if (dladdr((void *)dir_of, &di) && di.dli_fname && strstr(di.dli_fname, "libdlp.so")) {
        snprintf(dir, sizeof dir, "%s", di.dli_fname);
        dir_of(dir);
        snprintf(cand[n++], sizeof cand[0], "%s/opendlp/%s/%s", dir[0] ? dir : ".", subdir, file);
    }
    if (!n)
        return -1;
    int pick = 0;
    for (int i = 0; i < n; i++)
        if (!access(cand[i], F_OK)) {
            pick = i;
            break;
        }
    return snprintf(out, len, "%s", cand[pick]) < (int)len ? 0 : -1;
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
        dlpd_fmt(msg, msglen, "cannot tell where the rtl library is; set DLP_RTL_LIB_DIR to its "
                              "directory or give lib=PATH");
        return DLPD_E_UNAVAILABLE;
    }
    snprintf(hint, sizeof hint, "nor in the other places looked at");
    e = dlpd__plugin_open(path, DLPD_RTL_OPEN_SYMBOL, hint, &fn, why, sizeof why);
    if (e) {
        dlpd_fmt(msg, msglen,
                 "the RTL back end for shape %s is not built (make rtl-lib RTL_SHAPE=%s in the "
                 "source tree, with Verilator; then set DLP_RTL_LIB_DIR to its directory, or "
                 "give lib=PATH): %s",
                 o.shape, o.shape, why);
        return e;
    }
    return ((dlpd_rtl_open_fn)fn)(&o.p, be, msg, msglen);
}
