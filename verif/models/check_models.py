#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The model suite: every committed TFLite int8 model (sw/nets/models/*.tflite) imported by
dlpcc, run on the C model through libdlp (modelrun), and compared tensor by tensor with TFLite's
reference kernels (ai-edge-litert, OpResolverType.BUILTIN_REF), which is the oracle
(docs/import.md).

    check_models.py BUILD_DIR [--samples N] [--device cmodel|rtl:...] [MODEL...]

One line per check, `PASS: ...` or `FAIL: ...`:
  models/NAME/import      dlpcc imports the model (FULLY_CONNECTED rounding float and fixed)
  models/NAME/tK          tensor K (an operator's output) equals TFLite's, for N test samples
  models/NAME/fc-float-K  TFLite's FULLY_CONNECTED output K equals the float-rounding formula
                          (docs/numerics.md) applied to TFLite's own input of that operator
Tensors downstream of a FULLY_CONNECTED are compared with a chain that uses the rounding the
package was compiled with: TFLite's reference kernels for float (round=float runs on the host),
the fixed formula (independent numpy, sw/nets/qsim.py) for fixed.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "sw", "nets"))

import qsim  # noqa: E402

DATA = {  # input height -> test set (sw/nets/data) and how to resize it
    8: ("digits-test.dlpw", 1),
    16: ("digits-test.dlpw", 2),
    28: ("mnist-test.dlpw", 1),
}


def interpreter(path):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    it = Interpreter(model_path=path, experimental_op_resolver_type=OpResolverType.BUILTIN_REF,
                     experimental_preserve_all_tensors=True)
    it.allocate_tensors()
    return it


def samples(it, n):
    """n test images quantized to the model's int8 input."""
    d = it.get_input_details()[0]
    h = int(d["shape"][1])
    name, rep = DATA[h]
    recs = qsim.read_dlpw(os.path.join(ROOT, "sw", "nets", "data", name))
    x = recs["input"][:n].astype(np.float64)
    real = float(recs["input.scale"][0]) * (x - int(recs["input.zp"][0]))
    if rep > 1:
        real = np.repeat(np.repeat(real, rep, axis=1), rep, axis=2)
    s, z = d["quantization"]
    q = np.clip(np.round(real / s) + z, -128, 127).astype(np.int8)
    return q.reshape((n,) + tuple(d["shape"][1:]))


def tensor_quant(det, i):
    q = det[i]["quantization_parameters"]
    return q["scales"].astype(np.float32), q["zero_points"]


def fc_eval(det, op, x, w, b, rounding):
    """TFLite's int8 FULLY_CONNECTED of input x (rows of int8) with the model's constants."""
    a, wi, bi = op["inputs"]
    out = op["outputs"][0]
    s_in, z_in = tensor_quant(det, a)
    s_w, _ = tensor_quant(det, wi)
    s_out, z_out = tensor_quant(det, out)
    W = w.astype(np.int64)
    s_w = np.broadcast_to(s_w, (W.shape[0],))
    acc = (x.reshape(x.shape[0], -1).astype(np.int64) - int(z_in[0])) @ W.T
    acc = acc + (b.astype(np.int64) if b is not None else 0)
    acc = qsim._wrap32(acc)
    if rounding == "float":
        r = qsim.fc_float_requant(acc, s_in[0], s_w, s_out[0])
    else:
        ms = [qsim.quantize_multiplier(float(np.float64(s_in[0]) * np.float64(sw) /
                                             np.float64(s_out[0]))) for sw in s_w]
        r = qsim.mbqm(acc, [m for m, _ in ms], [e for _, e in ms])
    lo, hi = act_range(op, det, out)
    return np.clip(qsim._wrap32(r + int(z_out[0])), lo, hi)


def act_range(op, det, out):
    return op["_act"]


