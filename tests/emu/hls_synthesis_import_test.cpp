// Which HLS tool synthesized an hls4ml project, read from its folder (model.json "hls_synthesis",
// written by l1emu import): the latency estimate models Vivado HLS and Vitis HLS differently (README
// "l1emu estimate"). Fixture projects of our own with the files the HLS tools write.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls_synthesis.h"
#include "l1emu/emu/io/model_json.h"

namespace l1emu::emu {
namespace {

namespace fs = std::filesystem;
using testing::copy_fixture;
using testing::write_text;

// A csynth.xml of our own with the elements the reader takes, as Vivado HLS and Vitis HLS write them in
// <ProjectName>_prj/<solution>/syn/report/.
std::string csynth_xml(const std::string& version, const std::string& part, const std::string& period) {
  return "<profile>\n  <ReportVersion>\n    <Version>" + version + "</Version>\n  </ReportVersion>\n  <UserAssignments>\n    <Part>" + part +
         "</Part>\n    <TargetClockPeriod>" + period + "</TargetClockPeriod>\n  </UserAssignments>\n</profile>\n";
}

// hls.app names Vitis HLS, csynth.xml the version, part and clock; the record goes into model.json and
// reads back the same.
TEST(HlsSynthesisImport, ReadsTheToolFromTheHlsProjectAndItsReport) {
  testing::ScratchDir dir("hls_synthesis");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  write_text(dir.path() / "myproject_prj" / "hls.app", "<AutoPilot:project/>\n");
  write_text(dir.path() / "myproject_prj" / "solution1" / "syn" / "report" / "csynth.xml", csynth_xml("2024.2", "xc7z020-clg400-1", "5.00"));
  const auto h = read_hls_synthesis_of_project(dir.path());
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->tool, "vitis_hls");
  EXPECT_EQ(h->version, "2024.2");
  EXPECT_EQ(h->part, "xc7z020-clg400-1");
  EXPECT_DOUBLE_EQ(h->clock_period_ns, 5.0);
  EXPECT_NE(h->source.find("hls.app"), std::string::npos) << h->source;
  EXPECT_NE(h->source.find("csynth.xml"), std::string::npos) << h->source;
  const fs::path model = dir.path() / "model.json";
  write_text(model, R"({"inputs": [{"name": "x", "size": 1, "type": "ap_fixed<8,3>"}],
    "layers": [{"name": "r", "class": "ReLU", "input": "x", "result_t": "ap_fixed<8,3>"}], "outputs": ["r"], "hls_synthesis": )" +
                        hls_synthesis_json(*h) + "}");
  EXPECT_NO_THROW((void)load_model_json(model));
  const auto again = read_hls_synthesis_of_model_json(model);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->tool, h->tool);
  EXPECT_EQ(again->version, h->version);
  EXPECT_EQ(again->part, h->part);
  EXPECT_DOUBLE_EQ(again->clock_period_ns, h->clock_period_ns);
  EXPECT_EQ(again->source, h->source);
}

// Without an HLS project folder, hls4ml_config.yml's Backend names the tool (Vivado runs Vivado HLS)
// but no version, and its Part and ClockPeriod are taken; vivado_hls.app names Vivado HLS.
TEST(HlsSynthesisImport, VivadoProjectAndTheConfigBackend) {
  testing::ScratchDir dir("hls_synthesis");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  auto h = read_hls_synthesis_of_project(dir.path());
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->tool, "vivado_hls");
  EXPECT_EQ(h->version, "");
  EXPECT_EQ(h->part, "xcvu9p-flgb2104-2-e");
  EXPECT_DOUBLE_EQ(h->clock_period_ns, 5.0);
  write_text(dir.path() / "myproject_prj" / "vivado_hls.app", "<AutoPilot:project/>\n");
  write_text(dir.path() / "myproject_prj" / "solution1" / "syn" / "report" / "csynth.xml", csynth_xml("2019.2", "xcu250-figd2104-2L-e", "4.00"));
  h = read_hls_synthesis_of_project(dir.path());
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->tool, "vivado_hls");
  EXPECT_EQ(h->version, "2019.2");
  EXPECT_EQ(h->part, "xcu250-figd2104-2L-e");
  EXPECT_DOUBLE_EQ(h->clock_period_ns, 4.0);
}

// A project that states nothing has no record; a model.json without the key neither.
TEST(HlsSynthesisImport, NothingStatedNothingRecorded) {
  testing::ScratchDir dir("hls_synthesis");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  write_text(dir.path() / "hls4ml_config.yml", "IOType: io_parallel\nProjectName: myproject\n");
  EXPECT_FALSE(read_hls_synthesis_of_project(dir.path()).has_value());
  EXPECT_FALSE(read_hls_synthesis_of_model_json(testing::fixture_dir("hls4ml/dense_relu_txt/expected_model.json")).has_value());
}

// model.json's record is checked: an unknown tool or key is an error naming the key.
TEST(HlsSynthesisImport, ModelJsonRefusesAnUnknownTool) {
  const std::string head = R"({"inputs": [{"name": "x", "size": 1, "type": "ap_fixed<8,3>"}],
    "layers": [{"name": "r", "class": "ReLU", "input": "x", "result_t": "ap_fixed<8,3>"}], "outputs": ["r"], "hls_synthesis": )";
  EXPECT_NO_THROW((void)parse_model_json(head + R"({"tool": "vitis_hls", "version": "2024.2"}})", "m.json"));
  try {
    (void)parse_model_json(head + R"({"tool": "quartus"}})", "m.json");
    FAIL() << "an unknown tool was accepted";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("hls_synthesis"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("quartus"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)parse_model_json(head + R"({"tool": "vitis_hls", "colour": 1}})", "m.json"), ModelError);
  EXPECT_THROW((void)parse_model_json(head + R"({"tool": "vitis_hls", "clock_period_ns": -5}})", "m.json"), ModelError);
}

}  // namespace
}  // namespace l1emu::emu
