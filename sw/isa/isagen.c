/* SPDX-License-Identifier: Apache-2.0 */
/*
 * isagen -- generate every ISA and CSR artefact from sw/isa/dlp.isa and sw/isa/dlp.csr.
 *
 *   isagen <dlp.isa> <dlp.csr> <root>
 *
 * writes, below <root>:
 *   cmodel/include/dlp_isa_gen.h   cmodel/src/dlp_isa_gen.c   rtl/dlp_isa_pkg.sv   docs/isa.md
 *   cmodel/include/dlp_csr_gen.h   rtl/dlp_csr_pkg.sv         docs/csr.md
 *
 * Like riscv-opcodes, it checks that every instruction's fields are disjoint, fit in 128 bits and
 * that opcodes are unique; any other bit of an instruction word is reserved and must be zero.
 * The make target `gen-check` regenerates into a scratch directory and fails on any difference.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GEN_NAME "isagen"
#include "genout.h"

#define MAX_FIELDS 96
#define MAX_INSNS 64
#define MAX_OPS 24
#define MAX_SEM 8
#define MAX_ERR 8
#define MAX_REGS 64
#define MAX_BITS 8
#define MAX_CAUSES 32

enum fkind { FK_U, FK_S, FK_REG, FK_SPACE, FK_MASK, FK_FLAG };
static const char *fkind_name[] = {"u", "s", "reg", "space", "mask", "flag"};
static const char *fkind_enum[] = {"DLP_FK_U",     "DLP_FK_S",    "DLP_FK_REG",
                                   "DLP_FK_SPACE", "DLP_FK_MASK", "DLP_FK_FLAG"};

enum okind { OK_REG, OK_IMM, OK_MEM, OK_NRAM, OK_WRAM, OK_ACC };
static const char *okind_name[] = {"reg", "imm", "mem", "nram", "wram", "acc"};
static const char *okind_enum[] = {"DLP_OK_REG",  "DLP_OK_IMM",  "DLP_OK_MEM",
                                   "DLP_OK_NRAM", "DLP_OK_WRAM", "DLP_OK_ACC"};

struct field {
    char name[16];
    int hi, lo;
    enum fkind kind;
    char doc[200];
};

struct operand {
    enum okind kind;
    int field, field2; /* field2: register field of a mem operand, else -1 */
    char key[16];      /* empty for positional */
    long long dflt;
};

/* A static rule of an instruction (ILLEGAL_ENCODING when broken), checked in the listed order
   by the C model's dlp_decode() and by the generated rtl/dlp_decode_check.sv. */
enum rule_kind { RULE_NONZERO, RULE_RANGE, RULE_ORDER, RULE_CHECK };
static const char *rule_enum[] = {"DLP_SR_NONZERO", "DLP_SR_RANGE", "DLP_SR_ORDER",
                                  "DLP_SR_CHECK"};
#define MAX_RULES 16
struct rule {
    enum rule_kind kind;
    int a, b;            /* fields (b: ORDER only) */
    long long lo, hi;    /* RANGE */
    char na[24], nb[24]; /* names in messages (RANGE: na; ORDER: na, nb); CHECK: na = check name */
};
/* hand-written checks a `check` line may name: C in cmodel/src/decode.c, SV in rtl/dlp_pkg.sv */
static const char *check_names[] = {"pool_window"};
#define NCHECKS ((int)(sizeof check_names / sizeof check_names[0]))

/* An instruction's parameter block in WRAM: int32 words, little-endian; `per_column` blocks
   repeat for every output column (vrq), a `block` is read once (vadd). */
#define MAX_PARAMS 16
struct params {
    char insn[16];
    int per_column;
    char word[MAX_PARAMS][24];
    int nwords;
};
#define MAX_PBLOCKS 4

struct space {
    char name[16];
    int code;
    char doc[120];
};
#define MAX_SPACES 4

struct insn {
    char mnem[16];
    int opcode;
    char queue[8];
    int fields[MAX_FIELDS];
    int nfields;
    struct operand ops[MAX_OPS];
    int nops;
    char sem[MAX_SEM][600];
    int nsem;
    char err[MAX_ERR][32];
    char errdoc[MAX_ERR][200];
    int nerr;
    struct rule rules[MAX_RULES];
    int nrules;
    int line;
};

struct bits {
    char name[24];
    int hi, lo;
    char doc[160];
};

struct reg {
    char name[24];
    unsigned off;
    char access[8];
    char doc[600];
    struct bits bits[MAX_BITS];
    int nbits;
};

struct cause {
    char name[24];
    int value;
    char doc[200];
    int info_fmt;         /* index into info_fmts[]; 0: no `info` line */
    char info_label[80];  /* ERR_INFO in messages; {} stands for the value */
    char info_doc[200];   /* ERR_INFO's meaning, for docs/csr.md */
};
static const char *info_fmts[] = {"none", "word", "hex", "dec", "channel"};
static const char *info_enum[] = {"DLP_INFO_NONE", "DLP_INFO_WORD", "DLP_INFO_HEX", "DLP_INFO_DEC",
                                  "DLP_INFO_CHANNEL"};

static struct field fields[MAX_FIELDS];
static int nfields;
static struct insn insns[MAX_INSNS];
static int ninsns;
static int isa_version = -1;
static struct space spaces[MAX_SPACES];
static int nspaces;
static struct params pblocks[MAX_PBLOCKS];
static int npblocks;
static struct reg regs[MAX_REGS];
static int nregs;
static struct cause causes[MAX_CAUSES];
static int ncauses;

