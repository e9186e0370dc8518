#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Host link in simulation: libdlp's "uart" back end drives the Verilated board top through a
# pseudo-terminal, bit by bit on the simulated serial pins (verif/fpga/uart_sim.cc). Firmware
# programs (fwrun) and compiled networks (dlprun --compare=cmodel) must give the C model's bits.
#
#   verif/fpga/run-uart.sh BUILD BOARD...        (make fpga-sim builds what it needs)
#
# One PASS:/FAIL: line per check, then "N passed, M failed"; exit status 1 if any failed.
# Per board: FPGA_UART_FW (firmware cases, PROG/CASE) and FPGA_UART_NETS (networks) below;
# the cases run with the board's memory sizes given to their generators.
set -uo pipefail
build=${1:?usage: run-uart.sh BUILD BOARD...}
# the core configurations the board files name (sw/isa/dlp.configs)
# shellcheck source=rtl/dlp_configs.sh
. rtl/dlp_configs.sh
shift
pass=0
fail=0
say() {
  echo "$1"
  case "$1" in PASS:*) pass=$((pass + 1)) ;; *) fail=$((fail + 1)) ;; esac
}

# what each board runs (keep the simulation short: every byte costs 10 bit times on the line)
declare -A FW NETS
FW[ulx3s]="gemm/odd conv3x3/odd_s2 pool/avg3_same residual_add/odd_relu fc_relu/batch1"
NETS[ulx3s]="adder4 lenet5"
FW[ulx3s-45f]="gemm/odd conv3x3/small_s1 pool/max2_valid residual_add/odd_relu"
NETS[ulx3s-45f]="adder4 rescnn"

sim_pid=
stop_sim() {
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null
    wait "$sim_pid" 2>/dev/null
    sim_pid=
  fi
}
trap stop_sim EXIT

# start_sim BOARD WORK [uart_sim options]: the simulated board on WORK/tty
start_sim() {
  local b=$1 work=$2
  shift 2
  rm -f "$work/tty" "$work/uart_sim.log"
  "$build/fpga/sim/uart_sim_$b" --link "$work/tty" --max-seconds 3000 "$@" >"$work/uart_sim.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 1 300); do
    grep -q "uart_sim: ready" "$work/uart_sim.log" 2>/dev/null && [ -e "$work/tty" ] && return 0
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
  done
  return 1
}

# run_fw BOARD WORK SPEC PROG/CASE: generator, assembler, fwrun against the C model
run_fw() {
  local b=$1 work=$2 spec=$3 pc=$4 prog case args line
  prog=${pc%%/*}
  case=${pc#*/}
  line=$(awk -v c="$case" '$1 == c { $1 = ""; $2 = ""; print; exit }' "firmware/$prog/cases")
  if [ -z "$line" ]; then say "FAIL: fpga-uart/$b/fw/$pc: no such case in firmware/$prog/cases"; return; fi
  # the memories the generator tiles for: pool and residual_add take NRAM only
  local mem=($((NRAM / 1024)) $((WRAM / 1024)) $((ACC / 1024)))
  case "$prog" in pool | residual_add) mem=("${mem[0]}") ;; esac
  # shellcheck disable=SC2206
  args=($line "${mem[@]}")
  local dir=$work/fw-$prog-$case
  rm -rf "$dir"
  mkdir -p "$dir"
  if ! "$build/fw/$prog-gen" "$dir" "${args[@]}" >"$dir/gen.log" 2>&1; then
    say "FAIL: fpga-uart/$b/fw/$pc: generator: $(tail -1 "$dir/gen.log")"; return; fi
  if ! "$build/dlpasm" -I "$dir" -o "$dir/prog.dlpb" "firmware/$prog/$prog.s" >"$dir/asm.log" 2>&1; then
    say "FAIL: fpga-uart/$b/fw/$pc: assembler: $(head -2 "$dir/asm.log" | tr '\n' ' ')"; return; fi
  local out
  out=$("$build/fpga/fwrun" -d "$spec" --label "fpga-uart/$b/fw/$pc" --timeout 1800 "$dir" \
        "$dir/prog.dlpb" 2>&1 | tail -n 1)
  [[ $out == PASS:* || $out == FAIL:* ]] || out="FAIL: fpga-uart/$b/fw/$pc: $out"
  say "$out"
}

