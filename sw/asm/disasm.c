/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Disassembler. The text is canonical and re-assembles to the identical bits: positional
 * operands, then the keyword operands that differ from their default, then wait=/signal=.
 * Whatever the assembler could not reproduce from text -- words dlp_decode() rejects, a loop
 * whose lbody disagrees with the position of its endloop -- is written as .insn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_internal.h"
#include "dlp_decode.h"

/* ---- bounded output with snprintf semantics -------------------------------------------------- */

typedef struct out {
    char *buf;
    size_t cap;
    size_t n; /* length of the full text, even past cap */
} out_t;

static void put(out_t *o, const char *s, size_t len)
{
    if (o->n < o->cap) {
        size_t room = o->cap - o->n;
        memcpy(o->buf + o->n, s, len < room ? len : room);
    }
    o->n += len;
}

static void put_s(out_t *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_u(out_t *o, uint64_t v)
{
    char tmp[24];
    int i = sizeof tmp;
    do
        tmp[--i] = (char)('0' + v % 10);
    while (v /= 10);
    put(o, tmp + i, sizeof tmp - (size_t)i);
}

static void put_i(out_t *o, int64_t v)
{
    if (v < 0) {
        put(o, "-", 1);
        put_u(o, 0 - (uint64_t)v);
    } else {
        put_u(o, (uint64_t)v);
    }
}

static void put_hex32(out_t *o, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    char tmp[10] = {'0', 'x'};
    for (int i = 0; i < 8; i++)
        tmp[2 + i] = digits[(v >> (28 - 4 * i)) & 15];
    put(o, tmp, sizeof tmp);
}

/* Terminates the text inside the buffer (truncating if needed). */
static void finish(out_t *o)
{
    if (o->cap)
        o->buf[o->n < o->cap ? o->n : o->cap - 1] = 0;
}

/* ---- one instruction ------------------------------------------------------------------------ */

/* imm32 values outside +-0xffff read better in hex; the loop count is unsigned. */
static void put_imm(out_t *o, const dlp_insn_t *d, int field)
{
    int64_t v = d->f[field];
    if (field != DLP_F_IMM32) {
        put_i(o, v);
        return;
    }
    if (v > -0x10000 && v < 0x10000)
        put_i(o, v);
    else
        put_hex32(o, (uint32_t)v);
}

static void put_reg(out_t *o, int64_t r)
{
    put(o, "r", 1);
    put_u(o, (uint64_t)r);
}

static void put_operand(out_t *o, const dlp_insn_t *d, const dlp_operand_info_t *op)
{
    switch (op->kind) {
    case DLP_OK_REG:
        put_reg(o, d->f[op->field]);
        break;
    case DLP_OK_IMM:
        put_imm(o, d, op->field);
        break;
    default:
        put_s(o, dlp_mem_name(op->kind == DLP_OK_MEM   ? (int)d->f[op->field]
                              : op->kind == DLP_OK_NRAM ? DLP_MEM_NRAM
                              : op->kind == DLP_OK_WRAM ? DLP_MEM_WRAM
                                                        : DLP_MEM_ACC));
        put(o, "[", 1);
        put_reg(o, d->f[op->kind == DLP_OK_MEM ? op->field2 : op->field]);
        put(o, "]", 1);
        break;
    }
}

static void put_queues(out_t *o, const char *key, unsigned mask, int *first)
{
    if (!mask)
        return;
    put_s(o, *first ? " " : ", ");
    *first = 0;
    put_s(o, key);
    for (int q = DLP_Q_LD, sep = 0; q <= DLP_Q_VF; q++)
        if (mask & (1 << q)) {
            if (sep++)
                put(o, "|", 1);
            put_s(o, dlp_queue_name(q));
        }
}

/* The canonical text of an instruction that decodes (lbody is the program's business). */
static void put_insn(out_t *o, const dlp_insn_t *d)
{
    const dlp_insn_info_t *ii = &dlp_insn_info[d->id];
    int first = 1;
    put_s(o, ii->mnemonic);
    for (int i = 0; i < ii->nops; i++) {
        const dlp_operand_info_t *op = &ii->ops[i];
        if (op->key && d->f[op->field] == op->dflt)
            continue;
        put_s(o, first ? " " : ", ");
        first = 0;
        if (op->key) {
            put_s(o, op->key);
            put(o, "=", 1);
        }
        put_operand(o, d, op);
    }
    if (ii->qclass != DLP_QC_FE) {
        put_queues(o, "wait=", d->wait_q, &first);
        put_queues(o, "signal=", d->signal_q, &first);
    }
}

static void put_raw(out_t *o, const uint32_t w[4])
{
    put_s(o, ".insn ");
    for (int k = 0; k < 4; k++) {
        if (k)
            put(o, ", ", 2);
        put_hex32(o, w[k]);
    }
}

int dlp_disasm_insn(const uint32_t w[4], char *buf, size_t len)
{
    out_t o = {buf, len, 0};
    dlp_insn_t d;
    char msg[160];
    if (dlp_decode(w, &d, msg, sizeof msg) != DLP_CAUSE_NONE) {
        put_raw(&o, w);
        put_s(&o, "  ; ");
        put_s(&o, msg);
    } else {
        put_insn(&o, &d);
        if (d.id == DLP_I_LOOP || d.id == DLP_I_LOOPR) {
            put_s(&o, "  ; body ");
            put_u(&o, (uint64_t)d.f[DLP_F_LBODY]);
        }
    }
    finish(&o);
    return o.n > 0x7fffffff ? 0x7fffffff : (int)o.n;
}

/* ---- whole programs ------------------------------------------------------------------------- */

/* How an instruction is printed. Everything but TEXT becomes .insn with a reason. */
enum form { TEXT, RAW_DECODE, RAW_LOOP_BODY, RAW_LOOP_OPEN, RAW_ENDLOOP_ALONE, RAW_ENDLOOP_OF_RAW };

typedef struct plan {
    uint8_t *form;
    int8_t *id;        /* instruction id, -1 if it does not decode */
    uint32_t *partner; /* matching endloop of a loop and vice versa */
} plan_t;

/*
 * Decides which loop instructions can be printed as text. The assembler matches loop/loopr with
 * endloop by nesting among the text lines and computes lbody from the distance; so a matched
 * pair prints as text only if its lbody equals that distance. Demoting a matched pair (both to
 * .insn) or an unmatched loop/endloop never changes how the remaining ones match, so one pass
 * suffices.
 */
static void plan_loops(const uint32_t *words, uint32_t n, plan_t *pl)
{
    uint32_t *stack = xmalloc(((size_t)n + 1) * sizeof *stack), sp = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (pl->form[i] != TEXT)
            continue;
        if (pl->id[i] == DLP_I_LOOP || pl->id[i] == DLP_I_LOOPR) {
            stack[sp++] = i;
        } else if (pl->id[i] == DLP_I_ENDLOOP) {
            if (!sp) {
                pl->form[i] = RAW_ENDLOOP_ALONE;
                continue;
            }
            uint32_t j = stack[--sp];
            pl->partner[i] = j;
            pl->partner[j] = i;
            if (dlp_field_get_raw(&words[4 * (size_t)j], DLP_F_LBODY) != i - j - 1) {
                pl->form[j] = RAW_LOOP_BODY;
                pl->form[i] = RAW_ENDLOOP_OF_RAW;
            }
        }
    }
    while (sp)
        pl->form[stack[--sp]] = RAW_LOOP_OPEN;
    free(stack);
}

