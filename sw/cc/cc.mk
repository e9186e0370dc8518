# SPDX-License-Identifier: Apache-2.0
# dlpcc (the network compiler), the .dlpn package reader/writer and their tests.
#
# Included from the top Makefile after LIBMODEL/LIBASM are defined (include sw/cc/cc.mk).
# It uses BUILD, CC, CXX, CFLAGS, CXXFLAGS, LDFLAGS, LIBMODEL, LIBASM and
# $(BUILD)/verif/ref/tflite_ref.o, and defines:
#     $(LIBNET)         libdlpnet.a: dlp_net_parse/read_file/write_file (sw/net/, for libdlp too)
#     $(LIBCC)          libdlpcc.a: the compiler (sw/cc/)
#     $(BUILD)/dlpcc    the command-line tool
#     $(BUILD)/cc_tests the compiler's GoogleTest binary (verif/cc/*.cc)
#     cc-tests          runs verif/cc/run.sh (PASS:/FAIL: lines and "N passed, M failed")

LIBNET   := $(BUILD)/libdlpnet.a
LIBCC    := $(BUILD)/libdlpcc.a
NET_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(wildcard sw/net/*.c))
CC_OBJ   := $(patsubst %.c,$(BUILD)/%.o,$(wildcard sw/cc/*.c))
CCT_OBJ  := $(patsubst %.cc,$(BUILD)/%.o,$(wildcard verif/cc/*.cc))

$(LIBNET): $(NET_OBJ)
	@rm -f $@; ar rcs $@ $^

$(LIBCC): $(CC_OBJ)
	@rm -f $@; ar rcs $@ $^

$(BUILD)/sw/tools/dlpcc.o: CFLAGS += -Isw/cc
$(CCT_OBJ): CXXFLAGS += -Isw/cc

$(BUILD)/dlpcc: $(BUILD)/sw/tools/dlpcc.o $(LIBCC) $(LIBNET) $(LIBASM) $(LIBMODEL)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

$(BUILD)/cc_tests: $(CCT_OBJ) $(BUILD)/verif/ref/tflite_ref.o $(LIBCC) $(LIBNET) $(LIBASM) $(LIBMODEL)
	$(CXX) $(LDFLAGS) -o $@ $^ -lgtest -lgtest_main -lpthread -lm

.PHONY: cc-tests
cc-tests: $(BUILD)/dlpcc $(BUILD)/cc_tests $(BUILD)/dlpsim
	@verif/cc/run.sh $(BUILD)
