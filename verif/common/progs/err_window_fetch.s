; SPDX-License-Identifier: Apache-2.0
; the program itself lies below WIN_BASE: no fetch at all
;@ expect DRAM_WINDOW pc=0 info=0x1000
;@ prog_addr 0x1000
;@ window 0x2000 0x20000
    halt
