# SPDX-License-Identifier: Apache-2.0
"""A small float32 training engine in numpy for networks written in docs/netdesc.md.

It runs the layers of a parsed description (qsim.parse_desc) in float, with the backward pass
needed to train them: conv (im2col; any k, s, p; groups=1), fc, maxpool and avgpool (k = s, no
padding), add, flatten, fused relu/relu6. Activations are NHWC like the int8 model, fc outputs
N x 1 x 1 x C. Then `quantize` turns the trained network into the records of a weight file
(TFLite post-training quantization: per-channel symmetric int8 weights, int32 biases,
activation scale/zero point from the min/max seen on calibration data).
"""
import numpy as np

from qsim import im2col


class FNet:
    def __init__(self, net, rng):
        self.net = net
        self.p = {}
        for l in net.layers:
            if l.kind not in ("conv", "fc"):
                continue
            cin = net.shapes[l.inputs[0]][3]
            if l.kind == "conv":
                shape = (int(l.attrs["out"]), l.kh, l.kw, cin)
            else:
                n, h, w, c = net.shapes[l.inputs[0]]
                shape = (int(l.attrs["out"]), h * w * c)
            fan_in = int(np.prod(shape[1:]))
            gain = 2.0 if l.act != "none" else 1.0
            w = rng.standard_normal(shape) * np.sqrt(gain / fan_in)
            self.p[l.name + ".weight"] = w.astype(np.float32)
            if l.attrs.get("bias", "1") != "0":
                self.p[l.name + ".bias"] = np.zeros(shape[0], np.float32)

    # ---- forward / backward ----

    def forward(self, x, train=False):
        (iname,) = self.net.inputs
        vals = {iname: x.astype(np.float32)}
        self.cache = {}
        for l in self.net.layers:
            xs = [vals[i] for i in l.inputs]
            vals[l.out] = self._fwd(l, xs, train)
        return vals

    def _fwd(self, l, xs, train):
        x = xs[0]
        n = x.shape[0]
        if l.kind == "conv":
            w = self.p[l.name + ".weight"]
            cols, oh, ow = im2col(x, l.kh, l.kw, l.sh, l.sw, l.pads, 0)
            z = cols @ w.reshape(w.shape[0], -1).T
            if l.name + ".bias" in self.p:
                z += self.p[l.name + ".bias"]
            z = z.reshape(n, oh, ow, w.shape[0])
            if train:
                self.cache[l.name] = (cols, x.shape)
        elif l.kind == "fc":
            w = self.p[l.name + ".weight"]
            xf = x.reshape(n, -1)
            z = xf @ w.T
            if l.name + ".bias" in self.p:
                z += self.p[l.name + ".bias"]
            z = z.reshape(n, 1, 1, -1)
            if train:
                self.cache[l.name] = (xf, x.shape)
        elif l.kind in ("maxpool", "avgpool"):
            k = l.kh
            assert l.kw == k and l.sh == k and l.sw == k and l.pads == (0, 0, 0, 0)
            _, h, w_, c = x.shape
            oh, ow = h // k, w_ // k
            v = x[:, :oh * k, :ow * k, :].reshape(n, oh, k, ow, k, c)
            if l.kind == "maxpool":
                z = v.max(axis=(2, 4))
                if train:
                    mask = v == z[:, :, None, :, None, :]
                    self.cache[l.name] = (mask, x.shape)
            else:
                z = v.mean(axis=(2, 4))
                if train:
                    self.cache[l.name] = (None, x.shape)
        elif l.kind == "add":
            z = xs[0] + xs[1]
        elif l.kind == "flatten":
            z = x.reshape(n, 1, 1, -1)
            if train:
                self.cache[l.name] = (None, x.shape)
        elif l.kind in ("relu", "relu6"):
            z = x
        else:
            raise ValueError(l.kind)
        if l.act != "none" and train:
            self.cache[l.name + "/act"] = z
        if l.act == "relu":
            z = np.maximum(z, 0)
        elif l.act == "relu6":
            z = np.clip(z, 0, 6)
        return z

    def backward(self, vals, douts):
        """douts: dict tensor -> gradient of the loss. Returns dict param -> gradient."""
        d = dict(douts)
        g = {}
        for l in reversed(self.net.layers):
            if l.out not in d:
                continue
            dz = d.pop(l.out)
            if l.act != "none":
                z = self.cache[l.name + "/act"]
                m = z > 0 if l.act == "relu" else (z > 0) & (z < 6)
                dz = dz * m
            need = l.inputs[0] not in self.net.inputs    # no gradient for the input data
            for name, dx in zip(l.inputs, self._bwd(l, dz, g, need)):
                if dx is not None:
                    d[name] = d[name] + dx if name in d else dx
        return g

    def _bwd(self, l, dz, g, need_dx=True):
        n = dz.shape[0]
        if l.kind == "conv":
            cols, xshape = self.cache[l.name]
            w = self.p[l.name + ".weight"]
            cout = w.shape[0]
            dz2 = dz.reshape(-1, cout)
            g[l.name + ".weight"] = (dz2.T @ cols).reshape(w.shape)
            if l.name + ".bias" in self.p:
                g[l.name + ".bias"] = dz2.sum(axis=0)
            if not need_dx:
                return [None]
            dcols = (dz2 @ w.reshape(cout, -1)).reshape(n, dz.shape[1], dz.shape[2], l.kh,
                                                        l.kw, -1)
            return [col2im(dcols, xshape, l.sh, l.sw, l.pads)]
        if l.kind == "fc":
            xf, xshape = self.cache[l.name]
            w = self.p[l.name + ".weight"]
            dz2 = dz.reshape(n, -1)
            g[l.name + ".weight"] = dz2.T @ xf
            if l.name + ".bias" in self.p:
                g[l.name + ".bias"] = dz2.sum(axis=0)
            return [(dz2 @ w).reshape(xshape) if need_dx else None]
        if l.kind in ("maxpool", "avgpool"):
            mask, xshape = self.cache[l.name]
            k = l.kh
            _, oh, ow, c = dz.shape
            if mask is not None:
                dv = mask * dz[:, :, None, :, None, :]
            else:
                dv = np.broadcast_to(dz[:, :, None, :, None, :] / (k * k), (n, oh, k, ow, k, c))
            dx = np.zeros(xshape, np.float32)
            dx[:, :oh * k, :ow * k, :] = dv.reshape(n, oh * k, ow * k, c)
            return [dx]
        if l.kind == "add":
            return [dz, dz]
        if l.kind == "flatten":
            return [dz.reshape(self.cache[l.name][1])]
        if l.kind in ("relu", "relu6"):
            return [dz]
        raise ValueError(l.kind)

    # ---- quantization ----

    def calibrate(self, x, batch=500):
        """min/max of every tensor over the calibration inputs x."""
        rng = {}
        for i in range(0, len(x), batch):
            vals = self.forward(x[i:i + batch])
            for t, v in vals.items():
                lo, hi = float(v.min()), float(v.max())
                if t in rng:
                    lo, hi = min(lo, rng[t][0]), max(hi, rng[t][1])
                rng[t] = (lo, hi)
        return rng

    def quantize(self, ranges, input_quant):
        """Returns the weight-file records (TFLite post-training int8 quantization)."""
        rec = {}
        q = {}
        (iname,) = self.net.inputs
        q[iname] = input_quant
        rec[iname + ".scale"] = np.float32([input_quant[0]])
        rec[iname + ".zp"] = np.int32([input_quant[1]])
        for l in self.net.layers:
            if l.kind in ("maxpool", "avgpool", "flatten"):
                q[l.out] = q[l.inputs[0]]
                continue
            s, z = act_quant(*ranges[l.out])
            q[l.out] = (s, z)
            if l.kind in ("conv", "fc"):
                w = self.p[l.name + ".weight"].astype(np.float64)
                cout = w.shape[0]
                sw = np.abs(w.reshape(cout, -1)).max(axis=1) / 127.0
                sw = np.maximum(sw, 1e-8).astype(np.float32)
                swb = sw.astype(np.float64).reshape((cout,) + (1,) * (w.ndim - 1))
                rec[l.name + ".weight"] = np.clip(np.round(w / swb), -127, 127).astype(np.int8)
                rec[l.name + ".weight_scale"] = sw
                if l.name + ".bias" in self.p:
                    s_in = float(q[l.inputs[0]][0])
                    b = self.p[l.name + ".bias"].astype(np.float64)
                    rec[l.name + ".bias"] = np.round(b / (s_in * sw.astype(np.float64))
                                                     ).astype(np.int32)
            rec[l.out + ".scale"] = np.float32([s])
            rec[l.out + ".zp"] = np.int32([z])
        return rec


