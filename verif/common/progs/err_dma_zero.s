; SPDX-License-Identifier: Apache-2.0
; a zero size
;@ expect ILLEGAL_ENCODING pc=2 info=0x00211010
    li r1, 0x100
    li r2, 0x10000
    .insn 0x00211010, 0x10000000, 0x00001000, 0
    halt
