// Determinism: `l1emu predict` writes byte-identical outputs and traces for 1, 2 and 8 threads,
// with either engine, and the two engines agree (the shipped demo model, 1000 events).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "run_command.h"
#include "shared_data.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

TEST(PredictThreads, OutputsAreIdenticalForAnyThreadCountAndEngine) {
  const fs::path demo = testing::source_dir() / "examples" / "demo_vae";
  const fs::path work = fs::temp_directory_path() / ("l1emu_threads_" + std::to_string(::getpid()));
  fs::create_directories(work);
  std::string first_output, first_trace;
  for (const std::string engine : {"compiled", "reference"}) {
    for (const int threads : {1, 2, 8}) {
      if (engine == "reference" && threads == 8) continue;  // the slow engine: two counts suffice
      const fs::path out = work / (engine + std::to_string(threads) + ".txt");
      const fs::path trace = work / (engine + std::to_string(threads) + "_trace");
      const auto r = testing::run_l1emu("predict --model " + (demo / "model.json").string() + " --input " +
                                        (demo / "inputs.txt").string() + " --engine " + engine + " --threads " +
                                        std::to_string(threads) + " --output " + out.string() + " --trace " + trace.string());
      ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
      const std::string output = testing::read_file(out);
      const std::string kl = testing::read_file(trace / "kl_loss.txt") + testing::read_file(trace / "dense_1.txt");
      EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1000);
      if (first_output.empty()) {
        first_output = output;
        first_trace = kl;
      } else {
        EXPECT_EQ(output, first_output) << engine << " with " << threads << " threads";
        EXPECT_EQ(kl, first_trace) << engine << " with " << threads << " threads";
      }
    }
  }
  fs::remove_all(work);
}

}  // namespace
}  // namespace l1emu
