"""Where the Python tests find things: the module (PYTHONPATH set by CTest to build/<preset>/python),
the repository, ../shared (or $L1EMU_SHARED_DIR, as the C++ conformance suite) and helper programs."""
import os
import unittest

import numpy as np  # noqa: F401  (the tests need Debian's python3-numpy: run them with /usr/bin/python3)

import l1emu  # noqa: F401

SOURCE_DIR = os.environ.get("L1EMU_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def shared_dir():
    return os.environ.get("L1EMU_SHARED_DIR") or os.path.join(SOURCE_DIR, "..", "shared")


def golden_dir():
    return os.path.join(shared_dir(), "golden")


def golden_cases():
    """'hls4ml/vae_paper', 'axol1tl/v3', ...: every folder with a model.json two levels below golden/."""
    root = golden_dir()
    cases = []
    if not os.path.isdir(root):
        return cases
    for group in sorted(os.listdir(root)):
        if not os.path.isdir(os.path.join(root, group)):
            continue
        for case in sorted(os.listdir(os.path.join(root, group))):
            if os.path.isfile(os.path.join(root, group, case, "model.json")):
                cases.append(group + "/" + case)
    return cases


def require_shared(test):
    if not os.path.isdir(golden_dir()):
        raise unittest.SkipTest("shared data not found at %s (set L1EMU_SHARED_DIR to the folder that holds golden/)" % golden_dir())


def read_events(path):
    """inputs.txt as l1emu predict reads it: each decimal as C atof (a double), stored as a float32."""
    return np.loadtxt(path, dtype=np.float64, ndmin=2).astype(np.float32)


def read_codes(path):
    """A file of integer codes, one event per line, as Python ints (codes may be wider than 53 bits)."""
    with open(path) as f:
        return [[int(t) for t in line.split()] for line in f if line.strip()]