static const char *cur_file;
static int cur_line;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (cur_file)
        fprintf(stderr, "%s:%d: error: ", cur_file, cur_line);
    else
        fprintf(stderr, "isagen: error: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void copy(char *dst, size_t n, const char *src)
{
    if (strlen(src) >= n)
        die("'%s' is too long (at most %zu characters)", src, n - 1);
    strcpy(dst, src);
}

/* Splits `s` in place into whitespace-separated words; returns the count. */
static int split(char *s, char **w, int max)
{
    int n = 0;
    for (;;) {
        while (*s && isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        if (n == max)
            die("too many words on the line");
        w[n++] = s;
        while (*s && !isspace((unsigned char)*s))
            s++;
        if (*s)
            *s++ = 0;
    }
    return n;
}

/* Returns the text after the first `skip` words of `line` (with its leading blanks removed). */
static const char *rest_after(const char *line, int skip)
{
    const char *p = line;
    for (int i = 0; i < skip; i++) {
        while (*p && isspace((unsigned char)*p))
            p++;
        while (*p && !isspace((unsigned char)*p))
            p++;
    }
    while (*p && isspace((unsigned char)*p))
        p++;
    return p;
}

static long long parse_int(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || *end || end == s)
        die("'%s' is not an integer", s);
    return v;
}

static int find_field(const char *name)
{
    for (int i = 0; i < nfields; i++)
        if (!strcmp(fields[i].name, name))
            return i;
    return -1;
}

static int insn_has_field(const struct insn *in, int f)
{
    for (int i = 0; i < in->nfields; i++)
        if (in->fields[i] == f)
            return 1;
    return 0;
}

static void parse_operand(struct insn *in, char *tok)
{
    struct operand *o;
    char *eq = strchr(tok, '=');
    char *parts[4];
    int np = 0;

    if (in->nops == MAX_OPS)
        die("too many operands");
    o = &in->ops[in->nops++];
    memset(o, 0, sizeof *o);
    o->field2 = -1;
    if (eq) {
        *eq = 0;
        copy(o->key, sizeof o->key, tok);
        tok = eq + 1;
    }
    for (char *p = strtok(tok, ":"); p; p = strtok(NULL, ":")) {
        if (np == 4)
            die("operand has too many ':' parts");
        parts[np++] = p;
    }
    if (np < 2)
        die("operand needs kind:field");
    o->kind = (enum okind)-1;
    for (int k = 0; k < 6; k++)
        if (!strcmp(parts[0], okind_name[k]))
            o->kind = (enum okind)k;
    if ((int)o->kind < 0)
        die("unknown operand kind '%s'", parts[0]);
    o->field = find_field(parts[1]);
    if (o->field < 0 || !insn_has_field(in, o->field))
        die("operand field '%s' is not a field of %s", parts[1], in->mnem);
    if (o->kind == OK_MEM) {
        if (np < 3)
            die("mem operand needs mem:spacefield:regfield");
        o->field2 = find_field(parts[2]);
        if (o->field2 < 0 || !insn_has_field(in, o->field2))
            die("operand field '%s' is not a field of %s", parts[2], in->mnem);
        if (fields[o->field].kind != FK_SPACE || fields[o->field2].kind != FK_REG)
            die("mem operand needs a space field and a register field");
        if (np > 3)
            die("mem operands take no default");
    } else {
        int want_reg = o->kind != OK_IMM;
        if (want_reg != (fields[o->field].kind == FK_REG))
            die("operand kind '%s' does not match field '%s' of kind %s", parts[0], parts[1],
                fkind_name[fields[o->field].kind]);
        if (np == 3)
            o->dflt = parse_int(parts[2]);
        if (np > 3)
            die("too many ':' parts");
    }
    if (!o->key[0] && np == 3 && o->kind != OK_MEM)
        die("positional operands take no default");
}

/* FNV-1a 64 of each source, printed in every generated file's first line */
static uint64_t isa_hash = GEN_HASH_INIT, csr_hash = GEN_HASH_INIT;

static void read_isa(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024], work[1024];
    struct insn *in = NULL;

    if (!f)
        die("cannot open %s: %s", path, strerror(errno));
    cur_file = path;
    cur_line = 0;
    while (fgets(line, sizeof line, f)) {
        char *w[64];
        int n;
        cur_line++;
        gen_hash_line(&isa_hash, line);
        if (!strchr(line, '\n') && !feof(f))
            die("line too long");
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == '#')
            continue;
        copy(work, sizeof work, line);
        /* semantics lines may contain '#'; strip comments elsewhere */
        n = split(work, w, 64);
        if (!n)
            continue;
        if (!strcmp(w[0], "isa_version")) {
            if (n != 2)
                die("isa_version takes one number");
            isa_version = (int)parse_int(w[1]);
        } else if (!strcmp(w[0], "field")) {
            struct field *fd;
            if (in)
                die("field inside an insn block");
            if (n < 6)
                die("field <name> <hi> <lo> <kind> <description>");
            if (nfields == MAX_FIELDS)
                die("too many fields");
            if (find_field(w[1]) >= 0)
                die("field '%s' defined twice", w[1]);
            fd = &fields[nfields++];
            copy(fd->name, sizeof fd->name, w[1]);
            fd->hi = (int)parse_int(w[2]);
            fd->lo = (int)parse_int(w[3]);
            if (fd->lo < 0 || fd->hi > 127 || fd->hi < fd->lo || fd->hi - fd->lo + 1 > 32)
                die("field '%s' bits %d:%d invalid (0..127, at most 32 wide)", fd->name, fd->hi,
                    fd->lo);
            fd->kind = (enum fkind)-1;
            for (int k = 0; k < 6; k++)
                if (!strcmp(w[4], fkind_name[k]))
                    fd->kind = (enum fkind)k;
            if ((int)fd->kind < 0)
                die("unknown field kind '%s'", w[4]);
            if (fd->kind == FK_REG && fd->hi - fd->lo != 3)
                die("register field '%s' must be 4 bits", fd->name);
            if (fd->kind == FK_SPACE && fd->hi - fd->lo != 1)
                die("space field '%s' must be 2 bits", fd->name);
            if (fd->kind == FK_FLAG && fd->hi != fd->lo)
                die("flag field '%s' must be 1 bit", fd->name);
            copy(fd->doc, sizeof fd->doc, rest_after(line, 5));
        } else if (!strcmp(w[0], "insn")) {
            if (in)
                die("insn inside an insn block (missing 'end')");
            if (n != 4)
                die("insn <mnemonic> <opcode> <queue>");
            if (ninsns == MAX_INSNS)
                die("too many instructions");
            in = &insns[ninsns++];
            memset(in, 0, sizeof *in);
            in->line = cur_line;
            copy(in->mnem, sizeof in->mnem, w[1]);
            in->opcode = (int)parse_int(w[2]);
            if (in->opcode <= 0 || in->opcode > 63)
                die("opcode must be 1..63 (0 is reserved so that zeroed memory traps)");
            copy(in->queue, sizeof in->queue, w[3]);
            if (strcmp(in->queue, "FE") && strcmp(in->queue, "DMA") && strcmp(in->queue, "CP") &&
                strcmp(in->queue, "VEC"))
                die("queue must be FE, DMA, CP or VEC");
            for (int i = 0; i < ninsns - 1; i++) {
                if (!strcmp(insns[i].mnem, in->mnem))
                    die("mnemonic '%s' defined twice", in->mnem);
                if (insns[i].opcode == in->opcode)
                    die("opcode 0x%02x used by both %s and %s", in->opcode, insns[i].mnem,
                        in->mnem);
            }
        } else if (!strcmp(w[0], "fields")) {
            uint64_t used[2] = {0, 0};
            if (!in)
                die("'fields' outside an insn block");
            for (int i = 1; i < n; i++) {
                int id = find_field(w[i]);
                if (id < 0)
                    die("unknown field '%s'", w[i]);
                for (int b = fields[id].lo; b <= fields[id].hi; b++) {
                    if (used[b / 64] >> (b % 64) & 1)
                        die("field '%s' of %s overlaps another field at bit %d", w[i], in->mnem,
                            b);
                    used[b / 64] |= 1ull << (b % 64);
                }
                in->fields[in->nfields++] = id;
            }
            if (!insn_has_field(in, find_field("op")))
                die("%s must contain the 'op' field", in->mnem);
            if (strcmp(in->queue, "FE") &&
                (!insn_has_field(in, find_field("wait")) ||
                 !insn_has_field(in, find_field("signal"))))
                die("queued instruction %s must contain 'wait' and 'signal'", in->mnem);
        } else if (!strcmp(w[0], "syntax")) {
            int kw = 0;
            if (!in)
                die("'syntax' outside an insn block");
            for (int i = 1; i < n; i++) {
                if (!strcmp(w[i], "|")) {
                    kw = 1;
                    continue;
                }
                if (kw != (strchr(w[i], '=') != NULL))
                    die("'%s': keyword operands (name=...) go after '|', positional before",
                        w[i]);
                parse_operand(in, w[i]);
            }
        } else if (!strcmp(w[0], "sem")) {
            if (!in)
                die("'sem' outside an insn block");
            if (in->nsem == MAX_SEM)
                die("too many sem lines");
            copy(in->sem[in->nsem++], sizeof in->sem[0], rest_after(line, 1));
        } else if (!strcmp(w[0], "err")) {
            if (!in)
                die("'err' outside an insn block");
            if (n < 3)
                die("err <CAUSE> <text>");
            if (in->nerr == MAX_ERR)
                die("too many err lines");
            copy(in->err[in->nerr], sizeof in->err[0], w[1]);
            copy(in->errdoc[in->nerr++], sizeof in->errdoc[0], rest_after(line, 2));
        } else if (!strcmp(w[0], "params")) {
            struct params *pb;
            if (in)
                die("params inside an insn block");
            if (n < 4 || (strcmp(w[2], "per_column") && strcmp(w[2], "block")))
                die("params <insn> per_column|block <int32 word>...");
            if (npblocks == MAX_PBLOCKS)
                die("too many parameter blocks");
            if (n - 3 > MAX_PARAMS)
                die("too many words in a parameter block");
            pb = &pblocks[npblocks++];
            copy(pb->insn, sizeof pb->insn, w[1]);
            pb->per_column = !strcmp(w[2], "per_column");
            pb->nwords = n - 3;
            for (int i = 3; i < n; i++)
                copy(pb->word[i - 3], sizeof pb->word[0], w[i]);
        } else if (!strcmp(w[0], "space")) {
            struct space *sp;
            if (in)
                die("space inside an insn block");
            if (n < 4)
                die("space <name> <code> <description>");
            if (nspaces == MAX_SPACES)
                die("too many memory spaces (a space field has 2 bits)");
            sp = &spaces[nspaces++];
            copy(sp->name, sizeof sp->name, w[1]);
            sp->code = (int)parse_int(w[2]);
            if (sp->code < 0 || sp->code > 3)
                die("space code must be 0..3");
            for (int i = 0; i < nspaces - 1; i++)
                if (spaces[i].code == sp->code || !strcmp(spaces[i].name, sp->name))
                    die("space '%s' (%d) defined twice", sp->name, sp->code);
            copy(sp->doc, sizeof sp->doc, rest_after(line, 3));
        } else if (!strcmp(w[0], "nonzero") || !strcmp(w[0], "range") || !strcmp(w[0], "order") ||
                   !strcmp(w[0], "check")) {
            struct rule *r;
            if (!in)
                die("'%s' outside an insn block", w[0]);
            if (!strcmp(w[0], "nonzero")) {
                if (n < 2)
                    die("nonzero <field>...");
                for (int i = 1; i < n; i++) {
                    if (in->nrules == MAX_RULES)
                        die("too many rules");
                    r = &in->rules[in->nrules++];
                    memset(r, 0, sizeof *r);
                    r->kind = RULE_NONZERO;
                    if ((r->a = find_field(w[i])) < 0 || !insn_has_field(in, r->a))
                        die("nonzero: %s has no field '%s'", in->mnem, w[i]);
                }
                continue;
            }
            if (in->nrules == MAX_RULES)
                die("too many rules");
            r = &in->rules[in->nrules++];
            memset(r, 0, sizeof *r);
            if (!strcmp(w[0], "range")) {
                if (n < 5)
                    die("range <field> <lo> <hi> <name in messages...>");
                r->kind = RULE_RANGE;
                if ((r->a = find_field(w[1])) < 0 || !insn_has_field(in, r->a))
                    die("range: %s has no field '%s'", in->mnem, w[1]);
                r->lo = parse_int(w[2]);
                r->hi = parse_int(w[3]);
                copy(r->na, sizeof r->na, rest_after(line, 4));
            } else if (!strcmp(w[0], "order")) {
                if (n != 5)
                    die("order <field a> <field b> <name a> <name b>  (a must not exceed b)");
                r->kind = RULE_ORDER;
                if ((r->a = find_field(w[1])) < 0 || !insn_has_field(in, r->a) ||
                    (r->b = find_field(w[2])) < 0 || !insn_has_field(in, r->b))
                    die("order: %s has no field '%s' or '%s'", in->mnem, w[1], w[2]);
                copy(r->na, sizeof r->na, w[3]);
                copy(r->nb, sizeof r->nb, w[4]);
            } else {
                int k;
                if (n != 2)
                    die("check <name>");
                r->kind = RULE_CHECK;
                for (k = 0; k < NCHECKS && strcmp(check_names[k], w[1]); k++)
                    ;
                if (k == NCHECKS)
                    die("check: unknown check '%s' (pool_window)", w[1]);
                r->a = k;
                copy(r->na, sizeof r->na, w[1]);
            }
        } else if (!strcmp(w[0], "end")) {
            if (!in)
                die("'end' without insn");
            /* every operand-less field other than op/wait/signal/lbody must appear in syntax */
            for (int i = 0; i < in->nfields; i++) {
                int fid = in->fields[i], seen = 0;
                const char *nm = fields[fid].name;
                if (!strcmp(nm, "op") || !strcmp(nm, "wait") || !strcmp(nm, "signal") ||
                    !strcmp(nm, "lbody"))
                    continue;
                for (int k = 0; k < in->nops; k++)
                    if (in->ops[k].field == fid || in->ops[k].field2 == fid)
                        seen = 1;
                if (!seen)
                    die("field '%s' of %s has no operand in its syntax", nm, in->mnem);
            }
            in = NULL;
        } else {
            die("unknown statement '%s'", w[0]);
        }
    }
    if (in)
        die("missing 'end' for %s", in->mnem);
    if (isa_version < 0)
        die("missing isa_version");
    fclose(f);
    cur_file = NULL;
}

