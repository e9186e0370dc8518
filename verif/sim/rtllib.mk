# SPDX-License-Identifier: Apache-2.0
# The rtl back end's library of a configuration, $(RTL_LIB_DIR)/libdlp_rtl_<name>.so (loaded by
# sw/driver/rtl_loader.c): sw/driver/backend_rtl.cc and the AXI-Lite host linked with the make sim
# bench's Verilated model of that configuration -- the objects in $(SIM_DIR)/obj_<name>, built
# once per shape for both (position-independent). Any named configuration (docs/configs.md).
# Included by the top Makefile after verif/sim/sim.mk.
#   make rtl-lib [RTL_SHAPE=16x16]
#   make rtl-libs                    every configuration marked rtllib in sw/isa/dlp.configs

RTL_LIB_CC := sw/driver/backend_rtl.cc sw/axi/host_axil.cc
VERILATOR_ROOT_DIR := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)

$(RTL_LIB_DIR)/libdlp_rtl_%.so: $(SIM_DIR)/sim_% $(RTL_LIB_CC) sw/axi/axi_dram.h \
    sw/axi/host_axil.h sw/driver/internal.h sw/include/dlp_driver.h
	@mkdir -p $(RTL_LIB_DIR)
	@echo "rtl-lib: $@ (the bench's model of $*)"
	@$(CXX) -shared -fPIC -std=c++17 -O2 $(SANFLAGS) -faligned-new -DVM_COVERAGE=0 -DVM_SC=0 \
	  -DVM_TRACE=0 -DVM_TRACE_FST=0 -DVM_TRACE_VCD=0 -I$(SIM_DIR)/obj_$* \
	  -I$(VERILATOR_ROOT_DIR)/include -I$(VERILATOR_ROOT_DIR)/include/vltstd -Icmodel/include \
	  -Isw/include -Isw/driver -Isw/axi -DRTL_SHAPE_NAME=\"$*\" -o $@ $(RTL_LIB_CC) \
	  $(SIM_DIR)/obj_$*/Vdlp_top__ALL.a $(SIM_DIR)/obj_$*/verilated.o \
	  $(SIM_DIR)/obj_$*/verilated_threads.o -pthread -latomic

.PHONY: rtl-lib rtl-libs
rtl-lib: $(RTL_LIB_DIR)/libdlp_rtl_$(RTL_SHAPE).so
rtl-libs: $(CONFIGS_RTLLIB:%=$(RTL_LIB_DIR)/libdlp_rtl_%.so)
