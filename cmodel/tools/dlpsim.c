/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dlpsim -- run an OpenDLP program binary on the C model.
 *
 *   dlpsim [options] program.dlpb
 *
 * See `dlpsim -h`. Exit status: 0 when the program halted; 1 for an unreadable or malformed
 * input file, a run that stopped with an error, or a race the check found (no --dump is then
 * written); 2 for bad usage (options, their values, the configuration).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp.h"
#include "dlp_asm.h"
#include "dlp_file.h"
#include "dlp_prog.h"
#include "dlp_version.h"

#define MAX_ITEMS 64

struct load {
    const char *path;
    uint64_t addr;
};
struct dump {
    uint64_t addr, len;
    const char *path;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: dlpsim [options] program.dlpb\n"
            "Runs an OpenDLP program on the C golden model and prints its counters.\n\n"
            "  --config NAME        preset (docs/configs.md): " DLP_PRESET_NAMES "\n"
            "  --set KEY=VALUE      override a configuration field (repeatable), e.g. rows=8,\n"
            "                       nram_kib=64, dram_latency=40, functional=1; race_check=0\n"
            "                       turns off the race check (on by default: a pair of\n"
            "                       accesses that no token or sync orders is an error)\n"
            "  --load FILE@ADDR     copy a raw file into DRAM at ADDR (repeatable)\n"
            "  --dump ADDR:LEN:FILE after the run, write LEN DRAM bytes at ADDR to FILE\n"
            "  --prog-addr ADDR     DRAM address of the program (default 0)\n"
            "  --window BASE:LIMIT  DMA/fetch window (default: all of DRAM)\n"
            "  --trace              print every retired instruction\n"
            "  --trace-writes       print every retired instruction and the writes it made\n"
            "  --show-config        print the configuration\n"
            "  -q, --quiet          print only errors\n"
            "  --version            print the version and exit\n"
            "  -h, --help           this text\n"
            "Exit status: 0 halted; 1 unreadable or malformed input, a run error or a race;\n"
            "2 bad usage.\n");
}

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!*s || *s == '-')
        return -1;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return errno || *end ? -1 : 0;
}

struct trace_ctx {
    int writes;
    double mhz;
};

static const char *unit_name(int u)
{
    static const char *n[] = {"fe", "dma", "mfu", "vfu"};
    return u >= 0 && u < 4 ? n[u] : "?";
}

static void on_retire(void *ctx, const dlp_retire_t *r)
{
    const struct trace_ctx *tc = ctx;
    char text[256];
    dlp_disasm_insn(r->insn->w, text, sizeof text);
    printf("%10" PRIu64 " %10" PRIu64 " %-3s %5u  %s\n", r->start, r->end, unit_name(r->unit),
           r->pc, text);
    if (!tc->writes)
        return;
    for (uint32_t i = 0; i < r->n_writes; i++) {
        const dlp_write_t *w = &r->writes[i];
        uint32_t bytes = w->mem == DLP_MEM_ACC ? 4 * w->len : w->mem == DLP_MEM_REG ? 4 : w->len;
        printf("%28s %s[0x%x] =", "", dlp_mem_name(w->mem), w->addr);
        for (uint32_t k = 0; k < bytes && k < 64; k++)
            printf(" %02x", w->data[k]);
        printf(bytes > 64 ? " ... (%u bytes)\n" : "\n", bytes);
    }
}

/* Prints the races of the run with both instructions disassembled; returns their number. */
static uint64_t report_races(const dlp_t *m, const dlp_result_t *res, const dlp_prog_t *prog,
                             const char *path)
{
    uint64_t n = res->race.races;
    dlp_race_t r;
    char text[320];
    if (!n)
        return 0;
    fprintf(stderr,
            "dlpsim: %s: error: %" PRIu64 " race%s -- accesses that no token or sync orders, so "
            "that the result depends on timing (the RTL may compute other bits):\n",
            path, n, n == 1 ? "" : "s");
    for (unsigned k = 0; dlp_race_get(m, k, &r) == 0; k++) {
        dlp_race_format(&r, text, sizeof text);
        fprintf(stderr, "  %s\n", text);
        for (int i = 0; i < 2; i++) {
            if (r.pc[i] < prog->n_insns)
                dlp_disasm_insn(&prog->words[(size_t)r.pc[i] * DLP_INSN_WORDS], text, sizeof text);
            else
                snprintf(text, sizeof text, "?");
            fprintf(stderr, "    %s pc %u: %s\n", i ? "later  " : "earlier", r.pc[i], text);
        }
    }
    if (n > 16)
        fprintf(stderr, "  ... and %" PRIu64 " more\n", n - 16);
    fprintf(stderr,
            "dlpsim: order them with wait=/signal= tokens or a sync (docs/isa.md, \"Dependency "
            "tokens\"); --set race_check=0 turns the check off\n");
    return n;
}

