#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make soak MINUTES=N: random programs and fault programs with new seeds on every shape's
# co-simulation binary, round robin, until N minutes have passed; then the programs per minute
# and the mismatches (any FAIL: a retire, a cause, a counter, a cycle or the final DRAM differs).
#   soak.sh SIM_DIR MINUTES SEED "SHAPES"
# A program is replayed with: make sim SHAPE=<shape> TEST=rand/<n> (or TEST=fault/<n>).
set -uo pipefail
dir=$1 minutes=$2 seed=$3 shapes=$4
chunk=${SOAK_CHUNK:-8}  # random + fault programs per shape and round
end=$((SECONDS + 60 * minutes))
log=$dir/soak.log; : >"$log"
declare -A progs fails
for s in $shapes; do progs[$s]=0; fails[$s]=0; done
round=0
echo "soak: shapes $shapes, $minutes min, seeds from $seed (log $log)"
while [ $SECONDS -lt $end ]; do
  for s in $shapes; do
    [ $SECONDS -ge $end ] && break
    sd=$((seed + round))
    out=$("$dir/sim_$s" --seed "$sd" --random "$chunk" --fault "$chunk" --test rand --test fault \
          --no-nets --no-firmware 2>&1)
    echo "$out" >>"$log"
    p=$(grep -cE '^PASS ' <<<"$out"); f=$(grep -cE '^FAIL ' <<<"$out")
    grep -E '^FAIL ' <<<"$out" | sed "s/^/soak: /"
    progs[$s]=$((progs[$s] + p + f)); fails[$s]=$((fails[$s] + f))
  done
  round=$((round + 1))
done
total=0 bad=0
for s in $shapes; do
  printf 'soak %-16s %6d programs, %d mismatches\n' "$s" "${progs[$s]}" "${fails[$s]}"
  total=$((total + progs[$s])); bad=$((bad + fails[$s]))
done
awk -v n=$total -v m=$minutes -v b=$bad 'BEGIN { printf "soak: %d programs in %d min (%.1f programs/minute), %d mismatches\n", n, m, n / m, b }'
[ $bad = 0 ]
