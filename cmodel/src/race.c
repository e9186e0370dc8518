/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Race check: every pair of accesses to the same byte (accumulator element) by instructions of
 * different queues, at least one of them a write, must be ordered by the program -- queue order,
 * wait/signal tokens (the n-th wait on a channel pairs with its n-th signal) or `sync`.
 *
 * Why: the model applies a queued instruction's effects when it starts, so a load that
 * overwrites a buffer an mm is still reading, or an mm that starts while its load is still
 * running, gives the right bits here; only a differently timed machine (the RTL, a board)
 * shows the race. This check reports it whatever the timing: it does not ask whether the two
 * instructions overlapped in this run's cycles, only whether the program orders them.
 *
 * How: each started instruction gets a vector clock -- for each queue, how many of its
 * instructions are known to have completed before this one starts: its queue predecessor's
 * clock, the clocks of the signallers whose tokens it consumes, and everything started before
 * the last `sync`. Every byte it touches is checked against the byte's last writer and its
 * last reader per queue (the shadow state of the FastTrack race detector). Runs in the model's
 * start order, which is one order the tokens allow; happens-before does not depend on which.
 *
 * The hooks are called by machine.c; the footprints below follow docs/isa.md (one case per
 * queued instruction: a new queued instruction needs its case here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "race.h"

#define NQ DLP_Q_NONE /* LD, CP, ST, VF: the queues with tokens (a queue fits 2 bits of shadow.w) */
#define MAX_KEPT 16   /* reports kept for dlp_race_get */
#define PAGE_BITS 12
#define HASH_SIZE 4096
#define TOK_MAX 256   /* token_max <= 255: a channel never holds more */
#define IDX_LIMIT ((1u << 30) - 2)

typedef struct shadow {
    uint32_t w;     /* (queue << 30 | index) + 1 of the last writer (index <= IDX_LIMIT, so
                       3 << 30 | IDX_LIMIT stays below 2^32 - 1); 0 = none in this run */
    uint32_t r[NQ]; /* index + 1 of the last reader per queue; 0 = none since the last write */
} shadow_t;

typedef struct page {
    uint64_t key;
    struct page *next;
    shadow_t s[1u << PAGE_BITS];
} page_t;

typedef struct dyn_list {
    uint32_t *pc;
    uint16_t *id;
    uint32_t n, cap;
} dyn_list_t;

struct dlp_race_state {
    page_t *hash[HASH_SIZE];
    page_t *last;
    dyn_list_t started[NQ];     /* pc and instruction id of every started instruction */
    uint32_t vc_last[NQ][NQ];   /* clock of the last started instruction of each queue */
    uint32_t vc_sync[NQ];       /* instructions started before the last sync */
    uint32_t tok[NQ][NQ][TOK_MAX][NQ]; /* clocks of the signals waiting in each channel */
    uint32_t tok_head[NQ][NQ], tok_n[NQ][NQ];
    /* the instruction being checked */
    int cq;
    uint32_t ci, cvc[NQ];
    uint32_t first_of_insn; /* index in kept[] of its first report */
    uint64_t unkept[4];     /* the last race counted beyond the kept reports */
    /* results */
    dlp_race_t kept[MAX_KEPT];
    uint64_t races, uninit_bytes;
    int stopped; /* too many instructions for the shadow encoding: checking stopped */
};

dlp_race_state_t *dlp_race_new(void)
{
    dlp_race_state_t *r = calloc(1, sizeof *r);
    if (r)
        memset(r->unkept, 0xff, sizeof r->unkept);
    return r;
}

static void free_pages(dlp_race_state_t *r)
{
    for (int h = 0; h < HASH_SIZE; h++) {
        page_t *p = r->hash[h];
        while (p) {
            page_t *n = p->next;
            free(p);
            p = n;
        }
        r->hash[h] = NULL;
    }
    r->last = NULL;
}

void dlp_race_free(dlp_race_state_t *r)
{
    if (!r)
        return;
    free_pages(r);
    for (int q = 0; q < NQ; q++) {
        free(r->started[q].pc);
        free(r->started[q].id);
    }
    free(r);
}

void dlp_race_reset(dlp_race_state_t *r)
{
    if (!r)
        return;
    free_pages(r);
    for (int q = 0; q < NQ; q++)
        r->started[q].n = 0;
    memset(r->vc_last, 0, sizeof r->vc_last);
    memset(r->vc_sync, 0, sizeof r->vc_sync);
    memset(r->tok_head, 0, sizeof r->tok_head);
    memset(r->tok_n, 0, sizeof r->tok_n);
    r->races = r->uninit_bytes = 0;
    memset(r->unkept, 0xff, sizeof r->unkept);
    r->stopped = 0;
}

/* Shadow state of `len` consecutive bytes starting at addr inside one page; NULL out of memory. */
static shadow_t *shadow_at(dlp_race_state_t *r, int space, uint64_t addr)
{
    uint64_t key = ((uint64_t)space << 56) | (addr >> PAGE_BITS);
    uint32_t h = (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 52) & (HASH_SIZE - 1);
    page_t *p = r->last;
    if (!p || p->key != key) {
        for (p = r->hash[h]; p; p = p->next)
            if (p->key == key)
                break;
        if (!p) {
            p = calloc(1, sizeof *p);
            if (!p)
                return NULL;
            p->key = key;
            p->next = r->hash[h];
            r->hash[h] = p;
        }
        r->last = p;
    }
    return &p->s[addr & ((1u << PAGE_BITS) - 1)];
}

static void stop(dlp_race_state_t *r)
{
    r->stopped = 1;
    free_pages(r);
}

/* Records a race of the current instruction with (q, i) on byte a. Races count once per
   earlier instruction and memory (with the kind first found): a kept report widens its range;
   beyond the kept ones the last counted key is remembered. */
static void race(dlp_race_state_t *r, int kind, int space, uint64_t a, int q, uint32_t i)
{
    uint32_t n = r->races < MAX_KEPT ? (uint32_t)r->races : MAX_KEPT;
    for (uint32_t k = r->first_of_insn; k < n; k++) {
        dlp_race_t *x = &r->kept[k];
        if (x->mem == space && x->queue[0] == q && x->seq[0] == i) {
            if (a < x->lo)
                x->lo = a;
            if (a > x->hi)
                x->hi = a;
            return;
        }
    }
    if (r->races < MAX_KEPT) {
        dlp_race_t *x = &r->kept[r->races];
        x->kind = kind;
        x->mem = space;
        x->lo = x->hi = a;
        x->queue[0] = q;
        x->seq[0] = i;
        x->pc[0] = r->started[q].pc[i];
        x->id[0] = r->started[q].id[i];
        x->queue[1] = r->cq;
        x->seq[1] = r->ci;
        x->pc[1] = r->started[r->cq].pc[r->ci];
        x->id[1] = r->started[r->cq].id[r->ci];
    } else {
        uint64_t key[4] = {(uint64_t)space << 4 | (uint64_t)q,
                           i, (uint64_t)r->cq, r->ci};
        if (!memcmp(key, r->unkept, sizeof key))
            return;
        memcpy(r->unkept, key, sizeof key);
    }
    r->races++;
}

/* One access of the current instruction to [addr, addr + len) of a space. */
static void access(dlp_race_state_t *r, int space, uint64_t addr, uint64_t len, int write)
{
    const int q = r->cq;
    const uint32_t *vc = r->cvc;
    uint64_t a = addr, end = addr + len;
    while (a < end && !r->stopped) {
        uint64_t page_end = (a | ((1u << PAGE_BITS) - 1)) + 1;
        uint64_t stop_at = page_end < end ? page_end : end;
        shadow_t *s = shadow_at(r, space, a);
        if (!s) {
            stop(r);
            return;
        }
        for (; a < stop_at; a++, s++) {
            if (s->w) {
                int wq = (int)((s->w - 1) >> 30);
                uint32_t wi = (s->w - 1) & 0x3fffffffu;
                if (wq != q && vc[wq] < wi + 1)
                    race(r, write ? DLP_RACE_WAW : DLP_RACE_RAW, space, a, wq, wi);
            } else if (!write && space != DLP_MEM_DRAM) {
                r->uninit_bytes++;
            }
            if (write) {
                for (int p = 0; p < NQ; p++)
                    if (p != q && s->r[p] && vc[p] < s->r[p])
                        race(r, DLP_RACE_WAR, space, a, p, s->r[p] - 1);
                s->w = ((uint32_t)q << 30 | r->ci) + 1;
                memset(s->r, 0, sizeof s->r);
            } else {
                s->r[q] = r->ci + 1;
            }
        }
    }
}

/* ---- footprints of the queued instructions (docs/isa.md) ---- */

#define F(name) ((uint64_t)DLP_F(in, name))

static void footprint(dlp_race_state_t *r, const uop_t *u)
{
    const dlp_insn_t *in = &u->in;
    switch (in->id) {
    case DLP_I_DMA: {
        uint64_t n0 = F(N0), n1 = F(N1), n2 = F(N2), pt = F(PT), pb = F(PB), pl = F(PL),
                 pr = F(PR);
        for (uint64_t i2 = 0; i2 < n2; i2++) {
            for (uint64_t j = 0; j < n1; j++)
                access(r, (int)F(SSP), (uint64_t)R(u, RSRC) + i2 * R(u, RSS2) + j * R(u, RSS1),
                       n0, 0);
            for (uint64_t j = 0; j < pt + n1 + pb; j++)
                access(r, (int)F(DSP), (uint64_t)R(u, RDST) + i2 * R(u, RDS2) + j * R(u, RDS1),
                       pl + n0 + pr, 1);
        }
        break;
    }
    case DLP_I_MM: {
        uint64_t m0 = F(M0), m1 = F(M1), k = F(KDIM), n = F(NDIM);
        for (uint64_t j = 0; j < m1; j++)
            for (uint64_t row = 0; row < m0; row++)
                access(r, DLP_MEM_NRAM,
                       (uint64_t)R(u, RIN) + row * R(u, RINS0) + j * R(u, RINS1), k, 0);
        for (uint64_t kk = 0; kk < k; kk++)
            access(r, DLP_MEM_WRAM, (uint64_t)R(u, RW) + kk * R(u, RWS), n, 0);
        for (uint64_t m = 0; m < m0 * m1; m++) {
            if (F(ACCUM))
                access(r, DLP_MEM_ACC, (uint64_t)R(u, RACC) + m * R(u, RACS), n, 0);
            access(r, DLP_MEM_ACC, (uint64_t)R(u, RACC) + m * R(u, RACS), n, 1);
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
        int id = in->id;
        int two = id == DLP_I_VADD || id == DLP_I_VMAX || id == DLP_I_VMIN;
        if (id == DLP_I_VRQ)
            access(r, DLP_MEM_WRAM, R(u, VP), DLP_VRQ_PARAM_BYTES * cols, 0);
        if (id == DLP_I_VADD)
            access(r, DLP_MEM_WRAM, R(u, VP), DLP_VADD_PARAM_BYTES, 0);
        if (id == DLP_I_VLUT)
            access(r, DLP_MEM_WRAM, R(u, VP), 256, 0);
        for (uint64_t row = 0; row < rows; row++) {
            access(r, id == DLP_I_VRQ ? DLP_MEM_ACC : DLP_MEM_NRAM,
                   (uint64_t)R(u, VA) + row * R(u, VSA), cols, 0);
            if (two)
                access(r, DLP_MEM_NRAM, (uint64_t)R(u, VB) + row * R(u, VSB), cols, 0);
            access(r, DLP_MEM_NRAM, (uint64_t)R(u, VD) + row * R(u, VSD), cols, 1);
        }
        break;
    }
    case DLP_I_VMAXPOOL:
    case DLP_I_VAVGPOOL: {
        int64_t ch = DLP_F(in, CH), oh = DLP_F(in, OH), ow = DLP_F(in, OW);
        int64_t kh = DLP_F(in, KH), kw = DLP_F(in, KW), sh = DLP_F(in, SH), sw = DLP_F(in, SW),
                pt = DLP_F(in, PPT), pl = DLP_F(in, PPL), ih = DLP_F(in, IH), iw = DLP_F(in, IW);
        /* the input pixels some window covers (each read once here: reads are idempotent) */
        for (int64_t y = 0; y < ih; y++) {
            int row_used = 0;
            for (int64_t oy = 0; oy < oh && !row_used; oy++)
                row_used = y >= oy * sh - pt && y < oy * sh - pt + kh;
            if (!row_used)
                continue;
            for (int64_t x = 0; x < iw; x++) {
                int used = 0;
                for (int64_t ox = 0; ox < ow && !used; ox++)
                    used = x >= ox * sw - pl && x < ox * sw - pl + kw;
                if (used)
                    access(r, DLP_MEM_NRAM,
                           (uint64_t)R(u, PA) + (uint64_t)y * R(u, PSRA) +
                               (uint64_t)x * R(u, PSPA),
                           (uint64_t)ch, 0);
            }
        }
        for (int64_t y = 0; y < oh; y++)
            for (int64_t x = 0; x < ow; x++)
                access(r, DLP_MEM_NRAM,
                       (uint64_t)R(u, PD) + (uint64_t)y * R(u, PSRD) + (uint64_t)x * R(u, PSPD),
                       (uint64_t)ch, 1);
        break;
    }
    default:
        break;
    }
}

#undef F

/* ---- hooks ---- */

static void join(uint32_t *a, const uint32_t *b)
{
    for (int q = 0; q < NQ; q++)
        if (b[q] > a[q])
            a[q] = b[q];
}

static int push_started(dyn_list_t *l, uint32_t pc, int id)
{
    if (l->n == l->cap) {
        uint32_t ncap = l->cap ? 2 * l->cap : 1024;
        uint32_t *npc = realloc(l->pc, ncap * sizeof *npc);
        if (!npc)
            return -1;
        l->pc = npc;
        uint16_t *nid = realloc(l->id, ncap * sizeof *nid);
        if (!nid)
            return -1;
        l->id = nid;
        l->cap = ncap;
    }
    l->pc[l->n] = pc;
    l->id[l->n] = (uint16_t)id;
    l->n++;
    return 0;
}

void dlp_race_start(dlp_race_state_t *r, const uop_t *u)
{
    int q = u->in.queue;
    unsigned wait = u->in.wait_q; /* by queue (bit q = enum dlp_queue q), VF included */
    if (!r || r->stopped || q < 0 || q >= NQ)
        return;
    if (r->started[q].n >= IDX_LIMIT || push_started(&r->started[q], u->pc, u->in.id)) {
        stop(r);
        return;
    }
    r->cq = q;
    r->ci = r->started[q].n - 1;
    memcpy(r->cvc, r->vc_last[q], sizeof r->cvc);
    join(r->cvc, r->vc_sync);
    for (int p = 0; p < NQ; p++) {
        if (!(wait >> p & 1) || !r->tok_n[p][q])
            continue; /* (the model starts an instruction only when its tokens are there) */
        join(r->cvc, r->tok[p][q][r->tok_head[p][q]]);
        r->tok_head[p][q] = (r->tok_head[p][q] + 1) % TOK_MAX;
        r->tok_n[p][q]--;
    }
    r->cvc[q] = r->ci + 1;
    memcpy(r->vc_last[q], r->cvc, sizeof r->cvc);
    r->first_of_insn = r->races < MAX_KEPT ? (uint32_t)r->races : MAX_KEPT;
    footprint(r, u);
}

/* sig: the retiring instruction's signal mask by queue (dlp_insn_t.signal_q). */
void dlp_race_signal(dlp_race_state_t *r, int q, unsigned sig)
{
    if (!r || r->stopped || q < 0 || q >= NQ)
        return;
    for (int to = 0; to < NQ; to++) {
        if (!(sig >> to & 1) || r->tok_n[q][to] == TOK_MAX)
            continue; /* a full channel is the model's TOKEN_OVERFLOW error */
        memcpy(r->tok[q][to][(r->tok_head[q][to] + r->tok_n[q][to]) % TOK_MAX], r->vc_last[q],
               sizeof r->vc_last[q]);
        r->tok_n[q][to]++;
    }
}

void dlp_race_sync(dlp_race_state_t *r)
{
    if (!r)
        return;
    for (int q = 0; q < NQ; q++)
        r->vc_sync[q] = r->started[q].n; /* all of them have completed */
}

void dlp_race_summary(const dlp_race_state_t *r, dlp_race_summary_t *s)
{
    memset(s, 0, sizeof *s);
    if (!r)
        return;
    s->checked = r->stopped ? 0 : 1;
    s->races = r->races;
    s->uninit_bytes = r->uninit_bytes;
    for (int q = 0; q < NQ; q++)
        s->insns[q] = r->started[q].n;
    if (r->races)
        s->first = r->kept[0];
}

/* ---- public ---- */

int dlp_race_get(const dlp_t *m, unsigned k, dlp_race_t *out)
{
    const dlp_race_state_t *r = m->race;
    if (!r || k >= r->races || k >= MAX_KEPT)
        return -1;
    *out = r->kept[k];
    return 0;
}

static const char *kind_name(int k)
{
    return k == DLP_RACE_RAW ? "read-after-write" : k == DLP_RACE_WAR ? "write-after-read"
                                                                      : "write-after-write";
}

void dlp_race_format(const dlp_race_t *x, char *buf, size_t len)
{
    static const char *verb[][2] = {{"", ""}, {"writes", "reads"}, {"reads", "writes"},
                                    {"writes", "writes"}};
    int k = x->kind >= DLP_RACE_RAW && x->kind <= DLP_RACE_WAW ? x->kind : DLP_RACE_WAW;
    const char *m0 = x->id[0] >= 0 && x->id[0] < DLP_I_COUNT ? dlp_insn_info[x->id[0]].mnemonic : "?";
    const char *m1 = x->id[1] >= 0 && x->id[1] < DLP_I_COUNT ? dlp_insn_info[x->id[1]].mnemonic : "?";
    snprintf(buf, len,
             "%s race on %s %s 0x%llx..0x%llx: %s at pc %u (%s #%u) %s them and %s at pc %u "
             "(%s #%u) %s them, with no token or sync ordering the two",
             kind_name(k), dlp_mem_name(x->mem), x->mem == DLP_MEM_ACC ? "elements" : "bytes",
             (unsigned long long)x->lo, (unsigned long long)x->hi, m0, x->pc[0],
             dlp_queue_name(x->queue[0]), x->seq[0], verb[k][0], m1, x->pc[1],
             dlp_queue_name(x->queue[1]), x->seq[1], verb[k][1]);
}
