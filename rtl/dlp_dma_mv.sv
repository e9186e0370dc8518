// SPDX-License-Identifier: Apache-2.0
// OpenDLP DMA: on-chip moves (NRAM/WRAM to NRAM/WRAM, with padding),
// docs/timing.md "On-chip moves".
//
// dlp_dma_chunk walks the destination runs in chunks split at BeatBytes-aligned destination
// addresses. A chunk's source bytes are read in one cycle (the read address puts each source
// byte in the lane of its destination byte, counted from the chunk start) and written the next
// cycle, padding lanes replaced by pv; chunks of padding only skip the read. Between different
// memories the reads and writes overlap, one chunk per cycle (end = start + 1 + chunks); within
// one memory its DMA port alternates read and write (end = start + 2 * chunks).
`default_nettype none

module dlp_dma_mv #(
  parameter int unsigned BeatBytes = 16,
  parameter int unsigned AW        = 18,
  localparam int unsigned LW       = $clog2(BeatBytes)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   start_i,
  input  logic                   same_i,  // source and destination are the same memory
  input  logic [AW-1:0]          dst_i,
  input  logic [AW-1:0]          ds1_i,
  input  logic [AW-1:0]          ds2_i,
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
  // source read, data the next cycle
  output logic                   re_o,
  output logic [AW-1:0]          raddr_o,
  input  logic [BeatBytes*8-1:0] rdata_i,
  // destination write
  output logic                   we_o,
  output logic [AW-1:0]          waddr_o,
  output logic [LW:0]            wlen_o,
  output logic [BeatBytes*8-1:0] wdata_o,
  output logic                   done_o,
  output logic                   idle_o
);

  logic                 ch_valid, ch_next, ch_has_data, ch_last;
  logic                 ch_first;
  logic [AW-1:0]        ch_addr;
  logic [LW:0]          ch_len;
  logic [BeatBytes-1:0] ch_strb, ch_dmask;
  logic [AW-1:0]        ch_rd_addr;
  logic [20:0]          ch_row_rem;

  dlp_dma_chunk #(
    .BeatBytes (BeatBytes),
    .DstAW     (AW),
    .SrcAW     (AW),
    .BeatLanes (1'b0)
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
    .stop_i      (abort_i),
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

  logic                 same_q, s1_q, s1_last_q;
  logic [AW-1:0]        s1_addr_q;
  logic [LW:0]          s1_len_q;
  logic [BeatBytes-1:0] s1_dmask_q;
  logic [7:0]           pv_q;

  // within one memory a chunk is read only after the previous chunk's write cycle
  assign ch_next = ch_valid && !abort_i && !(same_q && s1_q);
  assign re_o    = ch_next && ch_has_data;
  assign raddr_o = ch_rd_addr;

  always_comb begin
    for (int k = 0; k < BeatBytes; k++)
      wdata_o[k*8 +: 8] = s1_dmask_q[k] ? rdata_i[k*8 +: 8] : pv_q;
  end

  assign we_o    = s1_q;
  assign waddr_o = s1_addr_q;
  assign wlen_o  = s1_len_q;
  assign done_o  = s1_q && s1_last_q;
  assign idle_o  = !ch_valid && !s1_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      same_q     <= 1'b0;
      s1_q       <= 1'b0;
      s1_last_q  <= 1'b0;
      s1_addr_q  <= '0;
      s1_len_q   <= '0;
      s1_dmask_q <= '0;
      pv_q       <= '0;
    end else begin
      if (start_i) begin
        same_q <= same_i;
        pv_q   <= pv_i;
      end
      s1_q <= ch_next;
      if (ch_next) begin
        s1_last_q  <= ch_last;
        s1_addr_q  <= ch_addr;
        s1_len_q   <= ch_len;
        s1_dmask_q <= ch_dmask;
      end
    end
  end

  logic unused_chunk;
  assign unused_chunk = ^{ch_strb, ch_row_rem, ch_first};  // lanes [0, len) are written

endmodule

`default_nettype wire
