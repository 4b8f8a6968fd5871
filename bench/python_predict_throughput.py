"""Throughput of l1emu.Model.predict from float32 numpy arrays against `l1emu bench` on the same
model in the same run (the Python API's acceptance: at least half of the command's events/s).

predict's time includes everything a notebook pays: the float32 -> input-type conversion of every
value (as hls4ml's test bench converts), the transposition into lanes, the compiled engine, and the
float64 result arrays. `l1emu bench` hands the engine pre-converted lanes of codes.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python_predict_throughput.py \
        --l1emu build/release/l1emu [--model ../shared/golden/hls4ml/vae_paper/model.json] [--check]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np

import l1emu

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--l1emu", required=True, help="the l1emu executable of the same build")
    p.add_argument("--model", default=os.path.join(ROOT, "..", "shared", "golden", "hls4ml", "vae_paper", "model.json"))
    p.add_argument("--events", type=int, default=2_000_000)
    p.add_argument("--bench-events", type=int, default=20_000_000, help="events per l1emu bench run")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--threads", type=int, default=0, help="0: all cores (both sides)")
    p.add_argument("--check", action="store_true", help="exit 1 when predict is below half of l1emu bench")
    a = p.parse_args()

    model = l1emu.Model(a.model)
    rng = np.random.default_rng(2022)
    # Values spread over the middle half of each input type's range, as l1emu bench draws its codes.
    cols = []
    for t in model.input_types:
        lo, hi = t.type.min_code * 2.0**-t.fractional_bits, t.type.max_code * 2.0**-t.fractional_bits
        cols.append(rng.uniform(lo + (hi - lo) / 4, hi - (hi - lo) / 4, size=(a.events, t.size)))
    x = np.concatenate(cols, axis=1).astype(np.float32)

    # Interleaved, so that a load from elsewhere on the machine weighs on both sides alike.
    predict_rates, bench_rates = [], []
    threads = ["--threads", str(a.threads)] if a.threads > 0 else []
    for _ in range(a.repeats):
        start = time.perf_counter()
        model.predict(x, threads=a.threads)
        predict_rates.append(a.events / (time.perf_counter() - start))
        out = subprocess.run([a.l1emu, "bench", "--model", a.model, "--events", str(a.bench_events)] + threads,
                             check=True, capture_output=True, text=True).stdout
        bench_rates.append(float(re.search(r"events_per_second: ([0-9.e+]+)", out).group(1)))
        detail = out.splitlines()[1]

    predict, bench = statistics.median(predict_rates), statistics.median(bench_rates)
    print("model: %s (%d inputs), %d events from float32, median of %d" % (model.project, model.input_width, a.events, a.repeats))
    print("python predict: %.3g events/s  (runs: %s)" % (predict, ", ".join("%.3g" % r for r in predict_rates)))
    print("l1emu bench:    %.3g events/s  (runs: %s)" % (bench, ", ".join("%.3g" % r for r in bench_rates)))
    print("ratio: %.2f   [%s]" % (predict / bench, detail))
    if a.check and predict < 0.5 * bench:
        sys.exit("python predict is below half of l1emu bench")


if __name__ == "__main__":
    main()
