#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Command-line tools on good and bad input: every bad input must give a clear message and a
# non-zero exit status, never a crash (signal) or a hang.
#   cli-tests.sh BUILD_DIR
# Prints "PASS: cli/<name>" or "FAIL: cli/<name> ..." per case.
set -uo pipefail
build=$1
tmp=$build/cli; rm -rf "$tmp"; mkdir -p "$tmp"
asm=$build/dlpasm dis=$build/dlpdis sim=$build/dlpsim

# expect NAME WANT_STATUS PATTERN CMD... (verif/scripts/expect.sh), 10 s limit
ok() { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; }
EXPECT_TIMEOUT=10
source verif/scripts/expect.sh

# --- a good program, end to end -----------------------------------------------------------------
cat >"$tmp/ok.s" <<'S'
; copy 100 bytes DRAM -> NRAM -> DRAM, clamping negatives to 0 on the way
    li r1, 0x10000
    li r2, 0
    li r3, 0x20000
    dma nram[r2], dram[r1], 100, signal=cp
    vclamp nram[r2], nram[r2], 1, 100, 0, 127, wait=ld, signal=st
    dma dram[r3], nram[r2], 100, wait=cp
    halt
S
head -c 100 /dev/urandom >"$tmp/in.bin"
expect asm-ok 0 '' "$asm" -o "$tmp/ok.dlpb" "$tmp/ok.s"
expect sim-ok 0 'status +halted' "$sim" --load "$tmp/in.bin@0x10000" --dump "0x20000:100:$tmp/out.bin" "$tmp/ok.dlpb"
expect sim-trace 0 'vclamp' "$sim" --trace --load "$tmp/in.bin@0x10000" "$tmp/ok.dlpb"
expect dis-ok 0 'vclamp nram\[r2\], nram\[r2\], 1, 100, 0, 127' "$dis" "$tmp/ok.dlpb"
"$dis" "$tmp/ok.dlpb" >"$tmp/re.s" 2>/dev/null
expect roundtrip 0 '' "$asm" -o "$tmp/re.dlpb" "$tmp/re.s"
if cmp -s "$tmp/ok.dlpb" "$tmp/re.dlpb"; then echo "PASS: cli/roundtrip-identical"; else echo "FAIL: cli/roundtrip-identical binaries differ"; fi
for shape in 4x4 8x16 ex77; do
  expect "sim-config-$shape" 0 'status +halted' "$sim" --config $shape --load "$tmp/in.bin@0x10000" "$tmp/ok.dlpb"
done

# --- assembler errors ------------------------------------------------------------------------------
printf 'li r1, 5\nfoo r1, r2\n' >"$tmp/bad1.s"
expect asm-unknown-mnemonic 1 'bad1.s:2:1: error: ' "$asm" -o "$tmp/x.dlpb" "$tmp/bad1.s"
printf 'li r1, 5\ndma nram[r1], dram[r2], 0\nhalt\n' >"$tmp/bad2.s"
expect asm-zero-size 1 'bad2.s:2:[0-9]+: error: .*n0' "$asm" -o "$tmp/x.dlpb" "$tmp/bad2.s"
printf 'loop 3\nnop\n' >"$tmp/bad3.s"
expect asm-unterminated-loop 1 'bad3.s:1:[0-9]+: error: ' "$asm" -o "$tmp/x.dlpb" "$tmp/bad3.s"
printf 'dma nram[r1], dram[r2], 4, pv=300\nhalt\n' >"$tmp/bad4.s"
expect asm-range 1 'bad4.s:1:[0-9]+: error: .*300' "$asm" -o "$tmp/x.dlpb" "$tmp/bad4.s"
expect asm-missing-file 1 'cannot|No such' "$asm" -o "$tmp/x.dlpb" "$tmp/does-not-exist.s"
head -c 4000 /dev/urandom >"$tmp/garbage.s"
expect asm-garbage 1 'error' "$asm" -o "$tmp/x.dlpb" "$tmp/garbage.s"

