/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lexer: one line at a time, on demand (lines can be megabytes of fuzz, so no token arrays).
 *
 *   token   := ident | number | char | string | punct
 *   ident   := [A-Za-z_.][A-Za-z0-9_.]*
 *   number  := [0-9][0-9A-Za-z_]*          decimal, 0x hex or 0b binary; checked here
 *   char    := '\'' (c | escape) '\''
 *   string  := '"' (c | escape)* '"'
 *   escape  := \n \t \r \0 \\ \' \" \xHH
 *   punct   := << >> <= >= == != && || or one of + - * / % & | ^ ~ ! < > ( ) [ ] , : =
 *   comment := ';' | '#' | '//'  up to the end of the line
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "asm_internal.h"

void lex_init(lexer_t *lx, const char *s, int len)
{
    lx->s = s;
    lx->len = len;
    lx->pos = 0;
}

static int is_ident_start(int c)
{
    return isalpha(c) || c == '_' || c == '.';
}

static int is_ident_char(int c)
{
    return isalnum(c) || c == '_' || c == '.';
}

static tok_t lex_error(lexer_t *lx, tok_t t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static tok_t lex_error(lexer_t *lx, tok_t t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->errbuf, sizeof lx->errbuf, fmt, ap);
    va_end(ap);
    t.kind = TK_ERROR;
    t.err = lx->errbuf;
    lx->pos = lx->len; /* nothing after a malformed token is trustworthy */
    return t;
}