static void put_reason(sbuf_t *b, const uint32_t *w, uint32_t i, const plan_t *pl)
{
    dlp_insn_t d;
    char msg[160];
    switch (pl->form[i]) {
    case RAW_DECODE:
        dlp_decode(w, &d, msg, sizeof msg);
        sb_puts(b, msg);
        break;
    case RAW_LOOP_BODY:
        sb_printf(b, "loop with lbody %u, but its endloop at %u makes the body %u",
                  dlp_field_get_raw(w, DLP_F_LBODY), pl->partner[i], pl->partner[i] - i - 1);
        break;
    case RAW_LOOP_OPEN:
        sb_printf(b, "loop (lbody %u) without endloop", dlp_field_get_raw(w, DLP_F_LBODY));
        break;
    case RAW_ENDLOOP_ALONE:
        sb_puts(b, "endloop without loop");
        break;
    case RAW_ENDLOOP_OF_RAW:
        sb_printf(b, "endloop of the loop at %u, which is written as .insn", pl->partner[i]);
        break;
    }
}

#define COMMENT_COLUMN 48
#define MAX_INDENT_LEVELS 16 /* deeper bodies stop indenting, to keep lines bounded */

static void put_line(sbuf_t *b, const uint32_t *w, uint32_t i, int depth, unsigned flags,
                     const plan_t *pl)
{
    char text[512];
    out_t o = {text, sizeof text, 0};
    size_t start = b->len;
    int has_index = !(flags & DLP_DISASM_NO_INDEX), raw = pl->form[i] != TEXT;
    dlp_insn_t d;

    for (int k = 0; k < (depth < MAX_INDENT_LEVELS ? depth : MAX_INDENT_LEVELS); k++)
        sb_puts(b, "    ");
    if (raw) {
        put_raw(&o, w);
    } else {
        dlp_decode(w, &d, NULL, 0);
        put_insn(&o, &d);
    }
    finish(&o);
    sb_puts(b, text);
    if (has_index || raw || (flags & DLP_DISASM_RAW)) {
        size_t col = b->len - start;
        for (size_t k = col; k < COMMENT_COLUMN || k < col + 2; k++)
            sb_putc(b, ' ');
        sb_puts(b, "; ");
        if (has_index)
            sb_printf(b, "%u", i);
        if ((flags & DLP_DISASM_RAW) && !raw)
            sb_printf(b, "%s%08x %08x %08x %08x", has_index ? ": " : "", w[0], w[1], w[2], w[3]);
        if (raw) {
            if (has_index)
                sb_puts(b, ": ");
            put_reason(b, w, i, pl);
        }
    }
    sb_putc(b, '\n');
}

char *dlp_disasm_prog(const uint32_t *words, uint32_t n, unsigned flags)
{
    plan_t pl;
    sbuf_t b = {0};
    dlp_insn_t d;
    int depth = 0;

    pl.form = xcalloc((size_t)n + 1, 1);
    pl.id = xcalloc((size_t)n + 1, 1);
    pl.partner = xcalloc((size_t)n + 1, sizeof *pl.partner);
    for (uint32_t i = 0; i < n; i++) {
        int ok = dlp_decode(&words[4 * (size_t)i], &d, NULL, 0) == DLP_CAUSE_NONE;
        pl.form[i] = ok ? TEXT : RAW_DECODE;
        pl.id[i] = (int8_t)(ok ? d.id : -1);
    }
    plan_loops(words, n, &pl);
    for (uint32_t i = 0; i < n; i++) {
        int text = pl.form[i] == TEXT;
        if (text && pl.id[i] == DLP_I_ENDLOOP)
            depth--;
        put_line(&b, &words[4 * (size_t)i], i, depth, flags, &pl);
        if (text && (pl.id[i] == DLP_I_LOOP || pl.id[i] == DLP_I_LOOPR))
            depth++;
    }
    free(pl.form);
    free(pl.id);
    free(pl.partner);
    return sb_take(&b);
}
