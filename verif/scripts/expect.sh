# SPDX-License-Identifier: Apache-2.0
# expect NAME STATUS REGEX CMD...: runs CMD (EXPECT_TIMEOUT seconds, default 20), checks its exit
# status and that its output (stdout and stderr) matches REGEX (extended); a signal or a hang is
# a failure. Reports through the caller's functions ok NAME / bad "NAME reason", NAME prefixed
# with cli/. Sourced by the test scripts (verif/scripts/cli-tests.sh, verif/cc/run.sh,
# verif/models/run.sh).
expect() {
  local name=$1 want=$2 pat=$3; shift 3
  local out rc
  out=$(timeout "${EXPECT_TIMEOUT:-20}" "$@" 2>&1); rc=$?
  if [ $rc -ge 124 ]; then bad "cli/$name crashed or hung (status $rc): $(echo "$out" | tail -2)"; return; fi
  if [ $rc != "$want" ]; then bad "cli/$name exit status $rc, expected $want: $(echo "$out" | tail -2)"; return; fi
  if ! grep -Eq -- "$pat" <<<"$out"; then bad "cli/$name output does not match /$pat/: $(echo "$out" | tail -3)"; return; fi
  ok "cli/$name"
}