# --- loader errors (dlpdis and dlpsim share dlp_prog_parse) -----------------------------------------
head -c 1000 /dev/urandom >"$tmp/random.dlpb"
expect dis-random 1 'bad magic|shorter' "$dis" "$tmp/random.dlpb"
expect sim-random 1 'bad magic|shorter' "$sim" "$tmp/random.dlpb"
head -c 40 "$tmp/ok.dlpb" >"$tmp/trunc.dlpb"
expect dis-truncated 1 'bytes but the header announces' "$dis" "$tmp/trunc.dlpb"
cp "$tmp/ok.dlpb" "$tmp/flip.dlpb"; printf '\xff' | dd of="$tmp/flip.dlpb" bs=1 seek=40 conv=notrunc 2>/dev/null
expect sim-corrupted 1 'CRC' "$sim" "$tmp/flip.dlpb"
expect sim-missing 1 'cannot open' "$sim" "$tmp/none.dlpb"

# --- run-time errors ------------------------------------------------------------------------------------
printf '.insn 0, 0, 0, 0\nhalt\n' >"$tmp/illegal.s"
"$asm" -o "$tmp/illegal.dlpb" "$tmp/illegal.s" >/dev/null 2>&1
expect sim-illegal-opcode 1 'ILLEGAL_OPCODE at instruction 0' "$sim" "$tmp/illegal.dlpb"
printf 'li r1, 0x7ffffff0\nli r2, 0\ndma nram[r2], dram[r1], 64\nhalt\n' >"$tmp/window.s"
"$asm" -o "$tmp/window.dlpb" "$tmp/window.s" >/dev/null 2>&1
expect sim-dram-window 1 'DRAM_WINDOW at instruction 2' "$sim" "$tmp/window.dlpb"
printf 'li r1, 0\nli r2, 0x1fff0\ndma nram[r2], dram[r1], 64\nhalt\n' >"$tmp/spad.s"
"$asm" -o "$tmp/spad.dlpb" "$tmp/spad.s" >/dev/null 2>&1
expect sim-spad-range 1 'SPAD_RANGE at instruction 2' "$sim" "$tmp/spad.dlpb"
printf 'loop 0xffffffff\nnop\nendloop\nhalt\n' >"$tmp/runaway.s"
"$asm" -o "$tmp/runaway.dlpb" "$tmp/runaway.s" >/dev/null 2>&1
expect sim-timeout 1 'TIMEOUT' "$sim" --set max_cycles=100000 "$tmp/runaway.dlpb"
printf 'nop\n' >"$tmp/nohalt.s"
"$asm" -o "$tmp/nohalt.dlpb" "$tmp/nohalt.s" >/dev/null 2>&1
expect sim-pc-range 1 'PC_RANGE at instruction 1' "$sim" "$tmp/nohalt.dlpb"
printf 'li r1, 0\nvclamp nram[r1], nram[r1], 1, 4, 0, 1, wait=ld\nsync\nhalt\n' >"$tmp/dead.s"
"$asm" -o "$tmp/dead.dlpb" "$tmp/dead.s" >/dev/null 2>&1
expect sim-deadlock 1 'DEADLOCK' "$sim" "$tmp/dead.dlpb"

# --- fpga/scripts/depth.py on a hand-made netlist (verif/fpga/depth-netlist.json), expected values
# worked out by hand from the Trellis speed-6 delays and 0.5 ns per routed connection: block RAM
# out 5.83 + LUT 0.236 + 2 nets = 7.07 ns; FF 0.525 + 2 LUTs + 3 nets = 2.50 ns; FF + CCU2C
# A0->COUT 0.447 + the carry link (no routing) + CIN->S1 0.474 + 2 nets = 2.45 ns. Area: u_dma has
# two CCU2C (4 LUT4 slots) and two flip-flops, u_fe three LUT4 and three flip-flops ---
dp="python3 fpga/scripts/depth.py"
expect depth-ok 0 'worst path 7\.07 ns, 1 levels, u_core\.u_imem\.ram -> u_core\.u_fe\.e_q' \
  $dp verif/fpga/depth-netlist.json "$tmp/depth.txt" "$tmp/depth.json"
