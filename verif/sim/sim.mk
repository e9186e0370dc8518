# RTL co-simulation regression against the C model (make sim). Included by the top Makefile
# (`include verif/sim/sim.mk`) after sw/cc/cc.mk; uses BUILD, LIBMODEL, LIBASM, LIBNET,
# $(BUILD)/dlpcc, VERILATOR, TOOLS, CC, CXX, CXXFLAGS and CFLAGS. The top Makefile's `sim` target
# runs `sim-all`.
#
#   make sim                              every shape: selftests, directed, firmware, random,
#                                         the sw/nets networks, random-stall robustness; ends
#                                         with "N passed, N failed"
#   make sim SHAPE=16x16                  one shape
#   make sim TEST=dir/dma_pad             one test (any shape list); TEST=rand SEED=17 replays
#                                         random program 17; TEST=stall/rand/17 SEED=5 replays it
#                                         under stall seed 5
#   make sim TEST=... WAVES=1             also writes an FST waveform and a GTKWave .gtkw file
#                                         under $(BUILD)/sim/waves/
#   make sim SIM_RANDOM=50                fewer random programs (default 200 per shape)
#   make sim TEST=net/lenet5/3            sample 3 of LeNet-5's test set, every layer in lockstep
#   make sim SIM_NET_SAMPLES=3            samples per network (default: adder4 16, mlp 8,
#                                         lenet5 8, rescnn 8)
#
# Shapes: NAME -> Rows Cols VLanes model-preset NramBytes WramBytes AccBytes firmware-config
# BeatBytes.
# The binary of a shape is built once; Verilator gets the parameters with -G, the harness the
# same values with -D (it checks them against the core's CAP registers at run time).
# firmware-config is the configuration name in firmware/*/cases that the shape runs; a shape
# with small memories runs only the firmware cases written for it (the directed and random
# programs assume the default memory sizes).
# The FPGA boards' cores are shapes of this list, here with the default memory sizes: 8x8 (4
# lanes) is the ULX3S-85F's (fpga/boards/ulx3s.cfg), 4x4-w8 (2 lanes, 64-bit AXI data path) the
# ULX3S-45F's (fpga/boards/ulx3s-45f.cfg).
SIM_SHAPES ?= 16x16 8x16 8x8 4x4 16x16-smallmem 4x4-w8
SIM_SHAPE_16x16          := 16 16 16 default 131072 262144 65536 default 16
SIM_SHAPE_8x16           := 8 16 4 8x16 131072 262144 65536 8x16 16
SIM_SHAPE_8x8            := 8 8 4 8x8 131072 262144 65536 8x8 16
SIM_SHAPE_4x4            := 4 4 4 4x4 131072 262144 65536 4x4 16
SIM_SHAPE_16x16-smallmem := 16 16 16 default 8192 8192 4096 default+nram_kib=8+wram_kib=8+acc_kib=4 16
SIM_SHAPE_4x4-w8         := 4 4 2 4x4 131072 262144 65536 4x4 8

SHAPE ?=
TEST ?=
SEED ?=
WAVES ?= 0
SIM_RANDOM ?= 200
SIM_STALL_RANDOM ?= 16
SIM_NET_SAMPLES ?=

SIM_DIR    := $(BUILD)/sim
SIM_RTL_DIR ?= rtl
SIM_PKGS   := $(SIM_RTL_DIR)/dlp_pkg.sv $(SIM_RTL_DIR)/dlp_isa_pkg.sv $(SIM_RTL_DIR)/dlp_csr_pkg.sv
SIM_RTL     = $(SIM_PKGS) $(filter-out $(SIM_PKGS),$(wildcard $(SIM_RTL_DIR)/*.sv))
SIM_MAIN   := verif/sim/sim_main.cc
SIM_OBJS   := $(BUILD)/verif/common/checker.o $(BUILD)/verif/common/host_axil.o \
              $(BUILD)/verif/common/randprog.o
# the network tests read .dlpn packages with sw/net's dlp_net_read_file
SIM_LIBS   := $(LIBNET) $(LIBASM) $(LIBMODEL)
SIM_HDRS   := $(wildcard verif/common/*.h)
SIM_FWGENS := $(patsubst firmware/%/cases,$(BUILD)/fw/%-gen,$(wildcard firmware/*/cases))
SIM_RUN_SHAPES := $(if $(SHAPE),$(SHAPE),$(SIM_SHAPES))

sim_shape = $(word $(2),$(SIM_SHAPE_$(1)))

# A shape's definition, rewritten only when it changes: the binaries and network packages of a
# shape depend on it, so that editing a shape rebuilds them.
.PHONY: sim-shape-force
$(SIM_DIR)/shape-%: sim-shape-force
	@mkdir -p $(dir $@)
	@echo "$(SIM_SHAPE_$*)" | cmp -s - $@ 2>/dev/null || echo "$(SIM_SHAPE_$*)" >$@
# Verilator: -O3 and fast C++ (-O3) for the model's eval; assertions on; lint is `make lint`'s
# job, so warnings do not stop the build (they are in build.log).
SIM_VFLAGS := --cc --exe --build -j 2 -O3 --assert -Wno-fatal --top-module dlp_top \
              -MAKEFLAGS "OPT_FAST=-O3 OPT_SLOW=-O1 OPT_GLOBAL=-O2"

