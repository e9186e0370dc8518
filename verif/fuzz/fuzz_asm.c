/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the assembler on arbitrary source text. Oracles: no crash, no leak; every
   message names the file; a program that assembles disassembles. (.include reads files: the
   fuzzer may find the tree's; a device such as /dev/zero is refused at 16 MiB.) */
#include <string.h>

#include "dlp_asm.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = malloc(size + 1);
    dlp_asm_result_t r;
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = 0;
    int rc = dlp_asm_string(src, "fuzz.s", NULL, &r);
    for (int i = 0; i < r.n_messages; i++)
        FUZZ_CHECK(strncmp(r.messages[i], "fuzz.s", 6) == 0 || strstr(r.messages[i], ": ") != NULL,
                   "%s", r.messages[i]);
    if (rc == 0 && r.n_insns > 0) { /* an empty source is an empty program (dlpasm refuses it) */
        char *text = dlp_disasm_prog(r.words, r.n_insns, 0);
        FUZZ_CHECK(text != NULL, "the disassembler failed on an assembled program");
        free(text);
    }
    dlp_asm_result_free(&r);
    free(src);
    return 0;
}