static int find_cause(const char *name)
{
    for (int i = 0; i < ncauses; i++)
        if (!strcmp(causes[i].name, name))
            return i;
    return -1;
}

static void read_csr(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024], work[1024];
    struct reg *rg = NULL;

    if (!f)
        die("cannot open %s: %s", path, strerror(errno));
    cur_file = path;
    cur_line = 0;
    while (fgets(line, sizeof line, f)) {
        char *w[128];
        int n;
        cur_line++;
        gen_hash_line(&csr_hash, line);
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == '#')
            continue;
        copy(work, sizeof work, line);
        n = split(work, w, 128);
        if (!n)
            continue;
        if (!strcmp(w[0], "reg")) {
            if (n < 5)
                die("reg <NAME> <offset> <access> <description>");
            if (nregs == MAX_REGS)
                die("too many registers");
            rg = &regs[nregs++];
            memset(rg, 0, sizeof *rg);
            copy(rg->name, sizeof rg->name, w[1]);
            rg->off = (unsigned)parse_int(w[2]);
            if (rg->off % 4 || rg->off > 0xffc)
                die("offset 0x%x must be 4-byte aligned and below 0x1000", rg->off);
            copy(rg->access, sizeof rg->access, w[3]);
            if (strcmp(rg->access, "ro") && strcmp(rg->access, "rw") &&
                strcmp(rg->access, "wo") && strcmp(rg->access, "rw1c"))
                die("access must be ro, rw, wo or rw1c");
            copy(rg->doc, sizeof rg->doc, rest_after(line, 4));
            for (int i = 0; i < nregs - 1; i++)
                if (regs[i].off == rg->off || !strcmp(regs[i].name, rg->name))
                    die("register %s clashes with %s", rg->name, regs[i].name);
        } else if (!strcmp(w[0], "bits")) {
            struct bits *b;
            uint32_t used = 0;
            if (!rg)
                die("bits before any reg");
            if (n < 5)
                die("bits <name> <hi> <lo> <description>");
            if (rg->nbits == MAX_BITS)
                die("too many bit fields");
            b = &rg->bits[rg->nbits++];
            copy(b->name, sizeof b->name, w[1]);
            b->hi = (int)parse_int(w[2]);
            b->lo = (int)parse_int(w[3]);
            if (b->lo < 0 || b->hi > 31 || b->hi < b->lo)
                die("bits %d:%d invalid", b->hi, b->lo);
            copy(b->doc, sizeof b->doc, rest_after(line, 4));
            for (int i = 0; i < rg->nbits; i++)
                for (int k = rg->bits[i].lo; k <= rg->bits[i].hi; k++) {
                    if (used >> k & 1)
                        die("bit field %s overlaps in %s", b->name, rg->name);
                    used |= 1u << k;
                }
        } else if (!strcmp(w[0], "cause")) {
            struct cause *c;
            if (n < 4)
                die("cause <NAME> <value> <description>");
            if (ncauses == MAX_CAUSES)
                die("too many causes");
            if (find_cause(w[1]) >= 0)
                die("cause %s defined twice", w[1]);
            c = &causes[ncauses++];
            copy(c->name, sizeof c->name, w[1]);
            c->value = (int)parse_int(w[2]);
            if (c->value != ncauses - 1)
                die("cause values must be 0, 1, 2, ... in order");
            copy(c->doc, sizeof c->doc, rest_after(line, 3));
        } else if (!strcmp(w[0], "info")) {
            struct cause *c;
            const char *rest, *bar;
            int k;
            if (n < 5 || (k = find_cause(w[1])) < 0)
                die("info <CAUSE> <word|hex|dec|channel> <label> | <meaning>");
            c = &causes[k];
            if (c->info_fmt)
                die("info for %s given twice", c->name);
            for (k = 1; k < 5 && strcmp(info_fmts[k], w[2]); k++)
                ;
            if (k == 5)
                die("info %s: format '%s' is not word, hex, dec or channel", c->name, w[2]);
            c->info_fmt = k;
            rest = rest_after(line, 3);
            if (!(bar = strchr(rest, '|')))
                die("info %s: want <label> | <meaning>", c->name);
            if ((size_t)(bar - rest) >= sizeof c->info_label)
                die("info %s: label too long", c->name);
            memcpy(c->info_label, rest, (size_t)(bar - rest));
            c->info_label[bar - rest] = 0;
            while (c->info_label[0] && c->info_label[strlen(c->info_label) - 1] == ' ')
                c->info_label[strlen(c->info_label) - 1] = 0;
            bar++;
            while (*bar == ' ')
                bar++;
            copy(c->info_doc, sizeof c->info_doc, bar);
        } else {
            die("unknown statement '%s'", w[0]);
        }
    }
    fclose(f);
    cur_file = NULL;
    for (int i = 0; i < ninsns; i++)
        for (int e = 0; e < insns[i].nerr; e++)
            if (find_cause(insns[i].err[e]) < 0)
                die("%s names unknown cause %s", insns[i].mnem, insns[i].err[e]);
}

/* ---- output helpers ------------------------------------------------------------------------- */

static void upper(char *dst, const char *src)
{
    while ((*dst++ = (char)toupper((unsigned char)*src++)))
        ;
}

/* Escapes a string for a C or SV string literal. */
static void p_cstr(const char *s)
{
    p("\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            p("\\%c", *s);
        else
            p("%c", *s);
    }
    p("\"");
}

static void used_mask(const struct insn *in, uint32_t m[4])
{
    memset(m, 0, 16);
    for (int i = 0; i < in->nfields; i++) {
        const struct field *fd = &fields[in->fields[i]];
        for (int b = fd->lo; b <= fd->hi; b++)
            m[b / 32] |= 1u << (b % 32);
    }
}

static const char *queue_enum(const char *q)
{
    return !strcmp(q, "FE")    ? "DLP_QC_FE"
           : !strcmp(q, "DMA") ? "DLP_QC_DMA"
           : !strcmp(q, "VEC") ? "DLP_QC_VEC"
                               : "DLP_QC_CP";
}

/* ---- C header --------------------------------------------------------------------------------- */

