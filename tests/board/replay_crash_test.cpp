// Crash safety of the replay (issue 17, board/src/replay/replay_journal.h): what a SIGKILL or a power
// loss leaves (no summary, no committed h5 or csv, unreadable .partial files, journal rows past the
// last commit point) is resumed to the outputs of an uninterrupted run; damaged commit points are
// refused naming the file. In process, the state a kill leaves is made from an interrupted run by
// removing and damaging what a kill would not have written; replay_kill_test.cpp kills the
// executable itself.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "l1emu/board/error.h"
#include "l1emu/board/replay.h"
#include "h5_compare.h"
#include "replay_runs.h"
#include "scratch_dir.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;
using namespace testing_support;

class ReplayCrash : public ::l1emu::testing::ScratchDirTest {
 protected:
  // Four batches and a partial one, with dead time and seeded link faults: pipeline, prescale and
  // link state all carry across the resume point.
  std::vector<std::string> set_{"source.samples.0.events=30000", "source.samples.1.events=2000", "source.samples.2.events=300",
                                "source.samples.3.events=0",     "source.samples.4.events=0",    "links.protocol=emp64",
                                "links.faults.seed=5",           "links.faults.bit_flip_rate=0.00002", "board.model_ii_cycles=30",
                                "board.fifo_depth=1"};

  fs::path full() {
    const fs::path out = dir_ / "full";
    if (!fs::exists(out / "summary.json")) (void)replay(scenario("quickstart.yaml", set_, out));
    return out;
  }
  // An interrupted run with a commit point after every batch.
  fs::path interrupted(const std::string& name, std::uint64_t stop_after) {
    const fs::path out = dir_ / name;
    ReplayOptions o;
    o.stop_after_events = stop_after;
    o.checkpoint_seconds = 0;
    EXPECT_FALSE(replay(scenario("quickstart.yaml", set_, out), o).complete);
    return out;
  }
  ReplayResult resume(const fs::path& out) {
    ReplayOptions o;
    o.resume = true;
    return replay(scenario("quickstart.yaml", set_, out), o);
  }
  static nlohmann::json checkpoint(const fs::path& out) {
    std::ifstream in(out / "decisions.checkpoint");
    return nlohmann::json::parse(in);
  }
  static void set_checkpoint(const fs::path& out, const nlohmann::json& j) { std::ofstream(out / "decisions.checkpoint") << j.dump(); }
  // What a kill leaves of the outputs: no summary and no committed log (a first run killed), the
  // log's partial files cut anywhere.
  static void as_killed(const fs::path& out) {
    fs::remove(out / "summary.json");
    fs::remove(out / "decisions.h5");
    fs::remove(out / "decisions.csv");
    std::ofstream(out / "decisions.h5.partial", std::ios::binary) << "\x89HDF\r\n\x1a\n half a superblock";
    std::ofstream(out / "decisions.csv.partial", std::ios::binary) << "event,orbit,bx\n0,1,";
  }
  void expect_refused(const fs::path& out, const std::string& fragment) {
    try {
      (void)resume(out);
      ADD_FAILURE() << "resumed a damaged commit point; expected: " << fragment;
    } catch (const BoardError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  }
};

// The journal holds rows of a batch that was never committed (the kill came between the rows and
// the commit point): they are cut off and the batch is made again.
TEST_F(ReplayCrash, AKilledRunResumesFromItsLastCommitPoint) {
  const fs::path cut = interrupted("cut", 12000);  // two batches: 16384 events
  EXPECT_EQ(checkpoint(cut)["records"], 16384);
  as_killed(cut);
  const std::uintmax_t committed = fs::file_size(cut / "decisions.journal");
  std::ofstream(cut / "decisions.journal", std::ios::binary | std::ios::app) << std::string(5000, '\x7f');
  const ReplayResult r = resume(cut);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.events, 32300U);
  expect_same_outputs(full(), cut);
  // Every dataset and attribute; the resolved scenario differs in output.dir only.
  ::l1emu::testing::expect_same_h5(full() / "decisions.h5", cut / "decisions.h5", {".@scenario", "decisions@scenario"});
  // A complete run keeps no journal.
  EXPECT_FALSE(fs::exists(cut / "decisions.journal"));
  EXPECT_FALSE(fs::exists(cut / "decisions.checkpoint"));
  EXPECT_GT(committed, 16384U * 60);
}

