// l1emu import writes model.json's "hls_synthesis" (the HLS tool the project's folder names) and
// l1emu estimate models that tool, through the built executable.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "import_test_support.h"
#include "run_command.h"

namespace l1emu {
namespace {

using testing::copy_fixture;
using testing::write_text;

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

TEST(ImportHlsSynthesis, ImportRecordsTheToolAndEstimateUsesIt) {
  testing::ScratchDir dir("cli_hls_synthesis");
  const auto project = dir.path() / "project";
  std::filesystem::create_directories(project);
  copy_fixture("hls4ml/dense_relu_txt", project);
  write_text(project / "myproject_prj" / "hls.app", "<AutoPilot:project/>\n");
  write_text(project / "myproject_prj" / "solution1" / "syn" / "report" / "csynth.xml",
             "<profile><ReportVersion><Version>2024.2</Version></ReportVersion><UserAssignments><Part>xc7z020-clg400-1</Part>"
             "<TargetClockPeriod>5.00</TargetClockPeriod></UserAssignments></profile>\n");
  const auto out = dir.path() / "model.json";
  auto r = testing::run_l1emu("import hls4ml " + quoted(project) + " --output " + quoted(out));
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("hls_synthesis: vitis_hls 2024.2, part xc7z020-clg400-1, clock 5 ns"), std::string::npos) << r.stdout_text;
  const auto j = nlohmann::json::parse(testing::read_text(out));
  ASSERT_TRUE(j.contains("hls_synthesis")) << j.dump();
  EXPECT_EQ(j["hls_synthesis"]["tool"], "vitis_hls");
  EXPECT_EQ(j["hls_synthesis"]["version"], "2024.2");
  EXPECT_EQ(j["hls_synthesis"]["part"], "xc7z020-clg400-1");
  EXPECT_DOUBLE_EQ(j["hls_synthesis"]["clock_period_ns"].get<double>(), 5.0);
  r = testing::run_l1emu("estimate --model " + quoted(out) + " --device xc7z020clg400-1 --clock-uncertainty 27 --json");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto e = nlohmann::json::parse(r.stdout_text);
  EXPECT_EQ(e["hls_tool"], "vitis-2024.2");
  EXPECT_EQ(e["hls_tool_source"], "model.json");
  // --hls-tool replaces the model's.
  r = testing::run_l1emu("estimate --model " + quoted(out) + " --hls-tool vivado-2019.2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(nlohmann::json::parse(r.stdout_text)["hls_tool"], "vivado-2019.2");
}

}  // namespace
}  // namespace l1emu
