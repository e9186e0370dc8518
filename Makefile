# OpenDLP -- the Makefile is the menu. `make help` lists the targets.
#
#   make test           every test (installs missing Debian packages first)
#   make test SAN=1     the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make sim            RTL regression against the C model (Verilator)
#   make gen            regenerate ISA/CSR artefacts from sw/isa/dlp.isa and sw/isa/dlp.csr
#   make bench          speed and size figures

SHELL := /bin/bash
.DEFAULT_GOAL := help

SAN ?= 0
CC ?= gcc
CXX ?= g++
ifeq ($(SAN),1)
  BUILD ?= build/san
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  OPT := -O1
else
  BUILD ?= build/rel
  SANFLAGS :=
  OPT := -O2
endif

INCLUDES := -Icmodel/include -Isw/include
CFLAGS   := -std=c11 -Wall -Wextra -Werror $(OPT) -g $(SANFLAGS) $(INCLUDES) -D_POSIX_C_SOURCE=200809L
CXXFLAGS := -std=c++17 -Wall -Wextra -Werror $(OPT) -g $(SANFLAGS) $(INCLUDES)
LDFLAGS  := $(SANFLAGS)

# ---- generated ISA / CSR artefacts ------------------------------------------------------------
ISAGEN    := build/isagen
ISA_SRC   := sw/isa/dlp.isa sw/isa/dlp.csr
GENERATED := cmodel/include/dlp_isa_gen.h cmodel/src/dlp_isa_gen.c rtl/dlp_isa_pkg.sv docs/isa.md \
             cmodel/include/dlp_csr_gen.h rtl/dlp_csr_pkg.sv docs/csr.md

$(ISAGEN): sw/isa/isagen.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -O1 -o $@ $<

.PHONY: gen gen-check
gen: $(ISAGEN)
	$(ISAGEN) $(ISA_SRC) .

# Regenerates into a scratch directory and fails if any committed artefact differs.
gen-check: $(ISAGEN)
	@tmp=$$(mktemp -d) && $(ISAGEN) $(ISA_SRC) $$tmp && rc=0; \
	for f in $(GENERATED); do \
	  if ! cmp -s $$tmp/$$f $$f; then echo "gen-check: $$f is stale or hand-edited; run 'make gen'"; \
	    diff -u $$f $$tmp/$$f | head -20; rc=1; fi; \
	done; rm -rf $$tmp; \
	if [ $$rc = 0 ]; then echo "gen-check: all $(words $(GENERATED)) generated files are up to date"; fi; \
	exit $$rc

# ---- libraries and tools ------------------------------------------------------------------------
MODEL_SRC := $(wildcard cmodel/src/*.c)
MODEL_OBJ := $(MODEL_SRC:%.c=$(BUILD)/%.o)
ASM_SRC   := $(wildcard sw/asm/*.c)
ASM_LIB_SRC := $(ASM_SRC)
ASM_OBJ   := $(ASM_LIB_SRC:%.c=$(BUILD)/%.o)

LIBMODEL := $(BUILD)/libdlpmodel.a
LIBASM   := $(BUILD)/libdlpasm.a

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -MMD -MP -c -o $@ $<

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

$(UNIT_BIN): $(UNIT_OBJ) $(LIBASM) $(LIBMODEL)
	$(CXX) $(LDFLAGS) -o $@ $^ -lgtest -lgtest_main -lpthread -lm

.PHONY: unit
unit: $(UNIT_BIN)
	$(UNIT_BIN)
