; SPDX-License-Identifier: Apache-2.0
; vclamp with i0 > i1
;@ expect ILLEGAL_ENCODING pc=2 info=0x00210034
    li r1, 0x100
    li r2, 0x200
    .insn 0x00210034, 0x40001000, 0x0050a000, 0
    halt
