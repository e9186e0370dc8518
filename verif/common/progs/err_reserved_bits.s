; SPDX-License-Identifier: Apache-2.0
; a reserved bit set in nop
;@ expect ILLEGAL_ENCODING pc=1 info=0x00010001
    nop
    .insn 0x00010001, 0, 0, 0
    halt
