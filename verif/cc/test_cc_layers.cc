// SPDX-License-Identifier: Apache-2.0
/*
 * dlpcc layer tests: each network is compiled for every configuration of all_configs() (16x16,
 * 4x4, 8x16 and tiny NRAM/WRAM/ACC), run on the C model, and every tensor the package exposes
 * is compared bit for bit with the independent TFLite int8 references (verif/ref).
 */
#include "cc_harness.h"

using namespace cct;

namespace {

/* Runs desc on every configuration (or only one); on each configuration named in `covers`, some
   program's tiling line must contain `plan`, so that the case covers that path there. */
void run_everywhere(const std::string &desc, uint64_t seed, const char *only = nullptr,
                    const char *plan = nullptr, std::initializer_list<const char *> covers = {})
{
    Case c;
    std::string e = build_case(desc, seed, c);
    ASSERT_EQ("", e) << desc;
    const char *env = getenv("CC_CONFIG"); /* debugging: run one configuration */
    if (env)
        only = env;
    for (const Config &cf : all_configs()) {
        if (only && cf.name != only)
            continue;
        RunReport r = compile_and_run(c, cf.cfg);
        EXPECT_EQ("", r.error) << "configuration " << cf.name << "\n" << desc << r.plans;
        for (const char *name : covers) {
            if (cf.name == name) {
                EXPECT_NE(std::string::npos, r.plans.find(plan))
                    << "configuration " << cf.name << " does not use '" << plan << "'\n"
                    << desc << r.plans;
            }
        }
    }
}

/* Small-channel convolutions whose kernel positions are packed into K (gen_conv.c, "Packed
   input"): bit-exact everywhere, and packed on the configurations named (by default the
   16x16 and 4x4 arrays). */
void run_packed(const std::string &desc, uint64_t seed,
                std::initializer_list<const char *> covers = {"default", "4x4"})
{
    run_everywhere(desc, seed, nullptr, "kernel packed into K", covers);
}

} // namespace

TEST(CcConv, Basic3x3Pad1)
{
    run_everywhere("input x: 1x6x7x3\nconv c1: x -> y k=3 p=1 out=5 relu\n", 1);
}

TEST(CcConv, OneByOne)
{
    run_everywhere("input x: 1x9x11x20\nconv c1: x -> y k=1 out=24\n", 2);
}

TEST(CcConv, Stride2Same)
{
    run_everywhere("input x: 1x15x16x6\nconv c1: x -> y k=3 s=2 p=same out=10 relu6\n", 3);
}

TEST(CcConv, Stride2Pad1OddSizes)
{
    run_everywhere("input x: 1x13x10x7\nconv c1: x -> y k=3 s=2 p=1 out=19 relu\n", 4);
}

TEST(CcConv, Kernel5Asymmetric)
{
    run_everywhere("input x: 1x12x9x4\nconv c1: x -> y k=5x3 s=1x2 p=2,1,1,0 out=17\n", 5);
}

TEST(CcConv, ChannelsNotMultiplesOfArray)
{
    run_everywhere("input x: 1x7x6x37\nconv c1: x -> y k=3 p=1 out=45 relu\n", 6);
}

TEST(CcConv, LargerThanMemories)
{
    /* weights 3*3*64*96 = 55 KiB, input 24x24x64 = 36 KiB: tiled on every configuration */
    run_everywhere("input x: 1x24x24x64\nconv c1: x -> y k=3 p=1 out=96 relu\n", 7);
}

TEST(CcConv, Depthwise)
{
    run_everywhere("input x: 1x10x9x24\nconv dw: x -> y k=3 p=1 depthwise relu6\n", 8);
}

TEST(CcConv, DepthwiseStride2Multiplier)
{
    run_everywhere("input x: 1x11x12x8\nconv dw: x -> y k=3 s=2 p=same depthwise out=16\n", 9);
}

TEST(CcConv, Groups)
{
    run_everywhere("input x: 1x8x8x12\nconv g: x -> y k=3 p=1 groups=3 out=18 relu\n", 10);
}

TEST(CcConv, GroupsLarge)
{
    run_everywhere("input x: 1x6x6x64\nconv g: x -> y k=1 groups=2 out=80\n", 11);
}

TEST(CcConv, Batch2NoBias)
{
    run_everywhere("input x: 2x7x5x3\nconv c1: x -> y k=3 p=1 out=8 bias=0\n", 12);
}

