#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks the token protocol of every firmware case with the C model's race check
# (cmodel/src/race.c, on in dlpsim by default): every pair of conflicting accesses by different
# queues must be ordered by queue order, wait/signal tokens or sync -- independently of timing,
# which the model's bits cannot show (it applies an instruction's effects when it starts, so a
# missing token rarely changes them). Runs each program without its data, in the model's
# functional mode (another order of starts than firmware-tests.sh's timed runs).
#   firmware/check-tokens.sh BUILD_DIR [PROGRAM...]
# One check per case (the program does not depend on the configuration). Prints PASS/FAIL
# lines and "N passed, N failed".
set -uo pipefail
build=$1; shift
progs=("$@")
if [ ${#progs[@]} = 0 ]; then
  for d in firmware/*/; do [ -f "$d/cases" ] && progs+=("$(basename "$d")"); done
fi
[ -x "$build/dlpsim" ] && [ -x "$build/dlpasm" ] || { echo "FAIL: tokens: build $build/dlpsim and $build/dlpasm first (make build)"; exit 2; }
pass=0; fail=0
for prog in "${progs[@]}"; do
  [ -x "$build/fw/$prog-gen" ] || { echo "FAIL: tokens/$prog generator not built"; fail=$((fail+1)); continue; }
  while read -r name configs args; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    tmp="$build/fw/tokens/$prog-$name"; rm -rf "$tmp"; mkdir -p "$tmp"
    # shellcheck disable=SC2086
    if ! "$build/fw/$prog-gen" "$tmp" $args >"$tmp/gen.log" 2>&1 ||
       ! "$build/dlpasm" -I "$tmp" -o "$tmp/prog.dlpb" "firmware/$prog/$prog.s" >"$tmp/asm.log" 2>&1; then
      echo "FAIL: tokens/$prog/$name: generator or assembler failed"; fail=$((fail+1)); continue
    fi
    if "$build/dlpsim" --set functional=1 "$tmp/prog.dlpb" >"$tmp/race.log" 2>&1 &&
       grep -q '^races  *0 among' "$tmp/race.log"; then
      echo "PASS: tokens/$prog/$name races $(sed -n 's/^races  *//p' "$tmp/race.log")"; pass=$((pass+1))
    else
      echo "FAIL: tokens/$prog/$name: $(grep -m1 -E 'error|race on' "$tmp/race.log")"; fail=$((fail+1))
    fi
  done <"firmware/$prog/cases"
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
