/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdlp -- the OpenDLP host driver.
 *
 * One API over every way of reaching an OpenDLP core: the C golden model in-process ("cmodel"),
 * the Verilated RTL ("rtl"), and a board over a serial line ("uart"). Whatever the back end, the
 * driver talks to the core the way a CPU driver talks to hardware: through the 32-bit control
 * and status registers of docs/csr.md and through the DRAM the core reads and writes. A back end
 * only moves register values and DRAM bytes and lets time pass; everything else -- program
 * load, DMA window, start, waiting with a timeout, the counters, decoding errors -- is the one
 * register-level driver in this library. docs/libdlp.md has the full story and examples.
 *
 * A complete run:
 *
 *     dlpd_dev_t *dev;
 *     char msg[256];
 *     if (dlpd_open("cmodel", &dev, msg, sizeof msg) != DLPD_OK) {
 *         fprintf(stderr, "%s\n", msg);
 *         return 1;
 *     }
 *     dlpd_prog_t prog;
 *     dlpd_result_t res;
 *     if (dlpd_prog_load_file(dev, "relu.dlpb", &prog) ||       // into device DRAM
 *         dlpd_alloc_at(dev, 0x10000, 4096) ||                    // the addresses the
 *         dlpd_alloc_at(dev, 0x20000, 4096) ||                    // program was written for
 *         dlpd_write(dev, 0x10000, input, 4096) ||
 *         dlpd_run(dev, &prog, 10000, &res) ||                   // start + wait up to 10 s
 *         dlpd_read(dev, 0x20000, output, 4096))
 *         fprintf(stderr, "%s\n", dlpd_last_error(dev));
 *     else
 *         printf("%llu cycles\n", (unsigned long long)res.counters.cycles);
 *     dlpd_close(dev);
 *
 * Conventions:
 *   - Every fallible call returns a dlpd_err_t; DLPD_OK (0) is success. On failure the device
 *     keeps a message saying what went wrong, in the project's words, for dlpd_last_error().
 *     Nothing in the library aborts, exits or prints.
 *   - Device addresses are DRAM byte addresses as the core sees them (uint64_t; the core has a
 *     32-bit AXI address space).
 *   - A device handle must not be used from two threads at once; different handles are
 *     independent.
 *   - Names: dlpd_ (the driver), so that they never collide with the C model's dlp_ API, which
 *     the same program may link.
 */
#ifndef DLP_DRIVER_H
#define DLP_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "dlp_csr_gen.h" /* DLP_CSR_* register offsets, enum dlp_cause, dlp_cause_name() */
#include "dlp_net.h"     /* dlp_net_t: compiled network packages (.dlpn) */

