#!/usr/bin/env python3
"""Writes examples/demo_vae/: a demo model of l1emu's own in the paper's DNN VAE encoder
architecture (57 -> BN -> Dense 32 -> LeakyReLU -> Dense 16 -> LeakyReLU -> Dense 3 (mean) and
Dense 3 (log variance) -> KL loss; Govorkova et al. 2022), with 8-bit weights, plus 1000 synthetic
events of 19 objects x (pT, eta, phi) in GeV and rad.

Reproducible: Python's `random` with a fixed seed (its generator is stable across versions), so
running this again rewrites byte-identical files. The weights are random, not trained: the model
demonstrates the arithmetic and the tools; it is not a physics model.

usage: scripts/make_demo_vae.py [OUTPUT_DIR]   (default examples/demo_vae)
"""
import json
import math
import os
import random
import sys

SEED = 20221104
out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "examples", "demo_vae")
rng = random.Random(SEED)


def quantized(value, frac_bits, int_bits):
    """Rounds to the weight grid (ap_fixed<8,1>-like) and clips, so the JSON holds exact values."""
    lsb = 2.0 ** -frac_bits
    limit = 2.0 ** (int_bits - 1)
    return max(-limit, min(limit - lsb, round(value / lsb) * lsb))


def dense(n_in, n_out, scale):
    weight = [[quantized(rng.gauss(0.0, scale / math.sqrt(n_in)), 7, 1) for _ in range(n_out)] for _ in range(n_in)]
    bias = [quantized(rng.gauss(0.0, 0.05), 7, 1) for _ in range(n_out)]
    return weight, bias


# Typical magnitudes of the 57 inputs: pT up to ~100 GeV, eta within +-4, phi within +-pi.
feature_scale = []
for obj in range(19):
    feature_scale += [40.0 if obj == 0 else 25.0, 2.0, 1.8]

bn_scale = [quantized(1.0 / s, 7, 1) for s in feature_scale]
bn_bias = [quantized(rng.gauss(0.0, 0.05), 7, 1) for _ in feature_scale]
w1, b1 = dense(57, 32, 1.6)
w2, b2 = dense(32, 16, 1.4)
wm, bm = dense(16, 3, 1.2)
wv, bv = dense(16, 3, 0.6)

common = {"weight_t": "ap_fixed<8,1>", "bias_t": "ap_fixed<8,1>", "accum_t": "ap_fixed<16,6>", "result_t": "ap_fixed<16,6>"}
model = {
    "project": "demo_vae",
    "flavor": "paper",
    "io_type": "io_parallel",
    "strategy": "latency",
    "reuse_factor": 1,
    "default_precision": "ap_fixed<16,6>",
    "comment": "l1emu demo model: the DNN VAE encoder architecture of Govorkova et al. 2022 with random 8-bit weights "
               "(scripts/make_demo_vae.py, seed %d). Not trained; for demonstrations and tests." % SEED,
    "inputs": [{"name": "input_1", "size": 57, "type": "ap_fixed<16,10>"}],
    "layers": [
        {"name": "batch_normalization", "class": "BatchNormalization", "input": "input_1", "scale": bn_scale,
         "bias": bn_bias, "scale_t": "ap_fixed<8,1>", "bias_t": "ap_fixed<8,1>", "result_t": "ap_fixed<16,6>"},
        dict({"name": "dense_1", "class": "Dense", "input": "batch_normalization", "n_out": 32, "weight": w1, "bias": b1}, **common),
        {"name": "leaky_re_lu_1", "class": "LeakyReLU", "input": "dense_1", "alpha": 0.30000001192092896, "result_t": "ap_fixed<16,6>"},
        dict({"name": "dense_2", "class": "Dense", "input": "leaky_re_lu_1", "n_out": 16, "weight": w2, "bias": b2}, **common),
        {"name": "leaky_re_lu_2", "class": "LeakyReLU", "input": "dense_2", "alpha": 0.30000001192092896, "result_t": "ap_fixed<16,6>"},
        dict({"name": "z_mean", "class": "Dense", "input": "leaky_re_lu_2", "n_out": 3, "weight": wm, "bias": bm}, **common),
        dict({"name": "z_log_var", "class": "Dense", "input": "leaky_re_lu_2", "n_out": 3, "weight": wv, "bias": bv}, **common),
        {"name": "kl_loss", "class": "KLLoss", "inputs": ["z_mean", "z_log_var"], "accum_t": "ap_fixed<16,6>",
         "exp_table_t": "ap_fixed<18,8>", "table_size": 1024, "exp_range": 8, "result_t": "ap_fixed<16,6>"},
    ],
    "outputs": ["z_mean", "z_log_var", "kl_loss"],
}

os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "model.json"), "w") as f:
    json.dump(model, f, indent=1)
    f.write("\n")

# Events: MET, up to 4 e/gamma, 4 muons, 10 jets; pT-ordered within a class, empty slots zero.
with open(os.path.join(out_dir, "inputs.txt"), "w") as f:
    for _ in range(1000):
        values = [round(rng.expovariate(1 / 30.0), 3), 0.0, round(rng.uniform(-math.pi, math.pi), 4)]
        for count, eta_max in ((4, 3.0), (4, 2.1), (10, 4.0)):
            n = rng.randint(0, count)
            pts = sorted((round(rng.expovariate(1 / 20.0) + 3.0, 3) for _ in range(n)), reverse=True)
            for k in range(count):
                if k < n:
                    values += [pts[k], round(rng.uniform(-eta_max, eta_max), 4), round(rng.uniform(-math.pi, math.pi), 4)]
                else:
                    values += [0.0, 0.0, 0.0]
        f.write(" ".join(repr(v) for v in values) + "\n")
print("wrote", os.path.normpath(out_dir))
