# SPDX-License-Identifier: Apache-2.0
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
# Shapes: the configurations marked `sim` in sw/isa/dlp.configs (CONFIGS_SIM of the generated
# rtl/dlp_configs.mk; docs/configs.md). Each is also a model preset of the same name. The binary
# of a shape is built once; Verilator gets its parameter set (CFG_<shape>_GFLAGS), the harness
# the same values as -D (CFG_<shape>_DFLAGS; it checks them against the core's CAP registers at
# run time) and the configuration name its firmware cases use (CFG_<shape>_CASES): a shape with
# small memories runs only the firmware cases written for it (the directed and random programs
# assume the default memory sizes).
SIM_SHAPES ?= $(CONFIGS_SIM)

SHAPE ?=
TEST ?=
SEED ?=
WAVES ?= 0
SIM_RANDOM ?= 200
SIM_FAULT ?= 100
SIM_STALL_RANDOM ?= 16
SIM_NET_SAMPLES ?=

SIM_DIR    := $(BUILD)/sim
SIM_RTL    := $(RTL_SV)
SIM_MAIN   := verif/sim/sim_main.cc verif/sim/gtkw.cc
SIM_MAIN_HDRS := $(wildcard verif/sim/*.h)
SIM_OBJS   := $(BUILD)/verif/common/checker.o $(BUILD)/sw/axi/host_axil.o \
              $(BUILD)/verif/common/randprog.o $(BUILD)/verif/common/faultprog.o
# the network tests read .dlpn packages with sw/net's dlp_net_read_file
SIM_LIBS   := $(LIBNET) $(LIBASM) $(LIBMODEL)
SIM_HDRS   := $(wildcard verif/common/*.h sw/axi/*.h)
SIM_FWGENS := $(patsubst firmware/%/cases,$(BUILD)/fw/%-gen,$(wildcard firmware/*/cases))
SIM_RUN_SHAPES := $(if $(SHAPE),$(SHAPE),$(SIM_SHAPES))

# A shape's definition, rewritten only when it changes: the binaries and network packages of a
# shape depend on it, so that editing a shape rebuilds them.
.PHONY: sim-shape-force
$(SIM_DIR)/shape-%: sim-shape-force
	@mkdir -p $(dir $@)
	@echo "$(CFG_$*_GFLAGS) $(CFG_$*_CASES)" | cmp -s - $@ 2>/dev/null || echo "$(CFG_$*_GFLAGS) $(CFG_$*_CASES)" >$@
# Verilator: rtl/rtl.mk's flag set for the whole core (assertions on; warnings in build.log)
SIM_VFLAGS := $(VERILATOR_SIM) --top-module dlp_top

# The model is compiled position-independent: the rtl back end's library of the shape links the
# same objects (verif/sim/rtllib.mk), so each shape is Verilated once (traced builds separately).
# verilate_minutes: a rough time for the "verilating" line, from the array size (4x4 about 1 min,
# 16x16 under 2 on two idle cores, docs/tutorial.md; a traced build about twice as long).
verilate_minutes = $(shell echo $$(( (1 + $(word 1,$(CFG_$(1))) * $(word 2,$(CFG_$(1))) / 256) * $(if $(2),2,1) )))

