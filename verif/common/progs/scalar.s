; SPDX-License-Identifier: Apache-2.0
; every scalar instruction; the register trace checks each result
;@ expect halt
    li r1, 0x12345678
    li r2, -5
    addi r3, r1, -0x1000
    add r4, r1, r2
    sub r5, r2, r1
    mul r6, r1, r2
    muli r7, r2, 0x10001
    slli r8, r1, 7
    srli r9, r2, 31
    slli r10, r2, 0
    srli r11, r1, 0
    li r0, 99            ; writes to r0 are ignored
    add r12, r0, r1
    nop
    sync
    halt
