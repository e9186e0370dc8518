; SPDX-License-Identifier: Apache-2.0
; VF queue: a double-buffered mm -> vrq pipeline. Tile t's mm writes ACC half t%2 and signals
; VF; its vrq (vq=1) waits for that token, runs while the next tile's mm computes (inputs and
; weights in the low halves of NRAM and WRAM, parameters and outputs in the high halves), and
; signals CP when the half is drained, which the mm two tiles later waits for
;@ expect halt
;@ dram 0x10000 random 16384
;@ dram 0x20000 random 2048
;@ dram 0x30000 random 384
    li r1, 0x10000
    dma nram[r0], dram[r1], 16384
    li r2, 0x20000
    dma wram[r0], dram[r2], 2048
    li r3, 0x30000
    li r4, 0x20000          ; parameters: WRAM high half
    dma wram[r4], dram[r3], 384
    sync
    li r5, 64               ; input row stride (K = 64)
    li r6, 32               ; weight, accumulator and output row stride (N = 32)
    li r7, 0                ; input rows of the tile
    li r9, 0x10000          ; outputs: NRAM high half
    li r10, 0x2000          ; ACC half 1
    mm acc[r0], nram[r7], wram[r0], 64, 64, 32, s0=r5, ws=r6, as=r6, signal=vf
    addi r7, r7, 0x1000
    mm acc[r10], nram[r7], wram[r0], 64, 64, 32, s0=r5, ws=r6, as=r6, signal=vf
    vrq nram[r9], acc[r0], wram[r4], 64, 32, sd=r6, sa=r6, zp=3, vq=1, wait=cp, signal=cp
    addi r9, r9, 2048
    vrq nram[r9], acc[r10], wram[r4], 64, 32, sd=r6, sa=r6, lo=0, vq=1, wait=cp, signal=cp
    addi r7, r7, 0x1000
    mm acc[r0], nram[r7], wram[r0], 64, 64, 32, s0=r5, ws=r6, as=r6, wait=vf, signal=vf
    addi r7, r7, 0x1000
    mm acc[r10], nram[r7], wram[r0], 64, 64, 32, s0=r5, ws=r6, as=r6, wait=vf, signal=vf
    addi r9, r9, 2048
    vrq nram[r9], acc[r0], wram[r4], 64, 32, sd=r6, sa=r6, vq=1, wait=cp
    addi r9, r9, 2048
    vrq nram[r9], acc[r10], wram[r4], 64, 32, sd=r6, sa=r6, vq=1, wait=cp, signal=st
    li r11, 0x40000
    li r12, 0x10000
    dma dram[r11], nram[r12], 8192, wait=vf
    halt