TEST(CcPacked, OneChannel5x5Pad2)
{
    /* on 16x16-tiny with the post-processing on CP (the VF halves do not fit) */
    run_packed("input x: 1x12x12x1\nconv c1: x -> y k=5 p=2 out=6 relu\n", 90,
               {"default", "4x4", "16x16-tiny", "4x4-tiny"});
}

TEST(CcPacked, ThreeChannels7x7Stride2Pad3)
{
    /* on 16x16-tiny with one header slot (a sync before each block) */
    run_packed("input x: 1x21x20x3\nconv c1: x -> y k=7 s=2 p=3 out=20 bias=0 relu\n", 91,
               {"default", "4x4", "8x16", "16x16-tiny", "ex77"});
}

TEST(CcPacked, TwoChannels3x3Pad1)
{
    run_packed("input x: 1x9x11x2\nconv c1: x -> y k=3 p=1 out=20\n", 92);
}

TEST(CcPacked, ThreeChannels5x3Stride2x1Asymmetric)
{
    run_packed("input x: 1x13x10x3\nconv c1: x -> y k=5x3 s=2x1 p=2,1,1,0 out=17 relu6\n", 93);
}

TEST(CcPacked, OneChannel3x3Stride2WithPoolBatch2)
{
    /* on 4x4 a 3x3 kernel of one channel takes 3 weight row tiles packed or not: not packed */
    run_packed("input x: 2x26x27x1\nconv c1: x -> a k=3 s=2 p=same out=40 relu\n"
               "maxpool p: a -> y k=2\n", 94, {"default"});
}

TEST(CcPacked, ThreeChannelsResidualAdd)
{
    /* on 16x16-tiny the added tile is loaded with the input box (post-processing on CP) */
    run_packed("input x: 1x17x16x3\ninput b: 1x9x8x32\nconv c1: x -> a k=7 s=2 p=3 out=32\n"
               "add s: a, b -> y relu\n", 95, {"default", "4x4", "8x16", "16x16-tiny", "ex77"});
}

TEST(CcFc, Basic)
{
    run_everywhere("input x: 1x50\nfc f: x -> y out=33 relu\n", 20);
}

TEST(CcFc, Batch5Wide)
{
    run_everywhere("input x: 5x700\nfc f: x -> y out=130\n", 21);
}

TEST(CcFc, FlattenThenFc)
{
    run_everywhere("input x: 1x5x5x16\nflatten f: x -> v\nfc f1: v -> y out=20 relu\n", 22);
}

TEST(CcPool, Max2x2)
{
    run_everywhere("input x: 1x12x10x20\nmaxpool p: x -> y k=2\n", 30);
}

TEST(CcPool, Max3x3s2Pad1)
{
    run_everywhere("input x: 1x15x14x9\nmaxpool p: x -> y k=3 s=2 p=1\n", 31);
}

TEST(CcPool, AvgSame)
{
    run_everywhere("input x: 1x9x11x13\navgpool p: x -> y k=3 s=2 p=same\n", 32);
}

TEST(CcPool, AvgGlobal)
{
    run_everywhere("input x: 1x7x7x40\nadaptive_avgpool p: x -> y out=1\n", 33);
}

TEST(CcPool, AdaptiveIdentity)
{
    run_everywhere("input x: 1x6x6x8\nconv c: x -> a k=1 out=8\nadaptive_avgpool p: a -> y out=6x6\n",
                   34);
}

TEST(CcPool, LargeChannelsTiny)
{
    run_everywhere("input x: 1x20x24x70\nmaxpool p: x -> y k=3 s=2\n", 35);
}

TEST(CcAdd, Plain)
{
    run_everywhere("input a: 1x9x7x10\ninput b: 1x9x7x10\nadd s: a, b -> y\n", 40);
}

TEST(CcAdd, ReluAfterConvs)
{
    run_everywhere("input x: 1x8x8x6\n"
                   "conv c1: x -> a k=3 p=1 out=6 relu\n"
                   "conv c2: a -> b k=3 p=1 out=6\n"
                   "add s: b, x -> y relu\n", 41);
}

TEST(CcLut, Sigmoid)
{
    run_everywhere("input x: 1x5x6x7\nsigmoid s: x -> y\n", 50);
}

TEST(CcLut, TableAndTanh)
{
    run_everywhere("input x: 1x300\nlut t: x -> a fn=table\ntanh u: a -> y\n", 51);
}

TEST(CcLut, ReluRequantStandalone)
{
    run_everywhere("input x: 1x4x4x9\nrelu r: x -> a\nrelu6 r6: a -> y\n", 52);
}

TEST(CcFusion, ConvReluPool)
{
    run_everywhere("input x: 1x12x12x3\nconv c1: x -> a k=3 p=1 out=8\nrelu r: a -> b\n"
                   "maxpool p: b -> y k=2\n", 60);
}

