; SPDX-License-Identifier: Apache-2.0
; NRAM -> DRAM and WRAM -> DRAM with strides, unaligned bursts, partial beats (WSTRB)
;@ expect halt
;@ dram 0x10000 random 8192
    li r1, 0x10000
    dma nram[r0], dram[r1], 4096
    li r2, 0x1000
    dma wram[r2], dram[r1], 4096
    sync
    li r3, 0x20007
    dma dram[r3], nram[r0], 1
    li r3, 0x2010f
    dma dram[r3], nram[r0], 17
    li r4, 64
    li r5, 23
    li r6, 0x21001
    dma dram[r6], nram[r0], 19, n1=9, ss1=r4, ds1=r5
    li r7, 700
    li r8, 0x22ff0
    dma dram[r8], wram[r2], 33, n1=3, n2=4, ss1=r4, ds1=r4, ss2=r7, ds2=r7
    li r9, 0x23ffd
    dma dram[r9], wram[r2], 4000       ; crosses 4 KiB and many bursts
    halt
