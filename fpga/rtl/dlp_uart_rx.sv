// SPDX-License-Identifier: Apache-2.0
// OpenDLP UART receiver: 8 data bits, no parity, one stop bit (8N1), LSB first, idle high.
//
// The line is synchronised with two flops. A falling edge while idle starts a frame; the start
// bit is checked at its middle (a glitch shorter than half a bit is ignored), then each data bit
// and the stop bit are sampled at their middles, Div cycles apart. A frame whose stop bit reads 0
// is dropped and flagged (frame_err_o) -- the bridge's checksum catches what gets through anyway.
// Div = clock cycles per bit, at least 4.
`default_nettype none

module dlp_uart_rx #(
  parameter int unsigned Div = 868
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       rx_i,
  output logic       valid_o,     // one-cycle pulse with data_o
  output logic [7:0] data_o,
  output logic       frame_err_o  // one-cycle pulse: stop bit was 0
);

  localparam int unsigned CntW = $clog2(Div + 1);

  typedef enum logic [1:0] { RxIdle, RxStart, RxData, RxStop } rx_state_e;

  rx_state_e       state_q, state_d;
  logic [2:0]      sync_q;          // [0], [1]: synchroniser; [2]: previous value (edge)
  logic [CntW-1:0] cnt_q, cnt_d;
  logic [2:0]      bit_q, bit_d;
  logic [7:0]      shift_q, shift_d;
  logic            valid_d, ferr_d;
  logic            rx;

  assign rx = sync_q[1];

  always_comb begin
    state_d = state_q;
    cnt_d   = cnt_q;
    bit_d   = bit_q;
    shift_d = shift_q;
    valid_d = 1'b0;
    ferr_d  = 1'b0;
    unique case (state_q)
      RxIdle: begin
        if (sync_q[2] && !rx) begin  // falling edge: the start bit begins
          state_d = RxStart;
          cnt_d   = CntW'(Div / 2 - 1);
        end
      end
      RxStart: begin
        if (cnt_q == '0) begin
          if (rx) begin
            state_d = RxIdle;          // a glitch, not a start bit
          end else begin
            state_d = RxData;
            cnt_d   = CntW'(Div - 1);
            bit_d   = 3'd0;
          end
        end else begin
          cnt_d = cnt_q - 1'b1;
        end
      end
      RxData: begin
        if (cnt_q == '0) begin
          shift_d = {rx, shift_q[7:1]};
          cnt_d   = CntW'(Div - 1);
          bit_d   = bit_q + 1'b1;
          if (bit_q == 3'd7) state_d = RxStop;
        end else begin
          cnt_d = cnt_q - 1'b1;
        end
      end
      RxStop: begin
        if (cnt_q == '0) begin
          state_d = RxIdle;            // mid stop bit: ready for the next falling edge
          valid_d = rx;
          ferr_d  = !rx;
        end else begin
          cnt_d = cnt_q - 1'b1;
        end
      end
      default: state_d = RxIdle;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q     <= RxIdle;
      sync_q      <= 3'b111;
      cnt_q       <= '0;
      bit_q       <= '0;
      shift_q     <= '0;
      valid_o     <= 1'b0;
      frame_err_o <= 1'b0;
    end else begin
      state_q     <= state_d;
      sync_q      <= {sync_q[1], sync_q[0], rx_i};
      cnt_q       <= cnt_d;
      bit_q       <= bit_d;
      shift_q     <= shift_d;
      valid_o     <= valid_d;
      frame_err_o <= ferr_d;
    end
  end

  assign data_o = shift_q;

endmodule

`default_nettype wire
