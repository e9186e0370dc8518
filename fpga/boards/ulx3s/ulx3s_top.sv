// SPDX-License-Identifier: Apache-2.0
// OpenDLP on the ULX3S (Radiona/EMARD, Lattice ECP5 LFE5U-12F/25F/45F/85F, CABGA381): the
// 25 MHz oscillator through an EHXPLLL to the core clock, FIRE1 as reset, the eight LEDs, and the
// host link on the FT231X USB-serial bridge. Pins: ulx3s.lpf beside this file. Every parameter
// is set by fpga/fpga.mk for the board variant (ulx3s = 85F, ulx3s-45f = 45F): the core's
// configuration (the board file names it; sw/isa/dlp.configs),
// the DRAM size, the clock (ClkHz and the PLL dividers computed by ecppll) and the baud rate.
`default_nettype none

module ulx3s_top #(
  parameter int unsigned Rows           = dlp_cfg_pkg::RowsDefault,
  parameter int unsigned Cols           = dlp_cfg_pkg::ColsDefault,
  parameter int unsigned DspPes         = Rows * Cols,
  parameter int unsigned VLanes         = dlp_cfg_pkg::VLanesDefault,
  parameter int unsigned BeatBytes      = dlp_cfg_pkg::BeatBytesDefault,
  parameter int unsigned BurstBeats     = dlp_cfg_pkg::BurstBeatsDefault,
  parameter int unsigned NramBytes      = dlp_cfg_pkg::NramBytesDefault,
  parameter int unsigned WramBytes      = dlp_cfg_pkg::WramBytesDefault,
  parameter int unsigned AccBytes       = dlp_cfg_pkg::AccBytesDefault,
  parameter int unsigned ImemInsns      = dlp_cfg_pkg::ImemInsnsDefault,
  parameter int unsigned DramBytes      = 131072,
  parameter int unsigned DramBase       = 0,
  parameter int unsigned Baud           = 1_000_000,
  // core clock = 25 MHz * PllClkfbDiv / PllClkiDiv (VCO = core clock * PllClkopDiv)
  parameter int unsigned ClkHz          = 50_000_000,
  parameter int unsigned PllClkiDiv     = 1,
  parameter int unsigned PllClkfbDiv    = 2,
  parameter int unsigned PllClkopDiv    = 12,
  parameter int unsigned PllClkopCphase = 5
) (
  input  logic       clk_25mhz,
  input  logic       btn_fire1,   // FIRE1, high while pressed: reset
  output logic [7:0] led,
  input  logic       ftdi_txd,    // the FT231X's TXD: the FPGA receives
  output logic       ftdi_rxd,    // the FT231X's RXD: the FPGA sends
  output logic       wifi_gpio0   // held high so that the ESP32 does not take over the board
);

  logic clk, locked;

  (* FREQUENCY_PIN_CLKI = "25" *)
  EHXPLLL #(
    .PLLRST_ENA      ("DISABLED"),
    .INTFB_WAKE      ("DISABLED"),
    .STDBY_ENABLE    ("DISABLED"),
    .DPHASE_SOURCE   ("DISABLED"),
    .OUTDIVIDER_MUXA ("DIVA"),
    .OUTDIVIDER_MUXB ("DIVB"),
    .OUTDIVIDER_MUXC ("DIVC"),
    .OUTDIVIDER_MUXD ("DIVD"),
    .CLKI_DIV        (PllClkiDiv),
    .CLKOP_ENABLE    ("ENABLED"),
    .CLKOP_DIV       (PllClkopDiv),
    .CLKOP_CPHASE    (PllClkopCphase),
    .CLKOP_FPHASE    (0),
    .FEEDBK_PATH     ("CLKOP"),
    .CLKFB_DIV       (PllClkfbDiv)
  ) u_pll (
    .RST          (1'b0),
    .STDBY        (1'b0),
    .CLKI         (clk_25mhz),
    .CLKOP        (clk),
    .CLKFB        (clk),
    .PHASESEL0    (1'b0),
    .PHASESEL1    (1'b0),
    .PHASEDIR     (1'b1),
    .PHASESTEP    (1'b1),
    .PHASELOADREG (1'b1),
    .PLLWAKESYNC  (1'b0),
    .ENCLKOP      (1'b0),
    .LOCK         (locked)
  );

  // reset: held while the PLL is not locked or FIRE1 is pressed, released synchronously
  logic [3:0] rst_q;
  logic       fire_q, fire_sync_q;
  always_ff @(posedge clk) begin
    fire_q      <= btn_fire1;
    fire_sync_q <= fire_q;
    rst_q       <= {rst_q[2:0], locked && !fire_sync_q};
  end

  logic uart_rx_q; // the serial input, registered at the pad (dlp_uart_rx synchronises again)
  always_ff @(posedge clk) uart_rx_q <= ftdi_txd;

  dlp_fpga_soc #(
    .Rows       (Rows),
    .Cols       (Cols),
    .DspPes     (DspPes),
    .VLanes     (VLanes),
    .BeatBytes  (BeatBytes),
    .BurstBeats (BurstBeats),
    .NramBytes  (NramBytes),
    .WramBytes  (WramBytes),
    .AccBytes   (AccBytes),
    .ImemInsns  (ImemInsns),
    .DramBytes  (DramBytes),
    .DramBase   (DramBase),
    .ClkHz      (ClkHz),
    .Baud       (Baud)
  ) u_soc (
    .clk_i     (clk),
    .rst_ni    (rst_q[3]),
    .uart_rx_i (uart_rx_q),
    .uart_tx_o (ftdi_rxd),
    .led_o     (led)
  );

  assign wifi_gpio0 = 1'b1;

endmodule

`default_nettype wire