static double pct(uint64_t a, uint64_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

int main(int argc, char **argv)
{
    dlp_config_t cfg;
    struct load loads[MAX_ITEMS];
    struct dump dumps[MAX_ITEMS];
    int nloads = 0, ndumps = 0, trace = 0, quiet = 0, show_cfg = 0;
    uint64_t prog_addr = 0, win_base = 0, win_limit = 0;
    int have_window = 0;
    const char *prog_path = NULL;
    char msg[512];
    dlp_prog_t prog;
    dlp_t *m;
    dlp_result_t res;
    struct trace_ctx tc = {0, 0};
    int rc;

    dlp_config_default(&cfg);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (dlp_std_option(a, "dlpsim", usage)) {
            return 0;
        } else if (!strcmp(a, "--config") && v) {
            if (dlp_config_preset(&cfg, v)) {
                fprintf(stderr, "dlpsim: unknown configuration '%s'\n", v);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--set") && v) {
            char key[64];
            const char *eq = strchr(v, '=');
            if (!eq || (size_t)(eq - v) >= sizeof key) {
                fprintf(stderr, "dlpsim: --set wants KEY=VALUE, got '%s'\n", v);
                return 2;
            }
            memcpy(key, v, (size_t)(eq - v));
            key[eq - v] = 0;
            if (dlp_config_set(&cfg, key, eq + 1, msg, sizeof msg)) {
                fprintf(stderr, "dlpsim: --set %s\n", msg);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--load") && v) {
            const char *at = strrchr(v, '@');
            if (!at || nloads == MAX_ITEMS || parse_u64(at + 1, &loads[nloads].addr)) {
                fprintf(stderr, "dlpsim: --load wants FILE@ADDR, got '%s'\n", v);
                return 2;
            }
            loads[nloads].path = v;
            argv[i + 1][at - v] = 0;
            nloads++;
            i++;
        } else if (!strcmp(a, "--dump") && v) {
            char *c1 = strchr(argv[i + 1], ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
            if (!c2 || ndumps == MAX_ITEMS) {
                fprintf(stderr, "dlpsim: --dump wants ADDR:LEN:FILE, got '%s'\n", v);
                return 2;
            }
            *c1 = *c2 = 0;
            if (parse_u64(argv[i + 1], &dumps[ndumps].addr) || parse_u64(c1 + 1, &dumps[ndumps].len)) {
                fprintf(stderr, "dlpsim: --dump wants ADDR:LEN:FILE\n");
                return 2;
            }
            dumps[ndumps++].path = c2 + 1;
            i++;
        } else if (!strcmp(a, "--prog-addr") && v) {
            if (parse_u64(v, &prog_addr)) {
                fprintf(stderr, "dlpsim: bad --prog-addr '%s'\n", v);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--window") && v) {
            char buf[128];
            char *c;
            snprintf(buf, sizeof buf, "%s", v);
            c = strchr(buf, ':');
            if (!c || (*c = 0, parse_u64(buf, &win_base)) || parse_u64(c + 1, &win_limit)) {
                fprintf(stderr, "dlpsim: --window wants BASE:LIMIT, got '%s'\n", v);
                return 2;
            }
            have_window = 1;
            i++;
        } else if (!strcmp(a, "--trace")) {
            trace = 1;
        } else if (!strcmp(a, "--trace-writes")) {
            trace = 1;
            tc.writes = 1;
        } else if (!strcmp(a, "--show-config")) {
            show_cfg = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (a[0] == '-') {
            fprintf(stderr, "dlpsim: unknown option or missing value: %s (see dlpsim -h)\n", a);
            return 2;
        } else if (!prog_path) {
            prog_path = a;
        } else {
            fprintf(stderr, "dlpsim: more than one program given ('%s', '%s')\n", prog_path, a);
            return 2;
        }
    }
    if (!prog_path) {
        usage(stderr);
        return 2;
    }
    if (dlp_prog_read_file(prog_path, &prog, msg, sizeof msg)) {
        fprintf(stderr, "dlpsim: %s\n", msg);
        return 1;
    }
    m = dlp_create(&cfg, msg, sizeof msg);
    if (!m) {
        fprintf(stderr, "dlpsim: configuration: %s\n", msg);
        dlp_prog_free(&prog);
        return 2;
    }
    if (show_cfg) {
        dlp_config_format(&cfg, msg, sizeof msg);
        printf("config: %s\n", msg);
    }
    if (dlp_dram_write(m, prog_addr, prog.words, (size_t)prog.n_insns * DLP_INSN_BYTES)) {
        fprintf(stderr, "dlpsim: program does not fit in DRAM at 0x%" PRIx64 "\n", prog_addr);
        rc = 1;
        goto out;
    }
    for (int i = 0; i < nloads; i++) {
        uint8_t *buf;
        size_t len;
        /* nothing larger than the DRAM can fit in it */
        if (dlp_file_read(loads[i].path, (size_t)cfg.dram_bytes, &buf, &len, msg, sizeof msg)) {
            fprintf(stderr, "dlpsim: cannot read %s: %s\n", loads[i].path, msg);
            rc = 1;
            goto out;
        }
        if (dlp_dram_write(m, loads[i].addr, buf, len)) {
            fprintf(stderr, "dlpsim: %s (%zu bytes) does not fit in DRAM at 0x%" PRIx64 "\n",
                    loads[i].path, len, loads[i].addr);
            free(buf);
            rc = 1;
            goto out;
        }
        free(buf);
    }
    if (have_window && dlp_set_window(m, win_base, win_limit)) {
        fprintf(stderr, "dlpsim: window 0x%" PRIx64 ":0x%" PRIx64 " is not inside DRAM\n",
                win_base, win_limit);
        rc = 2;
        goto out;
    }
    if (trace) {
        tc.mhz = cfg.clock_mhz;
        dlp_set_retire_cb(m, on_retire, &tc, tc.writes);
        printf("%10s %10s %-3s %5s  %s\n", "start", "end", "unit", "pc", "instruction");
    }
    rc = dlp_run(m, prog_addr, prog.n_insns, &res) ? 1 : 0;
    if (res.status == DLP_ERROR)
        fprintf(stderr, "dlpsim: error %s at instruction %u (cycle %" PRIu64 "): %s\n",
                dlp_cause_name(res.cause), res.err_pc, res.counters.cycles - 1, res.message);
    if (report_races(m, &res, &prog, prog_path)) {
        rc = 1;
        ndumps = 0; /* a result that depends on timing is not written */
    }
    if (!quiet) {
        const dlp_counters_t *c = &res.counters;
        uint64_t peak = (uint64_t)cfg.rows * cfg.cols;
        printf("status        %s\n", res.status == DLP_DONE ? "halted" : "error");
        printf("cycles        %" PRIu64 " (%.3f us at %g MHz; fetch %" PRIu64 ")\n", c->cycles,
               (double)c->cycles / cfg.clock_mhz, cfg.clock_mhz, c->fetch_cycles);
        printf("instructions  %" PRIu64 "\n", c->insns);
        printf("busy dma      %" PRIu64 " (%.1f%%)\n", c->busy_dma, pct(c->busy_dma, c->cycles));
        printf("busy mfu      %" PRIu64 " (%.1f%%)\n", c->busy_mfu, pct(c->busy_mfu, c->cycles));
        printf("busy vfu      %" PRIu64 " (%.1f%%)\n", c->busy_vfu, pct(c->busy_vfu, c->cycles));
        printf("dram read     %" PRIu64 " bytes\n", c->dram_rd_bytes);
        printf("dram written  %" PRIu64 " bytes\n", c->dram_wr_bytes);
        printf("macs          %" PRIu64 " (%.1f%% of %" PRIu64 " MAC/cycle peak)\n", c->macs,
               pct(c->macs, c->cycles * peak), peak);
        printf("stalls        queue full %" PRIu64 ", sync %" PRIu64 "\n", c->stall_queue_full,
               c->stall_sync);
        if (!cfg.race_check)
            printf("races         not checked (race_check=0)\n");
        else if (!res.race.checked)
            printf("races         not checked (out of memory for the check)\n");
        else
        {
            printf("races         %" PRIu64 " among %" PRIu64 " ld, %" PRIu64 " cp, %" PRIu64
                   " vf, %" PRIu64 " st instructions",
                   res.race.races, res.race.insns[DLP_Q_LD], res.race.insns[DLP_Q_CP],
                   res.race.insns[DLP_Q_VF], res.race.insns[DLP_Q_ST]);
            if (res.race.uninit_bytes)
                printf(" (%" PRIu64 " on-chip bytes read before this run wrote them)",
                       res.race.uninit_bytes);
            printf("\n");
        }
    }
    for (int i = 0; i < ndumps; i++) {
        char why[256];
        uint8_t *buf = dumps[i].len > cfg.dram_bytes ? NULL
                                                    : malloc(dumps[i].len ? dumps[i].len : 1);
        if (!buf || dlp_dram_read(m, dumps[i].addr, buf, dumps[i].len)) {
            fprintf(stderr, "dlpsim: --dump range 0x%" PRIx64 "+%" PRIu64 " is outside DRAM\n",
                    dumps[i].addr, dumps[i].len);
            free(buf);
            rc = 2;
            goto out;
        }
        if (dlp_file_write(dumps[i].path, buf, dumps[i].len, why, sizeof why)) {
            fprintf(stderr, "dlpsim: cannot write %s: %s\n", dumps[i].path, why);
            free(buf);
            rc = 1;
            goto out;
        }
        free(buf);
    }
out:
    dlp_destroy(m);
    dlp_prog_free(&prog);
    return rc;
}
