; SPDX-License-Identifier: Apache-2.0
; an LD instruction waiting on its own queue
;@ expect ILLEGAL_ENCODING pc=2 info=0x00211050
    li r1, 0x100
    li r2, 0x10000
    .insn 0x00211050, 0x10000400, 0x00001000, 0
    halt
