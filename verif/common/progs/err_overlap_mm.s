; SPDX-License-Identifier: Apache-2.0
; mm output rows overlapping (as < N)
;@ expect OVERLAP pc=1 info=8
    li r1, 8
    mm acc[r0], nram[r0], wram[r0], 2, 4, 16, as=r1
    halt
