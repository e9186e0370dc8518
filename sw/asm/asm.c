/* SPDX-License-Identifier: Apache-2.0 */
/* Assembler driver: the two passes, diagnostics, the listing and the public API (dlp_asm.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_internal.h"

static const char cmdline_file[] = "<command line>";

/* ---- diagnostics ---------------------------------------------------------------------------- */

static void add_message(asm_t *a, char *msg)
{
    GROW(a->msgs, a->cap_msgs, a->n_msgs + 1);
    a->msgs[a->n_msgs++] = msg;
}

void diag_v(asm_t *a, const srcloc_t *loc, int col, const char *fmt, va_list ap)
{
    sbuf_t b = {0};
    if (a->fatal)
        return;
    if (a->pass == 1) {
        /* Pass 1 is silent: pass 2 reports the same problems and more (operands), so it stops
         * no later than this; stopping pass 1 too keeps hostile input cheap. */
        if (++a->n_errors > a->max_errors)
            a->fatal = 1;
        return;
    }
    if (a->n_errors >= a->max_errors) {
        sb_printf(&b, "%s:%d:%d: note: too many errors; stopping after %d", loc->file, loc->line,
                  col, a->max_errors);
        add_message(a, sb_take(&b));
        a->fatal = 1;
        return;
    }
    sb_printf(&b, "%s:%d:%d: error: ", loc->file, loc->line, col);
    sb_vprintf(&b, fmt, ap);
    int depth = 0;
    for (const expctx_t *c = loc->ctx; c; c = c->at.ctx)
        depth++;
    /* deep recursion: the innermost and the outermost expansions tell the story */
    int shown = 0, skip_from = depth > 8 ? 4 : depth, skip_to = depth > 8 ? depth - 4 : depth;
    for (const expctx_t *c = loc->ctx; c; c = c->at.ctx, shown++) {
        if (shown == skip_from)
            sb_printf(&b, "\n%s:%d:%d: note: ... %d more expansions ...", c->at.file, c->at.line,
                      c->col, skip_to - skip_from);
        if (shown >= skip_from && shown < skip_to)
            continue;
        sb_printf(&b, "\n%s:%d:%d: note: in expansion of macro '%s'", c->at.file, c->at.line,
                  c->col, c->macro);
    }
    add_message(a, sb_take(&b));
    a->n_errors++;
}

void diag(asm_t *a, const srcloc_t *loc, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_v(a, loc, col, fmt, ap);
    va_end(ap);
}

void perr(parser_t *p, int col, const char *fmt, ...)
{
    va_list ap;
    if (p->nerr++)
        return;
    va_start(ap, fmt);
    diag_v(p->a, &p->line->loc, col, fmt, ap);
    va_end(ap);
}

/* ---- passes ---------------------------------------------------------------------------------- */

/* Pass 2 starts from the end-of-pass-1 symbol table, kept for forward references, with every
 * symbol undefined again so that definitions are checked in source order. */
static void begin_pass(asm_t *a, int pass)
{
    a->pass = pass;
    a->fatal = 0;
    a->n_errors = 0;
    a->n_insns = 0;
    a->n_loops = 0;
    a->n_conds = 0;
    a->macro_counter = 0;
    a->expanded_lines = 0;
    sm_free(&a->macros, free_macro);
    for (size_t i = 0; i < a->syms.cap; i++) {
        symbol_t *s = a->syms.e[i].key ? a->syms.e[i].val : NULL;
        if (!s)
            continue;
        s->p1_kind = s->kind;
        s->p1_defined = s->defined == 1;
        s->p1_value = s->value;
        s->p1_fwd = s->fwd;
        s->defined = 0;
    }
}

/* -D NAME[=expr]: a constant defined before the first line. Reported as <command line>:N:col
 * where N numbers the -D options. */
static void predefine(asm_t *a, int index, const char *def)
{
    line_t l = {def, (int)strnlen(def, DLP_ASM_MAX_LINE), {cmdline_file, index + 1, NULL}};
    parser_t p;
    tok_t name;
    value_t v = {1, 0};
    p_init(&p, a, &l);
    name = p.tok;
    if (!sym_name_ok(&p, &name, "symbol"))
        return;
    p_next(&p);
    if (p_accept(&p, "=") && p_expr(&p, &v))
        return;
    if (p_expect_eol(&p))
        return;
    symbol_t *s = sym_define(a, &p, &name, SYM_EQU, v);
    if (s)
        s->loc.line = 0; /* "defined on the command line" */
}

static void run_pass(asm_t *a, int pass)
{
    const line_t *l;
    begin_pass(a, pass);
    for (int i = 0; a->opt && i < a->opt->n_defines; i++)
        predefine(a, i, a->opt->defines[i]);
    push_file(a, a->main);
    while ((l = next_line(a)))
        process_line(a, l);
    free_frames(a);
    if (!a->fatal)
        close_loops(a);
}

/* ---- listing --------------------------------------------------------------------------------- */

