// SPDX-License-Identifier: Apache-2.0
// OpenDLP on an FPGA board, without the board: the core (dlp_top), its DRAM in block RAM
// (dlp_fpga_dram), the UART host bridge (dlp_uart_bridge) and status LEDs. Board top levels
// (fpga/boards/<board>/) add the clock (PLL), the reset and the pins; the host-link simulation
// (verif/fpga/) runs a board top with this inside.
//
// LEDs (active high): [0] heartbeat (a slow blink), [1] a run in progress, [2] the interrupt
// line, [3] bytes arriving from the host, [4] bytes going to the host, [5] a rejected frame or
// a line error (held 0.5 s), [6] off, [7] out of reset. [3] and [4] are held 50 ms per byte.
//
// The core's trace port is left unconnected (synthesis removes it) except the two run markers
// that drive LED 1.
`default_nettype none

module dlp_fpga_soc #(
  // the core (docs/rtl.md): a board file's configuration sets them (sw/isa/dlp.configs)
  parameter int unsigned Rows       = dlp_cfg_pkg::RowsDefault,
  parameter int unsigned Cols       = dlp_cfg_pkg::ColsDefault,
  parameter int unsigned DspPes     = Rows * Cols, // PEs with DSP-block multipliers (dlp_top)
  parameter int unsigned VLanes     = dlp_cfg_pkg::VLanesDefault,
  parameter int unsigned BeatBytes  = dlp_cfg_pkg::BeatBytesDefault,
  parameter int unsigned BurstBeats = dlp_cfg_pkg::BurstBeatsDefault,
  parameter int unsigned NramBytes  = dlp_cfg_pkg::NramBytesDefault,
  parameter int unsigned WramBytes  = dlp_cfg_pkg::WramBytesDefault,
  parameter int unsigned AccBytes   = dlp_cfg_pkg::AccBytesDefault,
  parameter int unsigned ImemInsns  = dlp_cfg_pkg::ImemInsnsDefault,
  // the board
  parameter int unsigned DramBytes = 131072,
  parameter int unsigned DramBase  = 0,
  parameter int unsigned ClkHz     = 50_000_000,
  parameter int unsigned Baud      = 1_000_000
) (
  input  logic       clk_i,
  input  logic       rst_ni,      // synchronous to clk_i
  input  logic       uart_rx_i,
  output logic       uart_tx_o,
  output logic [7:0] led_o
);

  localparam int unsigned NramPortB = Rows > VLanes ? Rows : VLanes;

  // ---- core <-> bridge (AXI4-Lite), core <-> DRAM (AXI4) -----------------------------------------
  logic [11:0]            csr_awaddr, csr_araddr;
  logic                   csr_awvalid, csr_awready, csr_wvalid, csr_wready, csr_bvalid, csr_bready;
  logic                   csr_arvalid, csr_arready, csr_rvalid, csr_rready;
  logic [31:0]            csr_wdata, csr_rdata;
  logic [3:0]             csr_wstrb;
  logic [1:0]             csr_bresp, csr_rresp;
  logic [31:0]            ax_araddr, ax_awaddr;
  logic [7:0]             ax_arlen, ax_awlen;
  logic [2:0]             ax_arsize, ax_awsize;
  logic [1:0]             ax_arburst, ax_awburst, ax_rresp, ax_bresp;
  logic                   ax_arvalid, ax_arready, ax_rlast, ax_rvalid, ax_rready;
  logic                   ax_awvalid, ax_awready, ax_wlast, ax_wvalid, ax_wready;
  logic                   ax_bvalid, ax_bready;
  logic [BeatBytes*8-1:0] ax_rdata, ax_wdata;
  logic [BeatBytes-1:0]   ax_wstrb;
  logic                   irq, run_start, run_end;

  // trace port: unused on a board
  logic                   unused_fe_retire, unused_reg_we, unused_dma_retire, unused_cp_retire;
  logic                   unused_vf_retire, unused_nram_b_vf;
  logic [15:0]            unused_fe_pc, unused_dma_pc, unused_cp_pc, unused_vf_pc;
  logic [3:0]             unused_reg_idx;
  logic [31:0]            unused_reg_data;
  logic                   unused_nram_a_we, unused_wram_a_we, unused_nram_b_we, unused_acc_we;
  logic [31:0]            unused_nram_a_addr, unused_wram_a_addr, unused_nram_b_addr;
  logic [31:0]            unused_acc_addr;
  logic [7:0]             unused_nram_a_len, unused_wram_a_len, unused_nram_b_len, unused_acc_len;
  logic [BeatBytes*8-1:0] unused_nram_a_data, unused_wram_a_data;
  logic [NramPortB*8-1:0] unused_nram_b_data;
  logic [Cols*32-1:0]     unused_acc_data;
  // the DRAM answers full-width INCR bursts only (the core issues nothing else)
  logic [2:0]             unused_arsize, unused_awsize;
  logic [1:0]             unused_arburst, unused_awburst;
  assign unused_arsize  = ax_arsize;
  assign unused_awsize  = ax_awsize;
  assign unused_arburst = ax_arburst;
  assign unused_awburst = ax_awburst;

  dlp_top #(
    .Rows       (Rows),
    .Cols       (Cols),
    .DspPes     (DspPes),
    .VLanes     (VLanes),
    .BeatBytes  (BeatBytes),
    .BurstBeats (BurstBeats),
    .NramBytes  (NramBytes),
    .WramBytes  (WramBytes),
    .AccBytes   (AccBytes),
    .ImemInsns  (ImemInsns)
  ) u_core (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .s_axil_awaddr_i  (csr_awaddr),
    .s_axil_awvalid_i (csr_awvalid),
    .s_axil_awready_o (csr_awready),
    .s_axil_wdata_i   (csr_wdata),
    .s_axil_wstrb_i   (csr_wstrb),
    .s_axil_wvalid_i  (csr_wvalid),
    .s_axil_wready_o  (csr_wready),
    .s_axil_bresp_o   (csr_bresp),
    .s_axil_bvalid_o  (csr_bvalid),
    .s_axil_bready_i  (csr_bready),
    .s_axil_araddr_i  (csr_araddr),
    .s_axil_arvalid_i (csr_arvalid),
    .s_axil_arready_o (csr_arready),
    .s_axil_rdata_o   (csr_rdata),
    .s_axil_rresp_o   (csr_rresp),
    .s_axil_rvalid_o  (csr_rvalid),
    .s_axil_rready_i  (csr_rready),
    .m_axi_araddr_o   (ax_araddr),
    .m_axi_arlen_o    (ax_arlen),
    .m_axi_arsize_o   (ax_arsize),
    .m_axi_arburst_o  (ax_arburst),
    .m_axi_arvalid_o  (ax_arvalid),
    .m_axi_arready_i  (ax_arready),
    .m_axi_rdata_i    (ax_rdata),
    .m_axi_rresp_i    (ax_rresp),
    .m_axi_rlast_i    (ax_rlast),
    .m_axi_rvalid_i   (ax_rvalid),
    .m_axi_rready_o   (ax_rready),
    .m_axi_awaddr_o   (ax_awaddr),
    .m_axi_awlen_o    (ax_awlen),
    .m_axi_awsize_o   (ax_awsize),
    .m_axi_awburst_o  (ax_awburst),
    .m_axi_awvalid_o  (ax_awvalid),
    .m_axi_awready_i  (ax_awready),
    .m_axi_wdata_o    (ax_wdata),
    .m_axi_wstrb_o    (ax_wstrb),
    .m_axi_wlast_o    (ax_wlast),
    .m_axi_wvalid_o   (ax_wvalid),
    .m_axi_wready_i   (ax_wready),
    .m_axi_bresp_i    (ax_bresp),
    .m_axi_bvalid_i   (ax_bvalid),
    .m_axi_bready_o   (ax_bready),
    .irq_o            (irq),
    .tr_cycle0_o      (run_start),
    .tr_run_end_o     (run_end),
    .tr_fe_retire_o   (unused_fe_retire),
    .tr_fe_pc_o       (unused_fe_pc),
    .tr_reg_we_o      (unused_reg_we),
    .tr_reg_idx_o     (unused_reg_idx),
    .tr_reg_data_o    (unused_reg_data),
    .tr_dma_retire_o  (unused_dma_retire),
    .tr_dma_pc_o      (unused_dma_pc),
    .tr_cp_retire_o   (unused_cp_retire),
    .tr_cp_pc_o       (unused_cp_pc),
    .tr_vf_retire_o   (unused_vf_retire),
    .tr_vf_pc_o       (unused_vf_pc),
    .tr_nram_a_we_o   (unused_nram_a_we),
    .tr_nram_a_addr_o (unused_nram_a_addr),
    .tr_nram_a_len_o  (unused_nram_a_len),
    .tr_nram_a_data_o (unused_nram_a_data),
    .tr_wram_a_we_o   (unused_wram_a_we),
    .tr_wram_a_addr_o (unused_wram_a_addr),
    .tr_wram_a_len_o  (unused_wram_a_len),
    .tr_wram_a_data_o (unused_wram_a_data),
    .tr_nram_b_we_o   (unused_nram_b_we),
    .tr_nram_b_addr_o (unused_nram_b_addr),
    .tr_nram_b_len_o  (unused_nram_b_len),
    .tr_nram_b_data_o (unused_nram_b_data),
    .tr_nram_b_vf_o   (unused_nram_b_vf),
    .tr_acc_we_o      (unused_acc_we),
    .tr_acc_addr_o    (unused_acc_addr),
    .tr_acc_len_o     (unused_acc_len),
    .tr_acc_data_o    (unused_acc_data)
  );

  // ---- DRAM -----------------------------------------------------------------------------------------
  logic        mem_req, mem_we, mem_ack;
  logic [31:0] mem_addr;
  logic [7:0]  mem_wdata, mem_rdata;

  dlp_fpga_dram #(
    .BeatBytes (BeatBytes),
    .DramBytes (DramBytes),
    .DramBase  (DramBase)
  ) u_dram (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .s_axi_araddr_i  (ax_araddr),
    .s_axi_arlen_i   (ax_arlen),
    .s_axi_arvalid_i (ax_arvalid),
    .s_axi_arready_o (ax_arready),
    .s_axi_rdata_o   (ax_rdata),
    .s_axi_rresp_o   (ax_rresp),
    .s_axi_rlast_o   (ax_rlast),
    .s_axi_rvalid_o  (ax_rvalid),
    .s_axi_rready_i  (ax_rready),
    .s_axi_awaddr_i  (ax_awaddr),
    .s_axi_awlen_i   (ax_awlen),
    .s_axi_awvalid_i (ax_awvalid),
    .s_axi_awready_o (ax_awready),
    .s_axi_wdata_i   (ax_wdata),
    .s_axi_wstrb_i   (ax_wstrb),
    .s_axi_wlast_i   (ax_wlast),
    .s_axi_wvalid_i  (ax_wvalid),
    .s_axi_wready_o  (ax_wready),
    .s_axi_bresp_o   (ax_bresp),
    .s_axi_bvalid_o  (ax_bvalid),
    .s_axi_bready_i  (ax_bready),
    .h_req_i         (mem_req),
    .h_we_i          (mem_we),
    .h_addr_i        (mem_addr),
    .h_wdata_i       (mem_wdata),
    .h_ack_o         (mem_ack),
    .h_rdata_o       (mem_rdata)
  );

  // ---- host bridge ------------------------------------------------------------------------------------
  logic rx_byte, tx_byte, frame_err;

  dlp_uart_bridge #(
    .ClkHz     (ClkHz),
    .Baud      (Baud),
    .DramBytes (DramBytes),
    .DramBase  (DramBase)
  ) u_bridge (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .uart_rx_i        (uart_rx_i),
    .uart_tx_o        (uart_tx_o),
    .m_axil_awaddr_o  (csr_awaddr),
    .m_axil_awvalid_o (csr_awvalid),
    .m_axil_awready_i (csr_awready),
    .m_axil_wdata_o   (csr_wdata),
    .m_axil_wstrb_o   (csr_wstrb),
    .m_axil_wvalid_o  (csr_wvalid),
    .m_axil_wready_i  (csr_wready),
    .m_axil_bresp_i   (csr_bresp),
    .m_axil_bvalid_i  (csr_bvalid),
    .m_axil_bready_o  (csr_bready),
    .m_axil_araddr_o  (csr_araddr),
    .m_axil_arvalid_o (csr_arvalid),
    .m_axil_arready_i (csr_arready),
    .m_axil_rdata_i   (csr_rdata),
    .m_axil_rresp_i   (csr_rresp),
    .m_axil_rvalid_i  (csr_rvalid),
    .m_axil_rready_o  (csr_rready),
    .mem_req_o        (mem_req),
    .mem_we_o         (mem_we),
    .mem_addr_o       (mem_addr),
    .mem_wdata_o      (mem_wdata),
    .mem_ack_i        (mem_ack),
    .mem_rdata_i      (mem_rdata),
    .irq_i            (irq),
    .rx_byte_o        (rx_byte),
    .tx_byte_o        (tx_byte),
    .frame_err_o      (frame_err)
  );

  // ---- LEDs ----------------------------------------------------------------------------------------------
  localparam int unsigned Hold50ms  = ClkHz / 20 > 0 ? ClkHz / 20 : 1;
  localparam int unsigned Hold500ms = ClkHz / 2 > 0 ? ClkHz / 2 : 1;
  localparam int unsigned HoldW     = $clog2(Hold500ms + 1);

  logic [25:0]      beat_q;
  logic             running_q;
  logic [HoldW-1:0] rx_hold_q, tx_hold_q, err_hold_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      beat_q     <= '0;
      running_q  <= 1'b0;
      rx_hold_q  <= '0;
      tx_hold_q  <= '0;
      err_hold_q <= '0;
    end else begin
      beat_q <= beat_q + 26'(ClkHz / 50_000_000 > 0 ? ClkHz / 50_000_000 : 1);
      if (run_start) running_q <= 1'b1;
      else if (run_end) running_q <= 1'b0;
      rx_hold_q  <= rx_byte ? HoldW'(Hold50ms) : (rx_hold_q != '0 ? rx_hold_q - 1'b1 : '0);
      tx_hold_q  <= tx_byte ? HoldW'(Hold50ms) : (tx_hold_q != '0 ? tx_hold_q - 1'b1 : '0);
      err_hold_q <= frame_err ? HoldW'(Hold500ms) : (err_hold_q != '0 ? err_hold_q - 1'b1 : '0);
    end
  end

  assign led_o = {rst_ni, 1'b0, err_hold_q != '0, tx_hold_q != '0, rx_hold_q != '0, irq, running_q,
                  beat_q[25]};

endmodule

`default_nettype wire
