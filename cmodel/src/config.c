/* Machine configurations: defaults, presets, parsing and range checks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp.h"

void dlp_config_default(dlp_config_t *c)
{
    memset(c, 0, sizeof *c);
    c->rows = 16;
    c->cols = 16;
    c->vlanes = 16;
    c->nram_bytes = 128 * 1024;
    c->wram_bytes = 256 * 1024;
    c->acc_bytes = 64 * 1024;
    c->imem_insns = 4096;
    c->dram_bytes = 64ull << 20;
    c->beat_bytes = 16;
    c->burst_beats = 16;
    c->max_outstanding = 8;
    c->dram_latency = 24;
    c->queue_depth = 8;
    c->loop_depth = 4;
    c->token_max = 15;
    c->clock_mhz = 100.0;
    c->max_cycles = 2000000000ull;
    c->functional = 0;
}

int dlp_config_preset(dlp_config_t *c, const char *name)
{
    dlp_config_default(c);
    if (!strcmp(name, "default") || !strcmp(name, "16x16"))
        return 0;
    if (!strcmp(name, "ex77")) {
        /* textbook exercise 7.7: 256 MAC/cycle, 1 GHz, 64 GB/s, WRAM 256 KiB, NRAM 128 KiB */
        c->beat_bytes = 64;
        c->burst_beats = 64; /* 4 KiB bursts */
        c->clock_mhz = 1000.0;
        c->acc_bytes = 1024 * 1024;
        return 0;
    }
    if (!strcmp(name, "ex77-fp32")) {
        /* the same core with one int8 element standing for one fp32 value: capacities and
           bandwidth in elements equal the exercise's (docs/exercises.md) */
        c->beat_bytes = 16;
        c->burst_beats = 64;
        c->clock_mhz = 1000.0;
        c->wram_bytes = 64 * 1024;
        c->nram_bytes = 32 * 1024;
        c->acc_bytes = 1024 * 1024;
        return 0;
    }
    if (!strcmp(name, "4x4")) {
        c->rows = c->cols = c->vlanes = 4;
        return 0;
    }
    if (!strcmp(name, "8x8")) {
        /* the ULX3S-85F board's core (fpga/boards/ulx3s.cfg) */
        c->rows = c->cols = 8;
        c->vlanes = 4;
        return 0;
    }
    if (!strcmp(name, "8x16")) {
        c->rows = 8;
        c->cols = 16;
        c->vlanes = 8;
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
};

#define K32(n, lo, hi) {#n, offsetof(dlp_config_t, n), 0, lo, hi, 1}
#define K64(n, lo, hi) {#n, offsetof(dlp_config_t, n), 1, lo, hi, 1}
static const struct key keys[] = {
    K32(rows, 1, 128),
    K32(cols, 1, 128),
    K32(vlanes, 1, 64),
    K32(nram_bytes, 1024, 16u << 20),
    K32(wram_bytes, 1024, 16u << 20),
    K32(acc_bytes, 1024, 16u << 20),
    K32(imem_insns, 1, 65535),
    K64(dram_bytes, 4096, 1ull << 32),
    K32(beat_bytes, 4, 64),
    K32(burst_beats, 1, 256),
    K32(max_outstanding, 1, 64),
    K32(dram_latency, 1, 4096),
    K32(queue_depth, 1, 64),
    K32(loop_depth, 1, 16),
    K32(token_max, 1, 255),
    K64(max_cycles, 0, UINT64_MAX),
    K32(functional, 0, 1),
    {"nram_kib", offsetof(dlp_config_t, nram_bytes), 0, 1024, 16u << 20, 1024},
    {"wram_kib", offsetof(dlp_config_t, wram_bytes), 0, 1024, 16u << 20, 1024},
    {"acc_kib", offsetof(dlp_config_t, acc_bytes), 0, 1024, 16u << 20, 1024},
    {"dram_mib", offsetof(dlp_config_t, dram_bytes), 1, 4096, 1ull << 32, 1u << 20},
};

static int fail(char *msg, size_t len, const char *fmt, ...)
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
            return fail(msg, len, "clock_mhz: '%s' is not a frequency in MHz", value);
        c->clock_mhz = d;
        return 0;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const struct key *k = &keys[i];
        char *p;
        if (strcmp(k->name, key))
            continue;
        if (value[0] == '-')
            return fail(msg, len, "%s: '%s' is negative", key, value);
        v = strtoull(value, &end, 0);
        if (end == value || *end)
            return fail(msg, len, "%s: '%s' is not a number", key, value);
        if (v > k->hi / k->scale)
            return fail(msg, len, "%s: %s is too large", key, value);
        v *= k->scale;
        p = (char *)c + k->off;
        if (k->is64)
            *(uint64_t *)(void *)p = v;
        else
            *(uint32_t *)(void *)p = (uint32_t)v;
        return 0;
    }
    return fail(msg, len, "unknown configuration key '%s'", key);
}

int dlp_config_check(const dlp_config_t *c, char *msg, size_t len)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const struct key *k = &keys[i];
        uint64_t v = get(c, k);
        if (k->scale != 1)
            continue;
        if (v < k->lo || v > k->hi)
            return fail(msg, len, "%s = %llu is outside %llu..%llu", k->name,
                        (unsigned long long)v, (unsigned long long)k->lo,
                        (unsigned long long)k->hi);
    }
    if (c->beat_bytes & (c->beat_bytes - 1))
        return fail(msg, len, "beat_bytes = %u is not a power of two", c->beat_bytes);
    if (c->burst_beats & (c->burst_beats - 1))
        return fail(msg, len, "burst_beats = %u is not a power of two (bursts must not cross 4 KiB)",
                    c->burst_beats);
    if ((uint64_t)c->beat_bytes * c->burst_beats > 4096)
        return fail(msg, len, "beat_bytes * burst_beats = %u exceeds the 4 KiB AXI boundary",
                    c->beat_bytes * c->burst_beats);
    if (c->acc_bytes % 4)
        return fail(msg, len, "acc_bytes = %u is not a multiple of 4", c->acc_bytes);
    if (!(c->clock_mhz > 0))
        return fail(msg, len, "clock_mhz must be positive");
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
