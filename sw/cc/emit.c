/* SPDX-License-Identifier: Apache-2.0 */
/* dlpcc emitter: assembly text, register caches, pointer tracking, DMA shapes; see cg.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "dlp_timing.h" /* dlp_time_mm */

uint32_t cg_const(cg_t *g, const void *data, size_t len, size_t align)
{
    size_t at = (*g->image_len + align - 1) / align * align;
    *g->image = cc_xrealloc(*g->image, at + len + 1);
    memset(*g->image + *g->image_len, 0, at - *g->image_len);
    if (len)
        memcpy(*g->image + at, data, len);
    *g->image_len = at + len;
    return g->image_addr + (uint32_t)at;
}

static void vline(cg_t *g, const char *fmt, va_list ap)
{
    cc_buf_printf(&g->text, "%*s", 4 + 4 * g->indent, "");
    cc_buf_vprintf(&g->text, fmt, ap);
    cc_buf_printf(&g->text, "\n");
}

void cg_line(cg_t *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(g, fmt, ap);
    va_end(ap);
}

void cg_comment(cg_t *g, const char *fmt, ...)
{
    va_list ap;
    cc_buf_printf(&g->text, "%*s; ", 4 + 4 * g->indent, "");
    va_start(ap, fmt);
    cc_buf_vprintf(&g->text, fmt, ap);
    va_end(ap);
    cc_buf_printf(&g->text, "\n");
}

void cg_invalidate(cg_t *g)
{
    memset(g->cvalid, 0, sizeof g->cvalid);
}

void cg_li(cg_t *g, int reg, long value)
{
    value = (long)(int32_t)(uint32_t)value;
    if (g->cvalid[reg] && g->cval[reg] == value)
        return;
    cg_line(g, "li      r%d, %ld", reg, value);
    g->cval[reg] = value;
    g->cvalid[reg] = 1;
}

void cg_adjust(cg_t *g, int reg, long delta)
{
    if (g->lazy & (1u << reg))
        g->pend[reg] += delta;
    else
        cg_addi(g, reg, reg, delta);
}

void cg_flush(cg_t *g, int reg)
{
    if ((g->lazy & (1u << reg)) && g->pend[reg]) {
        long d = (long)(int32_t)(uint32_t)g->pend[reg];
        g->pend[reg] = 0;
        cg_line(g, "addi    r%d, r%d, %ld", reg, reg, d);
        g->cvalid[reg] = 0;
    }
}

void cg_flush_all(cg_t *g)
{
    for (int r = 0; r < 16; r++)
        cg_flush(g, r);
}

void cg_addi(cg_t *g, int rd, int rs, long imm)
{
    if (g->lazy & (1u << rs)) {
        if (rd == rs) {
            g->pend[rs] += imm;
            return;
        }
        imm += g->pend[rs];
    }
    imm = (long)(int32_t)(uint32_t)imm;
    if (rd == rs && imm == 0)
        return;
    cg_line(g, "addi    r%d, r%d, %ld", rd, rs, imm);
    g->cvalid[rd] = 0;
}

void cg_advance(cg_t *g, int reg, long imm)
{
    cg_addi(g, reg, reg, imm);
    g->adv[reg] += imm;
}

void cg_toggle(cg_t *g, int reg, long a, long b)
{
    if (a == b)
        return;
    cg_line(g, "li      r11, %ld", a + b);
    cg_line(g, "sub     r%d, r11, r%d", reg, reg);
    g->cvalid[11] = 0;
    g->cvalid[reg] = 0;
}

void cg_loop_begin(cg_t *g, long count)
{
    cg_flush_all(g);
    cg_line(g, "loop    %ld", count);
    g->indent++;
    g->depth++;
    cg_invalidate(g);
}

void cg_loop_end(cg_t *g)
{
    cg_flush_all(g);
    g->indent--;
    g->depth--;
    cg_line(g, "endloop");
    cg_invalidate(g);
}

int cg_fail(cg_t *g, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    const cc_layer_t *l = g->pd->main_layer >= 0 ? &g->net->l[g->pd->main_layer] : NULL;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (l)
        return cc_fail(g->err, g->errlen, "%s:%d:%d: error: layer %s (%s): %s", g->net->file,
                       l->loc.line, l->loc.col, l->name, cc_kind_name(l->kind), msg);
    return cc_fail(g->err, g->errlen, "%s: error: program %s: %s", g->net->file, g->pd->name,
                   msg);
}

