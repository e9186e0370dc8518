// SPDX-License-Identifier: Apache-2.0
/*
 * libdlp device memory: the first-fit allocator over the DMA window, fixed reservations, and
 * the buffer checks of host copies. A random sequence is checked against a byte-map reference
 * allocator that computes the first fit the slow, obvious way.
 */
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "dlp_driver.h"

namespace {

struct Dev {
    dlpd_dev_t *d = nullptr;
    explicit Dev(const char *spec)
    {
        char msg[256];
        EXPECT_EQ(DLPD_OK, dlpd_open(spec, &d, msg, sizeof msg)) << msg;
    }
    ~Dev() { dlpd_close(d); }
    operator dlpd_dev_t *() { return d; }
    std::string err() const { return dlpd_last_error(d); }
};

bool contains(const std::string &s, const std::string &p) { return s.find(p) != std::string::npos; }

const uint64_t kMem = 65536;
const char *kSpec = "cmodel:dram_bytes=65536";

TEST(DriverAlloc, ArgumentsAndAlignment)
{
    Dev d(kSpec);
    uint64_t a = 1, b = 1, c = 1;
    EXPECT_EQ(DLPD_E_ARG, dlpd_alloc(d, 0, 0, &a));
    EXPECT_EQ(DLPD_E_ARG, dlpd_alloc(d, 16, 48, &a));
    EXPECT_TRUE(contains(d.err(), "not a power of two")) << d.err();
    EXPECT_EQ(DLPD_E_ARG, dlpd_alloc(d, 16, 0, nullptr));
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 1, 0, &a));
    EXPECT_EQ(0u, a);
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 1, 0, &b));
    EXPECT_EQ((uint64_t)DLPD_ALIGN_DEFAULT, b); /* default alignment */
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 1, 4096, &c));
    EXPECT_EQ(4096u, c);
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 3, 1, &a));
    EXPECT_EQ(1u, a); /* first fit: the gap right after a's byte */
}

TEST(DriverAlloc, FirstFitReusesGapsAndFreedNeighboursMerge)
{
    Dev d(kSpec);
    uint64_t a, b, c, x, y;
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 1000, 16, &a));
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 1000, 16, &b));
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 1000, 16, &c));
    EXPECT_EQ(0u, a);
    EXPECT_EQ(1008u, b);
    EXPECT_EQ(2016u, c);
    ASSERT_EQ(DLPD_OK, dlpd_free(d, b));
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 500, 16, &x));
    EXPECT_EQ(b, x); /* first fit: the gap */
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 600, 16, &y));
    EXPECT_EQ(3024u, y); /* does not fit the rest of the gap */
    ASSERT_EQ(DLPD_OK, dlpd_free(d, x));
    ASSERT_EQ(DLPD_OK, dlpd_free(d, a));
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 2016, 16, &x));
    EXPECT_EQ(0u, x); /* a and b's ranges merged */
    dlpd_mem_stats_t st;
    dlpd_mem_stats(d, &st);
    EXPECT_EQ(3u, st.buffers);
    EXPECT_EQ(2016u + 1000 + 600, st.used);
    EXPECT_EQ(kMem - st.used, st.free);
    EXPECT_EQ(kMem - 3624, st.largest_free);
}

TEST(DriverAlloc, ExhaustionAndHugeRequests)
{
    Dev d(kSpec);
    uint64_t a, b;
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, kMem, 1, &a));
    EXPECT_EQ(DLPD_E_NOSPACE, dlpd_alloc(d, 1, 1, &b));
    EXPECT_TRUE(contains(d.err(), "0 of 65536 bytes free")) << d.err();
    ASSERT_EQ(DLPD_OK, dlpd_free(d, a));
    EXPECT_EQ(DLPD_E_NOSPACE, dlpd_alloc(d, kMem + 1, 1, &b));
    EXPECT_EQ(DLPD_E_NOSPACE, dlpd_alloc(d, UINT64_MAX, 1, &b));
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 1, 1ull << 63, &a)); /* 0 is aligned to anything */
    EXPECT_EQ(0u, a);
    EXPECT_EQ(DLPD_E_NOSPACE, dlpd_alloc(d, 1, 1ull << 63, &b)); /* no overflow past 2^64 */
    EXPECT_EQ(DLPD_E_NOSPACE, dlpd_alloc(d, 1, 1ull << 17, &b));
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, kMem - 1, 1, &b));
    EXPECT_EQ(1u, b);
}

TEST(DriverAlloc, FixedReservations)
{
    Dev d(kSpec);
    uint64_t a;
    EXPECT_EQ(DLPD_OK, dlpd_alloc_at(d, 0x100, 0x100));
    EXPECT_EQ(DLPD_OK, dlpd_alloc_at(d, 0x200, 0x10));   /* adjacent above */
    EXPECT_EQ(DLPD_OK, dlpd_alloc_at(d, 0xf0, 0x10));    /* adjacent below */
    EXPECT_EQ(DLPD_E_NOSPACE, dlpd_alloc_at(d, 0x1ff, 1)); /* inside */
    EXPECT_EQ(DLPD_E_NOSPACE, dlpd_alloc_at(d, 0x80, 0x71)); /* overlaps the start */
    EXPECT_TRUE(contains(d.err(), "overlaps")) << d.err();
    EXPECT_EQ(DLPD_E_NOSPACE, dlpd_alloc_at(d, 0x0, 0x1000)); /* covers them */
    EXPECT_EQ(DLPD_OK, dlpd_alloc_at(d, kMem - 16, 16));     /* the last bytes */
    EXPECT_EQ(DLPD_E_RANGE, dlpd_alloc_at(d, kMem - 15, 16));
    EXPECT_EQ(DLPD_E_RANGE, dlpd_alloc_at(d, kMem, 1));
    EXPECT_EQ(DLPD_E_RANGE, dlpd_alloc_at(d, UINT64_MAX, 2));
    EXPECT_EQ(DLPD_E_RANGE, dlpd_alloc_at(d, 16, UINT64_MAX));
    EXPECT_TRUE(contains(d.err(), "outside device memory")) << d.err();
    EXPECT_EQ(DLPD_E_ARG, dlpd_alloc_at(d, 0x5000, 0));
    /* allocation flows around reservations */
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 0xf0, 16, &a));
    EXPECT_EQ(0u, a);
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 0x10, 16, &a));
    EXPECT_EQ(0x210u, a);
}

