; SPDX-License-Identifier: Apache-2.0
; a cycle limit shorter than the program fetch: the core checks it from the first cycle after
; the fetch, so the run stops there, with TIMEOUT, before any instruction is dispatched
; (docs/timing.md, "Counters when a run stops with an error")
;@ expect TIMEOUT pc=0
;@ cycle_limit 5
;@ nostall
    li r1, 1
    li r2, 2
    li r3, 3
    li r4, 4
    halt
