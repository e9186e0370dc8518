// SPDX-License-Identifier: Apache-2.0
// OpenDLP DMA: AXI read-address generator (DMA loads and the program fetch).
//
// Splits the source runs (n2 planes of n1 runs of n0 bytes at src + i2*ss2 + i1*ss1) into INCR
// bursts at multiples of BeatBytes*BurstBeats; each burst covers the beat-aligned beats holding
// its bytes (docs/timing.md "DRAM reads", rules 1-2). The first AR is presented the cycle after
// start_i and, with ARREADY high, one AR is accepted per cycle; at most MaxOutstanding bursts are
// in flight, a slot freeing the cycle after the burst's last R beat.
//
// ARADDR/ARLEN come from registers. The generator keeps the position of the burst after the one
// presented, so a new burst is ready in the cycle after each handshake.
//
// Address arithmetic is modulo 2^32; the front end checked that every source byte lies in the
// DRAM window, so every address of a byte that is read is exact. Burst sizes are computed from
// the remaining byte count of the run and the low address bits, never by comparing end addresses.
`default_nettype none

module dlp_dma_ar #(
  parameter int unsigned BeatBytes      = 16,
  parameter int unsigned BurstBeats     = 16,
  parameter int unsigned MaxOutstanding = 8,
  parameter int unsigned RemW           = 20,
  localparam int unsigned LW            = $clog2(BeatBytes),
  localparam int unsigned LB            = $clog2(BeatBytes * BurstBeats),
  localparam int unsigned CntW          = $clog2(MaxOutstanding + 1)
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            start_i,
  input  logic [31:0]     src_i,
  input  logic [31:0]     ss1_i,
  input  logic [31:0]     ss2_i,
  input  logic [RemW-1:0] n0_i,
  input  logic [15:0]     n1_i,
  input  logic [11:0]     n2_i,
  input  logic            stop_i,    // abort: no AR is presented after this cycle
  output logic            arvalid_o,
  output logic [31:0]     araddr_o,
  output logic [7:0]      arlen_o,
  input  logic            arready_i,
  input  logic            rlast_i,   // the last R beat of a burst is accepted in this cycle
  output logic            idle_o     // nothing left to issue and no burst outstanding
);

  localparam int unsigned BB = BeatBytes * BurstBeats;

  // operands
  logic [31:0]     ss1_q, ss2_q;
  logic [RemW-1:0] n0_q;
  logic [15:0]     n1_q;
  logic [11:0]     n2_q;
  // position of the next burst to present
  logic            more_q;
  logic [31:0]     cur_q, srow_q, splane_q;
  logic [RemW-1:0] rem_q;
  logic [15:0]     i1_q;
  logic [11:0]     i2_q;
  // presented burst
  logic            ar_q, shown_q, stop_q;
  logic [31:0]     addr_q;
  logic [7:0]      len_q;
  logic [CntW-1:0] cnt_q;

  // Cutting the next burst: from a position (the instruction's first one at start, else the
  // registered one), the burst's address and length and the position after it. Computed for both
  // positions and selected by start_i afterwards, so that start_i (which depends on the cycle's
  // errors) does not lead the arithmetic.
  typedef struct packed {
    logic [31:0]     addr;
    logic [7:0]      len;
    logic            more;
    logic [31:0]     cur, srow, splane;
    logic [RemW-1:0] rem;
    logic [15:0]     i1;
    logic [11:0]     i2;
  } cut_t;

  function automatic cut_t cut(input logic [31:0] p_cur, input logic [31:0] p_srow,
                               input logic [31:0] p_splane, input logic [31:0] p_ss1,
                               input logic [31:0] p_ss2, input logic [RemW-1:0] p_rem,
                               input logic [RemW-1:0] p_n0, input logic [15:0] p_i1,
                               input logic [15:0] p_n1, input logic [11:0] p_i2,
                               input logic [11:0] p_n2);
    logic [LB:0]     room;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [LB:0]     last_byte;  // its lane bits are not needed
    /* verilator lint_on UNUSEDSIGNAL */
    logic [LB-LW:0]  beats_m1;
    logic [7:0]      span;
    logic [RemW-1:0] bytes;
    logic            run_end;
    room     = (LB + 1)'(BB) - {1'b0, p_cur[LB-1:0]};
    run_end  = p_rem <= RemW'(room);
    bytes    = run_end ? p_rem : RemW'(room);
    // beats - 1 = (first byte's lane + bytes - 1) / BeatBytes; <= BurstBeats - 1 by construction
    last_byte = (LB + 1)'(p_cur[LW-1:0]) + (LB + 1)'(bytes) - 1'b1;
    beats_m1  = last_byte[LB:LW];
    span      = 8'(beats_m1);
    cut.addr = {p_cur[31:LW], {LW{1'b0}}};
    cut.len  = span;
    cut.more = !(run_end && (p_i1 + 1'b1 == p_n1) && (p_i2 + 1'b1 == p_n2));
    cut.srow   = p_srow;
    cut.splane = p_splane;
    cut.i1     = p_i1;
    cut.i2     = p_i2;
    cut.cur    = p_cur + 32'(bytes);
    cut.rem    = p_rem - bytes;
    if (run_end) begin
      cut.rem = p_n0;
      if (p_i1 + 1'b1 == p_n1) begin
        cut.i1     = '0;
        cut.i2     = p_i2 + 1'b1;
        cut.splane = p_splane + p_ss2;
        cut.srow   = p_splane + p_ss2;
      end else begin
        cut.i1   = p_i1 + 1'b1;
        cut.srow = p_srow + p_ss1;
      end
      cut.cur = cut.srow;
    end
  endfunction

  cut_t c_start, c_next, c;
  assign c_start = cut(src_i, src_i, src_i, ss1_i, ss2_i, n0_i, n0_i, '0, n1_i, '0, n2_i);
  assign c_next  = cut(cur_q, srow_q, splane_q, ss1_q, ss2_q, rem_q, n0_q, i1_q, n1_q, i2_q, n2_q);
  assign c       = start_i ? c_start : c_next;

  logic slot_ok, hs, load;
  assign slot_ok   = cnt_q < CntW'(MaxOutstanding);
  // a presented AR stays presented until accepted (AXI); after stop_i none is newly presented
  assign arvalid_o = ar_q && slot_ok && (!stop_q || shown_q);
  assign araddr_o  = addr_q;
  assign arlen_o   = len_q;
  assign hs        = arvalid_o && arready_i;
  assign load      = start_i || (more_q && !stop_q && !stop_i && (!ar_q || hs));
  // an AR withdrawn by an abort (never presented) does not count
  assign idle_o    = (!ar_q || (stop_q && !shown_q)) && !more_q && cnt_q == '0;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      ss1_q    <= '0;
      ss2_q    <= '0;
      n0_q     <= '0;
      n1_q     <= '0;
      n2_q     <= '0;
      more_q   <= 1'b0;
      cur_q    <= '0;
      srow_q   <= '0;
      splane_q <= '0;
      rem_q    <= '0;
      i1_q     <= '0;
      i2_q     <= '0;
      ar_q     <= 1'b0;
      shown_q  <= 1'b0;
      stop_q   <= 1'b0;
      addr_q   <= '0;
      len_q    <= '0;
      cnt_q    <= '0;
    end else begin
      cnt_q   <= cnt_q + CntW'(hs) - CntW'(rlast_i);
      shown_q <= arvalid_o && !arready_i;
      if (start_i) begin
        ss1_q  <= ss1_i;
        ss2_q  <= ss2_i;
        n0_q   <= n0_i;
        n1_q   <= n1_i;
        n2_q   <= n2_i;
        stop_q <= 1'b0;
      end else if (stop_i) begin
        stop_q <= 1'b1;
      end
      if (load) begin
        ar_q     <= 1'b1;
        addr_q   <= c.addr;
        len_q    <= c.len;
        more_q   <= c.more;
        cur_q    <= c.cur;
        srow_q   <= c.srow;
        splane_q <= c.splane;
        rem_q    <= c.rem;
        i1_q     <= c.i1;
        i2_q     <= c.i2;
      end else if (hs || (stop_q && !shown_q)) begin
        ar_q <= 1'b0;  // accepted, or withdrawn by an abort before it was ever presented
      end
      if (stop_i && !start_i) more_q <= 1'b0;
    end
  end

  // the slot counter never overflows or underflows
`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!(hs && cnt_q == CntW'(MaxOutstanding)))
        else $error("dlp_dma_ar: AR accepted with every slot in use");
      assert (!(rlast_i && !hs && cnt_q == '0))
        else $error("dlp_dma_ar: R burst ended with no burst outstanding");
    end
  end
`endif

endmodule

`default_nettype wire
