; SPDX-License-Identifier: Apache-2.0
; CYCLE_LIMIT reached while DMA bursts are on the bus: they finish before the run ends
;@ expect TIMEOUT
;@ cycle_limit 400
;@ nostall
;@ dram 0x10000 random 16384
    li r1, 0x10000
    li r2, 0x40000
    dma nram[r0], dram[r1], 16384
    dma dram[r2], wram[r0], 16384
    loop 0xffffffff
        nop
    endloop
    halt
