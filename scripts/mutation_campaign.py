#!/usr/bin/python3
"""Mutation campaign (issue 17): mutates valid inputs of every kind l1emu reads, runs the binary on
each mutant with a timeout and classifies what happened.

    scripts/mutation_campaign.py [--binary build/release/l1emu] [--mutants 6000] [--seed 1]
                                 [--jobs 1] [--timeout 20] [--work /tmp/l1emu-campaign] [--kinds a,b]
                                 [--keep-findings DIR] [--json FILE]

Every kind has a small valid base (made once in the work folder from tests/fixtures, examples/,
scenarios/ and ../shared, or written by l1emu itself: dataset, decision log) and a command that
reads it; a mutant is a copy of the base with one file mutated (bit flips, bytes set to edge values,
spans deleted / duplicated / inserted, truncation, a number replaced by an extreme one, a line
deleted / duplicated, a NUL byte). Outcomes, per kind:
  ok             exit 0 (the mutant may still be valid input: a changed weight is a valid model)
  error          exit 1 with a message naming a file of the input (the mutated one, or the file its
                 mutation broke: a typedef removed from parameters.h is missed in myproject.cpp)
  mismatch       `verify` exit 1 with its report on standard output and nothing on standard error
                 (the mutated input was read, and disagrees with the other)
  error-no-file  exit 1, but the message names no file of the input
  usage          exit 2
  crash          killed by a signal (SIGSEGV, SIGABRT...)
  hang           no exit within --timeout seconds
  uncaught       "terminate called" (an exception nobody caught)
  sanitizer      an AddressSanitizer / UndefinedBehaviorSanitizer / LeakSanitizer report
  other          any other exit status
crash, hang, uncaught and sanitizer are findings: the mutant is kept (--keep-findings) and the
script exits 1. The mutants are drawn from --seed, so a run repeats exactly.
"""
import argparse
import collections
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("L1EMU_SHARED_DIR", os.path.join(os.path.dirname(ROOT), "shared"))
GOLDEN = os.path.join(SHARED, "golden")
AXO3 = os.path.join(GOLDEN, "axol1tl", "v3")
TV = os.path.join(AXO3, "testvectors", "TestVector_L1Menu_Collisions2024_v1_2_1_ttBar.txt")

# Values that break parsers and arithmetic: zero, signs, float32 and int32/int64 limits, NaN,
# infinities, overlong digits.
EXTREME_NUMBERS = ["0", "-0", "-1", "1e39", "-1e39", "1e300", "1e-300", "nan", "inf", "-inf", "2147483647", "2147483648",
                   "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551616",
                   "99999999999999999999999999", "0x7fffffff", "1.5", "-0.0001", "65536", "1099511627776", ""]
EDGE_BYTES = [0x00, 0xFF, 0x7F, 0x80, 0x0A, 0x22, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x2D, 0x39, 0x20, 0x23]
EDGE_WORDS = [b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", b"\xff\xff\xff\x7f", b"\x00\x00\x00\x80", b"\xff" * 8,
              b"\x00\x00\x00\x00\x00\x01\x00\x00", b"\x00\x00\x00\x00\x00\x00\x00\x00"]
