; SPDX-License-Identifier: Apache-2.0
; vlut: 256-entry table at an unaligned WRAM address
;@ expect halt
;@ dram 0x10000 random 1024
;@ dram 0x20000 random 256
    li r1, 0x10000
    dma nram[r0], dram[r1], 1024
    li r2, 0x20000
    li r3, 0x333
    dma wram[r3], dram[r2], 256
    sync
    li r4, 0x800
    li r5, 70
    vlut nram[r4], nram[r0], wram[r3], 4, 65, sd=r5, sa=r5
    vlut nram[r0], nram[r0], wram[r3], 1, 300                    ; in place
    halt
