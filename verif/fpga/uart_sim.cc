// SPDX-License-Identifier: Apache-2.0
// Host-link simulation: the Verilated board top (ulx3s_top with the PLL stand-in) on a simulated
// serial line. The line's other end is a pseudo-terminal, so that libdlp's "uart" back end talks
// to the simulated board exactly as it talks to a real one through /dev/ttyUSB0:
//
//   uart_sim --link build/rel/fpga/sim/tty &      # prints "uart_sim: ready ..." when listening
//   dlprun -d uart:port=build/rel/fpga/sim/tty,baud=1000000,timeout_ms=600000 net.dlpn
//
// Every byte the host writes to the pty is bit-banged into the board's ftdi_txd pin -- start bit,
// eight data bits LSB first, stop bit, each bit held for the bridge's baud divisor (SIM_DIV clock
// cycles) -- and the board's ftdi_rxd pin is decoded the same way, sampled at mid-bit, into bytes
// for the host. Nothing but those two pins connects the host and the board.
//
// Options: --link PATH (a symlink to the pty's slave side), --max-seconds N (stop after N s of
// wall time; default 3600), --corrupt K[,K...] (flip bit 0 of the K-th byte the host sends,
// counting from 1: exercises the bridge's CRC check and the back end's retry), --verbose.
// Stops on SIGTERM/SIGINT and prints cycles and byte counts.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "Vulx3s_top.h"
#include "verilated.h"

#ifndef SIM_DIV
#error "build with -DSIM_DIV=<clock cycles per bit> (fpga/fpga.mk)"
#endif

namespace {

volatile sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

double NowS() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

// Host -> board: one 8N1 frame at a time on ftdi_txd.
class LineTx {
 public:
  void Push(uint8_t b) { q_.push_back(b); }
  bool Busy() const { return left_ != 0 || !q_.empty(); }
  // The pin level for the coming cycle.
  int Step() {
    if (left_ == 0) {
      if (q_.empty()) return 1;
      frame_ = 1u << 9 | unsigned(q_.front()) << 1;  // stop, data, start (LSB first)
      q_.pop_front();
      left_ = 10;
      cnt_ = SIM_DIV;
    }
    int level = frame_ & 1;
    if (--cnt_ == 0) {
      frame_ >>= 1;
      left_--;
      cnt_ = SIM_DIV;
    }
    return level;
  }

 private:
  std::deque<uint8_t> q_;
  unsigned frame_ = 0, left_ = 0, cnt_ = 0;
};

// Board -> host: decodes ftdi_rxd, sampling each bit in its middle.
class LineRx {
 public:
  // Returns true with *b when a frame completed in this cycle.
  bool Step(int level, uint8_t *b) {
    switch (state_) {
      case kIdle:
        if (prev_ == 1 && level == 0) {
          state_ = kStart;
          cnt_ = SIM_DIV / 2;
        }
        break;
      case kStart:
        if (--cnt_ == 0) {
          if (level != 0) {
            state_ = kIdle;  // a glitch
            glitches_++;
          } else {
            state_ = kData;
            cnt_ = SIM_DIV;
            bit_ = 0;
            shift_ = 0;
          }
        }
        break;
      case kData:
        if (--cnt_ == 0) {
          shift_ |= unsigned(level) << bit_;
          cnt_ = SIM_DIV;
          if (++bit_ == 8) state_ = kStop;
        }
        break;
      case kStop:
        if (--cnt_ == 0) {
          state_ = kIdle;
          prev_ = level;
          if (level == 1) {
            *b = uint8_t(shift_);
            return true;
          }
          framing_errors_++;
          return false;
        }
        break;
    }
    prev_ = level;
    return false;
  }
  uint64_t framing_errors() const { return framing_errors_; }
  uint64_t glitches() const { return glitches_; }

 private:
  enum State { kIdle, kStart, kData, kStop };
  State state_ = kIdle;
  int prev_ = 1;
  unsigned cnt_ = 0, bit_ = 0, shift_ = 0;
  uint64_t framing_errors_ = 0, glitches_ = 0;
};

void Usage() {
  std::fprintf(stderr,
               "usage: uart_sim --link PATH [--max-seconds N] [--corrupt K[,K...]] [--verbose]\n");
}

}  // namespace

