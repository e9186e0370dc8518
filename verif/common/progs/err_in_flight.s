; SPDX-License-Identifier: Apache-2.0
; an illegal instruction while loads and stores are in flight: the bursts on the bus finish,
; ERR_* are exact
;@ expect ILLEGAL_OPCODE pc=6 info=0
;@ dram 0x10000 random 8192
    li r1, 0x10000
    li r2, 0x40000
    li r3, 0x2000
    dma nram[r0], dram[r1], 8192
    dma dram[r2], wram[r3], 8192
    nop
    .insn 0, 0, 0, 0
    halt
