# libdlp (the host driver), dlprun, and the rtl back end's shared library.
#
# Included by the top Makefile after LIBMODEL and LIBASM are defined:
#     include sw/driver/driver.mk
# Uses BUILD, CC, CXX, CFLAGS, CXXFLAGS, LDFLAGS, LIBMODEL, LIBASM (and VERILATOR, default
# `verilator`).
#
#   $(LIBDLP)                   libdlp.a: the driver, the cmodel back end, the rtl loader
#   $(BUILD)/dlprun             runs compiled networks (.dlpn); needs sw/net/net.c's reader
#   make rtl-lib [RTL_SHAPE=16x16]   $(BUILD)/rtl/libdlp_rtl_<shape>.so: the Verilated core as
#                               the rtl back end (loaded at run time by dlpd_open("rtl:..."))
#   make driver-unit            only the driver's GoogleTests ($(BUILD)/driver_tests)

DRIVER_SRC := $(wildcard sw/driver/*.c)
DRIVER_OBJ := $(DRIVER_SRC:%.c=$(BUILD)/%.o)
LIBDLP     := $(BUILD)/libdlp.a

$(LIBDLP): $(DRIVER_OBJ)
	@rm -f $@; ar rcs $@ $^

# dlopen lives in libc from glibc 2.34; -ldl keeps older systems linking.
DRIVER_LDLIBS := -lm -ldl

# dlprun reads packages with dlp_net_read_file (sw/net/, the compiler's side of dlp_net.h). Its
# objects are named directly, so that this file does not depend on sw/cc/cc.mk's LIBNET.
DLPRUN_NET_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard sw/net/*.c))

$(BUILD)/dlprun: $(BUILD)/sw/tools/dlprun.o $(LIBDLP) $(DLPRUN_NET_OBJ) $(LIBMODEL)
	$(CC) $(LDFLAGS) -o $@ $^ $(DRIVER_LDLIBS)

# ---- the driver's unit tests alone (make unit runs them with every other suite) ----------------
DRIVER_UNIT_OBJ := $(patsubst %.cc,$(BUILD)/%.o,$(wildcard verif/unit/test_driver*.cc))

$(BUILD)/driver_tests: $(DRIVER_UNIT_OBJ) $(LIBDLP) $(DLPRUN_NET_OBJ) $(LIBASM) $(LIBMODEL)
	$(CXX) $(LDFLAGS) -o $@ $^ -lgtest -lgtest_main -lpthread $(DRIVER_LDLIBS)

.PHONY: driver-unit
driver-unit: $(BUILD)/driver_tests
	$(BUILD)/driver_tests

# ---- the rtl back end: one shared library per array shape --------------------------------------
# Shapes: the configurations marked `rtllib` in sw/isa/dlp.configs (CONFIGS_RTLLIB of the
# generated rtl/dlp_configs.mk), each built with its parameter set (the library reads the values
# back from CAP0..CAP3 like any host).
RTL_SHAPE ?= 16x16
RTL_LIB_DIR := $(BUILD)/rtl
RTL_LIB_CC   := sw/driver/backend_rtl.cc sw/axi/host_axil.cc

$(RTL_LIB_DIR)/libdlp_rtl_%.so: $(RTL_SV) $(RTL_F) rtl/dlp_configs.mk $(RTL_LIB_CC) sw/axi/axi_dram.h \
    sw/axi/host_axil.h sw/driver/internal.h sw/include/dlp_driver.h
	@test -n "$(filter $*,$(CONFIGS_RTLLIB))" || { echo "rtl-lib: unknown shape $* ($(CONFIGS_RTLLIB))"; exit 1; }
	@mkdir -p $(RTL_LIB_DIR)/obj_$*
	@$(call verilator_prune,$(RTL_LIB_DIR)/obj_$*)
	@echo "rtl-lib: verilating dlp_top $* (log $(RTL_LIB_DIR)/obj_$*/build.log)"
	@$(VERILATOR) $(VERILATOR_SIM) --top-module dlp_top \
	  $(CFG_$*_GFLAGS) \
	  -Mdir $(abspath $(RTL_LIB_DIR)/obj_$*) -o $(abspath $@) \
	  $(abspath $(RTL_SV)) $(abspath $(RTL_LIB_CC)) \
	  -CFLAGS "-std=c++17 -O2 -fPIC $(LDFLAGS) -I$(abspath cmodel/include) \
	    -I$(abspath sw/include) -I$(abspath sw/driver) -I$(abspath sw/axi) \
	    -DRTL_SHAPE_NAME=\\\"$*\\\"" \
	  -LDFLAGS "-shared $(LDFLAGS)" \
	  >$(RTL_LIB_DIR)/obj_$*/build.log 2>&1 \
	  || { tail -30 $(RTL_LIB_DIR)/obj_$*/build.log; exit 1; }

.PHONY: rtl-lib rtl-libs
rtl-lib: $(RTL_LIB_DIR)/libdlp_rtl_$(RTL_SHAPE).so
# every rtl back-end library (the driver's tests run on 16x16, 4x4 and 8x16 of them); make test
# builds them, so that those tests run rather than skip
rtl-libs: $(CONFIGS_RTLLIB:%=$(RTL_LIB_DIR)/libdlp_rtl_%.so)
