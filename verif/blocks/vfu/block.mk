# SPDX-License-Identifier: Apache-2.0
# Block tests of the vector unit (included by the top Makefile):
#   - dlp_requant against dlp_mbqm/dlp_requant (millions of random and edge inputs);
#   - dlp_vfu with V = 16, 4 and 8 lanes against the C model (random instruction sequences);
#   - verilator --lint-only -Wall of dlp_vfu for every lane count claimed here, plus 1, 3 and 64.
BLOCK_TESTS += block-vfu

VFU_LANES := 16 4 8
VFU_LINT_LANES := 16 4 8 1 3 64
VFU_RTL   := $(abspath $(RTL_SV))
VFU_MEMS  := -GNramBytes=16384 -GWramBytes=8192 -GAccElems=4096
VFU_MEMD  := -DNRAM_BYTES=16384 -DWRAM_BYTES=8192 -DACC_ELEMS=4096
# the one flag set, plus X values at random (unique) where the RTL leaves them to the tool
VFU_VFLAGS := $(VERILATOR_BUILD) -O2 --x-assign unique --x-initial unique
VFU_CFLAGS := -O1 $(SANFLAGS) -I$(abspath cmodel/include)

$(BUILD)/blocks/vfu-requant/Vdlp_requant: $(VFU_RTL) $(RTL_F) verif/blocks/vfu/tb_requant.cc $(LIBMODEL)
	@mkdir -p $(dir $@)
	$(VERILATOR) $(VFU_VFLAGS) --top-module dlp_requant -Mdir $(dir $@) \
	  $(VFU_RTL) $(abspath verif/blocks/vfu/tb_requant.cc) \
	  -CFLAGS "$(VFU_CFLAGS)" -LDFLAGS "$(SANFLAGS) $(abspath $(LIBMODEL))" >$(dir $@)/build.log 2>&1 \
	  || { cat $(dir $@)/build.log; exit 1; }

$(BUILD)/blocks/vfu-%/Vdlp_vfu: $(VFU_RTL) $(RTL_F) verif/blocks/vfu/tb_vfu.cc $(LIBMODEL)
	@mkdir -p $(dir $@)
	$(VERILATOR) $(VFU_VFLAGS) --top-module dlp_vfu -GVLanes=$* $(VFU_MEMS) -Mdir $(dir $@) \
	  $(VFU_RTL) $(abspath verif/blocks/vfu/tb_vfu.cc) \
	  -CFLAGS "$(VFU_CFLAGS) -DVL=$* $(VFU_MEMD)" -LDFLAGS "$(SANFLAGS) $(abspath $(LIBMODEL))" >$(dir $@)/build.log 2>&1 \
	  || { cat $(dir $@)/build.log; exit 1; }

.PHONY: block-vfu block-vfu-lint
block-vfu-lint:
	@for v in $(VFU_LINT_LANES); do \
	  if $(VERILATOR) $(VERILATOR_LINT) --top-module dlp_vfu -GVLanes=$$v $(VFU_RTL) >/dev/null 2>&1; \
	  then echo "PASS: vfu lint verilator -Wall VLanes=$$v"; \
	  else echo "FAIL: vfu lint verilator -Wall VLanes=$$v"; \
	       $(VERILATOR) $(VERILATOR_LINT) --top-module dlp_vfu -GVLanes=$$v $(VFU_RTL) 2>&1 | head -20; fi; \
	done

block-vfu: block-vfu-lint $(BUILD)/blocks/vfu-requant/Vdlp_requant $(VFU_LANES:%=$(BUILD)/blocks/vfu-%/Vdlp_vfu)
	@rc=0; for b in $(filter %Vdlp_requant %Vdlp_vfu,$^); do $$b || rc=1; done; exit $$rc
