; SPDX-License-Identifier: Apache-2.0
; a pooling window without a valid input position
;@ expect ILLEGAL_ENCODING pc=2 info=0x00210036
    li r1, 0x100
    li r2, 0x200
    .insn 0x00210036, 0x04000100, 0x11110010, 0x00100200
    halt
