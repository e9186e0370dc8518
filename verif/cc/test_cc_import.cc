// SPDX-License-Identifier: Apache-2.0
// TFLite import (sw/cc/import_tflite.c, fbs.c): the committed models import; float, uint8 and
// malformed models are refused with a message naming the problem; every truncation and random
// corruption of the models returns (an error or a network) and never crashes or hangs -- run
// under AddressSanitizer/UBSan by `make test SAN=1`. Whether the imported networks compute what
// TFLite computes is the model suite's job (verif/models/check_models.py).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cc.h"
#include "tflite_ref.h"

namespace {

const char *kModels[] = {"mlp", "lenet5", "rescnn", "mbv2", "acts"};

std::vector<uint8_t> load(const std::string &name)
{
    std::string path = "sw/nets/models/" + name + ".tflite";
    std::vector<uint8_t> v;
    FILE *f = fopen(path.c_str(), "rb");
    if (!f)
        return v;
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        v.insert(v.end(), buf, buf + n);
    fclose(f);
    return v;
}

// Imports, then parses the description and applies the records as dlpcc does. Returns 0 (a
// network), 1 (refused with a message) or 2 (refused without one: a failure of the tests).
int import(const std::vector<uint8_t> &b, int fc_float, std::string *msg = nullptr)
{
    char err[2048] = "";
    char *desc = nullptr;
    cc_wfile_t wf;
    int rc = cc_import_tflite(b.data(), b.size(), "m.tflite", fc_float, &desc, &wf, err,
                              sizeof err);
    if (!rc) {
        cc_net_t net;
        if (cc_parse_string(desc, "m.tflite", &net, err, sizeof err) == 0)
            rc = cc_apply_weights(&net, &wf, "m.tflite", err, sizeof err);
        else
            rc = -1;
        cc_net_free(&net); /* a failed parse leaves a partial network to free */
        free(desc);
        cc_wfile_free(&wf);
    }
    if (msg)
        *msg = err;
    return rc == 0 ? 0 : err[0] ? 1 : 2;
}

} // namespace

TEST(CcImport, CommittedModelsImport)
{
    for (const char *m : kModels) {
        std::vector<uint8_t> b = load(m);
        ASSERT_FALSE(b.empty()) << m << ": run from the repository root";
        std::string msg;
        EXPECT_EQ(0, import(b, 1, &msg)) << m << ": " << msg;
        EXPECT_EQ(0, import(b, 0, &msg)) << m << ": " << msg;
    }
}

TEST(CcImport, RefusedModels)
{
    std::string msg;
    EXPECT_EQ(1, import(load("mlp_float"), 1, &msg));
    EXPECT_NE(std::string::npos, msg.find("float32: a float model")) << msg;
    EXPECT_EQ(1, import(load("mlp_uint8"), 1, &msg));
    EXPECT_NE(std::string::npos, msg.find("uint8")) << msg;
    std::vector<uint8_t> text(100, 'x');
    EXPECT_EQ(1, import(text, 1, &msg));
    EXPECT_NE(std::string::npos, msg.find("not a TFLite model")) << msg;
}

TEST(CcImport, EveryTruncation)
{
    std::vector<uint8_t> b = load("mlp");
    ASSERT_FALSE(b.empty());
    for (size_t n = 0; n < b.size(); n++) {
        std::vector<uint8_t> t(b.begin(), b.begin() + (long)n);
        ASSERT_NE(2, import(t, 1)) << "truncated to " << n << " bytes: no message";
    }
}

TEST(CcImport, RandomCorruption)
{
    ref_rng_t r;
    ref_rng_seed(&r, 14);
    int imported = 0, refused = 0;
    for (const char *m : kModels) {
        std::vector<uint8_t> b = load(m);
        ASSERT_FALSE(b.empty());
        for (int k = 0; k < 3000; k++) {
            std::vector<uint8_t> c = b;
            int kind = ref_rng_range(&r, 0, 3), n = ref_rng_range(&r, 1, 8);
            for (int j = 0; j < n; j++) {
                size_t at = (size_t)ref_rng_range(&r, 0, (int32_t)c.size() - 1);
                if (kind == 0) // a flipped bit
                    c[at] ^= (uint8_t)(1u << ref_rng_range(&r, 0, 7));
                else if (kind == 1) // a random byte
                    c[at] = (uint8_t)ref_rng_u32(&r);
                else { // a 32-bit word (offsets, lengths, dimensions) set to a random value
                    at &= ~(size_t)3;
                    uint32_t v = ref_rng_u32(&r) >> ref_rng_range(&r, 0, 31);
                    for (int q = 0; q < 4 && at + q < c.size(); q++)
                        c[at + q] = (uint8_t)(v >> (8 * q));
                }
            }
            if (kind == 3) // and a truncation
                c.resize((size_t)ref_rng_range(&r, 0, (int32_t)c.size()));
            int rc = import(c, k & 1);
            ASSERT_NE(2, rc) << m << " mutation " << k << ": refused without a message";
            (rc ? refused : imported)++;
        }
    }
    EXPECT_GT(refused, 0);
    RecordProperty("imported", imported);
    RecordProperty("refused", refused);
}

// The requant record (the importer's MEAN) is checked like every other record.
TEST(CcImport, RequantRecordChecked)
{
    const char *desc = "input x: 1x2x2x3\nconv m: x -> y k=2x2 out=3 depthwise bias=0\n";
    cc_net_t net;
    char err[1024];
    ASSERT_EQ(0, cc_parse_string(desc, "d.txt", &net, err, sizeof err)) << err;
    cc_wfile_t wf = {nullptr, 0, 0};
    uint32_t d2[2] = {3, 2}, d1[1] = {1};
    int32_t rq[6] = {1 << 30, -2, 1 << 30, -2, 1 << 30, 40};
    cc_wfile_add(&wf, "m.requant", CC_W_INT32, 2, d2, rq);
    EXPECT_EQ(-1, cc_apply_weights(&net, &wf, "w.dlpw", err, sizeof err));
    EXPECT_NE(nullptr, strstr(err, "channel 2 has multiplier 1073741824 and shift 40")) << err;
    cc_wfile_free(&wf);
    cc_wfile_add(&wf, "m.requant", CC_W_INT32, 1, d1, rq);
    EXPECT_EQ(-1, cc_apply_weights(&net, &wf, "w.dlpw", err, sizeof err));
    EXPECT_NE(nullptr, strstr(err, "m.requant")) << err;
    cc_wfile_free(&wf);
    cc_net_free(&net);
}
