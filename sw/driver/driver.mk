# SPDX-License-Identifier: Apache-2.0
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

# ---- the rtl back end: one shared library per configuration ---------------------------------------
# built by verif/sim/rtllib.mk from the make sim bench's Verilated model of that configuration
RTL_SHAPE ?= 16x16
RTL_LIB_DIR := $(BUILD)/rtl
