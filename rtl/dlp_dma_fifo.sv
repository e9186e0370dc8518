// SPDX-License-Identifier: Apache-2.0
// OpenDLP DMA: small synchronous FIFO (flops), first-word fall-through.
// Used for the AW requests of DMA stores and as the W-beat skid buffer.
`default_nettype none

module dlp_dma_fifo #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 2,
  localparam int unsigned PtrW = Depth > 1 ? $clog2(Depth) : 1,
  localparam int unsigned CntW = $clog2(Depth + 1)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             push_i,
  input  logic [Width-1:0] wdata_i,
  input  logic             pop_i,   // only when not empty
  output logic [Width-1:0] rdata_o, // head, valid when not empty
  output logic             empty_o,
  output logic [CntW-1:0]  cnt_o
);

  logic [Width-1:0] mem_q [Depth];
  logic [PtrW-1:0]  rd_q, wr_q;
  logic [CntW-1:0]  cnt_q;

  function automatic logic [PtrW-1:0] inc(input logic [PtrW-1:0] p);
    inc = (p == PtrW'(Depth - 1)) ? '0 : p + 1'b1;
  endfunction

  assign rdata_o = mem_q[rd_q];
  assign empty_o = cnt_q == '0;
  assign cnt_o   = cnt_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      rd_q  <= '0;
      wr_q  <= '0;
      cnt_q <= '0;
    end else begin
      if (push_i) wr_q <= inc(wr_q);
      if (pop_i) rd_q <= inc(rd_q);
      cnt_q <= cnt_q + CntW'(push_i) - CntW'(pop_i);
    end
  end

  always_ff @(posedge clk_i) begin
    if (push_i) mem_q[wr_q] <= wdata_i;
  end

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!(push_i && !pop_i && cnt_q == CntW'(Depth))) else $error("dlp_dma_fifo: overflow");
      assert (!(pop_i && cnt_q == '0)) else $error("dlp_dma_fifo: underflow");
    end
  end
`endif

endmodule

`default_nettype wire
