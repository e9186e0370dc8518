; SPDX-License-Identifier: Apache-2.0
; a DMA store whose last byte passes WIN_LIMIT
;@ expect DRAM_WINDOW pc=2 info=0x2000f
;@ prog_addr 0x1000
;@ window 0x1000 0x20000
    li r1, 0x1fff0
    li r2, 0x100
    dma dram[r1], nram[r2], 32
    halt
