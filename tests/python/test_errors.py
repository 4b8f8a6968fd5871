"""Bad input raises a Python exception that names it: wrong shape, wrong dtype, NaN, infinity, codes
out of range, an unknown model path, a malformed model, a bad type spelling, a bad engine."""
import json
import os
import tempfile
import unittest

import numpy as np

import l1emu
import support

DEMO = os.path.join(support.SOURCE_DIR, "examples", "demo_vae")


class BadInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = l1emu.Model(DEMO)
        cls.x = np.zeros((5, cls.m.input_width), dtype=np.float32)

    def test_wrong_shape(self):
        for bad in (np.zeros((5, 56), np.float32), np.zeros((57,), np.float32), np.zeros((2, 5, 57), np.float32)):
            with self.assertRaises(ValueError) as e:
                self.m.predict(bad)
            self.assertIn("shape " + str(bad.shape), str(e.exception))
            self.assertIn("expected (N, 57)", str(e.exception))
        with self.assertRaisesRegex(ValueError, r"trace: x has shape \(5, 58\)"):
            self.m.trace(np.zeros((5, 58), np.float32))

    def test_wrong_dtype(self):
        with self.assertRaisesRegex(TypeError, "dtype int64.*integer codes of the input types.*with raw=True"):
            self.m.predict(np.zeros((5, 57), np.int64))
        with self.assertRaisesRegex(TypeError, "dtype uint64"):
            self.m.predict(np.zeros((5, 57), np.uint64), raw=True)
        with self.assertRaisesRegex(TypeError, "dtype complex128"):
            self.m.predict(np.zeros((5, 57), np.complex128))
        with self.assertRaisesRegex(TypeError, "dtype <U1"):
            self.m.predict(np.full((5, 57), "a"))
        with self.assertRaisesRegex(TypeError, "non-native byte order"):
            self.m.predict(self.x.astype(">f4"))

    def test_nan_and_infinity_named_by_position(self):
        for dtype in (np.float32, np.float64):
            for engine in ("compiled", "reference"):
                x = self.x.astype(dtype)
                x[3, 17] = np.nan
                x[4, 2] = np.nan
                with self.assertRaisesRegex(ValueError, r"predict: x\[3, 17\] is NaN"):
                    self.m.predict(x, engine=engine, threads=2)
                x = self.x.astype(dtype)
                x[1, 0] = -np.inf
                with self.assertRaisesRegex(ValueError, r"x\[1, 0\] is infinite"):
                    self.m.trace(x, engine=engine)

    def test_raw_code_out_of_range(self):
        t = self.m.input_types[0].type
        x = np.zeros((5, 57), np.int64)
        x[2, 0] = t.max_code + 1
        with self.assertRaisesRegex(ValueError, r"x\[2, 0\] = %d is not a code of %s" % (t.max_code + 1, t.spelling.replace("(", r"\("))):
            self.m.predict(x, raw=True)

    def test_bad_engine_and_threads(self):
        with self.assertRaisesRegex(ValueError, "unknown engine 'fast'"):
            self.m.predict(self.x, engine="fast")
        with self.assertRaisesRegex(ValueError, "threads"):
            self.m.predict(self.x, threads=-1)

    def test_unknown_model_path(self):
        with self.assertRaisesRegex(FileNotFoundError, "no/such/model.json: no such file or directory"):
            l1emu.Model("no/such/model.json")
        with self.assertRaisesRegex(ValueError, "neither a model"):
            l1emu.Model(tempfile.gettempdir())
        with self.assertRaisesRegex(ValueError, "flavour must be 'paper' or 'head'"):
            l1emu.Model(DEMO, flavour="tail")

    def test_malformed_model_names_file_and_key(self):
        with open(os.path.join(DEMO, "model.json")) as f:
            model = json.load(f)
        model["layers"][0]["result_t"] = "ap_fixed<8,3,AP_RND_CONV,AP_SATURATE>"
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "model.json")
            with open(path, "w") as f:
                json.dump(model, f)
            with self.assertRaises(l1emu.ModelError) as e:
                l1emu.Model(path)
            self.assertIn(path, str(e.exception))
            self.assertIn("AP_SATURATE", str(e.exception))
            self.assertIsInstance(e.exception, ValueError)

    def test_bad_type_spelling(self):
        with self.assertRaisesRegex(l1emu.FixedTypeError, "ap_fixed<8,3,AP_RND_CONV,AP_SATT>"):
            l1emu.quantize(np.zeros(3), "ap_fixed<8,3,AP_RND_CONV,AP_SATT>")
        with self.assertRaisesRegex(ValueError, "ap_fixed<200,3>"):
            l1emu.FixedType("ap_fixed<200,3>")
        with self.assertRaisesRegex(TypeError, "type spelling"):
            l1emu.quantize(np.zeros(3), 8)

    def test_quantize_nan_named_by_index(self):
        v = np.zeros((2, 3))
        v[1, 2] = np.nan
        with self.assertRaisesRegex(ValueError, r"quantize: values\[1, 2\] is NaN"):
            l1emu.quantize(v, "ap_fixed<8,3>")

    def test_missing_decision_log(self):
        with self.assertRaisesRegex(FileNotFoundError, "no/such/decisions.h5"):
            l1emu.read_decisions("no/such/decisions.h5")
        with tempfile.NamedTemporaryFile(suffix=".h5") as f:
            f.write(b"not hdf5")
            f.flush()
            with self.assertRaisesRegex(l1emu.DataError, "not an HDF5 file"):
                l1emu.read_decisions(f.name)


if __name__ == "__main__":
    unittest.main()
