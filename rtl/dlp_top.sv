// SPDX-License-Identifier: Apache-2.0
// OpenDLP core: CSRs, front end, scheduler, DMA engine, matrix unit, vector unit, memories.
// Ports and parameters: docs/rtl.md. The run sequence mirrors dlp_start()/cycle() of the C model:
//   cycle 0   program checks (BAD_PROGRAM, DRAM_WINDOW), then the program fetch starts;
//   fetch     the DMA engine copies the program into the instruction memory;
//   run       dispatch, queues and units, until halt or an error;
//   drain     after an error, AXI bursts already accepted finish;
// then STATUS, ERR_* and IRQ_STATUS are updated (tr_run_end_o).
`default_nettype none

module dlp_top
  import dlp_isa_pkg::*;
  import dlp_csr_pkg::*;
#(
  // defaults: the `default` configuration of sw/isa/dlp.configs; legal ranges checked below
  parameter int unsigned Rows           = dlp_cfg_pkg::RowsDefault,
  parameter int unsigned Cols           = dlp_cfg_pkg::ColsDefault,
  parameter int unsigned VLanes         = dlp_cfg_pkg::VLanesDefault,
  parameter int unsigned BeatBytes      = dlp_cfg_pkg::BeatBytesDefault,
  parameter int unsigned BurstBeats     = dlp_cfg_pkg::BurstBeatsDefault,
  parameter int unsigned MaxOutstanding = dlp_cfg_pkg::MaxOutstandingDefault,
  parameter int unsigned NramBytes      = dlp_cfg_pkg::NramBytesDefault,
  parameter int unsigned WramBytes      = dlp_cfg_pkg::WramBytesDefault,
  parameter int unsigned AccBytes       = dlp_cfg_pkg::AccBytesDefault,
  parameter int unsigned ImemInsns      = dlp_cfg_pkg::ImemInsnsDefault,
  parameter int unsigned QueueDepth     = dlp_cfg_pkg::QueueDepthDefault,
  parameter int unsigned LoopDepth      = dlp_cfg_pkg::LoopDepthDefault,
  parameter int unsigned TokenMax       = dlp_cfg_pkg::TokenMaxDefault,
  // FPGA mapping only: PEs whose multiplier is written for a DSP block (dlp_systolic)
  parameter int unsigned DspPes         = Rows * Cols,
  // derived: the width of the compute-side NRAM write trace (VFU writes, V bytes)
  parameter int unsigned NramPortB      = Rows > VLanes ? Rows : VLanes
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // AXI4-Lite slave (CSRs)
  input  logic [11:0]            s_axil_awaddr_i,
  input  logic                   s_axil_awvalid_i,
  output logic                   s_axil_awready_o,
  input  logic [31:0]            s_axil_wdata_i,
  input  logic [3:0]             s_axil_wstrb_i,
  input  logic                   s_axil_wvalid_i,
  output logic                   s_axil_wready_o,
  output logic [1:0]             s_axil_bresp_o,
  output logic                   s_axil_bvalid_o,
  input  logic                   s_axil_bready_i,
  input  logic [11:0]            s_axil_araddr_i,
  input  logic                   s_axil_arvalid_i,
  output logic                   s_axil_arready_o,
  output logic [31:0]            s_axil_rdata_o,
  output logic [1:0]             s_axil_rresp_o,
  output logic                   s_axil_rvalid_o,
  input  logic                   s_axil_rready_i,
  // AXI4 master (DRAM)
  output logic [31:0]            m_axi_araddr_o,
  output logic [7:0]             m_axi_arlen_o,
  output logic [2:0]             m_axi_arsize_o,
  output logic [1:0]             m_axi_arburst_o,
  output logic                   m_axi_arvalid_o,
  input  logic                   m_axi_arready_i,
  input  logic [BeatBytes*8-1:0] m_axi_rdata_i,
  input  logic [1:0]             m_axi_rresp_i,
  input  logic                   m_axi_rlast_i,
  input  logic                   m_axi_rvalid_i,
  output logic                   m_axi_rready_o,
  output logic [31:0]            m_axi_awaddr_o,
  output logic [7:0]             m_axi_awlen_o,
  output logic [2:0]             m_axi_awsize_o,
  output logic [1:0]             m_axi_awburst_o,
  output logic                   m_axi_awvalid_o,
  input  logic                   m_axi_awready_i,
  output logic [BeatBytes*8-1:0] m_axi_wdata_o,
  output logic [BeatBytes-1:0]   m_axi_wstrb_o,
  output logic                   m_axi_wlast_o,
  output logic                   m_axi_wvalid_o,
  input  logic                   m_axi_wready_i,
  input  logic [1:0]             m_axi_bresp_i,
  input  logic                   m_axi_bvalid_i,
  output logic                   m_axi_bready_o,
  output logic                   irq_o,
  // trace port for the co-simulation checker
  output logic                   tr_cycle0_o,
  output logic                   tr_run_end_o,
  output logic                   tr_fe_retire_o,
  output logic [15:0]            tr_fe_pc_o,
  output logic                   tr_reg_we_o,
  output logic [3:0]             tr_reg_idx_o,
  output logic [31:0]            tr_reg_data_o,
  output logic                   tr_dma_retire_o,
  output logic [15:0]            tr_dma_pc_o,
  output logic                   tr_cp_retire_o,
  output logic [15:0]            tr_cp_pc_o,
  output logic                   tr_vf_retire_o,
  output logic [15:0]            tr_vf_pc_o,
  output logic                   tr_nram_a_we_o,
  output logic [31:0]            tr_nram_a_addr_o,
  output logic [7:0]             tr_nram_a_len_o,
  output logic [BeatBytes*8-1:0] tr_nram_a_data_o,
  output logic                   tr_wram_a_we_o,
  output logic [31:0]            tr_wram_a_addr_o,
  output logic [7:0]             tr_wram_a_len_o,
  output logic [BeatBytes*8-1:0] tr_wram_a_data_o,
  output logic                   tr_nram_b_we_o,
  output logic [31:0]            tr_nram_b_addr_o,
  output logic [7:0]             tr_nram_b_len_o,
  output logic [NramPortB*8-1:0] tr_nram_b_data_o,
  output logic                   tr_nram_b_vf_o,  // the NRAM write is the VF queue's instruction's
  output logic                   tr_acc_we_o,
  output logic [31:0]            tr_acc_addr_o,
  output logic [7:0]             tr_acc_len_o,
  output logic [Cols*32-1:0]     tr_acc_data_o
);

  localparam int unsigned AccElems  = AccBytes / 4;
  localparam int unsigned ImemBytes = ImemInsns * 16;
  localparam int unsigned PcW       = 17;
  localparam int unsigned QCntW     = $clog2(QueueDepth + 1);
  localparam int unsigned NramAW    = $clog2(NramBytes);
  localparam int unsigned WramAW    = $clog2(WramBytes);
  localparam int unsigned AccAW     = $clog2(AccElems);
  localparam int unsigned ImemAW    = $clog2(ImemBytes);
  localparam int unsigned BeatLenW  = $clog2(BeatBytes + 1);

  // ---- parameters: ranges and rules of sw/isa/dlp.configs, checked at elaboration -----------------
  dlp_cfg_check #(
    .Rows (Rows), .Cols (Cols), .VLanes (VLanes), .BeatBytes (BeatBytes), .BurstBeats (BurstBeats),
    .MaxOutstanding (MaxOutstanding), .NramBytes (NramBytes), .WramBytes (WramBytes),
    .AccBytes (AccBytes), .ImemInsns (ImemInsns), .QueueDepth (QueueDepth),
    .LoopDepth (LoopDepth), .TokenMax (TokenMax)
  ) u_cfg_check ();

  // ---- CSRs ------------------------------------------------------------------------------------
  logic        csr_start, run_busy, end_done, end_error;
  logic [31:0] prog_addr, prog_len, win_base;
  logic [32:0] win_limit;
  logic [63:0] cycle_limit;
  logic [3:0]  err_cause_q;
  logic [31:0] err_pc_q, err_info_q;
  logic        cnt_clear, cnt_cycle, cnt_bdma, cnt_bmfu, cnt_bvfu;
  logic [2:0]  cnt_insns;
  logic [63:0] cnt_rd_q, cnt_wr_q, cnt_macs_q;
  logic [63:0] cycles_q; // cycle index within the run (for the watchdog)

  dlp_csr #(
    .Rows       (Rows),
    .Cols       (Cols),
    .VLanes     (VLanes),
    .BeatBytes  (BeatBytes),
    .BurstBeats (BurstBeats),
    .NramBytes  (NramBytes),
    .WramBytes  (WramBytes),
    .AccBytes   (AccBytes),
    .ImemInsns  (ImemInsns),
    .QueueDepth (QueueDepth),
    .LoopDepth  (LoopDepth),
    .TokenMax   (TokenMax)
  ) u_csr (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .s_awaddr_i     (s_axil_awaddr_i),
    .s_awvalid_i    (s_axil_awvalid_i),
    .s_awready_o    (s_axil_awready_o),
    .s_wdata_i      (s_axil_wdata_i),
    .s_wstrb_i      (s_axil_wstrb_i),
    .s_wvalid_i     (s_axil_wvalid_i),
    .s_wready_o     (s_axil_wready_o),
    .s_bresp_o      (s_axil_bresp_o),
    .s_bvalid_o     (s_axil_bvalid_o),
    .s_bready_i     (s_axil_bready_i),
    .s_araddr_i     (s_axil_araddr_i),
    .s_arvalid_i    (s_axil_arvalid_i),
    .s_arready_o    (s_axil_arready_o),
    .s_rdata_o      (s_axil_rdata_o),
    .s_rresp_o      (s_axil_rresp_o),
    .s_rvalid_o     (s_axil_rvalid_o),
    .s_rready_i     (s_axil_rready_i),
    .start_o        (csr_start),
    .prog_addr_o    (prog_addr),
    .prog_len_o     (prog_len),
    .win_base_o     (win_base),
    .win_limit_o    (win_limit),
    .cycle_limit_o  (cycle_limit),
    .busy_i         (run_busy),
    .end_done_i     (end_done),
    .end_error_i    (end_error),
    .err_cause_i    (err_cause_q),
    .err_pc_i       (err_pc_q),
    .err_info_i     (err_info_q),
    .cnt_clear_i    (cnt_clear),
    .cnt_cycle_i    (cnt_cycle),
    .cnt_busy_dma_i (cnt_bdma),
    .cnt_busy_mfu_i (cnt_bmfu),
    .cnt_busy_vfu_i (cnt_bvfu),
    .cnt_insns_i    (cnt_insns),
    .cnt_rd_bytes_i (cnt_rd_q),
    .cnt_wr_bytes_i (cnt_wr_q),
    .cnt_macs_i     (cnt_macs_q),
    .irq_o          (irq_o)
  );

  // ---- run sequence -------------------------------------------------------------------------------
  typedef enum logic [2:0] {
    StIdle, StCheck, StFetch, StRun, StDrain, StEnd
  } state_e;
  state_e      state_q, state_d;
  logic [31:0] run_addr_q, run_len_q, run_base_q;
  logic [32:0] run_limit_q;
  logic [63:0] run_cyc_limit_q;
  logic        end_err_q;      // the run is ending with an error

  // errors of this cycle, in the model's priority order
  logic        fe_err, tok_err, deadlock, timeout, bus_err, chk_err;
  logic [3:0]  fe_cause, chk_cause;
  logic [31:0] fe_info, chk_info, tok_info;
  logic [15:0] tok_pc;
  logic [1:0]  tok_err_src;
  logic [PcW-1:0] fe_pc;
  logic        any_err;
  logic [3:0]  new_cause;
  logic [31:0] new_pc, new_info;

  // units and front end
  logic        fe_go, fe_halt, fe_acted, fe_stalled, fe_push;
  logic [1:0]  fe_push_q_sel;
  logic [dlp_pkg::UopW-1:0] fe_push_uop;
  logic [QCntW-1:0] q_count [dlp_pkg::NumQueues];
  logic        units_idle, started, retired;
  logic        dma_start, dma_done, dma_busy, dma_idle, cp_start, cp_busy, cp_is_mfu;
  logic        vf_start, vf_busy;
  logic [dlp_pkg::UopW-1:0] dma_uop, cp_uop, vf_uop;
  logic        mfu_done, vfu_done, fetch_done, dma_bus_error;
  logic        dma_unit_busy, mfu_unit_busy, vfu_unit_busy; // the units' own view, for assertions
  logic        dma_retire, cp_retire, vf_retire;
  logic [15:0] dma_retire_pc, cp_retire_pc, vf_retire_pc;
  logic        run_stop;  // freeze front end and scheduler

  // cycle-0 program checks
  logic [63:0] prog_hi;
  always_comb begin
    prog_hi = 64'(run_addr_q) + 64'(run_len_q) * 64'd16 - 64'd1;
    chk_err = 1'b0;
    chk_cause = CAUSE_NONE;
    chk_info = '0;
    if (run_len_q == '0 || run_len_q > 32'(ImemInsns) || run_addr_q[3:0] != 4'd0) begin
      chk_err = 1'b1;
      chk_cause = CAUSE_BAD_PROGRAM;
      chk_info = run_len_q;
    end else if (run_addr_q < run_base_q || prog_hi >= 64'(run_limit_q)) begin
      chk_err = 1'b1;
      chk_cause = CAUSE_DRAM_WINDOW;
      chk_info = (run_addr_q < run_base_q) ? run_addr_q : prog_hi[31:0];
    end
  end

  assign timeout  = state_q == StRun && run_cyc_limit_q != '0 && cycles_q >= run_cyc_limit_q;
  assign deadlock = state_q == StRun && fe_stalled && units_idle && !started;
  assign bus_err  = (state_q == StFetch || state_q == StRun) && dma_bus_error;

  always_comb begin
    any_err = 1'b1;
    new_cause = CAUSE_NONE;
    new_pc = 32'(fe_pc);
    new_info = '0;
    if (state_q == StCheck && chk_err) begin
      new_cause = chk_cause;
      new_pc = '0;
      new_info = chk_info;
    end else if (timeout) begin
      new_cause = CAUSE_TIMEOUT;
      new_info = 32'(fe_pc);
    end else if (fe_err) begin
      new_cause = fe_cause;
      new_info = fe_info;
    end else if (tok_err) begin
      new_cause = CAUSE_TOKEN_OVERFLOW;
      new_pc = 32'(tok_pc);
      new_info = tok_info;
    end else if (deadlock) begin
      new_cause = CAUSE_DEADLOCK;
      new_info = 32'(fe_pc);
    end else if (bus_err) begin
      new_cause = CAUSE_BUS_ERROR;
    end else begin
      any_err = 1'b0;
    end
  end

  // In a model cycle, units start before the front end acts and retire after it; only the
  // watchdog (checked first) prevents starts. A front-end error suppresses the cycle's retires; a
  // token overflow suppresses the retires processed after it (order: DMA, CP, VF).
  assign run_stop = state_q != StRun || timeout;
  logic kill_retire;
  assign kill_retire = timeout || fe_err;

  always_comb begin
    state_d = state_q;
    fe_go = 1'b0;
    unique case (state_q)
      StIdle:  if (csr_start) state_d = StCheck;
      StCheck: state_d = any_err ? (dma_idle ? StEnd : StDrain) : StFetch;
      StFetch: begin
        if (any_err) state_d = dma_idle ? StEnd : StDrain;
        else if (fetch_done) begin
          fe_go = 1'b1;
          state_d = StRun;
        end
      end
      StRun: begin
        if (any_err) state_d = dma_idle ? StEnd : StDrain;
        else if (fe_halt) state_d = StEnd;
      end
      StDrain: if (dma_idle) state_d = StEnd;
      StEnd:   state_d = StIdle;
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      run_addr_q <= '0;
      run_len_q <= '0;
      run_base_q <= '0;
      run_limit_q <= '0;
      run_cyc_limit_q <= '0;
      end_err_q <= 1'b0;
      err_cause_q <= CAUSE_NONE;
      err_pc_q <= '0;
      err_info_q <= '0;
      cycles_q <= '0;
    end else begin
      state_q <= state_d;
      if (state_q == StIdle && csr_start) begin
        run_addr_q <= prog_addr;
        run_len_q <= prog_len;
        run_base_q <= win_base;
        run_limit_q <= win_limit;
        run_cyc_limit_q <= cycle_limit;
        end_err_q <= 1'b0;
        cycles_q <= '0;
      end else if (cnt_cycle) begin
        cycles_q <= cycles_q + 64'd1;
      end
      if (any_err && !end_err_q && state_q != StIdle && state_q != StEnd && state_q != StDrain) begin
        end_err_q <= 1'b1;
        err_cause_q <= new_cause;
        err_pc_q <= new_pc;
        err_info_q <= new_info;
      end
    end
  end

  assign run_busy  = state_q != StIdle;
  assign end_done  = state_q == StEnd && !end_err_q;
  assign end_error = state_q == StEnd && end_err_q;
  assign cnt_clear = state_q == StIdle && csr_start;
  assign cnt_cycle = state_q == StCheck || state_q == StFetch || state_q == StRun ||
                     (state_q == StDrain && !dma_idle);

  // ---- memories ---------------------------------------------------------------------------------------
  // NRAM, WRAM and ACC are split in halves (dlp_banked_mem Halves = 1): port B serves the MFU,
  // port C the VFU, each on the halves its instruction owns (docs/timing.md, "Compute units").
  // NRAM: port A = DMA, port B = MFU (read), port C = VFU (read/write)
  logic                   nram_a_en, nram_a_we;
  logic [NramAW-1:0]      nram_a_addr;
  logic [BeatLenW-1:0]    nram_a_len;
  logic [BeatBytes*8-1:0] nram_a_wdata, nram_a_rdata;
  logic [Rows*8-1:0]      nram_b_rdata;
  logic [VLanes*8-1:0]    nram_c_rdata;
  // WRAM: port A = DMA, port B = MFU weights, port C = VFU parameters (read only)
  logic                   wram_a_en, wram_a_we;
  logic [WramAW-1:0]      wram_a_addr;
  logic [BeatLenW-1:0]    wram_a_len;
  logic [BeatBytes*8-1:0] wram_a_wdata, wram_a_rdata;
  logic [Cols*8-1:0]      wram_b_rdata;
  logic [VLanes*32-1:0]   wram_c_rdata;
  // ACC: port A = MFU writes, port B = MFU reads, port C = VFU reads
  logic                   acc_a_we;
  logic [AccAW-1:0]       acc_a_addr;
  logic [$clog2(Cols+1)-1:0] acc_a_len;
  logic [Cols*32-1:0]     acc_a_wdata, acc_a_rdata;
  logic [Cols*32-1:0]     acc_b_rdata;
  logic [VLanes*32-1:0]   acc_c_rdata;
  // halves owned by the MFU's and the VFU's instructions (dlp_pkg::Bank* bits)
  logic [dlp_pkg::NumBanks-1:0] mfu_own, vfu_own;
  // unit memory requests (declared here: the memories come first)
  logic                   mfu_nram_en, mfu_wram_en, mfu_acc_rd_en;
  logic [NramAW-1:0]      mfu_nram_addr;
  logic [WramAW-1:0]      mfu_wram_addr;
  logic [AccAW-1:0]       mfu_acc_rd_addr;
  logic                   vfu_nram_en, vfu_nram_we, vfu_wram_en, vfu_acc_en;
  logic [NramAW-1:0]      vfu_nram_addr;
  logic [$clog2(VLanes+1)-1:0] vfu_nram_len;
  logic [VLanes*8-1:0]    vfu_nram_wdata;
  logic [WramAW-1:0]      vfu_wram_addr;
  logic [AccAW-1:0]       vfu_acc_addr;
  // IMEM: port A = fetch writes, port B = front end reads
  logic                   imem_a_en, imem_a_we;
  logic [ImemAW-1:0]      imem_a_addr;
  logic [BeatLenW-1:0]    imem_a_len;
  logic [BeatBytes*8-1:0] imem_a_wdata, imem_a_rdata;
  logic                   imem_b_en;
  logic [ImemAW-1:0]      imem_b_addr;
  logic [127:0]           imem_b_rdata;
  logic [7:0]             imem_c_rdata;  // port C unused

  dlp_banked_mem #(.Width(8), .Elems(NramBytes), .PortAElems(BeatBytes), .PortBElems(Rows),
                   .PortCElems(VLanes), .Halves(1'b1))
  u_nram (
    .clk_i (clk_i),
    .a_en_i (nram_a_en), .a_we_i (nram_a_we), .a_addr_i (nram_a_addr), .a_len_i (nram_a_len),
    .a_wdata_i (nram_a_wdata), .a_rdata_o (nram_a_rdata),
    .b_en_i (mfu_nram_en), .b_we_i (1'b0), .b_addr_i (mfu_nram_addr), .b_len_i ('0),
    .b_wdata_i ('0), .b_rdata_o (nram_b_rdata),
    .c_en_i (vfu_nram_en), .c_we_i (vfu_nram_we), .c_addr_i (vfu_nram_addr),
    .c_len_i (vfu_nram_len), .c_wdata_i (vfu_nram_wdata), .c_rdata_o (nram_c_rdata),
    .b_own_i (mfu_own[dlp_pkg::BankNram +: 2]), .c_own_i (vfu_own[dlp_pkg::BankNram +: 2])
  );

  dlp_banked_mem #(.Width(8), .Elems(WramBytes), .PortAElems(BeatBytes), .PortBElems(Cols),
                   .PortCElems(4 * VLanes), .Halves(1'b1))
  u_wram (
    .clk_i (clk_i),
    .a_en_i (wram_a_en), .a_we_i (wram_a_we), .a_addr_i (wram_a_addr), .a_len_i (wram_a_len),
    .a_wdata_i (wram_a_wdata), .a_rdata_o (wram_a_rdata),
    .b_en_i (mfu_wram_en), .b_we_i (1'b0), .b_addr_i (mfu_wram_addr), .b_len_i ('0),
    .b_wdata_i ('0), .b_rdata_o (wram_b_rdata),
    .c_en_i (vfu_wram_en), .c_we_i (1'b0), .c_addr_i (vfu_wram_addr), .c_len_i ('0),
    .c_wdata_i ('0), .c_rdata_o (wram_c_rdata),
    .b_own_i (mfu_own[dlp_pkg::BankWram +: 2]), .c_own_i (vfu_own[dlp_pkg::BankWram +: 2])
  );

  dlp_banked_mem #(.Width(32), .Elems(AccElems), .PortAElems(Cols), .PortBElems(Cols),
                   .PortCElems(VLanes), .Halves(1'b1))
  u_acc (
    .clk_i (clk_i),
    .a_en_i (acc_a_we), .a_we_i (acc_a_we), .a_addr_i (acc_a_addr), .a_len_i (acc_a_len),
    .a_wdata_i (acc_a_wdata), .a_rdata_o (acc_a_rdata),
    .b_en_i (mfu_acc_rd_en), .b_we_i (1'b0), .b_addr_i (mfu_acc_rd_addr), .b_len_i ('0),
    .b_wdata_i ('0), .b_rdata_o (acc_b_rdata),
    .c_en_i (vfu_acc_en), .c_we_i (1'b0), .c_addr_i (vfu_acc_addr), .c_len_i ('0),
    .c_wdata_i ('0), .c_rdata_o (acc_c_rdata),
    .b_own_i (mfu_own[dlp_pkg::BankAcc +: 2]), .c_own_i (vfu_own[dlp_pkg::BankAcc +: 2])
  );

  dlp_banked_mem #(.Width(8), .Elems(ImemBytes), .PortAElems(BeatBytes), .PortBElems(16))
  u_imem (
    .clk_i (clk_i),
    .a_en_i (imem_a_en), .a_we_i (imem_a_we), .a_addr_i (imem_a_addr), .a_len_i (imem_a_len),
    .a_wdata_i (imem_a_wdata), .a_rdata_o (imem_a_rdata),
    .b_en_i (imem_b_en), .b_we_i (1'b0), .b_addr_i (imem_b_addr), .b_len_i ('0),
    .b_wdata_i ('0), .b_rdata_o (imem_b_rdata),
    .c_en_i (1'b0), .c_we_i (1'b0), .c_addr_i ('0), .c_len_i ('0), .c_wdata_i ('0),
    .c_rdata_o (imem_c_rdata), .b_own_i ('0), .c_own_i ('0)
  );

  // ---- front end and scheduler ------------------------------------------------------------------------
  logic        fe_retire, fe_reg_we;
  logic [3:0]  fe_reg_idx;
  logic [31:0] fe_reg_data;

  dlp_frontend #(
    .ImemInsns  (ImemInsns),
    .LoopDepth  (LoopDepth),
    .QueueDepth (QueueDepth),
    .NramBytes  (NramBytes),
    .WramBytes  (WramBytes),
    .AccElems   (AccElems),
    .BeatBytes  (BeatBytes),
    .PcW        (PcW)
  ) u_frontend (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .go_i           (fe_go),
    .stop_i         (run_stop),
    .n_insns_i      (PcW'(run_len_q)),
    .win_base_i     (run_base_q),
    .win_limit_i    (run_limit_q),
    .imem_en_o      (imem_b_en),
    .imem_addr_o    (imem_b_addr),
    .imem_rdata_i   (imem_b_rdata),
    .imem_wr_en_i   (imem_a_en && imem_a_we),
    .imem_wr_addr_i (imem_a_addr),
    .imem_wr_len_i  (imem_a_len),
    .imem_wr_data_i (imem_a_wdata),
    .q_count_i      (q_count),
    .units_idle_i   (units_idle),
    .push_o         (fe_push),
    .push_queue_o   (fe_push_q_sel),
    .push_uop_o     (fe_push_uop),
    .acted_o        (fe_acted),
    .stalled_o      (fe_stalled),
    .halt_o         (fe_halt),
    .err_o          (fe_err),
    .err_cause_o    (fe_cause),
    .err_info_o     (fe_info),
    .pc_o           (fe_pc),
    .retire_o       (fe_retire),
    .reg_we_o       (fe_reg_we),
    .reg_idx_o      (fe_reg_idx),
    .reg_data_o     (fe_reg_data)
  );

  dlp_sched #(
    .QueueDepth (QueueDepth),
    .TokenMax   (TokenMax)
  ) u_sched (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .clear_i         (cnt_clear),
    .stop_i          (run_stop),
    .push_i          (fe_push),
    .push_queue_i    (fe_push_q_sel),
    .push_uop_i      (fe_push_uop),
    .q_count_o       (q_count),
    .units_idle_o    (units_idle),
    .dma_start_o     (dma_start),
    .dma_uop_o       (dma_uop),
    .dma_done_i      (dma_done),
    .dma_busy_o      (dma_busy),
    .cp_start_o      (cp_start),
    .cp_uop_o        (cp_uop),
    .cp_is_mfu_o     (cp_is_mfu),
    .cp_busy_o       (cp_busy),
    .vf_start_o      (vf_start),
    .vf_uop_o        (vf_uop),
    .vf_busy_o       (vf_busy),
    .mfu_done_i      (mfu_done),
    .vfu_done_i      (vfu_done),
    .started_o       (started),
    .retired_o       (retired),
    .tok_err_o       (tok_err),
    .tok_err_pc_o    (tok_pc),
    .tok_err_info_o  (tok_info),
    .tok_err_src_o   (tok_err_src),
    .dma_retire_o    (dma_retire),
    .dma_retire_pc_o (dma_retire_pc),
    .cp_retire_o     (cp_retire),
    .cp_retire_pc_o  (cp_retire_pc),
    .vf_retire_o     (vf_retire),
    .vf_retire_pc_o  (vf_retire_pc)
  );

  // ---- DMA engine -------------------------------------------------------------------------------------
  // the sched's start is gated by run_stop (an error in the start cycle starts nothing)
  dlp_dma #(
    .BeatBytes      (BeatBytes),
    .BurstBeats     (BurstBeats),
    .MaxOutstanding (MaxOutstanding),
    .NramBytes      (NramBytes),
    .WramBytes      (WramBytes),
    .ImemBytes      (ImemBytes)
  ) u_dma (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .start_i         (dma_start),
    .uop_i           (dma_uop),
    .done_o          (dma_done),
    .busy_o          (dma_unit_busy),
    .abort_i         (any_err || state_q == StDrain),
    .idle_o          (dma_idle),
    .fetch_start_i   (state_q == StCheck && !any_err),
    .fetch_addr_i    (run_addr_q),
    .fetch_bytes_i   (run_len_q * 32'd16),
    .fetch_done_o    (fetch_done),
    .imem_en_o       (imem_a_en),
    .imem_we_o       (imem_a_we),
    .imem_addr_o     (imem_a_addr),
    .imem_len_o      (imem_a_len),
    .imem_wdata_o    (imem_a_wdata),
    .nram_en_o       (nram_a_en),
    .nram_we_o       (nram_a_we),
    .nram_addr_o     (nram_a_addr),
    .nram_len_o      (nram_a_len),
    .nram_wdata_o    (nram_a_wdata),
    .nram_rdata_i    (nram_a_rdata),
    .wram_en_o       (wram_a_en),
    .wram_we_o       (wram_a_we),
    .wram_addr_o     (wram_a_addr),
    .wram_len_o      (wram_a_len),
    .wram_wdata_o    (wram_a_wdata),
    .wram_rdata_i    (wram_a_rdata),
    .m_axi_araddr_o  (m_axi_araddr_o),
    .m_axi_arlen_o   (m_axi_arlen_o),
    .m_axi_arsize_o  (m_axi_arsize_o),
    .m_axi_arburst_o (m_axi_arburst_o),
    .m_axi_arvalid_o (m_axi_arvalid_o),
    .m_axi_arready_i (m_axi_arready_i),
    .m_axi_rdata_i   (m_axi_rdata_i),
    .m_axi_rresp_i   (m_axi_rresp_i),
    .m_axi_rlast_i   (m_axi_rlast_i),
    .m_axi_rvalid_i  (m_axi_rvalid_i),
    .m_axi_rready_o  (m_axi_rready_o),
    .m_axi_awaddr_o  (m_axi_awaddr_o),
    .m_axi_awlen_o   (m_axi_awlen_o),
    .m_axi_awsize_o  (m_axi_awsize_o),
    .m_axi_awburst_o (m_axi_awburst_o),
    .m_axi_awvalid_o (m_axi_awvalid_o),
    .m_axi_awready_i (m_axi_awready_i),
    .m_axi_wdata_o   (m_axi_wdata_o),
    .m_axi_wstrb_o   (m_axi_wstrb_o),
    .m_axi_wlast_o   (m_axi_wlast_o),
    .m_axi_wvalid_o  (m_axi_wvalid_o),
    .m_axi_wready_i  (m_axi_wready_i),
    .m_axi_bresp_i   (m_axi_bresp_i),
    .m_axi_bvalid_i  (m_axi_bvalid_i),
    .m_axi_bready_o  (m_axi_bready_o),
    .bus_error_o     (dma_bus_error)
  );

  // ---- compute units: the MFU runs CP's mm, the VFU CP's vector instructions and VF's ---------------
  logic                     mfu_start, vfu_start, vfu_vf_q;
  logic [dlp_pkg::UopW-1:0] vfu_uop;
  logic [dlp_pkg::NumBanks-1:0] mfu_own_q, vfu_own_q;

  assign mfu_start = cp_start && cp_uop[5:0] == OP_MM;
  assign vfu_start = (cp_start && cp_uop[5:0] != OP_MM) || vf_start;
  assign vfu_uop   = vf_start ? vf_uop : cp_uop;

  // Each unit owns the memory halves of its instruction from its start cycle on (the VFU makes
  // requests in its start cycle); the halves of a finished instruction are left in place.
  assign mfu_own = mfu_start ? cp_uop[dlp_pkg::UopBanksLo +: dlp_pkg::NumBanks] : mfu_own_q;
  assign vfu_own = vfu_start ? vfu_uop[dlp_pkg::UopBanksLo +: dlp_pkg::NumBanks] : vfu_own_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      mfu_own_q <= '0;
      vfu_own_q <= '0;
      vfu_vf_q <= 1'b0;
    end else begin
      mfu_own_q <= mfu_own;
      vfu_own_q <= vfu_own;
      if (vfu_start) vfu_vf_q <= vf_start;
    end
  end

  dlp_mfu #(
    .Rows      (Rows),
    .Cols      (Cols),
    .DspPes    (DspPes),
    .NramBytes (NramBytes),
    .WramBytes (WramBytes),
    .AccElems  (AccElems)
  ) u_mfu (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .start_i        (mfu_start),
    .uop_i          (cp_uop),
    .done_o         (mfu_done),
    .busy_o         (mfu_unit_busy),
    .abort_i        (any_err),
    .nram_en_o      (mfu_nram_en),
    .nram_addr_o    (mfu_nram_addr),
    .nram_rdata_i   (nram_b_rdata),
    .wram_en_o      (mfu_wram_en),
    .wram_addr_o    (mfu_wram_addr),
    .wram_rdata_i   (wram_b_rdata),
    .acc_rd_en_o    (mfu_acc_rd_en),
    .acc_rd_addr_o  (mfu_acc_rd_addr),
    .acc_rd_data_i  (acc_b_rdata),
    .acc_we_o       (acc_a_we),
    .acc_wr_addr_o  (acc_a_addr),
    .acc_wr_len_o   (acc_a_len),
    .acc_wr_data_o  (acc_a_wdata)
  );

  dlp_vfu #(
    .VLanes    (VLanes),
    .NramBytes (NramBytes),
    .WramBytes (WramBytes),
    .AccElems  (AccElems)
  ) u_vfu (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .start_i      (vfu_start),
    .uop_i        (vfu_uop),
    .done_o       (vfu_done),
    .busy_o       (vfu_unit_busy),
    .abort_i      (any_err),
    .nram_en_o    (vfu_nram_en),
    .nram_we_o    (vfu_nram_we),
    .nram_addr_o  (vfu_nram_addr),
    .nram_len_o   (vfu_nram_len),
    .nram_wdata_o (vfu_nram_wdata),
    .nram_rdata_i (nram_c_rdata),
    .wram_en_o    (vfu_wram_en),
    .wram_addr_o  (vfu_wram_addr),
    .wram_rdata_i (wram_c_rdata),
    .acc_en_o     (vfu_acc_en),
    .acc_addr_o   (vfu_acc_addr),
    .acc_rdata_i  (acc_c_rdata)
  );

  // ---- counters -----------------------------------------------------------------------------------------
  assign cnt_bdma  = state_q == StRun && dma_busy;
  assign cnt_bmfu  = state_q == StRun && cp_busy && cp_is_mfu;
  assign cnt_bvfu  = state_q == StRun && ((cp_busy && !cp_is_mfu) || vf_busy);
  logic fe_ret, dma_ret, cp_ret, vf_ret; // retires that the model performs in this cycle
  assign fe_ret    = fe_retire && !timeout;
  assign dma_ret   = dma_retire && !kill_retire;
  assign cp_ret    = cp_retire && !kill_retire && !(tok_err && tok_err_src == 2'd0);
  assign vf_ret    = vf_retire && !kill_retire && !(tok_err && tok_err_src != 2'd2);
  assign cnt_insns = 3'(fe_ret) + 3'(dma_ret) + 3'(cp_ret) + 3'(vf_ret);

  // DRAM bytes and MACs of an instruction are counted when it starts (registered multiplies).
  // A DMA instruction moves DRAM bytes on one side only (DRAM to DRAM is illegal): its source
  // (n0 x n1 x n2 bytes) or its destination with the padding (w1 x h1 x n2). The operands have
  // their field widths, so that the products are no wider than they can be.
  always_ff @(posedge clk_i) begin
    logic [20:0] da;       // n0 or w1 = pl + n0 + pr
    logic [16:0] db;       // n1 or h1 = pt + n1 + pb
    logic [11:0] dc;       // n2
    logic [32:0] dac;
    logic [49:0] dbytes;
    logic [27:0] mm01;
    logic [31:0] mkn;
    logic        src_dram, dst_dram;
    src_dram = dma_uop[F_SSP_LO +: 2] == dlp_isa_pkg::SPACE_DRAM;
    dst_dram = dma_uop[F_DSP_LO +: 2] == dlp_isa_pkg::SPACE_DRAM;
    da = src_dram ? 21'(dma_uop[F_N0_LO +: F_N0_W])
                  : 21'(dma_uop[F_N0_LO +: F_N0_W]) + 21'(dma_uop[F_PL_LO +: F_PL_W]) +
                    21'(dma_uop[F_PR_LO +: F_PR_W]);
    db = src_dram ? 17'(dma_uop[F_N1_LO +: F_N1_W])
                  : 17'(dma_uop[F_N1_LO +: F_N1_W]) + 17'(dma_uop[F_PT_LO +: F_PT_W]) +
                    17'(dma_uop[F_PB_LO +: F_PB_W]);
    dc = 12'(dma_uop[F_N2_LO +: F_N2_W]);
    dac = 33'(da) * 33'(dc);
    dbytes = 50'(dac) * 50'(db);
    mm01 = 28'(cp_uop[F_M0_LO +: F_M0_W]) * 28'(cp_uop[F_M1_LO +: F_M1_W]);
    mkn = 32'(cp_uop[F_KDIM_LO +: F_KDIM_W]) * 32'(cp_uop[F_NDIM_LO +: F_NDIM_W]);
    cnt_rd_q <= '0;
    cnt_wr_q <= '0;
    cnt_macs_q <= '0;
    if (state_q == StCheck && !any_err) cnt_rd_q <= 64'(run_len_q) * 64'd16;
    if (dma_start && !any_err) begin
      if (src_dram) cnt_rd_q <= 64'(dbytes);
      if (dst_dram) cnt_wr_q <= 64'(dbytes);
    end
    if (mfu_start && !any_err) cnt_macs_q <= 64'(mm01) * 64'(mkn);
  end

  // ---- trace port ----------------------------------------------------------------------------------------
  assign tr_cycle0_o      = state_q == StCheck;
  assign tr_run_end_o     = state_q == StEnd;
  assign tr_fe_retire_o   = fe_ret;
  assign tr_fe_pc_o       = 16'(fe_pc);
  assign tr_reg_we_o      = fe_reg_we && fe_ret;
  assign tr_reg_idx_o     = fe_reg_idx;
  assign tr_reg_data_o    = fe_reg_data;
  assign tr_dma_retire_o  = dma_ret;
  assign tr_dma_pc_o      = dma_retire_pc;
  assign tr_cp_retire_o   = cp_ret;
  assign tr_cp_pc_o       = cp_retire_pc;
  assign tr_vf_retire_o   = vf_ret;
  assign tr_vf_pc_o       = vf_retire_pc;
  assign tr_nram_a_we_o   = nram_a_en && nram_a_we;
  assign tr_nram_a_addr_o = 32'(nram_a_addr);
  assign tr_nram_a_len_o  = 8'(nram_a_len);
  assign tr_nram_a_data_o = nram_a_wdata;
  assign tr_wram_a_we_o   = wram_a_en && wram_a_we;
  assign tr_wram_a_addr_o = 32'(wram_a_addr);
  assign tr_wram_a_len_o  = 8'(wram_a_len);
  assign tr_wram_a_data_o = wram_a_wdata;
  // the compute side writes NRAM only through the VFU (port C)
  assign tr_nram_b_we_o   = vfu_nram_en && vfu_nram_we;
  assign tr_nram_b_addr_o = 32'(vfu_nram_addr);
  assign tr_nram_b_len_o  = 8'(vfu_nram_len);
  assign tr_nram_b_data_o = (NramPortB * 8)'(vfu_nram_wdata);
  assign tr_nram_b_vf_o   = vfu_start ? vf_start : vfu_vf_q;
  assign tr_acc_we_o      = acc_a_we;
  assign tr_acc_addr_o    = 32'(acc_a_addr);
  assign tr_acc_len_o     = 8'(acc_a_len);
  assign tr_acc_data_o    = acc_a_wdata;

  logic unused;
  assign unused = ^{imem_a_rdata, imem_c_rdata, acc_a_rdata, fe_acted, retired, dma_busy, cp_is_mfu, cp_busy,
                    mfu_acc_rd_en, dma_unit_busy, mfu_unit_busy, vfu_unit_busy};

endmodule

`default_nettype wire
