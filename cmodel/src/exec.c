/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Functional semantics of the queued instructions (docs/isa.md). Operands were range-checked
 * at dispatch (machine.c), so the accesses here are in bounds; the element order of every loop
 * is the order the ISA defines, which matters only for the exactly-in-place vector operations
 * the ISA allows.
 */
#include <stdlib.h>
#include <string.h>

#include "dlp_numerics.h"
#include "internal.h"

/* ---- write log ---------------------------------------------------------------------------- */

void dlp_uop_free_log(uop_t *u)
{
    free(u->writes);
    free(u->wdata);
    u->writes = NULL;
    u->wdata = NULL;
    u->n_writes = u->cap_writes = 0;
    u->wdata_len = u->wdata_cap = 0;
}

/* Appends a write record of `bytes` bytes; returns where to copy its data (NULL on OOM). */
static uint8_t *log_write(uop_t *u, int mem, uint32_t addr, uint32_t len, size_t bytes)
{
    if (u->n_writes == u->cap_writes) {
        uint32_t ncap = u->cap_writes ? 2 * u->cap_writes : 16;
        dlp_write_t *nw = realloc(u->writes, ncap * sizeof *nw);
        if (!nw)
            return NULL;
        u->writes = nw;
        u->cap_writes = ncap;
    }
    if (u->wdata_len + bytes > u->wdata_cap) {
        size_t ncap = u->wdata_cap ? u->wdata_cap : 4096;
        uint8_t *nd;
        while (ncap < u->wdata_len + bytes)
            ncap *= 2;
        nd = realloc(u->wdata, ncap);
        if (!nd)
            return NULL;
        u->wdata = nd;
        u->wdata_cap = ncap;
    }
    /* data pointers are fixed up when the log is complete (the buffer may still move) */
    u->writes[u->n_writes].mem = (uint8_t)mem;
    u->writes[u->n_writes].addr = addr;
    u->writes[u->n_writes].len = len;
    u->writes[u->n_writes].data = (const uint8_t *)(uintptr_t)u->wdata_len;
    u->n_writes++;
    u->wdata_len += bytes;
    return u->wdata + u->wdata_len - bytes;
}

static void log_finish(uop_t *u)
{
    for (uint32_t i = 0; i < u->n_writes; i++)
        u->writes[i].data = u->wdata + (uintptr_t)u->writes[i].data;
}

/* The byte memories a DMA moves between (dlp_mem; the accumulator is not one of them). */
static uint8_t *mem_base(dlp_t *m, int mem)
{
    uint64_t len;
    return mem == DLP_MEM_ACC ? NULL : dlp_mem(m, mem, &len);
}

/* ---- the external DRAM bus --------------------------------------------------------------------- */

uint8_t *dlp_bus_row(dlp_t *m, size_t len)
{
    if (len > m->bus_row_cap) {
        uint8_t *p = realloc(m->bus_row, len);
        if (!p)
            return NULL;
        m->bus_row = p;
        m->bus_row_cap = len;
    }
    return m->bus_row;
}

/* Records an error response arriving in cycle `at` (the earliest one counts). */
static int bus_fail(dlp_t *m, uint64_t at, uint64_t addr)
{
    if (at < m->bus_err_cycle) {
        m->bus_err_cycle = at;
        m->bus_err_addr = addr;
    }
    return -1;
}

int dlp_bus_read_run(dlp_t *m, const dlp_dma_sched_t *sched, uint64_t t, uint32_t *k,
                     uint64_t addr, uint8_t *dst, uint64_t len)
{
    uint64_t w = m->cfg.beat_bytes, end = addr + len;
    while (addr < end) {
        uint64_t stop = dlp_burst_stop(&m->cfg, addr, end), base = addr / w * w;
        uint64_t beats = (stop - 1) / w - addr / w + 1;
        int have = sched && *k < sched->n;
        uint64_t ar = have ? sched->issue[*k] : t;
        /* the first R beat: its last beat minus the others */
        uint64_t r0 = have ? sched->done[*k] - (beats - 1) : t;
        (*k)++;
        if (m->bus.read(m->bus.ctx, ar, base, m->bus_buf, (uint32_t)(beats * w)))
            return bus_fail(m, r0, base);
        memcpy(dst, m->bus_buf + (addr - base), stop - addr);
        dst += stop - addr;
        addr = stop;
    }
    return 0;
}

