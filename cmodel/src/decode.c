/* Decoding and static instruction checks; see dlp_decode.h. */
#include "dlp_decode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int bad(char *msg, size_t len, int cause, const char *fmt, ...)
{
    va_list ap;
    if (len) {
        va_start(ap, fmt);
        vsnprintf(msg, len, fmt, ap);
        va_end(ap);
    }
    return cause;
}

const char *dlp_mem_name(int mem)
{
    static const char *n[] = {"dram", "nram", "wram", "acc", "reg"};
    return mem >= 0 && mem <= 4 ? n[mem] : "?";
}

const char *dlp_queue_name(int q)
{
    static const char *n[] = {"ld", "cp", "st", "fe"};
    return q >= 0 && q <= 3 ? n[q] : "?";
}

/* Checks that the named size fields are non-zero. */
static int nonzero(const dlp_insn_t *in, char *msg, size_t len, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        int f = va_arg(ap, int);
        if (in->f[f] == 0) {
            va_end(ap);
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING, "%s: field %s is zero",
                       dlp_insn_info[in->id].mnemonic, dlp_field_info[f].name);
        }
    }
    va_end(ap);
    return DLP_CAUSE_NONE;
}

/* A pooling window with no input position inside the image (TFLite would divide by zero). */
static int pool_check(const dlp_insn_t *in, char *msg, size_t len)
{
    int64_t kh = DLP_F(in, KH), kw = DLP_F(in, KW), sh = DLP_F(in, SH), sw = DLP_F(in, SW);
    int64_t pt = DLP_F(in, PPT), pl = DLP_F(in, PPL), ih = DLP_F(in, IH), iw = DLP_F(in, IW);
    int64_t oh = DLP_F(in, OH), ow = DLP_F(in, OW);
    int rc = nonzero(in, msg, len, 9, DLP_F_CH, DLP_F_OH, DLP_F_OW, DLP_F_KH, DLP_F_KW, DLP_F_SH,
                     DLP_F_SW, DLP_F_IH, DLP_F_IW);
    if (rc)
        return rc;
    /* first window starts at -pt and must reach row 0; last window must start inside */
    if (pt >= kh || pl >= kw)
        return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING,
                   "%s: padding (pt=%lld, pl=%lld) leaves the first window empty (kh=%lld, "
                   "kw=%lld)",
                   dlp_insn_info[in->id].mnemonic, (long long)pt, (long long)pl, (long long)kh,
                   (long long)kw);
    if ((oh - 1) * sh - pt >= ih || (ow - 1) * sw - pl >= iw)
        return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING,
                   "%s: the last window (output %lldx%lld, stride %lldx%lld) starts outside the "
                   "%lldx%lld input",
                   dlp_insn_info[in->id].mnemonic, (long long)oh, (long long)ow, (long long)sh,
                   (long long)sw, (long long)ih, (long long)iw);
    return DLP_CAUSE_NONE;
}

int dlp_decode(const uint32_t w[DLP_INSN_WORDS], dlp_insn_t *out, char *msg, size_t len)
{
    const dlp_insn_info_t *ii;
    unsigned op = w[0] & 0x3f;
    int rc;

    memset(out, 0, sizeof *out);
    memcpy(out->w, w, sizeof out->w);
    out->queue = DLP_Q_NONE;
    out->id = dlp_insn_of_opcode(op);
    if (out->id < 0)
        return bad(msg, len, DLP_CAUSE_ILLEGAL_OPCODE, "undefined opcode 0x%02x", op);
    ii = &dlp_insn_info[out->id];
    for (int i = 0; i < ii->nfields; i++)
        out->f[ii->fields[i]] = dlp_field_get(w, (enum dlp_field)ii->fields[i]);
    for (int k = 0; k < DLP_INSN_WORDS; k++)
        if (w[k] & ~ii->used[k]) {
            int bit = 32 * k + __builtin_ctz(w[k] & ~ii->used[k]);
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING, "%s: reserved bit %d is set",
                       ii->mnemonic, bit);
        }

    switch (ii->qclass) {
    case DLP_QC_FE:
        break;
    case DLP_QC_CP:
        out->queue = DLP_Q_CP;
        break;
    case DLP_QC_DMA: {
        int64_t dsp = DLP_F(out, DSP), ssp = DLP_F(out, SSP);
        if (dsp == 3 || ssp == 3)
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING,
                       "dma: memory space 3 is reserved (%s field)", dsp == 3 ? "dsp" : "ssp");
        if (dsp == DLP_MEM_DRAM && ssp == DLP_MEM_DRAM)
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING, "dma: DRAM to DRAM is not supported");
        out->queue = dsp == DLP_MEM_DRAM ? DLP_Q_ST : DLP_Q_LD;
        break;
    }
    }
    if (out->queue != DLP_Q_NONE) {
        int own = 1 << out->queue;
        if (DLP_F(out, WAIT) & own)
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING,
                       "%s: waits for a token from its own queue %s", ii->mnemonic,
                       dlp_queue_name(out->queue));
        if (DLP_F(out, SIGNAL) & own)
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING,
                       "%s: signals a token to its own queue %s", ii->mnemonic,
                       dlp_queue_name(out->queue));
    }

    switch (out->id) {
    case DLP_I_SLLI:
    case DLP_I_SRLI:
        if (DLP_F(out, IMM32) < 0 || DLP_F(out, IMM32) > 31)
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING, "%s: shift amount %lld outside 0..31",
                       ii->mnemonic, (long long)DLP_F(out, IMM32));
        break;
    case DLP_I_DMA:
        return nonzero(out, msg, len, 3, DLP_F_N0, DLP_F_N1, DLP_F_N2);
    case DLP_I_MM:
        return nonzero(out, msg, len, 4, DLP_F_M0, DLP_F_M1, DLP_F_KDIM, DLP_F_NDIM);
    case DLP_I_VRQ:
        if ((rc = nonzero(out, msg, len, 2, DLP_F_ROWS, DLP_F_COLS)))
            return rc;
        if (DLP_F(out, I1) > DLP_F(out, I2))
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING, "vrq: lo %lld is above hi %lld",
                       (long long)DLP_F(out, I1), (long long)DLP_F(out, I2));
        break;
    case DLP_I_VCLAMP:
        if ((rc = nonzero(out, msg, len, 2, DLP_F_ROWS, DLP_F_COLS)))
            return rc;
        if (DLP_F(out, I0) > DLP_F(out, I1))
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING, "vclamp: lo %lld is above hi %lld",
                       (long long)DLP_F(out, I0), (long long)DLP_F(out, I1));
        break;
    case DLP_I_VADD:
    case DLP_I_VMAX:
    case DLP_I_VMIN:
    case DLP_I_VLUT:
        return nonzero(out, msg, len, 2, DLP_F_ROWS, DLP_F_COLS);
    case DLP_I_VMAXPOOL:
    case DLP_I_VAVGPOOL:
        return pool_check(out, msg, len);
    default:
        break;
    }
    return DLP_CAUSE_NONE;
}
