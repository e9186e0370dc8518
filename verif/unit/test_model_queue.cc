// SPDX-License-Identifier: Apache-2.0
/*
 * Decoupled queues on the C model: programs synchronised with wait/signal tokens and sync give
 * correct results; the retire stream reports every instruction once, per queue in program
 * order, with writes that reproduce the final memory; functional mode gives the same bits as
 * timed mode.
 */
#include <map>

#include "model_util.h"

using namespace dlpt;

namespace {

struct Write {
    int mem;
    uint32_t addr, len;
    std::vector<uint8_t> data;
};

struct Retired {
    uint64_t start, end;
    uint32_t pc;
    int unit, queue, id;
    unsigned wait, signal;
    std::vector<Write> writes;
};

struct Recorder {
    std::vector<Retired> r;
    static void cb(void *ctx, const dlp_retire_t *x)
    {
        Retired e;
        e.start = x->start, e.end = x->end, e.pc = x->pc, e.unit = x->unit, e.queue = x->queue;
        e.id = x->insn->id;
        e.wait = (unsigned)x->insn->f[DLP_F_WAIT], e.signal = (unsigned)x->insn->f[DLP_F_SIGNAL];
        for (uint32_t i = 0; i < x->n_writes; i++) {
            const dlp_write_t &w = x->writes[i];
            size_t bytes = w.mem == DLP_MEM_ACC || w.mem == DLP_MEM_REG ? 4u * w.len : w.len;
            e.writes.push_back({w.mem, w.addr, w.len, std::vector<uint8_t>(w.data, w.data + bytes)});
        }
        static_cast<Recorder *>(ctx)->r.push_back(e);
    }
    void attach(Machine &mc) { dlp_set_retire_cb(mc.m, cb, this, 1); }
};

/* Expected unit and queue of an instruction, from docs/isa.md's opcode map. */
void expected_unit_queue(const Prog &p, uint32_t pc, int *unit, int *queue)
{
    uint32_t w[4] = {p.code[pc][0], p.code[pc][1], p.code[pc][2], p.code[pc][3]};
    unsigned op = w[0] & 0x3f;
    if (op < 0x10) {
        *unit = DLP_UNIT_FE, *queue = DLP_Q_NONE;
    } else if (op == 0x10) {
        *unit = DLP_UNIT_DMA;
        *queue = dlp_field_get_raw(w, DLP_F_DSP) == DRAM ? DLP_Q_ST : DLP_Q_LD;
    } else {
        *unit = op == 0x20 ? DLP_UNIT_MFU : DLP_UNIT_VFU, *queue = DLP_Q_CP;
    }
}

/*
 * Checks on a retire stream: the unit/queue of each record, start <= end (equal for the front
 * end), non-decreasing end cycles, one instruction at a time per unit (the DMA engine; the
 * compute unit shared by MFU and VFU), per-queue order = `order` (the dynamic program order of
 * each queue's instructions), INSNS = number of records; and that replaying the recorded writes
 * onto `before` gives the machine's final memories and registers.
 */
void check_stream(const Prog &p, const Recorder &rec, const dlp_result_t &res, Machine &mc,
                  Snapshot before, const std::map<int, std::vector<uint32_t>> &order)
{
    EXPECT_EQ(rec.r.size(), res.counters.insns);
    std::map<int, std::vector<uint32_t>> seen;
    uint64_t last_end = 0, dma_free = 0, cp_free = 0;
    uint32_t regs[16] = {0};
    for (size_t i = 0; i < rec.r.size(); i++) {
        const Retired &e = rec.r[i];
        int unit, queue;
        expected_unit_queue(p, e.pc, &unit, &queue);
        EXPECT_EQ(unit, e.unit) << "record " << i << " pc " << e.pc;
        EXPECT_EQ(queue, e.queue) << "record " << i << " pc " << e.pc;
        EXPECT_LE(e.start, e.end);
        if (e.unit == DLP_UNIT_FE) {
            EXPECT_EQ(e.start, e.end);
        }
        EXPECT_GE(e.end, last_end) << "records arrive in end-cycle order";
        last_end = e.end;
        if (e.unit == DLP_UNIT_DMA) {
            EXPECT_GE(e.start, dma_free) << "DMA engine runs one instruction at a time, pc " << e.pc;
            dma_free = e.end + 1;
        } else if (e.unit != DLP_UNIT_FE) {
            EXPECT_GE(e.start, cp_free) << "compute unit runs one instruction at a time, pc " << e.pc;
            cp_free = e.end + 1;
        }
        seen[e.queue].push_back(e.pc);
        for (const Write &w : e.writes) {
            switch (w.mem) {
            case DLP_MEM_REG:
                ASSERT_LT(w.addr, 16u);
                regs[w.addr] = (uint32_t)w.data[0] | (uint32_t)w.data[1] << 8 |
                               (uint32_t)w.data[2] << 16 | (uint32_t)w.data[3] << 24;
                break;
            case DLP_MEM_ACC:
                ASSERT_LE((uint64_t)w.addr + w.len, before.acc.size());
                std::memcpy(&before.acc[w.addr], w.data.data(), 4 * (size_t)w.len);
                break;
            default: {
                std::vector<uint8_t> &m = before.space(w.mem);
                ASSERT_LE((uint64_t)w.addr + w.len, m.size());
                std::memcpy(&m[w.addr], w.data.data(), w.len);
            }
            }
        }
    }
    for (const auto &q : order)
        EXPECT_EQ(q.second, seen[q.first]) << "retire order of queue " << dlp_queue_name(q.first);
    expect_memories(before, mc);
    for (unsigned k = 0; k < 16; k++)
        EXPECT_EQ(regs[k], dlp_reg(mc.m, k)) << "r" << k;
}

/* Queue order of a straight-line program: every instruction of the queue once, in order. */
std::map<int, std::vector<uint32_t>> straight_order(const Prog &p)
{
    std::map<int, std::vector<uint32_t>> o;
    for (uint32_t pc = 0; pc < p.size(); pc++) {
        int unit, queue;
        expected_unit_queue(p, pc, &unit, &queue);
        o[queue].push_back(pc);
    }
    return o;
}

/* A one-layer program synchronised with tokens only: load X, W and the vrq parameters (LD),
   mm (waits for LD), vrq (signals ST), store (waits for CP). M x K times K x N. */
struct Layer {
    uint32_t M = 20, K = 40, N = 24;
    uint32_t x = 0x10000, w = 0x20000, prm = 0x30000, out = 0x40000; /* DRAM */
    std::vector<int8_t> X, Wt;
    std::vector<int32_t> bias, mult, shift;
    int zp = -3;

