/* SPDX-License-Identifier: Apache-2.0 */
// The pin wiring between a Verilated core's AXI ports (dlp_top's m_axi_* and s_axil_*, or any
// top with the same names) and the models of this directory: the AXI DRAM model (axi_dram.h) and
// the AXI4-Lite host (host_axil.h). Written once here for the co-simulation bench
// (verif/sim), the DMA block bench (verif/blocks/dma) and libdlp's rtl back end. Header only:
// the functions are templates over the Verilated top class.
#ifndef DLP_AXI_PINS_H
#define DLP_AXI_PINS_H

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "axi_dram.h"
#include "host_axil.h"

namespace dlp_verif {

// The bytes of a Verilated port: a scalar, or a VlWide word array (ports wider than 64 bits).
template <typename T>
uint8_t *PinBytes(T &v) {
  return reinterpret_cast<uint8_t *>(&v);
}
template <typename T>
const uint8_t *PinBytes(const T &v) {
  return reinterpret_cast<const uint8_t *>(&v);
}
template <std::size_t N>
uint8_t *PinBytes(VlWide<N> &v) {
  return reinterpret_cast<uint8_t *>(v.data());
}
template <std::size_t N>
const uint8_t *PinBytes(const VlWide<N> &v) {
  return reinterpret_cast<const uint8_t *>(v.data());
}

// Drives the DRAM model's outputs (s) into the core's AXI4 master inputs; beat: bytes per beat.
template <typename Top>
void AxiDriveCore(Top *top, const AxiSlaveSignals &s, unsigned beat) {
  top->m_axi_arready_i = s.arready;
  top->m_axi_rvalid_i = s.rvalid;
  std::memcpy(PinBytes(top->m_axi_rdata_i), s.rdata, beat);
  top->m_axi_rresp_i = s.rresp;
  top->m_axi_rlast_i = s.rlast;
  top->m_axi_awready_i = s.awready;
  top->m_axi_wready_i = s.wready;
  top->m_axi_bvalid_i = s.bvalid;
  top->m_axi_bresp_i = s.bresp;
}

// The core's AXI4 master outputs, for the DRAM model's tick (write data and strobes only while
// WVALID is high).
template <typename Top>
AxiMasterSignals AxiSampleCore(const Top *top, unsigned beat) {
  AxiMasterSignals m;
  m.arvalid = top->m_axi_arvalid_o;
  m.araddr = top->m_axi_araddr_o;
  m.arlen = top->m_axi_arlen_o;
  m.arsize = top->m_axi_arsize_o;
  m.arburst = top->m_axi_arburst_o;
  m.rready = top->m_axi_rready_o;
  m.awvalid = top->m_axi_awvalid_o;
  m.awaddr = top->m_axi_awaddr_o;
  m.awlen = top->m_axi_awlen_o;
  m.awsize = top->m_axi_awsize_o;
  m.awburst = top->m_axi_awburst_o;
  m.wvalid = top->m_axi_wvalid_o;
  if (m.wvalid) {
    std::memcpy(m.wdata, PinBytes(top->m_axi_wdata_o), beat);
    const uint8_t *sb = PinBytes(top->m_axi_wstrb_o);
    for (unsigned i = 0; i < beat; i++) m.wstrb[i] = sb[i / 8] >> (i % 8) & 1;
  }
  m.wlast = top->m_axi_wlast_o;
  m.bready = top->m_axi_bready_o;
  return m;
}

}  // namespace dlp_verif

namespace dlpv {

// The AXI4-Lite host's view of the core's CSR slave pins.
template <typename Top>
AxilPins AxilPinsOf(Top *top) {
  return AxilPins{&top->s_axil_awaddr_i, &top->s_axil_awvalid_i, &top->s_axil_awready_o,
                  &top->s_axil_wdata_i,  &top->s_axil_wstrb_i,   &top->s_axil_wvalid_i,
                  &top->s_axil_wready_o, &top->s_axil_bresp_o,   &top->s_axil_bvalid_o,
                  &top->s_axil_bready_i, &top->s_axil_araddr_i,  &top->s_axil_arvalid_i,
                  &top->s_axil_arready_o, &top->s_axil_rdata_o,  &top->s_axil_rresp_o,
                  &top->s_axil_rvalid_o, &top->s_axil_rready_i};
}

}  // namespace dlpv

#endif
