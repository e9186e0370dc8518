; SPDX-License-Identifier: Apache-2.0
; a DMA load starting below WIN_BASE (after a good one, which retires)
;@ expect DRAM_WINDOW pc=4 info=0xfff
;@ prog_addr 0x1000
;@ window 0x1000 0x20000
;@ dram 0x10000 random 64
    li r1, 0x100
    li r2, 0xfff
    li r3, 0x10000
    dma nram[r1], dram[r3], 64
    dma nram[r1], dram[r2], 64
    halt
