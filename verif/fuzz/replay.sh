#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Replays the fuzz corpora (make test, suite fuzz): every committed input of every target
# (verif/fuzz/corpus/<target>/) and the project's own inputs of its kind (the directed test
# programs, the network descriptions and weight files in the tree) through
# BUILD/fuzz/replay_<target>. "PASS: fuzz/<target>/<file>" per input; a target that dies
# (an oracle, a sanitizer) is one FAIL line with its last messages.
#   replay.sh BUILD_DIR
set -uo pipefail
build=$1
declare -A seeds=(
  [asm]="verif/common/progs/*.s firmware/*/*.s"
  [desc]="sw/nets/*/*.txt verif/cc/nets/*.txt docs/examples/*.txt"
  [weights]="sw/nets/*/*.dlpw"
)
for bin in "$build"/fuzz/replay_*; do
  t=${bin##*/replay_}
  files=()
  for f in verif/fuzz/corpus/$t/* ${seeds[$t]:-}; do [ -f "$f" ] && files+=("$f"); done
  if [ ${#files[@]} = 0 ]; then echo "FAIL: fuzz/$t: no inputs"; continue; fi
  out=$("$bin" "${files[@]}" 2>&1); rc=$?
  grep '^\(PASS\|FAIL\): ' <<<"$out"
  if [ $rc != 0 ]; then
    echo "FAIL: fuzz/$t: stopped with status $rc after $(grep -c '^PASS: ' <<<"$out") inputs:"
    grep -v '^\(PASS\|FAIL\): ' <<<"$out" | tail -8 | sed 's/^/    /'
  fi
done
