// SPDX-License-Identifier: Apache-2.0
// Host-side AXI4-Lite master; see host_axil.h.
#include "host_axil.h"

#include <cstdio>

namespace dlpv {

void AxilMaster::Drive() {
  *p_.awvalid = state_ == kWrite && !aw_done_;
  *p_.wvalid = state_ == kWrite && !w_done_;
  *p_.awaddr = (uint16_t)(addr_ & 0xfff);
  *p_.wdata = wdata_;
  *p_.wstrb = strb_;
  *p_.bready = state_ == kWaitB;
  *p_.arvalid = state_ == kRead;
  *p_.araddr = (uint16_t)(addr_ & 0xfff);
  *p_.rready = state_ == kWaitR || state_ == kRead;
}

void AxilMaster::Sample() {
  switch (state_) {
    case kWrite:
      if (*p_.awvalid && *p_.awready) aw_done_ = true;
      if (*p_.wvalid && *p_.wready) w_done_ = true;
      if (aw_done_ && w_done_) state_ = kWaitB;
      break;
    case kWaitB:
      if (*p_.bvalid) {
        resp_ = *p_.bresp;
        state_ = kDone;
      }
      break;
    case kRead:
      if (*p_.arready) state_ = kWaitR;
      break;
    case kWaitR:
      if (*p_.rvalid) {
        rdata_ = *p_.rdata;
        resp_ = *p_.rresp;
        state_ = kDone;
      }
      break;
    default:
      break;
  }
}

bool AxilMaster::Run(const char *what, uint32_t addr) {
  for (uint64_t t = 0; t < timeout_; t++) {
    tick_();
    if (state_ == kDone) {
      state_ = kIdle;
      n_++;
      if (resp_ != 0) {
        char b[96];
        snprintf(b, sizeof b, "AXI4-Lite %s of 0x%03x answered %s", what, addr,
                 resp_ == 2 ? "SLVERR" : resp_ == 3 ? "DECERR" : "EXOKAY");
        err_ = b;
        return false;
      }
      return true;
    }
  }
  char b[96];
  snprintf(b, sizeof b, "AXI4-Lite %s of 0x%03x got no response in %llu cycles", what, addr,
           (unsigned long long)timeout_);
  err_ = b;
  state_ = kIdle;
  return false;
}

bool AxilMaster::Write(uint32_t addr, uint32_t data, uint8_t strb) {
  addr_ = addr;
  wdata_ = data;
  strb_ = strb;
  aw_done_ = w_done_ = false;
  state_ = kWrite;
  return Run("write", addr);
}

bool AxilMaster::Read(uint32_t addr, uint32_t *data) {
  addr_ = addr;
  state_ = kRead;
  bool ok = Run("read", addr);
  *data = rdata_;
  return ok;
}

bool AxilMaster::Read64(uint32_t lo_addr, uint64_t *v) {
  uint32_t lo = 0, hi = 0;
  bool ok = Read(lo_addr, &lo) && Read(lo_addr + 4, &hi);
  *v = (uint64_t)hi << 32 | lo;
  return ok;
}

}  // namespace dlpv
