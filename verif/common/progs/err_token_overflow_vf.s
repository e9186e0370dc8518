; SPDX-License-Identifier: Apache-2.0
; one signal more than the VF -> ST channel holds (each completes before the next: sync)
;@ expect TOKEN_OVERFLOW pc=3 info=14
    li r1, 0x100
    li r2, 0x200
    loop TOKMAX + 1
        vclamp nram[r2], nram[r1], 1, 16, 0, 5, vq=1, signal=st
        sync
    endloop
    halt