TEST(CcFusion, ConvAvgPoolOddCrop)
{
    run_everywhere("input x: 1x11x9x5\nconv c1: x -> a k=3 out=7 relu\navgpool p: a -> y k=2\n",
                   61);
}

TEST(CcFusion, ConvSigmoid)
{
    run_everywhere("input x: 1x6x6x4\nconv c1: x -> a k=3 p=1 out=9\nsigmoid s: a -> y\n", 62);
}

TEST(CcNet, LeNet5)
{
    run_everywhere("input x: 1x28x28x1\n"
                   "conv c1: x -> a1 k=5 p=2 out=6 relu\nmaxpool p1: a1 -> b1 k=2\n"
                   "conv c2: b1 -> a2 k=5 out=16 relu\nmaxpool p2: a2 -> b2 k=2\n"
                   "flatten f: b2 -> v\nfc f1: v -> h1 out=120 relu\nfc f2: h1 -> h2 out=84 relu\n"
                   "fc f3: h2 -> y out=10\n", 70);
}

TEST(CcNet, ResidualCnn)
{
    run_everywhere("input x: 1x16x16x3\n"
                   "conv stem: x -> s k=3 p=1 out=16 bias=0 bn relu\n"
                   "conv b1: s -> t1 k=3 p=1 out=16 bias=0 bn relu\n"
                   "conv b2: t1 -> t2 k=3 p=1 out=16 bias=0 bn\n"
                   "add res: t2, s -> r relu\n"
                   "maxpool mp: r -> m k=3 s=2 p=1\n"
                   "adaptive_avgpool gap: m -> g out=1\n"
                   "flatten f: g -> v\nfc head: v -> y out=10\n", 71);
}

TEST(CcNet, DigitsMlpBatch4)
{
    run_everywhere("input x: 4x64\nfc h1: x -> a out=48 relu\nfc h2: a -> b out=32\n"
                   "tanh t: b -> c\nfc out: c -> y out=10\n", 72);
}

TEST(CcNet, FullAdderMlp)
{
    run_everywhere("input x: 8x3\nfc h1: x -> h out=8 relu\nfc o: h -> y out=2\n", 73);
}

TEST(CcNet, SharedInputTwoPaddings)
{
    /* one tensor read by a 3x3 and a 5x5 convolution and a pool: one border serves all */
    run_everywhere("input x: 1x9x9x4\nconv a: x -> t k=1 out=8\n"
                   "conv b: t -> u k=3 p=1 out=6\nconv c: t -> v k=5 p=2 out=6\n"
                   "maxpool m: t -> w k=3 s=1 p=1\nadd s: u, v -> y\n", 74);
}

TEST(CcEdge, ReshapeThenPaddedConv)
{
    run_everywhere("input x: 1x64\nreshape r: x -> img shape=1x8x8x1\n"
                   "conv c: img -> y k=3 p=1 out=4 relu\n", 80);
}

TEST(CcEdge, OutputAlsoReadByPaddedConv)
{
    run_everywhere("input x: 1x6x6x5\nconv a: x -> t k=1 out=7\nconv b: t -> y k=3 p=1 out=3\n"
                   "output t, y\n", 81);
}

TEST(CcEdge, Batch2FusedPoolAndAdd)
{
    run_everywhere("input x: 2x8x10x3\nconv c: x -> a k=3 p=1 out=6 relu\nmaxpool p: a -> b k=2\n"
                   "conv d: b -> e k=1 out=6\nadd s: b, e -> y\n", 82);
}

TEST(CcEdge, StrideLargerThanKernel)
{
    run_everywhere("input x: 1x11x13x6\nconv c: x -> y k=1 s=3 out=9\n", 83);
}

TEST(CcEdge, FcOnRank4Input)
{
    run_everywhere("input x: 3x1x1x40\nfc f: x -> y out=12 relu6\n", 84);
}