expect depth-lut-path 0 '2\. 2\.50 ns, 2 levels: u_core\.u_fe\.a_q -> u_core\.u_fe\.b_q\.DI' cat "$tmp/depth.txt"
expect depth-carry-path 0 '3\. 2\.45 ns, 2 levels: u_core\.u_dma\.c_q -> u_core\.u_dma\.d_q\.DI' cat "$tmp/depth.txt"
expect depth-area 0 '^4 2 2 3 3$' python3 -c "import json; a = json.load(open('$tmp/depth.json'))['area']; \
d, f = a['u_core.u_dma'], a['u_core.u_fe']; print(d['lut'], d['carry'], d['ff'], f['lut'], f['ff'])"
expect depth-not-json 1 'cannot read' $dp "$tmp/ok.s" "$tmp/depth-bad.txt" "$tmp/depth-bad.json"
echo '{"modules": {"m": {"cells": {"x": {"type": "LUT4"}}}}}' >"$tmp/notnet.json"
expect depth-not-netlist 1 'not a Yosys JSON netlist' $dp "$tmp/notnet.json" "$tmp/depth-bad.txt" "$tmp/depth-bad.json"
expect depth-no-partial-output 0 '^none$' sh -c "ls '$tmp'/depth-bad.* 2>/dev/null || echo none"
expect depth-usage 2 'depth\.py NETLIST\.json OUT\.txt OUT\.json' $dp

# --- every tool: --version, and one exit-status convention (0 ok, 1 input error, 2 usage) ---------------
for t in dlpsim dlpasm dlpdis dlpcc dlprun dlpplot; do
  expect "version-$t" 0 "^$t \\(OpenDLP\\) .+
ISA version [0-9]+; program binary \\(.dlpb\\) format [0-9]+" "$build/$t" --version
  expect "usage-bad-option-$t" 2 'unknown option' "$build/$t" --no-such-option x
  expect "usage-no-args-$t" 2 'usage' "$build/$t"
done
expect input-missing-dlpasm 1 'cannot|No such' "$asm" "$tmp/none.s"
expect input-missing-dlpdis 1 'cannot open' "$dis" "$tmp/none.dlpb"
expect input-missing-dlprun 1 'cannot open|No such' "$build/dlprun" "$tmp/none.dlpn"
expect input-missing-dlpcc 1 'No such file' "$build/dlpcc" --summary "$tmp/none.txt"
expect usage-two-inputs-dlpdis 2 'more than one' "$dis" "$tmp/ok.dlpb" "$tmp/ok.dlpb"
expect usage-value-dlpasm 2 'needs a value' "$asm" "$tmp/ok.s" -o
"$build/dlpcc" docs/examples/lenet5.txt --random-weights 1 -o "$tmp/lenet5.dlpn" >/dev/null 2>&1
expect usage-bad-device-dlprun 2 "unknown back end 'nope'" "$build/dlprun" -d nope "$tmp/lenet5.dlpn"
expect input-not-a-package-dlprun 1 'bad magic' "$build/dlprun" docs/img/lenet5.json

# --- make help lists every target a user may run --------------------------------------------------------
help_out=$(make -s help 2>&1)
internal=" FORCE sim-all sim-shape-force sim-selftest dma-lint lint-mfu block-vfu-lint help install-libs install-test-prereqs print-generated "
missing=""
for t in $(make -pn -f Makefile help 2>/dev/null | sed -n 's/^\.PHONY: //p' | tr ' ' '\n' | sort -u); do
  case "$internal" in *" $t "*) continue ;; esac
  case "$t" in block-*) continue ;; esac
  grep -Eq "(^|[ (,:])$t([ ,):]|$)" <<<"$help_out" || missing+=" $t"
done
if [ -z "$missing" ]; then echo "PASS: cli/make-help-complete"; else echo "FAIL: cli/make-help-complete: not in make help:$missing"; fi

