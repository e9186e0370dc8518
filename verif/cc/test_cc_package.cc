// SPDX-License-Identifier: Apache-2.0
/*
 * The .dlpn package reader and writer (sw/net/net.c, sw/include/dlp_net.h): round trip, and
 * corrupted, truncated and random files -- always an error message, never a crash (these tests
 * also run under AddressSanitizer with make SAN=1).
 */
#include "cc_harness.h"

#include <cstdio>
#include <unistd.h>

#include "dlp_prog.h"

using namespace cct;

namespace {

std::vector<uint8_t> read_bytes(const std::string &path)
{
    std::vector<uint8_t> v;
    FILE *f = fopen(path.c_str(), "rb");
    if (!f)
        return v;
    int c;
    while ((c = fgetc(f)) != EOF)
        v.push_back((uint8_t)c);
    fclose(f);
    return v;
}

/* A compiled package of a small network, serialized. */
std::vector<uint8_t> small_package(const char *desc = "input x: 1x3\nfc h: x -> a out=8 relu\n"
                                                      "fc o: a -> y out=2\n")
{
    cc_net_t net;
    cc_output_t out;
    cc_options_t opt{};
    char err[1024];
    dlp_config_t c = make_config("default");
    std::string path = testing::TempDir() + "cc_pkg_" + std::to_string(getpid()) + ".dlpn";
    EXPECT_EQ(0, cc_parse_string(desc, "t.net", &net, err, sizeof err)) << err;
    EXPECT_EQ(0, cc_random_weights(&net, 5, err, sizeof err)) << err;
    EXPECT_EQ(0, cc_compile(&net, &c, &opt, &out, err, sizeof err)) << err;
    EXPECT_EQ(0, dlp_net_write_file(path.c_str(), &out.pkg, err, sizeof err)) << err;
    cc_output_free(&out);
    cc_net_free(&net);
    std::vector<uint8_t> b = read_bytes(path);
    unlink(path.c_str());
    return b;
}

void put32(std::vector<uint8_t> &b, size_t off, uint32_t v)
{
    dlp_wr32(&b[off], v);
}

/* Recomputes both CRCs so that a corruption reaches the structural checks. */
void fix_crcs(std::vector<uint8_t> &b)
{
    if (b.size() < 112)
        return;
    put32(b, 40, dlp_crc32(b.data() + 48, b.size() - 48));
    put32(b, 44, dlp_crc32(b.data(), 44));
}

/* Parses; on success touches everything the package points to (ASan checks the bounds). */
int parse_and_touch(const std::vector<uint8_t> &b, std::string *msg)
{
    dlp_net_t n;
    char err[512] = "";
    int rc = dlp_net_parse(b.data(), b.size(), &n, err, sizeof err);
    *msg = err;
    if (rc)
        return rc;
    volatile unsigned sum = 0;
    for (uint32_t i = 0; i < n.hdr.n_tensors; i++)
        sum += (unsigned)strlen(dlp_net_str(&n, n.tensors[i].name));
    for (uint32_t i = 0; i < n.hdr.n_layers; i++) {
        const dlp_net_layer_t &l = n.layers[i];
        sum += (unsigned)strlen(dlp_net_str(&n, l.name)) + (unsigned)strlen(dlp_net_str(&n, l.kind));
        const uint8_t *p = n.image + (l.prog_addr - n.hdr.image_addr);
        for (uint32_t k = 0; k < 16 * l.prog_insns; k++)
            sum += p[k];
        sum += n.tensors[l.output].addr;
        for (uint32_t k = 0; k < l.n_inputs; k++)
            sum += n.tensors[l.inputs[k]].addr;
    }
    (void)sum;
    dlp_net_free(&n);
    return 0;
}

} // namespace

TEST(CcPackage, RoundTrip)
{
    std::vector<uint8_t> b = small_package();
    dlp_net_t n;
    char err[512];
    ASSERT_GT(b.size(), 112u);
    ASSERT_EQ(0, dlp_net_parse(b.data(), b.size(), &n, err, sizeof err)) << err;
    EXPECT_EQ(2u, n.hdr.n_layers);
    EXPECT_EQ(3u, n.hdr.n_tensors);
    EXPECT_EQ(16u, n.cfg.rows);
    EXPECT_STREQ("h", dlp_net_str(&n, n.layers[0].name));
    EXPECT_STREQ("fully_connected", dlp_net_str(&n, n.layers[0].kind));
    EXPECT_EQ(24u, n.layers[0].macs);
    EXPECT_EQ(32u, n.layers[0].params);
    EXPECT_EQ((uint32_t)DLP_NET_INPUT, n.tensors[n.layers[0].inputs[0]].role);
    EXPECT_EQ((uint32_t)DLP_NET_OUTPUT, n.tensors[n.layers[1].output].role);
    EXPECT_STREQ("", dlp_net_str(&n, 1u << 30));
    dlp_net_free(&n);
}

