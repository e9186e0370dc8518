// SPDX-License-Identifier: Apache-2.0
/*
 * The C model's race check (cmodel/src/race.c): accesses of two queues to the same bytes, one
 * writing, that no queue order, token chain or sync orders are reported -- naming both
 * instructions and the byte range -- whatever the timing of the run; ordered programs are not.
 * Expectations are written by hand from the programs below (pcs, queues, ranges).
 */
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "dlp.h"
#include "asm_util.h"
#include "dlp_asm.h"
#include "dlp_driver.h"

namespace {

using dlpt::assemble;

struct RunOut {
    dlp_result_t res;
    std::vector<dlp_race_t> races;
};

RunOut run(const char *src, void (*tweak)(dlp_config_t *) = nullptr, dlp_t *reuse = nullptr)
{
    dlp_config_t c;
    dlp_config_default(&c);
    c.dram_bytes = 1u << 20;
    if (tweak)
        tweak(&c);
    char msg[256];
    dlp_t *m = reuse ? reuse : dlp_create(&c, msg, sizeof msg);
    RunOut r;
    memset(&r.res, 0, sizeof r.res);
    if (!m) {
        ADD_FAILURE() << msg;
        return r;
    }
    std::vector<uint32_t> p = assemble(src);
    dlp_dram_write(m, 0, p.data(), 4 * p.size());
    dlp_run(m, 0, (uint32_t)(p.size() / 4), &r.res);
    EXPECT_EQ(DLP_DONE, r.res.status) << r.res.message;
    dlp_race_t x;
    for (unsigned k = 0; dlp_race_get(m, k, &x) == 0; k++)
        r.races.push_back(x);
    if (!reuse)
        dlp_destroy(m);
    return r;
}

const char *kLoadClampStore = R"(
    li r1, 0x10000
    li r2, 0x20000
    li r3, 0x100
    dma nram[r3], dram[r1], 128 %s
    vclamp nram[r3], nram[r3], 1, 128, 0, 127 %s
    dma dram[r2], nram[r3], 128 %s
    halt
)";

std::string fill(const char *fmt, const char *a, const char *b, const char *c)
{
    char buf[1024];
    snprintf(buf, sizeof buf, fmt, a, b, c);
    return buf;
}

TEST(RaceCheck, MissingTokensAreReportedWithBothInstructionsAndTheRange)
{
    std::string src = fill(kLoadClampStore, "", "", "");
    RunOut r = run(src.c_str());
    EXPECT_EQ(1, r.res.race.checked);
    ASSERT_EQ(2u, r.res.race.races);
    ASSERT_EQ(2u, r.races.size());
    const dlp_race_t &a = r.races[0];
    EXPECT_EQ(DLP_RACE_RAW, a.kind);
    EXPECT_EQ(DLP_MEM_NRAM, a.mem);
    EXPECT_EQ(0x100u, a.lo);
    EXPECT_EQ(0x17fu, a.hi);
    EXPECT_EQ(3u, a.pc[0]);
    EXPECT_EQ(4u, a.pc[1]);
    EXPECT_EQ(DLP_Q_LD, a.queue[0]);
    EXPECT_EQ(DLP_Q_CP, a.queue[1]);
    EXPECT_EQ(DLP_I_DMA, a.id[0]);
    EXPECT_EQ(DLP_I_VCLAMP, a.id[1]);
    const dlp_race_t &b = r.races[1];
    EXPECT_EQ(DLP_RACE_RAW, b.kind);
    EXPECT_EQ(4u, b.pc[0]);
    EXPECT_EQ(5u, b.pc[1]);
    EXPECT_EQ(DLP_Q_ST, b.queue[1]);
    char text[400];
    dlp_race_format(&a, text, sizeof text);
    EXPECT_NE(nullptr, strstr(text, "nram bytes 0x100..0x17f")) << text;
    EXPECT_NE(nullptr, strstr(text, "dma at pc 3")) << text;
    EXPECT_NE(nullptr, strstr(text, "vclamp at pc 4")) << text;
    EXPECT_EQ(0, memcmp(&a, &r.res.race.first, sizeof a));
}

TEST(RaceCheck, TokensOrderTheSameProgram)
{
    std::string src = fill(kLoadClampStore, ", signal=cp", ", wait=ld, signal=st", ", wait=cp");
    RunOut r = run(src.c_str());
    EXPECT_EQ(1, r.res.race.checked);
    EXPECT_EQ(0u, r.res.race.races);
    EXPECT_EQ(1u, r.res.race.insns[DLP_Q_LD]);
    EXPECT_EQ(1u, r.res.race.insns[DLP_Q_CP]);
    EXPECT_EQ(1u, r.res.race.insns[DLP_Q_ST]);
}

