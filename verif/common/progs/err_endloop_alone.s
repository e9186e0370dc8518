; SPDX-License-Identifier: Apache-2.0
; endloop without a loop
;@ expect LOOP pc=1 info=0
    nop
    .insn 0x0000000e, 0, 0, 0
    halt
