// Command-line tests of l1emu replay: a smoke run of every shipped scenario, decisions against an
// independent predict + thresholds, SIGTERM and a full disk, and the HDF5 layout read by h5py as
// documented. Thread-count, engine and resume equivalence are tested in process (tests/board).
#include <gtest/gtest.h>

#include <hdf5.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/event_generator.h"
#include "run_command.h"
#include "shared_data.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

class Replay : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("l1emu_replay_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string scenario(const char* name) { return (testing::source_dir() / "scenarios" / name).string(); }
  static nlohmann::json summary(const fs::path& out) {
    std::ifstream in(out / "summary.json");
    return nlohmann::json::parse(in);
  }
  fs::path dir_;
};

// A smaller quickstart for the tests that need several runs.
const std::string kSmall =
    " --set source.samples.0.events=6000 --set source.samples.1.events=500 --set source.samples.2.events=300"
    " --set source.samples.3.events=300 --set source.samples.4.events=200";

TEST_F(Replay, QuickstartSmokeRunsInUnderAMinute) {
  const auto start = std::chrono::steady_clock::now();
  const auto r = testing::run_l1emu("replay " + scenario("quickstart.yaml") + " --output " + (dir_ / "out").string());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_LT(seconds, 60.0);
  const auto s = summary(dir_ / "out");
  EXPECT_TRUE(s["complete"].get<bool>());
  EXPECT_EQ(s["events"], 108000);
  // The board's model stage takes the estimator's latency (model_latency_cycles: auto).
  const auto est = testing::run_l1emu("estimate --model " + (testing::source_dir() / "examples" / "demo_vae" / "model.json").string() +
                                      " --clock-mhz 200 --json");
  ASSERT_EQ(est.exit_code, 0) << est.stderr_text;
  EXPECT_EQ(s["model"]["latency_cycles"], nlohmann::json::parse(est.stdout_text)["latency_cycles"]);
  EXPECT_EQ(s["dead_time"]["dropped_events"], 0);
  for (const char* f : {"decisions.h5", "decisions.csv", "summary.json", "scenario.resolved.yaml"}) EXPECT_TRUE(fs::exists(dir_ / "out" / f)) << f;
  EXPECT_NE(r.stdout_text.find("replay quickstart: 108000 events"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stderr_text.find("replay: "), std::string::npos);  // progress lines
}

TEST_F(Replay, PaperScenarioSmoke) {
  L1EMU_REQUIRE_SHARED();
  const auto r = testing::run_l1emu("replay " + scenario("paper_dnn_vae_vu9p.yaml") + " --events 5000 --quiet --output " + (dir_ / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto s = summary(dir_ / "out");
  EXPECT_EQ(s["events"], 5000);
  // The estimate calibrated on RTL (README, "l1emu estimate"): 9 cycles at 200 MHz, II 1 cycle (Table 3
  // of the paper says 80 ns = 16 cycles for its own synthesis, which is not public).
  EXPECT_EQ(s["model"]["latency_cycles"], 9);
  EXPECT_EQ(s["model"]["ii_cycles"], 1);
}

// The replayed test vector fires the bits the file records (README: ttBar 207/70/46/5/0).
TEST_F(Replay, UgtTestVectorScenarioSmoke) {
  L1EMU_REQUIRE_SHARED();
  const auto r = testing::run_l1emu("replay " + scenario("ugt_testvector.yaml") + " --quiet --output " + (dir_ / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto s = summary(dir_ / "out");
  EXPECT_EQ(s["events"], 3564);
  const std::vector<int> expected{207, 70, 46, 5, 0};
  for (std::size_t b = 0; b < expected.size(); ++b) {
    EXPECT_EQ(s["bits"][b]["samples"]["TestVector_L1Menu_Collisions2024_v1_2_1_ttBar"]["fires_before_prescale"], expected[b]) << b;
  }
}

struct CsvRow {
  std::vector<std::string> cells;
};

std::vector<std::vector<std::string>> read_csv(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string c; std::getline(s, c, ',');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

// A score output the model lacks is refused naming the scenario file and the model file (it named
// neither: found by the mutation campaign, issue 17).
TEST_F(Replay, AnUnknownScoreOutputNamesTheScenarioAndTheModel) {
  const auto r = testing::run_l1emu("replay " + scenario("quickstart.yaml") + kSmall + " --set model.score_output=no_such_output --quiet --output " +
                                    (dir_ / "out").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("quickstart.yaml, model "), std::string::npos) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("model.json (model.path, model.features, model.score_output): score output 'no_such_output' is not an output"),
            std::string::npos) << r.stderr_text;
}

// A model path that does not exist names the scenario file and its key too.
TEST_F(Replay, AMissingModelNamesTheScenarioAndItsKey) {
  const auto r = testing::run_l1emu("replay " + scenario("quickstart.yaml") + kSmall + " --set model.path=" + (dir_ / "no_model.json").string() +
                                    " --quiet --output " + (dir_ / "out").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("quickstart.yaml: model.path: " + (dir_ / "no_model.json").string() + ": no such file or directory"),
            std::string::npos) << r.stderr_text;
}

// Independent path: regenerate the events, flatten them to the paper's 57 physical values written
// here from the L1 objects, evaluate with `l1emu predict`, apply the thresholds; every event's
// score and bits must equal the replay's decision log.
TEST_F(Replay, DecisionsEqualPredictPlusThresholds) {
  const auto r = testing::run_l1emu("replay " + scenario("quickstart.yaml") + kSmall + " --quiet --output " + (dir_ / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::vector<std::pair<const char*, std::uint64_t>> samples{{"background", 6000}, {"ato4l", 500}, {"lq_btau", 300}, {"htautau", 300}, {"htaunu", 200}};
  std::ofstream features(dir_ / "features.txt");
  std::int64_t first_id = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    stream::GeneratorConfig g;
    g.process = stream::parse_process(samples[i].first);
    g.seed = 2026 + i;
    g.first_event_id = first_id;
    stream::EventGenerator gen(g);
    for (std::uint64_t k = 0; k < samples[i].second; ++k) {
      const stream::Event e = stream::to_event(gen.next());
      std::string line;
      const auto put = [&](bool valid, const stream::PhysicalObject& p) {
        for (double v : {p.pt, p.eta, p.phi}) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.9g ", valid ? static_cast<double>(static_cast<float>(v)) : 0.0);
          line += buf;
        }
      };
      const auto& etm = e.sums[2];  // ETM, link-10 order ETT HT ETM
      put(etm.hw_et != 0, etm.to_physical());
      for (int j = 0; j < 4; ++j) put(e.egammas[j].hw_et != 0, e.egammas[j].to_physical());
      for (int j = 0; j < 4; ++j) put(e.muons[j].hw_pt != 0, e.muons[j].to_physical());
      for (int j = 0; j < 10; ++j) put(e.jets[j].hw_et != 0, e.jets[j].to_physical());
      features << line << '\n';
    }
    first_id += static_cast<std::int64_t>(samples[i].second);
  }
  features.close();
  const std::string model = (testing::source_dir() / "examples" / "demo_vae" / "model.json").string();
  const auto p = testing::run_l1emu("predict --model " + model + " --input " + (dir_ / "features.txt").string() + " --output " +
                                    (dir_ / "pred.txt").string());
  ASSERT_EQ(p.exit_code, 0) << p.stderr_text;
  std::ifstream pred(dir_ / "pred.txt");
  const auto rows = read_csv(dir_ / "out" / "decisions.csv");
  ASSERT_EQ(rows.size(), 7300U);
  const std::vector<std::int64_t> thresholds{108, 172, 1000, 108};  // scenarios/quickstart.yaml
  std::string line;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_TRUE(std::getline(pred, line));
    std::stringstream s(line);
    std::int64_t v = 0, score = 0;
    while (s >> v) score = v;  // kl_loss is the last output
    // decisions.csv: event,orbit,bx,event_id,sample,inputs_hash,score_code,score,bits_before_prescale,...,accepted
    ASSERT_EQ(std::to_string(score), rows[i][6]) << "event " << i;
    ASSERT_EQ(rows[i][10], "1");
    std::uint64_t bits = 0;
    for (std::size_t b = 0; b < thresholds.size(); ++b) bits |= (score >= thresholds[b] ? 1ULL : 0ULL) << b;
    ASSERT_EQ(std::to_string(bits), rows[i][8]) << "event " << i;
  }
}


// Thread-count, engine and resume equivalence are tested in process (tests/board/replay_test.cpp);
// here only what the command line adds: an unknown engine is a usage error.
TEST_F(Replay, AnUnknownEngineIsAUsageError) {
  const auto bad = testing::run_l1emu("replay " + scenario("quickstart.yaml") + " --engine fast --output " + (dir_ / "bad").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.stderr_text.find("fast"), std::string::npos) << bad.stderr_text;
}



// Events the data policy rejects (NaN pT) are counted per kind in summary.json and on the console,
// not silently missing from the event count.
TEST_F(Replay, DataProblemsOfADatasetAreCountedAndReported) {
  const fs::path data = dir_ / "bg.h5";
  ASSERT_EQ(testing::run_l1emu("generate --process background --events 1000 --seed 3 --output " + data.string()).exit_code, 0);
  {
    // The first object row (pT column) of events 0-299 set to NaN, through the HDF5 C API.
    const hid_t file = H5Fopen(data.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    const hid_t ds = H5Dopen2(file, std::string(stream::layout::kParticlesDataset).c_str(), H5P_DEFAULT);
    const hid_t space = H5Dget_space(ds);
    hsize_t dims[3] = {0, 0, 0};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    ASSERT_EQ(dims[0], 1000U);
    std::vector<float> values(dims[0] * dims[1] * dims[2]);
    ASSERT_GE(H5Dread(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    for (std::size_t e = 0; e < 300; ++e) values[e * dims[1] * dims[2]] = std::numeric_limits<float>::quiet_NaN();
    ASSERT_GE(H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    H5Sclose(space);
    H5Dclose(ds);
    H5Fclose(file);
  }
  const fs::path yaml = dir_ / "dataset.yaml";
  std::ofstream(yaml) << "name: nan_events\nsource: {kind: dataset, file: " << data.string() << "}\nlinks: {protocol: ugt-mp7}\n"
                      << "model: {path: " << (testing::source_dir() / "examples/demo_vae/model.json").string()
                      << ", features: physical57, score_output: kl_loss}\nmenu:\n  bits:\n    - {bit: 0, name: AD_Loose, threshold: 108}\n";
  const auto r = testing::run_l1emu("replay " + yaml.string() + " --quiet --output " + (dir_ / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto s = summary(dir_ / "out");
  EXPECT_EQ(s["events"], 700);
  EXPECT_EQ(s["data"]["events_read"], 1000);
  EXPECT_EQ(s["data"]["events_rejected"], 300);
  EXPECT_EQ(s["data"]["rows_non_finite"], 300);
  EXPECT_NE(r.stdout_text.find("events seen 1000, rejected 300; rows with NaN/Inf 300"), std::string::npos) << r.stdout_text;
}

// The bit table of `rates` shows each bit before and after its prescale, counting what the
// replay's prescale counters let through (AD_Loose_ps10 used to show its unprescaled twin's rate).
TEST_F(Replay, RatesShowPrescaledBitsBeforeAndAfterPrescale) {
  const fs::path out = dir_ / "out";
  auto r = testing::run_l1emu("replay " + scenario("quickstart.yaml") + " --quiet --set source.samples.0.events=60000" +
                              " --set source.samples.1.events=100 --set source.samples.2.events=100 --set source.samples.3.events=100" +
                              " --set source.samples.4.events=100 --output " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  r = testing::run_l1emu("rates --background " + out.string() + "#background --base-rate zero-bias --output " + (out / "rates").string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("after prescale"), std::string::npos) << r.stdout_text;
  // bits.csv: bit,other,kind,passed,... ; the counts must be the replay's own.
  std::map<std::string, std::uint64_t> passed;
  std::istringstream csv(testing::read_file(out / "rates" / "bits.csv"));
  for (std::string line; std::getline(csv, line);) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    if (f.size() >= 4 && f[1].empty() && f[2] != "kind") passed[f[0] + "/" + f[2]] = std::stoull(f[3]);
  }
  const auto s = summary(out);
  for (const auto& bit : s["bits"]) {
    const std::string name = bit["name"];
    SCOPED_TRACE(name);
    const auto& bg = bit["samples"]["background"];
    EXPECT_EQ(passed.at(name + "/passed"), bg["fires_before_prescale"].get<std::uint64_t>());
    EXPECT_EQ(passed.at(name + "/passed_after_prescale"), bg["fires_after_prescale"].get<std::uint64_t>());
  }
  EXPECT_GT(passed.at("AD_Loose_ps10/passed"), 10U);
  EXPECT_LT(passed.at("AD_Loose_ps10/passed_after_prescale"), passed.at("AD_Loose_ps10/passed") / 5);
}


// SIGTERM (what batch systems send) stops a replay like Ctrl-C: exit 143 after the current batch,
// with a summary marked incomplete and a CSV of exactly the events done.
TEST_F(Replay, SigtermStopsAfterTheCurrentBatchWithCompleteOutputs) {
  const fs::path out = dir_ / "out";
  const fs::path rc = dir_ / "rc";
  const std::string command = "sh -c '" + std::string(L1EMU_BINARY) + " replay " + scenario("quickstart.yaml") +
                              " --quiet --threads 1 --set source.samples.0.events=3000000 --output " + out.string() +
                              " >/dev/null 2>&1 & pid=$!; sleep 1; kill -TERM $pid; wait $pid; echo $? > " + rc.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(testing::read_file(rc), "143\n");
  const auto s = summary(out);
  EXPECT_FALSE(s["complete"].get<bool>());
  const std::uint64_t done = s["stopped_at_event"].get<std::uint64_t>();
  EXPECT_GT(done, 0U);
  EXPECT_LT(done, 3000000U);
  EXPECT_EQ(read_csv(out / "decisions.csv").size(), done);
  EXPECT_FALSE(fs::exists(out / "decisions.h5.partial"));
}

// A full disk is an error naming the file; the process exits with 1 and is not killed by the HDF5
// library's exit clean-up after a failed close. Under a file-size limit the commit journal
// (decisions.journal, the first file a batch grows) is the one that fails; the log's own files are
// made to fail by pointing their partial names at /dev/full (every write: ENOSPC).
TEST_F(Replay, AFullDiskFailsCleanlyWithAndWithoutCsv) {
  for (const std::string csv : {"true", "false"}) {
    SCOPED_TRACE("csv: " + csv);
    const fs::path out = dir_ / ("out_" + csv);
    const auto r = testing::run_l1emu_on_a_full_disk("replay " + scenario("quickstart.yaml") + kSmall + " --quiet --set output.csv=" + csv +
                                                         " --output " + out.string(),
                                                     128);
    EXPECT_FALSE(r.crashed) << r.exit_code << " " << r.stderr_text;
    EXPECT_EQ(r.exit_code, 1) << r.stderr_text;
    EXPECT_NE(r.stderr_text.find(out.string() + "/decisions.journal: write failed (File too large)"), std::string::npos) << r.stderr_text;
    EXPECT_FALSE(fs::exists(out / "summary.json"));
  }
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  for (const std::string file : {"decisions.csv.partial", "decisions.h5.partial"}) {
    SCOPED_TRACE(file);
    const fs::path out = dir_ / ("full_" + file);
    fs::create_directories(out);
    fs::create_symlink("/dev/full", out / file);
    const auto r = testing::run_l1emu("replay " + scenario("quickstart.yaml") + kSmall + " --quiet --output " + out.string());
    EXPECT_FALSE(r.crashed) << r.exit_code << " " << r.stderr_text;
    EXPECT_EQ(r.exit_code, 1) << r.stderr_text;
    if (file == "decisions.csv.partial") {
      EXPECT_NE(r.stderr_text.find(out.string() + "/decisions.csv.partial: write failed at events 0-"), std::string::npos) << r.stderr_text;
    } else {
      EXPECT_NE(r.stderr_text.find(out.string() + "/decisions.h5.partial"), std::string::npos) << r.stderr_text;
    }
    EXPECT_FALSE(fs::exists(out / "summary.json"));
  }
}

TEST_F(Replay, BadScenariosFailWithTheKeyPath) {
  std::ofstream(dir_ / "bad.yaml") << "source:\n  kind: generator\n  samples: [{process: background, events: 1}]\nmodel:\n  path: x.json\nboard:\n  clok: 1\n";
  auto r = testing::run_l1emu("replay " + (dir_ / "bad.yaml").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("board.clok: unknown key"), std::string::npos) << r.stderr_text;
  r = testing::run_l1emu("replay " + scenario("quickstart.yaml") + " --set source.samples.0.process=zprime --quiet --output " + (dir_ / "o").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("zprime"), std::string::npos) << r.stderr_text;
  EXPECT_EQ(testing::run_l1emu("replay").exit_code, 2);
}

// README "Decision log": the documented h5py reading works (skipped without python3-h5py).
TEST_F(Replay, DecisionLogOpensWithH5py) {
  const std::string python = testing::debian_python();
  if (std::system((python + " -c 'import h5py' >/dev/null 2>&1").c_str()) != 0) GTEST_SKIP() << "python3-h5py is not installed for " << python;
  auto r = testing::run_l1emu("replay " + scenario("quickstart.yaml") + kSmall + " --quiet --output " + (dir_ / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const fs::path script = dir_ / "read.py";
  // The layout of the board issue: /decisions with orbit u32, bx u16, event_id i64, score_code
  // i64, score f64, bits u8 [N, nbits], latency_ns f64; attributes bit_names, thresholds, model,
  // scenario. score is score_code x 2^-F and bits[i][b] is score_code >= thresholds[b].
  std::ofstream(script) << "import sys, h5py, numpy as np\n"
                           "f = h5py.File(sys.argv[1], 'r')\n"
                           "assert f.attrs['format'] in (b'l1emu-decisions-2', 'l1emu-decisions-2')\n"
                           "d = f['decisions']\n"
                           "n = len(d['score_code'])\n"
                           "assert n == 7300, n\n"
                           "want = {'orbit': 'uint32', 'bx': 'uint16', 'event_id': 'int64', 'score_code': 'int64', 'score': 'float64',\n"
                           "        'bits': 'uint8', 'latency_ns': 'float64'}\n"
                           "for k, t in want.items():\n"
                           "    assert str(d[k].dtype) == t, (k, d[k].dtype)\n"
                           "    assert d[k].shape[0] == n, k\n"
                           "names = [x.decode() if isinstance(x, bytes) else x for x in d.attrs['bit_names']]\n"
                           "thr = np.asarray(d.attrs['thresholds'])\n"
                           "assert d['bits'].shape == (n, len(names)) == (n, len(thr)), d['bits'].shape\n"
                           "assert len(d.attrs['model']) > 0 and len(d.attrs['scenario']) > 0\n"
                           "code = d['score_code'][:]\n"
                           "F = int(d.attrs['score_fractional_bits'])\n"
                           "assert np.array_equal(d['score'][:], np.ldexp(code.astype(np.float64), -F))\n"
                           "fired = (code[:, None] >= thr[None, :]).astype(np.uint8)\n"
                           "assert np.array_equal(d['bits'][:], fired)\n"
                           "print(names, fired.sum(axis=0))\n";
  EXPECT_EQ(std::system((python + " " + script.string() + " " + (dir_ / "out" / "decisions.h5").string()).c_str()), 0);
}

// Link faults in a scenario (emp64 with CRC, bit flips at 1e-4 per bit): the replay completes,
// reports the errors it detected and the events lost, and every event the faults did not hit has
// the decision of the clean run.
TEST_F(Replay, LinkFaultsAreCountedAndSpareUnhitEvents) {
  const std::string emp = " --set links.protocol=emp64 --set links.crc=true";
  auto clean = testing::run_l1emu("replay " + scenario("quickstart.yaml") + kSmall + emp + " --quiet --output " + (dir_ / "clean").string());
  ASSERT_EQ(clean.exit_code, 0) << clean.stderr_text;
  auto faulty = testing::run_l1emu("replay " + scenario("quickstart.yaml") + kSmall + emp +
                                   " --set links.faults.bit_flip_rate=1e-4 --set links.faults.seed=7 --quiet --output " + (dir_ / "faulty").string());
  ASSERT_EQ(faulty.exit_code, 0) << faulty.stderr_text;
  const auto s_clean = summary(dir_ / "clean");
  const auto s = summary(dir_ / "faulty");
  EXPECT_TRUE(s["complete"].get<bool>());
  EXPECT_EQ(s_clean["link"]["errors"], 0);
  const auto errors = s["link"]["errors"].get<std::uint64_t>();
  const auto lost = s["link"]["lost_events"].get<std::uint64_t>();
  EXPECT_GT(errors, 0U);
  EXPECT_GT(lost, 0U);
  EXPECT_EQ(s["dead_time"]["dropped_events"], 0);  // link losses are not dead time
  const auto a = read_csv(dir_ / "clean" / "decisions.csv");
  const auto b = read_csv(dir_ / "faulty" / "decisions.csv");
  ASSERT_EQ(a.size(), b.size());
  std::size_t unhit = 0, not_accepted = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    // columns: event,orbit,bx,event_id,sample,inputs_hash,score_code,score,bits_before,bits_after,accepted,...
    if (b[i][10] != "1") {
      EXPECT_EQ(b[i][10], "2") << "event " << i << ": lost, but not on the links";
      ++not_accepted;
      continue;
    }
    ++unhit;
    ASSERT_EQ(a[i][5], b[i][5]) << "event " << i << ": inputs changed although the links delivered it";
    ASSERT_EQ(a[i][6], b[i][6]) << "event " << i;
    ASSERT_EQ(a[i][8], b[i][8]) << "event " << i;
  }
  EXPECT_EQ(not_accepted, lost);
  EXPECT_GT(unhit, a.size() / 2);
}

}  // namespace
}  // namespace l1emu
