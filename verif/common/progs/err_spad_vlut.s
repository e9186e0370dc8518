; SPDX-License-Identifier: Apache-2.0
; a vlut table past the end of WRAM
;@ expect SPAD_RANGE pc=2 info=WRAM_BYTES+155
    li r1, 0x100
    li r2, WRAM_BYTES-100
    vlut nram[r1], nram[r0], wram[r2], 1, 16
    halt
