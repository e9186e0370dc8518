; fc_relu -- fully connected layer with fused ReLU (TFLite int8 FULLY_CONNECTED):
;     out[b][o] = clamp(zp_out + MBQM(sum_i (in[b][i] - zp_in) * w[o][i] + bias[o], M[o], sh[o]),
;                       zp_out, 127)
; for a batch of M = BATCH input vectors of K = IN features and N = OUT output features.
;
; This is the GEMM out = in x w^T, so the program is the tiled, double-buffered GEMM core
; (../common/gemm_core.inc; tiling, memory map and token protocol are described in
; ../gemm/gemm.s) with the ReLU done by vrq's lower clamp (lo = zp_out). The compiler (gen.c)
; stores the filter transposed, [IN][OUT], the layout the matrix unit streams (row k of the
; weight operand holds the OUT weights of input feature k), and folds zp_in into the bias.
; When IN x OUT does not fit WRAM the reduction is split into k-steps of TK features that
; accumulate in ACC (mm accum=1) before the single requantization.
;
; A batch of one uses 1 of the array's R rows-in-flight per weight tile: the weight-stationary
; array then spends max(M, R + C + 3) cycles per R x C weight tile for M rows, so small batches
; are bound by weight-tile switching, not by MACs (docs/timing.md). The cases report it.

.include "params.inc"
.equ ACT_LO, ZP_OUT                      ; fused ReLU: clamp at the real value 0
.include "../common/gemm_core.inc"
