#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs each libFuzzer target for a given time (make fuzz; verif/fuzz/fuzz.mk).
#   run-fuzz.sh FUZZ_DIR SECONDS TARGET...
# Per target: executions, corpus entries added, findings; then the totals. Exit status 1 when
# anything was found.
set -uo pipefail
dir=$1 secs=$2; shift 2
total_exec=0 total_find=0
for t in "$@"; do
  work=$dir/work/$t find=$dir/findings/$t log=$dir/logs/$t.log
  mkdir -p "$work" "$find" "$dir/logs"
  before=$(ls "$work" | wc -l)
  # the committed corpus is read, never written: new inputs go to the work directory
  "$dir/fuzz_$t" "$work" "verif/fuzz/corpus/$t" -max_total_time="$secs" -print_final_stats=1 \
    -rss_limit_mb=1024 -malloc_limit_mb=512 -timeout=10 -max_len=4096 \
    -artifact_prefix="$find/" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  added=$(( $(ls "$work" | wc -l) - before ))
  found=$(ls "$find" | wc -l)
  [ $rc != 0 ] && [ "$found" = 0 ] && found=1  # a failure without an artifact (a build problem)
  printf 'fuzz %-8s %12s executions in %s s, %d new corpus entries, %d findings (log %s)\n' \
    "$t" "${execs:-0}" "$secs" "$added" "$found" "$log"
  [ "$found" != 0 ] && ls "$find" | sed "s|^|    $find/|"
  total_exec=$((total_exec + ${execs:-0})); total_find=$((total_find + found))
done
echo "fuzz: $total_exec executions, $total_find findings"
[ "$total_find" = 0 ]
