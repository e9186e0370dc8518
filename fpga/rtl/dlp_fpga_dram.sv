// SPDX-License-Identifier: Apache-2.0
// OpenDLP on-board "DRAM" for FPGA boards: block RAM behind an AXI4 slave (the core's DRAM port)
// plus a byte-wide host port (the UART bridge's DRAM window).
//
// Memory: DramBytes bytes (a multiple of BeatBytes) at DramBase (a multiple of BeatBytes; 0 on
// boards with room for it, higher where programs expect data above 0), one BeatBytes-wide row per
// beat, written with byte enables. One write port and one read port, both synchronous: the
// form Yosys maps to ECP5 PDPW16KD/DP16KD (or iCE40 SB_RAM40_4K) block RAMs.
//
// AXI4 slave: INCR bursts of full-width beats (AxSIZE = log2(BeatBytes)), one ID, one read and
// one write burst in progress at a time (reads and writes proceed in parallel). A burst that
// reaches outside the memory is answered with SLVERR (the core then stops with BUS_ERROR) and
// touches nothing. Read data: the first beat two cycles after AR is accepted, then one beat per
// cycle while RREADY is high.
//
// Host port: one byte per request; h_ack_o pulses when done (a read's byte is in h_rdata_o with
// the ack). Addresses outside the memory are neither read nor written (the bridge checks ranges
// before it asks). The host is served only while the AXI side is idle -- the driver copies
// only while the core does not run, so in practice it never waits.
`default_nettype none

module dlp_fpga_dram #(
  parameter int unsigned BeatBytes = 16,
  parameter int unsigned DramBytes = 131072,
  parameter int unsigned DramBase  = 0,
  // derived
  parameter int unsigned Rows      = DramBytes / BeatBytes,
  parameter int unsigned RowW      = Rows > 1 ? $clog2(Rows) : 1,
  parameter int unsigned OffW      = BeatBytes > 1 ? $clog2(BeatBytes) : 1
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // AXI4 slave (the core's master)
  input  logic [31:0]            s_axi_araddr_i,
  input  logic [7:0]             s_axi_arlen_i,
  input  logic                   s_axi_arvalid_i,
  output logic                   s_axi_arready_o,
  output logic [BeatBytes*8-1:0] s_axi_rdata_o,
  output logic [1:0]             s_axi_rresp_o,
  output logic                   s_axi_rlast_o,
  output logic                   s_axi_rvalid_o,
  input  logic                   s_axi_rready_i,
  input  logic [31:0]            s_axi_awaddr_i,
  input  logic [7:0]             s_axi_awlen_i,
  input  logic                   s_axi_awvalid_i,
  output logic                   s_axi_awready_o,
  input  logic [BeatBytes*8-1:0] s_axi_wdata_i,
  input  logic [BeatBytes-1:0]   s_axi_wstrb_i,
  input  logic                   s_axi_wlast_i,
  input  logic                   s_axi_wvalid_i,
  output logic                   s_axi_wready_o,
  output logic [1:0]             s_axi_bresp_o,
  output logic                   s_axi_bvalid_o,
  input  logic                   s_axi_bready_i,
  // host port (bridge)
  input  logic                   h_req_i,
  input  logic                   h_we_i,
  input  logic [31:0]            h_addr_i,
  input  logic [7:0]             h_wdata_i,
  output logic                   h_ack_o,
  output logic [7:0]             h_rdata_o
);

  localparam logic [1:0] RespOkay   = 2'b00;
  localparam logic [1:0] RespSlvErr = 2'b10;

  // ---- the memory: one write port (byte enables), one read port --------------------------------
  logic [BeatBytes*8-1:0] mem_q [Rows];
  logic                   mem_we;
  logic [RowW-1:0]        mem_waddr;
  logic [BeatBytes*8-1:0] mem_wdata;
  logic [BeatBytes-1:0]   mem_wbe;
  logic                   mem_re;
  logic [RowW-1:0]        mem_raddr;
  logic [BeatBytes*8-1:0] mem_rdata_q;

  initial begin
    for (int i = 0; i < Rows; i++) mem_q[i] = '0;
  end

  always_ff @(posedge clk_i) begin
    if (mem_we) begin
      for (int b = 0; b < BeatBytes; b++)
        if (mem_wbe[b]) mem_q[mem_waddr][b*8 +: 8] <= mem_wdata[b*8 +: 8];
    end
    if (mem_re) mem_rdata_q <= mem_q[mem_raddr];
  end

  // a burst [addr, addr + beats * BeatBytes) lies inside the memory
  // (offsets from DramBase are computed one bit wider: a borrow means below the memory)
  function automatic logic burst_ok(logic [31:0] addr, logic [7:0] len);
    logic [33:0] off;
    off = {2'b00, addr} - 34'(DramBase);
    burst_ok = !off[33] && off + (34'(len) + 34'd1) * 34'(BeatBytes) <= 34'(DramBytes);
  endfunction

  // the row of a byte address inside the memory
  function automatic logic [RowW-1:0] row_of(logic [31:0] addr);
    row_of = RowW'((addr - 32'(DramBase)) / BeatBytes);
  endfunction

  // ---- write channel ------------------------------------------------------------------------------
  typedef enum logic [1:0] { WIdle, WData, WResp } w_state_e;
  w_state_e        w_state_q;
  logic [RowW-1:0] w_row_q;
  logic            w_err_q;
  logic            w_beat;

  assign s_axi_awready_o = w_state_q == WIdle;
  assign s_axi_wready_o  = w_state_q == WData;
  assign s_axi_bvalid_o  = w_state_q == WResp;
  assign s_axi_bresp_o   = w_err_q ? RespSlvErr : RespOkay;
  assign w_beat          = s_axi_wvalid_i && w_state_q == WData;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      w_state_q <= WIdle;
      w_row_q   <= '0;
      w_err_q   <= 1'b0;
    end else begin
      unique case (w_state_q)
        WIdle: if (s_axi_awvalid_i) begin
          w_state_q <= WData;
          w_row_q   <= row_of(s_axi_awaddr_i);
          w_err_q   <= !burst_ok(s_axi_awaddr_i, s_axi_awlen_i);
        end
        WData: if (s_axi_wvalid_i) begin
          w_row_q <= w_row_q + 1'b1;
          if (s_axi_wlast_i) w_state_q <= WResp;
        end
        WResp: if (s_axi_bready_i) w_state_q <= WIdle;
        default: w_state_q <= WIdle;
      endcase
    end
  end

  // ---- read channel ---------------------------------------------------------------------------------
  // r_left_q beats still to be read from the memory; the memory's output register is the R
  // payload, refilled only when the beat it holds is taken (or none is held).
  typedef enum logic { RIdle, RBurst } r_state_e;
  r_state_e        r_state_q;
  logic [RowW-1:0] r_row_q;
  logic [8:0]      r_left_q;
  logic            r_err_q, r_valid_q, r_last_q;
  logic            r_issue;

  assign s_axi_arready_o = r_state_q == RIdle && !r_valid_q;
  assign r_issue         = r_state_q == RBurst && r_left_q != '0 && (!r_valid_q || s_axi_rready_i);
  assign s_axi_rvalid_o  = r_valid_q;
  assign s_axi_rlast_o   = r_last_q;
  assign s_axi_rresp_o   = r_err_q ? RespSlvErr : RespOkay;
  assign s_axi_rdata_o   = mem_rdata_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      r_state_q <= RIdle;
      r_row_q   <= '0;
      r_left_q  <= '0;
      r_err_q   <= 1'b0;
      r_valid_q <= 1'b0;
      r_last_q  <= 1'b0;
    end else begin
      if (r_issue) begin
        r_valid_q <= 1'b1;
        r_last_q  <= r_left_q == 9'd1;
        r_row_q   <= r_row_q + 1'b1;
        r_left_q  <= r_left_q - 1'b1;
      end else if (s_axi_rready_i) begin
        r_valid_q <= 1'b0;
      end
      unique case (r_state_q)
        RIdle: if (s_axi_arvalid_i && !r_valid_q) begin
          r_state_q <= RBurst;
          r_row_q   <= row_of(s_axi_araddr_i);
          r_left_q  <= 9'(s_axi_arlen_i) + 9'd1;
          r_err_q   <= !burst_ok(s_axi_araddr_i, s_axi_arlen_i);
        end
        RBurst: if (r_left_q == '0) r_state_q <= RIdle;
        default: r_state_q <= RIdle;
      endcase
    end
  end

  // ---- host port ------------------------------------------------------------------------------------
  // Served when both AXI channels are idle and no new burst is being offered.
  logic           h_grant, h_rd_q, h_inside;
  logic [32:0]    h_off;
  logic [OffW-1:0] h_off_q;

  assign h_off    = {1'b0, h_addr_i} - 33'(DramBase);
  assign h_inside = !h_off[32] && h_off < 33'(DramBytes);
  assign h_grant  = h_req_i && !h_ack_o && !h_rd_q &&
                    w_state_q == WIdle && !s_axi_awvalid_i &&
                    r_state_q == RIdle && !r_valid_q && !s_axi_arvalid_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      h_rd_q  <= 1'b0;
      h_ack_o <= 1'b0;
      h_off_q <= '0;
    end else begin
      h_ack_o <= 1'b0;
      h_rd_q  <= 1'b0;
      if (h_grant && h_we_i) h_ack_o <= 1'b1;
      if (h_grant && !h_we_i) begin
        h_rd_q  <= 1'b1;                 // the row arrives next cycle
        h_off_q <= OffW'(h_addr_i % BeatBytes);
      end
      if (h_rd_q) h_ack_o <= 1'b1;
    end
  end

  // the byte is held in the memory's output register until the next read
  assign h_rdata_o = mem_rdata_q[8*h_off_q +: 8];

  // ---- memory port muxes ------------------------------------------------------------------------------
  always_comb begin
    mem_we    = 1'b0;
    mem_waddr = w_row_q;
    mem_wdata = s_axi_wdata_i;
    mem_wbe   = s_axi_wstrb_i;
    if (w_beat) begin
      mem_we = !w_err_q;
    end else if (h_grant && h_we_i) begin
      mem_we    = h_inside;
      mem_waddr = row_of(h_addr_i);
      mem_wdata = {BeatBytes{h_wdata_i}};
      mem_wbe   = BeatBytes'(1) << (h_addr_i % BeatBytes);
    end
    mem_re    = 1'b0;
    mem_raddr = r_row_q;
    if (r_issue) begin
      mem_re = !r_err_q;
    end else if (h_grant && !h_we_i) begin
      mem_re    = h_inside;
      mem_raddr = row_of(h_addr_i);
    end
  end

endmodule

`default_nettype wire
