/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Instructions: operands parsed by the syntax tables generated from sw/isa/dlp.isa, encoded with
 * the generated field helpers and validated with dlp_decode(), so that the assembler rejects
 * exactly what the machine would trap on.
 *
 *   instruction := mnemonic [operand (',' operand)*]
 *   operand     := key '=' value | value        positional operands first, in table order
 *   value       := register | memory | expr | queues
 *   register    := 'r0'..'r15' | 'zero' | alias
 *   memory      := ('dram' | 'nram' | 'wram' | 'acc') '[' register ']'
 *   queues      := queue ('|' queue)*           queue := 'ld' | 'cp' | 'st' | 'vf'   (wait=, signal=)
 *
 * Pseudo-instructions for the forms of textbook exercise 7.7:
 *   move SRC[rs], DST[rd], n0 [, dma keywords]  is  dma DST[rd], SRC[rs], n0 [, ...]
 *   compute mac, <mm operands>                  is  mm <mm operands>
 */
#include <stdio.h>
#include <string.h>

#include "asm_internal.h"
#include "dlp_decode.h"
#include "dlp_prog.h"

typedef struct insn_ctx {
    parser_t *p;
    const dlp_insn_info_t *ii;
    const char *shown; /* the mnemonic as written: dma, move, ... */
    int swap;          /* move: the first two positional operands are swapped */
    int n_pos;         /* positional operands in the table (they come first) */
    uint32_t given;    /* bit i: operand i was given */
    int wait_given, signal_given;
    unsigned qmask[2]; /* wait=, signal= by queue (bit q = enum dlp_queue q), encoded at the end */
    int qcol[2];       /* their columns */
    uint32_t w[DLP_INSN_WORDS];
} insn_ctx_t;

int statement_is_insn(const char *s, size_t n)
{
    return insn_of_name(s, n) >= 0 || eq_nocase(s, n, "move") || eq_nocase(s, n, "compute");
}

/* The name an operand goes by in messages: its keyword, else its field. */
static const char *op_name(const dlp_operand_info_t *o)
{
    if (o->key)
        return o->key;
    return dlp_field_info[o->kind == DLP_OK_MEM ? o->field2 : o->field].name;
}

static const char *space_syntax(int kind)
{
    switch (kind) {
    case DLP_OK_NRAM: return "nram";
    case DLP_OK_WRAM: return "wram";
    case DLP_OK_ACC: return "acc";
    default: return "SPACE";
    }
}

/* "dma SPACE[rdst], SPACE[rsrc], n0": the positional part of the syntax, for messages. */
static void syntax_text(const insn_ctx_t *c, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "%s", c->shown);
    for (int i = 0; i < c->n_pos && n < cap; i++) {
        const dlp_operand_info_t *o = &c->ii->ops[c->swap && i < 2 ? 1 - i : i];
        const char *sep = i ? "," : "";
        if (o->kind == DLP_OK_REG || o->kind == DLP_OK_IMM)
            n += (size_t)snprintf(out + n, cap - n, "%s %s", sep, op_name(o));
        else
            n += (size_t)snprintf(out + n, cap - n, "%s %s[%s]", sep, space_syntax(o->kind),
                                  op_name(o));
    }
}

static int is_register_token(parser_t *p, const tok_t *t)
{
    const symbol_t *s;
    if (t->kind != TK_IDENT)
        return 0;
    if (reg_number(t->p, (size_t)t->len) >= 0)
        return 1;
    s = sym_find(p->a, t->p, (size_t)t->len);
    return s && s->defined == p->a->pass && s->kind == SYM_REG;
}

/* register := 'r0'..'r15' | 'zero' | alias */
int p_register(parser_t *p, const char *what)
{
    tok_t t = p->tok;
    char got[64];
    if (is_register_token(p, &t)) {
        int r = reg_number(t.p, (size_t)t.len);
        if (r < 0)
            r = (int)sym_find(p->a, t.p, (size_t)t.len)->value;
        p_next(p);
        return r;
    }
    p_token_text(&t, got, sizeof got);
    if (t.kind != TK_EOL || !t.err)
        perr(p, t.col, "expected a register (r0..r15, zero or a .reg alias) for %s, got %s", what,
             got);
    return -1;
}