TEST(RaceCheck, SyncOrdersToo)
{
    const char *src = R"(
    li r1, 0x10000
    li r3, 0x100
    dma nram[r3], dram[r1], 128
    sync
    vclamp nram[r3], nram[r3], 1, 128, 0, 127
    halt
)";
    EXPECT_EQ(0u, run(src).res.race.races);
}

TEST(RaceCheck, AChainOfTokensOrdersTheEndsTransitively)
{
    /* the store reads bytes the load wrote: ordered through the vclamp (ld -> cp -> st) */
    const char *src = R"(
    li r1, 0x10000
    li r2, 0x20000
    li r3, 0x100
    li r4, 0x400
    dma nram[r3], dram[r1], 64, signal=cp
    vclamp nram[r4], nram[r3], 1, 64, 0, 127, wait=ld, signal=st
    dma dram[r2], nram[r3], 64, wait=cp
    halt
)";
    EXPECT_EQ(0u, run(src).res.race.races);
}

TEST(RaceCheck, DramStoreThenLoadNeedsAToken)
{
    const char *racy = R"(
    li r1, 0x20000
    li r3, 0x100
    li r4, 0x200
    dma dram[r1], nram[r3], 32
    dma nram[r4], dram[r1], 32
    halt
)";
    RunOut r = run(racy);
    ASSERT_EQ(1u, r.res.race.races);
    EXPECT_EQ(DLP_MEM_DRAM, r.races[0].mem);
    EXPECT_EQ(0x20000u, r.races[0].lo);
    EXPECT_EQ(0x2001fu, r.races[0].hi);
    const char *ordered = R"(
    li r1, 0x20000
    li r3, 0x100
    li r4, 0x200
    dma dram[r1], nram[r3], 32, signal=ld
    dma nram[r4], dram[r1], 32, wait=st
    halt
)";
    EXPECT_EQ(0u, run(ordered).res.race.races);
}

/* A load that overwrites the buffer the previous iteration's vclamp reads: the same race
   whether the DRAM is fast, slow or the model runs untimed (which instruction happens to start
   first, and so the kind, is timing; the pair and the range are not). */
TEST(RaceCheck, FoundWhateverTheTiming)
{
    const char *src = R"(
    li r1, 0x10000
    li r3, 0x1000
    loop 2
        dma nram[r0], dram[r1], 100, signal=cp
        vclamp nram[r3], nram[r0], 1, 100, 0, 127, wait=ld
    endloop
    halt
)";
    void (*tweaks[])(dlp_config_t *) = {
        [](dlp_config_t *c) { c->dram_latency = 1; },
        [](dlp_config_t *c) { c->dram_latency = 4000; },
        [](dlp_config_t *c) { c->functional = 1; },
        [](dlp_config_t *c) { c->beat_bytes = 4; },
    };
    for (auto t : tweaks) {
        RunOut r = run(src, t);
        ASSERT_EQ(1u, r.res.race.races);
        const dlp_race_t &x = r.races[0];
        int ld = x.queue[0] == DLP_Q_LD ? 0 : 1;
        EXPECT_EQ(DLP_Q_LD, x.queue[ld]);
        EXPECT_EQ(1u, x.seq[ld]); /* the second load */
        EXPECT_EQ(3u, x.pc[ld]);
        EXPECT_EQ(DLP_Q_CP, x.queue[1 - ld]);
        EXPECT_EQ(0u, x.seq[1 - ld]); /* the first vclamp */
        EXPECT_EQ(0u, x.lo);
        EXPECT_EQ(99u, x.hi);
    }
}

TEST(RaceCheck, OffLeavesTheRunUnchanged)
{
    std::string src = fill(kLoadClampStore, "", "", "");
    RunOut on = run(src.c_str());
    RunOut off = run(src.c_str(), [](dlp_config_t *c) { c->race_check = 0; });
    EXPECT_EQ(0, off.res.race.checked);
    EXPECT_EQ(0u, off.res.race.races);
    EXPECT_TRUE(off.races.empty());
    EXPECT_EQ(on.res.counters.cycles, off.res.counters.cycles);
    EXPECT_EQ(on.res.counters.insns, off.res.counters.insns);
}

