#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates the pictures of docs/img (make plots): LeNet-5 (the trained weights of
# sw/nets/lenet5), ResNet-50 and MobileNetV2 (docs/examples, random weights: the cycles do not
# depend on the values) compiled for the default 16x16 core and run on the C model with
# `dlprun --json`; then `dlpplot roofline` and `dlpplot util` for each.
#   plots.sh BUILD_DIR OUT_DIR           regenerate (about a minute, most of it ResNet-50)
#   plots.sh --check BUILD_DIR OUT_DIR   redraw every SVG from its JSON in OUT_DIR and compare
#                                        (PASS/FAIL lines: the pictures are what dlpplot draws)
set -euo pipefail
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
build=$1 out=$2
work=$build/plots; rm -rf "$work"; mkdir -p "$work"
nets=(
  "lenet5|LeNet-5|sw/nets/lenet5/lenet5.txt -w sw/nets/lenet5/lenet5.dlpw"
  "resnet50|ResNet-50|docs/examples/resnet50.txt --random-weights 1"
  "mobilenet_v2|MobileNetV2|docs/examples/mobilenet_v2.txt --random-weights 1"
)
draw() { # NAME TITLE JSON DIR
  "$build/dlpplot" roofline "$3" -o "$4/$1-roofline.svg" --title "$2 on the default 16x16 core: roofline"
  "$build/dlpplot" util "$3" -o "$4/$1-util.svg" --title "$2 on the default 16x16 core: per-layer utilisation"
}
if [ $check = 1 ]; then
  for n in "${nets[@]}"; do
    IFS='|' read -r name title _ <<<"$n"
    if ! draw "$name" "$title" "$out/$name.json" "$work" 2>"$work/$name.err"; then
      echo "FAIL: plots/$name: dlpplot failed: $(head -1 "$work/$name.err")"; continue; fi
    for k in roofline util; do
      if cmp -s "$work/$name-$k.svg" "$out/$name-$k.svg"; then echo "PASS: plots/$name-$k.svg"
      else echo "FAIL: plots/$name-$k.svg is not what dlpplot draws from $name.json; run make plots"; fi
    done
  done
  # the JSON files are today's cycles: LeNet-5's (fast) is rerun to catch a changed cycle model
  IFS='|' read -r name _ args <<<"${nets[0]}"
  # shellcheck disable=SC2086
  if "$build/dlpcc" $args -o "$work/$name.dlpn" >"$work/$name.cc.log" 2>&1 &&
     (cd "$work" && "$OLDPWD/$build/dlprun" -q --no-progress --random-input 1 --json "$name.json" \
       "$name.dlpn" >"$name.run.log" 2>&1) && cmp -s "$work/$name.json" "$out/$name.json"; then
    echo "PASS: plots/$name.json is today's run"
  else
    echo "FAIL: plots/$name.json differs from today's run (cycle model changed?); run make plots"
  fi
  exit 0
fi
mkdir -p "$out"
for n in "${nets[@]}"; do
  IFS='|' read -r name title args <<<"$n"
  echo "plots: $name: compiling and running on the C model"
  # shellcheck disable=SC2086
  "$build/dlpcc" $args -o "$work/$name.dlpn" >"$work/$name.cc.log"
  (cd "$work" && "$OLDPWD/$build/dlprun" -q --no-progress --random-input 1 --json "$name.json" \
    "$name.dlpn" >"$name.run.log")
  cp "$work/$name.json" "$out/$name.json"
  draw "$name" "$title" "$out/$name.json" "$out"
  echo "plots: $out/$name-roofline.svg $out/$name-util.svg ($(grep -o '"cycles": [0-9]*' "$out/$name.json" | tail -1))"
done
