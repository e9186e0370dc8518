/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the OpenDLP assembler, shared by the files of sw/asm/. Not a public API.
 *
 * How the assembler works, in one paragraph: sources are split into lines once; a stack of
 * frames (file, macro expansion, .rept body) feeds lines to process_line(), which handles
 * conditionals, labels, directives, macro invocations and instructions. The whole source is run
 * twice: pass 1 only defines labels (so that forward references work) and is silent; pass 2
 * repeats exactly the same steps with every label known, encodes instructions and reports all
 * diagnostics. Both passes take the same path through .if/.rept/.include because any value that
 * steers them must not depend on a later definition (see value_t.fwd).
 */
#ifndef DLP_ASM_INTERNAL_H
#define DLP_ASM_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "dlp_asm.h"
#include "dlp_isa_gen.h"

/* ---- growable string ---------------------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf_t;

void sb_putn(sbuf_t *b, const char *s, size_t n);
void sb_puts(sbuf_t *b, const char *s);
void sb_putc(sbuf_t *b, char c);
void sb_printf(sbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(sbuf_t *b, const char *fmt, va_list ap);
/* Returns the NUL-terminated text (never NULL) and leaves b empty. */
char *sb_take(sbuf_t *b);

/* malloc/realloc/strdup that abort with a message instead of returning NULL: an assembler that
 * cannot allocate a few bytes has nothing sensible left to do. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);
/* Grows the array arr (capacity cap, in elements) so that it holds at least `need` elements. */
#define GROW(arr, cap, need)                                                                     \
    do {                                                                                         \
        if ((need) > (cap)) {                                                                    \
            int ncap_ = (cap) ? (cap) : 16;                                                      \
            while (ncap_ < (need))                                                               \
                ncap_ *= 2;                                                                      \
            (arr) = xrealloc((arr), (size_t)ncap_ * sizeof *(arr));                              \
            (cap) = ncap_;                                                                       \
        }                                                                                        \
    } while (0)

/* ---- string map (open addressing, keys copied, case-sensitive) ------------------------------- */

typedef struct strmap_entry {
    char *key;
    void *val;
} strmap_entry_t;

typedef struct strmap {
    strmap_entry_t *e;
    size_t cap, n;
} strmap_t;

void *sm_get(const strmap_t *m, const char *key, size_t klen);
void sm_put(strmap_t *m, const char *key, size_t klen, void *val); /* replaces an existing value */
void sm_free(strmap_t *m, void (*free_val)(void *));

/* ---- small helpers ---------------------------------------------------------------------------- */

/* Case-insensitive equality of the n bytes at s with the NUL-terminated word w. */
int eq_nocase(const char *s, size_t n, const char *w);
/* Register number of "r0".."r15" or "zero" (any case), else -1. */
int reg_number(const char *s, size_t n);
/* Memory space named by s (DLP_MEM_DRAM/NRAM/WRAM/ACC of dlp_decode.h, any case), else -1. */
int space_number(const char *s, size_t n);
/* Instruction id for a mnemonic in any case, else -1. */
int insn_of_name(const char *s, size_t n);
/* Levenshtein distance, case-insensitive, capped: returns > cap when the distance exceeds cap. */
int edit_distance(const char *a, size_t an, const char *b, int cap);

/* ---- lexer ------------------------------------------------------------------------------------ */

enum tok_kind {
    TK_EOL,   /* end of line or start of a comment */
    TK_IDENT, /* [A-Za-z_.][A-Za-z0-9_.]* */
    TK_NUM,   /* integer or character literal; value in num */
    TK_STR,   /* "..." with escapes; p/len include the quotes */
    TK_PUNCT, /* operator or punctuation, 1 or 2 characters */
    TK_ERROR  /* malformed input; message in err */
};

typedef struct tok {
    int kind;
    const char *p; /* token text */
    int len;
    int col; /* 1-based column of the first character */
    uint64_t num;
    const char *err;
} tok_t;

