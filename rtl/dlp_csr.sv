// SPDX-License-Identifier: Apache-2.0
// OpenDLP control and status registers behind an AXI4-Lite slave (map: docs/csr.md, generated
// from sw/isa/dlp.csr), the performance counters, and the interrupt.
//
// The slave takes one write (AW and W together) or one read at a time and answers OKAY; reads of
// unmapped offsets return 0. Reading the low word of a 64-bit counter latches its high word.
`default_nettype none

module dlp_csr
  import dlp_csr_pkg::*;
#(
  parameter int unsigned Rows           = 16,
  parameter int unsigned Cols           = 16,
  parameter int unsigned VLanes         = 16,
  parameter int unsigned BeatBytes      = 16,
  parameter int unsigned BurstBeats     = 16,
  parameter int unsigned NramBytes      = 131072,
  parameter int unsigned WramBytes      = 262144,
  parameter int unsigned AccBytes       = 65536,
  parameter int unsigned ImemInsns      = 4096,
  parameter int unsigned QueueDepth     = 8,
  parameter int unsigned LoopDepth      = 4,
  parameter int unsigned TokenMax       = 15,
  parameter int unsigned HwRevision     = 1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // AXI4-Lite slave
  input  logic [11:0] s_awaddr_i,
  input  logic        s_awvalid_i,
  output logic        s_awready_o,
  input  logic [31:0] s_wdata_i,
  input  logic [3:0]  s_wstrb_i,
  input  logic        s_wvalid_i,
  output logic        s_wready_o,
  output logic [1:0]  s_bresp_o,
  output logic        s_bvalid_o,
  input  logic        s_bready_i,
  input  logic [11:0] s_araddr_i,
  input  logic        s_arvalid_i,
  output logic        s_arready_o,
  output logic [31:0] s_rdata_o,
  output logic [1:0]  s_rresp_o,
  output logic        s_rvalid_o,
  input  logic        s_rready_i,
  // to the core
  output logic        start_o,        // pulse: CTRL.start written while idle
  output logic [31:0] prog_addr_o,
  output logic [31:0] prog_len_o,
  output logic [31:0] win_base_o,
  output logic [32:0] win_limit_o,    // WIN_LIMIT, with 0 standing for 2^32
  output logic [63:0] cycle_limit_o,
  // from the core
  input  logic        busy_i,
  input  logic        end_done_i,     // pulse: the run ended with halt
  input  logic        end_error_i,    // pulse: the run ended with an error
  input  logic [3:0]  err_cause_i,
  input  logic [31:0] err_pc_i,
  input  logic [31:0] err_info_i,
  // counter increments
  input  logic        cnt_clear_i,
  input  logic        cnt_cycle_i,
  input  logic        cnt_busy_dma_i,
  input  logic        cnt_busy_mfu_i,
  input  logic        cnt_busy_vfu_i,
  input  logic [2:0]  cnt_insns_i,
  input  logic [63:0] cnt_rd_bytes_i,
  input  logic [63:0] cnt_wr_bytes_i,
  input  logic [63:0] cnt_macs_i,
  output logic        irq_o
);

  // ---- registers ---------------------------------------------------------------------------------
  logic [31:0] prog_addr_q, prog_len_q, win_base_q, win_limit_q;
  logic [63:0] cycle_limit_q;
  logic [1:0]  irq_en_q, irq_status_q;
  logic        done_q, error_q;
  logic [3:0]  err_cause_q;
  logic [31:0] err_pc_q, err_info_q;
  logic [63:0] cyc_q, bdma_q, bmfu_q, bvfu_q, rd_q, wr_q, macs_q, insns_q;
  logic [31:0] hi_latch_q;

  // ---- AXI4-Lite handshakes ------------------------------------------------------------------------
  logic bvalid_q, rvalid_q;
  logic [31:0] rdata_q;
  logic wr_fire, rd_fire;

  assign s_awready_o = !bvalid_q && s_awvalid_i && s_wvalid_i;
  assign s_wready_o  = s_awready_o;
  assign wr_fire     = s_awready_o;
  assign s_bvalid_o  = bvalid_q;
  assign s_bresp_o   = 2'b00;
  assign s_arready_o = !rvalid_q;
  assign rd_fire     = s_arvalid_i && s_arready_o;
  assign s_rvalid_o  = rvalid_q;
  assign s_rdata_o   = rdata_q;
  assign s_rresp_o   = 2'b00;

  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] data,
                                        input logic [3:0] strb);
    for (int b = 0; b < 4; b++) merge[8*b +: 8] = strb[b] ? data[8*b +: 8] : old[8*b +: 8];
  endfunction

  // ---- read mux ---------------------------------------------------------------------------------------
  logic [31:0] rd_value;
  logic [31:0] rd_hi;     // high word to latch when a counter's low word is read
  logic        rd_is_lo;
  always_comb begin
    rd_value = '0;
    rd_hi = '0;
    rd_is_lo = 1'b0;
    unique case (s_araddr_i & 12'hffc)
      CSR_ID:          rd_value = IdValue;
      CSR_VERSION:     rd_value = {16'(HwRevision), 16'(dlp_isa_pkg::IsaVersion)};
      CSR_CAP0:        rd_value = {8'(BeatBytes), 8'(VLanes), 8'(Cols), 8'(Rows)};
      CSR_CAP1:        rd_value = {16'(WramBytes / 1024), 16'(NramBytes / 1024)};
      CSR_CAP2:        rd_value = {16'(ImemInsns), 16'(AccBytes / 1024)};
      CSR_CAP3:        rd_value = {8'(BurstBeats), 8'(TokenMax), 8'(LoopDepth), 8'(QueueDepth)};
      CSR_STATUS:      rd_value = {29'b0, error_q, done_q, busy_i};
      CSR_ERR_CAUSE:   rd_value = 32'(err_cause_q);
      CSR_ERR_PC:      rd_value = err_pc_q;
      CSR_ERR_INFO:    rd_value = err_info_q;
      CSR_IRQ_EN:      rd_value = 32'(irq_en_q);
      CSR_IRQ_STATUS:  rd_value = 32'(irq_status_q);
      CSR_PROG_ADDR:   rd_value = prog_addr_q;
      CSR_PROG_LEN:    rd_value = prog_len_q;
      CSR_WIN_BASE:    rd_value = win_base_q;
      CSR_WIN_LIMIT:   rd_value = win_limit_q;
      CSR_CYCLE_LIMIT_LO: rd_value = cycle_limit_q[31:0];
      CSR_CYCLE_LIMIT_HI: rd_value = cycle_limit_q[63:32];
      CSR_CYCLES_LO:   begin rd_value = cyc_q[31:0];   rd_hi = cyc_q[63:32];   rd_is_lo = 1'b1; end
      CSR_BUSY_DMA_LO: begin rd_value = bdma_q[31:0];  rd_hi = bdma_q[63:32];  rd_is_lo = 1'b1; end
      CSR_BUSY_MFU_LO: begin rd_value = bmfu_q[31:0];  rd_hi = bmfu_q[63:32];  rd_is_lo = 1'b1; end
      CSR_BUSY_VFU_LO: begin rd_value = bvfu_q[31:0];  rd_hi = bvfu_q[63:32];  rd_is_lo = 1'b1; end
      CSR_DRAM_RD_LO:  begin rd_value = rd_q[31:0];    rd_hi = rd_q[63:32];    rd_is_lo = 1'b1; end
      CSR_DRAM_WR_LO:  begin rd_value = wr_q[31:0];    rd_hi = wr_q[63:32];    rd_is_lo = 1'b1; end
      CSR_MACS_LO:     begin rd_value = macs_q[31:0];  rd_hi = macs_q[63:32];  rd_is_lo = 1'b1; end
      CSR_INSNS_LO:    begin rd_value = insns_q[31:0]; rd_hi = insns_q[63:32]; rd_is_lo = 1'b1; end
      CSR_CYCLES_HI, CSR_BUSY_DMA_HI, CSR_BUSY_MFU_HI, CSR_BUSY_VFU_HI, CSR_DRAM_RD_HI,
      CSR_DRAM_WR_HI, CSR_MACS_HI, CSR_INSNS_HI: rd_value = hi_latch_q;
      default: rd_value = '0;
    endcase
  end

  // ---- state --------------------------------------------------------------------------------------------
  logic start_d;
  assign start_d = wr_fire && (s_awaddr_i & 12'hffc) == CSR_CTRL && s_wstrb_i[0] &&
                   s_wdata_i[CSR_CTRL_START_LO] && !busy_i;
  assign start_o = start_d;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      bvalid_q <= 1'b0;
      rvalid_q <= 1'b0;
      rdata_q <= '0;
      prog_addr_q <= '0;
      prog_len_q <= '0;
      win_base_q <= '0;
      win_limit_q <= '0;
      cycle_limit_q <= '0;
      irq_en_q <= '0;
      irq_status_q <= '0;
      done_q <= 1'b0;
      error_q <= 1'b0;
      err_cause_q <= '0;
      err_pc_q <= '0;
      err_info_q <= '0;
      hi_latch_q <= '0;
      {cyc_q, bdma_q, bmfu_q, bvfu_q, rd_q, wr_q, macs_q, insns_q} <= '0;
    end else begin
      // AXI4-Lite
      if (wr_fire) bvalid_q <= 1'b1;
      else if (s_bready_i) bvalid_q <= 1'b0;
      if (rd_fire) begin
        rvalid_q <= 1'b1;
        rdata_q <= rd_value;
        if (rd_is_lo) hi_latch_q <= rd_hi;
      end else if (s_rready_i) begin
        rvalid_q <= 1'b0;
      end
      if (wr_fire && !busy_i) begin
        unique case (s_awaddr_i & 12'hffc)
          CSR_PROG_ADDR:      prog_addr_q <= merge(prog_addr_q, s_wdata_i, s_wstrb_i);
          CSR_PROG_LEN:       prog_len_q <= merge(prog_len_q, s_wdata_i, s_wstrb_i);
          CSR_WIN_BASE:       win_base_q <= merge(win_base_q, s_wdata_i, s_wstrb_i);
          CSR_WIN_LIMIT:      win_limit_q <= merge(win_limit_q, s_wdata_i, s_wstrb_i);
          CSR_CYCLE_LIMIT_LO: cycle_limit_q[31:0] <= merge(cycle_limit_q[31:0], s_wdata_i, s_wstrb_i);
          CSR_CYCLE_LIMIT_HI: cycle_limit_q[63:32] <= merge(cycle_limit_q[63:32], s_wdata_i, s_wstrb_i);
          default: ;
        endcase
      end
      if (wr_fire && (s_awaddr_i & 12'hffc) == CSR_IRQ_EN && s_wstrb_i[0])
        irq_en_q <= s_wdata_i[1:0];
      // run status
      if (start_d) begin
        done_q <= 1'b0;
        error_q <= 1'b0;
        err_cause_q <= CAUSE_NONE;
        err_pc_q <= '0;
        err_info_q <= '0;
      end
      if (end_done_i) begin
        done_q <= 1'b1;
      end
      if (end_error_i) begin
        error_q <= 1'b1;
        err_cause_q <= err_cause_i;
        err_pc_q <= err_pc_i;
        err_info_q <= err_info_i;
      end
      // interrupt status: set by run ends, cleared by writing 1
      begin
        logic [1:0] clr;
        clr = (wr_fire && (s_awaddr_i & 12'hffc) == CSR_IRQ_STATUS && s_wstrb_i[0]) ?
              s_wdata_i[1:0] : 2'b00;
        irq_status_q <= (irq_status_q & ~clr) | {end_error_i, end_done_i};
      end
      // counters
      if (cnt_clear_i) begin
        {cyc_q, bdma_q, bmfu_q, bvfu_q, rd_q, wr_q, macs_q, insns_q} <= '0;
      end else begin
        cyc_q <= cyc_q + 64'(cnt_cycle_i);
        bdma_q <= bdma_q + 64'(cnt_busy_dma_i);
        bmfu_q <= bmfu_q + 64'(cnt_busy_mfu_i);
        bvfu_q <= bvfu_q + 64'(cnt_busy_vfu_i);
        insns_q <= insns_q + 64'(cnt_insns_i);
        rd_q <= rd_q + cnt_rd_bytes_i;
        wr_q <= wr_q + cnt_wr_bytes_i;
        macs_q <= macs_q + cnt_macs_i;
      end
    end
  end

  assign prog_addr_o   = prog_addr_q;
  assign prog_len_o    = prog_len_q;
  assign win_base_o    = win_base_q;
  assign win_limit_o   = (win_limit_q == '0) ? 33'h1_0000_0000 : {1'b0, win_limit_q};
  assign cycle_limit_o = cycle_limit_q;
  assign irq_o         = (irq_status_q & irq_en_q) != 2'b00;

  logic unused;
  assign unused = ^{s_araddr_i[1:0], s_awaddr_i[1:0], s_wstrb_i[3:1]};

endmodule

`default_nettype wire