/* 32-bit signed fields also take 0..0xffffffff (two's complement), so hex constants work. */
static int field_fits(int f, int64_t v)
{
    const dlp_field_info_t *fi = &dlp_field_info[f];
    if (dlp_field_fits((enum dlp_field)f, v))
        return 1;
    return fi->kind == DLP_FK_S && fi->hi - fi->lo + 1 == 32 && v >= 0 && v <= (int64_t)UINT32_MAX;
}

static void set_field(insn_ctx_t *c, int f, uint32_t v)
{
    dlp_field_set_raw(c->w, (enum dlp_field)f, v);
}

/* An immediate operand: a constant expression that must fit its field. */
static int immediate(insn_ctx_t *c, const dlp_operand_info_t *o)
{
    parser_t *p = c->p;
    tok_t t = p->tok;
    value_t v;
    if (is_register_token(p, &t)) {
        perr(p, t.col, "expected an immediate for %s, got register '%.*s'", op_name(o), t.len,
             t.p);
        return -1;
    }
    if (p_expr(p, &v))
        return -1;
    if (!field_fits(o->field, v.v)) {
        const dlp_field_info_t *fi = &dlp_field_info[o->field];
        int width = fi->hi - fi->lo + 1;
        perr(p, t.col, "value %lld does not fit field %s (%s, %d bit%s)", (long long)v.v,
             fi->name, fi->kind == DLP_FK_S ? "signed" : "unsigned", width, width == 1 ? "" : "s");
        return -1;
    }
    set_field(c, o->field, (uint32_t)v.v);
    return 0;
}

/* memory := ('dram' | 'nram' | 'wram' | 'acc') '[' register ']' */
static int memory(insn_ctx_t *c, const dlp_operand_info_t *o)
{
    parser_t *p = c->p;
    tok_t t = p->tok;
    int want = o->kind == DLP_OK_NRAM ? DLP_MEM_NRAM
               : o->kind == DLP_OK_WRAM ? DLP_MEM_WRAM
               : o->kind == DLP_OK_ACC  ? DLP_MEM_ACC
                                        : -1; /* any DMA space */
    int sp = t.kind == TK_IDENT ? space_number(t.p, (size_t)t.len) : -1, r;
    char got[64];

    if (sp < 0 || !p_peek_is(p, "[")) {
        p_token_text(&t, got, sizeof got);
        if (want < 0)
            perr(p, t.col, "expected a memory operand dram[rN], nram[rN] or wram[rN] for %s, "
                           "got %s", op_name(o), got);
        else
            perr(p, t.col, "expected %s[rN] for %s, got %s", dlp_mem_name(want), op_name(o), got);
        return -1;
    }
    if (want >= 0 && sp != want) {
        perr(p, t.col, "%s must be %s[rN], not %s[...]", op_name(o), dlp_mem_name(want),
             dlp_mem_name(sp));
        return -1;
    }
    if (want < 0 && sp == DLP_MEM_ACC) {
        perr(p, t.col, "the DMA cannot reach acc; %s must be dram[rN], nram[rN] or wram[rN]",
             op_name(o));
        return -1;
    }
    p_next(p);
    p_next(p);
    if ((r = p_register(p, op_name(o))) < 0)
        return -1;
    if (!p_accept(p, "]")) {
        p_token_text(&p->tok, got, sizeof got);
        perr(p, p->tok.col, "expected ']' after the register of %s, got %s", op_name(o), got);
        return -1;
    }
    if (want < 0) {
        set_field(c, o->field, (uint32_t)sp);
        set_field(c, o->field2, (uint32_t)r);
    } else {
        set_field(c, o->field, (uint32_t)r);
    }
    return 0;
}

static int operand(insn_ctx_t *c, int idx)
{
    const dlp_operand_info_t *o = &c->ii->ops[idx];
    int r;
    c->given |= 1u << idx;
    switch (o->kind) {
    case DLP_OK_REG:
        if ((r = p_register(c->p, op_name(o))) < 0)
            return -1;
        set_field(c, o->field, (uint32_t)r);
        return 0;
    case DLP_OK_IMM:
        return immediate(c, o);
    default:
        return memory(c, o);
    }
}

