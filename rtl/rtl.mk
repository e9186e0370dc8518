# SPDX-License-Identifier: Apache-2.0
# The core's file list and the one Verilator flag set (included by the top Makefile before the
# other .mk files). docs/rtl.md, "Where each fact lives".
#
#   RTL_F            rtl/dlp_core.f: the core's source files, packages first
#   RTL_SV           its entries (paths from the repository root)
#   VERILATOR_FLAGS  every Verilator run: -Wall and --assert (the RTL's assertions run wherever
#                    the RTL runs: lint, block benches, make sim, the rtl back end, host link)
#   VERILATOR_LINT   make lint, the block lints, fpga-lint: warnings are errors
#   VERILATOR_BUILD  a Verilated model built into a program (block benches: warnings are errors)
#   VERILATOR_SIM    the whole core in a long run (make sim, the rtl back end, the host link,
#                    the post-synthesis netlist): optimised C++, warnings logged in build.log
#                    (every shape of these is linted by make lint / fpga-lint) except the
#                    parameter check's (dlp_cfg_check: an illegal configuration stops the build)

VERILATOR ?= verilator
RTL_F  := rtl/dlp_core.f
RTL_SV := $(shell grep -v '^//' $(RTL_F))

# verilator_prune DIR: before Verilator rebuilds a model in DIR, drop the C++ dependency files
# (and their objects) that name a file which no longer exists -- a moved header would otherwise
# stop the build with "No rule to make target" (e.g. after sw/axi/ took verif/common's AXI models)
# (the .d files name their prerequisites relative to DIR). Callers inside $(eval) write $$(call ...).
verilator_prune = ! [ -d $(1) ] || (cd $(1) && for d in *.d; do [ -f "$$d" ] || continue; \
  for f in $$(sed 's/[:\\]/ /g' "$$d"); do case "$$f" in *.o) ;; \
    *) [ -e "$$f" ] || { rm -f "$$d" "$${d%.d}.o"; break; } ;; esac; done; done)

VERILATOR_FLAGS := -Wall --assert
VERILATOR_LINT  := --lint-only $(VERILATOR_FLAGS)
VERILATOR_BUILD := --cc --exe --build -j 2 $(VERILATOR_FLAGS)
VERILATOR_SIM   := $(VERILATOR_BUILD) -Wno-fatal -Werror-USERFATAL -O3 \
                   -MAKEFLAGS "OPT_FAST=-O3 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
