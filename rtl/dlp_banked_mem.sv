// SPDX-License-Identifier: Apache-2.0
// OpenDLP banked memory: NRAM and WRAM (8-bit elements) and the accumulators (32-bit elements).
//
// Two ports. In one cycle a port reads or writes up to PortXElems consecutive elements starting
// at ANY element address: the memory is split into Banks single-element-wide banks (Banks is the
// power of two >= both port widths), element e living in bank e % Banks at row e / Banks, and the
// lanes are rotated into place. This is why the ISA has no alignment rules.
//
// Read data is valid the cycle after the request (lane i = element addr + i). A write stores lanes
// 0 .. len-1. The two ports must not write the same element in the same cycle (the scheduler never
// lets DMA and compute touch the same region at once). Each bank is a true dual-port RAM that FPGA
// tools infer as block RAM.
`default_nettype none

module dlp_banked_mem #(
  parameter int unsigned Width      = 8,      // bits per element
  parameter int unsigned Elems      = 131072, // power of two
  parameter int unsigned PortAElems = 16,
  parameter int unsigned PortBElems = 16,
  parameter int unsigned AddrW      = $clog2(Elems),
  parameter int unsigned LenAW      = $clog2(PortAElems + 1),
  parameter int unsigned LenBW      = $clog2(PortBElems + 1)
) (
  input  logic                        clk_i,
  // port A
  input  logic                        a_en_i,
  input  logic                        a_we_i,
  input  logic [AddrW-1:0]            a_addr_i,
  input  logic [LenAW-1:0]            a_len_i,
  input  logic [PortAElems*Width-1:0] a_wdata_i,
  output logic [PortAElems*Width-1:0] a_rdata_o,
  // port B
  input  logic                        b_en_i,
  input  logic                        b_we_i,
  input  logic [AddrW-1:0]            b_addr_i,
  input  logic [LenBW-1:0]            b_len_i,
  input  logic [PortBElems*Width-1:0] b_wdata_i,
  output logic [PortBElems*Width-1:0] b_rdata_o
);

  localparam int unsigned MaxPort = PortAElems > PortBElems ? PortAElems : PortBElems;
  localparam int unsigned Banks   = MaxPort < 2 ? 2 : 1 << $clog2(MaxPort);
  localparam int unsigned BankW   = $clog2(Banks);
  localparam int unsigned Depth   = Elems / Banks;
  localparam int unsigned RowW    = $clog2(Depth) > 0 ? $clog2(Depth) : 1;

  localparam int unsigned LineW   = Banks * Width;

  // per-bank request signals
  logic [Banks-1:0]       bank_a_we, bank_b_we;
  logic [RowW-1:0]        bank_a_row [Banks];
  logic [RowW-1:0]        bank_b_row [Banks];
  logic [Width-1:0]       bank_a_rdata [Banks];
  logic [Width-1:0]       bank_b_rdata [Banks];
  logic [BankW-1:0]       a_rot_q, b_rot_q;
  logic [BankW-1:0]       a_start, b_start; // bank of the first element of each access

  assign a_start = a_addr_i[BankW-1:0];
  assign b_start = b_addr_i[BankW-1:0];

  // Lane i of an access goes to bank (start + i) mod Banks: the write data and the lane mask are
  // rotated left by `start` lanes (as one wide shift of the doubled line, cheap to simulate and a
  // log-depth barrel shifter in hardware). A bank below the start bank holds a lane that wrapped
  // past the end of the row, so its row is one more.
  logic [LineW-1:0]   a_wrot, b_wrot;
  logic [Banks-1:0]   a_mrot, b_mrot, a_wrap, b_wrap;
  logic [2*LineW-1:0] a_wdup, b_wdup;
  logic [2*Banks-1:0] a_mdup, b_mdup;
  logic [Banks:0]     a_mask, b_mask;   // lanes 0 .. len-1
  logic [RowW-1:0]    a_row, b_row;

  always_comb begin
    a_mask = ((Banks + 1)'(1) << a_len_i) - (Banks + 1)'(1);
    b_mask = ((Banks + 1)'(1) << b_len_i) - (Banks + 1)'(1);
    a_wdup = {LineW'(a_wdata_i), LineW'(a_wdata_i)} << (32'(a_start) * Width);
    b_wdup = {LineW'(b_wdata_i), LineW'(b_wdata_i)} << (32'(b_start) * Width);
    a_mdup = {a_mask[Banks-1:0], a_mask[Banks-1:0]} << a_start;
    b_mdup = {b_mask[Banks-1:0], b_mask[Banks-1:0]} << b_start;
    a_wrot = a_wdup[2*LineW-1 -: LineW];
    b_wrot = b_wdup[2*LineW-1 -: LineW];
    a_mrot = a_mdup[2*Banks-1 -: Banks];
    b_mrot = b_mdup[2*Banks-1 -: Banks];
    a_wrap = (Banks)'((Banks + 1)'(1) << a_start) - Banks'(1);
    b_wrap = (Banks)'((Banks + 1)'(1) << b_start) - Banks'(1);
    a_row  = RowW'(a_addr_i >> BankW);
    b_row  = RowW'(b_addr_i >> BankW);
  end

  for (genvar b = 0; b < Banks; b++) begin : g_bank
    always_comb begin
      bank_a_row[b] = a_row + RowW'(a_wrap[b]);
      bank_b_row[b] = b_row + RowW'(b_wrap[b]);
      bank_a_we[b]  = a_en_i && a_we_i && a_mrot[b];
      bank_b_we[b]  = b_en_i && b_we_i && b_mrot[b];
    end

    dlp_ram_tdp #(
      .Width (Width),
      .Depth (Depth),
      .AddrW (RowW)
    ) u_ram (
      .clk_i     (clk_i),
      .a_en_i    (a_en_i),
      .a_we_i    (bank_a_we[b]),
      .a_addr_i  (bank_a_row[b]),
      .a_wdata_i (a_wrot[b*Width +: Width]),
      .a_rdata_o (bank_a_rdata[b]),
      .b_en_i    (b_en_i),
      .b_we_i    (bank_b_we[b]),
      .b_addr_i  (bank_b_row[b]),
      .b_wdata_i (b_wrot[b*Width +: Width]),
      .b_rdata_o (bank_b_rdata[b])
    );
  end

  always_ff @(posedge clk_i) begin
    if (a_en_i) a_rot_q <= a_start;
    if (b_en_i) b_rot_q <= b_start;
  end

  // lane i of the read data comes from bank (start + i) mod Banks: rotate right by start
  logic [LineW-1:0]   a_rline, b_rline;
  logic [2*LineW-1:0] a_rdup, b_rdup;
  always_comb begin
    for (int b = 0; b < Banks; b++) begin
      a_rline[b*Width +: Width] = bank_a_rdata[b];
      b_rline[b*Width +: Width] = bank_b_rdata[b];
    end
    a_rdup = {a_rline, a_rline} >> (32'(a_rot_q) * Width);
    b_rdup = {b_rline, b_rline} >> (32'(b_rot_q) * Width);
    a_rdata_o = a_rdup[PortAElems*Width-1:0];
    b_rdata_o = b_rdup[PortBElems*Width-1:0];
  end

  // the rotation discards the upper half of each doubled line
  logic unused;
  assign unused = ^{a_wdup[LineW-1:0], b_wdup[LineW-1:0], a_mdup[Banks-1:0], b_mdup[Banks-1:0],
                    a_rdup[2*LineW-1:PortAElems*Width], b_rdup[2*LineW-1:PortBElems*Width],
                    a_mask[Banks], b_mask[Banks]};

endmodule

`default_nettype wire
