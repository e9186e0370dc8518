# SPDX-License-Identifier: Apache-2.0
# OpenDLP -- the Makefile is the menu. `make help` lists the targets.
#
#   make test           every test (installs missing Debian packages first)
#   make test SAN=1     the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make sim            RTL regression against the C model (Verilator)
#   make gen            regenerate ISA/CSR artefacts from sw/isa/dlp.isa and sw/isa/dlp.csr
#   make bench          speed and size figures

SHELL := /bin/bash
# Parallel by default: one job per core (JOBS=1 builds one file at a time; -jN on the command
# line wins). Set in the top-level make only; sub-makes share its jobs through MAKEFLAGS.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
ifeq ($(MAKELEVEL)$(filter -j%,$(MAKEFLAGS)),0)
MAKEFLAGS += -j$(JOBS)
endif
# Verilator's --build runs a make of its own with -j 2; inheriting this make's jobserver through
# MAKEFLAGS (without being a recursive make) would drop it to one job, so it gets none.
VERILATOR ?= env -u MAKEFLAGS -u MFLAGS verilator
.DEFAULT_GOAL := help
# keep intermediate objects (generator .o files) so that rebuilds are incremental
.SECONDARY:

SAN ?= 0
CC ?= gcc
CXX ?= g++
ifeq ($(SAN),1)
  BUILD ?= build/san
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  OPT := -O1
  # leak checking on (LeakSanitizer; a leak makes the program exit 1, which fails its suite)
  export ASAN_OPTIONS := detect_leaks=1$(if $(ASAN_OPTIONS),:$(ASAN_OPTIONS))
else
  BUILD ?= build/rel
  SANFLAGS :=
  OPT := -O2
endif

# Every layer sees the model's and the software's public headers; the tests and the firmware
# generators also see the independent reference and the generators' helpers (below), sw/ and
# cmodel/ do not.
INCLUDES := -Icmodel/include -Isw/include
CFLAGS   := -std=c11 -Wall -Wextra -Werror $(OPT) -g $(SANFLAGS) $(INCLUDES) -D_POSIX_C_SOURCE=200809L
CXXFLAGS := -std=c++17 -Wall -Wextra -Werror $(OPT) -g $(SANFLAGS) $(INCLUDES)
LDFLAGS  := $(SANFLAGS)

# ---- generated ISA / CSR / configuration artefacts ----------------------------------------------
ISAGEN    := build/isagen
ISA_SRC   := sw/isa/dlp.isa sw/isa/dlp.csr
CFGGEN    := build/cfggen
CFG_SRC   := sw/isa/dlp.configs
GENERATED := cmodel/include/dlp_isa_gen.h cmodel/src/dlp_isa_gen.c rtl/dlp_isa_pkg.sv \
             rtl/dlp_decode_check.sv docs/isa.md \
             cmodel/include/dlp_csr_gen.h rtl/dlp_csr_pkg.sv docs/csr.md \
             cmodel/include/dlp_config_gen.h cmodel/src/dlp_config_gen.c rtl/dlp_cfg_pkg.sv rtl/dlp_cfg_check.sv \
             rtl/dlp_configs.mk rtl/dlp_configs.sh docs/configs.md

build/%gen: sw/isa/%gen.c sw/isa/genout.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -O1 -D_POSIX_C_SOURCE=200809L -o $@ $<

# gen_all DIR: every generated file into DIR
gen_all = $(ISAGEN) $(ISA_SRC) $(1) && $(CFGGEN) $(CFG_SRC) $(1)

.PHONY: gen gen-check print-generated
print-generated:
	@echo $(GENERATED)

gen: $(ISAGEN) $(CFGGEN)
	$(call gen_all,.)

# Regenerates into a scratch directory and fails if any committed artefact differs.
# GEN_ROOT (default: the repository) is where the artefacts under test live.
GEN_ROOT ?= .
gen-check: $(ISAGEN) $(CFGGEN)
	@tmp=$$(mktemp -d) && $(call gen_all,$$tmp) && rc=0; \
	for f in $(GENERATED); do \
	  if ! cmp -s $$tmp/$$f $(GEN_ROOT)/$$f; then echo "gen-check: $$f is stale or hand-edited; run 'make gen'"; \
	    diff -u $(GEN_ROOT)/$$f $$tmp/$$f | head -20; rc=1; fi; \
	done; rm -rf $$tmp; \
	if [ $$rc = 0 ]; then echo "gen-check: all $(words $(GENERATED)) generated files are up to date"; fi; \
	exit $$rc

