/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cfggen: reads sw/isa/dlp.configs (machine parameters and named configurations) and writes the
 * files generated from it (the list is in dlp.configs' header). Every output's first line says it
 * is generated and carries a hash of the source.
 *
 *   cfggen sw/isa/dlp.configs OUTROOT
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GEN_NAME "cfggen"
#include "genout.h"

#define MAX_PARAMS 32
#define MAX_CONFIGS 64
#define MAX_WORDS 64

/* The columns of a `config` line, in order, after the name. */
static const char *columns[] = {"rows",       "cols",       "vlanes",     "beat_bytes",
                                "burst_beats", "nram_bytes", "wram_bytes", "acc_bytes",
                                "imem_insns",  "dram_latency", "clock_mhz"};
#define NCOLS ((int)(sizeof columns / sizeof columns[0]))
/* shell names of the columns (the board files' names) */
static const char *shell_names[NCOLS] = {"ROWS", "COLS", "VLANES", "BEAT", "BURST", "NRAM",
                                         "WRAM", "ACC",  "IMEM",   "DRAM_LATENCY", "MHZ"};
/* harness defines of the columns that the co-simulation bench needs at compile time */
static const char *define_names[NCOLS] = {"P_ROWS", "P_COLS", "P_VLANES", "P_BEAT", "P_BURST",
                                          "P_NRAM", "P_WRAM", "P_ACC",    "P_IMEM", "P_DRAM_LAT", NULL};
static const char *uses_names[] = {"lint", "sim", "rtllib", "bench", "board"};
#define NUSES ((int)(sizeof uses_names / sizeof uses_names[0]))

enum rule { RULE_NONE, RULE_POW2, RULE_MUL4 };
static const char *rule_c[] = {"DLP_RULE_NONE", "DLP_RULE_POW2", "DLP_RULE_MUL4"};
static const char *rule_text[] = {"", "a power of two", "a multiple of 4"};

struct param {
    char key[32], sv[32], desc[160];
    uint64_t lo, hi, def;
    enum rule rule; /* the model's and the RTL's */
    int rtl_pow2;   /* the RTL also needs a power of two (its banked memories); the model does not */
    int column; /* index into columns[], or -1: default in `def` */
};

struct config {
    char name[48], cases[96], purpose[256];
    uint64_t v[NCOLS];
    int has[NCOLS]; /* 0: `-` (the default configuration's value) */
    int uses[NUSES];
};

static struct param params[MAX_PARAMS];
static int nparams;
static struct config configs[MAX_CONFIGS];
static int nconfigs;
static const char *src_path;
static int src_line;
static uint64_t src_hash = GEN_HASH_INIT;

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "cfggen: %s:%d: ", src_path, src_line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void copy(char *dst, size_t n, const char *s)
{
    if (strlen(s) >= n)
        die("'%s' is too long (at most %zu characters)", s, n - 1);
    strcpy(dst, s);
}

static int split(char *s, char **w, int max)
{
    int n = 0;
    while (*s) {
        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        if (n == max)
            die("more than %d words", max);
        w[n++] = s;
        while (*s && !isspace((unsigned char)*s))
            s++;
        if (*s)
            *s++ = 0;
    }
    return n;
}

/* A number with an optional K or M suffix. */
static uint64_t number(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    uint64_t scale = 1;
    if (*end == 'K')
        scale = 1024, end++;
    else if (*end == 'M')
        scale = 1024 * 1024, end++;
    if (end == s || *end || errno || s[0] == '-' || v > UINT64_MAX / scale)
        die("%s: '%s' is not a number", what, s);
    return (uint64_t)v * scale;
}

static int find_column(const char *key)
{
    for (int i = 0; i < NCOLS; i++)
        if (!strcmp(columns[i], key))
            return i;
    return -1;
}

static struct param *param_of_column(int c)
{
    for (int i = 0; i < nparams; i++)
        if (params[i].column == c)
            return &params[i];
    return NULL;
}

/* The text after the first n words of a line (already split: words are NUL-terminated). */
static void join_from(char **w, int n, int from, char *dst, size_t len)
{
    dst[0] = 0;
    for (int i = from; i < n; i++) {
        if (strlen(dst) + strlen(w[i]) + 2 > len)
            die("description too long");
        if (i > from)
            strcat(dst, " ");
        strcat(dst, w[i]);
    }
}

static void read_source(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    src_path = path;
    if (!f) {
        fprintf(stderr, "cfggen: cannot open %s: %s\n", path, strerror(errno));
        exit(1);
    }
    while (fgets(line, sizeof line, f)) {
        char *w[MAX_WORDS], *hash;
        int n;
        src_line++;
        gen_hash_line(&src_hash, line);
        if (!strchr(line, '\n') && !feof(f))
            die("line too long");
        if ((hash = strchr(line, '#')))
            *hash = 0;
        n = split(line, w, MAX_WORDS);
        if (n == 0)
            continue;
        if (!strcmp(w[0], "param")) {
            struct param *p;
            if (n < 8)
                die("param: want <key> <SvName|-> <min> <max> <rule> <default|table> <description>");
            if (nparams == MAX_PARAMS)
                die("too many parameters");
            p = &params[nparams++];
            copy(p->key, sizeof p->key, w[1]);
            copy(p->sv, sizeof p->sv, w[2]);
            p->lo = number(w[3], "min");
            p->hi = number(w[4], "max");
            if (p->lo > p->hi)
                die("%s: min above max", p->key);
            {
                char rb[32], *plus;
                copy(rb, sizeof rb, w[5]);
                if ((plus = strchr(rb, '+'))) {
                    *plus = 0;
                    if (strcmp(plus + 1, "rtlpow2"))
                        die("%s: unknown rule '%s' (-, pow2, mul4, rtlpow2, mul4+rtlpow2)", p->key, w[5]);
                    p->rtl_pow2 = 1;
                }
                if (!strcmp(rb, "-"))
                    p->rule = RULE_NONE;
                else if (!strcmp(rb, "pow2"))
                    p->rule = RULE_POW2;
                else if (!strcmp(rb, "mul4"))
                    p->rule = RULE_MUL4;
                else if (!strcmp(rb, "rtlpow2") && !plus)
                    p->rule = RULE_NONE, p->rtl_pow2 = 1;
                else
                    die("%s: unknown rule '%s' (-, pow2, mul4, rtlpow2, mul4+rtlpow2)", p->key, w[5]);
            }
            p->column = find_column(p->key);
            if (!strcmp(w[6], "table")) {
                if (p->column < 0)
                    die("%s is not a column of the configuration table", p->key);
            } else {
                if (p->column >= 0)
                    die("%s is a column: its default is the default configuration's (`table`)", p->key);
                p->def = number(w[6], "default");
            }
            join_from(w, n, 7, p->desc, sizeof p->desc);
            for (int i = 0; i < nparams - 1; i++)
                if (!strcmp(params[i].key, p->key))
                    die("parameter %s defined twice", p->key);
        } else if (!strcmp(w[0], "config")) {
            struct config *c;
            if (n < 3 + NCOLS + 2)
                die("config: want <name> <%d values> <uses> <cases> <purpose>", NCOLS);
            if (nconfigs == MAX_CONFIGS)
                die("too many configurations");
            c = &configs[nconfigs++];
            memset(c, 0, sizeof *c);
            copy(c->name, sizeof c->name, w[1]);
            for (const char *q = c->name; *q; q++)
                if (!isalnum((unsigned char)*q) && *q != '-' && *q != '_')
                    die("configuration name '%s': letters, digits, '-' and '_' only", c->name);
            for (int i = 0; i < nconfigs - 1; i++)
                if (!strcmp(configs[i].name, c->name))
                    die("configuration %s defined twice", c->name);
            if (nconfigs == 1 && strcmp(c->name, "default"))
                die("the first configuration must be `default`");
            for (int i = 0; i < NCOLS; i++) {
                const char *s = w[2 + i];
                if (!strcmp(s, "-")) {
                    if (nconfigs == 1)
                        die("default: every value must be given (%s)", columns[i]);
                    c->v[i] = configs[0].v[i];
                } else {
                    c->v[i] = number(s, columns[i]);
                    c->has[i] = 1;
                }
            }
            const char *uses = w[2 + NCOLS];
            if (strcmp(uses, "-")) {
                char buf[128], *save = NULL;
                copy(buf, sizeof buf, uses);
                for (char *u = strtok_r(buf, ",", &save); u; u = strtok_r(NULL, ",", &save)) {
                    int k;
                    for (k = 0; k < NUSES && strcmp(u, uses_names[k]); k++)
                        ;
                    if (k == NUSES)
                        die("%s: unknown use '%s' (lint, sim, rtllib, bench, board)", c->name, u);
                    c->uses[k] = 1;
                }
            }
            copy(c->cases, sizeof c->cases,
                 strcmp(w[3 + NCOLS], "-") ? w[3 + NCOLS] : c->name);
            join_from(w, n, 4 + NCOLS, c->purpose, sizeof c->purpose);
        } else {
            die("unknown statement '%s'", w[0]);
        }
    }
    fclose(f);
    src_line = 0;
    for (int i = 0; i < NCOLS; i++)
        if (!param_of_column(i)) {
            fprintf(stderr, "cfggen: %s: column %s has no `param` line\n", path, columns[i]);
            exit(1);
        }
    if (nconfigs == 0) {
        fprintf(stderr, "cfggen: %s: no configurations\n", path);
        exit(1);
    }
    /* every configuration's values within the parameters' ranges and rules */
    for (int k = 0; k < nconfigs; k++)
        for (int i = 0; i < NCOLS; i++) {
            const struct param *p = param_of_column(i);
            uint64_t v = configs[k].v[i];
            if (v < p->lo || v > p->hi ||
                ((p->rule == RULE_POW2 || (p->rtl_pow2 && strcmp(p->sv, "-"))) && (v & (v - 1))) ||
                (p->rule == RULE_MUL4 && v % 4)) {
                fprintf(stderr, "cfggen: %s: configuration %s: %s = %llu is outside %llu..%llu%s%s\n",
                        path, configs[k].name, p->key, (unsigned long long)v,
                        (unsigned long long)p->lo, (unsigned long long)p->hi,
                        p->rule ? " or not " : "", rule_text[p->rule]);
                if (p->rtl_pow2)
                    fprintf(stderr, "  (or not a power of two, which the RTL needs)\n");
                exit(1);
            }
        }
}

/* ---- output ------------------------------------------------------------------------------- */

/* Opens ROOT/REL and writes the generated-file line in the comment syntax given. */
static void open_gen(const char *root, const char *rel, const char *open, const char *close)
{
    open_out(root, rel);
    p("%s Generated by sw/isa/cfggen from sw/isa/dlp.configs (source fnv1a64 %016llx) -- do not "
      "edit; run `make gen`.%s\n",
      open, (unsigned long long)src_hash, close);
    if (strcmp(open, "<!--"))
        p_spdx(open, close);
}

static int is_clock(int col) { return !strcmp(columns[col], "clock_mhz"); }

static void gen_c_header(const char *root)
{
    open_gen(root, "cmodel/include/dlp_config_gen.h", "/*", " */");
    p("#ifndef DLP_CONFIG_GEN_H\n#define DLP_CONFIG_GEN_H\n\n#include <stdint.h>\n\n");
    p("/* Every named configuration (model preset), for help texts and error messages. */\n");
    p("#define DLP_PRESET_NAMES \"");
    for (int k = 0; k < nconfigs; k++)
        p("%s%s", k ? ", " : "", configs[k].name);
    p("\"\n\n");
    p("enum dlp_config_rule { DLP_RULE_NONE, DLP_RULE_POW2, DLP_RULE_MUL4 };\n\n");
    p("/* X(key, min, max, rule): the legal range of each integer machine parameter (the RTL's). */\n");
    p("#define DLP_CONFIG_PARAMS(X) \\\n");
    for (int i = 0; i < nparams; i++) {
        if (params[i].column >= 0 && is_clock(params[i].column))
            continue;
        p("    X(%s, %lluu, %lluu, %s)%s\n", params[i].key, (unsigned long long)params[i].lo,
          (unsigned long long)params[i].hi, rule_c[params[i].rule],
          i + 1 < nparams ? " \\" : "");
    }
    p("\n/* Defaults of the parameters that are not columns of the configuration table. */\n");
    for (int i = 0; i < nparams; i++) {
        if (params[i].column >= 0)
            continue;
        char up[32];
        size_t j;
        for (j = 0; params[i].key[j]; j++)
            up[j] = (char)toupper((unsigned char)params[i].key[j]);
        up[j] = 0;
        p("#define DLP_DEFAULT_%s %lluu\n", up, (unsigned long long)params[i].def);
    }
    p("\n/* One named configuration: the columns of sw/isa/dlp.configs. */\n");
    p("typedef struct {\n    const char *name;\n");
    for (int i = 0; i < NCOLS; i++)
        p("    %s %s;\n", is_clock(i) ? "double" : "uint32_t", columns[i]);
    p("    const char *purpose;\n} dlp_preset_t;\n\n");
    p("extern const dlp_preset_t dlp_presets[]; /* dlp_presets[0] is \"default\" */\n");
    p("extern const unsigned dlp_num_presets;\n\n#endif\n");
    close_out();
}

static void c_string(const char *s)
{
    p("\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            p("\\");
        p("%c", *s);
    }
    p("\"");
}

static void gen_c_source(const char *root)
{
    open_gen(root, "cmodel/src/dlp_config_gen.c", "/*", " */");
    p("#include \"dlp_config_gen.h\"\n\nconst dlp_preset_t dlp_presets[] = {\n");
    for (int k = 0; k < nconfigs; k++) {
        p("    {\"%s\",", configs[k].name);
        for (int i = 0; i < NCOLS; i++)
            p(is_clock(i) ? " %llu.0," : " %lluu,", (unsigned long long)configs[k].v[i]);
        p("\n     ");
        c_string(configs[k].purpose);
        p("},\n");
    }
    p("};\n\nconst unsigned dlp_num_presets = %d;\n", nconfigs);
    close_out();
}

static void gen_sv(const char *root)
{
    open_gen(root, "rtl/dlp_cfg_pkg.sv", "//", "");
    p("`default_nettype none\n\n");
    p("// The core's parameter defaults (the `default` configuration) and legal ranges; dlp_top\n");
    p("// takes its defaults from here and dlp_cfg_check checks its parameters at elaboration.\n");
    p("// verilator lint_off UNUSEDPARAM\npackage dlp_cfg_pkg;\n\n");
    for (int i = 0; i < nparams; i++) {
        const struct param *q = &params[i];
        if (!strcmp(q->sv, "-"))
            continue;
        p("  // %s\n", q->desc);
        p("  localparam int unsigned %sDefault = %llu;\n", q->sv,
          (unsigned long long)(q->column >= 0 ? configs[0].v[q->column] : q->def));
        p("  localparam int unsigned %sMin = %llu, %sMax = %llu;\n", q->sv,
          (unsigned long long)q->lo, q->sv, (unsigned long long)q->hi);
    }
    p("\nendpackage\n// verilator lint_on UNUSEDPARAM\n\n`default_nettype wire\n");
    close_out();

    open_gen(root, "rtl/dlp_cfg_check.sv", "//", "");
    p("`default_nettype none\n\n");
    p("// Elaboration check of the core's parameters against the ranges and rules of dlp_cfg_pkg (an\n");
    p("// illegal value stops Verilator and Yosys with an error naming it).\n");
    p("// dlp_top instantiates it with its own parameters; it has no ports and no logic.\n");
    p("module dlp_cfg_check #(\n");
    int first = 1;
    for (int i = 0; i < nparams; i++)
        if (strcmp(params[i].sv, "-")) {
            p("%s  parameter int unsigned %s = dlp_cfg_pkg::%sDefault", first ? "" : ",\n",
              params[i].sv, params[i].sv);
            first = 0;
        }
    p("\n) ();\n");
    for (int i = 0; i < nparams; i++) {
        const struct param *q = &params[i];
        if (!strcmp(q->sv, "-"))
            continue;
        p("  if (%s < dlp_cfg_pkg::%sMin || %s > dlp_cfg_pkg::%sMax", q->sv, q->sv, q->sv, q->sv);
        if (q->rule == RULE_POW2 || q->rtl_pow2)
            p(" || (%s & (%s - 1)) != 0", q->sv, q->sv);
        if (q->rule == RULE_MUL4)
            p(" || %s %% 4 != 0", q->sv);
        p(") begin : g_bad_%s\n", q->key);
        p("    $fatal(1, \"dlp_cfg_check: %s = %%0d is outside %llu..%llu%s%s%s (sw/isa/dlp.configs)\", %s);\n",
          q->sv, (unsigned long long)q->lo, (unsigned long long)q->hi, q->rule ? " or not " : "",
          rule_text[q->rule], q->rtl_pow2 ? " or not a power of two" : "", q->sv);
        p("  end\n");
    }
    p("endmodule\n\n`default_nettype wire\n");
    close_out();
}

static void gen_mk(const char *root)
{
    open_gen(root, "rtl/dlp_configs.mk", "#", "");
    p("# Named configurations (sw/isa/dlp.configs) for make. Included by the top Makefile.\n");
    p("#   CFG_<name>          the values: rows cols vlanes beat_bytes burst_beats nram_bytes\n");
    p("#                       wram_bytes acc_bytes imem_insns dram_latency clock_mhz\n");
    p("#   CFG_<name>_GFLAGS   the RTL parameter set (Verilator -G flags of dlp_top)\n");
    p("#   CFG_<name>_DFLAGS   the co-simulation bench's compile-time values (-D flags)\n");
    p("#   CFG_<name>_CASES    the configuration whose firmware/*/cases it runs in make sim\n\n");
    p("DLP_CONFIGS :=");
    for (int k = 0; k < nconfigs; k++)
        p(" %s", configs[k].name);
    p("\n");
    for (int u = 0; u < NUSES; u++) {
        char up[16];
        size_t j;
        for (j = 0; uses_names[u][j]; j++)
            up[j] = (char)toupper((unsigned char)uses_names[u][j]);
        up[j] = 0;
        p("CONFIGS_%s :=", up);
        for (int k = 0; k < nconfigs; k++)
            if (configs[k].uses[u])
                p(" %s", configs[k].name);
        p("\n");
    }
    for (int k = 0; k < nconfigs; k++) {
        const struct config *c = &configs[k];
        p("\nCFG_%s :=", c->name);
        for (int i = 0; i < NCOLS; i++)
            p(" %llu", (unsigned long long)c->v[i]);
        p("\nCFG_%s_GFLAGS :=", c->name);
        for (int i = 0; i < NCOLS; i++) {
            const struct param *q = param_of_column(i);
            if (strcmp(q->sv, "-"))
                p(" -G%s=%llu", q->sv, (unsigned long long)c->v[i]);
        }
        p("\nCFG_%s_DFLAGS :=", c->name);
        for (int i = 0; i < NCOLS; i++)
            if (define_names[i])
                p(" -D%s=%llu", define_names[i], (unsigned long long)c->v[i]);
        p("\nCFG_%s_CASES := %s\n", c->name, c->cases);
    }
    close_out();
}

static void gen_sh(const char *root)
{
    open_gen(root, "rtl/dlp_configs.sh", "#", "");
    p("# Named configurations (sw/isa/dlp.configs) for shell scripts: `. rtl/dlp_configs.sh`, then\n");
    p("# `dlp_config NAME` sets");
    for (int i = 0; i < NCOLS; i++)
        p(" %s", shell_names[i]);
    p("\n# (returns 1 for an unknown name).\n");
    p("# shellcheck disable=SC2034\nDLP_CONFIGS=\"");
    for (int k = 0; k < nconfigs; k++)
        p("%s%s", k ? " " : "", configs[k].name);
    p("\"\ndlp_config() {\n  case \"$1\" in\n");
    for (int k = 0; k < nconfigs; k++) {
        p("    %s)", configs[k].name);
        for (int i = 0; i < NCOLS; i++)
            p(" %s=%llu", shell_names[i], (unsigned long long)configs[k].v[i]);
        p(" ;;\n");
    }
    p("    *) return 1 ;;\n  esac\n}\n");
    close_out();
}

static void gen_md(const char *root)
{
    open_gen(root, "docs/configs.md", "<!--", " -->");
    p("# Named configurations\n\n");
    p("Generated from `sw/isa/dlp.configs`, the one place where a configuration's numbers are "
      "written. Every configuration is a model preset (`dlpsim --config NAME`, `dlpcc --config "
      "NAME`, libdlp `config=NAME`); the *uses* column says which other lists it is on: `lint` "
      "(`make lint`), `sim` (a `make sim` shape), `rtllib` (an rtl back-end library), `bench` "
      "(`make bench`), `board` (an FPGA board's core, named by `fpga/boards/*.cfg`). "
      "Sizes in bytes unless marked; the other parameters (`max_outstanding`, `queue_depth`, "
      "`loop_depth`, `token_max`) are at their defaults in every configuration.\n\n");
    p("| name | rows | cols | lanes | beat | burst | NRAM KiB | WRAM KiB | ACC KiB | imem | DRAM "
      "latency | MHz | uses | purpose |\n");
    p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int k = 0; k < nconfigs; k++) {
        const struct config *c = &configs[k];
        p("| `%s` | %llu | %llu | %llu | %llu | %llu | %llu | %llu | %llu | %llu | %llu | %llu | ",
          c->name, (unsigned long long)c->v[0], (unsigned long long)c->v[1],
          (unsigned long long)c->v[2], (unsigned long long)c->v[3], (unsigned long long)c->v[4],
          (unsigned long long)(c->v[5] / 1024), (unsigned long long)(c->v[6] / 1024),
          (unsigned long long)(c->v[7] / 1024), (unsigned long long)c->v[8],
          (unsigned long long)c->v[9], (unsigned long long)c->v[10]);
        int any = 0;
        for (int u = 0; u < NUSES; u++)
            if (c->uses[u])
                p("%s%s", any++ ? ", " : "", uses_names[u]);
        p(" | %s |\n", c->purpose);
    }
    p("\n## Parameters and their legal ranges\n\n");
    p("The model (`dlp_config_check`) and the RTL (`dlp_cfg_check`, at elaboration) accept the "
      "same ranges.\n\n| key | RTL parameter | range | rule | default | meaning |\n|---|---|---|---|---|---|\n");
    for (int i = 0; i < nparams; i++) {
        const struct param *q = &params[i];
        p("| `%s` | %s%s%s | %llu..%llu | %s | %llu | %s |\n", q->key, strcmp(q->sv, "-") ? "`" : "",
          strcmp(q->sv, "-") ? q->sv : "(model only)", strcmp(q->sv, "-") ? "`" : "",
          (unsigned long long)q->lo, (unsigned long long)q->hi,
          q->rtl_pow2 ? (q->rule ? "a multiple of 4; a power of two in the RTL"
                                 : "a power of two in the RTL (its banked memories; the model takes any size)")
                      : rule_text[q->rule],
          (unsigned long long)(q->column >= 0 ? configs[0].v[q->column] : q->def), q->desc);
    }
    close_out();
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: cfggen sw/isa/dlp.configs OUTROOT\n");
        return 2;
    }
    read_source(argv[1]);
    gen_c_header(argv[2]);
    gen_c_source(argv[2]);
    gen_sv(argv[2]);
    gen_mk(argv[2]);
    gen_sh(argv[2]);
    gen_md(argv[2]);
    return 0;
}
