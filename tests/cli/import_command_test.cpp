// l1emu import, and predict --model DIR on an imported project, through the built executable.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

#include "import_test_support.h"
#include "l1emu/emu/io/model_json.h"

namespace l1emu::testing {
namespace {

struct RunResult {
  int status = -1;
  std::string output;  // standard output and error
};

RunResult run(const std::string& arguments) {
  RunResult result;
  const std::string command = std::string(L1EMU_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int raw = pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

TEST(ImportCommandTest, ImportsAnHls4mlProjectAndPrintsASummary) {
  ScratchDir dir("cli_import");
  const auto out = dir.path() / "model.json";
  const RunResult r = run("import hls4ml " + quoted(fixture_dir("hls4ml/dense_relu_txt")) + " --output " + quoted(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("model myproject (flavour head), 4 layers"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("weights 18, of which 2 zero"), std::string::npos) << r.output;
  expect_same_model(emu::load_model_json(out), emu::load_model_json(fixture_dir("hls4ml/dense_relu_txt/expected_model.json")), 50);
}

TEST(ImportCommandTest, ImportsAnAxol1tlPackageWithFlavourOption) {
  ScratchDir dir("cli_axol1tl");
  const auto out = dir.path() / "model.json";
  const RunResult r = run("import axol1tl " + quoted(fixture_dir("axol1tl/mini")) + " -o " + quoted(out) + " --flavour head");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("layer  score SumSquares"), std::string::npos) << r.output;
  expect_same_model(emu::load_model_json(out), emu::load_model_json(fixture_dir("axol1tl/mini/expected_model.json")), 50);
}

TEST(ImportCommandTest, PredictAcceptsAProjectDirectory) {
  ScratchDir dir("cli_predict");
  copy_fixture("hls4ml/bn_lrelu_paper_headers", dir.path() / "project");
  std::filesystem::remove(dir.path() / "project/expected_model.json");
  write_text(dir.path() / "events.txt", "1.5 -2.25 0.3 7 -0.001\n0 0 0 0 0\n-31.9 31.9 1e-3 -4.4 2\n");
  const RunResult from_dir = run("predict --model " + quoted(dir.path() / "project") + " --input " + quoted(dir.path() / "events.txt") + " --threads 1");
  const RunResult from_json = run("predict --model " + quoted(fixture_dir("hls4ml/bn_lrelu_paper_headers/expected_model.json")) + " --input " +
                                  quoted(dir.path() / "events.txt") + " --threads 1");
  ASSERT_EQ(from_dir.status, 0) << from_dir.output;
  ASSERT_EQ(from_json.status, 0) << from_json.output;
  const auto lines = [](const std::string& s) { return s.substr(0, s.find("predict:")); };
  EXPECT_EQ(lines(from_dir.output), lines(from_json.output));
  EXPECT_EQ(std::count(from_dir.output.begin(), from_dir.output.end(), '\n'), 4) << from_dir.output;
}

TEST(ImportCommandTest, BadCommandLinesAreUsageErrors) {
  EXPECT_EQ(run("import").status, 2);
  EXPECT_EQ(run("import tflite " + quoted(fixture_dir("hls4ml/dense_relu_txt")) + " -o /dev/null").status, 2);
  EXPECT_EQ(run("import hls4ml " + quoted(fixture_dir("hls4ml/dense_relu_txt"))).status, 2);  // no --output
  EXPECT_EQ(run("import hls4ml " + quoted(fixture_dir("hls4ml/dense_relu_txt")) + " -o x.json --flavour 2021").status, 2);
  EXPECT_EQ(run("import hls4ml a b -o x.json").status, 2);
}

TEST(ImportCommandTest, BrokenProjectFailsWithFileAndLine) {
  ScratchDir dir("cli_broken");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  std::filesystem::remove(dir.path() / "firmware/weights/b2.txt");
  const RunResult r = run("import hls4ml " + quoted(dir.path()) + " -o " + quoted(dir.path() / "out.json"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("myproject.cpp:37: missing weights for 'b2'"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out.json"));
}

}  // namespace
}  // namespace l1emu::testing
