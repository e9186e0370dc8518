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

  // per-bank request signals
  logic [Banks-1:0]       bank_a_we, bank_b_we;
  logic [RowW-1:0]        bank_a_row [Banks];
  logic [RowW-1:0]        bank_b_row [Banks];
  logic [Width-1:0]       bank_a_wdata [Banks];
  logic [Width-1:0]       bank_b_wdata [Banks];
  logic [Width-1:0]       bank_a_rdata [Banks];
  logic [Width-1:0]       bank_b_rdata [Banks];
  logic [BankW-1:0]       a_rot_q, b_rot_q;
  logic [BankW-1:0]       a_start, b_start; // bank of the first element of each access

  assign a_start = a_addr_i[BankW-1:0];
  assign b_start = b_addr_i[BankW-1:0];

  // Lane of bank b for an access starting at addr: (b - addr) mod Banks; its row is
  // addr / Banks, plus one when the bank index is below the start bank (the access wrapped).

  for (genvar b = 0; b < Banks; b++) begin : g_bank
    logic [BankW-1:0] a_lane, b_lane;
    logic [BankW:0]   a_sum, b_sum; // start + lane; its carry means the access wrapped

    always_comb begin
      a_lane = BankW'(b) - a_start;
      b_lane = BankW'(b) - b_start;
      a_sum = {1'b0, a_start} + {1'b0, a_lane};
      b_sum = {1'b0, b_start} + {1'b0, b_lane};
      bank_a_row[b] = RowW'(a_addr_i >> BankW) + RowW'(a_sum[BankW]);
      bank_b_row[b] = RowW'(b_addr_i >> BankW) + RowW'(b_sum[BankW]);
      bank_a_we[b] = a_en_i && a_we_i && ({1'b0, a_lane} < (BankW + 1)'(a_len_i));
      bank_b_we[b] = b_en_i && b_we_i && ({1'b0, b_lane} < (BankW + 1)'(b_len_i));
      bank_a_wdata[b] = '0;
      bank_b_wdata[b] = '0;
      for (int i = 0; i < PortAElems; i++)
        if (a_lane == BankW'(i)) bank_a_wdata[b] = a_wdata_i[i*Width +: Width];
      for (int i = 0; i < PortBElems; i++)
        if (b_lane == BankW'(i)) bank_b_wdata[b] = b_wdata_i[i*Width +: Width];
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
      .a_wdata_i (bank_a_wdata[b]),
      .a_rdata_o (bank_a_rdata[b]),
      .b_en_i    (b_en_i),
      .b_we_i    (bank_b_we[b]),
      .b_addr_i  (bank_b_row[b]),
      .b_wdata_i (bank_b_wdata[b]),
      .b_rdata_o (bank_b_rdata[b])
    );
  end

  always_ff @(posedge clk_i) begin
    if (a_en_i) a_rot_q <= a_start;
    if (b_en_i) b_rot_q <= b_start;
  end

  // lane i of the read data comes from bank (start + i) mod Banks
  always_comb begin
    for (int i = 0; i < PortAElems; i++)
      a_rdata_o[i*Width +: Width] = bank_a_rdata[BankW'(a_rot_q + BankW'(i))];
    for (int i = 0; i < PortBElems; i++)
      b_rdata_o[i*Width +: Width] = bank_b_rdata[BankW'(b_rot_q + BankW'(i))];
  end

endmodule

`default_nettype wire