// The commit point may be older than the rows written after it (commit points come every
// checkpoint_seconds): the rows past it are replayed again, not trusted.
TEST_F(ReplayCrash, RowsPastAnOlderCommitPointAreReplayedAgain) {
  for (const int records : {8192, 0}) {
    SCOPED_TRACE(records);
    const fs::path cut = interrupted("cut" + std::to_string(records), 20000);  // three batches written
    nlohmann::json j = checkpoint(cut);
    j["records"] = records;
    set_checkpoint(cut, j);
    as_killed(cut);
    EXPECT_TRUE(resume(cut).complete);
    expect_same_outputs(full(), cut);
  }
}

// Stopped by SIGINT / SIGTERM, then killed while resuming: the journal (not the older committed
// decisions.h5) is the record of the run.
TEST_F(ReplayCrash, AResumedRunKilledAgainResumesFromTheJournal) {
  const fs::path cut = interrupted("cut", 5000);  // one batch, committed with its summary
  const fs::path first_stop = dir_ / "first_stop";
  fs::create_directories(first_stop);
  for (const char* f : {"decisions.h5", "decisions.csv", "summary.json"}) fs::copy_file(cut / f, first_stop / f);
  ReplayOptions o;
  o.resume = true;
  o.stop_after_events = 20000;
  o.checkpoint_seconds = 0;
  EXPECT_FALSE(replay(scenario("quickstart.yaml", set_, cut), o).complete);
  EXPECT_EQ(checkpoint(cut)["records"], 24576);
  // Killed after the commit point of its third batch, before its outputs were committed: the
  // committed files are still those of the first stop.
  for (const char* f : {"decisions.h5", "decisions.csv", "summary.json"}) fs::copy_file(first_stop / f, cut / f, fs::copy_options::overwrite_existing);
  std::string said;
  ReplayOptions r;
  r.resume = true;
  r.progress = [&said](const std::string& line) {
    if (said.empty()) said = line;
  };
  EXPECT_TRUE(replay(scenario("quickstart.yaml", set_, cut), r).complete);
  EXPECT_EQ(said, "replay: resuming after 24576 events");
  expect_same_outputs(full(), cut);
}

// Outputs written before the journal existed (a summary with "complete": false and decisions.h5)
// still resume, from the committed log.
TEST_F(ReplayCrash, OutputsWithoutAJournalResumeFromTheCommittedLog) {
  const fs::path cut = interrupted("cut", 12000);
  fs::remove(cut / "decisions.journal");
  fs::remove(cut / "decisions.checkpoint");
  EXPECT_TRUE(resume(cut).complete);
  expect_same_outputs(full(), cut);
}

TEST_F(ReplayCrash, DamagedCommitPointsAreRefusedNamingTheFile) {
  const fs::path cut = interrupted("cut", 12000);
  as_killed(cut);
  const nlohmann::json good = checkpoint(cut);
  std::ofstream(cut / "decisions.checkpoint") << "{\"format\": \"l1emu-replay-checkpoint-1\", \"reco";
  expect_refused(cut, (cut / "decisions.checkpoint").string() + ": not a replay checkpoint");
  nlohmann::json j = good;
  j["records"] = -3;
  set_checkpoint(cut, j);
  expect_refused(cut, "decisions.checkpoint: \"records\" is missing or not a non-negative integer");
  j = good;
  j["records"] = 100;  // not a batch end
  set_checkpoint(cut, j);
  expect_refused(cut, "decisions.journal: 100 committed records do not end a batch of 8192 events");
  set_checkpoint(cut, good);
  fs::resize_file(cut / "decisions.journal", fs::file_size(cut / "decisions.journal") - 10);
  expect_refused(cut, "decisions.journal: holds 16383 complete rows where");
  fs::remove(cut / "decisions.journal");
  expect_refused(cut, "decisions.journal: cannot open the journal");
  fs::remove(cut / "decisions.checkpoint");
  expect_refused(cut, "nothing to resume (no summary.json, no decisions.checkpoint)");
}

}  // namespace
}  // namespace l1emu::board
