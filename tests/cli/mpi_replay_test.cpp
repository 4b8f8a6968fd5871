// mpirun -n N l1emu replay (app/mpi_ranks.h): 1, 2 and 3 ranks, and 2 ranks of 3 threads, give the
// one-process outputs; a failing rank stops the launch with its message and leaves no merged
// outputs. Skipped when l1emu is built without MPI or mpirun is missing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"
#include "scratch_dir.h"
#include "shared_data.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

class MpiReplay : public testing::ScratchDirTest {
 protected:
  void SetUp() override {
#ifndef L1EMU_WITH_MPI
    GTEST_SKIP() << "l1emu is built without MPI (libboost-mpi-dev, libopenmpi-dev)";
#endif
    if (std::system("command -v mpirun >/dev/null 2>&1") != 0) GTEST_SKIP() << "no mpirun (openmpi-bin)";
    ScratchDirTest::SetUp();
  }
  // --oversubscribe: more ranks than cores; --allow-run-as-root: CI containers run as root.
  static std::string mpirun(int ranks) {
    return "mpirun --oversubscribe --allow-run-as-root -n " + std::to_string(ranks) + " " + std::string(L1EMU_BINARY) + " ";
  }
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
