#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Adds up the final "N passed, M failed" lines of several logs and prints one such line.
#   sum-logs.sh NAME=LOG...
# A part whose log has no such line counts as one failure (it did not finish).
set -uo pipefail
pass=0; fail=0; parts=()
for arg in "$@"; do
  name=${arg%%=*}; log=${arg#*=}
  last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -1)
  if [ -z "$last" ]; then
    parts+=("$name: did not finish (see $log)"); fail=$((fail + 1)); continue
  fi
  p=${last%% passed*}; f=${last#*, }; f=${f%% failed*}
  pass=$((pass + p)); fail=$((fail + f))
  parts+=("$name: $last")
done
echo "==== $(IFS=';'; echo "${parts[*]}" | sed 's/;/; /g')"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
