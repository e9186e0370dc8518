; SPDX-License-Identifier: Apache-2.0
; a full LD queue whose head waits forever: dispatch stalls, nothing can change
;@ expect DEADLOCK pc=QDEPTH+2
    li r1, 0x100
    li r2, 0x10000
    .rept QDEPTH + 1
    dma nram[r1], dram[r2], 16, wait=cp
    .endr
    halt
