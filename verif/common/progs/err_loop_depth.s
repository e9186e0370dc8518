; SPDX-License-Identifier: Apache-2.0
; one loop more than the hardware nests
;@ expect LOOP pc=LDEPTH info=LDEPTH
    .rept LDEPTH + 1
    loop 2
    .endr
    nop
    .rept LDEPTH + 1
    endloop
    .endr
    halt
