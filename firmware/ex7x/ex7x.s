; SPDX-License-Identifier: Apache-2.0
; ex7x -- textbook exercises 7.7, 7.8 and 7.9: a fully connected layer
;     C[M][N] = A[M][K] x W[K][N]          (7.7: 1x256 by 256x1, 7.8: 32x256 by 256x128,
;                                          7.9: 1024x256 by 256x128)
; written twice: DBUF = 0 strictly serial in the textbook's simplified instructions (move, sync,
; compute, loop), DBUF = 1 double-buffered with dependency tokens. The exercise's data are fp32;
; ours are int8 with int32 accumulation, so each tile of C also passes through vrq (bias,
; per-channel requantization to int8 -- the step an fp32 machine does not need). The results are
; checked bit for bit against the TFLite reference like every other program. How the fp32 byte
; counts are modelled (the ex77-fp32 configuration) is explained in docs/exercises.md.
;
; params.inc (from gen.c): M, K, N; DBUF; MODE (DBUF = 1: 0 = stream row tiles of A past the
; resident weights, 1 = stream row blocks of W past the resident A); OVL (MODE 0: 1 = the vrq on
; the VF queue, ../common/wres_core.inc, with its TN, NCHUNK, KC0.., NCB and the memory halves);
; TM (rows per A tile), TK
; (weight rows per step, MODE 1); ZP_OUT; DRAM addresses A_ADDR, W_ADDR, P_ADDR (bias',
; multiplier, shift per column), C_ADDR, SCR_ADDR (scratch word for the token primers).

.include "params.inc"
.include "../common/pipeline.inc"
.if !defined(OVL)
.equ OVL, 0
.endif

.equ MT_FULL, M / TM                     ; full row tiles
.equ MR, M % TM                          ; rows of the last, partial tile (0: none)

