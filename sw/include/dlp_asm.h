/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenDLP assembler and disassembler (libdlpasm).
 *
 * The assembler turns DLP assembly text into an array of 128-bit instructions (four 32-bit words
 * each, low word first, the layout of dlp_prog.h). The disassembler turns instructions back into
 * text that re-assembles to the identical bits. The language is described in docs/assembler.md;
 * the instruction set in docs/isa.md. Both directions are driven by the tables generated from
 * sw/isa/dlp.isa (dlp_isa_gen.h), and the assembler validates every instruction it encodes with
 * dlp_decode(), so it rejects exactly the encodings the machine traps on.
 *
 * Typical use:
 *
 *     dlp_asm_options_t opt = {0};
 *     dlp_asm_result_t res;
 *     if (dlp_asm_file("conv.s", &opt, &res) != 0)
 *         for (int i = 0; i < res.n_messages; i++)
 *             fprintf(stderr, "%s\n", res.messages[i]);
 *     else
 *         dlp_prog_write_file("conv.dlpb", res.words, res.n_insns, err, sizeof err);
 *     dlp_asm_result_free(&res);
 *
 * The library keeps no global state (it is safe to use from several threads on different
 * results). Memory allocation failure aborts the process with a message.
 */
#ifndef DLP_ASM_H
#define DLP_ASM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- assembler --------------------------------------------------------------------------------- */

/* Assembly stops after this many errors unless dlp_asm_options_t.max_errors says otherwise. */
#define DLP_ASM_DEFAULT_MAX_ERRORS 20

/* Limits that keep hostile input from hanging or exhausting the assembler. */
#define DLP_ASM_MAX_INCLUDE_DEPTH 16      /* nested .include files */
#define DLP_ASM_MAX_MACRO_DEPTH 64        /* nested macro expansions (recursion) */
#define DLP_ASM_MAX_EXPANDED_LINES 1000000 /* lines produced by macros and .rept, per pass */
#define DLP_ASM_MAX_LINE 65536            /* bytes in one line after macro substitution */

typedef struct dlp_asm_options {
    /* Directories searched by .include after the directory of the including file, in order. */
    const char *const *include_dirs;
    int n_include_dirs;
    /* Predefined constants, each "NAME=expression" or "NAME" (value 1); they behave like .equ
     * constants defined before the first line (a source line redefining one is an error). */
    const char *const *defines;
    int n_defines;
    /* Stop after this many errors; 0 means DLP_ASM_DEFAULT_MAX_ERRORS. */
    int max_errors;
    /* Nonzero: also produce a listing (instruction index, words, source line, symbol table). */
    int listing;
} dlp_asm_options_t;

typedef struct dlp_asm_result {
    /* The program: 4 * n_insns words, words[4*i + k] holds bits 32k+31..32k of instruction i.
     * NULL and 0 when assembly failed. A source without instructions succeeds with n_insns 0
     * (the program file format needs at least one; dlpasm reports that). */
    uint32_t *words;
    uint32_t n_insns;
    /* Diagnostics, in source order. Each is one error "file:line:col: error: text", possibly
     * followed by "\n"-separated "file:line:col: note: ..." lines (for example the macro
     * invocation that produced the line). n_errors counts the errors. */
    char **messages;
    int n_messages;
    int n_errors;
    /* When options.listing was set and assembly succeeded: the listing text, else NULL. */
    char *listing;
} dlp_asm_result_t;

/*
 * Assembles the file at path. .include paths are resolved relative to the including file, then
 * against options->include_dirs. options may be NULL (defaults). Returns 0 on success, -1 when
 * there were errors (see result->messages). *result is always filled; release it with
 * dlp_asm_result_free().
 */
int dlp_asm_file(const char *path, const dlp_asm_options_t *options, dlp_asm_result_t *result);

/*
 * Assembles the NUL-terminated source text src. name is used in messages and as the base for
 * relative .include paths (its directory part); NULL means "<string>". Otherwise as
 * dlp_asm_file().
 */
int dlp_asm_string(const char *src, const char *name, const dlp_asm_options_t *options,
                   dlp_asm_result_t *result);

/* Frees everything a result owns and zeroes it. Safe on a zeroed or already freed result. */
void dlp_asm_result_free(dlp_asm_result_t *result);

/* ---- disassembler ------------------------------------------------------------------------------ */

/*
 * Disassembles one instruction into buf (at most len bytes including the terminating NUL; the
 * text is truncated to fit). Returns the length of the full text, like snprintf. Standalone and
 * allocation-free, for instruction traces.
 *
 * Output is canonical: the mnemonic, the positional operands, the keyword operands whose value
 * differs from the default, then wait= and signal=. Words that dlp_decode() rejects come out as
 * ".insn 0x........, 0x........, 0x........, 0x........  ; <reason>". Since the loop body length
 * belongs to the program, not to the instruction, loop and loopr print as "loop n  ; body N".
 */
int dlp_disasm_insn(const uint32_t w[4], char *buf, size_t len);

/* Flags for dlp_disasm_prog(). */
#define DLP_DISASM_RAW 1u      /* append each instruction's four words in hex to its comment */
#define DLP_DISASM_NO_INDEX 2u /* omit the "; index" comments */

/*
 * Disassembles a whole program of n_insns instructions (words as in dlp_asm_result_t) into a
 * newly allocated NUL-terminated text (free() it). Loop bodies are indented and each line
 * carries the instruction index in a comment.
 *
 * Guarantee: assembling the text gives back exactly the same words, for every input. Loops
 * whose lbody field does not match the position of their endloop (and endloops without a loop)
 * are emitted as .insn with a comment saying why, as are words dlp_decode() rejects.
 */
char *dlp_disasm_prog(const uint32_t *words, uint32_t n_insns, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif
