// SPDX-License-Identifier: Apache-2.0
// Block-test top of dlp_dma: the DMA engine with real dlp_banked_mem instances for NRAM, WRAM
// and IMEM on its port A. Port B of each memory is a back door for the C++ harness (loading and
// reading back contents while the DMA is idle), 64 bytes per cycle. The AXI master goes to the
// harness's C++ DRAM model (verif/common/axi_dram.h).
`default_nettype none

module tb_dma_top #(
  parameter int unsigned BeatBytes      = 16,
  parameter int unsigned BurstBeats     = 4,
  parameter int unsigned MaxOutstanding = 4,
  parameter int unsigned NramBytes      = 4096,
  parameter int unsigned WramBytes      = 8192,
  parameter int unsigned ImemBytes      = 2048,
  localparam int unsigned LW            = $clog2(BeatBytes),
  localparam int unsigned BdBytes       = 64,
  localparam int unsigned NramAW        = $clog2(NramBytes),
  localparam int unsigned WramAW        = $clog2(WramBytes),
  localparam int unsigned ImemAW        = $clog2(ImemBytes)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic                     start_i,
  input  logic [dlp_pkg::UopW-1:0] uop_i,
  output logic                     done_o,
  output logic                     busy_o,
  input  logic                     abort_i,
  output logic                     idle_o,
  input  logic                     fetch_start_i,
  input  logic [31:0]              fetch_addr_i,
  input  logic [31:0]              fetch_bytes_i,
  output logic                     fetch_done_o,
  output logic                     m_axi_arvalid_o,
  output logic [31:0]              m_axi_araddr_o,
  output logic [7:0]               m_axi_arlen_o,
  output logic [2:0]               m_axi_arsize_o,
  output logic [1:0]               m_axi_arburst_o,
  input  logic                     m_axi_arready_i,
  input  logic                     m_axi_rvalid_i,
  input  logic [BeatBytes*8-1:0]   m_axi_rdata_i,
  input  logic [1:0]               m_axi_rresp_i,
  input  logic                     m_axi_rlast_i,
  output logic                     m_axi_rready_o,
  output logic                     m_axi_awvalid_o,
  output logic [31:0]              m_axi_awaddr_o,
  output logic [7:0]               m_axi_awlen_o,
  output logic [2:0]               m_axi_awsize_o,
  output logic [1:0]               m_axi_awburst_o,
  input  logic                     m_axi_awready_i,
  output logic                     m_axi_wvalid_o,
  output logic [BeatBytes*8-1:0]   m_axi_wdata_o,
  output logic [BeatBytes-1:0]     m_axi_wstrb_o,
  output logic                     m_axi_wlast_o,
  input  logic                     m_axi_wready_i,
  input  logic                     m_axi_bvalid_i,
  input  logic [1:0]               m_axi_bresp_i,
  output logic                     m_axi_bready_o,
  output logic                     bus_error_o,
  // scratchpad activity of the DMA (any port-A request) and of its writes, for the harness
  output logic                     mem_req_o,
  output logic                     mem_write_o,
  // back door: 0 NRAM, 1 WRAM, 2 IMEM
  input  logic [1:0]               bd_sel_i,
  input  logic                     bd_en_i,
  input  logic                     bd_we_i,
  input  logic [31:0]              bd_addr_i,
  input  logic [6:0]               bd_len_i,
  input  logic [BdBytes*8-1:0]     bd_wdata_i,
  output logic [BdBytes*8-1:0]     bd_rdata_o
);

  logic                   nram_en, nram_we, wram_en, wram_we, imem_en, imem_we;
  logic [NramAW-1:0]      nram_addr;
  logic [WramAW-1:0]      wram_addr;
  logic [ImemAW-1:0]      imem_addr;
  logic [LW:0]            nram_len, wram_len, imem_len;
  logic [BeatBytes*8-1:0] nram_wdata, nram_rdata, wram_wdata, wram_rdata, imem_wdata;

  dlp_dma #(
    .BeatBytes      (BeatBytes),
    .BurstBeats     (BurstBeats),
    .MaxOutstanding (MaxOutstanding),
    .NramBytes      (NramBytes),
    .WramBytes      (WramBytes),
    .ImemBytes      (ImemBytes)
  ) u_dma (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .start_i       (start_i),
    .uop_i         (uop_i),
    .done_o        (done_o),
    .busy_o        (busy_o),
    .abort_i       (abort_i),
    .idle_o        (idle_o),
    .fetch_start_i (fetch_start_i),
    .fetch_addr_i  (fetch_addr_i),
    .fetch_bytes_i (fetch_bytes_i),
    .fetch_done_o  (fetch_done_o),
    .imem_en_o     (imem_en),
    .imem_we_o     (imem_we),
    .imem_addr_o   (imem_addr),
    .imem_len_o    (imem_len),
    .imem_wdata_o  (imem_wdata),
    .nram_en_o     (nram_en),
    .nram_we_o     (nram_we),
    .nram_addr_o   (nram_addr),
    .nram_len_o    (nram_len),
    .nram_wdata_o  (nram_wdata),
    .nram_rdata_i  (nram_rdata),
    .wram_en_o     (wram_en),
    .wram_we_o     (wram_we),
    .wram_addr_o   (wram_addr),
    .wram_len_o    (wram_len),
    .wram_wdata_o  (wram_wdata),
    .wram_rdata_i  (wram_rdata),
    .m_axi_arvalid_o (m_axi_arvalid_o),
    .m_axi_araddr_o  (m_axi_araddr_o),
    .m_axi_arlen_o   (m_axi_arlen_o),
    .m_axi_arsize_o  (m_axi_arsize_o),
    .m_axi_arburst_o (m_axi_arburst_o),
    .m_axi_arready_i (m_axi_arready_i),
    .m_axi_rvalid_i  (m_axi_rvalid_i),
    .m_axi_rdata_i   (m_axi_rdata_i),
    .m_axi_rresp_i   (m_axi_rresp_i),
    .m_axi_rlast_i   (m_axi_rlast_i),
    .m_axi_rready_o  (m_axi_rready_o),
    .m_axi_awvalid_o (m_axi_awvalid_o),
    .m_axi_awaddr_o  (m_axi_awaddr_o),
    .m_axi_awlen_o   (m_axi_awlen_o),
    .m_axi_awsize_o  (m_axi_awsize_o),
    .m_axi_awburst_o (m_axi_awburst_o),
    .m_axi_awready_i (m_axi_awready_i),
    .m_axi_wvalid_o  (m_axi_wvalid_o),
    .m_axi_wdata_o   (m_axi_wdata_o),
    .m_axi_wstrb_o   (m_axi_wstrb_o),
    .m_axi_wlast_o   (m_axi_wlast_o),
    .m_axi_wready_i  (m_axi_wready_i),
    .m_axi_bvalid_i  (m_axi_bvalid_i),
    .m_axi_bresp_i   (m_axi_bresp_i),
    .m_axi_bready_o  (m_axi_bready_o),
    .bus_error_o   (bus_error_o)
  );

  assign mem_req_o   = nram_en || wram_en || imem_en;
  assign mem_write_o = (nram_en && nram_we) || (wram_en && wram_we) || (imem_en && imem_we);

  logic [BdBytes*8-1:0] bd_nram_rdata, bd_wram_rdata, bd_imem_rdata;
  logic [1:0]           bd_sel_q;

  always_ff @(posedge clk_i) begin
    if (bd_en_i) bd_sel_q <= bd_sel_i;
  end

  always_comb begin
    case (bd_sel_q)
      2'd0:    bd_rdata_o = bd_nram_rdata;
      2'd1:    bd_rdata_o = bd_wram_rdata;
      default: bd_rdata_o = bd_imem_rdata;
    endcase
  end

  logic [7:0] unused_c_rdata1; // port C unused (Halves = 0)
  logic [7:0] unused_c_rdata2; // port C unused (Halves = 0)
  logic [7:0] unused_c_rdata3; // port C unused (Halves = 0)

  dlp_banked_mem #(
    .Width      (8),
    .Elems      (NramBytes),
    .PortAElems (BeatBytes),
    .PortBElems (BdBytes)
  ) u_nram (
    .clk_i     (clk_i),
    .a_en_i    (nram_en),
    .a_we_i    (nram_we),
    .a_addr_i  (nram_addr),
    .a_len_i   (nram_len),
    .a_wdata_i (nram_wdata),
    .a_rdata_o (nram_rdata),
    .b_en_i    (bd_en_i && bd_sel_i == 2'd0),
    .b_we_i    (bd_we_i),
    .b_addr_i  (bd_addr_i[NramAW-1:0]),
    .b_len_i   (bd_len_i),
    .b_wdata_i (bd_wdata_i),
    .b_rdata_o (bd_nram_rdata),
    .c_en_i (1'b0), .c_we_i (1'b0), .c_addr_i ('0), .c_len_i ('0), .c_wdata_i ('0),
    .c_rdata_o (unused_c_rdata1), .b_own_i ('0), .c_own_i ('0)
  );

  dlp_banked_mem #(
    .Width      (8),
    .Elems      (WramBytes),
    .PortAElems (BeatBytes),
    .PortBElems (BdBytes)
  ) u_wram (
    .clk_i     (clk_i),
    .a_en_i    (wram_en),
    .a_we_i    (wram_we),
    .a_addr_i  (wram_addr),
    .a_len_i   (wram_len),
    .a_wdata_i (wram_wdata),
    .a_rdata_o (wram_rdata),
    .b_en_i    (bd_en_i && bd_sel_i == 2'd1),
    .b_we_i    (bd_we_i),
    .b_addr_i  (bd_addr_i[WramAW-1:0]),
    .b_len_i   (bd_len_i),
    .b_wdata_i (bd_wdata_i),
    .b_rdata_o (bd_wram_rdata),
    .c_en_i (1'b0), .c_we_i (1'b0), .c_addr_i ('0), .c_len_i ('0), .c_wdata_i ('0),
    .c_rdata_o (unused_c_rdata2), .b_own_i ('0), .c_own_i ('0)
  );

  logic [BeatBytes*8-1:0] imem_rdata;

  dlp_banked_mem #(
    .Width      (8),
    .Elems      (ImemBytes),
    .PortAElems (BeatBytes),
    .PortBElems (BdBytes)
  ) u_imem (
    .clk_i     (clk_i),
    .a_en_i    (imem_en),
    .a_we_i    (imem_we),
    .a_addr_i  (imem_addr),
    .a_len_i   (imem_len),
    .a_wdata_i (imem_wdata),
    .a_rdata_o (imem_rdata),
    .b_en_i    (bd_en_i && bd_sel_i == 2'd2),
    .b_we_i    (bd_we_i),
    .b_addr_i  (bd_addr_i[ImemAW-1:0]),
    .b_len_i   (bd_len_i),
    .b_wdata_i (bd_wdata_i),
    .b_rdata_o (bd_imem_rdata),
    .c_en_i (1'b0), .c_we_i (1'b0), .c_addr_i ('0), .c_len_i ('0), .c_wdata_i ('0),
    .c_rdata_o (unused_c_rdata3), .b_own_i ('0), .c_own_i ('0)
  );

  logic unused_tb;
  assign unused_tb = ^{imem_rdata, bd_addr_i};

endmodule

`default_nettype wire