TEST(RaceCheck, EveryRunStartsClean)
{
    dlp_config_t c;
    dlp_config_default(&c);
    c.dram_bytes = 1u << 20;
    char msg[256];
    dlp_t *m = dlp_create(&c, msg, sizeof msg);
    ASSERT_NE(nullptr, m) << msg;
    std::string racy = fill(kLoadClampStore, "", "", "");
    std::string ok = fill(kLoadClampStore, ", signal=cp", ", wait=ld, signal=st", ", wait=cp");
    EXPECT_EQ(2u, run(racy.c_str(), nullptr, m).res.race.races);
    RunOut r = run(ok.c_str(), nullptr, m);
    EXPECT_EQ(0u, r.res.race.races);
    EXPECT_TRUE(r.races.empty());
    dlp_destroy(m);
}

/* ---- the vector queue VF (ISA v2): a fourth queue with its own tokens ---- */

/* mm on CP writes ACC elements 0..255, vrq on VF reads them and writes NRAM 0x10000..0x100ff,
   the store reads those: pcs 4, 5, 6. */
const char *kMmVrqStore = R"(
    li r4, 0x20000
    li r5, 16
    li r9, 0x10000
    li r2, 0x40000
    mm acc[r0], nram[r0], wram[r0], 16, 16, 16, s0=r5, ws=r5, as=r5 %s
    vrq nram[r9], acc[r0], wram[r4], 16, 16, sd=r5, sa=r5, vq=1 %s
    dma dram[r2], nram[r9], 256 %s
    halt
)";

TEST(RaceCheckVf, MissingCpToVfAndVfToStTokensAreRaces)
{
    std::string src = fill(kMmVrqStore, "", "", "");
    RunOut r = run(src.c_str());
    EXPECT_EQ(1, r.res.race.checked);
    ASSERT_EQ(2u, r.res.race.races);
    ASSERT_EQ(2u, r.races.size());
    EXPECT_EQ(1u, r.res.race.insns[DLP_Q_CP]);
    EXPECT_EQ(1u, r.res.race.insns[DLP_Q_VF]);
    EXPECT_EQ(1u, r.res.race.insns[DLP_Q_ST]);
    /* the vrq cannot start while the mm owns ACC's low half: the mm is the earlier one */
    const dlp_race_t &a = r.races[0];
    EXPECT_EQ(DLP_RACE_RAW, a.kind);
    EXPECT_EQ(DLP_MEM_ACC, a.mem);
    EXPECT_EQ(0u, a.lo);
    EXPECT_EQ(255u, a.hi);
    EXPECT_EQ(DLP_Q_CP, a.queue[0]);
    EXPECT_EQ(4u, a.pc[0]);
    EXPECT_EQ(DLP_I_MM, a.id[0]);
    EXPECT_EQ(DLP_Q_VF, a.queue[1]);
    EXPECT_EQ(5u, a.pc[1]);
    EXPECT_EQ(DLP_I_VRQ, a.id[1]);
    /* the store does not wait: which of it and the vrq starts first is timing */
    const dlp_race_t &b = r.races[1];
    int vf = b.queue[0] == DLP_Q_VF ? 0 : 1;
    EXPECT_EQ(DLP_Q_VF, b.queue[vf]);
    EXPECT_EQ(5u, b.pc[vf]);
    EXPECT_EQ(DLP_Q_ST, b.queue[1 - vf]);
    EXPECT_EQ(6u, b.pc[1 - vf]);
    EXPECT_EQ(DLP_MEM_NRAM, b.mem);
    EXPECT_EQ(0x10000u, b.lo);
    EXPECT_EQ(0x100ffu, b.hi);
    char text[400];
    dlp_race_format(&a, text, sizeof text);
    EXPECT_NE(nullptr, strstr(text, "mm at pc 4 (cp #0)")) << text;
    EXPECT_NE(nullptr, strstr(text, "vrq at pc 5 (vf #0)")) << text;
}

TEST(RaceCheckVf, VfTokensOrderTheSameProgram)
{
    std::string src = fill(kMmVrqStore, ", signal=vf", ", wait=cp, signal=st", ", wait=vf");
    RunOut r = run(src.c_str());
    EXPECT_EQ(1, r.res.race.checked);
    EXPECT_EQ(0u, r.res.race.races);
    EXPECT_EQ(0u, r.res.race.insns[DLP_Q_LD]);
    EXPECT_EQ(1u, r.res.race.insns[DLP_Q_CP]);
    EXPECT_EQ(1u, r.res.race.insns[DLP_Q_VF]);
    EXPECT_EQ(1u, r.res.race.insns[DLP_Q_ST]);
}

