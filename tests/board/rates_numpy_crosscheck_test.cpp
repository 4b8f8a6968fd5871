// The rates analysis against an independent numpy computation (issue 7 acceptance): on seeded score
// samples written as decision logs, identical counts and rates per threshold, identical thresholds per
// target rate, identical efficiencies, AUC to 1e-9. Runs the library, then the CLI once.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "decision_log_files.h"
#include "l1emu/board/rates_analysis.h"
#include "l1emu/board/rates_report.h"
#include "rates_test_support.h"
#include "run_command.h"

namespace {

namespace board = l1emu::board;
namespace fs = std::filesystem;
using l1emu::testing::TempDir;
using nlohmann::json;

constexpr std::int64_t kCollidingBunches = 2340;
const std::vector<double> kTargets{1e3, 3.7e3, 1e4, 1e5, 1e6};
const std::vector<std::int64_t> kThresholds{-100, 0, 37, 151, 400, 100000};

struct Fixture {
  TempDir dir{"rates_numpy"};
  std::vector<fs::path> background;
  std::vector<std::pair<std::string, fs::path>> signals;

  Fixture() {
    // Background in two shards (the merge path), 300k events: enough for the FPR = 1e-5 point.
    for (int shard = 0; shard < 2; ++shard) {
      l1emu::testing::TestDecisionLog log;
      log.score_code = l1emu::testing::score_sample(100 + shard, 150000, 30.0, 0);
      log.colliding_bunches = kCollidingBunches;
      const fs::path p = dir.path() / fmt::format("background_{}.h5", shard);
      l1emu::testing::write_decision_log(p, log);
      l1emu::testing::write_codes_text(dir.path() / fmt::format("background_{}.txt", shard), log.score_code);
      background.push_back(p);
    }
    const std::vector<std::tuple<std::string, double, std::int64_t>> kinds{{"ato4l", 60.0, 40}, {"htautau", 35.0, 10}};
    std::uint64_t seed = 500;
    for (const auto& [name, scale, shift] : kinds) {
      l1emu::testing::TestDecisionLog log;
      log.score_code = l1emu::testing::score_sample(seed++, 20000, scale, shift);
      const fs::path p = dir.path() / (name + ".h5");
      l1emu::testing::write_decision_log(p, log);
      l1emu::testing::write_codes_text(dir.path() / (name + ".txt"), log.score_code);
      signals.emplace_back(name, p);
    }
  }

