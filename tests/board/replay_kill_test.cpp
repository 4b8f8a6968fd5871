// The acceptance of issue 17 on the executable itself: `l1emu replay` killed with SIGKILL or
// stopped with SIGTERM at a random moment, then `--resume`d, ends with the outputs of an
// uninterrupted run (every dataset and attribute of decisions.h5, decisions.csv byte for byte,
// summary.json but timings). Two interrupted runs per signal here; L1EMU_KILL_TRIALS=N runs N
// (scripts/kill_resume_trials.sh runs 10 each and prints one line per trial). The moments are
// drawn from a seed printed with every trial (L1EMU_KILL_SEED=S repeats them).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "h5_compare.h"
#include "replay_runs.h"
#include "run_command.h"
#include "scratch_dir.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;
using namespace testing_support;

class ReplayKill : public ::l1emu::testing::ScratchDirTest {};

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

std::uint64_t committed_records(const fs::path& out) {
  std::ifstream in(out / "decisions.checkpoint");
  if (!in) return 0;
  const auto j = nlohmann::json::parse(in, nullptr, false);
  return j.is_object() && j.contains("records") ? j["records"].get<std::uint64_t>() : 0;
}

TEST_F(ReplayKill, SigkillAndSigtermAtRandomMomentsThenResumeEqualAnUninterruptedRun) {
  // About 200k events with link faults and dead time on two threads: a few seconds, hundreds of
  // commit points (--checkpoint-seconds 0: one per batch).
  const std::vector<std::string> set{"source.samples.0.events=180000", "source.samples.1.events=6000", "source.samples.2.events=3000",
                                     "source.samples.3.events=3000",   "source.samples.4.events=3000", "links.protocol=emp64",
                                     "links.faults.seed=11",           "links.faults.bit_flip_rate=0.00001", "board.model_ii_cycles=30",
                                     "board.fifo_depth=2"};
  std::string sets;
  for (const auto& s : set) sets += " --set " + s;
  const std::string scenario_file = (::l1emu::testing::source_dir() / "scenarios" / "quickstart.yaml").string();
  const std::string command = std::string(L1EMU_BINARY) + " replay " + scenario_file + sets + " --quiet --threads 2 --checkpoint-seconds 0";

  // Every run writes to the same folder (the log keeps the resolved scenario, output.dir
  // included); the uninterrupted run's outputs are then moved aside.
  const fs::path out = dir_ / "out";
  const fs::path full = dir_ / "full";
  const auto t0 = std::chrono::steady_clock::now();
  const auto ref = ::l1emu::testing::run_l1emu("replay " + scenario_file + sets + " --quiet --threads 2 --output " + out.string());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(ref.exit_code, 0) << ref.stderr_text;
  fs::rename(out, full);

  const int trials = env_int("L1EMU_KILL_TRIALS", 2);
  const auto seed = static_cast<unsigned>(env_int("L1EMU_KILL_SEED", static_cast<int>(std::random_device{}() & 0x7fffffff)));
  std::mt19937 rng(seed);
  // Kill moments over the whole run, set-up included (the uninterrupted run's time).
  std::uniform_real_distribution<double> moment(0.0, seconds);
  for (const char* signal : {"KILL", "TERM"}) {
    // A trial counts when the signal came before the run ended (the machine's load moves the end):
    // one that finished first is drawn again, up to three times the trials in all.
    int interrupted = 0;
    for (int t = 0; interrupted < trials && t < 3 * trials; ++t) {
      const double delay = moment(rng);
      fs::remove_all(out);
      SCOPED_TRACE(fmt::format("SIG{} trial {} after {:.3f} s (L1EMU_KILL_SEED={})", signal, t, delay, seed));
      const fs::path rc = dir_ / "rc";
      const std::string killer = fmt::format("sh -c '{} --output {} >/dev/null 2>&1 & pid=$!; sleep {:.3f}; kill -{} $pid 2>/dev/null; wait $pid; echo $? > {}'",
                                             command, out.string(), delay, signal, rc.string());
      ASSERT_EQ(std::system(killer.c_str()), 0);
      const std::string status = ::l1emu::testing::read_file(rc);
      const std::uint64_t at_kill = committed_records(out);
      // Resumed until complete; a run killed before its outputs existed (set-up) runs afresh.
      std::string outcome;
      auto r = ::l1emu::testing::run_l1emu("replay " + scenario_file + sets + " --quiet --threads 2 --resume --output " + out.string());
      if (r.exit_code == 1 && r.stderr_text.find("already complete") != std::string::npos) {
        outcome = "finished before the signal";
        r.exit_code = 0;
      } else if (r.exit_code == 1 && r.stderr_text.find("nothing to resume") != std::string::npos) {
        outcome = "killed before its outputs existed: run again";
        r = ::l1emu::testing::run_l1emu("replay " + scenario_file + sets + " --quiet --threads 2 --output " + out.string());
      } else {
        outcome = fmt::format("resumed after {} committed records", at_kill);
      }
      ASSERT_EQ(r.exit_code, 0) << "exit status " << status << r.stderr_text;
      std::printf("trial SIG%s %d: signal after %.3f s, exit %s -> %s: ", signal, t, delay, status.substr(0, status.size() - 1).c_str(),
                  outcome.c_str());
      // Said per trial for the script's table; the assertions below report what differs.
      const bool same = DecisionLog::read_all(full / "decisions.h5") == DecisionLog::read_all(out / "decisions.h5") &&
                        ::l1emu::testing::read_file(full / "decisions.csv") == ::l1emu::testing::read_file(out / "decisions.csv") &&
                        result_part(summary(full)) == result_part(summary(out));
      expect_same_outputs(full, out);
      ::l1emu::testing::expect_same_h5(full / "decisions.h5", out / "decisions.h5");
      // A complete run removes its journal (after the summary: a kill between the two leaves it).
      if (outcome != "finished before the signal") {
        EXPECT_FALSE(fs::exists(out / "decisions.journal"));
      }
      std::printf("%s\n", same ? "identical" : "DIFFERENT");
      std::fflush(stdout);
      if (outcome != "finished before the signal") ++interrupted;
    }
    EXPECT_EQ(interrupted, trials) << "too few runs were interrupted: the signals came after their end";
  }
}

}  // namespace
}  // namespace l1emu::board
