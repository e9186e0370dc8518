/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The register block of rtl/dlp_csr.sv for hosts of the C model (dlp_regs.h).
 */
#include "dlp_regs.h"

#include <string.h>

static uint32_t merge(uint32_t old, uint32_t val, unsigned strb)
{
    uint32_t mask = 0;
    for (int b = 0; b < 4; b++)
        if (strb >> b & 1)
            mask |= 0xffu << (8 * b);
    return (old & ~mask) | (val & mask);
}

void dlp_regs_reset(dlp_regs_t *r, const dlp_config_t *c)
{
    memset(r, 0, sizeof *r);
    r->cap[0] = c->rows << DLP_CSR_CAP0_ROWS_SHIFT | c->cols << DLP_CSR_CAP0_COLS_SHIFT |
                c->vlanes << DLP_CSR_CAP0_VLANES_SHIFT | c->beat_bytes << DLP_CSR_CAP0_BEAT_SHIFT;
    r->cap[1] = (c->nram_bytes / 1024) << DLP_CSR_CAP1_NRAM_KIB_SHIFT |
                (c->wram_bytes / 1024) << DLP_CSR_CAP1_WRAM_KIB_SHIFT;
    r->cap[2] = (c->acc_bytes / 1024) << DLP_CSR_CAP2_ACC_KIB_SHIFT |
                c->imem_insns << DLP_CSR_CAP2_IMEM_SHIFT;
    /* a 256-beat burst does not fit 8 bits: it reads 0, as in the RTL */
    r->cap[3] = c->queue_depth << DLP_CSR_CAP3_QDEPTH_SHIFT |
                c->loop_depth << DLP_CSR_CAP3_LOOPS_SHIFT |
                c->token_max << DLP_CSR_CAP3_TOKMAX_SHIFT |
                (c->burst_beats & 0xffu) << DLP_CSR_CAP3_BURST_SHIFT;
}

/* The counter (DLP_REGS_*) at a counter offset, *hi for a high word; -1 elsewhere. */
static int counter_index(uint32_t off, int *hi)
{
    if (off < DLP_CSR_CYCLES_LO || off > DLP_CSR_INSNS_HI)
        return -1;
    *hi = (off & 4) != 0;
    return (int)((off - DLP_CSR_CYCLES_LO) / 8);
}

int dlp_regs_mapped(uint32_t off)
{
    int hi;
    if (off % 4)
        return 0;
    if (counter_index(off, &hi) >= 0)
        return 1;
    switch (off) {
    case DLP_CSR_ID: case DLP_CSR_VERSION: case DLP_CSR_CAP0: case DLP_CSR_CAP1:
    case DLP_CSR_CAP2: case DLP_CSR_CAP3: case DLP_CSR_CTRL: case DLP_CSR_STATUS:
    case DLP_CSR_ERR_CAUSE: case DLP_CSR_ERR_PC: case DLP_CSR_ERR_INFO: case DLP_CSR_IRQ_EN:
    case DLP_CSR_IRQ_STATUS: case DLP_CSR_PROG_ADDR: case DLP_CSR_PROG_LEN:
    case DLP_CSR_WIN_BASE: case DLP_CSR_WIN_LIMIT: case DLP_CSR_CYCLE_LIMIT_LO:
    case DLP_CSR_CYCLE_LIMIT_HI:
        return 1;
    default:
        return 0;
    }
}

uint32_t dlp_regs_read(dlp_regs_t *r, uint32_t off)
{
    int hi, k;
    off &= 0xffc;
    if ((k = counter_index(off, &hi)) >= 0) {
        if (hi)
            return r->hi_latch;
        r->hi_latch = (uint32_t)(r->ctr[k] >> 32);
        return (uint32_t)r->ctr[k];
    }
    switch (off) {
    case DLP_CSR_ID: return DLP_CSR_ID_VALUE;
    case DLP_CSR_VERSION:
        return (uint32_t)DLP_ISA_VERSION << DLP_CSR_VERSION_ISA_SHIFT |
               (uint32_t)DLP_HW_REVISION << DLP_CSR_VERSION_HW_SHIFT;
    case DLP_CSR_CAP0: return r->cap[0];
    case DLP_CSR_CAP1: return r->cap[1];
    case DLP_CSR_CAP2: return r->cap[2];
    case DLP_CSR_CAP3: return r->cap[3];
    case DLP_CSR_STATUS:
        return (r->busy ? DLP_CSR_STATUS_BUSY_MASK : 0) | (r->done ? DLP_CSR_STATUS_DONE_MASK : 0) |
               (r->error ? DLP_CSR_STATUS_ERROR_MASK : 0);
    case DLP_CSR_ERR_CAUSE: return r->cause;
    case DLP_CSR_ERR_PC: return r->err_pc;
    case DLP_CSR_ERR_INFO: return r->err_info;
    case DLP_CSR_IRQ_EN: return r->irq_en;
    case DLP_CSR_IRQ_STATUS: return r->irq_status;
    case DLP_CSR_PROG_ADDR: return r->prog_addr;
    case DLP_CSR_PROG_LEN: return r->prog_len;
    case DLP_CSR_WIN_BASE: return r->win_base;
    case DLP_CSR_WIN_LIMIT: return r->win_limit;
    case DLP_CSR_CYCLE_LIMIT_LO: return (uint32_t)r->cycle_limit;
    case DLP_CSR_CYCLE_LIMIT_HI: return (uint32_t)(r->cycle_limit >> 32);
    default: return 0; /* CTRL (write-only) and unmapped offsets */
    }
}

