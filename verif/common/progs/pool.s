; SPDX-License-Identifier: Apache-2.0
; vmaxpool and vavgpool: 2x2/2, 3x3/1 with implicit padding (TFLite SAME), channels > V
;@ expect halt
;@ dram 0x10000 random 4096
    li r1, 0x10000
    dma nram[r0], dram[r1], 4096
    sync
    li r2, 0x2000
    li r3, 20               ; pixel stride (channels 20)
    li r4, 120              ; row stride (6 pixels)
    li r5, 20
    li r6, 60
    vmaxpool nram[r2], nram[r0], 20, 6, 6, 3, 3, 2, 2, sh=2, sw=2, spa=r3, sra=r4, spd=r5, srd=r6
    li r7, 0x2100
    vavgpool nram[r7], nram[r0], 20, 6, 6, 3, 3, 2, 2, sh=2, sw=2, spa=r3, sra=r4, spd=r5, srd=r6
    li r8, 0x2200
    li r9, 120
    vmaxpool nram[r8], nram[r0], 20, 6, 6, 6, 6, 3, 3, pt=1, pl=1, spa=r3, sra=r4, spd=r5, srd=r9
    li r10, 0x2800
    vavgpool nram[r10], nram[r0], 20, 6, 6, 6, 6, 3, 3, pt=1, pl=1, spa=r3, sra=r4, spd=r5, srd=r9
    li r11, 0x3000
    vavgpool nram[r11], nram[r0], 3, 1, 1, 1, 1, 1, 1
    halt
