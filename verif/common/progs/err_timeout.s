; SPDX-License-Identifier: Apache-2.0
; a runaway program stopped by CYCLE_LIMIT
;@ expect TIMEOUT
;@ cycle_limit 3000
;@ nostall
    loop 0xffffffff
        nop
        addi r1, r1, 1
    endloop
    halt