  std::optional<json> reference() const {
    const auto python = l1emu::testing::python_with_numpy();
    if (!python) return std::nullopt;
    std::string command = *python + " " + L1EMU_SOURCE_DIR "/tests/board/scripts/rates_reference.py" +
                          fmt::format(" --colliding-bunches {}", kCollidingBunches);
    for (const double t : kTargets) command += fmt::format(" --target {:.17g}", t);
    for (const std::int64_t t : kThresholds) command += fmt::format(" --threshold={}", t);
    for (const auto& b : background) command += " --background " + b.string();
    for (const auto& [name, p] : signals) command += " --signal " + name + "=" + p.string();
    const auto out = l1emu::testing::capture(command);
    if (!out) return std::nullopt;
    return json::parse(*out);
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

TEST(RatesNumpyCrossCheck, LibraryMatchesNumpyExactly) {
  const auto ref = fixture().reference();
  if (!ref) GTEST_SKIP() << "python3 with numpy not found (install python3-numpy, or set L1EMU_PYTHON): cross-check skipped";
  std::cout << "numpy reference read the logs with: " << (*ref)["reader"].dump() << "\n";

  const board::Sample background = board::load_sample("background", fixture().background, 4096);
  std::vector<board::Sample> signals;
  for (const auto& [name, p] : fixture().signals) signals.push_back(board::load_sample(name, {p}, 4096));
  board::RatesConfig config;
  config.base_rate = board::parse_base_rate("zero-bias");
  config.target_rates_hz = kTargets;
  config.thresholds = kThresholds;
  const board::RatesResult r = board::compute_rates(background, signals, config);

  EXPECT_EQ(r.base_rate.hz, (*ref)["base_rate_hz"].get<double>());
  ASSERT_EQ(r.events, (*ref)["events"].get<std::uint64_t>());
  const auto& curve = (*ref)["curve"];
  ASSERT_EQ(r.curve.points.size(), curve.size());
  for (std::size_t i = 0; i < curve.size(); ++i) {
    SCOPED_TRACE(fmt::format("curve point {}", i));
    EXPECT_EQ(r.curve.points[i].threshold, curve[i]["threshold"].get<std::int64_t>());
    EXPECT_EQ(r.curve.points[i].passed, curve[i]["passed"].get<std::uint64_t>());
    EXPECT_EQ(r.curve.points[i].rate_hz, curve[i]["rate_hz"].get<double>());
    EXPECT_LE(r.curve.points[i].rate_lo_hz, r.curve.points[i].rate_hz);
    EXPECT_GE(r.curve.points[i].rate_hi_hz, r.curve.points[i].rate_hz);
  }
  std::cout << fmt::format("curve: {} thresholds compared (counts and rates), {} background events\n", curve.size(),
                           r.events);
  const auto& targets = (*ref)["targets"];
  ASSERT_EQ(r.targets.size(), targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    EXPECT_EQ(r.targets[i].threshold, targets[i]["threshold"].get<std::int64_t>()) << "target " << kTargets[i];
    EXPECT_EQ(r.targets[i].at.rate_hz, targets[i]["rate_hz"].get<double>());
    std::cout << fmt::format("target {:>8} Hz -> threshold {:>4}, rate {:.6g} Hz (numpy: {}, {:.6g} Hz)\n", kTargets[i],
                             r.targets[i].threshold, r.targets[i].at.rate_hz, targets[i]["threshold"].get<std::int64_t>(),
                             targets[i]["rate_hz"].get<double>());
  }
  ASSERT_EQ(r.signals.size(), 2U);
  for (const auto& s : r.signals) {
    SCOPED_TRACE(s.name);
    const auto& ref_signal = (*ref)["signals"][s.name];
    EXPECT_EQ(s.events, ref_signal["events"].get<std::uint64_t>());
    EXPECT_NEAR(s.roc.auc, ref_signal["auc"].get<double>(), 1e-9);
    EXPECT_EQ(s.roc.working_point_threshold, ref_signal["working_point_threshold"].get<std::int64_t>());
    EXPECT_EQ(s.roc.tpr_at_working_point, ref_signal["tpr_at_fpr_1e-5"].get<double>());
    for (std::size_t i = 0; i < s.at_targets.size(); ++i)
      EXPECT_EQ(s.at_targets[i].efficiency, ref_signal["efficiency_at_targets"][i].get<double>());
    for (std::size_t i = 0; i < s.at_thresholds.size(); ++i)
      EXPECT_EQ(s.at_thresholds[i].efficiency, ref_signal["efficiency_at_thresholds"][i].get<double>());
    std::cout << fmt::format("{}: AUC {:.12f} (numpy {:.12f}, |diff| {:.2g}), TPR@1e-5 {:.6f} at T = {}\n", s.name,
                             s.roc.auc, ref_signal["auc"].get<double>(),
                             std::abs(s.roc.auc - ref_signal["auc"].get<double>()), s.roc.tpr_at_working_point,
                             s.roc.working_point_threshold);
  }
}

TEST(RatesNumpyCrossCheck, CommandLineJsonMatchesNumpy) {
  const auto ref = fixture().reference();
  if (!ref) GTEST_SKIP() << "python3 with numpy not found (install python3-numpy, or set L1EMU_PYTHON): cross-check skipped";
  const fs::path out = fixture().dir.path() / "cli_out";
  std::string args = "rates";
  for (const auto& b : fixture().background) args += " --background " + b.string();
  for (const auto& [name, p] : fixture().signals) args += " --signal " + name + "=" + p.string();
  for (const double t : kTargets) args += fmt::format(" --target-rate {:.17g}Hz", t);
  for (const std::int64_t t : kThresholds) args += fmt::format(" --threshold={}", t);
  args += " --output " + out.string();
  const auto result = l1emu::testing::run_l1emu(args);
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("AUC"), std::string::npos) << result.stdout_text;

  const json doc = json::parse(l1emu::testing::read_file(out / "rates.json"));
  std::vector<std::string> keys;
  for (const auto& [k, v] : doc.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"base_rate_hz", "curve", "events", "signals", "targets"}));
  EXPECT_EQ(doc["base_rate_hz"].get<double>(), (*ref)["base_rate_hz"].get<double>());
  EXPECT_EQ(doc["events"], (*ref)["events"]);
  ASSERT_EQ(doc["curve"].size(), (*ref)["curve"].size());
  for (std::size_t i = 0; i < doc["curve"].size(); ++i) {
    const auto& p = doc["curve"][i];
    EXPECT_EQ(p["threshold"], (*ref)["curve"][i]["threshold"]);
    EXPECT_EQ(p["passed"], (*ref)["curve"][i]["passed"]);
    EXPECT_EQ(p["rate_hz"].get<double>(), (*ref)["curve"][i]["rate_hz"].get<double>());
    EXPECT_TRUE(p.contains("rate_lo_hz") && p.contains("rate_hi_hz"));
  }
  ASSERT_EQ(doc["targets"].size(), kTargets.size());
  for (std::size_t i = 0; i < kTargets.size(); ++i) {
    EXPECT_EQ(doc["targets"][i]["threshold"], (*ref)["targets"][i]["threshold"]);
    EXPECT_EQ(doc["targets"][i]["rate_hz"].get<double>(), (*ref)["targets"][i]["rate_hz"].get<double>());
    EXPECT_EQ(doc["targets"][i]["target_rate_hz"].get<double>(), kTargets[i]);
  }
  for (const auto& [name, p] : fixture().signals) {
    const auto& s = doc["signals"][name];
    EXPECT_NEAR(s["auc"].get<double>(), (*ref)["signals"][name]["auc"].get<double>(), 1e-9);
    EXPECT_EQ(s["tpr_at_fpr_1e-5"].get<double>(), (*ref)["signals"][name]["tpr_at_fpr_1e-5"].get<double>());
    ASSERT_EQ(s["efficiency_at_targets"].size(), kTargets.size());
    for (std::size_t i = 0; i < kTargets.size(); ++i)
      EXPECT_EQ(s["efficiency_at_targets"][i]["efficiency"].get<double>(),
                (*ref)["signals"][name]["efficiency_at_targets"][i].get<double>());
  }
  for (const char* f : {"rate_curve.csv", "targets.csv", "thresholds.csv", "signals.csv", "roc_ato4l.csv",
                        "score_histograms.csv", "report.html"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
}

}  // namespace
