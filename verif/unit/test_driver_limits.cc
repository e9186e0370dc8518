// SPDX-License-Identifier: Apache-2.0
/*
 * Bounded runs and bounded files (issue 17):
 *   - a runaway program on the cmodel back end ends a wait at the host timeout (the model runs
 *     in stretches inside the driver's waits), and stops with TIMEOUT at the cycle limit;
 *   - dlp_advance: a run cut into stretches of any length ends exactly as dlp_run;
 *   - dlp_file_read refuses directories and files over the limit before allocating, reads a
 *     device such as /dev/zero only up to the limit; dlp_file_write leaves the old file when a
 *     write fails and no temporary file behind;
 *   - dlp_config_check_core refuses what no core has (memory sizes that are not whole KiB).
 */
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "dlp.h"
#include "asm_util.h"
#include "dlp_asm.h"
#include "dlp_driver.h"
#include "dlp_file.h"

namespace {

using dlpt::assemble;

/* Two nested loops of 2^32-1 iterations: about 2^64 cycles, i.e. never ends by itself. */
const char *kRunaway = "loop 0xffffffff\nloop 0xffffffff\nnop\naddi r1, r1, 1\nendloop\n"
                       "endloop\nhalt\n";

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/* A 1 MiB cmodel device with kRunaway loaded. */
void open_runaway(dlpd_dev_t **d, dlpd_prog_t *prog)
{
    char msg[256];
    ASSERT_EQ(DLPD_OK, dlpd_open("cmodel:dram_mib=1", d, msg, sizeof msg)) << msg;
    std::vector<uint32_t> p = assemble(kRunaway);
    ASSERT_EQ(DLPD_OK, dlpd_prog_load(*d, p.data(), (uint32_t)(p.size() / 4), prog));
}

TEST(DriverLimits, HostTimeoutEndsAWaitOnTheCmodel)
{
    dlpd_dev_t *d;
    dlpd_prog_t prog;
    ASSERT_NO_FATAL_FAILURE(open_runaway(&d, &prog));
    ASSERT_EQ(DLPD_OK, dlpd_set_cycle_limit(d, 0)); /* no watchdog: only the host bounds it */
    dlpd_result_t res;
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(DLPD_E_TIMEOUT, dlpd_run(d, &prog, 300, &res));
    double took = seconds_since(t0);
    EXPECT_GE(took, 0.29);
    EXPECT_LT(took, 2.0) << "the wait overran its 300 ms by far";
    EXPECT_NE(nullptr, strstr(dlpd_last_error(d), "did not end within 300 ms"))
        << dlpd_last_error(d);
    /* the run made progress meanwhile and is still going: a second wait continues it */
    dlpd_counters_t c1, c2;
    ASSERT_EQ(DLPD_OK, dlpd_read_counters(d, &c1));
    EXPECT_GT(c1.cycles, 0u);
    EXPECT_EQ(DLPD_E_TIMEOUT, dlpd_wait(d, 100, &res));
    ASSERT_EQ(DLPD_OK, dlpd_read_counters(d, &c2));
    EXPECT_GT(c2.cycles, c1.cycles);
    dlpd_close(d);
}

TEST(DriverLimits, CycleLimitStopsARunawayLayerWithTimeout)
{
    dlpd_dev_t *d;
    dlpd_prog_t prog;
    ASSERT_NO_FATAL_FAILURE(open_runaway(&d, &prog));
    ASSERT_EQ(DLPD_OK, dlpd_set_cycle_limit(d, 300000));
    dlpd_result_t res;
    EXPECT_EQ(DLPD_E_RUN, dlpd_run(d, &prog, 10000, &res)) << dlpd_last_error(d);
    EXPECT_EQ(DLP_CAUSE_TIMEOUT, res.cause);
    EXPECT_EQ(300001u, res.counters.cycles); /* the model's count: the limit's cycle, plus one */
    dlpd_close(d);
}

/* dlp_advance in stretches of n cycles against dlp_run: same status, cause, counters, memory. */
TEST(ModelAdvance, StretchesOfAnyLengthEndAsDlpRun)
{
    const char *src = "li r1, 0x1000\nli r2, 0x4000\nli r3, 64\nloop 5\n"
                      "dma nram[r0], dram[r1], 3000, signal=cp\n"
                      "mm acc[r0], nram[r0], wram[r0], 16, 16, 64, s0=r3, ws=r3, as=r3, "
                      "wait=ld, signal=st\n"
                      "dma dram[r2], nram[r0], 1000, wait=cp\nendloop\nsync\nhalt\n";
    std::vector<uint32_t> p = assemble(src);
    dlp_config_t c;
    dlp_config_default(&c);
    c.dram_bytes = 1u << 20;
    dlp_result_t want;
    char m[256];
    dlp_t *ref = dlp_create(&c, m, sizeof m);
    ASSERT_NE(nullptr, ref) << m;
    ASSERT_EQ(0, dlp_dram_write(ref, 0, p.data(), p.size() * 4));
    dlp_run(ref, 0, (uint32_t)(p.size() / 4), &want);
    ASSERT_EQ(DLP_DONE, want.status) << want.message;
    std::vector<uint8_t> want_mem(1u << 20);
    dlp_dram_read(ref, 0, want_mem.data(), want_mem.size());
    for (uint64_t stretch : {1ull, 7ull, 100ull, 65536ull}) {
        dlp_t *x = dlp_create(&c, m, sizeof m);
        ASSERT_NE(nullptr, x);
        ASSERT_EQ(0, dlp_dram_write(x, 0, p.data(), p.size() * 4));
        dlp_start(x, 0, (uint32_t)(p.size() / 4));
        dlp_result_t r;
        for (int guard = 0; guard < 10000000; guard++) {
            dlp_get_result(x, &r);
            if (dlp_advance(x, r.counters.cycles + stretch) != DLP_RUNNING)
                break;
        }
        dlp_get_result(x, &r);
        EXPECT_EQ(want.status, r.status) << stretch;
        EXPECT_EQ(0, memcmp(&want.counters, &r.counters, sizeof r.counters)) << stretch;
        std::vector<uint8_t> mem(1u << 20);
        dlp_dram_read(x, 0, mem.data(), mem.size());
        EXPECT_TRUE(mem == want_mem) << stretch;
        dlp_destroy(x);
    }
    dlp_destroy(ref);
}

/* docs/timing.md, "Counters when a run stops with an error": an instruction that would start in
   the cycle of the error counts no DRAM bytes and no MACs; one that started before keeps its
   whole count. Expectations from the rule, not from the model. */
TEST(ModelCounters, AStartInTheErrorCycleCountsNothing)
{
    struct Case {
        const char *src;
        uint64_t rd, macs;
    } cases[] = {
        /* the last instruction, no halt: PC_RANGE in the cycle it would start */
        {"dma nram[r0], dram[r0], 256\n", 16, 0},
        {"mm acc[r0], nram[r0], wram[r0], 1, 1, 1\n", 16, 0},
        /* started one cycle before the error: counted whole (16 fetch + 256 + 32 fetch) */
        {"dma nram[r0], dram[r0], 256\nnop\n", 32 + 256, 0},
        {"li r1, 64\nmm acc[r0], nram[r0], wram[r0], 4, 8, 16, s0=r1, ws=r1, as=r1\nnop\n",
         48, 4 * 8 * 16},
    };
    for (const Case &k : cases) {
        std::vector<uint32_t> p = assemble(k.src);
        dlp_config_t c;
        dlp_config_default(&c);
        c.dram_bytes = 1u << 20;
        char m[256];
        dlp_t *x = dlp_create(&c, m, sizeof m);
        ASSERT_NE(nullptr, x) << m;
        ASSERT_EQ(0, dlp_dram_write(x, 0, p.data(), p.size() * 4));
        dlp_result_t r;
        dlp_run(x, 0, (uint32_t)(p.size() / 4), &r);
        EXPECT_EQ(DLP_CAUSE_PC_RANGE, r.cause) << k.src;
        EXPECT_EQ(k.rd, r.counters.dram_rd_bytes) << k.src;
        EXPECT_EQ(k.macs, r.counters.macs) << k.src;
        dlp_destroy(x);
    }
}

/* ---- files ------------------------------------------------------------------------------------ */

std::string tmp_path(const char *name) { return ::testing::TempDir() + name; }

void put(const std::string &path, const std::string &data)
{
    FILE *f = fopen(path.c_str(), "wb");
    ASSERT_NE(nullptr, f);
    fwrite(data.data(), 1, data.size(), f);
    fclose(f);
}

std::string get(const std::string &path)
{
    uint8_t *b;
    size_t n;
    char e[256];
    if (dlp_file_read(path.c_str(), DLP_FILE_MAX, &b, &n, e, sizeof e))
        return std::string("<") + e + ">";
    std::string s((const char *)b, n);
    free(b);
    return s;
}

TEST(Files, ReadRefusesDirectoriesAndOversizedFilesAndBoundsDevices)
{
    uint8_t *b;
    size_t n;
    char e[256];
    EXPECT_EQ(-1, dlp_file_read("/", DLP_FILE_MAX, &b, &n, e, sizeof e));
    EXPECT_NE(nullptr, strstr(e, "is a directory")) << e;
    std::string p = tmp_path("files_read.bin");
    put(p, std::string(1000, 'x'));
    EXPECT_EQ(-1, dlp_file_read(p.c_str(), 999, &b, &n, e, sizeof e));
    EXPECT_NE(nullptr, strstr(e, "1000 bytes, larger than the limit of 999")) << e;
    ASSERT_EQ(0, dlp_file_read(p.c_str(), 1000, &b, &n, e, sizeof e)) << e;
    EXPECT_EQ(1000u, n);
    EXPECT_EQ(0, b[1000]); /* NUL-terminated */
    free(b);
    /* an endless device: refused at the limit, after reading no more than it */
    EXPECT_EQ(-1, dlp_file_read("/dev/zero", 1u << 20, &b, &n, e, sizeof e));
    EXPECT_NE(nullptr, strstr(e, "goes on beyond the limit of 1048576 bytes")) << e;
    EXPECT_EQ(-1, dlp_file_read("/nonexistent/x", 10, &b, &n, e, sizeof e));
    EXPECT_NE(nullptr, strstr(e, "cannot open")) << e;
}

TEST(Files, FailedWriteLeavesTheOldFileAndNoTemporary)
{
    std::string dir = tmp_path("files_write_dir");
    mkdir(dir.c_str(), 0777);
    std::string p = dir + "/out.bin";
    put(p, "the previous good file");
    char e[256];
    /* RLIMIT_FSIZE makes the write fail part way (SIGXFSZ ignored: write returns EFBIG) */
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 4096;
    signal(SIGXFSZ, SIG_IGN);
    ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
    std::string big(100000, 'y');
    int rc = dlp_file_write(p.c_str(), big.data(), big.size(), e, sizeof e);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_DFL);
    EXPECT_EQ(-1, rc);
    EXPECT_NE(nullptr, strstr(e, "write error")) << e;
    EXPECT_EQ("the previous good file", get(p));
    std::string ls;
    FILE *f = popen(("ls " + dir).c_str(), "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        ls += line;
    if (f)
        pclose(f);
    EXPECT_EQ("out.bin\n", ls) << "a temporary file was left behind";
    /* and a good write replaces it, with the permissions of a plain new file */
    ASSERT_EQ(0, dlp_file_write(p.c_str(), "new", 3, e, sizeof e)) << e;
    EXPECT_EQ("new", get(p));
    struct stat st;
    ASSERT_EQ(0, stat(p.c_str(), &st));
    mode_t mask = umask(0);
    umask(mask);
    EXPECT_EQ((mode_t)(0666 & ~mask), st.st_mode & 0777);
    /* a directory is not a file to write */
    EXPECT_EQ(-1, dlp_file_write(dir.c_str(), "x", 1, e, sizeof e));
    EXPECT_NE(nullptr, strstr(e, "is a directory")) << e;
    /* a device is written directly */
    EXPECT_EQ(0, dlp_file_write("/dev/null", "x", 1, e, sizeof e)) << e;
}

TEST(Config, CoreConfigurationsHaveWholeKibMemories)
{
    dlp_config_t c;
    char m[256];
    dlp_config_default(&c);
    EXPECT_EQ(0, dlp_config_check_core(&c, m, sizeof m)) << m;
    c.nram_bytes = 128 * 1024 + 16;
    EXPECT_EQ(0, dlp_config_check(&c, m, sizeof m)) << m; /* a model may have it */
    EXPECT_EQ(-1, dlp_config_check_core(&c, m, sizeof m));  /* no core does */
    EXPECT_NE(nullptr, strstr(m, "nram_bytes = 131088")) << m;
    /* the cmodel back end refuses it as dlpcc does */
    dlpd_dev_t *d;
    EXPECT_EQ(DLPD_E_BACKEND, dlpd_open("cmodel:nram_bytes=131088", &d, m, sizeof m));
    EXPECT_NE(nullptr, strstr(m, "whole KiB")) << m;
}

} // namespace
