// SPDX-License-Identifier: Apache-2.0
// Simulation stand-in for the ECP5 PLL primitive EHXPLLL (Verilator only; synthesis uses
// Yosys's own cell library). CLKOP follows CLKI -- the frequency ratio is not modelled: the
// host-link simulation only needs a clock, and the bridge's timing comes from its ClkHz
// parameter -- and LOCK rises 16 input cycles after start-up, so the board's reset sequence
// (hold reset until lock) is exercised. Only the ports ulx3s_top connects are modelled.
`default_nettype none

module EHXPLLL #(
  // the primitive's parameters, accepted and ignored (see above)
  // verilator lint_off UNUSEDPARAM
  parameter string  PLLRST_ENA      = "DISABLED",
  parameter string  INTFB_WAKE      = "DISABLED",
  parameter string  STDBY_ENABLE    = "DISABLED",
  parameter string  DPHASE_SOURCE   = "DISABLED",
  parameter string  OUTDIVIDER_MUXA = "DIVA",
  parameter string  OUTDIVIDER_MUXB = "DIVB",
  parameter string  OUTDIVIDER_MUXC = "DIVC",
  parameter string  OUTDIVIDER_MUXD = "DIVD",
  parameter integer CLKI_DIV        = 1,
  parameter string  CLKOP_ENABLE    = "ENABLED",
  parameter integer CLKOP_DIV       = 8,
  parameter integer CLKOP_CPHASE    = 0,
  parameter integer CLKOP_FPHASE    = 0,
  parameter string  FEEDBK_PATH     = "CLKOP",
  parameter integer CLKFB_DIV       = 1
  // verilator lint_on UNUSEDPARAM
) (
  // verilator lint_off UNUSEDSIGNAL
  input  wire RST,
  input  wire STDBY,
  input  wire CLKI,
  input  wire CLKFB,
  input  wire PHASESEL0,
  input  wire PHASESEL1,
  input  wire PHASEDIR,
  input  wire PHASESTEP,
  input  wire PHASELOADREG,
  input  wire PLLWAKESYNC,
  input  wire ENCLKOP,
  // verilator lint_on UNUSEDSIGNAL
  output wire CLKOP,
  output wire LOCK
);

  reg [4:0] cnt = 5'd0;
  always @(posedge CLKI) if (!cnt[4]) cnt <= cnt + 5'd1;

  assign CLKOP = CLKI;
  assign LOCK  = cnt[4];

endmodule

`default_nettype wire
