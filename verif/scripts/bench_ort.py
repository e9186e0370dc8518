#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""onnxruntime's int8 speed on ResNet-50 on this machine (make bench), for comparison with the
C model's functional mode (netbench): the torchvision ResNet-50 graph (docs/examples/
resnet50.txt) written with onnx.helper, random weights, quantized by onnxruntime's quantizer
(static, QDQ, per-channel int8 weights; activations uint8 and int8), then timed on one
thread. Prints one line per activation type: MACs, seconds per inference, G MAC/s.

    bench_ort.py WORKDIR [RUNS]
"""
import os
import sys
import time

import numpy as np

MACS = 4089184256  # dlpcc --summary docs/examples/resnet50.txt


def resnet50(path):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(1)
    nodes, inits = [], []
    count = [0]

    def name(p):
        count[0] += 1
        return "%s%d" % (p, count[0])

    def conv(x, cin, cout, k, s, relu):
        w, b, y = name("w"), name("b"), name("c")
        std = np.sqrt(2.0 / (cin * k * k))
        inits.append(numpy_helper.from_array(
            (rng.standard_normal((cout, cin, k, k)) * std).astype(np.float32), w))
        inits.append(numpy_helper.from_array(np.zeros(cout, np.float32), b))
        nodes.append(helper.make_node("Conv", [x, w, b], [y], kernel_shape=[k, k],
                                      strides=[s, s], pads=[k // 2] * 4))
        if relu:
            r = name("r")
            nodes.append(helper.make_node("Relu", [y], [r]))
            return r
        return y

    x = conv("x", 3, 64, 7, 2, True)
    p = name("p")
    nodes.append(helper.make_node("MaxPool", [x], [p], kernel_shape=[3, 3], strides=[2, 2],
                                  pads=[1, 1, 1, 1]))
    x, cin = p, 64
    for li, (blocks, width) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)]):
        for b in range(blocks):
            s = 2 if b == 0 and li > 0 else 1
            a = conv(x, cin, width, 1, 1, True)
            a = conv(a, width, width, 3, s, True)
            a = conv(a, width, 4 * width, 1, 1, False)
            sc = conv(x, cin, 4 * width, 1, s, False) if b == 0 else x
            y, r = name("a"), name("r")
            nodes.append(helper.make_node("Add", [a, sc], [y]))
            nodes.append(helper.make_node("Relu", [y], [r]))
            x, cin = r, 4 * width
    g, f = name("g"), name("f")
    nodes.append(helper.make_node("GlobalAveragePool", [x], [g]))
    nodes.append(helper.make_node("Flatten", [g], [f]))
    inits.append(numpy_helper.from_array(
        (rng.standard_normal((1000, 2048)) * 0.02).astype(np.float32), "fcw"))
    inits.append(numpy_helper.from_array(np.zeros(1000, np.float32), "fcb"))
    nodes.append(helper.make_node("Gemm", [f, "fcw", "fcb"], ["y"], transB=1))
    graph = helper.make_graph(
        nodes, "resnet50", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 224, 224])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1000])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, path)


def main():
    work = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    os.makedirs(work, exist_ok=True)
    import onnxruntime as ort
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                          quantize_static)
    fp = os.path.join(work, "resnet50.onnx")
    if not os.path.exists(fp):
        resnet50(fp)

    class Reader(CalibrationDataReader):
        def __init__(self):
            r = np.random.default_rng(2)
            self.d = iter([{"x": r.standard_normal((1, 3, 224, 224)).astype(np.float32)}
                           for _ in range(2)])

        def get_next(self):
            return next(self.d, None)

    x = np.random.default_rng(3).standard_normal((1, 3, 224, 224)).astype(np.float32)
    for act in ("uint8", "int8"):
        q = os.path.join(work, "resnet50-%s.onnx" % act)
        if not os.path.exists(q):
            quantize_static(fp, q, Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                            activation_type=QuantType.QUInt8 if act == "uint8" else QuantType.QInt8,
                            weight_type=QuantType.QInt8)
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        s = ort.InferenceSession(q, so, providers=["CPUExecutionProvider"])
        s.run(None, {"x": x})
        t0 = time.process_time()
        for _ in range(runs):
            s.run(None, {"x": x})
        t = (time.process_time() - t0) / runs
        print("onnxruntime %s, int8 QDQ ResNet-50 (%s activations, int8 weights), 1 thread: "
              "%d MACs, %.3f s CPU per run (%d runs): %.2f G MAC/s"
              % (ort.__version__, act, MACS, t, runs, MACS / t / 1e9))


if __name__ == "__main__":
    main()
