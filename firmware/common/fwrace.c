/*
 * fwrace -- checks a program's token protocol: every pair of accesses to the same byte by
 * instructions of different queues, at least one of them a write, must be ordered by the
 * program (queue order, wait/signal tokens, sync). Independent of timing, so it also covers
 * the RTL's and any other schedule.
 *
 *     fwrace [-w] program.dlpb
 *
 * Why: the C model applies a queued instruction's effects when it starts, so a load that
 * overwrites a buffer an mm is still reading, or an mm that starts while its load is still
 * running, gives the right bits in the model; only a differently-timed machine would show the
 * race. This checker finds such missing tokens directly.
 *
 * How: the front end is interpreted (scalar registers, loops) to get the dynamic LD, CP and ST
 * instruction streams with their register operands resolved; each dynamic instruction gets a
 * vector clock (the latest instruction of each queue that is guaranteed to have completed before
 * it starts): its queue predecessor, the n-th signaller of each channel it waits on for its
 * n-th wait (tokens are counts), and everything dispatched before the last `sync`. The streams
 * are then replayed in one order the tokens allow, and every byte access is checked against the
 * byte's last writer and last reader per queue (the FastTrack race detector's shadow state).
 * Reads of on-chip bytes that nothing in the run wrote are counted (and, with -w, the first is
 * shown): the token primers of ../common/pipeline.inc read two scratch bytes that way on purpose.
 *
 * Exit status: 0 no race, 1 race or deadlock found, 2 usage or input error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlp_asm.h"
#include "dlp_decode.h"
#include "dlp_prog.h"

enum { NQ = DLP_NQUEUES, NSPACE = 4 };

typedef struct dyn {
    uint32_t pc;
    dlp_insn_t in;
    uint32_t r[16]; /* registers at dispatch */
    uint32_t epoch; /* number of syncs dispatched before it */
    uint32_t vc[NQ];
} dyn_t;

typedef struct stream {
    dyn_t *d;
    uint32_t n, cap;
} stream_t;

static stream_t qs[NQ];
static uint32_t epoch_count[64 * 1024][NQ]; /* instructions per queue dispatched before sync e */
static uint32_t n_epochs;

/* ---- shadow memory: per byte, the last writer and the last reader of each queue ---- */

typedef struct shadow {
    uint32_t w;      /* (queue << 30 | index) + 1; 0 = never written */
    uint32_t r[NQ];  /* index + 1; 0 = none */
} shadow_t;

typedef struct page {
    uint64_t key;
    shadow_t *s;
    struct page *next;
} page_t;

#define PAGE_BITS 12
#define HASH_SIZE 65536
static page_t *pages[HASH_SIZE];

static shadow_t *shadow_at(int space, uint64_t addr)
{
    uint64_t key = ((uint64_t)space << 52) | (addr >> PAGE_BITS);
    uint32_t h = (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 48) & (HASH_SIZE - 1);
    page_t *p;
    for (p = pages[h]; p; p = p->next)
        if (p->key == key)
            return &p->s[addr & ((1u << PAGE_BITS) - 1)];
    p = calloc(1, sizeof *p);
    if (!p || !(p->s = calloc((size_t)1 << PAGE_BITS, sizeof *p->s))) {
        fprintf(stderr, "fwrace: out of memory\n");
        exit(2);
    }
    p->key = key;
    p->next = pages[h];
    pages[h] = p;
    return &p->s[addr & ((1u << PAGE_BITS) - 1)];
}

/* ---- reporting ---- */

static const char *prog_path;
static int races, max_reports = 10;
static uint64_t uninit_bytes;
static int uninit_reported, show_uninit;

static const char *space_name(int s)
{
    static const char *n[] = {"dram", "nram", "wram", "acc"};
    return n[s];
}

static void describe(const char *role, int q, uint32_t idx)
{
    char text[256];
    const dyn_t *d = &qs[q].d[idx];
    dlp_disasm_insn(d->in.w, text, sizeof text);
    fprintf(stderr, "    %s: %s #%u (pc %u): %s\n", role, dlp_queue_name(q), idx, d->pc, text);
}

