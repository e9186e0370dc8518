/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Constant expressions: the C operators with C precedence on 64-bit signed integers, wrapping
 * on overflow; division by zero and shift counts outside 0..63 are errors; `>>` is arithmetic.
 *
 *   expr    := binary(1)
 *   binary(n) := unary (op unary)*  for operators of precedence >= n, left associative:
 *                1 ||   2 &&   3 |   4 ^   5 &   6 == !=   7 < <= > >=   8 << >>   9 + -
 *                10 * / %
 *   unary   := ('-' | '+' | '~' | '!') unary | primary
 *   primary := number | char | symbol | 'defined' '(' ident ')' | '(' expr ')'
 *
 * `a && b` and `a || b` do not evaluate b (no diagnostics from it) when a decides the result.
 */
#include <string.h>

#include "asm_internal.h"

static const struct binop {
    const char *op;
    int prec;
} binops[] = {
    {"||", 1}, {"&&", 2}, {"|", 3},  {"^", 4},  {"&", 5},  {"==", 6}, {"!=", 6},
    {"<", 7},  {"<=", 7}, {">", 7},  {">=", 7}, {"<<", 8}, {">>", 8}, {"+", 9},
    {"-", 9},  {"*", 10}, {"/", 10}, {"%", 10},
};

static int binop_prec(const tok_t *t)
{
    for (size_t i = 0; i < sizeof binops / sizeof binops[0]; i++)
        if (tok_is(t, binops[i].op))
            return binops[i].prec;
    return 0;
}

/* A semantic error (bad value, unknown symbol): fatal for the expression unless it sits on the
 * unevaluated side of && / ||, where C would not evaluate it either. Returns -1 to fail. */
