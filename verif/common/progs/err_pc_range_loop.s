; SPDX-License-Identifier: Apache-2.0
; a loop body running past the end of the program
;@ expect PC_RANGE pc=1 info=102
    nop
    .insn 0x0000000c, 0x00000002, 0x00000064, 0
    nop
    halt
