; SPDX-License-Identifier: Apache-2.0
; DRAM -> NRAM and DRAM -> WRAM: one run, 2-D and 3-D strided, unaligned, long (several bursts,
; crossing 4 KiB), then stored back so the final DRAM image shows every byte
;@ expect halt
;@ dram 0x10000 random 20000
    li r1, 0x10003          ; unaligned source
    li r2, 5                ; unaligned destination
    dma nram[r2], dram[r1], 1000
    li r3, 40               ; source run stride
    li r4, 33               ; destination run stride
    li r5, 2000             ; source plane stride
    li r6, 300              ; destination plane stride
    li r7, 0x2000
    dma nram[r7], dram[r1], 29, n1=7, n2=3, ss1=r3, ds1=r4, ss2=r5, ds2=r6
    li r8, 0x100
    li r9, 0x10fff
    dma wram[r8], dram[r9], 9000        ; > BurstBeats * BeatBytes, crosses 4 KiB
    li r10, 0x8000
    dma wram[r10], dram[r1], 1, n1=5, ss1=r3, ds1=r4
    sync
    li r11, 0x40000
    dma dram[r11], nram[r0], 3000
    li r12, 0x50001
    dma dram[r12], wram[r8], 9000
    li r13, 0x60000
    dma dram[r13], wram[r10], 200
    halt
