// SPDX-License-Identifier: Apache-2.0
/*
 * libdlp and compiled network packages (dlp_net.h): a two-layer package built here in memory
 * (the compiler's writer is not needed to test the driver's side), loaded and run layer by
 * layer through the driver and compared with the same programs run on the C model directly;
 * capability mismatches; inconsistent packages; tensor I/O; quantization and top-k.
 */
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "dlp.h"
#include "dlp_asm.h"
#include "dlp_driver.h"

namespace {

bool contains(const std::string &s, const std::string &p) { return s.find(p) != std::string::npos; }

std::vector<uint8_t> assemble_bytes(const std::string &src)
{
    dlp_asm_result_t r;
    std::vector<uint8_t> b;
    if (dlp_asm_string(src.c_str(), "layer.s", nullptr, &r) == 0) {
        b.resize((size_t)r.n_insns * 16);
        for (size_t i = 0; i < 4 * (size_t)r.n_insns; i++)
            for (int k = 0; k < 4; k++)
                b[4 * i + k] = (uint8_t)(r.words[i] >> (8 * k));
    } else {
        for (int i = 0; i < r.n_messages; i++)
            ADD_FAILURE() << r.messages[i];
    }
    dlp_asm_result_free(&r);
    return b;
}

/* An FC layer program with absolute DRAM addresses (see test_driver.cc's kFc). */
std::string fc_program(uint32_t in, uint32_t w, uint32_t p, uint32_t out, int k, int n, int zp,
                       int lo)
{
    char s[1024];
    snprintf(s, sizeof s,
             "li r1, %u\n dma nram[r0], dram[r1], %d\n"
             "li r2, %u\n dma wram[r0], dram[r2], %d\n"
             "li r3, %u\n li r4, 0x1000\n dma wram[r4], dram[r3], %d\n sync\n"
             "li r5, %d\n mm acc[r0], nram[r0], wram[r0], 1, %d, %d, ws=r5\n sync\n"
             "li r6, 0x800\n vrq nram[r6], acc[r0], wram[r4], 1, %d, zp=%d, lo=%d\n sync\n"
             "li r7, %u\n dma dram[r7], nram[r6], %d\n halt\n",
             in, k, w, k * n, p, 12 * n, n, k, n, n, zp, lo, out, n);
    return s;
}

const uint32_t kBase = 0x100000, kSize = 0x40000;
const int K0 = 40, N0 = 24, N1 = 10;
enum { T_IN, T_HID, T_OUT, T_W0 };

/* A package in memory: what dlp_net_parse would hand the driver. */
struct Pkg {
    std::vector<dlp_net_tensor_t> tensors;
    std::vector<dlp_net_layer_t> layers;
    std::string strings;
    std::vector<uint8_t> image;
    dlp_net_t net{};

    uint32_t str(const char *s)
    {
        uint32_t off = (uint32_t)strings.size();
        strings += s;
        strings += '\0';
        return off;
    }
    dlp_net_tensor_t tensor(const char *name, uint32_t role, uint32_t addr,
                            std::vector<uint32_t> dims, float scale, int32_t zp)
    {
        dlp_net_tensor_t t{};
        t.name = str(name);
        t.role = role;
        t.addr = addr;
        t.ndims = (uint32_t)dims.size();
        t.bytes = 1;
        for (size_t i = 0; i < dims.size(); i++) {
            t.dims[i] = dims[i];
            t.bytes *= dims[i];
        }
        t.scale = scale;
        t.zero_point = zp;
        return t;
    }
    void put(uint32_t addr, const std::vector<uint8_t> &b)
    {
        ASSERT_GE(addr, kBase);
        memcpy(&image[addr - kBase], b.data(), b.size());
    }

