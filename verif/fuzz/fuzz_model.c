/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the C model on arbitrary instruction words. The input is a program (16 bytes per
 * instruction, at most 64) placed in DRAM and run in a small machine with a DMA window that
 * covers only part of DRAM and a cycle limit. Oracles:
 *   - no write outside the window: the DRAM outside [WIN_BASE, WIN_LIMIT) is unchanged;
 *   - a valid end: halt with cause NONE, or an error with a cause of enum dlp_cause and a
 *     message;
 *   - bounded cycles: at most the cycle limit plus the drain of bursts already on the bus;
 *   - the next program runs: a known program started on the same machine afterwards halts with
 *     its known register value (nothing of the faulty run is left in the queues or tokens).
 */
#include <string.h>

#include "dlp.h"
#include "dlp_asm.h"
#include "fuzz.h"

#define DRAM (64u << 10)
#define WIN_BASE 0x4000u /* the program is at the window's start */
#define WIN_LIMIT 0xc000u
#define MAX_INSNS 64
#define LIMIT 20000u
#define DRAIN_BOUND 20000u /* far above max_outstanding bursts of 256 beats at the latency */

static dlp_t *m;
static uint32_t next_words[4 * 4];
static uint32_t next_n;
static uint8_t pattern[DRAM];

static void setup(void)
{
    dlp_config_t c;
    char msg[256];
    dlp_asm_result_t r;
    dlp_config_preset(&c, "4x4");
    c.dram_bytes = DRAM;
    c.nram_bytes = 16 << 10;
    c.wram_bytes = 16 << 10;
    c.acc_bytes = 4 << 10;
    c.imem_insns = 256;
    c.max_cycles = LIMIT;
    m = dlp_create(&c, msg, sizeof msg);
    if (!m) {
        fprintf(stderr, "fuzz_model: %s\n", msg);
        abort();
    }
    if (dlp_asm_string("li r1, 0x1234\nsync\nhalt\n", "next.s", NULL, &r) || r.n_insns > 4)
        abort();
    next_n = r.n_insns;
    memcpy(next_words, r.words, 16 * (size_t)r.n_insns);
    dlp_asm_result_free(&r);
    for (uint32_t i = 0; i < DRAM; i++)
        pattern[i] = (uint8_t)(i * 131u + (i >> 8));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t n = (uint32_t)(size / 16), words[4 * MAX_INSNS];
    dlp_result_t res;
    uint64_t len;
    if (!m)
        setup();
    if (n == 0)
        return 0;
    if (n > MAX_INSNS)
        n = MAX_INSNS;
    for (uint32_t i = 0; i < 4 * n; i++)
        words[i] = (uint32_t)data[4 * i] | (uint32_t)data[4 * i + 1] << 8 |
                   (uint32_t)data[4 * i + 2] << 16 | (uint32_t)data[4 * i + 3] << 24;
    uint8_t *dram = dlp_mem(m, DLP_MEM_DRAM, &len);
    memcpy(dram, pattern, DRAM);
    dlp_dram_write(m, WIN_BASE, words, 16 * (size_t)n);
    FUZZ_CHECK(dlp_set_window(m, WIN_BASE, WIN_LIMIT) == 0, "window");
    dlp_run(m, WIN_BASE, n, &res);

    FUZZ_CHECK(memcmp(dram, pattern, WIN_BASE) == 0, "a write below the window");
    FUZZ_CHECK(memcmp(dram + WIN_LIMIT, pattern + WIN_LIMIT, DRAM - WIN_LIMIT) == 0,
               "a write above the window");
    FUZZ_CHECK(res.status == DLP_DONE || res.status == DLP_ERROR, "status %d", res.status);
    if (res.status == DLP_DONE)
        FUZZ_CHECK(res.cause == DLP_CAUSE_NONE, "halt with cause %d", res.cause);
    else
        FUZZ_CHECK(res.cause > DLP_CAUSE_NONE && res.cause < DLP_CAUSE_COUNT && res.message[0],
                   "error with cause %d, message '%s'", res.cause, res.message);
    FUZZ_CHECK(res.counters.cycles <= (uint64_t)LIMIT + DRAIN_BOUND, "%llu cycles",
               (unsigned long long)res.counters.cycles);

    dlp_dram_write(m, WIN_BASE, next_words, 16 * (size_t)next_n);
    dlp_run(m, WIN_BASE, next_n, &res);
    FUZZ_CHECK(res.status == DLP_DONE && dlp_reg(m, 1) == 0x1234,
               "the next program did not run: status %d cause %d (%s)", res.status, res.cause,
               res.message);
    return 0;
}
