// SPDX-License-Identifier: Apache-2.0
// OpenDLP vector unit (VFU): vrq, vadd, vmax, vmin, vclamp, vlut, vmaxpool, vavgpool with V lanes
// (docs/isa.md for the semantics, docs/numerics.md for the arithmetic, docs/timing.md for the
// cycle counts; the results equal cmodel/src/exec.c bit for bit, done_o comes in exactly
// e = s + dlp_time_vfu() - 1).
//
// Memory ports (dlp_banked_mem port B protocol: request in t, read data in t + 1, lane i = element
// addr + i): one NRAM access per cycle (V bytes, read or write), one WRAM read (4V bytes) and one
// ACC read (V int32 elements). A vector is a chunk of up to V consecutive elements of a row
// (column chunk c0 = j*V, len = min(V, cols - c0)). Idle outputs are zero.
//
// Schedules (cycles counted from the start cycle s = 0; n = rows * ceil(cols/V) vectors, vectors
// row-major). The sequencer walks them cycle by cycle; its first cycle is combinational from uop_i.
//   vrq      per column chunk, rows + 3 cycles: WRAM beats 0, 1, 2 of the 12V parameter bytes
//            (p + 12*c0 + 4V*k) in its cycles 0..2, ACC reads of rows 0..rows-1 in its cycles
//            2..rows+1 (the first one with beat 2), cycle rows+2 idle.  Then a drain of 4.
//   vadd     WRAM beats 0..P-1 (P = ceil(48/4V)) in cycles 0..P-1; from cycle P-1 (with the last
//            beat) the vectors: read A, read B, free. Then a drain of 5 (total P + 3n + 4).
//   vmax/min read A, read B, free per vector from cycle 0; drain 4.
//   vclamp   read, free per vector from cycle 0; drain 4.
//   vlut     WRAM beats 0..P-1 (P = ceil(256/4V)), then read, free per vector; drain 4.
//   pools    per output pixel (y, x) and channel chunk: kh*kw position cycles (a read when the
//            position lies inside the ih x iw input, else nothing) and one free cycle; drain 4.
// NRAM writes use the cycles without an NRAM read: results enter a 2-entry FIFO (with bypass) in
// order and leave it in the next free cycle; every result lands by e (checked by assertions).
//
// Datapath (t = the cycle of the vector's completing request, "event"; result written from t + L):
//   vrq  L=5  t ACC read | t+1 data, registered | t+2..t+4 dlp_requant (acc + bias, MBQM, zp,
//             clamp) | q registered for t+5.  Per-lane parameters from the parameter buffer.
//   vadd L=6  t-1 read A, t read B (event) | one dlp_requant lane ("AB") per lane takes A in t and
//             B in t+1 (x = A, add = offset, lsh = left_shift), so two lanes (two 32x32
//             multipliers) per V serve the three MBQMs | MBQM(A) comes out in t+2 (registered),
//             MBQM(B) in t+3 and feeds, in the same cycle, the output lane ("O", shared with vrq):
//             x = x_a, add = x_b, stages t+3..t+5 | q for t+6 (the last vector: e). The first
//             vector's A meets the last parameter beat in the same cycle, so the parameters are
//             also taken from the arriving beat.
//             Stage contents: dlp_requant stage 1 = 32-bit add + left barrel shift, stage 2 =
//             32x32 multiply-add, stage 3 = rounding add + right barrel shift (+ zp add, clamp);
//             vadd chains AB's stage 3 and O's stage 1 in one cycle (its longest path) because
//             the contract leaves 5 cycles from the last operand's data to e.
//   vmax/vmin L=2, vclamp L=2, vlut L=3 (data registered, then the 256-entry table), pools L=3:
//             accumulate (max, or int16 sum) on each data arrival; at the free cycle (event) the
//             total and the count n of valid positions are registered; then
//             D1: N = |sum| + n/2, prod = N * ceil(2^23 / n) | D2: q = prod >> 23, -q if sum <= 0.
//             Exact: with N < 2^15, n < 2^8, m = ceil(2^23/n) = (2^23 + e)/n, 0 <= e < n,
//             N*m/2^23 = N/n + N*e/(n*2^23) and N*e/(n*2^23) < 2^15/2^23 = 2^-8 < 1/n, while the
//             fraction of N/n is at most (n-1)/n: the floor is floor(N/n), TFLite's (s +- n/2)/n.
//
// Ordering: each vector is read before it is written, writes happen in vector order, and a write
// may wait behind reads of later vectors. This is exact because the ISA makes every destination
// byte written once and lets a destination either coincide with a source (same address and
// stride) or not overlap it: a later vector never reads what an earlier one still has to write
// (checked by an assertion). vrq works column chunk by column chunk (not row by row like the
// model); with every destination byte written once the order cannot change the result.
//
// busy_o is high in [s, e] (in s through start_i). abort_i returns the unit to idle in the next
// cycle: no request is made after the abort cycle; memory written so far is unspecified.
`default_nettype none

module dlp_vfu #(
  parameter int unsigned VLanes    = 16,     // V, 1..64
  parameter int unsigned NramBytes = 131072, // power of two
  parameter int unsigned WramBytes = 262144, // power of two
  parameter int unsigned AccElems  = 16384,  // power of two
  parameter int unsigned NramAw    = $clog2(NramBytes),
  parameter int unsigned WramAw    = $clog2(WramBytes),
  parameter int unsigned AccAw     = $clog2(AccElems),
  parameter int unsigned LenW      = $clog2(VLanes + 1)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // unit handshake
  input  logic                     start_i,
  input  logic [dlp_pkg::UopW-1:0] uop_i,
  input  logic                     abort_i,
  output logic                     busy_o,
  output logic                     done_o,
  // NRAM port (read or write, V bytes)
  output logic                     nram_en_o,
  output logic                     nram_we_o,
  output logic [NramAw-1:0]        nram_addr_o,
  output logic [LenW-1:0]          nram_len_o,
  output logic [VLanes*8-1:0]      nram_wdata_o,
  input  logic [VLanes*8-1:0]      nram_rdata_i,
  // WRAM read port (4V bytes: parameters, lookup table)
  output logic                     wram_en_o,
  output logic [WramAw-1:0]        wram_addr_o,
  input  logic [VLanes*32-1:0]     wram_rdata_i,
  // ACC read port (V elements)
  output logic                     acc_en_o,
  output logic [AccAw-1:0]         acc_addr_o,
  input  logic [VLanes*32-1:0]     acc_rdata_i
);

  localparam int unsigned V         = VLanes;
  localparam int unsigned BeatBytes = 4 * V;                        // WRAM bytes per read
  localparam int unsigned AddBeats  = (dlp_isa_pkg::VADD_WORDS + V - 1) / V; // vadd block / 4V
  localparam int unsigned LutBeats  = (64 + V - 1) / V;             // ceil(256 / 4V)
  // vrq: V parameter blocks of VRQ_WORDS words = VRQ_WORDS beats (the schedule above assumes 3);
  // vadd: AddBeats beats. The vlut table has its own LUT RAM (below).
  localparam int unsigned PrmBeats  = AddBeats > dlp_isa_pkg::VRQ_WORDS ? AddBeats : dlp_isa_pkg::VRQ_WORDS;
  localparam int unsigned PrmBytes  = BeatBytes * PrmBeats;
  localparam int unsigned MaxBeats  = LutBeats > PrmBeats ? LutBeats : PrmBeats;
  localparam int unsigned BeatW     = $clog2(MaxBeats + 1);
  localparam int unsigned LutRowW   = LutBeats > 1 ? $clog2(LutBeats) : 1;
  localparam int unsigned RvLo      = dlp_pkg::UopRvLo;
  localparam int unsigned CoordW    = 18;                           // signed pool coordinates
  localparam int unsigned TagDepth  = 6;                            // largest L
  localparam int unsigned FifoDepth = 2;

  localparam logic [2:0] MdVrq = 3'd0, MdVadd = 3'd1, MdVmax = 3'd2, MdVmin = 3'd3,
                         MdVclamp = 3'd4, MdVlut = 3'd5, MdMaxp = 3'd6, MdAvgp = 3'd7;

  // ---- the micro-op: uop_i in the start cycle, its copy afterwards -----------------------------
  logic [dlp_pkg::UopW-1:0] uop_q, cu;
  logic [2:0]               md_q, md_c, md_u;
  logic                     act_q, act_c;
  logic [5:0]               op_u;

  assign cu    = start_i ? uop_i : uop_q;
  assign act_c = start_i || act_q;
  assign op_u  = uop_i[dlp_isa_pkg::F_OP_LO +: dlp_isa_pkg::F_OP_W];

  always_comb begin
    unique case (op_u)
      dlp_isa_pkg::OP_VRQ:      md_u = MdVrq;
      dlp_isa_pkg::OP_VADD:     md_u = MdVadd;
      dlp_isa_pkg::OP_VMAX:     md_u = MdVmax;
      dlp_isa_pkg::OP_VMIN:     md_u = MdVmin;
      dlp_isa_pkg::OP_VCLAMP:   md_u = MdVclamp;
      dlp_isa_pkg::OP_VLUT:     md_u = MdVlut;
      dlp_isa_pkg::OP_VMAXPOOL: md_u = MdMaxp;
      default:     md_u = MdAvgp;
    endcase
  end
  assign md_c = start_i ? md_u : md_q;

  // instruction fields and register values (slot k = register named by bits [16 + 4k +: 4])
  function automatic logic [31:0] slot(input logic [dlp_pkg::UopW-1:0] u, input int unsigned k);
    slot = u[RvLo + 32 * k +: 32];
  endfunction

  logic [15:0]       f_rows, f_cols, f_ch;
  logic [7:0]        f_i0, f_i1, f_i2;
  logic [11:0]       f_oh, f_ow, f_ih, f_iw;
  logic [3:0]        f_kh, f_kw, f_sh, f_sw, f_ppt, f_ppl;
  logic [NramAw-1:0] r_vd, r_va, r_vb, r_vsd, r_vsa, r_vsb;
  logic [AccAw-1:0]  r_acc, r_accs;
  logic [WramAw-1:0] r_vp;
  logic [NramAw-1:0] r_pd, r_pa, r_pspa, r_psra, r_pspd, r_psrd;

  always_comb begin
    f_rows = cu[dlp_isa_pkg::F_ROWS_LO +: dlp_isa_pkg::F_ROWS_W];
    f_cols = cu[dlp_isa_pkg::F_COLS_LO +: dlp_isa_pkg::F_COLS_W];
    f_i0   = cu[dlp_isa_pkg::F_I0_LO +: dlp_isa_pkg::F_I0_W];
    f_i1   = cu[dlp_isa_pkg::F_I1_LO +: dlp_isa_pkg::F_I1_W];
    f_i2   = cu[dlp_isa_pkg::F_I2_LO +: dlp_isa_pkg::F_I2_W];
    f_ch   = cu[dlp_isa_pkg::F_CH_LO +: dlp_isa_pkg::F_CH_W];
    f_oh   = cu[dlp_isa_pkg::F_OH_LO +: dlp_isa_pkg::F_OH_W];
    f_ow   = cu[dlp_isa_pkg::F_OW_LO +: dlp_isa_pkg::F_OW_W];
    f_kh   = cu[dlp_isa_pkg::F_KH_LO +: dlp_isa_pkg::F_KH_W];
    f_kw   = cu[dlp_isa_pkg::F_KW_LO +: dlp_isa_pkg::F_KW_W];
    f_sh   = cu[dlp_isa_pkg::F_SH_LO +: dlp_isa_pkg::F_SH_W];
    f_sw   = cu[dlp_isa_pkg::F_SW_LO +: dlp_isa_pkg::F_SW_W];
    f_ppt  = cu[dlp_isa_pkg::F_PPT_LO +: dlp_isa_pkg::F_PPT_W];
    f_ppl  = cu[dlp_isa_pkg::F_PPL_LO +: dlp_isa_pkg::F_PPL_W];
    f_ih   = cu[dlp_isa_pkg::F_IH_LO +: dlp_isa_pkg::F_IH_W];
    f_iw   = cu[dlp_isa_pkg::F_IW_LO +: dlp_isa_pkg::F_IW_W];
    r_vd   = NramAw'(slot(cu, dlp_isa_pkg::SLOT_VD));
    r_va   = NramAw'(slot(cu, dlp_isa_pkg::SLOT_VA));
    r_vb   = NramAw'(slot(cu, dlp_isa_pkg::SLOT_VB));
    r_vsd  = NramAw'(slot(cu, dlp_isa_pkg::SLOT_VSD));
    r_vsa  = NramAw'(slot(cu, dlp_isa_pkg::SLOT_VSA));
    r_vsb  = NramAw'(slot(cu, dlp_isa_pkg::SLOT_VSB));
    r_acc  = AccAw'(slot(cu, dlp_isa_pkg::SLOT_VA));
    r_accs = AccAw'(slot(cu, dlp_isa_pkg::SLOT_VSA));
    r_vp   = WramAw'(slot(cu, dlp_isa_pkg::SLOT_VP));
    r_pd   = NramAw'(slot(cu, dlp_isa_pkg::SLOT_PD));
    r_pa   = NramAw'(slot(cu, dlp_isa_pkg::SLOT_PA));
    r_pspa = NramAw'(slot(cu, dlp_isa_pkg::SLOT_PSPA));
    r_psra = NramAw'(slot(cu, dlp_isa_pkg::SLOT_PSRA));
    r_pspd = NramAw'(slot(cu, dlp_isa_pkg::SLOT_PSPD));
    r_psrd = NramAw'(slot(cu, dlp_isa_pkg::SLOT_PSRD));
  end

  // x * k modulo 2^NramAw for a 4-bit k (pool strides times sh, sw, pt, pl)
  function automatic logic [NramAw-1:0] mul4(input logic [NramAw-1:0] x, input logic [3:0] k);
    mul4 = '0;
    for (int b = 0; b < 4; b++) if (k[b]) mul4 = mul4 + (x << b);
  endfunction

  function automatic logic [LenW-1:0] chunk_len(input logic [15:0] left);
    chunk_len = left > 16'(V) ? LenW'(V) : LenW'(left);
  endfunction

  // ---- sequencer outputs (this cycle's requests) ------------------------------------------------
  logic              s_nrd, s_rdb, s_pfirst, s_wrd, s_ard, s_ev, s_last;
  logic [NramAw-1:0] s_naddr, s_ev_addr;
  logic [LenW-1:0]   s_nlen; // elements of the NRAM read that the vector uses
  logic [LenW-1:0]   s_ev_len;
  logic [WramAw-1:0] s_waddr;
  logic [BeatW-1:0]  s_wbeat;
  logic [AccAw-1:0]  s_aaddr;

  // ---- vector family: vadd, vmax, vmin, vclamp, vlut (row-major vectors) ------------------------
  logic              vf_on, vf_two, vf_main;
  logic [BeatW-1:0]  vf_prm_q, vf_prm_d, vf_prm_c, vf_beat_q, vf_beat_d, vf_beat_c;
  logic [WramAw-1:0] vf_pa_q, vf_pa_d, vf_pa_c;
  logic [1:0]        vf_ph_q, vf_ph_d, vf_ph_c;
  logic [15:0]       vf_rows_q, vf_rows_d, vf_rows_c, vf_cols_q, vf_cols_d, vf_cols_c;
  logic [NramAw-1:0] vf_a_q, vf_a_d, vf_a_c, vf_b_q, vf_b_d, vf_b_c, vf_d_q, vf_d_d, vf_d_c;
  logic [NramAw-1:0] vf_ar_q, vf_ar_d, vf_ar_c, vf_br_q, vf_br_d, vf_br_c; // row bases
  logic [NramAw-1:0] vf_dr_q, vf_dr_d, vf_dr_c;
  logic              vf_nrd, vf_rdb, vf_wrd, vf_ev, vf_last, vf_adv;
  logic [NramAw-1:0] vf_naddr;

  always_comb begin
    vf_on  = act_c && (md_c == MdVadd || md_c == MdVmax || md_c == MdVmin || md_c == MdVclamp ||
                       md_c == MdVlut);
    vf_two = md_c == MdVadd || md_c == MdVmax || md_c == MdVmin;
    if (start_i) begin
      vf_prm_c  = md_u == MdVadd ? BeatW'(AddBeats) : md_u == MdVlut ? BeatW'(LutBeats) : '0;
      vf_beat_c = '0;
      vf_pa_c   = r_vp;
      vf_ph_c   = 2'd0;
      vf_rows_c = f_rows;
      vf_cols_c = f_cols;
      vf_a_c    = r_va;
      vf_b_c    = r_vb;
      vf_d_c    = r_vd;
      vf_ar_c   = r_va;
      vf_br_c   = r_vb;
      vf_dr_c   = r_vd;
    end else begin
      vf_prm_c  = vf_prm_q;
      vf_beat_c = vf_beat_q;
      vf_pa_c   = vf_pa_q;
      vf_ph_c   = vf_ph_q;
      vf_rows_c = vf_rows_q;
      vf_cols_c = vf_cols_q;
      vf_a_c    = vf_a_q;
      vf_b_c    = vf_b_q;
      vf_d_c    = vf_d_q;
      vf_ar_c   = vf_ar_q;
      vf_br_c   = vf_br_q;
      vf_dr_c   = vf_dr_q;
    end
    vf_prm_d  = vf_prm_c;
    vf_beat_d = vf_beat_c;
    vf_pa_d   = vf_pa_c;
    vf_ph_d   = vf_ph_c;
    vf_rows_d = vf_rows_c;
    vf_cols_d = vf_cols_c;
    vf_a_d    = vf_a_c;
    vf_b_d    = vf_b_c;
    vf_d_d    = vf_d_c;
    vf_ar_d   = vf_ar_c;
    vf_br_d   = vf_br_c;
    vf_dr_d   = vf_dr_c;
    vf_nrd    = 1'b0;
    vf_rdb    = 1'b0;
    vf_naddr  = '0;
    vf_wrd    = 1'b0;
    vf_ev     = 1'b0;
    vf_last   = 1'b0;
    vf_adv    = 1'b0;
    // vadd starts its vectors with its last parameter beat, vlut after it
    vf_main   = vf_prm_c == '0 || (md_c == MdVadd && vf_prm_c == BeatW'(1));
    if (vf_on) begin
      if (vf_prm_c != '0) begin
        vf_wrd    = 1'b1;
        vf_prm_d  = vf_prm_c - BeatW'(1);
        vf_beat_d = vf_beat_c + BeatW'(1);
        vf_pa_d   = vf_pa_c + WramAw'(BeatBytes);
      end
      if (vf_main) begin
        unique case (vf_ph_c)
          2'd0: begin // read A (vclamp, vlut: the only read, which completes the vector)
            vf_nrd   = 1'b1;
            vf_naddr = vf_a_c;
            vf_ev    = !vf_two;
            vf_ph_d  = 2'd1;
          end
          2'd1: begin
            if (vf_two) begin // read B
              vf_nrd   = 1'b1;
              vf_rdb   = 1'b1;
              vf_naddr = vf_b_c;
              vf_ev    = 1'b1;
              vf_ph_d  = 2'd2;
            end else begin
              vf_adv = 1'b1;
            end
          end
          default: vf_adv = 1'b1;
        endcase
      end
      if (vf_adv) begin // free cycle: step to the next vector
        vf_ph_d = 2'd0;
        if (vf_cols_c > 16'(V)) begin
          vf_cols_d = vf_cols_c - 16'(V);
          vf_a_d    = vf_a_c + NramAw'(V);
          vf_b_d    = vf_b_c + NramAw'(V);
          vf_d_d    = vf_d_c + NramAw'(V);
        end else if (vf_rows_c != 16'd1) begin
          vf_rows_d = vf_rows_c - 16'd1;
          vf_cols_d = f_cols;
          vf_ar_d   = vf_ar_c + r_vsa;
          vf_br_d   = vf_br_c + r_vsb;
          vf_dr_d   = vf_dr_c + r_vsd;
          vf_a_d    = vf_ar_c + r_vsa;
          vf_b_d    = vf_br_c + r_vsb;
          vf_d_d    = vf_dr_c + r_vsd;
        end else begin
          vf_last = 1'b1;
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    vf_prm_q  <= vf_prm_d;
    vf_beat_q <= vf_beat_d;
    vf_pa_q   <= vf_pa_d;
    vf_ph_q   <= vf_ph_d;
    vf_rows_q <= vf_rows_d;
    vf_cols_q <= vf_cols_d;
    vf_a_q    <= vf_a_d;
    vf_b_q    <= vf_b_d;
    vf_d_q    <= vf_d_d;
    vf_ar_q   <= vf_ar_d;
    vf_br_q   <= vf_br_d;
    vf_dr_q   <= vf_dr_d;
  end

  // ---- vrq: column chunk by column chunk --------------------------------------------------------
  logic              rq_on;
  logic [16:0]       rq_ph_q, rq_ph_d, rq_ph_c, rq_end;
  logic [15:0]       rq_cols_q, rq_cols_d, rq_cols_c;
  logic [WramAw-1:0] rq_pc_q, rq_pc_d, rq_pc_c;   // p + 12*c0
  logic [AccAw-1:0]  rq_ab_q, rq_ab_d, rq_ab_c;   // a + c0
  logic [AccAw-1:0]  rq_ap_q, rq_ap_d, rq_ap_c;   // a + r*sa + c0
  logic [NramAw-1:0] rq_db_q, rq_db_d, rq_db_c;   // d + c0
  logic [NramAw-1:0] rq_dp_q, rq_dp_d, rq_dp_c;   // d + r*sd + c0
  logic              rq_wrd, rq_ard, rq_last;
  logic [WramAw-1:0] rq_waddr;

  always_comb begin
    rq_on = act_c && md_c == MdVrq;
    if (start_i) begin
      rq_ph_c   = '0;
      rq_cols_c = f_cols;
      rq_pc_c   = r_vp;
      rq_ab_c   = r_acc;
      rq_ap_c   = r_acc;
      rq_db_c   = r_vd;
      rq_dp_c   = r_vd;
    end else begin
      rq_ph_c   = rq_ph_q;
      rq_cols_c = rq_cols_q;
      rq_pc_c   = rq_pc_q;
      rq_ab_c   = rq_ab_q;
      rq_ap_c   = rq_ap_q;
      rq_db_c   = rq_db_q;
      rq_dp_c   = rq_dp_q;
    end
    rq_end    = {1'b0, f_rows} + 17'd2;
    rq_ph_d   = rq_ph_c;
    rq_cols_d = rq_cols_c;
    rq_pc_d   = rq_pc_c;
    rq_ab_d   = rq_ab_c;
    rq_ap_d   = rq_ap_c;
    rq_db_d   = rq_db_c;
    rq_dp_d   = rq_dp_c;
    rq_wrd    = 1'b0;
    rq_waddr  = rq_pc_c;
    rq_ard    = 1'b0;
    rq_last   = 1'b0;
    if (rq_on) begin
      rq_ph_d = rq_ph_c + 17'd1;
      if (rq_ph_c < 17'd3) begin // parameter beat rq_ph_c of this chunk
        rq_wrd = 1'b1;
        if (rq_ph_c == 17'd1)      rq_waddr = rq_pc_c + WramAw'(BeatBytes);
        else if (rq_ph_c == 17'd2) rq_waddr = rq_pc_c + WramAw'(2 * BeatBytes);
      end
      if (rq_ph_c >= 17'd2 && rq_ph_c < rq_end) begin // ACC read of row rq_ph_c - 2
        rq_ard  = 1'b1;
        rq_ap_d = rq_ap_c + r_accs;
        rq_dp_d = rq_dp_c + r_vsd;
      end
      if (rq_ph_c == rq_end) begin // idle cycle that ends the chunk
        if (rq_cols_c > 16'(V)) begin
          rq_ph_d   = '0;
          rq_cols_d = rq_cols_c - 16'(V);
          rq_pc_d   = rq_pc_c + WramAw'(4 * dlp_isa_pkg::VRQ_WORDS * V);
          rq_ab_d   = rq_ab_c + AccAw'(V);
          rq_ap_d   = rq_ab_c + AccAw'(V);
          rq_db_d   = rq_db_c + NramAw'(V);
          rq_dp_d   = rq_db_c + NramAw'(V);
        end else begin
          rq_last = 1'b1;
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    rq_ph_q   <= rq_ph_d;
    rq_cols_q <= rq_cols_d;
    rq_pc_q   <= rq_pc_d;
    rq_ab_q   <= rq_ab_d;
    rq_ap_q   <= rq_ap_d;
    rq_db_q   <= rq_db_d;
    rq_dp_q   <= rq_dp_d;
  end

  // ---- pools: output pixel (y, x), channel chunk, window position (dy, dx) ----------------------
  logic                     pl_on, pl_first, pl_valid;
  logic [3:0]               pl_dy_q, pl_dy_d, pl_dy_c, pl_dx_q, pl_dx_d, pl_dx_c;
  logic                     pl_f_q, pl_f_d, pl_f_c;         // in the free cycle of a vector
  logic signed [CoordW-1:0] pl_r_q, pl_r_d, pl_r_c, pl_q_q, pl_q_d, pl_q_c; // input position
  logic signed [CoordW-1:0] pl_r0_q, pl_r0_d, pl_r0_c, pl_q0_q, pl_q0_d, pl_q0_c; // window origin
  logic [11:0]              pl_y_q, pl_y_d, pl_y_c, pl_x_q, pl_x_d, pl_x_c;
  logic [15:0]              pl_cols_q, pl_cols_d, pl_cols_c;
  logic [7:0]               pl_n_q, pl_n_d, pl_n_c;         // valid positions so far
  // input pointers: yb = origin of (y, x = 0), xb = origin of (y, x), wb = xb + c0,
  // rp = wb + dy*sra, pp = rp + dx*spa; output: oyb = d + y*srd, oxb = oyb + x*spd, od = oxb + c0
  logic [NramAw-1:0]        pl_yb_q, pl_yb_d, pl_yb_c, pl_xb_q, pl_xb_d, pl_xb_c;
  logic [NramAw-1:0]        pl_wb_q, pl_wb_d, pl_wb_c, pl_rp_q, pl_rp_d, pl_rp_c;
  logic [NramAw-1:0]        pl_pp_q, pl_pp_d, pl_pp_c;
  logic [NramAw-1:0]        pl_oyb_q, pl_oyb_d, pl_oyb_c, pl_oxb_q, pl_oxb_d, pl_oxb_c;
  logic [NramAw-1:0]        pl_od_q, pl_od_d, pl_od_c;
  logic [NramAw-1:0]        pl_stepx_q, pl_stepy_q, pl_org;  // sw*spa, sh*sra, a - pt*sra - pl*spa
  logic signed [CoordW-1:0] pl_npt, pl_npl;
  logic                     pl_nrd, pl_ev, pl_last;

  always_comb begin
    pl_on  = act_c && (md_c == MdMaxp || md_c == MdAvgp);
    pl_npt = -(CoordW'($signed({1'b0, f_ppt})));
    pl_npl = -(CoordW'($signed({1'b0, f_ppl})));
    pl_org = r_pa - mul4(r_psra, f_ppt) - mul4(r_pspa, f_ppl);
    if (start_i) begin
      pl_dy_c   = '0;
      pl_dx_c   = '0;
      pl_f_c    = 1'b0;
      pl_r_c    = pl_npt;
      pl_q_c    = pl_npl;
      pl_r0_c   = pl_npt;
      pl_q0_c   = pl_npl;
      pl_y_c    = '0;
      pl_x_c    = '0;
      pl_cols_c = f_ch;
      pl_n_c    = '0;
      pl_yb_c   = pl_org;
      pl_xb_c   = pl_org;
      pl_wb_c   = pl_org;
      pl_rp_c   = pl_org;
      pl_pp_c   = pl_org;
      pl_oyb_c  = r_pd;
      pl_oxb_c  = r_pd;
      pl_od_c   = r_pd;
    end else begin
      pl_dy_c   = pl_dy_q;
      pl_dx_c   = pl_dx_q;
      pl_f_c    = pl_f_q;
      pl_r_c    = pl_r_q;
      pl_q_c    = pl_q_q;
      pl_r0_c   = pl_r0_q;
      pl_q0_c   = pl_q0_q;
      pl_y_c    = pl_y_q;
      pl_x_c    = pl_x_q;
      pl_cols_c = pl_cols_q;
      pl_n_c    = pl_n_q;
      pl_yb_c   = pl_yb_q;
      pl_xb_c   = pl_xb_q;
      pl_wb_c   = pl_wb_q;
      pl_rp_c   = pl_rp_q;
      pl_pp_c   = pl_pp_q;
      pl_oyb_c  = pl_oyb_q;
      pl_oxb_c  = pl_oxb_q;
      pl_od_c   = pl_od_q;
    end
    pl_dy_d   = pl_dy_c;
    pl_dx_d   = pl_dx_c;
    pl_f_d    = pl_f_c;
    pl_r_d    = pl_r_c;
    pl_q_d    = pl_q_c;
    pl_r0_d   = pl_r0_c;
    pl_q0_d   = pl_q0_c;
    pl_y_d    = pl_y_c;
    pl_x_d    = pl_x_c;
    pl_cols_d = pl_cols_c;
    pl_n_d    = pl_n_c;
    pl_yb_d   = pl_yb_c;
    pl_xb_d   = pl_xb_c;
    pl_wb_d   = pl_wb_c;
    pl_rp_d   = pl_rp_c;
    pl_pp_d   = pl_pp_c;
    pl_oyb_d  = pl_oyb_c;
    pl_oxb_d  = pl_oxb_c;
    pl_od_d   = pl_od_c;
    pl_first  = pl_dy_c == 4'd0 && pl_dx_c == 4'd0;
    pl_valid  = pl_r_c >= 0 && pl_r_c < CoordW'($signed({1'b0, f_ih})) &&
                pl_q_c >= 0 && pl_q_c < CoordW'($signed({1'b0, f_iw}));
    pl_nrd    = 1'b0;
    pl_ev     = 1'b0;
    pl_last   = 1'b0;
    if (pl_on) begin
      if (!pl_f_c) begin // window position (dy, dx)
        pl_nrd = pl_valid;
        pl_n_d = (pl_first ? 8'd0 : pl_n_c) + 8'(pl_valid);
        if (pl_dx_c != f_kw - 4'd1) begin
          pl_dx_d = pl_dx_c + 4'd1;
          pl_q_d  = pl_q_c + CoordW'(1);
          pl_pp_d = pl_pp_c + r_pspa;
        end else if (pl_dy_c != f_kh - 4'd1) begin
          pl_dx_d = '0;
          pl_dy_d = pl_dy_c + 4'd1;
          pl_r_d  = pl_r_c + CoordW'(1);
          pl_q_d  = pl_q0_c;
          pl_rp_d = pl_rp_c + r_psra;
          pl_pp_d = pl_rp_c + r_psra;
        end else begin
          pl_f_d = 1'b1;
        end
      end else begin // free cycle: the vector is complete; step to the next one
        pl_ev   = 1'b1;
        pl_f_d  = 1'b0;
        pl_dy_d = '0;
        pl_dx_d = '0;
        if (pl_cols_c > 16'(V)) begin
          pl_cols_d = pl_cols_c - 16'(V);
          pl_r_d    = pl_r0_c;
          pl_q_d    = pl_q0_c;
          pl_wb_d   = pl_wb_c + NramAw'(V);
          pl_rp_d   = pl_wb_c + NramAw'(V);
          pl_pp_d   = pl_wb_c + NramAw'(V);
          pl_od_d   = pl_od_c + NramAw'(V);
        end else if (pl_x_c != f_ow - 12'd1) begin
          pl_cols_d = f_ch;
          pl_x_d    = pl_x_c + 12'd1;
          pl_q0_d   = pl_q0_c + CoordW'(f_sw);
          pl_r_d    = pl_r0_c;
          pl_q_d    = pl_q0_c + CoordW'(f_sw);
          pl_xb_d   = pl_xb_c + pl_stepx_q;
          pl_wb_d   = pl_xb_c + pl_stepx_q;
          pl_rp_d   = pl_xb_c + pl_stepx_q;
          pl_pp_d   = pl_xb_c + pl_stepx_q;
          pl_oxb_d  = pl_oxb_c + r_pspd;
          pl_od_d   = pl_oxb_c + r_pspd;
        end else if (pl_y_c != f_oh - 12'd1) begin
          pl_cols_d = f_ch;
          pl_y_d    = pl_y_c + 12'd1;
          pl_x_d    = '0;
          pl_r0_d   = pl_r0_c + CoordW'(f_sh);
          pl_q0_d   = pl_npl;
          pl_r_d    = pl_r0_c + CoordW'(f_sh);
          pl_q_d    = pl_npl;
          pl_yb_d   = pl_yb_c + pl_stepy_q;
          pl_xb_d   = pl_yb_c + pl_stepy_q;
          pl_wb_d   = pl_yb_c + pl_stepy_q;
          pl_rp_d   = pl_yb_c + pl_stepy_q;
          pl_pp_d   = pl_yb_c + pl_stepy_q;
          pl_oyb_d  = pl_oyb_c + r_psrd;
          pl_oxb_d  = pl_oyb_c + r_psrd;
          pl_od_d   = pl_oyb_c + r_psrd;
        end else begin
          pl_last = 1'b1;
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    pl_dy_q   <= pl_dy_d;
    pl_dx_q   <= pl_dx_d;
    pl_f_q    <= pl_f_d;
    pl_r_q    <= pl_r_d;
    pl_q_q    <= pl_q_d;
    pl_r0_q   <= pl_r0_d;
    pl_q0_q   <= pl_q0_d;
    pl_y_q    <= pl_y_d;
    pl_x_q    <= pl_x_d;
    pl_cols_q <= pl_cols_d;
    pl_n_q    <= pl_n_d;
    pl_yb_q   <= pl_yb_d;
    pl_xb_q   <= pl_xb_d;
    pl_wb_q   <= pl_wb_d;
    pl_rp_q   <= pl_rp_d;
    pl_pp_q   <= pl_pp_d;
    pl_oyb_q  <= pl_oyb_d;
    pl_oxb_q  <= pl_oxb_d;
    pl_od_q   <= pl_od_d;
    if (start_i) begin // the steps are first needed at the end of the first vector (>= s + 1)
      pl_stepx_q <= mul4(r_pspa, f_sw);
      pl_stepy_q <= mul4(r_psra, f_sh);
    end
  end

  // ---- sequencer outputs ------------------------------------------------------------------------
  always_comb begin
    s_nrd     = vf_nrd || pl_nrd;
    s_naddr   = vf_nrd ? vf_naddr : pl_nrd ? pl_pp_c : '0;
    s_nlen    = chunk_len(vf_nrd ? vf_cols_c : pl_cols_c);
    s_rdb     = vf_rdb;
    s_pfirst  = pl_on && !pl_f_c && pl_first;
    s_wrd     = vf_wrd || rq_wrd;
    s_waddr   = vf_wrd ? vf_pa_c : rq_wrd ? rq_waddr : '0;
    s_wbeat   = vf_wrd ? vf_beat_c : BeatW'(rq_ph_c[1:0]);
    s_ard     = rq_ard;
    s_aaddr   = rq_ard ? rq_ap_c : '0;
    s_ev      = vf_ev || rq_ard || pl_ev;
    s_ev_addr = vf_ev ? vf_d_c : rq_ard ? rq_dp_c : pl_od_c;
    s_ev_len  = chunk_len(vf_ev ? vf_cols_c : rq_ard ? rq_cols_c : pl_cols_c);
    s_last    = vf_last || rq_last || pl_last;
  end

  // ---- control: active, drain, done -------------------------------------------------------------
  logic [2:0] drain_q, drain_d;

  always_comb begin
    if (s_last)              drain_d = md_c == MdVadd ? 3'd5 : 3'd4;
    else if (drain_q != '0)  drain_d = drain_q - 3'd1;
    else                     drain_d = '0;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || abort_i) begin
      act_q   <= 1'b0;
      drain_q <= '0;
    end else begin
      act_q   <= act_c && !s_last;
      drain_q <= drain_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (start_i) begin
      uop_q <= uop_i;
      md_q  <= md_u;
    end
  end

  assign done_o = drain_q == 3'd1;
  assign busy_o = act_c || drain_q != '0;

  // ---- tags: what the data of this cycle's requests is, and the completed vectors in flight -----
  logic              dt_prm_q, dt_b_q, dt_pv_q, dt_pf_q;
  logic [BeatW-1:0]  dt_beat_q;
  logic              tg_v_q [TagDepth+1];
  logic [NramAw-1:0] tg_a_q [TagDepth+1];
  logic [LenW-1:0]   tg_l_q [TagDepth+1];

  always_ff @(posedge clk_i) begin
    dt_prm_q  <= s_wrd;
    dt_beat_q <= s_wbeat;
    dt_b_q    <= s_rdb;
    dt_pv_q   <= pl_nrd;
    dt_pf_q   <= s_pfirst;
  end

  // tg_*_q[k]: vectors completed k cycles ago (index 0 unused)
  int unsigned lat; // L of the current instruction (see "results")
  always_ff @(posedge clk_i) begin
    if (!rst_ni || abort_i) begin
      for (int k = 0; k <= TagDepth; k++) tg_v_q[k] <= 1'b0;
    end else begin
      tg_v_q[0] <= 1'b0;
      tg_v_q[1] <= s_ev;
      // a result is presented at position lat; it does not travel further
      for (int k = 2; k <= TagDepth; k++) tg_v_q[k] <= tg_v_q[k-1] && k - 1 < lat;
    end
  end

  always_ff @(posedge clk_i) begin
    tg_a_q[0] <= '0;
    tg_l_q[0] <= '0;
    tg_a_q[1] <= s_ev_addr;
    tg_l_q[1] <= s_ev_len;
    for (int k = 2; k <= TagDepth; k++) begin
      tg_a_q[k] <= tg_a_q[k-1];
      tg_l_q[k] <= tg_l_q[k-1];
    end
  end

  // ---- parameter buffer (vrq parameters of one chunk, vadd parameters) ----------------------------
  logic [PrmBytes*8-1:0]  prm_q;
  logic [AddBeats*BeatBytes*8-1:0] prm_add; // vadd's words, including a beat arriving this cycle

  always_ff @(posedge clk_i) begin
    for (int b = 0; b < PrmBeats; b++)
      if (dt_prm_q && dt_beat_q == BeatW'(b))
        prm_q[b*BeatBytes*8 +: BeatBytes*8] <= wram_rdata_i;
  end

  always_comb begin
    for (int b = 0; b < AddBeats; b++)
      prm_add[b*BeatBytes*8 +: BeatBytes*8] = (dt_prm_q && dt_beat_q == BeatW'(b)) ?
          wram_rdata_i : prm_q[b*BeatBytes*8 +: BeatBytes*8];
  end

  function automatic logic [31:0] add_word(input logic [AddBeats*BeatBytes*8-1:0] p,
                                           input int unsigned k);
    add_word = p[32 * k +: 32];
  endfunction

  logic [31:0] p_aoff, p_amul, p_ash, p_boff, p_bmul, p_bsh, p_omul, p_osh, p_ooff;
  logic [31:0] p_amin, p_amax, p_lsw;
  logic [4:0]  p_ls;

  always_comb begin
    p_aoff = add_word(prm_add, dlp_isa_pkg::VADD_A_OFFSET);
    p_amul = add_word(prm_add, dlp_isa_pkg::VADD_A_MULT);
    p_ash  = add_word(prm_add, dlp_isa_pkg::VADD_A_SHIFT);
    p_boff = add_word(prm_add, dlp_isa_pkg::VADD_B_OFFSET);
    p_bmul = add_word(prm_add, dlp_isa_pkg::VADD_B_MULT);
    p_bsh  = add_word(prm_add, dlp_isa_pkg::VADD_B_SHIFT);
    p_omul = add_word(prm_add, dlp_isa_pkg::VADD_OUT_MULT);
    p_osh  = add_word(prm_add, dlp_isa_pkg::VADD_OUT_SHIFT);
    p_ooff = add_word(prm_add, dlp_isa_pkg::VADD_OUT_OFFSET);
    p_amin = add_word(prm_add, dlp_isa_pkg::VADD_ACT_MIN);
    p_amax = add_word(prm_add, dlp_isa_pkg::VADD_ACT_MAX);
    p_lsw  = add_word(prm_add, dlp_isa_pkg::VADD_LEFT_SHIFT);
    if ($signed(p_lsw) < 0)              p_ls = 5'd0;
    else if ($signed(p_lsw) > 32'sd31)   p_ls = 5'd31;
    else                                 p_ls = p_lsw[4:0];
  end

  // ---- the vlut table: one copy per lane in LUT RAM ------------------------------------------------
  // Row b of a copy holds WRAM beat b (table bytes 4V*b .. 4V*b + 4V - 1), written in the cycle
  // the beat arrives, like the parameter buffer; every parameter beat of any instruction writes
  // it (a vlut loads its whole table before its first lookup, so the others leave nothing it
  // reads). A lane reads entry x as row x / 4V, byte x mod 4V, asynchronously: the same timing
  // as a table of flip-flops, without their 256-way multiplexer per lane.
  logic             lut_we;
  logic [LutRowW-1:0] lut_wrow;
  assign lut_we   = dt_prm_q && dt_beat_q < BeatW'(LutBeats);
  assign lut_wrow = LutRowW'(dt_beat_q);

  // ---- pooling: count, reciprocal ---------------------------------------------------------------
  logic [23:0] recip [256]; // ceil(2^23 / n)
  for (genvar k = 0; k < 256; k++) begin : g_recip
    localparam logic [23:0] Recip = k == 0 ? 24'd0 :
                                    24'((32'd8388608 + 32'(k) - 32'd1) / 32'(k));
    assign recip[k] = Recip;
  end

  logic [6:0]  pnh_q;  // n / 2
  logic [23:0] pm1_q;
  logic        is_max; // from md_q: valid from s + 1, when the first pool data arrives

  assign is_max = md_q == MdMaxp;

  always_ff @(posedge clk_i) begin
    pnh_q <= pl_n_q[7:1];
    pm1_q <= recip[pl_n_q];
  end

  // ---- lanes ------------------------------------------------------------------------------------
  logic [V*8-1:0] o_res, s_res, p_res; // requant/add results, simple-op results, pool results
  logic           vrq_sel;

  assign vrq_sel = md_q == MdVrq;

  for (genvar i = 0; i < V; i++) begin : g_lane
    logic [7:0]  nd;
    logic [31:0] acc_q, ya_q, ab_y, o_y;
    logic [7:0]  ab_q, a_q, res_q;
    logic [31:0] bias, mult, shift;

    assign nd    = nram_rdata_i[8*i +: 8];
    assign bias  = prm_q[(4 * (dlp_isa_pkg::VRQ_WORDS * i + dlp_isa_pkg::VRQ_BIAS)) * 8 +: 32];
    assign mult  = prm_q[(4 * (dlp_isa_pkg::VRQ_WORDS * i + dlp_isa_pkg::VRQ_MULT)) * 8 +: 32];
    assign shift = prm_q[(4 * (dlp_isa_pkg::VRQ_WORDS * i + dlp_isa_pkg::VRQ_SHIFT)) * 8 +: 32];

    always_ff @(posedge clk_i) begin
      acc_q <= acc_rdata_i[32*i +: 32];
      ya_q  <= ab_y;
      a_q   <= nd;
    end

    // vadd inputs: A in the cycle its data arrives, B in the next
    dlp_requant u_ab (
      .clk_i   (clk_i),
      .x_i     (32'($signed(nd))),
      .add_i   (dt_b_q ? p_boff : p_aoff),
      .lsh_i   (p_ls),
      .mult_i  (dt_b_q ? p_bmul : p_amul),
      .shift_i (dt_b_q ? p_bsh : p_ash),
      .zp_i    (32'd0),
      .lo_i    (32'd0),
      .hi_i    (32'd0),
      .y_o     (ab_y),
      .q_o     (ab_q)
    );

    // vrq: MBQM(acc + bias); vadd output: MBQM(x_a + x_b)
    dlp_requant u_o (
      .clk_i   (clk_i),
      .x_i     (vrq_sel ? acc_q : ya_q),
      .add_i   (vrq_sel ? bias : ab_y),
      .lsh_i   (5'd0),
      .mult_i  (vrq_sel ? mult : p_omul),
      .shift_i (vrq_sel ? shift : p_osh),
      .zp_i    (vrq_sel ? 32'($signed(f_i0)) : p_ooff),
      .lo_i    (vrq_sel ? 32'($signed(f_i1)) : p_amin),
      .hi_i    (vrq_sel ? 32'($signed(f_i2)) : p_amax),
      .y_o     (o_y),
      .q_o     (o_res[8*i +: 8])
    );

    // this lane's copy of the vlut table (written without reset: LUT RAM)
    logic [BeatBytes*8-1:0] lut_mem [LutBeats];
    logic [7:0]             lut_x, lut_rd;
    logic [BeatBytes*8-1:0] lut_row;
    always_ff @(posedge clk_i) begin
      if (lut_we) lut_mem[lut_wrow] <= wram_rdata_i;
    end
    assign lut_x   = a_q ^ 8'h80;
    assign lut_row = lut_mem[LutRowW'(32'(lut_x) / BeatBytes)];
    assign lut_rd  = lut_row[8 * (32'(lut_x) % BeatBytes) +: 8];

    // vmax, vmin, vclamp (from the arriving byte), vlut (from the registered byte)
    always_ff @(posedge clk_i) begin
      unique case (md_q)
        MdVmax:   res_q <= $signed(a_q) > $signed(nd) ? a_q : nd;
        MdVmin:   res_q <= $signed(a_q) < $signed(nd) ? a_q : nd;
        MdVclamp: res_q <= $signed(nd) < $signed(f_i0) ? f_i0 :
                           $signed(nd) > $signed(f_i1) ? f_i1 : nd;
        default:  res_q <= lut_rd;
      endcase
    end
    assign s_res[8*i +: 8] = res_q;

    // pools: accumulate on each data arrival (positions outside the input add the identity)
    logic signed [15:0] pacc_q, pacc_d, pbase, pterm;
    logic        [14:0] pmag;
    logic        [38:0] pnum, pden;
    logic        [38:0] pprod_q;
    logic               ppos_q;
    logic        [7:0]  pmx_q, pq, pool_q;

    always_comb begin
      pbase  = dt_pf_q ? (is_max ? -16'sd128 : 16'sd0) : pacc_q;
      pterm  = dt_pv_q ? 16'($signed(nd)) : (is_max ? -16'sd128 : 16'sd0);
      pacc_d = is_max ? (pterm > pbase ? pterm : pbase) : pbase + pterm;
      pmag   = 15'(pacc_q > 0 ? pacc_q : -pacc_q);
      pnum   = 39'(pmag) + 39'(pnh_q);
      pden   = 39'(pm1_q);
      pq     = pprod_q[30:23];
    end

    always_ff @(posedge clk_i) begin
      pacc_q  <= pacc_d;                         // in the cycle after the free one: the total
      pprod_q <= pnum * pden;                    // D1
      ppos_q  <= pacc_q > 0;
      pmx_q   <= pacc_q[7:0];
      pool_q  <= is_max ? pmx_q : ppos_q ? pq : -pq; // D2
    end
    assign p_res[8*i +: 8] = pool_q;

    logic unused_lane;
    assign unused_lane = ^{ab_q, o_y, pprod_q[38:31], pprod_q[22:0]}; // q = prod[30:23] <= 128
  end

  // ---- results: one per completed vector, L cycles after its event ------------------------------
  logic              res_v;
  logic [NramAw-1:0] res_a;
  logic [LenW-1:0]   res_l;
  logic [V*8-1:0]    res_d;

  always_comb begin
    unique case (md_q)
      MdVrq:                    lat = 5;
      MdVadd:                   lat = 6;
      MdVmax, MdVmin, MdVclamp: lat = 2;
      default:                  lat = 3; // vlut, pools
    endcase
    res_v = tg_v_q[lat];
    res_a = tg_a_q[lat];
    res_l = tg_l_q[lat];
    unique case (md_q)
      MdVrq, MdVadd:  res_d = o_res;
      MdMaxp, MdAvgp: res_d = p_res;
      default:        res_d = s_res;
    endcase
  end

  // ---- NRAM writes: in order, in cycles without an NRAM read ------------------------------------
  localparam int unsigned FqW = $clog2(FifoDepth + 1);

  logic [FqW-1:0]    fq_n_q, fq_n_d, fq_n_pop;
  logic [NramAw-1:0] fq_a_q [FifoDepth];
  logic [NramAw-1:0] fq_a_d [FifoDepth];
  logic [LenW-1:0]   fq_l_q [FifoDepth];
  logic [LenW-1:0]   fq_l_d [FifoDepth];
  logic [V*8-1:0]    fq_d_q [FifoDepth];
  logic [V*8-1:0]    fq_d_d [FifoDepth];
  logic              wr_fifo, wr_direct, push;

  always_comb begin
    wr_fifo   = !s_nrd && fq_n_q != '0;
    wr_direct = !s_nrd && fq_n_q == '0 && res_v;
    push      = res_v && !wr_direct;
    fq_n_pop  = wr_fifo ? fq_n_q - FqW'(1) : fq_n_q;
    for (int k = 0; k < FifoDepth; k++) begin
      if (wr_fifo && k + 1 < FifoDepth) begin
        fq_a_d[k] = fq_a_q[k+1];
        fq_l_d[k] = fq_l_q[k+1];
        fq_d_d[k] = fq_d_q[k+1];
      end else begin
        fq_a_d[k] = fq_a_q[k];
        fq_l_d[k] = fq_l_q[k];
        fq_d_d[k] = fq_d_q[k];
      end
      if (push && fq_n_pop == FqW'(k)) begin
        fq_a_d[k] = res_a;
        fq_l_d[k] = res_l;
        fq_d_d[k] = res_d;
      end
    end
    fq_n_d = fq_n_pop + FqW'(push);
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || abort_i) fq_n_q <= '0;
    else                    fq_n_q <= fq_n_d;
  end

  always_ff @(posedge clk_i) begin
    for (int k = 0; k < FifoDepth; k++) begin
      fq_a_q[k] <= fq_a_d[k];
      fq_l_q[k] <= fq_l_d[k];
      fq_d_q[k] <= fq_d_d[k];
    end
  end

  // ---- ports ------------------------------------------------------------------------------------
  always_comb begin
    nram_en_o    = s_nrd || wr_fifo || wr_direct;
    nram_we_o    = wr_fifo || wr_direct;
    nram_addr_o  = s_nrd ? s_naddr : wr_fifo ? fq_a_q[0] : wr_direct ? res_a : '0;
    nram_len_o   = wr_fifo ? fq_l_q[0] : wr_direct ? res_l : '0;
    nram_wdata_o = wr_fifo ? fq_d_q[0] : wr_direct ? res_d : '0;
    wram_en_o    = s_wrd;
    wram_addr_o  = s_waddr;
    acc_en_o     = s_ard;
    acc_addr_o   = s_aaddr;
  end

  logic unused_uop;
  assign unused_uop = ^cu;

  // ---- assertions -------------------------------------------------------------------------------
`ifndef SYNTHESIS
  if (V < 1 || V > 64) begin : g_bad_lanes
    $error("dlp_vfu: VLanes must be 1..64");
  end

  // [a, a + la) and [b, b + lb) intersect (operands lie inside NRAM: no wrap)
  function automatic logic overlaps(logic [NramAw-1:0] a, logic [LenW-1:0] la,
                                    logic [NramAw-1:0] b, logic [LenW-1:0] lb);
    overlaps = ({1'b0, a} < {1'b0, b} + (NramAw + 1)'(lb)) &&
               ({1'b0, b} < {1'b0, a} + (NramAw + 1)'(la));
  endfunction

  logic hazard;
  always_comb begin
    hazard = 1'b0;
    for (int k = 1; k <= TagDepth; k++)
      if (k <= lat && tg_v_q[k] && overlaps(s_naddr, s_nlen, tg_a_q[k], tg_l_q[k])) hazard = 1'b1;
    for (int k = 0; k < FifoDepth; k++)
      if (FqW'(k) < fq_n_q && overlaps(s_naddr, s_nlen, fq_a_q[k], fq_l_q[k])) hazard = 1'b1;
  end

  logic pending_after;
  always_comb begin
    pending_after = fq_n_d != '0;
    for (int k = 1; k < TagDepth; k++) if (k < lat && tg_v_q[k]) pending_after = 1'b1;
  end

  always_ff @(posedge clk_i) begin
    if (rst_ni && !abort_i) begin
      assert (!(start_i && (act_q || drain_q != '0)))
        else $error("dlp_vfu: start_i while busy");
      assert (!start_i || (op_u >= dlp_isa_pkg::OP_VRQ && op_u <= dlp_isa_pkg::OP_VAVGPOOL))
        else $error("dlp_vfu: start_i with an instruction that is not a vector instruction");
      assert (!(start_i && (md_u == MdMaxp || md_u == MdAvgp) ?
                (f_ch == '0 || f_oh == '0 || f_ow == '0 || f_kh == '0 || f_kw == '0 ||
                 f_sh == '0 || f_sw == '0 || f_ih == '0 || f_iw == '0) :
                start_i && (f_rows == '0 || f_cols == '0)))
        else $error("dlp_vfu: instruction with a zero size");
      assert (!(push && fq_n_pop == FqW'(FifoDepth)))
        else $error("dlp_vfu: write FIFO overflow");
      assert (!(done_o && pending_after))
        else $error("dlp_vfu: a result is still pending at done_o");
      assert (!(busy_o == 1'b0 && (nram_en_o || wram_en_o || acc_en_o)))
        else $error("dlp_vfu: memory request while idle");
      assert (!(s_nrd && hazard))
        else $error("dlp_vfu: NRAM read of 0x%0x overlaps a pending write %s", s_naddr,
                    "(the destination overlaps itself or partly overlaps a source)");
    end
  end
`endif

endmodule

`default_nettype wire
