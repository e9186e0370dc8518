#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Regenerates docs/fpga.md's figures from the tools' reports (make fpga-report).

    report.py FPGA_BUILD_DIR DOC

For every board built under FPGA_BUILD_DIR (a directory BOARD/ with params.txt, written by
fpga/scripts/flow.sh after a complete run), reads nextpnr's report.json (utilisation, Fmax,
critical path), Yosys's synth-stat.txt (cell counts), depth.json (area per instance and the
longest paths before place and route, fpga/scripts/depth.py) and the logs' tool versions, and
rewrites
the part of DOC between the lines "<!-- fpga-report:begin -->" and "<!-- fpga-report:end -->".
Boards that have not been built are listed as such; nothing else in DOC changes.
"""
import json
import os
import re
import sys

BEGIN = "<!-- fpga-report:begin -->"
END = "<!-- fpga-report:end -->"


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def params(text):
    out = {}
    for line in text.splitlines():
        for tok in line.split():
            if "=" in tok:
                k, v = tok.split("=", 1)
                out[k] = v
        m = re.match(r"^(yosys|nextpnr)=(.*)$", line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def yosys_cells(stat):
    """Cell counts of the top module from `stat` text output."""
    cells = {}
    if not stat:
        return cells
    for m in re.finditer(r"^\s+(\d+)\s+(?:\S+\s+)?([A-Za-z_$][\w$]*)\s*$", stat, re.M):
        cells[m.group(2)] = cells.get(m.group(2), 0) + int(m.group(1))
    return cells


def kib(n):
    n = int(n)
    return f"{n // 1024} KiB" if n % 1024 == 0 else f"{n} B"


def path_summary(rep, clock):
    """The worst register-to-register path of the core clock: endpoints, delay, split."""
    paths = [p for p in rep.get("critical_paths") or []
             if clock and clock in str(p.get("from", "")) and clock in str(p.get("to", ""))]
    best = None
    for p in paths:
        steps = p.get("path") or []
        total = sum(s.get("delay", 0.0) for s in steps)
        if best is None or total > best[0]:
            best = (total, p, steps)
    if not best:
        return None
    total, p, steps = best
    logic = sum(s.get("delay", 0.0) for s in steps if s.get("type") != "routing")
    routing = total - logic
    cells = [s.get("to", {}).get("cell", "") for s in steps if s.get("type") == "logic"]

    def short(c):
        c = c or "?"
        return c if len(c) <= 70 else c[:33] + "..." + c[-33:]

    src = steps[0].get("from", {}).get("cell", "?") if steps else "?"
    dst = steps[-1].get("to", {}).get("cell", "?") if steps else "?"
    return {
        "clock": f"{p.get('from', '?')} -> {p.get('to', '?')}",
        "total": total,
        "logic": logic,
        "routing": routing,
        "levels": len(cells),
        "from": short(src),
        "to": short(dst),
    }


def short_name(c, n=70):
    c = c or "?"
    return c if len(c) <= n else c[:n // 2 - 2] + "..." + c[-(n // 2 - 2):]


def depth_lines(d):
    """Area per instance and the longest paths before place and route (depth.json, written by
    fpga/scripts/depth.py at the end of every synthesis)."""
    dep = read(os.path.join(d, "depth.json"))
    if not dep:
        return []
    dep = json.loads(dep)
    area = dep.get("area", {})
    lines = ["Before place and route (`make fpga-depth`: `depth.txt`, fpga/scripts/depth.py; cells "
             "charged to the instance whose signal they drive, delays from the Trellis speed-6 cell "
             f"data plus {dep.get('net_ns', '?')} ns per routed connection, an estimate):", ""]
    core = "u_soc.u_core"
    rows = [(k, v) for k, v in area.items()
            if k == core or (k.startswith(core + ".") and "." not in k[len(core) + 1:])]
    rows.sort(key=lambda kv: -kv[1].get("lut", 0))
    lines.append("| instance | LUT4 slots | of which CCU2C | LUT RAM | FF | DSP | EBR |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for k, v in rows:
        lines.append(f"| `{k}` | {v.get('lut', 0):,} | {v.get('carry', 0):,} | {v.get('lutram', 0):,} | "
                     f"{v.get('ff', 0):,} | {v.get('dsp', 0)} | {v.get('bram', 0)} |")
    lines.append("")
    for i, p in enumerate(dep.get("paths", [])[:3]):
        rtl = " -> ".join(p.get("rtl", [])) or "-"
        lines.append(f"{i + 1}. {p['delay_ns']:.1f} ns, {p['levels']} levels: `{short_name(p['from'])}` -> "
                     f"`{short_name(p['to'])}` (RTL: {rtl})")
    lines.append("")
    return lines


def synth_only_section(d, board):
    """A board synthesised (make fpga-depth) but not placed and routed here."""
    cells = yosys_cells(read(os.path.join(d, "synth-stat.txt")))
    lines = [f"### `{board}`: synthesised only", "",
             "Not placed and routed here (`make fpga BOARD=" + board + "` gives the utilisation and "
             "Fmax); the figures are Yosys's."]
    if cells:
        parts = [f"{cells[c]:,} {c}" for c in ("LUT4", "CCU2C", "TRELLIS_FF", "TRELLIS_DPR16X4",
                                              "MULT18X18D", "DP16KD") if cells.get(c)]
        lines += ["", "Yosys cells: " + ", ".join(parts) + "."]
    lines.append("")
    lines += depth_lines(d)
    return lines


def board_section(d, board):
    par = params(read(os.path.join(d, "params.txt")) or "")
    rep = json.loads(read(os.path.join(d, "report.json")) or "{}")
    cells = yosys_cells(read(os.path.join(d, "synth-stat.txt")))
    util = rep.get("utilization", {})

    def u(kind):
        x = util.get(kind)
        return (x.get("used", 0), x.get("available", 0)) if x else (0, 0)

    fmax = rep.get("fmax", {})
    # the core clock is the PLL output; the 25 MHz input clock only feeds the PLL
    core = None
    for name, v in fmax.items():
        if core is None or v.get("constraint", 0) > fmax[core].get("constraint", 0):
            core = name
    lines = []
    shape = par.get('shape', '?')
    try:
        r, c = (int(x) for x in shape.split('x'))
        pes = f" ({par['dsp_pes']} of {r * c} PE multipliers in DSP blocks)" if 'dsp_pes' in par else ""
    except (ValueError, KeyError):
        pes = ""
    lines.append(f"### `{board}`: {shape}{pes}, {par.get('vlanes', '?')} vector lanes")
    lines.append("")
    lines.append(
        f"Device LFE5U-{par.get('device', '?').upper().replace('K', 'F')} "
        f"({par.get('package', '?')}, speed {par.get('speed', '?')}); NRAM {kib(par.get('nram', 0))}, "
        f"WRAM {kib(par.get('wram', 0))}, accumulators {kib(par.get('acc', 0))}, instruction memory "
        f"{par.get('imem', '?')} instructions, beat {par.get('beat', '?')} bytes; DRAM (block RAM) "
        f"{kib(par.get('dram_bytes', 0))} at {int(par.get('dram_base', 0)):#x}; host link "
        f"{par.get('baud', '?')} baud.")
    lines.append("")
    lines.append("| resource | used | available | share |")
    lines.append("|---|---:|---:|---:|")
    for kind, label in (("TRELLIS_COMB", "LUT4 slots (logic, carry halves, LUT RAM)"),
                        ("TRELLIS_FF", "flip-flops"),
                        ("TRELLIS_RAMW", "LUT RAM write ports"),
                        ("MULT18X18D", "DSP multipliers (MULT18X18D)"),
                        ("DP16KD", "block RAMs (DP16KD, 18 Kbit)"),
                        ("EHXPLLL", "PLLs"),
                        ("TRELLIS_IO", "I/O pins")):
        used, avail = u(kind)
        if avail:
            lines.append(f"| {label} | {used:,} | {avail:,} | {100.0 * used / avail:.1f}% |")
    if cells:
        parts = []
        for c in ("LUT4", "CCU2C", "TRELLIS_FF", "TRELLIS_DPR16X4", "MULT18X18D", "DP16KD",
                  "PDPW16KD"):
            if cells.get(c):
                parts.append(f"{cells[c]:,} {c}")
        lines.append("")
        lines.append("Yosys cells: " + ", ".join(parts) + ".")
    lines.append("")
    if core:
        v = fmax[core]
        ach, con = v.get("achieved", 0.0), v.get("constraint", 0.0)
        verdict = "meets" if ach >= con else "misses"
        lines.append(f"Core clock: target {con:.1f} MHz (PLL), **Fmax {ach:.1f} MHz** ({verdict} "
                     f"the target).")
    ps = path_summary(rep, core)
    if ps:
        lines.append(
            f"Critical path: {ps['total']:.2f} ns ({ps['logic']:.2f} ns cells, "
            f"{ps['routing']:.2f} ns routing, {ps['levels']} logic levels), from `{ps['from']}` "
            f"to `{ps['to']}`.")
    lines.append("")
    pnr_opts = ""
    if "router" in par:
        pnr_opts = f" (placement seed {par.get('seed', '?')}, {par['router']})"
    lines += depth_lines(d)
    lines.append(f"Tools: {par.get('yosys', '?')}; {par.get('nextpnr', '?')}{pnr_opts}. Full reports: "
                 f"`build/rel/fpga/{board}/` (`timing.txt`, `report.json`, `pnr.log`, `synth.log`, "
                 f"`depth.txt`).")
    lines.append("")
    return lines


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    d, doc = sys.argv[1], sys.argv[2]
    text = read(doc)
    if text is None or BEGIN not in text or END not in text:
        print(f"fpga-report: {doc} has no {BEGIN} ... {END} section")
        return 1
    boards = sorted(os.path.splitext(f)[0] for f in os.listdir("fpga/boards") if f.endswith(".cfg"))
    out = [BEGIN, "<!-- generated by `make fpga-report` (fpga/scripts/report.py); do not edit -->", ""]
    missing = []
    for b in boards:
        bd = os.path.join(d, b)
        if os.path.exists(os.path.join(bd, "params.txt")) and os.path.exists(os.path.join(bd, "report.json")):
            out += board_section(bd, b)
        elif os.path.exists(os.path.join(bd, "depth.json")):
            out += synth_only_section(bd, b)
        else:
            missing.append(b)
    if missing:
        out.append("Not built here yet: " + ", ".join(f"`{b}`" for b in missing) +
                   " (`make fpga BOARD=...`, then `make fpga-report`).")
        out.append("")
    out.append(END)
    new = text[:text.index(BEGIN)] + "\n".join(out) + text[text.index(END) + len(END):]
    with open(doc, "w") as f:
        f.write(new)
    print(f"fpga-report: {doc} updated ({len(boards) - len(missing)} of {len(boards)} boards)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