/* Random layer geometries with seeds: kernel, stride, padding, groups, channels and sizes. */
TEST(CcRandom, Convolutions)
{
    ref_rng_t r;
    ref_rng_seed(&r, 2024);
    static const char *cfgs[] = {"default", "4x4", "8x16", "16x16-tiny", "4x4-tiny", "ex77"};
    for (int it = 0; it < 24; it++) {
        int kh = ref_rng_range(&r, 1, 5), kw = ref_rng_range(&r, 1, 5);
        int sh = ref_rng_range(&r, 1, 3), sw = ref_rng_range(&r, 1, 3);
        int g = ref_rng_range(&r, 0, 3) ? 1 : ref_rng_range(&r, 2, 4);
        int cin = g * ref_rng_range(&r, 1, 12), cout = g * ref_rng_range(&r, 1, 12);
        int h = ref_rng_range(&r, kh, 14), w = ref_rng_range(&r, kw, 14);
        int pt = ref_rng_range(&r, 0, kh - 1), pl = ref_rng_range(&r, 0, kw - 1);
        int pb = ref_rng_range(&r, 0, kh - 1), pr = ref_rng_range(&r, 0, kw - 1);
        const char *acts[] = {"", " relu", " relu6"};
        char desc[512];
        snprintf(desc, sizeof desc,
                 "input x: 1x%dx%dx%d\nconv c: x -> y k=%dx%d s=%dx%d p=%d,%d,%d,%d out=%d "
                 "groups=%d%s\n", h, w, cin, kh, kw, sh, sw, pt, pl, pb, pr, cout, g,
                 acts[ref_rng_range(&r, 0, 2)]);
        SCOPED_TRACE(desc);
        run_everywhere(desc, 1000 + (uint64_t)it, cfgs[it % 6]);
    }
}

TEST(CcRandom, Pools)
{
    ref_rng_t r;
    ref_rng_seed(&r, 2025);
    static const char *cfgs[] = {"default", "4x4", "8x16", "16x16-tiny", "4x4-tiny", "ex77"};
    for (int it = 0; it < 24; it++) {
        int k = ref_rng_range(&r, 2, 5), s = ref_rng_range(&r, 1, k);
        int c = ref_rng_range(&r, 1, 40), h = ref_rng_range(&r, k, 20), w = ref_rng_range(&r, k, 20);
        int p = ref_rng_range(&r, 0, (k - 1) / 2);
        char desc[256];
        snprintf(desc, sizeof desc, "input x: 1x%dx%dx%d\n%s p: x -> y k=%d s=%d p=%d\n", h, w, c,
                 ref_rng_range(&r, 0, 1) ? "maxpool" : "avgpool", k, s, p);
        SCOPED_TRACE(desc);
        run_everywhere(desc, 2000 + (uint64_t)it, cfgs[it % 6]);
    }
}

/* conv followed by a fusable pool and activation, random geometry */
TEST(CcRandom, FusedChains)
{
    ref_rng_t r;
    ref_rng_seed(&r, 2026);
    static const char *cfgs[] = {"default", "4x4", "8x16", "16x16-tiny", "4x4-tiny", "ex77"};
    for (int it = 0; it < 15; it++) {
        int k = ref_rng_range(&r, 1, 3) * 2 - 1, pk = ref_rng_range(&r, 2, 3);
        int cin = ref_rng_range(&r, 1, 20), cout = ref_rng_range(&r, 1, 20);
        int h = ref_rng_range(&r, k + pk, 16), w = ref_rng_range(&r, k + pk, 16);
        const char *tail[] = {"relu r: a -> b\n", "sigmoid r: a -> b\n", "relu6 r: a -> b\n"};
        char desc[512];
        snprintf(desc, sizeof desc, "input x: 1x%dx%dx%d\nconv c: x -> a k=%d p=%d out=%d\n%s"
                 "%s p: b -> y k=%d\n", h, w, cin, k, k / 2, cout, tail[ref_rng_range(&r, 0, 2)],
                 ref_rng_range(&r, 0, 1) ? "maxpool" : "avgpool", pk);
        SCOPED_TRACE(desc);
        run_everywhere(desc, 3000 + (uint64_t)it, cfgs[it % 6]);
    }
}

TEST(CcFusion, ConvAddManyChunks)
{
    /* 96 input channels: on small memories the input channels come in several chunks, and the
       last one also loads the tile the epilogue adds */
    run_everywhere("input x: 1x10x9x96\ninput r: 1x10x9x40\n"
                   "conv c: x -> a k=3 p=1 out=40\nadd s: a, r -> y relu\n", 90);
}

TEST(CcFusion, ConvAddThenSigmoid)
{
    run_everywhere("input x: 1x7x7x12\nconv g: x -> d k=1 groups=4 out=20\n"
                   "conv e: x -> d2 k=3 p=1 out=20\nadd s: d, d2 -> z relu\nsigmoid sg: z -> y\n",
                   91);
}

TEST(CcFusion, AddOtherFirst)
{
    /* the conv output is the add's second input */
    run_everywhere("input x: 2x6x6x8\nconv c: x -> a k=1 out=8\nadd s: x, a -> y\n", 92);
}