int cg_dma(cg_t *g, const char *dsp, int dreg, const char *ssp, int sreg, long n0, dma_dim_t d1,
           dma_dim_t d2, const char *flags)
{
    dma_dim_t d[2];
    int nd = 0;
    char buf[256];
    size_t o;
    if (d1.n > 1)
        d[nd++] = d1;
    if (d2.n > 1)
        d[nd++] = d2;
    /* merge dimensions that continue the contiguous run */
    while (nd > 0 && d[0].ss == n0 && d[0].ds == n0 && n0 * d[0].n <= 1048575) {
        n0 *= d[0].n;
        d[0] = d[1];
        nd--;
    }
    /* merge the outer dimension into the inner when it continues it */
    if (nd == 2 && d[1].ss == d[0].ss * d[0].n && d[1].ds == d[0].ds * d[0].n &&
        d[0].n * d[1].n <= 65535) {
        d[0].n *= d[1].n;
        nd = 1;
    }
    if (n0 < 1 || n0 > 1048575 || (nd > 0 && d[0].n > 65535) || (nd > 1 && d[1].n > 4095))
        return cg_fail(g, "internal error: DMA shape %ld x %ld x %ld exceeds the fields", n0,
                       nd > 0 ? d[0].n : 1, nd > 1 ? d[1].n : 1);
    cg_flush(g, dreg);
    cg_flush(g, sreg);
    o = (size_t)snprintf(buf, sizeof buf, "dma     %s[r%d], %s[r%d], %ld", dsp, dreg, ssp, sreg,
                         n0);
    if (nd > 0) {
        cg_li(g, 12, d[0].ss);
        cg_li(g, 13, d[0].ds);
        o += (size_t)snprintf(buf + o, sizeof buf - o, ", n1=%ld, ss1=r12, ds1=r13", d[0].n);
    }
    if (nd > 1) {
        cg_li(g, 14, d[1].ss);
        cg_li(g, 15, d[1].ds);
        o += (size_t)snprintf(buf + o, sizeof buf - o, ", n2=%ld, ss2=r14, ds2=r15", d[1].n);
    }
    cg_line(g, "%s%s", buf, flags);
    return 0;
}

void cg_primers(cg_t *g, long nscr, int vf)
{
    cg_comment(g, "two CP->LD and two %s primer tokens (firmware/common/pipeline.inc)",
               vf ? "VF->LD, VF->CP, ST->LD, ST->VF" : "ST->CP");
    cg_li(g, 11, nscr);
    cg_line(g, "vclamp  nram[r11], nram[r11], 1, 1, -128, 127, signal=ld");
    cg_line(g, "vclamp  nram[r11], nram[r11], 1, 1, -128, 127, signal=ld");
    if (vf) { /* on a byte of its own: the two queues run at the same time */
        cg_li(g, 11, nscr + 2);
        cg_line(g, "vclamp  nram[r11], nram[r11], 1, 1, -128, 127, vq=1, signal=ld|cp");
        cg_line(g, "vclamp  nram[r11], nram[r11], 1, 1, -128, 127, vq=1, signal=ld|cp");
    }
    cg_li(g, 10, (long)g->scratch_dram);
    cg_li(g, 11, nscr + 1);
    cg_line(g, "dma     dram[r10], nram[r11], 1, signal=%s", vf ? "ld|vf" : "cp");
    cg_line(g, "dma     dram[r10], nram[r11], 1, signal=%s", vf ? "ld|vf" : "cp");
}

void cg_dummy_cp(cg_t *g, long nscr, const char *flags)
{
    cg_li(g, 11, nscr);
    cg_line(g, "vclamp  nram[r11], nram[r11], 1, 1, -128, 127%s", flags);
}

void cg_vec_tile(cg_t *g, const epi_op_t *op, int dreg, int sreg, long rows, long cols,
                 long wram_table, const char *flags)
{
    long r = rows, c = cols;
    char strides[64] = "";
    if (rows * cols <= 65535) {
        r = 1;
        c = rows * cols;
    } else {
        cg_li(g, 12, cols);
        snprintf(strides, sizeof strides, ", sd=r12, sa=r12");
    }
    if (op->kind == EPI_LUT) {
        cg_li(g, 11, wram_table);
        cg_line(g, "vlut    nram[r%d], nram[r%d], wram[r11], %ld, %ld%s%s", dreg, sreg, r, c,
                strides, flags);
    } else {
        cg_line(g, "vclamp  nram[r%d], nram[r%d], %ld, %ld, %d, %d%s%s", dreg, sreg, r, c,
                op->lo, op->hi, strides, flags);
    }
}

/* The model's timing of an mm (dlp_time_mm), whatever the configuration's functional flag. */
double cg_t_mm(const dlp_config_t *c, long m, long k, long n)
{
    dlp_config_t timed = *c;
    timed.functional = 0;
    return (double)dlp_time_mm(&timed, (uint64_t)m, (uint64_t)k, (uint64_t)n);
}

double cg_t_dma(const dlp_config_t *c, double runs, double run_bytes)
{
    double W = c->beat_bytes, L = c->dram_latency, BB = c->burst_beats;
    double beats = runs * ((run_bytes + W - 1) / W + (run_bytes >= W ? 0.5 : 0));
    double bursts = runs * ((run_bytes + W * BB - 1) / (W * BB));
    double lim = bursts * (L + 2) / (double)c->max_outstanding;
    return (beats > lim ? beats : lim) + L + 2;
}

double cg_t_vec(const dlp_config_t *c, long rows, long cols, int per_elem_cycles, long prep)
{
    return (double)prep + (double)per_elem_cycles * (double)rows *
                              (double)cc_cdiv(cols, (long)c->vlanes) + 4;
}