    Pkg()
    {
        image.assign(0x2000, 0);
        const uint32_t prog0 = kBase, prog1 = kBase + 0x800, w0 = kBase + 0x1000,
                       p0 = kBase + 0x1400, w1 = kBase + 0x1800, p1 = kBase + 0x1900;
        const uint32_t in = kBase + 0x10000, hid = kBase + 0x11000, out = kBase + 0x12000;
        tensors.push_back(tensor("input", DLP_NET_INPUT, in, {1, (uint32_t)K0}, 0.05f, -3));
        tensors.push_back(tensor("hidden", DLP_NET_INTERNAL, hid, {1, (uint32_t)N0}, 0.2f, -128));
        tensors.push_back(tensor("logits", DLP_NET_OUTPUT, out, {1, (uint32_t)N1}, 0.1f, 5));
        tensors.push_back(tensor("fc1.w", DLP_NET_CONST, w0, {(uint32_t)K0, (uint32_t)N0}, 1, 0));
        put(prog0, assemble_bytes(fc_program(in, w0, p0, hid, K0, N0, -128, -128)));
        put(prog1, assemble_bytes(fc_program(hid, w1, p1, out, N0, N1, 5, -128)));
        uint32_t x = 99;
        auto rnd = [&]() { return x = x * 1664525u + 1013904223u; };
        for (int i = 0; i < K0 * N0; i++)
            image[w0 - kBase + i] = (uint8_t)(rnd() >> 24);
        for (int i = 0; i < N0 * N1; i++)
            image[w1 - kBase + i] = (uint8_t)(rnd() >> 24);
        for (int c = 0; c < N0 + N1; c++) {
            int32_t prm[3] = {(int32_t)(rnd() % 4000) - 2000, 1200000000 + (int32_t)(rnd() % 1000),
                              -(int32_t)(3 + rnd() % 4)};
            uint32_t at = c < N0 ? p0 + 12 * c : p1 + 12 * (c - N0);
            memcpy(&image[at - kBase], prm, 12);
        }
        dlp_net_layer_t l0{}, l1{};
        l0.name = str("fc1");
        l0.kind = str("fully_connected");
        l0.prog_addr = prog0;
        l0.prog_insns = 17;
        l0.output = T_HID;
        l0.n_inputs = 2;
        l0.inputs[0] = T_IN;
        l0.inputs[1] = T_W0;
        l0.macs = K0 * N0;
        l1 = l0;
        l1.name = str("fc2");
        l1.prog_addr = prog1;
        l1.output = T_OUT;
        l1.n_inputs = 1;
        l1.inputs[0] = T_HID;
        l1.macs = N0 * N1;
        layers = {l0, l1};
        net.cfg.rows = net.cfg.cols = net.cfg.vlanes = 16;
        net.cfg.nram_bytes = 128 * 1024;
        net.cfg.wram_bytes = 256 * 1024;
        net.cfg.acc_bytes = 64 * 1024;
        net.cfg.imem_insns = 4096;
        net.cfg.beat_bytes = 16;
        memcpy(net.hdr.magic, "DLPN", 4);
        net.hdr.version = DLP_NET_VERSION;
        net.hdr.isa_version = DLP_ISA_VERSION;
        net.hdr.image_addr = kBase;
        net.hdr.dram_base = kBase;
        net.hdr.dram_bytes = kSize;
        sync();
    }
    /* points the dlp_net_t at the vectors (again, after a test edits them) */
    dlp_net_t *sync()
    {
        net.hdr.n_tensors = (uint32_t)tensors.size();
        net.hdr.n_layers = (uint32_t)layers.size();
        net.hdr.strings_bytes = (uint32_t)strings.size();
        net.hdr.image_bytes = (uint32_t)image.size();
        net.tensors = tensors.data();
        net.layers = layers.data();
        net.strings = strings.data();
        net.image = image.data();
        return &net;
    }
};

struct Dev {
    dlpd_dev_t *d = nullptr;
    explicit Dev(const char *spec = "cmodel:dram_mib=2")
    {
        char msg[256];
        EXPECT_EQ(DLPD_OK, dlpd_open(spec, &d, msg, sizeof msg)) << msg;
    }
    ~Dev() { dlpd_close(d); }
    operator dlpd_dev_t *() { return d; }
    std::string err() const { return dlpd_last_error(d); }
};

std::vector<int8_t> input_data()
{
    std::vector<int8_t> v(K0);
    for (int i = 0; i < K0; i++)
        v[i] = (int8_t)(i * 37 - 60);
    return v;
}

/* ---- running ------------------------------------------------------------------------------------------ */

TEST(DriverNet, LayersRunInOrderAndMatchTheModelRunDirectly)
{
    Pkg pk;
    dlp_net_t *net = pk.sync();
    Dev d;
    ASSERT_EQ(DLPD_OK, dlpd_net_load(d, net)) << d.err();
    std::vector<int8_t> in = input_data();
    ASSERT_EQ(DLPD_OK, dlpd_tensor_write(d, net, T_IN, in.data(), in.size())) << d.err();
    dlpd_result_t res[2];
    std::vector<int8_t> hid(N0), out(N1);
    ASSERT_EQ(DLPD_OK, dlpd_net_run_layer(d, net, 0, 0, &res[0])) << d.err();
    ASSERT_EQ(DLPD_OK, dlpd_tensor_read(d, net, T_HID, hid.data(), hid.size()));
    ASSERT_EQ(DLPD_OK, dlpd_net_run_layer(d, net, 1, 0, &res[1])) << d.err();
    ASSERT_EQ(DLPD_OK, dlpd_tensor_read(d, net, T_OUT, out.data(), out.size()));
    /* the device's own window setting is untouched by layer runs */
    uint32_t wb = 1;
    dlpd_csr_read(d, DLP_CSR_WIN_BASE, &wb);
    EXPECT_EQ(kBase, wb);

    /* the same on the model directly */
    dlp_config_t c;
    dlp_config_default(&c);
    c.dram_bytes = 2u << 20;
    c.max_cycles = 0;
    char msg[256];
    dlp_t *m = dlp_create(&c, msg, sizeof msg);
    ASSERT_NE(nullptr, m) << msg;
    ASSERT_EQ(0, dlp_dram_write(m, kBase, pk.image.data(), pk.image.size()));
    ASSERT_EQ(0, dlp_dram_write(m, pk.tensors[T_IN].addr, in.data(), in.size()));
    ASSERT_EQ(0, dlp_set_window(m, kBase, kBase + kSize));
    for (int l = 0; l < 2; l++) {
        dlp_result_t r;
        ASSERT_EQ(0, dlp_run(m, pk.layers[l].prog_addr, pk.layers[l].prog_insns, &r)) << r.message;
        const dlpd_counters_t &g = res[l].counters;
        EXPECT_EQ(r.counters.cycles, g.cycles) << "layer " << l;
        EXPECT_EQ(r.counters.macs, g.macs);
        EXPECT_EQ(r.counters.dram_rd_bytes, g.dram_rd_bytes);
        EXPECT_EQ(r.counters.dram_wr_bytes, g.dram_wr_bytes);
        EXPECT_EQ(r.counters.busy_dma, g.busy_dma);
        EXPECT_EQ(r.counters.busy_mfu, g.busy_mfu);
        EXPECT_EQ(r.counters.busy_vfu, g.busy_vfu);
        EXPECT_EQ(r.counters.insns, g.insns);
        EXPECT_EQ(pk.layers[l].macs, g.macs);
        std::vector<int8_t> want(l ? N1 : N0);
        ASSERT_EQ(0, dlp_dram_read(m, pk.tensors[l ? T_OUT : T_HID].addr, want.data(), want.size()));
        EXPECT_EQ(want, l ? out : hid) << "layer " << l;
    }
    dlp_destroy(m);
    /* the hidden layer went through ReLU (lo = zp = -128 is the floor, nothing below) and the
       outputs are not all one value: the programs computed something */
    bool differ = false;
    for (int i = 1; i < N1; i++)
        differ |= out[i] != out[0];
    EXPECT_TRUE(differ);
    EXPECT_EQ(DLPD_OK, dlpd_net_unload(d, net));
    dlpd_mem_stats_t st;
    dlpd_mem_stats(d, &st);
    EXPECT_EQ(0u, st.buffers);
}

TEST(DriverNet, RunsOnEveryMatchingShapeAndLargerMemories)
{
    Pkg pk;
    pk.net.cfg.rows = pk.net.cfg.cols = pk.net.cfg.vlanes = 4;
    pk.net.cfg.nram_bytes = 64 * 1024; /* the device's 128 KiB NRAM is larger: fine */
    Dev d("cmodel:config=4x4,dram_mib=2");
    ASSERT_EQ(DLPD_OK, dlpd_net_load(d, pk.sync())) << d.err();
    std::vector<int8_t> in = input_data();
    ASSERT_EQ(DLPD_OK, dlpd_tensor_write(d, &pk.net, T_IN, in.data(), in.size()));
    dlpd_result_t r;
    EXPECT_EQ(DLPD_OK, dlpd_net_run_layer(d, &pk.net, 0, 0, &r)) << d.err();
    EXPECT_EQ(DLPD_OK, dlpd_net_run_layer(d, &pk.net, 1, 0, &r)) << d.err();
}

TEST(DriverNet, ALayerErrorNamesTheLayer)
{
    Pkg pk;
    /* fc2's program loses its halt: the core runs past its end */
    pk.layers[1].prog_insns = 16;
    Dev d;
    ASSERT_EQ(DLPD_OK, dlpd_net_load(d, pk.sync()));
    dlpd_result_t r;
    EXPECT_EQ(DLPD_OK, dlpd_net_run_layer(d, &pk.net, 0, 0, &r));
    EXPECT_EQ(DLPD_E_RUN, dlpd_net_run_layer(d, &pk.net, 1, 0, &r));
    EXPECT_EQ(DLP_CAUSE_PC_RANGE, r.cause);
    EXPECT_TRUE(contains(d.err(), "layer 1 (fc2): run stopped with PC_RANGE")) << d.err();
    EXPECT_EQ(DLPD_E_ARG, dlpd_net_run_layer(d, &pk.net, 2, 0, &r));
}

TEST(DriverNet, LoadReservesTheRegion)
{
    Pkg pk;
    Dev d;
    std::vector<int8_t> in = input_data();
    EXPECT_EQ(DLPD_E_RANGE, dlpd_tensor_write(d, pk.sync(), T_IN, in.data(), in.size()));
    ASSERT_EQ(DLPD_OK, dlpd_net_load(d, &pk.net));
    EXPECT_EQ(DLPD_E_NOSPACE, dlpd_net_load(d, &pk.net)); /* loaded already */
    uint64_t a;
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 64, 0, &a));
    EXPECT_TRUE(a + 64 <= kBase || a >= kBase + kSize);
    /* tensor I/O checks */
    EXPECT_EQ(DLPD_E_ARG, dlpd_tensor_write(d, &pk.net, T_IN, in.data(), in.size() - 1));
    EXPECT_TRUE(contains(d.err(), "tensor 0 (input) has 40 elements, not 39")) << d.err();
    EXPECT_EQ(DLPD_E_ARG, dlpd_tensor_read(d, &pk.net, 4, (int8_t *)in.data(), 1));
    /* the image is in device memory */
    std::vector<uint8_t> img(pk.image.size());
    ASSERT_EQ(DLPD_OK, dlpd_read(d, kBase, img.data(), img.size()));
    EXPECT_EQ(pk.image, img);
    EXPECT_EQ(DLPD_OK, dlpd_net_unload(d, &pk.net));
    EXPECT_EQ(DLPD_E_ARG, dlpd_net_unload(d, &pk.net));
}