int main(int argc, char **argv) {
  std::string link;
  double max_s = 3600;
  bool verbose = false;
  std::set<uint64_t> corrupt;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--link" && i + 1 < argc) {
      link = argv[++i];
    } else if (a == "--max-seconds" && i + 1 < argc) {
      max_s = std::atof(argv[++i]);
    } else if (a == "--corrupt" && i + 1 < argc) {
      std::string s = argv[++i];
      for (size_t p = 0; p < s.size();) {
        size_t q = s.find(',', p);
        corrupt.insert(std::strtoull(s.substr(p, q - p).c_str(), nullptr, 0));
        p = q == std::string::npos ? s.size() : q + 1;
      }
    } else if (a == "--verbose") {
      verbose = true;
    } else {
      Usage();
      return 2;
    }
  }
  if (link.empty()) {
    Usage();
    return 2;
  }

  // the pty: the master is the simulated line's far end, the slave is the host's "serial port"
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) || unlockpt(master)) {
    std::perror("uart_sim: pty");
    return 1;
  }
  const char *slave_name = ptsname(master);
  // Keeping a slave descriptor open means the master never reads EIO between two host
  // sessions; raw mode so that no byte is translated before the host sets its own mode.
  int slave = open(slave_name, O_RDWR | O_NOCTTY);
  termios tio;
  if (slave < 0 || tcgetattr(slave, &tio)) {
    std::perror("uart_sim: pty slave");
    return 1;
  }
  cfmakeraw(&tio);
  tcsetattr(slave, TCSANOW, &tio);
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  unlink(link.c_str());
  if (symlink(slave_name, link.c_str())) {
    std::fprintf(stderr, "uart_sim: cannot link %s -> %s: %s\n", link.c_str(), slave_name,
                 std::strerror(errno));
    return 1;
  }
  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);

  VerilatedContext ctx;
  ctx.commandArgs(argc, argv);
  Vulx3s_top top(&ctx, "ulx3s_top");
  top.btn_fire1 = 0;
  top.ftdi_txd = 1;
  std::printf("uart_sim: ready, %s -> %s, %d clock cycles per bit\n", link.c_str(), slave_name,
              SIM_DIV);
  std::fflush(stdout);

  LineTx tx;
  LineRx rx;
  std::vector<uint8_t> out;  // decoded bytes not yet written to the pty
  uint64_t cycle = 0, n_in = 0, n_out = 0;
  double t0 = NowS();
  while (!g_stop) {
    top.ftdi_txd = tx.Step();
    top.clk_25mhz = 0;
    top.eval();
    top.clk_25mhz = 1;
    top.eval();
    cycle++;
    uint8_t b;
    if (rx.Step(top.ftdi_rxd, &b)) out.push_back(b);
    if ((cycle & 63) == 0) {
      if (!out.empty()) {
        ssize_t k = write(master, out.data(), out.size());
        if (k > 0) {
          n_out += uint64_t(k);
          out.erase(out.begin(), out.begin() + k);
        }
      }
      if (!tx.Busy()) {
        uint8_t buf[4096];
        ssize_t k = read(master, buf, sizeof buf);
        for (ssize_t i = 0; i < k; i++) {
          uint8_t c = buf[i];
          if (corrupt.count(++n_in)) {
            c ^= 1;
            if (verbose) std::fprintf(stderr, "uart_sim: corrupted host byte %llu\n",
                                      (unsigned long long)n_in);
          }
          tx.Push(c);
        }
      }
      if ((cycle & 0xfffff) == 0 && NowS() - t0 > max_s) {
        std::fprintf(stderr, "uart_sim: --max-seconds %.0f reached\n", max_s);
        break;
      }
    }
  }
  top.final();
  double dt = NowS() - t0;
  std::printf("uart_sim: %llu cycles in %.1f s (%.0f cycles/s), %llu bytes from the host, %llu to "
              "it, %llu framing errors\n",
              (unsigned long long)cycle, dt, dt > 0 ? cycle / dt : 0.0, (unsigned long long)n_in,
              (unsigned long long)n_out, (unsigned long long)rx.framing_errors());
  unlink(link.c_str());
  close(slave);
  close(master);
  return 0;
}
