#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Area per module and the longest register-to-register paths of a synthesised ECP5 netlist,
before place and route (make fpga-depth; docs/fpga.md, "Area and logic depth").

    depth.py NETLIST.json OUT.txt OUT.json [--paths N] [--net-ns NS]

NETLIST.json is the flattened netlist that fpga/scripts/flow.sh's synthesis writes for nextpnr
(BOARD.json). Writes a text report (OUT.txt) and its figures as JSON (OUT.json, read by
fpga/scripts/report.py).

Area: every cell is charged to the RTL module instance it came from (the hierarchical prefix of
its name or of the nets it drives, `u_soc.u_core.u_frontend.u_range`), in LUT4 slots the way
nextpnr counts them (a LUT4 or a LUT RAM read half is one, a CCU2C two), plus flip-flops, DSP
multipliers and block RAMs.

Depth: a path starts at a clocked output (flip-flop Q, block-RAM data out, LUT-RAM read data after
a write, a DSP block's registered output, a pin) and ends at a clocked input. Each cell on the
way is one logic level, counted as nextpnr's timing report counts them (every CCU2C of a carry
chain is a level). The delay is the sum of the cells' delays from Project Trellis's speed-6
timing database (the worst of its three corners, in ns, as nextpnr uses them), plus NET_NS per
connection that needs general routing (the carry chain's links need none). The routing term is a
rough average, not a placement: place and route (make fpga) gives the real figure; the point of
this report is to compare builds and to find the long paths before waiting for place and route.
"""
import collections
import json
import os
import re
import sys

# Cell delays (ns): Project Trellis database/ECP5/timing/speed_6/cells.json, worst corner.
FF_CQ = 0.525        # TRELLIS_FF: CLK -> Q
LUT = 0.236          # LUT4: any input -> Z (SLOGICB A0 -> F0)
PFUMX = 0.165        # LUT5 mux: LUT input -> OFX0 is 0.401, 0.236 of it the LUT
PFUMX_SEL = 0.256    # M0 -> OFX0
L6MUX = 0.242        # FXA/FXB -> OFX1
L6MUX_SEL = 0.252    # M1 -> OFX1
CCU_IN_CO = 0.447    # CCU2C: A/B/C/D -> FCO
CCU_IN_S0 = 0.236    # A0.. -> F0 (and A1.. -> F1)
CCU_IN0_S1 = 0.714   # A0.. -> F1
CCU_CI_CO = 0.071    # FCI -> FCO
CCU_CI_S0 = 0.443    # FCI -> F0
CCU_CI_S1 = 0.474    # FCI -> F1
DPR_RAD = 0.236      # TRELLIS_DPR16X4: RAD -> DO
DPR_WCK = 0.929      # WCK -> DO (the data written at the clock edge)
BRAM_CO = 5.830      # DP16KD without output register: CLK -> DO
MULT = 3.927         # MULT18X18D without registers: A/B -> P

NET_NS_DEFAULT = 0.5


def bus(prefix, n):
    return [f"{prefix}{i}" for i in range(n)]


def comb_arcs(cell):
    """(input port, output port, delay) of a cell's combinational arcs; clocked outputs and
    their clock-to-output delays; None for a cell type this script does not know."""
    t = cell["type"]
    if t == "LUT4":
        return [(p, "Z", LUT) for p in "ABCD"], []
    if t == "PFUMX":
        return [("ALUT", "Z", PFUMX), ("BLUT", "Z", PFUMX), ("C0", "Z", PFUMX_SEL)], []
    if t == "L6MUX21":
        return [("D0", "Z", L6MUX), ("D1", "Z", L6MUX), ("SD", "Z", L6MUX_SEL)], []
    if t == "CCU2C":
        arcs = []
        for p in ("A0", "B0", "C0", "D0"):
            arcs += [(p, "S0", CCU_IN_S0), (p, "S1", CCU_IN0_S1), (p, "COUT", CCU_IN_CO)]
        for p in ("A1", "B1", "C1", "D1"):
            arcs += [(p, "S1", CCU_IN_S0), (p, "COUT", CCU_IN_CO)]
        arcs += [("CIN", "COUT", CCU_CI_CO), ("CIN", "S0", CCU_CI_S0), ("CIN", "S1", CCU_CI_S1)]
        return arcs, []
    if t == "TRELLIS_FF":
        return [], [("Q", FF_CQ)]
    if t == "TRELLIS_DPR16X4":
        return [(f"RAD[{i}]", f"DO[{j}]", DPR_RAD) for i in range(4) for j in range(4)], \
               [(f"DO[{j}]", DPR_WCK) for j in range(4)]
    if t in ("DP16KD", "PDPW16KD"):
        return [], [(p, BRAM_CO) for p in cell["connections"] if p.startswith("DO")]
    if t == "MULT18X18D":
        par = cell.get("parameters", {})
        regs = [v for k, v in par.items() if k.startswith("REG_") and k.endswith("_CLK")]
        outs = [p for p in cell["connections"] if re.match(r"^P\d+$", p)]
        if all(str(v).strip() in ("NONE", "") for v in regs):
            ins = [p for p in cell["connections"] if re.match(r"^[AB]\d+$", p)]
            return [(i, o, MULT) for i in ins for o in outs], []
        return [], [(o, 0.6) for o in outs]
    return None


def bits_of(cell, port):
    """Net bits of a (possibly bus) port; port names of the arc tables use P[i] for bit i."""
    m = re.match(r"^(\w+)\[(\d+)\]$", port)
    conn = cell["connections"]
    if m:
        b = conn.get(m.group(1), [])
        i = int(m.group(2))
        return b[i:i + 1]
    return conn.get(port, [])


def top_module(net):
    mods = net["modules"]
    for name, m in mods.items():
        if str(m.get("attributes", {}).get("top", "0")).strip("0") != "":
            return name, m
    # the module nobody instantiates
    used = {c["type"] for m in mods.values() for c in m.get("cells", {}).values()}
    for name, m in mods.items():
        if name not in used:
            return name, m
    raise ValueError("no top module")


def scope_of(name):
    """The instance path of a hierarchical name: everything before the last '.' that is not
    inside brackets (`u_soc.u_core.g_bank[7].u_ram.mem_q.0.0` -> `u_soc.u_core.g_bank[7].u_ram`)."""
    if name.startswith("$"):
        return None
    parts, depth, cur = [], 0, ""
    for ch in name:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "." and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    # instance names of this project start with u_ or g_ (generate blocks); the rest are signals,
    # memories and Yosys's suffixes
    scope = []
    for p in parts[:-1]:
        if re.match(r"^(u_|g_)", p):
            scope.append(p)
        else:
            break
    return ".".join(scope)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in argv if a.startswith("--") and "=" in a)
    if len(args) != 3:
        print(__doc__)
        return 2
    src, out_txt, out_json = args
    try:
        npaths = int(opts.get("paths", "8"))
        net_ns = float(opts.get("net-ns", NET_NS_DEFAULT))
    except ValueError:
        print("depth: --paths=N takes an integer, --net-ns=NS a number", file=sys.stderr)
        return 2
    try:
        with open(src) as f:
            netlist = json.load(f)
    except (OSError, ValueError) as e:
        print(f"depth: cannot read {src}: {e}", file=sys.stderr)
        return 1
    try:
        return analyse(netlist, src, out_txt, out_json, npaths, net_ns)
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        print(f"depth: {src} is not a Yosys JSON netlist of ECP5 cells ({type(e).__name__}: {e})",
              file=sys.stderr)
        return 1


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def analyse(netlist, src, out_txt, out_json, npaths, net_ns):
    top, mod = top_module(netlist)
    cells = mod.get("cells", {})

    # a readable name per net bit
    bit_name = {}
    for name, n in mod.get("netnames", {}).items():
        hidden = n.get("hide_name", 0) or name.startswith("$")
        for i, b in enumerate(n.get("bits", [])):
            if isinstance(b, str):
                continue
            nm = name if len(n["bits"]) == 1 else f"{name}[{i}]"
            old = bit_name.get(b)
            if old is None or (old[0] and not hidden) or (old[0] == hidden and len(nm) < len(old[1])):
                bit_name[b] = (hidden, nm)

    # ---- area per instance ------------------------------------------------------------------------
    area = collections.defaultdict(lambda: collections.Counter())
    unknown = collections.Counter()

    def cell_scope(cname, cell):
        s = scope_of(cname)
        if s is None or s == "":
            scopes = collections.Counter()
            for p, d in cell.get("port_directions", {}).items():
                if d != "output":
                    continue
                for b in cell["connections"].get(p, []):
                    if isinstance(b, int) and b in bit_name and not bit_name[b][0]:
                        sc = scope_of(bit_name[b][1])
                        if sc is not None:
                            scopes[sc] += 1
            if scopes:
                return scopes.most_common(1)[0][0]
            return s if s is not None else "(unattributed)"
        return s

    for cname, cell in cells.items():
        t = cell["type"]
        sc = cell_scope(cname, cell) or "(top)"
        a = area[sc]
        if t == "LUT4":
            a["lut"] += 1
        elif t == "CCU2C":
            a["lut"] += 2
            a["carry"] += 1
        elif t == "TRELLIS_DPR16X4":
            a["lut"] += 2   # two read halves (LUT4 slots) per 16x4 RAM; nextpnr adds a write port
            a["lutram"] += 1
        elif t == "TRELLIS_FF":
            a["ff"] += 1
        elif t == "MULT18X18D":
            a["dsp"] += 1
        elif t in ("DP16KD", "PDPW16KD"):
            a["bram"] += 1
        elif t in ("PFUMX", "L6MUX21"):
            a["mux"] += 1
        else:
            unknown[t] += 1

    # roll up: every instance's figures include its children's
    rolled = collections.defaultdict(lambda: collections.Counter())
    for sc, a in area.items():
        parts = sc.split(".") if sc not in ("(top)", "(unattributed)") else []
        for k in range(len(parts) + 1):
            rolled[".".join(parts[:k]) or "(top)"].update(a)
        if sc == "(unattributed)":
            rolled[sc].update(a)

    # ---- longest paths ----------------------------------------------------------------------------
    # graph on net bits: arrival time and levels at each bit, through combinational arcs
    fanout = collections.defaultdict(list)   # bit -> [(out bit, delay, cell)]
    indeg = collections.Counter()
    start = {}                               # bit -> (arrival, cell)
    ends = collections.defaultdict(list)     # bit -> [(cell, port)] clocked inputs
    carry_link = set()                       # (bit) driven by a COUT: dedicated routing
    skipped = collections.Counter()
    for cname, cell in cells.items():
        spec = comb_arcs(cell)
        dirs = cell.get("port_directions", {})
        if spec is None:
            # unknown cells (I/O, PLL, ...): outputs start paths, inputs end them
            skipped[cell["type"]] += 1
            for p, d in dirs.items():
                for b in cell["connections"].get(p, []):
                    if not isinstance(b, int):
                        continue
                    if d == "output":
                        start.setdefault(b, (0.0, cname))
                    else:
                        ends[b].append((cname, p))
            continue
        arcs, clocked = spec
        comb_in = set()
        for ip, op, dl in arcs:
            ib, ob = bits_of(cell, ip), bits_of(cell, op)
            if not ib or not ob or not isinstance(ib[0], int) or not isinstance(ob[0], int):
                continue
            fanout[ib[0]].append((ob[0], dl, cname))
            indeg[ob[0]] += 1
            comb_in.add(ip.split("[")[0])
            if cell["type"] == "CCU2C" and op == "COUT":
                carry_link.add(ob[0])
        for op, dl in clocked:
            for b in bits_of(cell, op):
                if isinstance(b, int):
                    start[b] = (dl, cname)
        for p, d in dirs.items():
            if d != "input" or p in comb_in or re.match(r"^RAD", p):
                continue
            if cell["type"] in ("LUT4", "PFUMX", "L6MUX21", "CCU2C"):
                continue
            if p in ("CLK", "WCK", "CLKA", "CLKB", "CLK0", "CLK1", "CLK2", "CLK3"):
                continue
            for b in cell["connections"].get(p, []):
                if isinstance(b, int):
                    ends[b].append((cname, p))
    # the top module's ports: inputs start paths, outputs end them (a module synthesised alone)
    for pname, port in mod.get("ports", {}).items():
        for b in port.get("bits", []):
            if not isinstance(b, int):
                continue
            if port.get("direction") == "input":
                start.setdefault(b, (0.0, pname))
            else:
                ends[b].append((pname, "port"))

    # arrival by Kahn's algorithm from the start bits; bits on combinational loops never resolve
    arr = {}
    lev = {}
    pred = {}
    for b, (t0, c) in start.items():
        arr[b] = t0
        lev[b] = 0
        pred[b] = (None, c)
    remaining = dict(indeg)
    queue = collections.deque(b for b in set(start) | set(fanout) if remaining.get(b, 0) == 0)
    for b in list(queue):
        if b not in arr:
            arr[b], lev[b], pred[b] = 0.0, 0, (None, "(constant or input)")
    seen = set()
    while queue:
        b = queue.popleft()
        if b in seen:
            continue
        seen.add(b)
        for ob, dl, cname in fanout.get(b, []):
            route = 0.0 if b in carry_link else net_ns
            t = arr[b] + route + dl
            if ob not in arr or t > arr[ob]:
                arr[ob], lev[ob], pred[ob] = t, lev[b] + 1, (b, cname)
            remaining[ob] -= 1
            if remaining[ob] == 0:
                queue.append(ob)
    loops = sum(1 for b, k in remaining.items() if k > 0)

    def trace(b):
        steps = []
        while b is not None:
            p, c = pred.get(b, (None, "?"))
            steps.append((b, c))
            b = p
        return list(reversed(steps))

    endpoints = []
    for b, sinks in ends.items():
        if b not in arr:
            continue
        endpoints.append((arr[b] + (0.0 if b in carry_link else net_ns), lev[b], b, sinks[0]))
    endpoints.sort(key=lambda e: (-e[0], -e[1]))

    # one path per (start scope, end scope) pair, worst first
    paths, seen_pairs = [], set()
    for t, lv, b, (ecell, eport) in endpoints:
        steps = trace(b)
        scell = steps[0][1]
        sscope = scope_of(scell) or cell_scope(scell, cells.get(scell, {"connections": {}}))
        escope = scope_of(ecell) or cell_scope(ecell, cells.get(ecell, {"connections": {}}))
        key = (sscope, escope)
        if key in seen_pairs:
            continue
        seen_pairs.add(key)
        # the scopes the path runs through, in order, with the cells spent in each
        through = []
        for sb, c in steps[1:]:
            sc = cell_scope(c, cells[c]) if c in cells else "?"
            if through and through[-1][0] == sc:
                through[-1][1] += 1
            else:
                through.append([sc, 1])
        # the RTL lines the path's cells come from, in order (Yosys keeps a source location on
        # flip-flops, carry chains, multipliers and memories; LUTs carry only their mapping cell's)
        rtl = []
        for sb, c in steps:
            for loc in str(cells.get(c, {}).get("attributes", {}).get("src", "")).split("|"):
                m = re.match(r"^(?:.*/)?((?:rtl|fpga)/[\w/.-]+\.sv):(\d+)", loc)
                if m:
                    tag = f"{m.group(1).split('/')[-1]}:{m.group(2)}"
                    if not rtl or rtl[-1] != tag:
                        rtl.append(tag)
                    break
        paths.append({
            "delay_ns": round(t, 2), "levels": lv, "from": scell, "to": ecell, "to_port": eport,
            "through": through, "rtl": rtl,
        })
        if len(paths) >= npaths:
            break

    # generate-loop copies (g_bank[7], g_lane[1]) count as one instance here
    worst_by_scope = {}
    for t, lv, b, (ecell, eport) in endpoints:
        escope = cell_scope(ecell, cells[ecell]) if ecell in cells else "?"
        escope = re.sub(r"\[\d+\]", "[*]", escope)
        if escope not in worst_by_scope:
            worst_by_scope[escope] = {"delay_ns": round(t, 2), "levels": lv}

    # ---- report -----------------------------------------------------------------------------------
    rows = sorted(rolled.items(), key=lambda kv: -kv[1]["lut"])
    report = {
        "top": top, "net_ns": net_ns, "loops": loops,
        "area": {sc: dict(a) for sc, a in rolled.items()},
        "paths": paths,
        "worst_by_endpoint_scope": worst_by_scope,
        "unknown_cells": dict(unknown),
    }
    lines = [f"# {top}: area per module instance and longest paths, from {src}",
             f"# generated by fpga/scripts/depth.py; cell delays from Project Trellis speed 6, "
             f"plus {net_ns} ns per routed connection (an estimate; make fpga for real timing)",
             "", "## Area (each instance includes its children)", "",
             f"{'instance':60s} {'LUT4':>8s} {'CCU2C':>7s} {'LUTRAM':>7s} {'FF':>7s} {'DSP':>5s} {'EBR':>5s}"]
    for sc, a in rows:
        if a["lut"] < 50 and not a["dsp"] and not a["bram"]:
            continue
        lines.append(f"{sc[:60]:60s} {a['lut']:8d} {a['carry']:7d} {a['lutram']:7d} {a['ff']:7d} "
                     f"{a['dsp']:5d} {a['bram']:5d}")
    lines += ["", f"## Longest paths (one per pair of start and end instance; {loops} net bits on "
              "combinational loops not timed)", ""]
    for i, p in enumerate(paths):
        lines.append(f"{i + 1}. {p['delay_ns']:.2f} ns, {p['levels']} levels: {p['from']} -> "
                     f"{p['to']}.{p['to_port']}")
        lines.append("   through (cells per instance): " +
                     " -> ".join(f"{sc} ({n})" for sc, n in p["through"]))
        lines.append("   RTL lines on the path: " + (" -> ".join(p["rtl"]) or "-"))
        lines.append("")
    lines += ["## Worst path ending in each instance (copies of a generate loop as one)", ""]
    for sc, w in sorted(worst_by_scope.items(), key=lambda kv: -kv[1]["delay_ns"])[:40]:
        lines.append(f"{w['delay_ns']:8.2f} ns {w['levels']:4d} levels  {sc}")
    if unknown:
        lines += ["", "Cells not counted in the area: " +
                  ", ".join(f"{n} {t}" for t, n in sorted(unknown.items()))]
    write_atomic(out_txt, "\n".join(lines) + "\n")
    write_atomic(out_json, json.dumps(report, indent=1))
    p0 = paths[0] if paths else None
    print(f"depth: {out_txt}: worst path {p0['delay_ns']:.2f} ns, {p0['levels']} levels, "
          f"{p0['from']} -> {p0['to']}" if p0 else f"depth: {out_txt}: no paths")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
