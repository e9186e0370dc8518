; SPDX-License-Identifier: Apache-2.0
; undefined opcodes 0x0f and 0x3f trap; the first one met is reported
;@ expect ILLEGAL_OPCODE pc=1 info=0x0000000f
    li r1, 1
    .insn 0x0000000f, 0, 0, 0
    .insn 0x0003003f, 0, 0, 0
    halt
