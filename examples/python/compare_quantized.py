"""Compare a QKeras-style quantized float computation of the demo model with the firmware's codes.

What a notebook does after training with QKeras and converting with hls4ml: run the quantized model
in floating point (weights quantized to their types, each layer's output passed through a
quantized_bits-like quantizer: round to nearest, clip to the type's range) and check it against what
the firmware computes. l1emu gives the firmware's exact codes for every layer in one call (trace),
so the comparison shows where, and by how many LSBs, the float model departs from the hardware
(the firmware truncates, wraps and converts every product and partial sum to accum_t).

Run (Debian's interpreter has numpy; the module is in the build tree):
    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/compare_quantized.py
"""
import json
import os
import sys

import numpy as np

import l1emu

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.join(HERE, "..", "demo_vae")


def qkeras_quantizer(values, type_spelling):
    """quantized_bits-like: round to the nearest multiple of the LSB (ties to even, numpy's rint) and
    clip to the type's range; the float model's idea of a fixed-point value."""
    t = l1emu.FixedType(type_spelling)
    lsb = 2.0 ** -t.fractional_bits
    return np.clip(np.rint(values / lsb), t.min_code, t.max_code) * lsb


def float_model(spec, x):
    """The demo model (BatchNorm, Dense, LeakyReLU, Dense, LeakyReLU, Dense mean / log-variance,
    KL score) in float64, with weights quantized as the firmware stores them (l1emu.quantize: the
    exact ap_fixed conversion of each parameter into its type)."""
    arrays = {spec["inputs"][0]["name"]: x.astype(np.float64)}
    for layer in spec["layers"]:
        cls, out_t = layer["class"], layer["result_t"]
        if cls == "BatchNormalization":
            scale = l1emu.quantize(np.array(layer["scale"]), layer["scale_t"])
            bias = l1emu.quantize(np.array(layer["bias"]), layer["bias_t"])
            y = arrays[layer["input"]] * scale + bias
        elif cls == "Dense":
            w = l1emu.quantize(np.array(layer["weight"]), layer["weight_t"])
            b = l1emu.quantize(np.array(layer["bias"]), layer["bias_t"])
            y = arrays[layer["input"]] @ w + b
        elif cls == "LeakyReLU":
            a = arrays[layer["input"]]
            y = np.where(a > 0, a, layer["alpha"] * a)
        elif cls == "KLLoss":
            m, v = (arrays[name] for name in layer["inputs"])
            y = (-0.5 * np.mean(1.0 + v - m * m - np.exp(v), axis=1))[:, None]
        else:
            sys.exit("compare_quantized.py: no float rule for layer class " + cls)
        arrays[layer["name"]] = qkeras_quantizer(y, out_t)
    return arrays


def main():
    model = l1emu.Model(DEMO)
    with open(os.path.join(DEMO, "model.json")) as f:
        spec = json.load(f)
    # The events as hls4ml's test bench reads them: decimals to double, stored as float32.
    x = np.loadtxt(os.path.join(DEMO, "inputs.txt"), dtype=np.float64, ndmin=2).astype(np.float32)

    firmware = model.trace(x)  # int64 codes of every layer, bit-exact
    floats = float_model(spec, x)
    print("%d events of %s: QKeras-style float model vs the firmware (l1emu codes)" % (len(x), model.project))
    print("%-22s %-26s %12s %14s %14s" % ("layer", "type", "equal codes", "max |diff| LSB", "mean |diff| LSB"))
    for name, t in zip(model.layer_names, model.layer_types):
        codes = firmware[name]
        float_codes = np.rint(floats[name] * 2.0 ** t.fractional_bits)
        diff = np.abs(float_codes - codes)
        print("%-22s %-26s %11.2f%% %14d %14.3f" % (name, t.spelling, 100.0 * np.mean(diff == 0), diff.max(), diff.mean()))
    score = model.predict(x)["kl_loss"][:, 0]  # values, exact: code x 2^-F
    print("kl_loss: firmware mean %.4f, float model mean %.4f, rank correlation %.4f" % (
        score.mean(), floats["kl_loss"][:, 0].mean(),
        np.corrcoef(np.argsort(np.argsort(score)), np.argsort(np.argsort(floats["kl_loss"][:, 0])))[0, 1]))


if __name__ == "__main__":
    main()