TEST(DriverNet, StridedTensorsKeepTheirBorders)
{
    Pkg pk;
    /* a 2x3x4x5 tensor with 12 bytes of border after each row of 20 and 16 after each image */
    dlp_net_tensor_t t = pk.tensor("bordered", DLP_NET_INTERNAL, kBase + 0x13000, {2, 3, 4, 5}, 1, 0);
    t.row_stride = 32;
    t.img_stride = 3 * 32 + 16;
    t.bytes = 112 + 2 * 32 + 20;
    pk.tensors.push_back(t);
    Dev d;
    ASSERT_EQ(DLPD_OK, dlpd_net_load(d, pk.sync())) << d.err();
    std::vector<int8_t> v(120), back(120);
    for (int i = 0; i < 120; i++)
        v[i] = (int8_t)(i + 1);
    ASSERT_EQ(DLPD_OK, dlpd_tensor_write(d, &pk.net, 4, v.data(), v.size())) << d.err();
    ASSERT_EQ(DLPD_OK, dlpd_tensor_read(d, &pk.net, 4, back.data(), back.size()));
    EXPECT_EQ(v, back);
    std::vector<int8_t> raw(t.bytes);
    ASSERT_EQ(DLPD_OK, dlpd_read(d, t.addr, raw.data(), raw.size()));
    for (uint32_t n = 0; n < 2; n++)
        for (uint32_t h = 0; h < 3; h++)
            for (uint32_t k = 0; k < 32 && n * 112 + h * 32 + k < raw.size(); k++) {
                int8_t want = k < 20 ? (int8_t)((n * 3 + h) * 20 + k + 1) : 0; /* border stays */
                EXPECT_EQ(want, raw[n * 112 + h * 32 + k]) << n << "," << h << "," << k;
            }
    EXPECT_EQ(0, raw[96 + 10]); /* the image border */
    /* a layout longer than the tensor's bytes is refused */
    pk.tensors[4].bytes -= 1;
    Dev d2;
    EXPECT_EQ(DLPD_E_PACKAGE, dlpd_net_load(d2, pk.sync()));
    EXPECT_TRUE(contains(d2.err(), "its layout spans 196 bytes, more than its 195")) << d2.err();
}