/* Parses the digits of a number token into t->num; 0 on success. */
static int number_value(const char *s, int len, uint64_t *out)
{
    int base = 10, i = 0;
    uint64_t v = 0;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, i = 2;
    else if (len > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        base = 2, i = 2;
    for (; i < len; i++) {
        int c = tolower((unsigned char)s[i]), d;
        if (isdigit(c))
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            return -1;
        if (d >= base)
            return -1;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return -2;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = v;
    return 0;
}

/* Reads one escape sequence or plain character at s[*i]; returns its value, -1 if malformed. */
static int char_value(const char *s, int len, int *i)
{
    int c = (unsigned char)s[(*i)++];
    if (c != '\\')
        return c;
    if (*i >= len)
        return -1;
    c = (unsigned char)s[(*i)++];
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '0': return 0;
    case '\\': case '\'': case '"': return c;
    case 'x': {
        int v = 0, k;
        for (k = 0; k < 2 && *i < len && isxdigit((unsigned char)s[*i]); k++, (*i)++)
            v = v * 16 + (isdigit((unsigned char)s[*i]) ? s[*i] - '0'
                                                          : tolower((unsigned char)s[*i]) - 'a' + 10);
        return k ? v : -1;
    }
    default: return -1;
    }
}

static tok_t lex_number(lexer_t *lx, tok_t t)
{
    int end = lx->pos;
    while (end < lx->len && (isalnum((unsigned char)lx->s[end]) || lx->s[end] == '_'))
        end++;
    t.kind = TK_NUM;
    t.len = end - lx->pos;
    lx->pos = end;
    switch (number_value(t.p, t.len, &t.num)) {
    case -1: return lex_error(lx, t, "invalid number '%.*s'", t.len > 32 ? 32 : t.len, t.p);
    case -2: return lex_error(lx, t, "number '%.*s' does not fit in 64 bits", t.len > 32 ? 32 : t.len, t.p);
    default: return t;
    }
}

static tok_t lex_char(lexer_t *lx, tok_t t)
{
    int i = lx->pos + 1, v;
    if (i >= lx->len || lx->s[i] == '\'')
        return lex_error(lx, t, "empty character literal");
    v = char_value(lx->s, lx->len, &i);
    if (v < 0)
        return lex_error(lx, t, "invalid escape sequence in character literal");
    if (i >= lx->len || lx->s[i] != '\'')
        return lex_error(lx, t, "unterminated character literal");
    t.kind = TK_NUM;
    t.num = (uint64_t)v;
    t.len = i + 1 - lx->pos;
    lx->pos = i + 1;
    return t;
}

static tok_t lex_string(lexer_t *lx, tok_t t)
{
    int i = lx->pos + 1;
    while (i < lx->len && lx->s[i] != '"') {
        if (char_value(lx->s, lx->len, &i) < 0)
            return lex_error(lx, t, "invalid escape sequence in string");
    }
    if (i >= lx->len)
        return lex_error(lx, t, "unterminated string");
    t.kind = TK_STR;
    t.len = i + 1 - lx->pos;
    lx->pos = i + 1;
    return t;
}

tok_t lex_next(lexer_t *lx)
{
    static const char *const two[] = {"<<", ">>", "<=", ">=", "==", "!=", "&&", "||"};
    static const char one[] = "+-*/%&|^~!<>()[],:=";
    tok_t t = {0};
    int c;

    while (lx->pos < lx->len && (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t' ||
                                 lx->s[lx->pos] == '\r' || lx->s[lx->pos] == '\f' ||
                                 lx->s[lx->pos] == '\v'))
        lx->pos++;
    t.p = lx->s + lx->pos;
    t.col = lx->pos + 1;
    if (lx->pos >= lx->len)
        return t; /* TK_EOL */
    c = (unsigned char)lx->s[lx->pos];
    if (c == ';' || c == '#' || (c == '/' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '/')) {
        lx->pos = lx->len;
        return t;
    }
    if (is_ident_start(c)) {
        int end = lx->pos;
        while (end < lx->len && is_ident_char((unsigned char)lx->s[end]))
            end++;
        t.kind = TK_IDENT;
        t.len = end - lx->pos;
        lx->pos = end;
        return t;
    }
    if (isdigit(c))
        return lex_number(lx, t);
    if (c == '\'')
        return lex_char(lx, t);
    if (c == '"')
        return lex_string(lx, t);
    for (size_t k = 0; k < sizeof two / sizeof two[0]; k++)
        if (lx->pos + 1 < lx->len && lx->s[lx->pos] == two[k][0] && lx->s[lx->pos + 1] == two[k][1]) {
            t.kind = TK_PUNCT;
            t.len = 2;
            lx->pos += 2;
            return t;
        }
    if (c && strchr(one, c)) {
        t.kind = TK_PUNCT;
        t.len = 1;
        lx->pos++;
        return t;
    }
    if (c == '\\')
        return lex_error(lx, t, "unexpected '\\' (macro parameters are only substituted inside "
                                ".macro bodies)");
    if (isprint(c))
        return lex_error(lx, t, "unexpected character '%c'", c);
    return lex_error(lx, t, "unexpected byte 0x%02x", c);
}

int tok_is(const tok_t *t, const char *op)
{
    return t->kind == TK_PUNCT && (size_t)t->len == strlen(op) && !memcmp(t->p, op, (size_t)t->len);
}

void tok_string(const tok_t *t, char *out, size_t cap)
{
    int i = 1;
    size_t n = 0;
    while (i < t->len - 1) {
        int v = char_value(t->p, t->len - 1, &i);
        if (n + 1 < cap)
            out[n++] = (char)v;
    }
    if (cap)
        out[n < cap ? n : cap - 1] = 0;
}

/* ---- parser helpers ------------------------------------------------------------------------- */

void p_init(parser_t *p, asm_t *a, const line_t *line)
{
    p->a = a;
    p->line = line;
    p->quiet = 0;
    p->skipped = 0;
    p->nerr = 0;
    p->depth = 0;
    memset(&p->dir, 0, sizeof p->dir);
    lex_init(&p->lx, line->text, line->len);
    p_next(p);
}

void p_next(parser_t *p)
{
    p->tok = lex_next(&p->lx);
    if (p->tok.kind == TK_ERROR) {
        if (!p->skipped)
            perr(p, p->tok.col, "%s", p->tok.err);
        /* behave as end of line so that callers stop; the error is already reported */
        p->tok.kind = TK_EOL;
        p->tok.err = "reported";
    }
}

int p_is(parser_t *p, const char *op)
{
    return tok_is(&p->tok, op);
}

int p_accept(parser_t *p, const char *op)
{
    if (!p_is(p, op))
        return 0;
    p_next(p);
    return 1;
}

int p_peek_is(parser_t *p, const char *op)
{
    lexer_t save = p->lx;
    tok_t t = lex_next(&save);
    return tok_is(&t, op);
}

void p_token_text(const tok_t *t, char *out, size_t cap)
{
    if (t->kind == TK_EOL)
        snprintf(out, cap, "end of line");
    else
        snprintf(out, cap, "'%.*s'", t->len > 40 ? 40 : t->len, t->p);
}

int p_expect_eol(parser_t *p)
{
    char got[64];
    if (p->tok.kind == TK_EOL)
        return p->tok.err ? -1 : 0; /* a lexer error was reported already */
    p_token_text(&p->tok, got, sizeof got);
    perr(p, p->tok.col, "unexpected %s after the end of the statement", got);
    return -1;
}
