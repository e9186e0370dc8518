; SPDX-License-Identifier: Apache-2.0
; an mm writing past the last accumulator
;@ expect SPAD_RANGE pc=1 info=ACC_ELEMS+3
    li r1, ACC_ELEMS-4
    mm acc[r1], nram[r0], wram[r0], 1, 4, 8
    halt
