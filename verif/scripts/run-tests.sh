#!/usr/bin/env bash
# Runs every test suite of `make test` and ends with one line "N passed, M failed".
#   run-tests.sh BUILD_DIR SUITE...
# Suites:
#   gen       generated ISA/CSR files are up to date (make gen-check)          1 test
#   unit      GoogleTest suites (BUILD_DIR/unit_tests)                          1 per TEST
#   firmware  firmware programs on the C model vs independent references       1 per case
#   tokens    firmware token protocols order every conflicting access (race check) 1 per case
#   cli       command-line tools on good and bad input                          1 per case
#   lint      verilator --lint-only -Wall for every configuration and board    1 per shape
#   blocks    RTL block tests (memories, DMA, MFU, VFU, requantizer) vs the model 1 per check
#   cc        network compiler: layers bit-exact vs verif/ref, summaries, errors 1 per case
#   nets      trained networks on the C model: bits vs int8 simulation, accuracy  1 per check
#   systemc   the SystemC/TLM-2.0 platform vs the C model and the RTL's expectations 1 per check
#   models    TFLite models imported by dlpcc: every tensor vs TFLite's reference 1 per check
#             kernels, on the C model; corrupted models never crash dlpcc
#   install   make install to a temporary prefix; examples/ built and run from it 1 per check
# A suite that reports nothing counts as one failure: a run that executed nothing is a failure.
set -uo pipefail
build=$1; shift
logs=$build/logs; mkdir -p "$logs"
total_pass=0; total_fail=0

# Counts "PASS: name" / "FAIL: name" lines of a script-style suite.
count_lines() {
  local log=$1 p f
  p=$(grep -c '^PASS: ' "$log" || true); f=$(grep -c '^FAIL: ' "$log" || true)
  grep '^FAIL: ' "$log" | sed 's/^/    /' | head -30
  echo "$p $f"
}

# Counts a GoogleTest run from its own summary.
count_gtest() {
  local log=$1 p f
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?.*/\1/p' "$log" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) tests\?, listed below.*/\1/p' "$log" | tail -1)
  grep '^\[  FAILED  \] [A-Za-z]' "$log" | sed 's/^/    /' | head -30
  echo "${p:-0} ${f:-0}"
}

for suite in "$@"; do
  log=$logs/$suite.log
  start=$SECONDS
  case "$suite" in
    gen)      if make -s gen-check >"$log" 2>&1; then echo "PASS: gen-check" >>"$log"; else echo "FAIL: gen-check" >>"$log"; fi
              res=$(count_lines "$log") ;;
    unit)     "$build/unit_tests" --gtest_color=no >"$log" 2>&1
              res=$(count_gtest "$log") ;;
    firmware) verif/scripts/firmware-tests.sh "$build" >"$log" 2>&1
              res=$(count_lines "$log") ;;
    tokens)   firmware/check-tokens.sh "$build" >"$log" 2>&1
              res=$(count_lines "$log") ;;
    cli)      verif/scripts/cli-tests.sh "$build" >"$log" 2>&1
              res=$(count_lines "$log") ;;
    nets)     verif/scripts/nets-tests.sh "$build" >"$log" 2>&1
              res=$(count_lines "$log") ;;
    systemc)  verif/systemc/run.sh "$build" >"$log" 2>&1
              res=$(count_lines "$log") ;;
    models)   verif/models/run.sh "$build" >"$log" 2>&1
              res=$(count_lines "$log") ;;
    install)  make -s install-test >"$log" 2>&1
              res=$(count_lines "$log") ;;
    cc)       verif/cc/run.sh "$build" >"$log" 2>&1
              res=$(count_lines "$log") ;;
    blocks)   make -s blocks >"$log" 2>&1
              res=$(count_lines "$log") ;;
    lint)     make -s lint fpga-lint fpga-lint-slang >"$log" 2>&1
              res=$(count_lines "$log") ;;
    *)        echo "run-tests: unknown suite $suite" >&2; exit 2 ;;
  esac
  # all but the last line are failure details
  details=$(echo "$res" | head -n -1); counts=$(echo "$res" | tail -1)
  p=${counts% *}; f=${counts#* }
  if [ "$p" = 0 ] && [ "$f" = 0 ]; then f=1; details="    (suite ran no tests; see $log)"; fi
  printf '%-9s %4d passed, %d failed  (%ds, log %s)\n' "$suite" "$p" "$f" $((SECONDS - start)) "$log"
  [ -n "$details" ] && echo "$details"
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
