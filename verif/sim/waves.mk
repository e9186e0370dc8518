# SPDX-License-Identifier: Apache-2.0
# Waveforms (docs/tutorial.md, "Waveforms"): make sim TEST=... WAVES=1 writes an FST and a
# GTKWave save file per test (verif/sim/gtkw.cc). Included by the top Makefile after sim.mk.
#   make gtkwave        installs GTKWave (and xvfb, for the headless check below)
#   make waves-check    one traced test on WAVES_CHECK_SHAPE, then GTKWave opens its save file
#                       and must find every signal and the MFU, scheduler, VFU-lane, DMA groups
WAVES_CHECK_SHAPE ?= 4x4
WAVES_CHECK_TEST ?= dir/mm

.PHONY: gtkwave waves-check
gtkwave:
	@verif/scripts/install-deps.sh waves

waves-check: gtkwave
	@rm -f $(SIM_DIR)/waves/$(WAVES_CHECK_SHAPE)/*.gtkw
	@$(MAKE) --no-print-directory sim SHAPE=$(WAVES_CHECK_SHAPE) TEST=$(WAVES_CHECK_TEST) WAVES=1
	@verif/sim/check-gtkw.sh $(SIM_DIR)/waves/$(WAVES_CHECK_SHAPE)/*.gtkw
