/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assemble(): assembly source to program words with libdlpasm, for the unit tests that run
 * programs through libdlp (test_driver*.cc, test_race.cc). An assembler message is a test
 * failure (ADD_FAILURE) and gives an empty program.
 */
#ifndef ASM_UTIL_H
#define ASM_UTIL_H

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "dlp_asm.h"

namespace dlpt {

inline std::vector<uint32_t> assemble(const char *src, const char *name = "test.s")
{
    dlp_asm_result_t r;
    std::vector<uint32_t> w;
    if (dlp_asm_string(src, name, nullptr, &r) == 0)
        w.assign(r.words, r.words + 4 * (size_t)r.n_insns);
    else
        for (int i = 0; i < r.n_messages; i++)
            ADD_FAILURE() << name << ": " << r.messages[i];
    dlp_asm_result_free(&r);
    return w;
}

} // namespace dlpt

#endif
