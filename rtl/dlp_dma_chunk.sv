// SPDX-License-Identifier: Apache-2.0
// OpenDLP DMA: destination chunk walker for DMA stores and on-chip moves.
//
// Walks the destination of a `dma` (n2 planes of pt + n1 + pb runs of pl + n0 + pr bytes) and
// presents one chunk at a time: the bytes of one run inside one BeatBytes-aligned destination
// block (docs/timing.md: "split at W-aligned destination addresses"). For each chunk it gives
// which byte lanes are written, which of them hold source data (the others get the pad value)
// and the scratchpad address to read so that source byte and destination byte share a lane:
//   BeatLanes = 1 (AXI W beats): lane k is the destination byte (addr & ~(W-1)) + k;
//   BeatLanes = 0 (scratchpad writes): lane k is the destination byte addr + k.
// The lanes of a read below the source data are don't-care, so the read address may point
// below the data (even wrap around the memory) without harm.
//
// Address arithmetic is modulo 2^DstAW / 2^SrcAW. Every address the walker presents for a byte
// that is accessed is exact: the front end checked that every byte of the instruction lies
// inside the memory (or DRAM window), so the true value fits and modular sums equal it. Sizes
// and positions inside a run are tracked as remaining byte counts, never by comparing addresses,
// so no comparison depends on an address that could pass 2^32.
//
// The first chunk is valid the cycle after start_i; next_i consumes the current chunk and the
// following one is valid in the next cycle, so a chunk can be consumed every cycle.
`default_nettype none

module dlp_dma_chunk #(
  parameter int unsigned BeatBytes = 16,
  parameter int unsigned DstAW     = 32,
  parameter int unsigned SrcAW     = 18,
  parameter bit          BeatLanes = 1'b1,
  localparam int unsigned LW       = $clog2(BeatBytes),
  localparam int unsigned RowW     = 21  // pl + n0 + pr <= 4095 + 1048575 + 4095 < 2^21
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // instruction operands, sampled with start_i
  input  logic                 start_i,
  input  logic [DstAW-1:0]     dst_i,
  input  logic [DstAW-1:0]     ds1_i,
  input  logic [DstAW-1:0]     ds2_i,
  input  logic [SrcAW-1:0]     src_i,
  input  logic [SrcAW-1:0]     ss1_i,
  input  logic [SrcAW-1:0]     ss2_i,
  input  logic [19:0]          n0_i,
  input  logic [15:0]          n1_i,
  input  logic [11:0]          n2_i,
  input  logic [3:0]           pt_i,
  input  logic [3:0]           pb_i,
  input  logic [11:0]          pl_i,
  input  logic [11:0]          pr_i,
  // chunk stream
  input  logic                 next_i,     // the current chunk is consumed in this cycle
  input  logic                 stop_i,     // abandon the walk (abort)
  output logic                 valid_o,
  output logic [DstAW-1:0]     addr_o,     // destination address of the chunk's first byte
  output logic [LW:0]          len_o,      // bytes in the chunk, 1..BeatBytes
  output logic [BeatBytes-1:0] strb_o,     // lanes written
  output logic [BeatBytes-1:0] dmask_o,    // lanes written with source data (others: pad)
  output logic                 has_data_o, // dmask_o != 0: the source must be read
  output logic [SrcAW-1:0]     rd_addr_o,  // source address whose byte lands in lane 0
  output logic [RowW-1:0]      row_rem_o,  // bytes of the run from addr_o to its end
  output logic                 row_first_o,// first chunk of its run
  output logic                 last_o      // last chunk of the instruction
);

  localparam int unsigned J1W = 17;  // pt + n1 + pb <= 15 + 65535 + 15 < 2^17
  localparam int unsigned DW  = 23;  // signed distances to the data inside a run

  // operands
  logic [DstAW-1:0] ds1_q, ds2_q;
  logic [SrcAW-1:0] ss1_q, ss2_q;
  logic [J1W-1:0]   h1_q, pt_q, ptn1_q;
  logic [11:0]      n2_q;
  logic [RowW-1:0]  w1_q;
  logic [DW-1:0]    pl_q, n0_q;
  // position
  logic             valid_q, first_q, data_row_q;
  logic [11:0]      i2_q;
  logic [J1W-1:0]   j1_q;
  logic [DstAW-1:0] dplane_q, drow_q, cur_q;
  logic [SrcAW-1:0] splane_q, srow_q, sa_q;   // sa_q: source address of the byte at cur_q
  logic [RowW-1:0]  rem_q;
  logic [DW-1:0]    dl_q;                     // pl - (offset of cur_q in its run)

  logic [LW-1:0]    lane0;
  logic [LW:0]      room, len;
  logic             row_end, plane_end, insn_end;
  logic [DW-1:0]    lo, hi;
  logic [LW:0]      lo_c, hi_c;

  always_comb begin
    lane0 = BeatLanes ? cur_q[LW-1:0] : '0;
    room  = (LW + 1)'(BeatBytes) - {1'b0, cur_q[LW-1:0]};
    len   = (rem_q < RowW'(room)) ? rem_q[LW:0] : room;
    row_end   = rem_q <= RowW'(len);
    plane_end = (j1_q + 1'b1) == h1_q;
    insn_end  = row_end && plane_end && ((i2_q + 1'b1) == n2_q);
    // data lanes: lane k holds run offset (o - lane0 + k); data where pl <= that < pl + n0
    lo   = dl_q + DW'(lane0);
    hi   = lo + n0_q;
    lo_c = lo[DW-1] ? '0 : (lo > DW'(BeatBytes) ? (LW + 1)'(BeatBytes) : lo[LW:0]);
    hi_c = hi[DW-1] ? '0 : (hi > DW'(BeatBytes) ? (LW + 1)'(BeatBytes) : hi[LW:0]);
    for (int k = 0; k < BeatBytes; k++) begin
      strb_o[k]  = ((LW + 1)'(k) >= {1'b0, lane0}) && ((LW + 1)'(k) < {1'b0, lane0} + len);
      dmask_o[k] = strb_o[k] && data_row_q && ((LW + 1)'(k) >= lo_c) && ((LW + 1)'(k) < hi_c);
    end
  end

  assign valid_o     = valid_q;
  assign addr_o      = cur_q;
  assign len_o       = len;
  assign has_data_o  = |dmask_o;
  assign rd_addr_o   = sa_q - SrcAW'(lane0);
  assign row_rem_o   = rem_q;
  assign row_first_o = first_q;
  assign last_o      = insn_end;

  // next position
  logic             adv;
  logic [J1W-1:0]   j1_n;
  logic [DstAW-1:0] drow_n, dplane_n;
  logic [SrcAW-1:0] srow_n, splane_n;
  logic             data_row_n;

  assign adv = valid_q && next_i;

  always_comb begin
    // the source row moves on when a data run ends
    srow_n   = srow_q;
    splane_n = splane_q;
    if (data_row_q) begin
      if (j1_q + 1'b1 == ptn1_q) begin
        splane_n = splane_q + ss2_q;
        srow_n   = splane_q + ss2_q;
      end else begin
        srow_n = srow_q + ss1_q;
      end
    end
    if (plane_end) begin
      j1_n     = '0;
      dplane_n = dplane_q + ds2_q;
      drow_n   = dplane_q + ds2_q;
    end else begin
      j1_n     = j1_q + 1'b1;
      dplane_n = dplane_q;
      drow_n   = drow_q + ds1_q;
    end
    data_row_n = (j1_n >= pt_q) && (j1_n < ptn1_q);
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      valid_q    <= 1'b0;
      first_q    <= 1'b0;
      data_row_q <= 1'b0;
      i2_q       <= '0;
      j1_q       <= '0;
      dplane_q   <= '0;
      drow_q     <= '0;
      cur_q      <= '0;
      splane_q   <= '0;
      srow_q     <= '0;
      sa_q       <= '0;
      rem_q      <= '0;
      dl_q       <= '0;
      ds1_q      <= '0;
      ds2_q      <= '0;
      ss1_q      <= '0;
      ss2_q      <= '0;
      h1_q       <= '0;
      pt_q       <= '0;
      ptn1_q     <= '0;
      n2_q       <= '0;
      w1_q       <= '0;
      pl_q       <= '0;
      n0_q       <= '0;
    end else if (start_i) begin
      valid_q    <= 1'b1;
      first_q    <= 1'b1;
      data_row_q <= pt_i == 4'd0;
      i2_q       <= '0;
      j1_q       <= '0;
      dplane_q   <= dst_i;
      drow_q     <= dst_i;
      cur_q      <= dst_i;
      splane_q   <= src_i;
      srow_q     <= src_i;
      sa_q       <= src_i - SrcAW'(pl_i);
      rem_q      <= RowW'(pl_i) + RowW'(n0_i) + RowW'(pr_i);
      dl_q       <= DW'(pl_i);
      ds1_q      <= ds1_i;
      ds2_q      <= ds2_i;
      ss1_q      <= ss1_i;
      ss2_q      <= ss2_i;
      h1_q       <= J1W'(pt_i) + J1W'(n1_i) + J1W'(pb_i);
      pt_q       <= J1W'(pt_i);
      ptn1_q     <= J1W'(pt_i) + J1W'(n1_i);
      n2_q       <= n2_i;
      w1_q       <= RowW'(pl_i) + RowW'(n0_i) + RowW'(pr_i);
      pl_q       <= DW'(pl_i);
      n0_q       <= DW'(n0_i);
    end else if (stop_i) begin
      valid_q <= 1'b0;
    end else if (adv) begin
      if (!row_end) begin
        first_q <= 1'b0;
        cur_q   <= cur_q + DstAW'(len);
        sa_q    <= sa_q + SrcAW'(len);
        rem_q   <= rem_q - RowW'(len);
        dl_q    <= dl_q - DW'(len);
      end else if (insn_end) begin
        valid_q <= 1'b0;
      end else begin
        first_q    <= 1'b1;
        data_row_q <= data_row_n;
        if (plane_end) i2_q <= i2_q + 1'b1;
        j1_q     <= j1_n;
        dplane_q <= dplane_n;
        drow_q   <= drow_n;
        cur_q    <= drow_n;
        splane_q <= splane_n;
        srow_q   <= srow_n;
        sa_q     <= srow_n - SrcAW'(pl_q);
        rem_q    <= w1_q;
        dl_q     <= pl_q;
      end
    end
  end

endmodule

`default_nettype wire
