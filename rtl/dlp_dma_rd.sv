// SPDX-License-Identifier: Apache-2.0
// OpenDLP DMA: DRAM read side -- DMA loads (DRAM to NRAM/WRAM, with padding) and the program
// fetch (DRAM to IMEM), docs/timing.md "DRAM reads" and "Program fetch".
//
//   dlp_dma_ar   cuts the source runs into bursts and issues the ARs (one per cycle from start+1,
//                at most MaxOutstanding in flight);
//   R walker     follows the R beats (in order, RREADY always high) through the source runs and
//                turns each beat into one scratchpad write of its bytes: they are contiguous in
//                the source run, hence in the destination run. The beat is shifted to lane 0 and
//                registered; the write happens the cycle after the beat arrives;
//   dlp_dma_pad  supplies the padding chunks, one written in each cycle from start+1 on in which
//                no data beat is written.
// The instruction ends (done_o) in the cycle of its last scratchpad write.
//
// Abort: no AR after the abort cycle, no scratchpad write after it; the R beats of the bursts
// already accepted are still accepted (and dropped); idle_o rises once none is outstanding.
`default_nettype none

module dlp_dma_rd #(
  parameter int unsigned BeatBytes      = 16,
  parameter int unsigned BurstBeats     = 16,
  parameter int unsigned MaxOutstanding = 8,
  parameter int unsigned AW             = 18,  // scratchpad address bits
  parameter int unsigned RemW           = 20,  // bits of a run length
  localparam int unsigned LW            = $clog2(BeatBytes)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // operands, sampled with start_i
  input  logic                   start_i,
  input  logic [31:0]            src_i,
  input  logic [31:0]            ss1_i,
  input  logic [31:0]            ss2_i,
  input  logic [AW-1:0]          dst_i,
  input  logic [AW-1:0]          ds1_i,
  input  logic [AW-1:0]          ds2_i,
  input  logic [RemW-1:0]        n0_i,
  input  logic [15:0]            n1_i,
  input  logic [11:0]            n2_i,
  input  logic [3:0]             pt_i,
  input  logic [3:0]             pb_i,
  input  logic [11:0]            pl_i,
  input  logic [11:0]            pr_i,
  input  logic [7:0]             pv_i,
  input  logic                   abort_i,
  // AXI read channels
  output logic                   arvalid_o,
  output logic [31:0]            araddr_o,
  output logic [7:0]             arlen_o,
  input  logic                   arready_i,
  input  logic                   rvalid_i,
  input  logic [BeatBytes*8-1:0] rdata_i,
  input  logic [1:0]             rresp_i,
  input  logic                   rlast_i,
  // scratchpad write request (destination memory chosen by the caller)
  output logic                   we_o,
  output logic [AW-1:0]          waddr_o,
  output logic [LW:0]            wlen_o,
  output logic [BeatBytes*8-1:0] wdata_o,
  output logic                   done_o,
  output logic                   idle_o,
  output logic                   bus_error_o
);

  logic ar_idle;

  dlp_dma_ar #(
    .BeatBytes      (BeatBytes),
    .BurstBeats     (BurstBeats),
    .MaxOutstanding (MaxOutstanding),
    .RemW           (RemW)
  ) u_ar (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .start_i   (start_i),
    .src_i     (src_i),
    .ss1_i     (ss1_i),
    .ss2_i     (ss2_i),
    .n0_i      (n0_i),
    .n1_i      (n1_i),
    .n2_i      (n2_i),
    .stop_i    (abort_i),
    .arvalid_o (arvalid_o),
    .araddr_o  (araddr_o),
    .arlen_o   (arlen_o),
    .arready_i (arready_i),
    .rlast_i   (rvalid_i && rlast_i),
    .idle_o    (ar_idle)
  );

  // ---- R walker ----------------------------------------------------------------------------
  logic [AW-1:0]   ds1_q, ds2_q;
  logic [LW-1:0]   ss1_lo_q, ss2_lo_q;
  logic [RemW-1:0] n0_q;
  logic [15:0]     n1_q;
  logic [11:0]     n2_q;
  logic [7:0]      pv_q;
  logic            act_q;                      // beats of this instruction still to come
  logic [AW-1:0]   dplane_q, drow_q, dcur_q;   // destination of the next data byte
  logic [LW-1:0]   splane_lo_q, srow_lo_q, soff_q; // low source address bits (lane of the byte)
  logic [RemW-1:0] rem_q;                      // bytes of the run still to come
  logic [15:0]     i1_q;
  logic [11:0]     i2_q;

  logic            beat;
  logic [LW:0]     room, len;
  logic            run_end, final_beat;
  logic [AW-1:0]   dplane_n, drow_n;
  logic [LW-1:0]   splane_lo_n, srow_lo_n;

  assign beat = rvalid_i && act_q;

  always_comb begin
    room       = (LW + 1)'(BeatBytes) - {1'b0, soff_q};
    run_end    = rem_q <= RemW'(room);
    len        = run_end ? rem_q[LW:0] : room;
    final_beat = run_end && (i1_q + 1'b1 == n1_q) && (i2_q + 1'b1 == n2_q);
    dplane_n    = dplane_q;
    splane_lo_n = splane_lo_q;
    if (i1_q + 1'b1 == n1_q) begin
      dplane_n    = dplane_q + ds2_q;
      splane_lo_n = splane_lo_q + ss2_lo_q;
      drow_n      = dplane_n;
      srow_lo_n   = splane_lo_n;
    end else begin
      drow_n    = drow_q + ds1_q;
      srow_lo_n = srow_lo_q + ss1_lo_q;
    end
  end

  // the beat's bytes, moved down to lane 0, and its destination: written next cycle
  logic                   bw_q, bw_final_q, data_done_q;
  logic [AW-1:0]          bw_addr_q;
  logic [LW:0]            bw_len_q;
  logic [BeatBytes*8-1:0] bw_data_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      ds1_q       <= '0;
      ds2_q       <= '0;
      ss1_lo_q    <= '0;
      ss2_lo_q    <= '0;
      n0_q        <= '0;
      n1_q        <= '0;
      n2_q        <= '0;
      pv_q        <= '0;
      act_q       <= 1'b0;
      dplane_q    <= '0;
      drow_q      <= '0;
      dcur_q      <= '0;
      splane_lo_q <= '0;
      srow_lo_q   <= '0;
      soff_q      <= '0;
      rem_q       <= '0;
      i1_q        <= '0;
      i2_q        <= '0;
      bw_q        <= 1'b0;
      bw_final_q  <= 1'b0;
      bw_addr_q   <= '0;
      bw_len_q    <= '0;
      bw_data_q   <= '0;
      data_done_q <= 1'b0;
    end else begin
      if (start_i) begin
        ds1_q       <= ds1_i;
        ds2_q       <= ds2_i;
        ss1_lo_q    <= ss1_i[LW-1:0];
        ss2_lo_q    <= ss2_i[LW-1:0];
        n0_q        <= n0_i;
        n1_q        <= n1_i;
        n2_q        <= n2_i;
        pv_q        <= pv_i;
        act_q       <= 1'b1;
        dplane_q    <= dst_i + AW'(pt_i) * ds1_i + AW'(pl_i);
        drow_q      <= dst_i + AW'(pt_i) * ds1_i + AW'(pl_i);
        dcur_q      <= dst_i + AW'(pt_i) * ds1_i + AW'(pl_i);
        splane_lo_q <= src_i[LW-1:0];
        srow_lo_q   <= src_i[LW-1:0];
        soff_q      <= src_i[LW-1:0];
        rem_q       <= n0_i;
        i1_q        <= '0;
        i2_q        <= '0;
        data_done_q <= 1'b0;
      end else if (abort_i) begin
        act_q <= 1'b0;
      end else if (beat) begin
        if (!run_end) begin
          dcur_q <= dcur_q + AW'(len);
          rem_q  <= rem_q - RemW'(len);
          soff_q <= '0;
        end else if (final_beat) begin
          act_q <= 1'b0;
        end else begin
          if (i1_q + 1'b1 == n1_q) begin
            i1_q <= '0;
            i2_q <= i2_q + 1'b1;
          end else begin
            i1_q <= i1_q + 1'b1;
          end
          dplane_q    <= dplane_n;
          drow_q      <= drow_n;
          dcur_q      <= drow_n;
          splane_lo_q <= splane_lo_n;
          srow_lo_q   <= srow_lo_n;
          soff_q      <= srow_lo_n;
          rem_q       <= n0_q;
        end
      end
      bw_q <= beat && !abort_i;
      if (beat) begin
        bw_final_q <= final_beat;
        bw_addr_q  <= dcur_q;
        bw_len_q   <= len;
        bw_data_q  <= rdata_i >> {soff_q, 3'b000};
      end
      if (bw_q && bw_final_q) data_done_q <= 1'b1;
    end
  end

  // ---- padding -------------------------------------------------------------------------------
  logic          pad_valid, pad_last, pad_take;
  logic [AW-1:0] pad_addr;
  logic [LW:0]   pad_len;

  dlp_dma_pad #(
    .BeatBytes (BeatBytes),
    .AW        (AW)
  ) u_pad (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .start_i (start_i),
    .dst_i   (dst_i),
    .ds1_i   (ds1_i),
    .ds2_i   (ds2_i),
    .n0_i    (n0_i[19:0]),
    .n1_i    (n1_i),
    .n2_i    (n2_i),
    .pt_i    (pt_i),
    .pb_i    (pb_i),
    .pl_i    (pl_i),
    .pr_i    (pr_i),
    .next_i  (pad_take),
    .stop_i  (abort_i),
    .valid_o (pad_valid),
    .addr_o  (pad_addr),
    .len_o   (pad_len),
    .last_o  (pad_last)
  );

  assign pad_take = pad_valid && !bw_q;

  // ---- scratchpad write port -------------------------------------------------------------------
  assign we_o    = bw_q || pad_take;
  assign waddr_o = bw_q ? bw_addr_q : pad_addr;
  assign wlen_o  = bw_q ? bw_len_q : pad_len;
  assign wdata_o = bw_q ? bw_data_q : {BeatBytes{pv_q}};
  assign done_o  = (bw_q && bw_final_q && !pad_valid) || (pad_take && pad_last && data_done_q);
  assign idle_o  = ar_idle && !act_q && !bw_q && !pad_valid;
  assign bus_error_o = rvalid_i && rresp_i != 2'b00;

  logic unused_n0;
  assign unused_n0 = ^n0_i;  // n0 beyond 20 bits only for the fetch, which has no padding

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!(rvalid_i && !act_q && ar_idle))
        else $error("dlp_dma_rd: R beat with no read burst outstanding");
      assert (!(beat && final_beat && !rlast_i))
        else $error("dlp_dma_rd: the instruction's last beat is not a burst's last");
    end
  end
`endif

endmodule

`default_nettype wire
