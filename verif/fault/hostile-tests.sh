#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Hostile input to the command-line tools (issue 17): every case must end with a clear message
# and a non-zero status within its limit -- never a hang, an abort under a memory limit, a
# wrapped total or a half-written output file.
#   hostile-tests.sh BUILD_DIR
# Prints "PASS: hostile/<name>" or "FAIL: hostile/<name> ..." per case.
#
# Bounds the cases check (docs/libdlp.md, docs/assembler.md, docs/netdesc.md):
#   - memory: the tools run under a 512 MiB address-space limit (ulimit -v), far below the
#     4 GiB the 40-byte weight file used to ask for; AddressSanitizer reserves terabytes of
#     shadow address space, so sanitized tools (make test SAN=1) get ASan's own limit instead:
#     no single allocation above 512 MiB (max_allocation_size_mb; a larger one aborts);
#   - time: a runaway layer ends at dlprun's --timeout (1 s here) or --cycle-limit;
#   - files: a write that fails part way (ulimit -f) leaves the previous file and no temporary.
set -uo pipefail
build=$1
tmp=$build/hostile; rm -rf "$tmp"; mkdir -p "$tmp"
asm=$build/dlpasm sim=$build/dlpsim cc=$build/dlpcc run=$build/dlprun
here=$(dirname "$0")
MEM_KIB=524288
if grep -q __asan_init "$asm"; then
  limit_mem() { ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}max_allocation_size_mb=512 "$@"; }
else
  limit_mem() { ulimit -v $MEM_KIB; "$@"; }
fi

# expect NAME WANT_STATUS PATTERN SECONDS CMD...: runs CMD under the memory limit and a SECONDS
# wall-clock limit, checks the exit status and that the output matches PATTERN.
expect() {
  local name=$1 want=$2 pat=$3 secs=$4; shift 4
  local out rc
  out=$( (limit_mem timeout "$secs" "$@") 2>&1); rc=$?
  if [ $rc -ge 124 ]; then echo "FAIL: hostile/$name crashed or hung (status $rc): $(echo "$out" | tail -2)"; return; fi
  if [ $rc != "$want" ]; then echo "FAIL: hostile/$name exit status $rc, expected $want: $(echo "$out" | tail -2)"; return; fi
  if ! grep -Eq -- "$pat" <<<"$out"; then echo "FAIL: hostile/$name output does not match /$pat/: $(echo "$out" | tail -3)"; return; fi
  echo "PASS: hostile/$name"
}

# same_file NAME FILE CONTENT_FILE: FILE is unchanged and its directory holds no temporary
same_file() {
  local name=$1 f=$2 ref=$3
  if ! cmp -s "$f" "$ref"; then echo "FAIL: hostile/$name the previous $f was overwritten"; return; fi
  if ls "$(dirname "$f")" | grep -q '\.tmp'; then echo "FAIL: hostile/$name a temporary file was left: $(ls "$(dirname "$f")" | grep '\.tmp')"; return; fi
  echo "PASS: hostile/$name"
}