/* ---- capabilities --------------------------------------------------------------------------------------- */

TEST(DriverNetCaps, AnotherArrayShapeIsRefusedWithEveryDifference)
{
    Pkg pk;
    Dev d("cmodel:config=4x4,dram_mib=2,nram_kib=32");
    EXPECT_EQ(DLPD_E_CAPS, dlpd_net_load(d, pk.sync()));
    std::string e = d.err();
    EXPECT_TRUE(contains(e, "compiled for a 16x16 core")) << e;
    EXPECT_TRUE(contains(e, "cannot run on this cmodel core (4x4")) << e;
    EXPECT_TRUE(contains(e, "a 16x16 array, the core has 4x4")) << e;
    EXPECT_TRUE(contains(e, "16 vector lanes, the core has 4")) << e;
    EXPECT_TRUE(contains(e, "NRAM of 128 KiB, the core has 32 KiB")) << e;
    dlpd_mem_stats_t st;
    dlpd_mem_stats(d, &st);
    EXPECT_EQ(0u, st.buffers);
}

TEST(DriverNetCaps, EachLimitOnItsOwn)
{
    struct {
        const char *spec, *want;
        void (*edit)(Pkg &);
    } cases[] = {
        {"cmodel:dram_mib=2,cols=8", "a 16x16 array, the core has 16x8", [](Pkg &) {}},
        {"cmodel:dram_mib=2,wram_kib=128", "WRAM of 256 KiB, the core has 128 KiB", [](Pkg &) {}},
        {"cmodel:dram_mib=2,acc_kib=32", "an accumulator of 64 KiB, the core has 32 KiB",
         [](Pkg &) {}},
        {"cmodel:dram_mib=2,imem_insns=16", "layer 0's program of 17 instructions", [](Pkg &) {}},
        {"cmodel:dram_mib=1", "DRAM 0x100000..0x13ffff, the device memory is 0x0..0xfffff",
         [](Pkg &) {}},
        {"cmodel:dram_mib=2", "ISA version 99", [](Pkg &p) { p.net.hdr.isa_version = 99; }},
    };
    for (auto &c : cases) {
        Pkg pk;
        c.edit(pk);
        Dev d(c.spec);
        EXPECT_EQ(DLPD_E_CAPS, dlpd_net_check(d, pk.sync())) << c.spec;
        EXPECT_TRUE(contains(d.err(), c.want)) << c.spec << ": " << d.err();
    }
}

