// OpenDLP static instruction checks: everything that depends on the instruction word alone.
// Mirrors dlp_decode() of the C model (cmodel/src/decode.c): undefined opcode, reserved bits,
// reserved or illegal memory spaces, wait/signal naming the instruction's own queue, zero sizes,
// shift amounts, lo > hi, pooling windows without a valid position. Also reports the queue
// class and, for DMA, which queue (LD or ST) executes it. Purely combinational.
`default_nettype none

module dlp_decode_check
  import dlp_isa_pkg::*;
  import dlp_csr_pkg::*;
(
  input  logic [127:0] insn_i,
  output logic         valid_op_o,  // the opcode is defined
  output logic [3:0]   cause_o,     // CAUSE_NONE, CAUSE_ILLEGAL_OPCODE or CAUSE_ILLEGAL_ENCODING
  output logic [1:0]   qclass_o,    // QC_FE, QC_DMA, QC_CP
  output logic [1:0]   queue_o      // dlp_pkg::QLd/QCp/QSt for queued instructions
);

  function automatic logic [15:0] mul12x4(input logic [11:0] x, input logic [3:0] k);
    mul12x4 = '0;
    for (int b = 0; b < 4; b++) if (k[b]) mul12x4 = mul12x4 + (16'(x) << b);
  endfunction

  logic [5:0]   op;
  logic [127:0] used;
  logic         bad;
  logic [2:0]   wait_m, signal_m, own;

  logic [31:0] n0, n1, n2, m0, m1, kd, nd, rows, cols;
  logic [31:0] ch, oh, ow, kh, kw, sh, sw, ppt, ppl, ih, iw;
  logic [1:0]  dsp, ssp;
  logic signed [31:0] imm;
  logic [31:0] last_y, last_x; // (oh-1)*sh - pt, as unsigned 32-bit with the sign in bit 31

  always_comb begin
    op       = insn_i[5:0];
    wait_m   = insn_i[F_WAIT_LO +: 3];
    signal_m = insn_i[F_SIGNAL_LO +: 3];
    dsp      = insn_i[F_DSP_LO +: 2];
    ssp      = insn_i[F_SSP_LO +: 2];
    imm      = insn_i[F_IMM32_LO +: 32];
    n0   = 32'(insn_i[F_N0_LO +: F_N0_W]);
    n1   = 32'(insn_i[F_N1_LO +: F_N1_W]);
    n2   = 32'(insn_i[F_N2_LO +: F_N2_W]);
    m0   = 32'(insn_i[F_M0_LO +: F_M0_W]);
    m1   = 32'(insn_i[F_M1_LO +: F_M1_W]);
    kd   = 32'(insn_i[F_KDIM_LO +: F_KDIM_W]);
    nd   = 32'(insn_i[F_NDIM_LO +: F_NDIM_W]);
    rows = 32'(insn_i[F_ROWS_LO +: F_ROWS_W]);
    cols = 32'(insn_i[F_COLS_LO +: F_COLS_W]);
    ch   = 32'(insn_i[F_CH_LO +: F_CH_W]);
    oh   = 32'(insn_i[F_OH_LO +: F_OH_W]);
    ow   = 32'(insn_i[F_OW_LO +: F_OW_W]);
    kh   = 32'(insn_i[F_KH_LO +: F_KH_W]);
    kw   = 32'(insn_i[F_KW_LO +: F_KW_W]);
    sh   = 32'(insn_i[F_SH_LO +: F_SH_W]);
    sw   = 32'(insn_i[F_SW_LO +: F_SW_W]);
    ppt  = 32'(insn_i[F_PPT_LO +: F_PPT_W]);
    ppl  = 32'(insn_i[F_PPL_LO +: F_PPL_W]);
    ih   = 32'(insn_i[F_IH_LO +: F_IH_W]);
    iw   = 32'(insn_i[F_IW_LO +: F_IW_W]);
    // oh, ow < 2^12 and sh, sw < 2^4: the products fit 16 bits (shifts and adds, no multiplier);
    // oh = 0 or ow = 0 is rejected before these values are looked at
    last_y = 32'(mul12x4(12'(oh - 32'd1), 4'(sh))) - ppt;
    last_x = 32'(mul12x4(12'(ow - 32'd1), 4'(sw))) - ppl;

    valid_op_o = 1'b1;
    used       = '0;
    qclass_o   = QC_FE;
    unique case (op)
      OP_NOP:      used = USED_NOP;
      OP_HALT:     used = USED_HALT;
      OP_SYNC:     used = USED_SYNC;
      OP_LI:       used = USED_LI;
      OP_ADDI:     used = USED_ADDI;
      OP_ADD:      used = USED_ADD;
      OP_SUB:      used = USED_SUB;
      OP_MUL:      used = USED_MUL;
      OP_MULI:     used = USED_MULI;
      OP_SLLI:     used = USED_SLLI;
      OP_SRLI:     used = USED_SRLI;
      OP_LOOP:     used = USED_LOOP;
      OP_LOOPR:    used = USED_LOOPR;
      OP_ENDLOOP:  used = USED_ENDLOOP;
      OP_DMA:      begin used = USED_DMA;      qclass_o = QC_DMA; end
      OP_MM:       begin used = USED_MM;       qclass_o = QC_CP; end
      OP_VRQ:      begin used = USED_VRQ;      qclass_o = QC_CP; end
      OP_VADD:     begin used = USED_VADD;     qclass_o = QC_CP; end
      OP_VMAX:     begin used = USED_VMAX;     qclass_o = QC_CP; end
      OP_VMIN:     begin used = USED_VMIN;     qclass_o = QC_CP; end
      OP_VCLAMP:   begin used = USED_VCLAMP;   qclass_o = QC_CP; end
      OP_VLUT:     begin used = USED_VLUT;     qclass_o = QC_CP; end
      OP_VMAXPOOL: begin used = USED_VMAXPOOL; qclass_o = QC_CP; end
      OP_VAVGPOOL: begin used = USED_VAVGPOOL; qclass_o = QC_CP; end
      default:     valid_op_o = 1'b0;
    endcase

    queue_o = dlp_pkg::QCp[1:0];
    if (qclass_o == QC_DMA) queue_o = (dsp == dlp_pkg::SpaceDram) ? dlp_pkg::QSt[1:0]
                                                                    : dlp_pkg::QLd[1:0];
    own = 3'b001 << queue_o;

    bad = (insn_i & ~used) != '0;
    if (qclass_o == QC_DMA) begin
      if (dsp == 2'd3 || ssp == 2'd3) bad = 1'b1;
      if (dsp == dlp_pkg::SpaceDram && ssp == dlp_pkg::SpaceDram) bad = 1'b1;
    end
    if (qclass_o != QC_FE && ((wait_m & own) != 3'b0 || (signal_m & own) != 3'b0)) bad = 1'b1;
    unique case (op)
      OP_SLLI, OP_SRLI: if (imm < 0 || imm > 31) bad = 1'b1;
      OP_DMA:      if (n0 == 0 || n1 == 0 || n2 == 0) bad = 1'b1;
      OP_MM:       if (m0 == 0 || m1 == 0 || kd == 0 || nd == 0) bad = 1'b1;
      OP_VRQ:      if (rows == 0 || cols == 0 ||
                       $signed(insn_i[F_I1_LO +: 8]) > $signed(insn_i[F_I2_LO +: 8])) bad = 1'b1;
      OP_VCLAMP:   if (rows == 0 || cols == 0 ||
                       $signed(insn_i[F_I0_LO +: 8]) > $signed(insn_i[F_I1_LO +: 8])) bad = 1'b1;
      OP_VADD, OP_VMAX, OP_VMIN, OP_VLUT: if (rows == 0 || cols == 0) bad = 1'b1;
      OP_VMAXPOOL, OP_VAVGPOOL: begin
        if (ch == 0 || oh == 0 || ow == 0 || kh == 0 || kw == 0 || sh == 0 || sw == 0 ||
            ih == 0 || iw == 0) bad = 1'b1;
        else if (ppt >= kh || ppl >= kw) bad = 1'b1;
        // the last window must start inside: (oh-1)*sh - pt < ih (signed compare)
        else if ($signed(last_y) >= $signed(ih) || $signed(last_x) >= $signed(iw)) bad = 1'b1;
      end
      default: ;
    endcase

    if (!valid_op_o)  cause_o = CAUSE_ILLEGAL_OPCODE;
    else if (bad)     cause_o = CAUSE_ILLEGAL_ENCODING;
    else              cause_o = CAUSE_NONE;
  end

endmodule

`default_nettype wire
