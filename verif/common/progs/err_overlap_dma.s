; SPDX-License-Identifier: Apache-2.0
; an NRAM to NRAM move whose source and destination overlap
;@ expect OVERLAP pc=2 info=0x100
    li r1, 0x100
    li r2, 0x80
    dma nram[r1], nram[r2], 0x100
    halt
