; SPDX-License-Identifier: Apache-2.0
; a DMA reading past the end of WRAM
;@ expect SPAD_RANGE pc=1 info=WRAM_BYTES
    li r1, WRAM_BYTES-1
    dma nram[r0], wram[r1], 2
    halt
