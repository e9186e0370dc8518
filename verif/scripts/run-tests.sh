#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every test suite of `make test` and ends with one line "N passed, M failed". Each test's
# PASS/FAIL line is shown as it comes (a heartbeat line when a suite is quiet for 10 s); the
# full output of a suite is in BUILD_DIR/logs/<suite>.log.
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
#   hostile   hostile input to the tools: limits, bounded reads, no partial files 1 per case
#   fuzz      the fuzz targets on their committed corpora and the tree's inputs    1 per input
#   install   make install to a temporary prefix; examples/ built and run from it 1 per check
# A suite that reports nothing counts as one failure: a run that executed nothing is a failure;
# so does a suite whose program exits non-zero although its tests passed.
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

# Counts a GoogleTest run from its own summary. A skipped test counts as failed: make test
# builds everything its tests need (the rtl back end's libraries included).
count_gtest() {
  local log=$1 p f s
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?.*/\1/p' "$log" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) tests\?, listed below.*/\1/p' "$log" | tail -1)
  s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) tests\?, listed below.*/\1/p' "$log" | tail -1)
  grep '^\[  FAILED  \] [A-Za-z]' "$log" | sed 's/^/    /' | head -30
  grep '^\[  SKIPPED \] [A-Za-z]' "$log" | sed 's/^/    skipped: /' | head -10
  echo "${p:-0} $(( ${f:-0} + ${s:-0} ))"
}

# Runs CMD... with its output in LOG while showing, as they come, the lines that report a test
# (PASS:/FAIL: lines, GoogleTest's [ OK ]/[ FAILED ] lines) and, when none came for 10 s, a
# line saying that the suite is still running: a long suite is never silent.
HEARTBEAT=${HEARTBEAT:-10}
watch_run() {
  local suite=$1 log=$2; shift 2
  "$@" >"$log" 2>&1 &
  local pid=$! shown=0 last=$SECONDS n running=1
  while [ $running = 1 ]; do
    kill -0 $pid 2>/dev/null || running=0
    [ $running = 1 ] && sleep 1
    n=$(wc -l <"$log")
    if [ "$n" -gt "$shown" ]; then
      if sed -n "$((shown + 1)),${n}p" "$log" |
         grep -E '^(PASS|FAIL): |^\[ +(OK|FAILED) +\] [A-Za-z]' | sed "s/^/  $suite: /" | grep .; then
        last=$SECONDS
      fi
      shown=$n
    fi
    if [ $running = 1 ] && [ $((SECONDS - last)) -ge "$HEARTBEAT" ]; then
      echo "  $suite: still running ($((SECONDS - start)) s; $(tail -n 1 "$log" | cut -c1-60))"
      last=$SECONDS
    fi
  done
  wait $pid
}

for suite in "$@"; do
  log=$logs/$suite.log
  start=$SECONDS
  rc=0
  case "$suite" in
    gen)      if watch_run "$suite" "$log" make -s gen-check; then echo "PASS: gen-check" >>"$log"; else echo "FAIL: gen-check" >>"$log"; fi
              verif/scripts/spdx-check.sh >>"$log" 2>&1
              # the check fails on a source file without the licence line
              t=$(mktemp -d); printf '/* no licence line */\nint x;\n' >"$t/a.c"
              if verif/scripts/spdx-check.sh "$t" >/dev/null 2>&1; then echo "FAIL: spdx-check passed a file without the line" >>"$log"
              else echo "PASS: spdx-check finds a file without the line" >>"$log"; fi
              rm -rf "$t"
              res=$(count_lines "$log") ;;
    unit)     # UNIT_NO_RTL=1 (make test-quick): without the rtl back end's tests, which need the
              # Verilated libraries (make rtl-libs); in make test a skipped test is a failure
              watch_run "$suite" "$log" "$build/unit_tests" --gtest_color=no \
                ${UNIT_NO_RTL:+--gtest_filter=-*/rtl:*/rtl_*}; rc=$?
              res=$(count_gtest "$log") ;;
    firmware) watch_run "$suite" "$log" verif/scripts/firmware-tests.sh "$build"; rc=$?
              res=$(count_lines "$log") ;;
    tokens)   watch_run "$suite" "$log" firmware/check-tokens.sh "$build"; rc=$?
              res=$(count_lines "$log") ;;
    cli)      watch_run "$suite" "$log" verif/scripts/cli-tests.sh "$build"; rc=$?
              res=$(count_lines "$log") ;;
    nets)     watch_run "$suite" "$log" verif/scripts/nets-tests.sh "$build"; rc=$?
              res=$(count_lines "$log") ;;
    systemc)  watch_run "$suite" "$log" verif/systemc/run.sh "$build"; rc=$?
              res=$(count_lines "$log") ;;
    models)   watch_run "$suite" "$log" verif/models/run.sh "$build"; rc=$?
              res=$(count_lines "$log") ;;
    install)  watch_run "$suite" "$log" make -s install-test; rc=$?
              res=$(count_lines "$log") ;;
    cc)       watch_run "$suite" "$log" verif/cc/run.sh "$build"; rc=$?
              res=$(count_lines "$log") ;;
    hostile)  watch_run "$suite" "$log" verif/fault/hostile-tests.sh "$build"; rc=$?
              res=$(count_lines "$log") ;;
    fuzz)     watch_run "$suite" "$log" verif/fuzz/replay.sh "$build"; rc=$?
              res=$(count_lines "$log") ;;
    blocks)   watch_run "$suite" "$log" make -s blocks; rc=$?
              res=$(count_lines "$log") ;;
    lint)     watch_run "$suite" "$log" make -s lint fpga-lint fpga-lint-slang; rc=$?
              res=$(count_lines "$log") ;;
    *)        echo "run-tests: unknown suite $suite" >&2; exit 2 ;;
  esac
  # all but the last line are failure details
  details=$(echo "$res" | head -n -1); counts=$(echo "$res" | tail -1)
  p=${counts% *}; f=${counts#* }
  if [ "$p" = 0 ] && [ "$f" = 0 ]; then f=1; details="    (suite ran no tests; see $log)"; fi
  # a suite whose program exits non-zero (a sanitizer's leak report, a crash after the last
  # test) fails even when every test it printed passed
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    f=1; details="    (the suite exited with status $rc after its tests passed; see $log)"
  fi
  printf '%-9s %4d passed, %d failed  (%ds, log %s)\n' "$suite" "$p" "$f" $((SECONDS - start)) "$log"
  [ -n "$details" ] && echo "$details"
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
