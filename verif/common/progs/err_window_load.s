; SPDX-License-Identifier: Apache-2.0
; a DMA load from above the window
;@ expect DRAM_WINDOW pc=3 info=0x3003f
;@ prog_addr 0x1000
;@ window 0x1000 0x20000
    li r1, 0x100
    li r2, 0x30000
    li r3, 0x10000
    dma nram[r1], dram[r2], 64
    halt
