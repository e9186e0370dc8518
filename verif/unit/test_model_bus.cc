// SPDX-License-Identifier: Apache-2.0
/*
 * The C model with an external DRAM bus (dlp_set_bus): every fetch and DMA byte goes through
 * the bus in bursts of the AXI4 master's shape, the results and counters equal those of the
 * same machine with its DRAM inside, write strobes cover exactly the bytes a store writes, and
 * an error response stops the machine with BUS_ERROR. Expectations come from the DMA formula
 * of docs/isa.md and the burst rules of docs/timing.md, written out here.
 */
#include <set>

#include "model_util.h"

using namespace dlpt;

namespace {

struct Burst {
    bool write;
    uint64_t cycle, addr;
    uint32_t len;
    std::vector<uint8_t> strb;
};

/* A DRAM of its own behind the bus, recording every burst; addresses >= fail_at answer an error. */
struct Bus {
    std::vector<uint8_t> mem = std::vector<uint8_t>(1u << 20);
    std::vector<Burst> log;
    uint64_t fail_at = UINT64_MAX;

    static int rd(void *ctx, uint64_t cycle, uint64_t addr, uint8_t *data, uint32_t len)
    {
        Bus *b = static_cast<Bus *>(ctx);
        b->log.push_back({false, cycle, addr, len, {}});
        if (addr + len > b->fail_at || addr + len > b->mem.size())
            return -1;
        std::memcpy(data, &b->mem[addr], len);
        return 0;
    }
    static int wr(void *ctx, uint64_t cycle, uint64_t addr, const uint8_t *data, const uint8_t *strb,
                  uint32_t len)
    {
        Bus *b = static_cast<Bus *>(ctx);
        b->log.push_back({true, cycle, addr, len, std::vector<uint8_t>(strb, strb + len)});
        if (addr + len > b->fail_at || addr + len > b->mem.size())
            return -1;
        for (uint32_t i = 0; i < len; i++)
            if (strb[i])
                b->mem[addr + i] = data[i];
        return 0;
    }
    dlp_bus_t bus() { return dlp_bus_t{rd, wr, this}; }
};

/* A load of a padded 3-D box, a store of it (with padding), program at DRAM 0. */
Prog load_store(DmaOp *ld, DmaOp *st)
{
    ld->dsp = NRAM, ld->ssp = DRAM;
    ld->src = 0x10003, ld->ss1 = 300, ld->ss2 = 4000, ld->n0 = 250, ld->n1 = 3, ld->n2 = 2;
    ld->dst = 0x105, ld->ds1 = 260, ld->ds2 = 1400, ld->pt = 1, ld->pb = 1, ld->pl = 2, ld->pr = 3;
    ld->pv = -5, ld->signal = QST;
    st->dsp = DRAM, st->ssp = NRAM;
    st->src = 0x105, st->ss1 = 260, st->ss2 = 1400, st->n0 = 255, st->n1 = 5, st->n2 = 2;
    st->dst = 0x40ffd, st->ds1 = 700, st->ds2 = 4300, st->pl = 1, st->pr = 17, st->pt = 1;
    st->pv = 9, st->wait = QLD;
    Prog p;
    p.dma_vals(*ld);
    p.dma_vals(*st);
    p.halt();
    return p;
}

TEST(ModelBus, SameResultsAndCountersAsInternalDram)
{
    dlp_config_t cfg = test_config();
    cfg.burst_beats = 4; /* short bursts: many of them */
    Rng g(0xB05);
    DmaOp ld, st;
    Prog p = load_store(&ld, &st);
    std::vector<uint8_t> prog = p.bytes();

    Machine ref(cfg);
    Machine mc(cfg);
    Bus bus;
    g.fill(bus.mem.data(), bus.mem.size());
    std::memcpy(bus.mem.data(), prog.data(), prog.size());
    ASSERT_EQ(0, dlp_dram_write(ref.m, 0, bus.mem.data(), bus.mem.size()));
    dlp_bus_t b = bus.bus();
    ASSERT_EQ(0, dlp_set_bus(mc.m, &b));
    EXPECT_EQ(-1, dlp_set_bus(mc.m, &b)) << "a second bus is refused";
    uint8_t x;
    EXPECT_EQ(-1, dlp_dram_read(mc.m, 0, &x, 1)) << "no DRAM inside any more";

    dlp_result_t r1, r2;
    dlp_run(ref.m, 0, (uint32_t)p.size(), &r1);
    dlp_run(mc.m, 0, (uint32_t)p.size(), &r2);
    ASSERT_DONE(r1);
    ASSERT_DONE(r2);
    EXPECT_EQ(0, std::memcmp(&r1.counters, &r2.counters, sizeof r1.counters));
    EXPECT_EQ(0, std::memcmp(ref.dram(), bus.mem.data(), bus.mem.size()));
    EXPECT_EQ(0, std::memcmp(ref.nram(), mc.nram(), cfg.nram_bytes));

    /* every burst: beat aligned, whole beats, at most burst_beats, inside one 4 KiB page;
       cycles never go backwards (one DMA engine, bursts in order) */
    const uint64_t w = cfg.beat_bytes;
    uint64_t last = 0;
    std::set<uint64_t> read, strobed;
    for (const Burst &u : bus.log) {
        EXPECT_EQ(0u, u.addr % w);
        EXPECT_EQ(0u, u.len % w);
        EXPECT_LE(u.len, w * cfg.burst_beats);
        EXPECT_EQ(u.addr / 4096, (u.addr + u.len - 1) / 4096);
        EXPECT_GE(u.cycle, last);
        last = u.cycle;
        for (uint32_t i = 0; i < u.len; i++) {
            if (!u.write) {
                read.insert(u.addr + i);
            } else if (u.strb[i]) {
                EXPECT_TRUE(strobed.insert(u.addr + i).second) << "byte written twice";
            }
        }
    }
    /* reads cover the program and the load's source rows; strobes are exactly the store's
       destination rows (padding included) */
    for (uint64_t i = 0; i < prog.size(); i++)
        EXPECT_TRUE(read.count(i));
    for (uint64_t i2 = 0; i2 < ld.n2; i2++)
        for (uint64_t i1 = 0; i1 < ld.n1; i1++)
            for (uint64_t j = 0; j < ld.n0; j++)
                EXPECT_TRUE(read.count(ld.src + i2 * ld.ss2 + i1 * ld.ss1 + j));
    std::set<uint64_t> want;
    for (uint64_t i2 = 0; i2 < st.n2; i2++)
        for (uint64_t j1 = 0; j1 < st.pt + st.n1 + st.pb; j1++)
            for (uint64_t j0 = 0; j0 < st.pl + st.n0 + st.pr; j0++)
                want.insert(st.dst + i2 * st.ds2 + j1 * st.ds1 + j0);
    EXPECT_TRUE(want == strobed) << want.size() << " bytes to write, " << strobed.size()
                                 << " strobed";
}

TEST(ModelBus, ErrorResponseStopsWithBusError)
{
    dlp_config_t cfg = test_config();
    DmaOp ld, st;
    Prog p = load_store(&ld, &st);
    std::vector<uint8_t> prog = p.bytes();
    for (uint64_t fail : {(uint64_t)0x10100, (uint64_t)0x41000}) { /* in the load, in the store */
        Machine mc(cfg);
        Bus bus;
        bus.fail_at = fail;
        std::memcpy(bus.mem.data(), prog.data(), prog.size());
        dlp_bus_t b = bus.bus();
        ASSERT_EQ(0, dlp_set_bus(mc.m, &b));
        dlp_result_t r;
        dlp_run(mc.m, 0, (uint32_t)p.size(), &r);
        EXPECT_EQ(DLP_ERROR, r.status);
        EXPECT_EQ(DLP_CAUSE_BUS_ERROR, r.cause) << describe(r);
        EXPECT_EQ(0u, r.err_info);
        /* no burst after the failing one */
        EXPECT_GT(bus.log.back().addr + bus.log.back().len, fail);
    }
    /* the program fetch itself */
    Machine mc(cfg);
    Bus bus;
    bus.fail_at = 16;
    dlp_bus_t b = bus.bus();
    ASSERT_EQ(0, dlp_set_bus(mc.m, &b));
    dlp_result_t r;
    dlp_run(mc.m, 0, 4, &r);
    EXPECT_FAULT(r, DLP_CAUSE_BUS_ERROR, 0);
}

} // namespace
