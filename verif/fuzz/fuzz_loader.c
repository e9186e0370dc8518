/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the program loader (dlp_prog_parse) and the disassembler on arbitrary files.
   Oracles: a parsed program re-serializes to the same bytes; every instruction disassembles
   (an illegal one as a .insn line). */
#include <string.h>

#include "dlp_asm.h"
#include "dlp_prog.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dlp_prog_t p;
    char err[256];
    if (dlp_prog_parse(data, size, &p, err, sizeof err)) {
        FUZZ_CHECK(err[0] != 0, "a refused program without a message");
        return 0;
    }
    uint8_t *img;
    size_t len = dlp_prog_serialize(p.words, p.n_insns, &img);
    FUZZ_CHECK(len == size && memcmp(img, data, size) == 0,
               "a parsed program does not serialize to the same %zu bytes", size);
    free(img);
    for (uint32_t i = 0; i < p.n_insns; i++) {
        char buf[512];
        dlp_disasm_insn(&p.words[4 * i], buf, sizeof buf);
        FUZZ_CHECK(buf[0] != 0, "instruction %u disassembles to nothing", i);
    }
    char *text = dlp_disasm_prog(p.words, p.n_insns, 0);
    FUZZ_CHECK(text != NULL, "dlp_disasm_prog failed");
    free(text);
    dlp_prog_free(&p);
    return 0;
}
