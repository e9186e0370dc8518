// SPDX-License-Identifier: Apache-2.0
// OpenDLP DMA engine: the `dma` instruction (docs/isa.md) -- 3-D strided copies with padding
// between DRAM (AXI4 master), NRAM and WRAM, every space pair but DRAM to DRAM -- and the
// program fetch into the instruction memory, on the cycle schedule of docs/timing.md ("DRAM
// reads", "DRAM writes", "On-chip moves", "Program fetch", "Errors"); done_o comes in exactly
// the cycle that the C model's dlp_time_dma / dlp_time_fetch return.
//
//   dlp_dma_rd  DRAM to NRAM/WRAM (loads) and DRAM to IMEM (fetch): dlp_dma_ar, dlp_dma_pad
//   dlp_dma_wr  NRAM/WRAM to DRAM (stores)
//   dlp_dma_mv  NRAM/WRAM to NRAM/WRAM
//   shared:     dlp_dma_chunk (destination chunk walker), dlp_dma_fifo
//
// Handshake (docs/rtl.md): start_i is a one-cycle pulse in cycle s with uop_i valid; done_o
// pulses in the last busy cycle e; busy_o is high in s..e; start_i may come again in e + 1,
// by which time nothing of the instruction is left on the bus. fetch_start_i (cycle 0 of a run)
// starts the fetch of fetch_bytes_i bytes at fetch_addr_i into IMEM offset 0; fetch_done_o
// pulses in the cycle of the last IMEM write.
//
// abort_i in cycle t: no AR is accepted and no write burst started after t, no scratchpad or
// IMEM write happens after t; the bursts already on the bus complete (R beats accepted, W beats
// sent, B awaited), and idle_o is high from the cycle after the last of their responses (in t+1
// when none is outstanding). idle_o is also high whenever no instruction or fetch is running.
//
// bus_error_o pulses for every R beat or B response whose RRESP/BRESP is not OKAY.
//
// The front end has checked every operand (spaces, sizes, DRAM window, scratchpad ranges,
// overlap); the engine trusts them.
`default_nettype none

module dlp_dma #(
  parameter int unsigned BeatBytes      = 16,
  parameter int unsigned BurstBeats     = 16,
  parameter int unsigned MaxOutstanding = 8,
  parameter int unsigned NramBytes      = 128 * 1024,
  parameter int unsigned WramBytes      = 256 * 1024,
  parameter int unsigned ImemBytes      = 4096 * 16,
  localparam int unsigned LW            = $clog2(BeatBytes),
  localparam int unsigned NramAW        = $clog2(NramBytes),
  localparam int unsigned WramAW        = $clog2(WramBytes),
  localparam int unsigned ImemAW        = $clog2(ImemBytes),
  localparam int unsigned FetchW        = $clog2(ImemBytes + 1)
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // instruction handshake
  input  logic                    start_i,
  input  logic [dlp_pkg::UopW-1:0] uop_i,
  output logic                    done_o,
  output logic                    busy_o,
  input  logic                    abort_i,
  output logic                    idle_o,
  // program fetch
  input  logic                    fetch_start_i,
  input  logic [31:0]             fetch_addr_i,
  input  logic [31:0]             fetch_bytes_i,  // 16 * instructions, <= ImemBytes
  output logic                    fetch_done_o,
  // IMEM write port (port A of its dlp_banked_mem)
  output logic                    imem_en_o,
  output logic                    imem_we_o,
  output logic [ImemAW-1:0]       imem_addr_o,
  output logic [LW:0]             imem_len_o,
  output logic [BeatBytes*8-1:0]  imem_wdata_o,
  // NRAM port A
  output logic                    nram_en_o,
  output logic                    nram_we_o,
  output logic [NramAW-1:0]       nram_addr_o,
  output logic [LW:0]             nram_len_o,
  output logic [BeatBytes*8-1:0]  nram_wdata_o,
  input  logic [BeatBytes*8-1:0]  nram_rdata_i,
  // WRAM port A
  output logic                    wram_en_o,
  output logic                    wram_we_o,
  output logic [WramAW-1:0]       wram_addr_o,
  output logic [LW:0]             wram_len_o,
  output logic [BeatBytes*8-1:0]  wram_wdata_o,
  input  logic [BeatBytes*8-1:0]  wram_rdata_i,
  // AXI4 master (one ID, INCR bursts)
  output logic                    m_axi_arvalid_o,
  output logic [31:0]             m_axi_araddr_o,
  output logic [7:0]              m_axi_arlen_o,
  output logic [2:0]              m_axi_arsize_o,
  output logic [1:0]              m_axi_arburst_o,
  input  logic                    m_axi_arready_i,
  input  logic                    m_axi_rvalid_i,
  input  logic [BeatBytes*8-1:0]  m_axi_rdata_i,
  input  logic [1:0]              m_axi_rresp_i,
  input  logic                    m_axi_rlast_i,
  output logic                    m_axi_rready_o,
  output logic                    m_axi_awvalid_o,
  output logic [31:0]             m_axi_awaddr_o,
  output logic [7:0]              m_axi_awlen_o,
  output logic [2:0]              m_axi_awsize_o,
  output logic [1:0]              m_axi_awburst_o,
  input  logic                    m_axi_awready_i,
  output logic                    m_axi_wvalid_o,
  output logic [BeatBytes*8-1:0]  m_axi_wdata_o,
  output logic [BeatBytes-1:0]    m_axi_wstrb_o,
  output logic                    m_axi_wlast_o,
  input  logic                    m_axi_wready_i,
  input  logic                    m_axi_bvalid_i,
  input  logic [1:0]              m_axi_bresp_i,
  output logic                    m_axi_bready_o,
  output logic                    bus_error_o
);

  // scratchpad addresses are computed with the widest memory's bits
  localparam int unsigned AW0  = NramAW > WramAW ? NramAW : WramAW;
  localparam int unsigned AW   = AW0 > ImemAW ? AW0 : ImemAW;
  localparam int unsigned RemW = FetchW > dlp_isa_pkg::F_N0_W ? FetchW : dlp_isa_pkg::F_N0_W;

  // BeatBytes*BurstBeats must be a power of two dividing 4 KiB, so that bursts cut at its
  // multiples never cross a 4 KiB boundary (docs/rtl.md "AXI4 master").
  if ((BeatBytes & (BeatBytes - 1)) != 0 || BeatBytes < 4 || BeatBytes > 64 ||
      (BurstBeats & (BurstBeats - 1)) != 0 || BeatBytes * BurstBeats > 4096 ||
      BurstBeats > 256 || MaxOutstanding < 1) begin : g_bad_params
    $error("dlp_dma: BeatBytes must be a power of two in 4..64, BurstBeats a power of two, BeatBytes*BurstBeats <= 4096");
  end

  // ---- operands of the micro-op ----------------------------------------------------------------
  logic [1:0]  dsp, ssp;
  logic [31:0] r_dst, r_src, r_ss1, r_ss2, r_ds1, r_ds2;
  logic [19:0] n0;
  logic [15:0] n1;
  logic [11:0] n2;
  logic [3:0]  pt, pb;
  logic [11:0] pl, pr;
  logic [7:0]  pv;

  assign dsp   = uop_i[dlp_isa_pkg::F_DSP_LO +: dlp_isa_pkg::F_DSP_W];
  assign ssp   = uop_i[dlp_isa_pkg::F_SSP_LO +: dlp_isa_pkg::F_SSP_W];
  assign n0    = uop_i[dlp_isa_pkg::F_N0_LO +: dlp_isa_pkg::F_N0_W];
  assign n1    = uop_i[dlp_isa_pkg::F_N1_LO +: dlp_isa_pkg::F_N1_W];
  assign n2    = uop_i[dlp_isa_pkg::F_N2_LO +: dlp_isa_pkg::F_N2_W];
  assign pt    = uop_i[dlp_isa_pkg::F_PT_LO +: dlp_isa_pkg::F_PT_W];
  assign pb    = uop_i[dlp_isa_pkg::F_PB_LO +: dlp_isa_pkg::F_PB_W];
  assign pl    = uop_i[dlp_isa_pkg::F_PL_LO +: dlp_isa_pkg::F_PL_W];
  assign pr    = uop_i[dlp_isa_pkg::F_PR_LO +: dlp_isa_pkg::F_PR_W];
  assign pv    = uop_i[dlp_isa_pkg::F_PV_LO +: dlp_isa_pkg::F_PV_W];
  assign r_dst = uop_i[dlp_pkg::UopRvLo + 32 * dlp_isa_pkg::SLOT_RDST +: 32];
  assign r_src = uop_i[dlp_pkg::UopRvLo + 32 * dlp_isa_pkg::SLOT_RSRC +: 32];
  assign r_ss1 = uop_i[dlp_pkg::UopRvLo + 32 * dlp_isa_pkg::SLOT_RSS1 +: 32];
  assign r_ss2 = uop_i[dlp_pkg::UopRvLo + 32 * dlp_isa_pkg::SLOT_RSS2 +: 32];
  assign r_ds1 = uop_i[dlp_pkg::UopRvLo + 32 * dlp_isa_pkg::SLOT_RDS1 +: 32];
  assign r_ds2 = uop_i[dlp_pkg::UopRvLo + 32 * dlp_isa_pkg::SLOT_RDS2 +: 32];

  logic unused_fetch_bytes;
  assign unused_fetch_bytes = ^fetch_bytes_i[31:FetchW];  // the front end checked the length

  logic unused_uop;
  assign unused_uop = ^{uop_i[dlp_isa_pkg::F_DSP_LO-1:0], uop_i[dlp_isa_pkg::F_RDST_LO +: 24], uop_i[dlp_pkg::UopRvLo + 32 * (dlp_isa_pkg::SLOT_RDS2 + 1) +: 32],
                        uop_i[dlp_pkg::UopW-1:dlp_pkg::UopPcLo]};

  logic is_load, is_store, is_move;
  assign is_store = dsp == dlp_isa_pkg::SPACE_DRAM;
  assign is_load  = !is_store && ssp == dlp_isa_pkg::SPACE_DRAM;
  assign is_move  = !is_store && !is_load;

  // ---- state --------------------------------------------------------------------------------
  typedef enum logic [1:0] {ModeLoad, ModeStore, ModeMove, ModeFetch} mode_e;
  mode_e      mode_q;
  logic       busy_q, fetch_busy_q;
  logic [1:0] dsp_q, ssp_q;

  logic rd_done, wr_done, mv_done, rd_idle, wr_idle, mv_idle, rd_err, wr_err;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      mode_q       <= ModeLoad;
      busy_q       <= 1'b0;
      fetch_busy_q <= 1'b0;
      dsp_q        <= '0;
      ssp_q        <= '0;
    end else begin
      if (start_i) begin
        mode_q <= is_store ? ModeStore : (is_load ? ModeLoad : ModeMove);
        busy_q <= 1'b1;
        dsp_q  <= dsp;
        ssp_q  <= ssp;
      end else if (fetch_start_i) begin
        mode_q       <= ModeFetch;
        fetch_busy_q <= 1'b1;
      end
      if (abort_i || done_o) busy_q <= 1'b0;
      if (abort_i || fetch_done_o) fetch_busy_q <= 1'b0;
    end
  end

  // ---- engines ---------------------------------------------------------------------------------
  logic                   rd_start, rd_we;
  logic [AW-1:0]          rd_waddr;
  logic [LW:0]            rd_wlen;
  logic [BeatBytes*8-1:0] rd_wdata;

  // an instruction aborted in its start cycle never starts
  assign rd_start = (start_i && is_load && !abort_i) || (fetch_start_i && !abort_i);

  dlp_dma_rd #(
    .BeatBytes      (BeatBytes),
    .BurstBeats     (BurstBeats),
    .MaxOutstanding (MaxOutstanding),
    .AW             (AW),
    .RemW           (RemW)
  ) u_rd (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .start_i     (rd_start),
    .src_i       (fetch_start_i ? fetch_addr_i : r_src),
    .ss1_i       (fetch_start_i ? 32'd0 : r_ss1),
    .ss2_i       (fetch_start_i ? 32'd0 : r_ss2),
    .dst_i       (fetch_start_i ? AW'(0) : r_dst[AW-1:0]),
    .ds1_i       (fetch_start_i ? AW'(0) : r_ds1[AW-1:0]),
    .ds2_i       (fetch_start_i ? AW'(0) : r_ds2[AW-1:0]),
    .n0_i        (fetch_start_i ? RemW'(fetch_bytes_i[FetchW-1:0]) : RemW'(n0)),
    .n1_i        (fetch_start_i ? 16'd1 : n1),
    .n2_i        (fetch_start_i ? 12'd1 : n2),
    .pt_i        (fetch_start_i ? 4'd0 : pt),
    .pb_i        (fetch_start_i ? 4'd0 : pb),
    .pl_i        (fetch_start_i ? 12'd0 : pl),
    .pr_i        (fetch_start_i ? 12'd0 : pr),
    .pv_i        (pv),
    .abort_i     (abort_i),
    .arvalid_o   (m_axi_arvalid_o),
    .araddr_o    (m_axi_araddr_o),
    .arlen_o     (m_axi_arlen_o),
    .arready_i   (m_axi_arready_i),
    .rvalid_i    (m_axi_rvalid_i),
    .rdata_i     (m_axi_rdata_i),
    .rresp_i     (m_axi_rresp_i),
    .rlast_i     (m_axi_rlast_i),
    .we_o        (rd_we),
    .waddr_o     (rd_waddr),
    .wlen_o      (rd_wlen),
    .wdata_o     (rd_wdata),
    .done_o      (rd_done),
    .idle_o      (rd_idle),
    .bus_error_o (rd_err)
  );

  // the source memory's read data, for stores and moves
  logic [BeatBytes*8-1:0] src_rdata;
  assign src_rdata = ssp_q == dlp_isa_pkg::SPACE_WRAM ? wram_rdata_i : nram_rdata_i;

  logic          wr_re;
  logic [AW-1:0] wr_raddr;

  dlp_dma_wr #(
    .BeatBytes      (BeatBytes),
    .BurstBeats     (BurstBeats),
    .MaxOutstanding (MaxOutstanding),
    .AW             (AW)
  ) u_wr (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .start_i     (start_i && is_store && !abort_i),
    .dst_i       (r_dst),
    .ds1_i       (r_ds1),
    .ds2_i       (r_ds2),
    .src_i       (r_src[AW-1:0]),
    .ss1_i       (r_ss1[AW-1:0]),
    .ss2_i       (r_ss2[AW-1:0]),
    .n0_i        (n0),
    .n1_i        (n1),
    .n2_i        (n2),
    .pt_i        (pt),
    .pb_i        (pb),
    .pl_i        (pl),
    .pr_i        (pr),
    .pv_i        (pv),
    .abort_i     (abort_i),
    .re_o        (wr_re),
    .raddr_o     (wr_raddr),
    .rdata_i     (src_rdata),
    .awvalid_o   (m_axi_awvalid_o),
    .awaddr_o    (m_axi_awaddr_o),
    .awlen_o     (m_axi_awlen_o),
    .awready_i   (m_axi_awready_i),
    .wvalid_o    (m_axi_wvalid_o),
    .wdata_o     (m_axi_wdata_o),
    .wstrb_o     (m_axi_wstrb_o),
    .wlast_o     (m_axi_wlast_o),
    .wready_i    (m_axi_wready_i),
    .bvalid_i    (m_axi_bvalid_i),
    .bresp_i     (m_axi_bresp_i),
    .done_o      (wr_done),
    .idle_o      (wr_idle),
    .bus_error_o (wr_err)
  );

  logic                   mv_re, mv_we;
  logic [AW-1:0]          mv_raddr, mv_waddr;
  logic [LW:0]            mv_wlen;
  logic [BeatBytes*8-1:0] mv_wdata;

  dlp_dma_mv #(
    .BeatBytes (BeatBytes),
    .AW        (AW)
  ) u_mv (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .start_i (start_i && is_move && !abort_i),
    .same_i  (dsp == ssp),
    .dst_i   (r_dst[AW-1:0]),
    .ds1_i   (r_ds1[AW-1:0]),
    .ds2_i   (r_ds2[AW-1:0]),
    .src_i   (r_src[AW-1:0]),
    .ss1_i   (r_ss1[AW-1:0]),
    .ss2_i   (r_ss2[AW-1:0]),
    .n0_i    (n0),
    .n1_i    (n1),
    .n2_i    (n2),
    .pt_i    (pt),
    .pb_i    (pb),
    .pl_i    (pl),
    .pr_i    (pr),
    .pv_i    (pv),
    .abort_i (abort_i),
    .re_o    (mv_re),
    .raddr_o (mv_raddr),
    .rdata_i (src_rdata),
    .we_o    (mv_we),
    .waddr_o (mv_waddr),
    .wlen_o  (mv_wlen),
    .wdata_o (mv_wdata),
    .done_o  (mv_done),
    .idle_o  (mv_idle)
  );

  // ---- memory ports: one engine runs at a time; within it a memory is read or written ---------
  logic                   w_any, r_any, w_nram, w_wram, r_nram, r_wram;
  logic [AW-1:0]          w_addr, r_addr;
  logic [LW:0]            w_len;
  logic [BeatBytes*8-1:0] w_data;

  always_comb begin
    if (mode_q == ModeMove) begin
      w_any  = mv_we;
      w_addr = mv_waddr;
      w_len  = mv_wlen;
      w_data = mv_wdata;
      r_any  = mv_re;
      r_addr = mv_raddr;
    end else begin
      w_any  = rd_we && mode_q != ModeStore;
      w_addr = rd_waddr;
      w_len  = rd_wlen;
      w_data = rd_wdata;
      r_any  = wr_re && mode_q == ModeStore;
      r_addr = wr_raddr;
    end
    w_nram = w_any && mode_q != ModeFetch && dsp_q == dlp_isa_pkg::SPACE_NRAM;
    w_wram = w_any && mode_q != ModeFetch && dsp_q == dlp_isa_pkg::SPACE_WRAM;
    r_nram = r_any && ssp_q == dlp_isa_pkg::SPACE_NRAM;
    r_wram = r_any && ssp_q == dlp_isa_pkg::SPACE_WRAM;
  end

  assign nram_en_o    = w_nram || r_nram;
  assign nram_we_o    = w_nram;
  assign nram_addr_o  = w_nram ? w_addr[NramAW-1:0] : r_addr[NramAW-1:0];
  assign nram_len_o   = w_len;
  assign nram_wdata_o = w_data;
  assign wram_en_o    = w_wram || r_wram;
  assign wram_we_o    = w_wram;
  assign wram_addr_o  = w_wram ? w_addr[WramAW-1:0] : r_addr[WramAW-1:0];
  assign wram_len_o   = w_len;
  assign wram_wdata_o = w_data;
  assign imem_en_o    = w_any && mode_q == ModeFetch;
  assign imem_we_o    = imem_en_o;
  assign imem_addr_o  = w_addr[ImemAW-1:0];
  assign imem_len_o   = w_len;
  assign imem_wdata_o = w_data;

  // ---- AXI constants, completion -------------------------------------------------------------
  assign m_axi_arsize_o  = 3'(LW);
  assign m_axi_arburst_o = 2'b01;  // INCR
  assign m_axi_awsize_o  = 3'(LW);
  assign m_axi_awburst_o = 2'b01;
  assign m_axi_rready_o  = 1'b1;   // every R beat is written the next cycle: never back-pressured
  assign m_axi_bready_o  = 1'b1;

  assign done_o       = busy_q && ((mode_q == ModeLoad && rd_done) ||
                                   (mode_q == ModeStore && wr_done) ||
                                   (mode_q == ModeMove && mv_done));
  assign fetch_done_o = fetch_busy_q && mode_q == ModeFetch && rd_done;
  assign busy_o       = start_i || busy_q;
  assign idle_o       = !busy_q && !fetch_busy_q && rd_idle && wr_idle && mv_idle;
  assign bus_error_o  = rd_err || wr_err;

`ifndef SYNTHESIS
  logic                   arv_q, awv_q, wv_q, wl_q;
  logic [31:0]            ar_q, aw_q;
  logic [7:0]             arl_q, awl_q;
  logic [BeatBytes*8-1:0] wd_q;
  logic [BeatBytes-1:0]   ws_q;
  always_ff @(posedge clk_i) begin
    arv_q <= rst_ni && m_axi_arvalid_o && !m_axi_arready_i;
    awv_q <= rst_ni && m_axi_awvalid_o && !m_axi_awready_i;
    wv_q  <= rst_ni && m_axi_wvalid_o && !m_axi_wready_i;
    ar_q  <= m_axi_araddr_o;
    arl_q <= m_axi_arlen_o;
    aw_q  <= m_axi_awaddr_o;
    awl_q <= m_axi_awlen_o;
    wd_q  <= m_axi_wdata_o;
    ws_q  <= m_axi_wstrb_o;
    wl_q  <= m_axi_wlast_o;
  end

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!(start_i && (busy_q || fetch_busy_q || !idle_o)))
        else $error("dlp_dma: start while an instruction or fetch is running");
      assert (!(fetch_start_i && !idle_o)) else $error("dlp_dma: fetch start while busy");
      assert (!(start_i && fetch_start_i)) else $error("dlp_dma: start and fetch start together");
      assert (!(start_i && (dsp == 2'd3 || ssp == 2'd3 || (dsp == dlp_isa_pkg::SPACE_DRAM && ssp == dlp_isa_pkg::SPACE_DRAM))))
        else $error("dlp_dma: illegal space pair reached the engine");
      assert (!(w_nram && r_nram) && !(w_wram && r_wram))
        else $error("dlp_dma: read and write of one memory port in one cycle");
      // AXI: a valid request stays valid and stable until accepted
      if (arv_q) assert (m_axi_arvalid_o && m_axi_araddr_o == ar_q && m_axi_arlen_o == arl_q)
        else $error("dlp_dma: AR changed before ARREADY");
      if (awv_q) assert (m_axi_awvalid_o && m_axi_awaddr_o == aw_q && m_axi_awlen_o == awl_q)
        else $error("dlp_dma: AW changed before AWREADY");
      if (wv_q) assert (m_axi_wvalid_o && m_axi_wdata_o == wd_q && m_axi_wstrb_o == ws_q &&
                        m_axi_wlast_o == wl_q)
        else $error("dlp_dma: W changed before WREADY");
    end
  end

`endif

endmodule

`default_nettype wire