# the named configurations (sw/isa/dlp.configs): shape lists, RTL parameter sets
include rtl/dlp_configs.mk
# the core's file list and the Verilator flag set
include rtl/rtl.mk

# ---- libraries and tools ------------------------------------------------------------------------
MODEL_SRC := $(wildcard cmodel/src/*.c)
MODEL_OBJ := $(MODEL_SRC:%.c=$(BUILD)/%.o)
ASM_SRC   := $(wildcard sw/asm/*.c)
ASM_LIB_SRC := $(ASM_SRC)
ASM_OBJ   := $(ASM_LIB_SRC:%.c=$(BUILD)/%.o)

LIBMODEL := $(BUILD)/libdlpmodel.a
LIBASM   := $(BUILD)/libdlpasm.a

$(BUILD)/verif/%.o $(BUILD)/firmware/%.o: CFLAGS += -Iverif/ref -Ifirmware/common -Isw/axi
$(BUILD)/verif/%.o $(BUILD)/firmware/%.o: CXXFLAGS += -Iverif/ref -Ifirmware/common -Isw/axi

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -MMD -MP -c -o $@ $<

# --version (cmodel/src/version.c): git describe of the checkout, rewritten only when it changes
GIT_DESCRIBE := $(shell git describe --tags --always --dirty 2>/dev/null || echo unknown)
$(BUILD)/git-describe.txt: FORCE
	@mkdir -p $(dir $@); echo '$(GIT_DESCRIBE)' | cmp -s - $@ || echo '$(GIT_DESCRIBE)' >$@
$(BUILD)/cmodel/src/version.o: $(BUILD)/git-describe.txt
$(BUILD)/cmodel/src/version.o: CFLAGS += -DDLP_GIT_DESCRIBE='"$(GIT_DESCRIBE)"'
.PHONY: FORCE
FORCE:

$(LIBMODEL): $(MODEL_OBJ)
	@rm -f $@; ar rcs $@ $^

$(LIBASM): $(ASM_OBJ)
	@rm -f $@; ar rcs $@ $^

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

TOOLS := $(BUILD)/dlpsim $(BUILD)/dlpasm $(BUILD)/dlpdis

$(BUILD)/dlpsim: $(BUILD)/cmodel/tools/dlpsim.o $(LIBASM) $(LIBMODEL)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

$(BUILD)/dlpasm: $(BUILD)/sw/tools/dlpasm.o $(LIBASM) $(LIBMODEL)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

$(BUILD)/dlpdis: $(BUILD)/sw/tools/dlpdis.o $(LIBASM) $(LIBMODEL)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

.PHONY: tools
tools: $(TOOLS)

# ---- GoogleTest unit tests ---------------------------------------------------------------------
UNIT_SRC := $(wildcard verif/unit/*.cc)
UNIT_OBJ := $(UNIT_SRC:%.cc=$(BUILD)/%.o)
UNIT_BIN := $(BUILD)/unit_tests

# ---- software beyond the model: compiler (sw/cc), package format (sw/net), driver (sw/driver) ----
include sw/cc/cc.mk
include sw/driver/driver.mk
include verif/systemc/systemc.mk
include sw/tools/tools.mk
include sw/install.mk
include verif/sim/sim.mk
include verif/sim/waves.mk
include verif/sim/rtllib.mk
include fpga/fpga.mk
include verif/models/models.mk
include verif/fuzz/fuzz.mk
include verif/fault/fault.mk

$(UNIT_BIN): $(UNIT_OBJ) $(BUILD)/verif/ref/tflite_ref.o $(LIBDLP) $(LIBNET) $(LIBASM) $(LIBMODEL)
	$(CXX) $(LDFLAGS) -o $@ $^ -lgtest -lgtest_main -lpthread -lm -ldl

.PHONY: unit
unit: $(UNIT_BIN)
	$(UNIT_BIN)

# ---- firmware programs ---------------------------------------------------------------------------
# firmware/<prog>/<prog>.s is assembled per case by verif/scripts/firmware-tests.sh; its data
# generator and independent reference firmware/<prog>/gen.c is built here.
FW_PROGS := $(patsubst firmware/%/cases,%,$(wildcard firmware/*/cases))
FW_GENS  := $(FW_PROGS:%=$(BUILD)/fw/%-gen)
REF_OBJ  := $(BUILD)/verif/ref/tflite_ref.o
FWGEN_OBJ := $(BUILD)/firmware/common/fwgen.o

