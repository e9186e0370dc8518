/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdlp back end "uart": an OpenDLP core on an FPGA board, reached over a serial line through
 * the board's UART bridge (fpga/rtl/dlp_uart_bridge.sv; the protocol is docs/fpga.md's "host
 * link"). The six back-end operations become bridge requests: CSR_RD/CSR_WR for registers,
 * MEM_RD/MEM_WR for DRAM (in chunks), WAIT for the interrupt line.
 *
 *   uart:port=/dev/ttyUSB0[,baud=1000000][,timeout_ms=2000][,retries=3][,quiet_ms=50]
 *
 * port      the serial device (on a ULX3S, the FT231X: /dev/ttyUSB0 on Linux). A pty works
 *           too: the host-link simulation (verif/fpga/) connects the Verilated board that way.
 * baud      must equal the bitstream's (fpga/fpga.mk BAUD, default 1000000); standard rates
 *           up to 3000000.
 * timeout_ms  how long an answer may take beyond the time its bytes need on the line.
 * retries   how often a request that got no valid answer is sent again. Every request is
 *           idempotent except a write to CTRL (a repeated start could start a second run), which
 *           is never repeated.
 * quiet_ms  after a bad answer the host waits this long (longer than the bridge's
 *           RxTimeoutMs, 20 ms) and drops what arrived, so that both ends are back at a frame
 *           boundary before the retry.
 *
 * Device memory is the board's DRAM, [base, base + bytes) as the bridge's INFO answer reports it.
 */
#define _DEFAULT_SOURCE /* cfmakeraw, the B* rates above 38400 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* ---- the protocol (dlp_uart_bridge.sv) ------------------------------------------------------------ */

enum {
    SYNC_REQ = 0x5a,
    SYNC_RESP = 0xa5,
    CMD_INFO = 0x00,
    CMD_CSR_RD = 0x01,
    CMD_CSR_WR = 0x02,
    CMD_MEM_RD = 0x03,
    CMD_MEM_WR = 0x04,
    CMD_WAIT = 0x05,
    ST_OK = 0,
    ST_BAD_CRC = 1,
    ST_BAD_CMD = 2,
    ST_RANGE = 3,
    ST_BUS = 4,
};

#define BRIDGE_MAGIC 0x55504c44u /* "DLPU" */
#define BRIDGE_VERSION 1
#define CHUNK 4096u               /* DRAM bytes per MEM_RD/MEM_WR request */
#define WAIT_MAX_MS 60000u

static uint8_t crc8(uint8_t crc, const uint8_t *p, size_t n)
{
    while (n--) {
        crc ^= *p++;
        for (int i = 0; i < 8; i++)
            crc = (uint8_t)(crc & 0x80 ? (crc << 1) ^ 0x07 : crc << 1);
    }
    return crc;
}

static const char *status_name(int st)
{
    switch (st) {
    case ST_OK: return "OK";
    case ST_BAD_CRC: return "BAD_CRC (the bridge received a corrupted request)";
    case ST_BAD_CMD: return "BAD_CMD (the bridge does not know the command)";
    case ST_RANGE: return "RANGE (outside the board's DRAM)";
    case ST_BUS: return "BUS (the core's register slave answered with an error)";
    default: return "an unknown status";
    }
}

/* ---- the serial line -------------------------------------------------------------------------------- */

