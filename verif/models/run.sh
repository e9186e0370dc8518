#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The model suite (docs/import.md): prints "PASS: models/..." or "FAIL: models/..." per check
# and ends with "N passed, M failed".
#   verif/models/run.sh BUILD_DIR
# 1. every committed TFLite model (sw/nets/models/*.tflite) imported by dlpcc, run on the C
#    model, every tensor compared with TFLite's reference kernels (check_models.py); again
#    with the model's portable kernels (DLP_MM_KERNEL=portable)
# 2. the dlpcc command line on models it must refuse (exit status and message)
# Corrupted and truncated models are fuzzed in-process by the cc suite (CcImport.*).
set -uo pipefail
build=${1:-build/rel}
dlpcc=$build/dlpcc
tmp=$build/models-run; rm -rf "$tmp"; mkdir -p "$tmp"
pass=0 fail=0
ok()  { echo "PASS: models/$1"; pass=$((pass + 1)); }
bad() { echo "FAIL: models/$1"; fail=$((fail + 1)); }

# --- 1. the models against TFLite ------------------------------------------------------------
python3 verif/models/check_models.py "$build" --samples 50 >"$tmp/check.log" 2>&1
rc=$?
cat "$tmp/check.log" | grep -E '^(PASS|FAIL): '
p=$(grep -c '^PASS: ' "$tmp/check.log"); f=$(grep -c '^FAIL: ' "$tmp/check.log")
pass=$((pass + p)); fail=$((fail + f))
if [ $rc != 0 ] || [ "$p" = 0 ]; then bad "check_models.py exit status $rc: $(tail -3 "$tmp/check.log" | tr '\n' ' ')"; fi

# the C model's portable kernels too (the vector ones run above where the host has them)
DLP_MM_KERNEL=portable python3 verif/models/check_models.py "$build" --samples 5 \
  --tag models/portable-kernels >"$tmp/check-portable.log" 2>&1
rc=$?
grep -E '^(PASS|FAIL): ' "$tmp/check-portable.log"
p=$(grep -c '^PASS: ' "$tmp/check-portable.log"); f=$(grep -c '^FAIL: ' "$tmp/check-portable.log")
pass=$((pass + p)); fail=$((fail + f))
if [ $rc != 0 ] || [ "$p" = 0 ]; then bad "portable kernels: exit status $rc: $(tail -3 "$tmp/check-portable.log" | tr '\n' ' ')"; fi

# --- 2. command line -----------------------------------------------------------------------------
# expect NAME STATUS REGEX CMD... (verif/scripts/expect.sh): exit status and output must match
source verif/scripts/expect.sh
m=sw/nets/models
expect float-model 1 'operator 0 \(FULLY_CONNECTED\|RESHAPE\).*float32: a float model|tensor [0-9]+ is float32: a float model' \
  "$dlpcc" $m/mlp_float.tflite -o "$tmp/x.dlpn"
expect uint8-model 1 'uint8 quantization is not supported' "$dlpcc" $m/mlp_uint8.tflite -o "$tmp/x.dlpn"
head -c 3000 $m/lenet5.tflite >"$tmp/trunc.tflite"
expect truncated 1 'malformed or truncated model: .*the 3000-byte file' "$dlpcc" "$tmp/trunc.tflite" -o "$tmp/x.dlpn"
expect emit-desc 0 '' "$dlpcc" $m/lenet5.tflite --emit-desc "$tmp/lenet5"
expect emitted-desc 0 'fc op[0-9]+: t[0-9]+ -> t[0-9]+ out=120 relu round=float' cat "$tmp/lenet5.txt"
expect emitted-compiles 0 'programs' "$dlpcc" "$tmp/lenet5.txt" -w "$tmp/lenet5.dlpw" -o "$tmp/l.dlpn"
expect fc-fixed 0 'round=fixed' bash -c "'$dlpcc' $m/mlp.tflite --fc-rounding fixed --emit-desc '$tmp/mf' && cat '$tmp/mf.txt'"
expect fc-rounding-bad 2 'expected float or fixed' "$dlpcc" $m/mlp.tflite --fc-rounding nearest
expect emit-desc-needs-model 2 'needs a model' "$dlpcc" docs/examples/lenet5.txt --emit-desc "$tmp/y"
expect host-layer-run 0 'on the host' "$dlpcc" $m/mlp.tflite -o "$tmp/m.dlpn" --run
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