.reg rK, r1      ; K: row stride of A on chip
.reg rN, r2      ; N: row stride of W, ACC and C
.reg rA, r3      ; DRAM: next A rows
.reg rC, r4      ; DRAM: next C rows
.reg rW, r5      ; DRAM: next W rows
.reg rP, r6      ; DRAM: parameters
.reg wP, r7      ; WRAM: parameters
.reg sA, r8      ; NRAM: A slot (or the k-step's column in the resident A)
.reg sC, r9      ; NRAM: C slot
.reg sW, r10     ; WRAM: W slot
.reg t,  r11
.reg t2, r12

.if DBUF == 0
; ---------------------------------------------------------------------------------------------
; Serial: NRAM = [A tile TM x K][C tile TM x N]; WRAM = [W K x N][params 12 x N].
; Per tile: move A in; sync; compute; requantize; sync; move C out; sync. Nothing overlaps.
; ---------------------------------------------------------------------------------------------
.equ NC, TM * K
.equ WPAR, K * N

.macro STILE tm
    move    dram[rA], nram[zero], (\tm) * K                 ; A rows -> NRAM
    sync
    compute mac, acc[zero], nram[zero], wram[zero], \tm, K, N, s0=rK, ws=rN, as=rN
    vrq     nram[sC], acc[zero], wram[wP], \tm, N, sd=rN, sa=rN, zp=ZP_OUT
    sync
    move    nram[sC], dram[rC], (\tm) * N                   ; C rows -> DRAM
    sync
    addi    rA, rA, (\tm) * K
    addi    rC, rC, (\tm) * N
.endm

    li      rK, K
    li      rN, N
    li      rA, A_ADDR
    li      rC, C_ADDR
    li      rW, W_ADDR
    li      rP, P_ADDR
    li      wP, WPAR
    li      sC, NC
    move    dram[rW], wram[zero], K * N                     ; weights -> WRAM (once)
    move    dram[rP], wram[wP], 12 * N                      ; bias', multiplier, shift
.if MT_FULL > 1
    loop    MT_FULL
        STILE   TM
    endloop
.elif MT_FULL == 1
    STILE   TM
.endif
.if MR > 0
    STILE   MR
.endif
    halt

.elif MODE == 0 && OVL
; ---------------------------------------------------------------------------------------------
; Double-buffered, streaming A, with the vrq on the VF queue (OVL = 1) beside the next tile's
; compute: ../common/wres_core.inc with one n-block (TN = N). Half h of NRAM is A slot h, which
; the tile's C overwrites once its compute has read it; W stays in the WRAM low half, the
; parameters in the high half; the first tile computes in k-chunks as W arrives, the last in
; column blocks. The memory map and the tokens are in wres_core.inc.
; ---------------------------------------------------------------------------------------------
.equ ACT_LO, -128                        ; no activation
.include "../common/wres_core.inc"

.elif MODE == 0
; ---------------------------------------------------------------------------------------------
; Double-buffered, streaming A (7.9): W and the parameters stay in WRAM; A tiles and C tiles
; alternate between two NRAM slots each.
;   NRAM = [A0][A1] (TM x K each) [C0][C1] (TM x N each) [scratch]; WRAM = [W][params]
; Tokens (../common/pipeline.inc): the A move waits cp "slot free" and signals cp "A ready";
; compute waits ld and signals ld "A slot free"; vrq waits st "C slot free" and signals st
; "C ready"; the C move waits cp and signals cp. The weights and parameters need no token of
; their own: they are in the LD queue before the first A tile, whose token the first compute
; waits for.
; ---------------------------------------------------------------------------------------------
.equ NA0, 0
.equ NA1, TM * K
.equ NC0, 2 * TM * K
.equ NC1, NC0 + TM * N
.equ NSCR, NC1 + TM * N
.equ WPAR, K * N

.macro DTILE tm
    move    dram[rA], nram[sA], (\tm) * K, wait=cp, signal=cp
    compute mac, acc[zero], nram[sA], wram[zero], \tm, K, N, s0=rK, ws=rN, as=rN, wait=ld, signal=ld
    vrq     nram[sC], acc[zero], wram[wP], \tm, N, sd=rN, sa=rN, zp=ZP_OUT, wait=st, signal=st
    move    nram[sC], dram[rC], (\tm) * N, wait=cp, signal=cp
    addi    rA, rA, (\tm) * K
    addi    rC, rC, (\tm) * N
    toggle  sA, NA0, NA1, t
    toggle  sC, NC0, NC1, t
.endm

    li      rK, K
    li      rN, N
    li      rA, A_ADDR
    li      rC, C_ADDR
    li      rW, W_ADDR
    li      rP, P_ADDR
    li      wP, WPAR
    li      sA, NA0
    li      sC, NC0
    move    dram[rW], wram[zero], K * N
    move    dram[rP], wram[wP], 12 * N
    li      t, NSCR
    li      t2, SCR_ADDR
    prime_cp_to_ld t
    prime_st_to_cp t, t2, t
.if MT_FULL > 1
    loop    MT_FULL
        DTILE   TM
    endloop
.elif MT_FULL == 1
    DTILE   TM
.endif
.if MR > 0
    DTILE   MR
.endif
    halt

.else
; ---------------------------------------------------------------------------------------------
; Double-buffered, streaming W (7.8): W arrives in steps of TK rows (contiguous in DRAM) that
; alternate between two WRAM slots, and each step's compute adds A[:, k0:k0+tk] x W[k0:k0+tk, :]
; into the accumulators. A stays in NRAM, but it too arrives step by step, column slice by column
; slice with its W rows, so that the first compute starts after 1/KT of the data instead of all
; of A. One requantization and one store at the end.
;   NRAM = [A M x K][C M x N][scratch]; WRAM = [W0][W1] (TK x N each) [params]; ACC M x N
; Tokens: a step's W move waits cp "W slot free", its A slice signals cp "step ready"; compute
; waits ld and signals ld. A's slices go to fresh bytes and the parameters ride ahead of the
; last step in the LD queue, so they need no tokens of their own; C is written once, so
; vrq -> store needs only "C ready" (cp -> st).
; ---------------------------------------------------------------------------------------------
.equ KT, (K + TK - 1) / TK               ; weight steps
.equ KL, K - (KT - 1) * TK               ; rows of the last step
.equ NC, M * K
.equ NSCR, NC + M * N
.equ WW0, 0
.equ WW1, TK * N
.equ WPAR, 2 * TK * N

.macro KSTEP tk, first
    move    dram[rW], wram[sW], (\tk) * N, wait=cp                   ; W rows k0..k0+tk
    dma     nram[sA], dram[rA], \tk, n1=M, ss1=rK, ds1=rK, signal=cp  ; A columns k0..k0+tk
    compute mac, acc[zero], nram[sA], wram[sW], M, \tk, N, s0=rK, ws=rN, as=rN, accum=1-\first, wait=ld, signal=ld
    addi    rW, rW, (\tk) * N
    addi    rA, rA, \tk
    addi    sA, sA, \tk
    toggle  sW, WW0, WW1, t
.endm

    li      rK, K
    li      rN, N
    li      rA, A_ADDR
    li      rC, C_ADDR
    li      rW, W_ADDR
    li      rP, P_ADDR
    li      wP, WPAR
    li      sA, 0
    li      sC, NC
    li      sW, WW0
    li      t, NSCR
    prime_cp_to_ld t
.if KT == 1
    move    dram[rP], wram[wP], 12 * N
    KSTEP   K, 1
.else
    KSTEP   TK, 1
    ; the parameters are needed only by the final vrq: load them behind the first step (the
    ; last step's token, which the last compute waits for, comes after them in the LD queue)
    move    dram[rP], wram[wP], 12 * N
.if KT > 2
    loop    KT - 2
        KSTEP   TK, 0
    endloop
.endif
    KSTEP   KL, 0
.endif
    vrq     nram[sC], acc[zero], wram[wP], M, N, sd=rN, sa=rN, zp=ZP_OUT, signal=st
    move    nram[sC], dram[rC], M * N, wait=cp
    halt
.endif
