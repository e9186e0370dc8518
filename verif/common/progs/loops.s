; SPDX-License-Identifier: Apache-2.0
; loop, loopr, nested loops, zero-count loops, count 1, taken/not-taken endloop, addi stepping
;@ expect halt
    li r1, 0
    li r2, 3
    loop 4                  ; 4 x (3 x inner)
        addi r1, r1, 1
        loopr r2
            addi r1, r1, 100
            muli r3, r1, 3
        endloop
        loop 0              ; never runs
            li r1, 0xdead
        endloop
        loop 1
            addi r4, r4, 7
        endloop
    endloop
    li r5, 0
    loopr r5                ; register count 0
        li r1, 0xbeef
    endloop
    loop 2
        loop 2
            loop 2
                loop 2      ; the full loop depth of 4
                    addi r6, r6, 1
                endloop
            endloop
        endloop
    endloop
    halt