# --- race check (on by default): accesses no token or sync orders are an error -------------------------
sed -e 's/, signal=cp$//' -e 's/, wait=ld, signal=st$//' -e 's/, wait=cp$//' "$tmp/ok.s" >"$tmp/racy.s"
"$asm" -o "$tmp/racy.dlpb" "$tmp/racy.s" >/dev/null 2>&1
rm -f "$tmp/racy-out.bin"
expect race-raw 1 'read-after-write race on nram bytes 0x0\.\.0x63: dma at pc 3 \(ld #0\) writes them and vclamp at pc 4 \(cp #0\) reads them' \
  "$sim" --load "$tmp/in.bin@0x10000" --dump "0x20000:100:$tmp/racy-out.bin" "$tmp/racy.dlpb"
expect race-raw-store 1 'vclamp at pc 4 \(cp #0\) writes them and dma at pc 5 \(st #0\) reads them' "$sim" "$tmp/racy.dlpb"
if [ -e "$tmp/racy-out.bin" ]; then echo "FAIL: cli/race-no-dump: a racy run wrote its --dump"; else echo "PASS: cli/race-no-dump"; fi
expect race-tokens 0 'races +0 among 1 ld, 1 cp, 0 vf, 1 st' "$sim" "$tmp/ok.dlpb"
expect race-off 0 'races +not checked' "$sim" --set race_check=0 "$tmp/racy.dlpb"
sed -e 's/, signal=cp$//' -e 's/, wait=ld, signal=st$//' -e 's/, wait=cp$//' -e 's/^\(    vclamp.*\)/    sync\n\1\n    sync/' "$tmp/ok.s" >"$tmp/synced.s"
"$asm" -o "$tmp/synced.dlpb" "$tmp/synced.s" >/dev/null 2>&1
expect race-sync 0 'races +0 among' "$sim" "$tmp/synced.dlpb"
# a load that overwrites the buffer an earlier vclamp reads: write-after-read, whatever the timing
cat >"$tmp/war.s" <<'S'
    li r1, 0x10000
    li r3, 0x1000
    loop 2
        dma nram[r0], dram[r1], 100, signal=cp
        vclamp nram[r3], nram[r0], 1, 100, 0, 127, wait=ld
    endloop
    halt
S
"$asm" -o "$tmp/war.dlpb" "$tmp/war.s" >/dev/null 2>&1
# (which of the two starts first, and so the kind named, depends on the timing; the race does not)
war='race on nram bytes 0x0\.\.0x63: (dma at pc 3 \(ld #1\).*vclamp at pc 4 \(cp #0\)|vclamp at pc 4 \(cp #0\).*dma at pc 3 \(ld #1\))'
expect race-war 1 "$war" "$sim" "$tmp/war.dlpb"
expect race-war-functional 1 "$war" "$sim" --set functional=1 "$tmp/war.dlpb"
expect race-war-slow-dram 1 "$war" "$sim" --set dram_latency=2000 "$tmp/war.dlpb"
cat >"$tmp/nowar.s" <<'S'
    li r1, 0x10000
    li r3, 0x1000
    dma nram[r0], dram[r1], 100, signal=cp
    vclamp nram[r3], nram[r0], 1, 100, 0, 127, wait=ld, signal=ld
    dma nram[r0], dram[r1], 100, wait=cp, signal=cp
    vclamp nram[r3], nram[r0], 1, 100, 0, 127, wait=ld
    halt
S
"$asm" -o "$tmp/nowar.dlpb" "$tmp/nowar.s" >/dev/null 2>&1
expect race-war-token 0 'races +0 among 2 ld, 2 cp, 0 vf, 0 st' "$sim" "$tmp/nowar.dlpb"

# --- bad options ---------------------------------------------------------------------------------------
expect sim-bad-config 2 "unknown configuration 'nope'" "$sim" --config nope "$tmp/ok.dlpb"
expect sim-bad-set 2 'rows' "$sim" --set rows=0 "$tmp/ok.dlpb"
expect sim-bad-key 2 "unknown configuration key 'colour'" "$sim" --set colour=3 "$tmp/ok.dlpb"
expect sim-bad-load 2 'FILE@ADDR' "$sim" --load nofile "$tmp/ok.dlpb"
expect sim-no-args 2 'usage' "$sim"

