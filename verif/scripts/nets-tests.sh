#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The real-data networks (sw/nets) on the C model through libdlp/dlprun:
#   - train.py --verify: the committed files are consistent (numpy only, no training);
#   - every test sample of the four networks compiled for the default 16x16 configuration, and
#     the first 100 for 4x4: outputs equal the independent int8 simulation's bit for bit, and
#     the accuracy against the labels meets the minimum (adder 100%, MLP 95%).
#   nets-tests.sh BUILD_DIR
# Prints "PASS: nets/..." / "FAIL: nets/..." lines.
set -uo pipefail
build=$1
tag() { sed -u "s/^\(PASS\|FAIL\) \([a-z0-9]*\):/\1: nets\/$1\/\2:/"; }
python3 sw/nets/train.py --verify 2>&1 | tag verify
python3 sw/nets/cmodel_check.py --bin "$build" 2>&1 | tag 16x16
python3 sw/nets/cmodel_check.py --bin "$build" --config 4x4 --count 100 2>&1 | tag 4x4