/* ---- inconsistent packages -------------------------------------------------------------------------------- */

TEST(DriverNetBad, EveryInconsistencyIsAPackageError)
{
    struct {
        const char *want;
        void (*edit)(Pkg &);
    } cases[] = {
        {"no layers", [](Pkg &p) { p.layers.clear(); }},
        {"region is empty", [](Pkg &p) { p.net.hdr.dram_bytes = 0; }},
        {"leaves the 32-bit address space", [](Pkg &p) { p.net.hdr.dram_bytes = 0xfff00001u; }},
        {"image 0x100000 + 8192 bytes is outside", [](Pkg &p) { p.net.hdr.dram_bytes = 0x1000; }},
        {"tensor 1 (hidden): unknown role 9", [](Pkg &p) { p.tensors[1].role = 9; }},
        {"tensor 2 (logits): bad shape (0 dimensions)", [](Pkg &p) { p.tensors[2].ndims = 0; }},
        {"tensor 2 (logits): bad shape (5 dimensions)", [](Pkg &p) { p.tensors[2].ndims = 5; }},
        {"tensor 0 (input): bad shape", [](Pkg &p) { p.tensors[0].dims[1] = 0; }},
        {"tensor 0 (input): its layout spans 40 bytes, more than its 39",
         [](Pkg &p) { p.tensors[0].bytes = 39; }},
        {"tensor 0 (input): a row stride on a 2-D tensor",
         [](Pkg &p) { p.tensors[0].row_stride = 64; }},
        {"tensor 1 (hidden): strides (row 0, image 20) overlap its rows of 24 bytes",
         [](Pkg &p) { p.tensors[1].img_stride = 20; }},
        {"tensor 2 (logits) at 0x140000", [](Pkg &p) { p.tensors[2].addr = kBase + kSize; }},
        {"layer 1 (fc2): program of 17 instructions at 0x100808 is not a 16-byte aligned",
         [](Pkg &p) { p.layers[1].prog_addr += 8; }},
        {"layer 0 (fc1): program of 600 instructions",
         [](Pkg &p) { p.layers[0].prog_insns = 600; }},
        {"layer 0 (fc1): program of 0 instructions", [](Pkg &p) { p.layers[0].prog_insns = 0; }},
        {"layer 1 (fc2): output tensor 4 of 4", [](Pkg &p) { p.layers[1].output = 4; }},
        {"layer 1 (fc2): 5 inputs", [](Pkg &p) { p.layers[1].n_inputs = 5; }},
        {"layer 0 (fc1): input tensor 7 of 4", [](Pkg &p) { p.layers[0].inputs[1] = 7; }},
    };
    for (auto &c : cases) {
        Pkg pk;
        c.edit(pk);
        Dev d;
        dlp_net_t *net = pk.sync();
        EXPECT_EQ(DLPD_E_PACKAGE, dlpd_net_load(d, net)) << c.want;
        EXPECT_TRUE(contains(d.err(), c.want)) << c.want << " / " << d.err();
        dlpd_mem_stats_t st;
        dlpd_mem_stats(d, &st);
        EXPECT_EQ(0u, st.buffers) << c.want;
    }
    /* missing arrays */
    Pkg pk;
    Dev d;
    dlp_net_t *net = pk.sync();
    net->image = nullptr;
    EXPECT_EQ(DLPD_E_PACKAGE, dlpd_net_check(d, net));
    net = pk.sync();
    net->tensors = nullptr;
    EXPECT_EQ(DLPD_E_PACKAGE, dlpd_net_check(d, net));
    EXPECT_EQ(DLPD_E_ARG, dlpd_net_check(d, nullptr));
}

