# SPDX-License-Identifier: Apache-2.0
# Block test of dlp_dma (DMA engine and program fetch) against the C model
# (included by the top Makefile). Lints the DMA for three beat widths, then builds the harness
# for each configuration W-BurstBeats-MaxOutstanding and runs it at DRAM latencies 1 and 24.
BLOCK_TESTS += block-dma

DMA_RTL := $(abspath $(RTL_SV))
DMA_TB_RTL := $(abspath verif/blocks/dma/tb_dma_top.sv)
DMA_TB_CC  := $(abspath verif/blocks/dma/tb_dma.cc)
DMA_CONFIGS := 16-4-4 4-8-2
DMA_CASES ?= 100
DMA_SEEDS ?= 3
dma_cfg = $(word $(1),$(subst -, ,$(2)))

$(BUILD)/blocks/dma-%/Vtb_dma_top: $(DMA_RTL) $(DMA_TB_RTL) $(DMA_TB_CC) sw/axi/axi_dram.h $(LIBMODEL) $(RTL_F)
	@mkdir -p $(dir $@)
	@$(call verilator_prune,$(dir $@))
	$(VERILATOR) $(VERILATOR_BUILD) -O2 --top-module tb_dma_top \
	  -GBeatBytes=$(call dma_cfg,1,$*) -GBurstBeats=$(call dma_cfg,2,$*) \
	  -GMaxOutstanding=$(call dma_cfg,3,$*) \
	  -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O0 OPT_GLOBAL=-O1" \
	  -Mdir $(abspath $(dir $@)) $(DMA_RTL) $(DMA_TB_RTL) $(DMA_TB_CC) \
	  -CFLAGS "-O2 $(SANFLAGS) -DBEAT=$(call dma_cfg,1,$*) -DBURST=$(call dma_cfg,2,$*) -DOUTS=$(call dma_cfg,3,$*) -I$(abspath cmodel/include) -I$(abspath sw/axi)" \
	  -LDFLAGS "$(SANFLAGS) $(abspath $(LIBMODEL)) -lm" >$(dir $@)/build.log 2>&1 \
	  || { cat $(dir $@)/build.log; exit 1; }

.PHONY: block-dma dma-lint
dma-lint:
	@for w in 4 16 64; do \
	  if $(VERILATOR) $(VERILATOR_LINT) --top-module dlp_dma -GBeatBytes=$$w $(DMA_RTL); then \
	    echo "PASS: dma lint -Wall BeatBytes=$$w"; else echo "FAIL: dma lint -Wall BeatBytes=$$w"; exit 1; fi; \
	done

block-dma: dma-lint $(foreach c,$(DMA_CONFIGS),$(BUILD)/blocks/dma-$(c)/Vtb_dma_top)
	@rc=0; for c in $(DMA_CONFIGS); do \
	  $(BUILD)/blocks/dma-$$c/Vtb_dma_top --cases $(DMA_CASES) --seeds $(DMA_SEEDS) --lat 1,24 || rc=1; \
	done; exit $$rc
