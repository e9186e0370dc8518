/* SPDX-License-Identifier: Apache-2.0 */
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
    static const char *n[] = {"ld", "cp", "st", "vf", "fe"};
    return q >= 0 && q <= 4 ? n[q] : "?";
}

unsigned dlp_mask_to_queues(unsigned enc, int queue)
{
    enc &= 7;
    if (queue == DLP_Q_VF || queue < 0 || queue > DLP_Q_VF)
        return enc;
    return (enc & ~(1u << queue)) | (enc >> queue & 1) << DLP_Q_VF;
}

unsigned dlp_mask_from_queues(unsigned by_queue, int queue)
{
    if (queue == DLP_Q_VF || queue < 0 || queue > DLP_Q_VF)
        return by_queue & 7;
    return (by_queue & 7 & ~(1u << queue)) | (by_queue >> DLP_Q_VF & 1) << queue;
}

/* `check pool_window` of dlp.isa (the RTL's is dlp_pkg::pool_window_bad): a pooling window with
   no input position inside the image (TFLite would divide by zero). The sizes are non-zero
   (the instruction's nonzero rule comes first). */
static int pool_window_check(const dlp_insn_t *in, char *msg, size_t len)
{
    int64_t kh = DLP_F(in, KH), kw = DLP_F(in, KW), sh = DLP_F(in, SH), sw = DLP_F(in, SW);
    int64_t pt = DLP_F(in, PPT), pl = DLP_F(in, PPL), ih = DLP_F(in, IH), iw = DLP_F(in, IW);
    int64_t oh = DLP_F(in, OH), ow = DLP_F(in, OW);
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
    case DLP_QC_VEC:
        out->queue = DLP_F(out, VQ) ? DLP_Q_VF : DLP_Q_CP;
        break;
    case DLP_QC_DMA: {
        int64_t dsp = DLP_F(out, DSP), ssp = DLP_F(out, SSP);
        if (dsp > DLP_SPACE_WRAM || ssp > DLP_SPACE_WRAM)
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING,
                       "dma: memory space %lld is reserved (%s field)",
                       (long long)(dsp > DLP_SPACE_WRAM ? dsp : ssp),
                       dsp > DLP_SPACE_WRAM ? "dsp" : "ssp");
        if (dsp == DLP_MEM_DRAM && ssp == DLP_MEM_DRAM)
            return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING, "dma: DRAM to DRAM is not supported");
        out->queue = dsp == DLP_MEM_DRAM ? DLP_Q_ST : DLP_Q_LD;
        break;
    }
    }
    if (out->queue != DLP_Q_NONE) {
        out->wait_q = dlp_mask_to_queues((unsigned)DLP_F(out, WAIT), out->queue);
        out->signal_q = dlp_mask_to_queues((unsigned)DLP_F(out, SIGNAL), out->queue);
    }

    /* the instruction's static rules of dlp.isa, in order (the RTL: dlp_decode_check.sv) */
    for (int k = 0; k < ii->nrules; k++) {
        const dlp_rule_info_t *r = &ii->rules[k];
        switch (r->kind) {
        case DLP_SR_NONZERO:
            if (out->f[r->a] == 0)
                return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING, "%s: field %s is zero",
                           ii->mnemonic, dlp_field_info[r->a].name);
            break;
        case DLP_SR_RANGE:
            if (out->f[r->a] < r->lo || out->f[r->a] > r->hi)
                return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING, "%s: %s %lld outside %lld..%lld",
                           ii->mnemonic, r->na, (long long)out->f[r->a], (long long)r->lo,
                           (long long)r->hi);
            break;
        case DLP_SR_ORDER:
            if (out->f[r->a] > out->f[r->b])
                return bad(msg, len, DLP_CAUSE_ILLEGAL_ENCODING, "%s: %s %lld is above %s %lld",
                           ii->mnemonic, r->na, (long long)out->f[r->a], r->nb,
                           (long long)out->f[r->b]);
            break;
        case DLP_SR_CHECK:
            if (r->a == DLP_CHECK_POOL_WINDOW && (rc = pool_window_check(out, msg, len)))
                return rc;
            break;
        }
    }
    return DLP_CAUSE_NONE;
}
