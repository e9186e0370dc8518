# SPDX-License-Identifier: Apache-2.0
# dlpplot and the pictures in docs/img (docs/libdlp.md, "Pictures").
#
# Included by the top Makefile after sw/driver/driver.mk:
#   $(BUILD)/dlpplot      roofline and per-layer utilisation SVGs from `dlprun --json`
#   make plots            regenerates docs/img/*.json and *.svg for PLOT_NETS on the C model

$(BUILD)/dlpplot: $(BUILD)/sw/tools/dlpplot.o $(LIBMODEL)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

build: $(BUILD)/dlpplot

.PHONY: plots
plots: $(BUILD)/dlpcc $(BUILD)/dlprun $(BUILD)/dlpplot
	@verif/scripts/plots.sh $(BUILD) docs/img