/* A token to the wrong queue orders nothing: the mm signals ST, the store waits for CP, and
   the vrq on VF is left unordered on both sides. */
TEST(RaceCheckVf, TokensThatBypassVfDoNotOrderIt)
{
    std::string src = fill(kMmVrqStore, ", signal=st", "", ", wait=cp");
    RunOut r = run(src.c_str());
    EXPECT_EQ(2u, r.res.race.races);
}

/* Load -> vclamp on VF -> store, ordered through VF's channels; the chain orders the ends. */
TEST(RaceCheckVf, AChainThroughVfOrdersTheEnds)
{
    const char *src = R"(
    li r1, 0x10000
    li r2, 0x20000
    li r3, 0x100
    li r4, 0x400
    dma nram[r3], dram[r1], 64, signal=vf
    vclamp nram[r4], nram[r3], 1, 64, 0, 127, vq=1, wait=ld, signal=st
    dma dram[r2], nram[r3], 64, wait=vf
    halt
)";
    RunOut r = run(src);
    EXPECT_EQ(0u, r.res.race.races);
    EXPECT_EQ(1u, r.res.race.insns[DLP_Q_VF]);
    EXPECT_EQ(0u, r.res.race.insns[DLP_Q_CP]);
}

/* The same two vector instructions on the same bytes: ordered by queue order when both are on
   CP, a race when one of them is on VF (two queues, no token). */
TEST(RaceCheckVf, CpAndVfAreTwoQueues)
{
    const char *fmt = R"(
    li r3, 0x100
    vclamp nram[r3], nram[r3], 1, 64, 0, 127
    vclamp nram[r3], nram[r3], 1, 64, -5, 5, vq=%s
    halt
)";
    char src[512];
    snprintf(src, sizeof src, fmt, "0");
    EXPECT_EQ(0u, run(src).res.race.races);
    snprintf(src, sizeof src, fmt, "1");
    RunOut r = run(src);
    ASSERT_EQ(1u, r.res.race.races);
    const dlp_race_t &x = r.races[0];
    EXPECT_EQ(DLP_MEM_NRAM, x.mem);
    EXPECT_EQ(0x100u, x.lo);
    EXPECT_EQ(0x13fu, x.hi);
    EXPECT_TRUE((x.queue[0] == DLP_Q_CP && x.queue[1] == DLP_Q_VF) ||
                (x.queue[0] == DLP_Q_VF && x.queue[1] == DLP_Q_CP));
    /* with a token from CP to VF the pair is ordered again */
    const char *ordered = R"(
    li r3, 0x100
    vclamp nram[r3], nram[r3], 1, 64, 0, 127, signal=vf
    vclamp nram[r3], nram[r3], 1, 64, -5, 5, vq=1, wait=cp
    halt
)";
    EXPECT_EQ(0u, run(ordered).res.race.races);
}

/* libdlp's cmodel back end: a racy run halts but is an error; race_check=0 turns it off. */
TEST(RaceCheck, DriverCmodelBackEndReportsRaces)
{
    std::string racy = fill(kLoadClampStore, "", "", "");
    std::vector<uint32_t> p = assemble(racy.c_str());
    for (int off = 0; off < 2; off++) {
        dlpd_dev_t *d = nullptr;
        char msg[256];
        ASSERT_EQ(DLPD_OK,
                  dlpd_open(off ? "cmodel:dram_mib=1,race_check=0" : "cmodel:dram_mib=1", &d,
                            msg, sizeof msg))
            << msg;
        dlpd_prog_t prog;
        dlpd_result_t res;
        ASSERT_EQ(DLPD_OK, dlpd_alloc_at(d, 0x10000, 0x20000));
        ASSERT_EQ(DLPD_OK, dlpd_prog_load(d, p.data(), (uint32_t)(p.size() / 4), &prog));
        dlpd_err_t e = dlpd_run(d, &prog, 0, &res);
        EXPECT_EQ(1, res.halted);
        if (off) {
            EXPECT_EQ(DLPD_OK, e) << dlpd_last_error(d);
        } else {
            EXPECT_EQ(DLPD_E_RACE, e);
            std::string m = dlpd_last_error(d);
            EXPECT_NE(std::string::npos, m.find("read-after-write race on nram bytes 0x100..0x17f"))
                << m;
            EXPECT_NE(std::string::npos, m.find("dma at pc 3")) << m;
            EXPECT_NE(std::string::npos, m.find("vclamp at pc 4")) << m;
        }
        dlpd_close(d);
    }
}

} // namespace
