#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Speed and size figures (make bench). Not a test: it prints measurements, it asserts nothing.
#   bench.sh BUILD SHAPE...      (make bench: the configurations marked `bench` in sw/isa/dlp.configs)
#   - the C model: AlexNet (docs/examples/alexnet.txt, random weights) on the default 16x16
#     configuration, cycle-timed and functional: simulated MACs and cycles per second of CPU time
#   - LeNet-5 through dlprun --time on the cmodel, systemc (SystemC platform) and rtl back ends:
#     simulated cycles per CPU second of the layer runs
#   - firmware/gemm 128x256x256 (the generator's tiling) on the C model: cycles, MAC utilisation
#   - textbook exercise 7.9 double-buffered on ex77-fp32 (exercises.sh): cycles, distance to the bound
#   - dlpcc: ResNet-50 and MobileNetV2 (docs/examples) on the C model: cycles, MAC utilisation
#   - the Verilated core: dir/bench_speed on the 16x16 co-simulation binary (lockstep checking
#     with the C model included), simulated cycles per second
#   - the functional C model on ResNet-50 (docs/examples/resnet50.txt, random weights):
#     G MAC/s per inference on one thread (netbench), beside onnxruntime's int8 ResNet-50 on
#     the same machine in the same run (bench_ort.py)
#   - the FPGA builds present under BUILD/fpga: utilisation and Fmax from nextpnr's reports
set -uo pipefail
build=${1:?usage: bench.sh BUILD SHAPE...}
shift
work=$build/bench
mkdir -p "$work"

cpu_seconds() { # command...: runs it, prints its user+system CPU seconds on stderr's last line
  /usr/bin/time -f "%U %S" "$@" 2>"$work/time.txt" >"$work/out.txt"
  tail -1 "$work/time.txt" | awk '{ printf "%.3f", $1 + $2 }'
}

echo "==== C model (cmodel/), AlexNet at 1x3x224x224, 16x16"
if [ ! -f "$work/alexnet.dlpn" ]; then
  "$build/dlpcc" docs/examples/alexnet.txt --random-weights 1 -o "$work/alexnet.dlpn" >/dev/null ||
    { echo "bench: dlpcc failed"; exit 1; }
fi
for mode in cmodel cmodel:functional=1; do
  t=$(cpu_seconds "$build/dlprun" -d "$mode" --random-input 1 -k 0 --no-progress "$work/alexnet.dlpn")
  tot=$(grep '^total:' "$work/out.txt")
  cyc=$(sed -n 's/^total: \([0-9]*\) cycles, \([0-9]*\) MACs.*/\1/p' <<<"$tot")
  macs=$(sed -n 's/^total: \([0-9]*\) cycles, \([0-9]*\) MACs.*/\2/p' <<<"$tot")
  awk -v m="$mode" -v t="$t" -v c="$cyc" -v n="$macs" 'BEGIN {
    if (m ~ /functional/)  # every unit takes one cycle: the cycle count means nothing
      printf "%-22s %10d MACs in %6.2f s CPU (package load included): %7.1f M MACs/s\n",
             m, n, t, n / t / 1e6
    else
      printf "%-22s %10d MACs, %9d cycles in %6.2f s CPU (package load included): %7.1f M MACs/s, %6.2f M cycles/s\n",
             m, n, c, t, n / t / 1e6, c / t / 1e6 }'
done

echo "==== LeNet-5 (sw/nets/lenet5), 16x16, dlprun --time: simulated cycles per CPU second of the layer runs"
if "$build/dlpcc" sw/nets/lenet5/lenet5.txt -w sw/nets/lenet5/lenet5.dlpw -o "$work/lenet5.dlpn" >/dev/null; then
  for dev in cmodel systemc rtl; do
    # the best of 5 runs (device open and package load are not timed)
    best=
    for i in 1 2 3 4 5; do
      line=$("$build/dlprun" -d "$dev" --random-input 1 -k 0 --no-progress --time "$work/lenet5.dlpn" 2>&1 |
             grep '^time:') || { best=; break; }
      r=$(sed -n 's/.*, \([0-9.]*\) M simulated cycles\/s/\1/p' <<<"$line")
      best=$(awk -v a="$best" -v b="$r" 'BEGIN { print (a == "" || b > a) ? b : a }')
    done
    if [ -z "$best" ]; then echo "$dev: did not run (dlprun -d $dev failed)"; continue; fi
    printf '%-8s %8.3f M simulated cycles/s (LeNet-5: %s cycles)\n' "$dev" "$best" \
      "$("$build/dlprun" -d "$dev" --random-input 1 -k 0 --no-progress -q "$work/lenet5.dlpn" 2>/dev/null |
         sed -n 's/^total: \([0-9]*\) cycles.*/\1/p')"
  done
else
  echo "bench: dlpcc failed on lenet5"
fi

