// Command-line tests of the board commands: estimate and verify testvector.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "run_command.h"
#include "shared_data.h"

namespace l1emu {
namespace {

std::string demo_model() { return (testing::source_dir() / "examples" / "demo_vae" / "model.json").string(); }

TEST(EstimateCommand, JsonHasTheDocumentedKeys) {
  const auto r = testing::run_l1emu("estimate --model " + demo_model() + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto j = nlohmann::json::parse(r.stdout_text);
  for (const char* key : {"model", "device", "clock_mhz", "source", "reuse_factor", "latency_cycles", "latency_ns", "ii_cycles", "ii_ns",
                          "resources", "utilization_percent", "layers"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["device"], "xcvu9p-flgb2104-2-e");
  EXPECT_EQ(j["source"], "estimate");
  EXPECT_DOUBLE_EQ(j["ii_ns"].get<double>(), 5.0);
  EXPECT_EQ(j["layers"].size(), 8U);
}

TEST(EstimateCommand, CsynthOverridesAndBadInputsFailCleanly) {
  const std::string fixture = (testing::source_dir() / "tests" / "board" / "data" / "csynth_small.xml").string();
  auto r = testing::run_l1emu("estimate --model " + demo_model() + " --csynth " + fixture + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto j = nlohmann::json::parse(r.stdout_text);
  EXPECT_EQ(j["source"], "csynth");
  EXPECT_EQ(j["latency_cycles"], 23);
  EXPECT_EQ(j["ii_cycles"], 2);
  r = testing::run_l1emu("estimate --model " + demo_model() + " --device xcvu13p");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("unknown device 'xcvu13p'"), std::string::npos) << r.stderr_text;
  r = testing::run_l1emu("estimate --model " + demo_model() + " --csynth /nonexistent/csynth.xml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("/nonexistent/csynth.xml"), std::string::npos) << r.stderr_text;
  EXPECT_EQ(testing::run_l1emu("estimate").exit_code, 2);
}

TEST(VerifyCommand, TestVectorsOfAxoV3HaveNoMismatch) {
  L1EMU_REQUIRE_SHARED();
  const auto dir = testing::golden_dir() / "axol1tl" / "v3";
  for (const char* name : {"TestVector_L1Menu_Collisions2024_v1_2_1_data", "TestVector_L1Menu_Collisions2024_v1_2_1_ttBar"}) {
    const auto tv = dir / "testvectors" / (std::string(name) + ".txt");
    const auto decoded = dir / "testvectors" / (std::string(name) + ".decoded.txt");
    const auto r = testing::run_l1emu("verify testvector --model " + (dir / "model.json").string() + " --testvector " + tv.string() +
                                      " --thresholds " + (dir / "testvectors" / "thresholds.json").string() + " --decoded " +
                                      decoded.string() + " --json");
    ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
    const auto j = nlohmann::json::parse(r.stdout_text);
    EXPECT_EQ(j["bx"], 3564);
    EXPECT_EQ(j["mismatches"], 0);
    EXPECT_EQ(j["decoded"]["feature_mismatch_bx"], 0);
    EXPECT_EQ(j["decoded"]["score_mismatch_bx"], 0);
  }
}

TEST(VerifyCommand, UsageErrors) {
  EXPECT_EQ(testing::run_l1emu("verify").exit_code, 2);
  EXPECT_EQ(testing::run_l1emu("verify nonsense").exit_code, 2);
  EXPECT_EQ(testing::run_l1emu("verify testvector --model x").exit_code, 2);
}

}  // namespace
}  // namespace l1emu
