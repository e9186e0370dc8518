#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Opens a GTKWave save file written by make sim WAVES=1 in GTKWave (headless, under xvfb-run),
# from the directory make sim runs in, and checks that GTKWave finds the dump and every signal
# the file names, and that the groups for the MFU/systolic array, the scheduler's queues and
# tokens, the VFU lanes and the DMA are there.
#   verif/sim/check-gtkw.sh FILE.gtkw...       (make gtkwave installs GTKWave and xvfb)
# Prints PASS:/FAIL: lines.
set -uo pipefail
command -v gtkwave >/dev/null && command -v xvfb-run >/dev/null ||
  { echo "FAIL: waves/check: gtkwave or xvfb-run missing (make gtkwave)"; exit 1; }
tcl=$(mktemp --suffix .tcl); out=$(mktemp)
trap 'rm -f "$tcl" "$out"' EXIT
cat >"$tcl" <<'T'
puts "DISPLAYED:"
foreach s [gtkwave::getDisplayedSignals] { puts "SIG: $s" }
gtkwave::/File/Quit
T
for g in "$@"; do
  name=waves/$(basename "$g")
  timeout 120 xvfb-run -a gtkwave -S "$tcl" "$g" >"$out" 2>&1
  shown=$(grep -c '^SIG: ' "$out" || true)
  want=$(grep -vcE '^(@|-|\[|$)' "$g" || true)
  missing=$(grep -vE '^(@|-|\[|$)' "$g" | while read -r s; do
    grep -qxF "SIG: $s" "$out" || echo "$s"; done | head -5)
  groups=$(grep -c -E '^-(MFU systolic array|scheduler: queues and tokens|VFU lanes|DMA)' "$g" || true)
  if ! grep -q '^DISPLAYED:' "$out"; then
    echo "FAIL: $name: GTKWave did not load it: $(grep -m1 -iE 'could not|error' "$out")"
  elif [ -n "$missing" ] || [ "$shown" != "$want" ]; then
    echo "FAIL: $name: GTKWave shows $shown of $want signals; not found: $(echo $missing)"
  elif [ "$groups" -lt 8 ]; then  # each group is opened and closed by a '-' line
    echo "FAIL: $name: a group for the MFU array, the scheduler, the VFU lanes or the DMA is missing"
  else
    echo "PASS: $name: $want signals in $(grep -c '^@800200' "$g") groups, all found by GTKWave"
  fi
done