typedef struct lexer {
    const char *s;
    int len;
    int pos;
    char errbuf[80];
} lexer_t;

void lex_init(lexer_t *lx, const char *s, int len);
tok_t lex_next(lexer_t *lx);
/* 1 if t is the punctuation or operator op. */
int tok_is(const tok_t *t, const char *op);
/* Decodes a TK_STR token into out (NUL-terminated, truncated to cap). */
void tok_string(const tok_t *t, char *out, size_t cap);

/* ---- sources, frames, symbols, macros --------------------------------------------------------- */

struct expctx;

/* Where a line comes from. ctx is set for lines produced by a macro expansion. */
typedef struct srcloc {
    const char *file;
    int line;
    const struct expctx *ctx;
} srcloc_t;

/* A macro invocation, for the "in expansion of macro" notes. Lives until the end of assembly. */
typedef struct expctx {
    char *macro;
    srcloc_t at;
    int col;
    struct expctx *next_alloc; /* list of all contexts, for freeing */
} expctx_t;

typedef struct line {
    const char *text; /* not NUL-terminated */
    int len;
    srcloc_t loc;
} line_t;

typedef struct srcfile {
    char *path; /* as opened; used in messages */
    char *real; /* canonical path (realpath) for recursion checks, or a copy of path */
    char *text;
    line_t *lines;
    int n_lines;
} srcfile_t;

enum frame_kind { FR_FILE, FR_MACRO, FR_REPT };

typedef struct frame {
    int kind;
    int id; /* unique per pass: owner of conditionals opened in it */
    line_t *lines;
    int n, i;
    int64_t reps_left; /* FR_REPT: iterations after the current one */
    int owns_lines;    /* free lines[] (and, for FR_MACRO, their texts) when popped */
    const srcfile_t *file;
    struct frame *up;
} frame_t;

enum sym_kind { SYM_LABEL, SYM_EQU, SYM_SET, SYM_REG };

typedef struct symbol {
    char *name;
    int kind;
    int defined; /* pass in which it was last defined; 0: not defined yet in this pass */
    int64_t value;
    int fwd; /* the value depends on a forward reference (unknown in pass 1) */
    srcloc_t loc;
    /* end-of-pass-1 state, used to resolve forward references in pass 2 */
    int p1_kind, p1_defined, p1_fwd;
    int64_t p1_value;
} symbol_t;

typedef struct macro {
    char *name;
    int n_params;
    char **params;
    char **defaults; /* NULL entry: the argument is required */
    line_t *body;    /* texts owned */
    int n_body;
    srcloc_t loc;
} macro_t;

typedef struct cond {
    int taking;        /* lines are being assembled in the current branch */
    int done;          /* a branch was taken already (or the enclosing block is inactive) */
    int parent_active; /* the enclosing block was active */
    int seen_else;
    int frame_id;
    srcloc_t loc;
    int col;
} cond_t;

typedef struct openloop {
    uint32_t index;
    srcloc_t loc;
    int col;
} openloop_t;

typedef struct listent {
    srcloc_t loc;
    char *text;
} listent_t;

typedef struct asm_ctx {
    const dlp_asm_options_t *opt;
    int max_errors;
    int pass;  /* 1 or 2 */
    int fatal; /* stop feeding lines: too many errors, runaway expansion, too many insns */

    /* diagnostics (pass 2 only) */
    char **msgs;
    int n_msgs, cap_msgs, n_errors;

    /* sources */
    strmap_t files; /* canonical path -> srcfile_t */
    srcfile_t *main;
    frame_t *top;
    int frame_serial;
    int include_depth, macro_depth;
    long expanded_lines;
    expctx_t *ctxs;

    /* conditionals */
    cond_t *conds;
    int n_conds, cap_conds;

    /* symbols and macros */
    strmap_t syms;
    strmap_t macros;
    unsigned macro_counter;

    /* output */
    uint32_t *words;
    uint32_t n_insns;
    int cap_words; /* in instructions */
    openloop_t *loops;
    int n_loops, cap_loops;
    listent_t *list; /* per instruction, when a listing is wanted */
    int cap_list;
} asm_t;