int dlp_bus_write_run(dlp_t *m, const dlp_dma_sched_t *sched, uint64_t t, uint32_t *k,
                      uint64_t addr, const uint8_t *src, uint64_t len)
{
    uint64_t w = m->cfg.beat_bytes, end = addr + len;
    while (addr < end) {
        uint64_t stop = dlp_burst_stop(&m->cfg, addr, end), base = addr / w * w;
        uint64_t bytes = ((stop - 1) / w - addr / w + 1) * w;
        int have = sched && *k < sched->n;
        uint64_t first = have ? sched->issue[*k] : t, bresp = have ? sched->done[*k] : t;
        (*k)++;
        memset(m->bus_buf, 0, bytes);
        memset(m->bus_strb, 0, bytes);
        memcpy(m->bus_buf + (addr - base), src, stop - addr);
        memset(m->bus_strb + (addr - base), 1, stop - addr);
        if (m->bus.write(m->bus.ctx, first, base, m->bus_buf, m->bus_strb, (uint32_t)bytes))
            return bus_fail(m, bresp, base);
        src += stop - addr;
        addr = stop;
    }
    return 0;
}

/* ---- DMA ------------------------------------------------------------------------------------- */

static void exec_dma(dlp_t *m, uop_t *u, int record, const dlp_dma_sched_t *sched, uint64_t t)
{
    const dlp_insn_t *in = &u->in;
    int dsp = (int)DLP_F(in, DSP), ssp = (int)DLP_F(in, SSP);
    uint8_t *dm = mem_base(m, dsp);
    const uint8_t *sm = mem_base(m, ssp);
    uint64_t dst = R(u, RDST), src = R(u, RSRC);
    uint64_t ss1 = R(u, RSS1), ss2 = R(u, RSS2), ds1 = R(u, RDS1), ds2 = R(u, RDS2);
    uint64_t n0 = (uint64_t)DLP_F(in, N0), n1 = (uint64_t)DLP_F(in, N1),
             n2 = (uint64_t)DLP_F(in, N2);
    uint64_t pt = (uint64_t)DLP_F(in, PT), pb = (uint64_t)DLP_F(in, PB);
    uint64_t pl = (uint64_t)DLP_F(in, PL), pr = (uint64_t)DLP_F(in, PR);
    uint8_t pv = (uint8_t)(int8_t)DLP_F(in, PV);
    uint64_t h1 = pt + n1 + pb, w1 = pl + n0 + pr;
    /* with a bus, the DRAM side of a run goes through m->bus_row (DRAM to DRAM is illegal) */
    int bus_src = m->has_bus && ssp == DLP_MEM_DRAM, bus_dst = m->has_bus && dsp == DLP_MEM_DRAM;
    uint8_t *row = NULL;
    uint32_t k = 0;

    if (bus_src || bus_dst) {
        row = dlp_bus_row(m, bus_src ? n0 : w1);
        if (!row) { /* the host is out of memory: reported as a failed transfer */
            bus_fail(m, t, src);
            return;
        }
    }
    for (uint64_t i2 = 0; i2 < n2; i2++)
        for (uint64_t j1 = 0; j1 < h1; j1++) {
            uint64_t doff = dst + i2 * ds2 + j1 * ds1;
            uint8_t *d = bus_dst ? row : dm + doff;
            if (j1 < pt || j1 >= pt + n1) {
                memset(d, pv, w1);
            } else {
                uint64_t soff = src + i2 * ss2 + (j1 - pt) * ss1;
                const uint8_t *s = sm + soff;
                if (bus_src) {
                    if (dlp_bus_read_run(m, sched, t, &k, soff, row, n0))
                        return;
                    s = row;
                }
                memset(d, pv, pl);
                memmove(d + pl, s, n0); /* never overlapping: checked at dispatch */
                memset(d + pl + n0, pv, pr);
            }
            if (record) {
                uint8_t *p = log_write(u, dsp, (uint32_t)doff, (uint32_t)w1, w1);
                if (p)
                    memcpy(p, d, w1);
            }
            if (bus_dst && dlp_bus_write_run(m, sched, t, &k, doff, row, w1))
                return;
        }
}

/* ---- MFU ------------------------------------------------------------------------------------- */

static void exec_mm(dlp_t *m, uop_t *u, int record)
{
    const dlp_insn_t *in = &u->in;
    uint64_t acc = R(u, RACC), inp = R(u, RIN), w = R(u, RW);
    uint64_t m0 = (uint64_t)DLP_F(in, M0), m1 = (uint64_t)DLP_F(in, M1);
    uint64_t k = (uint64_t)DLP_F(in, KDIM), n = (uint64_t)DLP_F(in, NDIM);
    dlp_mm_args_t a;
    a.x = (const int8_t *)m->nram + inp;
    a.w = (const int8_t *)m->wram + w;
    a.acc = m->acc + acc;
    a.s0 = R(u, RINS0);
    a.s1 = R(u, RINS1);
    a.ws = R(u, RWS);
    a.as = R(u, RACS);
    a.m0 = m0;
    a.m1 = m1;
    a.k = k;
    a.n = n;
    a.accum = (int)DLP_F(in, ACCUM);
    if (!record) {
        dlp_mm_compute(&a);
    } else {
        /* row by row, each logged as soon as it is written (rows may overlap) */
        for (uint64_t j = 0; j < m1; j++)
            for (uint64_t i = 0; i < m0; i++) {
                uint64_t mm_row = j * m0 + i;
                dlp_mm_args_t r = a;
                uint8_t *p;
                r.x = a.x + i * a.s0 + j * a.s1;
                r.acc = a.acc + mm_row * a.as;
                r.m0 = r.m1 = 1;
                dlp_mm_compute(&r);
                p = log_write(u, DLP_MEM_ACC, (uint32_t)(acc + mm_row * a.as), (uint32_t)n, 4 * n);
                if (p)
                    for (uint64_t c = 0; c < n; c++)
                        dlp_wr32(p + 4 * c, (uint32_t)r.acc[c]);
            }
    }
}

