; SPDX-License-Identifier: Apache-2.0
; on-chip moves: NRAM->NRAM, NRAM->WRAM, WRAM->NRAM, WRAM->WRAM (strided, unaligned)
;@ expect halt
;@ dram 0x10000 random 4096
    li r1, 0x10000
    dma nram[r0], dram[r1], 4096
    li r2, 0x100
    dma wram[r2], dram[r1], 4096
    sync
    li r3, 0x3001
    dma nram[r3], nram[r0], 100, n1=3, ss1=r2, ds1=r2
    li r4, 0x5003
    dma wram[r4], nram[r0], 777
    li r5, 0x7002
    li r6, 0x105
    dma nram[r5], wram[r6], 51, n1=4, n2=2, ss1=r2, ds1=r2, ss2=r2, ds2=r1
    li r7, 0x9000
    li r10, 0x200
    dma wram[r7], wram[r2], 300, n1=2, ss1=r2, ds1=r10
    sync
    li r8, 0x30000
    dma dram[r8], nram[r0], 0x1a000
    li r9, 0x50000
    dma dram[r9], wram[r0], 0xa000
    halt
