// The replay's guarantees tested in process (board::Replay): outputs independent of the thread
// count and of the engine, interruption and resume equal to an uninterrupted run, and resume
// reading a log larger than one chunk.
#include "l1emu/board/replay.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "l1emu/board/error.h"
#include "replay_runs.h"
#include "scratch_dir.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;
using namespace testing_support;

class ReplayInProcess : public ::l1emu::testing::ScratchDirTest {};

TEST_F(ReplayInProcess, OutputsDoNotDependOnTheThreadCount) {
  for (int t : {1, 2, 3}) {
    ReplayOptions o;
    o.threads = t;
    const auto r = replay(scenario("quickstart.yaml", small_quickstart(), dir_ / ("t" + std::to_string(t))), o);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.events, 7300U);
  }
  expect_same_outputs(dir_ / "t1", dir_ / "t2");
  expect_same_outputs(dir_ / "t1", dir_ / "t3");
}

// The generator makes batches in pieces on every thread: with link faults (a seeded injector that
// sees every batch in order), several batches and a partial last one, every thread count gives the
// same log and counters.
TEST_F(ReplayInProcess, GeneratedBatchesWithLinkFaultsGiveTheSameLogForAnyThreadCount) {
  const std::vector<std::string> set{"source.samples.0.events=20001", "source.samples.1.events=700", "source.samples.2.events=0",
                                     "source.samples.3.events=0",     "source.samples.4.events=0",   "links.protocol=emp64",
                                     "links.faults.seed=9",           "links.faults.bit_flip_rate=0.00005"};
  for (int t : {1, 2, 4}) {
    ReplayOptions o;
    o.threads = t;
    EXPECT_EQ(replay(scenario("quickstart.yaml", set, dir_ / ("t" + std::to_string(t))), o).events, 20701U);
  }
  EXPECT_GT(summary(dir_ / "t1")["link"]["lost_events"].get<int>(), 0);
  expect_same_outputs(dir_ / "t1", dir_ / "t2");
  expect_same_outputs(dir_ / "t1", dir_ / "t4");
}

// A dataset is a sequential source (filled on a helper thread): with link faults, several batches
// and a partial last one, every thread count gives the same log and counters.
TEST_F(ReplayInProcess, OverlappedBatchesOfADatasetGiveTheSameLogForAnyThreadCount) {
  const fs::path data = dir_ / "bg.h5";
  ASSERT_EQ(::l1emu::testing::run_l1emu("generate --process background --events 20001 --seed 5 --output " + data.string()).exit_code, 0);
  for (int t : {1, 2, 4}) {
    ReplayOptions o;
    o.threads = t;
    const auto r = replay(scenario("quickstart.yaml",
                                   {"source.kind=dataset", "source.file=" + data.string(), "links.protocol=emp64", "links.faults.seed=9",
                                    "links.faults.bit_flip_rate=0.00005"},
                                   dir_ / ("t" + std::to_string(t))),
                          o);
    EXPECT_EQ(r.events, 20001U);
  }
  EXPECT_GT(summary(dir_ / "t1")["link"]["lost_events"].get<int>(), 0);
  expect_same_outputs(dir_ / "t1", dir_ / "t2");
  expect_same_outputs(dir_ / "t1", dir_ / "t4");
}

// The reference evaluator (the specification) and the compiled plan give the same decision log.
TEST_F(ReplayInProcess, ReferenceAndCompiledEnginesGiveTheSameDecisions) {
  for (const std::string engine : {"compiled", "reference"}) {
    ReplayOptions o;
    o.engine = engine;
    o.max_events = 1500;
    o.threads = 2;
    EXPECT_EQ(replay(scenario("quickstart.yaml", small_quickstart(), dir_ / engine), o).events, 1500U);
  }
  EXPECT_EQ(DecisionLog::read_all(dir_ / "compiled" / "decisions.h5"), DecisionLog::read_all(dir_ / "reference" / "decisions.h5"));
  ReplayOptions bad;
  bad.engine = "fast";
  EXPECT_THROW(Replay(scenario("quickstart.yaml", {}, dir_ / "bad"), bad), ConfigError);
}

