; SPDX-License-Identifier: Apache-2.0
; residual_add -- element-wise add of two int8 tensors of the same shape with TFLite's int8 ADD
; semantics (each input rescaled to a common scale, summed, rescaled to the output, clamped to
; the fused activation's range: act_min = zp_out for the ReLU variant; docs/numerics.md):
;     out[i] = add(a[i], b[i])             i < NELEM (= H*W*C, any size)
; The tensors are streamed as flat byte arrays in tiles of TT bytes (the last tile smaller);
; vadd treats a tile as one row of TT elements. The 12 int32 ADD parameters live in WRAM.
;
; Per tile the DMA moves 3 bytes per element (a, b in; out back) and the VFU spends 3 cycles per
; V elements (read a, read b, write), so with 16-byte beats and 16 lanes the loads/stores and the
; adds take about as long: double buffering hides almost all of one behind the other.
;
; Memory map
;   NRAM  NA0/NA1, NB0/NB1, NO0/NO1   a, b and out tile slots, TT bytes each; NSCR scratch
;   WRAM  0                           ADD parameters (48 bytes), loaded with the first tile
;
; Token protocol (../common/pipeline.inc):
;   LD: [params (first tile, waits cp)], a (waits cp unless after params), b (signals cp)
;   CP: vadd (waits ld and st; signals ld "a/b slots free" and st "out ready")
;   ST: out -> DRAM (waits cp, signals cp "out slot free")

.include "params.inc"
.include "../common/pipeline.inc"

.equ T, (NELEM + TT - 1) / TT            ; tiles
.equ TLAST, NELEM - (T - 1) * TT         ; bytes of the last tile
.equ NA0, 0
.equ NA1, TT
.equ NB0, 2 * TT
.equ NB1, 3 * TT
.equ NO0, 4 * TT
.equ NO1, 5 * TT
.equ NSCR, 6 * TT

.reg rA,   r1    ; DRAM: a tile
.reg rB,   r2    ; DRAM: b tile
.reg rO,   r3    ; DRAM: out tile
.reg sA,   r4    ; NRAM slots
.reg sB,   r5
.reg sO,   r6
.reg t,    r7
.reg t2,   r8

.macro TILE n, hdr
.if \hdr
    dma     wram[zero], dram[t2], 48, wait=cp                  ; ADD parameters
    dma     nram[sA], dram[rA], \n
.else
    dma     nram[sA], dram[rA], \n, wait=cp
.endif
    dma     nram[sB], dram[rB], \n, signal=cp
    vadd    nram[sO], nram[sA], nram[sB], wram[zero], 1, \n, wait=ld|st, signal=ld|st
    dma     dram[rO], nram[sO], \n, wait=cp, signal=cp
    addi    rA, rA, \n
    addi    rB, rB, \n
    addi    rO, rO, \n
    toggle  sA, NA0, NA1, t
    toggle  sB, NB0, NB1, t
    toggle  sO, NO0, NO1, t
.endm

    li      rA, A_ADDR
    li      rB, B_ADDR
    li      rO, OUT_ADDR
    li      sA, NA0
    li      sB, NB0
    li      sO, NO0
    li      t, NSCR
    li      t2, SCR_ADDR
    prime_cp_to_ld t
    prime_st_to_cp t, t2, t
    li      t2, P_ADDR
.if T == 1
    TILE    NELEM, 1
.else
    TILE    TT, 1
.if T > 2
    loop    T - 2
        TILE    TT, 0
    endloop
.endif
    TILE    TLAST, 0
.endif
    halt
