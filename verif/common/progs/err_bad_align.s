; SPDX-License-Identifier: Apache-2.0
; PROG_ADDR not 16-byte aligned
;@ expect BAD_PROGRAM pc=0 info=2
;@ prog_addr 0x1008
    nop
    halt
