; SPDX-License-Identifier: Apache-2.0
; relu.s -- load, compute, store: ReLU on 4096 int8 values, in four tiles of 1024.
; The host program (relu.c) writes the input at DRAM 0x10000 and reads the result at 0x20000.
; Each tile has its own NRAM buffer, so the tiles overlap (the load of tile i+1 runs while the
; vector unit clamps tile i) with no buffer reuse to guard. The tokens order each tile's three
; steps: the load signals the compute queue, vclamp waits for it and signals the store queue,
; the store waits for that (docs/isa.md, "Dependency tokens"; the C model checks them).
    li r1, 0x10000          ; input in DRAM
    li r2, 0x20000          ; output in DRAM
    li r3, 0                ; tile buffer in NRAM
    li r4, 256              ; row stride of a tile: 4 rows of 256 bytes
    loop 4
        dma nram[r3], dram[r1], 1024, signal=cp
        vclamp nram[r3], nram[r3], 4, 256, 0, 127, sd=r4, sa=r4, wait=ld, signal=st
        dma dram[r2], nram[r3], 1024, wait=cp
        addi r1, r1, 1024
        addi r2, r2, 1024
        addi r3, r3, 1024
    endloop
    halt
