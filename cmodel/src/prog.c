/* SPDX-License-Identifier: Apache-2.0 */
/* Program binary format: see dlp_prog.h. */
#include "dlp_prog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_file.h"
#include "dlp_isa_gen.h"

uint32_t dlp_crc32(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t crc = 0xffffffffu;
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

#define fail dlp_errf
#define rd16 dlp_rd16

int dlp_prog_parse(const uint8_t *buf, size_t len, dlp_prog_t *prog, char *err, size_t errlen)
{
    uint32_t n, hsize, isize, flags;

    prog->n_insns = 0;
    prog->words = NULL;
    if (len < DLP_PROG_HEADER_BYTES)
        return fail(err, errlen, "file is %zu bytes, shorter than the %d-byte header", len,
                    DLP_PROG_HEADER_BYTES);
    if (memcmp(buf, DLP_PROG_MAGIC, 4))
        return fail(err, errlen, "offset 0: bad magic (not an OpenDLP program)");
    if (dlp_crc32(buf, 28) != dlp_rd32(buf + 28))
        return fail(err, errlen, "offset 28: header CRC mismatch (header corrupted)");
    if (rd16(buf + 4) != DLP_PROG_FORMAT)
        return fail(err, errlen, "offset 4: format version %u, this tool reads version %d",
                    rd16(buf + 4), DLP_PROG_FORMAT);
    if (rd16(buf + 6) != DLP_ISA_VERSION)
        return fail(err, errlen, "offset 6: ISA version %u, this tool implements version %d",
                    rd16(buf + 6), DLP_ISA_VERSION);
    hsize = dlp_rd32(buf + 8);
    n = dlp_rd32(buf + 12);
    isize = dlp_rd32(buf + 16);
    flags = dlp_rd32(buf + 20);
    if (hsize != DLP_PROG_HEADER_BYTES)
        return fail(err, errlen, "offset 8: header size %u, expected %d", hsize,
                    DLP_PROG_HEADER_BYTES);
    if (isize != DLP_INSN_BYTES)
        return fail(err, errlen, "offset 16: instruction size %u, expected %d", isize,
                    DLP_INSN_BYTES);
    if (flags)
        return fail(err, errlen, "offset 20: unknown flags 0x%08x", flags);
    if (n == 0)
        return fail(err, errlen, "offset 12: the program has no instructions");
    if (n > DLP_PROG_MAX_INSNS)
        return fail(err, errlen, "offset 12: %u instructions, more than the limit %u", n,
                    DLP_PROG_MAX_INSNS);
    if (len != DLP_PROG_HEADER_BYTES + (size_t)n * DLP_INSN_BYTES)
        return fail(err, errlen, "file is %zu bytes but the header announces %u instructions "
                                 "(%zu bytes)",
                    len, n, DLP_PROG_HEADER_BYTES + (size_t)n * DLP_INSN_BYTES);
    if (dlp_crc32(buf + DLP_PROG_HEADER_BYTES, (size_t)n * DLP_INSN_BYTES) != dlp_rd32(buf + 24))
        return fail(err, errlen, "offset 24: instruction CRC mismatch (body corrupted)");
    prog->words = malloc((size_t)n * DLP_INSN_BYTES);
    if (!prog->words)
        return fail(err, errlen, "out of memory");
    for (size_t i = 0; i < (size_t)n * 4; i++)
        prog->words[i] = dlp_rd32(buf + DLP_PROG_HEADER_BYTES + 4 * i);
    prog->n_insns = n;
    return 0;
}

int dlp_prog_read_file(const char *path, dlp_prog_t *prog, char *err, size_t errlen)
{
    /* the largest valid program; a longer file is refused before it is read */
    const size_t max = DLP_PROG_HEADER_BYTES + (size_t)DLP_PROG_MAX_INSNS * DLP_INSN_BYTES;
    uint8_t *buf;
    size_t len;
    char inner[256];
    int rc;

    prog->n_insns = 0;
    prog->words = NULL;
    if (dlp_file_read(path, max, &buf, &len, inner, sizeof inner))
        return fail(err, errlen, "%s: %s%s", path, inner,
                    strstr(inner, "limit") ? " (the largest program)" : "");
    rc = dlp_prog_parse(buf, len, prog, inner, sizeof inner);
    free(buf);
    if (rc)
        return fail(err, errlen, "%s: %s", path, inner);
    return 0;
}

size_t dlp_prog_serialize(const uint32_t *words, uint32_t n_insns, uint8_t **out)
{
    size_t len = DLP_PROG_HEADER_BYTES + (size_t)n_insns * DLP_INSN_BYTES;
    uint8_t *b = calloc(1, len);
    if (!b) {
        *out = NULL;
        return 0;
    }
    memcpy(b, DLP_PROG_MAGIC, 4);
    b[4] = DLP_PROG_FORMAT & 0xff;
    b[5] = DLP_PROG_FORMAT >> 8;
    b[6] = DLP_ISA_VERSION & 0xff;
    b[7] = DLP_ISA_VERSION >> 8;
    dlp_wr32(b + 8, DLP_PROG_HEADER_BYTES);
    dlp_wr32(b + 12, n_insns);
    dlp_wr32(b + 16, DLP_INSN_BYTES);
    dlp_wr32(b + 20, 0);
    for (size_t i = 0; i < (size_t)n_insns * 4; i++)
        dlp_wr32(b + DLP_PROG_HEADER_BYTES + 4 * i, words[i]);
    dlp_wr32(b + 24, dlp_crc32(b + DLP_PROG_HEADER_BYTES, (size_t)n_insns * DLP_INSN_BYTES));
    dlp_wr32(b + 28, dlp_crc32(b, 28));
    *out = b;
    return len;
}

int dlp_prog_write_file(const char *path, const uint32_t *words, uint32_t n_insns, char *err,
                        size_t errlen)
{
    uint8_t *b;
    size_t len = dlp_prog_serialize(words, n_insns, &b);
    char why[256];
    int rc;
    if (!b)
        return fail(err, errlen, "out of memory");
    rc = dlp_file_write(path, b, len, why, sizeof why);
    free(b);
    if (rc)
        return fail(err, errlen, "%s: %s", path, why);
    return 0;
}

void dlp_prog_free(dlp_prog_t *prog)
{
    free(prog->words);
    prog->words = NULL;
    prog->n_insns = 0;
}