# $(1) shape, $(2) suffix ("" or _trace), $(3) extra Verilator flags
define SIM_BUILD_RULE
$(SIM_DIR)/sim_$(1)$(2): $$(SIM_RTL) $(SIM_MAIN) $(SIM_OBJS) $(SIM_HDRS) $(SIM_LIBS) $(SIM_DIR)/shape-$(1)
	@mkdir -p $(SIM_DIR)/obj_$(1)$(2)
	@echo "sim: verilating dlp_top $(1)$(2) (log $(SIM_DIR)/obj_$(1)$(2)/build.log)"
	@$(VERILATOR) $(SIM_VFLAGS) $(3) \
	  -GRows=$(call sim_shape,$(1),1) -GCols=$(call sim_shape,$(1),2) \
	  -GVLanes=$(call sim_shape,$(1),3) -GNramBytes=$(call sim_shape,$(1),5) \
	  -GWramBytes=$(call sim_shape,$(1),6) -GAccBytes=$(call sim_shape,$(1),7) \
	  -GBeatBytes=$(call sim_shape,$(1),9) \
	  -Mdir $(abspath $(SIM_DIR)/obj_$(1)$(2)) -o $(abspath $$@) \
	  $$(abspath $$(SIM_RTL)) $(abspath $(SIM_MAIN)) \
	  -CFLAGS "-std=c++17 -O2 -I$(abspath cmodel/include) -I$(abspath sw/include) \
	    -I$(abspath verif/common) -DSHAPE_NAME=\\\"$(1)\\\" \
	    -DSHAPE_PRESET=\\\"$(call sim_shape,$(1),4)\\\" -DP_ROWS=$(call sim_shape,$(1),1) \
	    -DP_COLS=$(call sim_shape,$(1),2) -DP_VLANES=$(call sim_shape,$(1),3) \
	    -DP_NRAM=$(call sim_shape,$(1),5) -DP_WRAM=$(call sim_shape,$(1),6) \
	    -DP_ACC=$(call sim_shape,$(1),7) -DSHAPE_CONFIG=\\\"$(call sim_shape,$(1),8)\\\" \
	    -DP_BEAT=$(call sim_shape,$(1),9) \
	    -DSIM_NETS=1" \
	  -LDFLAGS "$(abspath $(SIM_OBJS)) $(abspath $(SIM_LIBS)) -lm" \
	  >$(SIM_DIR)/obj_$(1)$(2)/build.log 2>&1 \
	  || { tail -40 $(SIM_DIR)/obj_$(1)$(2)/build.log; exit 1; }
	@touch $$@
endef
$(foreach s,$(SIM_SHAPES),$(eval $(call SIM_BUILD_RULE,$(s),,)))
$(foreach s,$(SIM_SHAPES),$(eval $(call SIM_BUILD_RULE,$(s),_trace,--trace-fst --trace-structs)))

SIM_BINS := $(foreach s,$(SIM_RUN_SHAPES),$(SIM_DIR)/sim_$(s)$(if $(filter 1,$(WAVES)),_trace,))

# The sw/nets networks compiled for each shape: dlpcc with the shape's model preset and its exact
# array and memory sizes (the harness refuses a package whose configuration differs from the
# core's). $(SIM_DIR)/nets/<shape>/<net>.dlpn; dlpcc's output in <net>.log beside it. One pattern
# rule per network, the shape being the stem, so that a shape defined after this file (with
# SIM_SHAPE_<name> and SIM_BUILD_RULE, as fpga/fpga.mk does) gets its packages too.
SIM_NETS    := adder4 mlp lenet5 rescnn
SIM_NET_DIR := $(SIM_DIR)/nets
# $(1) network
define SIM_NET_RULE
$(SIM_NET_DIR)/%/$(1).dlpn: sw/nets/$(1)/$(1).txt sw/nets/$(1)/$(1).dlpw $(BUILD)/dlpcc $(SIM_DIR)/shape-%
	@test -n "$$(SIM_SHAPE_$$*)" || { echo "sim: unknown shape $$* (SIM_SHAPE_$$* is not defined)"; exit 1; }
	@mkdir -p $$(dir $$@)
	@$(BUILD)/dlpcc sw/nets/$(1)/$(1).txt -w sw/nets/$(1)/$(1).dlpw -o $$@ \
	  --config $$(call sim_shape,$$*,4) --set rows=$$(call sim_shape,$$*,1) \
	  --set cols=$$(call sim_shape,$$*,2) --set vlanes=$$(call sim_shape,$$*,3) \
	  --set nram_bytes=$$(call sim_shape,$$*,5) --set wram_bytes=$$(call sim_shape,$$*,6) \
	  --set acc_bytes=$$(call sim_shape,$$*,7) --set beat_bytes=$$(call sim_shape,$$*,9) >$$(basename $$@).log 2>&1 \
	  || { cat $$(basename $$@).log; rm -f $$@; exit 1; }
endef
$(foreach n,$(SIM_NETS),$(eval $(call SIM_NET_RULE,$(n))))
SIM_NET_PKGS := $(foreach s,$(SIM_RUN_SHAPES),$(foreach n,$(SIM_NETS),$(SIM_NET_DIR)/$(s)/$(n).dlpn))

# Arguments of every shape's run.
SIM_ARGS := --random $(SIM_RANDOM) --stall-random $(SIM_STALL_RANDOM) --fw-build $(BUILD) \
            --work $(SIM_DIR) --nets $(SIM_NET_DIR) $(if $(SIM_NET_SAMPLES),--net-samples $(SIM_NET_SAMPLES)) \
            $(if $(TEST),--test $(TEST)) $(if $(SEED),--seed $(SEED)) \
            $(if $(filter 1,$(WAVES)),--waves WAVES)

.PHONY: sim-build sim-all sim-selftest
sim-build: $(SIM_BINS) $(SIM_FWGENS) $(SIM_NET_PKGS)

sim-all: sim-build
	@mkdir -p $(SIM_DIR)/waves
	@verif/sim/run-sim.sh $(SIM_DIR) "$(SIM_RUN_SHAPES)" "$(if $(filter 1,$(WAVES)),_trace,)" \
	  $(SIM_ARGS)
