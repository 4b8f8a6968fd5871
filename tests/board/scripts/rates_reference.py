#!/usr/bin/env python3
"""Independent reference for `l1emu rates` (issue 7), used by tests/board/rates_numpy_crosscheck_test.cpp.

Computes from raw score codes, with numpy and none of the C++ code paths (sorted arrays and
searchsorted instead of histograms, midranks instead of the Mann-Whitney sum over bins):
  passed(T) = #codes >= T,  rate(T) = base * passed / events,
  threshold for a target = smallest integer T with rate(T) <= target,
  AUC = (rank sum of signal with midranks - ns (ns + 1) / 2) / (ns nb),
  TPR at FPR = 1e-5 = signal fraction passing the smallest T with background fraction <= 1e-5.

Usage: rates_reference.py --colliding-bunches N --target HZ... --threshold T... \
         --background FILE... --signal NAME=FILE...
FILE is a decision log (.h5, read with h5py from /decisions/score_code) or, without h5py, the .txt
file of codes the test writes beside it. Prints one JSON document on stdout.
"""
import argparse
import json
import os
import sys

import numpy as np

try:
    import h5py  # optional
except ImportError:
    h5py = None


def read_codes(path):
    if h5py is not None and path.endswith(".h5"):
        with h5py.File(path, "r") as f:
            return np.asarray(f["decisions/score_code"][...], dtype=np.int64), "h5py"
    text = os.path.splitext(path)[0] + ".txt"
    return np.loadtxt(text, dtype=np.int64, ndmin=1), "text"


def passed(sorted_codes, t):
    return int(sorted_codes.size - np.searchsorted(sorted_codes, t, side="left"))


def smallest_threshold(sorted_codes, limit_ok):
    # rate(T) only changes just above a code, so the smallest T is the lowest code or some code + 1.
    candidates = np.unique(np.concatenate([sorted_codes[:1], np.unique(sorted_codes) + 1]))
    for t in candidates:
        if limit_ok(passed(sorted_codes, int(t))):
            return int(t)
    raise RuntimeError("no threshold")


def auc_midrank(sig, bkg):
    both = np.concatenate([sig, bkg])
    values, inverse, counts = np.unique(both, return_inverse=True, return_counts=True)
    first_rank = np.cumsum(counts) - counts + 1  # 1-based rank of the first element of each value
    midrank = first_rank + (counts - 1) / 2.0
    ranks = midrank[inverse]
    ns, nb = sig.size, bkg.size
    u = ranks[:ns].sum() - ns * (ns + 1) / 2.0
    return float(u / (ns * nb))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--colliding-bunches", type=int, required=True)
    p.add_argument("--target", type=float, action="append", default=[])
    p.add_argument("--threshold", type=int, action="append", default=[])
    p.add_argument("--background", action="append", required=True)
    p.add_argument("--signal", action="append", default=[])
    a = p.parse_args()

    base = 40.0789e6 / 3564 * a.colliding_bunches  # f_orbit x colliding bunches (FACTS section 1)
    readers = set()
    parts = []
    for f in a.background:
        c, how = read_codes(f)
        readers.add(how)
        parts.append(c)
    bkg = np.sort(np.concatenate(parts))
    n = int(bkg.size)

    def rate(k):
        return base * k / n

    thresholds = sorted(set(np.unique(bkg).tolist()) | set(a.threshold))
    curve = [{"threshold": int(t), "passed": passed(bkg, t), "rate_hz": rate(passed(bkg, t))} for t in thresholds]
    targets = []
    for target in a.target:
        t = smallest_threshold(bkg, lambda k, target=target: rate(k) <= target)
        assert rate(passed(bkg, t - 1)) > target
        targets.append({"target_rate_hz": target, "threshold": t, "rate_hz": rate(passed(bkg, t))})

    signals = {}
    for spec in a.signal:
        name, path = spec.split("=", 1)
        c, how = read_codes(path)
        readers.add(how)
        sig = np.sort(c)
        ns = int(sig.size)
        wp = smallest_threshold(bkg, lambda k: k / n <= 1e-5)
        signals[name] = {
            "events": ns,
            "auc": auc_midrank(sig, bkg),
            "tpr_at_fpr_1e-5": passed(sig, wp) / ns,
            "working_point_threshold": wp,
            "efficiency_at_targets": [passed(sig, t["threshold"]) / ns for t in targets],
            "efficiency_at_thresholds": [passed(sig, t) / ns for t in a.threshold],
        }
    json.dump({"base_rate_hz": base, "events": n, "curve": curve, "targets": targets, "signals": signals,
               "reader": sorted(readers)}, sys.stdout)


if __name__ == "__main__":
    main()