def fc_activations(path, det):
    """Fused activation range of each FULLY_CONNECTED (operator index -> (lo, hi)), read with
    the schema classes that ai-edge-litert ships (not with the importer under test)."""
    from ai_edge_litert import schema_py_generated as fb
    m = fb.Model.GetRootAsModel(open(path, "rb").read(), 0)
    sg = m.Subgraphs(0)
    acts = {}
    for k in range(sg.OperatorsLength()):
        op = sg.Operators(k)
        code = m.OperatorCodes(op.OpcodeIndex())
        c = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
        if c != fb.BuiltinOperator.FULLY_CONNECTED:
            continue
        o = fb.FullyConnectedOptions()
        t = op.BuiltinOptions()
        o.Init(t.Bytes, t.Pos)
        f = o.FusedActivationFunction()
        s, z = tensor_quant(det, op.Outputs(0))
        lo, hi = -128, 127
        if f in (fb.ActivationFunctionType.RELU, fb.ActivationFunctionType.RELU6):
            lo = max(lo, int(z[0]))
        if f == fb.ActivationFunctionType.RELU6:
            hi = min(hi, int(z[0]) + int(qsim.round_half_away(np.float32(6.0) / s[0])))
        elif f not in (fb.ActivationFunctionType.NONE, fb.ActivationFunctionType.RELU):
            raise ValueError("FULLY_CONNECTED %d: activation %d" % (k, f))
        acts[k] = (lo, hi)
    return acts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--device", default="cmodel")
    ap.add_argument("--rounding", default="float", choices=["float", "fixed"])
    ap.add_argument("--tag", default="models", help="prefix of the check names")
    ap.add_argument("models", nargs="*")
    a = ap.parse_intermixed_args()
    mdir = os.path.join(ROOT, "sw", "nets", "models")
    refused = ("mlp_float", "mlp_uint8")  # models dlpcc must refuse (verif/models/run.sh)
    names = a.models or sorted(f[:-7] for f in os.listdir(mdir)
                               if f.endswith(".tflite") and f[:-7] not in refused)
    dlpcc = os.path.join(a.build, "dlpcc")
    modelrun = os.path.join(a.build, "modelrun")
    for name in names:
        path = os.path.join(mdir, name + ".tflite")
        tag = "%s/%s" % (a.tag, name)
        with tempfile.TemporaryDirectory() as tmp:
            pkg = os.path.join(tmp, name + ".dlpn")
            r = subprocess.run([dlpcc, path, "--fc-rounding", a.rounding, "--no-fuse",
                                "--emit-desc", os.path.join(tmp, name), "-o", pkg],
                               capture_output=True, text=True)
            if r.returncode:
                print("FAIL: %s/import: %s" % (tag, (r.stderr or r.stdout).strip()))
                continue
            print("PASS: %s/import" % tag)
            it = interpreter(path)
            det = {d["index"]: d for d in it.get_tensor_details()}
            x = samples(it, a.samples)
            inp = it.get_input_details()[0]["index"]
            ref = {}
            for k in range(a.samples):
                it.set_tensor(inp, x[k:k + 1])
                it.invoke()
                for i in det:
                    try:
                        v = it.get_tensor(i)
                    except ValueError:
                        continue
                    if v.dtype == np.int8:
                        ref.setdefault(i, []).append(v.copy())
            ref = {i: np.stack(v) for i, v in ref.items()}
            xin = os.path.join(tmp, "input.bin")
            x.tofile(xin)
            out = os.path.join(tmp, "out")
            os.mkdir(out)
            r = subprocess.run([modelrun, pkg, xin, str(a.samples), out, a.device],
                               capture_output=True, text=True)
            if r.returncode:
                print("FAIL: %s/run: %s" % (tag, r.stderr.strip()))
                continue
            ops = it._get_ops_details()
            acts = fc_activations(path, det)
            for o in ops:
                if o["op_name"] == "FULLY_CONNECTED":
                    o["_act"] = acts[o["index"]]
            producer = {o["outputs"][0]: o for o in ops}
            downstream_fc = set()
            for o in ops:  # in execution order
                if o["op_name"] == "FULLY_CONNECTED" or any(i in downstream_fc
                                                             for i in o["inputs"] if i >= 0):
                    downstream_fc.add(o["outputs"][0])
            got = {}
            for f in sorted(os.listdir(out)):
                stem = f[:-4]
                if not (stem.startswith("t") and stem[1:].isdigit()):
                    continue  # the importer's internal tensors (flatten, pooled before relu)
                i = int(stem[1:])
                if os.path.getsize(os.path.join(out, f)) == 0:
                    continue  # an alias of the network input: no layer produces it
                got[i] = np.fromfile(os.path.join(out, f), np.int8).reshape(
                    (a.samples,) + ref[i].shape[1:])
            # FULLY_CONNECTED: TFLite's reference output vs the float formula on its own input
            for o in [o for o in ops if o["op_name"] == "FULLY_CONNECTED"]:
                xi, wi, bi = o["inputs"]
                y = o["outputs"][0]
                w = it.get_tensor(wi)
                b = it.get_tensor(bi) if bi >= 0 else None
                pred = fc_eval(det, o, ref[xi], w, b, "float").reshape(ref[y].shape)
                bad = int((pred != ref[y]).sum())
                fixed = fc_eval(det, o, ref[xi], w, b, "fixed").reshape(ref[y].shape)
                ndiff = int((fixed != ref[y]).sum())
                print("%s: %s/fc-float-t%d: %d of %d values differ (the fixed rounding: %d)" %
                      ("PASS" if bad == 0 else "FAIL", tag, y, bad, ref[y].size, ndiff))
            for i in sorted(got):
                want = ref[i]
                how = "TFLite"
                if i in downstream_fc and a.rounding == "fixed":
                    o = producer[i]
                    if o["op_name"] != "FULLY_CONNECTED":
                        print("FAIL: %s/t%d: %s after a FULLY_CONNECTED has no fixed-rounding "
                              "oracle" % (tag, i, o["op_name"]))
                        continue
                    xi, wi, bi = o["inputs"]
                    xs = got[xi] if xi in got else ref[xi]
                    want = fc_eval(det, o, xs, it.get_tensor(wi),
                                   it.get_tensor(bi) if bi >= 0 else None,
                                   "fixed").reshape(want.shape)
                    how = "fixed-rounding FULLY_CONNECTED on the package's input"
                bad = int((got[i] != want).sum())
                print("%s: %s/t%d (%s, %d values vs %s): %d differ" %
                      ("PASS" if bad == 0 else "FAIL", tag, i, producer[i]["op_name"] if i in
                       producer else "input", want.size, how, bad))
    return 0


if __name__ == "__main__":
    sys.exit(main())
