#pragma once
// Replays run in process for the board tests (the library-level test API: board::Replay with
// ReplayOptions), and what two runs are compared on.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "l1emu/board/decision_log.h"
#include "l1emu/board/replay.h"
#include "l1emu/board/scenario.h"
#include "run_command.h"
#include "shared_data.h"

namespace l1emu::board::testing_support {

namespace fs = std::filesystem;

/// A quickstart of 7300 events (6000 background and four signals) for tests that need several runs.
inline std::vector<std::string> small_quickstart() {
  return {"source.samples.0.events=6000", "source.samples.1.events=500", "source.samples.2.events=300", "source.samples.3.events=300",
          "source.samples.4.events=200"};
}

inline Scenario scenario(const std::string& file, std::vector<std::string> overrides, const fs::path& output) {
  overrides.push_back("output.dir=" + output.string());
  return load_scenario(::l1emu::testing::source_dir() / "scenarios" / file, overrides);
}

inline ReplayResult replay(const Scenario& s, ReplayOptions options = {}) { return Replay(s, options).run(); }

inline nlohmann::json summary(const fs::path& out) {
  std::ifstream in(out / "summary.json");
  return nlohmann::json::parse(in);
}

/// summary.json without what may differ between equal results: the run's timings and thread
/// count, and the output paths.
inline nlohmann::json result_part(nlohmann::json s) {
  s.erase("run");
  s.erase("outputs");
  return s;
}

/// Every record, the CSV and the summary (but timings) are equal.
inline void expect_same_outputs(const fs::path& a, const fs::path& b) {
  EXPECT_EQ(DecisionLog::read_all(a / "decisions.h5"), DecisionLog::read_all(b / "decisions.h5")) << a << " vs " << b;
  if (fs::exists(a / "decisions.csv") || fs::exists(b / "decisions.csv")) {
    EXPECT_TRUE(::l1emu::testing::read_file(a / "decisions.csv") == ::l1emu::testing::read_file(b / "decisions.csv")) << a << " vs " << b;
  }
  EXPECT_EQ(result_part(summary(a)), result_part(summary(b))) << a << " vs " << b;
}

}  // namespace l1emu::board::testing_support
