// SPDX-License-Identifier: Apache-2.0
// OpenDLP front end: reads instructions from the instruction memory, checks them, executes
// scalar and loop instructions, and pushes queued instructions (with their register values) into
// the LD, CP, VF and ST queues. Cycle behaviour: docs/timing.md, "Dispatch"; it mirrors fe_step() of
// the C model (cmodel/src/machine.c).
//
// The instruction memory has one cycle of read latency: in every cycle the front end presents
// the index of the instruction it will look at in the next cycle (the next pc).
`default_nettype none

module dlp_frontend
  import dlp_isa_pkg::*;
  import dlp_csr_pkg::*;
#(
  parameter int unsigned ImemInsns  = 4096,
  parameter int unsigned LoopDepth  = 4,
  parameter int unsigned QueueDepth = 8,
  parameter int unsigned NramBytes  = 131072,
  parameter int unsigned WramBytes  = 262144,
  parameter int unsigned AccElems   = 16384,
  parameter int unsigned BeatBytes  = 16,
  parameter int unsigned PcW        = 17,
  parameter int unsigned QCntW      = $clog2(QueueDepth + 1),
  parameter int unsigned ImemAddrW  = $clog2(ImemInsns * 16),
  parameter int unsigned BeatLenW   = $clog2(BeatBytes + 1)
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  // run control
  input  logic                         go_i,        // last program word written: start at pc 0
  input  logic                         stop_i,      // the core stops (error, abort)
  input  logic [PcW-1:0]               n_insns_i,
  input  logic [31:0]                  win_base_i,
  input  logic [32:0]                  win_limit_i,
  // instruction memory read port (16 bytes) and a snoop of its write port for forwarding
  output logic                         imem_en_o,
  output logic [ImemAddrW-1:0]         imem_addr_o,
  input  logic [127:0]                 imem_rdata_i,
  input  logic                         imem_wr_en_i,
  input  logic [ImemAddrW-1:0]         imem_wr_addr_i,
  input  logic [BeatLenW-1:0]          imem_wr_len_i,
  input  logic [BeatBytes*8-1:0]       imem_wr_data_i,
  // state of the queues and units at the start of the cycle
  input  logic [QCntW-1:0]             q_count_i [dlp_pkg::NumQueues],
  input  logic                         units_idle_i,
  // push into a queue
  output logic                         push_o,
  output logic [1:0]                   push_queue_o,
  output logic [dlp_pkg::UopW-1:0]     push_uop_o,
  // status
  output logic                         acted_o,     // state changed this cycle
  output logic                         stalled_o,   // blocked on a full queue or in sync/halt
  output logic                         halt_o,      // halt completed this cycle
  output logic                         err_o,
  output logic [3:0]                   err_cause_o,
  output logic [31:0]                  err_info_o,
  output logic [PcW-1:0]               pc_o,
  // retire (trace) of front-end instructions
  output logic                         retire_o,
  output logic                         reg_we_o,
  output logic [3:0]                   reg_idx_o,
  output logic [31:0]                  reg_data_o
);

  localparam int unsigned SpW = $clog2(LoopDepth + 1);
  localparam int unsigned LsW = $clog2(LoopDepth); // LoopDepth >= 2

  // ---- state ---------------------------------------------------------------------------------
  logic             active_q, active_d;
  logic [PcW-1:0]   pc_q, pc_d;
  logic             checked_q, checked_d;  // queued instruction: check cycle done
  logic             bubble_q, bubble_d;    // the cycle after a taken endloop
  logic [15:0]      reg_valid_q;  // written since the start of the run (else it reads 0)
  logic             rf_we;
  logic [32*dlp_isa_pkg::NUM_REG_SLOTS-1:0] slot_rv; // values of the registers the slots name
  logic             reg_write;
  logic [31:0]      reg_value;
  logic [PcW-1:0]   ls_start_q [LoopDepth];
  logic [PcW-1:0]   ls_end_q [LoopDepth];
  logic [31:0]      ls_rem_q [LoopDepth];
  logic [SpW-1:0]   sp_q;
  logic [15:0]      fwd_mask_q;
  logic [127:0]     fwd_data_q;

  // ---- the instruction register: memory output, with forwarding of a same-cycle write -----------
  logic [127:0] ir;
  always_comb begin
    for (int b = 0; b < 16; b++)
      ir[8*b +: 8] = fwd_mask_q[b] ? fwd_data_q[8*b +: 8] : imem_rdata_i[8*b +: 8];
  end

  // ---- decode ------------------------------------------------------------------------------------
  logic       valid_op;
  logic [3:0] dec_cause;
  logic [1:0] qclass, queue;
  dlp_decode_check u_decode (
    .insn_i     (ir),
    .valid_op_o (valid_op),
    .cause_o    (dec_cause),
    .qclass_o   (qclass),
    .queue_o    (queue)
  );

  logic [5:0]  op;
  logic [3:0]  rd;
  logic [31:0] imm, rv1, rv2;
  logic [15:0] lbody;
  assign op    = ir[5:0];
  assign rd    = ir[F_RD_LO +: 4];
  assign imm   = ir[F_IMM32_LO +: 32];
  assign lbody = ir[F_LBODY_LO +: 16];
  assign rv1   = slot_rv[32*SLOT_RS1 +: 32];
  assign rv2   = slot_rv[32*SLOT_RS2 +: 32];

  // Register values of the seven register slots of a queued instruction (slot 1 is also rs1,
  // slot 2 rs2). The register file is one memory per read port with one write port, written
  // in a process without reset so that FPGA tools map it to LUT RAM; a valid bit per register,
  // cleared at the start of a run, makes a register that has not been written read 0. The write
  // reaches the memory one cycle late, from registers, and a read of that register in that cycle
  // takes the registered value: FPGA timing models treat a LUT RAM's write port as a path to its
  // read data, and the write depends on this cycle's checks.
  logic        rfw_q;
  logic [3:0]  rfw_idx_q;
  logic [31:0] rfw_data_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) rfw_q <= 1'b0;
    else         rfw_q <= rf_we;
    rfw_idx_q  <= rd;
    rfw_data_q <= reg_value;
  end
  for (genvar k = 0; k < dlp_isa_pkg::NUM_REG_SLOTS; k++) begin : g_rf
    logic [31:0] mem [16];
    logic [3:0]  ra;
    assign ra = ir[16 + 4*k +: 4];
    always_ff @(posedge clk_i) begin
      if (rfw_q) mem[rfw_idx_q] <= rfw_data_q;
    end
    assign slot_rv[32*k +: 32] = !reg_valid_q[ra] ? 32'd0 :
                                 (rfw_q && rfw_idx_q == ra) ? rfw_data_q : mem[ra];
  end

  logic [3:0]  rc_cause;
  logic [31:0] rc_info;
  logic [dlp_pkg::NumBanks-1:0] rc_banks;
  logic        rc_capture;
  dlp_range_check #(
    .NramBytes (NramBytes),
    .WramBytes (WramBytes),
    .AccElems  (AccElems)
  ) u_range (
    .clk_i       (clk_i),
    .capture_i   (rc_capture),
    .insn_i      (ir),
    .rv_i        (slot_rv),
    .win_base_i  (win_base_i),
    .win_limit_i (win_limit_i),
    .cause_o     (rc_cause),
    .info_o      (rc_info),
    .banks_o     (rc_banks)
  );

  // ---- per-cycle behaviour ------------------------------------------------------------------------
  logic [PcW-1:0] next_pc;      // instruction to present to the memory for the next cycle
  logic [PcW:0]   end_pc;       // index of the endloop of a loop instruction
  logic [31:0]    loop_count;
  logic           all_empty;
  logic [LsW-1:0] top;     // index of the innermost open loop
  logic [LsW-1:0] sp_idx;  // index of the next free entry

  assign end_pc     = {1'b0, pc_q} + (PcW + 1)'(lbody) + (PcW + 1)'(1);
  assign loop_count = (op == OP_LOOP) ? ir[F_LCOUNT_LO +: 32] : rv1;
  assign all_empty  = (q_count_i[0] == '0) && (q_count_i[1] == '0) && (q_count_i[2] == '0) &&
                      (q_count_i[3] == '0);
  assign top        = LsW'(sp_q - SpW'(1));
  assign sp_idx     = LsW'(sp_q);

  always_comb begin
    active_d    = active_q;
    pc_d        = pc_q;
    checked_d   = checked_q;
    bubble_d    = 1'b0;
    next_pc     = pc_q;
    acted_o     = 1'b0;
    stalled_o   = 1'b0;
    halt_o      = 1'b0;
    err_o       = 1'b0;
    err_cause_o = CAUSE_NONE;
    err_info_o  = '0;
    push_o      = 1'b0;
    retire_o    = 1'b0;
    reg_write   = 1'b0;
    reg_value   = '0;
    rc_capture  = 1'b0;

    if (active_q && !stop_i) begin
      if (bubble_q) begin
        // taken endloop: the loop start is being read
      end else if (pc_q >= n_insns_i) begin
        err_o = 1'b1;
        err_cause_o = CAUSE_PC_RANGE;
        err_info_o = 32'(pc_q);
      end else if (dec_cause != CAUSE_NONE) begin
        err_o = 1'b1;
        err_cause_o = dec_cause;
        err_info_o = ir[31:0];
      end else begin
        unique case (op)
          OP_NOP: begin
            retire_o = 1'b1;
            pc_d = pc_q + 1'b1;
          end
          OP_HALT, OP_SYNC: begin
            if (all_empty && units_idle_i) begin
              retire_o = 1'b1;
              if (op == OP_HALT) begin
                halt_o = 1'b1;
                active_d = 1'b0;
              end else begin
                pc_d = pc_q + 1'b1;
              end
            end else begin
              stalled_o = 1'b1;
            end
          end
          OP_LI:   begin reg_write = 1'b1; reg_value = imm; end
          OP_ADDI: begin reg_write = 1'b1; reg_value = rv1 + imm; end
          OP_ADD:  begin reg_write = 1'b1; reg_value = rv1 + rv2; end
          OP_SUB:  begin reg_write = 1'b1; reg_value = rv1 - rv2; end
          OP_MUL:  begin reg_write = 1'b1; reg_value = rv1 * rv2; end
          OP_MULI: begin reg_write = 1'b1; reg_value = rv1 * imm; end
          OP_SLLI: begin reg_write = 1'b1; reg_value = rv1 << imm[4:0]; end
          OP_SRLI: begin reg_write = 1'b1; reg_value = rv1 >> imm[4:0]; end
          OP_LOOP, OP_LOOPR: begin
            if (end_pc >= {1'b0, n_insns_i}) begin
              err_o = 1'b1;
              err_cause_o = CAUSE_PC_RANGE;
              err_info_o = 32'(end_pc);
            end else if (loop_count != '0 && sp_q == SpW'(LoopDepth)) begin
              err_o = 1'b1;
              err_cause_o = CAUSE_LOOP;
              err_info_o = 32'(sp_q);
            end else begin
              retire_o = 1'b1;
              pc_d = (loop_count == '0) ? PcW'(end_pc + 1'b1) : pc_q + 1'b1;
            end
          end
          OP_ENDLOOP: begin
            if (sp_q == '0 || ls_end_q[top] != pc_q) begin
              err_o = 1'b1;
              err_cause_o = CAUSE_LOOP;
              err_info_o = 32'(sp_q);
            end else begin
              retire_o = 1'b1;
              if (ls_rem_q[top] > 32'd1) begin
                pc_d = ls_start_q[top];
                bubble_d = 1'b1;
              end else begin
                pc_d = pc_q + 1'b1;
              end
            end
          end
          default: begin // queued instruction: check cycle, then push cycle
            if (!checked_q) begin
              rc_capture = 1'b1;
              checked_d = 1'b1;
              acted_o = 1'b1;
            end else if (rc_cause != CAUSE_NONE) begin
              err_o = 1'b1;
              err_cause_o = rc_cause;
              err_info_o = rc_info;
            end else if (q_count_i[queue] >= QCntW'(QueueDepth)) begin
              stalled_o = 1'b1;
            end else begin
              push_o = 1'b1;
              checked_d = 1'b0;
              pc_d = pc_q + 1'b1;
            end
          end
        endcase
        if (reg_write) begin
          retire_o = 1'b1;
          pc_d = pc_q + 1'b1;
        end
        if (retire_o || push_o) acted_o = 1'b1;
      end
      if (err_o) begin
        pc_d = pc_q;
        active_d = 1'b0;
      end
      next_pc = pc_d;
    end
  end

  // The start of a run only sets the next state (the front end is idle in that cycle). It is
  // applied in a separate block: the core derives go_i from the outputs above.
  logic           active_n;
  logic [PcW-1:0] pc_n, read_pc;
  always_comb begin
    active_n = go_i ? 1'b1 : active_d;
    pc_n     = go_i ? '0 : pc_d;
    read_pc  = go_i ? '0 : next_pc;
  end

  assign push_queue_o = queue;
  assign push_uop_o   = {rc_banks, 16'(pc_q), slot_rv, ir};
  assign pc_o         = pc_q;
  assign reg_we_o     = reg_write && rd != 4'd0 && !err_o;
  // the register write of this cycle (the condition of the valid bit's update in the process below)
  assign rf_we        = rst_ni && !go_i && active_q && !stop_i && !err_o && !bubble_q && reg_write &&
                        rd != 4'd0;
  assign reg_idx_o    = rd;
  assign reg_data_o   = reg_value;

  assign imem_en_o   = 1'b1;
  assign imem_addr_o = ImemAddrW'({read_pc, 4'b0000});

  // ---- registers ---------------------------------------------------------------------------------
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      active_q  <= 1'b0;
      pc_q      <= '0;
      checked_q <= 1'b0;
      bubble_q  <= 1'b0;
      sp_q      <= '0;
      reg_valid_q <= '0;
    end else begin
      active_q  <= go_i ? 1'b1 : (stop_i ? 1'b0 : active_n);
      pc_q      <= pc_n;
      checked_q <= go_i ? 1'b0 : checked_d;
      bubble_q  <= bubble_d;
      if (go_i) begin
        sp_q <= '0;
        reg_valid_q <= '0;
      end else if (active_q && !stop_i && !err_o && !bubble_q) begin
        if (rf_we) reg_valid_q[rd] <= 1'b1;
        if ((op == OP_LOOP || op == OP_LOOPR) && retire_o && loop_count != '0) begin
          ls_start_q[sp_idx] <= pc_q + 1'b1;
          ls_end_q[sp_idx]   <= PcW'(end_pc);
          ls_rem_q[sp_idx]   <= loop_count;
          sp_q <= sp_q + 1'b1;
        end
        if (op == OP_ENDLOOP && retire_o) begin
          if (ls_rem_q[top] > 32'd1) ls_rem_q[top] <= ls_rem_q[top] - 32'd1;
          else sp_q <= sp_q - SpW'(1);
        end
      end
    end
  end

  // Forwarding of the instruction-memory write in the cycle the same bytes are read. Byte b of
  // the read (address a + b) is byte k = a + b - wa of the write when k < len (modulo the
  // address width, as the memory's addresses). One subtraction and one rotation of the write
  // data by d = a - wa serve all 16 bytes: byte k of the write is byte (b mod W) of the rotation.
  logic [ImemAddrW-1:0]   fwd_d;
  logic [BeatBytes*8-1:0] fwd_rot;
  always_comb begin
    fwd_d = imem_addr_o - imem_wr_addr_i;
    for (int j = 0; j < BeatBytes; j++)
      fwd_rot[8*j +: 8] = imem_wr_data_i[8*((j + int'(fwd_d)) % BeatBytes) +: 8];
  end

  always_ff @(posedge clk_i) begin
    for (int b = 0; b < 16; b++) begin
      logic [ImemAddrW-1:0] k;
      k = fwd_d + ImemAddrW'(b);
      fwd_mask_q[b] <= imem_wr_en_i && k < ImemAddrW'(imem_wr_len_i);
      fwd_data_q[8*b +: 8] <= fwd_rot[8*(b % BeatBytes) +: 8];
    end
  end


  logic unused;
  assign unused = valid_op ^ (^qclass);

endmodule

`default_nettype wire
