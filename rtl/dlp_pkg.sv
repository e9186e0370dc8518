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
  function automatic logic [15:0] mul12x4(input logic [11:0] x, input logic [3:0] k);
    mul12x4 = '0;
    for (int b = 0; b < 4; b++) if (k[b]) mul12x4 = mul12x4 + (16'(x) << b);
  endfunction

  // verilator lint_off UNUSEDSIGNAL
  // (the whole instruction word comes in; the function reads the pooling fields only)
  function automatic logic pool_window_bad(input logic [127:0] insn);
  // verilator lint_on UNUSEDSIGNAL
    logic [31:0] oh, ow, kh, kw, ppt, ppl, ih, iw;
    logic [dlp_isa_pkg::F_SH_W-1:0] sh;
    logic [dlp_isa_pkg::F_SW_W-1:0] sw;
    logic [31:0] last_y, last_x; // (oh-1)*sh - pt, as unsigned 32-bit with the sign in bit 31
    oh  = 32'(insn[dlp_isa_pkg::F_OH_LO +: dlp_isa_pkg::F_OH_W]);
    ow  = 32'(insn[dlp_isa_pkg::F_OW_LO +: dlp_isa_pkg::F_OW_W]);
    kh  = 32'(insn[dlp_isa_pkg::F_KH_LO +: dlp_isa_pkg::F_KH_W]);
    kw  = 32'(insn[dlp_isa_pkg::F_KW_LO +: dlp_isa_pkg::F_KW_W]);
    sh  = insn[dlp_isa_pkg::F_SH_LO +: dlp_isa_pkg::F_SH_W];
    sw  = insn[dlp_isa_pkg::F_SW_LO +: dlp_isa_pkg::F_SW_W];
    ppt = 32'(insn[dlp_isa_pkg::F_PPT_LO +: dlp_isa_pkg::F_PPT_W]);
    ppl = 32'(insn[dlp_isa_pkg::F_PPL_LO +: dlp_isa_pkg::F_PPL_W]);
    ih  = 32'(insn[dlp_isa_pkg::F_IH_LO +: dlp_isa_pkg::F_IH_W]);
    iw  = 32'(insn[dlp_isa_pkg::F_IW_LO +: dlp_isa_pkg::F_IW_W]);
    // oh, ow < 2^12 and sh, sw < 2^4: the products fit 16 bits (shifts and adds, no multiplier)
    last_y = 32'(mul12x4(12'(oh - 32'd1), 4'(sh))) - ppt;
    last_x = 32'(mul12x4(12'(ow - 32'd1), 4'(sw))) - ppl;
    // the first window must reach the input; the last must start inside (signed compare)
    pool_window_bad = ppt >= kh || ppl >= kw ||
                      $signed(last_y) >= $signed(ih) || $signed(last_x) >= $signed(iw);
  endfunction

endpackage
// verilator lint_on UNUSEDPARAM

`default_nettype wire
