// SPDX-License-Identifier: Apache-2.0
// OpenDLP matrix unit (MFU): executes `mm` on a Rows x Cols weight-stationary systolic array.
//
//   ACC[acc + m*as + n] = (accum ? ACC[...] : 0) + sum_k NRAM[in + i*s0 + j*s1 + k] * WRAM[w + k*ws + n]
//   for j < m1, i < m0 (m = j*m0 + i), n < N, k < K; int8 operands, int32 sums modulo 2^32.
//
// Schedule (docs/timing.md, "Matrix unit"; D = Rows + Cols + 3, W = max(M, D), F weight tiles):
// start_i in cycle s, done_o in e = s + Rows + F*W + D - 1. Tiles are taken n-fold by n-fold and,
// within one, k-fold by k-fold, so that consecutive k-folds accumulate into the same rows.
//
//   cycles s+1 .. s+Rows        WRAM reads of tile 0 (Rows rows of Cols bytes, one per cycle)
//   window f = [T_f, T_f + W)   T_f = s + Rows + f*W: NRAM reads of the M input rows of tile f in
//                               T_f .. T_f + M - 1; WRAM reads of tile f+1 in T_f+1 .. T_f+Rows
//   T_F .. e                    drain (D cycles)
//
// Pipeline of one input row read from NRAM in cycle t (lands its ACC write in t + D):
//   t            NRAM read request (R bytes at in + i*s0 + j*s1 + kfold*Rows)
//   t+1          data; bytes k >= K zeroed; presented to the array (dlp_systolic)
//   t+R+C        ACC read request of the output row (skipped when the row is overwritten)
//   t+R+C+1      array result (de-skewed) and ACC read data arrive, both registered
//   t+R+C+2      int32 add, registered
//   t+R+C+3      ACC write request (= t + D), len = min(Cols, N - nfold*Cols)
// The array needs a tile's weights to be presented from tau = T_f + 2 (tile f+1) so that inputs
// presented up to tau - 1 (the last rows of tile f-1, same bank) see the old weights and inputs
// presented from tau + Rows - 1 = T_f + Rows + 1 (tile f+1's first row: T_{f+1} + 1, W >= D) see
// the new ones. Tile 0 is presented from s + 2, its first input at T_0 + 1 = s + Rows + 1.
//
// The schedule has no slack: with M >= D the last row's write lands in e itself, and PE (Rows-1, c)
// stores tile 0's weight in the cycle before its first use. A pipeline stage added anywhere on the
// NRAM -> array -> ACC path (e.g. a registered product in dlp_pe) needs DLP_T_MFU_PIPE raised in
// the C model too. The first WRAM read is in s + 1, not s, so that no memory address is
// combinational from uop_i.
//
// A row's write in k-fold f (t + D) precedes its read in k-fold f+1 (t + W + Rows + Cols) by
// W - 3 >= Rows + Cols cycles, so no forwarding is needed (the read-modify-write is checked by an
// assertion below).
//
// busy_o is high in [s, e] (in s through start_i). abort_i returns the unit to idle in the next
// cycle: no request is made after the abort cycle; memory written so far is unspecified.
`default_nettype none

module dlp_mfu #(
  parameter int unsigned Rows      = 16,
  parameter int unsigned Cols      = 16,
  parameter int unsigned DspPes    = Rows * Cols, // dlp_systolic
  parameter int unsigned NramBytes = 131072, // power of two
  parameter int unsigned WramBytes = 262144, // power of two
  parameter int unsigned AccElems  = 16384,  // power of two
  parameter int unsigned NramAw    = $clog2(NramBytes),
  parameter int unsigned WramAw    = $clog2(WramBytes),
  parameter int unsigned AccAw     = $clog2(AccElems),
  parameter int unsigned AccLenW   = $clog2(Cols + 1)
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  // unit handshake
  input  logic                       start_i,
  input  logic [dlp_pkg::UopW-1:0]   uop_i,
  input  logic                       abort_i,
  output logic                       busy_o,
  output logic                       done_o,
  // NRAM read port (port B): lane i = byte nram_addr_o + i, data the cycle after the request
  output logic                       nram_en_o,
  output logic [NramAw-1:0]          nram_addr_o,
  input  logic [Rows*8-1:0]          nram_rdata_i,
  // WRAM read port (port B)
  output logic                       wram_en_o,
  output logic [WramAw-1:0]          wram_addr_o,
  input  logic [Cols*8-1:0]          wram_rdata_i,
  // ACC read port (element addresses)
  output logic                       acc_rd_en_o,
  output logic [AccAw-1:0]           acc_rd_addr_o,
  input  logic [Cols*32-1:0]         acc_rd_data_i,
  // ACC write port
  output logic                       acc_we_o,
  output logic [AccAw-1:0]           acc_wr_addr_o,
  output logic [AccLenW-1:0]         acc_wr_len_o,
  output logic [Cols*32-1:0]         acc_wr_data_o
);

  localparam int unsigned Depth  = Rows + Cols + 3;         // D of docs/timing.md
  localparam int unsigned CntW   = $clog2(Depth);           // counts 0 .. D-1 (D >= 5)
  localparam int unsigned KIdxW  = Rows > 1 ? $clog2(Rows) : 1;
  localparam int unsigned XLimW  = $clog2(Rows + 1);
  localparam int unsigned DlLen  = Rows + Cols - 1;         // issue -> ACC-side delay line
  localparam int unsigned RvLo   = dlp_pkg::UopRvLo;
  localparam int          RowsI  = Rows; // loop bounds
  localparam int          ColsI  = Cols;

  localparam logic [1:0] StIdle  = 2'd0;
  localparam logic [1:0] StLoad  = 2'd1; // waiting for tile 0's weights
  localparam logic [1:0] StWin   = 2'd2; // a tile's window
  localparam logic [1:0] StDrain = 2'd3;

  // ---- micro-op fields ------------------------------------------------------------------------
  logic [31:0] u_acc, u_in, u_w, u_s0, u_s1, u_ws, u_as;
  logic [15:0] u_m0, u_k, u_n;
  logic [11:0] u_m1;
  logic        u_accum;

  assign u_acc   = uop_i[RvLo + 32*dlp_isa_pkg::SLOT_RACC  +: 32];
  assign u_in    = uop_i[RvLo + 32*dlp_isa_pkg::SLOT_RIN   +: 32];
  assign u_w     = uop_i[RvLo + 32*dlp_isa_pkg::SLOT_RW    +: 32];
  assign u_s0    = uop_i[RvLo + 32*dlp_isa_pkg::SLOT_RINS0 +: 32];
  assign u_s1    = uop_i[RvLo + 32*dlp_isa_pkg::SLOT_RINS1 +: 32];
  assign u_ws    = uop_i[RvLo + 32*dlp_isa_pkg::SLOT_RWS   +: 32];
  assign u_as    = uop_i[RvLo + 32*dlp_isa_pkg::SLOT_RACS  +: 32];
  assign u_m0    = uop_i[dlp_isa_pkg::F_M0_LO   +: dlp_isa_pkg::F_M0_W];
  assign u_m1    = uop_i[dlp_isa_pkg::F_M1_LO   +: dlp_isa_pkg::F_M1_W];
  assign u_k     = uop_i[dlp_isa_pkg::F_KDIM_LO +: dlp_isa_pkg::F_KDIM_W];
  assign u_n     = uop_i[dlp_isa_pkg::F_NDIM_LO +: dlp_isa_pkg::F_NDIM_W];
  assign u_accum = uop_i[dlp_isa_pkg::F_ACCUM_LO];

  // Addresses are computed modulo the memory size: the front end has checked that every element
  // the instruction uses lies inside its memory, so the high register bits are zero.
  // Opcode, wait/signal, register numbers, reserved bits and the pc are not needed here.
  logic unused_uop;
  assign unused_uop = ^{uop_i[127:104], uop_i[43:13], uop_i[11:0],
                        uop_i[dlp_pkg::UopPcLo +: 16],
                        u_acc[31:AccAw], u_as[31:AccAw], u_in[31:NramAw], u_s0[31:NramAw],
                        u_s1[31:NramAw], u_w[31:WramAw], u_ws[31:WramAw]};

  logic [1:0] state_q, state_d;

  // Operands of the running instruction (latched at start; valid until done).
  logic [NramAw-1:0] p_in, p_s0, p_s1;
  logic [WramAw-1:0] p_ws;
  logic [AccAw-1:0]  p_acc, p_as;
  logic [15:0]       p_m0_last, p_k, p_n;
  logic [11:0]       p_m1_last;
  logic              p_accum;

  always_ff @(posedge clk_i) begin
    if (start_i && state_q == StIdle) begin
      p_in      <= u_in[NramAw-1:0];
      p_s0      <= u_s0[NramAw-1:0];
      p_s1      <= u_s1[NramAw-1:0];
      p_ws      <= u_ws[WramAw-1:0];
      p_acc     <= u_acc[AccAw-1:0];
      p_as      <= u_as[AccAw-1:0];
      p_m0_last <= u_m0 - 16'd1;
      p_m1_last <= u_m1 - 12'd1;
      p_k       <= u_k;
      p_n       <= u_n;
      p_accum   <= u_accum;
    end
  end

  // ---- issue side: windows and NRAM reads --------------------------------------------------------
  logic [CntW-1:0]   cnt_q, cnt_d;       // StLoad / StDrain cycles left
  logic [CntW-1:0]   wcnt_q, wcnt_d;     // cycle in the window, saturating at D-1
  logic              rows_done_q, rows_done_d, first_row_q, first_row_d;
  logic [15:0]       i_q, i_d;
  logic [11:0]       j_q, j_d;
  logic [NramAw-1:0] row_addr_q, row_addr_d, jbase_q, jbase_d;
  // the tile of the current window
  logic [15:0]       t_krem_q, t_krem_d;  // K - kfold*Rows
  logic [15:0]       t_nrem_q, t_nrem_d;  // N - nfold*Cols
  logic [NramAw-1:0] t_kbase_q, t_kbase_d; // in + kfold*Rows
  logic              t_kf0_q, t_kf0_d;    // kfold == 0
  logic              t_first_q, t_first_d; // first tile of the instruction
  logic              t_bank_q, t_bank_d;  // weight bank of the tile (tile index mod 2)

  logic issue, last_i, last_j, win_end, last_tile, win_init, trigger_win;

  always_comb begin
    state_d     = state_q;
    cnt_d       = cnt_q;
    wcnt_d      = wcnt_q;
    rows_done_d = rows_done_q;
    first_row_d = first_row_q;
    i_d         = i_q;
    j_d         = j_q;
    row_addr_d  = row_addr_q;
    jbase_d     = jbase_q;
    t_krem_d    = t_krem_q;
    t_nrem_d    = t_nrem_q;
    t_kbase_d   = t_kbase_q;
    t_kf0_d     = t_kf0_q;
    t_first_d   = t_first_q;
    t_bank_d    = t_bank_q;
    win_init    = 1'b0;

    issue     = (state_q == StWin) && !rows_done_q;
    last_i    = i_q == p_m0_last;
    last_j    = j_q == p_m1_last;
    win_end   = (state_q == StWin) && (wcnt_q == CntW'(Depth - 1)) &&
                (rows_done_q || (issue && last_i && last_j));
    last_tile = (t_krem_q <= 16'(Rows)) && (t_nrem_q <= 16'(Cols));

    unique case (state_q)
      StIdle: begin
        if (start_i) begin
          t_krem_d  = u_k;
          t_nrem_d  = u_n;
          t_kbase_d = u_in[NramAw-1:0];
          t_kf0_d   = 1'b1;
          t_first_d = 1'b1;
          t_bank_d  = 1'b0;
          if (Rows == 1) begin
            state_d  = StWin;
            win_init = 1'b1;
          end else begin
            state_d = StLoad;
            cnt_d   = CntW'(Rows - 2);
          end
        end
      end
      StLoad: begin
        if (cnt_q == '0) begin
          state_d  = StWin;
          win_init = 1'b1;
        end else begin
          cnt_d = cnt_q - 1'b1;
        end
      end
      StWin: begin
        if (issue) begin
          first_row_d = 1'b0;
          if (!last_i) begin
            i_d        = i_q + 16'd1;
            row_addr_d = row_addr_q + p_s0;
          end else begin
            i_d = '0;
            if (!last_j) begin
              j_d        = j_q + 12'd1;
              jbase_d    = jbase_q + p_s1;
              row_addr_d = jbase_q + p_s1;
            end else begin
              rows_done_d = 1'b1;
            end
          end
        end
        if (wcnt_q != CntW'(Depth - 1)) wcnt_d = wcnt_q + 1'b1;
        if (win_end) begin
          if (last_tile) begin
            state_d = StDrain;
            cnt_d   = CntW'(Depth - 1);
          end else begin
            t_first_d = 1'b0;
            t_bank_d  = !t_bank_q;
            if (t_krem_q > 16'(Rows)) begin // next k-fold of the same n-fold
              t_krem_d  = t_krem_q - 16'(Rows);
              t_kbase_d = t_kbase_q + NramAw'(Rows);
              t_kf0_d   = 1'b0;
            end else begin                  // first k-fold of the next n-fold
              t_krem_d  = p_k;
              t_kbase_d = p_in;
              t_nrem_d  = t_nrem_q - 16'(Cols);
              t_kf0_d   = 1'b1;
            end
            win_init = 1'b1;
          end
        end
      end
      StDrain: begin
        if (cnt_q == '0) state_d = StIdle;
        else             cnt_d = cnt_q - 1'b1;
      end
      default: state_d = StIdle;
    endcase

    if (win_init) begin
      i_d         = '0;
      j_d         = '0;
      row_addr_d  = t_kbase_d;
      jbase_d     = t_kbase_d;
      wcnt_d      = '0;
      rows_done_d = 1'b0;
      first_row_d = 1'b1;
    end
    if (abort_i) state_d = StIdle;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) state_q <= StIdle;
    else         state_q <= state_d;
  end

  always_ff @(posedge clk_i) begin
    cnt_q       <= cnt_d;
    wcnt_q      <= wcnt_d;
    rows_done_q <= rows_done_d;
    first_row_q <= first_row_d;
    i_q         <= i_d;
    j_q         <= j_d;
    row_addr_q  <= row_addr_d;
    jbase_q     <= jbase_d;
    t_krem_q    <= t_krem_d;
    t_nrem_q    <= t_nrem_d;
    t_kbase_q   <= t_kbase_d;
    t_kf0_q     <= t_kf0_d;
    t_first_q   <= t_first_d;
    t_bank_q    <= t_bank_d;
  end

  assign nram_en_o   = issue;
  assign nram_addr_o = row_addr_q;
  assign busy_o      = start_i || (state_q != StIdle);
  assign done_o      = (state_q == StDrain) && (cnt_q == '0);

  // The input row arrives the cycle after its request: bytes k >= K are zeroed.
  logic [XLimW-1:0] x_lim, x_lim_q;
  logic             x_sel_q;
  logic [Rows*8-1:0] x_vec;

  assign x_lim = (t_krem_q >= 16'(Rows)) ? XLimW'(Rows) : t_krem_q[XLimW-1:0];

  always_ff @(posedge clk_i) begin
    x_lim_q <= x_lim;
    x_sel_q <= t_bank_q;
  end

  always_comb begin
    for (int r = 0; r < RowsI; r++)
      x_vec[r*8 +: 8] = (XLimW'(r) < x_lim_q) ? nram_rdata_i[r*8 +: 8] : 8'd0;
  end

  // ---- weight loader: WRAM reads of the next tile -----------------------------------------------
  logic              ld_act_q, ld_act_d;
  logic [KIdxW-1:0]  ld_k_q, ld_k_d;         // row of the tile
  logic [WramAw-1:0] ld_addr_q, ld_addr_d;   // WRAM address of the row
  logic [WramAw-1:0] ld_nbase_q, ld_nbase_d; // w + nfold*Cols
  logic [15:0]       ld_krem_q, ld_krem_d;   // K - kfold*Rows of the tile being loaded
  logic [15:0]       ld_nrem_q, ld_nrem_d;   // N - nfold*Cols
  logic              ld_bank_q, ld_bank_d;
  logic              ld_row_ok, ld_tile_end;

  // Tile f+1 is read in the cycles after the first cycle of window f.
  assign trigger_win = (state_q == StWin) && (wcnt_q == '0) && !last_tile;
  assign ld_row_ok   = 16'(ld_k_q) < ld_krem_q;
  assign ld_tile_end = ld_act_q && (ld_k_q == KIdxW'(Rows - 1));

  always_comb begin
    ld_act_d   = ld_act_q;
    ld_k_d     = ld_k_q;
    ld_addr_d  = ld_addr_q;
    ld_nbase_d = ld_nbase_q;
    ld_krem_d  = ld_krem_q;
    ld_nrem_d  = ld_nrem_q;
    ld_bank_d  = ld_bank_q;
    if (state_q == StIdle && start_i) begin
      ld_act_d   = 1'b1;
      ld_k_d     = '0;
      ld_addr_d  = u_w[WramAw-1:0];
      ld_nbase_d = u_w[WramAw-1:0];
      ld_krem_d  = u_k;
      ld_nrem_d  = u_n;
      ld_bank_d  = 1'b0;
    end else begin
      if (ld_act_q) begin
        ld_k_d    = ld_k_q + 1'b1;
        ld_addr_d = ld_addr_q + p_ws;
      end
      if (ld_tile_end) begin
        ld_act_d  = 1'b0;
        ld_k_d    = '0;
        ld_bank_d = !ld_bank_q;
        if (ld_krem_q > 16'(Rows)) begin // next k-fold: its row 0 follows row Rows-1
          ld_krem_d = ld_krem_q - 16'(Rows);
        end else begin                   // next n-fold
          ld_krem_d  = p_k;
          ld_nbase_d = ld_nbase_q + WramAw'(Cols);
          ld_addr_d  = ld_nbase_q + WramAw'(Cols);
          ld_nrem_d  = ld_nrem_q - 16'(Cols);
        end
      end
      if (trigger_win) begin
        ld_act_d = 1'b1;
        ld_k_d   = '0;
      end
    end
    if (abort_i) ld_act_d = 1'b0;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) ld_act_q <= 1'b0;
    else         ld_act_q <= ld_act_d;
  end

  always_ff @(posedge clk_i) begin
    ld_k_q     <= ld_k_d;
    ld_addr_q  <= ld_addr_d;
    ld_nbase_q <= ld_nbase_d;
    ld_krem_q  <= ld_krem_d;
    ld_nrem_q  <= ld_nrem_d;
    ld_bank_q  <= ld_bank_d;
  end

  assign wram_en_o   = ld_act_q && ld_row_ok;
  assign wram_addr_o = ld_addr_q;

  // The weight row arrives the cycle after its request: rows k >= K and columns n >= N are zero.
  logic               ld1_first_q, ld1_ok_q, ld1_bank_q;
  logic [AccLenW-1:0] ld1_ncols_q;
  logic [Cols*8-1:0]  w_vec;

  always_ff @(posedge clk_i) begin
    if (!rst_ni || abort_i) ld1_first_q <= 1'b0;
    else                    ld1_first_q <= ld_act_q && (ld_k_q == '0);
  end

  always_ff @(posedge clk_i) begin
    ld1_ok_q    <= ld_act_q && ld_row_ok;
    ld1_bank_q  <= ld_bank_q;
    ld1_ncols_q <= (ld_nrem_q >= 16'(Cols)) ? AccLenW'(Cols) : ld_nrem_q[AccLenW-1:0];
  end

  always_comb begin
    for (int c = 0; c < ColsI; c++)
      w_vec[c*8 +: 8] = (ld1_ok_q && (AccLenW'(c) < ld1_ncols_q)) ? wram_rdata_i[c*8 +: 8] : 8'd0;
  end

  // ---- the array ----------------------------------------------------------------------------------
  logic [Cols*32-1:0] sys_psum;

  dlp_systolic #(
    .Rows   (Rows),
    .Cols   (Cols),
    .DspPes (DspPes)
  ) u_array (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .x_i       (x_vec),
    .sel_i     (x_sel_q),
    .w_i       (w_vec),
    .w_first_i (ld1_first_q),
    .w_bank_i  (ld1_bank_q),
    .psum_o    (sys_psum)
  );

  // ---- ACC side: read-modify-write of the output rows -------------------------------------------
  // The issue side's row events are delayed Rows + Cols - 1 cycles; the ACC side then replays the
  // output-row addresses: per window, row 0 at acc + nfold*Cols, then + as per row.
  logic [DlLen-1:0] dl_v_q, dl_fr_q, dl_kf0_q, dl_ft_q; // valid, first row, kfold 0, first tile

  always_ff @(posedge clk_i) begin
    if (!rst_ni || abort_i) dl_v_q <= '0;
    else                    dl_v_q <= DlLen'({dl_v_q, issue}); // shift in at bit 0
  end

  always_ff @(posedge clk_i) begin
    dl_fr_q  <= DlLen'({dl_fr_q, first_row_q});
    dl_kf0_q <= DlLen'({dl_kf0_q, t_kf0_q});
    dl_ft_q  <= DlLen'({dl_ft_q, t_first_q});
  end

  logic               ev_v, ev_fr, ev_kf0, ev_ft;
  logic [AccAw-1:0]   colbase_q, colbase_d, a_addr_d;
  logic [15:0]        anrem_q, anrem_d;
  logic               a_v_q, a_first_q;
  logic [AccAw-1:0]   a_addr_q;
  logic [AccLenW-1:0] a_len_q;

  assign ev_v   = dl_v_q[DlLen-1];
  assign ev_fr  = dl_fr_q[DlLen-1];
  assign ev_kf0 = dl_kf0_q[DlLen-1];
  assign ev_ft  = dl_ft_q[DlLen-1];

  always_comb begin
    colbase_d = colbase_q;
    anrem_d   = anrem_q;
    a_addr_d  = a_addr_q + p_as;
    if (ev_fr) begin
      if (ev_ft) begin
        colbase_d = p_acc;
        anrem_d   = p_n;
      end else if (ev_kf0) begin
        colbase_d = colbase_q + AccAw'(Cols);
        anrem_d   = anrem_q - 16'(Cols);
      end
      a_addr_d = colbase_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || abort_i) a_v_q <= 1'b0;
    else                    a_v_q <= ev_v;
  end

  always_ff @(posedge clk_i) begin
    if (ev_v) begin
      colbase_q <= colbase_d;
      anrem_q   <= anrem_d;
      a_addr_q  <= a_addr_d;
      a_len_q   <= (anrem_d >= 16'(Cols)) ? AccLenW'(Cols) : anrem_d[AccLenW-1:0];
      a_first_q <= !p_accum && ev_kf0; // overwrite: no read
    end
  end

  assign acc_rd_en_o   = a_v_q && !a_first_q;
  assign acc_rd_addr_o = a_addr_q;

  // B: read data and array result arrive
  logic               b_v_q, b_first_q;
  logic [AccAw-1:0]   b_addr_q;
  logic [AccLenW-1:0] b_len_q;
  // C: both registered
  logic               c_v_q;
  logic [AccAw-1:0]   c_addr_q;
  logic [AccLenW-1:0] c_len_q;
  logic [Cols*32-1:0] c_acc_q, c_res_q;
  // W: sum registered, written
  logic               w_v_q;
  logic [AccAw-1:0]   w_addr_q;
  logic [AccLenW-1:0] w_len_q;
  logic [Cols*32-1:0] w_data_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni || abort_i) begin
      b_v_q <= 1'b0;
      c_v_q <= 1'b0;
      w_v_q <= 1'b0;
    end else begin
      b_v_q <= a_v_q;
      c_v_q <= b_v_q;
      w_v_q <= c_v_q;
    end
  end

  always_ff @(posedge clk_i) begin
    b_first_q <= a_first_q;
    b_addr_q  <= a_addr_q;
    b_len_q   <= a_len_q;
    c_addr_q  <= b_addr_q;
    c_len_q   <= b_len_q;
    w_addr_q  <= c_addr_q;
    w_len_q   <= c_len_q;
    if (b_v_q) begin
      c_acc_q <= b_first_q ? '0 : acc_rd_data_i;
      c_res_q <= sys_psum;
    end
    if (c_v_q) begin
      for (int c = 0; c < ColsI; c++)
        w_data_q[c*32 +: 32] <= c_res_q[c*32 +: 32] + c_acc_q[c*32 +: 32];
    end
  end

  assign acc_we_o      = w_v_q;
  assign acc_wr_addr_o = w_addr_q;
  assign acc_wr_len_o  = w_len_q;
  assign acc_wr_data_o = w_data_q;

  // ---- assertions -------------------------------------------------------------------------------
`ifndef SYNTHESIS
  if (Rows < 1 || Rows > 64 || Cols < 1 || Cols > 64) begin : g_bad_shape
    $error("dlp_mfu: Rows and Cols must be 1..64");
  end
  if (NramAw > 31 || WramAw > 31 || AccAw > 31) begin : g_bad_mem
    $error("dlp_mfu: memories larger than 2^31 elements");
  end

  // [a, a + la) and [b, b + lb) intersect (no wrap: output rows lie inside the ACC)
  function automatic logic overlaps(logic [AccAw-1:0] a, logic [AccLenW-1:0] la,
                                    logic [AccAw-1:0] b, logic [AccLenW-1:0] lb);
    return ({1'b0, a} < {1'b0, b} + (AccAw + 1)'(lb)) && ({1'b0, b} < {1'b0, a} + (AccAw + 1)'(la));
  endfunction

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!(start_i && state_q != StIdle))
        else $error("dlp_mfu: start_i while busy");
      assert (!start_i || uop_i[dlp_isa_pkg::F_OP_LO +: dlp_isa_pkg::F_OP_W] == dlp_isa_pkg::OP_MM)
        else $error("dlp_mfu: start_i with an instruction other than mm");
      assert (!start_i || (u_m0 != 0 && u_m1 != 0 && u_k != 0 && u_n != 0))
        else $error("dlp_mfu: mm with a zero size");
      // the read of a row never overtakes the write of the same elements still in the pipeline
      assert (!acc_rd_en_o ||
              !((b_v_q && overlaps(a_addr_q, a_len_q, b_addr_q, b_len_q)) ||
                (c_v_q && overlaps(a_addr_q, a_len_q, c_addr_q, c_len_q)) ||
                (w_v_q && overlaps(a_addr_q, a_len_q, w_addr_q, w_len_q))))
        else $error("dlp_mfu: ACC read of 0x%0x overlaps a pending write", a_addr_q);
      assert (!acc_we_o || (acc_wr_len_o != 0 && int'(acc_wr_len_o) <= int'(Cols)))
        else $error("dlp_mfu: bad ACC write length %0d", acc_wr_len_o);
      assert (!(done_o && start_i))
        else $error("dlp_mfu: start_i in the done cycle");
    end
  end
`endif

endmodule

`default_nettype wire
