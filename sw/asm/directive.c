/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lines and directives.
 *
 *   line      := (label ':')* [statement] [comment]
 *   statement := directive | instruction | macro-name [argument (',' argument)*]
 *
 * Inside a false .if branch only .if/.elif/.else/.endif are looked at (to track nesting).
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_internal.h"

/* ---- symbols ------------------------------------------------------------------------------- */

static const char *kind_name(int kind)
{
    static const char *const n[] = {"label", ".equ constant", ".set symbol", ".reg alias"};
    return n[kind];
}

int sym_name_ok(parser_t *p, const tok_t *t, const char *what)
{
    char got[64];
    if (t->kind != TK_IDENT) {
        p_token_text(t, got, sizeof got);
        if (t->kind != TK_EOL || !t->err)
            perr(p, t->col, "expected a %s name, got %s", what, got);
        return 0;
    }
    if (t->p[0] == '.') {
        perr(p, t->col, "%s name '%.*s' cannot start with '.' (reserved for directives)", what,
             t->len, t->p);
        return 0;
    }
    if (reg_number(t->p, (size_t)t->len) >= 0 || space_number(t->p, (size_t)t->len) >= 0 ||
        (t->len == 7 && !memcmp(t->p, "defined", 7))) {
        perr(p, t->col, "'%.*s' is a reserved word and cannot name a %s", t->len, t->p, what);
        return 0;
    }
    return 1;
}

static void previous_definition(const symbol_t *s, char *out, size_t cap)
{
    if (s->loc.line == 0)
        snprintf(out, cap, "on the command line");
    else
        snprintf(out, cap, "at %s:%d", s->loc.file, s->loc.line);
}

symbol_t *sym_define(asm_t *a, parser_t *p, const tok_t *name, int kind, value_t v)
{
    symbol_t *s = sym_find(a, name->p, (size_t)name->len);
    char where[PATH_MAX + 32];

    if (!s) {
        s = xcalloc(1, sizeof *s);
        s->name = xstrndup(name->p, (size_t)name->len);
        sm_put(&a->syms, name->p, (size_t)name->len, s);
    } else if (s->defined == a->pass &&
               !(s->kind == kind && (kind == SYM_SET || kind == SYM_REG))) {
        previous_definition(s, where, sizeof where);
        if (s->kind == kind)
            perr(p, name->col, "%s '%s' is already defined %s", kind_name(kind), s->name, where);
        else
            perr(p, name->col, "'%s' is already defined %s as a %s", s->name, where,
                 kind_name(s->kind));
        return NULL;
    }
    s->kind = kind;
    s->defined = a->pass;
    s->value = v.v;
    s->fwd = v.fwd;
    s->loc = p->line->loc;
    return s;
}

static void symbol_free(void *sp)
{
    symbol_t *s = sp;
    free(s->name);
    free(s);
}

void free_symbols(asm_t *a)
{
    sm_free(&a->syms, symbol_free);
}

/* A value that decides which lines are assembled must be the same in both passes. */
static int steering_value(parser_t *p, int col, const char *what, value_t v)
{
    if (!v.fwd)
        return 0;
    perr(p, col, "the %s uses a symbol defined later in the source; it must be known when the "
                 "line is reached", what);
    return -1;
}

/* ---- .equ .set .reg ------------------------------------------------------------------------ */

/* equ := '.equ' name ',' expr      set := '.set' name ',' expr */
static void d_equ_set(parser_t *p, int kind)
{
    tok_t name = p->tok;
    value_t v;
    if (!sym_name_ok(p, &name, "symbol"))
        return;
    p_next(p);
    if (!p_accept(p, ",")) {
        perr(p, p->tok.col, "expected ',' after the symbol name");
        return;
    }
    if (p_expr(p, &v) || p_expect_eol(p))
        return;
    sym_define(p->a, p, &name, kind, v);
}

static void d_equ(parser_t *p) { d_equ_set(p, SYM_EQU); }
static void d_set(parser_t *p) { d_equ_set(p, SYM_SET); }

