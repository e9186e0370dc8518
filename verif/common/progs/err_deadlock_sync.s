; SPDX-License-Identifier: Apache-2.0
; a wait nobody signals, then sync
;@ expect DEADLOCK pc=1
    mm acc[r0], nram[r0], wram[r0], 1, 1, 1, wait=ld
    sync
    halt
