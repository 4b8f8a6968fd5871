// Conformance of `l1emu predict` with every golden case: --format raw reproduces
// expected/outputs_raw.txt, --format decimal reproduces expected/outputs.txt, and --trace
// reproduces every expected/trace/<layer>.txt (values compared token by token, whitespace aside).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "golden_case.h"
#include "run_command.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;
using testing::golden_dir;
using testing::read_token_lines;

std::size_t count_mismatched_lines(const fs::path& got, const fs::path& want) {
  const auto a = read_token_lines(got);
  const auto b = read_token_lines(want);
  std::size_t bad = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) bad += a[i] != b[i] ? 1 : 0;
  return bad;
}

class GoldenPredictCli : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenPredictCli, RawDecimalAndTraceFilesMatch) {
  L1EMU_REQUIRE_SHARED();
  const fs::path dir = golden_dir() / GetParam();
  const fs::path work = fs::temp_directory_path() / ("l1emu_golden_" + testing::case_test_name(GetParam()));
  fs::remove_all(work);
  fs::create_directories(work);
  const std::string common = "--model " + (dir / "model.json").string() + " --input " + (dir / "inputs.txt").string();

  auto raw = testing::run_l1emu("predict " + common + " --format raw --output " + (work / "raw.txt").string() +
                                " --trace " + (work / "trace").string());
  ASSERT_EQ(raw.exit_code, 0) << raw.stderr_text;
  std::size_t mismatches = count_mismatched_lines(work / "raw.txt", dir / "expected" / "outputs_raw.txt");
  std::size_t trace_files = 0;
  for (const auto& f : fs::directory_iterator(dir / "expected" / "trace")) {
    ASSERT_TRUE(fs::exists(work / "trace" / f.path().filename())) << "no trace written for " << f.path().filename();
    const std::size_t bad = count_mismatched_lines(work / "trace" / f.path().filename(), f.path());
    EXPECT_EQ(bad, 0U) << "trace " << f.path().filename();
    mismatches += bad;
    ++trace_files;
  }
  auto decimal = testing::run_l1emu("predict " + common + " --format decimal --threads 1 --output " + (work / "dec.txt").string());
  ASSERT_EQ(decimal.exit_code, 0) << decimal.stderr_text;
  const std::size_t decimal_bad = count_mismatched_lines(work / "dec.txt", dir / "expected" / "outputs.txt");
  EXPECT_EQ(decimal_bad, 0U);
  std::printf("%s (predict): %zu events, %zu mismatches in raw outputs and %zu trace files, %zu in decimals\n",
              GetParam().c_str(), read_token_lines(dir / "inputs.txt").size(), mismatches, trace_files, decimal_bad);
  EXPECT_EQ(mismatches, 0U);
  fs::remove_all(work);
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenPredictCli, ::testing::ValuesIn(testing::golden_case_names()),
                         [](const auto& param_info) { return testing::case_test_name(param_info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenPredictCli);

}  // namespace
}  // namespace l1emu
