"""Every golden case of ../shared/golden through the Python module: predict(x, raw=True) with x read
as float32 equals expected/outputs_raw.txt, predict(x) equals code x 2^-F, trace equals every
expected trace file. Skips with a message when ../shared is absent."""
import os
import unittest

import numpy as np

import l1emu
import support


def significant_bits(code):
    code = abs(code)
    while code and code % 2 == 0:
        code //= 2
    return code.bit_length()


class GoldenCases(unittest.TestCase):
    def setUp(self):
        support.require_shared(self)

    def test_cases_present(self):
        self.assertTrue(support.golden_cases(), "no case with a model.json under " + support.golden_dir())

    def check_case(self, name, engine, events=None):
        d = os.path.join(support.golden_dir(), name)
        model = l1emu.Model(os.path.join(d, "model.json"))
        x = support.read_events(os.path.join(d, "inputs.txt"))
        expected = support.read_codes(os.path.join(d, "expected", "outputs_raw.txt"))
        if events is not None:
            x, expected = x[:events], expected[:events]
        self.assertEqual(len(expected), x.shape[0])

        raw = model.predict(x, raw=True, engine=engine)
        self.assertEqual(list(raw.keys()), model.output_names)
        got = np.concatenate([raw[n] for n in model.output_names], axis=1)
        self.assertEqual(got.dtype, np.int64)
        mismatches = int(np.count_nonzero(got != np.array(expected, dtype=np.int64)))
        self.assertEqual(mismatches, 0, "%s: %d output codes differ (%s engine)" % (name, mismatches, engine))

        # Values: code x 2^-F exactly, or the error that says to use raw=True.
        widest = max(significant_bits(c) for row in expected for c in row)
        if widest <= 53:
            values = model.predict(x, engine=engine)
            col = 0
            for n, t in zip(model.output_names, model.output_types):
                want = np.ldexp(np.array([row[col:col + t.size] for row in expected], dtype=np.float64), -t.fractional_bits)
                self.assertEqual(values[n].dtype, np.float64)
                self.assertTrue(np.array_equal(values[n], want), "%s: values of %s differ" % (name, n))
                col += t.size
        else:
            with self.assertRaisesRegex(ValueError, "raw=True"):
                model.predict(x, engine=engine)

        trace = model.trace(x, engine=engine)
        self.assertEqual(list(trace.keys()), model.layer_names)
        files = 0
        for layer in model.layer_names:
            path = os.path.join(d, "expected", "trace", layer + ".txt")
            if not os.path.exists(path):
                continue
            files += 1
            want = np.array(support.read_codes(path)[:x.shape[0]], dtype=np.int64)
            bad = int(np.count_nonzero(trace[layer] != want))
            self.assertEqual(bad, 0, "%s: %d codes of layer %s differ (%s engine)" % (name, bad, layer, engine))
        self.assertGreater(files, 0, "no trace files for " + name)
        return x.shape[0], got.size, files

    def test_every_case_compiled_engine(self):
        for name in support.golden_cases():
            with self.subTest(case=name):
                events, codes, traces = self.check_case(name, "compiled")
                print("%-28s compiled: %d events, %d output codes, %d traces equal" % (name, events, codes, traces))

    def test_every_case_reference_engine(self):
        # The specification evaluator is slow: the first 100 events of each case.
        for name in support.golden_cases():
            with self.subTest(case=name):
                self.check_case(name, "reference", events=100)


if __name__ == "__main__":
    unittest.main()