int dlp_regs_write(dlp_regs_t *r, uint32_t off, uint32_t v, unsigned strb)
{
    const uint32_t irq_bits = DLP_CSR_IRQ_EN_DONE_MASK | DLP_CSR_IRQ_EN_ERROR_MASK;
    off &= 0xffc;
    switch (off) {
    case DLP_CSR_CTRL:
        if ((strb & 1) && (v & DLP_CSR_CTRL_START_MASK) && !r->busy) {
            r->done = r->error = 0;
            r->cause = r->err_pc = r->err_info = 0;
            memset(r->ctr, 0, sizeof r->ctr);
            r->busy = 1;
            return 1;
        }
        return 0;
    case DLP_CSR_IRQ_EN:
        if (strb & 1)
            r->irq_en = v & irq_bits;
        return 0;
    case DLP_CSR_IRQ_STATUS:
        if (strb & 1)
            r->irq_status &= ~(v & irq_bits);
        return 0;
    default:
        break;
    }
    if (r->busy)
        return 0; /* the run registers are frozen while the core runs */
    switch (off) {
    case DLP_CSR_PROG_ADDR: r->prog_addr = merge(r->prog_addr, v, strb); break;
    case DLP_CSR_PROG_LEN: r->prog_len = merge(r->prog_len, v, strb); break;
    case DLP_CSR_WIN_BASE: r->win_base = merge(r->win_base, v, strb); break;
    case DLP_CSR_WIN_LIMIT: r->win_limit = merge(r->win_limit, v, strb); break;
    case DLP_CSR_CYCLE_LIMIT_LO:
        r->cycle_limit = (r->cycle_limit & ~(uint64_t)0xffffffffu) |
                         merge((uint32_t)r->cycle_limit, v, strb);
        break;
    case DLP_CSR_CYCLE_LIMIT_HI:
        r->cycle_limit = (r->cycle_limit & 0xffffffffu) |
                         (uint64_t)merge((uint32_t)(r->cycle_limit >> 32), v, strb) << 32;
        break;
    default: break; /* read-only and unmapped: ignored */
    }
    return 0;
}

uint64_t dlp_regs_win_limit(const dlp_regs_t *r)
{
    return r->win_limit ? r->win_limit : 1ull << 32;
}

void dlp_regs_set_cycles(dlp_regs_t *r, uint64_t cycles)
{
    r->ctr[DLP_REGS_CYCLES] = cycles;
}

void dlp_regs_set_counters(dlp_regs_t *r, const dlp_counters_t *c)
{
    r->ctr[DLP_REGS_CYCLES] = c->cycles;
    r->ctr[DLP_REGS_BUSY_DMA] = c->busy_dma;
    r->ctr[DLP_REGS_BUSY_MFU] = c->busy_mfu;
    r->ctr[DLP_REGS_BUSY_VFU] = c->busy_vfu;
    r->ctr[DLP_REGS_DRAM_RD] = c->dram_rd_bytes;
    r->ctr[DLP_REGS_DRAM_WR] = c->dram_wr_bytes;
    r->ctr[DLP_REGS_MACS] = c->macs;
    r->ctr[DLP_REGS_INSNS] = c->insns;
}

void dlp_regs_end(dlp_regs_t *r, const dlp_result_t *res)
{
    r->busy = 0;
    r->done = res->status == DLP_DONE;
    r->error = !r->done;
    r->cause = (uint32_t)res->cause;
    r->err_pc = res->err_pc;
    r->err_info = res->err_info;
    dlp_regs_set_counters(r, &res->counters);
    r->irq_status |= r->done ? DLP_CSR_IRQ_STATUS_DONE_MASK : DLP_CSR_IRQ_STATUS_ERROR_MASK;
}

int dlp_regs_irq(const dlp_regs_t *r)
{
    return (r->irq_status & r->irq_en) != 0;
}
