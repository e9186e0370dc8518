; SPDX-License-Identifier: Apache-2.0
; the program's last instruction lies past WIN_LIMIT
;@ expect DRAM_WINDOW pc=0 info=0x102f
;@ prog_addr 0x1000
;@ window 0x1000 0x1020
    nop
    nop
    halt
