#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Textbook exercises 7.7-7.9 on the C model: assembles firmware/ex7x for each fully connected
# layer, serial and double-buffered, runs it on the ex77 and ex77-fp32 configurations, checks the
# outputs against the reference, and prints the tables of docs/exercises.md.
#   verif/scripts/exercises.sh [BUILD_DIR]          (default build/rel; builds what it needs)
set -euo pipefail
build=${1:-build/rel}
make -s "$build/dlpasm" "$build/dlpsim" "$build/fw/ex7x-gen"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0

# exercise M K N
exercises=("7.7 1 256 1" "7.8 32 256 128" "7.9 1024 256 128")

for ex in "${exercises[@]}"; do
  read -r name M K N <<<"$ex"
  macs=$((M * K * N))
  fp32_bytes=$((4 * (M * K + K * N + M * N)))
  echo
  echo "### Exercise $name: ${M}x${K} by ${K}x${N}"
  echo
  awk -v macs=$macs -v b=$fp32_bytes 'BEGIN {
    c = macs / 256; d = b / 64;
    printf "Analytic (fp32, 256 MAC/cycle, 64 B/cycle, 1 GHz): compute %d MAC / 256 = %.1f cycles; DRAM %d B / 64 = %.1f cycles;\n", macs, c, b, d;
    printf "serial bound compute + DRAM = **%.1f cycles**, overlapped bound max(compute, DRAM) = **%.1f cycles** (1 cycle = 1 ns).\n", c + d, (c > d ? c : d) }'
  echo
  echo "| program | configuration | cycles | vs. its bound | MAC utilisation | MFU busy | VFU busy | DMA busy | DRAM bytes (rd + wr) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  for dbuf in 0 1; do
    prog=$([ $dbuf = 0 ] && echo serial || echo double-buffered)
    d=$tmp/$name-$dbuf; mkdir -p "$d"
    # the memories of ex77 and ex77-fp32 (NRAM 32 KiB and WRAM 64 KiB in fp32 elements, ACC 1 MiB)
    "$build/fw/ex7x-gen" "$d" "$M" "$K" "$N" "$dbuf" "${name/./}" 32 64 1024 >"$d/gen.log"
    "$build/dlpasm" -I "$d" -o "$d/prog.dlpb" firmware/ex7x/ex7x.s
    for cfg in ex77-fp32 ex77; do
      args=(--config "$cfg")
      while read -r kind a b c; do
        case $kind in
          load) args+=(--load "$d/$a@$b") ;;
          check) args+=(--dump "$a:$b:$d/out-$cfg.bin"); want=$d/$c ;;
        esac
      done <"$d/manifest.txt"
      "$build/dlpsim" "${args[@]}" "$d/prog.dlpb" >"$d/sim-$cfg.log"
      if ! cmp -s "$d/out-$cfg.bin" "$want"; then
        echo "exercises.sh: $name $prog on $cfg: output differs from the reference" >&2; fail=1
      fi
      awk -v prog="$prog" -v cfg="$cfg" -v macs=$macs -v b=$fp32_bytes -v dbuf=$dbuf '
        /^cycles/ {cy = $2} /^busy mfu/ {mfu = $3} /^busy vfu/ {vfu = $3} /^busy dma/ {dma = $3}
        /^dram read/ {rd = $3} /^dram written/ {wr = $3}
        END {
          c = macs / 256; d = b / 64; if (cfg == "ex77") d = d / 4;
          bound = dbuf ? (c > d ? c : d) : c + d;
          printf "| %s | %s | %d | %.2fx | %.1f%% | %s | %s | %s | %d + %d |\n", prog, cfg, cy,
                 cy / bound, 100 * macs / (256 * cy), mfu, vfu, dma, rd, wr }' "$d/sim-$cfg.log"
    done
  done
done
echo
echo "(ex77: the same program on int8 data at 64 B/cycle, so its DRAM bound is a quarter of the fp32 one;"
echo " \"vs. its bound\" compares with the serial bound for serial programs and the overlapped bound otherwise."
echo " DRAM bytes are the model's int8 bytes -- on ex77-fp32 each stands for one fp32 value, 4 bytes of the"
echo " exercise -- and include the program fetch and the 12-byte requantization parameters per column.)"
exit $fail
