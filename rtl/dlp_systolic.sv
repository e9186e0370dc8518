// SPDX-License-Identifier: Apache-2.0
// OpenDLP weight-stationary systolic array: Rows x Cols dlp_pe with the skew and de-skew
// buffers at its edges, so that the interface is aligned vectors.
//
// Inputs and results (all registered inside; the interface is one vector per cycle):
//   x_i (Rows int8, byte r = reduction index r) and sel_i (weight bank) presented in cycle t
//   give psum_o (Cols int32, element c = sum_r x[r] * w[r][c] of bank sel) in cycle t + Rows + Cols.
//   Row r of the input is delayed r + 1 cycles into PE (r, 0); it meets PE (r, c) in cycle
//   t + 1 + r + c, whose partial sum goes down the column; column c's sum leaves the bottom in
//   t + Rows + 1 + c and is delayed Cols - 1 - c cycles so that all columns come out together.
//
// Weight load (double buffering): present the Rows weight rows of a tile (Cols int8 each) in
// cycles tau .. tau + Rows - 1 (row k in tau + k), with w_first_i high in tau and w_bank_i the
// bank to write. Byte c of row k goes down column c (delayed c cycles at the top, one row per
// cycle) and the load token goes down the left edge (two rows per cycle) and then right, so PE
// (k, c) stores its byte in cycle tau + 2k + c. Hence:
//   inputs presented up to tau - 1 still see the old contents of that bank, and
//   inputs presented from tau + Rows - 1 on see the new tile.
// The other bank is untouched, so the array keeps streaming during a load (dlp_mfu loads tile
// f+1 while tile f streams).
`default_nettype none

module dlp_systolic #(
  parameter int unsigned Rows   = 16,
  parameter int unsigned Cols   = 16,
  // PEs, in row-major order from (0, 0), whose multiplier is written in dlp_pe (for DSP blocks);
  // the others use dlp_pe_mul (dlp_pe's DspMul). Only FPGA mapping differs.
  parameter int unsigned DspPes = Rows * Cols
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // input vectors
  input  logic [Rows*8-1:0]  x_i,
  input  logic               sel_i,
  // weight rows
  input  logic [Cols*8-1:0]  w_i,
  input  logic               w_first_i,
  input  logic               w_bank_i,
  // results
  output logic [Cols*32-1:0] psum_o
);

  // Mesh wires. x/sel/wl/wb go right (column index Cols is the unused output of the last
  // column); psum/wd go down (row index Rows is the bottom).
  logic [7:0]  x_h   [Rows][Cols+1];
  logic        sel_h [Rows][Cols+1];
  logic        wl_h  [Rows][Cols+1];
  logic        wb_h  [Rows][Cols+1];
  logic [31:0] ps_v  [Rows+1][Cols];
  logic [7:0]  wd_v  [Rows+1][Cols];

  // ---- left edge: input skew (row r delayed r + 1 cycles) --------------------------------------
  for (genvar r = 0; r < Rows; r++) begin : g_xskew
    logic [8:0] sk_q [r+1]; // {sel, x}
    always_ff @(posedge clk_i) begin
      sk_q[0] <= {sel_i, x_i[r*8 +: 8]};
      for (int i = 1; i <= r; i++) sk_q[i] <= sk_q[i-1];
    end
    assign x_h[r][0]   = sk_q[r][7:0];
    assign sel_h[r][0] = sk_q[r][8];
  end

  // ---- left edge: load token chain (row k gets the token 2k cycles after w_first_i) ------------
  assign wl_h[0][0] = w_first_i;
  assign wb_h[0][0] = w_bank_i;
  if (Rows > 1) begin : g_tok
    localparam int unsigned TokLen = 2 * (Rows - 1);
    logic [TokLen-1:0] tv_q; // token valid
    logic [TokLen-1:0] tb_q; // its bank
    always_ff @(posedge clk_i) begin
      if (!rst_ni) tv_q <= '0;
      else         tv_q <= {tv_q[TokLen-2:0], w_first_i};
    end
    always_ff @(posedge clk_i) tb_q <= {tb_q[TokLen-2:0], w_bank_i};
    for (genvar k = 1; k < Rows; k++) begin : g_tap
      assign wl_h[k][0] = tv_q[2*k-1];
      assign wb_h[k][0] = tb_q[2*k-1];
    end
  end

  // ---- top edge: weight skew (column c delayed c cycles), zero partial sums ---------------------
  for (genvar c = 0; c < Cols; c++) begin : g_wskew
    assign ps_v[0][c] = '0;
    if (c == 0) begin : g_direct
      assign wd_v[0][c] = w_i[7:0];
    end else begin : g_delay
      logic [7:0] sk_q [c];
      always_ff @(posedge clk_i) begin
        sk_q[0] <= w_i[c*8 +: 8];
        for (int i = 1; i < c; i++) sk_q[i] <= sk_q[i-1];
      end
      assign wd_v[0][c] = sk_q[c-1];
    end
  end

  // ---- the array ----------------------------------------------------------------------------------
  for (genvar r = 0; r < Rows; r++) begin : g_row
    for (genvar c = 0; c < Cols; c++) begin : g_col
      dlp_pe #(
        .DspMul (r * Cols + c < DspPes)
      ) u_pe (
        .clk_i  (clk_i),
        .rst_ni (rst_ni),
        .x_i    (x_h[r][c]),
        .sel_i  (sel_h[r][c]),
        .x_o    (x_h[r][c+1]),
        .sel_o  (sel_h[r][c+1]),
        .psum_i (ps_v[r][c]),
        .psum_o (ps_v[r+1][c]),
        .wd_i   (wd_v[r][c]),
        .wd_o   (wd_v[r+1][c]),
        .wl_i   (wl_h[r][c]),
        .wb_i   (wb_h[r][c]),
        .wl_o   (wl_h[r][c+1]),
        .wb_o   (wb_h[r][c+1])
      );
    end
  end

  // The right column's x/sel/token and the bottom row's weight bytes leave the array unused
  // (synthesis removes their flops).
  logic [Rows-1:0] unused_right;
  logic [Cols-1:0] unused_bottom;
  for (genvar r = 0; r < Rows; r++) begin : g_unused_right
    assign unused_right[r] = ^{x_h[r][Cols], sel_h[r][Cols], wl_h[r][Cols], wb_h[r][Cols]};
  end
  for (genvar c = 0; c < Cols; c++) begin : g_unused_bottom
    assign unused_bottom[c] = ^wd_v[Rows][c];
  end

  // ---- bottom edge: de-skew (column c delayed Cols - 1 - c cycles) --------------------------------
  for (genvar c = 0; c < Cols; c++) begin : g_deskew
    localparam int Dly = Cols - 1 - c;
    if (Dly == 0) begin : g_direct
      assign psum_o[c*32 +: 32] = ps_v[Rows][c];
    end else begin : g_delay
      logic [31:0] sk_q [Dly];
      always_ff @(posedge clk_i) begin
        sk_q[0] <= ps_v[Rows][c];
        for (int i = 1; i < Dly; i++) sk_q[i] <= sk_q[i-1];
      end
      assign psum_o[c*32 +: 32] = sk_q[Dly-1];
    end
  end

endmodule

`default_nettype wire
