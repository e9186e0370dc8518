; SPDX-License-Identifier: Apache-2.0
; vadd destination partly overlapping a source
;@ expect OVERLAP pc=2 info=0x100
    li r1, 0x100
    li r2, 0x108
    vadd nram[r1], nram[r2], nram[r0], wram[r0], 1, 32
    halt