    void init(Machine &mc, Rng &g)
    {
        X.resize(M * K), Wt.resize(K * N), bias.resize(N), mult.resize(N), shift.resize(N);
        for (auto &v : X)
            v = g.i8();
        for (auto &v : Wt)
            v = g.i8();
        for (uint32_t n = 0; n < N; n++) {
            bias[n] = (int32_t)g.range(-3000, 3000);
            mult[n] = (int32_t)g.range(1 << 30, INT32_MAX);
            shift[n] = (int32_t)g.range(-10, -6);
            put32(mc.dram() + prm + 12 * n, bias[n]);
            put32(mc.dram() + prm + 12 * n + 4, mult[n]);
            put32(mc.dram() + prm + 12 * n + 8, shift[n]);
        }
        std::memcpy(mc.dram() + x, X.data(), X.size());
        std::memcpy(mc.dram() + w, Wt.data(), Wt.size());
    }
    /* NRAM: X at 0, output at 0x4000; WRAM: W at 0, parameters at 0x8000; ACC at 0 */
    void emit(Prog &p) const
    {
        DmaOp ld;
        ld.dsp = NRAM, ld.src = x, ld.dst = 0, ld.n0 = M * K;
        p.dma_vals(ld);
        ld.dsp = WRAM, ld.src = w, ld.n0 = K * N;
        p.dma_vals(ld);
        ld.src = prm, ld.dst = 0x8000, ld.n0 = 12 * N, ld.signal = QCP;
        p.dma_vals(ld);
        MmOp mm;
        mm.s0 = K, mm.ws = N, mm.as = N, mm.m0 = M, mm.k = K, mm.n = N, mm.wait = QLD;
        p.mm_vals(mm);
        VecOp vq;
        vq.id = DLP_I_VRQ, vq.d = 0x4000, vq.a = 0, vq.p = 0x8000, vq.sd = N, vq.sa = N;
        vq.rows = M, vq.cols = N, vq.i0 = zp, vq.i1 = -128, vq.i2 = 127, vq.signal = QST;
        p.vec_vals(vq);
        DmaOp st;
        st.dsp = DRAM, st.ssp = NRAM, st.dst = out, st.src = 0x4000, st.n0 = M * N, st.wait = QCP;
        p.dma_vals(st);
    }
    /* Reference: plain loops, independent numerics */
    void check(Machine &mc) const
    {
        for (uint32_t m = 0; m < M; m++)
            for (uint32_t n = 0; n < N; n++) {
                uint32_t acc = 0;
                for (uint32_t k = 0; k < K; k++)
                    acc += (uint32_t)(X[m * K + k] * Wt[k * N + n]);
                int8_t e = ref::requant((int32_t)acc, bias[n], mult[n], shift[n], zp, -128, 127);
                ASSERT_EQ(e, (int8_t)mc.dram()[out + m * N + n]) << "m " << m << " n " << n;
            }
    }
};

} // namespace

