; SPDX-License-Identifier: Apache-2.0
; one signal more than a channel holds (each completes before the next: sync)
;@ expect TOKEN_OVERFLOW pc=3 info=1
    li r1, 0x100
    li r2, 0x10000
    loop TOKMAX + 1
        dma nram[r1], dram[r2], 16, signal=cp
        sync
    endloop
    halt
