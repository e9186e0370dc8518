#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# dlpcc test runner: prints "PASS: cc/<name>" or "FAIL: cc/<name> ..." per test and ends with
# "N passed, M failed".
#   verif/cc/run.sh BUILD_DIR
# 1. the compiler's GoogleTest suites (BUILD_DIR/cc_tests: layers bit-exact against verif/ref on
#    six configurations, error paths, --summary figures, package reader fuzzing)
# 2. the dlpcc command line on good and bad input (exit status and message; never a crash)
# 3. the token protocol of compiled programs (dlpsim's race check) on several configurations
set -uo pipefail
build=${1:-build/rel}
dlpcc=$build/dlpcc dlpsim=$build/dlpsim
tmp=$build/cc-run; rm -rf "$tmp"; mkdir -p "$tmp"
pass=0 fail=0
ok()  { echo "PASS: cc/$1"; pass=$((pass + 1)); }
bad() { echo "FAIL: cc/$1"; fail=$((fail + 1)); }

# --- 1. GoogleTest ---------------------------------------------------------------------------
"$build/cc_tests" --gtest_color=no >"$tmp/gtest.log" 2>&1; gtest_rc=$?
while read -r line; do
  case "$line" in
    "[       OK ] "*)  ok "gtest/$(echo "$line" | sed 's/^\[       OK \] \([^ ]*\).*/\1/')" ;;
    "[  FAILED  ] "*" ("*) bad "gtest/$(echo "$line" | sed 's/^\[  FAILED  \] \([^ ]*\).*/\1/') (see $tmp/gtest.log)" ;;
  esac
done <"$tmp/gtest.log"
grep -q '^\[  PASSED  \]' "$tmp/gtest.log" || grep -q '^\[  FAILED  \]' "$tmp/gtest.log" ||
  bad "gtest did not run: $(tail -3 "$tmp/gtest.log" | tr '\n' ' ')"
# a clean exit too: a sanitizer reports leaks after the last test, with status 1
if [ $gtest_rc != 0 ] && ! grep -q '^\[  FAILED  \]' "$tmp/gtest.log"; then
  bad "gtest/exit-status: cc_tests exited with status $gtest_rc after its tests passed (see $tmp/gtest.log)"
fi

