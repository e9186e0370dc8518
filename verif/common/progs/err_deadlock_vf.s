; SPDX-License-Identifier: Apache-2.0
; a VF instruction waiting for a CP token nobody signals, then sync
;@ expect DEADLOCK pc=2
    li r1, 0x100
    vclamp nram[r1], nram[r0], 1, 16, 0, 5, vq=1, wait=cp
    sync
    halt
