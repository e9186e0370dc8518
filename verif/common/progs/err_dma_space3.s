; SPDX-License-Identifier: Apache-2.0
; memory space 3 is reserved
;@ expect ILLEGAL_ENCODING pc=2 info=0x00213010
    li r1, 0x100
    li r2, 0x10000
    .insn 0x00213010, 0x10000400, 0x00001000, 0
    halt