static void report(const char *kind, int space, uint64_t addr, int q1, uint32_t i1, int q2,
                   uint32_t i2)
{
    races++;
    if (races > max_reports)
        return;
    fprintf(stderr, "fwrace: %s: %s race on %s[0x%" PRIx64 "]%s\n", prog_path, kind,
            space_name(space), addr, space == DLP_MEM_ACC ? " (element)" : "");
    describe("earlier", q1, i1);
    describe("later  ", q2, i2);
}

/* One access by dynamic instruction (q, i) to [addr, addr + len) of a space. */
static void access(int q, uint32_t i, int space, uint64_t addr, uint64_t len, int write)
{
    const uint32_t *vc = qs[q].d[i].vc;
    for (uint64_t a = addr; a < addr + len; a++) {
        shadow_t *s = shadow_at(space, a);
        if (s->w) {
            int wq = (int)((s->w - 1) >> 30);
            uint32_t wi = (s->w - 1) & 0x3fffffff;
            if (wq != q && vc[wq] < wi + 1)
                report(write ? "write-after-write" : "read-after-write", space, a, wq, wi, q, i);
        } else if (!write && space != DLP_MEM_DRAM) {
            uninit_bytes++;
            if (show_uninit && !uninit_reported++) {
                char text[256];
                dlp_disasm_insn(qs[q].d[i].in.w, text, sizeof text);
                fprintf(stderr,
                        "fwrace: %s: warning: %s[0x%" PRIx64 "] read before anything wrote it "
                        "(first such read: %s #%u, pc %u: %s)\n",
                        prog_path, space_name(space), a, dlp_queue_name(q), i, qs[q].d[i].pc,
                        text);
            }
        }
        if (write) {
            for (int p = 0; p < NQ; p++)
                if (p != q && s->r[p] && vc[p] < s->r[p])
                    report("write-after-read", space, a, p, s->r[p] - 1, q, i);
            s->w = ((uint32_t)q << 30 | i) + 1;
            memset(s->r, 0, sizeof s->r);
        } else {
            s->r[q] = i + 1;
        }
    }
}

/* ---- footprints of the queued instructions (docs/isa.md) ---- */

#define F(name) ((uint64_t)DLP_F(&d->in, name))
#define R(name) ((uint64_t)d->r[DLP_F(&d->in, name)])