# run_net BOARD WORK SPEC NET: dlpcc for the board, dlprun on the board against the C model
run_net() {
  local b=$1 work=$2 spec=$3 net=$4 id="fpga-uart/$b/net/$4"
  local pkg=$work/$net.dlpn
  if ! "$build/dlpcc" "sw/nets/$net/$net.txt" -w "sw/nets/$net/$net.dlpw" -o "$pkg" \
       --config "$CONFIG" --base "$DRAM_BASE" \
       >"$work/$net.cc.log" 2>&1; then
    say "FAIL: $id: dlpcc: $(tail -1 "$work/$net.cc.log")"; return; fi
  if "$build/dlprun" -d "$spec" --compare=cmodel --random-input 7 -k 0 --no-progress \
       --timeout 1800 "$pkg" >"$work/$net.run.log" 2>&1; then
    say "PASS: $id every layer's output and the DRAM region equal the C model's ($(grep -m1 '^total:' "$work/$net.run.log" | cut -c8-))"
  else
    say "FAIL: $id: $(grep -v '^$' "$work/$net.run.log" | tail -n 2 | tr '\n' ' ')"
  fi
}

for b in "$@"; do
  cfg=fpga/boards/$b.cfg
  if [ ! -f "$cfg" ] || [ ! -x "$build/fpga/sim/uart_sim_$b" ]; then
    say "FAIL: fpga-uart/$b: no board configuration or simulation binary"; continue; fi
  # shellcheck disable=SC1090
  source "$cfg"
  dlp_config "$CONFIG" || { say "FAIL: fpga-uart/$b: unknown configuration '$CONFIG'"; continue; }
  work=$build/fpga/sim/$b
  mkdir -p "$work"
  # the simulated board runs far slower than a real one: generous answer times, and a
  # resynchronisation pause longer than the bridge's 20 ms of (simulated) silence
  spec="uart:port=$work/tty,baud=1000000,timeout_ms=600000,quiet_ms=3000"
  if ! start_sim "$b" "$work"; then
    say "FAIL: fpga-uart/$b: the simulation did not start: $(tail -3 "$work/uart_sim.log" | tr '\n' ' ')"
    stop_sim; continue
  fi
  for pc in ${FW[$b]:-}; do run_fw "$b" "$work" "$spec" "$pc"; done
  stop_sim
  echo "  ($b firmware: $(grep 'cycles in' "$work/uart_sim.log"))"
  # Each network on a freshly started board: dlprun --compare also compares the parts of the
  # package's DRAM region that no layer writes, which a board keeps from earlier runs.
  for net in ${NETS[$b]:-}; do
    if start_sim "$b" "$work"; then
      run_net "$b" "$work" "$spec" "$net"
      stop_sim
      echo "  ($b $net: $(grep 'cycles in' "$work/uart_sim.log"))"
    else
      say "FAIL: fpga-uart/$b/net/$net: the simulation did not start"
    fi
  done

  # a corrupted request (bit flips on the line) must be caught by the bridge's CRC and
  # repeated by the back end, with the same result
  if start_sim "$b" "$work" --corrupt 40,2000,2600 --verbose; then
    run_fw "$b" "$work" "$spec,retries=3" "gemm/odd"
    stop_sim
    n=$(grep -c "corrupted host byte" "$work/uart_sim.log")
    if [ "$n" -ge 1 ]; then say "PASS: fpga-uart/$b/crc-retry $n corrupted bytes caught and resent"
    else say "FAIL: fpga-uart/$b/crc-retry: no byte was corrupted (the test did not exercise the retry)"; fi
  else
    say "FAIL: fpga-uart/$b/crc-retry: the simulation did not start"
  fi
done


echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
