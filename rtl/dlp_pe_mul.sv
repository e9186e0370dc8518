// SPDX-License-Identifier: Apache-2.0
// OpenDLP PE multiplier in a source file of its own: the signed int8 x int8 product of a dlp_pe
// whose DspMul parameter is 0. Written here only so that FPGA flows can tell these multipliers
// from the ones in dlp_pe.sv (which they map to DSP blocks) and build them from LUTs.
`default_nettype none

module dlp_pe_mul (
  input  logic signed [7:0]  a_i,
  input  logic signed [7:0]  b_i,
  output logic signed [15:0] p_o
);

  assign p_o = a_i * b_i;

endmodule

`default_nettype wire
