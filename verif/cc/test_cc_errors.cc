// SPDX-License-Identifier: Apache-2.0
/*
 * dlpcc error paths: every way a description, a weight file or a configuration can be wrong
 * gives one clear message naming the place (file:line:col) or the layer and the reason.
 */
#include "cc_harness.h"

using namespace cct;

namespace {

std::string parse_error(const std::string &desc)
{
    cc_net_t net;
    char err[2048];
    if (cc_parse_string(desc.c_str(), "bad.net", &net, err, sizeof err))
        return err;
    cc_net_free(&net);
    return "";
}

/* Expects an error containing every fragment. */
void expect_error(const std::string &msg, std::initializer_list<const char *> frags)
{
    if (getenv("CC_SHOW_ERRORS"))
        printf("    %s\n", msg.c_str());
    ASSERT_NE("", msg) << "expected an error";
    for (const char *f : frags)
        EXPECT_NE(std::string::npos, msg.find(f)) << "message: " << msg << "\nmissing: " << f;
}

const char *kConv = "input x: 1x8x8x3 scale=0.02 zp=0\nconv c1: x -> y k=3 p=1 out=4 scale=0.1 zp=2\n";

/* A complete, valid text weight file for kConv. */
std::string conv_weights(const std::string &extra = "", bool bias = true, bool wscale = true)
{
    std::string w = "dlpw 1\nc1.weight int8 4x3x3x3";
    for (int i = 0; i < 108; i++)
        w += " " + std::to_string(i % 7 - 3);
    w += "\n";
    if (bias)
        w += "c1.bias int32 4 1 2 3 4\n";
    if (wscale)
        w += "c1.weight_scale float32 4 0.01 0.01 0.02 0.02\n";
    return w + extra;
}

} // namespace

/* ---- malformed descriptions ---------------------------------------------------------------- */

TEST(CcErrors, UnknownStatement)
{
    expect_error(parse_error("input x: 1x4x4x1\nconvv c: x -> y k=1 out=1\n"),
                 {"bad.net:2:1:", "unknown statement 'convv'"});
}

TEST(CcErrors, UnsupportedLayerKind)
{
    expect_error(parse_error("input x: 1x4x4x1\nconcat c: x -> y\n"),
                 {"bad.net:2:1:", "unsupported layer kind 'concat'"});
    expect_error(parse_error("input x: 1x4x4x1\nbatchnorm b: x -> y\n"),
                 {"bad.net:2:1:", "fold BatchNorm", "'bn'"});
}

TEST(CcErrors, MissingColon)
{
    expect_error(parse_error("input x: 1x4x4x1\nconv c x -> y k=1 out=1\n"),
                 {"bad.net:2:8:", "expected ':'"});
}

TEST(CcErrors, BadShape)
{
    expect_error(parse_error("input x: 1x4x4\n"), {"bad.net:1:10:", "NxHxWxC or NxC"});
    expect_error(parse_error("input x: 1x0x4x4\n"), {"bad.net:1:10:", "out of range"});
    expect_error(parse_error("input x: 1xax4x4\n"), {"bad.net:1:10:"});
}

TEST(CcErrors, UnknownTensor)
{
    expect_error(parse_error("input x: 1x4x4x1\nconv c: z -> y k=1 out=1\n"),
                 {"bad.net:2:9:", "unknown tensor 'z'"});
}

TEST(CcErrors, DuplicateNames)
{
    expect_error(parse_error("input x: 1x4x4x1\nconv c: x -> x k=1 out=1\n"),
                 {"bad.net:2:14:", "tensor 'x' is already defined at line 1"});
    expect_error(parse_error("input x: 1x4x4x1\nconv c: x -> a k=1 out=1\nconv c: a -> b k=1 out=1\n"),
                 {"bad.net:3:6:", "layer 'c' is already defined at line 2"});
}

