# SPDX-License-Identifier: Apache-2.0
# make install PREFIX=... (default /usr/local; DESTDIR= for staging): the tools, one include
# directory, libdlp as a static and a shared library (soname libdlp.so.$(DLP_SO_MAJOR)) holding
# the driver, the C model, the program and package readers and the assembler, opendlp.pc, and
# the rtl back end's libraries that have been built (make rtl-lib RTL_SHAPE=...).
#
#   $(PREFIX)/bin/                 dlpasm dlpdis dlpsim dlpcc dlprun dlpplot
#   $(PREFIX)/include/opendlp/     dlp_driver.h (libdlp), dlp.h (C model), dlp_asm.h, ...
#   $(PREFIX)/lib/                 libdlp.a, libdlp.so.$(DLP_SO_VERSION) (+ links), pkgconfig/opendlp.pc
#   $(PREFIX)/lib/opendlp/rtl/     libdlp_rtl_<shape>.so (found by the rtl back end, docs/libdlp.md)
#
# Included by the top Makefile after sw/driver/driver.mk and sw/tools/tools.mk.

PREFIX ?= /usr/local
DESTDIR ?=
# The shared library's ABI version: raise the major number when dlp_driver.h or dlp.h changes
# incompatibly (a struct grows, a signature changes).
DLP_SO_MAJOR := 1
DLP_SO_VERSION := $(DLP_SO_MAJOR).0.0

INSTALL_TOOLS := $(TOOLS) $(BUILD)/dlpcc $(BUILD)/dlprun $(BUILD)/dlpplot
INSTALL_HDRS := $(wildcard cmodel/include/*.h) $(wildcard sw/include/*.h)
LIBDLP_FULL_SRC := $(DRIVER_SRC) $(MODEL_SRC) $(ASM_SRC) $(wildcard sw/net/*.c)
LIBDLP_FULL_A := $(BUILD)/lib/libdlp.a
LIBDLP_SO := $(BUILD)/lib/libdlp.so.$(DLP_SO_VERSION)

# position-independent copies of the objects for the shared library
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -fvisibility=default -MMD -MP -c -o $@ $<
$(BUILD)/pic/cmodel/src/version.o: $(BUILD)/git-describe.txt
$(BUILD)/pic/cmodel/src/version.o: CFLAGS += -DDLP_GIT_DESCRIBE='"$(GIT_DESCRIBE)"'

$(LIBDLP_FULL_A): $(LIBDLP_FULL_SRC:%.c=$(BUILD)/%.o)
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^

$(LIBDLP_SO): $(LIBDLP_FULL_SRC:%.c=$(BUILD)/pic/%.o)
	@mkdir -p $(dir $@)
	$(CC) -shared $(LDFLAGS) -Wl,-soname,libdlp.so.$(DLP_SO_MAJOR) -o $@ $^ -lm -ldl

.PHONY: install install-libs
install-libs: $(LIBDLP_FULL_A) $(LIBDLP_SO)

install: $(INSTALL_TOOLS) install-libs
	@d=$(DESTDIR)$(PREFIX); \
	install -d $$d/bin $$d/include/opendlp $$d/lib/pkgconfig $$d/lib/opendlp/rtl && \
	install -m 755 $(INSTALL_TOOLS) $$d/bin/ && \
	install -m 644 $(INSTALL_HDRS) $$d/include/opendlp/ && \
	install -m 644 $(LIBDLP_FULL_A) $$d/lib/ && \
	install -m 755 $(LIBDLP_SO) $$d/lib/ && \
	ln -sf libdlp.so.$(DLP_SO_VERSION) $$d/lib/libdlp.so.$(DLP_SO_MAJOR) && \
	ln -sf libdlp.so.$(DLP_SO_MAJOR) $$d/lib/libdlp.so && \
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(GIT_DESCRIBE)|' sw/opendlp.pc.in \
	  >$$d/lib/pkgconfig/opendlp.pc && \
	n=0; for so in $(RTL_LIB_DIR)/libdlp_rtl_*.so; do [ -e "$$so" ] || continue; \
	  install -m 755 "$$so" $$d/lib/opendlp/rtl/; n=$$((n+1)); done; \
	echo "install: $$d: $(words $(INSTALL_TOOLS)) tools, $(words $(INSTALL_HDRS)) headers, libdlp.a," \
	  "libdlp.so.$(DLP_SO_VERSION), opendlp.pc, $$n rtl back-end libraries"

# The install test of make test (suite `install`): installs into a temporary prefix and builds
# and runs examples/ with only what was installed, on the cmodel and on the rtl back end of
# INSTALL_TEST_SHAPE (the smallest shape: the quickest to Verilate).
INSTALL_TEST_SHAPE := 4x4
.PHONY: install-test install-test-prereqs
install-test-prereqs: $(INSTALL_TOOLS) install-libs $(RTL_LIB_DIR)/libdlp_rtl_$(INSTALL_TEST_SHAPE).so
install-test: install-test-prereqs
	@EXAMPLE_CFLAGS='$(SANFLAGS)' verif/scripts/install-test.sh $(BUILD) $(INSTALL_TEST_SHAPE)