static void footprint(int q, uint32_t i)
{
    const dyn_t *d = &qs[q].d[i];
    switch (d->in.id) {
    case DLP_I_DMA: {
        uint64_t n0 = F(N0), n1 = F(N1), n2 = F(N2), pt = F(PT), pb = F(PB), pl = F(PL),
                 pr = F(PR);
        for (uint64_t i2 = 0; i2 < n2; i2++) {
            for (uint64_t j = 0; j < n1; j++)
                access(q, i, (int)F(SSP), R(RSRC) + i2 * R(RSS2) + j * R(RSS1), n0, 0);
            for (uint64_t j = 0; j < pt + n1 + pb; j++)
                access(q, i, (int)F(DSP), R(RDST) + i2 * R(RDS2) + j * R(RDS1), pl + n0 + pr, 1);
        }
        break;
    }
    case DLP_I_MM: {
        uint64_t m0 = F(M0), m1 = F(M1), k = F(KDIM), n = F(NDIM);
        for (uint64_t j = 0; j < m1; j++)
            for (uint64_t r = 0; r < m0; r++)
                access(q, i, DLP_MEM_NRAM, R(RIN) + r * R(RINS0) + j * R(RINS1), k, 0);
        for (uint64_t kk = 0; kk < k; kk++)
            access(q, i, DLP_MEM_WRAM, R(RW) + kk * R(RWS), n, 0);
        for (uint64_t m = 0; m < m0 * m1; m++) {
            if (F(ACCUM))
                access(q, i, DLP_MEM_ACC, R(RACC) + m * R(RACS), n, 0);
            access(q, i, DLP_MEM_ACC, R(RACC) + m * R(RACS), n, 1);
        }
        break;
    }
    case DLP_I_VRQ:
    case DLP_I_VADD:
    case DLP_I_VMAX:
    case DLP_I_VMIN:
    case DLP_I_VCLAMP:
    case DLP_I_VLUT: {
        uint64_t rows = F(ROWS), cols = F(COLS);
        int id = d->in.id;
        int two = id == DLP_I_VADD || id == DLP_I_VMAX || id == DLP_I_VMIN;
        if (id == DLP_I_VRQ)
            access(q, i, DLP_MEM_WRAM, R(VP), DLP_VRQ_PARAM_BYTES * cols, 0);
        if (id == DLP_I_VADD)
            access(q, i, DLP_MEM_WRAM, R(VP), DLP_VADD_PARAM_BYTES, 0);
        if (id == DLP_I_VLUT)
            access(q, i, DLP_MEM_WRAM, R(VP), 256, 0);
        for (uint64_t r = 0; r < rows; r++) {
            access(q, i, id == DLP_I_VRQ ? DLP_MEM_ACC : DLP_MEM_NRAM, R(VA) + r * R(VSA), cols,
                   0);
            if (two)
                access(q, i, DLP_MEM_NRAM, R(VB) + r * R(VSB), cols, 0);
            access(q, i, DLP_MEM_NRAM, R(VD) + r * R(VSD), cols, 1);
        }
        break;
    }
    case DLP_I_VMAXPOOL:
    case DLP_I_VAVGPOOL: {
        int64_t ch = DLP_F(&d->in, CH), oh = DLP_F(&d->in, OH), ow = DLP_F(&d->in, OW);
        int64_t kh = DLP_F(&d->in, KH), kw = DLP_F(&d->in, KW), sh = DLP_F(&d->in, SH),
                sw = DLP_F(&d->in, SW), pt = DLP_F(&d->in, PPT), pl = DLP_F(&d->in, PPL),
                ih = DLP_F(&d->in, IH), iw = DLP_F(&d->in, IW);
        /* input pixels covered by some window (read once each here; reads are idempotent) */
        for (int64_t r = 0; r < ih; r++)
            for (int64_t c = 0; c < iw; c++) {
                int used = 0;
                for (int64_t y = 0; y < oh && !used; y++)
                    if (r >= y * sh - pt && r < y * sh - pt + kh)
                        for (int64_t x = 0; x < ow && !used; x++)
                            if (c >= x * sw - pl && c < x * sw - pl + kw)
                                used = 1;
                if (used)
                    access(q, i, DLP_MEM_NRAM, R(PA) + (uint64_t)r * R(PSRA) + (uint64_t)c * R(PSPA),
                           (uint64_t)ch, 0);
            }
        for (int64_t y = 0; y < oh; y++)
            for (int64_t x = 0; x < ow; x++)
                access(q, i, DLP_MEM_NRAM, R(PD) + (uint64_t)y * R(PSRD) + (uint64_t)x * R(PSPD),
                       (uint64_t)ch, 1);
        break;
    }
    default:
        break;
    }
}

/* ---- front end: dynamic instruction streams ---- */

static void push(int q, const dlp_insn_t *in, uint32_t pc, const uint32_t *regs)
{
    stream_t *s = &qs[q];
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 1024;
        s->d = realloc(s->d, s->cap * sizeof *s->d);
        if (!s->d) {
            fprintf(stderr, "fwrace: out of memory\n");
            exit(2);
        }
    }
    s->d[s->n].pc = pc;
    s->d[s->n].in = *in;
    memcpy(s->d[s->n].r, regs, sizeof s->d[s->n].r);
    s->d[s->n].epoch = n_epochs;
    s->n++;
}

