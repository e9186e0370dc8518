#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# spdx-check.sh [DIR]: every source file of the tree at DIR (default: this checkout) names its
# licence in one of its first three lines: "SPDX-License-Identifier: Apache-2.0" (LICENSE).
# Source files: C/C++ (.c .h .cc), SystemVerilog/Verilog (.sv .v), shell, Python, make files,
# DLP assembly (.s .inc; not the fuzzers' corpora, which are inputs as found) and the ISA,
# register and configuration tables (sw/isa/dlp.*). Generated files carry it too: their
# generators write it (sw/isa/genout.h). Prints "PASS: spdx ..." or one FAIL line per file.
set -u
dir=${1:-.}
cd "$dir" || { echo "FAIL: spdx: cannot enter $dir"; exit 1; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  list() { git ls-files; }
else
  list() { find . -type f ! -path './build/*' ! -path './.git/*' | sed 's|^\./||'; }
fi
n=0 bad=0
while IFS= read -r f; do
  case "$f" in
    verif/fuzz/corpus/*) continue ;;
    *.c|*.h|*.cc|*.sv|*.v|*.sh|*.py|*.mk|*.s|*.inc|Makefile|*/Makefile|sw/isa/dlp.isa|sw/isa/dlp.csr|sw/isa/dlp.configs) ;;
    *) continue ;;
  esac
  [ -f "$f" ] || continue
  n=$((n + 1))
  if ! head -n 3 -- "$f" | grep -q 'SPDX-License-Identifier: Apache-2\.0'; then
    echo "FAIL: spdx/$f: no 'SPDX-License-Identifier: Apache-2.0' in its first three lines"
    bad=$((bad + 1))
  fi
done < <(list)
if [ "$n" = 0 ]; then echo "FAIL: spdx: no source files found in $dir"; exit 1; fi
if [ "$bad" = 0 ]; then echo "PASS: spdx ($n source files name their licence)"; exit 0; fi
exit 1
