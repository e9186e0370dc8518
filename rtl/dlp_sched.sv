// SPDX-License-Identifier: Apache-2.0
// OpenDLP scheduler: the LD, CP, VF and ST queues, the twelve token channels, and the starting
// and retiring of instructions on the DMA engine (serving LD and ST, round robin), the matrix
// unit (CP's mm) and the vector unit (CP's vector instructions and VF's). Mirrors the queue/unit
// part of the C model's cycle() (cmodel/src/machine.c): in a cycle, idle units start ready queue
// heads (consuming tokens as they were at the start of the cycle; CP before VF), then units whose
// last cycle this is retire and signal tokens (usable next cycle). An mm and a VF instruction
// run at the same time only on disjoint memory halves (uop bits dlp_pkg::UopBanksLo).
`default_nettype none

module dlp_sched
  import dlp_isa_pkg::*;
#(
  parameter int unsigned QueueDepth = 8,
  parameter int unsigned TokenMax   = 15,
  parameter int unsigned QCntW      = $clog2(QueueDepth + 1),
  parameter int unsigned TokW       = $clog2(TokenMax + 1)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic                     clear_i,     // start of a run: empty queues and channels
  input  logic                     stop_i,      // error: start nothing more
  // from the front end
  input  logic                     push_i,
  input  logic [1:0]               push_queue_i,
  input  logic [dlp_pkg::UopW-1:0] push_uop_i,
  output logic [QCntW-1:0]         q_count_o [dlp_pkg::NumQueues],
  output logic                     units_idle_o, // no unit busy at the start of the cycle
  // DMA engine
  output logic                     dma_start_o,
  output logic [dlp_pkg::UopW-1:0] dma_uop_o,
  input  logic                     dma_done_i,
  output logic                     dma_busy_o,   // executing in this cycle (start included)
  // CP queue: mm on the MFU, vector instructions on the VFU
  output logic                     cp_start_o,
  output logic [dlp_pkg::UopW-1:0] cp_uop_o,
  output logic                     cp_is_mfu_o,  // the running (or starting) CP instruction is mm
  output logic                     cp_busy_o,
  // VF queue: vector instructions on the VFU
  output logic                     vf_start_o,
  output logic [dlp_pkg::UopW-1:0] vf_uop_o,
  output logic                     vf_busy_o,
  // the compute units' done pulses
  input  logic                     mfu_done_i,
  input  logic                     vfu_done_i,
  // events
  output logic                     started_o,    // a unit started this cycle
  output logic                     retired_o,    // a unit retired this cycle
  output logic                     tok_err_o,    // TOKEN_OVERFLOW this cycle
  output logic [15:0]              tok_err_pc_o,
  output logic [31:0]              tok_err_info_o,
  output logic [1:0]               tok_err_src_o, // whose overflow: 0 DMA, 1 CP, 2 VF
  output logic                     dma_retire_o,
  output logic [15:0]              dma_retire_pc_o,
  output logic                     cp_retire_o,
  output logic [15:0]              cp_retire_pc_o,
  output logic                     vf_retire_o,
  output logic [15:0]              vf_retire_pc_o
);

  localparam int unsigned PtrW = QueueDepth > 1 ? $clog2(QueueDepth) : 1;
  localparam int unsigned NQ   = dlp_pkg::NumQueues;
  localparam int unsigned NB   = dlp_pkg::NumBanks;
  localparam int unsigned QLd = dlp_pkg::QLd, QCp = dlp_pkg::QCp, QSt = dlp_pkg::QSt,
                          QVf = dlp_pkg::QVf;

  // The encoded 3-bit wait/signal mask of an instruction on queue q, by queue: the bit of the
  // own queue names VF (docs/isa.md). For a fixed q this is wiring.
  function automatic logic [NQ-1:0] by_queue(input logic [2:0] m, input int unsigned q);
    by_queue = {1'b0, m};
    if (q != QVf) begin
      by_queue[q] = 1'b0;
      by_queue[QVf] = m[q];
    end
  endfunction

  // ---- queues ------------------------------------------------------------------------------------
  // Each queue is a memory with one write port (the tail) and one asynchronous read port (the
  // head), written in a process of its own without reset so that FPGA tools map it to LUT RAM
  // (on the ECP5, TRELLIS_DPR16X4) instead of QueueDepth x UopW flip-flops and a read multiplexer.
  logic [PtrW-1:0]          q_head_q [NQ];
  logic [QCntW-1:0]         q_cnt_q [NQ];
  logic [NQ-1:0]            pop;

  function automatic logic [PtrW-1:0] wrap_inc(input logic [PtrW-1:0] p);
    wrap_inc = (p == PtrW'(QueueDepth - 1)) ? '0 : p + 1'b1;
  endfunction

  function automatic logic [PtrW-1:0] tail(input logic [PtrW-1:0] head, input logic [QCntW-1:0] cnt);
    logic [PtrW:0] s;
    s = {1'b0, head} + (PtrW + 1)'(cnt);
    tail = (s >= (PtrW + 1)'(QueueDepth)) ? PtrW'(s - (PtrW + 1)'(QueueDepth)) : PtrW'(s);
  endfunction

  // The write into the memory happens one cycle after the push, from registers (pw_*), and a
  // head read of the slot being written takes the registered data: FPGA timing models treat a
  // LUT RAM's write port as a path to its read data, and the push depends on the front end's
  // checks of the cycle. Only one queue is pushed per cycle, so one data register serves all.
  logic [dlp_pkg::UopW-1:0] head [NQ];
  logic [NQ-1:0]            head_wait [NQ];
  logic [NB-1:0]            head_banks [NQ];
  logic [NQ-1:0]            q_we;
  logic [dlp_pkg::UopW-1:0] pw_data_q;
  always_ff @(posedge clk_i) begin
    if (q_we != '0) pw_data_q <= push_uop_i;
  end
  for (genvar q = 0; q < NQ; q++) begin : g_queue
    logic [dlp_pkg::UopW-1:0] mem [QueueDepth];
    logic                     pw_q;
    logic [PtrW-1:0]          pw_ptr_q;
    always_ff @(posedge clk_i) begin
      if (!rst_ni) pw_q <= 1'b0;
      else         pw_q <= q_we[q];
      pw_ptr_q <= tail(q_head_q[q], q_cnt_q[q]);
    end
    always_ff @(posedge clk_i) begin
      if (pw_q) mem[pw_ptr_q] <= pw_data_q;
    end
    assign head[q] = (pw_q && pw_ptr_q == q_head_q[q]) ? pw_data_q : mem[q_head_q[q]];
    assign head_wait[q] = by_queue(head[q][F_WAIT_LO +: 3], q);
    assign head_banks[q] = head[q][dlp_pkg::UopBanksLo +: NB];
  end

  // ---- tokens: tok_q[from][to] ----------------------------------------------------------------------
  logic [TokW-1:0] tok_q [NQ][NQ];
  logic [NQ-1:0]   consume [NQ]; // consume[to][from]

  // a head is ready if it exists and every channel it waits on holds a token
  logic [NQ-1:0] ready;
  always_comb begin
    for (int q = 0; q < NQ; q++) begin
      ready[q] = q_cnt_q[q] != '0;
      for (int f = 0; f < NQ; f++)
        if (head_wait[q][f] && tok_q[f][q] == '0) ready[q] = 1'b0;
    end
  end

  // ---- units ---------------------------------------------------------------------------------------
  logic        dma_busy_q, cp_busy_q, vf_busy_q;
  logic [1:0]  dma_queue_q;            // queue of the running DMA instruction
  logic        rr_last_ld_q;            // the DMA engine served LD last
  logic [2:0]  dma_sig_q, cp_sig_q, vf_sig_q; // encoded signal masks of the running instructions
  logic [15:0] dma_pc_q, cp_pc_q, vf_pc_q;
  logic [NB-1:0] cp_banks_q, vf_banks_q; // memory halves of the running CP and VF instructions
  logic        cp_mfu_q;
  logic        pick_ld, pick_st, cp_head_mm;
  logic [NB-1:0] mfu_banks;              // halves of the MFU's instruction in this cycle

  always_comb begin
    pick_ld = 1'b0;
    pick_st = 1'b0;
    if (!dma_busy_q && !stop_i) begin
      if (ready[QLd] && ready[QSt]) begin
        pick_ld = !rr_last_ld_q;
        pick_st = rr_last_ld_q;
      end else begin
        pick_ld = ready[QLd];
        pick_st = ready[QSt];
      end
    end
    // CP first: an mm needs its halves free of the VF instruction, a vector instruction the VFU
    cp_head_mm = head[QCp][5:0] == OP_MM;
    cp_start_o = !cp_busy_q && !stop_i && ready[QCp] &&
                 (cp_head_mm ? !(vf_busy_q && (head_banks[QCp] & vf_banks_q) != '0) : !vf_busy_q);
    // then VF: the VFU free of a CP vector instruction, the halves free of the MFU's instruction
    mfu_banks = cp_start_o ? (cp_head_mm ? head_banks[QCp] : '0)
                           : ((cp_busy_q && cp_mfu_q) ? cp_banks_q : '0);
    vf_start_o = !vf_busy_q && !stop_i && ready[QVf] &&
                 !(cp_start_o ? !cp_head_mm : (cp_busy_q && !cp_mfu_q)) &&
                 (head_banks[QVf] & mfu_banks) == '0;
    dma_start_o = pick_ld || pick_st;
    dma_uop_o = pick_st ? head[QSt] : head[QLd];
    cp_uop_o = head[QCp];
    vf_uop_o = head[QVf];
    pop = '0;
    pop[QLd] = pick_ld;
    pop[QSt] = pick_st;
    pop[QCp] = cp_start_o;
    pop[QVf] = vf_start_o;
    for (int t = 0; t < NQ; t++) consume[t] = pop[t] ? head_wait[t] : '0;
  end

  assign cp_is_mfu_o = cp_start_o ? cp_head_mm : cp_mfu_q;
  assign dma_busy_o = dma_busy_q || dma_start_o;
  assign cp_busy_o = cp_busy_q || cp_start_o;
  assign vf_busy_o = vf_busy_q || vf_start_o;
  assign units_idle_o = !dma_busy_q && !cp_busy_q && !vf_busy_q;
  assign started_o = dma_start_o || cp_start_o || vf_start_o;

  // ---- retire and signal -------------------------------------------------------------------------------
  // the done pulse may come in the start cycle only in functional timing; use the new values then
  logic [2:0]    dma_sig3, cp_sig3, vf_sig3;
  logic [NQ-1:0] dma_sig, cp_sig, vf_sig;
  logic [1:0]    dma_queue;
  logic [15:0]   dma_pc, cp_pc, vf_pc;
  logic          vfu_for_vf, cp_done, vf_done;
  assign dma_sig3  = dma_start_o ? dma_uop_o[F_SIGNAL_LO +: 3] : dma_sig_q;
  assign cp_sig3   = cp_start_o ? cp_uop_o[F_SIGNAL_LO +: 3] : cp_sig_q;
  assign vf_sig3   = vf_start_o ? vf_uop_o[F_SIGNAL_LO +: 3] : vf_sig_q;
  assign dma_queue = dma_start_o ? (pick_st ? 2'(QSt) : 2'(QLd)) : dma_queue_q;
  assign dma_sig   = (dma_queue == 2'(QSt)) ? by_queue(dma_sig3, QSt) : by_queue(dma_sig3, QLd);
  assign cp_sig    = by_queue(cp_sig3, QCp);
  assign vf_sig    = by_queue(vf_sig3, QVf);
  assign dma_pc    = dma_start_o ? dma_uop_o[dlp_pkg::UopPcLo +: 16] : dma_pc_q;
  assign cp_pc     = cp_start_o ? cp_uop_o[dlp_pkg::UopPcLo +: 16] : cp_pc_q;
  assign vf_pc     = vf_start_o ? vf_uop_o[dlp_pkg::UopPcLo +: 16] : vf_pc_q;
  // the VFU's done belongs to VF while VF has an instruction on it, else to CP
  assign vfu_for_vf = vf_start_o || vf_busy_q;
  assign cp_done = mfu_done_i || (vfu_done_i && !vfu_for_vf);
  assign vf_done = vfu_done_i && vfu_for_vf;

  assign dma_retire_o = dma_done_i && !stop_i;
  assign cp_retire_o = cp_done && !stop_i;
  assign vf_retire_o = vf_done && !stop_i;
  assign dma_retire_pc_o = dma_pc;
  assign cp_retire_pc_o = cp_pc;
  assign vf_retire_pc_o = vf_pc;
  assign retired_o = dma_retire_o || cp_retire_o || vf_retire_o;

  // token counts after this cycle's consumption, and the overflow check of this cycle's signals
  // in the model's order: DMA, CP, VF (each only on channels from its own queue)
  logic [TokW-1:0] tok_after [NQ][NQ];
  logic [NQ-1:0]   add [NQ]; // add[from][to]
  always_comb begin
    tok_err_o = 1'b0;
    tok_err_pc_o = '0;
    tok_err_info_o = '0;
    tok_err_src_o = 2'd0;
    for (int f = 0; f < NQ; f++)
      for (int t = 0; t < NQ; t++)
        tok_after[f][t] = tok_q[f][t] - TokW'(consume[t][f]);
    for (int f = 0; f < NQ; f++) add[f] = '0;
    if (dma_retire_o) add[dma_queue] = dma_sig;
    if (cp_retire_o) add[QCp] = cp_sig;
    if (vf_retire_o) add[QVf] = vf_sig;
    for (int t = 0; t < NQ; t++)
      if (!tok_err_o && dma_retire_o && dma_sig[t] && tok_after[dma_queue][t] >= TokW'(TokenMax)) begin
        tok_err_o = 1'b1;
        tok_err_src_o = 2'd0;
        tok_err_pc_o = dma_pc;
        tok_err_info_o = 32'(dma_queue) * 32'd4 + 32'(t);
      end
    for (int t = 0; t < NQ; t++)
      if (!tok_err_o && cp_retire_o && cp_sig[t] && tok_after[QCp][t] >= TokW'(TokenMax)) begin
        tok_err_o = 1'b1;
        tok_err_src_o = 2'd1;
        tok_err_pc_o = cp_pc;
        tok_err_info_o = 32'(QCp) * 32'd4 + 32'(t);
      end
    for (int t = 0; t < NQ; t++)
      if (!tok_err_o && vf_retire_o && vf_sig[t] && tok_after[QVf][t] >= TokW'(TokenMax)) begin
        tok_err_o = 1'b1;
        tok_err_src_o = 2'd2;
        tok_err_pc_o = vf_pc;
        tok_err_info_o = 32'(QVf) * 32'd4 + 32'(t);
      end
  end

  // ---- registers ---------------------------------------------------------------------------------------
  always_comb begin
    for (int q = 0; q < NQ; q++)
      q_we[q] = rst_ni && !clear_i && !stop_i && push_i && push_queue_i == 2'(q);
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || clear_i) begin
      for (int q = 0; q < NQ; q++) begin
        q_head_q[q] <= '0;
        q_cnt_q[q] <= '0;
      end
      for (int f = 0; f < NQ; f++)
        for (int t = 0; t < NQ; t++) tok_q[f][t] <= '0;
      dma_busy_q <= 1'b0;
      cp_busy_q <= 1'b0;
      vf_busy_q <= 1'b0;
      rr_last_ld_q <= 1'b0;
      dma_queue_q <= '0;
      dma_sig_q <= '0;
      cp_sig_q <= '0;
      vf_sig_q <= '0;
      dma_pc_q <= '0;
      cp_pc_q <= '0;
      vf_pc_q <= '0;
      cp_banks_q <= '0;
      vf_banks_q <= '0;
      cp_mfu_q <= 1'b0;
    end else if (stop_i) begin
      dma_busy_q <= 1'b0;
      cp_busy_q <= 1'b0;
      vf_busy_q <= 1'b0;
    end else begin
      for (int q = 0; q < NQ; q++) begin
        if (pop[q]) q_head_q[q] <= wrap_inc(q_head_q[q]);
        q_cnt_q[q] <= q_cnt_q[q] + QCntW'(q_we[q]) - QCntW'(pop[q]);
      end
      // an overflow stops the core; the other channels keep this cycle's updates (as the model)
      for (int f = 0; f < NQ; f++)
        for (int t = 0; t < NQ; t++)
          tok_q[f][t] <= tok_after[f][t] + TokW'(add[f][t] && !tok_err_o);
      if (dma_start_o) begin
        rr_last_ld_q <= pick_ld;
        dma_queue_q <= dma_queue;
        dma_sig_q <= dma_sig3;
        dma_pc_q <= dma_pc;
      end
      if (cp_start_o) begin
        cp_sig_q <= cp_sig3;
        cp_pc_q <= cp_pc;
        cp_mfu_q <= cp_head_mm;
        cp_banks_q <= head_banks[QCp];
      end
      if (vf_start_o) begin
        vf_sig_q <= vf_sig3;
        vf_pc_q <= vf_pc;
        vf_banks_q <= head_banks[QVf];
      end
      dma_busy_q <= dma_done_i ? 1'b0 : (dma_busy_q || dma_start_o);
      cp_busy_q <= cp_done ? 1'b0 : (cp_busy_q || cp_start_o);
      vf_busy_q <= vf_done ? 1'b0 : (vf_busy_q || vf_start_o);
    end
  end

  always_comb begin
    for (int q = 0; q < NQ; q++) q_count_o[q] = q_cnt_q[q];
  end

endmodule

`default_nettype wire