static int by_name(const void *x, const void *y)
{
    return strcmp((*(symbol_t *const *)x)->name, (*(symbol_t *const *)y)->name);
}

static void list_symbols(asm_t *a, sbuf_t *b)
{
    static const char *const kinds[] = {"label", "equ", "set", "reg"};
    symbol_t **v = xcalloc(a->syms.n + 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < a->syms.cap; i++)
        if (a->syms.e[i].key && ((symbol_t *)a->syms.e[i].val)->defined == 2)
            v[n++] = a->syms.e[i].val;
    qsort(v, n, sizeof *v, by_name);
    sb_puts(b, ";\n; symbols\n");
    for (size_t i = 0; i < n; i++) {
        if (v[i]->kind == SYM_REG)
            sb_printf(b, ";   %-24s %-5s r%lld\n", v[i]->name, kinds[v[i]->kind],
                      (long long)v[i]->value);
        else
            sb_printf(b, ";   %-24s %-5s %lld (0x%llx)\n", v[i]->name, kinds[v[i]->kind],
                      (long long)v[i]->value, (unsigned long long)v[i]->value);
    }
    free(v);
}

static char *make_listing(asm_t *a)
{
    sbuf_t b = {0};
    sb_puts(&b, "; OpenDLP assembler listing\n"
                "; index   word0    word1    word2    word3     source\n");
    for (uint32_t i = 0; i < a->n_insns; i++) {
        const uint32_t *w = &a->words[4 * (size_t)i];
        const char *t = a->list[i].text;
        while (*t == ' ' || *t == '\t')
            t++;
        sb_printf(&b, "%7u   %08x %08x %08x %08x  %s:%d: %s\n", i, w[0], w[1], w[2], w[3],
                  a->list[i].loc.file, a->list[i].loc.line, t);
    }
    list_symbols(a, &b);
    return sb_take(&b);
}

/* ---- public API ------------------------------------------------------------------------------ */

static void asm_init(asm_t *a, const dlp_asm_options_t *opt, dlp_asm_result_t *res)
{
    memset(a, 0, sizeof *a);
    memset(res, 0, sizeof *res);
    a->opt = opt;
    a->max_errors = opt && opt->max_errors > 0 ? opt->max_errors : DLP_ASM_DEFAULT_MAX_ERRORS;
}

static void free_file(void *fp)
{
    srcfile_t *f = fp;
    free(f->path);
    free(f->real);
    free(f->text);
    free(f->lines);
    free(f);
}

static void asm_free(asm_t *a)
{
    free_frames(a);
    sm_free(&a->files, free_file);
    sm_free(&a->macros, free_macro);
    free_symbols(a);
    while (a->ctxs) {
        expctx_t *c = a->ctxs;
        a->ctxs = c->next_alloc;
        free(c->macro);
        free(c);
    }
    for (uint32_t i = 0; a->list && i < a->n_insns; i++)
        free(a->list[i].text);
    free(a->list);
    free(a->conds);
    free(a->loops);
    free(a->words);
    for (int i = 0; i < a->n_msgs; i++)
        free(a->msgs[i]);
    free(a->msgs);
}

static int assemble(asm_t *a, dlp_asm_result_t *res)
{
    run_pass(a, 1);
    run_pass(a, 2);
    res->messages = a->msgs;
    res->n_messages = a->n_msgs;
    res->n_errors = a->n_errors;
    a->msgs = NULL;
    a->n_msgs = 0;
    if (!a->n_errors) {
        if (a->opt && a->opt->listing)
            res->listing = make_listing(a);
        res->words = a->n_insns ? a->words : NULL;
        res->n_insns = a->n_insns;
        if (a->n_insns)
            a->words = NULL;
    }
    asm_free(a);
    return res->n_errors ? -1 : 0;
}

int dlp_asm_file(const char *path, const dlp_asm_options_t *opt, dlp_asm_result_t *res)
{
    asm_t a;
    char err[256];
    asm_init(&a, opt, res);
    a.main = load_file(&a, path, err, sizeof err);
    if (!a.main) {
        sbuf_t b = {0};
        sb_printf(&b, "%s: error: cannot open: %s", path, err);
        add_message(&a, sb_take(&b));
        res->messages = a.msgs;
        res->n_messages = 1;
        res->n_errors = 1;
        a.msgs = NULL;
        a.n_msgs = 0;
        asm_free(&a);
        return -1;
    }
    return assemble(&a, res);
}

int dlp_asm_string(const char *src, const char *name, const dlp_asm_options_t *opt,
                   dlp_asm_result_t *res)
{
    asm_t a;
    asm_init(&a, opt, res);
    a.main = string_file(&a, name ? name : "<string>", src ? src : "");
    return assemble(&a, res);
}

void dlp_asm_result_free(dlp_asm_result_t *res)
{
    if (!res)
        return;
    free(res->words);
    for (int i = 0; i < res->n_messages; i++)
        free(res->messages[i]);
    free(res->messages);
    free(res->listing);
    memset(res, 0, sizeof *res);
}