echo "==== firmware/gemm 128x256x256 on the C model, 16x16 (tiles chosen by firmware/gemm/gen.c)"
g=$work/gemm128
rm -rf "$g"; mkdir -p "$g"
if "$build/fw/gemm-gen" "$g" 128 256 256 1 >"$g/gen.log" 2>&1 &&
   "$build/dlpasm" -I "$g" -o "$g/prog.dlpb" firmware/gemm/gemm.s >"$g/asm.log" 2>&1; then
  args=(--config default)
  while read -r kind a b c; do
    case "$kind" in
      load)  args+=(--load "$g/$a@$b") ;;
      check) args+=(--dump "$a:$b:$g/out.bin"); want=$g/$c ;;
    esac
  done <"$g/manifest.txt"
  if "$build/dlpsim" "${args[@]}" "$g/prog.dlpb" >"$g/sim.log" 2>&1 && cmp -s "$g/out.bin" "$want"; then
    cyc=$(awk '/^cycles/ {print $2}' "$g/sim.log")
    echo "$(head -1 "$g/gen.log"): $cyc cycles, $(awk -v c="$cyc" 'BEGIN { printf "%.1f", 100 * 128 * 256 * 256 / (c * 256) }') % MAC utilisation (bound 32768 cycles)"
  else
    echo "gemm 128x256x256: run failed or wrong output (see $g)"
  fi
else
  echo "gemm 128x256x256: generator or assembler failed (see $g)"
fi

echo "==== textbook exercise 7.9 (1024x256 by 256x128) double-buffered on ex77-fp32 (verif/scripts/exercises.sh; docs/exercises.md)"
if verif/scripts/exercises.sh "$build" >"$work/exercises.txt" 2>&1; then
  awk '/^### Exercise 7.9/ {e = 1} e && /^\| double-buffered \| ex77-fp32 \|/ {
         printf "exercise 7.9 double-buffered, ex77-fp32: %d cycles, %.2f %% over the 131072-cycle bound, %s MAC utilisation\n",
                $6, 100 * ($6 - 131072) / 131072, $10; exit }' "$work/exercises.txt"
else
  echo "exercises.sh failed (see $work/exercises.txt)"
fi

echo "==== dlpcc whole networks on the C model, 16x16 (--random-weights 1 --run; docs/compiler.md)"
for net in resnet50 mobilenet_v2; do
  if "$build/dlpcc" "docs/examples/$net.txt" --random-weights 1 --run -o "$work/$net.dlpn" \
       >"$work/$net.txt" 2>&1; then
    echo "$net: $(grep '^total' "$work/$net.txt" | sed 's/  */ /g')"
    # the first convolution and the fused residual-add programs (issue 13's per-program figures)
    awk -v net="$net" '$1 == "conv1" { c = $4 }
         $1 ~ /\+.*add$/ { u = $4 + 0; if (n++ == 0 || u < lo) lo = u; if (u > hi) hi = u }
         END { if (c != "" || n) printf "%s:", net
               if (c != "") printf " conv1 %s", c
               if (n) printf "; %d fused conv + add programs %.1f-%.1f%%", n, lo, hi
               if (c != "" || n) print "" }' "$work/$net.txt"
  else
    echo "$net: dlpcc failed (see $work/$net.txt)"
  fi
done

echo "==== functional C model vs onnxruntime, ResNet-50 at 1x224x224x3, one thread"
if [ ! -f "$work/resnet50.dlpn" ]; then
  "$build/dlpcc" docs/examples/resnet50.txt --random-weights 1 -o "$work/resnet50.dlpn" >/dev/null ||
    { echo "bench: dlpcc failed"; exit 1; }
fi
"$build/netbench" "$work/resnet50.dlpn" 3
DLP_MM_KERNEL=portable "$build/netbench" "$work/resnet50.dlpn" 1
if verif/scripts/install-deps.sh ortbench >&2; then
  python3 verif/scripts/bench_ort.py "$work/ort" 3 2>"$work/ort.log" ||
    echo "onnxruntime: failed (see $work/ort.log)"
else
  echo "onnxruntime: not installed"
fi

echo "==== Verilated core (verif/sim), dir/bench_speed"
for s in "$@"; do
  bin=$build/sim/sim_$s
  [ -x "$bin" ] || { echo "$s: not built (make sim-build SHAPE=$s)"; continue; }
  "$bin" --random 0 --stall-random 0 --test dir/bench_speed --fw-build "$build" --work "$work/sim" \
    >"$work/sim_$s.txt" 2>&1
  line=$(grep '^benchmark:' "$work/sim_$s.txt" | tail -1)
  echo "$s: ${line:-no benchmark line (see $work/sim_$s.txt)}"
done

echo "==== FPGA builds ($build/fpga; make fpga BOARD=..., details in docs/fpga.md)"
found=0
for d in "$build"/fpga/*/; do
  [ -f "$d/report.json" ] || continue
  found=1
  python3 - "$d" <<'PY'
import json, os, sys
d = sys.argv[1]
r = json.load(open(os.path.join(d, "report.json")))
u = r.get("utilization", {})
def f(k):
    x = u.get(k, {})
    return f"{x.get('used', 0)}/{x.get('available', 0)}"
fm = r.get("fmax", {})
core = max(fm, key=lambda k: fm[k].get("constraint", 0)) if fm else None
fmax = f"Fmax {fm[core]['achieved']:.1f} MHz (target {fm[core]['constraint']:.1f})" if core else "no Fmax"
print(f"{os.path.basename(os.path.normpath(d))}: LUT4 {f('TRELLIS_COMB')}, FF {f('TRELLIS_FF')}, "
      f"DSP {f('MULT18X18D')}, EBR {f('DP16KD')}; {fmax}")
PY
done
[ $found = 1 ] || echo "none built"