TEST(DriverAlloc, FreeOnlyBufferStarts)
{
    Dev d(kSpec);
    uint64_t a;
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 100, 0, &a));
    EXPECT_EQ(DLPD_E_ARG, dlpd_free(d, a + 1));
    EXPECT_EQ(DLPD_E_ARG, dlpd_free(d, 5000));
    EXPECT_EQ(DLPD_OK, dlpd_free(d, a));
    EXPECT_EQ(DLPD_E_ARG, dlpd_free(d, a)); /* double free */
    EXPECT_TRUE(contains(d.err(), "not the start of a buffer")) << d.err();
}

TEST(DriverAlloc, CopiesStayInsideOneBuffer)
{
    Dev d(kSpec);
    uint64_t a, b;
    uint8_t buf[300] = {0};
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 128, 64, &a));
    ASSERT_EQ(DLPD_OK, dlpd_alloc(d, 128, 64, &b));
    ASSERT_EQ(b, a + 128);
    for (int i = 0; i < 128; i++)
        buf[i] = (uint8_t)(i * 7);
    EXPECT_EQ(DLPD_OK, dlpd_write(d, a, buf, 128));
    EXPECT_EQ(DLPD_OK, dlpd_write(d, a + 127, buf, 1));
    EXPECT_EQ(DLPD_E_RANGE, dlpd_write(d, a + 127, buf, 2)); /* spills into b */
    EXPECT_TRUE(contains(d.err(), "not inside one allocated buffer")) << d.err();
    EXPECT_EQ(DLPD_E_RANGE, dlpd_read(d, a, buf, 256));      /* spans two buffers */
    EXPECT_EQ(DLPD_E_RANGE, dlpd_read(d, 0x8000, buf, 1));   /* unallocated */
    EXPECT_EQ(DLPD_E_RANGE, dlpd_read(d, UINT64_MAX, buf, 2));
    EXPECT_EQ(DLPD_OK, dlpd_read(d, 0x8000, buf, 0));        /* nothing to copy */
    EXPECT_EQ(DLPD_E_ARG, dlpd_write(d, a, nullptr, 4));
    uint8_t back[128];
    ASSERT_EQ(DLPD_OK, dlpd_read(d, a, back, 128));
    for (int i = 0; i < 127; i++)
        EXPECT_EQ((uint8_t)(i * 7), back[i]);
    EXPECT_EQ(0, back[127]);
    ASSERT_EQ(DLPD_OK, dlpd_free(d, b));
    EXPECT_EQ(DLPD_E_RANGE, dlpd_read(d, b, back, 1));
}

/* Random allocations and frees against a byte map doing first fit the slow way. */
TEST(DriverAlloc, RandomAgainstAByteMapReference)
{
    Dev d(kSpec);
    std::vector<uint8_t> used(kMem, 0);
    std::map<uint64_t, uint64_t> live; /* addr -> size */
    std::mt19937_64 rng(12345);
    auto ref_fit = [&](uint64_t n, uint64_t align) -> int64_t {
        for (uint64_t a = 0; a + n <= kMem; a += align) {
            uint64_t i = 0;
            while (i < n && !used[a + i])
                i++;
            if (i == n)
                return (int64_t)a;
        }
        return -1;
    };
    for (int step = 0; step < 1500; step++) {
        if (live.empty() || rng() % 100 < 55) {
            uint64_t n = 1 + rng() % (rng() % 4 ? 700 : 9000);
            uint64_t align = 1ull << (rng() % 9);
            int64_t want = ref_fit(n, align);
            uint64_t got = 0;
            dlpd_err_t e = dlpd_alloc(d, n, align, &got);
            if (want < 0) {
                ASSERT_EQ(DLPD_E_NOSPACE, e) << "step " << step;
                continue;
            }
            ASSERT_EQ(DLPD_OK, e) << "step " << step << ": " << d.err();
            ASSERT_EQ((uint64_t)want, got) << "step " << step << " n " << n << " align " << align;
            memset(&used[got], 1, n);
            live[got] = n;
        } else {
            auto it = live.begin();
            std::advance(it, (long)(rng() % live.size()));
            ASSERT_EQ(DLPD_OK, dlpd_free(d, it->first));
            memset(&used[it->first], 0, it->second);
            live.erase(it);
        }
        if (step % 50 == 0) {
            dlpd_mem_stats_t st;
            dlpd_mem_stats(d, &st);
            uint64_t u = 0;
            for (auto &kv : live)
                u += kv.second;
            ASSERT_EQ(u, st.used);
            ASSERT_EQ(live.size(), st.buffers);
            ASSERT_EQ(kMem - u, st.free);
        }
    }
}

} // namespace
