; SPDX-License-Identifier: Apache-2.0
; no halt: execution runs past the last instruction
;@ expect PC_RANGE pc=3 info=3
    li r1, 1
    nop
    addi r1, r1, 1
