// The OpenDLP core's source files, packages first: the one list that every tool reads (lint, make
// sim, the rtl back end, the FPGA flow and host-link simulation, the post-synthesis check and the
// block benches; rtl/rtl.mk for make, fpga/scripts/flow.sh and verif/fpga/run-postsynth.sh for
// the scripts). Paths from the repository root: `verilator -f rtl/dlp_core.f` there.
rtl/dlp_cfg_pkg.sv
rtl/dlp_isa_pkg.sv
rtl/dlp_pkg.sv
rtl/dlp_csr_pkg.sv
rtl/dlp_cfg_check.sv
rtl/dlp_ram_tdp.sv
rtl/dlp_banked_mem.sv
rtl/dlp_csr.sv
rtl/dlp_decode_check.sv
rtl/dlp_range_check.sv
rtl/dlp_frontend.sv
rtl/dlp_sched.sv
rtl/dlp_dma_fifo.sv
rtl/dlp_dma_chunk.sv
rtl/dlp_dma_pad.sv
rtl/dlp_dma_ar.sv
rtl/dlp_dma_rd.sv
rtl/dlp_dma_wr.sv
rtl/dlp_dma_mv.sv
rtl/dlp_dma.sv
rtl/dlp_pe_mul.sv
rtl/dlp_pe.sv
rtl/dlp_systolic.sv
rtl/dlp_mfu.sv
rtl/dlp_requant.sv
rtl/dlp_vfu.sv
rtl/dlp_top.sv