TEST(ModelQueue, LayerWithTokensOnly)
{
    Machine mc;
    Rng g(0x70C1);
    Layer L;
    L.init(mc, g);
    Prog p;
    L.emit(p);
    p.halt();
    std::vector<uint8_t> b = p.bytes();
    ASSERT_EQ(0, dlp_dram_write(mc.m, 0, b.data(), b.size()));
    Snapshot before = Snapshot::of(mc);
    Recorder rec;
    rec.attach(mc);
    dlp_result_t r = mc.run(p);
    ASSERT_DONE(r);
    L.check(mc);
    check_stream(p, rec, r, mc, before, straight_order(p));
    /* the tokens order the units: mm starts after the last load ends, vrq after mm, the store
       after vrq */
    std::map<int, Retired> by_id;
    for (const Retired &e : rec.r)
        if (e.unit != DLP_UNIT_FE)
            by_id[e.pc] = e;
    uint64_t last_ld_end = 0, mm_end = 0, vrq_end = 0;
    for (auto &kv : by_id) {
        const Retired &e = kv.second;
        if (e.queue == DLP_Q_LD)
            last_ld_end = std::max(last_ld_end, e.end);
        if (e.id == DLP_I_MM) {
            EXPECT_GT(e.start, last_ld_end);
            mm_end = e.end;
        }
        if (e.id == DLP_I_VRQ) {
            EXPECT_GT(e.start, mm_end);
            vrq_end = e.end;
        }
        if (e.queue == DLP_Q_ST) {
            EXPECT_GT(e.start, vrq_end);
        }
    }
    EXPECT_EQ((uint64_t)L.M * L.K * L.N, r.counters.macs);
    EXPECT_EQ((uint64_t)L.M * L.N, r.counters.dram_wr_bytes);
    EXPECT_EQ(p.size() * 16 + L.M * L.K + L.K * L.N + 12 * L.N, r.counters.dram_rd_bytes);
}

