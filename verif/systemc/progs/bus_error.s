; SPDX-License-Identifier: Apache-2.0
; a DMA load from beyond the platform's 16 MiB memory, inside the window (all 4 GiB): the memory
; answers with TLM_ADDRESS_ERROR_RESPONSE, the DLP stops with BUS_ERROR; the front end waits in
; halt (pc 3) when the error response arrives, and ERR_INFO is 0, as in the RTL (dlp_top.sv)
    li r1, 0x100
    li r2, 0x1000000
    dma nram[r1], dram[r2], 64
    halt
