// SPDX-License-Identifier: Apache-2.0
// OpenDLP DMA: padding chunk generator of a DMA load (destination NRAM or WRAM).
//
// Enumerates the padding of the destination -- whole padding runs (pt above and pb below the
// data runs of each plane) and the pl/pr bytes at both ends of each data run -- as chunks split
// at BeatBytes-aligned destination addresses (docs/timing.md "DRAM reads", rule 4). The load
// writes one chunk in each cycle from start + 1 on in which no data beat is written, so a chunk
// must be ready every cycle: the order of the chunks is free (the timing model only counts
// them), and when the data runs carry no side padding the generator jumps over all n1 of them
// at once with the precomputed offset n1 * ds1 instead of stepping through them.
//
// Address arithmetic is modulo 2^AW: every chunk address is the exact byte address of a byte the
// front end checked to lie inside the memory, so modular sums and products equal it.
`default_nettype none

module dlp_dma_pad #(
  parameter int unsigned BeatBytes = 16,
  parameter int unsigned AW        = 18,
  localparam int unsigned LW       = $clog2(BeatBytes),
  localparam int unsigned RowW     = 21
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          start_i,
  input  logic [AW-1:0] dst_i,
  input  logic [AW-1:0] ds1_i,
  input  logic [AW-1:0] ds2_i,
  input  logic [19:0]   n0_i,
  input  logic [15:0]   n1_i,
  input  logic [11:0]   n2_i,
  input  logic [3:0]    pt_i,
  input  logic [3:0]    pb_i,
  input  logic [11:0]   pl_i,
  input  logic [11:0]   pr_i,
  input  logic          next_i,  // the current chunk is written in this cycle
  input  logic          stop_i,  // abandon (abort)
  output logic          valid_o,
  output logic [AW-1:0] addr_o,
  output logic [LW:0]   len_o,
  output logic          last_o   // the current chunk is the last one
);

  localparam int unsigned J1W = 17;

  // operands
  logic [AW-1:0]   ds1_q, ds2_q, jump_q, roff_q;
  logic [J1W-1:0]  h1_q, pt_q, ptn1_q;
  logic [11:0]     n2_q;
  logic [RowW-1:0] w1_q, pl_q, pr_q;
  // position: the current segment (a run of padding bytes) and its row
  logic            valid_q, left_q;  // left_q: a left segment, the right one of the run may follow
  logic [11:0]     i2_q;
  logic [J1W-1:0]  j1_q;
  logic [AW-1:0]   plane_q, row_q, seg_q;
  logic [RowW-1:0] rem_q;

  logic [LW:0]     room, len;
  logic            seg_end;

  always_comb begin
    room    = (LW + 1)'(BeatBytes) - {1'b0, seg_q[LW-1:0]};
    len     = (rem_q < RowW'(room)) ? rem_q[LW:0] : room;
    seg_end = rem_q <= RowW'(len);
  end

  // the segment after the current one
  logic            nx_valid, nx_left, nx_plane;
  logic [J1W-1:0]  nx_j1;
  logic [AW-1:0]   nx_row, nx_seg, plane_next;
  logic [RowW-1:0] nx_rem;

  always_comb begin
    plane_next = plane_q + ds2_q;
    nx_valid   = 1'b1;
    nx_left    = 1'b0;
    nx_plane   = 1'b0;
    nx_j1      = j1_q;
    nx_row     = row_q;
    nx_seg     = row_q + roff_q;
    nx_rem     = pr_q;
    if (!(left_q && pr_q != '0)) begin
      if (j1_q + 1'b1 == h1_q) begin
        nx_plane = 1'b1;
        nx_j1    = '0;
        nx_row   = plane_next;
        nx_valid = i2_q + 1'b1 != n2_q;
      end else begin
        nx_j1  = j1_q + 1'b1;
        nx_row = row_q + ds1_q;
      end
      nx_seg = nx_row;
      nx_rem = w1_q;
      if (nx_j1 >= pt_q && nx_j1 < ptn1_q) begin
        if (pl_q != '0) begin
          nx_left = 1'b1;
          nx_rem  = pl_q;
        end else if (pr_q != '0) begin
          nx_seg = nx_row + roff_q;
          nx_rem = pr_q;
        end else begin
          // data runs without side padding: jump to the first bottom padding run. Padding
          // exists, so this case never follows a plane change above (that would need pt = 0
          // and pb = 0 as well); when pb = 0 the next plane starts with a top run (pt > 0).
          nx_j1  = ptn1_q;
          nx_row = nx_row + jump_q;
          nx_seg = nx_row;
          if (ptn1_q == h1_q) begin
            nx_plane = 1'b1;
            nx_j1    = '0;
            nx_row   = plane_next;
            nx_seg   = plane_next;
            nx_valid = i2_q + 1'b1 != n2_q;
          end
        end
      end
    end
  end

  // the first segment at start
  logic            st_valid, st_left;
  logic [J1W-1:0]  st_j1;
  logic [AW-1:0]   st_row, st_seg, st_jump;
  logic [RowW-1:0] st_rem, st_w1;

  always_comb begin
    st_jump  = AW'(n1_i) * ds1_i;
    st_w1    = RowW'(pl_i) + RowW'(n0_i) + RowW'(pr_i);
    st_valid = 1'b1;
    st_left  = 1'b0;
    st_j1    = '0;
    st_row   = dst_i;
    st_seg   = dst_i;
    st_rem   = st_w1;
    if (pt_i == '0) begin
      if (pl_i != '0) begin
        st_left = 1'b1;
        st_rem  = RowW'(pl_i);
      end else if (pr_i != '0) begin
        st_seg = dst_i + AW'(n0_i);
        st_rem = RowW'(pr_i);
      end else begin
        st_valid = pb_i != '0;
        st_j1    = J1W'(n1_i);
        st_row   = dst_i + st_jump;
        st_seg   = dst_i + st_jump;
      end
    end
  end

  assign valid_o = valid_q;
  assign addr_o  = seg_q;
  assign len_o   = len;
  assign last_o  = valid_q && seg_end && !nx_valid;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      ds1_q   <= '0;
      ds2_q   <= '0;
      jump_q  <= '0;
      roff_q  <= '0;
      h1_q    <= '0;
      pt_q    <= '0;
      ptn1_q  <= '0;
      n2_q    <= '0;
      w1_q    <= '0;
      pl_q    <= '0;
      pr_q    <= '0;
      valid_q <= 1'b0;
      left_q  <= 1'b0;
      i2_q    <= '0;
      j1_q    <= '0;
      plane_q <= '0;
      row_q   <= '0;
      seg_q   <= '0;
      rem_q   <= '0;
    end else if (start_i) begin
      ds1_q   <= ds1_i;
      ds2_q   <= ds2_i;
      jump_q  <= st_jump;
      roff_q  <= AW'(pl_i) + AW'(n0_i);
      h1_q    <= J1W'(pt_i) + J1W'(n1_i) + J1W'(pb_i);
      pt_q    <= J1W'(pt_i);
      ptn1_q  <= J1W'(pt_i) + J1W'(n1_i);
      n2_q    <= n2_i;
      w1_q    <= st_w1;
      pl_q    <= RowW'(pl_i);
      pr_q    <= RowW'(pr_i);
      valid_q <= st_valid;
      left_q  <= st_left;
      i2_q    <= '0;
      j1_q    <= st_j1;
      plane_q <= dst_i;
      row_q   <= st_row;
      seg_q   <= st_seg;
      rem_q   <= st_rem;
    end else if (stop_i) begin
      valid_q <= 1'b0;
    end else if (valid_q && next_i) begin
      if (!seg_end) begin
        seg_q <= seg_q + AW'(len);
        rem_q <= rem_q - RowW'(len);
      end else begin
        valid_q <= nx_valid;
        left_q  <= nx_left;
        j1_q    <= nx_j1;
        row_q   <= nx_row;
        seg_q   <= nx_seg;
        rem_q   <= nx_rem;
        if (nx_plane) begin
          i2_q    <= i2_q + 1'b1;
          plane_q <= plane_next;
        end
      end
    end
  end

endmodule

`default_nettype wire
