#!/usr/bin/env python3
"""Writes examples/demo_vae/: a demo model of l1emu's own in the paper's DNN VAE encoder
architecture (57 -> BN -> Dense 32 -> LeakyReLU -> Dense 16 -> LeakyReLU -> Dense 3 (mean) and
Dense 3 (log variance) -> KL loss; Govorkova et al. 2022), with 8-bit weights, plus 1000 synthetic
events of 19 objects x (pT, eta, phi) in GeV and rad.

The weights are constructed (below), not trained: a small, explainable anomaly score that separates
the generator's signals from its background (AUC about 0.9 for A -> 4l, 0.65-0.7 for the tau
signals). The events use Python's `random` with a fixed seed, so running this again rewrites
byte-identical files. A demonstration of the arithmetic and the tools, not a physics model.

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


# The weights are constructed, not trained: an anomaly score that is large for events unlike the
# W/QCD-dominated background (shared/FACTS.md section 3), in the VAE encoder's own arithmetic.
# With z_log_var = 0 the KL layer gives 0.5 x mean(z_mean^2), so each latent is one feature:
#   z_mean[0] ~ 2 x (pT of the sub-leading e/gamma and muons) / 128 GeV      (4 leptons: A -> 4l)
#   z_mean[1] ~ 2 x LReLU(0.3 - (leading e + leading mu pT) / 128 GeV)        (softer leptons: tau decays)
#   z_mean[2] ~ 1 x LReLU(0.2 - MET / 128 GeV)                                (less MET than W -> l nu)
# Gains stay small enough that z_mean^2 fits the ap_fixed<16,6> accumulator of the KL layer.
W8 = 127 / 128  # the largest ap_fixed<8,1> weight
ROWS_E, ROWS_MU = [1, 2, 3, 4], [5, 6, 7, 8]
bn_scale = [0.0] * 57
for row in range(19):
    bn_scale[3 * row] = 1 / 128  # pT in units of 128 GeV; eta and phi are not used
bn_bias = [0.0] * 57

w1 = [[0.0] * 32 for _ in range(57)]
b1 = [0.0] * 32
for row in ROWS_E[1:] + ROWS_MU[1:]:
    w1[3 * row][0] = W8               # unit 0: sub-leading leptons
for row in (ROWS_E[0], ROWS_MU[0]):
    w1[3 * row][1] = -W8              # unit 1: 0.3 - leading leptons
b1[1] = 38 / 128
w1[0][2] = -W8                        # unit 2: 0.2 - MET
b1[2] = 26 / 128

w2 = [[0.0] * 16 for _ in range(32)]
b2 = [0.0] * 16
copies = {0: [0, 1], 1: [2, 3], 2: [4]}  # hidden copies per feature: the gain of the next layer
for unit, outs in copies.items():
    for o in outs:
        w2[unit][o] = W8
wm = [[0.0] * 3 for _ in range(16)]
bm = [0.0] * 3
for latent, outs in copies.items():
    for o in outs:
        wm[o][latent] = W8
wv = [[0.0] * 3 for _ in range(16)]
bv = [0.0] * 3

common = {"weight_t": "ap_fixed<8,1>", "bias_t": "ap_fixed<8,1>", "accum_t": "ap_fixed<16,6>", "result_t": "ap_fixed<16,6>"}
model = {
    "project": "demo_vae",
    "flavor": "paper",
    "io_type": "io_parallel",
    "strategy": "latency",
    "reuse_factor": 1,
    "default_precision": "ap_fixed<16,6>",
    "comment": "l1emu demo model: the DNN VAE encoder architecture of Govorkova et al. 2022 with constructed 8-bit "
               "weights (scripts/make_demo_vae.py): the KL score grows with sub-leading lepton pT and with softer leading "
               "leptons and MET than the W-dominated background. Not trained; for demonstrations and tests.",
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
