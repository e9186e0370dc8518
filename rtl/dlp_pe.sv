// SPDX-License-Identifier: Apache-2.0
// OpenDLP processing element of the weight-stationary systolic array (dlp_systolic).
//
// One int8 x int8 multiply-accumulate per cycle into an int32 partial sum (modulo 2^32):
//   psum_o <= psum_i + x_i * w[sel_i]      (registered; the sum flows down the column)
// The input x_i and its weight-bank select sel_i flow to the right neighbour one cycle later.
//
// Two weight registers (banks 0 and 1) make the double buffering: while the inputs of one tile
// use one bank, the next tile is written into the other. Weight bytes wd_i flow DOWN the column
// (one row per cycle) and a load token wl_i (with its bank wb_i) flows RIGHT along the row; a PE
// stores wd_i into bank wb_i in the cycle its token arrives. dlp_systolic times both so that each
// PE catches the byte of its own row.
//
// Only the load token is reset (a stray token after power-up would write a bank); the datapath
// is not, as every bank is written before it is used.
//
// DspMul only chooses where the product is written: here (DspMul = 1) or in dlp_pe_mul, a source
// file of its own, so that an FPGA flow can map some PEs' multipliers to DSP blocks and the
// others to LUT logic by source file (fpga/boards/*.cfg: DSP_PES, DSP_SELECT). Same function.
`default_nettype none

module dlp_pe #(
  parameter bit DspMul = 1'b1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // input from the left, to the right
  input  logic [7:0]  x_i,
  input  logic        sel_i,
  output logic [7:0]  x_o,
  output logic        sel_o,
  // partial sum from above, to below
  input  logic [31:0] psum_i,
  output logic [31:0] psum_o,
  // weight byte from above, to below
  input  logic [7:0]  wd_i,
  output logic [7:0]  wd_o,
  // weight load token from the left, to the right
  input  logic        wl_i,
  input  logic        wb_i,
  output logic        wl_o,
  output logic        wb_o
);

  logic [7:0]         w0_q, w1_q;
  logic [7:0]         x_q, wd_q;
  logic               sel_q, wl_q, wb_q;
  logic [31:0]        psum_q;
  logic signed [7:0]  w_act;
  logic signed [15:0] prod;

  assign w_act = sel_i ? w1_q : w0_q;
  if (DspMul) begin : g_mul
    assign prod = $signed(x_i) * w_act;
  end else begin : g_mul_lut
    dlp_pe_mul u_mul (
      .a_i (x_i),
      .b_i (w_act),
      .p_o (prod)
    );
  end

  always_ff @(posedge clk_i) begin
    x_q    <= x_i;
    sel_q  <= sel_i;
    wd_q   <= wd_i;
    wb_q   <= wb_i;
    psum_q <= psum_i + {{16{prod[15]}}, prod};
    if (wl_i && !wb_i) w0_q <= wd_i;
    if (wl_i && wb_i)  w1_q <= wd_i;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) wl_q <= 1'b0;
    else         wl_q <= wl_i;
  end

  assign x_o    = x_q;
  assign sel_o  = sel_q;
  assign psum_o = psum_q;
  assign wd_o   = wd_q;
  assign wl_o   = wl_q;
  assign wb_o   = wb_q;

endmodule

`default_nettype wire
