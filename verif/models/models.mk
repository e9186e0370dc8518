# SPDX-License-Identifier: Apache-2.0
# The model suite (docs/import.md): TFLite int8 models imported by dlpcc, run on the C model
# and compared tensor by tensor with TFLite's reference kernels.
#
# Included by the top Makefile after sw/driver/driver.mk (uses LIBDLP, DLPRUN_NET_OBJ,
# DRIVER_LDLIBS, LIBMODEL):
#     $(BUILD)/modelrun   runs a package and writes every layer's output (verif/models/)
#     make models-test    the suite alone (run-tests.sh suite `models`)

$(BUILD)/modelrun: $(BUILD)/verif/models/modelrun.o $(LIBDLP) $(DLPRUN_NET_OBJ) $(LIBMODEL)
	$(CC) $(LDFLAGS) -o $@ $^ $(DRIVER_LDLIBS)

build: $(BUILD)/modelrun

.PHONY: models-test
models-test: $(BUILD)/dlpcc $(BUILD)/modelrun
	@verif/scripts/run-tests.sh $(BUILD) models

# make bench: the functional C model's speed on ResNet-50 (verif/scripts/bench.sh)
$(BUILD)/netbench: $(BUILD)/verif/models/netbench.o $(LIBDLP) $(DLPRUN_NET_OBJ) $(LIBMODEL)
	$(CC) $(LDFLAGS) -o $@ $^ $(DRIVER_LDLIBS)

build: $(BUILD)/netbench

# make sim (with FPGA_SIM=1, the full run): the small models of the suite on the Verilated core
# through libdlp's rtl back end (the same comparison with TFLite as on the C model; rtl-lib
# links make sim's model of the shape into a shared library, verif/sim/rtllib.mk)
MODELS_RTL ?= mlp acts rescnn
.PHONY: models-rtl
models-rtl: $(BUILD)/dlpcc $(BUILD)/modelrun
	@$(MAKE) --no-print-directory rtl-lib RTL_SHAPE=16x16
	@verif/scripts/install-deps.sh models
	@python3 verif/models/check_models.py $(BUILD) --samples 3 --device rtl:shape=16x16 \
	  --tag models-rtl $(MODELS_RTL) >$(BUILD)/logs/models-rtl.detail 2>&1; \
	grep -E '^(PASS|FAIL): ' $(BUILD)/logs/models-rtl.detail; \
	p=$$(grep -c '^PASS: ' $(BUILD)/logs/models-rtl.detail); \
	f=$$(grep -c '^FAIL: ' $(BUILD)/logs/models-rtl.detail); \
	[ "$$p" != 0 ] || f=$$((f + 1)); echo "$$p passed, $$f failed"; [ "$$f" = 0 ]
