; SPDX-License-Identifier: Apache-2.0
; slli by 32 is not encodable
;@ expect ILLEGAL_ENCODING pc=1 info=0x0021000a
    li r2, 3
    .insn 0x0021000a, 0x00000020, 0, 0
    halt