TEST(CcErrors, BadAttributes)
{
    expect_error(parse_error("input x: 1x4x4x1\nconv c: x -> y k=1 out=1 dilation=2\n"),
                 {"bad.net:2:26:", "unknown attribute 'dilation'"});
    expect_error(parse_error("input x: 1x4x4x1\nconv c: x -> y k=a out=1\n"),
                 {"bad.net:2:18:", "k=a", "expected N or NxM"});
    expect_error(parse_error("input x: 1x4x4x1\nmaxpool p: x -> y k=2 out=3\n"),
                 {"bad.net:2:23:", "maxpool layers do not take 'out='"});
    expect_error(parse_error("input x: 1x4x4x1\nconv c: x -> y k=1 out=1 relu relu6\n"),
                 {"bad.net:2:31:", "activation is given twice"});
    expect_error(parse_error("input x: 1x4x4x1\nconv c: x -> y k=1 out=1 p=1,2\n"),
                 {"bad.net:2:28:", "T,L,B,R"});
    expect_error(parse_error("input x: 1x4x4x1\nlut l: x -> y fn=cosh\n"),
                 {"bad.net:2:18:", "unknown function"});
}

TEST(CcErrors, BadQuantizationInDescription)
{
    expect_error(parse_error("input x: 1x4x4x1 scale=0.1\n"),
                 {"bad.net:1:18:", "scale= and zp= go together"});
    expect_error(parse_error("input x: 1x4x4x1 scale=0.1 zp=200\n"),
                 {"bad.net:1:31:", "zero point must be in -128..127"});
    expect_error(parse_error("input x: 1x4x4x1 scale=-1 zp=0\n"),
                 {"bad.net:1:24:", "positive"});
}

TEST(CcErrors, ShapeMismatches)
{
    expect_error(parse_error("input a: 1x4x4x2\ninput b: 1x4x4x3\nadd s: a, b -> y\n"),
                 {"bad.net:3:5:", "layer s (add)", "shape mismatch", "1x4x4x2", "1x4x4x3"});
    expect_error(parse_error("input x: 1x4x4x6\nconv c: x -> y k=1 groups=4 out=8\n"),
                 {"bad.net:2:6:", "layer c (conv)", "6 channels, not a multiple of groups=4"});
    expect_error(parse_error("input x: 1x4x4x1\nconv c: x -> y k=5 out=1\n"),
                 {"bad.net:2:6:", "window is larger than the padded 4x4 input"});
    expect_error(parse_error("input x: 1x4x4x2\nfc f: x -> y out=3\n"),
                 {"bad.net:2:4:", "layer f (fc)", "insert a flatten"});
    expect_error(parse_error("input x: 1x4x4x2\nreshape r: x -> y shape=1x5x5x1\n"),
                 {"bad.net:2:9:", "shape mismatch", "32 elements"});
    expect_error(parse_error("input x: 1x7x7x2\nadaptive_avgpool a: x -> y out=3\n"),
                 {"bad.net:2:18:", "not supported", "7x7", "3x3"});
    expect_error(parse_error("input x: 1x8x8x2\nmaxpool p: x -> y k=2 p=2\n"),
                 {"bad.net:2:9:", "smaller than"});
    expect_error(parse_error("input x: 1x4x4x1\nadd s: x -> y\n"),
                 {"bad.net:2:10:", "add layers take 2 inputs, got 1"});
}

TEST(CcErrors, EmptyNetworks)
{
    expect_error(parse_error("# nothing\n"), {"bad.net:", "no layers"});
    expect_error(parse_error("input x: 1x4\noutput z\n"), {"bad.net:2:8:", "unknown tensor"});
}

/* ---- weight files ----------------------------------------------------------------------------- */

TEST(CcErrors, WeightFileText)
{
    dlp_config_t c = make_config("default");
    expect_error(compile_error(kConv, "dlpw 2\n", c), {"test.dlpw:1:", "version '2'"});
    expect_error(compile_error(kConv, "dlpw 1\nc1.weight int9 4\n", c),
                 {"test.dlpw:2:", "unknown type 'int9'"});
    expect_error(compile_error(kConv, "dlpw 1\nc1.bias int32 4 1 2 3\n", c),
                 {"test.dlpw:", "ends before all its values"});
    expect_error(compile_error(kConv, "dlpw 1\nc1.weight int8 2 1 300\n", c),
                 {"test.dlpw:2:", "outside int8"});
}