typedef struct uart {
    int fd;
    char port[256];
    uint32_t baud, timeout_ms, retries, quiet_ms;
    uint32_t dram_base, dram_bytes, clk_hz, board_baud;
    uint64_t requests, retried;
} uart_t;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static speed_t speed_of(uint32_t baud)
{
    static const struct {
        uint32_t baud;
        speed_t code;
    } rates[] = {
        {9600, B9600},       {19200, B19200},     {38400, B38400},     {57600, B57600},
        {115200, B115200},   {230400, B230400},   {460800, B460800},   {500000, B500000},
        {576000, B576000},   {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
        {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000},
    };
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
        if (rates[i].baud == baud)
            return rates[i].code;
    return 0;
}

/* ms the line needs for n bytes (10 bits each), rounded up, at least 1 */
static uint64_t line_ms(const uart_t *u, uint64_t n)
{
    return (n * 10u * 1000u + u->baud - 1) / u->baud + 1;
}

static int write_all(uart_t *u, const uint8_t *p, size_t n, char *msg, size_t msglen)
{
    while (n) {
        ssize_t k = write(u->fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && errno == EAGAIN) {
            struct pollfd pf = {u->fd, POLLOUT, 0};
            poll(&pf, 1, 100);
            continue;
        }
        if (k <= 0) {
            dlpd_fmt(msg, msglen, "%s: write failed: %s", u->port, strerror(errno));
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Reads exactly n bytes before the deadline. 0, -1 (timeout: msg says so), -2 (I/O error). */
static int read_all(uart_t *u, uint8_t *p, size_t n, uint64_t deadline, char *msg, size_t msglen)
{
    while (n) {
        uint64_t now = now_ms();
        if (now >= deadline) {
            dlpd_fmt(msg, msglen, "%s: no answer from the board (timed out)", u->port);
            return -1;
        }
        struct pollfd pf = {u->fd, POLLIN, 0};
        int r = poll(&pf, 1, (int)(deadline - now > 1000 ? 1000 : deadline - now));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            dlpd_fmt(msg, msglen, "%s: poll failed: %s", u->port, strerror(errno));
            return -2;
        }
        if (r == 0)
            continue;
        ssize_t k = read(u->fd, p, n);
        if (k < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (k <= 0) {
            dlpd_fmt(msg, msglen, "%s: read failed: %s", u->port,
                     k == 0 ? "end of file" : strerror(errno));
            return -2;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Drops whatever the line holds once it has been quiet for quiet_ms (both ends resynchronise). */
static void resync(uart_t *u)
{
    uint8_t junk[256];
    uint64_t quiet_since = now_ms();
    while (now_ms() - quiet_since < u->quiet_ms) {
        struct pollfd pf = {u->fd, POLLIN, 0};
        if (poll(&pf, 1, (int)u->quiet_ms) > 0 && read(u->fd, junk, sizeof junk) > 0)
            quiet_since = now_ms();
    }
    tcflush(u->fd, TCIFLUSH);
}

/*
 * One request and its answer. args/data form the request after CMD; the answer's payload
 * (pay_len bytes when the status is OK) goes to pay. extra_ms: time the board may take before
 * it answers (WAIT). *status = the bridge's status. 0, or -1 with msg (after the retries).
 */
static int transact(uart_t *u, uint8_t cmd, const uint8_t *args, size_t nargs, const uint8_t *data,
                    size_t ndata, uint8_t *pay, size_t pay_len, uint64_t extra_ms, int retry_ok,
                    int *status, char *msg, size_t msglen)
{
    uint8_t hdr[8], crc;
    int tries = 1 + (retry_ok ? (int)u->retries : 0);
    hdr[0] = SYNC_REQ;
    hdr[1] = cmd;
    if (nargs)
        memcpy(hdr + 2, args, nargs);
    crc = crc8(0, hdr + 1, 1 + nargs);
    crc = crc8(crc, data, ndata);
    u->requests++;
    for (int t = 0; t < tries; t++) {
        uint8_t r[3], c;
        uint64_t deadline;
        int rc;
        if (t) {
            u->retried++;
            resync(u);
        }
        if (write_all(u, hdr, 2 + nargs, msg, msglen) || write_all(u, data, ndata, msg, msglen) ||
            write_all(u, &crc, 1, msg, msglen))
            return -1;
        deadline = now_ms() + line_ms(u, 3 + nargs + ndata + 4 + pay_len) + extra_ms +
                   u->timeout_ms;
        /* the answer: sync, cmd, status; anything before the sync byte is noise */
        do {
            rc = read_all(u, r, 1, deadline, msg, msglen);
        } while (!rc && r[0] != SYNC_RESP);
        if (!rc)
            rc = read_all(u, r + 1, 2, deadline, msg, msglen);
        if (rc == -2)
            return -1;
        if (rc)
            continue;
        if (r[1] != cmd) {
            dlpd_fmt(msg, msglen, "%s: the board answered command 0x%02x to 0x%02x", u->port, r[1],
                     cmd);
            continue;
        }
        size_t n = r[2] == ST_OK ? pay_len : 0;
        rc = read_all(u, pay, n, deadline, msg, msglen);
        if (!rc)
            rc = read_all(u, &c, 1, deadline, msg, msglen);
        if (rc == -2)
            return -1;
        if (rc)
            continue;
        if (c != crc8(crc8(0, r + 1, 2), pay, n)) {
            dlpd_fmt(msg, msglen, "%s: corrupted answer (CRC) to command 0x%02x", u->port, cmd);
            continue;
        }
        if (r[2] == ST_BAD_CRC) {
            dlpd_fmt(msg, msglen, "%s: the board received a corrupted request", u->port);
            continue;
        }
        *status = r[2];
        return 0;
    }
    if (tries > 1) {
        size_t l = strlen(msg);
        if (msglen > l)
            dlpd_fmt(msg + l, msglen - l, " (%d tries)", tries);
    } else if (!retry_ok) {
        size_t l = strlen(msg);
        if (msglen > l)
            dlpd_fmt(msg + l, msglen - l, " (not repeated: a repeated CTRL write could start a "
                                          "second run)");
    }
    return -1;
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int check_status(uart_t *u, int st, const char *what, char *msg, size_t msglen)
{
    if (st == ST_OK)
        return 0;
    dlpd_fmt(msg, msglen, "%s: %s: the bridge answered %s", u->port, what, status_name(st));
    return -1;
}

/* ---- the operations ------------------------------------------------------------------------------------ */

static int ua_csr_read(void *ctx, uint32_t off, uint32_t *val, char *msg, size_t msglen)
{
    uart_t *u = ctx;
    uint8_t a[2], p[4];
    int st = 0;
    put16(a, off);
    if (transact(u, CMD_CSR_RD, a, 2, NULL, 0, p, 4, 0, 1, &st, msg, msglen) ||
        check_status(u, st, "CSR read", msg, msglen))
        return -1;
    *val = get32(p);
    return 0;
}

static int ua_csr_write(void *ctx, uint32_t off, uint32_t val, char *msg, size_t msglen)
{
    uart_t *u = ctx;
    uint8_t a[6];
    int st = 0;
    put16(a, off);
    put32(a + 2, val);
    if (transact(u, CMD_CSR_WR, a, 6, NULL, 0, NULL, 0, 0, off != DLP_CSR_CTRL, &st, msg,
                 msglen))
        return -1;
    return check_status(u, st, "CSR write", msg, msglen);
}

static int range_ok(uart_t *u, uint64_t addr, size_t len, char *msg, size_t msglen)
{
    if (addr < u->dram_base || addr - u->dram_base > u->dram_bytes ||
        len > u->dram_bytes - (addr - u->dram_base)) {
        dlpd_fmt(msg, msglen, "%s: [0x%llx, +%zu) is outside the board's DRAM [0x%x, 0x%llx)",
                 u->port, (unsigned long long)addr, len, u->dram_base,
                 (unsigned long long)u->dram_base + u->dram_bytes);
        return -1;
    }
    return 0;
}

/* DRAM reads (dst) or writes (src) in CHUNK-byte commands, each checked for its status. */
static int ua_dram_xfer(uart_t *u, uint64_t addr, uint8_t *dst, const uint8_t *src, size_t len,
                        char *msg, size_t msglen)
{
    if (range_ok(u, addr, len, msg, msglen))
        return -1;
    while (len) {
        uint32_t n = len > CHUNK ? CHUNK : (uint32_t)len;
        uint8_t a[6];
        int st = 0;
        put32(a, (uint32_t)addr);
        put16(a + 4, n - 1);
        if (transact(u, dst ? CMD_MEM_RD : CMD_MEM_WR, a, 6, dst ? NULL : src, dst ? 0 : n, dst,
                     dst ? n : 0, 0, 1, &st, msg, msglen) ||
            check_status(u, st, dst ? "DRAM read" : "DRAM write", msg, msglen))
            return -1;
        addr += n;
        if (dst)
            dst += n;
        else
            src += n;
        len -= n;
    }
    return 0;
}

static int ua_dram_read(void *ctx, uint64_t addr, void *dst, size_t len, char *msg, size_t msglen)
{
    return ua_dram_xfer(ctx, addr, dst, NULL, len, msg, msglen);
}

static int ua_dram_write(void *ctx, uint64_t addr, const void *src, size_t len, char *msg,
                         size_t msglen)
{
    return ua_dram_xfer(ctx, addr, NULL, src, len, msg, msglen);
}

static int ua_wait(void *ctx, uint32_t max_ms, int *irq, char *msg, size_t msglen)
{
    uart_t *u = ctx;
    uint8_t a[2], p[1];
    int st = 0;
    if (max_ms > WAIT_MAX_MS)
        max_ms = WAIT_MAX_MS;
    put16(a, max_ms);
    if (transact(u, CMD_WAIT, a, 2, NULL, 0, p, 1, max_ms, 1, &st, msg, msglen) ||
        check_status(u, st, "wait", msg, msglen))
        return -1;
    *irq = p[0] & 1;
    return 0;
}

static void ua_note(void *ctx, char *buf, size_t len)
{
    uart_t *u = ctx;
    if (u->retried)
        dlpd_fmt(buf, len, "%llu of %llu link requests were repeated",
                 (unsigned long long)u->retried, (unsigned long long)u->requests);
    else if (len)
        buf[0] = 0;
}

static void ua_close(void *ctx)
{
    uart_t *u = ctx;
    if (!u)
        return;
    if (u->fd >= 0)
        close(u->fd);
    free(u);
}

static const dlpd_backend_ops_t ua_ops = {
    ua_csr_read, ua_csr_write, ua_dram_read, ua_dram_write, ua_wait, ua_close, ua_note,
};

/* ---- opening -------------------------------------------------------------------------------------------- */

static int opt(void *ctx, const char *key, const char *value, char *msg, size_t msglen)
{
    uart_t *u = ctx;
    uint64_t v;
    if (!strcmp(key, "port")) {
        if (!*value || strlen(value) >= sizeof u->port) {
            dlpd_fmt(msg, msglen, "port: want a serial device path, e.g. port=/dev/ttyUSB0");
            return -1;
        }
        strcpy(u->port, value);
        return 0;
    }
    if (dlpd_parse_u64(value, &v)) {
        dlpd_fmt(msg, msglen, "%s: '%s' is not a number", key, value);
        return -1;
    }
    if (!strcmp(key, "baud") && speed_of((uint32_t)v) && v <= 3000000) {
        u->baud = (uint32_t)v;
    } else if (!strcmp(key, "timeout_ms") && v >= 1 && v <= 3600000) {
        u->timeout_ms = (uint32_t)v;
    } else if (!strcmp(key, "retries") && v <= 100) {
        u->retries = (uint32_t)v;
    } else if (!strcmp(key, "quiet_ms") && v >= 1 && v <= 600000) {
        u->quiet_ms = (uint32_t)v;
    } else {
        dlpd_fmt(msg, msglen,
                 "unknown option or value out of range: %s=%s (port, baud: a standard rate up "
                 "to 3000000, timeout_ms 1..3600000, retries 0..100, quiet_ms 1..600000)",
                 key, value);
        return -1;
    }
    return 0;
}

dlpd_err_t dlpd_backend_uart(const char *opts, dlpd_backend_t *be, char *msg, size_t msglen)
{
    uart_t *u = calloc(1, sizeof *u);
    struct termios tio;
    uint8_t info[21];
    int st = 0;
    if (!u) {
        dlpd_fmt(msg, msglen, "out of memory");
        return DLPD_E_NOMEM;
    }
    u->fd = -1;
    u->baud = 1000000;
    u->timeout_ms = 2000;
    u->retries = 3;
    u->quiet_ms = 50;
    if (dlpd_parse_opts(opts, opt, u, msg, msglen)) {
        free(u);
        return DLPD_E_BACKEND;
    }
    if (!u->port[0]) {
        free(u);
        dlpd_fmt(msg, msglen, "no serial port given: uart:port=/dev/ttyUSB0[,baud=1000000]");
        return DLPD_E_BACKEND;
    }
    u->fd = open(u->port, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (u->fd < 0) {
        dlpd_fmt(msg, msglen, "cannot open %s: %s", u->port, strerror(errno));
        free(u);
        return DLPD_E_UNAVAILABLE;
    }
    /* raw 8N1, no flow control (the FT231X's handshake lines are not wired to the FPGA) */
    if (tcgetattr(u->fd, &tio)) {
        dlpd_fmt(msg, msglen, "%s is not a serial line: %s", u->port, strerror(errno));
        ua_close(u);
        return DLPD_E_UNAVAILABLE;
    }
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~(tcflag_t)(CSTOPB | CRTSCTS);
    tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    if (cfsetispeed(&tio, speed_of(u->baud)) || cfsetospeed(&tio, speed_of(u->baud)) ||
        tcsetattr(u->fd, TCSANOW, &tio)) {
        dlpd_fmt(msg, msglen, "%s: cannot set %u baud, 8N1, raw: %s", u->port, u->baud,
                 strerror(errno));
        ua_close(u);
        return DLPD_E_UNAVAILABLE;
    }
    /* a fresh start: whatever a previous user left half-sent is dropped on both ends */
    resync(u);
    if (transact(u, CMD_INFO, NULL, 0, NULL, 0, info, sizeof info, 0, 1, &st, msg, msglen)) {
        size_t l = strlen(msg);
        if (msglen > l)
            dlpd_fmt(msg + l, msglen - l,
                     "; is the OpenDLP bitstream loaded and the baud rate %u the bitstream's?",
                     u->baud);
        ua_close(u);
        return DLPD_E_UNAVAILABLE;
    }
    if (st != ST_OK || get32(info) != BRIDGE_MAGIC || info[4] != BRIDGE_VERSION) {
        dlpd_fmt(msg, msglen,
                 "%s: the device answers, but not as an OpenDLP UART bridge version %d "
                 "(status %d, magic 0x%08x, version %u)",
                 u->port, BRIDGE_VERSION, st, get32(info), info[4]);
        ua_close(u);
        return DLPD_E_DEVICE;
    }
    u->dram_base = get32(info + 5);
    u->dram_bytes = get32(info + 9);
    u->clk_hz = get32(info + 13);
    u->board_baud = get32(info + 17);
    be->name = "uart";
    be->ops = &ua_ops;
    be->ctx = u;
    be->mem_base = u->dram_base;
    be->mem_bytes = u->dram_bytes;
    return DLPD_OK;
}
