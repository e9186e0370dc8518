; SPDX-License-Identifier: Apache-2.0
; padding on every side with the pad value, to NRAM, WRAM and DRAM
;@ expect halt
;@ dram 0x10000 random 2048
    li r1, 0x10000
    li r2, 0x21
    li r3, 40
    dma nram[r2], dram[r1], 13, n1=5, ss1=r3, ds1=r3, pt=2, pb=1, pl=3, pr=4, pv=-7
    li r4, 0x400
    li r10, 106
    dma wram[r4], dram[r1], 1, n1=1, pt=15, pb=15, pl=100, pr=5, pv=0x55, ds1=r10
    li r5, 0x800
    li r6, 300
    dma nram[r5], dram[r1], 7, n1=2, n2=3, ss1=r3, ds1=r3, ss2=r6, ds2=r6, pl=1, pr=1, pt=1, pb=1, pv=127
    sync
    li r7, 0x40003
    li r8, 64
    dma dram[r7], nram[r2], 20, n1=8, ss1=r3, ds1=r8, pl=2, pr=9, pt=1, pb=2, pv=-128
    li r9, 0x41000
    dma dram[r9], wram[r4], 200, pl=4095, pv=3        ; long padding, several bursts
    halt