/* ---- VFU ------------------------------------------------------------------------------------- */

static int32_t rd_i32(const uint8_t *p)
{
    return (int32_t)dlp_rd32(p);
}

static void log_row(uop_t *u, int record, dlp_t *m, uint64_t addr, uint64_t len)
{
    if (record) {
        uint8_t *p = log_write(u, DLP_MEM_NRAM, (uint32_t)addr, (uint32_t)len, len);
        if (p)
            memcpy(p, m->nram + addr, len);
    }
}

static void exec_vector(dlp_t *m, uop_t *u, int record)
{
    const dlp_insn_t *in = &u->in;
    uint64_t d = R(u, VD), a = R(u, VA), b = R(u, VB), p = R(u, VP);
    uint64_t sd = R(u, VSD), sa = R(u, VSA), sb = R(u, VSB);
    uint64_t rows = (uint64_t)DLP_F(in, ROWS), cols = (uint64_t)DLP_F(in, COLS);
    int8_t *nram = (int8_t *)m->nram;
    const uint8_t *wram = m->wram;
    dlp_add_params_t ap;

    if (in->id == DLP_I_VRQ) {
        /* kernels.c; when writes are recorded, row by row, each logged when it is written (rows
           may overlap) */
        dlp_vrq_args_t va;
        va.dst = nram + d;
        va.acc = m->acc + a;
        va.prm = wram + p;
        va.rows = rows;
        va.cols = cols;
        va.sd = sd;
        va.sa = sa;
        va.zp = (int32_t)DLP_F(in, I0);
        va.lo = (int32_t)DLP_F(in, I1);
        va.hi = (int32_t)DLP_F(in, I2);
        if (!record) {
            dlp_vrq_compute(&va);
            return;
        }
        va.rows = 1;
        for (uint64_t r = 0; r < rows; r++) {
            va.dst = nram + d + r * sd;
            va.acc = m->acc + a + r * sa;
            dlp_vrq_compute(&va);
            log_row(u, record, m, d + r * sd, cols);
        }
        return;
    }
    if (in->id == DLP_I_VADD) {
        const uint8_t *q = wram + p;
        int32_t w[DLP_VADD_WORDS];
        for (int k = 0; k < DLP_VADD_WORDS; k++)
            w[k] = rd_i32(q + 4 * k);
        ap = (dlp_add_params_t){
            .a_offset = w[DLP_VADD_A_OFFSET], .a_mult = w[DLP_VADD_A_MULT], .a_shift = w[DLP_VADD_A_SHIFT],
            .b_offset = w[DLP_VADD_B_OFFSET], .b_mult = w[DLP_VADD_B_MULT], .b_shift = w[DLP_VADD_B_SHIFT],
            .out_mult = w[DLP_VADD_OUT_MULT], .out_shift = w[DLP_VADD_OUT_SHIFT],
            .out_offset = w[DLP_VADD_OUT_OFFSET], .act_min = w[DLP_VADD_ACT_MIN],
            .act_max = w[DLP_VADD_ACT_MAX], .left_shift = w[DLP_VADD_LEFT_SHIFT]};
    }
    for (uint64_t r = 0; r < rows; r++) {
        int8_t *dr = nram + d + r * sd;
        for (uint64_t c = 0; c < cols; c++) {
            int8_t x;
            switch (in->id) {
            case DLP_I_VRQ: {
                const uint8_t *pc = wram + p + DLP_VRQ_PARAM_BYTES * c;
                x = dlp_requant(m->acc[a + r * sa + c], rd_i32(pc + 4 * DLP_VRQ_BIAS),
                                rd_i32(pc + 4 * DLP_VRQ_MULT), rd_i32(pc + 4 * DLP_VRQ_SHIFT),
                                (int32_t)DLP_F(in, I0), (int32_t)DLP_F(in, I1),
                                (int32_t)DLP_F(in, I2));
                break;
            }
            case DLP_I_VADD:
                x = dlp_add_int8(nram[a + r * sa + c], nram[b + r * sb + c], &ap);
                break;
            case DLP_I_VMAX: {
                int8_t xa = nram[a + r * sa + c], xb = nram[b + r * sb + c];
                x = xa > xb ? xa : xb;
                break;
            }
            case DLP_I_VMIN: {
                int8_t xa = nram[a + r * sa + c], xb = nram[b + r * sb + c];
                x = xa < xb ? xa : xb;
                break;
            }
            case DLP_I_VCLAMP:
                x = (int8_t)dlp_clamp(nram[a + r * sa + c], (int32_t)DLP_F(in, I0),
                                      (int32_t)DLP_F(in, I1));
                break;
            case DLP_I_VLUT:
                x = (int8_t)wram[p + (uint64_t)(nram[a + r * sa + c] + 128)];
                break;
            default:
                return;
            }
            dr[c] = x;
        }
        log_row(u, record, m, d + r * sd, cols);
    }
}

