#!/usr/bin/env python3
"""Writes two benchmark models of l1emu's own, in the shapes of deployed hls4ml triggers, with
random weights fixed by a seed (not trained: they measure the arithmetic, not physics):

- examples/cicada_v2_shape/: CMS CICADA v2's architecture and types (cms-hls4ml/CICADA,
  CICADA_v2p2p0/defines.h): 18x14x1 calorimeter regions (ap_uint<10> codes, read here as
  ap_ufixed<10,10>), Conv2D 2x2 stride 2 with 4 filters and no bias (accum ap_fixed<30,22>,
  weights ap_fixed<12,4>), ReLU into ap_ufixed<10,6,AP_RND_CONV,AP_SAT>, Flatten, Dense 252->16
  (ap_fixed<8,2> weights, ap_fixed<8,4> bias, accum ap_fixed<26,14>), ReLU, Dense 16->1 into the
  score type ap_ufixed<16,8,AP_RND_CONV,AP_SAT> through a Linear.
- examples/softmax_mlp/: a jet-tagger-shaped MLP (16 -> 64 -> 32 -> 32 -> 5, ReLU) with a stable
  softmax head, hls4ml's default types (ap_fixed<16,6>) and 8-bit weights.

Each folder also gets inputs.txt: 1000 events in the models' input ranges, including the range
ends. Running this again rewrites byte-identical files.

usage: scripts/make_shape_models.py [EXAMPLES_DIR]   (default examples/)
"""
import json
import os
import random
import sys

out_root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "examples")


def quantized(rng, n, frac_bits, limit):
    """n random multiples of 2^-frac_bits in [-limit, limit), written as hls4ml writes them."""
    step = 2.0 ** -frac_bits
    return [round(rng.uniform(-limit, limit) / step) * step for _ in range(n)]


def nest(values, dims):
    if len(dims) == 1:
        return values
    inner = len(values) // dims[0]
    return [nest(values[i * inner:(i + 1) * inner], dims[1:]) for i in range(dims[0])]


def write(folder, model, events):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(model, f, indent=1)
        f.write("\n")
    with open(os.path.join(folder, "inputs.txt"), "w") as f:
        for e in events:
            f.write(" ".join(repr(v) if isinstance(v, float) else str(v) for v in e) + "\n")


def cicada_v2_shape():
    rng = random.Random(2024_2)
    conv_w = quantized(rng, 2 * 2 * 1 * 4, 8, 2.0)
    d1_w = quantized(rng, 252 * 16, 6, 0.5)
    d1_b = quantized(rng, 16, 4, 2.0)
    d2_w = quantized(rng, 16, 8, 2.0)
    layers = [
        {"name": "conv", "class": "Conv2D", "input": "inputs_", "in_height": 18, "in_width": 14, "n_chan": 1, "n_filt": 4,
         "filt_height": 2, "filt_width": 2, "stride_height": 2, "stride_width": 2, "pad_top": 0, "pad_bottom": 0,
         "pad_left": 0, "pad_right": 0, "out_height": 9, "out_width": 7, "weight": nest(conv_w, [2, 2, 1, 4]),
         "bias": [0.0] * 4, "weight_t": "ap_fixed<12,4>", "bias_t": "ap_ufixed<1,1>", "accum_t": "ap_fixed<30,22>",
         "strategy": "latency", "result_t": "ap_fixed<30,22>", "shape": [9, 7, 4]},
        {"name": "relu0", "class": "ReLU", "input": "conv", "result_t": "ap_ufixed<10,6,AP_RND_CONV,AP_SAT>", "shape": [9, 7, 4]},
        {"name": "flatten", "class": "Flatten", "input": "relu0", "result_t": "ap_ufixed<10,6,AP_RND_CONV,AP_SAT>", "shape": [252]},
        {"name": "dense1", "class": "Dense", "input": "flatten", "n_out": 16, "weight": nest(d1_w, [252, 16]), "bias": d1_b,
         "weight_t": "ap_fixed<8,2>", "bias_t": "ap_fixed<8,4>", "accum_t": "ap_fixed<26,14>", "result_t": "ap_fixed<26,14>"},
        {"name": "relu1", "class": "ReLU", "input": "dense1", "result_t": "ap_ufixed<10,6,AP_RND_CONV,AP_SAT>"},
        {"name": "dense2", "class": "Dense", "input": "relu1", "n_out": 1, "weight": nest(d2_w, [16, 1]), "bias": [0.0],
         "weight_t": "ap_fixed<12,4>", "bias_t": "ap_ufixed<1,1>", "accum_t": "ap_fixed<26,14>", "result_t": "ap_fixed<26,14>"},
        {"name": "outputs", "class": "Linear", "input": "dense2", "result_t": "ap_ufixed<16,8,AP_RND_CONV,AP_SAT>"},
    ]
    model = {"project": "cicada_v2_shape", "flavor": "head", "io_type": "io_parallel", "default_precision": "ap_fixed<16,6>",
             "comment": "CICADA v2 architecture and types with random weights (scripts/make_shape_models.py); not the CMS model",
             "inputs": [{"name": "inputs_", "size": 252, "shape": [18, 14, 1], "type": "ap_ufixed<10,10>"}],
             "layers": layers, "outputs": ["outputs"]}
    # Calorimeter region ET codes: mostly small, some saturated at 1023.
    events = [[min(1023, int(rng.expovariate(1 / 6.0))) if rng.random() > 0.002 else 1023 for _ in range(252)] for _ in range(256)]
    write(os.path.join(out_root, "cicada_v2_shape"), model, events)