TEST(ModelQueue, SyncOrdersWithoutTokens)
{
    Machine mc;
    for (int i = 0; i < 64; i++)
        mc.dram()[0x2000 + i] = (uint8_t)(i * 5 - 100);
    Prog p;
    DmaOp ld;
    ld.dst = 0x100, ld.src = 0x2000, ld.n0 = 64;
    p.dma_vals(ld);
    size_t s = p.sync();
    VecOp v;
    v.id = DLP_I_VCLAMP, v.d = 0x200, v.a = 0x100, v.cols = 64, v.i0 = -20, v.i1 = 30;
    p.vec_vals(v);
    p.sync();
    DmaOp st;
    st.dsp = DRAM, st.ssp = NRAM, st.dst = 0x3000, st.src = 0x200, st.n0 = 64;
    p.dma_vals(st);
    p.halt();
    Recorder rec;
    rec.attach(mc);
    std::vector<uint8_t> b = p.bytes();
    ASSERT_EQ(0, dlp_dram_write(mc.m, 0, b.data(), b.size()));
    Snapshot before = Snapshot::of(mc);
    dlp_result_t r = mc.run(p);
    ASSERT_DONE(r);
    for (int i = 0; i < 64; i++) {
        int x = (int8_t)(uint8_t)(i * 5 - 100);
        ASSERT_EQ(x < -20 ? -20 : x > 30 ? 30 : x, (int8_t)mc.dram()[0x3000 + i]) << i;
    }
    check_stream(p, rec, r, mc, before, straight_order(p));
    /* sync retires after the load has ended, and the vector op starts after the sync */
    uint64_t ld_end = 0, sync_t = 0;
    for (const Retired &e : rec.r) {
        if (e.id == DLP_I_DMA && e.queue == DLP_Q_LD)
            ld_end = e.end;
        if (e.pc == s) {
            sync_t = e.end;
            EXPECT_GT(sync_t, ld_end);
        }
        if (e.id == DLP_I_VCLAMP) {
            EXPECT_GT(e.start, sync_t);
        }
    }
}

/*
 * Double buffering in a hardware loop, synchronised by tokens only. Per tile:
 *   LD  dma nram[in_buf] <- dram[src]        wait=cp (input buffer free)  signal=cp (input ready)
 *   CP  vlut nram[out_buf] <- nram[in_buf]   wait=ld|st                   signal=ld|st
 *   ST  dma dram[dst] <- nram[out_buf]       wait=cp (output ready)       signal=cp (output free)
 * Two input and two output buffers; the CP->LD and ST->CP channels are primed with two tokens
 * each by dummy instructions. Buffers alternate with buf = (2*base + size) - buf.
 */
struct DoubleBuffer {
    static const uint32_t T = 9, S = 200; /* tiles, bytes per tile */
    static const uint32_t SRC = 0x10000, DST = 0x20000;
    static const uint32_t IN0 = 0x1000, OUT0 = 0x2000, SCRATCH = 0x3000;
    size_t body_first = 0, ld_pc = 0, cp_pc = 0, st_pc = 0;
    std::vector<size_t> prime_cp, prime_st;

