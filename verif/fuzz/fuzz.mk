# SPDX-License-Identifier: Apache-2.0
# Fuzzing (issue 17): libFuzzer targets for the assembler, the program loader and disassembler,
# the C model on arbitrary instruction words, the network description parser, the weight file
# reader and the package reader. Included by the top Makefile after the library rules.
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="asm model"]
#       builds each target with clang-14 (-fsanitize=fuzzer,address,undefined; installed by
#       verif/scripts/install-deps.sh fuzz) into build/fuzz/, runs it for FUZZ_SECONDS on a copy
#       of its corpus (verif/fuzz/corpus/<target>/, which it grows in build/fuzz/work/), and prints
#       per target the executions, new corpus entries and findings; one total line at the end.
#       A finding (a crash, a leak, an oracle failure, a time-out, too much memory) is saved as
#       build/fuzz/findings/<target>/crash-*: copy it into verif/fuzz/corpus/<target>/ with the fix,
#       so that make test replays it from then on.
#   $(BUILD)/fuzz/replay_<target>  replays files through the same target without libFuzzer (the
#       `fuzz` suite of make test runs every committed corpus file; with SAN=1 under ASan/UBSan)
FUZZ_TARGETS ?= asm loader model desc weights package
FUZZ_SECONDS ?= 60
FUZZ_DIR     := build/fuzz
FUZZ_CLANG   ?= clang-14
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# the libraries each target needs (package: the driver's checks on a C-model device)
FUZZ_LIBS_asm     = $(LIBASM) $(LIBMODEL)
FUZZ_LIBS_loader  = $(LIBASM) $(LIBMODEL)
FUZZ_LIBS_model   = $(LIBASM) $(LIBMODEL)
FUZZ_LIBS_desc    = $(LIBCC) $(LIBNET) $(LIBASM) $(LIBMODEL)
FUZZ_LIBS_weights = $(LIBCC) $(LIBNET) $(LIBASM) $(LIBMODEL)
FUZZ_LIBS_package = $(LIBDLP) $(LIBNET) $(LIBASM) $(LIBMODEL)

# static pattern rules (for the listed targets only: a pattern rule here would let make's
# built-in link rule "remake" the dependency files replay_<target>.d from replay_<target>.d.o)
$(BUILD)/verif/fuzz/%.o: CFLAGS += -Isw/cc -Iverif/fuzz
FUZZ_REPLAY_OBJS := $(FUZZ_TARGETS:%=$(BUILD)/verif/fuzz/replay_%.o)
$(FUZZ_REPLAY_OBJS): $(BUILD)/verif/fuzz/replay_%.o: verif/fuzz/replay.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DFUZZ_TARGET=\"$*\" -MMD -MP -c -o $@ $<

FUZZ_REPLAYS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
.SECONDEXPANSION:
$(FUZZ_REPLAYS): $(BUILD)/fuzz/replay_%: $(BUILD)/verif/fuzz/replay_%.o $(BUILD)/verif/fuzz/fuzz_%.o \
    $$(FUZZ_LIBS_$$*)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm -ldl

# the libFuzzer binaries: the libraries and targets rebuilt by clang in build/fuzz with the
# fuzzer's coverage instrumentation, then linked with libFuzzer's main
.PHONY: fuzz fuzz-build deps-fuzz
deps-fuzz:
	@verif/scripts/install-deps.sh fuzz

$(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%): $(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/verif/fuzz/fuzz_%.o $$(FUZZ_LIBS_$$*)
	$(FUZZ_CLANG) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ -lm -ldl

fuzz-build: deps-fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_DIR) CC=$(FUZZ_CLANG) SAN=1 \
	  SANFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" OPT=-O1 \
	  $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

fuzz: fuzz-build
	@verif/fuzz/run-fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
