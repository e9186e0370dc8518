# SPDX-License-Identifier: Apache-2.0
"""Network descriptions, weight files and a numpy model of TFLite's int8 arithmetic.

Independent of the compiler (sw/cc) and the C model: it reads the same two files dlpcc reads
(docs/netdesc.md) and computes what TensorFlow Lite's int8 reference kernels compute
(docs/numerics.md), bit for bit, for the layer kinds the networks in sw/nets use:
conv (groups=1), fc, maxpool, avgpool, add, flatten, relu/relu6 (fused or as a layer).
An fc with `round=float` is requantized as TFLite's reference kernels do from 2.20 on
(fc_float_requant); without it, with MultiplyByQuantizedMultiplier (docs/numerics.md).

    net = parse_desc(open("lenet5.txt").read())
    q = QNet(net, read_dlpw("lenet5.dlpw"))
    y = q.run(x_int8)            # int8 output of the network's (single) output tensor

Also: read_dlpw / write_dlpw (the binary weight-file container, also used for test sets)
and quantize_multiplier (TFLite's QuantizeMultiplier).
"""
import math
import re
import struct

import numpy as np

INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1

# ---- the .dlpw container ------------------------------------------------------------------

_TYPES = {np.dtype(np.int8): 1, np.dtype(np.int32): 2, np.dtype(np.float32): 3}
_DTYPES = {1: np.dtype("<i1"), 2: np.dtype("<i4"), 3: np.dtype("<f4")}


def write_dlpw(path, records):
    """records: dict name -> numpy array (int8, int32 or float32, 1-4 dimensions)."""
    with open(path, "wb") as f:
        f.write(b"DLPW" + struct.pack("<II", 1, len(records)))
        for name, a in records.items():
            a = np.ascontiguousarray(a)
            if a.dtype not in _TYPES or not 1 <= a.ndim <= 4:
                raise ValueError("record %s: type %s, %d dimensions" % (name, a.dtype, a.ndim))
            n = name.encode("ascii")
            f.write(struct.pack("<H", len(n)) + n)
            f.write(struct.pack("<BB", _TYPES[a.dtype], a.ndim))
            f.write(struct.pack("<%dI" % a.ndim, *a.shape))
            f.write(a.astype(a.dtype.newbyteorder("<")).tobytes())


def read_dlpw(path):
    """Reads a binary .dlpw file into an ordered dict name -> numpy array."""
    data = open(path, "rb").read()
    if data[:4] != b"DLPW":
        raise ValueError("%s: not a binary DLPW file" % path)
    version, count = struct.unpack_from("<II", data, 4)
    if version != 1:
        raise ValueError("%s: version %d" % (path, version))
    pos, out = 12, {}
    for _ in range(count):
        (ln,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2:pos + 2 + ln].decode("ascii")
        pos += 2 + ln
        typ, nd = struct.unpack_from("<BB", data, pos)
        dims = struct.unpack_from("<%dI" % nd, data, pos + 2)
        pos += 2 + 4 * nd
        dt = _DTYPES[typ]
        n = int(np.prod(dims))
        out[name] = np.frombuffer(data, dt, n, pos).reshape(dims).astype(dt.newbyteorder("="))
        pos += n * dt.itemsize
    if pos != len(data):
        raise ValueError("%s: %d trailing bytes" % (path, len(data) - pos))
    return out


# ---- network descriptions -----------------------------------------------------------------

class Layer:
    def __init__(self, kind, name, inputs, out, attrs):
        self.kind, self.name, self.inputs, self.out = kind, name, inputs, out
        self.attrs = attrs
        self.act = "none"
        for a in ("relu", "relu6"):
            if a in attrs:
                self.act = a
        if "act" in attrs:
            self.act = attrs["act"]
        if kind in ("relu", "relu6"):
            self.act = kind

    def __repr__(self):
        return "Layer(%s %s: %s -> %s %s)" % (self.kind, self.name, self.inputs, self.out,
                                               self.attrs)


class Net:
    def __init__(self):
        self.name = None
        self.inputs = {}     # name -> shape (tuple)
        self.in_quant = {}   # name -> (scale, zp) given in the description
        self.layers = []
        self.outputs = None
        self.shapes = {}


def _pair(v):
    m = re.fullmatch(r"(\d+)x(\d+)", v)
    return (int(m.group(1)), int(m.group(2))) if m else (int(v), int(v))


def _pad(v):
    if v == "valid":
        return (0, 0, 0, 0)
    if v == "same":
        return "same"
    if "," in v:
        t, l, b, r = (int(s) for s in v.split(","))
        return (t, l, b, r)
    ph, pw = _pair(v)
    return (ph, pw, ph, pw)


def _shape(s):
    d = tuple(int(v) for v in s.split("x"))
    return d if len(d) == 4 else (d[0], 1, 1, d[1])


