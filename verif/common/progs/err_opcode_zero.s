; SPDX-License-Identifier: Apache-2.0
; opcode 0 (zeroed memory) traps
;@ expect ILLEGAL_OPCODE pc=2 info=0
    li r1, 1
    nop
    .insn 0, 0, 0, 0
    halt