/* A value computed from an expression. */
typedef struct value {
    int64_t v;
    /* Depends on a symbol defined later in the source. In pass 1 v is then meaningless (0); in
     * pass 2 v is right, but must not steer .if/.rept, or the passes would diverge. */
    int fwd;
} value_t;

/* Parser state for one line. */
typedef struct parser {
    asm_t *a;
    const line_t *line;
    lexer_t lx;
    tok_t tok;
    int quiet; /* > 0: inside the unevaluated side of && / ||: no diagnostics */
    int skipped; /* the line is in a skipped .if branch: lexical errors are not reported */
    int nerr;  /* errors reported for this line; only the first is shown, later ones cascade */
    tok_t dir; /* the directive being processed */
    int depth; /* expression nesting */
} parser_t;

/* diagnostics (asm.c) */
void diag(asm_t *a, const srcloc_t *loc, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_v(asm_t *a, const srcloc_t *loc, int col, const char *fmt, va_list ap);
/* Error at a column of the line being parsed. Silent in pass 1; only the first error of a line
 * is shown (later ones are usually consequences of the first). */
void perr(parser_t *p, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* parsing helpers (lex.c) */
void p_init(parser_t *p, asm_t *a, const line_t *line);
void p_next(parser_t *p);
int p_is(parser_t *p, const char *op);       /* current token is punctuation op */
int p_accept(parser_t *p, const char *op);   /* consume it if so */
int p_peek_is(parser_t *p, const char *op);  /* the token after the current one is op */
int p_expect_eol(parser_t *p);               /* error unless at end of line; 0 if ok */
void p_token_text(const tok_t *t, char *out, size_t cap); /* printable token, for messages */

/* expressions (expr.c) */
int p_expr(parser_t *p, value_t *out); /* 0 on success, -1 after reporting an error */
/* Symbol lookup for expressions; also used by .reg and register operands. */
symbol_t *sym_find(asm_t *a, const char *name, size_t len);

/* register operand: r0..r15, zero or a .reg alias; -1 after an error naming `what` (insn.c) */
int p_register(parser_t *p, const char *what);

/* symbols (directive.c) */
int sym_name_ok(parser_t *p, const tok_t *t, const char *what);
symbol_t *sym_define(asm_t *a, parser_t *p, const tok_t *name, int kind, value_t v);

/* lines (source.c) */
const line_t *next_line(asm_t *a);
const line_t *frame_take_line(asm_t *a); /* next line of the top frame only, or NULL */
srcfile_t *load_file(asm_t *a, const char *path, char *err, size_t errlen);
srcfile_t *string_file(asm_t *a, const char *name, const char *src);
void push_file(asm_t *a, srcfile_t *f);
void push_lines(asm_t *a, int kind, line_t *lines, int n, int64_t reps, int owns);
void free_frames(asm_t *a);
int first_word(const line_t *l, tok_t *out); /* the first token after any labels */
void expand_macro(parser_t *p, const macro_t *m, int col);
void free_macro(void *m);
int cond_active(const asm_t *a);

/* directives (directive.c) */
void free_symbols(asm_t *a);
void process_line(asm_t *a, const line_t *l);

/* instructions (insn.c) */
int statement_is_insn(const char *s, size_t n); /* mnemonic or pseudo-instruction */
void assemble_insn(parser_t *p);
void emit_words(asm_t *a, const uint32_t w[4], const line_t *l);
void close_loops(asm_t *a); /* end of pass: report loops without endloop */
const char *suggest_mnemonic(asm_t *a, const char *s, size_t n);

#endif