    void emit(Prog &p)
    {
        p.li(1, IN0), p.li(2, OUT0), p.li(3, SRC), p.li(4, DST);
        p.li(5, 2 * IN0 + S), p.li(6, 2 * OUT0 + S), p.li(7, SCRATCH), p.li(8, 0x30000);
        for (int i = 0; i < 2; i++) { /* input buffers free */
            prime_cp.push_back(p.insn(DLP_I_VCLAMP, {{DLP_F_VD, 7}, {DLP_F_VA, 7}, {DLP_F_ROWS, 1},
                                                     {DLP_F_COLS, 1}, {DLP_F_SIGNAL, QLD}}));
        }
        for (int i = 0; i < 2; i++) { /* output buffers free */
            prime_st.push_back(p.insn(DLP_I_DMA, {{DLP_F_DSP, DRAM}, {DLP_F_SSP, NRAM}, {DLP_F_RDST, 8},
                                                  {DLP_F_RSRC, 7}, {DLP_F_N0, 1}, {DLP_F_N1, 1},
                                                  {DLP_F_N2, 1}, {DLP_F_SIGNAL, QCP}}));
        }
        p.loop(T);
        ld_pc = p.insn(DLP_I_DMA, {{DLP_F_DSP, NRAM}, {DLP_F_SSP, DRAM}, {DLP_F_RDST, 1}, {DLP_F_RSRC, 3},
                                   {DLP_F_N0, S}, {DLP_F_N1, 1}, {DLP_F_N2, 1}, {DLP_F_WAIT, QCP},
                                   {DLP_F_SIGNAL, QCP}});
        body_first = ld_pc;
        cp_pc = p.insn(DLP_I_VLUT, {{DLP_F_VD, 2}, {DLP_F_VA, 1}, {DLP_F_VP, 0}, {DLP_F_ROWS, 1},
                                    {DLP_F_COLS, S}, {DLP_F_WAIT, QLD | QST}, {DLP_F_SIGNAL, QLD | QST}});
        st_pc = p.insn(DLP_I_DMA, {{DLP_F_DSP, DRAM}, {DLP_F_SSP, NRAM}, {DLP_F_RDST, 4}, {DLP_F_RSRC, 2},
                                   {DLP_F_N0, S}, {DLP_F_N1, 1}, {DLP_F_N2, 1}, {DLP_F_WAIT, QCP},
                                   {DLP_F_SIGNAL, QCP}});
        p.addi(3, 3, S);
        p.addi(4, 4, S);
        p.sub(1, 5, 1);
        p.sub(2, 6, 2);
        p.endloop();
        p.halt();
    }
    void init(Machine &mc, Rng &g)
    {
        g.fill(mc.dram() + SRC, T * S);
        g.fill(mc.wram(), 256); /* the table */
    }
    void check(Machine &mc)
    {
        for (uint32_t i = 0; i < T * S; i++)
            ASSERT_EQ(mc.wram()[(uint8_t)(mc.dram()[SRC + i] + 128)], mc.dram()[DST + i]) << i;
    }
    std::map<int, std::vector<uint32_t>> order() const
    {
        std::map<int, std::vector<uint32_t>> o;
        for (size_t pc : prime_cp)
            o[DLP_Q_CP].push_back((uint32_t)pc);
        for (size_t pc : prime_st)
            o[DLP_Q_ST].push_back((uint32_t)pc);
        for (uint32_t t = 0; t < T; t++) {
            o[DLP_Q_LD].push_back((uint32_t)ld_pc);
            o[DLP_Q_CP].push_back((uint32_t)cp_pc);
            o[DLP_Q_ST].push_back((uint32_t)st_pc);
        }
        return o;
    }
};

TEST(ModelQueue, DoubleBufferedLoopWithTokens)
{
    for (int functional : {0, 1}) {
        dlp_config_t c = test_config();
        c.functional = functional;
        Machine mc(c);
        Rng g(0xDB1);
        DoubleBuffer db;
        db.init(mc, g);
        Prog p;
        db.emit(p);
        std::vector<uint8_t> b = p.bytes();
        ASSERT_EQ(0, dlp_dram_write(mc.m, 0, b.data(), b.size()));
        Snapshot before = Snapshot::of(mc);
        Recorder rec;
        rec.attach(mc);
        dlp_result_t r = mc.run(p);
        ASSERT_DONE(r) << "functional " << functional;
        db.check(mc);
        SCOPED_TRACE("functional " + std::to_string(functional));
        check_stream(p, rec, r, mc, before, db.order());
        /* dynamic instruction count: 8 li + 4 primers + loop + T * (3 queued + 4 scalar +
           endloop) + halt */
        EXPECT_EQ(8u + 4 + 1 + DoubleBuffer::T * 8 + 1, r.counters.insns);
        /* per-pc retire counts: body instructions T times, the rest once */
        std::map<uint32_t, int> count;
        for (const Retired &e : rec.r)
            count[e.pc]++;
        for (uint32_t pc = 0; pc < p.size(); pc++) {
            bool body = pc >= db.body_first && pc < db.body_first + 8;
            EXPECT_EQ(body ? (int)DoubleBuffer::T : 1, count[pc]) << "pc " << pc;
        }
    }
}

