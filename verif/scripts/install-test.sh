#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make install into a temporary prefix, then use only what was installed: build examples/
# (the assembly program with the installed dlpasm, the host program with pkg-config's flags,
# against the shared and the static libdlp) and run it on the cmodel and rtl back ends; check
# the layout (soname, one include directory, opendlp.pc), the installed tools, and that
# docs/libdlp.md's first program is examples/relu.c.
#   install-test.sh BUILD_DIR [RTL_SHAPE]     (RTL_SHAPE: an rtl library built beforehand)
# Prints PASS:/FAIL: lines.
set -uo pipefail
build=$1 shape=${2:-4x4}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/opendlp-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
ok() { echo "PASS: install/$1"; }
bad() { echo "FAIL: install/$*"; }
check() { local name=$1; shift; if "$@" >"$tmp/out" 2>&1; then ok "$name"; else bad "$name: $(tail -3 "$tmp/out" | tr '\n' ' ')"; fi; }

if ! make --no-print-directory -s install BUILD="$build" PREFIX="$prefix" >"$tmp/install.log" 2>&1; then
  bad "make-install: $(tail -5 "$tmp/install.log" | tr '\n' ' ')"; exit 0; fi
ok "make-install ($(tail -1 "$tmp/install.log"))"

# layout
missing=""
for f in bin/dlpasm bin/dlpdis bin/dlpsim bin/dlpcc bin/dlprun bin/dlpplot include/opendlp/dlp_driver.h \
         include/opendlp/dlp.h include/opendlp/dlp_asm.h include/opendlp/dlp_net.h lib/libdlp.a \
         lib/libdlp.so lib/libdlp.so.1 lib/pkgconfig/opendlp.pc; do
  [ -e "$prefix/$f" ] || missing+=" $f"
done
if [ -z "$missing" ]; then ok layout; else bad "layout: missing$missing"; fi
soname=$(readelf -d "$prefix/lib/libdlp.so" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
if [ "$soname" = libdlp.so.1 ]; then ok soname; else bad "soname: '$soname', expected libdlp.so.1"; fi
undef=$(nm -D --undefined-only "$prefix/lib/libdlp.so" | grep -v -E ' (GLIBC|_ITM|__gmon|_Jv|__cxa_finalize|__asan|__ubsan|__lsan)' | grep -c -E ' dlp' || true)
if [ "$undef" = 0 ]; then ok shared-self-contained; else bad "shared-self-contained: $undef dlp symbols left undefined"; fi
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig PATH=$prefix/bin:$PATH
if [ "$(pkg-config --cflags opendlp | xargs)" = "-I$prefix/include/opendlp" ]; then ok pkg-config-cflags
else bad "pkg-config-cflags: '$(pkg-config --cflags opendlp 2>&1)'"; fi

# the examples, built with nothing but the installed package
cp -r examples "$tmp/examples"
check examples-build make --no-print-directory -C "$tmp/examples" CFLAGS="-std=c11 -Wall -Wextra -Werror -O2 ${EXAMPLE_CFLAGS:-}"
ex=$tmp/examples
run() { # NAME WANT CMD...: succeeds, and its output matches WANT
  local name=$1 want=$2 out; shift 2
  if out=$("$@" 2>&1) && grep -Eq -- "$want" <<<"$out"; then ok "$name: $(head -1 <<<"$out")"
  else bad "$name: $(echo "$out" | tail -2 | tr '\n' ' ')"; fi
}
run_fails() { # NAME WANT CMD...: exits with 1, and its output matches WANT
  local name=$1 want=$2 out rc; shift 2
  out=$("$@" 2>&1); rc=$?
  if [ $rc = 1 ] && grep -Eq -- "$want" <<<"$out"; then ok "$name"
  else bad "$name: status $rc: $(echo "$out" | tail -2 | tr '\n' ' ')"; fi
}
run relu-cmodel ' 0 of 4096 outputs wrong' "$ex/relu" cmodel "$ex/relu.dlpb"
run relu-static-cmodel ' 0 of 4096 outputs wrong' "$ex/relu-static" cmodel "$ex/relu.dlpb"
run relu-cmodel-4x4 '\(4x4\).* 0 of 4096 outputs wrong' "$ex/relu" cmodel:config=4x4 "$ex/relu.dlpb"
if [ -e "$prefix/lib/opendlp/rtl/libdlp_rtl_$shape.so" ]; then
  run "relu-rtl-$shape" "rtl \\($shape\\).* 0 of 4096 outputs wrong" "$ex/relu" "rtl:shape=$shape" "$ex/relu.dlpb"
  run "relu-static-rtl-$shape" "rtl \\($shape\\).* 0 of 4096 outputs wrong" \
    env DLP_RTL_LIB_DIR="$prefix/lib/opendlp/rtl" "$ex/relu-static" "rtl:shape=$shape" "$ex/relu.dlpb"
else
  bad "relu-rtl-$shape: no rtl library for $shape was installed (make rtl-lib RTL_SHAPE=$shape first)"
fi
run_fails relu-rtl-missing 'not built .*DLP_RTL_LIB_DIR' "$ex/relu" rtl:shape=ex77 "$ex/relu.dlpb"

# the installed tools work from the prefix (dlprun finds the installed rtl libraries itself)
run dlpcc "lenet5.dlpn: 6 programs" dlpcc docs/examples/lenet5.txt --random-weights 1 -o "$tmp/lenet5.dlpn"
run dlprun-cmodel 'total: [0-9]+ cycles' dlprun -q --random-input 1 "$tmp/lenet5.dlpn"
run version 'dlprun \(OpenDLP\)' dlprun --version

# docs/libdlp.md's first program is examples/relu.c, word for word
sed -n '/^## A first program/,/^## /p' docs/libdlp.md | sed -n '/^```c$/,/^```$/p' | sed '1d;$d' >"$tmp/first.c"
# (the file's licence line is not part of what the docs show)
grep -v '^/\* SPDX-License-Identifier: .* \*/$' examples/relu.c >"$tmp/relu-nolicence.c"
if cmp -s "$tmp/first.c" "$tmp/relu-nolicence.c"; then ok docs-first-program
else bad "docs-first-program: the code under 'A first program' in docs/libdlp.md differs from examples/relu.c: $(diff "$tmp/first.c" "$tmp/relu-nolicence.c" | head -3 | tr '\n' ' ')"; fi
