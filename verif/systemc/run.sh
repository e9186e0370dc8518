#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The SystemC suite of make test: the virtual platform (verif/systemc/, docs/systemc.md) against
# the C model and against the RTL-checked expectations.
#   run.sh BUILD_DIR
#   - every register through the TLM socket, TLM error responses (dlp_vp csr);
#   - error programs of verif/common/progs (their ';@ expect' lines are what make sim checks the
#     RTL against): cause, pc, info and the interrupt, and a BUS_ERROR from the memory;
#   - every firmware case (firmware/*/cases) on the platform: outputs vs the independent
#     references (firmware-tests.sh), registers, cycles and all of DRAM vs the C model;
#   - the four sw/nets networks layer by layer vs the C model, at two memory latencies and two
#     quanta; two of them at once on two DLPs sharing the memory; dlprun -d systemc.
# Prints "PASS: systemc/..." / "FAIL: systemc/..." lines.
set -uo pipefail
build=$1
vp=$build/systemc/dlp_vp
work=$build/systemc/work
mkdir -p "$work"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
tag() { sed -u -n 's/^\(PASS\|FAIL\): /\1: systemc\//p'; }

"$vp" csr 2>&1 | tag

# error programs: numeric ';@ expect CAUSE pc=N info=N', prog_addr, window
for t in err_opcode_undef err_opcode_zero err_reserved_bits err_window_load err_window_store \
         err_window_below err_window_fetch; do
  src=verif/common/progs/$t.s
  if ! "$build/dlpasm" -o "$work/$t.dlpb" "$src" >"$work/$t.asm.log" 2>&1; then
    echo "FAIL: systemc/err/$t: assembly failed"; continue; fi
  exp=$(sed -n 's/^;@ expect \([A-Z_]*\) pc=\([0-9a-fx]*\) info=\([0-9a-fx]*\).*/\1:\2:\3/p' "$src")
  args=(--expect "$exp")
  pa=$(sed -n 's/^;@ prog_addr \([0-9a-fx]*\)$/\1/p' "$src"); [ -n "$pa" ] && args+=(--prog-addr "$pa")
  win=$(sed -n 's/^;@ window \([0-9a-fx]*\) \([0-9a-fx]*\)$/\1:\2/p' "$src"); [ -n "$win" ] && args+=(--window "$win")
  "$vp" prog "${args[@]}" "$work/$t.dlpb" 2>&1 | sed "s#prog/$work/$t.dlpb#err/$t#" | tag
done
if "$build/dlpasm" -o "$work/bus_error.dlpb" verif/systemc/progs/bus_error.s >/dev/null 2>&1; then
  # the C model alone has its DRAM inside (no bus to answer an error): no comparison here
  "$vp" prog --mem-mib 16 --window 0:0x100000000 --no-model --expect BUS_ERROR:3:0 "$work/bus_error.dlpb" 2>&1 |
    sed "s#prog/$work/bus_error.dlpb#err/bus_error#" | tag
else
  echo "FAIL: systemc/err/bus_error: assembly failed"
fi

# firmware cases on the platform
FW_SIM="$vp prog" FW_WORK=$work/fw verif/scripts/firmware-tests.sh "$build" 2>&1 | tag

# networks
nets=(adder4 mlp lenet5 rescnn)
for n in "${nets[@]}"; do
  if ! "$build/dlpcc" "sw/nets/$n/$n.txt" -w "sw/nets/$n/$n.dlpw" -o "$work/$n.dlpn" >"$work/$n.cc.log" 2>&1; then
    echo "FAIL: systemc/net/$n: dlpcc failed (see $work/$n.cc.log)"; continue; fi
  "$vp" net "$work/$n.dlpn" 2>&1 | sed "s#net/$work/#net/#" | tag
done
# results and cycles never depend on the memory's latency or the quantum
"$vp" net --latency-ns 250 --quantum-ns 0 "$work/lenet5.dlpn" 2>&1 |
  sed "s#net/$work/lenet5.dlpn#net/lenet5.dlpn (memory latency 250 ns, quantum 0)#" | tag
# two DLPs sharing the memory, each with its own network in its own half
if "$build/dlpcc" sw/nets/mlp/mlp.txt -w sw/nets/mlp/mlp.dlpw --base 0x2000000 -o "$work/mlp-hi.dlpn" \
     >"$work/mlp-hi.cc.log" 2>&1; then
  "$vp" net "$work/lenet5.dlpn" "$work/mlp-hi.dlpn" 2>&1 | sed "s#net/$work/#net/#" | tag
else
  echo "FAIL: systemc/net/two: dlpcc --base failed"
fi
# libdlp's systemc back end (the shared library) through dlprun: the same bits and cycles as cmodel
for n in lenet5 rescnn; do
  for d in cmodel systemc; do
    "$build/dlprun" -d "$d" --random-input 3 -k 0 --no-progress -o "$work/$n.$d.out" "$work/$n.dlpn" \
      >"$work/$n.$d.log" 2>&1 || echo "dlprun -d $d failed" >>"$work/$n.$d.log"
  done
  a=$(grep '^total:' "$work/$n.cmodel.log"); b=$(grep '^total:' "$work/$n.systemc.log")
  if grep -q 'Warning\|Error' "$work/$n.systemc.log"; then
    echo "FAIL: systemc/dlprun/$n: SystemC reported: $(grep -m1 'Warning\|Error' "$work/$n.systemc.log")"
  elif [ -n "$a" ] && [ "$a" = "$b" ] && cmp -s "$work/$n.cmodel.out" "$work/$n.systemc.out"; then
    echo "PASS: systemc/dlprun/$n: dlprun -d systemc output and '$b' equal the cmodel's"
  else
    echo "FAIL: systemc/dlprun/$n: dlprun -d systemc differs from -d cmodel ('$b' vs '$a'; logs $work/$n.*.log)"
  fi
done
