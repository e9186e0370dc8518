#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every firmware program on the C model and compares its outputs bit for bit with the
# independent reference computed by the program's data generator.
#   firmware-tests.sh BUILD_DIR [PROGRAM...]
# firmware/<prog>/cases lists the cases, one per line:
#   NAME CONFIGS GENERATOR-ARGS...
# CONFIGS is a comma-separated list of dlpsim presets, each optionally followed by
# +key=value overrides (e.g. default,4x4,8x16+nram_kib=16).
# Prints "PASS: fw/<prog>/<case>/<config> cycles=N" or "FAIL: ..." per run.
#   FW_SIM="COMMAND ..." runs the programs with COMMAND, which takes dlpsim's options, instead
#   of dlpsim (verif/systemc/run.sh: the SystemC platform); FW_WORK: its work directory.
set -uo pipefail
build=$1; shift
read -ra sim <<<"${FW_SIM:-$build/dlpsim}"
work=${FW_WORK:-$build/fw/run}
progs=("$@")
if [ ${#progs[@]} = 0 ]; then
  for d in firmware/*/; do [ -f "$d/cases" ] && progs+=("$(basename "$d")"); done
fi

run_case() {
  local prog=$1 name=$2 cfg=$3; shift 3
  local id="fw/$prog/$name/$cfg" tmp="$work/$prog-$name-${cfg//[+=]/_}"
  rm -rf "$tmp"; mkdir -p "$tmp"
  if ! "$build/fw/$prog-gen" "$tmp" "$@" >"$tmp/gen.log" 2>&1; then
    echo "FAIL: $id generator failed: $(tail -1 "$tmp/gen.log")"; return; fi
  if ! "$build/dlpasm" -I "$tmp" -o "$tmp/prog.dlpb" "firmware/$prog/$prog.s" >"$tmp/asm.log" 2>&1; then
    echo "FAIL: $id assembly failed: $(head -3 "$tmp/asm.log" | tr '\n' ' ')"; return; fi
  local preset=${cfg%%+*} simargs=() checks=() n=0
  simargs+=(--config "$preset")
  if [[ $cfg == *+* ]]; then
    IFS=+ read -ra ov <<<"${cfg#*+}"; for o in "${ov[@]}"; do simargs+=(--set "$o"); done
  fi
  while read -r kind a b c; do
    case "$kind" in
      load)  simargs+=(--load "$tmp/$a@$b") ;;
      check) simargs+=(--dump "$a:$b:$tmp/out$n.bin"); checks+=("$tmp/out$n.bin:$tmp/$c:$a"); n=$((n+1)) ;;
    esac
  done <"$tmp/manifest.txt"
  if [ ${#checks[@]} = 0 ]; then echo "FAIL: $id manifest has no checks"; return; fi
  if ! "${sim[@]}" "${simargs[@]}" "$tmp/prog.dlpb" >"$tmp/sim.log" 2>&1; then
    echo "FAIL: $id ${sim[0]##*/}: $(grep -m1 'error' "$tmp/sim.log")"; return; fi
  local bad=0
  for ch in "${checks[@]}"; do
    IFS=: read -r got want addr <<<"$ch"
    if ! cmp -s "$got" "$want"; then
      echo "FAIL: $id output at $addr differs from the reference: $(cmp "$got" "$want" 2>&1 | head -1)"
      bad=1
    fi
  done
  [ $bad = 0 ] && echo "PASS: $id cycles=$(awk '/^cycles/ {print $2}' "$tmp/sim.log") macs=$(awk '/^macs/ {print $2}' "$tmp/sim.log")"
}

for prog in "${progs[@]}"; do
  [ -x "$build/fw/$prog-gen" ] || { echo "FAIL: fw/$prog generator not built"; continue; }
  while read -r name configs args; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    IFS=, read -ra cfgs <<<"$configs"
    for cfg in "${cfgs[@]}"; do
      # shellcheck disable=SC2086
      run_case "$prog" "$name" "$cfg" $args
    done
  done <"firmware/$prog/cases"
done