static int run_front_end(const dlp_prog_t *p)
{
    uint32_t regs[16] = {0}, pc = 0;
    struct {
        uint32_t start, left;
    } stack[64];
    int sp = 0;
    uint64_t steps = 0;
    char msg[256];

    for (;;) {
        dlp_insn_t in;
        if (pc >= p->n_insns) {
            fprintf(stderr, "fwrace: %s: ran past the end of the program\n", prog_path);
            return -1;
        }
        if (++steps > 200000000ull) {
            fprintf(stderr, "fwrace: %s: more than 2e8 front-end steps\n", prog_path);
            return -1;
        }
        if (dlp_decode(&p->words[4 * pc], &in, msg, sizeof msg)) {
            fprintf(stderr, "fwrace: %s: pc %u: %s\n", prog_path, pc, msg);
            return -1;
        }
        uint32_t rs1 = regs[DLP_F(&in, RS1)], rs2 = regs[DLP_F(&in, RS2)];
        uint32_t imm = (uint32_t)DLP_F(&in, IMM32), v = 0;
        int wr = 0;
        switch (in.id) {
        case DLP_I_HALT:
            return 0;
        case DLP_I_SYNC:
            if (n_epochs + 1 >= sizeof epoch_count / sizeof epoch_count[0]) {
                fprintf(stderr, "fwrace: %s: too many syncs\n", prog_path);
                return -1;
            }
            for (int q = 0; q < NQ; q++)
                epoch_count[n_epochs][q] = qs[q].n;
            n_epochs++;
            break;
        case DLP_I_LI: v = imm; wr = 1; break;
        case DLP_I_ADDI: v = rs1 + imm; wr = 1; break;
        case DLP_I_ADD: v = rs1 + rs2; wr = 1; break;
        case DLP_I_SUB: v = rs1 - rs2; wr = 1; break;
        case DLP_I_MUL: v = rs1 * rs2; wr = 1; break;
        case DLP_I_MULI: v = rs1 * imm; wr = 1; break;
        case DLP_I_SLLI: v = rs1 << (imm & 31); wr = 1; break;
        case DLP_I_SRLI: v = rs1 >> (imm & 31); wr = 1; break;
        case DLP_I_LOOP:
        case DLP_I_LOOPR: {
            uint32_t n = in.id == DLP_I_LOOP ? (uint32_t)DLP_F(&in, LCOUNT) : rs1;
            if (!n) {
                pc += (uint32_t)DLP_F(&in, LBODY) + 2;
                continue;
            }
            if (sp == 64) {
                fprintf(stderr, "fwrace: %s: loops nested too deep\n", prog_path);
                return -1;
            }
            stack[sp].start = pc + 1;
            stack[sp].left = n;
            sp++;
            break;
        }
        case DLP_I_ENDLOOP:
            if (!sp) {
                fprintf(stderr, "fwrace: %s: pc %u: endloop without loop\n", prog_path, pc);
                return -1;
            }
            if (--stack[sp - 1].left) {
                pc = stack[sp - 1].start;
                continue;
            }
            sp--;
            break;
        default:
            if (in.queue < NQ)
                push(in.queue, &in, pc, regs);
            break;
        }
        if (wr && DLP_F(&in, RD))
            regs[DLP_F(&in, RD)] = v;
        pc++;
    }
}

/* ---- replay in an order the tokens allow, with vector clocks ---- */

typedef struct tokq {
    uint32_t (*vc)[NQ];
    uint32_t head, n, cap;
} tokq_t;

static tokq_t chan[NQ][NQ];

static void tok_push(tokq_t *t, const uint32_t *vc)
{
    if (t->n == t->cap) {
        uint32_t ncap = t->cap ? 2 * t->cap : 64;
        uint32_t(*nv)[NQ] = malloc(ncap * sizeof *nv);
        if (!nv) {
            fprintf(stderr, "fwrace: out of memory\n");
            exit(2);
        }
        for (uint32_t k = 0; k < t->n; k++)
            memcpy(nv[k], t->vc[(t->head + k) % t->cap], sizeof nv[k]);
        free(t->vc);
        t->vc = nv;
        t->head = 0;
        t->cap = ncap;
    }
    memcpy(t->vc[(t->head + t->n) % t->cap], vc, sizeof t->vc[0]);
    t->n++;
}

