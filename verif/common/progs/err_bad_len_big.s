; SPDX-License-Identifier: Apache-2.0
; PROG_LEN larger than the instruction memory
;@ expect BAD_PROGRAM pc=0 info=IMEM+1
;@ prog_len IMEM+1
    halt
