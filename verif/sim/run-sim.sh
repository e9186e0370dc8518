#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the co-simulation binary of each shape and ends with one line "N passed, N failed".
#   run-sim.sh SIM_DIR "SHAPES" SUFFIX ARGS...
# Shapes run two at a time (the machine has two cores); each shape's output is printed when it
# is done (logs in SIM_DIR/log_<shape>.txt). "--waves WAVES" in ARGS becomes a per-shape path.
set -uo pipefail
dir=$1; shapes=$2; suffix=$3; shift 3
args=("$@")
mkdir -p "$dir/waves"
n=$(wc -w <<<"$shapes")
echo "sim: shapes $shapes; logs $dir/log_<shape>.txt"
pids=(); running=0
run_one() {
  local s=$1 a=() x
  for x in "${args[@]}"; do
    if [ "$x" = WAVES ]; then a+=("$dir/waves/$s"); else a+=("$x"); fi
  done
  "$dir/sim_$s$suffix" "${a[@]}" >"$dir/log_$s.txt" 2>&1
  echo $? >"$dir/rc_$s.txt"
}
if [ "$n" = 1 ]; then
  # one shape: stream its output
  s=$shapes
  a=(); for x in "${args[@]}"; do if [ "$x" = WAVES ]; then a+=("$dir/waves/$s"); else a+=("$x"); fi; done
  "$dir/sim_$s$suffix" "${a[@]}" 2>&1 | tee "$dir/log_$s.txt"
else
  for s in $shapes; do
    run_one "$s" &
    pids+=($!); running=$((running + 1))
    if [ $running -ge 2 ]; then wait -n; running=$((running - 1)); fi
  done
  wait
  for s in $shapes; do cat "$dir/log_$s.txt"; done
fi
pass=0; fail=0; maxd=0; maxt=""; timed=0; exact=0; npass=0; nfail=0
for s in $shapes; do
  last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$dir/log_$s.txt" | tail -1)
  if [ -z "$last" ]; then echo "sim: shape $s did not finish (see $dir/log_$s.txt)"; fail=$((fail + 1)); continue; fi
  p=${last%% passed*}; f=${last#*, }; f=${f%% failed*}
  pass=$((pass + p)); fail=$((fail + f))
  nl=$(grep '^networks: ' "$dir/log_$s.txt" | tail -1)
  if [ -n "$nl" ]; then
    np=$(sed -n 's/^networks: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' <<<"$nl")
    nf=$(sed -n 's/^networks: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' <<<"$nl")
    npass=$((npass + np)); nfail=$((nfail + nf))
  fi
  line=$(grep '^cycle-exact: ' "$dir/log_$s.txt" | tail -1)
  if [ -n "$line" ]; then
    e=$(sed -n 's/^cycle-exact: \([0-9]*\) of \([0-9]*\) .*/\1/p' <<<"$line")
    n=$(sed -n 's/^cycle-exact: \([0-9]*\) of \([0-9]*\) .*/\2/p' <<<"$line")
    exact=$((exact + e)); timed=$((timed + n))
    d=$(sed -n 's/^cycle-exact: .*largest difference \([-+0-9]*\) cycles (\(.*\))$/\1 \2/p' <<<"$line")
    v=${d%% *}; v=${v#+}; a=${v#-}
    if [ -z "$maxt" ] || [ "$a" -gt "${maxd#-}" ]; then maxd=$v; maxt="$s ${d#* }"; fi
  fi
done
echo "==== make sim: shapes $shapes"
for s in $shapes; do grep -h "^cycle-exact:\|^simulation speed:\|^benchmark:\|^networks:" "$dir/log_$s.txt" 2>/dev/null | sed "s/^/  $s: /"; done
if [ "$timed" -gt 0 ]; then
  echo "RTL vs C-model cycles: $exact of $timed timed runs equal; largest difference $maxd cycles ($maxt)"
fi
if [ $((npass + nfail)) -gt 0 ]; then
  echo "networks (sw/nets on the RTL, outputs == expected.dlpw): $npass passed, $nfail failed"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
