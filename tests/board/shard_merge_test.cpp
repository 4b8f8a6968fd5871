// Shards of a replay merged into the outputs of a one-process run (board::merge_shards), and every
// way a set of shards can be wrong.
#include "l1emu/board/shard_merge.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "l1emu/board/error.h"
#include "l1emu/board/shard.h"
#include "replay_runs.h"
#include "scratch_dir.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;
using namespace testing_support;

TEST(ShardRange, WholeBatchesSplitEvenlyAndCoverEveryEvent) {
  EXPECT_EQ(shard_range(23100, {0, 3}), (EventRange{0, 8192}));
  EXPECT_EQ(shard_range(23100, {1, 3}), (EventRange{8192, 16384}));
  EXPECT_EQ(shard_range(23100, {2, 3}), (EventRange{16384, 23100}));
  EXPECT_EQ(shard_range(23100, {0, 1}), (EventRange{0, 23100}));
  // More shards than batches: some are empty, and the ranges still tile [0, total).
  for (std::uint64_t total : {0ULL, 1ULL, 8192ULL, 8193ULL, 100000ULL, 10000000ULL}) {
    for (std::uint32_t n : {1U, 2U, 3U, 7U, 100U}) {
      std::uint64_t next = 0;
      for (std::uint32_t i = 0; i < n; ++i) {
        const EventRange r = shard_range(total, {i, n});
        EXPECT_EQ(r.first, next) << total << " " << i << "/" << n;
        EXPECT_TRUE(r.first % kReplayBatchEvents == 0 || r.first == total);
        next = r.end;
      }
      EXPECT_EQ(next, total) << total << " / " << n;
    }
  }
  EXPECT_EQ(parse_shard("2/3"), (Shard{2, 3}));
  for (const char* bad : {"3/3", "1", "a/3", "1/0", "-1/3", "1/3x", ""}) EXPECT_THROW((void)parse_shard(bad), ConfigError) << bad;
}

class ShardMerge : public ::l1emu::testing::ScratchDirTest {
 protected:
  // The shards of one run, each in a folder of its own.
  std::vector<fs::path> run_shards(const std::string& file, const std::vector<std::string>& set, std::uint32_t count, int threads = 2,
                                   const std::string& name = "s") {
    std::vector<fs::path> dirs;
    for (std::uint32_t i = 0; i < count; ++i) {
      ReplayOptions o;
      o.shard = {i, count};
      o.threads = threads;
      dirs.push_back(dir_ / (name + std::to_string(i)));
      EXPECT_TRUE(replay(scenario(file, set, dirs.back()), o).complete);
    }
    return dirs;
  }
};

// Quickstart with three batches of events over two samples, dead time, link faults and a prescaled
// bit (whose counters a shard starts at 0): three shards merged equal one process in every record,
// the CSV and the summary; so do two shards replayed with three threads each.
TEST_F(ShardMerge, ThreeShardsOfAGeneratedScenarioMergeIntoTheOneProcessOutputs) {
  const std::vector<std::string> set{"source.samples.0.events=20000", "source.samples.1.events=3000", "source.samples.2.events=100",
                                     "source.samples.3.events=0",     "source.samples.4.events=0",    "links.protocol=emp64",
                                     "links.faults.seed=4",           "links.faults.bit_flip_rate=0.00002", "board.model_ii_cycles=6",
                                     "board.fifo_depth=1", "menu.bits.3.threshold=40"};
  (void)replay(scenario("quickstart.yaml", set, dir_ / "one"));
  const auto one = summary(dir_ / "one");
  ASSERT_GT(one["dead_time"]["dropped_events"].get<int>(), 0);
  ASSERT_GT(one["link"]["errors"].get<int>(), 0);
  ASSERT_GT(one["bits"][3]["samples"]["background"]["fires_after_prescale"].get<int>(), 0);  // AD_Loose_ps10
  const auto r = merge_shards(run_shards("quickstart.yaml", set, 3), dir_ / "merged");
  EXPECT_EQ(r.events, 23100U);
  EXPECT_EQ(r.shards, 3U);
  expect_same_outputs(dir_ / "one", dir_ / "merged");
  (void)merge_shards(run_shards("quickstart.yaml", set, 2, 3, "t"), dir_ / "merged2");
  expect_same_outputs(dir_ / "one", dir_ / "merged2");
}

// A dataset (a sequential source read from the file): the shards read their own rows and their
// data counters add up to the one-process run's.
TEST_F(ShardMerge, ThreeShardsOfADatasetScenarioMergeIntoTheOneProcessOutputs) {
  const fs::path data = dir_ / "bg.h5";
  ASSERT_EQ(::l1emu::testing::run_l1emu("generate --process background --events 20000 --seed 8 --output " + data.string()).exit_code, 0);
  const std::vector<std::string> set{"source.kind=dataset", "source.file=" + data.string(), "links.protocol=direct"};
  (void)replay(scenario("quickstart.yaml", set, dir_ / "one"));
  (void)merge_shards(run_shards("quickstart.yaml", set, 3), dir_ / "merged");
  expect_same_outputs(dir_ / "one", dir_ / "merged");
  EXPECT_EQ(summary(dir_ / "merged")["data"]["events_read"], 20000);
}

TEST_F(ShardMerge, WrongSetsOfShardsAreRefusedAndNothingIsWritten) {
  const std::vector<std::string> set{"source.samples.0.events=17000", "source.samples.1.events=0", "source.samples.2.events=0",
                                     "source.samples.3.events=0", "source.samples.4.events=0", "output.csv=false"};
  const auto s = run_shards("quickstart.yaml", set, 3);
  const fs::path out = dir_ / "merged";
  const auto refused = [&](const std::vector<fs::path>& dirs, const std::string& expected) {
    try {
      (void)merge_shards(dirs, out);
      ADD_FAILURE() << "merged; expected: " << expected;
    } catch (const BoardError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(out)) << expected;
  };
  refused({s[0], s[2]}, "shard 1/3 is missing");
  refused({s[0], s[1], s[1], s[2]}, "overlapping shards");
  // Another scenario's shard (another threshold).
  auto other_set = set;
  other_set.push_back("menu.bits.0.threshold=90");
  ReplayOptions o;
  o.shard = {1, 3};
  (void)replay(scenario("quickstart.yaml", other_set, dir_ / "other1"), o);
  refused({s[0], dir_ / "other1", s[2]}, "different scenario");
  // Another split of the same scenario.
  o.shard = {1, 2};
  (void)replay(scenario("quickstart.yaml", set, dir_ / "half1"), o);
  refused({s[0], dir_ / "half1", s[2]}, "different splits");
  // An interrupted shard.
  o.shard = {1, 3};
  o.stop_after_events = 1;
  EXPECT_FALSE(replay(scenario("quickstart.yaml", set, dir_ / "cut1"), o).complete);
  refused({s[0], dir_ / "cut1", s[2]}, "incomplete");
  // A one-process output is not a shard.
  (void)replay(scenario("quickstart.yaml", set, dir_ / "one"));
  refused({dir_ / "one"}, "not a shard");
  refused({s[0], s[1], dir_ / "nothing"}, "no summary.json");
  // The interrupted shard resumed completes the set.
  ReplayOptions resume;
  resume.shard = {1, 3};
  resume.resume = true;
  EXPECT_TRUE(replay(scenario("quickstart.yaml", set, dir_ / "cut1"), resume).complete);
  (void)merge_shards({s[2], dir_ / "cut1", s[0]}, out);
  expect_same_outputs(dir_ / "one", out);
}

}  // namespace
}  // namespace l1emu::board