TEST(DriverNetBad, StringsOutsideTheirSectionReadEmpty)
{
    Pkg pk;
    dlp_net_t *net = pk.sync();
    EXPECT_STREQ("input", dlpd_net_string(net, pk.tensors[0].name));
    EXPECT_STREQ("", dlpd_net_string(net, (uint32_t)pk.strings.size()));
    EXPECT_STREQ("", dlpd_net_string(net, 0xffffffffu));
    EXPECT_STREQ("", dlpd_net_string(nullptr, 0));
    net->hdr.strings_bytes = 3; /* "inp" without its terminator */
    EXPECT_STREQ("", dlpd_net_string(net, 0));
}

/* ---- helpers --------------------------------------------------------------------------------------------- */

TEST(DriverNetHelpers, QuantizeAsTflite)
{
    EXPECT_EQ(1, dlpd_quantize(0.5f, 0.5f, 0));
    EXPECT_EQ(1, dlpd_quantize(0.25f, 0.5f, 0));   /* 0.5 rounds away from zero */
    EXPECT_EQ(-1, dlpd_quantize(-0.25f, 0.5f, 0));
    EXPECT_EQ(0, dlpd_quantize(0.24f, 0.5f, 0));
    EXPECT_EQ(-118, dlpd_quantize(1.0f, 0.1f, -128));
    EXPECT_EQ(127, dlpd_quantize(1e9f, 0.1f, 0));
    EXPECT_EQ(-128, dlpd_quantize(-1e9f, 0.1f, 0));
    EXPECT_EQ(127, dlpd_quantize(INFINITY, 0.1f, 0));
    EXPECT_EQ(-128, dlpd_quantize(-INFINITY, 0.1f, 0));
    EXPECT_EQ(7, dlpd_quantize(NAN, 0.1f, 7));
    EXPECT_EQ(127, dlpd_quantize(0.0f, 0.1f, 300)); /* zero point out of range clamps */
    EXPECT_FLOAT_EQ(-1.3f, dlpd_dequantize(-10, 0.1f, 3));
    EXPECT_FLOAT_EQ(0.0f, dlpd_dequantize(3, 0.1f, 3));
    /* round trip on representable values */
    for (int q = -128; q < 128; q++)
        EXPECT_EQ(q, dlpd_quantize(dlpd_dequantize((int8_t)q, 0.0375f, -5), 0.0375f, -5));
}

