// SPDX-License-Identifier: Apache-2.0
// OpenDLP requantization lane: TFLite's MultiplyByQuantizedMultiplier (docs/numerics.md), bit for
// bit, in three pipeline stages, followed by the zero-point add, the clamp and the int8 saturation.
//
//   y = MBQM((x + add) << lsh, mult, shift)                 (x + add and << wrap modulo 2^32)
//   q = sat8(clamp(y + zp, lo, hi))                         (y + zp wraps; clamp as dlp_clamp)
//
// vrq uses x = acc, add = bias, lsh = 0 (q is then dlp_requant()); vadd uses one lane for the
// input MBQMs (add = offset, lsh = left_shift) and one for the output (x + add = x_a + x_b).
//
// Arithmetic (each step equals the C model's definition in cmodel/src/numerics.c):
//   - shift is clamped to -31..31; left = max(shift, 0), right = max(-shift, 0).
//   - (u << lsh) << left wraps modulo 2^32, i.e. u << (lsh + left), which is 0 once lsh+left >= 32.
//   - SaturatingRoundingDoublingHighMul(a, b) = (a*b + nudge) / 2^31 with C's truncating division,
//     nudge = a*b >= 0 ? 2^30 : 1 - 2^30. For a*b < 0 the sum is <= -2^30 < 0, and truncation of a
//     negative n / 2^31 equals floor((n + 2^31 - 1) / 2^31); 1 - 2^30 + 2^31 - 1 = 2^30, so in both
//     cases the result is floor((a*b + 2^30) / 2^31) = (a*b + 2^30) >>> 31: one multiply-add and a
//     bit select. It fits in 32 bits except for a = b = INT32_MIN (2^31), which saturates.
//   - RoundingDivideByPOT(h, e) = (h + bias) >>> e with bias = 2^(e-1) - (h < 0) for e >= 1 and 0
//     for e = 0: remainder r = h mod 2^e rounds up iff r > 2^(e-1) - 1 + (h < 0), and
//     floor((h + bias) / 2^e) = floor(h / 2^e) + (r + bias >= 2^e) is exactly that (33-bit sum).
//
// Timing: x_i, add_i, lsh_i, mult_i, shift_i are sampled in cycle t; y_o is combinational in cycle
// t + 2 (from the stage-2 registers); zp_i, lo_i and hi_i are used in t + 2; q_o is registered and
// valid in t + 3. The lane accepts new inputs every cycle.
`default_nettype none

module dlp_requant (
  input  logic        clk_i,
  // stage 1 (cycle t)
  input  logic [31:0] x_i,
  input  logic [31:0] add_i,
  input  logic [4:0]  lsh_i,
  input  logic [31:0] mult_i,
  input  logic [31:0] shift_i,
  // stage 3 (cycle t + 2)
  input  logic [31:0] zp_i,
  input  logic [31:0] lo_i,
  input  logic [31:0] hi_i,
  output logic [31:0] y_o,
  // cycle t + 3
  output logic [7:0]  q_o
);

  // ---- stage 1: wrap-add, clamp the shift, shift left ------------------------------------------
  logic [31:0] s1_u;
  logic [4:0]  s1_left, s1_right;
  logic [5:0]  s1_tot;
  logic [31:0] s1_sh;

  always_comb begin
    s1_u = x_i + add_i;
    if ($signed(shift_i) > 32'sd31) begin
      s1_left  = 5'd31;
      s1_right = 5'd0;
    end else if ($signed(shift_i) < -32'sd31) begin
      s1_left  = 5'd0;
      s1_right = 5'd31;
    end else if ($signed(shift_i) >= 32'sd0) begin
      s1_left  = shift_i[4:0];
      s1_right = 5'd0;
    end else begin
      s1_left  = 5'd0;
      s1_right = 5'(-shift_i);
    end
    s1_tot = {1'b0, lsh_i} + {1'b0, s1_left};
    s1_sh  = s1_tot[5] ? 32'd0 : s1_u << s1_tot[4:0];
  end

  logic [31:0] s2_a_q, s2_m_q;
  logic [4:0]  s2_right_q;

  always_ff @(posedge clk_i) begin
    s2_a_q     <= s1_sh;
    s2_m_q     <= mult_i;
    s2_right_q <= s1_right;
  end

  // ---- stage 2: SaturatingRoundingDoublingHighMul --------------------------------------------
  logic signed [63:0] s2_a64, s2_m64;
  logic [63:0]        s2_p;
  logic               s2_sat;
  logic [31:0]        s2_h;
  logic               unused_p; // the low bits only carry into bit 31; bit 63 is a sign copy

  always_comb begin
    s2_a64 = 64'($signed(s2_a_q)); // sign extension: a 64-bit product of 32-bit operands
    s2_m64 = 64'($signed(s2_m_q));
    s2_p   = 64'(s2_a64 * s2_m64) + 64'd1073741824; // + 2^30
    s2_sat = s2_a_q == 32'h8000_0000 && s2_m_q == 32'h8000_0000;
    s2_h   = s2_sat ? 32'h7fff_ffff : s2_p[62:31];
    unused_p = ^{s2_p[63], s2_p[30:0]};
  end

  logic [31:0] s3_h_q;
  logic [4:0]  s3_right_q;

  always_ff @(posedge clk_i) begin
    s3_h_q     <= s2_h;
    s3_right_q <= s2_right_q;
  end

  // ---- stage 3: RoundingDivideByPOT, zero point, clamp, saturate --------------------------------
  logic [32:0] s3_bias, s3_sum;
  logic [31:0] s3_z, s3_c;
  logic [7:0]  s3_q;

  always_comb begin
    if (s3_right_q == 5'd0) s3_bias = 33'd0;
    else s3_bias = (33'd1 << (s3_right_q - 5'd1)) - 33'(s3_h_q[31]);
    s3_sum = {s3_h_q[31], s3_h_q} + s3_bias;
    y_o    = 32'($signed(s3_sum) >>> s3_right_q);
    s3_z   = y_o + zp_i;
    if ($signed(s3_z) < $signed(lo_i))      s3_c = lo_i;
    else if ($signed(s3_z) > $signed(hi_i)) s3_c = hi_i;
    else                                    s3_c = s3_z;
    if ($signed(s3_c) < -32'sd128)          s3_q = 8'h80;
    else if ($signed(s3_c) > 32'sd127)      s3_q = 8'h7f;
    else                                    s3_q = s3_c[7:0];
  end

  always_ff @(posedge clk_i) begin
    q_o <= s3_q;
  end

endmodule

`default_nettype wire
