; SPDX-License-Identifier: Apache-2.0
; a DMA writing past the end of NRAM
;@ expect SPAD_RANGE pc=2 info=NRAM_BYTES+5
    li r1, NRAM_BYTES-10
    li r2, 0x10000
    dma nram[r1], dram[r2], 16
    halt