/* queues := queue ('|' queue)*      queue := 'ld' | 'cp' | 'st' */
/* The masks are kept by queue name until the instruction's queue is known (a dma's depends on
   its destination, a vector instruction's on vq=), then encoded by encode_queues(). */
static int queues(insn_ctx_t *c, const char *key, int which, int col)
{
    parser_t *p = c->p;
    uint32_t mask = 0;
    char got[64];
    for (;;) {
        tok_t t = p->tok;
        int q = -1;
        for (int k = DLP_Q_LD; k <= DLP_Q_VF && t.kind == TK_IDENT; k++)
            if (eq_nocase(t.p, (size_t)t.len, dlp_queue_name(k)))
                q = k;
        if (q < 0) {
            p_token_text(&t, got, sizeof got);
            perr(p, t.col, "%s= takes ld, cp, st or vf, several joined by '|'; got %s", key, got);
            return -1;
        }
        if (mask & (1u << q)) {
            perr(p, t.col, "queue %s is listed twice in %s=", dlp_queue_name(q), key);
            return -1;
        }
        mask |= 1u << q;
        p_next(p);
        if (!p_accept(p, "|"))
            break;
    }
    c->qmask[which] = mask;
    c->qcol[which] = col;
    return 0;
}

/* Encodes wait=/signal= for the instruction's queue; a queue cannot name itself. */
static int encode_queues(insn_ctx_t *c)
{
    static const char *const key[2] = {"wait", "signal"};
    static const int field[2] = {DLP_F_WAIT, DLP_F_SIGNAL};
    dlp_insn_t d;
    char msg[200];
    if (dlp_decode(c->w, &d, msg, sizeof msg) != DLP_CAUSE_NONE || d.queue == DLP_Q_NONE)
        return 0; /* reported by the caller's decode */
    for (int i = 0; i < 2; i++) {
        if (c->qmask[i] >> d.queue & 1) {
            perr(c->p, c->qcol[i], "%s=%s: %s runs on the %s queue, which cannot %s itself",
                 key[i], dlp_queue_name(d.queue), c->shown, dlp_queue_name(d.queue),
                 i ? "signal" : "wait for");
            return -1;
        }
        set_field(c, field[i], dlp_mask_from_queues(c->qmask[i], d.queue));
    }
    return 0;
}

/* The keyword list of an instruction, for "unknown keyword" messages. */
static void keyword_list(const insn_ctx_t *c, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (int i = c->n_pos; i < c->ii->nops && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "", c->ii->ops[i].key);
    if (c->ii->qclass != DLP_QC_FE && n < cap)
        snprintf(out + n, cap - n, "%swait, signal", n ? ", " : "");
}

static int unknown_keyword(insn_ctx_t *c, const tok_t *key)
{
    const char *best = NULL;
    char list[256];
    int bestd = 3;
    for (int i = c->n_pos; i < c->ii->nops; i++) {
        int d = edit_distance(key->p, (size_t)key->len, c->ii->ops[i].key, 2);
        if (d < bestd && d < key->len)
            best = c->ii->ops[i].key, bestd = d;
    }
    if (best) {
        perr(c->p, key->col, "unknown keyword '%.*s' for %s; did you mean '%s'?", key->len,
             key->p, c->shown, best);
        return -1;
    }
    keyword_list(c, list, sizeof list);
    if (list[0])
        perr(c->p, key->col, "unknown keyword '%.*s' for %s (it takes %s)", key->len, key->p,
             c->shown, list);
    else
        perr(c->p, key->col, "%s takes no keyword operands", c->shown);
    return -1;
}

