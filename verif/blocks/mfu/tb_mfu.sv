// SPDX-License-Identifier: Apache-2.0
// Block-test wrapper of dlp_mfu: the unit with real dlp_banked_mem instances for NRAM, WRAM and
// the accumulators, wired as in the core (docs/rtl.md, "Memory ports"). The C++ harness
// (tb_mfu.cc) fills and reads the memories through the DMA-side port A of NRAM and WRAM and
// through the ACC ports while the unit is idle, and watches the unit's memory requests.
`default_nettype none

module tb_mfu #(
  parameter int unsigned Rows      = 16,
  parameter int unsigned Cols      = 16,
  parameter int unsigned NramBytes = 8192,
  parameter int unsigned WramBytes = 8192,
  parameter int unsigned AccElems  = 4096,
  parameter int unsigned NramAw    = $clog2(NramBytes),
  parameter int unsigned WramAw    = $clog2(WramBytes),
  parameter int unsigned AccAw     = $clog2(AccElems),
  parameter int unsigned AccLenW   = $clog2(Cols + 1)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // unit handshake
  input  logic                     start_i,
  input  logic [dlp_pkg::UopW-1:0] uop_i,
  input  logic                     abort_i,
  output logic                     busy_o,
  output logic                     done_o,
  // test-bench access: NRAM/WRAM port A (16 bytes), ACC (Cols elements, when the unit is idle)
  input  logic                     tb_nram_en_i,
  input  logic                     tb_nram_we_i,
  input  logic [NramAw-1:0]        tb_nram_addr_i,
  input  logic [127:0]             tb_nram_wdata_i,
  output logic [127:0]             tb_nram_rdata_o,
  input  logic                     tb_wram_en_i,
  input  logic                     tb_wram_we_i,
  input  logic [WramAw-1:0]        tb_wram_addr_i,
  input  logic [127:0]             tb_wram_wdata_i,
  output logic [127:0]             tb_wram_rdata_o,
  input  logic                     tb_acc_we_i,
  input  logic [AccAw-1:0]         tb_acc_wr_addr_i,
  input  logic [Cols*32-1:0]       tb_acc_wdata_i,
  input  logic                     tb_acc_rd_i,
  input  logic [AccAw-1:0]         tb_acc_rd_addr_i,
  output logic [Cols*32-1:0]       tb_acc_rdata_o,
  // the unit's requests, for the harness's checks
  output logic                     mon_nram_en_o,
  output logic [NramAw-1:0]        mon_nram_addr_o,
  output logic                     mon_wram_en_o,
  output logic [WramAw-1:0]        mon_wram_addr_o,
  output logic                     mon_acc_rd_en_o,
  output logic [AccAw-1:0]         mon_acc_rd_addr_o,
  output logic                     mon_acc_we_o,
  output logic [AccAw-1:0]         mon_acc_wr_addr_o,
  output logic [AccLenW-1:0]       mon_acc_wr_len_o
);

  logic                nram_en, wram_en, acc_rd_en, acc_we;
  logic [NramAw-1:0]   nram_addr;
  logic [WramAw-1:0]   wram_addr;
  logic [AccAw-1:0]    acc_rd_addr, acc_wr_addr;
  logic [AccLenW-1:0]  acc_wr_len;
  logic [Rows*8-1:0]   nram_rdata;
  logic [Cols*8-1:0]   wram_rdata;
  logic [Cols*32-1:0]  acc_rd_data, acc_wr_data;

  dlp_mfu #(
    .Rows      (Rows),
    .Cols      (Cols),
    .NramBytes (NramBytes),
    .WramBytes (WramBytes),
    .AccElems  (AccElems)
  ) u_mfu (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .start_i       (start_i),
    .uop_i         (uop_i),
    .abort_i       (abort_i),
    .busy_o        (busy_o),
    .done_o        (done_o),
    .nram_en_o     (nram_en),
    .nram_addr_o   (nram_addr),
    .nram_rdata_i  (nram_rdata),
    .wram_en_o     (wram_en),
    .wram_addr_o   (wram_addr),
    .wram_rdata_i  (wram_rdata),
    .acc_rd_en_o   (acc_rd_en),
    .acc_rd_addr_o (acc_rd_addr),
    .acc_rd_data_i (acc_rd_data),
    .acc_we_o      (acc_we),
    .acc_wr_addr_o (acc_wr_addr),
    .acc_wr_len_o  (acc_wr_len),
    .acc_wr_data_o (acc_wr_data)
  );

  logic [7:0] unused_c_rdata1; // port C unused (Halves = 0)
  logic [7:0] unused_c_rdata2; // port C unused (Halves = 0)
  logic [31:0] unused_c_rdata3; // port C unused (Halves = 0)

  dlp_banked_mem #(
    .Width      (8),
    .Elems      (NramBytes),
    .PortAElems (16),
    .PortBElems (Rows)
  ) u_nram (
    .clk_i     (clk_i),
    .a_en_i    (tb_nram_en_i),
    .a_we_i    (tb_nram_we_i),
    .a_addr_i  (tb_nram_addr_i),
    .a_len_i   (5'd16),
    .a_wdata_i (tb_nram_wdata_i),
    .a_rdata_o (tb_nram_rdata_o),
    .b_en_i    (nram_en),
    .b_we_i    (1'b0),
    .b_addr_i  (nram_addr),
    .b_len_i   ('0),
    .b_wdata_i ('0),
    .b_rdata_o (nram_rdata),
    .c_en_i (1'b0), .c_we_i (1'b0), .c_addr_i ('0), .c_len_i ('0), .c_wdata_i ('0),
    .c_rdata_o (unused_c_rdata1), .b_own_i ('0), .c_own_i ('0)
  );

  dlp_banked_mem #(
    .Width      (8),
    .Elems      (WramBytes),
    .PortAElems (16),
    .PortBElems (Cols)
  ) u_wram (
    .clk_i     (clk_i),
    .a_en_i    (tb_wram_en_i),
    .a_we_i    (tb_wram_we_i),
    .a_addr_i  (tb_wram_addr_i),
    .a_len_i   (5'd16),
    .a_wdata_i (tb_wram_wdata_i),
    .a_rdata_o (tb_wram_rdata_o),
    .b_en_i    (wram_en),
    .b_we_i    (1'b0),
    .b_addr_i  (wram_addr),
    .b_len_i   ('0),
    .b_wdata_i ('0),
    .b_rdata_o (wram_rdata),
    .c_en_i (1'b0), .c_we_i (1'b0), .c_addr_i ('0), .c_len_i ('0), .c_wdata_i ('0),
    .c_rdata_o (unused_c_rdata2), .b_own_i ('0), .c_own_i ('0)
  );

  // ACC: port A writes (the unit, or the harness while the unit is idle), port B reads.
  logic [Cols*32-1:0] acc_a_rdata, acc_b_rdata;
  logic               unused_acc_a;
  assign unused_acc_a = ^acc_a_rdata; // port A only writes

  dlp_banked_mem #(
    .Width      (32),
    .Elems      (AccElems),
    .PortAElems (Cols),
    .PortBElems (Cols)
  ) u_acc (
    .clk_i     (clk_i),
    .a_en_i    (acc_we || tb_acc_we_i),
    .a_we_i    (1'b1),
    .a_addr_i  (acc_we ? acc_wr_addr : tb_acc_wr_addr_i),
    .a_len_i   (acc_we ? acc_wr_len : AccLenW'(Cols)),
    .a_wdata_i (acc_we ? acc_wr_data : tb_acc_wdata_i),
    .a_rdata_o (acc_a_rdata),
    .b_en_i    (acc_rd_en || tb_acc_rd_i),
    .b_we_i    (1'b0),
    .b_addr_i  (acc_rd_en ? acc_rd_addr : tb_acc_rd_addr_i),
    .b_len_i   ('0),
    .b_wdata_i ('0),
    .b_rdata_o (acc_b_rdata),
    .c_en_i (1'b0), .c_we_i (1'b0), .c_addr_i ('0), .c_len_i ('0), .c_wdata_i ('0),
    .c_rdata_o (unused_c_rdata3), .b_own_i ('0), .c_own_i ('0)
  );

  assign acc_rd_data    = acc_b_rdata;
  assign tb_acc_rdata_o = acc_b_rdata;

  assign mon_nram_en_o     = nram_en;
  assign mon_nram_addr_o   = nram_addr;
  assign mon_wram_en_o     = wram_en;
  assign mon_wram_addr_o   = wram_addr;
  assign mon_acc_rd_en_o   = acc_rd_en;
  assign mon_acc_rd_addr_o = acc_rd_addr;
  assign mon_acc_we_o      = acc_we;
  assign mon_acc_wr_addr_o = acc_wr_addr;
  assign mon_acc_wr_len_o  = acc_wr_len;

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!(busy_o && (tb_acc_we_i || tb_acc_rd_i || tb_nram_en_i || tb_wram_en_i)))
        else $error("tb_mfu: harness memory access while the unit is busy");
    end
  end

endmodule

`default_nettype wire