TEST(CcErrors, WeightRecords)
{
    dlp_config_t c = make_config("default");
    expect_error(compile_error(kConv, "dlpw 1\nc1.weight int8 4x3x3x2 " + std::string(72 * 2, ' ') +
                                          "\n", c), {"test.dlpw"});
    expect_error(compile_error(kConv, "dlpw 1\nc1.weight int8 2x2 1 2 3 4\n", c),
                 {"record 'c1.weight' has shape 2x2, expected 4x3x3x3"});
    expect_error(compile_error(kConv, "dlpw 1\nc1.bias float32 4 1 2 3 4\n", c),
                 {"record 'c1.bias' is float32, expected int32"});
    expect_error(compile_error(kConv, "dlpw 1\nc2.weight int8 1 1\n", c),
                 {"record 'c2.weight': no layer or tensor named 'c2'"});
    expect_error(compile_error(kConv, "dlpw 1\nc1.wieght int8 1 1\n", c),
                 {"'wieght' is not a field of layer c1"});
    expect_error(compile_error(kConv, "dlpw 1\ny.zp int32 1 1\ny.zp int32 1 1\n", c),
                 {"appears twice"});
    expect_error(compile_error(kConv, conv_weights("c1.weight_scale float32 4 0.01 0 0.02 0.02\n"),
                               c), {"appears twice"});
    expect_error(compile_error(kConv, "dlpw 1\nc1.weight_scale float32 4 0.01 0 0.02 0.02\n", c),
                 {"bad quantization parameters", "channel 1", "must be > 0"});
    expect_error(compile_error(kConv, "dlpw 1\ny.zp int32 1 300\n", c),
                 {"bad quantization parameters", "zero point 300"});
    expect_error(compile_error(kConv, "dlpw 1\ny.scale float32 1 0.5\n", c),
                 {"tensor y has a scale record but no zp"});
}

