; SPDX-License-Identifier: Apache-2.0
; vmax, vmin, vclamp (ReLU/ReLU6 on int8), one row and many, strides, in place
;@ expect halt
;@ dram 0x10000 random 2048
    li r1, 0x10000
    dma nram[r0], dram[r1], 2048
    sync
    li r2, 0x1000
    li r3, 0x200
    li r4, 0x400
    li r5, 19
    li r6, 41
    vmax nram[r2], nram[r3], nram[r4], 6, 19, sd=r5, sa=r6, sb=r5
    li r7, 0x1100
    vmin nram[r7], nram[r3], nram[r4], 6, 19, sd=r5, sa=r6, sb=r5
    li r8, 0x1200
    vmax nram[r8], nram[r3], nram[r3], 1, 70
    li r9, 0x1300
    li r10, 64
    vclamp nram[r9], nram[r3], 3, 50, -128, 6, sd=r10, sa=r10
    vclamp nram[r3], nram[r3], 3, 50, -3, 3, sd=r10, sa=r10        ; in place
    vmin nram[r4], nram[r4], nram[r2], 2, 19, sd=r5, sa=r5, sb=r5  ; in place
    halt
