// SPDX-License-Identifier: Apache-2.0
// OpenDLP dispatch-time range checks of a queued instruction: DRAM window, scratchpad and
// accumulator bounds, forbidden overlaps. Mirrors dlp_check_dynamic() of the C model
// (cmodel/src/machine.c), in the same order, with the same ERR_INFO values.
//
// Two stages, as docs/timing.md specifies: in the check cycle (capture_i) the terms of the address
// ranges ("boxes": first and last element touched, computed without wrapping) are registered --
// base + len - 1 and the two count-times-stride products of each box; in the following push
// cycle the terms are added (one carry-save layer and one carry chain) and cause_o/info_o report
// the first failing check. The sum is taken in the push cycle rather than the check cycle
// because the check cycle starts at the instruction memory's output and reads the register file
// before its multiplies (the longest paths of the core on an FPGA, docs/fpga.md).
`default_nettype none

module dlp_range_check
  import dlp_isa_pkg::*;
  import dlp_csr_pkg::*;
#(
  parameter int unsigned NramBytes = 131072,
  parameter int unsigned WramBytes = 262144,
  parameter int unsigned AccElems  = 16384
) (
  input  logic                      clk_i,
  input  logic                      capture_i,  // check cycle: register the boxes
  input  logic [127:0]              insn_i,
  input  logic [32*dlp_isa_pkg::NUM_REG_SLOTS-1:0] rv_i, // register values of the seven slots
  input  logic [31:0]               win_base_i,
  input  logic [32:0]               win_limit_i, // exclusive, up to 2^32
  output logic [3:0]                cause_o,    // valid in the cycle after capture_i
  output logic [31:0]               info_o,
  output logic [dlp_pkg::NumBanks-1:0] banks_o  // memory halves of the compute operands (ditto)
);

  localparam logic [2:0] MemDram = 3'd0, MemNram = 3'd1, MemWram = 3'd2, MemAcc = 3'd3;
  localparam int unsigned NumBox = 4;

  // overlap rules
  localparam logic [1:0] OvlNone = 2'd0, OvlPlain = 2'd1, OvlVector = 2'd2, OvlMm = 2'd3;

  typedef logic [63:0] u64_t;

  // Operand widths. The static checks guarantee every count >= 1; the largest count is
  // m0 * m1 (16 + 12 bits), the longest run w1 = n0 + pl + pr (21 bits). With 32-bit bases and
  // strides every span is below 2^62, so the 64-bit sums below never wrap (as in the C model,
  // which computes them in uint64_t).
  localparam int unsigned C1W = 28, C2W = 16, LenW = 21;

  // Two-dimensional runs of `len` elements are disjoint when, ordering the dimensions by stride,
  // each stride clears everything spanned by the dimension inside it (dlp_check_dynamic's
  // runs_overlap(): a destination must not write any element twice).
  // A destination's counts (h1, n2, oh, ow, rows) have at most 17 bits.
  function automatic logic runs_overlap(input logic [LenW-1:0] len, input logic [16:0] c1,
                                        input logic [31:0] s1, input logic [16:0] c2,
                                        input logic [31:0] s2);
    logic [16:0] ca, cb, cam1;
    logic [31:0] sa, sb;
    if (s2 < s1) begin
      ca = c2; sa = s2; cb = c1; sb = s1;
    end else begin
      ca = c1; sa = s1; cb = c2; sb = s2;
    end
    cam1 = ca - 17'd1;
    runs_overlap = (ca > 17'd1 && sa < 32'(len)) ||
                   (cb > 17'd1 && u64_t'(sb) < u64_t'(cam1) * u64_t'(sa) + u64_t'(len));
  endfunction

  // ---- stage 1: boxes ----------------------------------------------------------------------
  // Each instruction class names up to four boxes (first and last element touched); a box is
  // base + (c1 - 1) * s1 + (c2 - 1) * s2 + len - 1. The operands are selected per class first,
  // so that the four span computations (and the self-overlap check) are shared by all classes.
  logic [NumBox-1:0] box_en_d, box_en_q;
  logic [2:0]        box_mem_d [NumBox];
  logic [2:0]        box_mem_q [NumBox];
  logic [31:0]       box_lo_d [NumBox];
  logic [31:0]       box_lo_q [NumBox];
  // a box's last element: base + len - 1 + (c1 - 1) * s1 + (c2 - 1) * s2, as three terms whose
  // widths are those of their operands (P1W: the widest first count, 28 bits for m0 * m1, times
  // a 32-bit stride; P2W: the second count, 12 bits, times a stride)
  localparam int unsigned P1W = C1W + 32, P2W = 12 + 32;
  logic [32:0]       box_bl_d [NumBox];
  logic [32:0]       box_bl_q [NumBox];
  logic [P1W-1:0]    box_p1_d [NumBox];
  logic [P1W-1:0]    box_p1_q [NumBox];
  logic [P2W-1:0]    box_p2_d [NumBox];
  logic [P2W-1:0]    box_p2_q [NumBox];
  localparam int unsigned HiW = 62;      // the sum is below 2^61 (stage 2)
  typedef logic [HiW-1:0] hi_t;
  hi_t               box_hi [NumBox];     // stage 2: the sum of the three terms
  logic [NumBox-1:0] below_q;            // base below the DRAM window (fixed in a run)
  logic [LenW-1:0]   box_len [NumBox];
  logic [C1W-1:0]    box_c1m1 [NumBox]; // counts minus one (every count >= 1)
  logic [31:0]       box_s1 [NumBox];
  logic [C2W-1:0]    box_c2m1 [NumBox];
  logic [31:0]       box_s2 [NumBox];
  // operands of the destination's self-overlap check
  logic              so_en;
  logic [LenW-1:0]   so_len;
  logic [16:0]       so_c1;
  logic [31:0]       so_s1;
  logic [16:0]       so_c2;
  logic [31:0]       so_s2;
  logic [1:0]        ovl_d, ovl_q;       // overlap rule
  logic              exact_a_d, exact_a_q, exact_b_d, exact_b_q; // same base and stride
  logic              two_d, two_q;       // vector op with a second source
  logic              mm_ovl_d, mm_ovl_q;
  logic              self_d, self_q;     // the destination writes an element twice
  logic [1:0]        dst_d, dst_q;       // index of the destination box
  logic [31:0]       mm_as_d, mm_as_q;
  logic              unit_d, unit_q;     // MFU or VFU operands (their halves go with the uop)

  function automatic logic [31:0] rv(input logic [32*dlp_isa_pkg::NUM_REG_SLOTS-1:0] v,
                                     input int unsigned k);
    rv = v[32*k +: 32];
  endfunction

  // x * k for a 4-bit k, by shifts and adds (no multiplier block for a 12 x 4 product)
  function automatic logic [17:0] mul4(input logic [11:0] x, input logic [3:0] k);
    mul4 = '0;
    for (int b = 0; b < 4; b++) if (k[b]) mul4 = mul4 + (18'(x) << b);
  endfunction

  logic [5:0]  op;
  logic [15:0] n1, kd, nd, rows, cols, ch, m0;
  logic [11:0] n2, m1, oh, ow, ih, iw;
  logic [19:0] n0;
  logic [3:0]  kh, kw, sh, sw, ppt, ppl;
  logic [16:0] h1;
  logic [LenW-1:0] w1;
  logic [27:0] m01;        // m0 * m1
  // counts minus one, each at its count's width (every count >= 1)
  logic [15:0] n1m1, m0m1, kdm1, rowsm1;
  logic [11:0] n2m1, m1m1, ohm1, owm1;
  logic [16:0] h1m1;
  logic [27:0] m01m1;
  logic [11:0] ryc, rxc;   // last input row/column a window touches (< ih, iw)
  logic [LenW-1:0] plen;

  always_comb begin
    logic [17:0] ry, rx;
    op   = insn_i[5:0];
    n0   = 20'(insn_i[F_N0_LO +: F_N0_W]);
    n1   = 16'(insn_i[F_N1_LO +: F_N1_W]);
    n2   = 12'(insn_i[F_N2_LO +: F_N2_W]);
    h1   = 17'(n1) + 17'(insn_i[F_PT_LO +: F_PT_W]) + 17'(insn_i[F_PB_LO +: F_PB_W]);
    w1   = LenW'(n0) + LenW'(insn_i[F_PL_LO +: F_PL_W]) + LenW'(insn_i[F_PR_LO +: F_PR_W]);
    m0   = 16'(insn_i[F_M0_LO +: F_M0_W]);
    m1   = 12'(insn_i[F_M1_LO +: F_M1_W]);
    kd   = 16'(insn_i[F_KDIM_LO +: F_KDIM_W]);
    nd   = 16'(insn_i[F_NDIM_LO +: F_NDIM_W]);
    rows = 16'(insn_i[F_ROWS_LO +: F_ROWS_W]);
    cols = 16'(insn_i[F_COLS_LO +: F_COLS_W]);
    ch   = 16'(insn_i[F_CH_LO +: F_CH_W]);
    oh   = 12'(insn_i[F_OH_LO +: F_OH_W]);
    ow   = 12'(insn_i[F_OW_LO +: F_OW_W]);
    kh   = 4'(insn_i[F_KH_LO +: F_KH_W]);
    kw   = 4'(insn_i[F_KW_LO +: F_KW_W]);
    sh   = 4'(insn_i[F_SH_LO +: F_SH_W]);
    sw   = 4'(insn_i[F_SW_LO +: F_SW_W]);
    ppt  = 4'(insn_i[F_PPT_LO +: F_PPT_W]);
    ppl  = 4'(insn_i[F_PPL_LO +: F_PPL_W]);
    ih   = 12'(insn_i[F_IH_LO +: F_IH_W]);
    iw   = 12'(insn_i[F_IW_LO +: F_IW_W]);
    m01  = 28'(m0) * 28'(m1);
    n1m1   = n1 - 16'd1;
    m0m1   = m0 - 16'd1;
    kdm1   = kd - 16'd1;
    rowsm1 = rows - 16'd1;
    n2m1   = n2 - 12'd1;
    m1m1   = m1 - 12'd1;
    h1m1   = h1 - 17'd1;
    m01m1  = m01 - 28'd1;
    // (oh - 1) * sh + kh - 1 - ppt (>= 0 and < 2^17 by the static checks), at most ih - 1
    ohm1 = oh - 12'd1;
    owm1 = ow - 12'd1;
    ry   = mul4(ohm1, sh) + 18'(kh) - 18'd1 - 18'(ppt);
    rx   = mul4(owm1, sw) + 18'(kw) - 18'd1 - 18'(ppl);
    ryc  = (ry > 18'(ih) - 18'd1) ? ih - 12'd1 : 12'(ry);
    rxc  = (rx > 18'(iw) - 18'd1) ? iw - 12'd1 : 12'(rx);
    plen = (op == OP_VRQ) ? LenW'(cols) * LenW'(12) : (op == OP_VADD) ? LenW'(48) : LenW'(256);
  end

  always_comb begin
    box_en_d = '0;
    for (int i = 0; i < NumBox; i++) begin
      box_mem_d[i] = MemNram;
      box_lo_d[i] = '0;
      box_len[i] = LenW'(1);
      box_c1m1[i] = '0;
      box_s1[i] = '0;
      box_c2m1[i] = '0;
      box_s2[i] = '0;
    end
    so_en = 1'b0;
    so_len = LenW'(1);
    so_c1 = 17'd1;
    so_s1 = '0;
    so_c2 = 17'd1;
    so_s2 = '0;
    ovl_d = OvlNone;
    exact_a_d = 1'b0;
    exact_b_d = 1'b0;
    two_d = 1'b0;
    mm_ovl_d = 1'b0;
    dst_d = 2'd1;
    mm_as_d = rv(rv_i, dlp_isa_pkg::SLOT_RACS);
    unit_d = op != OP_DMA;

    unique case (op)
      OP_DMA: begin
        box_en_d = 4'b0011;
        box_mem_d[0] = {1'b0, insn_i[F_SSP_LO +: 2]};
        box_lo_d[0] = rv(rv_i, dlp_isa_pkg::SLOT_RSRC);
        box_len[0] = LenW'(n0);
        box_c1m1[0] = C1W'(n1m1);
        box_s1[0] = rv(rv_i, dlp_isa_pkg::SLOT_RSS1);
        box_c2m1[0] = C2W'(n2m1);
        box_s2[0] = rv(rv_i, dlp_isa_pkg::SLOT_RSS2);
        box_mem_d[1] = {1'b0, insn_i[F_DSP_LO +: 2]};
        box_lo_d[1] = rv(rv_i, dlp_isa_pkg::SLOT_RDST);
        box_len[1] = w1;
        box_c1m1[1] = C1W'(h1m1);
        box_s1[1] = rv(rv_i, dlp_isa_pkg::SLOT_RDS1);
        box_c2m1[1] = C2W'(n2m1);
        box_s2[1] = rv(rv_i, dlp_isa_pkg::SLOT_RDS2);
        so_en = 1'b1;
        so_len = w1;
        so_c1 = h1;
        so_s1 = rv(rv_i, dlp_isa_pkg::SLOT_RDS1);
        so_c2 = 17'(n2);
        so_s2 = rv(rv_i, dlp_isa_pkg::SLOT_RDS2);
        ovl_d = OvlPlain;
      end
      OP_MM: begin
        box_en_d = 4'b0111;
        box_mem_d[0] = MemNram;
        box_lo_d[0] = rv(rv_i, dlp_isa_pkg::SLOT_RIN);
        box_len[0] = LenW'(kd);
        box_c1m1[0] = C1W'(m0m1);
        box_s1[0] = rv(rv_i, dlp_isa_pkg::SLOT_RINS0);
        box_c2m1[0] = C2W'(m1m1);
        box_s2[0] = rv(rv_i, dlp_isa_pkg::SLOT_RINS1);
        box_mem_d[1] = MemWram;
        box_lo_d[1] = rv(rv_i, dlp_isa_pkg::SLOT_RW);
        box_len[1] = LenW'(nd);
        box_c1m1[1] = C1W'(kdm1);
        box_s1[1] = rv(rv_i, dlp_isa_pkg::SLOT_RWS);
        box_mem_d[2] = MemAcc;
        box_lo_d[2] = rv(rv_i, dlp_isa_pkg::SLOT_RACC);
        box_len[2] = LenW'(nd);
        box_c1m1[2] = m01m1;
        box_s1[2] = rv(rv_i, dlp_isa_pkg::SLOT_RACS);
        mm_ovl_d = (m01 > 28'd1) && (rv(rv_i, dlp_isa_pkg::SLOT_RACS) < 32'(nd));
        ovl_d = OvlMm;
      end
      OP_VMAXPOOL, OP_VAVGPOOL: begin
        box_en_d = 4'b0011;
        box_lo_d[0] = rv(rv_i, dlp_isa_pkg::SLOT_PA);
        box_len[0] = LenW'(ch);
        box_c1m1[0] = C1W'(ryc);
        box_s1[0] = rv(rv_i, dlp_isa_pkg::SLOT_PSRA);
        box_c2m1[0] = C2W'(rxc);
        box_s2[0] = rv(rv_i, dlp_isa_pkg::SLOT_PSPA);
        box_lo_d[1] = rv(rv_i, dlp_isa_pkg::SLOT_PD);
        box_len[1] = LenW'(ch);
        box_c1m1[1] = C1W'(ohm1);
        box_s1[1] = rv(rv_i, dlp_isa_pkg::SLOT_PSRD);
        box_c2m1[1] = C2W'(owm1);
        box_s2[1] = rv(rv_i, dlp_isa_pkg::SLOT_PSPD);
        so_en = 1'b1;
        so_len = LenW'(ch);
        so_c1 = 17'(ow);
        so_s1 = rv(rv_i, dlp_isa_pkg::SLOT_PSPD);
        so_c2 = 17'(oh);
        so_s2 = rv(rv_i, dlp_isa_pkg::SLOT_PSRD);
        ovl_d = OvlPlain;
      end
      OP_VRQ, OP_VADD, OP_VMAX, OP_VMIN, OP_VCLAMP, OP_VLUT: begin
        // order: source a, source b, parameters, destination
        two_d = (op == OP_VADD || op == OP_VMAX || op == OP_VMIN);
        box_en_d[0] = 1'b1;
        box_mem_d[0] = (op == OP_VRQ) ? MemAcc : MemNram;
        box_lo_d[0] = rv(rv_i, dlp_isa_pkg::SLOT_VA);
        box_len[0] = LenW'(cols);
        box_c1m1[0] = C1W'(rowsm1);
        box_s1[0] = rv(rv_i, dlp_isa_pkg::SLOT_VSA);
        box_en_d[1] = two_d;
        box_lo_d[1] = rv(rv_i, dlp_isa_pkg::SLOT_VB);
        box_len[1] = LenW'(cols);
        box_c1m1[1] = C1W'(rowsm1);
        box_s1[1] = rv(rv_i, dlp_isa_pkg::SLOT_VSB);
        box_en_d[2] = (op == OP_VRQ || op == OP_VADD || op == OP_VLUT);
        box_mem_d[2] = MemWram;
        box_lo_d[2] = rv(rv_i, dlp_isa_pkg::SLOT_VP);
        box_len[2] = plen;
        box_en_d[3] = 1'b1;
        box_lo_d[3] = rv(rv_i, dlp_isa_pkg::SLOT_VD);
        box_len[3] = LenW'(cols);
        box_c1m1[3] = C1W'(rowsm1);
        box_s1[3] = rv(rv_i, dlp_isa_pkg::SLOT_VSD);
        so_en = 1'b1;
        so_len = LenW'(cols);
        so_c1 = 17'(rows);
        so_s1 = rv(rv_i, dlp_isa_pkg::SLOT_VSD);
        dst_d = 2'd3;
        ovl_d = OvlVector;
        exact_a_d = (box_lo_d[3] == box_lo_d[0]) &&
                    (rows == 16'd1 || rv(rv_i, dlp_isa_pkg::SLOT_VSD) == rv(rv_i, dlp_isa_pkg::SLOT_VSA));
        exact_b_d = (box_lo_d[3] == box_lo_d[1]) &&
                    (rows == 16'd1 || rv(rv_i, dlp_isa_pkg::SLOT_VSD) == rv(rv_i, dlp_isa_pkg::SLOT_VSB));
      end
      default: ;
    endcase

    // The counts minus one are cut to the widths they can have (every count >= 1), so that
    // each product is only as wide as its operands: box 0 (n1, m0, ry + 1, rows) x (n2, m1,
    // rx + 1), box 1 (h1, kd, oh, rows) x (n2, ow), box 2 m0 * m1, box 3 rows.
    for (int i = 0; i < NumBox; i++) box_bl_d[i] = 33'(box_lo_d[i]) + 33'(box_len[i]) - 33'd1;
    box_p1_d[0] = P1W'(48'(box_c1m1[0][15:0]) * 48'(box_s1[0]));
    box_p1_d[1] = P1W'(49'(box_c1m1[1][16:0]) * 49'(box_s1[1]));
    box_p1_d[2] = P1W'(box_c1m1[2]) * P1W'(box_s1[2]);
    box_p1_d[3] = P1W'(48'(box_c1m1[3][15:0]) * 48'(box_s1[3]));
    box_p2_d[0] = P2W'(box_c2m1[0][11:0]) * P2W'(box_s2[0]);
    box_p2_d[1] = P2W'(box_c2m1[1][11:0]) * P2W'(box_s2[1]);
    box_p2_d[2] = '0;
    box_p2_d[3] = '0;
    self_d = so_en && runs_overlap(so_len, so_c1, so_s1, so_c2, so_s2);
  end

  always_ff @(posedge clk_i) begin
    if (capture_i) begin
      box_en_q <= box_en_d;
      for (int i = 0; i < NumBox; i++) begin
        box_mem_q[i] <= box_mem_d[i];
        box_lo_q[i] <= box_lo_d[i];
        below_q[i]  <= box_lo_d[i] < win_base_i;
        box_bl_q[i] <= box_bl_d[i];
        box_p1_q[i] <= box_p1_d[i];
        box_p2_q[i] <= box_p2_d[i];
      end
      ovl_q <= ovl_d;
      exact_a_q <= exact_a_d;
      exact_b_q <= exact_b_d;
      two_q <= two_d;
      mm_ovl_q <= mm_ovl_d;
      self_q <= self_d;
      dst_q <= dst_d;
      mm_as_q <= mm_as_d;
      unit_q <= unit_d;
    end
  end

  // ---- stage 2: the boxes' last elements, the first failing check -------------------------------
  // The terms sum to less than 2^60 + 2^44 + 2^33 < 2^61: the sum and every comparison with it
  // are taken at 62 bits, and a comparison with a 32- or 33-bit value looks at the high bits
  // and a 32- or 33-bit comparison in parallel (shorter carry chains than 64-bit ones).
  // a + b + c by one carry-save layer and one adder
  function automatic hi_t add3(input hi_t a, input hi_t b, input hi_t c);
    hi_t sum, carry;
    sum   = a ^ b ^ c;
    carry = ((a & b) | (a & c) | (b & c)) << 1;
    add3  = sum + carry;
  endfunction

  always_comb begin
    for (int i = 0; i < NumBox; i++)
      box_hi[i] = add3(HiW'(box_bl_q[i]), HiW'(box_p1_q[i]), HiW'(box_p2_q[i]));
  end

  // a <= h for a 32-bit a
  function automatic logic le32(input logic [31:0] a, input hi_t h);
    le32 = (h[HiW-1:32] != '0) || (a <= h[31:0]);
  endfunction

  // h >= a for a 33-bit a
  function automatic logic ge33(input hi_t h, input logic [32:0] a);
    ge33 = (h[HiW-1:33] != '0) || (h[32:0] >= a);
  endfunction

  function automatic logic boxes_meet(input logic [2:0] ma, input logic [31:0] la, input hi_t ha,
                                     input logic [2:0] mb, input logic [31:0] lb, input hi_t hb);
    boxes_meet = (ma == mb) && le32(la, hb) && le32(lb, ha);
  endfunction

  // h >= the size of the memory (each a comparison with a constant: high bits only)
  function automatic logic over_size(input logic [2:0] mem, input hi_t h);
    unique case (mem)
      MemNram: over_size = h >= HiW'(NramBytes);
      MemWram: over_size = h >= HiW'(WramBytes);
      MemAcc:  over_size = h >= HiW'(AccElems);
      default: over_size = 1'b1;
    endcase
  endfunction

  always_comb begin
    logic done;
    cause_o = CAUSE_NONE;
    info_o = '0;
    done = 1'b0;
    for (int i = 0; i < NumBox; i++) begin
      if (!done && box_en_q[i]) begin
        if (box_mem_q[i] == MemDram) begin
          if (below_q[i] || ge33(box_hi[i], win_limit_i)) begin
            cause_o = CAUSE_DRAM_WINDOW;
            info_o = below_q[i] ? box_lo_q[i] : box_hi[i][31:0];
            done = 1'b1;
          end
        end else if (over_size(box_mem_q[i], box_hi[i])) begin
          cause_o = CAUSE_SPAD_RANGE;
          info_o = box_hi[i][31:0];
          done = 1'b1;
        end
      end
    end
    if (!done && self_q) begin
      cause_o = CAUSE_OVERLAP;
      info_o = box_lo_q[dst_q];
      done = 1'b1;
    end
    if (!done) begin
      unique case (ovl_q)
        OvlPlain:
          if (boxes_meet(box_mem_q[0], box_lo_q[0], box_hi[0], box_mem_q[1], box_lo_q[1],
                        box_hi[1])) begin
            cause_o = CAUSE_OVERLAP;
            info_o = box_lo_q[1];
          end
        OvlMm:
          if (mm_ovl_q) begin
            cause_o = CAUSE_OVERLAP;
            info_o = mm_as_q;
          end
        OvlVector:
          if ((boxes_meet(box_mem_q[3], box_lo_q[3], box_hi[3], box_mem_q[0], box_lo_q[0],
                         box_hi[0]) && !exact_a_q) ||
              (two_q && boxes_meet(box_mem_q[3], box_lo_q[3], box_hi[3], box_mem_q[1],
                                  box_lo_q[1], box_hi[1]) && !exact_b_q)) begin
            cause_o = CAUSE_OVERLAP;
            info_o = box_lo_q[3];
          end
        default: ;
      endcase
    end
  end

  // Memory halves (dlp_pkg::Bank*): a box touches the low half if it starts below the middle,
  // the high half if it ends at or above it (cmodel/src/machine.c, box_banks()). Only compute
  // operands count: the DMA has ports of its own.
  localparam int unsigned NramHalf = NramBytes / 2, WramHalf = WramBytes / 2,
                          AccHalf = AccElems / 2;

  // the first element of a box below the middle of its memory (a 32-bit base)
  function automatic logic starts_low(input logic [2:0] mem, input logic [31:0] lo);
    unique case (mem)
      MemNram: starts_low = 33'(lo) < 33'(NramHalf);
      MemWram: starts_low = 33'(lo) < 33'(WramHalf);
      MemAcc:  starts_low = 33'(lo) < 33'(AccHalf);
      default: starts_low = 1'b0;
    endcase
  endfunction

  // the last element of a box (stage 2's sum) at or above the middle of its memory
  function automatic logic ends_high(input logic [2:0] mem, input hi_t h);
    unique case (mem)
      MemNram: ends_high = h >= HiW'(NramHalf);
      MemWram: ends_high = h >= HiW'(WramHalf);
      MemAcc:  ends_high = h >= HiW'(AccHalf);
      default: ends_high = 1'b0;
    endcase
  endfunction

  always_comb begin
    logic [2:0] base;
    banks_o = '0;
    for (int i = 0; i < NumBox; i++) begin
      base = (box_mem_q[i] == MemNram) ? 3'(dlp_pkg::BankNram)
           : (box_mem_q[i] == MemWram) ? 3'(dlp_pkg::BankWram) : 3'(dlp_pkg::BankAcc);
      if (unit_q && box_en_q[i] && box_mem_q[i] != MemDram) begin
        if (starts_low(box_mem_q[i], box_lo_q[i])) banks_o[base] = 1'b1;
        if (ends_high(box_mem_q[i], box_hi[i])) banks_o[base + 3'd1] = 1'b1;
      end
    end
  end

  // register fields and wait/signal are read by the front end, not here
  logic unused_insn;
  assign unused_insn = ^{insn_i[39:16], insn_i[11:6]};

endmodule

`default_nettype wire
