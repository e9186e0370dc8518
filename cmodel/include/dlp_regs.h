/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The core's register block (rtl/dlp_csr.sv) for hosts of the C model: the registers of
 * docs/csr.md (offsets and fields from dlp_csr_gen.h), with the RTL's behaviour, for anything
 * that puts the model behind a register interface -- libdlp's cmodel back end and the SystemC
 * model (verif/systemc/). It holds register state only; running the machine is the caller's.
 *
 *     dlp_regs_t r;
 *     dlp_regs_reset(&r, &cfg);
 *     if (dlp_regs_write(&r, DLP_CSR_CTRL, DLP_CSR_CTRL_START_MASK, 0xf))  // a run starts:
 *         ... dlp_set_window(m, r.win_base, dlp_regs_win_limit(&r)); dlp_run(m, r.prog_addr, ...)
 *     dlp_regs_end(&r, &result);                                            // it ended
 *     irq = dlp_regs_irq(&r);
 *
 * Behaviour (as the RTL): reset values 0; PROG_ADDR, PROG_LEN, WIN_BASE, WIN_LIMIT and
 * CYCLE_LIMIT take writes (merged by byte strobes) only while idle; CTRL.start (strobe 0) is
 * ignored while busy and clears STATUS.done/error, ERR_* and the counters; IRQ_EN takes bits 1:0
 * (strobe 0) at any time; IRQ_STATUS is write-1-to-clear (strobe 0) and set when a run ends;
 * reading a counter's low word latches its high word into the one latch every _HI offset reads;
 * CTRL and unmapped offsets read 0. While a run lasts the counters read what the caller last
 * gave: dlp_regs_set_counters (all of them, as the RTL counts them live) or dlp_regs_set_cycles
 * (CYCLES only; the others read 0 until the run ends).
 */
#ifndef DLP_REGS_H
#define DLP_REGS_H

#include <stdint.h>

#include "dlp.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DLP_HW_REVISION 1 /* VERSION.hw: rtl/dlp_csr.sv's HwRevision; the model is that core */

enum { DLP_REGS_CYCLES, DLP_REGS_BUSY_DMA, DLP_REGS_BUSY_MFU, DLP_REGS_BUSY_VFU,
       DLP_REGS_DRAM_RD, DLP_REGS_DRAM_WR, DLP_REGS_MACS, DLP_REGS_INSNS, DLP_REGS_N_CTR };

typedef struct dlp_regs {
    uint32_t cap[4];                     /* CAP0..CAP3 of the configuration */
    uint32_t prog_addr, prog_len, win_base, win_limit, irq_en, irq_status;
    uint64_t cycle_limit;
    int busy, done, error;
    uint32_t cause, err_pc, err_info;
    uint64_t ctr[DLP_REGS_N_CTR];
    uint32_t hi_latch;
} dlp_regs_t;

/* Reset state for a core of configuration cfg (its CAP words). */
void dlp_regs_reset(dlp_regs_t *r, const dlp_config_t *cfg);

/* 1 when the 4-byte aligned offset names a register of docs/csr.md (CTRL included). */
int dlp_regs_mapped(uint32_t off);

/* One 32-bit read at offset off (its low two bits ignored, as the RTL does). */
uint32_t dlp_regs_read(dlp_regs_t *r, uint32_t off);

/* One 32-bit write with byte strobes strb (bit i: byte i). Returns 1 when it started a run
   (STATUS.busy is then 1), else 0. */
int dlp_regs_write(dlp_regs_t *r, uint32_t off, uint32_t val, unsigned strb);

/* WIN_LIMIT as an address: 0 stands for 2^32. */
uint64_t dlp_regs_win_limit(const dlp_regs_t *r);

/* The CYCLES counter while a run lasts. */
void dlp_regs_set_cycles(dlp_regs_t *r, uint64_t cycles);

/* Every counter while a run lasts (the model's progress so far). */
void dlp_regs_set_counters(dlp_regs_t *r, const dlp_counters_t *c);

/* The run ended with res: STATUS, ERR_*, the counters and IRQ_STATUS. */
void dlp_regs_end(dlp_regs_t *r, const dlp_result_t *res);

/* The interrupt line: (IRQ_STATUS & IRQ_EN) != 0. */
int dlp_regs_irq(const dlp_regs_t *r);

#ifdef __cplusplus
}
#endif

#endif
