"""l1emu.Model on the shipped examples (no ../shared needed): attributes, engines and input kinds
agree, threads do not change results, traces hold the outputs, float64 inputs follow ap_fixed's
double constructor (the reference engine computes it with exact integers)."""
import os
import unittest

import numpy as np

import l1emu
import support

DEMO = os.path.join(support.SOURCE_DIR, "examples", "demo_vae")
SOFTMAX = os.path.join(support.SOURCE_DIR, "examples", "softmax_mlp", "model.json")


def random_events(model, n, seed, scale=None):
    """Values spread over (and a little beyond) each input type's range, plus exact ties."""
    rng = np.random.default_rng(seed)
    cols = []
    for t in model.input_types:
        lo, hi = t.type.min_code * 2.0**-t.fractional_bits, t.type.max_code * 2.0**-t.fractional_bits
        span = (hi - lo) if scale is None else scale
        cols.append(rng.uniform(lo - span / 8, hi + span / 8, size=(n, t.size)))
    x = np.concatenate(cols, axis=1)
    # A quarter of the values on exact half-LSB ties of their input type.
    col = 0
    for t in model.input_types:
        ties = rng.random((n, t.size)) < 0.25
        x[:, col:col + t.size] = np.where(ties, (np.floor(x[:, col:col + t.size] * 2.0**t.fractional_bits) + 0.5) * 2.0**-t.fractional_bits,
                                          x[:, col:col + t.size])
        col += t.size
    return x


class ModelAttributes(unittest.TestCase):
    def test_demo_description(self):
        m = l1emu.Model(DEMO)  # a directory holding model.json, as --model takes it
        self.assertEqual(m.input_width, sum(t.size for t in m.input_types))
        self.assertEqual(m.input_width, 57)
        self.assertEqual(len(m.input_names), len(m.input_types))
        self.assertEqual(m.output_names, [t.name for t in m.output_types])
        self.assertEqual(m.layer_names, [t.name for t in m.layer_types])
        for t in m.input_types + m.output_types + m.layer_types:
            self.assertEqual(t.fractional_bits, t.width - t.integer_bits)
            self.assertEqual(l1emu.FixedType(t.spelling), t.type)
            self.assertTrue(t.spelling.startswith(("ap_fixed<", "ap_ufixed<", "ap_int<", "ap_uint<")))
        text = m.summary()
        for name in m.layer_names:
            self.assertIn(name, text)
        self.assertTrue(m.compiled_engine_available)

    def test_flavour_of_a_model_json_is_refused(self):
        with self.assertRaisesRegex(l1emu.ModelError, "states its own flavor"):
            l1emu.Model(os.path.join(DEMO, "model.json"), flavour="head")


class Prediction(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.models = [l1emu.Model(DEMO), l1emu.Model(SOFTMAX)]

    def test_engines_and_dtypes_agree(self):
        for m in self.models:
            x64 = random_events(m, 700, seed=1)
            for x in (x64.astype(np.float32), x64):
                compiled = m.trace(x)
                reference = m.trace(x, engine="reference")
                for name in m.layer_names:
                    self.assertTrue(np.array_equal(compiled[name], reference[name]), "%s %s %s" % (m.project, x.dtype, name))

    def test_float32_is_converted_as_a_float(self):
        # float32 x and the same values as float64 give the same codes (a float widens exactly).
        m = self.models[0]
        x = random_events(m, 300, seed=2).astype(np.float32)
        a = m.predict(x, raw=True)
        b = m.predict(x.astype(np.float64), raw=True)
        for n in m.output_names:
            self.assertTrue(np.array_equal(a[n], b[n]))

    def test_raw_codes_equal_quantized_values(self):
        m = self.models[0]
        x = random_events(m, 500, seed=3)
        column_types = [t.type for t in m.input_types for _ in range(t.size)]
        codes = np.stack([l1emu.quantize(x[:, k], column_types[k], raw=True) for k in range(m.input_width)], axis=1)
        from_codes = m.predict(codes, raw=True)
        from_values = m.predict(x, raw=True)
        for dtype in (np.int32, np.int64):
            again = m.predict(codes.astype(dtype), raw=True)
            for n in m.output_names:
                self.assertTrue(np.array_equal(from_codes[n], from_values[n]))
                self.assertTrue(np.array_equal(again[n], from_values[n]))

    def test_values_are_codes_times_lsb(self):
        m = self.models[0]
        x = random_events(m, 500, seed=4).astype(np.float32)
        raw = m.predict(x, raw=True)
        values = m.predict(x)
        for n, t in zip(m.output_names, m.output_types):
            self.assertEqual(values[n].shape, (500, t.size))
            self.assertTrue(np.array_equal(values[n], np.ldexp(raw[n].astype(np.float64), -t.fractional_bits)))

    def test_threads_and_strides_do_not_change_results(self):
        m = self.models[0]
        x = random_events(m, 1000, seed=5).astype(np.float32)
        one = m.predict(x, raw=True, threads=1)
        strided = np.asfortranarray(x)  # column-major: the module reads strides, no copy
        for threads in (2, 3, 8):
            other = m.predict(strided, raw=True, threads=threads)
            for n in m.output_names:
                self.assertTrue(np.array_equal(one[n], other[n]))
        view = m.predict(np.repeat(x, 2, axis=0)[::2], raw=True)  # a row-strided view
        for n in m.output_names:
            self.assertTrue(np.array_equal(one[n], view[n]))

    def test_trace_holds_the_outputs(self):
        m = self.models[0]
        x = random_events(m, 200, seed=6).astype(np.float32)
        trace = m.trace(x)
        out = m.predict(x, raw=True)
        for n in m.output_names:
            self.assertTrue(np.array_equal(trace[n], out[n]))

    def test_empty_batch(self):
        m = self.models[0]
        out = m.predict(np.zeros((0, m.input_width), dtype=np.float32))
        for n, t in zip(m.output_names, m.output_types):
            self.assertEqual(out[n].shape, (0, t.size))

    def test_matches_the_command_line(self):
        # The CLI's predict on the shipped inputs gives the same codes (same loading, same engine).
        binary = os.environ.get("L1EMU_BINARY")
        if not binary:
            self.skipTest("L1EMU_BINARY not set; run through ctest")
        import subprocess
        inputs = os.path.join(DEMO, "inputs.txt")
        cli = subprocess.run([binary, "predict", "--model", DEMO, "--input", inputs], check=True, capture_output=True, text=True).stdout
        want = np.array([[int(t) for t in line.split()] for line in cli.splitlines() if line.strip()], dtype=np.int64)
        m = self.models[0]
        got = m.predict(support.read_events(inputs), raw=True)
        self.assertTrue(np.array_equal(np.concatenate([got[n] for n in m.output_names], axis=1), want))


if __name__ == "__main__":
    unittest.main()