#ifdef __cplusplus
extern "C" {
#endif

/* ==== errors ================================================================================= */

typedef enum dlpd_err {
    DLPD_OK = 0,
    DLPD_E_ARG,         /* an argument is invalid (NULL, zero size, misaligned, unknown offset) */
    DLPD_E_NOMEM,       /* the host ran out of memory */
    DLPD_E_BACKEND,     /* no back end of that name, or bad back-end options */
    DLPD_E_UNAVAILABLE, /* the back end exists but is not built or cannot be reached */
    DLPD_E_IO,          /* a register or DRAM access failed in the back end (bus, link) */
    DLPD_E_DEVICE,      /* the device is not an OpenDLP core this driver understands */
    DLPD_E_RANGE,       /* an address range outside device memory or outside any buffer */
    DLPD_E_NOSPACE,     /* device memory: no free range large enough */
    DLPD_E_BUSY,        /* the core is still running a program */
    DLPD_E_TIMEOUT,     /* the host-side wait ran out of time; the core is still running */
    DLPD_E_RUN,         /* the run ended with an error cause (see dlpd_result_t) */
    DLPD_E_PROGRAM,     /* a program binary is malformed or does not fit the device */
    DLPD_E_PACKAGE,     /* a network package is inconsistent */
    DLPD_E_CAPS,        /* a network package was compiled for a different core shape/memories */
    DLPD_E_FILE,        /* a file could not be read */
    DLPD_E_RACE,        /* the run halted, but the C model's race check found accesses that no
                           token or sync orders: the result depends on timing (cmodel back end;
                           off with "cmodel:race_check=0") */
    DLPD_E_COUNT
} dlpd_err_t;

/* "DLPD_E_TIMEOUT" etc. ("DLPD_OK" for 0, "DLPD_E_?" outside the enum). */
const char *dlpd_err_name(dlpd_err_t e);
/* A generic sentence for a code, e.g. "the core is still running a program". */
const char *dlpd_strerror(dlpd_err_t e);

typedef struct dlpd_dev dlpd_dev_t;

/* The message of the last failing call on dev ("" if none failed yet). Never NULL; valid until
   the next call on dev. dev may be NULL (returns ""). */
const char *dlpd_last_error(const dlpd_dev_t *dev);

/* ==== opening a device ========================================================================= */

/*
 * Opens a device. spec is "BACKEND" or "BACKEND:KEY=VALUE,KEY=VALUE...":
 *
 *   cmodel             the C golden model in-process. Keys: config=PRESET (a named
 *                      configuration, docs/configs.md), any dlp_config_t field by name (rows=8,
 *                      nram_kib=64, dram_mib=16, dram_latency=40, functional=1, ...);
 *                      race_check=0 turns off the race check (DLPD_E_RACE).
 *   rtl                the Verilated core behind an AXI DRAM model, loaded from a shared
 *                      library built per array shape. Keys: shape=16x16 (default), lib=PATH,
 *                      dram_mib=16, latency=24, stall_seed=N (random AXI timing). Reports
 *                      DLPD_E_UNAVAILABLE, naming the library it looked for, when not built.
 *   systemc            the SystemC/TLM-2.0 virtual platform (verif/systemc/, docs/systemc.md):
 *                      one DLP and its memory, loaded from a shared library. Keys: the cmodel
 *                      configuration keys (clock_mhz the clock), quantum_ns=10000,
 *                      latency_ns=0, lib=PATH.
 *                      One per process. DLPD_E_UNAVAILABLE when not built.
 *   uart               a board through its UART bridge. Keys: port=/dev/ttyUSB0 (required),
 *                      baud=1000000, timeout_ms, retries, quiet_ms (docs/fpga.md).
 *
 * On success *dev is the device: its identity (ID, VERSION) and capabilities (CAP0..CAP3) have
 * been read and checked, device memory is all free, the DMA window covers all of it, the cycle
 * limit is 0 (none) and completion is awaited by interrupt. On failure *dev is NULL and msg
 * (msglen bytes, always terminated when msglen > 0) says why.
 */
dlpd_err_t dlpd_open(const char *spec, dlpd_dev_t **dev, char *msg, size_t msglen);

/* Closes the device and its back end. A run still in progress is abandoned. NULL is ignored. */
void dlpd_close(dlpd_dev_t *dev);

/* "cmodel, rtl, systemc, uart": the back-end names dlpd_open() knows (built or not). */
const char *dlpd_backend_names(void);

/* What the core says about itself (read once at open) and where its memory is. */
typedef struct dlpd_info {
    char backend[16];          /* "cmodel", "rtl", ... */
    uint32_t id;               /* ID register: DLP_CSR_ID_VALUE */
    uint32_t isa_version;      /* VERSION.isa: must equal the programs' ISA version */
    uint32_t hw_revision;      /* VERSION.hw */
    uint32_t cap[4];           /* CAP0..CAP3 as read */
    /* CAP0..CAP3 decoded */
    uint32_t rows, cols, vlanes, beat_bytes;
    uint32_t nram_bytes, wram_bytes, acc_bytes, imem_insns;
    uint32_t queue_depth, loop_depth, token_max, burst_beats; /* burst 0 in CAP3 reads as 256 */
    /* device memory the host manages: [mem_base, mem_base + mem_bytes) */
    uint64_t mem_base, mem_bytes;
} dlpd_info_t;

void dlpd_get_info(const dlpd_dev_t *dev, dlpd_info_t *info);

/* ==== registers ================================================================================ */

/* One 32-bit CSR by byte offset (DLP_CSR_*). The offset must be 4-byte aligned and below
   0x1000 (the core's 4 KiB register page). A started run makes progress only while the driver
   waits (dlpd_wait) on the cmodel; the rtl core also runs during the few cycles each AXI4-Lite
   access takes; a board runs by itself. */
dlpd_err_t dlpd_csr_read(dlpd_dev_t *dev, uint32_t off, uint32_t *val);
dlpd_err_t dlpd_csr_write(dlpd_dev_t *dev, uint32_t off, uint32_t val);
/* A 64-bit counter: the low word at lo_off (which latches the high word), then lo_off + 4. */
dlpd_err_t dlpd_csr_read64(dlpd_dev_t *dev, uint32_t lo_off, uint64_t *val);

/* ==== device memory ============================================================================ */

/*
 * A first-fit allocator over [mem_base, mem_base + mem_bytes). Buffers are identified by their
 * device address. align is a power of two (0 means DLPD_ALIGN_DEFAULT); addresses returned are
 * multiples of it. Freed neighbours merge.
 */
#define DLPD_ALIGN_DEFAULT 64

dlpd_err_t dlpd_alloc(dlpd_dev_t *dev, uint64_t bytes, uint64_t align, uint64_t *addr);
/* Reserves exactly [addr, addr + bytes) -- for programs and packages with absolute addresses.
   DLPD_E_RANGE outside device memory, DLPD_E_NOSPACE when it overlaps another buffer. */
dlpd_err_t dlpd_alloc_at(dlpd_dev_t *dev, uint64_t addr, uint64_t bytes);
/* addr must be the start of a buffer (DLPD_E_ARG otherwise). */
dlpd_err_t dlpd_free(dlpd_dev_t *dev, uint64_t addr);

typedef struct dlpd_mem_stats {
    uint64_t total, used, free, largest_free;
    uint32_t buffers;
} dlpd_mem_stats_t;
void dlpd_mem_stats(const dlpd_dev_t *dev, dlpd_mem_stats_t *st);

/* Copies between host and device memory. The range must lie inside one buffer (DLPD_E_RANGE);
   len 0 is a no-op. */
dlpd_err_t dlpd_write(dlpd_dev_t *dev, uint64_t addr, const void *src, size_t len);
dlpd_err_t dlpd_read(dlpd_dev_t *dev, uint64_t addr, void *dst, size_t len);

/* ==== programs ================================================================================= */

/* A program in device DRAM: n_insns 16-byte instructions at a 16-byte aligned address. Make one
   by loading, or fill one in for code that is already there. */
typedef struct dlpd_prog {
    uint64_t addr;
    uint32_t n_insns;
} dlpd_prog_t;

/* Allocates device memory and copies the instructions (4 words each, dlp_prog.h layout) into it.
   DLPD_E_PROGRAM when n_insns is 0 or exceeds the instruction memory (CAP2.imem). */
dlpd_err_t dlpd_prog_load(dlpd_dev_t *dev, const uint32_t *words, uint32_t n_insns,
                          dlpd_prog_t *prog);
/* The same from a .dlpb file (checked with dlp_prog_parse: magic, versions, CRCs, ISA version
   against VERSION.isa). */
dlpd_err_t dlpd_prog_load_file(dlpd_dev_t *dev, const char *path, dlpd_prog_t *prog);
/* Frees the program's memory; *prog is zeroed. */
dlpd_err_t dlpd_prog_unload(dlpd_dev_t *dev, dlpd_prog_t *prog);

/* ==== running ================================================================================== */

/* The eight counters of a run (CYCLES .. INSNS); they restart from 0 at every start. */
typedef struct dlpd_counters {
    uint64_t cycles;
    uint64_t busy_dma, busy_mfu, busy_vfu; /* cycles each unit was busy */
    uint64_t dram_rd_bytes, dram_wr_bytes; /* program fetch and DMA */
    uint64_t macs;                         /* M*K*N of every mm */
    uint64_t insns;                        /* instructions retired */
} dlpd_counters_t;

/* How a run ended, as the registers tell it. */
typedef struct dlpd_result {
    int halted;            /* 1: ended with halt (STATUS.done); 0: with an error */
    uint32_t status;       /* STATUS when the run was collected */
    uint32_t irq_status;   /* IRQ_STATUS before the driver cleared it */
    int cause;             /* ERR_CAUSE (enum dlp_cause), DLP_CAUSE_NONE after halt */
    uint32_t err_pc;       /* ERR_PC: index of the faulting instruction */
    uint32_t err_info;     /* ERR_INFO: cause-specific detail, see dlpd_format_cause() */
    dlpd_counters_t counters;
    char message[384];     /* "" after halt; else the decoded error (and the back end's note) */
} dlpd_result_t;

/* Settings applied at every start (they stay until changed):
 *   window      WIN_BASE/WIN_LIMIT: the DRAM range DMA and fetch may touch; default all of
 *               device memory. limit may be 1 << 32 (written as 0, meaning 2^32).
 *   cycle limit CYCLE_LIMIT: the core stops with TIMEOUT in that cycle; 0 = none (default).
 *   wait mode   DLPD_WAIT_IRQ: IRQ_EN = done|error, completion by the interrupt line (default);
 *               DLPD_WAIT_POLL: IRQ_EN = 0, completion by polling STATUS.busy. */
enum dlpd_wait_mode { DLPD_WAIT_IRQ = 0, DLPD_WAIT_POLL = 1 };
dlpd_err_t dlpd_set_window(dlpd_dev_t *dev, uint64_t base, uint64_t limit);
dlpd_err_t dlpd_set_cycle_limit(dlpd_dev_t *dev, uint64_t cycles);
dlpd_err_t dlpd_set_wait_mode(dlpd_dev_t *dev, int mode);

/*
 * Starts prog: checks that the core is idle (DLPD_E_BUSY otherwise), writes PROG_ADDR,
 * PROG_LEN, WIN_BASE, WIN_LIMIT, CYCLE_LIMIT, clears IRQ_STATUS, sets IRQ_EN and pulses
 * CTRL.start. Problems with the program itself (length 0, misaligned, outside the window) are
 * the core's to report, as a run error.
 */
dlpd_err_t dlpd_start(dlpd_dev_t *dev, const dlpd_prog_t *prog);

/*
 * Waits for the started run to end, at most timeout_ms milliseconds of wall time (0: no
 * limit), then reads STATUS, ERR_CAUSE, ERR_PC, ERR_INFO, IRQ_STATUS and the counters into
 * *res (res may be NULL) and clears IRQ_STATUS. Returns DLPD_OK when the run halted,
 * DLPD_E_RUN when it stopped with an error (res->message and dlpd_last_error() say which, where
 * and why), DLPD_E_TIMEOUT when it is still running (wait again, or close the device: the core
 * has no abort; bound runs with the cycle limit instead).
 *
 * Simulated back ends advance time inside dlpd_wait() (the rtl core also during register
 * accesses; the cmodel runs the model in stretches of 65536 cycles), so timeout_ms bounds the
 * wait on every back end.
 */
dlpd_err_t dlpd_wait(dlpd_dev_t *dev, uint32_t timeout_ms, dlpd_result_t *res);

/* dlpd_start() then dlpd_wait(). */
dlpd_err_t dlpd_run(dlpd_dev_t *dev, const dlpd_prog_t *prog, uint32_t timeout_ms,
                    dlpd_result_t *res);

/* Reads the eight counters through their 64-bit register pairs (low word first). */
dlpd_err_t dlpd_read_counters(dlpd_dev_t *dev, dlpd_counters_t *c);

/* Called from dlpd_wait() about every interval_ms while a run lasts (elapsed: ms since the wait
   began), e.g. to show progress. NULL removes it. */
typedef void (*dlpd_progress_fn)(void *ctx, uint64_t elapsed_ms);
void dlpd_set_progress(dlpd_dev_t *dev, dlpd_progress_fn fn, void *ctx, uint32_t interval_ms);

/* Describes an error cause with its pc and info, e.g.
   "DRAM_WINDOW at instruction 4: DRAM byte 0x1fff0 outside the window (a DRAM access (DMA or
   fetch) outside [WIN_BASE, WIN_LIMIT))". Returns buf. */
char *dlpd_format_cause(int cause, uint32_t pc, uint32_t info, char *buf, size_t len);

/* ==== compiled networks (dlp_net.h) ============================================================ */

/*
 * A package (parsed by dlp_net_parse/dlp_net_read_file) runs as one program per layer, in
 * order, in the region [dram_base, dram_base + dram_bytes) that holds its image, its tensors
 * and its programs at absolute addresses.
 *
 * dlpd_net_check: refuses a package the device cannot run -- a different array shape (rows,
 *   cols, vlanes), smaller NRAM/WRAM/accumulator than compiled for, a program larger than the
 *   instruction memory, another ISA version (DLPD_E_CAPS) -- or one that is inconsistent:
 *   programs outside the image, tensors (with their strides) outside the region, bad indexes
 *   (DLPD_E_PACKAGE).
 * dlpd_net_load:  checks, reserves the region (dlpd_alloc_at) and copies the image in.
 * dlpd_net_unload: frees the region.
 * dlpd_net_run_layer: runs layer i with the window set to the package's region (the device's
 *   window setting is left as it was); *res as dlpd_wait().
 */
dlpd_err_t dlpd_net_check(dlpd_dev_t *dev, const dlp_net_t *net);
dlpd_err_t dlpd_net_load(dlpd_dev_t *dev, const dlp_net_t *net);
dlpd_err_t dlpd_net_unload(dlpd_dev_t *dev, const dlp_net_t *net);
dlpd_err_t dlpd_net_run_layer(dlpd_dev_t *dev, const dlp_net_t *net, uint32_t layer,
                              uint32_t timeout_ms, dlpd_result_t *res);

/* Tensor data: n int8 elements in dims order (NHWC), densely packed on the host side; on the
   device they go to the tensor's layout, rows and images row_stride/img_stride apart when the
   package gives strides (a border around the data). n must equal dlpd_tensor_elems(). */
dlpd_err_t dlpd_tensor_write(dlpd_dev_t *dev, const dlp_net_t *net, uint32_t tensor,
                             const int8_t *data, size_t n);
dlpd_err_t dlpd_tensor_read(dlpd_dev_t *dev, const dlp_net_t *net, uint32_t tensor,
                            int8_t *data, size_t n);

/* Helpers that need no device. */
uint64_t dlpd_tensor_elems(const dlp_net_tensor_t *t);       /* product of dims (0 if bad) */
const char *dlpd_net_string(const dlp_net_t *net, uint32_t off); /* "" when out of range */
/* TFLite quantization: q = clamp(round_half_away(x / scale) + zero_point, -128, 127). NaN
   gives zero_point. */
int8_t dlpd_quantize(float x, float scale, int32_t zero_point);
float dlpd_dequantize(int8_t q, float scale, int32_t zero_point); /* scale * (q - zp) */
/* Indexes of the k largest values, largest first, ties to the lower index; returns
   min(k, n). */
size_t dlpd_topk(const int8_t *v, size_t n, size_t k, uint32_t *idx);

/* ==== writing a back end ======================================================================= */

/*
 * A back end is six functions over an opaque context. Each returns 0, or -1 with a message in
 * msg (msglen bytes). The driver calls them one at a time.
 *
 *   csr_read/csr_write  one 32-bit register at a 4-byte aligned offset below 0x1000, with the
 *                       semantics of docs/csr.md (the driver never writes partial words).
 *   dram_read/dram_write  bytes of device DRAM at device addresses, as another bus master
 *                       would see them (the core is idle while the driver copies).
 *   wait                let up to max_ms of wall time pass, returning early when the interrupt
 *                       line is high; it may return early for any other reason (a simulator
 *                       returns once it has nothing left to simulate). *irq = the line's level.
 *                       Simulators advance the core only here.
 *   close               release everything.
 *   note (optional)     extra back-end text about the last run's error (the C model's own
 *                       message); appended to the decoded register values, never replacing
 *                       them. NULL when there is none.
 *
 * mem_base/mem_bytes: the device DRAM the host may allocate from.
 */
typedef struct dlpd_backend_ops {
    int (*csr_read)(void *ctx, uint32_t off, uint32_t *val, char *msg, size_t msglen);
    int (*csr_write)(void *ctx, uint32_t off, uint32_t val, char *msg, size_t msglen);
    int (*dram_read)(void *ctx, uint64_t addr, void *dst, size_t len, char *msg, size_t msglen);
    int (*dram_write)(void *ctx, uint64_t addr, const void *src, size_t len, char *msg,
                      size_t msglen);
    int (*wait)(void *ctx, uint32_t max_ms, int *irq, char *msg, size_t msglen);
    void (*close)(void *ctx);
    void (*note)(void *ctx, char *buf, size_t len);
} dlpd_backend_ops_t;

typedef struct dlpd_backend {
    const char *name;                /* copied; at most 15 characters are kept */
    const dlpd_backend_ops_t *ops;   /* must outlive the device */
    void *ctx;                       /* owned by the device from here on: closed by it */
    uint64_t mem_base, mem_bytes;
} dlpd_backend_t;

/* Opens a device over a back end made by the caller (the built-in ones come through
   dlpd_open). On failure the back end is closed too. */
dlpd_err_t dlpd_open_backend(const dlpd_backend_t *be, dlpd_dev_t **dev, char *msg,
                             size_t msglen);

/* The built-in back ends' constructors (opts: the part of the spec after "NAME:", or ""). */
dlpd_err_t dlpd_backend_cmodel(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen);
dlpd_err_t dlpd_backend_rtl(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen);
dlpd_err_t dlpd_backend_systemc(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen);
dlpd_err_t dlpd_backend_uart(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen);

#ifdef __cplusplus
}
#endif

#endif
