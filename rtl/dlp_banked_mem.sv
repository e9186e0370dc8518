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
//
// Halves = 1 adds port C (the vector unit beside the matrix unit on port B): every bank is split
// into two RAMs at half its rows, i.e. the memory at half its size, and each half's second port
// serves the port that owns the half (b_own_i, c_own_i: the halves of the instruction each unit
// executes) when its lane addresses it. The scheduler lets B and C run together only on disjoint
// halves (docs/timing.md, "Compute units"), so the owners never collide; lanes a unit reads
// outside its operands (a partial last chunk) may come from the other half and are ignored by
// the units, as are lanes that wrap past the end of the memory. Halves = 0: one RAM per bank,
// port C and the owner inputs unused (tie them to 0). Same block RAM bits either way.
`default_nettype none

module dlp_banked_mem #(
  parameter int unsigned Width      = 8,      // bits per element
  parameter int unsigned Elems      = 131072, // power of two
  parameter int unsigned PortAElems = 16,
  parameter int unsigned PortBElems = 16,
  parameter int unsigned PortCElems = 1,
  parameter bit          Halves     = 1'b0,
  parameter int unsigned AddrW      = $clog2(Elems),
  parameter int unsigned LenAW      = $clog2(PortAElems + 1),
  parameter int unsigned LenBW      = $clog2(PortBElems + 1),
  parameter int unsigned LenCW      = $clog2(PortCElems + 1)
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
  output logic [PortBElems*Width-1:0] b_rdata_o,
  // port C (Halves = 1)
  input  logic                        c_en_i,
  input  logic                        c_we_i,
  input  logic [AddrW-1:0]            c_addr_i,
  input  logic [LenCW-1:0]            c_len_i,
  input  logic [PortCElems*Width-1:0] c_wdata_i,
  output logic [PortCElems*Width-1:0] c_rdata_o,
  // halves owned by the units on ports B and C (bit h: half h; Halves = 1)
  input  logic [1:0]                  b_own_i,
  input  logic [1:0]                  c_own_i
);

  localparam int unsigned MaxAB   = PortAElems > PortBElems ? PortAElems : PortBElems;
  localparam int unsigned MaxPort = (Halves && PortCElems > MaxAB) ? PortCElems : MaxAB;
  localparam int unsigned Banks   = MaxPort < 2 ? 2 : 1 << $clog2(MaxPort);
  localparam int unsigned BankW   = $clog2(Banks);
  localparam int unsigned Depth   = Elems / Banks;
  localparam int unsigned RowW    = $clog2(Depth) > 0 ? $clog2(Depth) : 1;
  localparam int unsigned NHalf   = Halves ? 2 : 1;
  localparam int unsigned HDepth  = Depth / NHalf;
  localparam int unsigned HRowW   = $clog2(HDepth) > 0 ? $clog2(HDepth) : 1;

  localparam int unsigned LineW   = Banks * Width;

  // One port's request, rotated into bank order: lane i of an access goes to bank
  // (start + i) mod Banks; the write data and the lane mask are rotated left by `start` lanes (as
  // one wide shift of the doubled line, cheap to simulate and a log-depth barrel shifter in
  // hardware). A bank below the start bank holds a lane that wrapped past the end of the row, so
  // its row is one more.
  typedef struct packed {
    logic [Banks-1:0]            we;
    logic [Banks-1:0][RowW-1:0]  row;
    logic [LineW-1:0]            wdata;
  } req_t;

  function automatic req_t rotate(input logic en, input logic we, input logic [AddrW-1:0] addr,
                                  input logic [Banks-1:0] mask, input logic [LineW-1:0] wdata);
    logic [BankW-1:0] start;
    logic [Banks-1:0] wrap, mrot;
    logic [RowW-1:0]  row;
    start = addr[BankW-1:0];
    rotate.wdata = LineW'(({wdata, wdata} << (32'(start) * Width)) >> LineW);
    mrot = Banks'(({mask, mask} << start) >> Banks);
    wrap = (Banks)'((Banks + 1)'(1) << start) - Banks'(1);
    row  = RowW'(addr >> BankW);
    for (int b = 0; b < Banks; b++) begin
      rotate.row[b] = row + RowW'(wrap[b]);
      rotate.we[b] = en && we && mrot[b];
    end
  endfunction

  function automatic logic [Banks-1:0] lanes(input int unsigned len);
    lanes = Banks'(((Banks + 1)'(1) << len) - (Banks + 1)'(1));
  endfunction

  req_t ra, rb, rc;
  always_comb begin
    ra = rotate(a_en_i, a_we_i, a_addr_i, lanes(32'(a_len_i)), LineW'(a_wdata_i));
    rb = rotate(b_en_i, b_we_i, b_addr_i, lanes(32'(b_len_i)), LineW'(b_wdata_i));
    rc = rotate(c_en_i && Halves, c_we_i, c_addr_i, lanes(32'(c_len_i)), LineW'(c_wdata_i));
  end

  // half of a bank row (0 without halves) and the row inside the half
  function automatic logic half_of(input logic [RowW-1:0] row);
    half_of = Halves ? row[RowW-1] : 1'b0;
  endfunction

  logic [Width-1:0] bank_a_rdata [Banks];
  logic [Width-1:0] bank_b_rdata [Banks];
  logic [Width-1:0] bank_c_rdata [Banks];
  logic [Banks-1:0] a_half_q, b_half_q, c_half_q;
  logic [BankW-1:0] a_rot_q, b_rot_q, c_rot_q;

  for (genvar b = 0; b < Banks; b++) begin : g_bank
    logic             ah, bh, ch;
    logic [Width-1:0] pa_rdata [NHalf];
    logic [Width-1:0] pb_rdata [NHalf];
    assign ah = half_of(ra.row[b]);
    assign bh = half_of(rb.row[b]);
    assign ch = half_of(rc.row[b]);
    for (genvar h = 0; h < NHalf; h++) begin : g_half
      logic             use_b, en2, we2;
      logic [HRowW-1:0] row2;
      logic [Width-1:0] wdata2;
      // the second port serves B when B addresses this half and owns it, else C likewise
      assign use_b  = b_en_i && bh == 1'(h) && (!Halves || b_own_i[h]);
      assign en2    = use_b || (c_en_i && Halves && ch == 1'(h) && c_own_i[h]);
      assign we2    = use_b ? rb.we[b] : rc.we[b];
      assign row2   = HRowW'(use_b ? rb.row[b] : rc.row[b]);
      assign wdata2 = use_b ? rb.wdata[b*Width +: Width] : rc.wdata[b*Width +: Width];
      dlp_ram_tdp #(
        .Width (Width),
        .Depth (HDepth),
        .AddrW (HRowW)
      ) u_ram (
        .clk_i     (clk_i),
        .a_en_i    (a_en_i && ah == 1'(h)),
        .a_we_i    (ra.we[b]),
        .a_addr_i  (HRowW'(ra.row[b])),
        .a_wdata_i (ra.wdata[b*Width +: Width]),
        .a_rdata_o (pa_rdata[h]),
        .b_en_i    (en2),
        .b_we_i    (we2),
        .b_addr_i  (row2),
        .b_wdata_i (wdata2),
        .b_rdata_o (pb_rdata[h])
      );
    end
    assign bank_a_rdata[b] = pa_rdata[Halves ? 32'(a_half_q[b]) : 0];
    assign bank_b_rdata[b] = pb_rdata[Halves ? 32'(b_half_q[b]) : 0];
    assign bank_c_rdata[b] = pb_rdata[Halves ? 32'(c_half_q[b]) : 0];
    always_ff @(posedge clk_i) begin
      if (a_en_i) a_half_q[b] <= ah;
      if (b_en_i) b_half_q[b] <= bh;
      if (c_en_i) c_half_q[b] <= ch;
    end
  end

  always_ff @(posedge clk_i) begin
    if (a_en_i) a_rot_q <= a_addr_i[BankW-1:0];
    if (b_en_i) b_rot_q <= b_addr_i[BankW-1:0];
    if (c_en_i) c_rot_q <= c_addr_i[BankW-1:0];
  end

  // lane i of the read data comes from bank (start + i) mod Banks: rotate right by start
  logic [LineW-1:0]   a_rline, b_rline, c_rline;
  logic [2*LineW-1:0] a_rdup, b_rdup, c_rdup;
  always_comb begin
    for (int b = 0; b < Banks; b++) begin
      a_rline[b*Width +: Width] = bank_a_rdata[b];
      b_rline[b*Width +: Width] = bank_b_rdata[b];
      c_rline[b*Width +: Width] = bank_c_rdata[b];
    end
    a_rdup = {a_rline, a_rline} >> (32'(a_rot_q) * Width);
    b_rdup = {b_rline, b_rline} >> (32'(b_rot_q) * Width);
    c_rdup = {c_rline, c_rline} >> (32'(c_rot_q) * Width);
    a_rdata_o = a_rdup[PortAElems*Width-1:0];
    b_rdata_o = b_rdup[PortBElems*Width-1:0];
    c_rdata_o = c_rdup[PortCElems*Width-1:0];
  end

`ifndef SYNTHESIS
  // the units on B and C never own the same half at once (the scheduler's rule)
  always_ff @(posedge clk_i) begin
    assert (!(Halves && b_en_i && c_en_i && (b_own_i & c_own_i) != 2'b00))
      else $error("dlp_banked_mem: ports B and C both own half(s) %b", b_own_i & c_own_i);
  end
`endif

  // the rotation discards the upper half of each doubled line
  logic unused;
  assign unused = ^{a_rdup[2*LineW-1:PortAElems*Width], b_rdup[2*LineW-1:PortBElems*Width],
                    c_rdup[2*LineW-1:PortCElems*Width]};

endmodule

`default_nettype wire
