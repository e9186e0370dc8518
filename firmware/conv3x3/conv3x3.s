; SPDX-License-Identifier: Apache-2.0
; conv3x3 -- 3x3 convolution, NHWC int8, stride S (1 or 2), zero-point padding, fused ReLU:
;     out[oy][ox][co] = relu(requant(sum_{fy,fx,ci} in[oy*S+fy-PAD_T][ox*S+fx-PAD_L][ci]
;                                                     * w[(fy*3+fx)*CIN+ci][co] + bias'[co]))
; The weights are the im2col matrix [9*CIN][COUT] in DRAM; bias' has the input zero point
; folded in (docs/numerics.md) and the DMA pads with ZP_IN, so padded positions cancel exactly.
;
; Dataflow. The image is cut into tiles of TOH output rows (halo rows are reloaded: a tile needs
; (TOH-1)*S + 3 padded input rows). A tile's input rows are DMA'd into NRAM with their padding
; (pl/pr = one pixel, pt/pb = the image's top/bottom padding row for the first/last tile), so
; padded pixel (y, x) of the tile sits at y*ROWB + x*CIN. For output pixel (oy, ox) the three
; horizontal kernel positions of kernel row fy are then CONTIGUOUS: 3*CIN bytes at
; (oy*S + fy)*ROWB + ox*S*CIN. So the convolution is a sum of three mm's, one per kernel row,
; each with K = 3*CIN (= three of the nine kernel positions at once, which also fills the
; array's rows better than K = CIN), M = TOH*OW output pixels as m1 = TOH image rows (stride
; S*ROWB) of m0 = OW pixels (stride S*CIN), N = the output-channel block. Stride 2 is nothing but
; the doubled strides. Output channels are processed in blocks of TN (all of COUT when the
; 9*CIN x COUT weights fit WRAM); a block's weights and parameters are its "header".
;
; Memory map (bytes; ACC in int32 elements)
;   NRAM  NI0, NI1   input tile slots: INR_MAX padded rows of ROWB = WP*CIN bytes
;         NO0, NO1   output tile slots: TOH*OW pixels x TN (row stride TN)
;         NSCR       2 scratch bytes for the token primers
;   WRAM  WH0, WH1   header slots: weights [9*CIN][TN], then params 12 x TN (one slot if the
;                    whole COUT is one block)
;   ACC   0          TOH*OW x TN accumulators (row stride TN)
;
; Token protocol (../common/pipeline.inc), one step per row tile:
;   LD: [header (waits cp)], input rows (waits cp unless after a header; signals cp)
;   CP: mm fy=0 (waits ld), mm fy=1, mm fy=2, vrq (waits st; signals ld = "input slot and, for
;       the last tile of a block, header slot free", and st = "output tile ready")
;   ST: store (waits cp, signals cp = "output slot free")
; A header overwrites the slot of block nb-2, whose last reader (its last vrq) signalled at or
; before the token the header's step consumes (two steps back).

.include "params.inc"
.include "../common/pipeline.inc"

.equ WP, PAD_L + W + PAD_R               ; padded row width, pixels
.equ ROWB, WP * CIN                      ; bytes per padded row in NRAM
.equ INROW, W * CIN                      ; bytes per input row in DRAM
.equ T, (OH + TOH - 1) / TOH             ; row tiles
.equ TOHL, OH - (T - 1) * TOH            ; output rows of the last tile
.equ INR_MAX, (TOH - 1) * S + 3          ; padded input rows of a full tile
.equ P1L, (T - 1) * TOH * S + (TOHL - 1) * S + 3   ; end of the last tile's padded rows
.equ PB_LAST, (P1L > PAD_T + H) * (P1L - PAD_T - H) ; bottom padding rows it needs (0 or 1)
.equ NB_FULL, COUT / TN
.equ NR, COUT % TN
.equ NBLOCKS, NB_FULL + (NR > 0)

.equ NI0, 0
.equ NI1, INR_MAX * ROWB
.equ NO0, 2 * INR_MAX * ROWB
.equ NO1, NO0 + TOH * OW * TN
.equ NSCR, NO1 + TOH * OW * TN
.equ HPOFF, 9 * CIN * TN                 ; params offset in a header slot
.equ WH0, 0
.equ WH1, (NBLOCKS > 1) * (HPOFF + 12 * TN)

.reg rCout, r1   ; COUT: weight row stride in DRAM, output pixel stride in DRAM
.reg rTN,   r2   ; TN: on-chip row stride of weights, ACC and output tiles
.reg rInRow, r3  ; INROW: input row stride in DRAM
.reg rRowB, r4   ; ROWB: padded row stride in NRAM
.reg rSC,   r5   ; S*CIN: mm stride between output pixels of a row
.reg rSR,   r6   ; S*ROWB: mm stride between output rows
.reg rIn,   r7   ; DRAM: first real input row of the current tile
.reg rOut,  r8   ; DRAM: output tile
.reg rW,    r9   ; DRAM: weights of the next block
.reg rP,    r10  ; DRAM: params of the next block
.reg sI,    r11  ; NRAM: input slot
.reg sO,    r12  ; NRAM: output slot
.reg sH,    r13  ; WRAM: header slot of the current block
.reg t,     r14  ; temporaries
.reg t2,    r15

; One row tile of toh output rows and tn output channels. pt/pb: padding rows above/below its
; real input rows; hdr: first tile of a block (also loads the block's header).
.macro TILE toh, tn, pt, pb, hdr
.if ((\toh) - 1) * S + 3 - (\pt) - (\pb) < 1
    .error "conv3x3: a tile without input rows"
.endif
.if \hdr
    dma     wram[sH], dram[rW], \tn, n1=9*CIN, ss1=rCout, ds1=rTN, wait=cp          ; weights
    addi    t, sH, HPOFF
    dma     wram[t], dram[rP], 12 * \tn                                            ; params
    addi    rW, rW, \tn
    addi    rP, rP, 12 * \tn
    dma     nram[sI], dram[rIn], INROW, n1=((\toh)-1)*S+3-(\pt)-(\pb), ss1=rInRow, ds1=rRowB, pt=\pt, pb=\pb, pl=PAD_L*CIN, pr=PAD_R*CIN, pv=ZP_IN, signal=cp
.else
    dma     nram[sI], dram[rIn], INROW, n1=((\toh)-1)*S+3-(\pt)-(\pb), ss1=rInRow, ds1=rRowB, pt=\pt, pb=\pb, pl=PAD_L*CIN, pr=PAD_R*CIN, pv=ZP_IN, wait=cp, signal=cp
.endif
    ; kernel rows fy = 0, 1, 2: input rows fy.., weight rows fy*3*CIN..
    mm      acc[zero], nram[sI], wram[sH], OW, 3 * CIN, \tn, m1=\toh, s0=rSC, s1=rSR, ws=rTN, as=rTN, wait=ld
    addi    t, sI, ROWB
    addi    t2, sH, 3 * CIN * TN
    mm      acc[zero], nram[t], wram[t2], OW, 3 * CIN, \tn, m1=\toh, s0=rSC, s1=rSR, ws=rTN, as=rTN, accum=1
    addi    t, sI, 2 * ROWB
    addi    t2, sH, 6 * CIN * TN
    mm      acc[zero], nram[t], wram[t2], OW, 3 * CIN, \tn, m1=\toh, s0=rSC, s1=rSR, ws=rTN, as=rTN, accum=1
    addi    t, sH, HPOFF
    vrq     nram[sO], acc[zero], wram[t], (\toh) * OW, \tn, sd=rTN, sa=rTN, zp=ZP_OUT, lo=ZP_OUT, wait=st, signal=ld|st
    dma     dram[rOut], nram[sO], \tn, n1=(\toh)*OW, ss1=rTN, ds1=rCout, wait=cp, signal=cp
    addi    rOut, rOut, (\toh) * OW * COUT
    addi    rIn, rIn, ((\toh) * S - (\pt)) * INROW
    toggle  sI, NI0, NI1, t
    toggle  sO, NO0, NO1, t
.endm

; One block of tn output channels over the whole image.
.macro NBLOCK tn
.if T == 1
    TILE    OH, \tn, PAD_T, PB_LAST, 1
.else
    TILE    TOH, \tn, PAD_T, 0, 1
.if T > 2
    loop    T - 2
        TILE    TOH, \tn, 0, 0, 0
    endloop
.endif
    TILE    TOHL, \tn, 0, PB_LAST, 0
.endif
    li      rIn, IN_ADDR
    addi    rOut, rOut, \tn - OH * OW * COUT
    toggle  sH, WH0, WH1, t
.endm

    li      rCout, COUT
    li      rTN, TN
    li      rInRow, INROW
    li      rRowB, ROWB
    li      rSC, S * CIN
    li      rSR, S * ROWB
    li      rIn, IN_ADDR
    li      rOut, OUT_ADDR
    li      rW, W_ADDR
    li      rP, P_ADDR
    li      sI, NI0
    li      sO, NO0
    li      sH, WH0
    li      t, NSCR
    li      t2, SCR_ADDR
    prime_cp_to_ld t
    prime_st_to_cp t, t2, t
.if NB_FULL > 0
    loop    NB_FULL
        NBLOCK  TN
    endloop
.endif
.if NR > 0
    NBLOCK  NR
.endif
    halt
