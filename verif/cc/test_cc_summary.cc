// SPDX-License-Identifier: Apache-2.0
/*
 * dlpcc --summary figures: the torchvision definitions of AlexNet, VGG19 and ResNet152 in
 * docs/examples/ (exercise 3.1's parameter counts, exercise 4.9's VGG19 pooling shapes) and the
 * MAC totals docs/compiler.md quotes (one MAC per multiply-accumulate of conv and fc layers).
 * Needs no weights. Run from the repository root (make does).
 */
#include "cc_harness.h"

#include <cstdio>
#include <cstdlib>

using namespace cct;

namespace {

struct Totals {
    uint64_t params = 0, macs = 0;
    std::string err;
};

Totals totals_of(const char *path, cc_net_t *keep = nullptr)
{
    Totals t;
    cc_net_t net;
    char err[2048];
    if (cc_parse_file(path, &net, err, sizeof err)) {
        t.err = err;
        return t;
    }
    cc_totals(&net, &t.params, &t.macs);
    if (keep)
        *keep = net;
    else
        cc_net_free(&net);
    return t;
}

std::string shape_of(const cc_net_t &net, const char *tensor)
{
    char buf[64];
    int i = cc_find_tensor(&net, tensor);
    if (i < 0)
        return "(no tensor " + std::string(tensor) + ")";
    cc_shape_str(&net.t[i], buf, sizeof buf);
    return buf;
}

} // namespace

/* Parameter and MAC totals of the example descriptions: torchvision's published parameter
   counts, MACs as the networks define them. */
TEST(CcSummary, Totals)
{
    const struct {
        const char *path;
        uint64_t params, macs;
    } nets[] = {
        {"docs/examples/alexnet.txt", 61100840u, 714188480u},
        {"docs/examples/vgg19.txt", 143667240u, 19632062464u},
        {"docs/examples/resnet152.txt", 60192808u, 11513626624u},
        {"docs/examples/lenet5.txt", 61706u, 416520u},
    };
    for (const auto &n : nets) {
        Totals t = totals_of(n.path);
        ASSERT_EQ("", t.err) << n.path;
        EXPECT_EQ(n.params, t.params) << n.path;
        EXPECT_EQ(n.macs, t.macs) << n.path;
    }
}

/* Exercise 4.9: the shape after each pooling layer of VGG19; LeNet-5's flattening. */
TEST(CcSummary, Shapes)
{
    cc_net_t net;
    ASSERT_EQ("", totals_of("docs/examples/vgg19.txt", &net).err);
    EXPECT_EQ("1x112x112x64", shape_of(net, "p1"));
    EXPECT_EQ("1x56x56x128", shape_of(net, "p2"));
    EXPECT_EQ("1x28x28x256", shape_of(net, "p3"));
    EXPECT_EQ("1x14x14x512", shape_of(net, "p4"));
    EXPECT_EQ("1x7x7x512", shape_of(net, "p5"));
    cc_net_free(&net);
    ASSERT_EQ("", totals_of("docs/examples/lenet5.txt", &net).err);
    EXPECT_EQ("1x5x5x16", shape_of(net, "b2"));
    EXPECT_EQ("1x400", shape_of(net, "v"));
    cc_net_free(&net);
}

TEST(CcSummary, PrintsTable)
{
    cc_net_t net;
    char err[512], *text = nullptr;
    size_t len = 0;
    ASSERT_EQ(0, cc_parse_file("docs/examples/alexnet.txt", &net, err, sizeof err)) << err;
    FILE *f = open_memstream(&text, &len);
    cc_summary(&net, f);
    fclose(f);
    std::string s(text, len);
    free(text);
    EXPECT_NE(std::string::npos, s.find("61,100,840")) << s;
    EXPECT_NE(std::string::npos, s.find("714,188,480")) << s;
    EXPECT_NE(std::string::npos, s.find("1x6x6x256")) << s; /* the identity adaptive pool */
    EXPECT_NE(std::string::npos, s.find("1x55x55x64")) << s;
    cc_net_free(&net);
}

/* The example networks of docs/examples compile for the default configuration (with invented
   weights) where they are small enough to run in a test. */
TEST(CcSummary, ExamplesCompile)
{
    for (const char *path : {"docs/examples/lenet5.txt", "docs/examples/mlp_adder.txt"}) {
        cc_net_t net;
        cc_output_t out;
        cc_options_t opt{};
        char err[2048];
        dlp_config_t c = make_config("default");
        ASSERT_EQ(0, cc_parse_file(path, &net, err, sizeof err)) << err;
        ASSERT_EQ(0, cc_random_weights(&net, 1, err, sizeof err)) << err;
        EXPECT_EQ(0, cc_compile(&net, &c, &opt, &out, err, sizeof err)) << path << ": " << err;
        cc_output_free(&out);
        cc_net_free(&net);
    }
}
