// SPDX-License-Identifier: Apache-2.0
// OpenDLP shared definitions that are not part of the ISA (those are generated into
// dlp_isa_pkg.sv): the micro-op that the front end pushes into the queues, the queue numbers and
// the hand-written static check of pooling windows.
`default_nettype none

// Shared constants; each module uses a subset of them.
// verilator lint_off UNUSEDPARAM
package dlp_pkg;

  // A micro-op is the 128-bit instruction word plus the values of the registers its register
  // slots name, read at dispatch, plus the instruction index for tracing:
  //   [127:0]                 instruction word
  //   [128 + 32*k +: 32]      value of the register named by bits [16 + 4*k +: 4]
  //   [UopPcLo +: 16]         instruction index (pc)
  //   [UopBanksLo +: 6]       memory halves the operands touch (Bank* bits), from the range check
  // The slots (dlp_isa_pkg::NUM_REG_SLOTS, SLOT_<field>) and the memory space codes
  // (dlp_isa_pkg::SPACE_*) are generated from sw/isa/dlp.isa.
  localparam int unsigned UopRvLo     = 128;
  localparam int unsigned UopPcLo     = 128 + 32 * dlp_isa_pkg::NUM_REG_SLOTS;
  localparam int unsigned UopBanksLo  = UopPcLo + 16;
  localparam int unsigned NumBanks    = 6;
  localparam int unsigned UopW        = UopBanksLo + NumBanks;

  // Memory halves (docs/timing.md, "Compute units"): NRAM, WRAM and ACC are split at half their
  // size; an mm and a vector instruction run at the same time only on disjoint halves.
  // Bit 2*mem + half, mem 0 NRAM, 1 WRAM, 2 ACC (cmodel/src/internal.h, DLP_BANK_*).
  localparam int unsigned BankNram = 0, BankWram = 2, BankAcc = 4;

  // Queues: also the bit positions of the decoded wait/signal masks (the encoded 3-bit masks
  // name LD, CP, ST; the bit of the instruction's own queue names VF)
  localparam int unsigned QLd = 0, QCp = 1, QSt = 2, QVf = 3;
  localparam int unsigned NumQueues = 4;

  // `check pool_window` of sw/isa/dlp.isa (hand-written; the C model's is pool_window_check in
  // cmodel/src/decode.c): a pooling window without a valid input position. The instruction's
  // nonzero rule covers zero sizes; with a zero size this function's result does not matter.
  //
  // (o - 1) * s - p >= i for o >= 1 (12 bits), s, p (4 bits), i (12 bits): the last window
  // starts at or beyond the end of the input. Evaluated as the sign of the 18-bit sum
  // D = o*s - s - p - i (-4125 <= D <= 61425): the four partial products of o*s and the three
  // negated operands (~x + 1, the three +1 in the free low bits of the carry words) go through
  // a carry-save tree, so that only one carry chain follows (the check lies on the path from the
  // instruction memory to the error stop, docs/fpga.md).
  function automatic logic last_outside(input logic [11:0] o, input logic [3:0] s,
                                        input logic [3:0] p, input logic [11:0] i);
    logic [17:0] pp [4];
    logic [17:0] ns, np, ni, s1, s2, s3, s4, s5, c1, c2, c3, c4, c5;
    logic [16:0] m1, m2, m3, m4, m5; // majorities: the carry words without their low bit
    for (int b = 0; b < 4; b++) pp[b] = s[b] ? 18'(o) << b : 18'd0;
    ns = ~18'(s);
    np = ~18'(p);
    ni = ~18'(i);
    s1 = pp[0] ^ pp[1] ^ pp[2];
    m1 = 17'((pp[0] & pp[1]) | (pp[0] & pp[2]) | (pp[1] & pp[2]));
    c1 = {m1, 1'b1};
    s2 = pp[3] ^ ns ^ np;
    m2 = 17'((pp[3] & ns) | (pp[3] & np) | (ns & np));
    c2 = {m2, 1'b1};
    s3 = s1 ^ c1 ^ s2;
    m3 = 17'((s1 & c1) | (s1 & s2) | (c1 & s2));
    c3 = {m3, 1'b1};
    s4 = s3 ^ c3 ^ c2;
    m4 = 17'((s3 & c3) | (s3 & c2) | (c3 & c2));
    c4 = {m4, 1'b0};
    s5 = s4 ^ c4 ^ ni;
    m5 = 17'((s4 & c4) | (s4 & ni) | (c4 & ni));
    c5 = {m5, 1'b0};
    last_outside = $signed(s5 + c5) >= 18'sd0;
  endfunction

  // verilator lint_off UNUSEDSIGNAL
  // (the whole instruction word comes in; the function reads the pooling fields only)
  function automatic logic pool_window_bad(input logic [127:0] insn);
  // verilator lint_on UNUSEDSIGNAL
    logic [31:0] kh, kw, ppt, ppl;
    kh  = 32'(insn[dlp_isa_pkg::F_KH_LO +: dlp_isa_pkg::F_KH_W]);
    kw  = 32'(insn[dlp_isa_pkg::F_KW_LO +: dlp_isa_pkg::F_KW_W]);
    ppt = 32'(insn[dlp_isa_pkg::F_PPT_LO +: dlp_isa_pkg::F_PPT_W]);
    ppl = 32'(insn[dlp_isa_pkg::F_PPL_LO +: dlp_isa_pkg::F_PPL_W]);
    // the first window must reach the input; the last must start inside
    pool_window_bad = ppt >= kh || ppl >= kw ||
        last_outside(12'(insn[dlp_isa_pkg::F_OH_LO +: dlp_isa_pkg::F_OH_W]),
                     4'(insn[dlp_isa_pkg::F_SH_LO +: dlp_isa_pkg::F_SH_W]), 4'(ppt),
                     12'(insn[dlp_isa_pkg::F_IH_LO +: dlp_isa_pkg::F_IH_W])) ||
        last_outside(12'(insn[dlp_isa_pkg::F_OW_LO +: dlp_isa_pkg::F_OW_W]),
                     4'(insn[dlp_isa_pkg::F_SW_LO +: dlp_isa_pkg::F_SW_W]), 4'(ppl),
                     12'(insn[dlp_isa_pkg::F_IW_LO +: dlp_isa_pkg::F_IW_W]));
  endfunction

endpackage
// verilator lint_on UNUSEDPARAM

`default_nettype wire
