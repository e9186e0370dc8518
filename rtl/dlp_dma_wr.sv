// SPDX-License-Identifier: Apache-2.0
// OpenDLP DMA: DRAM write side -- DMA stores (NRAM/WRAM to DRAM, with padding),
// docs/timing.md "DRAM writes".
//
// dlp_dma_chunk walks the destination runs (padding included) one AXI beat at a time. In the
// cycle a beat is issued, its source bytes are read from the scratchpad (the read address puts
// each source byte in the lane of its destination byte, so no shifter is needed); in the next
// cycle the beat goes out on W with the padding lanes replaced by pv. Runs are cut into bursts
// at multiples of BeatBytes*BurstBeats; the AW of a burst is queued when its first beat is
// issued, so it is presented together with that beat. A burst takes an outstanding slot when
// its first beat is issued and frees it the cycle after its B response; so with MaxOutstanding
// bursts waiting for B, the next first beat goes out two cycles after a B arrives. done_o is
// the cycle of the last B response.
//
// Back-pressure: a beat read from the scratchpad that W does not accept at once goes into a
// two-entry skid buffer; a new beat is issued only while the buffer and the read in flight
// leave room, so WREADY never reaches the scratchpad read path combinationally.
//
// Abort: no burst is started from the abort cycle on; the beats of bursts already started are
// sent (AXI cannot abandon a burst) and their B responses awaited; idle_o then rises.
`default_nettype none

module dlp_dma_wr #(
  parameter int unsigned BeatBytes      = 16,
  parameter int unsigned BurstBeats     = 16,
  parameter int unsigned MaxOutstanding = 8,
  parameter int unsigned AW             = 18,
  localparam int unsigned LW            = $clog2(BeatBytes),
  localparam int unsigned LB            = $clog2(BeatBytes * BurstBeats)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   start_i,
  input  logic [31:0]            dst_i,
  input  logic [31:0]            ds1_i,
  input  logic [31:0]            ds2_i,
  input  logic [AW-1:0]          src_i,
  input  logic [AW-1:0]          ss1_i,
  input  logic [AW-1:0]          ss2_i,
  input  logic [19:0]            n0_i,
  input  logic [15:0]            n1_i,
  input  logic [11:0]            n2_i,
  input  logic [3:0]             pt_i,
  input  logic [3:0]             pb_i,
  input  logic [11:0]            pl_i,
  input  logic [11:0]            pr_i,
  input  logic [7:0]             pv_i,
  input  logic                   abort_i,
  // scratchpad read (source memory chosen by the caller), data the next cycle
  output logic                   re_o,
  output logic [AW-1:0]          raddr_o,
  input  logic [BeatBytes*8-1:0] rdata_i,
  // AXI write channels
  output logic                   awvalid_o,
  output logic [31:0]            awaddr_o,
  output logic [7:0]             awlen_o,
  input  logic                   awready_i,
  output logic                   wvalid_o,
  output logic [BeatBytes*8-1:0] wdata_o,
  output logic [BeatBytes-1:0]   wstrb_o,
  output logic                   wlast_o,
  input  logic                   wready_i,
  input  logic                   bvalid_i,
  input  logic [1:0]             bresp_i,
  output logic                   done_o,
  output logic                   idle_o,
  output logic                   bus_error_o
);

  localparam int unsigned BB   = BeatBytes * BurstBeats;
  localparam int unsigned CntW = $clog2(MaxOutstanding + 1);
  localparam int unsigned RowW = 21;

  // ---- beat walker -----------------------------------------------------------------------------
  logic                 ch_valid, ch_next, ch_stop, ch_has_data, ch_first, ch_last;
  logic [31:0]          ch_addr;
  logic [LW:0]          ch_len;
  logic [BeatBytes-1:0] ch_strb, ch_dmask;
  logic [AW-1:0]        ch_rd_addr;
  logic [RowW-1:0]      ch_row_rem;

  dlp_dma_chunk #(
    .BeatBytes (BeatBytes),
    .DstAW     (32),
    .SrcAW     (AW),
    .BeatLanes (1'b1)
  ) u_chunk (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .start_i     (start_i),
    .dst_i       (dst_i),
    .ds1_i       (ds1_i),
    .ds2_i       (ds2_i),
    .src_i       (src_i),
    .ss1_i       (ss1_i),
    .ss2_i       (ss2_i),
    .n0_i        (n0_i),
    .n1_i        (n1_i),
    .n2_i        (n2_i),
    .pt_i        (pt_i),
    .pb_i        (pb_i),
    .pl_i        (pl_i),
    .pr_i        (pr_i),
    .next_i      (ch_next),
    .stop_i      (ch_stop),
    .valid_o     (ch_valid),
    .addr_o      (ch_addr),
    .len_o       (ch_len),
    .strb_o      (ch_strb),
    .dmask_o     (ch_dmask),
    .has_data_o  (ch_has_data),
    .rd_addr_o   (ch_rd_addr),
    .row_rem_o   (ch_row_rem),
    .row_first_o (ch_first),
    .last_o      (ch_last)
  );

  // ---- burst cutting and issue -------------------------------------------------------------
  logic            act_q, kill_q;
  logic [8:0]      left_q;     // beats of the current burst still to issue; 0: a burst starts
  logic [CntW-1:0] cnt_q;      // bursts started and not yet answered by B
  logic            new_burst, slot_ok, skid_ok, issue;
  logic [LB:0]     room;
  logic [LB:0]     bytes;
  logic [LB:0]     span;
  logic [8:0]      beats;
  logic [7:0]      beats_m1;

  logic             s1_q, s1_last_q;  // a beat whose scratchpad read is in flight
  logic [BeatBytes-1:0] s1_strb_q, s1_dmask_q;
  logic [7:0]       pv_q;

  localparam int unsigned SkidW = BeatBytes * 8 + BeatBytes + 1;
  logic             skid_empty;
  logic [1:0]       skid_cnt;
  logic [SkidW-1:0] skid_head;

  always_comb begin
    room  = (LB + 1)'(BB) - {1'b0, ch_addr[LB-1:0]};
    bytes = (ch_row_rem < RowW'(room)) ? ch_row_rem[LB:0] : room;
    span  = (LB + 1)'(ch_addr[LW-1:0]) + bytes - 1'b1;
    beats_m1 = 8'(span[LB:LW]);
    beats    = {1'b0, beats_m1} + 9'd1;
  end

  assign new_burst = left_q == '0;
  assign slot_ok   = cnt_q < CntW'(MaxOutstanding);
  assign skid_ok   = ({1'b0, skid_cnt} + {2'b00, s1_q}) <= 3'd1;
  assign issue     = ch_valid && skid_ok &&
                     (!new_burst || (slot_ok && !abort_i && !kill_q));
  assign ch_next   = issue;
  // after an abort the walk ends at the next burst boundary
  assign ch_stop   = (abort_i || kill_q) && new_burst && !start_i;
  assign re_o      = issue && ch_has_data;
  assign raddr_o   = ch_rd_addr;

  // ---- AW queue ------------------------------------------------------------------------------
  logic        aw_empty;
  logic [CntW-1:0] aw_cnt;
  logic [39:0] aw_head;
  logic        aw_hs;

  dlp_dma_fifo #(
    .Width (40),
    .Depth (MaxOutstanding)
  ) u_aw_fifo (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .push_i  (issue && new_burst),
    .wdata_i ({ch_addr[31:LW], {LW{1'b0}}, beats_m1}),
    .pop_i   (aw_hs),
    .rdata_o (aw_head),
    .empty_o (aw_empty),
    .cnt_o   (aw_cnt)
  );

  assign awvalid_o = !aw_empty;
  assign awaddr_o  = aw_head[39:8];
  assign awlen_o   = aw_head[7:0];
  assign aw_hs     = awvalid_o && awready_i;

  // ---- W channel -----------------------------------------------------------------------------
  logic [BeatBytes*8-1:0] s1_data;
  logic                   w_hs, skid_push;

  always_comb begin
    for (int k = 0; k < BeatBytes; k++)
      s1_data[k*8 +: 8] = s1_dmask_q[k] ? rdata_i[k*8 +: 8] : pv_q;
  end

  assign wvalid_o  = !skid_empty || s1_q;
  assign wdata_o   = skid_empty ? s1_data : skid_head[SkidW-1 -: BeatBytes*8];
  assign wstrb_o   = skid_empty ? s1_strb_q : skid_head[BeatBytes:1];
  assign wlast_o   = skid_empty ? s1_last_q : skid_head[0];
  assign w_hs      = wvalid_o && wready_i;
  // the beat read last cycle waits in the skid buffer unless it goes out directly
  assign skid_push = s1_q && !(skid_empty && w_hs);

  dlp_dma_fifo #(
    .Width (SkidW),
    .Depth (2)
  ) u_skid (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .push_i  (skid_push),
    .wdata_i ({s1_data, s1_strb_q, s1_last_q}),
    .pop_i   (!skid_empty && w_hs),
    .rdata_o (skid_head),
    .empty_o (skid_empty),
    .cnt_o   (skid_cnt)
  );

  // ---- B channel and completion ----------------------------------------------------------------
  logic final_sent_q;  // the instruction's last beat has been issued

  assign done_o      = bvalid_i && act_q && !kill_q && final_sent_q && cnt_q == CntW'(1);
  assign bus_error_o = bvalid_i && bresp_i != 2'b00;
  assign idle_o      = (!act_q || (kill_q && !ch_valid)) && cnt_q == '0 && aw_empty &&
                       skid_empty && !s1_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      act_q        <= 1'b0;
      kill_q       <= 1'b0;
      left_q       <= '0;
      cnt_q        <= '0;
      s1_q         <= 1'b0;
      s1_last_q    <= 1'b0;
      s1_strb_q    <= '0;
      s1_dmask_q   <= '0;
      pv_q         <= '0;
      final_sent_q <= 1'b0;
    end else begin
      cnt_q <= cnt_q + CntW'(issue && new_burst) - CntW'(bvalid_i);
      s1_q  <= issue;
      if (issue) begin
        s1_strb_q  <= ch_strb;
        s1_dmask_q <= ch_dmask;
        s1_last_q  <= new_burst ? beats == 9'd1 : left_q == 9'd1;
        left_q     <= new_burst ? beats - 9'd1 : left_q - 9'd1;
        if (ch_last) final_sent_q <= 1'b1;
      end
      if (start_i) begin
        act_q        <= 1'b1;
        kill_q       <= 1'b0;
        pv_q         <= pv_i;
        final_sent_q <= 1'b0;
      end else if (abort_i) begin
        kill_q <= 1'b1;
      end
      // the instruction is over at its last B, or after an abort once its bursts are sent
      if (!start_i && (done_o || (kill_q && !ch_valid && !s1_q && skid_empty))) act_q <= 1'b0;
    end
  end

  logic unused_len;
  assign unused_len = ^{ch_len, aw_cnt};  // the strobe carries the chunk's extent

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!(issue && !new_burst && (ch_first || ch_addr[LB-1:0] == '0)))
        else $error("dlp_dma_wr: burst cut and beat walk disagree");
      assert (!(issue && new_burst && !ch_first && ch_addr[LB-1:0] != '0))
        else $error("dlp_dma_wr: burst starts inside a burst window");
      assert (!(bvalid_i && cnt_q == '0)) else $error("dlp_dma_wr: B with no burst outstanding");
    end
  end
`endif

  logic unused_span;
  assign unused_span = ^span[LW-1:0];  // lane of the burst's last byte

endmodule

`default_nettype wire
