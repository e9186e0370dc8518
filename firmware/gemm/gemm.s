; gemm -- int8 GEMM with per-channel requantization:
;     C[M][N] = requant(A[M][K] x B[K][N] + bias'[N])
; A, B, C row-major int8 in DRAM; per-column parameters (bias' = bias - zp_A * sum_k B[k][n],
; multiplier, shift: 12 bytes each, docs/numerics.md) at P_ADDR. The data generator (gen.c)
; plays the compiler: it chooses the tiles for the memory sizes of the case and writes
; params.inc.
;
; Tiling. Columns in n-blocks of TN, rows in m-tiles of TM, the reduction in k-steps of TK; the
; last block/tile/step of each may be smaller (NR, MR, KLAST). For each n-block:
;   for each m-tile:   ACC[tm][tn]  = sum over k-steps of  A-tile[tm][tk] x B[tk][tn]
;                      C-tile[tm][tn] = vrq(ACC), stored to C
; BRES = 1: the whole K x tn panel of B fits WRAM twice over, so it is loaded once per n-block
; (weight-stationary at the memory level) and the m-tiles stream A past it. BRES = 0: each
; k-step loads its B tile with its A tile. The parameters of an n-block are loaded with the
; n-block's first step (the "header"). Everything is double-buffered; ACC is single-buffered
; because mm and vrq run in order on the one compute unit.
;
; Memory map (bytes; ACC in int32 elements)
;   NRAM  NA0, NA1   A-tile slots, TM x TK (row stride TK)
;         NC0, NC1   C-tile slots, TM x TN (row stride TN)
;         NSCR       2 scratch bytes for the token primers
;   WRAM  WB0, WB1   B-tile slots, TK x TN (row stride TN)          (BRES = 0 only)
;         WH0, WH1   n-block header slots: [B panel K x TN if BRES] [params 12 x TN]
;   ACC   0          TM x TN accumulators (row stride TN)
;
; Token protocol (see ../common/pipeline.inc):
;   step j's loads (header?, A, B?) fill slot j%2: the first waits cp ("slot free"), the last
;     signals cp ("slot full"); step j's mm waits ld.
;   the last CP reader of step j's slot signals ld: the mm, or for the last k-step the vrq
;     (it follows the mm and reads the header's params). A header overwrites the header slot of
;     n-block nb-2, whose last reader (its last vrq) is at or before step j-2's signal.
;   vrq waits st ("C slot free"), signals st ("C ready"); the store waits cp, signals cp.
; Register use: strides and DRAM pointers below; r13 is the toggle temporary.

.include "params.inc"
.include "../common/pipeline.inc"

.equ MT_FULL, M / TM                     ; full m-tiles
.equ MR, M % TM                          ; rows of the last, partial m-tile (0: none)
.equ NB_FULL, N / TN
.equ NR, N % TN
.equ KT, (K + TK - 1) / TK               ; k-steps per tile
.equ KLAST, K - (KT - 1) * TK            ; size of the last k-step

.equ NA0, 0
.equ NA1, TM * TK
.equ NC0, 2 * TM * TK
.equ NC1, NC0 + TM * TN
.equ NSCR, NC1 + TM * TN
.equ WB0, 0
.equ WB1, (1 - BRES) * TK * TN
.equ HPOFF, BRES * K * TN                ; params offset inside a header slot
.equ WH0, (1 - BRES) * 2 * TK * TN
.equ WH1, WH0 + HPOFF + 12 * TN

.reg rK,  r1     ; K: A row stride in DRAM
.reg rN,  r2     ; N: B and C row stride in DRAM
.reg rTK, r3     ; TK: A-tile row stride in NRAM
.reg rTN, r4     ; TN: row stride of B tiles/panels, ACC and C tiles on chip
.reg rA,  r5     ; DRAM: current A tile
.reg rB,  r6     ; DRAM: current B tile (BRES = 0) or next B panel (BRES = 1)
.reg rP,  r7     ; DRAM: parameters of the next n-block
.reg rC,  r8     ; DRAM: current C tile
.reg sA,  r9     ; NRAM: A slot of the current step
.reg sB,  r10    ; WRAM: B slot of the current step, or the k-step's row in the B panel
.reg sH,  r11    ; WRAM: header slot of the current n-block
.reg sC,  r12    ; NRAM: C slot of the current m-tile
.reg t,   r13    ; temporary
.reg t2,  r14    ; temporary

; One k-step of an m-tile: tm x tk of A times tk x tn of B into ACC.
;   kfirst: overwrite ACC (else accumulate); klast: requantize and store after the mm;
;   hdr: this is the n-block's first step and also loads its header.
.macro STEP tm, tn, tk, kfirst, klast, hdr
.if \hdr
.if BRES
    dma     wram[sH], dram[rB], \tn, n1=K, ss1=rN, ds1=rTN, wait=cp        ; B panel K x tn
    addi    t, sH, HPOFF
    dma     wram[t], dram[rP], 12 * \tn                                    ; params
    dma     nram[sA], dram[rA], \tk, n1=\tm, ss1=rK, ds1=rTK, signal=cp     ; A tile
.else
    dma     wram[sH], dram[rP], 12 * \tn, wait=cp                          ; params
    dma     nram[sA], dram[rA], \tk, n1=\tm, ss1=rK, ds1=rTK                ; A tile
    dma     wram[sB], dram[rB], \tn, n1=\tk, ss1=rN, ds1=rTN, signal=cp     ; B tile
.endif
    addi    rP, rP, 12 * \tn
.else
.if BRES
    dma     nram[sA], dram[rA], \tk, n1=\tm, ss1=rK, ds1=rTK, wait=cp, signal=cp
.else
    dma     nram[sA], dram[rA], \tk, n1=\tm, ss1=rK, ds1=rTK, wait=cp
    dma     wram[sB], dram[rB], \tn, n1=\tk, ss1=rN, ds1=rTN, signal=cp
.endif
.endif
.if \klast
    mm      acc[zero], nram[sA], wram[sB], \tm, \tk, \tn, s0=rTK, ws=rTN, as=rTN, accum=1-\kfirst, wait=ld
    addi    t, sH, HPOFF
    vrq     nram[sC], acc[zero], wram[t], \tm, \tn, sd=rTN, sa=rTN, zp=ZP_OUT, wait=st, signal=ld|st
    dma     dram[rC], nram[sC], \tn, n1=\tm, ss1=rTN, ds1=rN, wait=cp, signal=cp
    addi    rC, rC, \tm * N
    toggle  sC, NC0, NC1, t
.else
    mm      acc[zero], nram[sA], wram[sB], \tm, \tk, \tn, s0=rTK, ws=rTN, as=rTN, accum=1-\kfirst, wait=ld, signal=ld
.endif
    addi    rA, rA, \tk
    toggle  sA, NA0, NA1, t
.if BRES
    addi    sB, sB, \tk * TN
.else
    addi    rB, rB, \tk * N
    toggle  sB, WB0, WB1, t
.endif
.endm

; One m-tile: all its k-steps, then rA to the next m-tile's first A tile.
.macro MTILE tm, tn, hdr
.if BRES
    add     sB, sH, zero                 ; k-step 0 reads the panel from its first row
.endif
.if KT == 1
    STEP    \tm, \tn, K, 1, 1, \hdr
.else
    STEP    \tm, \tn, TK, 1, 0, \hdr
.if KT > 2
    loop    KT - 2
        STEP    \tm, \tn, TK, 0, 0, 0
    endloop
.endif
    STEP    \tm, \tn, KLAST, 0, 1, 0
.endif
    addi    rA, rA, \tm * K - K
.if !BRES
    addi    rB, rB, -K * N               ; back to the n-block's first B tile
.endif
.endm

; One n-block of tn columns: its m-tiles (the first carries the header), then the pointers to
; the next n-block.
.macro NBLOCK tn
.if MT_FULL > 0
    MTILE   TM, \tn, 1
.if MT_FULL > 1
    loop    MT_FULL - 1
        MTILE   TM, \tn, 0
    endloop
.endif
.if MR > 0
    MTILE   MR, \tn, 0
.endif
.else
    MTILE   MR, \tn, 1
.endif
    li      rA, A_ADDR
    addi    rC, rC, \tn - M * N
    addi    rB, rB, \tn
    toggle  sH, WH0, WH1, t
.endm

    li      rK, K
    li      rN, N
    li      rTK, TK
    li      rTN, TN
    li      rA, A_ADDR
    li      rB, B_ADDR
    li      rP, P_ADDR
    li      rC, C_ADDR
    li      sA, NA0
    li      sB, WB0
    li      sH, WH0
    li      sC, NC0
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
