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