/* docs/timing.md: one DMA engine for LD and ST; when both heads are ready it alternates, LD
   first. Loads a (long), b and stores c, d are queued while a runs; after a, the engine takes
   c (ST, since LD was served last), then b, then d. */
TEST(ModelQueue, DmaEngineAlternatesLoadAndStore)
{
    Machine mc;
    Prog p;
    p.li(1, 0x10000), p.li(2, 0x100), p.li(3, 0x20000), p.li(4, 0x200);
    auto dma = [&](int dsp, int ssp, unsigned rd, unsigned rs, uint32_t n0) {
        return p.insn(DLP_I_DMA, {{DLP_F_DSP, dsp}, {DLP_F_SSP, ssp}, {DLP_F_RDST, rd}, {DLP_F_RSRC, rs},
                                  {DLP_F_N0, n0}, {DLP_F_N1, 1}, {DLP_F_N2, 1}});
    };
    size_t a = dma(NRAM, DRAM, 2, 1, 4096);
    size_t bb = dma(WRAM, DRAM, 2, 1, 16);
    size_t c = dma(DRAM, WRAM, 3, 4, 16);
    size_t d = dma(DRAM, WRAM, 4, 4, 16); /* r4 = 0x200 as DRAM address */
    p.halt();
    Recorder rec;
    rec.attach(mc);
    ASSERT_DONE(mc.run(p));
    std::vector<uint32_t> dma_order;
    for (const Retired &e : rec.r)
        if (e.unit == DLP_UNIT_DMA)
            dma_order.push_back(e.pc);
    EXPECT_EQ((std::vector<uint32_t>{(uint32_t)a, (uint32_t)c, (uint32_t)bb, (uint32_t)d}), dma_order);
}

/* ---- functional vs timed ---------------------------------------------------------------------- */

