// SPDX-License-Identifier: Apache-2.0
// OpenDLP true dual-port RAM with synchronous read (read-first). Written in the form that Yosys
// and vendor tools infer as block RAM. Contents start at zero, like the C model's memories.
`default_nettype none

module dlp_ram_tdp #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 1024,
  parameter int unsigned AddrW = $clog2(Depth)
) (
  input  logic             clk_i,
  input  logic             a_en_i,
  input  logic             a_we_i,
  input  logic [AddrW-1:0] a_addr_i,
  input  logic [Width-1:0] a_wdata_i,
  output logic [Width-1:0] a_rdata_o,
  input  logic             b_en_i,
  input  logic             b_we_i,
  input  logic [AddrW-1:0] b_addr_i,
  input  logic [Width-1:0] b_wdata_i,
  output logic [Width-1:0] b_rdata_o
);

  logic [Width-1:0] mem_q [Depth];

  initial begin
    for (int i = 0; i < Depth; i++) mem_q[i] = '0;
  end

  always_ff @(posedge clk_i) begin
    if (a_en_i) begin
      if (a_we_i) mem_q[a_addr_i] <= a_wdata_i;
      a_rdata_o <= mem_q[a_addr_i];
    end
    if (b_en_i) begin
      if (b_we_i) mem_q[b_addr_i] <= b_wdata_i;
      b_rdata_o <= mem_q[b_addr_i];
    end
  end

endmodule

`default_nettype wire