# $(1) shape, $(2) suffix ("" or _trace), $(3) extra Verilator flags
define SIM_BUILD_RULE
$(SIM_DIR)/sim_$(1)$(2): $$(SIM_RTL) $(RTL_F) $(SIM_MAIN) $(SIM_MAIN_HDRS) $(SIM_OBJS) $(SIM_HDRS) $(SIM_LIBS) $(SIM_DIR)/shape-$(1)
	@mkdir -p $(SIM_DIR)/obj_$(1)$(2)
	@$$(call verilator_prune,$(SIM_DIR)/obj_$(1)$(2))
	@echo "sim: verilating dlp_top $(1)$(2) (about $(call verilate_minutes,$(1),$(2)) min on 2 idle cores; log $(SIM_DIR)/obj_$(1)$(2)/build.log)"
	@# Verilator's makefile does not know the libraries of -LDFLAGS: without the old binary it
	@# relinks (a changed C model used to be left out of an up-to-date binary)
	@rm -f $$@
	@verif/scripts/heartbeat.sh $(SIM_DIR)/obj_$(1)$(2)/build.log "sim: verilating dlp_top $(1)$(2)" \
	  $(VERILATOR) $(SIM_VFLAGS) $(3) $(CFG_$(1)_GFLAGS) \
	  -Mdir $(abspath $(SIM_DIR)/obj_$(1)$(2)) -o $(abspath $$@) \
	  $$(abspath $$(SIM_RTL)) $(abspath $(SIM_MAIN)) \
	  -CFLAGS "-std=c++17 -O2 -fPIC $(SANFLAGS) -I$(abspath cmodel/include) -I$(abspath sw/include) \
	    -I$(abspath verif/common) -I$(abspath sw/axi) -I$(abspath verif/sim) -DSHAPE_NAME=\\\"$(1)\\\" -DSHAPE_PRESET=\\\"$(1)\\\" \
	    $(CFG_$(1)_DFLAGS) -DSHAPE_CONFIG=\\\"$(CFG_$(1)_CASES)\\\" -DSIM_NETS=1" \
	  -LDFLAGS "$(abspath $(SIM_OBJS)) $(abspath $(SIM_LIBS)) -lm $(LDFLAGS)" \
	  || { tail -40 $(SIM_DIR)/obj_$(1)$(2)/build.log; exit 1; }
	@touch $$@
endef
# a rule for every named configuration: make sim runs SIM_SHAPES, the rtl back end's library of
# any configuration links its model (verif/sim/rtllib.mk)
$(foreach s,$(DLP_CONFIGS),$(eval $(call SIM_BUILD_RULE,$(s),,)))
$(foreach s,$(DLP_CONFIGS),$(eval $(call SIM_BUILD_RULE,$(s),_trace,--trace-fst --trace-structs)))

SIM_BINS := $(foreach s,$(SIM_RUN_SHAPES),$(SIM_DIR)/sim_$(s)$(if $(filter 1,$(WAVES)),_trace,))

# The sw/nets networks compiled for each shape: dlpcc with the shape's preset (the harness
# refuses a package whose configuration differs from the core's).
# $(SIM_DIR)/nets/<shape>/<net>.dlpn; dlpcc's output in <net>.log beside it. One pattern rule per
# network, the shape being the stem.
SIM_NETS    := adder4 mlp lenet5 rescnn
SIM_NET_DIR := $(SIM_DIR)/nets
# $(1) network
define SIM_NET_RULE
$(SIM_NET_DIR)/%/$(1).dlpn: sw/nets/$(1)/$(1).txt sw/nets/$(1)/$(1).dlpw $(BUILD)/dlpcc $(SIM_DIR)/shape-%
	@test -n "$$(CFG_$$*)" || { echo "sim: unknown shape $$* (sw/isa/dlp.configs: $(DLP_CONFIGS))"; exit 1; }
	@mkdir -p $$(dir $$@)
	@$(BUILD)/dlpcc sw/nets/$(1)/$(1).txt -w sw/nets/$(1)/$(1).dlpw -o $$@ --config $$* \
	  >$$(basename $$@).log 2>&1 || { cat $$(basename $$@).log; rm -f $$@; exit 1; }
endef
$(foreach n,$(SIM_NETS),$(eval $(call SIM_NET_RULE,$(n))))
SIM_NET_PKGS := $(foreach s,$(SIM_RUN_SHAPES),$(foreach n,$(SIM_NETS),$(SIM_NET_DIR)/$(s)/$(n).dlpn))

# Arguments of every shape's run.
SIM_ARGS := --random $(SIM_RANDOM) --fault $(SIM_FAULT) --stall-random $(SIM_STALL_RANDOM) --fw-build $(BUILD) \
            --work $(SIM_DIR) --nets $(SIM_NET_DIR) $(if $(SIM_NET_SAMPLES),--net-samples $(SIM_NET_SAMPLES)) \
            $(if $(TEST),--test $(TEST)) $(if $(SEED),--seed $(SEED)) \
            $(if $(filter 1,$(WAVES)),--waves WAVES)

.PHONY: sim-build sim-all sim-selftest
sim-build: $(SIM_BINS) $(SIM_FWGENS) $(SIM_NET_PKGS)

sim-all: sim-build
	@mkdir -p $(SIM_DIR)/waves
	@verif/sim/run-sim.sh $(SIM_DIR) "$(SIM_RUN_SHAPES)" "$(if $(filter 1,$(WAVES)),_trace,)" \
	  $(SIM_ARGS)
