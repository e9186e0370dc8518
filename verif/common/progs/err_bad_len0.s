; SPDX-License-Identifier: Apache-2.0
; PROG_LEN = 0
;@ expect BAD_PROGRAM pc=0 info=0
;@ prog_len 0
    halt
