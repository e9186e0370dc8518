; SPDX-License-Identifier: Apache-2.0
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
; n-block's first step (the "header"). Everything is double-buffered. OVL = 0: ACC is
; single-buffered because mm and vrq run in order on the CP queue. OVL = 1: the vrq runs on the
; VF queue beside the next m-tile's mm; ACC holds one tile slot per ACC half (AC0, AC1), the C
; slots and the scratch bytes move to the NRAM high half and the parameters of a header slot to
; the same offset in the WRAM high half (QOFF), so that the mm (low halves) and the vrq (high
; halves, the other ACC half) run at the same time (docs/timing.md, "Compute units").
;
; Memory map (bytes; ACC in int32 elements)
;   NRAM  NA0, NA1   A-tile slots, TM x TK (row stride TK)
;         NC0, NC1   C-tile slots, TM x TN (row stride TN)
;         NSCR       2 scratch bytes for the token primers
;   WRAM  WB0, WB1   B-tile slots, TK x TN (row stride TN)          (BRES = 0 only)
;         WH0, WH1   n-block header slots: [B panel K x TN if BRES] [params 12 x TN]
;   ACC   AC0 (, AC1) TM x TN accumulators (row stride TN); register sQ holds the current one
;
; Token protocol (see ../common/pipeline.inc):
;   step j's loads (header?, A, B?) fill slot j%2: the first waits cp ("slot free"), the last
;     signals cp ("slot full"); step j's mm waits ld.
;   the last CP reader of step j's slot signals ld: the mm, or for the last k-step the vrq
;     (it follows the mm and reads the header's params). A header overwrites the header slot of
;     n-block nb-2, whose last reader (its last vrq) is at or before step j-2's signal.
;   vrq waits st ("C slot free"), signals st ("C ready"); the store waits cp, signals cp.
; OVL = 1 instead: every mm signals ld (the vrq no longer reads the A/B slot); the last k-step's
;   mm signals vf ("ACC tile ready") and the vrq (vq=1) waits cp; the vrq signals cp ("ACC slot
;   free", waited for by the first k-step's mm two m-tiles later) and ld ("header params free",
;   waited for by the first load of the first k-step two m-tiles later); the vrq waits st and
;   signals st, the store waits vf and signals vf. Primers: two tokens each on CP -> LD,
;   VF -> LD, VF -> CP and ST -> VF.
; Registers: see ../common/gemm_core.inc (strides, DRAM pointers, slot addresses, temporaries).

.include "params.inc"
.equ ACT_LO, -128                        ; no activation
.if !defined(WRES)
.equ WRES, 0
.endif
.if WRES
; WRES = 1 (the generator's choice when all of B fits the WRAM low half and its estimate is the
; lower): B resident, A streamed in row tiles per n-block, the vrq on VF, C over the A slot --
; ../common/wres_core.inc, which has the memory map and the tokens.
.include "../common/pipeline.inc"
.equ W_ADDR, B_ADDR
.reg rK, r1      ; K: A row stride
.reg rN, r2      ; N: B row stride (DRAM and WRAM), C row stride in DRAM
.reg rA, r3      ; DRAM: next A tile
.reg rC, r4      ; DRAM: next C tile
.reg rW, r5      ; DRAM: B
.reg rP, r6      ; DRAM: parameters
.reg wP, r7      ; WRAM: parameters of the current n-block
.reg sA, r8      ; NRAM: A slot of the current tile
.reg sC, r9      ; NRAM: C slot of the last tile's column blocks
.reg sW, r10     ; WRAM: first column of the current n-block
.reg t,  r11     ; temporary
.reg t2, r12     ; temporary
.include "../common/wres_core.inc"
.else
.include "../common/gemm_core.inc"
.endif