TEST(CcPackage, SpecificErrors)
{
    std::vector<uint8_t> good = small_package(), b;
    std::string m;
    b = good;
    b[0] = 'X';
    EXPECT_EQ(-1, parse_and_touch(b, &m));
    EXPECT_NE(std::string::npos, m.find("bad magic")) << m;
    b = good;
    b[60] ^= 1;
    EXPECT_EQ(-1, parse_and_touch(b, &m));
    EXPECT_NE(std::string::npos, m.find("body CRC")) << m;
    b = good;
    b[9] ^= 1;
    EXPECT_EQ(-1, parse_and_touch(b, &m));
    EXPECT_NE(std::string::npos, m.find("header CRC")) << m;
    b = good;
    b[4] = 7;
    fix_crcs(b);
    EXPECT_EQ(-1, parse_and_touch(b, &m));
    EXPECT_NE(std::string::npos, m.find("package version 7")) << m;
    b = good;
    b.push_back(0);
    fix_crcs(b);
    EXPECT_EQ(-1, parse_and_touch(b, &m));
    EXPECT_NE(std::string::npos, m.find("trailing bytes")) << m;
    /* first tensor's address far outside the DRAM region */
    b = good;
    put32(b, 112 + 8, 0xf0000000u);
    fix_crcs(b);
    EXPECT_EQ(-1, parse_and_touch(b, &m));
    EXPECT_NE(std::string::npos, m.find("outside the DRAM region")) << m;
    /* first layer's program beyond the image */
    b = good;
    {
        uint32_t nt = dlp_rd32(&b[8]);
        size_t l0 = 112 + 64 * (size_t)nt;
        put32(b, l0 + 12, 1000000);
        fix_crcs(b);
    }
    EXPECT_EQ(-1, parse_and_touch(b, &m));
    EXPECT_NE(std::string::npos, m.find("not inside the image")) << m;
    /* a layer's output tensor index out of range */
    b = good;
    {
        uint32_t nt = dlp_rd32(&b[8]);
        put32(b, 112 + 64 * (size_t)nt + 16, nt);
        fix_crcs(b);
    }
    EXPECT_EQ(-1, parse_and_touch(b, &m));
    EXPECT_NE(std::string::npos, m.find("output tensor")) << m;
}

TEST(CcPackage, EveryTruncation)
{
    std::vector<uint8_t> good = small_package();
    std::string m;
    for (size_t len = 0; len < good.size(); len++) {
        std::vector<uint8_t> b(good.begin(), good.begin() + (long)len);
        ASSERT_EQ(-1, parse_and_touch(b, &m)) << len;
        ASSERT_NE("", m);
        fix_crcs(b); /* also with the CRCs made right: the sizes must still catch it */
        ASSERT_EQ(-1, parse_and_touch(b, &m)) << len;
    }
}

TEST(CcPackage, CorruptedWithValidCrcs)
{
    std::vector<uint8_t> good = small_package();
    ref_rng_t r;
    int rejected = 0;
    std::string m;
    ref_rng_seed(&r, 77);
    for (int it = 0; it < 4000; it++) {
        std::vector<uint8_t> b = good;
        int flips = ref_rng_range(&r, 1, 4);
        for (int k = 0; k < flips; k++) {
            /* mostly the tables, where the structure is */
            size_t hi = ref_rng_range(&r, 0, 3) ? std::min<size_t>(b.size() - 1, 600) : b.size() - 1;
            size_t at = (size_t)ref_rng_range(&r, 0, (int)hi);
            b[at] = ref_rng_range(&r, 0, 1) ? (uint8_t)ref_rng_u32(&r) : (uint8_t)(b[at] ^ 0x80);
        }
        fix_crcs(b);
        if (parse_and_touch(b, &m)) {
            rejected++;
            ASSERT_NE("", m);
        }
    }
    EXPECT_GT(rejected, 1000);
}

TEST(CcPackage, RandomFiles)
{
    ref_rng_t r;
    std::string m;
    ref_rng_seed(&r, 78);
    for (int it = 0; it < 3000; it++) {
        size_t len = (size_t)ref_rng_range(&r, 0, 700);
        std::vector<uint8_t> b(len);
        for (auto &v : b)
            v = (uint8_t)ref_rng_u32(&r);
        if (len >= 4 && ref_rng_range(&r, 0, 1))
            memcpy(b.data(), "DLPN", 4);
        if (len >= 8 && ref_rng_range(&r, 0, 1)) {
            b[4] = 1, b[5] = 0, b[6] = 1, b[7] = 0;
        }
        if (ref_rng_range(&r, 0, 1))
            fix_crcs(b);
        ASSERT_EQ(-1, parse_and_touch(b, &m));
        ASSERT_NE("", m);
    }
}

TEST(CcPackage, FileErrors)
{
    dlp_net_t n;
    char err[512];
    EXPECT_EQ(-1, dlp_net_read_file("/nonexistent/x.dlpn", &n, err, sizeof err));
    EXPECT_NE(nullptr, strstr(err, "/nonexistent/x.dlpn")) << err;
    /* the writer refuses a package the reader would reject */
    std::vector<uint8_t> good = small_package();
    ASSERT_EQ(0, dlp_net_parse(good.data(), good.size(), &n, err, sizeof err));
    n.layers[0].output = 99;
    std::string path = testing::TempDir() + "cc_bad_" + std::to_string(getpid()) + ".dlpn";
    EXPECT_EQ(-1, dlp_net_write_file(path.c_str(), &n, err, sizeof err));
    EXPECT_NE(nullptr, strstr(err, "refusing to write an invalid package")) << err;
    EXPECT_NE(0, access(path.c_str(), F_OK));
    dlp_net_free(&n);
}
