; SPDX-License-Identifier: Apache-2.0
; an endloop that does not end the innermost loop (the loop's body length points further)
;@ expect LOOP pc=3 info=1
    .insn 0x0000000c, 0x00000002, 0x00000005, 0
    nop
    nop
    .insn 0x0000000e, 0, 0, 0
    nop
    nop
    .insn 0x0000000e, 0, 0, 0
    halt