namespace {

/* Appends one random legal queued instruction whose operands lie in disjoint halves of each
   memory (source in one half, destination in the other). */
void random_queued(Prog &p, Rng &g, const dlp_config_t &c, int *queue)
{
    const uint32_t NH = c.nram_bytes / 2, WH = c.wram_bytes / 2;
    auto pick = [&](uint32_t lo, uint32_t hi) { return (uint32_t)g.range(lo, hi); };
    switch (g.range(0, 7)) {
    case 0:
    case 1: { /* dma, any legal pair, 1..3-D, padding */
        static const int pairs[8][2] = {{NRAM, DRAM}, {WRAM, DRAM}, {DRAM, NRAM}, {DRAM, WRAM},
                                        {NRAM, NRAM}, {WRAM, NRAM}, {NRAM, WRAM}, {WRAM, WRAM}};
        const int *pr = pairs[g.range(0, 7)];
        DmaOp o;
        o.dsp = pr[0], o.ssp = pr[1];
        o.n0 = pick(1, 100), o.n1 = pick(1, 4), o.n2 = pick(1, 3);
        o.pt = pick(0, 2), o.pb = pick(0, 2), o.pl = pick(0, 5), o.pr = pick(0, 5);
        o.pv = (int)g.range(-128, 127);
        o.ss1 = o.n0 + pick(0, 8), o.ss2 = o.n1 * o.ss1 + pick(0, 8);
        o.ds1 = o.pl + o.n0 + o.pr + pick(0, 8), o.ds2 = (o.pt + o.n1 + o.pb) * o.ds1 + pick(0, 8);
        /* spans stay below 4 KiB; DRAM data lives in [64 KiB, 512 KiB) */
        bool lower_src = g.chance(50);
        auto place = [&](int sp, bool lower) -> uint32_t {
            if (sp == DRAM)
                return pick(0x10000, 0x7f000);
            uint32_t half = sp == NRAM ? NH : WH;
            return lower ? pick(0, half - 4096) : pick(half, 2 * half - 4096);
        };
        o.src = place(o.ssp, lower_src);
        o.dst = place(o.dsp, !lower_src);
        p.dma_vals(o);
        *queue = o.dsp == DRAM ? DLP_Q_ST : DLP_Q_LD;
        return;
    }
    case 2: { /* mm */
        MmOp o;
        o.m0 = pick(1, 20), o.m1 = pick(1, 2), o.k = pick(1, 40), o.n = pick(1, 40);
        o.s0 = o.k + pick(0, 3), o.s1 = o.m0 * o.s0 + pick(0, 3), o.ws = o.n + pick(0, 3);
        o.as = o.n + pick(0, 3), o.accum = (int)g.range(0, 1);
        o.in = pick(0, NH), o.w = pick(0, WH), o.acc = pick(0, 8000);
        p.mm_vals(o);
        *queue = DLP_Q_CP;
        return;
    }
    case 3:
    case 4: { /* element-wise */
        static const int ids[] = {DLP_I_VRQ, DLP_I_VADD, DLP_I_VMAX, DLP_I_VMIN, DLP_I_VCLAMP, DLP_I_VLUT};
        VecOp o;
        o.id = ids[g.range(0, 5)];
        o.rows = pick(1, 6), o.cols = pick(1, 50);
        o.sd = o.cols + pick(0, 4), o.sa = o.cols + pick(0, 4), o.sb = o.cols + pick(0, 4);
        bool lower = g.chance(50);
        o.d = lower ? pick(0, NH - 1024) : pick(NH, 2 * NH - 1024);
        o.a = o.id == DLP_I_VRQ ? pick(0, 8000) : lower ? pick(NH, 2 * NH - 1024) : pick(0, NH - 1024);
        o.b = lower ? pick(NH, 2 * NH - 1024) : pick(0, NH - 1024);
        if (o.id != DLP_I_VRQ && g.chance(20))
            o.a = o.d, o.sa = o.sd; /* exactly in place */
        o.p = pick(0, WH);
        o.i0 = (int)g.range(-128, 127), o.i1 = (int)g.range(o.i0, 127);
        if (o.id == DLP_I_VRQ)
            o.i1 = (int)g.range(-128, 127), o.i2 = (int)g.range(o.i1, 127);
        p.vec_vals(o);
        *queue = DLP_Q_CP;
        return;
    }
    default: { /* pooling */
        PoolOp o;
        o.id = g.chance(50) ? DLP_I_VMAXPOOL : DLP_I_VAVGPOOL;
        o.ch = pick(1, 20), o.kh = pick(1, 3), o.kw = pick(1, 3), o.sh = pick(1, 2), o.sw = pick(1, 2);
        o.pt = pick(0, o.kh - 1), o.pl = pick(0, o.kw - 1), o.ih = pick(1, 8), o.iw = pick(1, 8);
        o.oh = pick(1, (o.ih - 1 + o.pt) / o.sh + 1), o.ow = pick(1, (o.iw - 1 + o.pl) / o.sw + 1);
        o.spa = o.ch, o.sra = o.iw * o.ch, o.spd = o.ch, o.srd = o.ow * o.ch;
        bool lower = g.chance(50);
        o.a = lower ? pick(0, NH - 2048) : pick(NH, 2 * NH - 2048);
        o.d = lower ? pick(NH, 2 * NH - 2048) : pick(0, NH - 2048);
        p.pool_vals(o);
        *queue = DLP_Q_CP;
        return;
    }
    }
}

} // namespace

/* The same random program (queued instructions of all kinds; a sync wherever the queue changes,
   so that no two units ever touch the same data concurrently) in timed and functional mode. */
