; SPDX-License-Identifier: Apache-2.0
; completion found by polling STATUS (IRQ_EN = 0): the interrupt line must stay low
;@ expect halt
;@ poll
;@ dram 0x10000 random 256
    li r1, 0x10000
    dma nram[r0], dram[r1], 256
    sync
    li r2, 0x20000
    dma dram[r2], nram[r0], 256
    halt