/* keyword := key '=' value */
static int keyword(insn_ctx_t *c)
{
    parser_t *p = c->p;
    tok_t key = p->tok;
    int is_wait = eq_nocase(key.p, (size_t)key.len, "wait");
    int is_signal = eq_nocase(key.p, (size_t)key.len, "signal");
    p_next(p);
    p_next(p);
    if (is_wait || is_signal) {
        int *given = is_wait ? &c->wait_given : &c->signal_given;
        const char *name = is_wait ? "wait" : "signal";
        if (c->ii->qclass == DLP_QC_FE) {
            perr(p, key.col, "%s takes no %s= (only the queued instructions dma, mm and the "
                             "vector instructions synchronise with tokens)", c->shown, name);
            return -1;
        }
        if ((*given)++) {
            perr(p, key.col, "duplicate keyword '%s'", name);
            return -1;
        }
        return queues(c, name, !is_wait, key.col);
    }
    for (int i = c->n_pos; i < c->ii->nops; i++) {
        if (!eq_nocase(key.p, (size_t)key.len, c->ii->ops[i].key))
            continue;
        if (c->given & (1u << i)) {
            perr(p, key.col, "duplicate keyword '%s'", c->ii->ops[i].key);
            return -1;
        }
        return operand(c, i);
    }
    return unknown_keyword(c, &key);
}

/* operands := [operand (',' operand)*] */
static int operands(insn_ctx_t *c, int mnemonic_col)
{
    parser_t *p = c->p;
    int pos = 0, seen_key = 0;
    char got[64], syn[160];

    while (p->tok.kind != TK_EOL) {
        if (p->tok.kind == TK_IDENT && p_peek_is(p, "=")) {
            seen_key = 1;
            if (keyword(c))
                return -1;
        } else if (seen_key) {
            perr(p, p->tok.col, "positional operand after keyword operands");
            return -1;
        } else if (pos >= c->n_pos) {
            syntax_text(c, syn, sizeof syn);
            perr(p, p->tok.col, "too many operands for %s (syntax: %s)", c->shown, syn);
            return -1;
        } else {
            if (operand(c, c->swap && pos < 2 ? 1 - pos : pos))
                return -1;
            pos++;
        }
        if (p->tok.kind == TK_EOL)
            break;
        if (!p_accept(p, ",")) {
            p_token_text(&p->tok, got, sizeof got);
            perr(p, p->tok.col, "expected ',' or end of line after an operand, got %s", got);
            return -1;
        }
        if (p->tok.kind == TK_EOL && !p->tok.err) {
            perr(p, p->tok.col, "expected an operand after ','");
            return -1;
        }
    }
    if (p->tok.err)
        return -1; /* a lexer error, reported already */
    if (pos < c->n_pos) {
        syntax_text(c, syn, sizeof syn);
        perr(p, mnemonic_col, "%s takes %d positional operand%s, got %d (syntax: %s)", c->shown,
             c->n_pos, c->n_pos == 1 ? "" : "s", pos, syn);
        return -1;
    }
    return 0;
}

/* Omitted keyword operands take the defaults of the ISA source. */
static void apply_defaults(insn_ctx_t *c)
{
    for (int i = c->n_pos; i < c->ii->nops; i++)
        if (!(c->given & (1u << i)))
            set_field(c, c->ii->ops[i].field, (uint32_t)c->ii->ops[i].dflt);
}

/* compute := 'compute' 'mac' ',' <mm operands>; returns 0 with the parser at the operands. */
static int compute_type(parser_t *p)
{
    tok_t t = p->tok;
    char got[64];
    if (t.kind == TK_IDENT && eq_nocase(t.p, (size_t)t.len, "mac")) {
        p_next(p);
        if (p_accept(p, ","))
            return 0;
        p_token_text(&p->tok, got, sizeof got);
        perr(p, p->tok.col, "expected ',' and the mm operands after 'compute mac', got %s", got);
        return -1;
    }
    p_token_text(&t, got, sizeof got);
    perr(p, t.col, "compute supports the type 'mac' (the matrix unit, as mm), got %s; use the "
                   "vector instructions for the other operations", got);
    return -1;
}

/* Matches loop/loopr with endloop by nesting and fills in lbody. */
static void track_loops(asm_t *a, int id, const line_t *l, int col)
{
    if (id == DLP_I_LOOP || id == DLP_I_LOOPR) {
        GROW(a->loops, a->cap_loops, a->n_loops + 1);
        a->loops[a->n_loops].index = a->n_insns;
        a->loops[a->n_loops].loc = l->loc;
        a->loops[a->n_loops++].col = col;
    } else if (id == DLP_I_ENDLOOP) {
        if (!a->n_loops) {
            diag(a, &l->loc, col, "endloop without loop");
            return;
        }
        const openloop_t *lp = &a->loops[--a->n_loops];
        uint32_t body = a->n_insns - lp->index - 1;
        if (body > 0xffff) {
            diag(a, &lp->loc, lp->col, "loop body has %u instructions; field lbody holds at most "
                                       "65535", body);
            return;
        }
        dlp_field_set_raw(&a->words[4 * (size_t)lp->index], DLP_F_LBODY, body);
    }
}