TEST(ModelQueue, FunctionalModeMatchesTimedMode)
{
    for (uint64_t seed = 0xF00; seed < 0xF00 + 6; seed++) {
        Rng g(seed);
        dlp_config_t c = test_config();
        Prog p;
        int last_q = -1;
        for (int i = 0; i < 60; i++) {
            Prog one;
            int q;
            random_queued(one, g, c, &q);
            if (last_q >= 0 && q != last_q)
                p.sync();
            last_q = q;
            p.code.insert(p.code.end(), one.code.begin(), one.code.end());
        }
        p.halt();
        Machine timed(c);
        c.functional = 1;
        Machine func(c);
        Rng fill(seed * 7);
        for (Machine *mc : {&timed, &func}) {
            Rng f = fill;
            for (int sp : {DLP_MEM_DRAM, DLP_MEM_NRAM, DLP_MEM_WRAM, DLP_MEM_ACC}) {
                uint64_t len;
                uint8_t *m = mc->mem(sp, &len);
                f.fill(m, len);
            }
        }
        dlp_result_t rt = timed.run(p), rf = func.run(p);
        ASSERT_DONE(rt) << "seed " << seed;
        ASSERT_DONE(rf) << "seed " << seed;
        SCOPED_TRACE("seed " + std::to_string(seed));
        expect_memories(Snapshot::of(timed), func);
        EXPECT_EQ(rt.counters.insns, rf.counters.insns);
        EXPECT_EQ(rt.counters.macs, rf.counters.macs);
        EXPECT_EQ(rt.counters.dram_rd_bytes, rf.counters.dram_rd_bytes);
        EXPECT_EQ(rt.counters.dram_wr_bytes, rf.counters.dram_wr_bytes);
        EXPECT_LT(rf.counters.cycles, rt.counters.cycles);
        for (unsigned k = 0; k < 16; k++)
            EXPECT_EQ(dlp_reg(timed.m, k), dlp_reg(func.m, k));
    }
}

/* The token-synchronised layer gives the same bits in functional mode. */
TEST(ModelQueue, LayerFunctionalMatchesTimed)
{
    dlp_config_t c = test_config();
    Machine timed(c);
    c.functional = 1;
    Machine func(c);
    Layer L;
    for (Machine *mc : {&timed, &func}) {
        Rng g(0x70C2);
        L.init(*mc, g);
        Prog p;
        L.emit(p);
        p.halt();
        ASSERT_DONE(mc->run(p));
        L.check(*mc);
    }
    expect_memories(Snapshot::of(timed), func);
}

/* docs/isa.md: queued instructions read their registers at dispatch. A load is queued behind a
   long one; the front end changes its address register right after dispatching it. */
TEST(ModelQueue, RegistersAreReadAtDispatch)
{
    Machine mc;
    for (int i = 0; i < 32; i++)
        mc.dram()[0x2000 + i] = (uint8_t)(i + 1);
    Prog p;
    p.li(2, 0x10000);
    p.insn(DLP_I_DMA, {{DLP_F_DSP, WRAM}, {DLP_F_SSP, DRAM}, {DLP_F_RSRC, 2}, {DLP_F_N0, 8192},
                       {DLP_F_N1, 1}, {DLP_F_N2, 1}}); /* keeps the DMA engine busy */
    p.li(1, 0x100);
    p.li(2, 0x2000);
    auto load16 = [&]() {
        p.insn(DLP_I_DMA, {{DLP_F_DSP, NRAM}, {DLP_F_SSP, DRAM}, {DLP_F_RDST, 1}, {DLP_F_RSRC, 2},
                           {DLP_F_N0, 16}, {DLP_F_N1, 1}, {DLP_F_N2, 1}});
    };
    load16();
    p.li(1, 0x200); /* dispatched while the first small load still waits in the queue */
    p.addi(2, 2, 16);
    load16();
    p.halt();
    Recorder rec;
    rec.attach(mc);
    ASSERT_DONE(mc.run(p));
    for (int i = 0; i < 16; i++) {
        EXPECT_EQ(i + 1, mc.nram()[0x100 + i]) << i;
        EXPECT_EQ(i + 17, mc.nram()[0x200 + i]) << i;
    }
    /* the first small load really started after the address register changed */
    uint64_t li_t = 0, ld_start = 0;
    for (const Retired &e : rec.r) {
        if (e.pc == 5)
            li_t = e.end;
        if (e.pc == 4)
            ld_start = e.start;
    }
    EXPECT_GT(ld_start, li_t);
}