NUMBER = re.compile(rb"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def mutate(data: bytes, text: bool, rng: random.Random):
    """One mutation of `data`; returns (mutant, description)."""
    n = len(data)
    ops = ["flip", "byte", "delete", "duplicate", "insert", "truncate"]
    ops += ["number", "number", "number", "line_delete", "line_duplicate", "nul"] if text else ["word", "word", "zero_span"]
    op = rng.choice(ops)
    pos = rng.randrange(max(n, 1))
    if op == "flip":
        b = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            if b:
                i = rng.randrange(len(b))
                b[i] ^= 1 << rng.randrange(8)
        return bytes(b), "flip bits"
    if op == "byte" and n:
        v = rng.choice(EDGE_BYTES)
        return data[:pos] + bytes([v]) + data[pos + 1:], f"byte {pos} = 0x{v:02x}"
    if op == "delete":
        k = rng.randint(1, 64)
        return data[:pos] + data[pos + k:], f"delete {k} bytes at {pos}"
    if op == "duplicate":
        k = rng.randint(1, 256)
        return data[:pos] + data[pos:pos + k] * rng.randint(2, 50) + data[pos + k:], f"duplicate {k} bytes at {pos}"
    if op == "insert":
        k = rng.randint(1, 16)
        junk = bytes(rng.randrange(256) for _ in range(k))
        return data[:pos] + junk + data[pos:], f"insert {k} random bytes at {pos}"
    if op == "truncate":
        return data[:pos], f"truncate at {pos}"
    if op == "number":
        found = list(NUMBER.finditer(data))
        if found:
            m = rng.choice(found)
            v = rng.choice(EXTREME_NUMBERS).encode()
            return data[:m.start()] + v + data[m.end():], f"number {m.group().decode(errors='replace')!r} at {m.start()} -> {v.decode()!r}"
    if op in ("line_delete", "line_duplicate"):
        lines = data.split(b"\n")
        i = rng.randrange(len(lines))
        if op == "line_delete":
            del lines[i]
        else:
            lines.insert(i, lines[i])
        return b"\n".join(lines), f"{op} {i + 1}"
    if op == "nul":
        return data[:pos] + b"\0" + data[pos:], f"NUL at {pos}"
    if op == "word" and n:
        w = rng.choice(EDGE_WORDS)
        return data[:pos] + w + data[pos + len(w):], f"word {w.hex()} at {pos}"
    if op == "zero_span":
        k = rng.randint(1, 512)
        return data[:pos] + b"\0" * min(k, n - pos) + data[pos + k:], f"zero {k} bytes at {pos}"
    b = bytearray(data)
    if b:
        b[pos] ^= 0x01
    return bytes(b), "flip bit"


class Kind:
    """A base folder, the files of it that are mutated, and the commands that read them (each run
    only when the one before succeeded: import, then evaluate what was imported)."""

    def __init__(self, name, setup, targets, commands, text=True):
        self.name, self.setup, self.targets, self.commands, self.text = name, setup, targets, commands, text


def run(binary, args, cwd, timeout=120):
    r = subprocess.run([binary] + args, cwd=cwd, capture_output=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"set-up command failed: l1emu {' '.join(args)}: {r.stderr.decode(errors='replace')}")


def copy(src, dst):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.isdir(src):
        shutil.copytree(src, dst)
    else:
        shutil.copyfile(src, dst)


def head(src, dst, lines):
    with open(src, "rb") as f, open(dst, "wb") as out:
        for _ in range(lines):
            line = f.readline()
            if not line:
                break
            out.write(line)


# --- the bases ---------------------------------------------------------------------------------

def setup_model_json(d, binary):
    g = os.path.join(GOLDEN, "hls4ml", "dense_relu_small")
    copy(os.path.join(g, "model.json"), os.path.join(d, "model.json"))
    head(os.path.join(g, "inputs.txt"), os.path.join(d, "in.txt"), 4)


def setup_predict_text(d, binary):
    copy(os.path.join(ROOT, "examples", "demo_vae", "model.json"), os.path.join(d, "model.json"))
    head(os.path.join(ROOT, "examples", "demo_vae", "inputs.txt"), os.path.join(d, "in.txt"), 4)


def setup_predict_csv(d, binary):
    setup_predict_text(d, binary)
    with open(os.path.join(d, "in.txt")) as f:
        rows = [",".join(line.split()) for line in f if line.strip()]
    with open(os.path.join(d, "in.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")


def setup_hls4ml(fixture):
    def setup(d, binary):
        copy(os.path.join(ROOT, "tests", "fixtures", "hls4ml", fixture), os.path.join(d, "proj"))
    return setup


def setup_axol1tl(d, binary):
    copy(os.path.join(ROOT, "tests", "fixtures", "axol1tl", "mini"), os.path.join(d, "pkg"))


def small_scenario(d, binary, extra=""):
    """A quickstart of 1,200 events written out in full (scenario.resolved.yaml: every key)."""
    sets = ["source.samples.0.events=800", "source.samples.1.events=100", "source.samples.2.events=100", "source.samples.3.events=100",
            "source.samples.4.events=100", "threads=1"]
    args = ["replay", os.path.join(ROOT, "scenarios", "quickstart.yaml"), "--quiet", "--output", os.path.join(d, "run")]
    for s in sets:
        args += ["--set", s]
    run(binary, args, d)
    text = open(os.path.join(d, "run", "scenario.resolved.yaml")).read()
    text = re.sub(r"(?m)^(\s*)dir: .*$", r"\1dir: out", text)
    return text


def setup_scenario(d, binary):
    with open(os.path.join(d, "s.yaml"), "w") as f:
        f.write(small_scenario(d, binary))
    shutil.rmtree(os.path.join(d, "run"))


def setup_dataset(d, binary):
    run(binary, ["generate", "--process", "background", "--events", "300", "--seed", "3", "--output", os.path.join(d, "d.h5")], d)
    text = small_scenario(d, binary)
    shutil.rmtree(os.path.join(d, "run"))
    # The generator source replaced by the dataset (the same keys as scenarios/ with kind dataset).
    text = re.sub(r"(?m)^source:\n(?: .*\n)+", "source:\n  kind: dataset\n  file: d.h5\n", text)
    with open(os.path.join(d, "s.yaml"), "w") as f:
        f.write(text)
    run(binary, ["replay", "s.yaml", "--quiet"], d)
    shutil.rmtree(os.path.join(d, "out"))


def setup_decision_log(d, binary):
    small_scenario(d, binary)
    shutil.move(os.path.join(d, "run", "decisions.h5"), os.path.join(d, "log.h5"))
    shutil.rmtree(os.path.join(d, "run"))


def setup_pattern(protocol, fmt):
    """Pattern files that l1emu wrote from 12 generated events (the one file of the encoding)."""
    def setup(d, binary):
        run(binary, ["generate", "--process", "ato4l", "--events", "12", "--seed", "5", "--output", os.path.join(d, "d.h5")], d)
        run(binary, ["patterns", "encode", "--input", "d.h5", "--protocol", protocol, "--format", fmt, "--output", "pat"], d)
        files = sorted(os.listdir(os.path.join(d, "pat")))
        shutil.move(os.path.join(d, "pat", files[0]), os.path.join(d, "p.txt"))
        shutil.rmtree(os.path.join(d, "pat"))
        os.remove(os.path.join(d, "d.h5"))
    return setup


def setup_pattern_fixture(fixture):
    def setup(d, binary):
        copy(os.path.join(ROOT, "tests", "fixtures", "patterns", fixture), os.path.join(d, "expected.txt"))
        copy(os.path.join(ROOT, "tests", "fixtures", "patterns", fixture), os.path.join(d, "p.txt"))
    return setup


def setup_testvector(d, binary):
    copy(TV, os.path.join(d, "tv.txt"))  # one orbit: the reader wants 3564 BX
    copy(os.path.join(AXO3, "testvectors", "thresholds.json"), os.path.join(d, "thresholds.json"))
    copy(os.path.join(AXO3, "model.json"), os.path.join(d, "model.json"))


def setup_menu(d, binary):
    """A cms-l1-menu folder with the AXOL1TL v3 conditions of the test vector's thresholds (as
    tests/cli/board_commands_test.cpp writes it)."""
    setup_testvector(d, binary)
    thresholds = json.load(open(os.path.join(d, "thresholds.json")))
    vhdl, algorithms = "", ""
    for bit, b in thresholds.items():
        s = "axol1tl_trigger_i" + bit
        vhdl += f"cond_{s}: entity work.axol1tl_v3_wrapper\n    generic map(false, {b['threshold']})\n    port map(\n        lhc_clk,\n        {s}\n    );\n\n"
        algorithms += f"-- {bit} {b['name']} : AXO[AXO-MODEL_v3]\nl1_bit_{bit} <= {s};\nalgo(0) <= l1_bit_{bit};\n\n"
    path = os.path.join(d, "menu", "L1Menu_Test-d1", "vhdl", "module_0", "src", "gtl_module_instances.vhd")
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as f:
        f.write(vhdl + algorithms)


def setup_csynth(d, binary):
    copy(os.path.join(ROOT, "tests", "board", "data", "csynth_small.xml"), os.path.join(d, "csynth.xml"))
    copy(os.path.join(ROOT, "examples", "demo_vae", "model.json"), os.path.join(d, "model.json"))


BENCH = ["bench", "--model", "out.json", "--events", "64", "--threads", "1"]
MENU_VHD = "menu/L1Menu_Test-d1/vhdl/module_0/src/gtl_module_instances.vhd"
HLS_FILES = ["proj/firmware/myproject.cpp", "proj/firmware/parameters.h", "proj/firmware/defines.h", "proj/hls4ml_config.yml"]
KINDS = [
    Kind("model_json", setup_model_json, ["model.json"], [["predict", "--model", "model.json", "--input", "in.txt", "--output", "o.txt"]]),
    Kind("predict_text", setup_predict_text, ["in.txt"], [["predict", "--model", "model.json", "--input", "in.txt", "--output", "o.txt"]]),
    Kind("predict_csv", setup_predict_csv, ["in.csv"], [["predict", "--model", "model.json", "--input", "in.csv", "--format", "decimal"]]),
    Kind("hls4ml_txt_weights", setup_hls4ml("dense_relu_txt"),
         HLS_FILES + ["proj/firmware/weights/w2.txt", "proj/firmware/weights/b4.txt"],
         [["import", "hls4ml", "proj", "--output", "out.json"], BENCH]),
    Kind("hls4ml_header_weights", setup_hls4ml("era_v06_bn_twice"), None, [["import", "hls4ml", "proj", "--output", "out.json"], BENCH]),
    Kind("axol1tl_package", setup_axol1tl, None, [["import", "axol1tl", "pkg", "--output", "out.json"], BENCH]),
    Kind("scenario_yaml", setup_scenario, ["s.yaml"], [["replay", "s.yaml", "--quiet", "--events", "1200"]]),
    Kind("dataset_h5", setup_dataset, ["d.h5"], [["replay", "s.yaml", "--quiet"]], text=False),
    Kind("decision_log_h5", setup_decision_log, ["log.h5"],
         [["rates", "--background", "log.h5", "--target-rate", "1kHz", "--output", "rates"]], text=False),
    Kind("pattern_emp_v1", setup_pattern("emp64", "emp-v1"), ["p.txt"], [["patterns", "decode", "--protocol", "emp64", "--output", "o.h5", "p.txt"]]),
    Kind("pattern_emp_v2", setup_pattern("emp64", "emp-v2"), ["p.txt"], [["patterns", "decode", "--protocol", "emp64", "--output", "o.h5", "p.txt"]]),
    Kind("pattern_apx", setup_pattern("emp64", "apx"), ["p.txt"], [["patterns", "decode", "--protocol", "emp64", "--output", "o.h5", "p.txt"]]),
    Kind("pattern_ugt_mp7", setup_pattern("ugt-mp7", "emp-v1"), ["p.txt"],
         [["patterns", "decode", "--protocol", "ugt-mp7", "--output", "o.h5", "p.txt"]]),
    Kind("pattern_verify_v2", setup_pattern_fixture("emp_v2_gaps.txt"), ["p.txt"],
         [["verify", "patterns", "--expected", "expected.txt", "--actual", "p.txt"]]),
    Kind("pattern_verify_apx", setup_pattern_fixture("apx_packets.txt"), ["p.txt"],
         [["verify", "patterns", "--expected", "expected.txt", "--actual", "p.txt"]]),
    Kind("test_vector", setup_testvector, ["tv.txt"],
         [["verify", "testvector", "--testvector", "tv.txt", "--thresholds", "thresholds.json", "--model", "model.json"]]),
    Kind("thresholds_json", setup_testvector, ["thresholds.json"],
         [["verify", "testvector", "--testvector", "tv.txt", "--thresholds", "thresholds.json", "--model", "model.json"]]),
    Kind("menu_folder", setup_menu, [MENU_VHD],
         [["verify", "testvector", "--testvector", "tv.txt", "--menu", "menu/L1Menu_Test-d1", "--model", "model.json"]]),
    Kind("csynth_xml", setup_csynth, ["csynth.xml"], [["estimate", "--model", "model.json", "--csynth", "csynth.xml"]]),
]

FINDINGS = ("crash", "hang", "uncaught", "sanitizer")


def classify(rc, stderr, stdout, names, verify):
    if rc is None:
        return "hang"
    if re.search(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:", stderr):
        return "sanitizer"
    if "terminate called" in stderr:
        return "uncaught"
    if rc < 0 or rc >= 128:
        return "crash"
    if rc == 0:
        return "ok"
    if rc == 1:
        if verify and not stderr.strip() and stdout.strip():
            return "mismatch"
        # Messages give paths as the command line spelled them, or the file's name.
        return "error" if any(n in stderr for n in names) else "error-no-file"
    if rc == 2:
        return "usage"
    return "other"


def input_names(d):
    """The names a message may use for a file of the input: each file's and folder's name."""
    names = set()
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            if len(n) > 2:
                names.add(n)
    return names


def run_mutant(binary, kind, base, index, seed, work, timeout, exit_0_budget_ok=True):
    rng = random.Random(f"{seed}/{kind.name}/{index}")
    target = rng.choice(kind.targets)
    d = os.path.join(work, f"m_{kind.name}_{index}")
    shutil.copytree(base, d)
    path = os.path.join(d, target)
    data = open(path, "rb").read()
    mutant, how = mutate(data, kind.text, rng)
    with open(path, "wb") as f:
        f.write(mutant)
    outcome, rc, stderr, step = "ok", 0, "", 0
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1:abort_on_error=0:allocator_may_return_null=1:suppressions="
                   + os.path.join(ROOT, "fuzz", "asan.supp"))
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
    env["LSAN_OPTIONS"] = "suppressions=" + os.path.join(ROOT, "fuzz", "lsan.supp")
    t0 = time.monotonic()
    names = input_names(d) | {target}
    for step, args in enumerate(kind.commands):
        p = subprocess.Popen([binary] + args, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
        try:
            out, err = p.communicate(timeout=timeout)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            rc = None
        stderr = err.decode(errors="replace")
        # The second command reads what the first wrote (out.json), which is then among the names.
        outcome = classify(rc, stderr, out.decode(errors="replace")[:4096], names | {"out.json"}, args[0] == "verify")
        if outcome != "ok":
            break
    seconds = time.monotonic() - t0
    record = {"kind": kind.name, "index": index, "file": target, "mutation": how, "outcome": outcome, "exit": rc, "step": step,
              "seconds": round(seconds, 3), "message": stderr.strip().splitlines()[-1][:300] if stderr.strip() else "",
              "lines": len(stderr.strip().splitlines())}
    return record, d


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "release", "l1emu"))
    ap.add_argument("--mutants", type=int, default=6000)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--work", default="/tmp/l1emu-campaign")
    ap.add_argument("--kinds", default="")
    ap.add_argument("--keep-findings", default="")
    ap.add_argument("--json", default="")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary}: not an executable (build it: cmake --preset release && cmake --build build/release --target l1emu)")
    kinds = [k for k in KINDS if not a.kinds or k.name in a.kinds.split(",")]
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    bases = {}
    for k in kinds:
        base = os.path.join(a.work, "base", k.name)
        os.makedirs(base)
        k.setup(base, binary)
        if k.targets is None:  # every file of the project (not the expected outputs of the fixture)
            k.targets = sorted(os.path.relpath(os.path.join(r, f), base) for r, _, fs in os.walk(base) for f in fs
                               if not f.startswith("expected") and not f.endswith(".py"))
        bases[k.name] = base
        # The unmutated base must pass, or the campaign would count the base's own error.
        for args in k.commands:
            r = subprocess.run([binary] + args, cwd=base, capture_output=True)
            if r.returncode != 0:
                sys.exit(f"{k.name}: the base fails: l1emu {' '.join(args)}: {r.stderr.decode(errors='replace')}")
        for f in ("out.json", "o.txt", "o.h5"):
            if os.path.exists(os.path.join(base, f)):
                os.remove(os.path.join(base, f))
        for f in ("out", "rates"):
            shutil.rmtree(os.path.join(base, f), ignore_errors=True)
    jobs = [(k, i) for i in range(a.mutants // len(kinds) + 1) for k in kinds][:a.mutants]
    counts = collections.defaultdict(collections.Counter)
    findings, records = [], []
    t0 = time.monotonic()

    def one(job):
        k, i = job
        record, d = run_mutant(binary, k, bases[k.name], i, a.seed, a.work, a.timeout)
        if record["outcome"] in FINDINGS and a.keep_findings:
            shutil.copytree(d, os.path.join(a.keep_findings, f"{k.name}_{i}"), dirs_exist_ok=True)
        shutil.rmtree(d, ignore_errors=True)
        return record

    with ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for n, record in enumerate(pool.map(one, jobs), 1):
            records.append(record)
            counts[record["kind"]][record["outcome"]] += 1
            if record["outcome"] in FINDINGS:
                findings.append(record)
                print(f"FINDING {record['outcome']}: {record['kind']} #{record['index']} {record['file']}: {record['mutation']}: "
                      f"exit {record['exit']}: {record['message']}", flush=True)
            if n % 500 == 0:
                print(f"{n} mutants, {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)
    outcomes = ["ok", "error", "mismatch", "error-no-file", "usage", "other"] + list(FINDINGS)
    print(f"{'kind':22}" + "".join(f"{o:>14}" for o in outcomes))
    total = collections.Counter()
    for k in kinds:
        total.update(counts[k.name])
        print(f"{k.name:22}" + "".join(f"{counts[k.name][o]:>14}" for o in outcomes))
    print(f"{'all':22}" + "".join(f"{total[o]:>14}" for o in outcomes))
    multi = sum(1 for r in records if r["outcome"] in ("error", "error-no-file") and r["lines"] > 1)
    print(f"{len(records)} mutants in {time.monotonic() - t0:.0f} s with {binary}; errors of more than one line: {multi}; "
          f"findings: {len(findings)}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"binary": binary, "seed": a.seed, "counts": {k: dict(v) for k, v in counts.items()}, "records": records}, f, indent=1)
    shutil.rmtree(a.work, ignore_errors=True)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
