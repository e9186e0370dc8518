// SPDX-License-Identifier: Apache-2.0
// OpenDLP UART transmitter: 8N1, LSB first, idle high. A byte is taken when valid_i && ready_o;
// ready_o is high while the transmitter is idle. Div = clock cycles per bit.
`default_nettype none

module dlp_uart_tx #(
  parameter int unsigned Div = 868
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       valid_i,
  input  logic [7:0] data_i,
  output logic       ready_o,
  output logic       tx_o
);

  localparam int unsigned CntW = $clog2(Div + 1);

  logic [9:0]      shift_q;   // stop, data[7:0], start; shifted out LSB first
  logic [3:0]      left_q;    // bits still to send (0: idle)
  logic [CntW-1:0] cnt_q;

  assign ready_o = left_q == 4'd0;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      shift_q <= '1;
      left_q  <= '0;
      cnt_q   <= '0;
    end else if (left_q == 4'd0) begin
      if (valid_i) begin
        shift_q <= {1'b1, data_i, 1'b0};
        left_q  <= 4'd10;
        cnt_q   <= CntW'(Div - 1);
      end
    end else if (cnt_q == '0) begin
      shift_q <= {1'b1, shift_q[9:1]};
      left_q  <= left_q - 1'b1;
      cnt_q   <= CntW'(Div - 1);
    end else begin
      cnt_q <= cnt_q - 1'b1;
    end
  end

  // The line shows shift_q[0] while a frame is in flight, high when idle.
  assign tx_o = left_q == 4'd0 ? 1'b1 : shift_q[0];

endmodule

`default_nettype wire
