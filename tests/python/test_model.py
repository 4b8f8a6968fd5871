"""l1emu.Model on the shipped examples (no ../shared needed): attributes, engines and input kinds
agree, threads do not change results, traces hold the outputs, float64 inputs follow ap_fixed's
double constructor (the reference engine computes it with exact integers)."""
import json
import os
import tempfile
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

    def test_hls4ml_project_with_flavour(self):
        # An hls4ml project directory, imported as --model imports it; the flavour can be forced.
        project = os.path.join(support.SOURCE_DIR, "tests", "fixtures", "hls4ml", "cnn_softmax")
        detected = l1emu.Model(project)
        self.assertTrue(detected.notes)
        forced = {f: l1emu.Model(project, flavour=f) for f in ("paper", "head")}
        self.assertEqual({f: m.flavour for f, m in forced.items()}, {"paper": "paper", "head": "head"})
        self.assertEqual(detected.layer_names, forced["head"].layer_names)
        self.assertIn(detected.layer_names[0], detected.summary())

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
        buffer = bytearray(x.nbytes + 1)
        unaligned = np.frombuffer(buffer, dtype=np.float32, offset=1, count=x.size).reshape(x.shape)
        unaligned[...] = x
        odd = m.predict(unaligned, raw=True)
        for n in m.output_names:
            self.assertTrue(np.array_equal(one[n], view[n]))
            self.assertTrue(np.array_equal(one[n], odd[n]))

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


class ResultMemory(unittest.TestCase):
    """Large results come from a pool of released blocks (numpy_buffers.h): reused memory must never
    change a result that is still alive, and a reused block must hold exactly the new results."""

    def test_released_blocks_are_reused_without_touching_live_results(self):
        m = l1emu.Model(DEMO)
        n = 200_000  # 4.8 MB per 3-value int64 output: above the pool's 4 MB threshold
        x1 = random_events(m, n, seed=11).astype(np.float32)
        x2 = random_events(m, n, seed=12).astype(np.float32)
        # The truth in batches small enough for numpy's own allocation.
        def in_pieces(x):
            parts = [m.predict(x[i:i + 20_000], raw=True) for i in range(0, n, 20_000)]
            return {k: np.concatenate([p[k] for p in parts]) for k in m.output_names}
        want1, want2 = in_pieces(x1), in_pieces(x2)
        l1emu.release_memory()
        self.assertEqual(l1emu.pooled_bytes(), 0)
        first = m.predict(x1, raw=True)
        del first
        pooled = l1emu.pooled_bytes()
        self.assertGreater(pooled, 0)
        second = m.predict(x2, raw=True)  # into the released blocks
        self.assertLess(l1emu.pooled_bytes(), pooled)
        third = m.predict(x1, raw=True)  # second is alive: its blocks are not handed out
        for k in m.output_names:
            self.assertTrue(np.array_equal(second[k], want2[k]), k)
            self.assertTrue(np.array_equal(third[k], want1[k]), k)
        values = m.predict(x2)
        for k, t in zip(m.output_names, m.output_types):
            self.assertTrue(np.array_equal(values[k], np.ldexp(want2[k].astype(np.float64), -t.fractional_bits)), k)
        del second, third, values
        self.assertLessEqual(l1emu.pooled_bytes(), 1 << 30)
        l1emu.release_memory()
        self.assertEqual(l1emu.pooled_bytes(), 0)


class FloatInputConversion(unittest.TestCase):
    """float32 inputs into random input types (every rounding and overflow mode, ties, overflow,
    zeros, subnormals, huge values) through models of two inputs and Linear layers of the same types:
    the codes of predict equal quantize's (ap_fixed's double constructor of the widened float, checked
    against the C++ library in test_quantize) and the reference engine's."""

    def random_type(self, rng):
        if rng.random() < 0.1:
            return "ap_%sint<%d>" % ("" if rng.random() < 0.5 else "u", rng.integers(1, 33))
        w = int(rng.integers(1, 63))
        i = int(rng.integers(-12, w + 13))
        q = ["AP_TRN", "AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF", "AP_RND_CONV", "AP_TRN_ZERO"][rng.integers(0, 7)]
        o = ["AP_WRAP", "AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM"][rng.integers(0, 4)]
        n = int(rng.integers(0, w + 1)) if o == "AP_WRAP" and rng.random() < 0.2 else 0
        return "ap_%sfixed<%d,%d,%s,%s,%d>" % ("" if rng.random() < 0.5 else "u", w, i, q, o, n)

    def values(self, rng, t, n):
        f = t.fractional_bits
        span = float(t.max_code - t.min_code)
        codes = rng.uniform(t.min_code - span / 4 - 2, t.max_code + span / 4 + 2, size=n)
        x = np.ldexp(np.floor(codes), -f)                                  # exact codes (as far as float32 holds them)
        ties = np.ldexp(2 * np.floor(codes) + 1, -(f + 1))                  # half-LSB ties
        anything = np.ldexp(rng.uniform(-1, 1, size=n), rng.integers(-150, 128, size=n))
        special = rng.choice(np.array([0.0, -0.0, 1e-45, -1e-45, 1e-40, 3e38, -3e38, 0.5, -0.5, -0.25, 1.5, -2.5]), size=n)
        kind = rng.integers(0, 4, size=n)
        v = np.choose(kind, [x, ties, anything, special])
        return v.astype(np.float32)

    def test_random_types(self):
        rng = np.random.default_rng(11)
        checked = 0
        with tempfile.TemporaryDirectory() as d:
            for case in range(150):
                types = [self.random_type(rng), self.random_type(rng)]
                spec = {"project": "conversion", "flavor": "head", "io_type": "io_parallel", "strategy": "latency", "reuse_factor": 1,
                        "default_precision": "ap_fixed<16,6>",
                        "inputs": [{"name": "a", "size": 5, "type": types[0]}, {"name": "b", "size": 3, "type": types[1]}],
                        "layers": [{"name": "la", "class": "Linear", "input": "a", "result_t": types[0]},
                                   {"name": "lb", "class": "Linear", "input": "b", "result_t": types[1]}],
                        "outputs": ["la", "lb"]}
                path = os.path.join(d, "model%d.json" % case)
                with open(path, "w") as f:
                    json.dump(spec, f)
                m = l1emu.Model(path)
                t = [l1emu.FixedType(s) for s in types]
                n = 700  # not a multiple of the 128-event batch
                x = np.concatenate([np.stack([self.values(rng, t[0], n) for _ in range(5)], axis=1),
                                    np.stack([self.values(rng, t[1], n) for _ in range(3)], axis=1)], axis=1)
                compiled = m.predict(x, raw=True)
                single_thread = m.predict(x, raw=True, threads=1)
                reference = m.predict(x[:100], raw=True, engine="reference")
                for name, cols, ty in (("la", slice(0, 5), t[0]), ("lb", slice(5, 8), t[1])):
                    want = l1emu.quantize(x[:, cols].astype(np.float64), ty, raw=True)
                    self.assertTrue(np.array_equal(compiled[name], want), "%s: float32 codes differ from quantize" % ty)
                    self.assertTrue(np.array_equal(single_thread[name], want))
                    self.assertTrue(np.array_equal(reference[name], want[:100]), "%s: reference engine differs" % ty)
                    checked += want.size
        print("float32 input conversion: %d values over 300 random types" % checked)
