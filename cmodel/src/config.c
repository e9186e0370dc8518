/* SPDX-License-Identifier: Apache-2.0 */
/* Machine configurations: defaults, presets, parsing and range checks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp.h"
#include "internal.h"

/* The numbers live in sw/isa/dlp.configs: dlp_config_gen.c holds every named configuration,
   dlp_config_gen.h the parameters' ranges and the defaults of those that are not columns. */

static void apply(dlp_config_t *c, const dlp_preset_t *p)
{
    c->rows = p->rows;
    c->cols = p->cols;
    c->vlanes = p->vlanes;
    c->beat_bytes = p->beat_bytes;
    c->burst_beats = p->burst_beats;
    c->nram_bytes = p->nram_bytes;
    c->wram_bytes = p->wram_bytes;
    c->acc_bytes = p->acc_bytes;
    c->imem_insns = p->imem_insns;
    c->dram_latency = p->dram_latency;
    c->clock_mhz = p->clock_mhz;
}

void dlp_config_default(dlp_config_t *c)
{
    memset(c, 0, sizeof *c);
    apply(c, &dlp_presets[0]);
    c->max_outstanding = DLP_DEFAULT_MAX_OUTSTANDING;
    c->queue_depth = DLP_DEFAULT_QUEUE_DEPTH;
    c->loop_depth = DLP_DEFAULT_LOOP_DEPTH;
    c->token_max = DLP_DEFAULT_TOKEN_MAX;
    /* the model's own: the simulated DRAM and the watchdog */
    c->dram_bytes = 64ull << 20;
    c->max_cycles = 2000000000ull;
    c->functional = 0;
    c->race_check = 1;
}

int dlp_config_preset(dlp_config_t *c, const char *name)
{
    dlp_config_default(c);
    for (unsigned i = 0; i < dlp_num_presets; i++)
        if (!strcmp(name, dlp_presets[i].name)) {
            apply(c, &dlp_presets[i]);
            return 0;
        }
    return -1;
}

struct key {
    const char *name;
    size_t off;
    int is64;
    uint64_t lo, hi;
    uint64_t scale; /* "_kib" keys multiply by 1024 */
    int rule;       /* enum dlp_config_rule */
};

#define KP(n, lo, hi, rule) {#n, offsetof(dlp_config_t, n), 0, lo, hi, 1, rule},
#define K64(n, lo, hi) {#n, offsetof(dlp_config_t, n), 1, lo, hi, 1, DLP_RULE_NONE}
static const struct key keys[] = {
    DLP_CONFIG_PARAMS(KP)
    K64(dram_bytes, 4096, 1ull << 32),
    K64(max_cycles, 0, UINT64_MAX),
    {"functional", offsetof(dlp_config_t, functional), 0, 0, 1, 1, DLP_RULE_NONE},
    {"race_check", offsetof(dlp_config_t, race_check), 0, 0, 1, 1, DLP_RULE_NONE},
    {"nram_kib", offsetof(dlp_config_t, nram_bytes), 0, 1024, 16u << 20, 1024, DLP_RULE_NONE},
    {"wram_kib", offsetof(dlp_config_t, wram_bytes), 0, 1024, 16u << 20, 1024, DLP_RULE_NONE},
    {"acc_kib", offsetof(dlp_config_t, acc_bytes), 0, 1024, 16u << 20, 1024, DLP_RULE_NONE},
    {"dram_mib", offsetof(dlp_config_t, dram_bytes), 1, 4096, 1ull << 32, 1u << 20, DLP_RULE_NONE},
};

/* Formats an error message into msg (when len > 0) and returns -1 (internal.h). */
int dlp_fail(char *msg, size_t len, const char *fmt, ...)
{
    va_list ap;
    if (len) {
        va_start(ap, fmt);
        vsnprintf(msg, len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static uint64_t get(const dlp_config_t *c, const struct key *k)
{
    const char *p = (const char *)c + k->off;
    if (k->is64)
        return *(const uint64_t *)(const void *)p;
    return *(const uint32_t *)(const void *)p;
}

int dlp_config_set(dlp_config_t *c, const char *key, const char *value, char *msg, size_t len)
{
    char *end;
    unsigned long long v;
    if (!strcmp(key, "clock_mhz")) {
        double d = strtod(value, &end);
        if (end == value || *end || !(d > 0 && d < 1e6))
            return dlp_fail(msg, len, "clock_mhz: '%s' is not a frequency in MHz", value);
        c->clock_mhz = d;
        return 0;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const struct key *k = &keys[i];
        char *p;
        if (strcmp(k->name, key))
            continue;
        if (value[0] == '-')
            return dlp_fail(msg, len, "%s: '%s' is negative", key, value);
        v = strtoull(value, &end, 0);
        if (end == value || *end)
            return dlp_fail(msg, len, "%s: '%s' is not a number", key, value);
        if (v > k->hi / k->scale)
            return dlp_fail(msg, len, "%s: %s is too large", key, value);
        v *= k->scale;
        p = (char *)c + k->off;
        if (k->is64)
            *(uint64_t *)(void *)p = v;
        else
            *(uint32_t *)(void *)p = (uint32_t)v;
        return 0;
    }
    return dlp_fail(msg, len, "unknown configuration key '%s'", key);
}

int dlp_config_check(const dlp_config_t *c, char *msg, size_t len)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const struct key *k = &keys[i];
        uint64_t v = get(c, k);
        if (k->scale != 1)
            continue;
        if (v < k->lo || v > k->hi)
            return dlp_fail(msg, len, "%s = %llu is outside %llu..%llu", k->name,
                        (unsigned long long)v, (unsigned long long)k->lo,
                        (unsigned long long)k->hi);
        if (k->rule == DLP_RULE_POW2 && (v & (v - 1)))
            return dlp_fail(msg, len, "%s = %llu is not a power of two", k->name, (unsigned long long)v);
        if (k->rule == DLP_RULE_MUL4 && v % 4)
            return dlp_fail(msg, len, "%s = %llu is not a multiple of 4", k->name, (unsigned long long)v);
    }
    if ((uint64_t)c->beat_bytes * c->burst_beats > 4096)
        return dlp_fail(msg, len, "beat_bytes * burst_beats = %u exceeds the 4 KiB AXI boundary",
                    c->beat_bytes * c->burst_beats);
    if (!(c->clock_mhz > 0))
        return dlp_fail(msg, len, "clock_mhz must be positive");
    return 0;
}

int dlp_config_check_core(const dlp_config_t *c, char *msg, size_t len)
{
    if (dlp_config_check(c, msg, len))
        return -1;
    if (c->nram_bytes % 1024 || c->wram_bytes % 1024 || c->acc_bytes % 1024)
        return dlp_fail(msg, len,
                    "nram_bytes = %u, wram_bytes = %u, acc_bytes = %u: a core's NRAM, WRAM and "
                    "accumulator sizes are whole KiB (CAP1/CAP2 count KiB)",
                    c->nram_bytes, c->wram_bytes, c->acc_bytes);
    return 0;
}

void dlp_config_format(const dlp_config_t *c, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && n < len; i++) {
        if (keys[i].scale != 1)
            continue;
        n += (size_t)snprintf(buf + n, len - n, "%s%s=%llu", n ? " " : "", keys[i].name,
                              (unsigned long long)get(c, &keys[i]));
    }
    if (n < len)
        snprintf(buf + n, len - n, " clock_mhz=%g", c->clock_mhz);
}
