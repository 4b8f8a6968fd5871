#include "l1emu/board/timing_estimate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "l1emu/board/csynth_report.h"
#include "l1emu/board/device.h"
#include "l1emu/board/error.h"
#include "l1emu/emu/io/model_loader.h"
#include "run_command.h"
#include "shared_data.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;

const Device& vu9p() { return get_device("xcvu9p-flgb2104-2-e"); }

// Seed paper, Table 3 (shared/FACTS.md section 1): DNN VAE PTQ 8 bits on the VU9P at 200 MHz,
// latency 80 ns, II 5 ns. The estimate must land within 25 % of the latency and hit the II.
// The CNN classes get latencies of their own: the paper's CNN AE encoder takes longer than its
// dense layers alone, and Flatten adds no cycle.
TEST(TimingEstimate, ConvolutionalModelsAreEstimated) {
  L1EMU_REQUIRE_SHARED();
  const fs::path path = testing::golden_dir() / "hls4ml2" / "cnn_ae_paper" / "model.json";
  const emu::Model model = emu::load_model(path);
  const ModelEstimate e = estimate_model(model, vu9p(), {});
  ASSERT_EQ(e.layers.size(), model.layers().size());
  for (const auto& l : e.layers) {
    if (l.class_name == "Flatten") {
      EXPECT_EQ(l.latency_cycles, 0) << l.name;
    }
    if (l.class_name == "Conv2D") {
      EXPECT_GE(l.latency_cycles, 2) << l.name;
    }
  }
  EXPECT_GT(e.latency_cycles, 6);
}

TEST(TimingEstimate, PaperDnnVaeOnVu9pMatchesTable3) {
  L1EMU_REQUIRE_SHARED();
  const emu::Model model = emu::load_model(testing::golden_dir() / "hls4ml" / "vae_paper" / "model.json");
  const ModelEstimate e = estimate_model(model, vu9p(), {200.0, 1});
  EXPECT_NEAR(e.latency_ns(), 80.0, 0.25 * 80.0);
  EXPECT_DOUBLE_EQ(e.ii_ns(), 5.0);
  EXPECT_EQ(e.ii_cycles, 1);
  EXPECT_EQ(e.layers.size(), model.layers().size());
  EXPECT_EQ(e.source, "estimate");
}

// The shipped demo model has the paper's architecture, so the same anchor holds without ../shared.
TEST(TimingEstimate, DemoVaeHasThePaperLatencyClass) {
  const emu::Model model = emu::load_model(testing::source_dir() / "examples" / "demo_vae" / "model.json");
  const ModelEstimate e = estimate_model(model, vu9p(), {200.0, 1});
  EXPECT_NEAR(e.latency_ns(), 80.0, 0.25 * 80.0);
  EXPECT_DOUBLE_EQ(e.ii_ns(), 5.0);
}

TEST(TimingEstimate, ReuseFactorSetsTheIntervalAndLengthensTheLatency) {
  const emu::Model model = emu::load_model(testing::source_dir() / "examples" / "demo_vae" / "model.json");
  const ModelEstimate r1 = estimate_model(model, vu9p(), {200.0, 1});
  const ModelEstimate r4 = estimate_model(model, vu9p(), {200.0, 4});
  EXPECT_EQ(r4.ii_cycles, 4);
  EXPECT_GT(r4.latency_cycles, r1.latency_cycles);
  EXPECT_LT(r4.resources.lut, r1.resources.lut);
}

TEST(TimingEstimate, SlowerClockNeedsFewerCyclesFasterMore) {
  const emu::Model model = emu::load_model(testing::source_dir() / "examples" / "demo_vae" / "model.json");
  const ModelEstimate slow = estimate_model(model, vu9p(), {100.0, 1});
  const ModelEstimate fast = estimate_model(model, vu9p(), {360.0, 1});
  const ModelEstimate base = estimate_model(model, vu9p(), {200.0, 1});
  EXPECT_LE(slow.latency_cycles, base.latency_cycles);
  EXPECT_GE(fast.latency_cycles, base.latency_cycles);
}

TEST(TimingEstimate, RejectsClockAboveTheDeviceLimit) {
  const emu::Model model = emu::load_model(testing::source_dir() / "examples" / "demo_vae" / "model.json");
  EXPECT_THROW((void)estimate_model(model, vu9p(), {900.0, 1}), ConfigError);
  EXPECT_THROW((void)estimate_model(model, vu9p(), {200.0, 0}), ConfigError);
}

