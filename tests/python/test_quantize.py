"""l1emu.quantize against the C++ library's FixedType conversion (emu::from_double) on 10^6 random
(value, type) pairs written at test time by python_quantize_reference (ties, values next to ties,
codes beyond the range, random doubles, infinities)."""
import os
import subprocess
import tempfile
import unittest

import numpy as np

import l1emu

RECORD = np.dtype([("type", "<i4"), ("kind", "<i4"), ("value", "<f8"), ("code", "<i8")])
KIND_TIE = 0


class QuantizeMatchesFixedType(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        helper = os.environ.get("L1EMU_QUANTIZE_REFERENCE")
        if not helper:
            raise unittest.SkipTest("L1EMU_QUANTIZE_REFERENCE (the helper program) is not set; run through ctest")
        cls.tmp = tempfile.TemporaryDirectory(prefix="l1emu-quantize-")
        subprocess.run([helper, cls.tmp.name, "1000", "1000", "2026"], check=True)
        with open(os.path.join(cls.tmp.name, "types.txt")) as f:
            cls.types = [line.strip() for line in f if line.strip()]
        cls.pairs = np.fromfile(os.path.join(cls.tmp.name, "pairs.bin"), dtype=RECORD)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_million_pairs_codes(self):
        self.assertEqual(len(self.pairs), 10**6)
        ties = int(np.count_nonzero(self.pairs["kind"] == KIND_TIE))
        self.assertGreaterEqual(ties, 10**5)
        mismatches = 0
        for index, spelling in enumerate(self.types):
            rows = self.pairs[self.pairs["type"] == index]
            got = l1emu.quantize(rows["value"], spelling, raw=True)
            self.assertEqual(got.dtype, np.int64)
            bad = got != rows["code"]
            if bad.any():
                first = np.flatnonzero(bad)[0]
                print("%s: value %r gives %d, FixedType %d" % (spelling, rows["value"][first], got[first], rows["code"][first]))
            mismatches += int(np.count_nonzero(bad))
        print("quantize: %d pairs over %d types (%d exact ties), %d mismatches" % (len(self.pairs), len(self.types), ties, mismatches))
        self.assertEqual(mismatches, 0)

    def test_values_are_code_times_lsb(self):
        # Types up to 53 bits: every value is exact as a double and equals code x 2^-F.
        checked = 0
        for index, spelling in enumerate(self.types):
            t = l1emu.FixedType(spelling)
            if t.width > 53:
                continue
            rows = self.pairs[self.pairs["type"] == index]
            got = l1emu.quantize(rows["value"], t)
            self.assertEqual(got.dtype, np.float64)
            self.assertTrue(np.array_equal(got, np.ldexp(rows["code"].astype(np.float64), -t.fractional_bits)), spelling)
            checked += len(rows)
        self.assertGreater(checked, 10**5)

    def test_spellings_parse_back(self):
        for spelling in self.types:
            self.assertEqual(l1emu.FixedType(spelling).spelling, spelling)

    def test_shape_kept_and_float32_widened(self):
        x = np.array([[0.125, -0.375], [1e9, -1e9]], dtype=np.float32)
        got = l1emu.quantize(x, "ap_fixed<8,3,AP_RND_CONV,AP_SAT>", raw=True)
        self.assertEqual(got.shape, (2, 2))
        # 0.125 * 32 = 4; -0.375 * 32 = -12; saturation to the 8-bit range.
        self.assertEqual(got.tolist(), [[4, -12], [127, -128]])

    def test_wide_value_needs_raw(self):
        # -1 wraps to the largest code of ap_ufixed<63,63>, 2^63 - 1: 63 significant bits, no exact double.
        with self.assertRaisesRegex(ValueError, "raw=True"):
            l1emu.quantize(np.array([0.5, -1.0]), "ap_ufixed<63,63>")
        self.assertEqual(l1emu.quantize(np.array([0.5, -1.0]), "ap_ufixed<63,63>", raw=True).tolist(), [0, 2**63 - 1])

if __name__ == "__main__":
    unittest.main()
