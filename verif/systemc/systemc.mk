# SPDX-License-Identifier: Apache-2.0
# The SystemC/TLM-2.0 model of the DLP and its virtual platform (docs/systemc.md).
#
# Included by the top Makefile after sw/driver/driver.mk. SystemC 2.3 comes from Debian's
# libsystemc-dev (verif/scripts/install-deps.sh test).
#
#   $(BUILD)/systemc/dlp_vp             the example platform as a test program (vp_main.cc)
#   $(BUILD)/systemc/libdlp_systemc.so  libdlp's systemc back end (dlprun -d systemc)
#   make systemc                        both

SC_DIR      := $(BUILD)/systemc
SC_CXXFLAGS := $(CXXFLAGS) -Iverif/systemc -Isw/driver $(shell pkg-config --cflags systemc 2>/dev/null)
SC_LIBS     := $(shell pkg-config --libs systemc 2>/dev/null || echo -lsystemc)
SC_MODEL_CC := verif/systemc/dlp_tlm.cc verif/systemc/vp.cc
SC_HDRS     := verif/systemc/dlp_tlm.h verif/systemc/vp.h

$(SC_DIR)/%.o: verif/systemc/%.cc $(SC_HDRS)
	@mkdir -p $(dir $@)
	$(CXX) $(SC_CXXFLAGS) -c -o $@ $<

$(SC_DIR)/dlp_vp: $(SC_DIR)/vp_main.o $(SC_MODEL_CC:verif/systemc/%.cc=$(SC_DIR)/%.o) $(LIBDLP) \
    $(DLPRUN_NET_OBJ) $(LIBMODEL)
	$(CXX) $(LDFLAGS) -o $@ $^ $(SC_LIBS) $(DRIVER_LDLIBS) -lpthread

# The shared library carries its own position-independent copy of the C model.
SC_PIC_OBJ := $(MODEL_SRC:%.c=$(SC_DIR)/pic/%.o) \
              $(addprefix $(SC_DIR)/pic/,$(notdir $(SC_MODEL_CC:.cc=.o)) backend_systemc.o)

$(SC_DIR)/pic/cmodel/src/%.o: cmodel/src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -c -o $@ $<

$(SC_DIR)/pic/%.o: verif/systemc/%.cc $(SC_HDRS) sw/driver/internal.h
	@mkdir -p $(dir $@)
	$(CXX) $(SC_CXXFLAGS) -fPIC -c -o $@ $<

$(SC_DIR)/libdlp_systemc.so: $(SC_PIC_OBJ)
	$(CXX) -shared $(LDFLAGS) -o $@ $^ $(SC_LIBS) -lpthread

.PHONY: systemc
systemc: $(SC_DIR)/dlp_vp $(SC_DIR)/libdlp_systemc.so