// A reuse factor of INT_MAX overflowed the latency sum (reuse - 1 cycles per layer): refused.
TEST(TimingEstimate, RejectsReuseFactorsOutsideTheirRange) {
  const emu::Model model = emu::load_model(testing::source_dir() / "examples" / "demo_vae" / "model.json");
  for (const int reuse : {0, kMaxReuseFactor + 1, std::numeric_limits<int>::max()}) {
    try {
      (void)estimate_model(model, vu9p(), {200.0, reuse});
      ADD_FAILURE() << reuse << " accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("reuse factor " + std::to_string(reuse) + " is outside [1, "), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW((void)estimate_model(model, vu9p(), {200.0, kMaxReuseFactor}));
}

TEST(CsynthReport, FixtureOverridesTheEstimate) {
  const fs::path fixture = testing::source_dir() / "tests" / "board" / "data" / "csynth_small.xml";
  const CsynthReport r = read_csynth_report(fixture);
  EXPECT_EQ(r.part, "xcvu9p-flgb2104-2-e");
  EXPECT_DOUBLE_EQ(r.target_clock_ns, 4.0);
  EXPECT_EQ(r.best_latency_cycles, 21);
  EXPECT_EQ(r.worst_latency_cycles, 23);
  EXPECT_EQ(r.interval_min_cycles, 2);
  EXPECT_EQ(r.dsp, 57);
  EXPECT_EQ(r.bram18, 3);

  const emu::Model model = emu::load_model(testing::source_dir() / "examples" / "demo_vae" / "model.json");
  const ModelEstimate e = apply_csynth(estimate_model(model, vu9p(), {200.0, 1}), r);
  EXPECT_EQ(e.source, "csynth");
  EXPECT_DOUBLE_EQ(e.clock_mhz, 250.0);
  EXPECT_EQ(e.latency_cycles, 23);
  EXPECT_DOUBLE_EQ(e.latency_ns(), 92.0);
  EXPECT_EQ(e.ii_cycles, 2);
  EXPECT_DOUBLE_EQ(e.ii_ns(), 8.0);
  EXPECT_EQ(e.resources.lut, 34567);
  EXPECT_EQ(e.resources.ff, 12345);
  EXPECT_DOUBLE_EQ(e.resources.bram36, 1.5);
}

TEST(CsynthReport, MalformedReportsNameTheFileAndElement) {
  const fs::path dir = fs::temp_directory_path() / "l1emu_csynth_test";
  fs::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  };
  const fs::path not_xml = write("bad.xml", "<profile><unclosed>");
  EXPECT_THROW((void)read_csynth_report(not_xml), BoardError);
  const fs::path missing = write("missing.xml", "<profile><UserAssignments><Part>x</Part><TargetClockPeriod>5</TargetClockPeriod></UserAssignments></profile>");
  try {
    (void)read_csynth_report(missing);
    FAIL() << "expected BoardError";
  } catch (const BoardError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.xml"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("Best-caseLatency"), std::string::npos);
  }
  fs::remove_all(dir);
}

// Numbers that parse but cannot be true are refused: cycle counts above INT_MAX (they would wrap
// to negative cycles) and clock periods no FPGA design has (their latencies in ns would be nonsense).
TEST(CsynthReport, ImpossibleNumbersAreRefused) {
  const fs::path dir = fs::temp_directory_path() / "l1emu_csynth_numbers_test";
  fs::create_directories(dir);
  const std::string fixture = testing::read_file(testing::source_dir() / "tests" / "board" / "data" / "csynth_small.xml");
  const auto expect_refused = [&](const std::string& from, const std::string& to, const std::string& element) {
    SCOPED_TRACE(to);
    std::string text = fixture;
    ASSERT_NE(text.find(from), std::string::npos) << from;
    text.replace(text.find(from), from.size(), to);
    std::ofstream(dir / "report.xml") << text;
    try {
      (void)read_csynth_report(dir / "report.xml");
      ADD_FAILURE() << "accepted";
    } catch (const BoardError& e) {
      EXPECT_NE(std::string(e.what()).find("report.xml: profile/" + element), std::string::npos) << e.what();
    }
  };
  expect_refused("<Worst-caseLatency>23<", "<Worst-caseLatency>2147483648<", "PerformanceEstimates/SummaryOfOverallLatency/Worst-caseLatency");
  expect_refused("<Interval-min>2<", "<Interval-min>99999999999<", "PerformanceEstimates/SummaryOfOverallLatency/Interval-min");
  expect_refused("<LUT>34567<", "<LUT>4294967296<", "AreaEstimates/Resources/LUT");
  expect_refused("<TargetClockPeriod>4.00<", "<TargetClockPeriod>1e300<", "UserAssignments/TargetClockPeriod");
  expect_refused("<TargetClockPeriod>4.00<", "<TargetClockPeriod>1e-300<", "UserAssignments/TargetClockPeriod");
  expect_refused("<EstimatedClockPeriod>3.512<", "<EstimatedClockPeriod>1e300<", "PerformanceEstimates/SummaryOfTimingAnalysis/EstimatedClockPeriod");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace l1emu::board
