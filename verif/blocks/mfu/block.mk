# SPDX-License-Identifier: Apache-2.0
# Block test of dlp_mfu (included by the top Makefile): `make block-mfu`.
# Every shape in MFU_LINT_SHAPES is linted with -Wall; every shape in MFU_SHAPES is simulated
# (tb_mfu.sv + tb_mfu.cc, cross-checked against the C model library) and prints PASS:/FAIL: lines.
BLOCK_TESTS += block-mfu

MFU_RTL    := $(abspath $(RTL_SV))
MFU_TB_RTL := $(abspath verif/blocks/mfu/tb_mfu.sv)
MFU_TB_CC  := $(abspath verif/blocks/mfu/tb_mfu.cc)
# shapes RowsxCols
MFU_SHAPES      := 16x16 4x4 8x16 5x3 1x1
MFU_LINT_SHAPES := $(MFU_SHAPES) 64x64 64x1 1x64 3x7 32x8
# memories (NRAM bytes, WRAM bytes, ACC elements); 4x4 gets 64 KiB to run K = 65535
mfu_mem = $(if $(filter 4x4,$(1)),65536 65536 4096,8192 8192 4096)
mfu_r   = $(word 1,$(subst x, ,$(1)))
mfu_c   = $(word 2,$(subst x, ,$(1)))

$(BUILD)/blocks/mfu-%/Vtb_mfu: $(MFU_RTL) $(MFU_TB_RTL) $(MFU_TB_CC) $(LIBMODEL) $(RTL_F) verif/blocks/mfu/block.mk
	@mkdir -p $(dir $@)
	@$(VERILATOR) $(VERILATOR_BUILD) -O3 --top-module tb_mfu \
	  -GRows=$(call mfu_r,$*) -GCols=$(call mfu_c,$*) \
	  -GNramBytes=$(word 1,$(call mfu_mem,$*)) -GWramBytes=$(word 2,$(call mfu_mem,$*)) \
	  -GAccElems=$(word 3,$(call mfu_mem,$*)) \
	  -Mdir $(abspath $(dir $@)) $(MFU_RTL) $(MFU_TB_RTL) $(MFU_TB_CC) $(abspath $(LIBMODEL)) \
	  -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1" \
	  -CFLAGS "-I$(abspath cmodel/include) -DROWS=$(call mfu_r,$*) -DCOLS=$(call mfu_c,$*) \
	    -DNRAMB=$(word 1,$(call mfu_mem,$*)) -DWRAMB=$(word 2,$(call mfu_mem,$*)) \
	    -DACCE=$(word 3,$(call mfu_mem,$*)) $(SANFLAGS)" $(if $(SANFLAGS),-LDFLAGS "$(SANFLAGS)") \
	  >$(dir $@)/build.log 2>&1 || { cat $(dir $@)/build.log; exit 1; }

.PHONY: block-mfu lint-mfu
lint-mfu:
	@for s in $(MFU_LINT_SHAPES); do \
	  r=$${s%x*}; c=$${s#*x}; \
	  if $(VERILATOR) $(VERILATOR_LINT) -GRows=$$r -GCols=$$c --top-module dlp_mfu $(MFU_RTL); then \
	    echo "PASS: mfu/$$s lint (verilator -Wall)"; else echo "FAIL: mfu/$$s lint (verilator -Wall)"; fi; \
	done

block-mfu: lint-mfu $(foreach s,$(MFU_SHAPES),$(BUILD)/blocks/mfu-$(s)/Vtb_mfu)
	@rc=0; for s in $(MFU_SHAPES); do $(BUILD)/blocks/mfu-$$s/Vtb_mfu || rc=1; done; exit $$rc
