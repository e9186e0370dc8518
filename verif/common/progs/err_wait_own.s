; SPDX-License-Identifier: Apache-2.0
; ISA v2: the mask bit of an instruction's own queue names VF. An LD dma with wait bit 0 (its
; own queue's bit) waits for a token from VF that nobody signals: halt deadlocks
;@ expect DEADLOCK pc=3 info=3
    li r1, 0x100
    li r2, 0x10000
    .insn 0x00211050, 0x10000400, 0x00001000, 0
    halt
