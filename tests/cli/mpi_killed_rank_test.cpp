// A rank of `mpirun -n 2 l1emu replay` killed mid-run (SIGKILL: out of memory, a node lost): the
// launch fails with mpirun's message naming the rank, and nothing in the output folder looks
// complete: no final outputs (not even a previous run's), rank folders holding only .partial logs,
// the resolved scenario, journals and summaries marked incomplete. --resume then continues every
// rank from its last commit point to complete outputs. Skipped without MPI (mpi_launch.h).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mpi_launch.h"
#include "run_command.h"
#include "shared_data.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The processes whose command line holds `marker` (this test's output folder) and, when given,
// whose environment says they are MPI rank `rank` (Open MPI's OMPI_COMM_WORLD_RANK).
std::vector<int> processes_of(const std::string& marker, std::optional<int> rank) {
  std::vector<int> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string cmdline = testing::read_file(entry.path() / "cmdline");
    if (cmdline.find(marker) == std::string::npos) continue;
    if (rank) {
      const std::string environ = testing::read_file(entry.path() / "environ");
      if (environ.find("OMPI_COMM_WORLD_RANK=" + std::to_string(*rank) + '\0') == std::string::npos) continue;
    }
    pids.push_back(std::stoi(name));
  }
  return pids;
}

class MpiKilledRank : public testing::MpiLaunchTest {
 protected:
  void TearDown() override {
    // A failed test must not leave its launch running: this test started every process that
    // names its folder.
    if (!dir_.empty()) {
      for (int pid : processes_of(dir_.string(), std::nullopt)) ::kill(pid, SIGKILL);
    }
    MpiLaunchTest::TearDown();
  }
  // Polls `done` every 50 ms for at most `limit`.
  template <class Done>
  static bool wait_for(Done done, std::chrono::seconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > end) return false;
      std::this_thread::sleep_for(50ms);
    }
    return true;
  }
};

TEST_F(MpiKilledRank, TheLaunchFailsAndLeavesNothingLookingComplete) {
  const std::string scenario = (testing::source_dir() / "scenarios" / "quickstart.yaml").string();
  const fs::path out = dir_ / "out";
  // A previous run's outputs in the folder: a launch that dies must not leave them as its own.
  fs::create_directories(out);
  for (const char* name : {"decisions.h5", "decisions.csv", "scenario.resolved.yaml"}) std::ofstream(out / name) << "a previous run\n";
  std::ofstream(out / "summary.json") << R"({"complete": true})";
  // Far more events than run before the kill (the launch is stopped long before their end).
  const std::string replay = "replay " + scenario + " --set source.samples.0.events=5000000 --threads 1 --output " + out.string();
  const fs::path log = dir_ / "log", status = dir_ / "status";
  const std::string launch = "(" + mpirun(2) + replay + " > " + log.string() + " 2>&1; echo $? > " + status.string() + ") &";
  ASSERT_EQ(std::system(launch.c_str()), 0);

  // Mid-run: rank 1 writing its log, and rank 0 past its first progress report.
  std::vector<int> rank1;
  ASSERT_TRUE(wait_for(
      [&] {
        rank1 = processes_of(out.string(), 1);
        return rank1.size() == 1 && fs::exists(out / "ranks" / "rank-1" / "decisions.h5.partial") &&
               testing::read_file(log).find(" on 2 ranks ") != std::string::npos;
      },
      120s))
      << testing::read_file(log);
  ASSERT_EQ(::kill(rank1.front(), SIGKILL), 0);
  ASSERT_TRUE(wait_for([&] { return fs::exists(status) && !testing::read_file(status).empty(); }, 120s)) << testing::read_file(log);

  const std::string printed = testing::read_file(log);
  EXPECT_NE(std::stoi(testing::read_file(status)), 0) << printed;
  // mpirun names the rank and the signal.
  EXPECT_NE(printed.find("rank 1"), std::string::npos) << printed;
  EXPECT_NE(printed.find("signal 9"), std::string::npos) << printed;
  // No final outputs: neither this launch's nor the previous run's.
  for (const char* name : {"decisions.h5", "decisions.csv", "summary.json", "scenario.resolved.yaml"}) {
    EXPECT_FALSE(fs::exists(out / name)) << name;
  }
  // In the ranks' folders only what is marked unfinished: a folder with a summary says
  // "complete": false (rank 0 stopping on mpirun's SIGTERM in time commits the events it did, which
  // --resume continues); one without holds only .partial files and the resolved scenario.
  ASSERT_TRUE(fs::exists(out / "ranks" / "rank-1"));
  for (const auto& rank : fs::directory_iterator(out / "ranks")) {
    SCOPED_TRACE(rank.path().string());
    if (fs::exists(rank.path() / "summary.json")) {
      std::ifstream in(rank.path() / "summary.json");
      EXPECT_FALSE(nlohmann::json::parse(in).at("complete").get<bool>());
      continue;
    }
    for (const auto& entry : fs::directory_iterator(rank.path())) {
      const std::string name = entry.path().filename().string();
      EXPECT_TRUE(name == "scenario.resolved.yaml" || name == "decisions.journal" || name == "decisions.checkpoint" ||
                  entry.path().extension() == ".partial")
          << name;
    }
  }
  EXPECT_FALSE(fs::exists(out / "ranks" / "rank-1" / "summary.json"));  // killed before any commit

  // Every rank made a commit point when its outputs were created (the journal's first), so --resume
  // continues each from its last one (replay_kill_test checks that this equals an uninterrupted run)
  // and the launch ends complete, with all the scenario's events.
  const std::string resume = mpirun(2) + replay + " --resume > " + log.string() + " 2>&1";
  ASSERT_EQ(std::system(resume.c_str()), 0) << testing::read_file(log);
  std::ifstream in(out / "summary.json");
  const auto summary = nlohmann::json::parse(in);
  EXPECT_TRUE(summary.at("complete").get<bool>());
  EXPECT_EQ(summary.at("events").get<std::uint64_t>(), 5008000U) << summary.dump();
}

}  // namespace
}  // namespace l1emu
