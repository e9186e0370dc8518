; SPDX-License-Identifier: Apache-2.0
; a dma as the last instruction, no halt: the front end runs past the end (PC_RANGE) in the
; cycle the dma would start on the DMA unit -- it counts no DRAM bytes (docs/timing.md, "Counters
; when a run stops with an error"): DRAM_RD_BYTES is the fetch's 16 bytes alone
;@ expect PC_RANGE pc=1
    dma nram[r0], dram[r0], 256