# --- 2. command line ---------------------------------------------------------------------------
# expect NAME STATUS REGEX CMD... (verif/scripts/expect.sh): exit status and output must match
source verif/scripts/expect.sh
ex=docs/examples
expect summary-alexnet   0 'total .* 61,100,840 +714,188,480'    "$dlpcc" --summary $ex/alexnet.txt
expect summary-vgg19     0 'total .* 143,667,240 +19,632,062,464' "$dlpcc" --summary $ex/vgg19.txt
expect summary-resnet152 0 'total .* 60,192,808 +11,513,626,624'  "$dlpcc" --summary $ex/resnet152.txt
expect summary-resnet50  0 'total .* 25,557,032 +4,089,184,256'   "$dlpcc" --summary $ex/resnet50.txt
expect summary-mobilenet_v2 0 'total .* 3,504,872 +300,774,272'   "$dlpcc" --summary $ex/mobilenet_v2.txt
expect vgg19-pool4       0 'pool4 +maxpool +1x14x14x512'          "$dlpcc" --summary $ex/vgg19.txt
expect summary-lenet     0 'total .* 61,706 +416,520'             "$dlpcc" --summary $ex/lenet5.txt
expect help              0 'usage: dlpcc'                         "$dlpcc" --help
expect no-args           2 'usage: dlpcc'                         "$dlpcc"
expect bad-option        2 "unknown option '--frob'"              "$dlpcc" --frob $ex/lenet5.txt
expect bad-config        2 "unknown configuration '9x9'"          "$dlpcc" --config 9x9 $ex/lenet5.txt
expect bad-set           2 'rows: 0|rows'                         "$dlpcc" --set rows=0 $ex/lenet5.txt
expect missing-file      1 'nope.txt: error: cannot open: No such file' "$dlpcc" --summary "$tmp/nope.txt"
expect needs-weights     2 'needs a weight file'                  "$dlpcc" $ex/lenet5.txt -o "$tmp/x.dlpn"
printf 'input x: 1x8x8x3\nconv c: x -> y k=3 p=1 out=4\nfrobnicate q: y -> z\n' >"$tmp/bad.txt"
expect malformed         1 'bad.txt:3:1: error: unknown statement' "$dlpcc" --summary "$tmp/bad.txt"
printf 'input x: 1x8x8x3\nconv c: x -> y k=3 p=1 out=4\n' >"$tmp/c.txt"
printf 'dlpw 1\nc.weight int8 4x3x3x3 1 2\n' >"$tmp/c.dlpw"
expect weights-short     1 'c.dlpw:2:22: error: .*give 108 values, but only 5 bytes' "$dlpcc" "$tmp/c.txt" -w "$tmp/c.dlpw" -o "$tmp/c.dlpn"
# room for the values in the file, but not values: the count check passes, the values run out
printf 'dlpw 1\nc.weight int8 4x3x3x3 1 2%0216d\n' 0 | tr 0 ' ' >"$tmp/c2.dlpw"
expect weights-short-ws  1 'c2.dlpw:3:1: error: .*ends before'     "$dlpcc" "$tmp/c.txt" -w "$tmp/c2.dlpw" -o "$tmp/c.dlpn"
printf 'DLPW\1\0\0\0\5\0\0\0' >"$tmp/t.dlpw"
expect weights-trunc     1 't.dlpw: error: offset 12: truncated'   "$dlpcc" "$tmp/c.txt" -w "$tmp/t.dlpw" -o "$tmp/c.dlpn"
expect tiny-config       1 'layer big \(conv\): cannot tile'       "$dlpcc" verif/cc/nets/kernel23.txt --random-weights 1 --config 4x4 --set nram_kib=1 --set wram_kib=1 -o "$tmp/k.dlpn"
expect compile-lenet     0 'lenet5.dlpn: 6 programs'               "$dlpcc" $ex/lenet5.txt --random-weights 1 -o "$tmp/lenet5.dlpn"
expect run-lenet         0 'total +[0-9]+ +416520 '                "$dlpcc" $ex/lenet5.txt --random-weights 1 --run -o "$tmp/lenet5.dlpn"
expect listing           0 'programs'                              "$dlpcc" $ex/lenet5.txt --random-weights 1 --listing "$tmp/lst" -o "$tmp/l.dlpn"
if [ -s "$tmp/lst/01_c1_p1.s" ] && [ -s "$tmp/lst/01_c1_p1.lst" ] && [ -s "$tmp/lst/01_c1_p1.dlpb" ]; then
  ok "cli/listing-files"; else bad "cli/listing-files: $(ls "$tmp/lst" 2>&1 | head -3)"; fi

# --- 3. token protocol of compiled programs ---------------------------------------------------------
configs=("default" "4x4" "8x16" "default --set nram_kib=2 --set wram_kib=2 --set acc_kib=1"
         "4x4 --set nram_kib=1 --set wram_kib=1 --set acc_kib=1" "default --set loop_depth=1")
for net in verif/cc/nets/mixed.txt verif/cc/nets/resblock.txt verif/cc/nets/digits.txt $ex/lenet5.txt; do
  for cfg in "${configs[@]}"; do
    name="tokens/$(basename "$net" .txt)/${cfg// --set /+}"; name=${name// /}
    d="$tmp/tok"; rm -rf "$d"
    # shellcheck disable=SC2086
    if ! out=$(timeout 60 "$dlpcc" "$net" --random-weights 2 --config $cfg --listing "$d" -o "$tmp/t.dlpn" 2>&1); then
      bad "$name: does not compile: $(echo "$out" | tail -1)"; continue; fi
    res=ok
    for p in "$d"/*.dlpb; do
      # shellcheck disable=SC2086
      if ! r=$(timeout 60 "$dlpsim" -q --set functional=1 --config $cfg "$p" 2>&1); then
        res="$(basename "$p"): $(echo "$r" | head -2 | tr '\n' ' ')"; break; fi
    done
    if [ "$res" = ok ]; then ok "$name"; else bad "$name: $res"; fi
  done
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