def parse_desc(text):
    """Parses the subset of docs/netdesc.md that the sw/nets networks use."""
    net = Net()
    for lineno, line in enumerate(text.splitlines(), 1):
        line = re.split(r"#|//", line, 1)[0].strip()
        if not line:
            continue
        w = line.split()
        if w[0] == "network":
            net.name = w[1]
            continue
        if w[0] == "output":
            net.outputs = [s.strip() for s in line[len("output"):].split(",")]
            continue
        head, _, rest = line.partition(":")
        kind, name = head.split()
        if kind == "input":
            parts = rest.split()
            net.inputs[name] = _shape(parts[0])
            net.shapes[name] = net.inputs[name]
            kv = dict(p.split("=") for p in parts[1:])
            if "scale" in kv:
                net.in_quant[name] = (float(kv["scale"]), int(kv["zp"]))
            continue
        src, _, rest = rest.partition("->")
        ins = [s.strip() for s in src.split(",")]
        parts = rest.split()
        out, attrs = parts[0], {}
        for p in parts[1:]:
            k, eq, v = p.partition("=")
            attrs[k] = v if eq else True
        l = Layer(kind, name, ins, out, attrs)
        l.shape = _infer(l, [net.shapes[i] for i in ins], lineno)
        net.shapes[out] = l.shape
        net.layers.append(l)
    if net.outputs is None:
        read = {i for l in net.layers for i in l.inputs}
        net.outputs = [l.out for l in net.layers if l.out not in read]
    return net