TEST(CcErrors, BinaryWeightFile)
{
    cc_wfile_t wf;
    char err[512];
    const uint8_t trunc[] = {'D', 'L', 'P', 'W', 1, 0, 0, 0, 1, 0, 0, 0, 3, 0, 'a', '.', 'b'};
    const uint8_t ver[] = {'D', 'L', 'P', 'W', 2, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t trail[] = {'D', 'L', 'P', 'W', 1, 0, 0, 0, 0, 0, 0, 0, 9};
    ASSERT_EQ(-1, cc_wfile_parse(trunc, sizeof trunc, "w.bin", &wf, err, sizeof err));
    expect_error(err, {"w.bin", "truncated"});
    ASSERT_EQ(-1, cc_wfile_parse(ver, sizeof ver, "w.bin", &wf, err, sizeof err));
    expect_error(err, {"w.bin", "version 2"});
    ASSERT_EQ(-1, cc_wfile_parse(trail, sizeof trail, "w.bin", &wf, err, sizeof err));
    expect_error(err, {"w.bin", "trailing bytes"});
}

TEST(CcErrors, MissingWeights)
{
    dlp_config_t c = make_config("default");
    expect_error(compile_error(kConv, "dlpw 1\n", c),
                 {"test.net:2:1:", "layer c1 (conv)", "no weights", "c1.weight"});
    expect_error(compile_error(kConv, conv_weights("", false, true), c),
                 {"layer c1 (conv)", "no bias", "bias=0"});
    expect_error(compile_error(kConv, conv_weights("", true, false), c),
                 {"layer c1 (conv)", "no weight scales"});
    expect_error(compile_error("input x: 1x8x8x3 scale=0.02 zp=0\nconv c1: x -> y k=3 p=1 out=4 "
                               "bias=0 scale=0.1 zp=2\n", conv_weights(), c),
                 {"layer c1 has bias=0", "takes no bias"});
    expect_error(compile_error("input x: 1x4 scale=0.1 zp=0\nlut t: x -> y\n", "dlpw 1\n", c),
                 {"layer t (lut)", "t.table"});
}

/* ---- quantization --------------------------------------------------------------------------- */

TEST(CcErrors, MissingQuantization)
{
    dlp_config_t c = make_config("default");
    expect_error(compile_error("input x: 1x8x8x3\nconv c1: x -> y k=3 p=1 out=4 scale=0.1 zp=2\n",
                               conv_weights(), c),
                 {"test.net:1:7:", "input x has no quantization", "x.scale"});
    expect_error(compile_error("input x: 1x8x8x3 scale=0.02 zp=0\nconv c1: x -> y k=3 p=1 out=4\n",
                               conv_weights(), c),
                 {"test.net:2:1:", "layer c1 (conv)", "output y has no quantization"});
}

TEST(CcErrors, InconsistentQuantization)
{
    dlp_config_t c = make_config("default");
    expect_error(compile_error(kConv, conv_weights("y.scale float32 1 0.2\ny.zp int32 1 2\n"), c),
                 {"tensor y", "the description says scale=0.1", "the weight file scale=0.2"});
    expect_error(compile_error("input x: 1x8x8x3 scale=0.02 zp=0\nmaxpool p: x -> y k=2 "
                               "scale=0.03 zp=0\n", "dlpw 1\n", c),
                 {"layer p (maxpool)", "does not requantize"});
    /* an effective scale TFLite's multiplier cannot represent */
    expect_error(compile_error("input x: 1x8x8x3 scale=0.02 zp=0\nconv c1: x -> y k=3 p=1 out=4 "
                               "scale=1e-30 zp=0\n", conv_weights(), c),
                 {"layer c1 (conv)", "bad quantization parameters", "outside what TFLite"});
}

/* ---- configurations that cannot hold the layer ----------------------------------------------- */

TEST(CcErrors, TileDoesNotFit)
{
    /* a 23x23 kernel: the smallest tile (one pixel, one channel, double-buffered) needs more
       than 1 KiB of NRAM */
    std::string desc = "input x: 1x30x30x1 scale=0.02 zp=0\nconv big: x -> y k=23 out=2 "
                       "scale=0.5 zp=0\n";
    std::string w = "dlpw 1\nbig.weight int8 2x23x23x1";
    for (int i = 0; i < 2 * 529; i++)
        w += " 1";
    w += "\nbig.bias int32 2 0 0\nbig.weight_scale float32 2 0.01 0.01\n";
    EXPECT_EQ("", compile_error(desc, w, make_config("default")));
    expect_error(compile_error(desc, w, make_config("4x4", {"nram_kib=1", "wram_kib=1"})),
                 {"test.net:2:1:", "layer big (conv)", "cannot tile", "NRAM 1024", "needs NRAM"});
}

TEST(CcErrors, PoolWindowTooLarge)
{
    expect_error(compile_error("input x: 1x20x20x2 scale=0.1 zp=0\nmaxpool p: x -> y k=16\n",
                               "dlpw 1\n", make_config("default")),
                 {"layer p (maxpool)", "not supported", "15"});
}

TEST(CcErrors, InstructionMemoryTooSmall)
{
    expect_error(compile_error(kConv, conv_weights(), make_config("default", {"imem_insns=20"})),
                 {"instruction memory", "imem_insns=20"});
}

TEST(CcErrors, ConfigurationLimits)
{
    expect_error(compile_error(kConv, conv_weights(), make_config("default", {"token_max=1"})),
                 {"token_max=1", "at least 2"});
    dlp_config_t c = make_config("default");
    c.dram_bytes = 4096;
    expect_error(compile_error(kConv, conv_weights(), c), {"needs DRAM", "dram_mib"});
}
