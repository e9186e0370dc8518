// SPDX-License-Identifier: Apache-2.0
// OpenDLP UART host bridge: gives a host on a serial line the core's CSRs (as an AXI4-Lite
// master), the board's DRAM (through dlp_fpga_dram's byte port) and a wait for the interrupt.
// The protocol is docs/fpga.md's "host link"; sw/driver/backend_uart.c is its other end.
//
// Frames (multi-byte fields little-endian; CRC = CRC-8, polynomial 0x07, initial value 0, over
// every byte after the sync byte):
//   request   0x5A  CMD  ARGS...  [DATA...]  CRC
//   response  0xA5  CMD  STATUS   [PAYLOAD...]  CRC
//
//   CMD  name     ARGS                       response payload
//   0x00 INFO     -                          magic "DLPU":u32, version:u8, DRAM base:u32,
//                                            DRAM bytes:u32, clock Hz:u32, baud:u32
//   0x01 CSR_RD   off:u16                    value:u32
//   0x02 CSR_WR   off:u16 value:u32          -
//   0x03 MEM_RD   addr:u32 len-1:u16         len bytes (only when STATUS is OK)
//   0x04 MEM_WR   addr:u32 len-1:u16 DATA    -
//   0x05 WAIT     max_ms:u16                 irq:u8 -- sent as soon as the interrupt line is
//                                            high, or after max_ms milliseconds
//   STATUS: 0 OK, 1 BAD_CRC, 2 BAD_CMD, 3 RANGE (a range outside the DRAM), 4 BUS (the
//   CSR slave answered SLVERR/DECERR).
//
// A request is executed only after its CRC has checked -- except MEM_WR, whose data are written
// as they arrive (a BAD_CRC answer means "write it again"). After BAD_CRC, BAD_CMD or a frame
// cut short (no byte for RxTimeoutMs), the bridge ignores the line until it has been silent for
// RxTimeoutMs, so the host resynchronises by waiting that long and sending the request again.
`default_nettype none

module dlp_uart_bridge #(
  parameter int unsigned ClkHz       = 50_000_000,
  parameter int unsigned Baud        = 1_000_000,
  parameter int unsigned DramBytes   = 131072,
  parameter int unsigned DramBase    = 0,
  parameter int unsigned RxTimeoutMs = 20,
  // derived
  parameter int unsigned Div         = (ClkHz + Baud / 2) / Baud,
  parameter int unsigned MsCycles    = ClkHz / 1000 > 0 ? ClkHz / 1000 : 1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        uart_rx_i,
  output logic        uart_tx_o,
  // AXI4-Lite master (the core's CSR slave)
  output logic [11:0] m_axil_awaddr_o,
  output logic        m_axil_awvalid_o,
  input  logic        m_axil_awready_i,
  output logic [31:0] m_axil_wdata_o,
  output logic [3:0]  m_axil_wstrb_o,
  output logic        m_axil_wvalid_o,
  input  logic        m_axil_wready_i,
  input  logic [1:0]  m_axil_bresp_i,
  input  logic        m_axil_bvalid_i,
  output logic        m_axil_bready_o,
  output logic [11:0] m_axil_araddr_o,
  output logic        m_axil_arvalid_o,
  input  logic        m_axil_arready_i,
  input  logic [31:0] m_axil_rdata_i,
  input  logic [1:0]  m_axil_rresp_i,
  input  logic        m_axil_rvalid_i,
  output logic        m_axil_rready_o,
  // DRAM host port (dlp_fpga_dram)
  output logic        mem_req_o,
  output logic        mem_we_o,
  output logic [31:0] mem_addr_o,
  output logic [7:0]  mem_wdata_o,
  input  logic        mem_ack_i,
  input  logic [7:0]  mem_rdata_i,
  // the core's interrupt line
  input  logic        irq_i,
  // status (LEDs): a byte arrived, a byte left, a frame was rejected
  output logic        rx_byte_o,
  output logic        tx_byte_o,
  output logic        frame_err_o
);

  localparam logic [7:0] SyncReq  = 8'h5A;
  localparam logic [7:0] SyncResp = 8'hA5;
  localparam logic [7:0] CmdInfo  = 8'h00;
  localparam logic [7:0] CmdCsrRd = 8'h01;
  localparam logic [7:0] CmdCsrWr = 8'h02;
  localparam logic [7:0] CmdMemRd = 8'h03;
  localparam logic [7:0] CmdMemWr = 8'h04;
  localparam logic [7:0] CmdWait  = 8'h05;
  localparam logic [7:0] StOk     = 8'd0;
  localparam logic [7:0] StBadCrc = 8'd1;
  localparam logic [7:0] StBadCmd = 8'd2;
  localparam logic [7:0] StRange  = 8'd3;
  localparam logic [7:0] StBus    = 8'd4;
  localparam logic [31:0] Magic   = 32'h5550_4C44; // "DLPU" in little-endian bytes
  localparam logic [7:0] Version  = 8'd1;
  localparam int unsigned PayMax  = 21;            // INFO's payload

  // CRC-8, polynomial x^8 + x^2 + x + 1 (0x07), MSB first
  function automatic logic [7:0] crc8(logic [7:0] crc, logic [7:0] data);
    logic [7:0] x;
    x = crc ^ data;
    for (int i = 0; i < 8; i++) x = x[7] ? ((x << 1) ^ 8'h07) : (x << 1);
    crc8 = x;
  endfunction

  // ---- the serial line -----------------------------------------------------------------------------
  logic       rx_valid, rx_ferr, tx_valid, tx_ready;
  logic [7:0] rx_data, tx_data;

  dlp_uart_rx #(.Div(Div)) u_rx (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .rx_i        (uart_rx_i),
    .valid_o     (rx_valid),
    .data_o      (rx_data),
    .frame_err_o (rx_ferr)
  );

  dlp_uart_tx #(.Div(Div)) u_tx (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (tx_valid),
    .data_i  (tx_data),
    .ready_o (tx_ready),
    .tx_o    (uart_tx_o)
  );

  // ---- millisecond tick, silence timer ----------------------------------------------------------------
  logic [$clog2(MsCycles + 1)-1:0] ms_cnt_q;
  logic                            ms_tick;
  logic [15:0]                     quiet_ms_q;  // ms since the last byte arrived (saturating)
  logic                            rx_timeout;

  assign ms_tick    = ms_cnt_q == '0;
  assign rx_timeout = quiet_ms_q >= 16'(RxTimeoutMs);

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      ms_cnt_q   <= '0;
      quiet_ms_q <= '0;
    end else begin
      ms_cnt_q <= ms_tick ? $bits(ms_cnt_q)'(MsCycles - 1) : ms_cnt_q - 1'b1;
      if (rx_valid) quiet_ms_q <= '0;
      else if (ms_tick && quiet_ms_q != 16'hffff) quiet_ms_q <= quiet_ms_q + 1'b1;
    end
  end

  // ---- the request/response engine ----------------------------------------------------------------------
  typedef enum logic [3:0] {
    SSync,     // waiting for 0x5A
    SCmd,      // command byte
    SArgs,     // argument bytes
    SData,     // MEM_WR data byte
    SDataMem,  // ... being written
    SCrc,      // CRC byte
    SExec,     // dispatch a checked request
    SCsrAddr,  // AXI4-Lite address (and write data) phase
    SCsrResp,  // AXI4-Lite response
    SWait,     // WAIT: for the interrupt or the time limit
    SSend,     // one response byte on the line
    SFetch,    // MEM_RD: the next byte from the DRAM
    SQuiet     // after an error: until the line is silent
  } state_e;

  typedef enum logic [2:0] { PSync, PCmd, PStatus, PPay, PCrc } phase_e;

  state_e            state_q;
  phase_e            phase_q;
  logic [7:0]        cmd_q, status_q, crc_q, txb_q;
  logic [47:0]       args_q;
  logic [2:0]        argi_q, nargs;
  logic [31:0]       addr_q;
  logic [16:0]       left_q;        // MEM_RD/MEM_WR bytes still to go
  logic [PayMax*8-1:0] pay_q;
  logic [4:0]        npay_q;        // fixed payload bytes still to send
  logic              stream_q;      // MEM_RD: the payload comes from the DRAM
  logic              quiet_after_q; // go quiet after this response
  logic              range_ok_q;
  logic              aw_done_q, w_done_q;
  logic [15:0]       wait_ms_q;
  logic [7:0]        crc_rx;

  assign crc_rx = crc8(crc_q, rx_data);

  always_comb begin
    unique case (cmd_q)
      CmdCsrRd, CmdWait:           nargs = 3'd2;
      CmdCsrWr, CmdMemRd, CmdMemWr: nargs = 3'd6;
      default:                     nargs = 3'd0;
    endcase
  end

  // argument fields
  logic [15:0] arg_off, arg_ms, arg_lenm1;
  logic [31:0] arg_addr, arg_val;
  logic        arg_range_ok;

  // [addr, addr + lenm1 + 1) lies inside the DRAM (offsets from DramBase one bit wider: a
  // borrow means below it)
  function automatic logic dram_range_ok(logic [31:0] addr, logic [15:0] lenm1);
    logic [33:0] off;
    off = {2'b00, addr} - 34'(DramBase);
    dram_range_ok = !off[33] && off + 34'(lenm1) + 34'd1 <= 34'(DramBytes);
  endfunction

  assign arg_off   = args_q[15:0];
  assign arg_ms    = args_q[15:0];
  assign arg_val   = args_q[47:16];
  assign arg_addr  = args_q[31:0];
  assign arg_lenm1 = args_q[47:32];
  assign arg_range_ok = dram_range_ok(arg_addr, arg_lenm1);

  logic unused_arg_off;  // CSR offsets are word addresses below 0x1000
  assign unused_arg_off = ^{arg_off[15:12], arg_off[1:0]};

  // AXI4-Lite and DRAM port outputs follow the state
  assign m_axil_awaddr_o  = {arg_off[11:2], 2'b00};
  assign m_axil_araddr_o  = {arg_off[11:2], 2'b00};
  assign m_axil_wdata_o   = arg_val;
  assign m_axil_wstrb_o   = 4'hf;
  assign m_axil_awvalid_o = state_q == SCsrAddr && cmd_q == CmdCsrWr && !aw_done_q;
  assign m_axil_wvalid_o  = state_q == SCsrAddr && cmd_q == CmdCsrWr && !w_done_q;
  assign m_axil_arvalid_o = state_q == SCsrAddr && cmd_q == CmdCsrRd;
  assign m_axil_bready_o  = state_q == SCsrResp && cmd_q == CmdCsrWr;
  assign m_axil_rready_o  = state_q == SCsrResp && cmd_q == CmdCsrRd;

  assign mem_req_o   = state_q == SDataMem || state_q == SFetch;
  assign mem_we_o    = state_q == SDataMem;
  assign mem_addr_o  = addr_q;
  assign mem_wdata_o = txb_q;      // SDataMem keeps the received byte here

  assign tx_valid = state_q == SSend;
  assign tx_data  = txb_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q       <= SSync;
      phase_q       <= PSync;
      cmd_q         <= '0;
      status_q      <= '0;
      crc_q         <= '0;
      txb_q         <= '0;
      args_q        <= '0;
      argi_q        <= '0;
      addr_q        <= '0;
      left_q        <= '0;
      pay_q         <= '0;
      npay_q        <= '0;
      stream_q      <= 1'b0;
      quiet_after_q <= 1'b0;
      range_ok_q    <= 1'b0;
      aw_done_q     <= 1'b0;
      w_done_q      <= 1'b0;
      wait_ms_q     <= '0;
      frame_err_o   <= 1'b0;
    end else begin
      frame_err_o <= 1'b0;
      unique case (state_q)
        SSync: if (rx_valid && rx_data == SyncReq) begin
          state_q <= SCmd;
          crc_q   <= '0;
          argi_q  <= '0;
        end
        SCmd: if (rx_valid) begin
          cmd_q <= rx_data;
          crc_q <= crc_rx;
          unique case (rx_data)
            CmdInfo:                    state_q <= SCrc;
            CmdCsrRd, CmdCsrWr, CmdMemRd, CmdMemWr, CmdWait: state_q <= SArgs;
            default: begin              // unknown: its length is unknown too -> answer, go quiet
              status_q <= StBadCmd;
              begin_response(1'b1);
            end
          endcase
        end else if (rx_timeout) begin
          abandon();
        end
        SArgs: if (rx_valid) begin
          args_q[8*argi_q +: 8] <= rx_data;
          crc_q  <= crc_rx;
          argi_q <= argi_q + 1'b1;
          if (argi_q == nargs - 3'd1) begin
            if (cmd_q == CmdMemWr) begin
              state_q <= SData;
              // the fields are complete once this byte is in: compute from it directly
              addr_q     <= args_q[31:0];
              left_q     <= {1'b0, rx_data, args_q[39:32]} + 17'd1;
              range_ok_q <= dram_range_ok(args_q[31:0], {rx_data, args_q[39:32]});
            end else begin
              state_q <= SCrc;
            end
          end
        end else if (rx_timeout) begin
          abandon();
        end
        SData: if (rx_valid) begin
          crc_q  <= crc_rx;
          txb_q  <= rx_data;
          if (range_ok_q) begin
            state_q <= SDataMem;
          end else begin
            left_q <= left_q - 1'b1;
            if (left_q == 17'd1) state_q <= SCrc;
          end
        end else if (rx_timeout) begin
          abandon();
        end
        SDataMem: if (mem_ack_i) begin
          addr_q <= addr_q + 1'b1;
          left_q <= left_q - 1'b1;
          state_q <= left_q == 17'd1 ? SCrc : SData;
        end
        SCrc: if (rx_valid) begin
          if (rx_data == crc_q) begin
            state_q <= SExec;
          end else begin
            status_q <= StBadCrc;
            begin_response(1'b1);
          end
        end else if (rx_timeout) begin
          abandon();
        end
        SExec: begin
          status_q  <= StOk;
          npay_q    <= '0;
          aw_done_q <= 1'b0;
          w_done_q  <= 1'b0;
          unique case (cmd_q)
            CmdInfo: begin
              pay_q  <= {32'(Baud), 32'(ClkHz), 32'(DramBytes), 32'(DramBase), Version, Magic};
              npay_q <= 5'd21;
              begin_response(1'b0);
            end
            CmdCsrRd, CmdCsrWr: state_q <= SCsrAddr;
            CmdMemRd: begin
              addr_q <= arg_addr;
              left_q <= 17'(arg_lenm1) + 17'd1;
              if (arg_range_ok) begin
                stream_q <= 1'b1;
              end else begin
                status_q <= StRange;
              end
              begin_response(1'b0);
            end
            CmdMemWr: begin
              if (!range_ok_q) status_q <= StRange;
              begin_response(1'b0);
            end
            CmdWait: begin
              wait_ms_q <= arg_ms;
              state_q   <= SWait;
            end
            default: begin
              status_q <= StBadCmd;
              begin_response(1'b1);
            end
          endcase
        end
        SCsrAddr: begin
          if (cmd_q == CmdCsrRd) begin
            if (m_axil_arready_i) state_q <= SCsrResp;
          end else begin
            if (m_axil_awready_i) aw_done_q <= 1'b1;
            if (m_axil_wready_i)  w_done_q  <= 1'b1;
            if ((aw_done_q || m_axil_awready_i) && (w_done_q || m_axil_wready_i))
              state_q <= SCsrResp;
          end
        end
        SCsrResp: begin
          if (cmd_q == CmdCsrRd && m_axil_rvalid_i) begin
            pay_q[31:0] <= m_axil_rdata_i;
            npay_q      <= 5'd4;
            if (m_axil_rresp_i != 2'b00) status_q <= StBus;
            begin_response(1'b0);
          end else if (cmd_q == CmdCsrWr && m_axil_bvalid_i) begin
            if (m_axil_bresp_i != 2'b00) status_q <= StBus;
            begin_response(1'b0);
          end
        end
        SWait: begin
          if (irq_i || wait_ms_q == '0) begin
            pay_q[7:0] <= {7'd0, irq_i};
            npay_q     <= 5'd1;
            begin_response(1'b0);
          end else if (ms_tick) begin
            wait_ms_q <= wait_ms_q - 1'b1;
          end
        end
        SSend: if (tx_ready) begin
          // the byte in txb_q leaves now; choose the next one
          if (phase_q != PSync) crc_q <= crc8(crc_q, txb_q);
          unique case (phase_q)
            PSync: begin
              phase_q <= PCmd;
              txb_q   <= cmd_q;
            end
            PCmd: begin
              phase_q <= PStatus;
              txb_q   <= status_q;
            end
            PStatus, PPay: begin
              if (npay_q != '0) begin
                phase_q <= PPay;
                txb_q   <= pay_q[7:0];
                pay_q   <= pay_q >> 8;
                npay_q  <= npay_q - 1'b1;
              end else if (stream_q && left_q != '0) begin
                phase_q <= PPay;
                state_q <= SFetch;
              end else begin
                phase_q <= PCrc;
                txb_q   <= crc8(crc_q, txb_q);
              end
            end
            PCrc: begin
              stream_q <= 1'b0;
              state_q  <= quiet_after_q ? SQuiet : SSync;
            end
            default: state_q <= SSync;
          endcase
        end
        SFetch: if (mem_ack_i) begin
          txb_q   <= mem_rdata_i;
          addr_q  <= addr_q + 1'b1;
          left_q  <= left_q - 1'b1;
          state_q <= SSend;
        end
        SQuiet: if (rx_timeout && !rx_valid) state_q <= SSync;
        default: state_q <= SSync;
      endcase
      if (rx_ferr) frame_err_o <= 1'b1;
    end
  end

  // Start a response: the sync byte first; status_q and the payload are set by the caller.
  task automatic begin_response(input logic quiet_after);
    state_q       <= SSend;
    phase_q       <= PSync;
    txb_q         <= SyncResp;
    crc_q         <= '0;
    quiet_after_q <= quiet_after;
    frame_err_o   <= quiet_after;
  endtask

  // A request cut short by silence: drop it (nothing was executed).
  task automatic abandon();
    state_q     <= SSync;
    frame_err_o <= 1'b1;
  endtask

  assign rx_byte_o = rx_valid;
  assign tx_byte_o = tx_valid && tx_ready;

endmodule

`default_nettype wire
