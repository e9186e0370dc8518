// OpenDLP shared definitions that are not part of the ISA (those are generated into
// dlp_isa_pkg.sv): the micro-op that the front end pushes into the queues and memory space codes.
`default_nettype none

// Shared constants; each module uses a subset of them.
// verilator lint_off UNUSEDPARAM
package dlp_pkg;

  // A micro-op is the 128-bit instruction word plus the values of the registers its register
  // slots name, read at dispatch, plus the instruction index for tracing:
  //   [127:0]                 instruction word
  //   [128 + 32*k +: 32]      value of the register named by bits [16 + 4*k +: 4] (k = 0..6)
  //   [352 +: 16]             instruction index (pc)
  // Every queued instruction keeps its register fields in these seven slots (see dlp.isa).
  localparam int unsigned NumRegSlots = 7;
  localparam int unsigned UopRvLo     = 128;
  localparam int unsigned UopPcLo     = 128 + 32 * NumRegSlots;
  localparam int unsigned UopW        = UopPcLo + 16;

  // Register slot of each register field (slot k = bits [16 + 4k +: 4]).
  localparam int unsigned SlotRdst = 0, SlotRsrc = 1, SlotRss1 = 2, SlotRss2 = 3, SlotRds1 = 4,
                          SlotRds2 = 5;                                       // dma
  localparam int unsigned SlotRacc = 0, SlotRin = 1, SlotRw = 2, SlotRins0 = 3, SlotRins1 = 4,
                          SlotRws = 5, SlotRacs = 6;                          // mm
  localparam int unsigned SlotVd = 0, SlotVa = 1, SlotVb = 2, SlotVp = 3, SlotVsd = 4,
                          SlotVsa = 5, SlotVsb = 6;                           // vector
  localparam int unsigned SlotPd = 0, SlotPa = 1, SlotPspa = 2, SlotPsra = 3, SlotPspd = 4,
                          SlotPsrd = 5;                                       // pooling

  // Memory spaces (field kind `space`)
  localparam logic [1:0] SpaceDram = 2'd0;
  localparam logic [1:0] SpaceNram = 2'd1;
  localparam logic [1:0] SpaceWram = 2'd2;

  // Queues: also the bit positions of the wait/signal masks
  localparam int unsigned QLd = 0, QCp = 1, QSt = 2;

endpackage
// verilator lint_on UNUSEDPARAM

`default_nettype wire
