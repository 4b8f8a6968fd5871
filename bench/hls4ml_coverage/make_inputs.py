#!/usr/bin/env python3
"""mkinput.py MODEL.json N SEED > events.txt : N events of random values spanning each input's type range
(half the range, so most values are representable; an input read by an Embedding gets row indices). Prints nothing and exits 2 if the model has no inputs."""
import json, random, re, sys
m = json.load(open(sys.argv[1])); n = int(sys.argv[2]); random.seed(int(sys.argv[3]))
# An input read by an Embedding is a row index: integers in [0, vocab_size), as the model expects.
vocab = {l["inputs"][0] if "inputs" in l else l.get("input"): int(l["vocab_size"]) for l in m.get("layers", []) if l.get("class") == "Embedding"}
spans = []
for inp in m.get("inputs", []):
    if inp["name"] in vocab:
        spans += [("index", vocab[inp["name"]])] * int(inp["size"])
        continue
    t = inp.get("type", "ap_fixed<16,6>")
    mt = re.match(r"ap_(u?)(fixed|int)<\s*(\d+)\s*(?:,\s*(-?\d+))?", t)
    if mt:
        uns, kind, w = mt.group(1) == "u", mt.group(2), int(mt.group(3))
        i = w if kind == "int" else int(mt.group(4))
        hi = 2.0 ** (i - (0 if uns else 1))
        lo = 0.0 if uns else -hi
    else:
        lo, hi = -4.0, 4.0
    spans += [(lo / 2, hi / 2)] * int(inp["size"])
if not spans: sys.exit(2)
for _ in range(n):
    print(" ".join(str(random.randrange(b)) if a == "index" else f"{random.uniform(a, b):.6g}" for a, b in spans))