TEST(DriverNetHelpers, TopK)
{
    const int8_t v[] = {5, -3, 9, 9, 0, 127, -128, 5};
    uint32_t idx[10];
    ASSERT_EQ(3u, dlpd_topk(v, 8, 3, idx));
    EXPECT_EQ(5u, idx[0]);
    EXPECT_EQ(2u, idx[1]); /* ties: the lower index first */
    EXPECT_EQ(3u, idx[2]);
    ASSERT_EQ(8u, dlpd_topk(v, 8, 10, idx));
    const uint32_t all[] = {5, 2, 3, 0, 7, 4, 1, 6};
    for (int i = 0; i < 8; i++)
        EXPECT_EQ(all[i], idx[i]) << i;
    EXPECT_EQ(0u, dlpd_topk(v, 8, 0, idx));
    EXPECT_EQ(0u, dlpd_topk(v, 0, 3, idx));
    const int8_t same[] = {1, 1, 1, 1};
    ASSERT_EQ(2u, dlpd_topk(same, 4, 2, idx));
    EXPECT_EQ(0u, idx[0]);
    EXPECT_EQ(1u, idx[1]);
}

TEST(DriverNetHelpers, TensorElems)
{
    dlp_net_tensor_t t{};
    EXPECT_EQ(0u, dlpd_tensor_elems(&t));
    t.ndims = 4;
    t.dims[0] = 1, t.dims[1] = 224, t.dims[2] = 224, t.dims[3] = 3;
    EXPECT_EQ(150528u, dlpd_tensor_elems(&t));
    t.dims[0] = 0xffffffffu, t.dims[1] = 0xffffffffu, t.dims[2] = 2;
    EXPECT_EQ(0u, dlpd_tensor_elems(&t)); /* does not wrap */
    EXPECT_EQ(0u, dlpd_tensor_elems(nullptr));
}

} // namespace
