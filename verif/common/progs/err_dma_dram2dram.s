; SPDX-License-Identifier: Apache-2.0
; DRAM to DRAM is illegal
;@ expect ILLEGAL_ENCODING pc=2 info=0x00210010
    li r1, 0x20000
    li r2, 0x10000
    .insn 0x00210010, 0x10000400, 0x00001000, 0
    halt
