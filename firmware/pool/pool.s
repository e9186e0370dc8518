; SPDX-License-Identifier: Apache-2.0
; pool -- max or average pooling over an NHWC int8 image (TFLite semantics):
;     out[oy][ox][c] = max / avg over the valid input pixels of the KxK window at
;                      (oy*S - PAD_T, ox*S - PAD_L)
; OP 0 = max, 1 = average (rounded half away from zero over the number of VALID positions, as
; TFLite counts them). Padding is implicit: the VFU skips window positions outside the rows and
; columns it is given (docs/isa.md), so padded pixels are never loaded and never counted.
;
; Dataflow. TOH output rows per tile; a tile needs the input rows its windows touch,
; (TOH-1)*S + K of them (overlapping halo rows are simply loaded again), clipped to the image.
; The first tile passes the top padding as pt = PAD_T; the last tile's windows that run below the
; image are clipped by ih = the rows actually loaded. One DMA brings a tile's rows (contiguous in
; DRAM), one vmaxpool/vavgpool computes all its channels, one DMA stores its output rows.
;
; Memory map (NRAM bytes)
;   NI0, NI1   input tile slots: INR_MAX rows of W*C
;   NO0, NO1   output tile slots: TOH rows of OW*C
;   NSCR       2 scratch bytes for the token primers
;
; Token protocol (../common/pipeline.inc):
;   LD: tile rows -> NI[i%2]  (waits cp "input slot free", signals cp "input ready")
;   CP: pool                  (waits ld and st "output slot free"; signals ld and st "output ready")
;   ST: output rows -> DRAM   (waits cp, signals cp "output slot free")

.include "params.inc"
.include "../common/pipeline.inc"

.equ ROW, W * C                          ; input row bytes
.equ OROW, OW * C                        ; output row bytes
.equ T, (OH + TOH - 1) / TOH             ; row tiles
.equ TOHL, OH - (T - 1) * TOH            ; output rows of the last tile
.equ INR_MAX, (TOH - 1) * S + K          ; input rows of a full tile
.equ R0L, (T - 1) * TOH * S - PAD_T      ; first input row of the last tile (T > 1)
.equ RLA, H - R0L                     ; rows left for the last tile
.equ RLB, (TOHL - 1) * S + K             ; rows its windows span
.equ ROWS_LAST, (RLA < RLB) * RLA + (RLA >= RLB) * RLB
.equ ROWS_ONE, (H < INR_MAX - PAD_T) * H + (H >= INR_MAX - PAD_T) * (INR_MAX - PAD_T)
.equ NI0, 0
.equ NI1, INR_MAX * ROW
.equ NO0, 2 * INR_MAX * ROW
.equ NO1, NO0 + TOH * OROW
.equ NSCR, NO1 + TOH * OROW

.reg rRow,  r1   ; ROW: input row stride (DRAM and NRAM)
.reg rC,    r2   ; C: pixel stride
.reg rORow, r3   ; OROW: output row stride
.reg rIn,   r4   ; DRAM: first input row of the tile
.reg rOut,  r5   ; DRAM: first output row of the tile
.reg sI,    r6   ; NRAM: input slot
.reg sO,    r7   ; NRAM: output slot
.reg t,     r8
.reg t2,    r9

; One tile: toh output rows from `rows` input rows; pt: padding rows above its first row.
.macro TILE toh, rows, pt
.if (\rows) < 1 || (\rows) > INR_MAX
    .error "pool: bad tile geometry"
.endif
    dma     nram[sI], dram[rIn], ROW, n1=\rows, ss1=rRow, ds1=rRow, wait=cp, signal=cp
.if OP == 0
    vmaxpool nram[sO], nram[sI], C, \rows, W, \toh, OW, K, K, sh=S, sw=S, pt=\pt, pl=PAD_L, spa=rC, sra=rRow, spd=rC, srd=rORow, wait=ld|st, signal=ld|st
.else
    vavgpool nram[sO], nram[sI], C, \rows, W, \toh, OW, K, K, sh=S, sw=S, pt=\pt, pl=PAD_L, spa=rC, sra=rRow, spd=rC, srd=rORow, wait=ld|st, signal=ld|st
.endif
    dma     dram[rOut], nram[sO], (\toh) * OROW, wait=cp, signal=cp
    addi    rIn, rIn, ((\toh) * S - (\pt)) * ROW
    addi    rOut, rOut, (\toh) * OROW
    toggle  sI, NI0, NI1, t
    toggle  sO, NO0, NO1, t
.endm

    li      rRow, ROW
    li      rC, C
    li      rORow, OROW
    li      rIn, IN_ADDR
    li      rOut, OUT_ADDR
    li      sI, NI0
    li      sO, NO0
    li      t, NSCR
    li      t2, SCR_ADDR
    prime_cp_to_ld t
    prime_st_to_cp t, t2, t
.if T == 1
    TILE    OH, ROWS_ONE, PAD_T
.else
    ; the first and middle tiles must lie inside the image (true unless the bottom padding
    ; exceeds the stride)
.if (T - 2) * TOH * S - PAD_T + INR_MAX > H || INR_MAX - PAD_T > H
    .error "pool: a tile other than the last would need bottom padding"
.endif
    TILE    TOH, INR_MAX - PAD_T, PAD_T
.if T > 2
    loop    T - 2
        TILE    TOH, INR_MAX, 0
    endloop
.endif
    TILE    TOHL, ROWS_LAST, 0
.endif
    halt
