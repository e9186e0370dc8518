; SPDX-License-Identifier: Apache-2.0
; fc_relu -- fully connected layer with fused ReLU (TFLite int8 FULLY_CONNECTED):
;     out[b][o] = clamp(zp_out + MBQM(sum_i (in[b][i] - zp_in) * w[o][i] + bias[o], M[o], sh[o]),
;                       zp_out, 127)
; for a batch of M = BATCH input vectors of K = IN features and N = OUT output features. The
; compiler (gen.c) folds zp_in into the bias (bias') and picks one of two dataflows (IS):
;
; IS = 0, weight-stationary: out = in x w^T is a GEMM, so the program is the tiled,
;   double-buffered GEMM core (../common/gemm_core.inc; tiling, memory map and token protocol in
;   ../gemm/gemm.s) with the ReLU done by vrq's lower clamp (lo = zp_out). The filter is stored
;   transposed, [IN][OUT]. When IN x OUT does not fit WRAM the reduction is split into k-steps
;   that accumulate in ACC (mm accum=1) before the single requantization.
;
; IS = 1, input-stationary, for batches of one or two. A weight-stationary R x C array spends
;   max(M, R + C + 3) cycles on each R x C weight tile, so with M = 1 it does R*C MACs every
;   R + C + 3 cycles (256/35 per cycle on 16 x 16). Swapping the operands -- the filter rows
;   stream through the array as the "input" (M = output features) and the input vector is the
;   one-column "weight" -- gives R MACs per cycle (16), 2.2 times more, and with 16-byte DRAM
;   beats exactly the rate at which the weights arrive. Here the filter keeps TFLite's layout
;   [OUT][IN] (a row of the streamed operand is one output feature's IN weights) and the input
;   vectors stay in WRAM. Per n-block of TNB output features and k-step of TK inputs:
;       LD: [params of the block (first step)], filter tile w[o0:o0+tnb][k0:k0+tk] -> NRAM slot
;       CP: for each batch row b: mm acc[b*TNB..] += tile x in[b][k0:k0+tk] (ndim = 1, as = 1)
;           after the last k-step: vrq -> out tile [BATCH][tnb] (lo = zp_out)
;       ST: out tile -> out[:, o0:o0+tnb]
;   Memory: NRAM [W0][W1] (TNB x TK each) [O0][O1] (BATCH x TNB each) [scratch];
;           WRAM [in: BATCH x K] [H0][H1] (params 12 x TNB each); ACC BATCH x TNB.
;   Tokens: as the GEMM core -- the first load of a step waits cp and its last signals cp; the
;   step's first mm waits ld; the last reader of the slot signals ld (the last mm, or the vrq
;   after the last k-step, which also frees the block's parameter slot); vrq waits st and
;   signals st; the store waits cp and signals cp; two primer tokens per channel.

.include "params.inc"
.equ ACT_LO, ZP_OUT                      ; fused ReLU: clamp at the real value 0

; The input-stationary macros are defined outside the `.if IS` below: dlpasm reports
; "unexpected '\'" for a `.if \param` line of a macro body that sits in a false conditional
; branch (it lexes the condition of nested .if lines it skips), so they cannot live in the
; `.else` branch. Their bodies are only expanded when IS = 1.

; One k-step of tk inputs for a block of tn outputs.
.macro ISTEP tn, tk, kfirst, klast
.if \kfirst
    dma     wram[sH], dram[rP], 12 * \tn, wait=cp                          ; params
    addi    rP, rP, 12 * \tn
    dma     nram[sW], dram[rW], \tk, n1=\tn, ss1=rK, ds1=rTK, signal=cp     ; filter tile
.else
    dma     nram[sW], dram[rW], \tk, n1=\tn, ss1=rK, ds1=rTK, wait=cp, signal=cp
.endif
.set BI, 0
.rept M
    li      rAcc, BI * TNB
    addi    t2, rX, BI * K
.if BI == 0 && (BI < M - 1 || \klast)
    mm      acc[rAcc], nram[sW], wram[t2], \tn, \tk, 1, s0=rTK, ws=rOne, as=rOne, accum=1-\kfirst, wait=ld
.elif BI == 0
    mm      acc[rAcc], nram[sW], wram[t2], \tn, \tk, 1, s0=rTK, ws=rOne, as=rOne, accum=1-\kfirst, wait=ld, signal=ld
.elif BI < M - 1 || \klast
    mm      acc[rAcc], nram[sW], wram[t2], \tn, \tk, 1, s0=rTK, ws=rOne, as=rOne, accum=1-\kfirst
.else
    mm      acc[rAcc], nram[sW], wram[t2], \tn, \tk, 1, s0=rTK, ws=rOne, as=rOne, accum=1-\kfirst, signal=ld
.endif
.set BI, BI + 1
.endr
.if \klast
    vrq     nram[sO], acc[zero], wram[sH], M, \tn, sd=rTNB, sa=rTNB, zp=ZP_OUT, lo=ACT_LO, wait=st, signal=ld|st
    dma     dram[rO], nram[sO], \tn, n1=M, ss1=rTNB, ds1=rN, wait=cp, signal=cp
    toggle  sO, NO0, NO1, t
.endif
    addi    rW, rW, \tk
    addi    rX, rX, \tk
    toggle  sW, NW0, NW1, t
.endm

; One block of tn outputs: all its k-steps, then the pointers to the next block.
.macro IBLOCK tn
.if KT == 1
    ISTEP   \tn, K, 1, 1
.else
    ISTEP   \tn, TK, 1, 0
.if KT > 2
    loop    KT - 2
        ISTEP   \tn, TK, 0, 0
    endloop
.endif
    ISTEP   \tn, KLAST, 0, 1
.endif
    addi    rW, rW, \tn * K - K
    addi    rX, rX, -K
    addi    rO, rO, \tn
    toggle  sH, WH0, WH1, t
.endm

.if !IS
.include "../common/gemm_core.inc"
.else
.include "../common/pipeline.inc"

.equ NB_FULL, N / TNB                    ; full n-blocks
.equ NR, N % TNB                         ; outputs of the last, partial block
.equ KT, (K + TK - 1) / TK               ; k-steps
.equ KLAST, K - (KT - 1) * TK
.equ NW0, 0
.equ NW1, TNB * TK
.equ NO0, 2 * TNB * TK
.equ NO1, NO0 + M * TNB
.equ NSCR, NO1 + M * TNB
.equ WX, 0                               ; the input vectors, [M][K]
.equ WH0, M * K
.equ WH1, WH0 + 12 * TNB

.reg rK,   r1    ; K: filter row stride in DRAM
.reg rTK,  r2    ; TK: filter tile row stride in NRAM
.reg rTNB, r3    ; TNB: ACC and out-tile row stride
.reg rN,   r4    ; N: output row stride in DRAM
.reg rOne, r5    ; 1: weight-row and accumulator strides of the one-column mm
.reg rW,   r6    ; DRAM: filter tile
.reg rP,   r7    ; DRAM: parameters of the next block
.reg rO,   r8    ; DRAM: output block
.reg sW,   r9    ; NRAM: filter slot
.reg sH,   r10   ; WRAM: parameter slot of the block
.reg sO,   r11   ; NRAM: out slot
.reg rX,   r12   ; WRAM: in[0][k0]
.reg rAcc, r13   ; ACC: row of batch element b
.reg t,    r14
.reg t2,   r15

    li      rK, K
    li      rTK, TK
    li      rTNB, TNB
    li      rN, N
    li      rOne, 1
    li      rW, B_ADDR
    li      rP, P_ADDR
    li      rO, C_ADDR
    li      sW, NW0
    li      sH, WH0
    li      sO, NO0
    li      rX, WX
    ; the input vectors, once: [M][K] contiguous. No token: the first filter tile's token,
    ; which the first mm waits for, comes after this in the LD queue.
    li      t, A_ADDR
    dma     wram[rX], dram[t], M * K
    li      t, NSCR
    li      t2, SCR_ADDR
    prime_cp_to_ld t
    prime_st_to_cp t, t2, t
.if NB_FULL > 0
    loop    NB_FULL
        IBLOCK  TNB
    endloop
.endif
.if NR > 0
    IBLOCK  NR
.endif
    halt
.endif