static void exec_pool(dlp_t *m, uop_t *u, int record)
{
    const dlp_insn_t *in = &u->in;
    uint64_t d = R(u, PD), a = R(u, PA);
    uint64_t spa = R(u, PSPA), sra = R(u, PSRA), spd = R(u, PSPD), srd = R(u, PSRD);
    int64_t ch = DLP_F(in, CH), oh = DLP_F(in, OH), ow = DLP_F(in, OW);
    int64_t kh = DLP_F(in, KH), kw = DLP_F(in, KW), sh = DLP_F(in, SH), sw = DLP_F(in, SW);
    int64_t pt = DLP_F(in, PPT), pl = DLP_F(in, PPL), ih = DLP_F(in, IH), iw = DLP_F(in, IW);
    int is_max = in->id == DLP_I_VMAXPOOL;
    const int8_t *nram = (const int8_t *)m->nram;

    for (int64_t y = 0; y < oh; y++)
        for (int64_t x = 0; x < ow; x++) {
            uint64_t o = d + (uint64_t)y * srd + (uint64_t)x * spd;
            for (int64_t c = 0; c < ch; c++) {
                int32_t acc = is_max ? -128 : 0, count = 0;
                for (int64_t dy = 0; dy < kh; dy++)
                    for (int64_t dx = 0; dx < kw; dx++) {
                        int64_t r = y * sh - pt + dy, q = x * sw - pl + dx;
                        int32_t v;
                        if (r < 0 || r >= ih || q < 0 || q >= iw)
                            continue;
                        v = nram[a + (uint64_t)r * sra + (uint64_t)q * spa + (uint64_t)c];
                        acc = is_max ? (v > acc ? v : acc) : acc + v;
                        count++;
                    }
                m->nram[o + (uint64_t)c] =
                    (uint8_t)(int8_t)(is_max ? acc : dlp_avg_round(acc, count));
            }
            log_row(u, record, m, o, (uint64_t)ch);
        }
}

void dlp_uop_work(const dlp_insn_t *in, uint64_t *rd, uint64_t *wr, uint64_t *macs)
{
    *rd = *wr = *macs = 0;
    if (in->id == DLP_I_DMA) {
        uint64_t n0 = (uint64_t)DLP_F(in, N0), n1 = (uint64_t)DLP_F(in, N1),
                 n2 = (uint64_t)DLP_F(in, N2);
        uint64_t h1 = (uint64_t)DLP_F(in, PT) + n1 + (uint64_t)DLP_F(in, PB);
        uint64_t w1 = (uint64_t)DLP_F(in, PL) + n0 + (uint64_t)DLP_F(in, PR);
        if (DLP_F(in, DSP) == DLP_MEM_DRAM)
            *wr = n2 * h1 * w1;
        if (DLP_F(in, SSP) == DLP_MEM_DRAM)
            *rd = n2 * n1 * n0;
    } else if (in->id == DLP_I_MM) {
        *macs = (uint64_t)DLP_F(in, M0) * (uint64_t)DLP_F(in, M1) * (uint64_t)DLP_F(in, KDIM) *
                (uint64_t)DLP_F(in, NDIM);
    }
}

void dlp_exec(dlp_t *m, uop_t *u, int record, const dlp_dma_sched_t *sched, uint64_t t)
{
    switch (u->in.id) {
    case DLP_I_DMA:
        exec_dma(m, u, record, sched, t);
        break;
    case DLP_I_MM:
        exec_mm(m, u, record);
        break;
    case DLP_I_VMAXPOOL:
    case DLP_I_VAVGPOOL:
        exec_pool(m, u, record);
        break;
    default:
        exec_vector(m, u, record);
        break;
    }
    if (record)
        log_finish(u);
}
