; SPDX-License-Identifier: Apache-2.0
; a store waiting for a CP token at halt
;@ expect DEADLOCK pc=3
    li r1, 0x20000
    li r2, 0x100
    dma dram[r1], nram[r2], 64, wait=cp
    halt
