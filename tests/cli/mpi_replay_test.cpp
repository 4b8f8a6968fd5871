// mpirun -n N l1emu replay (app/mpi_ranks.h): 1, 2 and 3 ranks, and 2 ranks of 3 threads, give the
// one-process outputs; rank 0's progress lines count every rank's events; a failing rank stops
// the launch with its message and leaves no merged outputs. Skipped when l1emu is built without
// MPI or mpirun is missing (mpi_launch.h).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "mpi_launch.h"
#include "run_command.h"
#include "shared_data.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

class MpiReplay : public testing::MpiLaunchTest {
 protected:
  static nlohmann::json result_part(const fs::path& out) {
    std::ifstream in(out / "summary.json");
    auto s = nlohmann::json::parse(in);
    s.erase("run");
    s.erase("outputs");
    return s;
  }
};

const std::string kSet =
    " --set source.samples.0.events=20000 --set source.samples.1.events=3000 --set source.samples.2.events=100"
    " --set source.samples.3.events=0 --set source.samples.4.events=0 --set menu.bits.3.threshold=40"
    " --set board.model_ii_cycles=6 --set board.fifo_depth=1";

TEST_F(MpiReplay, OneTwoAndThreeRanksGiveTheOneProcessOutputs) {
  const std::string scenario = (testing::source_dir() / "scenarios" / "quickstart.yaml").string();
  auto r = testing::run_l1emu("replay " + scenario + kSet + " --quiet --output " + (dir_ / "one").string());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::string csv = testing::read_file(dir_ / "one" / "decisions.csv");
  for (const auto& [ranks, threads] : {std::pair{1, 1}, std::pair{2, 1}, std::pair{3, 1}, std::pair{2, 3}}) {
    const fs::path out = dir_ / ("r" + std::to_string(ranks) + "t" + std::to_string(threads));
    const std::string command = mpirun(ranks) + "replay " + scenario + kSet + " --quiet --threads " + std::to_string(threads) + " --output " +
                                out.string() + " > " + (dir_ / "stdout").string() + " 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << testing::read_file(dir_ / "stdout");
    SCOPED_TRACE(out.string());
    EXPECT_TRUE(testing::read_file(out / "decisions.csv") == csv);
    EXPECT_EQ(result_part(dir_ / "one"), result_part(out));
    EXPECT_FALSE(fs::exists(out / "ranks"));  // the ranks' own folders are removed after the merge
    // One summary, printed by rank 0.
    const std::string printed = testing::read_file(dir_ / "stdout");
    EXPECT_EQ(printed.find("replay quickstart: 23100 events"), printed.rfind("replay quickstart: 23100 events")) << printed;
  }
}

// Rank 0 prints one progress stream for all ranks: its closing line counts the events of both
// ranks (rank 0's own shard holds 6 of the 13 batches), then the merge's time; no rank prints a
// line of its own. A line every 4096 events: one after each of rank 0's batches.
TEST_F(MpiReplay, RankZeroShowsTheProgressOfAllRanks) {
  const std::string scenario = (testing::source_dir() / "scenarios" / "quickstart.yaml").string();
  const fs::path out = dir_ / "out";
  const std::string command = mpirun(2) + "replay " + scenario + kSet +
                              " --set source.samples.0.events=100000 --set output.progress_every=4096 --output " + out.string() + " > " +
                              (dir_ / "stdout").string() + " 2> " + (dir_ / "stderr").string();
  ASSERT_EQ(std::system(command.c_str()), 0) << testing::read_file(dir_ / "stderr");
  const std::string lines = testing::read_file(dir_ / "stderr");
  EXPECT_NE(lines.find("replay: 103100 events done on 2 ranks, "), std::string::npos) << lines;
  EXPECT_NE(lines.find("replay: merged the 2 ranks' outputs (103100 events) in "), std::string::npos) << lines;
  // Every periodic line is a sum over both ranks, never one rank's own line ("replay: N events, R events/s").
  const std::regex periodic(R"(replay: \d+ events( of 103100 \(\d+ %\))? on 2 ranks \([012] finished\), \d+ events/s)");
  std::size_t periodic_lines = 0;
  std::istringstream in(lines);
  for (std::string line; std::getline(in, line);) {
    if (line.find(" done on 2 ranks") != std::string::npos || line.find("merged the") != std::string::npos) continue;
    EXPECT_TRUE(std::regex_match(line, periodic)) << line;
    ++periodic_lines;
  }
  EXPECT_GT(periodic_lines, 0U) << lines;
}

// Rank 1 cannot create its folder (a file is in the way): the launch stops with rank 1's message
// and no merged outputs.
TEST_F(MpiReplay, AFailingRankStopsAllWithItsMessage) {
  const std::string scenario = (testing::source_dir() / "scenarios" / "quickstart.yaml").string();
  const fs::path out = dir_ / "out";
  fs::create_directories(out / "ranks");
  std::ofstream(out / "ranks" / "rank-1") << "in the way\n";
  const std::string command =
      mpirun(3) + "replay " + scenario + kSet + " --quiet --output " + out.string() + " > " + (dir_ / "stdout").string() + " 2>&1";
  EXPECT_NE(std::system(command.c_str()), 0);
  const std::string printed = testing::read_file(dir_ / "stdout");
  EXPECT_NE(printed.find("rank 1 of 3"), std::string::npos) << printed;
  EXPECT_FALSE(fs::exists(out / "decisions.h5"));
  EXPECT_FALSE(fs::exists(out / "summary.json"));
}

}  // namespace
}  // namespace l1emu
