// OpenDLP dispatch-time range checks of a queued instruction: DRAM window, scratchpad and
// accumulator bounds, forbidden overlaps. Mirrors dlp_check_dynamic() of the C model
// (cmodel/src/machine.c), in the same order, with the same ERR_INFO values.
//
// Two stages, as docs/timing.md specifies: in the check cycle (capture_i) the address ranges
// ("boxes": first and last element touched, computed without wrapping) are registered; in the
// following push cycle cause_o/info_o report the first failing check.
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
  input  logic [32*dlp_pkg::NumRegSlots-1:0] rv_i, // register values of the seven slots
  input  logic [31:0]               win_base_i,
  input  logic [32:0]               win_limit_i, // exclusive, up to 2^32
  output logic [3:0]                cause_o,    // valid in the cycle after capture_i
  output logic [31:0]               info_o
);

  localparam logic [2:0] MemDram = 3'd0, MemNram = 3'd1, MemWram = 3'd2, MemAcc = 3'd3;
  localparam int unsigned NumBox = 4;

  // overlap rules
  localparam logic [1:0] OvlNone = 2'd0, OvlPlain = 2'd1, OvlVector = 2'd2, OvlMm = 2'd3;

  typedef logic [63:0] u64_t;

  function automatic u64_t rv(input logic [32*dlp_pkg::NumRegSlots-1:0] v, input int unsigned k);
    rv = {32'b0, v[32*k +: 32]};
  endfunction

  // base + (c1-1)*s1 + (c2-1)*s2 + len - 1, counts >= 1
  function automatic u64_t span_hi(input u64_t base, input u64_t len, input u64_t c1,
                                   input u64_t s1, input u64_t c2, input u64_t s2);
    span_hi = base + (c1 - 64'd1) * s1 + (c2 - 64'd1) * s2 + len - 64'd1;
  endfunction

  // Two-dimensional runs of `len` elements are disjoint when, ordering the dimensions by stride,
  // each stride clears everything spanned by the dimension inside it (dlp_check_dynamic's
  // runs_overlap(): a destination must not write any element twice).
  function automatic logic runs_overlap(input u64_t len, input u64_t c1, input u64_t s1,
                                        input u64_t c2, input u64_t s2);
    u64_t ca, sa, cb, sb;
    if (s2 < s1) begin
      ca = c2; sa = s2; cb = c1; sb = s1;
    end else begin
      ca = c1; sa = s1; cb = c2; sb = s2;
    end
    runs_overlap = (ca > 64'd1 && sa < len) || (cb > 64'd1 && sb < (ca - 64'd1) * sa + len);
  endfunction

  // ---- stage 1: boxes ----------------------------------------------------------------------
  logic [NumBox-1:0] box_en_d, box_en_q;
  logic [2:0]        box_mem_d [NumBox];
  logic [2:0]        box_mem_q [NumBox];
  u64_t              box_lo_d [NumBox];
  u64_t              box_lo_q [NumBox];
  u64_t              box_hi_d [NumBox];
  u64_t              box_hi_q [NumBox];
  logic [1:0]        ovl_d, ovl_q;       // overlap rule
  logic              exact_a_d, exact_a_q, exact_b_d, exact_b_q; // same base and stride
  logic              two_d, two_q;       // vector op with a second source
  logic              mm_ovl_d, mm_ovl_q;
  logic              self_d, self_q;     // the destination writes an element twice
  logic [1:0]        dst_d, dst_q;       // index of the destination box
  logic [31:0]       mm_as_d, mm_as_q;

  always_comb begin
    logic [5:0] op;
    u64_t n0, n1, n2, h1, w1, m0, m1, kd, nd, rows, cols;
    u64_t ch, oh, ow, kh, kw, sh, sw, ppt, ppl, ih, iw, ry, rx, plen;
    op = insn_i[5:0];
    n0 = 64'(32'(insn_i[F_N0_LO +: F_N0_W]));
    n1 = 64'(32'(insn_i[F_N1_LO +: F_N1_W]));
    n2 = 64'(32'(insn_i[F_N2_LO +: F_N2_W]));
    h1 = n1 + 64'(32'(insn_i[F_PT_LO +: F_PT_W])) + 64'(32'(insn_i[F_PB_LO +: F_PB_W]));
    w1 = n0 + 64'(32'(insn_i[F_PL_LO +: F_PL_W])) + 64'(32'(insn_i[F_PR_LO +: F_PR_W]));
    m0 = 64'(32'(insn_i[F_M0_LO +: F_M0_W]));
    m1 = 64'(32'(insn_i[F_M1_LO +: F_M1_W]));
    kd = 64'(32'(insn_i[F_KDIM_LO +: F_KDIM_W]));
    nd = 64'(32'(insn_i[F_NDIM_LO +: F_NDIM_W]));
    rows = 64'(32'(insn_i[F_ROWS_LO +: F_ROWS_W]));
    cols = 64'(32'(insn_i[F_COLS_LO +: F_COLS_W]));
    ch = 64'(32'(insn_i[F_CH_LO +: F_CH_W]));
    oh = 64'(32'(insn_i[F_OH_LO +: F_OH_W]));
    ow = 64'(32'(insn_i[F_OW_LO +: F_OW_W]));
    kh = 64'(32'(insn_i[F_KH_LO +: F_KH_W]));
    kw = 64'(32'(insn_i[F_KW_LO +: F_KW_W]));
    sh = 64'(32'(insn_i[F_SH_LO +: F_SH_W]));
    sw = 64'(32'(insn_i[F_SW_LO +: F_SW_W]));
    ppt = 64'(32'(insn_i[F_PPT_LO +: F_PPT_W]));
    ppl = 64'(32'(insn_i[F_PPL_LO +: F_PPL_W]));
    ih = 64'(32'(insn_i[F_IH_LO +: F_IH_W]));
    iw = 64'(32'(insn_i[F_IW_LO +: F_IW_W]));
    // last input row/column a window touches (the static checks guarantee >= 0)
    ry = (oh - 64'd1) * sh + kh - 64'd1 - ppt;
    rx = (ow - 64'd1) * sw + kw - 64'd1 - ppl;
    if (ry > ih - 64'd1) ry = ih - 64'd1;
    if (rx > iw - 64'd1) rx = iw - 64'd1;
    plen = (op == OP_VRQ) ? 64'd12 * cols : (op == OP_VADD) ? 64'd48 : 64'd256;

    box_en_d = '0;
    for (int i = 0; i < NumBox; i++) begin
      box_mem_d[i] = MemNram;
      box_lo_d[i] = '0;
      box_hi_d[i] = '0;
    end
    ovl_d = OvlNone;
    exact_a_d = 1'b0;
    exact_b_d = 1'b0;
    two_d = 1'b0;
    mm_ovl_d = 1'b0;
    self_d = 1'b0;
    dst_d = 2'd1;
    mm_as_d = rv_i[32*dlp_pkg::SlotRacs +: 32];

    unique case (op)
      OP_DMA: begin
        box_en_d = 4'b0011;
        box_mem_d[0] = {1'b0, insn_i[F_SSP_LO +: 2]};
        box_lo_d[0] = rv(rv_i, dlp_pkg::SlotRsrc);
        box_hi_d[0] = span_hi(box_lo_d[0], n0, n1, rv(rv_i, dlp_pkg::SlotRss1), n2,
                              rv(rv_i, dlp_pkg::SlotRss2));
        box_mem_d[1] = {1'b0, insn_i[F_DSP_LO +: 2]};
        box_lo_d[1] = rv(rv_i, dlp_pkg::SlotRdst);
        box_hi_d[1] = span_hi(box_lo_d[1], w1, h1, rv(rv_i, dlp_pkg::SlotRds1), n2,
                              rv(rv_i, dlp_pkg::SlotRds2));
        self_d = runs_overlap(w1, h1, rv(rv_i, dlp_pkg::SlotRds1), n2, rv(rv_i, dlp_pkg::SlotRds2));
        ovl_d = OvlPlain;
      end
      OP_MM: begin
        box_en_d = 4'b0111;
        box_mem_d[0] = MemNram;
        box_lo_d[0] = rv(rv_i, dlp_pkg::SlotRin);
        box_hi_d[0] = span_hi(box_lo_d[0], kd, m0, rv(rv_i, dlp_pkg::SlotRins0), m1,
                              rv(rv_i, dlp_pkg::SlotRins1));
        box_mem_d[1] = MemWram;
        box_lo_d[1] = rv(rv_i, dlp_pkg::SlotRw);
        box_hi_d[1] = span_hi(box_lo_d[1], nd, kd, rv(rv_i, dlp_pkg::SlotRws), 64'd1, 64'd0);
        box_mem_d[2] = MemAcc;
        box_lo_d[2] = rv(rv_i, dlp_pkg::SlotRacc);
        box_hi_d[2] = span_hi(box_lo_d[2], nd, m0 * m1, rv(rv_i, dlp_pkg::SlotRacs), 64'd1,
                              64'd0);
        mm_ovl_d = (m0 * m1 > 64'd1) && (rv(rv_i, dlp_pkg::SlotRacs) < nd);
        ovl_d = OvlMm;
      end
      OP_VMAXPOOL, OP_VAVGPOOL: begin
        box_en_d = 4'b0011;
        box_lo_d[0] = rv(rv_i, dlp_pkg::SlotPa);
        box_hi_d[0] = span_hi(box_lo_d[0], ch, ry + 64'd1, rv(rv_i, dlp_pkg::SlotPsra),
                              rx + 64'd1, rv(rv_i, dlp_pkg::SlotPspa));
        box_lo_d[1] = rv(rv_i, dlp_pkg::SlotPd);
        box_hi_d[1] = span_hi(box_lo_d[1], ch, oh, rv(rv_i, dlp_pkg::SlotPsrd), ow,
                              rv(rv_i, dlp_pkg::SlotPspd));
        self_d = runs_overlap(ch, ow, rv(rv_i, dlp_pkg::SlotPspd), oh, rv(rv_i, dlp_pkg::SlotPsrd));
        ovl_d = OvlPlain;
      end
      OP_VRQ, OP_VADD, OP_VMAX, OP_VMIN, OP_VCLAMP, OP_VLUT: begin
        // order: source a, source b, parameters, destination
        two_d = (op == OP_VADD || op == OP_VMAX || op == OP_VMIN);
        box_en_d[0] = 1'b1;
        box_mem_d[0] = (op == OP_VRQ) ? MemAcc : MemNram;
        box_lo_d[0] = rv(rv_i, dlp_pkg::SlotVa);
        box_hi_d[0] = span_hi(box_lo_d[0], cols, rows, rv(rv_i, dlp_pkg::SlotVsa), 64'd1, 64'd0);
        box_en_d[1] = two_d;
        box_lo_d[1] = rv(rv_i, dlp_pkg::SlotVb);
        box_hi_d[1] = span_hi(box_lo_d[1], cols, rows, rv(rv_i, dlp_pkg::SlotVsb), 64'd1, 64'd0);
        box_en_d[2] = (op == OP_VRQ || op == OP_VADD || op == OP_VLUT);
        box_mem_d[2] = MemWram;
        box_lo_d[2] = rv(rv_i, dlp_pkg::SlotVp);
        box_hi_d[2] = box_lo_d[2] + plen - 64'd1;
        box_en_d[3] = 1'b1;
        box_lo_d[3] = rv(rv_i, dlp_pkg::SlotVd);
        box_hi_d[3] = span_hi(box_lo_d[3], cols, rows, rv(rv_i, dlp_pkg::SlotVsd), 64'd1, 64'd0);
        self_d = runs_overlap(cols, rows, rv(rv_i, dlp_pkg::SlotVsd), 64'd1, 64'd0);
        dst_d = 2'd3;
        ovl_d = OvlVector;
        exact_a_d = (box_lo_d[3] == box_lo_d[0]) &&
                    (rows == 64'd1 || rv(rv_i, dlp_pkg::SlotVsd) == rv(rv_i, dlp_pkg::SlotVsa));
        exact_b_d = (box_lo_d[3] == box_lo_d[1]) &&
                    (rows == 64'd1 || rv(rv_i, dlp_pkg::SlotVsd) == rv(rv_i, dlp_pkg::SlotVsb));
      end
      default: ;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (capture_i) begin
      box_en_q <= box_en_d;
      for (int i = 0; i < NumBox; i++) begin
        box_mem_q[i] <= box_mem_d[i];
        box_lo_q[i] <= box_lo_d[i];
        box_hi_q[i] <= box_hi_d[i];
      end
      ovl_q <= ovl_d;
      exact_a_q <= exact_a_d;
      exact_b_q <= exact_b_d;
      two_q <= two_d;
      mm_ovl_q <= mm_ovl_d;
      self_q <= self_d;
      dst_q <= dst_d;
      mm_as_q <= mm_as_d;
    end
  end

  // ---- stage 2: the first failing check ---------------------------------------------------------
  function automatic logic boxes_meet(input logic [2:0] ma, input u64_t la, input u64_t ha,
                                     input logic [2:0] mb, input u64_t lb, input u64_t hb);
    boxes_meet = (ma == mb) && (la <= hb) && (lb <= ha);
  endfunction

  always_comb begin
    logic done;
    u64_t size;
    cause_o = CAUSE_NONE;
    info_o = '0;
    done = 1'b0;
    for (int i = 0; i < NumBox; i++) begin
      if (!done && box_en_q[i]) begin
        unique case (box_mem_q[i])
          MemNram: size = 64'(NramBytes);
          MemWram: size = 64'(WramBytes);
          MemAcc:  size = 64'(AccElems);
          default: size = '0;
        endcase
        if (box_mem_q[i] == MemDram) begin
          if (box_lo_q[i] < 64'(win_base_i) || box_hi_q[i] >= 64'(win_limit_i)) begin
            cause_o = CAUSE_DRAM_WINDOW;
            info_o = (box_lo_q[i] < 64'(win_base_i)) ? box_lo_q[i][31:0] : box_hi_q[i][31:0];
            done = 1'b1;
          end
        end else if (box_hi_q[i] >= size) begin
          cause_o = CAUSE_SPAD_RANGE;
          info_o = box_hi_q[i][31:0];
          done = 1'b1;
        end
      end
    end
    if (!done && self_q) begin
      cause_o = CAUSE_OVERLAP;
      info_o = box_lo_q[dst_q][31:0];
      done = 1'b1;
    end
    if (!done) begin
      unique case (ovl_q)
        OvlPlain:
          if (boxes_meet(box_mem_q[0], box_lo_q[0], box_hi_q[0], box_mem_q[1], box_lo_q[1],
                        box_hi_q[1])) begin
            cause_o = CAUSE_OVERLAP;
            info_o = box_lo_q[1][31:0];
          end
        OvlMm:
          if (mm_ovl_q) begin
            cause_o = CAUSE_OVERLAP;
            info_o = mm_as_q;
          end
        OvlVector:
          if ((boxes_meet(box_mem_q[3], box_lo_q[3], box_hi_q[3], box_mem_q[0], box_lo_q[0],
                         box_hi_q[0]) && !exact_a_q) ||
              (two_q && boxes_meet(box_mem_q[3], box_lo_q[3], box_hi_q[3], box_mem_q[1],
                                  box_lo_q[1], box_hi_q[1]) && !exact_b_q)) begin
            cause_o = CAUSE_OVERLAP;
            info_o = box_lo_q[3][31:0];
          end
        default: ;
      endcase
    end
  end


  // register fields and wait/signal are read by the front end, not here
  logic unused_insn;
  assign unused_insn = ^{insn_i[39:16], insn_i[11:6]};

endmodule

`default_nettype wire
