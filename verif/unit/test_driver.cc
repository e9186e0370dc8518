// SPDX-License-Identifier: Apache-2.0
/*
 * libdlp (sw/include/dlp_driver.h): opening devices, the cmodel back end's register block
 * against docs/csr.md, runs through the driver against the C model run directly, error
 * propagation, waiting (interrupt, polling, host timeout, watchdog), and a fake back end for
 * what the model cannot do (a core that never finishes, a failing bus, a foreign device).
 *
 * The register-block, run, error and wait tests are parameterised by back end: they run on the
 * cmodel always and on the rtl back end when its library for the shape has been built
 * (`make rtl-lib`, found in <build>/rtl/ next to this binary); otherwise they are skipped with
 * the reason. The same register sequence giving the same values on both is what shows that the
 * cmodel's register emulation is the RTL's register block.
 */
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "dlp.h"
#include "asm_util.h"
#include "dlp_asm.h"
#include "dlp_driver.h"
#include "dlp_prog.h"

namespace {

/* ---- helpers ---------------------------------------------------------------------------------- */

using dlpt::assemble;

struct Dev {
    dlpd_dev_t *d = nullptr;
    dlpd_err_t rc;
    char msg[512] = "";
    explicit Dev(const char *spec) { rc = dlpd_open(spec, &d, msg, sizeof msg); }
    ~Dev() { dlpd_close(d); }
    operator dlpd_dev_t *() { return d; }
    std::string err() const { return dlpd_last_error(d); }
};

/* Which back ends a test runs on, and the spec of a shape on each. */
bool is_rtl(const char *target) { return !strcmp(target, "rtl"); }

std::string spec_for(const char *target, const char *shape, const char *extra = "")
{
    std::string s = target;
    if (is_rtl(target))
        s += std::string(":shape=") + shape;
    else
        s += std::string(":config=") + (strcmp(shape, "16x16") ? shape : "default");
    s += ",dram_mib=1";
    if (*extra)
        s += std::string(",") + extra;
    return s;
}

/* Opens a device, or skips the test when the back end is not built. */
#define OPEN_OR_SKIP(var, spec)                                                                \
    Dev var((spec).c_str());                                                                   \
    if (var.rc == DLPD_E_UNAVAILABLE)                                                          \
        GTEST_SKIP() << var.msg;                                                               \
    ASSERT_EQ(DLPD_OK, var.rc) << var.msg

/* A back end made directly, for register-level tests of the register block. */
struct Be {
    dlpd_backend_t be{};
    dlpd_err_t rc;
    char msg[256] = "";
    explicit Be(const char *target)
    {
        rc = is_rtl(target) ? dlpd_backend_rtl("shape=16x16,dram_mib=1", &be, msg, sizeof msg)
                            : dlpd_backend_cmodel("dram_mib=1", &be, msg, sizeof msg);
        if (rc != DLPD_E_UNAVAILABLE) {
            EXPECT_EQ(DLPD_OK, rc) << msg;
        }
    }
    ~Be()
    {
        if (be.ops)
            be.ops->close(be.ctx);
    }
    uint32_t rd(uint32_t off)
    {
        uint32_t v = 0xdeadbeef;
        EXPECT_EQ(0, be.ops->csr_read(be.ctx, off, &v, msg, sizeof msg));
        return v;
    }
    void wr(uint32_t off, uint32_t v) { EXPECT_EQ(0, be.ops->csr_write(be.ctx, off, v, msg, sizeof msg)); }
    int wait()
    {
        int irq = -1;
        EXPECT_EQ(0, be.ops->wait(be.ctx, 10, &irq, msg, sizeof msg));
        return irq;
    }
    void load(uint64_t addr, const std::vector<uint32_t> &w)
    {
        std::vector<uint8_t> b(w.size() * 4);
        for (size_t i = 0; i < w.size(); i++)
            for (int k = 0; k < 4; k++)
                b[4 * i + k] = (uint8_t)(w[i] >> (8 * k));
        ASSERT_EQ(0, be.ops->dram_write(be.ctx, addr, b.data(), b.size(), msg, sizeof msg));
    }
};

/* The model configured as a cmodel spec would configure it, run directly. */
struct Direct {
    dlp_t *m = nullptr;
    explicit Direct(const char *preset, uint64_t dram_bytes)
    {
        dlp_config_t c;
        char msg[256];
        EXPECT_EQ(0, dlp_config_preset(&c, preset));
        c.dram_bytes = dram_bytes;
        c.max_cycles = 0;
        m = dlp_create(&c, msg, sizeof msg);
        EXPECT_NE(nullptr, m) << msg;
    }
    ~Direct() { dlp_destroy(m); }
    dlp_result_t run(const std::vector<uint32_t> &w, uint64_t addr)
    {
        std::vector<uint8_t> b(w.size() * 4);
        for (size_t i = 0; i < w.size(); i++)
            for (int k = 0; k < 4; k++)
                b[4 * i + k] = (uint8_t)(w[i] >> (8 * k));
        EXPECT_EQ(0, dlp_dram_write(m, addr, b.data(), b.size()));
        dlp_result_t r;
        dlp_run(m, addr, (uint32_t)(w.size() / 4), &r);
        return r;
    }
};

void expect_counters(const dlp_counters_t &want, const dlpd_counters_t &got)
{
    EXPECT_EQ(want.cycles, got.cycles);
    EXPECT_EQ(want.busy_dma, got.busy_dma);
    EXPECT_EQ(want.busy_mfu, got.busy_mfu);
    EXPECT_EQ(want.busy_vfu, got.busy_vfu);
    EXPECT_EQ(want.dram_rd_bytes, got.dram_rd_bytes);
    EXPECT_EQ(want.dram_wr_bytes, got.dram_wr_bytes);
    EXPECT_EQ(want.macs, got.macs);
    EXPECT_EQ(want.insns, got.insns);
}

bool contains(const std::string &s, const std::string &part) { return s.find(part) != std::string::npos; }

/* An FC layer: out[0..N) = requant(in[0..K) x W[K][N]), through DMA, mm, vrq and DMA, with
   every unit busy (the counters all move). Data at 0x10000 (in), 0x11000 (W), 0x14000
   (params), output to 0x18000. */
const int K = 40, N = 24;
const char *kFc =
    "    li r1, 0x10000\n"
    "    dma nram[r0], dram[r1], 40\n"
    "    li r2, 0x11000\n"
    "    dma wram[r0], dram[r2], 960\n"       /* K*N */
    "    li r3, 0x14000\n"
    "    li r4, 0x1000\n"
    "    dma wram[r4], dram[r3], 288\n"       /* 12*N */
    "    sync\n"
    "    li r5, 24\n"
    "    mm acc[r0], nram[r0], wram[r0], 1, 40, 24, ws=r5\n"
    "    sync\n"
    "    li r6, 0x800\n"
    "    vrq nram[r6], acc[r0], wram[r4], 1, 24, zp=3\n"
    "    sync\n"
    "    li r7, 0x18000\n"
    "    dma dram[r7], nram[r6], 24\n"
    "    halt\n";

std::vector<uint8_t> fc_data(uint32_t seed, size_t *in_off, size_t *w_off, size_t *p_off)
{
    /* one blob laid out from 0x10000 */
    std::vector<uint8_t> d(0x14000 - 0x10000 + 12 * N);
    uint32_t x = seed;
    auto rnd = [&]() { return x = x * 1664525u + 1013904223u; };
    for (int i = 0; i < K; i++)
        d[i] = (uint8_t)(rnd() >> 24);
    for (int i = 0; i < K * N; i++)
        d[0x1000 + i] = (uint8_t)(rnd() >> 24);
    for (int c = 0; c < N; c++) {
        int32_t p[3] = {(int32_t)(rnd() % 2000) - 1000, 1073741824 + (int32_t)(rnd() % 1000000),
                        -(int32_t)(rnd() % 8)};
        memcpy(&d[0x4000 + 12 * c], p, 12);
    }
    *in_off = 0;
    *w_off = 0x1000;
    *p_off = 0x4000;
    return d;
}

/* ---- opening ------------------------------------------------------------------------------------ */

TEST(DriverOpen, UnknownBackendListsTheKnownOnes)
{
    Dev d("fpga");
    EXPECT_EQ(DLPD_E_BACKEND, d.rc);
    EXPECT_EQ(nullptr, d.d);
    EXPECT_TRUE(contains(d.msg, "unknown back end 'fpga'")) << d.msg;
    EXPECT_TRUE(contains(d.msg, "cmodel")) << d.msg;
}

TEST(DriverOpen, EmptySpecAndNullHandle)
{
    Dev d("");
    EXPECT_EQ(DLPD_E_ARG, d.rc);
    char msg[64];
    EXPECT_EQ(DLPD_E_ARG, dlpd_open("cmodel", nullptr, msg, sizeof msg));
}

TEST(DriverOpen, BadCmodelOptions)
{
    const char *bad[] = {"cmodel:rows=0", "cmodel:config=9x9", "cmodel:bogus=1",
                         "cmodel:max_cycles=5", "cmodel:nram_bytes=1500", "cmodel:,"};
    for (const char *spec : bad) {
        Dev d(spec);
        EXPECT_EQ(DLPD_E_BACKEND, d.rc) << spec;
        EXPECT_EQ(nullptr, d.d);
        EXPECT_TRUE(contains(d.msg, "cmodel: ")) << d.msg;
        EXPECT_GT(strlen(d.msg), 10u) << spec;
    }
    Dev mc("cmodel:max_cycles=5");
    EXPECT_TRUE(contains(mc.msg, "CYCLE_LIMIT")) << mc.msg;
}

TEST(DriverOpen, RtlBackendNotBuiltIsReportedNotFaked)
{
    Dev d("rtl:lib=/nonexistent/libdlp_rtl_16x16.so");
    EXPECT_EQ(DLPD_E_UNAVAILABLE, d.rc);
    EXPECT_EQ(nullptr, d.d);
    EXPECT_TRUE(contains(d.msg, "/nonexistent/libdlp_rtl_16x16.so")) << d.msg;
    EXPECT_TRUE(contains(d.msg, "make rtl-lib")) << d.msg;
    EXPECT_TRUE(contains(d.msg, "DLP_RTL_LIB_DIR")) << d.msg; /* how to point an install at it */
    Dev s("rtl:shape=16by16");
    EXPECT_EQ(DLPD_E_BACKEND, s.rc);
    EXPECT_TRUE(contains(s.msg, "ROWSxCOLS")) << s.msg;
}

TEST(DriverOpen, IdentityAndCapabilitiesDefault)
{
    Dev d("cmodel:dram_mib=1");
    ASSERT_EQ(DLPD_OK, d.rc) << d.msg;
    dlpd_info_t in;
    dlpd_get_info(d, &in);
    EXPECT_STREQ("cmodel", in.backend);
    EXPECT_EQ(0x504C444Fu, in.id);
    EXPECT_EQ((uint32_t)DLP_ISA_VERSION, in.isa_version);
    EXPECT_EQ(1u, in.hw_revision);
    /* docs/csr.md field layout, default configuration (docs/rtl.md parameter table) */
    EXPECT_EQ(16u | 16u << 8 | 16u << 16 | 16u << 24, in.cap[0]);
    EXPECT_EQ(128u | 256u << 16, in.cap[1]);
    EXPECT_EQ(64u | 4096u << 16, in.cap[2]);
    EXPECT_EQ(8u | 4u << 8 | 15u << 16 | 16u << 24, in.cap[3]);
    EXPECT_EQ(16u, in.rows);
    EXPECT_EQ(128u * 1024, in.nram_bytes);
    EXPECT_EQ(256u * 1024, in.wram_bytes);
    EXPECT_EQ(64u * 1024, in.acc_bytes);
    EXPECT_EQ(4096u, in.imem_insns);
    EXPECT_EQ(16u, in.burst_beats);
    EXPECT_EQ(0u, in.mem_base);
    EXPECT_EQ(1u << 20, in.mem_bytes);
}

TEST(DriverOpen, IdentityAndCapabilitiesOfAPresetWithOverrides)
{
    Dev d("cmodel:nram_kib=64,config=8x16,dram_mib=2,burst_beats=256,imem_insns=1000");
    ASSERT_EQ(DLPD_OK, d.rc) << d.msg;
    dlpd_info_t in;
    dlpd_get_info(d, &in);
    EXPECT_EQ(8u, in.rows);
    EXPECT_EQ(16u, in.cols);
    EXPECT_EQ(8u, in.vlanes);
    EXPECT_EQ(64u * 1024, in.nram_bytes); /* the preset applies first, wherever it stands */
    EXPECT_EQ(1000u, in.imem_insns);
    EXPECT_EQ(0u, in.cap[3] >> 24);       /* 256 does not fit the 8-bit field */
    EXPECT_EQ(256u, in.burst_beats);
    EXPECT_EQ(2u << 20, in.mem_bytes);
}

/* ---- the register block, at the back-end interface ------------------------------------------------ */

class DriverCsrBlock : public ::testing::TestWithParam<const char *> {};

#define BE_OR_SKIP(var)                                                                        \
    Be var(GetParam());                                                                        \
    if (var.rc == DLPD_E_UNAVAILABLE)                                                          \
        GTEST_SKIP() << var.msg;                                                               \
    ASSERT_EQ(DLPD_OK, var.rc)

TEST_P(DriverCsrBlock, ReadWriteAccessTypes)
{
    BE_OR_SKIP(b);
    /* rw registers read back */
    const uint32_t rw[] = {DLP_CSR_PROG_ADDR, DLP_CSR_PROG_LEN, DLP_CSR_WIN_BASE, DLP_CSR_WIN_LIMIT,
                           DLP_CSR_CYCLE_LIMIT_LO, DLP_CSR_CYCLE_LIMIT_HI};
    for (uint32_t off : rw) {
        EXPECT_EQ(0u, b.rd(off)) << "reset value of 0x" << std::hex << off;
        b.wr(off, 0xa5a50000u | off);
        EXPECT_EQ(0xa5a50000u | off, b.rd(off));
    }
    /* IRQ_EN keeps bits 1:0 */
    b.wr(DLP_CSR_IRQ_EN, 0xffffffffu);
    EXPECT_EQ(3u, b.rd(DLP_CSR_IRQ_EN));
    /* read-only registers ignore writes */
    b.wr(DLP_CSR_ID, 0);
    b.wr(DLP_CSR_STATUS, 7);
    b.wr(DLP_CSR_ERR_CAUSE, 5);
    b.wr(DLP_CSR_CYCLES_LO, 99);
    EXPECT_EQ(DLP_CSR_ID_VALUE, b.rd(DLP_CSR_ID));
    EXPECT_EQ(0u, b.rd(DLP_CSR_STATUS));
    EXPECT_EQ(0u, b.rd(DLP_CSR_ERR_CAUSE));
    EXPECT_EQ(0u, b.rd(DLP_CSR_CYCLES_LO));
    /* write-only CTRL and unmapped offsets read 0 */
    EXPECT_EQ(0u, b.rd(DLP_CSR_CTRL));
    EXPECT_EQ(0u, b.rd(0x018));
    EXPECT_EQ(0u, b.rd(0x03c));
    EXPECT_EQ(0u, b.rd(0x0c0));
    EXPECT_EQ(0u, b.rd(0xffc));
    b.wr(0x0c0, 1); /* ignored, no effect */
    EXPECT_EQ(0u, b.rd(DLP_CSR_STATUS));
}

TEST_P(DriverCsrBlock, StartStatusInterruptAndW1C)
{
    BE_OR_SKIP(b);
    std::vector<uint32_t> p = assemble("li r1, 5\nnop\nhalt\n");
    b.load(0x100, p);
    b.wr(DLP_CSR_PROG_ADDR, 0x100);
    b.wr(DLP_CSR_PROG_LEN, 3);
    b.wr(DLP_CSR_IRQ_EN, DLP_CSR_IRQ_EN_DONE_MASK);
    EXPECT_EQ(0, b.wait()); /* idle: nothing to do, line low */
    b.wr(DLP_CSR_CTRL, 1);
    EXPECT_EQ(DLP_CSR_STATUS_BUSY_MASK, b.rd(DLP_CSR_STATUS));
    /* while busy: run registers frozen, a second start ignored */
    b.wr(DLP_CSR_PROG_ADDR, 0x200);
    b.wr(DLP_CSR_PROG_LEN, 1);
    b.wr(DLP_CSR_CTRL, 1);
    EXPECT_EQ(0x100u, b.rd(DLP_CSR_PROG_ADDR));
    EXPECT_EQ(3u, b.rd(DLP_CSR_PROG_LEN));
    EXPECT_EQ(1, b.wait()); /* the run ends with halt: IRQ_STATUS.done & IRQ_EN.done */
    EXPECT_EQ(DLP_CSR_STATUS_DONE_MASK, b.rd(DLP_CSR_STATUS));
    EXPECT_EQ(DLP_CSR_IRQ_STATUS_DONE_MASK, b.rd(DLP_CSR_IRQ_STATUS));
    EXPECT_EQ(3u, b.rd(DLP_CSR_INSNS_LO));
    EXPECT_EQ(0u, b.rd(DLP_CSR_INSNS_HI));
    /* the line follows IRQ_EN */
    b.wr(DLP_CSR_IRQ_EN, DLP_CSR_IRQ_EN_ERROR_MASK);
    EXPECT_EQ(0, b.wait());
    b.wr(DLP_CSR_IRQ_EN, 3);
    EXPECT_EQ(1, b.wait());
    /* W1C: writing the other bit or 0 clears nothing, writing the bit clears it */
    b.wr(DLP_CSR_IRQ_STATUS, DLP_CSR_IRQ_STATUS_ERROR_MASK);
    b.wr(DLP_CSR_IRQ_STATUS, 0);
    EXPECT_EQ(DLP_CSR_IRQ_STATUS_DONE_MASK, b.rd(DLP_CSR_IRQ_STATUS));
    b.wr(DLP_CSR_IRQ_STATUS, DLP_CSR_IRQ_STATUS_DONE_MASK);
    EXPECT_EQ(0u, b.rd(DLP_CSR_IRQ_STATUS));
    EXPECT_EQ(0, b.wait());
    /* STATUS.done stays until the next start; registers writable again */
    EXPECT_EQ(DLP_CSR_STATUS_DONE_MASK, b.rd(DLP_CSR_STATUS));
    b.wr(DLP_CSR_PROG_LEN, 7);
    EXPECT_EQ(7u, b.rd(DLP_CSR_PROG_LEN));
}

TEST_P(DriverCsrBlock, ErrorRunSetsCausePcInfoAndClearsOnNextStart)
{
    BE_OR_SKIP(b);
    b.load(0, assemble("li r1, 1\n.insn 0x0000000f, 0, 0, 0\nhalt\n"));
    b.load(0x100, assemble("halt\n"));
    b.wr(DLP_CSR_PROG_LEN, 3);
    b.wr(DLP_CSR_IRQ_EN, 3);
    b.wr(DLP_CSR_CTRL, 1);
    EXPECT_EQ(1, b.wait());
    EXPECT_EQ(DLP_CSR_STATUS_ERROR_MASK, b.rd(DLP_CSR_STATUS));
    EXPECT_EQ((uint32_t)DLP_CAUSE_ILLEGAL_OPCODE, b.rd(DLP_CSR_ERR_CAUSE));
    EXPECT_EQ(1u, b.rd(DLP_CSR_ERR_PC));
    EXPECT_EQ(0xfu, b.rd(DLP_CSR_ERR_INFO));
    EXPECT_EQ(DLP_CSR_IRQ_STATUS_ERROR_MASK, b.rd(DLP_CSR_IRQ_STATUS));
    if (!is_rtl(GetParam())) {
        char note[256] = "";
        b.be.ops->note(b.be.ctx, note, sizeof note);
        EXPECT_GT(strlen(note), 0u); /* the model's own words */
    }
    /* the next start clears error, cause, pc, info and the counters (the interrupt is masked
       so that waiting ends with the run, not at once on the old error bit) */
    b.wr(DLP_CSR_IRQ_EN, 0);
    b.wr(DLP_CSR_PROG_ADDR, 0x100);
    b.wr(DLP_CSR_PROG_LEN, 1);
    b.wr(DLP_CSR_CTRL, 1);
    EXPECT_EQ(DLP_CSR_STATUS_BUSY_MASK, b.rd(DLP_CSR_STATUS));
    EXPECT_EQ(0u, b.rd(DLP_CSR_ERR_CAUSE));
    EXPECT_EQ(0u, b.rd(DLP_CSR_ERR_PC));
    EXPECT_EQ(0u, b.rd(DLP_CSR_ERR_INFO));
    EXPECT_LT(b.rd(DLP_CSR_CYCLES_LO), 20u); /* restarted from 0 (the RTL counts on meanwhile) */
    b.wait();
    /* IRQ_STATUS accumulates: error from before, done now */
    EXPECT_EQ(3u, b.rd(DLP_CSR_IRQ_STATUS));
    EXPECT_EQ(DLP_CSR_STATUS_DONE_MASK, b.rd(DLP_CSR_STATUS));
}

TEST_P(DriverCsrBlock, CounterHighWordsReadTheLatchOfTheLastLowRead)
{
    BE_OR_SKIP(b);
    b.load(0, assemble("nop\nnop\nhalt\n"));
    b.wr(DLP_CSR_PROG_LEN, 3);
    b.wr(DLP_CSR_CTRL, 1);
    b.wait();
    uint32_t lo = b.rd(DLP_CSR_CYCLES_LO);
    EXPECT_GT(lo, 0u);
    /* every _HI offset reads the one latch; small counters have high words of 0 */
    for (uint32_t off = DLP_CSR_CYCLES_HI; off <= DLP_CSR_INSNS_HI; off += 8)
        EXPECT_EQ(0u, b.rd(off));
    EXPECT_EQ(3u, b.rd(DLP_CSR_INSNS_LO));
}

INSTANTIATE_TEST_SUITE_P(Backends, DriverCsrBlock, ::testing::Values("cmodel", "rtl"),
                         [](const ::testing::TestParamInfo<const char *> &i) {
                             return std::string(i.param);
                         });

/* ---- driver: registers through the API ------------------------------------------------------------ */

TEST(DriverCsr, OffsetsAreChecked)
{
    Dev d("cmodel:dram_mib=1");
    ASSERT_EQ(DLPD_OK, d.rc);
    uint32_t v;
    uint64_t v64;
    EXPECT_EQ(DLPD_E_ARG, dlpd_csr_read(d, 2, &v));
    EXPECT_EQ(DLPD_E_ARG, dlpd_csr_read(d, 0x1000, &v));
    EXPECT_EQ(DLPD_E_ARG, dlpd_csr_write(d, 0x1001, 0));
    EXPECT_EQ(DLPD_E_ARG, dlpd_csr_read64(d, 0xffc, &v64));
    EXPECT_TRUE(contains(d.err(), "0xffc") || contains(d.err(), "0x1000")) << d.err();
    EXPECT_EQ(DLPD_OK, dlpd_csr_read(d, DLP_CSR_ID, &v));
    EXPECT_EQ(DLP_CSR_ID_VALUE, v);
    EXPECT_EQ(DLPD_OK, dlpd_csr_write(d, DLP_CSR_PROG_LEN, 9));
    EXPECT_EQ(DLPD_OK, dlpd_csr_read(d, DLP_CSR_PROG_LEN, &v));
    EXPECT_EQ(9u, v);
}

TEST(DriverErrors, NamesAndTextsCoverEveryCode)
{
    for (int e = 0; e < DLPD_E_COUNT; e++) {
        EXPECT_STRNE("DLPD_E_?", dlpd_err_name((dlpd_err_t)e));
        EXPECT_GT(strlen(dlpd_strerror((dlpd_err_t)e)), 5u);
    }
    EXPECT_STREQ("DLPD_E_TIMEOUT", dlpd_err_name(DLPD_E_TIMEOUT));
    EXPECT_STREQ("DLPD_E_?", dlpd_err_name((dlpd_err_t)99));
    EXPECT_STREQ("", dlpd_last_error(nullptr));
}

/* ---- runs: the driver against the model run directly ----------------------------------------------- */

class DriverRun : public ::testing::TestWithParam<const char *> {};

void run_fc_both_ways(const char *target, const char *shape, int poll)
{
    OPEN_OR_SKIP(d, spec_for(target, shape));
    std::vector<uint32_t> p = assemble(kFc);
    size_t io, wo, po;
    std::vector<uint8_t> data = fc_data(7, &io, &wo, &po);

    dlpd_prog_t prog;
    ASSERT_EQ(DLPD_OK, dlpd_prog_load(d, p.data(), (uint32_t)(p.size() / 4), &prog)) << d.err();
    EXPECT_EQ(0u, prog.addr % 16);
    ASSERT_EQ(DLPD_OK, dlpd_alloc_at(d, 0x10000, data.size()));
    ASSERT_EQ(DLPD_OK, dlpd_alloc_at(d, 0x18000, N));
    ASSERT_EQ(DLPD_OK, dlpd_write(d, 0x10000, data.data(), data.size()));
    ASSERT_EQ(DLPD_OK, dlpd_set_wait_mode(d, poll ? DLPD_WAIT_POLL : DLPD_WAIT_IRQ));
    dlpd_result_t res;
    ASSERT_EQ(DLPD_OK, dlpd_run(d, &prog, 0, &res)) << d.err();
    EXPECT_EQ(1, res.halted);
    EXPECT_EQ(DLP_CSR_STATUS_DONE_MASK, res.status);
    EXPECT_EQ(DLP_CSR_IRQ_STATUS_DONE_MASK, res.irq_status);
    EXPECT_EQ(0, res.cause);
    EXPECT_STREQ("", res.message);
    uint8_t out[N];
    ASSERT_EQ(DLPD_OK, dlpd_read(d, 0x18000, out, N));

    Direct m(strcmp(shape, "16x16") ? shape : "default", 1u << 20);
    ASSERT_EQ(0, dlp_dram_write(m.m, 0x10000, data.data(), data.size()));
    dlp_result_t r = m.run(p, prog.addr);
    ASSERT_EQ(DLP_DONE, r.status) << r.message;
    uint8_t want[N];
    ASSERT_EQ(0, dlp_dram_read(m.m, 0x18000, want, N));
    EXPECT_EQ(0, memcmp(want, out, N));
    expect_counters(r.counters, res.counters);
    EXPECT_EQ((uint64_t)K * N, res.counters.macs);
    EXPECT_GT(res.counters.busy_mfu, 0u);
    EXPECT_GT(res.counters.busy_vfu, 0u);
    EXPECT_GT(res.counters.busy_dma, 0u);
    /* the counters stay readable after the run */
    dlpd_counters_t c;
    ASSERT_EQ(DLPD_OK, dlpd_read_counters(d, &c));
    EXPECT_EQ(res.counters.cycles, c.cycles);
    /* and the interrupt was cleared by the driver */
    uint32_t irq = 9;
    dlpd_csr_read(d, DLP_CSR_IRQ_STATUS, &irq);
    EXPECT_EQ(0u, irq);
    uint32_t en = 9;
    dlpd_csr_read(d, DLP_CSR_IRQ_EN, &en);
    EXPECT_EQ(poll ? 0u : 3u, en);
}

TEST_P(DriverRun, FcLayerMatchesTheModel16x16) { run_fc_both_ways(GetParam(), "16x16", 0); }
TEST_P(DriverRun, FcLayerMatchesTheModel4x4Polling) { run_fc_both_ways(GetParam(), "4x4", 1); }
TEST_P(DriverRun, FcLayerMatchesTheModel8x16) { run_fc_both_ways(GetParam(), "8x16", 0); }

TEST(DriverProg, FunctionalModeOptionReachesTheModel)
{
    Dev t("cmodel:dram_mib=1"), f("cmodel:dram_mib=1,functional=1");
    ASSERT_EQ(DLPD_OK, t.rc);
    ASSERT_EQ(DLPD_OK, f.rc);
    std::vector<uint32_t> p = assemble("li r1, 0x1000\ndma nram[r0], dram[r1], 4096\nhalt\n");
    dlpd_result_t rt, rf;
    for (Dev *d : {&t, &f}) {
        dlpd_prog_t prog;
        ASSERT_EQ(DLPD_OK, dlpd_prog_load(*d, p.data(), 3, &prog));
        ASSERT_EQ(DLPD_OK, dlpd_run(*d, &prog, 0, d == &t ? &rt : &rf)) << d->err();
    }
    EXPECT_LT(rf.counters.cycles, rt.counters.cycles);
    EXPECT_EQ(rt.counters.dram_rd_bytes, rf.counters.dram_rd_bytes);
}

TEST(DriverProg, ProgramFileLoadAndBadFiles)
{
    Dev d("cmodel:dram_mib=1");
    ASSERT_EQ(DLPD_OK, d.rc);
    std::vector<uint32_t> p = assemble("li r1, 3\nhalt\n");
    char err[256];
    std::string path = ::testing::TempDir() + "driver_prog.dlpb";
    ASSERT_EQ(0, dlp_prog_write_file(path.c_str(), p.data(), 2, err, sizeof err)) << err;
    dlpd_prog_t prog;
    ASSERT_EQ(DLPD_OK, dlpd_prog_load_file(d, path.c_str(), &prog)) << d.err();
    EXPECT_EQ(2u, prog.n_insns);
    dlpd_result_t r;
    EXPECT_EQ(DLPD_OK, dlpd_run(d, &prog, 0, &r));
    EXPECT_EQ(DLPD_OK, dlpd_prog_unload(d, &prog));
    EXPECT_EQ(0u, prog.n_insns);
    /* missing file, then a corrupted one */
    EXPECT_EQ(DLPD_E_FILE, dlpd_prog_load_file(d, "/nonexistent/x.dlpb", &prog));
    EXPECT_TRUE(contains(d.err(), "/nonexistent/x.dlpb")) << d.err();
    FILE *f = fopen(path.c_str(), "r+b");
    ASSERT_NE(nullptr, f);
    fseek(f, 40, SEEK_SET);
    fputc(0x55, f);
    fclose(f);
    EXPECT_EQ(DLPD_E_PROGRAM, dlpd_prog_load_file(d, path.c_str(), &prog));
    EXPECT_TRUE(contains(d.err(), "CRC")) << d.err();
    dlpd_mem_stats_t st;
    dlpd_mem_stats(d, &st);
    EXPECT_EQ(0u, st.buffers); /* nothing leaked by the failures */
}

TEST(DriverProg, ProgramLoadLimits)
{
    Dev d("cmodel:dram_mib=1,imem_insns=8");
    ASSERT_EQ(DLPD_OK, d.rc);
    std::vector<uint32_t> w(4 * 9, 0);
    dlpd_prog_t prog;
    EXPECT_EQ(DLPD_E_PROGRAM, dlpd_prog_load(d, w.data(), 0, &prog));
    EXPECT_EQ(DLPD_E_PROGRAM, dlpd_prog_load(d, w.data(), 9, &prog));
    EXPECT_TRUE(contains(d.err(), "instruction memory of 8")) << d.err();
    EXPECT_EQ(DLPD_E_ARG, dlpd_prog_load(d, nullptr, 2, &prog));
    EXPECT_EQ(DLPD_OK, dlpd_prog_load(d, w.data(), 8, &prog));
}

/* ---- errors from the core ---------------------------------------------------------------------------- */

struct ErrCase {
    const char *name, *src;
    int cause;
    uint32_t pc, info;
    const char *text; /* part of the decoded message */
};

class DriverRunError : public ::testing::TestWithParam<std::tuple<const char *, ErrCase>> {};

TEST_P(DriverRunError, CausePcInfoAndMessageMatchTheModel)
{
    const char *target = std::get<0>(GetParam());
    const ErrCase &c = std::get<1>(GetParam());
    OPEN_OR_SKIP(d, spec_for(target, "16x16"));
    std::vector<uint32_t> p = assemble(c.src);
    ASSERT_FALSE(p.empty());
    dlpd_prog_t prog;
    ASSERT_EQ(DLPD_OK, dlpd_prog_load(d, p.data(), (uint32_t)(p.size() / 4), &prog));
    dlpd_result_t res;
    EXPECT_EQ(DLPD_E_RUN, dlpd_run(d, &prog, 0, &res));
    EXPECT_EQ(0, res.halted);
    EXPECT_EQ(DLP_CSR_STATUS_ERROR_MASK, res.status);
    EXPECT_EQ(DLP_CSR_IRQ_STATUS_ERROR_MASK, res.irq_status);
    EXPECT_EQ(c.cause, res.cause);
    EXPECT_EQ(c.pc, res.err_pc);
    EXPECT_EQ(c.info, res.err_info);
    EXPECT_TRUE(contains(res.message, dlp_cause_name(c.cause))) << res.message;
    EXPECT_TRUE(contains(res.message, c.text)) << res.message;
    EXPECT_TRUE(contains(res.message, dlp_cause_doc(c.cause))) << res.message;
    if (!is_rtl(target)) {
        EXPECT_TRUE(contains(res.message, "[cmodel: ")) << res.message; /* the model's note */
    }
    EXPECT_TRUE(contains(d.err(), res.message)) << d.err();

    Direct m("default", 1u << 20);
    dlp_result_t r = m.run(p, prog.addr);
    EXPECT_EQ(r.cause, res.cause);
    EXPECT_EQ(r.err_pc, res.err_pc);
    EXPECT_EQ(r.err_info, res.err_info);
    expect_counters(r.counters, res.counters);
    /* the device is usable again */
    std::vector<uint32_t> h = assemble("halt\n");
    dlpd_prog_t hp;
    ASSERT_EQ(DLPD_OK, dlpd_prog_load(d, h.data(), 1, &hp));
    EXPECT_EQ(DLPD_OK, dlpd_run(d, &hp, 0, &res)) << d.err();
}

INSTANTIATE_TEST_SUITE_P(
    Causes, DriverRunError,
    ::testing::Combine(::testing::Values("cmodel", "rtl"), ::testing::Values(
        ErrCase{"illegal_opcode", "li r1, 1\n.insn 0x0000000f, 0, 0, 0\nhalt\n",
                DLP_CAUSE_ILLEGAL_OPCODE, 1, 0xf, "at instruction 1 (instruction low word 0x0000000f)"},
        ErrCase{"pc_range", "li r1, 1\nnop\naddi r1, r1, 1\n", DLP_CAUSE_PC_RANGE, 3, 3,
                "instruction index 3"},
        ErrCase{"endloop_alone", "nop\n.insn 0x0000000e, 0, 0, 0\nhalt\n", DLP_CAUSE_LOOP, 1, 0,
                "loop depth 0"},
        ErrCase{"token_overflow",
                "li r1, 0x100\nli r2, 0x10000\nloop 16\n dma nram[r1], dram[r2], 16, signal=cp\n"
                " sync\nendloop\nhalt\n",
                DLP_CAUSE_TOKEN_OVERFLOW, 3, 1, "token channel LD->CP"},
        ErrCase{"deadlock", "mm acc[r0], nram[r0], wram[r0], 1, 1, 1, wait=ld\nsync\nhalt\n",
                DLP_CAUSE_DEADLOCK, 1, 1, "DEADLOCK"},
        ErrCase{"spad_range", "li r1, 131062\nli r2, 0x10000\ndma nram[r1], dram[r2], 16\nhalt\n",
                DLP_CAUSE_SPAD_RANGE, 2, 131077, "highest element touched 0x20005"},
        ErrCase{"dram_window", "li r1, 0x200000\ndma nram[r0], dram[r1], 16\nhalt\n",
                DLP_CAUSE_DRAM_WINDOW, 1, 0x20000f, "DRAM byte 0x20000f"})),
    [](const ::testing::TestParamInfo<std::tuple<const char *, ErrCase>> &i) {
        return std::string(std::get<0>(i.param)) + "_" + std::get<1>(i.param).name;
    });

TEST_P(DriverRun, WindowSettingReachesTheCore)
{
    OPEN_OR_SKIP(d, spec_for(GetParam(), "16x16"));
    std::vector<uint32_t> p =
        assemble("li r1, 0x20000\ndma nram[r0], dram[r1], 16\nli r1, 0x3fff0\n"
                 "dma nram[r0], dram[r1], 32\nhalt\n");
    dlpd_prog_t prog;
    ASSERT_EQ(DLPD_OK, dlpd_prog_load(d, p.data(), 5, &prog));
    ASSERT_EQ(0u, prog.addr);
    ASSERT_EQ(DLPD_OK, dlpd_set_window(d, 0, 0x40000));
    dlpd_result_t r;
    EXPECT_EQ(DLPD_E_RUN, dlpd_run(d, &prog, 0, &r));
    EXPECT_EQ(DLP_CAUSE_DRAM_WINDOW, r.cause);
    EXPECT_EQ(3u, r.err_pc);
    EXPECT_EQ(0x4000fu, r.err_info); /* the highest byte touched */
    /* the program itself outside the window: no fetch */
    ASSERT_EQ(DLPD_OK, dlpd_set_window(d, 0x1000, 1ull << 32));
    EXPECT_EQ(DLPD_E_RUN, dlpd_run(d, &prog, 0, &r));
    EXPECT_EQ(DLP_CAUSE_DRAM_WINDOW, r.cause);
    EXPECT_EQ(0u, r.err_pc);
    uint32_t lim = 1;
    dlpd_csr_read(d, DLP_CSR_WIN_LIMIT, &lim);
    EXPECT_EQ(0u, lim); /* 2^32 is written as 0 */
    EXPECT_EQ(DLPD_E_ARG, dlpd_set_window(d, 5, 4));
    EXPECT_EQ(DLPD_E_ARG, dlpd_set_window(d, 0, (1ull << 32) + 1));
}

TEST_P(DriverRun, BadProgramIsTheCoresToReport)
{
    OPEN_OR_SKIP(d, spec_for(GetParam(), "16x16"));
    dlpd_prog_t none = {0x100, 0}, odd = {0x108, 1};
    dlpd_result_t r;
    EXPECT_EQ(DLPD_E_RUN, dlpd_run(d, &none, 0, &r));
    EXPECT_EQ(DLP_CAUSE_BAD_PROGRAM, r.cause);
    EXPECT_TRUE(contains(r.message, "BAD_PROGRAM (program length 0)")) << r.message;
    EXPECT_EQ(DLPD_E_RUN, dlpd_run(d, &odd, 0, &r));
    EXPECT_EQ(DLP_CAUSE_BAD_PROGRAM, r.cause);
    dlpd_prog_t far = {1ull << 32, 1};
    EXPECT_EQ(DLPD_E_ARG, dlpd_run(d, &far, 0, &r));
}

/* ---- waiting ----------------------------------------------------------------------------------------- */

TEST_P(DriverRun, CycleLimitStopsARunawayProgramWithTimeout)
{
    OPEN_OR_SKIP(d, spec_for(GetParam(), "16x16"));
    std::vector<uint32_t> p =
        assemble("loop 0xffffffff\n nop\n addi r1, r1, 1\nendloop\nhalt\n");
    dlpd_prog_t prog;
    ASSERT_EQ(DLPD_OK, dlpd_prog_load(d, p.data(), (uint32_t)(p.size() / 4), &prog));
    ASSERT_EQ(DLPD_OK, dlpd_set_cycle_limit(d, 3000));
    dlpd_result_t r;
    EXPECT_EQ(DLPD_E_RUN, dlpd_run(d, &prog, 0, &r));
    EXPECT_EQ(DLP_CAUSE_TIMEOUT, r.cause);
    EXPECT_EQ(3001u, r.counters.cycles); /* docs/csr.md: CYCLES reads CYCLE_LIMIT + 1 */
    uint32_t lo = 0, hi = 1;
    dlpd_csr_read(d, DLP_CSR_CYCLE_LIMIT_LO, &lo);
    dlpd_csr_read(d, DLP_CSR_CYCLE_LIMIT_HI, &hi);
    EXPECT_EQ(3000u, lo);
    EXPECT_EQ(0u, hi);
    /* memory survives a change of the limit (the model is rebuilt underneath) */
    ASSERT_EQ(DLPD_OK, dlpd_alloc_at(d, 0x8000, 16));
    const uint8_t bytes[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    ASSERT_EQ(DLPD_OK, dlpd_write(d, 0x8000, bytes, 16));
    ASSERT_EQ(DLPD_OK, dlpd_set_cycle_limit(d, 0));
    std::vector<uint32_t> h = assemble("li r1, 0x8000\ndma nram[r0], dram[r1], 16\nsync\n"
                                       "li r2, 0x8008\ndma dram[r2], nram[r0], 8\nhalt\n");
    dlpd_prog_t hp;
    ASSERT_EQ(DLPD_OK, dlpd_prog_load(d, h.data(), (uint32_t)(h.size() / 4), &hp));
    ASSERT_EQ(DLPD_OK, dlpd_run(d, &hp, 0, &r)) << d.err();
    uint8_t back[16];
    ASSERT_EQ(DLPD_OK, dlpd_read(d, 0x8000, back, 16));
    const uint8_t want[16] = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_EQ(0, memcmp(want, back, 16));
}

TEST_P(DriverRun, WaitWithoutARunAndStartWhileBusy)
{
    OPEN_OR_SKIP(d, spec_for(GetParam(), "16x16"));
    dlpd_result_t r;
    EXPECT_EQ(DLPD_E_ARG, dlpd_wait(d, 10, &r));
    EXPECT_TRUE(contains(d.err(), "no run in progress")) << d.err();
    std::vector<uint32_t> h = assemble("halt\n");
    dlpd_prog_t hp;
    ASSERT_EQ(DLPD_OK, dlpd_prog_load(d, h.data(), 1, &hp));
    ASSERT_EQ(DLPD_OK, dlpd_start(d, &hp));
    EXPECT_EQ(DLPD_E_BUSY, dlpd_start(d, &hp)); /* the model has not run yet: still busy */
    EXPECT_TRUE(contains(d.err(), "still running")) << d.err();
    EXPECT_EQ(DLPD_OK, dlpd_wait(d, 1000, &r));
    EXPECT_EQ(DLPD_E_ARG, dlpd_wait(d, 10, &r));
}

TEST_P(DriverRun, ARunStartedThroughTheRegistersIsWaitedFor)
{
    OPEN_OR_SKIP(d, spec_for(GetParam(), "16x16"));
    std::vector<uint32_t> h = assemble("nop\nhalt\n");
    dlpd_prog_t hp;
    ASSERT_EQ(DLPD_OK, dlpd_prog_load(d, h.data(), 2, &hp));
    ASSERT_EQ(DLPD_OK, dlpd_set_wait_mode(d, DLPD_WAIT_POLL));
    ASSERT_EQ(DLPD_OK, dlpd_csr_write(d, DLP_CSR_PROG_ADDR, (uint32_t)hp.addr));
    ASSERT_EQ(DLPD_OK, dlpd_csr_write(d, DLP_CSR_PROG_LEN, 2));
    ASSERT_EQ(DLPD_OK, dlpd_csr_write(d, DLP_CSR_CTRL, 1));
    dlpd_result_t r;
    EXPECT_EQ(DLPD_OK, dlpd_wait(d, 1000, &r)) << d.err();
    EXPECT_EQ(2u, r.counters.insns);
    EXPECT_EQ(DLPD_E_ARG, dlpd_set_wait_mode(d, 7));
}

INSTANTIATE_TEST_SUITE_P(Backends, DriverRun, ::testing::Values("cmodel", "rtl"),
                         [](const ::testing::TestParamInfo<const char *> &i) {
                             return std::string(i.param);
                         });

/* ---- a fake back end: what the model cannot show ------------------------------------------------------ */

struct Fake {
    std::map<uint32_t, uint32_t> reg;
    bool busy_forever = false;   /* STATUS.busy never clears, the line never rises */
    bool silent_irq = false;     /* the run ends but the line stays low */
    int fail_read_at = -1;       /* this offset's read fails */
    std::vector<uint32_t> reads; /* every offset read, in order */
    uint32_t latch = 0;
    uint64_t cycles = 0x123456789abull;
    int waits = 0, closed = 0;
    Fake()
    {
        reg[DLP_CSR_ID] = DLP_CSR_ID_VALUE;
        reg[DLP_CSR_VERSION] = DLP_ISA_VERSION | 7u << 16;
        reg[DLP_CSR_CAP0] = 4 | 4 << 8 | 4 << 16 | 16u << 24;
        reg[DLP_CSR_CAP1] = 8 | 8 << 16;
        reg[DLP_CSR_CAP2] = 4 | 64 << 16;
        reg[DLP_CSR_CAP3] = 8 | 4 << 8 | 15 << 16 | 16u << 24;
    }
    static Fake *of(void *c) { return static_cast<Fake *>(c); }
    static int csr_read(void *c, uint32_t off, uint32_t *v, char *msg, size_t len)
    {
        Fake *f = of(c);
        f->reads.push_back(off);
        if ((int)off == f->fail_read_at) {
            snprintf(msg, len, "bus error (injected)");
            return -1;
        }
        if (off == DLP_CSR_CYCLES_LO) {
            f->latch = (uint32_t)(f->cycles >> 32);
            *v = (uint32_t)f->cycles;
        } else if (off == DLP_CSR_CYCLES_HI) {
            *v = f->latch;
        } else {
            *v = f->reg.count(off) ? f->reg[off] : 0;
        }
        return 0;
    }
    static int csr_write(void *c, uint32_t off, uint32_t v, char *, size_t)
    {
        Fake *f = of(c);
        if (off == DLP_CSR_CTRL && (v & 1))
            f->reg[DLP_CSR_STATUS] = 1;
        else if (off == DLP_CSR_IRQ_STATUS)
            f->reg[off] &= ~v;
        else
            f->reg[off] = v;
        return 0;
    }
    static int dram(void *, uint64_t, const void *, size_t, char *, size_t) { return 0; }
    static int dram_rd(void *, uint64_t, void *, size_t, char *, size_t) { return 0; }
    static int wait(void *c, uint32_t max_ms, int *irq, char *, size_t)
    {
        Fake *f = of(c);
        f->waits++;
        (void)max_ms;
        if (!f->busy_forever && f->reg[DLP_CSR_STATUS] == 1) {
            f->reg[DLP_CSR_STATUS] = 2;
            if (!f->silent_irq)
                f->reg[DLP_CSR_IRQ_STATUS] |= 1;
        }
        *irq = (f->reg[DLP_CSR_IRQ_STATUS] & f->reg[DLP_CSR_IRQ_EN]) != 0;
        return 0;
    }
    static void close(void *c) { of(c)->closed++; }
};

const dlpd_backend_ops_t kFakeOps = {Fake::csr_read, Fake::csr_write, Fake::dram_rd, Fake::dram,
                                     Fake::wait,     Fake::close,     nullptr};

dlpd_dev_t *open_fake(Fake *f, dlpd_err_t want = DLPD_OK, std::string *msg_out = nullptr)
{
    dlpd_backend_t be{"fake", &kFakeOps, f, 0, 1u << 20};
    dlpd_dev_t *d = nullptr;
    char msg[512] = "";
    EXPECT_EQ(want, dlpd_open_backend(&be, &d, msg, sizeof msg)) << msg;
    if (msg_out)
        *msg_out = msg;
    return d;
}

TEST(DriverFake, HostTimeoutLeavesTheCoreBusy)
{
    Fake f;
    f.busy_forever = true;
    dlpd_dev_t *d = open_fake(&f);
    ASSERT_NE(nullptr, d);
    dlpd_prog_t p = {0, 1};
    dlpd_result_t r;
    EXPECT_EQ(DLPD_E_TIMEOUT, dlpd_run(d, &p, 30, &r));
    EXPECT_TRUE(contains(dlpd_last_error(d), "did not end within 30 ms")) << dlpd_last_error(d);
    EXPECT_TRUE(contains(dlpd_last_error(d), "CYCLES reads 1250999896491")) << dlpd_last_error(d);
    EXPECT_GE(f.waits, 1);
    EXPECT_EQ(DLPD_E_BUSY, dlpd_start(d, &p));
    EXPECT_EQ(DLPD_E_TIMEOUT, dlpd_wait(d, 1, &r));
    dlpd_close(d);
    EXPECT_EQ(1, f.closed);
}

TEST(DriverFake, ProgressIsReportedDuringLongWaits)
{
    Fake f;
    f.busy_forever = true;
    dlpd_dev_t *d = open_fake(&f);
    ASSERT_NE(nullptr, d);
    int calls = 0;
    dlpd_set_progress(
        d, [](void *ctx, uint64_t) { ++*static_cast<int *>(ctx); }, &calls, 5);
    dlpd_prog_t p = {0, 1};
    /* 300 ms of 50 ms wait slices: at least two progress calls even when a slice overruns on a
       loaded machine (60 ms gave one under ASan with other jobs running) */
    EXPECT_EQ(DLPD_E_TIMEOUT, dlpd_run(d, &p, 300, nullptr));
    EXPECT_GE(calls, 2);
    dlpd_close(d);
}

TEST(DriverFake, Counters64ReadLowWordFirst)
{
    Fake f;
    dlpd_dev_t *d = open_fake(&f);
    ASSERT_NE(nullptr, d);
    f.reads.clear();
    uint64_t v = 0;
    ASSERT_EQ(DLPD_OK, dlpd_csr_read64(d, DLP_CSR_CYCLES_LO, &v));
    EXPECT_EQ(f.cycles, v);
    ASSERT_EQ(2u, f.reads.size());
    EXPECT_EQ(DLP_CSR_CYCLES_LO, f.reads[0]);
    EXPECT_EQ(DLP_CSR_CYCLES_HI, f.reads[1]);
    dlpd_counters_t c;
    ASSERT_EQ(DLPD_OK, dlpd_read_counters(d, &c));
    EXPECT_EQ(f.cycles, c.cycles);
    dlpd_info_t in;
    dlpd_get_info(d, &in);
    EXPECT_EQ(7u, in.hw_revision);
    EXPECT_EQ(4u, in.rows);
    dlpd_close(d);
}

TEST(DriverFake, PollModeAndASilentInterrupt)
{
    Fake f;
    f.silent_irq = true;
    dlpd_dev_t *d = open_fake(&f);
    ASSERT_NE(nullptr, d);
    dlpd_prog_t p = {0, 1};
    dlpd_result_t r;
    ASSERT_EQ(DLPD_OK, dlpd_set_wait_mode(d, DLPD_WAIT_POLL));
    EXPECT_EQ(DLPD_OK, dlpd_run(d, &p, 1000, &r)) << dlpd_last_error(d);
    EXPECT_EQ(0u, f.reg[DLP_CSR_IRQ_EN]);
    ASSERT_EQ(DLPD_OK, dlpd_set_wait_mode(d, DLPD_WAIT_IRQ));
    EXPECT_EQ(DLPD_E_DEVICE, dlpd_run(d, &p, 3000, &r));
    EXPECT_TRUE(contains(dlpd_last_error(d), "interrupt line stayed low")) << dlpd_last_error(d);
    dlpd_close(d);
}

TEST(DriverFake, StatusWithNeitherDoneNorError)
{
    Fake f;
    dlpd_dev_t *d = open_fake(&f);
    ASSERT_NE(nullptr, d);
    dlpd_set_wait_mode(d, DLPD_WAIT_POLL);
    dlpd_prog_t p = {0, 1};
    ASSERT_EQ(DLPD_OK, dlpd_start(d, &p));
    f.busy_forever = true;
    f.reg[DLP_CSR_STATUS] = 6; /* done and error at once */
    dlpd_result_t r;
    EXPECT_EQ(DLPD_E_DEVICE, dlpd_wait(d, 100, &r));
    EXPECT_TRUE(contains(r.message, "STATUS reads 0x6")) << r.message;
    dlpd_close(d);
}

TEST(DriverFake, BusErrorsBecomeIoErrorsNamingTheRegister)
{
    Fake f;
    dlpd_dev_t *d = open_fake(&f);
    ASSERT_NE(nullptr, d);
    f.fail_read_at = DLP_CSR_STATUS;
    dlpd_prog_t p = {0, 1};
    EXPECT_EQ(DLPD_E_IO, dlpd_start(d, &p));
    EXPECT_TRUE(contains(dlpd_last_error(d), "reading STATUS (0x024) failed: bus error (injected)"))
        << dlpd_last_error(d);
    dlpd_close(d);
}

TEST(DriverFake, ForeignDevicesAreRefusedAndClosed)
{
    {
        Fake f;
        f.reg[DLP_CSR_ID] = 0x12345678;
        std::string m;
        EXPECT_EQ(nullptr, open_fake(&f, DLPD_E_DEVICE, &m));
        EXPECT_TRUE(contains(m, "ID reads 0x12345678")) << m;
        EXPECT_EQ(1, f.closed);
    }
    {
        Fake f;
        f.reg[DLP_CSR_VERSION] = DLP_ISA_VERSION + 1;
        std::string m;
        EXPECT_EQ(nullptr, open_fake(&f, DLPD_E_DEVICE, &m));
        EXPECT_TRUE(contains(m, "ISA version")) << m;
        EXPECT_EQ(1, f.closed);
    }
    {
        Fake f;
        f.fail_read_at = DLP_CSR_CAP2;
        std::string m;
        EXPECT_EQ(nullptr, open_fake(&f, DLPD_E_IO, &m));
        EXPECT_TRUE(contains(m, "CAP2")) << m;
    }
    {
        Fake f;
        f.reg[DLP_CSR_CAP0] = 0;
        EXPECT_EQ(nullptr, open_fake(&f, DLPD_E_DEVICE));
    }
    dlpd_backend_ops_t incomplete = kFakeOps;
    incomplete.wait = nullptr;
    Fake f;
    dlpd_backend_t be{"x", &incomplete, &f, 0, 4096};
    dlpd_dev_t *d;
    char msg[128];
    EXPECT_EQ(DLPD_E_ARG, dlpd_open_backend(&be, &d, msg, sizeof msg));
    EXPECT_EQ(1, f.closed);
}

TEST(DriverFake, MemoryBeyond32BitsIsCut)
{
    Fake f;
    dlpd_backend_t be{"fake", &kFakeOps, &f, 0xfff00000u, 1ull << 33};
    dlpd_dev_t *d = nullptr;
    char msg[256];
    ASSERT_EQ(DLPD_OK, dlpd_open_backend(&be, &d, msg, sizeof msg)) << msg;
    dlpd_info_t in;
    dlpd_get_info(d, &in);
    EXPECT_EQ(0x100000u, in.mem_bytes);
    dlpd_close(d);
    Fake g;
    dlpd_backend_t hi{"fake", &kFakeOps, &g, 1ull << 32, 4096};
    EXPECT_EQ(DLPD_E_DEVICE, dlpd_open_backend(&hi, &d, msg, sizeof msg));
}

/* ---- cause decoding ------------------------------------------------------------------------------------ */

TEST(DriverFormat, EveryCauseDecodes)
{
    char b[256];
    for (int c = 0; c <= DLP_CAUSE_COUNT; c++) {
        dlpd_format_cause(c, 12, 0x9, b, sizeof b);
        EXPECT_TRUE(contains(b, dlp_cause_name(c))) << b;
    }
    EXPECT_STREQ("TOKEN_OVERFLOW at instruction 12 (token channel ST->LD): a signal to a token "
                 "channel that already holds the maximum",
                 dlpd_format_cause(DLP_CAUSE_TOKEN_OVERFLOW, 12, 8, b, sizeof b));
    dlpd_format_cause(DLP_CAUSE_DRAM_WINDOW, 3, 0x1fff0, b, 20); /* truncates safely */
    EXPECT_EQ(19u, strlen(b));
}

} // namespace
