; SPDX-License-Identifier: Apache-2.0
; the simulation-speed benchmark: the MFU busy all the time (64 x 4R x 4C tiles back to back)
; while the DMA streams into NRAM; its cycles/s is printed as the benchmark figure
;@ expect halt
;@ dram 0x10000 random 65536
    li r1, 0x10000
    dma nram[r0], dram[r1], 32768
    dma wram[r0], dram[r1], 65536
    sync
    li r2, 4 * ROWS
    li r3, 4 * COLS
    li r4, 0x10000
    loop 300
        mm acc[r0], nram[r0], wram[r0], 64, 4 * ROWS, 4 * COLS, s0=r2, ws=r3, as=r3
        dma nram[r4], dram[r1], 4096
    endloop
    halt
