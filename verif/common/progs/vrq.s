; SPDX-License-Identifier: Apache-2.0
; vrq: bias, per-channel multiplier and shift, zero point, clamps (ReLU, ReLU6), strides
;@ expect halt
;@ dram 0x10000 random 4096
;@ dram 0x20000 words 100 0x40000000 -3  -50 0x7fffffff 0  7 0x55555555 -10  0 0x60000000 2  -1000 0x48000000 -31  31 0x40000000 31  12345 0x7ff00000 -5  -7 0x40000001 -1
    li r1, 0x10000
    dma nram[r0], dram[r1], 4096
    li r2, 0x20000
    li r3, 0x100
    dma wram[r3], dram[r2], 96
    sync
    li r4, 64
    mm acc[r0], nram[r0], wram[r0], 6, 20, 8, s0=r4, ws=r4, as=r4
    sync
    li r5, 0x3000
    li r6, 8
    vrq nram[r5], acc[r0], wram[r3], 6, 8, sd=r6, sa=r4
    li r7, 0x3100
    li r8, 13
    vrq nram[r7], acc[r0], wram[r3], 6, 8, sd=r8, sa=r4, zp=-5, lo=-5, hi=127
    li r9, 0x3200
    vrq nram[r9], acc[r0], wram[r3], 6, 8, sd=r6, sa=r4, zp=3, lo=3, hi=40
    li r10, 0x3300
    vrq nram[r10], acc[r4], wram[r3], 1, 5
    halt
