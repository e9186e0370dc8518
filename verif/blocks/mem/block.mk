# SPDX-License-Identifier: Apache-2.0
# Block test of dlp_banked_mem (included by the top Makefile).
# Three port-width pairs: 16/64 (WRAM-like), 4/16 and 1/8; and split in halves with port C
# (A/B/C widths 16/16/16 like the NRAM, 16/16/64 like the WRAM).
BLOCK_TESTS += block-mem

MEM_RTL := $(abspath $(RTL_SV))

$(BUILD)/blocks/mem-%/Vdlp_banked_mem: $(MEM_RTL) $(RTL_F) verif/blocks/mem/tb_banked_mem.cc
	@mkdir -p $(dir $@)
	$(VERILATOR) $(VERILATOR_BUILD) -O2 --top-module dlp_banked_mem \
	  -GElems=4096 -GPortAElems=$(word 1,$(subst -, ,$*)) -GPortBElems=$(word 2,$(subst -, ,$*)) \
	  $(if $(word 3,$(subst -, ,$*)),-GPortCElems=$(word 3,$(subst -, ,$*)) -GHalves=1\'b1) \
	  -Mdir $(dir $@) $(MEM_RTL) $(abspath verif/blocks/mem/tb_banked_mem.cc) \
	  -CFLAGS "-DELEMS=4096 -DPA=$(word 1,$(subst -, ,$*)) -DPB=$(word 2,$(subst -, ,$*)) $(if $(word 3,$(subst -, ,$*)),-DPC=$(word 3,$(subst -, ,$*)) -DHALVES=1)" >$(dir $@)/build.log 2>&1 \
	  || { cat $(dir $@)/build.log; exit 1; }

.PHONY: block-mem
block-mem: $(BUILD)/blocks/mem-16-64/Vdlp_banked_mem $(BUILD)/blocks/mem-4-16/Vdlp_banked_mem $(BUILD)/blocks/mem-1-8/Vdlp_banked_mem \
           $(BUILD)/blocks/mem-16-16-16/Vdlp_banked_mem $(BUILD)/blocks/mem-16-16-64/Vdlp_banked_mem
	@for b in $^; do $$b; done
