// Command-line tests of replay --shard and l1emu merge: shards of a quickstart merged give the
// one-process CSV; rates over the shard logs equal rates over the merged and the one-process logs;
// usage errors. The merge itself (every dataset, the summary, wrong sets of shards) is tested in
// process in tests/board/shard_merge_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "run_command.h"
#include "scratch_dir.h"
#include "shared_data.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

class MergeCommand : public ::l1emu::testing::ScratchDirTest {};

const std::string kSet =
    " --set source.samples.0.events=20000 --set source.samples.1.events=3000 --set source.samples.2.events=100"
    " --set source.samples.3.events=0 --set source.samples.4.events=0";

// bits.csv without the after-prescale rows of prescaled bits: a shard's prescale counters start at
// 0, so only `merge` (which counts them again in event order) gives the one-process values there.
std::string bits_but_prescaled_after(const fs::path& file) {
  std::istringstream in(testing::read_file(file));
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.find("_ps") != std::string::npos && line.find("passed_after_prescale") != std::string::npos) continue;
    out += line + "\n";
  }
  return out;
}

TEST_F(MergeCommand, ShardsMergeIntoTheOneProcessOutputsAndGiveTheSameRates) {
  const std::string scenario = (testing::source_dir() / "scenarios" / "quickstart.yaml").string();
  auto r = testing::run_l1emu("replay " + scenario + kSet + " --quiet --output " + (dir_ / "one").string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  std::string shards, background;
  for (int i = 0; i < 3; ++i) {
    const fs::path d = dir_ / ("s" + std::to_string(i));
    r = testing::run_l1emu("replay " + scenario + kSet + " --quiet --shard " + std::to_string(i) + "/3 --output " + d.string());
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    shards += " " + d.string();
    background += " --background " + d.string() + "#background";
  }
  r = testing::run_l1emu("merge" + shards + " --output " + (dir_ / "merged").string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("replay quickstart: 23100 events"), std::string::npos) << r.stdout_text;
  EXPECT_TRUE(testing::read_file(dir_ / "one" / "decisions.csv") == testing::read_file(dir_ / "merged" / "decisions.csv"));
  const auto rates = [&](const std::string& logs, const std::string& name) {
    const auto q = testing::run_l1emu("rates" + logs + " --base-rate zero-bias --output " + (dir_ / name).string());
    EXPECT_EQ(q.exit_code, 0) << q.stderr_text;
  };
  rates(" --background " + (dir_ / "one").string() + "#background", "rates_one");
  rates(background, "rates_shards");
  rates(" --background " + (dir_ / "merged").string() + "#background", "rates_merged");
  for (const char* f : {"rates.json", "rate_curve.csv", "score_histograms.csv", "targets.csv"}) {
    const std::string one = testing::read_file(dir_ / "rates_one" / f);
    EXPECT_TRUE(one == testing::read_file(dir_ / "rates_shards" / f)) << f;
    EXPECT_TRUE(one == testing::read_file(dir_ / "rates_merged" / f)) << f;
  }
  EXPECT_EQ(testing::read_file(dir_ / "rates_one" / "bits.csv"), testing::read_file(dir_ / "rates_merged" / "bits.csv"));
  EXPECT_EQ(bits_but_prescaled_after(dir_ / "rates_one" / "bits.csv"), bits_but_prescaled_after(dir_ / "rates_shards" / "bits.csv"));
}

TEST_F(MergeCommand, UsageErrors) {
  const std::string scenario = (testing::source_dir() / "scenarios" / "quickstart.yaml").string();
  for (const char* bad : {"3/3", "x/2", "1"}) {
    const auto r = testing::run_l1emu("replay " + scenario + " --shard " + bad + " --output " + (dir_ / "x").string());
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.stderr_text.find("expected I/N"), std::string::npos) << r.stderr_text;
  }
  auto r = testing::run_l1emu("merge " + (dir_ / "a").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("--output"), std::string::npos) << r.stderr_text;
  r = testing::run_l1emu("merge " + (dir_ / "a").string() + " --output " + (dir_ / "m").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("no summary.json"), std::string::npos) << r.stderr_text;
  EXPECT_FALSE(fs::exists(dir_ / "m"));
}

}  // namespace
}  // namespace l1emu