def act_quant(lo, hi):
    """Asymmetric int8 scale (as float32) and zero point of a tensor spanning [lo, hi]
    (TFLite's: the range is widened to include 0, 0 is exactly representable)."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = float(np.float32((hi - lo) / 255.0)) or 1.0
    zp = int(np.clip(round(-128 - lo / scale), -128, 127))
    return scale, zp


def col2im(dcols, xshape, sh, sw, pads):
    n, h, w, c = xshape
    t, l, b, r = pads
    _, oh, ow, kh, kw, _ = dcols.shape
    dxp = np.zeros((n, h + t + b, w + l + r, c), np.float32)
    for i in range(kh):
        for j in range(kw):
            dxp[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :] += dcols[:, :, :, i, j, :]
    return dxp[:, t:t + h, l:l + w, :]


class Adam:
    def __init__(self, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, wd=0.0):
        self.p, self.lr, self.b1, self.b2, self.eps, self.wd = params, lr, b1, b2, eps, wd
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, grads, lr=None):
        lr = self.lr if lr is None else lr
        self.t += 1
        c1 = 1 - self.b1 ** self.t
        c2 = 1 - self.b2 ** self.t
        for k, gk in grads.items():
            if self.wd and k.endswith(".weight"):
                gk = gk + self.wd * self.p[k]
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * gk
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * gk * gk
            upd = lr * (self.m[k] / c1) / (np.sqrt(self.v[k] / c2) + self.eps)
            self.p[k] -= upd.astype(np.float32)


def softmax_ce(logits, labels):
    """Mean cross-entropy and its gradient w.r.t. the logits (N x K)."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    n = len(labels)
    loss = -np.log(p[np.arange(n), labels] + 1e-12).mean()
    g = p
    g[np.arange(n), labels] -= 1
    return float(loss), (g / n).astype(np.float32)


def bce_logits(logits, bits):
    """Mean (over samples, summed over outputs) binary cross-entropy on logits."""
    p = 1.0 / (1.0 + np.exp(-logits))
    loss = np.mean(np.sum(np.logaddexp(0, logits) - bits * logits, axis=1))
    return float(loss), ((p - bits) / len(bits)).astype(np.float32)