/* reg := '.reg' name ',' register */
static void d_reg(parser_t *p)
{
    tok_t name = p->tok;
    value_t v = {0, 0};
    int r;
    if (!sym_name_ok(p, &name, "register alias"))
        return;
    p_next(p);
    if (!p_accept(p, ",")) {
        perr(p, p->tok.col, "expected ',' after the alias name");
        return;
    }
    if ((r = p_register(p, ".reg")) < 0 || p_expect_eol(p))
        return;
    v.v = r;
    sym_define(p->a, p, &name, SYM_REG, v);
}

/* ---- .include ------------------------------------------------------------------------------ */

/* Tries dir/name; returns the loaded file or NULL. */
static srcfile_t *try_include(asm_t *a, const char *dir, const char *name, char *err, size_t len)
{
    char path[PATH_MAX];
    if (name[0] == '/' || !dir)
        snprintf(path, sizeof path, "%s", name);
    else if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return NULL;
    return load_file(a, path, err, len);
}

/* include := '.include' string
 * Searched relative to the including file's directory, then in the -I directories. */
static void d_include(parser_t *p)
{
    asm_t *a = p->a;
    char name[PATH_MAX], dir[PATH_MAX], err[256] = "not found";
    srcfile_t *f;
    int col = p->tok.col;

    if (p->tok.kind != TK_STR) {
        perr(p, col, "expected a file name in double quotes after .include");
        return;
    }
    tok_string(&p->tok, name, sizeof name);
    p_next(p);
    if (p_expect_eol(p))
        return;
    snprintf(dir, sizeof dir, "%s", p->line->loc.file);
    f = try_include(a, dirname(dir), name, err, sizeof err);
    for (int i = 0; !f && name[0] != '/' && a->opt && i < a->opt->n_include_dirs; i++)
        f = try_include(a, a->opt->include_dirs[i], name, err, sizeof err);
    if (!f) {
        perr(p, col, "cannot open include file '%s': %s", name, err);
        return;
    }
    for (const frame_t *fr = a->top; fr; fr = fr->up)
        if (fr->kind == FR_FILE && fr->file == f) {
            perr(p, col, "recursive .include of '%s'", name);
            return;
        }
    if (a->include_depth >= DLP_ASM_MAX_INCLUDE_DEPTH) {
        perr(p, col, ".include nested more than %d deep", DLP_ASM_MAX_INCLUDE_DEPTH);
        return;
    }
    push_file(a, f);
}

/* ---- conditionals ------------------------------------------------------------------------------ */

static cond_t *cond_top_here(parser_t *p, const char *dir)
{
    asm_t *a = p->a;
    if (!a->n_conds || a->conds[a->n_conds - 1].frame_id != a->top->id) {
        perr(p, p->dir.col, "%s without .if", dir);
        return NULL;
    }
    return &a->conds[a->n_conds - 1];
}

/* Evaluates a condition; errors count as false so that both passes agree. */
static int condition(parser_t *p, const char *what)
{
    value_t v;
    int col = p->tok.col;
    if (p_expr(p, &v) || p_expect_eol(p) || steering_value(p, col, what, v))
        return 0;
    return v.v != 0;
}

/* if := '.if' expr */
static void d_if(parser_t *p)
{
    asm_t *a = p->a;
    int active = cond_active(a);
    cond_t c = {0};
    if (a->n_conds >= 1000) {
        perr(p, p->dir.col, ".if nested more than 1000 deep");
        a->fatal = 1;
        return;
    }
    c.parent_active = active;
    c.taking = active && condition(p, ".if condition");
    c.done = c.taking || !active;
    c.frame_id = a->top->id;
    c.loc = p->line->loc;
    c.col = p->dir.col;
    GROW(a->conds, a->cap_conds, a->n_conds + 1);
    a->conds[a->n_conds++] = c;
}

/* elif := '.elif' expr */
static void d_elif(parser_t *p)
{
    cond_t *c = cond_top_here(p, ".elif");
    if (!c)
        return;
    if (c->seen_else) {
        perr(p, p->dir.col, ".elif after .else");
        c->taking = 0;
        return;
    }
    c->taking = !c->done && condition(p, ".elif condition");
    c->done |= c->taking;
}