def softmax_mlp():
    rng = random.Random(2024_5)
    sizes = [16, 64, 32, 32, 5]
    layers = []
    prev = "input_1"
    for k in range(4):
        n_in, n_out = sizes[k], sizes[k + 1]
        name = "dense_%d" % (k + 1)
        layers.append({"name": name, "class": "Dense", "input": prev, "n_out": n_out,
                       "weight": nest(quantized(rng, n_in * n_out, 6, 1.0), [n_in, n_out]),
                       "bias": quantized(rng, n_out, 6, 0.5), "weight_t": "ap_fixed<8,2>", "bias_t": "ap_fixed<8,2>",
                       "accum_t": "ap_fixed<16,6>", "result_t": "ap_fixed<16,6>"})
        prev = name
        if k < 3:
            layers.append({"name": "relu_%d" % (k + 1), "class": "ReLU", "input": prev, "result_t": "ap_fixed<16,6>"})
            prev = "relu_%d" % (k + 1)
    layers.append({"name": "softmax", "class": "Softmax", "input": prev, "implementation": "stable", "n_in": 5, "n_slice": 5,
                   "n_outer": 1, "n_inner": 1, "exp_table_size": 1024, "inv_table_size": 1024, "exp_scale": 1.0,
                   "exp_table_t": "ap_fixed<18,8,AP_RND,AP_SAT>", "inv_table_t": "ap_fixed<18,8,AP_RND,AP_SAT>",
                   "accum_t": "ap_fixed<16,6>", "inv_inp_t": "ap_fixed<18,8,AP_RND,AP_SAT>", "inp_norm_t": "ap_ufixed<15,5>",
                   "result_t": "ap_ufixed<16,0,AP_RND,AP_SAT>"})
    model = {"project": "softmax_mlp", "flavor": "head", "io_type": "io_parallel", "default_precision": "ap_fixed<16,6>",
             "comment": "jet-tagger-shaped MLP with a stable softmax, random weights (scripts/make_shape_models.py)",
             "inputs": [{"name": "input_1", "size": 16, "type": "ap_fixed<16,6>"}], "layers": layers, "outputs": ["softmax"]}
    events = [[round(rng.gauss(0, 2.0), 4) for _ in range(16)] for _ in range(1000)]
    events[0] = [31.999] * 16
    events[1] = [-32.0] * 16
    write(os.path.join(out_root, "softmax_mlp"), model, events)


cicada_v2_shape()
softmax_mlp()
