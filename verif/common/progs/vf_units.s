; SPDX-License-Identifier: Apache-2.0
; VF queue: every vector instruction on VF beside a long mm (disjoint halves: they overlap),
; vector instructions on CP and VF sharing the VFU, and an mm behind a VF instruction on a
; common half (serialised by the start rule, docs/timing.md "Compute units")
;@ expect halt
;@ dram 0x10000 random 8192
;@ dram 0x20000 words 10 0x40000000 -1  -3 0x60000000 -2  0x50000000 -17  -4 -128 127 20
;@ dram 0x20100 random 256
    li r1, 0x10000
    dma nram[r0], dram[r1], 8192        ; NRAM low half: mm inputs
    li r2, 0x18000
    li r3, 0x10000
    dma nram[r2], dram[r3], 8192        ; NRAM high half: vector operands
    dma wram[r0], dram[r1], 8192        ; WRAM low half: weights
    li r4, 0x20000
    li r5, 0x30000                      ; WRAM high half: vadd parameters, LUT
    dma wram[r5], dram[r4], 48
    li r6, 0x20100
    li r7, 0x30100
    dma wram[r7], dram[r6], 256
    sync
    li r8, 64
    mm acc[r0], nram[r0], wram[r0], 100, 64, 64, s0=r8, ws=r8, as=r8
    li r9, 0x1c000
    li r10, 0x18100
    li r11, 40
    vadd nram[r9], nram[r2], nram[r10], wram[r5], 5, 37, sd=r11, sa=r11, sb=r11, vq=1
    li r12, 0x1c400
    vlut nram[r12], nram[r2], wram[r7], 6, 33, sd=r11, sa=r11, vq=1
    li r13, 0x1c800
    vclamp nram[r13], nram[r2], 4, 20, -9, 50, sd=r11, sa=r11, vq=1
    li r14, 0x1cc00
    vmax nram[r14], nram[r2], nram[r10], 3, 21, sd=r11, sa=r11, sb=r11, vq=1
    li r15, 20
    li r3, 120
    li r4, 0x1d000
    vmaxpool nram[r4], nram[r2], 20, 6, 6, 3, 3, 2, 2, sh=2, sw=2, spa=r15, sra=r3, spd=r15, srd=r8, vq=1
    li r6, 0x1d400
    vavgpool nram[r6], nram[r2], 20, 6, 6, 6, 6, 3, 3, pt=1, pl=1, spa=r15, sra=r3, spd=r15, srd=r3, vq=1
    ; CP and VF vector instructions share the VFU
    li r4, 0x1e000
    vmin nram[r4], nram[r2], nram[r10], 4, 30, sd=r11, sa=r11, sb=r11
    li r6, 0x1e400
    vclamp nram[r6], nram[r10], 4, 30, 0, 100, sd=r11, sa=r11, vq=1
    sync
    ; a VF vrq reading ACC half 0 while an mm wants to write it: the mm waits for the vrq
    li r4, 0x1f000
    li r6, 0x30000
    vrq nram[r4], acc[r0], wram[r6], 30, 4, sd=r15, sa=r8, vq=1
    li r7, 0x1000
    mm acc[r7], nram[r0], wram[r0], 20, 64, 64, s0=r8, ws=r8, as=r8
    halt
