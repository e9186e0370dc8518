; SPDX-License-Identifier: Apache-2.0
; pooling destination overlapping the source
;@ expect OVERLAP pc=1
    li r1, 0x4
    vmaxpool nram[r1], nram[r0], 8, 2, 2, 1, 1, 2, 2
    halt
