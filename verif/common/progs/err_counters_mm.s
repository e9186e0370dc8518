; SPDX-License-Identifier: Apache-2.0
; an mm as the last instruction, no halt: PC_RANGE in the cycle the mm would start on the matrix
; unit -- it counts no MACs (docs/timing.md, "Counters when a run stops with an error")
;@ expect PC_RANGE pc=1
    mm acc[r0], nram[r0], wram[r0], 1, 1, 1