/* else := '.else' */
static void d_else(parser_t *p)
{
    cond_t *c = cond_top_here(p, ".else");
    if (!c)
        return;
    if (c->seen_else) {
        perr(p, p->dir.col, "second .else for the same .if");
        c->taking = 0;
        return;
    }
    c->seen_else = 1;
    c->taking = !c->done;
    c->done = 1;
    if (c->parent_active)
        p_expect_eol(p);
}

/* endif := '.endif' */
static void d_endif(parser_t *p)
{
    if (!cond_top_here(p, ".endif"))
        return;
    p->a->n_conds--;
    if (cond_active(p->a))
        p_expect_eol(p);
}

/* ---- .macro .rept -------------------------------------------------------------------------------- */

/* Collects the lines up to the `end` directive that matches `begin` (nesting counted), from the
 * current frame only: a body cannot span files. Returns the count, or -1 if `end` is missing. */
static int collect_body(parser_t *p, const char *begin, const char *end, line_t **out)
{
    int depth = 1, n = 0, cap = 0;
    const line_t *l;
    line_t *lines = NULL;
    tok_t w;
    while ((l = frame_take_line(p->a))) {
        if (first_word(l, &w)) {
            if (eq_nocase(w.p, (size_t)w.len, begin))
                depth++;
            else if (eq_nocase(w.p, (size_t)w.len, end) && --depth == 0)
                break;
        }
        GROW(lines, cap, n + 1);
        lines[n++] = *l;
    }
    *out = lines;
    if (!l) {
        if (!p->a->fatal)
            perr(p, p->dir.col, "%s without %s", begin, end);
        return -1;
    }
    return n;
}

/* Reads the raw text of a macro parameter default: up to a top-level ',' or the end. */
static char *default_text(parser_t *p)
{
    int depth = 0, start = p->tok.col - 1, end;
    while (p->tok.kind != TK_EOL && !(depth == 0 && p_is(p, ","))) {
        depth += p_is(p, "(") - (p_is(p, ")") && depth > 0);
        p_next(p);
    }
    end = p->tok.col - 1;
    while (end > start && (p->line->text[end - 1] == ' ' || p->line->text[end - 1] == '\t'))
        end--;
    return xstrndup(p->line->text + start, (size_t)(end > start ? end - start : 0));
}

/* params := [param ['=' default] (',' param ['=' default])*] */
static int macro_params(parser_t *p, macro_t *m)
{
    int cap = 0;
    while (p->tok.kind != TK_EOL) {
        tok_t t = p->tok;
        if (t.kind != TK_IDENT || t.p[0] == '.') {
            char got[64];
            p_token_text(&t, got, sizeof got);
            perr(p, t.col, "expected a macro parameter name, got %s", got);
            return -1;
        }
        for (int i = 0; i < m->n_params; i++)
            if ((size_t)t.len == strlen(m->params[i]) && !memcmp(m->params[i], t.p, (size_t)t.len)) {
                perr(p, t.col, "duplicate macro parameter '%.*s'", t.len, t.p);
                return -1;
            }
        GROW(m->params, cap, m->n_params + 1);
        m->defaults = xrealloc(m->defaults, (size_t)cap * sizeof *m->defaults);
        m->params[m->n_params] = xstrndup(t.p, (size_t)t.len);
        m->defaults[m->n_params++] = NULL;
        p_next(p);
        if (p_accept(p, "="))
            m->defaults[m->n_params - 1] = default_text(p);
        if (!p_accept(p, ",") && p->tok.kind != TK_EOL) {
            perr(p, p->tok.col, "expected ',' between macro parameters");
            return -1;
        }
    }
    return p->tok.err ? -1 : 0;
}

/* Checks the header of a macro definition; NULL if it cannot be defined. */
static macro_t *macro_header(parser_t *p, const line_t *l)
{
    asm_t *a = p->a;
    tok_t name = p->tok;
    macro_t *m, *old;

    if (!sym_name_ok(p, &name, "macro"))
        return NULL;
    if (statement_is_insn(name.p, (size_t)name.len)) {
        perr(p, name.col, "'%.*s' is an instruction and cannot be redefined as a macro", name.len,
             name.p);
        return NULL;
    }
    if ((old = sm_get(&a->macros, name.p, (size_t)name.len))) {
        perr(p, name.col, "macro '%s' is already defined at %s:%d", old->name, old->loc.file,
             old->loc.line);
        return NULL;
    }
    m = xcalloc(1, sizeof *m);
    m->name = xstrndup(name.p, (size_t)name.len);
    m->loc = l->loc;
    p_next(p);
    p_accept(p, ","); /* `.macro name, a, b` is accepted too */
    if (macro_params(p, m)) {
        free_macro(m);
        return NULL;
    }
    return m;
}