$(BUILD)/fw/%-gen: $(BUILD)/firmware/%/gen.o $(FWGEN_OBJ) $(REF_OBJ) $(LIBMODEL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

# ---- RTL block tests (verif/blocks/<block>/block.mk each add a block-<name> target) ----------
BLOCK_TESTS :=
-include $(wildcard verif/blocks/*/block.mk)

.PHONY: blocks
blocks:
	@for t in $(BLOCK_TESTS); do $(MAKE) --no-print-directory -s $$t || echo "FAIL: $$t did not build or run"; done

# ---- lint: verilator -Wall for every shape the regression runs (one PASS/FAIL line each) ---------
# the shapes: CONFIGS_LINT of sw/isa/dlp.configs (rtl/dlp_configs.mk), each with its parameter set
.PHONY: lint
lint:
	@missing=$$(for f in rtl/*.sv; do grep -qx "$$f" $(RTL_F) || echo "$$f"; done); \
	if [ -z "$$missing" ]; then echo "PASS: lint/filelist ($(RTL_F) names every rtl/*.sv)"; \
	else echo "FAIL: lint/filelist: $(RTL_F) does not name" $$missing; fi
	@$(foreach s,$(CONFIGS_LINT),\
	  if out=$$($(VERILATOR) $(VERILATOR_LINT) --top-module dlp_top $(CFG_$(s)_GFLAGS) $(RTL_SV) 2>&1); \
	  then echo "PASS: lint/dlp_top/$(s)"; else echo "FAIL: lint/dlp_top/$(s)"; echo "$$out" | head -20; fi;)

# ---- the two commands ------------------------------------------------------------------------------
.PHONY: deps-test deps-sim build test sim help

deps-test:
	@verif/scripts/install-deps.sh test nets models

deps-sim:
	@verif/scripts/install-deps.sh sim

build: $(ISAGEN) $(CFGGEN) $(TOOLS) $(UNIT_BIN) $(FW_GENS) $(BUILD)/dlpcc $(BUILD)/cc_tests $(BUILD)/dlprun \
    systemc $(FUZZ_REPLAYS)

TEST_SUITES := gen lint unit firmware tokens cli cc nets models install blocks systemc hostile fuzz
# make test-quick: every suite that needs no Verilator build (lint, install's rtl back end and
# the block benches are the slow ones; the unit tests of the rtl back end are left out, not
# skipped: UNIT_NO_RTL=1), not the trained networks' accuracy runs, the
# TFLite model imports (Python packages) or the SystemC platform
QUICK_SUITES := gen unit firmware tokens cli cc hostile fuzz

test: deps-test
	@$(MAKE) --no-print-directory build install-test-prereqs rtl-libs
	@verif/scripts/run-tests.sh $(BUILD) $(TEST_SUITES)

.PHONY: test-quick
test-quick: deps-test
	@$(MAKE) --no-print-directory build
	@UNIT_NO_RTL=1 verif/scripts/run-tests.sh $(BUILD) $(QUICK_SUITES)

# make sim: the RTL regression against the C model (verif/sim/sim.mk, verif/sim/README.md), then
# (unless SHAPE= or TEST= picks a part of it, or FPGA_SIM=0) the FPGA host link in simulation
# (fpga/fpga.mk: libdlp's uart back end driving the Verilated board tops) and the small TFLite
# models on the Verilated core (verif/models/models.mk); one summary line.
FPGA_SIM ?= $(if $(SHAPE)$(TEST),0,1)
sim: deps-sim
	@$(MAKE) --no-print-directory $(TOOLS) $(FW_GENS)
	@mkdir -p $(BUILD)/logs; rc=0; \
	$(MAKE) --no-print-directory sim-all 2>&1 | tee $(BUILD)/logs/sim-cosim.log; \
	[ $${PIPESTATUS[0]} = 0 ] || rc=1; \
	if [ "$(FPGA_SIM)" = 1 ]; then \
	  $(MAKE) --no-print-directory fpga-sim 2>&1 | tee $(BUILD)/logs/sim-fpga.log; \
	  [ $${PIPESTATUS[0]} = 0 ] || rc=1; \
	  $(MAKE) --no-print-directory models-rtl 2>&1 | tee $(BUILD)/logs/sim-models.log; \
	  [ $${PIPESTATUS[0]} = 0 ] || rc=1; \
	  verif/scripts/sum-logs.sh co-simulation=$(BUILD)/logs/sim-cosim.log \
	    host-link=$(BUILD)/logs/sim-fpga.log models-rtl=$(BUILD)/logs/sim-models.log || rc=1; \
	fi; exit $$rc

# make bench: speed and size figures (C model, Verilated core, FPGA reports); not a test
.PHONY: bench
bench: deps-sim deps-test
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory sim-build SHAPE=$(firstword $(CONFIGS_BENCH))
	@$(MAKE) --no-print-directory rtl-lib RTL_SHAPE=16x16
	@verif/scripts/bench.sh $(BUILD) $(CONFIGS_BENCH)

# One line per target a user may want; verif/scripts/cli-tests.sh checks that every .PHONY
# target is listed here (except the internal ones it names).
help:
	@echo "OpenDLP targets (docs/tutorial.md walks through them):"
	@echo "  make test         every test (installs missing packages first); SAN=1 for ASan+UBSan;"
	@echo "                    builds in parallel (JOBS=, default: the number of cores)"
	@echo "  make test-quick   the suites that need no Verilator build and no network runs"
	@echo "  make sim          RTL regression against the C model (SHAPE=, TEST=, SEED=, WAVES=1,"
	@echo "                    SIM_RANDOM=), then the FPGA host link in simulation (FPGA_SIM=0 skips)"
	@echo "  make sim-build    only build the Verilated core of each shape (SHAPE=) and the tests"
	@echo "  make gtkwave      install GTKWave; waves-check: a traced test's save file opens in it"
	@echo "  make bench        speed and size figures (C model, SystemC, Verilated core, FPGA reports)"
	@echo "  make plots        the roofline and utilisation pictures in docs/img (docs/libdlp.md)"
	@echo "  make install      tools, headers, libdlp.a/.so, opendlp.pc, built rtl libraries into"
	@echo "                    PREFIX= (default /usr/local; DESTDIR= too); install-test tries it"
	@echo "  make build        tools, libraries and test programs into $(BUILD)/"
	@echo "  make tools        only dlpsim, dlpasm, dlpdis"
	@echo "  make unit         the GoogleTest unit tests; driver-unit: only libdlp's"
	@echo "  make cc-tests     the network compiler's tests (verif/cc/run.sh)"
	@echo "  make models-test  the TFLite model imports (suite models); models-rtl: some on the RTL"
	@echo "  make rtl-lib      the rtl back end's library for RTL_SHAPE= (a configuration, default"
	@echo "                    16x16; it links make sim's model of it); rtl-libs: all of make sim's"
	@echo "  make lint         verilator -Wall for every array shape"
	@echo "  make blocks       RTL block tests (memories, DMA, MFU, VFU); block-NAME for one"
	@echo "  make gen          regenerate ISA/CSR artefacts from sw/isa/"
	@echo "  make gen-check    fail if a generated file is stale"
	@echo "  make fpga         FPGA bitstream and timing report (BOARD=; docs/fpga.md)"
	@echo "  make fpga-sim     the FPGA host link in simulation"
	@echo "  make fpga-postsynth  the synthesised netlist of a small shape against the C model"
	@echo "  make fpga-report  docs/fpga.md's figures from the last fpga runs"
	@echo "  make fpga-depth   synthesis only: area per module and the longest paths (BOARD=)"
	@echo "  make fpga-lint    verilator -Wall on the board tops; fpga-lint-slang: Yosys/slang"
	@echo "  make deps-test    install what make test needs (also deps-sim, deps-fpga)"
	@echo "  make systemc      the SystemC platform dlp_vp and libdlp's systemc back end (docs/systemc.md)"
	@echo "  make fuzz         libFuzzer targets for FUZZ_SECONDS each (default 60; verif/fuzz/)"
	@echo "                    fuzz-build: only build them; deps-fuzz: install clang for them"
	@echo "  make soak         random and fault programs on every shape for MINUTES (default 10)"
	@echo "  make clean        remove build/"

.PHONY: clean
clean:
	rm -rf build