static void join(uint32_t *a, const uint32_t *b)
{
    for (int q = 0; q < NQ; q++)
        if (b[q] > a[q])
            a[q] = b[q];
}

static int replay(void)
{
    uint32_t next[NQ] = {0}, done_vc[NQ] = {0};
    uint32_t total = qs[0].n + qs[1].n + qs[2].n + qs[3].n, count = 0;
    while (count < total) {
        int progress = 0;
        for (int q = 0; q < NQ; q++) {
            dyn_t *d;
            unsigned wait, sig;
            int ok = 1;
            if (next[q] == qs[q].n)
                continue;
            d = &qs[q].d[next[q]];
            wait = d->in.wait_q;
            sig = d->in.signal_q;
            /* sync: everything dispatched before it must have been replayed */
            for (uint32_t e = 0; e < d->epoch && ok; e++)
                for (int p = 0; p < NQ; p++)
                    if (next[p] < epoch_count[e][p])
                        ok = 0;
            for (int p = 0; p < NQ && ok; p++)
                if ((wait >> p & 1) && !chan[p][q].n)
                    ok = 0;
            if (!ok)
                continue;
            memset(d->vc, 0, sizeof d->vc);
            if (next[q])
                join(d->vc, qs[q].d[next[q] - 1].vc);
            if (d->epoch) {
                uint32_t b[NQ];
                for (int p = 0; p < NQ; p++)
                    b[p] = epoch_count[d->epoch - 1][p]; /* index + 1 of the last before sync */
                join(d->vc, b);
            }
            for (int p = 0; p < NQ; p++)
                if (wait >> p & 1) {
                    tokq_t *t = &chan[p][q];
                    join(d->vc, t->vc[t->head]);
                    t->head = (t->head + 1) % t->cap;
                    t->n--;
                }
            d->vc[q] = next[q] + 1; /* vc[p] = number of queue-p instructions completed before */
            footprint(q, next[q]);
            for (int p = 0; p < NQ; p++)
                if (sig >> p & 1)
                    tok_push(&chan[q][p], d->vc);
            join(done_vc, d->vc);
            next[q]++;
            count++;
            progress = 1;
        }
        if (!progress) {
            fprintf(stderr, "fwrace: %s: deadlock after %u of %u queued instructions; heads:\n",
                    prog_path, count, total);
            for (int q = 0; q < NQ; q++)
                if (next[q] < qs[q].n)
                    describe("head", q, next[q]);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    dlp_prog_t p;
    char msg[512];
    int rc;
    if (argc == 3 && !strcmp(argv[1], "-w")) {
        show_uninit = 1;
        argv++;
        argc--;
    }
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: fwrace [-w] program.dlpb\n");
        return 2;
    }
    prog_path = argv[1];
    if (dlp_prog_read_file(prog_path, &p, msg, sizeof msg)) {
        fprintf(stderr, "fwrace: %s\n", msg);
        return 2;
    }
    if (run_front_end(&p) || replay()) {
        dlp_prog_free(&p);
        return 1;
    }
    rc = races ? 1 : 0;
    printf("fwrace: %s: %u LD, %u CP, %u ST instructions, %d race%s", prog_path, qs[0].n,
           qs[1].n, qs[2].n, races, races == 1 ? "" : "s");
    if (uninit_bytes)
        printf(", %" PRIu64 " on-chip bytes read before written", uninit_bytes);
    printf("; tokens left: ld->cp %u, cp->ld %u, cp->st %u, st->cp %u\n", chan[0][1].n,
           chan[1][0].n, chan[1][2].n, chan[2][1].n);
    dlp_prog_free(&p);
    return rc;
}