# a write that fails part way: at most 1 KiB per file (SIGXFSZ ignored, so write() fails)
short_fs=(bash -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' short_fs)

# --- fixtures -----------------------------------------------------------------------------------
cat >"$tmp/net.txt" <<'N'
input x: 1x64
fc l1: x -> h out=64 relu
fc l2: h -> y out=512
N
"$cc" "$tmp/net.txt" --random-weights 1 -o "$tmp/net.dlpn" >/dev/null || echo "FAIL: hostile/fixture dlpcc"
printf 'loop 0xffffffff\nloop 0xffffffff\nnop\naddi r1, r1, 1\nendloop\nendloop\nhalt\n' >"$tmp/runaway.s"
"$asm" -o "$tmp/runaway.dlpb" "$tmp/runaway.s" || echo "FAIL: hostile/fixture dlpasm"
python3 "$here/patch_layer.py" "$tmp/net.dlpn" 1 "$tmp/runaway.dlpb" "$tmp/runaway.dlpn" \
  || echo "FAIL: hostile/fixture patch_layer"

# --- runaway layers end at the limits, naming the layer -------------------------------------------
expect dlprun-timeout 1 'layer 1 \(l2\).*did not end within 1000 ms' 10 \
  "$run" --random-input 1 --cycle-limit 0 --timeout 1 "$tmp/runaway.dlpn"
expect dlprun-cycle-limit 1 'layer 1 \(l2\): run stopped with TIMEOUT' 10 \
  "$run" --random-input 1 --cycle-limit 300000 "$tmp/runaway.dlpn"
expect dlprun-default-cycle-limit 0 'after N cycles \(default 1000000000;' 5 "$run" --help
expect dlprun-default-timeout 0 '\(default 600; 0: none\)' 5 "$run" --help
expect dlprun-good-package 0 'output y' 20 "$run" --random-input 1 "$tmp/net.dlpn"

# --- no half-written outputs ---------------------------------------------------------------------------
mkdir -p "$tmp/out"
"$cc" sw/nets/lenet5/lenet5.txt -w sw/nets/lenet5/lenet5.dlpw -o "$tmp/out/lenet5.dlpn" >/dev/null
cp "$tmp/out/lenet5.dlpn" "$tmp/lenet5.good"
expect dlpcc-short-write 1 'lenet5.dlpn: write error' 30 \
  "${short_fs[@]}" "$cc" sw/nets/lenet5/lenet5.txt -w sw/nets/lenet5/lenet5.dlpw -o "$tmp/out/lenet5.dlpn"
same_file dlpcc-keeps-old "$tmp/out/lenet5.dlpn" "$tmp/lenet5.good"
awk 'BEGIN { for (i = 0; i < 300; i++) print "    addi r1, r1, 1"; print "    halt" }' >"$tmp/long.s"
"$asm" -o "$tmp/out/long.dlpb" "$tmp/runaway.s"
cp "$tmp/out/long.dlpb" "$tmp/long.good"
expect dlpasm-short-write 1 'long.dlpb: write error' 10 "${short_fs[@]}" "$asm" -o "$tmp/out/long.dlpb" "$tmp/long.s"
same_file dlpasm-keeps-old "$tmp/out/long.dlpb" "$tmp/long.good"
echo "previous dump" >"$tmp/out/dump.bin"; cp "$tmp/out/dump.bin" "$tmp/dump.good"
"$asm" -o "$tmp/halt.dlpb" <(printf 'halt\n') 2>/dev/null || printf 'halt\n' >"$tmp/halt.s"
[ -f "$tmp/halt.s" ] && "$asm" -o "$tmp/halt.dlpb" "$tmp/halt.s"
expect dlpsim-dump-short-write 1 'cannot write .*dump.bin: write error' 10 \
  "${short_fs[@]}" "$sim" --dump "0:65536:$tmp/out/dump.bin" "$tmp/halt.dlpb"
same_file dlpsim-dump-keeps-old "$tmp/out/dump.bin" "$tmp/dump.good"
expect dlprun-dump-short-write 1 'cannot write .*y.bin: write error' 20 \
  "${short_fs[@]}" "$run" --random-input 1 --dump-float "$tmp/out/y.bin" "$tmp/net.dlpn"
if [ -e "$tmp/out/y.bin" ] || ls "$tmp/out" | grep -q '\.tmp'; then echo "FAIL: hostile/dlprun-dump-nothing-left a partial file was left";
else echo "PASS: hostile/dlprun-dump-nothing-left"; fi

# --- bounded reads and sizes checked before they are allocated -------------------------------------------
printf 'dlpw 1\nl1.weight int8 1024x1024x1024 1\n' >"$tmp/w35.txt"
expect weights-huge-dims 1 "record 'l1.weight': dimensions 1024x1024x1024 give 1073741824 values, but only" 10 \
  "$cc" "$tmp/net.txt" -w "$tmp/w35.txt" -o "$tmp/x.dlpn"
printf '.include "/dev/zero"\nhalt\n' >"$tmp/zero.s"
expect asm-include-dev-zero 1 "/dev/zero.*beyond the limit of 16777216 bytes" 10 "$asm" -o "$tmp/x.dlpb" "$tmp/zero.s"
expect asm-source-directory 1 'is a directory' 10 "$asm" -o "$tmp/x.dlpb" "$tmp"
expect dlprun-directory-package 1 "is a directory, not a file" 10 "$run" "$tmp"
expect dlpsim-directory-program 1 "is a directory, not a file" 10 "$sim" "$tmp"
expect dlpcc-directory-description 1 "is a directory, not a file" 10 "$cc" "$tmp" -w "$tmp/w35.txt"
expect dlpsim-load-dev-zero 1 "/dev/zero: goes on beyond the limit" 10 "$sim" --load /dev/zero@0 "$tmp/halt.dlpb"
expect dlpsim-dump-huge 2 "outside DRAM" 10 "$sim" --dump "0:0xffffffffffff:$tmp/x.bin" "$tmp/halt.dlpb"
expect dlprun-input-dev-zero 1 "/dev/zero: goes on beyond the limit" 20 \
  "$run" -i /dev/zero "$tmp/net.dlpn"

# --- totals that do not wrap; memory sizes every tool agrees on -----------------------------------------
{ echo "input x: 1x1000000000"; p=x; for i in $(seq 1 20); do echo "fc l$i: $p -> t$i out=1000000000"; p=t$i; done; } >"$tmp/wrap.txt"
expect summary-total-overflow 1 "layer l19 \(fc\): the network's parameter or MAC total exceeds 2\^64" 10 \
  "$cc" --summary "$tmp/wrap.txt"
expect dlpcc-nram-not-kib 2 "whole KiB" 10 "$cc" "$tmp/net.txt" --random-weights 1 --set nram_bytes=131000 -o "$tmp/x.dlpn"
expect dlprun-nram-not-kib 2 "whole KiB" 10 "$run" -d cmodel:nram_bytes=131000 --random-input 1 "$tmp/net.dlpn"
