; SPDX-License-Identifier: Apache-2.0
; mm: one tile, K > R and N > C (several weight tiles), m1 row groups with strides,
; accumulate, then requantize and store
;@ expect halt
;@ dram 0x10000 random 16384
;@ dram 0x20000 random 16384
    li r1, 0x10000
    dma nram[r0], dram[r1], 16384
    li r2, 0x20000
    dma wram[r0], dram[r2], 16384
    sync
    li r12, 16
    mm acc[r0], nram[r0], wram[r0], 8, 16, 16, s0=r12, ws=r12, as=r12 ; one R x C tile at 16x16
    li r3, 64
    li r4, 37
    li r5, 45
    li r6, 100
    mm acc[r6], nram[r4], wram[r5], 5, 37, 45, m1=3, s0=r3, s1=r6, ws=r3, as=r3
    mm acc[r6], nram[r3], wram[r4], 5, 37, 45, m1=3, s0=r3, s1=r6, ws=r3, as=r3, accum=1
    li r7, 2000
    mm acc[r7], nram[r0], wram[r0], 1, 1, 1
    mm acc[r7], nram[r3], wram[r0], 1, 70, 3, accum=1
    li r8, 3000
    li r9, 200
    mm acc[r8], nram[r0], wram[r0], 40, 3, 70, s0=r3, ws=r9, as=r9
    sync
    li r10, 0x8000
    li r11, 0x9000
    dma dram[r11], nram[r0], 16           ; keep the store queue busy alongside
    halt
