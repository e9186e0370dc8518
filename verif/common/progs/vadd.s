; SPDX-License-Identifier: Apache-2.0
; vadd (TFLite ADD) with two parameter blocks, in place and with strides
;@ expect halt
;@ dram 0x10000 random 2048
;@ dram 0x20000 words 10 0x40000000 -1  -3 0x60000000 -2  0x50000000 -17  -4 -128 127 20  0 0x7fffffff 0  0 0x7fffffff 0  0x40000000 -18  0 -20 90 20
    li r1, 0x10000
    dma nram[r0], dram[r1], 2048
    li r2, 0x20000
    dma wram[r0], dram[r2], 96
    sync
    li r3, 0x1000
    li r4, 0x100
    li r5, 0x300
    li r6, 50
    li r7, 40
    vadd nram[r3], nram[r4], nram[r5], wram[r0], 5, 37, sd=r6, sa=r6, sb=r7
    li r8, 48
    vadd nram[r4], nram[r4], nram[r5], wram[r8], 4, 33, sd=r6, sa=r6, sb=r7   ; in place
    halt