def _window(l, h, w):
    kh, kw = _pair(l.attrs["k"])
    dflt = "1" if l.kind == "conv" else l.attrs["k"]
    sh, sw = _pair(l.attrs.get("s", dflt))
    pad = _pad(l.attrs.get("p", "valid"))
    if pad == "same":
        oh, ow = -(-h // sh), -(-w // sw)
        ph = max((oh - 1) * sh + kh - h, 0)
        pw = max((ow - 1) * sw + kw - w, 0)
        pad = (ph // 2, pw // 2, ph - ph // 2, pw - pw // 2)
    t, lft, b, r = pad
    oh = (h + t + b - kh) // sh + 1
    ow = (w + lft + r - kw) // sw + 1
    l.kh, l.kw, l.sh, l.sw, l.pads = kh, kw, sh, sw, pad
    return oh, ow


def _infer(l, shapes, lineno):
    n, h, w, c = shapes[0]
    if l.kind == "conv":
        if l.attrs.get("groups", "1") != "1" or "depthwise" in l.attrs:
            raise ValueError("line %d: grouped convolution is not modelled here" % lineno)
        oh, ow = _window(l, h, w)
        return (n, oh, ow, int(l.attrs["out"]))
    if l.kind in ("fc", "linear"):
        l.kind = "fc"
        return (n, 1, 1, int(l.attrs["out"]))
    if l.kind in ("maxpool", "avgpool"):
        oh, ow = _window(l, h, w)
        return (n, oh, ow, c)
    if l.kind == "add":
        if shapes[0] != shapes[1]:
            raise ValueError("line %d: add of %s and %s" % (lineno, shapes[0], shapes[1]))
        return shapes[0]
    if l.kind == "flatten":
        return (n, 1, 1, h * w * c)
    if l.kind in ("relu", "relu6"):
        return shapes[0]
    raise ValueError("line %d: layer kind %s is not modelled here" % (lineno, l.kind))


# ---- TFLite int8 arithmetic (docs/numerics.md) ----------------------------------------------

def quantize_multiplier(real):
    """TFLite's QuantizeMultiplier: real = M * 2^(shift - 31), M in [2^30, 2^31)."""
    if not real > 0 or not math.isfinite(real):
        raise ValueError("multiplier %r" % real)
    f, e = math.frexp(real)
    q = _llround(f * float(1 << 31))
    if q == (1 << 31):
        q //= 2
        e += 1
    if e < -31 or e > 30:
        raise ValueError("multiplier %r out of range" % real)
    return q, e


def _llround(v):
    """C's llround: round half away from zero."""
    return int(math.floor(v + 0.5)) if v >= 0 else -int(math.floor(-v + 0.5))


def _wrap32(x):
    return ((x + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)


def _srdhm(a, b):
    """SaturatingRoundingDoublingHighMul on int64 arrays holding int32 values."""
    ab = a * b
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    s = ab + nudge
    r = np.where(s >= 0, s >> 31, -((-s) >> 31))           # C division: toward zero
    return np.where((a == INT32_MIN) & (b == INT32_MIN), INT32_MAX, r)


def _rdbpot(x, e):
    mask = (np.int64(1) << e) - 1
    rem = x & mask
    thr = (mask >> 1) + (x < 0)
    return (x >> e) + (rem > thr)


def mbqm(x, mult, shift):
    """MultiplyByQuantizedMultiplier, elementwise; mult/shift broadcast (per channel)."""
    x = np.asarray(x, np.int64)
    mult = np.asarray(mult, np.int64)
    shift = np.clip(np.asarray(shift, np.int64), -31, 31)
    left, right = np.maximum(shift, 0), np.maximum(-shift, 0)
    return _rdbpot(_srdhm(_wrap32(x << left), mult), right)


def round_half_away(v):
    """C's round() on float64 arrays: v - trunc(v) is exact, so ties are seen exactly."""
    v = np.asarray(v, np.float64)
    t = np.trunc(v)
    return t + np.where(np.abs(v - t) >= 0.5, np.sign(v), 0.0)


def fc_float_requant(acc, s_in, s_w, s_out):
    """TFLite >= 2.20 reference FULLY_CONNECTED: round(acc * (s_in * s_w / s_out)) in double,
    halves away from zero; s_in, s_w (per channel), s_out are the float32 scales."""
    m = np.float64(np.float32(s_in)) * np.asarray(s_w, np.float32).astype(np.float64) \
        / np.float64(np.float32(s_out))
    r = round_half_away(np.asarray(acc, np.int64).astype(np.float64) * m)
    return np.clip(r, INT32_MIN, INT32_MAX).astype(np.int64)


def act_range(act, scale, zp):
    lo, hi = -128, 127
    if act in ("relu", "relu6"):
        lo = max(zp, -128)
    if act == "relu6":
        hi = int(min(zp + _llround(6.0 / scale), 127))
        hi = max(hi, lo)
    return lo, hi


# ---- the int8 network ------------------------------------------------------------------------

class QNet:
    """A network description plus its weight file, executed with TFLite's int8 kernels."""

    def __init__(self, net, weights):
        self.net, self.w = net, weights
        self.q = {}
        for t in list(net.inputs):
            if t + ".scale" in weights:
                self.q[t] = (float(weights[t + ".scale"][0]), int(weights[t + ".zp"][0]))
            else:
                s, z = net.in_quant[t]
                self.q[t] = (float(np.float32(s)), z)
        for l in net.layers:
            if l.kind in ("maxpool", "avgpool", "flatten"):
                self.q[l.out] = self.q[l.inputs[0]]
            elif l.out + ".scale" in weights:
                self.q[l.out] = (float(weights[l.out + ".scale"][0]),
                                 int(weights[l.out + ".zp"][0]))
            else:
                self.q[l.out] = self.q[l.inputs[0]]      # relu layers without requantization

    def run(self, x, keep=False):
        """x: int8 array N x shape of the (single) input; returns the int8 output(s)."""
        (iname,) = self.net.inputs
        shp = self.net.inputs[iname]
        vals = {iname: np.asarray(x, np.int8).reshape((-1,) + shp[1:]).astype(np.int64)}
        for l in self.net.layers:
            vals[l.out] = self._layer(l, [vals[i] for i in l.inputs])
        outs = [vals[o].reshape(vals[o].shape[0], -1).astype(np.int8) for o in self.net.outputs]
        if keep:
            return outs[0] if len(outs) == 1 else outs, vals
        return outs[0] if len(outs) == 1 else outs

    def _layer(self, l, xs):
        x = xs[0]
        s_in, zp_in = self.q[l.inputs[0]]
        s_out, zp_out = self.q[l.out]
        if l.kind in ("conv", "fc"):
            w = self.w[l.name + ".weight"].astype(np.int64)
            cout = w.shape[0]
            sw = self.w[l.name + ".weight_scale"].astype(np.float64)
            sw = np.broadcast_to(sw, (cout,))
            bias = self.w.get(l.name + ".bias", np.zeros(cout, np.int32)).astype(np.int64)
            ms = [quantize_multiplier(s_in * float(s) / s_out) for s in sw]
            mult = np.array([m for m, _ in ms], np.int64)
            shift = np.array([e for _, e in ms], np.int64)
            xc = x - zp_in                                 # padding is then a real 0
            if l.kind == "conv":
                cols, oh, ow = im2col(xc, l.kh, l.kw, l.sh, l.sw, l.pads, 0)
            else:
                cols, oh, ow = xc.reshape(x.shape[0], -1), 1, 1
            # |products| < 2^15 and K < 2^20: float64 sums are exact
            acc = (cols.astype(np.float64) @ w.reshape(cout, -1).T.astype(np.float64))
            acc = acc.astype(np.int64) + bias
            if acc.min() < INT32_MIN or acc.max() > INT32_MAX:
                raise OverflowError("layer %s: int32 accumulator overflow" % l.name)
            lo, hi = act_range(l.act, s_out, zp_out)
            if l.kind == "fc" and l.attrs.get("round", "fixed") == "float":
                y = np.clip(_wrap32(zp_out + fc_float_requant(acc, s_in, sw, s_out)), lo, hi)
            else:
                y = np.clip(zp_out + mbqm(acc, mult, shift), lo, hi)
            return y.reshape(x.shape[0], oh, ow, cout)
        if l.kind == "maxpool":
            cols, oh, ow = im2col(x, l.kh, l.kw, l.sh, l.sw, l.pads, -1 << 20, chan_last=False)
            return cols.max(axis=-1).reshape(x.shape[0], oh, ow, x.shape[3])
        if l.kind == "avgpool":
            cols, oh, ow = im2col(x, l.kh, l.kw, l.sh, l.sw, l.pads, 0, chan_last=False)
            ones = np.ones(x.shape, np.int64)
            cnt, _, _ = im2col(ones, l.kh, l.kw, l.sh, l.sw, l.pads, 0, chan_last=False)
            s = cols.sum(axis=-1)
            n = cnt.sum(axis=-1)
            q = np.where(s > 0, (s + n // 2) // n, -((-s + n // 2) // n))
            return q.reshape(x.shape[0], oh, ow, x.shape[3])
        if l.kind == "add":
            s2, zp2 = self.q[l.inputs[1]]
            twice = 2.0 * max(s_in, s2)
            m1, e1 = quantize_multiplier(s_in / twice)
            m2, e2 = quantize_multiplier(s2 / twice)
            mo, eo = quantize_multiplier(twice / (float(1 << 20) * s_out))
            a = mbqm(_wrap32((x - zp_in) << 20), m1, e1)
            b = mbqm(_wrap32((xs[1] - zp2) << 20), m2, e2)
            lo, hi = act_range(l.act, s_out, zp_out)
            y = np.clip(_wrap32(mbqm(_wrap32(a + b), mo, eo) + zp_out), lo, hi)
            return np.clip(y, -128, 127)
        if l.kind == "flatten":
            return x.reshape(x.shape[0], 1, 1, -1)
        if l.kind in ("relu", "relu6"):
            m, e = quantize_multiplier(s_in / s_out)
            lo, hi = act_range(l.act, s_out, zp_out)
            return np.clip(zp_out + mbqm(x - zp_in, m, e), lo, hi)
        raise ValueError(l.kind)


def im2col(x, kh, kw, sh, sw, pads, fill, chan_last=True):
    """x: N x H x W x C. Returns (cols, OH, OW): cols is (N*OH*OW) x (KH*KW*C) in (kh, kw, c)
    order (chan_last), or (N*OH*OW*C) x (KH*KW) (for pooling); padded positions are `fill`."""
    t, l, b, r = pads
    n, h, w, c = x.shape
    xp = np.full((n, h + t + b, w + l + r, c), fill, x.dtype)
    xp[:, t:t + h, l:l + w, :] = x
    oh = (h + t + b - kh) // sh + 1
    ow = (w + l + r - kw) // sw + 1
    v = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(1, 2))
    v = v[:, :(oh - 1) * sh + 1:sh, :(ow - 1) * sw + 1:sw]     # N, OH, OW, C, KH, KW
    if chan_last:
        return v.transpose(0, 1, 2, 4, 5, 3).reshape(n * oh * ow, kh * kw * c), oh, ow
    return v.reshape(n * oh * ow * c, kh * kw), oh, ow


# ---- command line: list a .dlpw file, or extract one test sample as a raw int8 input ----------

def _main(argv):
    import argparse
    ap = argparse.ArgumentParser(
        description="List the records of a .dlpw file, or extract test sample I as raw int8 "
                    "bytes (the input format of dlprun -i).")
    ap.add_argument("file", help="a .dlpw file (weights or test set)")
    ap.add_argument("--extract", type=int, metavar="I", help="write record `input` [I]")
    ap.add_argument("-o", "--output", default="input.bin", help="output file for --extract")
    a = ap.parse_args(argv)
    recs = read_dlpw(a.file)
    if a.extract is None:
        for name, arr in recs.items():
            print("%-16s %-8s %s" % (name, arr.dtype, "x".join(map(str, arr.shape))))
        return 0
    if "input" not in recs:
        print("%s: no `input` record (not a test set)" % a.file)
        return 1
    n = recs["input"].shape[0]
    if not 0 <= a.extract < n:
        print("%s: sample %d out of range (0..%d)" % (a.file, a.extract, n - 1))
        return 1
    x = recs["input"][a.extract]
    x.tofile(a.output)
    label = recs["label"][a.extract] if "label" in recs else None
    print("sample %d: %d bytes to %s, label %s" %
          (a.extract, x.size, a.output, "-" if label is None else label.tolist()))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(_main(sys.argv[1:]))
