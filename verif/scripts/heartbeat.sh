#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a long silent command with its output in a log, printing a line every 10 s while it runs
# (make test and make sim never go quiet for longer, e.g. while Verilator builds a core).
#   heartbeat.sh LOG LABEL CMD...      exit status: CMD's
# HEARTBEAT= changes the period (seconds).
log=$1 label=$2; shift 2
period=${HEARTBEAT:-10}
"$@" >"$log" 2>&1 &
pid=$!
start=$SECONDS last=$SECONDS
while kill -0 "$pid" 2>/dev/null; do
  sleep 1
  if [ $((SECONDS - last)) -ge "$period" ] && kill -0 "$pid" 2>/dev/null; then
    echo "$label: still running ($((SECONDS - start)) s; log $log)"
    last=$SECONDS
  fi
done
wait "$pid"