static void gen_c_header(const char *root)
{
    char up[32];
    open_out(root, "cmodel/include/dlp_isa_gen.h");
    p("/* Generated by sw/isa/isagen from sw/isa/dlp.isa (source fnv1a64 %016llx) -- do not edit; run `make gen`. */\n", (unsigned long long)isa_hash);
    p_spdx("/*", " */");
    p("#ifndef DLP_ISA_GEN_H\n#define DLP_ISA_GEN_H\n\n#include <stdint.h>\n\n");
    p("#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    p("#define DLP_ISA_VERSION %d\n", isa_version);
    p("#define DLP_INSN_BITS 128\n#define DLP_INSN_BYTES 16\n#define DLP_INSN_WORDS 4\n\n");
    p("/* Opcodes (field op, bits 5:0). Opcode 0 is reserved so that zeroed memory traps. */\n");
    p("enum dlp_opcode {\n");
    for (int i = 0; i < ninsns; i++) {
        upper(up, insns[i].mnem);
        p("    DLP_OP_%s = 0x%02x,\n", up, insns[i].opcode);
    }
    p("};\n\n");
    p("/* Instruction identifiers: index into dlp_insn_info[]. */\nenum dlp_insn_id {\n");
    for (int i = 0; i < ninsns; i++) {
        upper(up, insns[i].mnem);
        p("    DLP_I_%s,\n", up);
    }
    p("    DLP_I_COUNT\n};\n\n");
    p("/* Fields: index into dlp_field_info[]. */\nenum dlp_field {\n");
    for (int i = 0; i < nfields; i++) {
        upper(up, fields[i].name);
        p("    DLP_F_%s, /* bits %d:%d */\n", up, fields[i].hi, fields[i].lo);
    }
    p("    DLP_F_COUNT\n};\n\n");
    p("enum dlp_field_kind { DLP_FK_U, DLP_FK_S, DLP_FK_REG, DLP_FK_SPACE, DLP_FK_MASK, "
      "DLP_FK_FLAG };\n");
    p("enum dlp_queue_class { DLP_QC_FE, DLP_QC_DMA, DLP_QC_CP, DLP_QC_VEC };\n");
    p("enum dlp_operand_kind { DLP_OK_REG, DLP_OK_IMM, DLP_OK_MEM, DLP_OK_NRAM, DLP_OK_WRAM, "
      "DLP_OK_ACC };\n\n");
    p("typedef struct dlp_field_info {\n    const char *name;\n    uint8_t hi, lo;\n"
      "    uint8_t kind; /* enum dlp_field_kind */\n    const char *doc;\n} dlp_field_info_t;\n\n");
    p("typedef struct dlp_operand_info {\n    uint8_t kind;   /* enum dlp_operand_kind */\n"
      "    uint8_t field;  /* enum dlp_field; the space field of a DLP_OK_MEM operand */\n"
      "    int8_t field2;  /* register field of a DLP_OK_MEM operand, else -1 */\n"
      "    const char *key; /* keyword (name=value) or NULL for a positional operand */\n"
      "    int32_t dflt;    /* value of an omitted keyword operand */\n} dlp_operand_info_t;\n\n");
    p("/* Memory space codes (fields of kind space); a code not listed is reserved. */\n");
    p("enum dlp_space {\n");
    for (int i = 0; i < nspaces; i++) {
        upper(up, spaces[i].name);
        p("    DLP_SPACE_%s = %d, /* %s */\n", up, spaces[i].code, spaces[i].doc);
    }
    p("};\n\n");
    for (int i = 0; i < npblocks; i++) {
        const struct params *pb = &pblocks[i];
        char iu[32];
        upper(iu, pb->insn);
        p("/* %s parameter block in WRAM: int32 words, little-endian, %s. */\n", pb->insn,
          pb->per_column ? "one block per output column" : "one block");
        p("enum dlp_%s_param {", pb->insn);
        for (int k = 0; k < pb->nwords; k++) {
            upper(up, pb->word[k]);
            p("%s DLP_%s_%s", k ? "," : "", iu, up);
        }
        p(", DLP_%s_WORDS };\n#define DLP_%s_PARAM_BYTES (4 * DLP_%s_WORDS)%s\n\n", iu, iu, iu,
          pb->per_column ? " /* per column */" : "");
    }
    p("/* Static rules of an instruction (ILLEGAL_ENCODING when broken), checked in order:\n"
      "   NONZERO field a != 0; RANGE lo <= field a <= hi; ORDER field a <= field b;\n"
      "   CHECK the hand-written check a (enum dlp_check). na, nb: names in messages. */\n");
    p("enum dlp_static_rule { DLP_SR_NONZERO, DLP_SR_RANGE, DLP_SR_ORDER, DLP_SR_CHECK };\n");
    p("enum dlp_check {");
    for (int k = 0; k < NCHECKS; k++) {
        upper(up, check_names[k]);
        p("%s DLP_CHECK_%s", k ? "," : "", up);
    }
    p(" };\n");
    p("typedef struct dlp_rule_info {\n    uint8_t kind; /* enum dlp_static_rule */\n"
      "    uint8_t a, b;\n    int64_t lo, hi;\n    const char *na, *nb;\n} dlp_rule_info_t;\n\n");
    p("typedef struct dlp_insn_info {\n    const char *mnemonic;\n    uint8_t opcode;\n"
      "    uint8_t qclass; /* enum dlp_queue_class */\n    uint8_t nfields;\n"
      "    const uint8_t *fields; /* enum dlp_field */\n    uint8_t nops;\n"
      "    const dlp_operand_info_t *ops;\n    uint32_t used[DLP_INSN_WORDS]; /* bits owned by "
      "fields; all others must be 0 */\n    uint8_t nrules;\n"
      "    const dlp_rule_info_t *rules;\n} dlp_insn_info_t;\n\n");
    p("extern const dlp_field_info_t dlp_field_info[DLP_F_COUNT];\n");
    p("extern const dlp_insn_info_t dlp_insn_info[DLP_I_COUNT];\n\n");
    p("/* Instruction id of an opcode, or -1 when the opcode is undefined. */\n");
    p("int dlp_insn_of_opcode(unsigned opcode);\n");
    p("/* Instruction id of a mnemonic, or -1. */\nint dlp_insn_of_mnemonic(const char *m);\n\n");
    p("/* Raw access to a field of a 128-bit instruction word (w[0] holds bits 31:0). */\n");
    p("uint32_t dlp_field_get_raw(const uint32_t w[DLP_INSN_WORDS], enum dlp_field f);\n");
    p("void dlp_field_set_raw(uint32_t w[DLP_INSN_WORDS], enum dlp_field f, uint32_t v);\n");
    p("/* Field value, sign-extended for signed fields. */\n");
    p("int64_t dlp_field_get(const uint32_t w[DLP_INSN_WORDS], enum dlp_field f);\n");
    p("/* 1 if v is representable in field f (signed or unsigned range). */\n");
    p("int dlp_field_fits(enum dlp_field f, int64_t v);\n\n");
    p("#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
    close_out();
}

/* The first instruction whose field list / rules / operands equal insns[i]'s (an array is
   written once and shared by every instruction that has the same one). */
static int same_fields(int i)
{
    for (int j = 0; j < i; j++)
        if (insns[j].nfields == insns[i].nfields &&
            !memcmp(insns[j].fields, insns[i].fields, sizeof(int) * (size_t)insns[i].nfields))
            return j;
    return i;
}

static int same_rules(int i)
{
    for (int j = 0; j < i; j++) {
        int k;
        if (insns[j].nrules != insns[i].nrules)
            continue;
        for (k = 0; k < insns[i].nrules; k++) {
            const struct rule *x = &insns[i].rules[k], *y = &insns[j].rules[k];
            if (x->kind != y->kind || x->a != y->a || x->b != y->b || x->lo != y->lo ||
                x->hi != y->hi || strcmp(x->na, y->na) || strcmp(x->nb, y->nb))
                break;
        }
        if (k == insns[i].nrules)
            return j;
    }
    return i;
}

static int same_ops(int i)
{
    for (int j = 0; j < i; j++) {
        int k;
        if (insns[j].nops != insns[i].nops)
            continue;
        for (k = 0; k < insns[i].nops; k++) {
            const struct operand *x = &insns[i].ops[k], *y = &insns[j].ops[k];
            if (x->kind != y->kind || x->field != y->field || x->field2 != y->field2 ||
                strcmp(x->key, y->key) || x->dflt != y->dflt)
                break;
        }
        if (k == insns[i].nops)
            return j;
    }
    return i;
}

static void gen_c_source(const char *root)
{
    char up[32];
    open_out(root, "cmodel/src/dlp_isa_gen.c");
    p("/* Generated by sw/isa/isagen from sw/isa/dlp.isa (source fnv1a64 %016llx) -- do not edit; run `make gen`. */\n", (unsigned long long)isa_hash);
    p_spdx("/*", " */");
    p("#include \"dlp_isa_gen.h\"\n\n#include <string.h>\n\n");
    p("const dlp_field_info_t dlp_field_info[DLP_F_COUNT] = {\n");
    for (int i = 0; i < nfields; i++) {
        p("    {\"%s\", %d, %d, %s, ", fields[i].name, fields[i].hi, fields[i].lo,
          fkind_enum[fields[i].kind]);
        p_cstr(fields[i].doc);
        p("},\n");
    }
    p("};\n\n");
    for (int i = 0; i < ninsns; i++) {
        const struct insn *in = &insns[i];
        if (same_fields(i) == i) {
            p("static const uint8_t fields_%s[] = {", in->mnem);
            for (int k = 0; k < in->nfields; k++) {
                upper(up, fields[in->fields[k]].name);
                p("%sDLP_F_%s", k ? ", " : "", up);
            }
            p("};\n");
        }
        if (in->nrules && same_rules(i) == i) {
            p("static const dlp_rule_info_t rules_%s[] = {\n", in->mnem);
            for (int k = 0; k < in->nrules; k++) {
                const struct rule *r = &in->rules[k];
                char up2[32];
                if (r->kind == RULE_CHECK) {
                    upper(up, check_names[r->a]);
                    p("    {DLP_SR_CHECK, DLP_CHECK_%s, 0, 0, 0, \"%s\", 0},\n", up, r->na);
                    continue;
                }
                upper(up, fields[r->a].name);
                upper(up2, fields[r->kind == RULE_ORDER ? r->b : r->a].name);
                p("    {%s, DLP_F_%s, DLP_F_%s, %lld, %lld, ", rule_enum[r->kind], up, up2, r->lo,
                  r->hi);
                if (r->na[0])
                    p("\"%s\", ", r->na);
                else
                    p("0, ");
                if (r->nb[0])
                    p("\"%s\"},\n", r->nb);
                else
                    p("0},\n");
            }
            p("};\n");
        }
        if (in->nops && same_ops(i) == i) {
            p("static const dlp_operand_info_t ops_%s[] = {\n", in->mnem);
            for (int k = 0; k < in->nops; k++) {
                const struct operand *o = &in->ops[k];
                char up2[32];
                upper(up, fields[o->field].name);
                p("    {%s, DLP_F_%s, ", okind_enum[o->kind], up);
                if (o->field2 >= 0) {
                    upper(up2, fields[o->field2].name);
                    p("DLP_F_%s, ", up2);
                } else {
                    p("-1, ");
                }
                if (o->key[0])
                    p("\"%s\", ", o->key);
                else
                    p("0, ");
                p("%lld},\n", o->dflt);
            }
            p("};\n");
        }
    }
    p("\nconst dlp_insn_info_t dlp_insn_info[DLP_I_COUNT] = {\n");
    for (int i = 0; i < ninsns; i++) {
        const struct insn *in = &insns[i];
        uint32_t m[4];
        used_mask(in, m);
        p("    {\"%s\", 0x%02x, %s, %d, fields_%s, %d, ", in->mnem, in->opcode,
          queue_enum(in->queue), in->nfields, insns[same_fields(i)].mnem, in->nops);
        if (in->nops)
            p("ops_%s, ", insns[same_ops(i)].mnem);
        else
            p("0, ");
        p("{0x%08xu, 0x%08xu, 0x%08xu, 0x%08xu}, %d, ", m[0], m[1], m[2], m[3], in->nrules);
        if (in->nrules)
            p("rules_%s},\n", insns[same_rules(i)].mnem);
        else
            p("0},\n");
    }
    p("};\n\n");
    p("int dlp_insn_of_opcode(unsigned opcode)\n{\n    switch (opcode) {\n");
    for (int i = 0; i < ninsns; i++) {
        upper(up, insns[i].mnem);
        p("    case 0x%02x: return DLP_I_%s;\n", insns[i].opcode, up);
    }
    p("    default: return -1;\n    }\n}\n\n");
    p("int dlp_insn_of_mnemonic(const char *m)\n{\n"
      "    for (int i = 0; i < DLP_I_COUNT; i++)\n"
      "        if (!strcmp(dlp_insn_info[i].mnemonic, m))\n            return i;\n"
      "    return -1;\n}\n\n");
    p("uint32_t dlp_field_get_raw(const uint32_t w[DLP_INSN_WORDS], enum dlp_field f)\n{\n"
      "    unsigned lo = dlp_field_info[f].lo, width = dlp_field_info[f].hi - lo + 1u;\n"
      "    uint64_t pair = w[lo / 32];\n"
      "    if (lo / 32 < 3)\n        pair |= (uint64_t)w[lo / 32 + 1] << 32;\n"
      "    pair >>= lo % 32;\n"
      "    return (uint32_t)(pair & ((1ull << width) - 1));\n}\n\n");
    p("void dlp_field_set_raw(uint32_t w[DLP_INSN_WORDS], enum dlp_field f, uint32_t v)\n{\n"
      "    unsigned lo = dlp_field_info[f].lo, width = dlp_field_info[f].hi - lo + 1u;\n"
      "    uint64_t mask = ((1ull << width) - 1) << (lo % 32);\n"
      "    uint64_t pair = w[lo / 32];\n"
      "    if (lo / 32 < 3)\n        pair |= (uint64_t)w[lo / 32 + 1] << 32;\n"
      "    pair = (pair & ~mask) | (((uint64_t)v << (lo % 32)) & mask);\n"
      "    w[lo / 32] = (uint32_t)pair;\n"
      "    if (lo / 32 < 3)\n        w[lo / 32 + 1] = (uint32_t)(pair >> 32);\n}\n\n");
    p("int64_t dlp_field_get(const uint32_t w[DLP_INSN_WORDS], enum dlp_field f)\n{\n"
      "    uint32_t v = dlp_field_get_raw(w, f);\n"
      "    unsigned width = dlp_field_info[f].hi - dlp_field_info[f].lo + 1u;\n"
      "    if (dlp_field_info[f].kind == DLP_FK_S && width < 64 && (v >> (width - 1)) & 1)\n"
      "        return (int64_t)v - ((int64_t)1 << width);\n"
      "    return v;\n}\n\n");
    p("int dlp_field_fits(enum dlp_field f, int64_t v)\n{\n"
      "    unsigned width = dlp_field_info[f].hi - dlp_field_info[f].lo + 1u;\n"
      "    if (dlp_field_info[f].kind == DLP_FK_S)\n"
      "        return v >= -((int64_t)1 << (width - 1)) && v < ((int64_t)1 << (width - 1));\n"
      "    return v >= 0 && v < ((int64_t)1 << width);\n}\n");
    close_out();
}

/* ---- SystemVerilog package ---------------------------------------------------------------------- */

/* Register fields sit in 4-bit slots from bit 16 on; the number of slots a micro-op carries. */
static int num_reg_slots(void)
{
    int n = 0;
    for (int i = 0; i < nfields; i++) {
        if (fields[i].kind != FK_REG)
            continue;
        if (fields[i].lo < 16 || (fields[i].lo - 16) % 4)
            die("register field '%s' (bit %d) is not in a register slot (16 + 4k)", fields[i].name,
                fields[i].lo);
        if ((fields[i].lo - 16) / 4 + 1 > n)
            n = (fields[i].lo - 16) / 4 + 1;
    }
    return n;
}

/* rtl/dlp_decode_check.sv: the per-opcode decode and the static rules, as dlp_decode() applies
   them from dlp_insn_info[].rules */
static void sv_field(const struct field *f, char *buf, size_t len)
{
    char up[32];
    upper(up, f->name);
    if (f->kind == FK_S)
        snprintf(buf, len, "$signed(insn_i[F_%s_LO +: F_%s_W])", up, up);
    else
        snprintf(buf, len, "insn_i[F_%s_LO +: F_%s_W]", up, up);
}

static void gen_decode_check(const char *root)
{
    char up[32], a[96], b[96];
    open_out(root, "rtl/dlp_decode_check.sv");
    p("// Generated by sw/isa/isagen from sw/isa/dlp.isa (source fnv1a64 %016llx) -- do not edit; run `make gen`.\n", (unsigned long long)isa_hash);
    p_spdx("//", "");
    p("`default_nettype none\n\n");
    p("// OpenDLP static instruction checks: everything that depends on the instruction word alone,\n"
      "// as dlp_decode() of the C model (cmodel/src/decode.c) applies them: undefined opcode,\n"
      "// reserved bits, reserved or illegal memory spaces, and each instruction's rules of dlp.isa\n"
      "// (nonzero, range, order, check). Also reports the queue class and the queue that executes the\n"
      "// instruction (DMA: LD or ST by destination; vector: CP or VF by vq). Purely combinational.\n");
    p("module dlp_decode_check\n  import dlp_isa_pkg::*;\n  import dlp_csr_pkg::*;\n(\n"
      "  input  logic [127:0] insn_i,\n"
      "  output logic         valid_op_o,  // the opcode is defined\n"
      "  output logic [3:0]   cause_o,     // CAUSE_NONE, CAUSE_ILLEGAL_OPCODE or CAUSE_ILLEGAL_ENCODING\n"
      "  output logic [1:0]   qclass_o,    // QC_FE, QC_DMA, QC_CP, QC_VEC\n"
      "  output logic [1:0]   queue_o      // dlp_pkg::QLd/QCp/QSt/QVf for queued instructions\n);\n\n");
    p("  logic [5:0]   op;\n  logic [127:0] used;\n  logic         bad;\n"
      "  logic [1:0]   dsp, ssp;\n\n");
    p("  always_comb begin\n    op       = insn_i[5:0];\n"
      "    dsp      = insn_i[F_DSP_LO +: 2];\n    ssp      = insn_i[F_SSP_LO +: 2];\n\n");
    p("    valid_op_o = 1'b1;\n    used       = '0;\n    qclass_o   = QC_FE;\n"
      "    unique case (op)\n");
    for (int i = 0; i < ninsns; i++) {
        upper(up, insns[i].mnem);
        if (!strcmp(insns[i].queue, "FE"))
            p("      OP_%s: used = USED_%s;\n", up, up);
        else
            p("      OP_%s: begin used = USED_%s; qclass_o = QC_%s; end\n", up, up, insns[i].queue);
    }
    p("      default: valid_op_o = 1'b0;\n    endcase\n\n");
    p("    // DMA: LD when the destination is on chip, ST when it is DRAM; vector: VF when vq is set\n"
      "    queue_o = dlp_pkg::QCp[1:0];\n"
      "    if (qclass_o == QC_DMA) queue_o = (dsp == SPACE_DRAM) ? dlp_pkg::QSt[1:0]\n"
      "                                                          : dlp_pkg::QLd[1:0];\n"
      "    if (qclass_o == QC_VEC && insn_i[F_VQ_LO]) queue_o = dlp_pkg::QVf[1:0];\n\n");
    p("    bad = (insn_i & ~used) != '0;\n");
    p("    // DMA class rules (hand-written here and in dlp_decode()): reserved spaces, DRAM to DRAM\n"
      "    if (qclass_o == QC_DMA) begin\n");
    p("      if (");
    {
        int first = 1;
        for (int c = 0; c < 4; c++) {
            int listed = 0;
            for (int k = 0; k < nspaces; k++)
                listed |= spaces[k].code == c;
            if (listed)
                continue;
            p("%sdsp == 2'd%d || ssp == 2'd%d", first ? "" : " || ", c, c);
            first = 0;
        }
        if (first)
            p("1'b0");
    }
    p(") bad = 1'b1;\n      if (dsp == SPACE_DRAM && ssp == SPACE_DRAM) bad = 1'b1;\n    end\n");
    p("\n");
    p("    // the instructions' rules (dlp.isa: nonzero, range, order, check)\n    unique case (op)\n");
    for (int i = 0; i < ninsns; i++) {
        const struct insn *in = &insns[i];
        if (!in->nrules || same_rules(i) != i)
            continue;
        /* one case item for every instruction with these rules */
        for (int j = i, first = 1; j < ninsns; j++)
            if (insns[j].nrules && same_rules(j) == i) {
                upper(up, insns[j].mnem);
                p("%sOP_%s", first ? "      " : ", ", up);
                first = 0;
            }
        p(":\n        if (");
        for (int k = 0; k < in->nrules; k++) {
            const struct rule *r = &in->rules[k];
            p("%s", k ? " ||\n            " : "");
            switch (r->kind) {
            case RULE_NONZERO:
                sv_field(&fields[r->a], a, sizeof a);
                p("%s == '0", a);
                break;
            case RULE_RANGE:
                sv_field(&fields[r->a], a, sizeof a);
                p("longint'(%s) < longint'(%lld) || longint'(%s) > longint'(%lld)", a, r->lo, a,
                  r->hi);
                break;
            case RULE_ORDER:
                sv_field(&fields[r->a], a, sizeof a);
                sv_field(&fields[r->b], b, sizeof b);
                p("longint'(%s) > longint'(%s)", a, b);
                break;
            case RULE_CHECK:
                p("dlp_pkg::%s_bad(insn_i)", check_names[r->a]);
                break;
            }
        }
        p(") bad = 1'b1;\n");
    }
    p("      default: ;\n    endcase\n\n");
    p("    if (!valid_op_o)  cause_o = CAUSE_ILLEGAL_OPCODE;\n"
      "    else if (bad)     cause_o = CAUSE_ILLEGAL_ENCODING;\n"
      "    else              cause_o = CAUSE_NONE;\n  end\n\nendmodule\n\n`default_nettype wire\n");
    close_out();
}

static void gen_sv(const char *root)
{
    char up[32];
    open_out(root, "rtl/dlp_isa_pkg.sv");
    p("// Generated by sw/isa/isagen from sw/isa/dlp.isa (source fnv1a64 %016llx) -- do not edit; run `make gen`.\n", (unsigned long long)isa_hash);
    p_spdx("//", "");
    p("`default_nettype none\n\n");
    p("// Every field and opcode is defined here; each module uses a subset of them.\n");
    p("// verilator lint_off UNUSEDPARAM\npackage dlp_isa_pkg;\n\n");
    p("  localparam int unsigned IsaVersion = %d;\n", isa_version);
    p("  localparam int unsigned InsnBits = 128;\n\n");
    p("  // Opcodes (bits 5:0)\n");
    for (int i = 0; i < ninsns; i++) {
        upper(up, insns[i].mnem);
        p("  localparam logic [5:0] OP_%s = 6'h%02x;\n", up, insns[i].opcode);
    }
    p("\n  // Queue classes: 0 front end, 1 DMA (LD or ST by destination), 2 compute\n");
    p("  localparam logic [1:0] QC_FE = 2'd0;\n  localparam logic [1:0] QC_DMA = 2'd1;\n"
      "  localparam logic [1:0] QC_CP = 2'd2;\n  localparam logic [1:0] QC_VEC = 2'd3;\n\n");
    p("  // Field positions: F_<NAME>_LO and F_<NAME>_W\n");
    for (int i = 0; i < nfields; i++) {
        upper(up, fields[i].name);
        p("  localparam int unsigned F_%s_LO = %d;\n", up, fields[i].lo);
        p("  localparam int unsigned F_%s_W = %d;\n", up, fields[i].hi - fields[i].lo + 1);
    }
    p("\n  // Memory space codes (fields of kind space); a code not listed is reserved\n");
    for (int i = 0; i < nspaces; i++) {
        upper(up, spaces[i].name);
        p("  localparam logic [1:0] SPACE_%s = 2'd%d;\n", up, spaces[i].code);
    }
    for (int i = 0; i < npblocks; i++) {
        const struct params *pb = &pblocks[i];
        char iu[32];
        upper(iu, pb->insn);
        p("\n  // %s parameter block in WRAM: int32 words (index k at byte 4k), %s\n", pb->insn,
          pb->per_column ? "one block per output column" : "one block");
        for (int k = 0; k < pb->nwords; k++) {
            upper(up, pb->word[k]);
            p("  localparam int unsigned %s_%s = %d;\n", iu, up, k);
        }
        p("  localparam int unsigned %s_WORDS = %d;\n", iu, pb->nwords);
    }
    p("\n  // Register slots: a queued micro-op carries the values of the registers its register\n"
      "  // fields name, field k of bits [16 + 4k +: 4] in slot k (dlp_pkg's micro-op layout)\n");
    p("  localparam int unsigned NUM_REG_SLOTS = %d;\n", num_reg_slots());
    for (int i = 0; i < nfields; i++) {
        if (fields[i].kind != FK_REG)
            continue;
        upper(up, fields[i].name);
        p("  localparam int unsigned SLOT_%s = %d;\n", up, (fields[i].lo - 16) / 4);
    }
    p("\n  // Bits owned by each instruction's fields; every other bit must be zero\n");
    for (int i = 0; i < ninsns; i++) {
        uint32_t m[4];
        used_mask(&insns[i], m);
        upper(up, insns[i].mnem);
        p("  localparam logic [127:0] USED_%s = 128'h%08x_%08x_%08x_%08x;\n", up, m[3], m[2],
          m[1], m[0]);
    }
    p("\n  // Queue class of each opcode\n");
    for (int i = 0; i < ninsns; i++) {
        upper(up, insns[i].mnem);
        p("  localparam logic [1:0] QCLASS_%s = QC_%s;\n", up, insns[i].queue);
    }
    p("\nendpackage\n// verilator lint_on UNUSEDPARAM\n\n`default_nettype wire\n");
    close_out();
}

/* ---- ISA documentation ----------------------------------------------------------------------------- */

static void md_bits_diagram(const struct insn *in)
{
    /* fields sorted by lo, high bits first */
    int order[MAX_FIELDS], n = in->nfields;
    int bit = 127;
    for (int i = 0; i < n; i++)
        order[i] = in->fields[i];
    for (int i = 0; i < n; i++)
        for (int k = i + 1; k < n; k++)
            if (fields[order[k]].lo > fields[order[i]].lo) {
                int t = order[i];
                order[i] = order[k];
                order[k] = t;
            }
    p("| bits | field |\n|---|---|\n");
    for (int i = 0; i < n; i++) {
        const struct field *fd = &fields[order[i]];
        if (fd->hi < bit)
            p("| %d:%d | *reserved, 0* |\n", bit, fd->hi + 1);
        if (fd->hi == fd->lo)
            p("| %d | `%s` |\n", fd->hi, fd->name);
        else
            p("| %d:%d | `%s` |\n", fd->hi, fd->lo, fd->name);
        bit = fd->lo - 1;
    }
    if (bit >= 0)
        p("| %d:0 | *reserved, 0* |\n", bit);
}

static void md_syntax(const struct insn *in)
{
    p("`%s", in->mnem);
    int first = 1;
    for (int k = 0; k < in->nops; k++) {
        const struct operand *o = &in->ops[k];
        if (o->key[0])
            continue;
        p("%s", first ? " " : ", ");
        first = 0;
        switch (o->kind) {
        case OK_REG:
            p("%s", fields[o->field].name);
            break;
        case OK_IMM:
            p("%s", fields[o->field].name);
            break;
        case OK_MEM:
            p("SPACE[%s]", fields[o->field2].name);
            break;
        default:
            p("%s[%s]", okind_name[o->kind], fields[o->field].name);
            break;
        }
    }
    p("`");
    for (int k = 0; k < in->nops; k++) {
        const struct operand *o = &in->ops[k];
        if (!o->key[0])
            continue;
        if (o->kind == OK_REG)
            p(" `[, %s=rN]`", o->key);
        else
            p(" `[, %s=%lld]`", o->key, o->dflt);
    }
    if (strcmp(in->queue, "FE"))
        p(" `[, wait=Q[|Q]] [, signal=Q[|Q]]`");
    p("\n");
}

static void gen_md(const char *root)
{
    open_out(root, "docs/isa.md");
    p("<!-- Generated by sw/isa/isagen from sw/isa/dlp.isa (source fnv1a64 %016llx) -- do not edit; run `make gen`. -->\n", (unsigned long long)isa_hash);
    p("# OpenDLP instruction set, version %d\n\n", isa_version);
    p("This reference is generated from `sw/isa/dlp.isa`, the single source of the encoding; the C "
      "model's decoder, the assembler, the disassembler and the RTL package `rtl/dlp_isa_pkg.sv` "
      "are generated from the same file. `make gen-check` (part of `make test`) fails when any "
      "generated file differs from what the source produces.\n\n");
    p("## Machine state\n\n"
      "- 16 scalar registers `r0`..`r15` of 32 bits; `r0` reads as 0 (alias `zero`).\n"
      "- DRAM (byte addressed, 32-bit addresses; DMA and fetch are confined to the window "
      "`[WIN_BASE, WIN_LIMIT)`), NRAM and WRAM (byte-addressed on-chip scratchpads), ACC "
      "(int32 accumulators, addressed by element).\n"
      "- Four queues: LD (DMA into NRAM/WRAM), CP (matrix unit, and vector instructions with "
      "`vq=0`), VF (vector instructions with `vq=1`), ST (DMA to DRAM), decoupled so that DMA "
      "overlaps compute and the vector unit overlaps the matrix unit. Each queue runs its "
      "instructions one at a time, in order; the vector unit serves CP and VF. The front end "
      "executes scalar and loop instructions itself, in order, and dispatches the rest, reading "
      "their registers at dispatch.\n"
      "- Twelve token channels, one per ordered pair of queues. `wait=Q` makes an instruction "
      "wait until the channel from queue Q holds a token and consumes it; `signal=Q` adds a token "
      "to the channel towards Q when the instruction completes. The three mask bits name LD, CP "
      "and ST; the bit of the instruction's own queue names VF instead (an instruction on VF "
      "names LD, CP and ST). Signalling a full channel is a TOKEN_OVERFLOW; a state in which no "
      "queue can ever proceed is a DEADLOCK. Only tokens (and `sync`) order instructions of "
      "different queues; the timing of overlapping units is in `docs/timing.md`.\n"
      "- Scratchpad accesses have no alignment rule: the hardware banks its memories by byte "
      "(by element for ACC), so a program valid for one array shape is valid for every shape.\n\n");
    p("## Dependency tokens\n\n"
      "Instructions of one queue run in order; instructions of different queues run whenever "
      "their unit is free and their tokens are there. So a program must order every pair of "
      "instructions of different queues that touch the same byte (ACC: element), at least one of "
      "them writing: by a chain of tokens from the first to the second (the n-th `wait` on a "
      "channel consumes the n-th `signal` sent on it, and a signal is sent when its instruction "
      "completes), or by a `sync` between them. An unordered pair is a *race*: its result "
      "depends on timing (DRAM latency, back-pressure, the array shape), so the C model and the "
      "RTL may compute different bits.\n\n"
      "The C model checks this in every run unless told not to (`dlpsim --set race_check=0`, "
      "libdlp `cmodel:race_check=0`): a race is an error that names both instructions (pc, "
      "queue, position in the queue) and the byte range they share "
      "(`cmodel/src/race.c`, docs/assembler.md). The check asks whether the program orders the "
      "two, not whether they overlapped in that run's cycles, so it finds a missing token "
      "whatever the timing. The core itself does not check.\n\n");
    p("## Encoding\n\n"
      "Every instruction is 128 bits, stored as 16 little-endian bytes. Bits 5:0 hold the "
      "opcode; opcode 0 is undefined so that zeroed memory traps. Bits not owned by an "
      "instruction's fields are reserved and must be zero (else ILLEGAL_ENCODING). All checks "
      "(encoding, ranges, window, overlap) happen at dispatch, before any effect, in program "
      "order; the first failing instruction stops the core with its cause and index in the "
      "CSRs and raises the interrupt.\n\n");
    p("### Opcode map\n\n| opcode | mnemonic | queue |\n|---|---|---|\n");
    for (int i = 0; i < ninsns; i++)
        p("| 0x%02x | `%s` | %s |\n", insns[i].opcode, insns[i].mnem,
          !strcmp(insns[i].queue, "DMA")   ? "LD / ST"
          : !strcmp(insns[i].queue, "VEC") ? "CP / VF"
                                           : insns[i].queue);
    p("\n### Fields\n\n| field | bits | kind | meaning |\n|---|---|---|---|\n");
    for (int i = 0; i < nfields; i++)
        p("| `%s` | %d:%d | %s | %s |\n", fields[i].name, fields[i].hi, fields[i].lo,
          fkind_name[fields[i].kind], fields[i].doc);
    p("\nKinds: `u`/`s` unsigned/signed immediate, `reg` register index, `space` memory space "
      "(0 DRAM, 1 NRAM, 2 WRAM, 3 reserved), `mask` queue bit mask (bit 0 LD, 1 CP, 2 ST; the own "
      "queue's bit means VF), `flag` one bit.\n\n");
    p("## Assembly syntax\n\n"
      "`mnemonic positional, ..., key=value, ...` -- positional operands in the order shown, "
      "then keyword operands in any order (omitted ones take the default shown). Memory operands "
      "are `dram[rN]`, `nram[rN]`, `wram[rN]` or `acc[rN]`. `wait=` and `signal=` take `ld`, `cp`, "
      "`st`, `vf` or several joined by `|`. See `docs/assembler.md` for labels, expressions and "
      "directives.\n\n"
      "Textbook exercise 7.7's simplified instructions map directly: `move ram1 ram2 size` is "
      "`dma` with one run (`move` is accepted by the assembler as "
      "`move SRC[rs], DST[rd], size`); `compute MAC num` is `mm` with M*K*N = num; "
      "`loop n ... endloop` and `sync` are themselves.\n\n");
    p("## Instructions\n\n");
    for (int i = 0; i < ninsns; i++) {
        const struct insn *in = &insns[i];
        p("### `%s` -- opcode 0x%02x, queue %s\n\n", in->mnem, in->opcode,
          !strcmp(in->queue, "DMA")   ? "LD or ST (by destination)"
          : !strcmp(in->queue, "VEC") ? "CP or VF (by `vq`)"
                                      : in->queue);
        p("Syntax: ");
        md_syntax(in);
        p("\n");
        for (int s = 0; s < in->nsem; s++)
            p("%s\n\n", in->sem[s]);
        md_bits_diagram(in);
        p("\nErrors: ");
        if (!in->nerr)
            p("ILLEGAL_ENCODING (reserved bits set)");
        else {
            for (int e = 0; e < in->nerr; e++)
                p("%s**%s** (%s)", e ? "; " : "", in->err[e], in->errdoc[e]);
            p("; ILLEGAL_ENCODING also for reserved bits set");
        }
        p(".\n\n");
    }
    p("## Error causes\n\n| value | cause | meaning |\n|---|---|---|\n");
    for (int i = 0; i < ncauses; i++)
        p("| %d | %s | %s |\n", causes[i].value, causes[i].name, causes[i].doc);
    p("\nThe detail each cause leaves in `ERR_INFO`: docs/csr.md.\n\n");
    p("## Parameter blocks\n\nInstructions that read parameters from WRAM find int32 "
      "little-endian words in this order (C: `DLP_<INSN>_<WORD>` in `dlp_isa_gen.h`, "
      "SV: `<INSN>_<WORD>` in `dlp_isa_pkg`):\n\n| instruction | block | words (byte offset) |\n"
      "|---|---|---|\n");
    for (int i = 0; i < npblocks; i++) {
        p("| `%s` | %s | ", pblocks[i].insn,
          pblocks[i].per_column ? "one per output column, at `p + column * block size`" : "one");
        for (int k = 0; k < pblocks[i].nwords; k++)
            p("%s`%s` (%d)", k ? ", " : "", pblocks[i].word[k], 4 * k);
        p(" |\n");
    }
    p("\n## Adding an instruction\n\n"
      "Generated from `sw/isa/dlp.isa` (nothing to write by hand): the opcode and field tables of "
      "the C decoder and the assembler/disassembler (`cmodel/*/dlp_isa_gen.*`), the RTL package "
      "(`rtl/dlp_isa_pkg.sv`: opcodes, fields, used-bit masks, register slots, memory spaces, "
      "parameter blocks), the RTL static check (`rtl/dlp_decode_check.sv`: opcode decode, queue "
      "class, and the `nonzero`/`range`/`order`/`check` rules, which the C model's "
      "`dlp_decode()` applies from the same tables) and this reference. Written by hand:\n\n"
      "1. `sw/isa/dlp.isa`: the `insn` block (fields, syntax, semantics, errors, static rules) "
      "and, if it reads WRAM parameters, a `params` line; `make gen`.\n"
      "2. The C model: its semantics in `cmodel/src/exec.c`, its dynamic checks (ranges, "
      "overlaps) in `cmodel/src/machine.c`, its cycles in `cmodel/src/timing.c` and "
      "`docs/timing.md`.\n"
      "3. The RTL: the unit that executes it (`rtl/dlp_frontend.sv`, `dlp_dma.sv`, `dlp_mfu.sv` "
      "or `dlp_vfu.sv`) and its dynamic checks in `rtl/dlp_range_check.sv`, cycle for cycle as "
      "the model's timing.\n"
      "4. A new named `check`: its C in `cmodel/src/decode.c`, its SV in `rtl/dlp_pkg.sv` and its "
      "name in `sw/isa/isagen.c`. The DMA class rules (reserved spaces, DRAM to DRAM) are "
      "hand-written in `dlp_decode()` and in isagen's template of `dlp_decode_check.sv`.\n"
      "5. Tests: a directed program in `verif/common/progs/` (runs on the model and the RTL in "
      "`make sim`), model unit tests in `verif/unit/`, the random program generator "
      "`verif/common/randprog.c`, the model race check's footprint "
      "(`cmodel/src/race.c`), and an independent reference in `verif/ref/` for new "
      "arithmetic.\n"
      "6. Users: the compiler (`sw/cc/`) and its cost model; assembly programs size parameter "
      "blocks by hand (`12 * N` in `firmware/*/*.s`: the assembler does not see the generated "
      "constants).\n");
    close_out();
}

/* ---- CSR artefacts ----------------------------------------------------------------------------------- */

static void gen_csr(const char *root)
{
    char up[32];
    open_out(root, "cmodel/include/dlp_csr_gen.h");
    p("/* Generated by sw/isa/isagen from sw/isa/dlp.csr (source fnv1a64 %016llx) -- do not edit; run `make gen`. */\n", (unsigned long long)csr_hash);
    p_spdx("/*", " */");
    p("#ifndef DLP_CSR_GEN_H\n#define DLP_CSR_GEN_H\n\n");
    p("#define DLP_CSR_ID_VALUE 0x504C444Fu\n\n");
    for (int i = 0; i < nregs; i++) {
        p("#define DLP_CSR_%s 0x%03xu /* %s: %s */\n", regs[i].name, regs[i].off, regs[i].access,
          regs[i].doc);
        for (int b = 0; b < regs[i].nbits; b++) {
            upper(up, regs[i].bits[b].name);
            p("#define DLP_CSR_%s_%s_SHIFT %d\n", regs[i].name, up, regs[i].bits[b].lo);
            p("#define DLP_CSR_%s_%s_MASK 0x%xu\n", regs[i].name, up,
              (unsigned)(((1ull << (regs[i].bits[b].hi - regs[i].bits[b].lo + 1)) - 1)
                         << regs[i].bits[b].lo));
        }
    }
    p("\n/* Error causes (ERR_CAUSE) */\nenum dlp_cause {\n");
    for (int i = 0; i < ncauses; i++)
        p("    DLP_CAUSE_%s = %d, /* %s */\n", causes[i].name, causes[i].value, causes[i].doc);
    p("    DLP_CAUSE_COUNT\n};\n\n");
    p("static inline const char *dlp_cause_name(int c)\n{\n    switch (c) {\n");
    for (int i = 0; i < ncauses; i++)
        p("    case %d: return \"%s\";\n", causes[i].value, causes[i].name);
    p("    default: return \"UNKNOWN\";\n    }\n}\n\n");
    p("static inline const char *dlp_cause_doc(int c)\n{\n    switch (c) {\n");
    for (int i = 0; i < ncauses; i++) {
        p("    case %d: return ", causes[i].value);
        p_cstr(causes[i].doc);
        p(";\n");
    }
    p("    default: return \"unknown cause\";\n    }\n}\n\n");
    p("/* ERR_INFO of each cause (dlp.csr `info` lines): how to print it, and a label in which {}\n"
      "   stands for the value (none: print the raw value). CHANNEL: 4*from + to (queues). */\n");
    p("enum dlp_info_fmt { DLP_INFO_NONE, DLP_INFO_WORD, DLP_INFO_HEX, DLP_INFO_DEC, DLP_INFO_CHANNEL };\n");
    p("static inline int dlp_cause_info_fmt(int c)\n{\n    switch (c) {\n");
    for (int i = 0; i < ncauses; i++)
        if (causes[i].info_fmt)
            p("    case %d: return %s;\n", causes[i].value, info_enum[causes[i].info_fmt]);
    p("    default: return DLP_INFO_NONE;\n    }\n}\n\n");
    p("static inline const char *dlp_cause_info_label(int c)\n{\n    switch (c) {\n");
    for (int i = 0; i < ncauses; i++)
        if (causes[i].info_fmt) {
            p("    case %d: return ", causes[i].value);
            p_cstr(causes[i].info_label);
            p(";\n");
        }
    p("    default: return \"info {}\";\n    }\n}\n\n#endif\n");
    close_out();

    open_out(root, "rtl/dlp_csr_pkg.sv");
    p("// Generated by sw/isa/isagen from sw/isa/dlp.csr (source fnv1a64 %016llx) -- do not edit; run `make gen`.\n", (unsigned long long)csr_hash);
    p_spdx("//", "");
    p("`default_nettype none\n\n");
    p("// Every register and cause is defined here; each module uses a subset of them.\n");
    p("// verilator lint_off UNUSEDPARAM\npackage dlp_csr_pkg;\n\n");
    p("  localparam logic [31:0] IdValue = 32'h504C444F;\n\n");
    for (int i = 0; i < nregs; i++) {
        p("  localparam logic [11:0] CSR_%s = 12'h%03x;\n", regs[i].name, regs[i].off);
        for (int b = 0; b < regs[i].nbits; b++) {
            upper(up, regs[i].bits[b].name);
            p("  localparam int unsigned CSR_%s_%s_LO = %d;\n", regs[i].name, up,
              regs[i].bits[b].lo);
            p("  localparam int unsigned CSR_%s_%s_W = %d;\n", regs[i].name, up,
              regs[i].bits[b].hi - regs[i].bits[b].lo + 1);
        }
    }
    p("\n  // Error causes\n");
    for (int i = 0; i < ncauses; i++)
        p("  localparam logic [3:0] CAUSE_%s = 4'd%d;\n", causes[i].name, causes[i].value);
    p("\nendpackage\n// verilator lint_on UNUSEDPARAM\n\n`default_nettype wire\n");
    close_out();

    open_out(root, "docs/csr.md");
    p("<!-- Generated by sw/isa/isagen from sw/isa/dlp.csr (source fnv1a64 %016llx) -- do not edit; run `make gen`. -->\n", (unsigned long long)csr_hash);
    p("# OpenDLP control and status registers\n\n");
    p("The host reaches these 32-bit registers through the AXI4-Lite slave (and the UART "
      "bridge on boards). Offsets are bytes. 64-bit counters are two registers, low word first; "
      "reading the low word latches the high word. Access: `ro` read-only, `rw` read/write, `wo` "
      "write pulse (reads 0), `rw1c` write 1 to clear.\n\n");
    p("| offset | name | access | meaning |\n|---|---|---|---|\n");
    for (int i = 0; i < nregs; i++) {
        p("| 0x%03x | `%s` | %s | %s", regs[i].off, regs[i].name, regs[i].access, regs[i].doc);
        for (int b = 0; b < regs[i].nbits; b++) {
            const struct bits *bt = &regs[i].bits[b];
            if (bt->hi == bt->lo)
                p("<br>bit %d `%s`: %s", bt->lo, bt->name, bt->doc);
            else
                p("<br>bits %d:%d `%s`: %s", bt->hi, bt->lo, bt->name, bt->doc);
        }
        p(" |\n");
    }
    p("\n## Error causes (`ERR_CAUSE`)\n\n| value | name | meaning |\n|---|---|---|\n");
    for (int i = 0; i < ncauses; i++)
        p("| %d | %s | %s |\n", causes[i].value, causes[i].name, causes[i].doc);
    p("\n## Error detail (`ERR_INFO`) per cause\n\n| cause | `ERR_INFO` (low 32 bits) |\n|---|---|\n");
    for (int i = 0; i < ncauses; i++)
        if (causes[i].info_fmt)
            p("| %s | %s |\n", causes[i].name, causes[i].info_doc);
    close_out();
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: isagen <dlp.isa> <dlp.csr> <output-root>\n");
        return 2;
    }
    read_isa(argv[1]);
    read_csr(argv[2]);
    gen_c_header(argv[3]);
    gen_c_source(argv[3]);
    gen_sv(argv[3]);
    gen_decode_check(argv[3]);
    gen_md(argv[3]);
    gen_csr(argv[3]);
    return 0;
}