// An interrupted run leaves complete outputs for the events done; resume finishes it and the result
// equals an uninterrupted run (prescale counters, pipeline state and link counters included). A run
// stops at the end of a batch (8192 events): here inside the second sample, 2092 events into it,
// which is inside a block of its generator stream.
TEST_F(ReplayInProcess, InterruptedRunResumesToTheSameResult) {
  std::vector<std::string> set{"source.samples.0.events=6100", "source.samples.1.events=3000", "source.samples.2.events=300",
                               "source.samples.3.events=0",    "source.samples.4.events=0",    "links.protocol=emp64",
                               "links.faults.seed=3",          "links.faults.bit_flip_rate=0.00002"};
  set.push_back("board.model_ii_cycles=30");  // dead time, so pipeline state matters
  set.push_back("board.fifo_depth=1");
  (void)replay(scenario("quickstart.yaml", set, dir_ / "full"));
  ReplayOptions cut;
  cut.stop_after_events = 5000;
  const auto r = replay(scenario("quickstart.yaml", set, dir_ / "cut"), cut);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.events, 8192U);
  EXPECT_EQ(summary(dir_ / "cut")["stopped_at_event"], 8192);
  EXPECT_FALSE(fs::exists(dir_ / "cut" / "decisions.h5.partial"));
  EXPECT_EQ(DecisionLog::read_all(dir_ / "cut" / "decisions.h5").size(), 8192U);
  ReplayOptions resume;
  resume.resume = true;
  EXPECT_TRUE(replay(scenario("quickstart.yaml", set, dir_ / "cut"), resume).complete);
  EXPECT_GT(summary(dir_ / "full")["dead_time"]["dropped_events"].get<int>(), 0);
  EXPECT_GT(summary(dir_ / "full")["link"]["errors"].get<int>(), 0);
  expect_same_outputs(dir_ / "full", dir_ / "cut");
  // A complete run cannot be resumed; another scenario cannot resume these outputs.
  try {
    (void)replay(scenario("quickstart.yaml", set, dir_ / "cut"), resume);
    ADD_FAILURE() << "resumed a complete run";
  } catch (const BoardError& e) {
    EXPECT_NE(std::string(e.what()).find("already complete"), std::string::npos) << e.what();
  }
  (void)replay(scenario("quickstart.yaml", set, dir_ / "other"), cut);
  set.push_back("menu.bits.0.threshold=100");
  try {
    (void)replay(scenario("quickstart.yaml", set, dir_ / "other"), resume);
    ADD_FAILURE() << "resumed another scenario's outputs";
  } catch (const BoardError& e) {
    EXPECT_NE(std::string(e.what()).find("scenario differs"), std::string::npos) << e.what();
  }
}

// Resume reads the log a chunk (decision_log_format::kChunkRecords) at a time: a log of several chunks and a partial
// one, interrupted twice, still resumes to the uninterrupted result; the stop flag (SIGINT,
// SIGTERM) set before the run stops it after its first batch.
TEST_F(ReplayInProcess, ResumeOverSeveralLogChunksAndAStopFlag) {
  const std::vector<std::string> set{"source.samples.0.events=150000", "source.samples.1.events=100", "source.samples.2.events=0",
                                     "source.samples.3.events=0", "source.samples.4.events=0", "output.csv=false"};
  (void)replay(scenario("quickstart.yaml", set, dir_ / "full"));
  ReplayOptions cut;
  cut.stop_after_events = 120000;
  EXPECT_EQ(replay(scenario("quickstart.yaml", set, dir_ / "cut"), cut).events, 15U * 8192U);  // the batch that reaches 120000
  const std::atomic<bool> stop{true};
  ReplayOptions stopped;
  stopped.resume = true;
  stopped.stop = &stop;
  const auto r = replay(scenario("quickstart.yaml", set, dir_ / "cut"), stopped);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.events, 16U * 8192U);  // one batch more
  ReplayOptions resume;
  resume.resume = true;
  EXPECT_TRUE(replay(scenario("quickstart.yaml", set, dir_ / "cut"), resume).complete);
  expect_same_outputs(dir_ / "full", dir_ / "cut");
}

// The CSV a resume continues may have been removed or cut since the interruption: the resumed run
// still ends with the CSV of an uninterrupted run (not "complete" with rows missing).
TEST_F(ReplayInProcess, ResumeAfterTheCsvWasRemovedOrTruncatedGivesTheFullCsv) {
  const std::vector<std::string> set{"source.samples.0.events=9000", "source.samples.1.events=100", "source.samples.2.events=0",
                                     "source.samples.3.events=0", "source.samples.4.events=0"};
  (void)replay(scenario("quickstart.yaml", set, dir_ / "full"));
  const std::string expected = ::l1emu::testing::read_file(dir_ / "full" / "decisions.csv");
  for (const std::string damage : {"removed", "truncated", "cut mid-line"}) {
    SCOPED_TRACE(damage);
    const fs::path cut = dir_ / "cut";
    fs::remove_all(cut);
    ReplayOptions o;
    o.stop_after_events = 5000;
    ASSERT_EQ(replay(scenario("quickstart.yaml", set, cut), o).events, 8192U);
    const std::string csv = ::l1emu::testing::read_file(cut / "decisions.csv");
    if (damage == "removed") fs::remove(cut / "decisions.csv");
    if (damage == "truncated") std::ofstream(cut / "decisions.csv", std::ios::binary) << csv.substr(0, csv.find('\n') + 1);
    if (damage == "cut mid-line") std::ofstream(cut / "decisions.csv", std::ios::binary) << csv.substr(0, csv.size() / 2);
    ReplayOptions resume;
    resume.resume = true;
    ASSERT_TRUE(replay(scenario("quickstart.yaml", set, cut), resume).complete);
    EXPECT_TRUE(::l1emu::testing::read_file(cut / "decisions.csv") == expected) << "the resumed CSV differs from the uninterrupted run's";
  }
}

// A Replay holds the run's position (source, links): running it twice is refused.
TEST_F(ReplayInProcess, AReplayRunsOnce) {
  ReplayOptions o;
  o.max_events = 100;
  Replay r(scenario("quickstart.yaml", small_quickstart(), dir_ / "out"), o);
  EXPECT_EQ(r.run().events, 100U);
  EXPECT_THROW((void)r.run(), BoardError);
}

}  // namespace
}  // namespace l1emu::board
