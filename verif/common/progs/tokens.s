; SPDX-License-Identifier: Apache-2.0
; double-buffered pipeline: LD -> CP -> ST chained by wait/signal tokens, CP -> LD back-pressure
;@ expect halt
;@ dram 0x10000 random 8192
    li r1, 0x10000          ; input
    li r2, 0x30000          ; output
    li r3, 0x1000           ; NRAM buffers
    li r4, 0x4000
    li r5, 64
    li r6, 0x7000
    li r7, 0x7100
    loop 8
        dma nram[r3], dram[r1], 512, signal=cp
        vclamp nram[r4], nram[r3], 8, 64, -10, 10, sd=r5, sa=r5, wait=ld, signal=st|ld
        dma dram[r2], nram[r4], 512, wait=cp
        dma nram[r6], nram[r7], 1, wait=cp   ; consume the back-pressure token (LD queue)
        addi r1, r1, 512
        addi r2, r2, 512
        addi r3, r3, 512
        addi r4, r4, 512
    endloop
    halt