static int sem_err(parser_t *p, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int sem_err(parser_t *p, int col, const char *fmt, ...)
{
    va_list ap;
    if (p->quiet)
        return 0;
    if (!p->nerr++) {
        va_start(ap, fmt);
        diag_v(p->a, &p->line->loc, col, fmt, ap);
        va_end(ap);
    }
    return -1;
}

symbol_t *sym_find(asm_t *a, const char *name, size_t len)
{
    return sm_get(&a->syms, name, len);
}

/* Value of a symbol reference. In pass 1 a symbol not defined yet is unknown (fwd); in pass 2 it
 * takes its end-of-pass-1 value, which pass 1 computed from the same source. */
static int symbol_value(parser_t *p, const tok_t *t, value_t *out)
{
    asm_t *a = p->a;
    symbol_t *s = sym_find(a, t->p, (size_t)t->len);

    out->v = 0;
    out->fwd = 0;
    if (s && s->defined == a->pass) {
        if (s->kind == SYM_REG)
            return sem_err(p, t->col, "'%.*s' is a register alias and cannot be used in an "
                                      "expression", t->len, t->p);
        out->v = s->value;
        out->fwd = s->fwd;
        return 0;
    }
    out->fwd = 1;
    if (a->pass == 1)
        return 0;
    if (!s || !s->p1_defined)
        return sem_err(p, t->col, "undefined symbol '%.*s'", t->len, t->p);
    if (s->p1_kind == SYM_SET)
        return sem_err(p, t->col, "'%.*s' is used before its first .set (only labels and .equ "
                                  "constants can be used before their definition)", t->len, t->p);
    if (s->p1_kind == SYM_REG)
        return sem_err(p, t->col, "'%.*s' is a register alias and cannot be used in an "
                                  "expression", t->len, t->p);
    if (s->p1_fwd)
        return sem_err(p, t->col, "cannot resolve '%.*s': it is used before its definition, "
                                  "which itself depends on a later symbol", t->len, t->p);
    out->v = s->p1_value;
    return 0;
}

static int p_expr_prec(parser_t *p, int min_prec, value_t *out);

/* 'defined' '(' ident ')': 1 if the symbol is defined at this point of the source. */
static int defined_call(parser_t *p, value_t *out)
{
    symbol_t *s;
    char got[64];
    p_next(p); /* defined */
    p_next(p); /* ( */
    if (p->tok.kind != TK_IDENT) {
        p_token_text(&p->tok, got, sizeof got);
        perr(p, p->tok.col, "expected a symbol name in defined(), got %s", got);
        return -1;
    }
    s = sym_find(p->a, p->tok.p, (size_t)p->tok.len);
    out->v = s && s->defined == p->a->pass;
    out->fwd = 0;
    p_next(p);
    if (!p_accept(p, ")")) {
        p_token_text(&p->tok, got, sizeof got);
        perr(p, p->tok.col, "expected ')' after defined(NAME, got %s", got);
        return -1;
    }
    return 0;
}

/* Nesting of parentheses and unary operators, bounded so that hostile input cannot exhaust the
 * stack of this recursive descent. */
#define MAX_EXPR_DEPTH 200

static int enter(parser_t *p)
{
    if (++p->depth <= MAX_EXPR_DEPTH)
        return 0;
    perr(p, p->tok.col, "expression nested more than %d deep", MAX_EXPR_DEPTH);
    return -1;
}

/* primary := number | char | symbol | 'defined' '(' ident ')' | '(' expr ')' */
static int primary(parser_t *p, value_t *out)
{
    tok_t t = p->tok;
    char got[64];

    if (t.kind == TK_NUM) {
        out->v = (int64_t)t.num;
        out->fwd = 0;
        p_next(p);
        return 0;
    }
    if (p_accept(p, "(")) {
        int open_col = t.col;
        int rc = enter(p) || p_expr(p, out);
        p->depth--;
        if (rc)
            return -1;
        if (!p_accept(p, ")")) {
            p_token_text(&p->tok, got, sizeof got);
            perr(p, p->tok.col, "expected ')' to close the '(' at column %d, got %s", open_col,
                 got);
            return -1;
        }
        return 0;
    }
    if (t.kind == TK_IDENT) {
        if (t.len == 7 && !memcmp(t.p, "defined", 7) && p_peek_is(p, "("))
            return defined_call(p, out);
        if (reg_number(t.p, (size_t)t.len) >= 0) {
            perr(p, t.col, "register '%.*s' cannot be used in an expression", t.len, t.p);
            return -1;
        }
        if (space_number(t.p, (size_t)t.len) >= 0 && p_peek_is(p, "[")) {
            perr(p, t.col, "memory operand '%.*s[...]' cannot be used in an expression", t.len,
                 t.p);
            return -1;
        }
        p_next(p);
        return symbol_value(p, &t, out);
    }
    p_token_text(&t, got, sizeof got);
    if (t.kind != TK_EOL || !t.err)
        perr(p, t.col, "expected an expression, got %s", got);
    return -1;
}

/* unary := ('-' | '+' | '~' | '!') unary | primary */
static int unary(parser_t *p, value_t *out)
{
    tok_t op = p->tok;
    if (p_accept(p, "-") || p_accept(p, "+") || p_accept(p, "~") || p_accept(p, "!")) {
        int rc = enter(p) || unary(p, out);
        p->depth--;
        if (rc)
            return -1;
        if (tok_is(&op, "-"))
            out->v = (int64_t)(0 - (uint64_t)out->v);
        else if (tok_is(&op, "~"))
            out->v = ~out->v;
        else if (tok_is(&op, "!"))
            out->v = !out->v;
        return 0;
    }
    return primary(p, out);
}

/* Applies a binary operator to l and r, leaving the result in l. */
static int apply(parser_t *p, const tok_t *op, value_t *l, value_t r)
{
    uint64_t a = (uint64_t)l->v, b = (uint64_t)r.v;
    int fwd = l->fwd || r.fwd;

    if (p->a->pass == 1 && fwd) { /* unknown operand: no checks, value irrelevant */
        l->v = 0;
        l->fwd = 1;
        return 0;
    }
    l->fwd = fwd;
    if (tok_is(op, "+")) l->v = (int64_t)(a + b);
    else if (tok_is(op, "-")) l->v = (int64_t)(a - b);
    else if (tok_is(op, "*")) l->v = (int64_t)(a * b);
    else if (tok_is(op, "/") || tok_is(op, "%")) {
        if (r.v == 0) {
            l->v = 0;
            return sem_err(p, op->col, "division by zero");
        }
        if (r.v == -1) /* INT64_MIN / -1 overflows in C; wrap like the other operators */
            l->v = tok_is(op, "/") ? (int64_t)(0 - a) : 0;
        else
            l->v = tok_is(op, "/") ? l->v / r.v : l->v % r.v;
    } else if (tok_is(op, "<<") || tok_is(op, ">>")) {
        if (r.v < 0 || r.v > 63) {
            l->v = 0;
            return sem_err(p, op->col, "shift count %lld outside 0..63", (long long)r.v);
        }
        l->v = tok_is(op, "<<") ? (int64_t)(a << r.v) : l->v >> r.v;
    }
    else if (tok_is(op, "&")) l->v = (int64_t)(a & b);
    else if (tok_is(op, "^")) l->v = (int64_t)(a ^ b);
    else if (tok_is(op, "|")) l->v = (int64_t)(a | b);
    else if (tok_is(op, "==")) l->v = l->v == r.v;
    else if (tok_is(op, "!=")) l->v = l->v != r.v;
    else if (tok_is(op, "<")) l->v = l->v < r.v;
    else if (tok_is(op, "<=")) l->v = l->v <= r.v;
    else if (tok_is(op, ">")) l->v = l->v > r.v;
    else if (tok_is(op, ">=")) l->v = l->v >= r.v;
    else if (tok_is(op, "&&")) l->v = l->v && r.v;
    else if (tok_is(op, "||")) l->v = l->v || r.v;
    return 0;
}

/* binary(n) := unary (op unary)*, operators of precedence >= n (precedence climbing) */
static int p_expr_prec(parser_t *p, int min_prec, value_t *out)
{
    if (unary(p, out))
        return -1;
    for (;;) {
        int prec = binop_prec(&p->tok), skip;
        tok_t op = p->tok;
        value_t r;
        if (!prec || prec < min_prec)
            return 0;
        p_next(p);
        /* C short-circuit: the right side of a decided && / || is parsed but not evaluated */
        skip = (tok_is(&op, "&&") && !out->v) || (tok_is(&op, "||") && out->v);
        p->quiet += skip;
        int rc = p_expr_prec(p, prec + 1, &r);
        p->quiet -= skip;
        if (rc)
            return -1;
        if (skip) {
            out->v = tok_is(&op, "||");
            continue;
        }
        if (apply(p, &op, out, r))
            return -1;
    }
}

/* expr := binary(1) */
int p_expr(parser_t *p, value_t *out)
{
    return p_expr_prec(p, 1, out);
}