# --- dlpplot: pictures from dlprun --json; malformed input is a located error ---------------------------
plot=$build/dlpplot
verif/scripts/plots.sh --check "$build" docs/img | sed 's/^\(PASS\|FAIL\): plots/\1: cli\/plots/'
expect plot-roofline 0 '' "$plot" roofline docs/img/lenet5.json -o "$tmp/r.svg"
# LeNet-5 has five layers with MACs (two convolutions, three fully connected): one circle each
if [ "$(grep -c '<circle cx=.*<title>' "$tmp/r.svg")" = 5 ]; then
  echo "PASS: cli/plot-roofline-layers"; else echo "FAIL: cli/plot-roofline-layers: expected 5 layer circles, got $(grep -c '<circle cx=.*<title>' "$tmp/r.svg")"; fi
expect plot-usage 2 'usage' "$plot" roofline docs/img/lenet5.json
expect plot-unknown 2 "unknown picture 'pie'" "$plot" pie docs/img/lenet5.json -o "$tmp/r.svg"
printf '{"format": "opendlp-run", "format_version": 1,\n  "core": {"rows": 16,, }}\n' >"$tmp/bad.json"
expect plot-bad-json 1 'bad.json:2:23: expected a "key"' "$plot" util "$tmp/bad.json" -o "$tmp/u.svg"
if [ -e "$tmp/u.svg" ]; then echo "FAIL: cli/plot-no-partial: a failed dlpplot left $tmp/u.svg"; else echo "PASS: cli/plot-no-partial"; fi
printf '{"format": "opendlp-run", "format_version": 1, "core": {"rows": 2, "cols": 2, "peak_macs_per_cycle": 4, "dram_bytes_per_cycle": 4}, "layers": [{"name": "a", "kind": "k", "macs": 100, "cycles": 1, "dram_read_bytes": 1, "dram_write_bytes": 0, "busy_dma": 0, "busy_mfu": 0, "busy_vfu": 0}]}\n' >"$tmp/over.json"
expect plot-inconsistent 1 'layer 0 \(a\): inconsistent' "$plot" roofline "$tmp/over.json" -o "$tmp/o.svg"
printf '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' >"$tmp/deep.json"
expect plot-deep 1 'nested deeper' "$plot" roofline "$tmp/deep.json" -o "$tmp/o.svg"
expect plot-missing 1 'cannot open' "$plot" roofline "$tmp/none.json" -o "$tmp/o.svg"

# --- the staleness check of generated files catches a hand edit -----------------------------------------
groot=$tmp/genroot
for f in $(make -s --no-print-directory print-generated); do
  mkdir -p "$groot/$(dirname "$f")"; cp "$f" "$groot/$f"
done
expect gen-check-clean 0 'up to date' make -s gen-check GEN_ROOT="$groot"
sed -i 's/| 0x10 | `dma` |/| 0x11 | `dma` |/' "$groot/docs/isa.md"
expect gen-check-hand-edit 2 'docs/isa.md is stale or hand-edited' make -s gen-check GEN_ROOT="$groot"
cp rtl/dlp_isa_pkg.sv "$groot/rtl/dlp_isa_pkg.sv"; echo '// edit' >>"$groot/rtl/dlp_csr_pkg.sv"
expect gen-check-sv-edit 2 'rtl/dlp_csr_pkg.sv is stale' make -s gen-check GEN_ROOT="$groot"
cp rtl/dlp_csr_pkg.sv "$groot/rtl/dlp_csr_pkg.sv"
sed -i 's/^CFG_8x16_GFLAGS := -GRows=8 -GCols=16 -GVLanes=8/CFG_8x16_GFLAGS := -GRows=8 -GCols=16 -GVLanes=4/' "$groot/rtl/dlp_configs.mk"
expect gen-check-configs-edit 2 'rtl/dlp_configs.mk is stale' make -s gen-check GEN_ROOT="$groot"