/* macro := '.macro' name params NEWLINE line* '.endm' */
static void d_macro(parser_t *p)
{
    const line_t *l = p->line;
    macro_t *m = macro_header(p, l);
    line_t *body;
    int n = collect_body(p, ".macro", ".endm", &body);
    if (!m || n < 0) {
        free(body);
        if (m)
            free_macro(m);
        return;
    }
    /* the body outlives the frame it came from: copy the texts */
    for (int i = 0; i < n; i++)
        body[i].text = xstrndup(body[i].text, (size_t)body[i].len);
    m->body = body;
    m->n_body = n;
    sm_put(&p->a->macros, m->name, strlen(m->name), m);
}

/* rept := '.rept' expr NEWLINE line* '.endr' */
static void d_rept(parser_t *p)
{
    value_t v = {0, 0};
    int col = p->tok.col;
    int ok = !p_expr(p, &v) && !p_expect_eol(p) && !steering_value(p, col, ".rept count", v);
    line_t *body;
    int n = collect_body(p, ".rept", ".endr", &body);

    if (ok && v.v < 0) {
        perr(p, col, ".rept count %lld is negative", (long long)v.v);
        ok = 0;
    }
    if (!ok || n <= 0 || v.v == 0) {
        free(body);
        return;
    }
    /* the texts belong to the frame below, which outlives this one */
    push_lines(p->a, FR_REPT, body, n, v.v, 1);
}

static void d_endm(parser_t *p) { perr(p, p->dir.col, ".endm without .macro"); }
static void d_endr(parser_t *p) { perr(p, p->dir.col, ".endr without .rept"); }

/* ---- .error .insn ---------------------------------------------------------------------------- */

/* error := '.error' string */
static void d_error(parser_t *p)
{
    char msg[512];
    if (p->tok.kind != TK_STR) {
        perr(p, p->tok.col, "expected a message in double quotes after .error");
        return;
    }
    tok_string(&p->tok, msg, sizeof msg);
    p_next(p);
    if (!p_expect_eol(p))
        perr(p, p->dir.col, "%s", msg);
}

/* insn := '.insn' expr ',' expr ',' expr ',' expr     raw words, low word first, unchecked */
static void d_insn(parser_t *p)
{
    uint32_t w[4] = {0};
    for (int k = 0; k < 4 && p->a->pass == 2; k++) { /* pass 1 only counts it */
        value_t v;
        int col;
        if (k && !p_accept(p, ",")) {
            perr(p, p->tok.col, ".insn takes four words separated by ','");
            break;
        }
        col = p->tok.col;
        if (p_expr(p, &v))
            break;
        if (v.v < INT32_MIN || v.v > (int64_t)UINT32_MAX) {
            perr(p, col, "value %lld does not fit in a 32-bit word", (long long)v.v);
            break;
        }
        w[k] = (uint32_t)v.v;
        if (k == 3)
            p_expect_eol(p);
    }
    emit_words(p->a, w, p->line); /* always one instruction, so that labels stay in step */
}

/* ---- dispatch -------------------------------------------------------------------------------- */

static const struct directive {
    const char *name;
    void (*fn)(parser_t *p);
    int conditional; /* looked at inside false .if branches */
} directives[] = {
    {".equ", d_equ, 0},     {".set", d_set, 0},     {".reg", d_reg, 0},
    {".include", d_include, 0}, {".if", d_if, 1},   {".elif", d_elif, 1},
    {".else", d_else, 1},   {".endif", d_endif, 1}, {".macro", d_macro, 0},
    {".endm", d_endm, 0},   {".rept", d_rept, 0},   {".endr", d_endr, 0},
    {".error", d_error, 0}, {".insn", d_insn, 0},
};
#define N_DIRECTIVES (int)(sizeof directives / sizeof directives[0])

