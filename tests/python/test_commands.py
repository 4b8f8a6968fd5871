"""l1emu.replay, l1emu.read_decisions and l1emu.rates on a shortened quickstart scenario; the log is
checked against h5py's reading of the same file and the rates' thresholds against the definition
(the smallest integer T whose rate does not exceed the target), computed here with numpy."""
import json
import os
import signal
import tempfile
import threading
import unittest

import numpy as np

import l1emu
import support

SCENARIO = os.path.join(support.SOURCE_DIR, "scenarios", "quickstart.yaml")
SHORT = {"source.samples.0.events": 6000, "source.samples.1.events": 500, "source.samples.2.events": 500,
         "source.samples.3.events": 500, "source.samples.4.events": 500}


class ReplayAndRates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="l1emu-replay-")
        cls.out = os.path.join(cls.tmp.name, "replay")
        cls.result = l1emu.replay(SCENARIO, overrides=SHORT, output=cls.out, threads=2)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_replay_result(self):
        r = self.result
        self.assertTrue(r["complete"])
        self.assertEqual(r["events"], 8000)
        self.assertEqual(os.path.realpath(r["output_dir"]), os.path.realpath(self.out))
        self.assertEqual(r["summary"]["events"], 8000)
        for key in ("decisions_h5", "decisions_csv", "scenario", "summary_json"):
            self.assertTrue(os.path.isfile(r["files"][key]), key)

    def test_read_decisions_matches_h5py(self):
        try:
            import h5py
        except ImportError:
            self.skipTest("h5py (python3-h5py) not installed")
        d = l1emu.read_decisions(self.out)  # the replay folder, as l1emu rates takes it
        with h5py.File(os.path.join(self.out, "decisions.h5"), "r") as f:
            g = f["decisions"]
            self.assertTrue(np.array_equal(d["score_code"], g["score_code"][:]))
            self.assertTrue(np.array_equal(d["bits"], g["bits"][:]))
            names = [n.decode() if isinstance(n, bytes) else n for n in g.attrs["sample_names"]]
            self.assertEqual(d["sample_names"], names)
            sample = g["sample"][:]
            for i, name in enumerate(names):
                one = l1emu.read_decisions(self.out, sample=name)
                self.assertEqual(one["sample"], name)
                self.assertTrue(np.array_equal(one["score_code"], g["score_code"][:][sample == i]))
                same = l1emu.read_decisions(self.out + "#" + name)
                self.assertTrue(np.array_equal(same["score_code"], one["score_code"]))
        self.assertEqual(d["bits"].shape, (8000, len(d["bit_names"])))
        self.assertEqual(d["bit_names"][0], "AD_Loose")
        with self.assertRaisesRegex(l1emu.DataError, "no sample 'nothing'"):
            l1emu.read_decisions(self.out, sample="nothing")

    def test_rates_thresholds_follow_the_definition(self):
        out = os.path.join(self.tmp.name, "rates")
        background = self.out + "#background"
        r = l1emu.rates(background, signals={"ato4l": self.out + "#ato4l"}, target_rates=["1MHz", "100kHz"],
                        base_rate="40MHz", output=out, thresholds=[108])
        self.assertEqual(r["output_dir"], out)
        self.assertIn(os.path.join(out, "rates.json"), r["files"])
        s = r["summary"]
        self.assertEqual(s["events"], 6000)
        scores = l1emu.read_decisions(background)["score_code"]
        for target in s["targets"]:
            t = target["threshold"]
            rate = lambda th: 40e6 * np.count_nonzero(scores >= th) / len(scores)
            self.assertLessEqual(rate(t), target["target_rate_hz"])
            self.assertGreater(rate(t - 1), target["target_rate_hz"])
        self.assertIn("ato4l", s["signals"])
        # Without an output folder the summary comes back and nothing stays behind.
        again = l1emu.rates([background], target_rates=["1MHz"], base_rate="40MHz")
        self.assertIsNone(again["output_dir"])
        self.assertEqual(again["files"], [])
        self.assertEqual(again["summary"]["targets"][0]["threshold"], s["targets"][0]["threshold"])

    def test_ctrl_c_commits_and_resume_continues(self):
        # SIGINT while the replay runs (as Ctrl-C): KeyboardInterrupt after the outputs of the events
        # done are committed; resume=True then completes the same outputs as one run would.
        out = os.path.join(self.tmp.name, "interrupted")
        longer = dict(SHORT)
        longer["source.samples.0.events"] = 400000
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        try:
            with self.assertRaisesRegex(KeyboardInterrupt, "resume=True"):
                l1emu.replay(SCENARIO, overrides=longer, output=out, threads=2)
        finally:
            timer.cancel()
        with open(os.path.join(out, "summary.json")) as f:
            summary = json.load(f)
        self.assertFalse(summary["complete"])
        self.assertGreater(summary["stopped_at_event"], 0)
        self.assertLess(summary["stopped_at_event"], 402000)
        r = l1emu.replay(SCENARIO, overrides=longer, output=out, threads=2, resume=True)
        self.assertTrue(r["complete"])
        self.assertEqual(r["events"], 402000)
        whole = l1emu.replay(SCENARIO, overrides=longer, output=os.path.join(self.tmp.name, "whole"), threads=2)
        a, b = l1emu.read_decisions(out), l1emu.read_decisions(whole["output_dir"])
        self.assertTrue(np.array_equal(a["score_code"], b["score_code"]))
        self.assertTrue(np.array_equal(a["bits"], b["bits"]))

    def test_command_errors(self):
        with self.assertRaisesRegex(FileNotFoundError, "no such scenario"):
            l1emu.replay("no/such/scenario.yaml")
        with self.assertRaisesRegex(l1emu.ConfigError, "board.clock_mhzz"):
            l1emu.replay(SCENARIO, overrides=["board.clock_mhzz=240"], output=os.path.join(self.tmp.name, "bad"))
        with self.assertRaisesRegex(l1emu.UsageError, "signal name"):
            l1emu.rates(self.out, signals={"bad name": self.out})


if __name__ == "__main__":
    unittest.main()