void close_loops(asm_t *a)
{
    for (int i = 0; i < a->n_loops; i++)
        diag(a, &a->loops[i].loc, a->loops[i].col, "loop without endloop");
    a->n_loops = 0;
}

void emit_words(asm_t *a, const uint32_t w[4], const line_t *l)
{
    if (a->n_insns >= DLP_PROG_MAX_INSNS) {
        diag(a, &l->loc, 1, "more than %u instructions (the program format's limit)",
             DLP_PROG_MAX_INSNS);
        a->fatal = 1;
        return;
    }
    GROW(a->words, a->cap_words, 4 * (int)(a->n_insns + 1));
    memcpy(&a->words[4 * (size_t)a->n_insns], w, 4 * sizeof *w);
    if (a->pass == 2 && a->opt && a->opt->listing) {
        GROW(a->list, a->cap_list, (int)a->n_insns + 1);
        a->list[a->n_insns].loc = l->loc;
        a->list[a->n_insns].text = xstrndup(l->text, (size_t)l->len);
    }
    a->n_insns++;
}

/* Resolves the mnemonic (the parser sits on it) to an instruction, expanding the pseudo-
 * instructions; returns the id, or -1 after an error. Leaves the parser at the operands. */
static int resolve_mnemonic(insn_ctx_t *c)
{
    parser_t *p = c->p;
    tok_t mn = p->tok;
    int id = insn_of_name(mn.p, (size_t)mn.len);
    p_next(p);
    if (id >= 0) {
        c->shown = dlp_insn_info[id].mnemonic;
        return id;
    }
    if (eq_nocase(mn.p, (size_t)mn.len, "move")) {
        c->shown = "move";
        c->swap = 1;
        return DLP_I_DMA;
    }
    c->shown = "compute";
    return compute_type(p) ? -1 : DLP_I_MM;
}

/* instruction := mnemonic [operand (',' operand)*] */
void assemble_insn(parser_t *p)
{
    asm_t *a = p->a;
    int col = p->tok.col, id;
    insn_ctx_t c = {0};
    dlp_insn_t d;
    char msg[200];

    if (a->pass == 1) { /* pass 1 only counts instructions, for the labels */
        emit_words(a, c.w, p->line);
        return;
    }
    c.p = p;
    id = resolve_mnemonic(&c);
    if (id >= 0) {
        c.ii = &dlp_insn_info[id];
        for (int i = 0; i < c.ii->nops; i++)
            c.n_pos += !c.ii->ops[i].key;
        set_field(&c, DLP_F_OP, c.ii->opcode);
        if (!operands(&c, col)) {
            apply_defaults(&c);
            if (!encode_queues(&c) && dlp_decode(c.w, &d, msg, sizeof msg) != DLP_CAUSE_NONE)
                perr(p, col, "%s", msg);
        }
        track_loops(a, id, p->line, col);
    }
    emit_words(a, c.w, p->line); /* always one instruction, so that labels stay in step */
}

const char *suggest_mnemonic(asm_t *a, const char *s, size_t n)
{
    static const char *const pseudo[] = {"move", "compute"};
    const char *best = NULL;
    int bestd = 3;
    for (int i = 0; i < DLP_I_COUNT + 2; i++) {
        const char *cand = i < DLP_I_COUNT ? dlp_insn_info[i].mnemonic : pseudo[i - DLP_I_COUNT];
        int d = edit_distance(s, n, cand, 2);
        if (d < bestd && (size_t)d < n)
            best = cand, bestd = d;
    }
    for (size_t i = 0; i < a->macros.cap; i++) {
        const char *cand = a->macros.e[i].key;
        int d = cand ? edit_distance(s, n, cand, 2) : 3;
        if (d < bestd && (size_t)d < n)
            best = cand, bestd = d;
    }
    return best;
}