static const struct directive *find_directive(const char *s, size_t n)
{
    for (int i = 0; i < N_DIRECTIVES; i++)
        if (eq_nocase(s, n, directives[i].name))
            return &directives[i];
    return NULL;
}

static const char *suggest_directive(const char *s, size_t n)
{
    const char *best = NULL;
    int bestd = 3;
    for (int i = 0; i < N_DIRECTIVES; i++) {
        int d = edit_distance(s, n, directives[i].name, 2);
        if (d < bestd)
            best = directives[i].name, bestd = d;
    }
    return best;
}

static void directive(parser_t *p)
{
    tok_t t = p->tok;
    const struct directive *d = find_directive(t.p, (size_t)t.len);
    if (!d) {
        const char *s = suggest_directive(t.p, (size_t)t.len);
        if (s)
            perr(p, t.col, "unknown directive '%.*s'; did you mean '%s'?", t.len, t.p, s);
        else
            perr(p, t.col, "unknown directive '%.*s'", t.len, t.p);
        return;
    }
    p->dir = t;
    p_next(p);
    d->fn(p);
}

/* statement := instruction | macro-name arguments */
static void statement(parser_t *p)
{
    asm_t *a = p->a;
    tok_t t = p->tok;
    const macro_t *m;
    const char *s;

    if (statement_is_insn(t.p, (size_t)t.len)) {
        assemble_insn(p);
        return;
    }
    if ((m = sm_get(&a->macros, t.p, (size_t)t.len))) {
        p_next(p);
        expand_macro(p, m, t.col);
        return;
    }
    if ((s = suggest_mnemonic(a, t.p, (size_t)t.len)))
        perr(p, t.col, "unknown instruction '%.*s'; did you mean '%s'?", t.len, t.p, s);
    else
        perr(p, t.col, "unknown instruction or macro '%.*s'", t.len, t.p);
}

/* In a false branch: only the conditional directives count, without diagnostics for the rest. */
static void inactive_line(asm_t *a, const line_t *l)
{
    parser_t p;
    tok_t w;
    const struct directive *d;
    if (!first_word(l, &w) || !(d = find_directive(w.p, (size_t)w.len)) || !d->conditional)
        return;
    p_init(&p, a, l);
    while (p.tok.p != w.p)
        p_next(&p);
    p.dir = p.tok;
    /* The rest of a skipped line is not assembled, so it may hold anything (macro parameters,
       text for another assembler): lex it quietly unless this directive evaluates it, which
       only an .elif/.else/.endif of a block whose parent is active does, and an .elif only
       while no branch has been taken. An .if inside a skipped block never evaluates. */
    if (d->fn == d_if || !a->n_conds || !a->conds[a->n_conds - 1].parent_active ||
        (d->fn == d_elif && a->conds[a->n_conds - 1].done))
        p.skipped = 1;
    p_next(&p);
    d->fn(&p);
}

/* line := (label ':')* [statement] */
void process_line(asm_t *a, const line_t *l)
{
    parser_t p;
    tok_t w;
    const struct directive *d;
    /* an .elif after a taken branch is not evaluated either: only its nesting matters */
    int elif_after_taken = a->n_conds && a->conds[a->n_conds - 1].done && first_word(l, &w) &&
                           (d = find_directive(w.p, (size_t)w.len)) && d->fn == d_elif;
    if (!cond_active(a) || elif_after_taken) {
        inactive_line(a, l);
        return;
    }
    p_init(&p, a, l);
    while (p.tok.kind == TK_IDENT && p_peek_is(&p, ":")) {
        value_t v = {(int64_t)a->n_insns, 0};
        if (sym_name_ok(&p, &p.tok, "label"))
            sym_define(a, &p, &p.tok, SYM_LABEL, v);
        p_next(&p);
        p_next(&p);
    }
    if (p.tok.kind == TK_EOL)
        return;
    if (p.tok.kind != TK_IDENT) {
        char got[64];
        p_token_text(&p.tok, got, sizeof got);
        perr(&p, p.tok.col, "expected a label, instruction or directive, got %s", got);
        return;
    }
    if (p.tok.p[0] == '.')
        directive(&p);
    else
        statement(&p);
}
