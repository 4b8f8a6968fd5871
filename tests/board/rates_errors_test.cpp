// Bad input to the rates analysis gives clear errors (issue 7 acceptance): an empty log, a log without
// scores, wrong dtypes, an unknown signal name, a target rate above the base rate; plus plots skipped
// with a warning when gnuplot is absent.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "decision_log_files.h"
#include "l1emu/board/decision_log_reader.h"
#include "l1emu/board/rates_analysis.h"
#include "l1emu/board/rates_report.h"
#include "l1emu/stream/error.h"
#include "rates_test_support.h"
#include "run_command.h"

namespace {

namespace board = l1emu::board;
namespace fs = std::filesystem;
using l1emu::stream::DataError;
using l1emu::testing::TempDir;
using l1emu::testing::TestDecisionLog;

std::string reader_error(const fs::path& p) {
  try {
    board::DecisionLogReader reader(p);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(RatesErrors, EmptyLogNamesFileAndDataset) {
  TempDir dir("rates_err");
  const fs::path p = dir.path() / "empty.h5";
  l1emu::testing::write_decision_log(p, TestDecisionLog{});
  const std::string e = reader_error(p);
  EXPECT_TRUE(contains(e, p.string())) << e;
  EXPECT_TRUE(contains(e, "/decisions/score_code")) << e;
  EXPECT_TRUE(contains(e, "empty log")) << e;
}

// A log whose score_code declares 2^40 entries with one chunk written: refused when opened (reading
// HDF5's fill values for the rest would take days), naming the dataset and the chunks it lacks.
TEST(RatesErrors, DeclaredEntriesBeyondTheWrittenDataAreRefused) {
  TempDir dir("rates_err");
  const fs::path p = dir.path() / "forged.h5";
  {
    const hid_t file = H5Fcreate(p.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t group = H5Gcreate2(file, "decisions", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t written = 1024, unlimited = H5S_UNLIMITED, declared = hsize_t{1} << 40;
    const hid_t space = H5Screate_simple(1, &written, &unlimited);
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, &written);
    const hid_t ds = H5Dcreate2(group, "score_code", H5T_STD_I64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    const std::vector<std::int64_t> codes(written, 7);
    ASSERT_GE(H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, codes.data()), 0);
    ASSERT_GE(H5Dset_extent(ds, &declared), 0);
    H5Dclose(ds);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Gclose(group);
    H5Fclose(file);
  }
  ASSERT_LT(fs::file_size(p), 100000U);
  const std::string e = reader_error(p);
  EXPECT_TRUE(contains(e, p.string() + ": /decisions/score_code")) << e;
  EXPECT_TRUE(contains(e, "(1099511627776)")) << e;
  EXPECT_TRUE(contains(e, "stores 1")) << e;
}

TEST(RatesErrors, LogWithoutScores) {
  TempDir dir("rates_err");
  TestDecisionLog log;
  log.score_code = {1, 2, 3};
  log.with_score_code = false;
  const fs::path p = dir.path() / "noscore.h5";
  l1emu::testing::write_decision_log(p, log);
  const std::string e = reader_error(p);
  EXPECT_TRUE(contains(e, p.string()) && contains(e, "score_code") && contains(e, "missing")) << e;
}

TEST(RatesErrors, WrongDtypes) {
  TempDir dir("rates_err");
  TestDecisionLog log;
  log.score_code = {1, 2, 3};
  log.score_code_as_float = true;
  const fs::path p = dir.path() / "float.h5";
  l1emu::testing::write_decision_log(p, log);
  const std::string e = reader_error(p);
  EXPECT_TRUE(contains(e, "score_code") && contains(e, "float of 8 bytes") && contains(e, "int64")) << e;
}

TEST(RatesErrors, NotALog) {
  TempDir dir("rates_err");
  const fs::path text = dir.path() / "notes.h5";
  std::ofstream(text) << "not hdf5\n";
  EXPECT_TRUE(contains(reader_error(text), "not an HDF5 file"));
  EXPECT_TRUE(contains(reader_error(dir.path() / "missing.h5"), "no such decision log"));
  // An event dataset where a log is expected: the error says to replay it first.
  const fs::path dataset = dir.path() / "events.h5";
  const hid_t f = H5Fcreate(dataset.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hsize_t n = 1;
  const hid_t s = H5Screate_simple(1, &n, nullptr);
  H5Dclose(H5Dcreate2(f, "Particles", H5T_IEEE_F32LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  H5Sclose(s);
  H5Fclose(f);
  EXPECT_TRUE(contains(reader_error(dataset), "replay it first")) << reader_error(dataset);
}

TEST(RatesErrors, LogsOfOneSampleMustShareBitNames) {
  TempDir dir("rates_err");
  TestDecisionLog a;
  a.score_code = {1, 2};
  a.bit_names = {"x"};
  a.bits = {0, 1};
  TestDecisionLog b = a;
  b.bit_names = {"y"};
  l1emu::testing::write_decision_log(dir.path() / "a.h5", a);
  l1emu::testing::write_decision_log(dir.path() / "b.h5", b);
  try {
    (void)board::load_sample("bg", {dir.path() / "a.h5", dir.path() / "b.h5"});
    FAIL() << "expected an error";
  } catch (const DataError& e) {
    EXPECT_TRUE(contains(e.what(), "b.h5") && contains(e.what(), "bit names")) << e.what();
  }
}

TEST(RatesErrors, LogsOfOneSampleMustShareTheFillingScheme) {
  TempDir dir("rates_err");
  TestDecisionLog a;
  a.score_code = {1, 2};
  a.colliding_bunches = 2340;
  TestDecisionLog b = a;
  b.colliding_bunches = 1200;
  l1emu::testing::write_decision_log(dir.path() / "a.h5", a);
  l1emu::testing::write_decision_log(dir.path() / "b.h5", b);
  EXPECT_THROW((void)board::load_sample("bg", {dir.path() / "a.h5", dir.path() / "b.h5"}), DataError);
  EXPECT_EQ(board::load_sample("bg", {dir.path() / "a.h5", dir.path() / "a.h5"}).scores.total(), 4U);
}

class RatesCommandErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    TestDecisionLog log;
    log.score_code = l1emu::testing::score_sample(11, 2000, 20.0, 0);
    log.colliding_bunches = 2340;
    log.bit_names = {"AXO_Loose", "AXO_Tight"};
    for (const auto c : log.score_code) {
      log.bits.push_back(c >= 20 ? 1 : 0);
      log.bits.push_back(c >= 60 ? 1 : 0);
    }
    l1emu::testing::write_decision_log(bg_, log);
    log.score_code = l1emu::testing::score_sample(12, 500, 40.0, 20);
    l1emu::testing::write_decision_log(sig_, log);
    l1emu::testing::write_decision_log(empty_, TestDecisionLog{});
  }
  TempDir dir_{"rates_cli_err"};
  fs::path bg_ = dir_.path() / "bg.h5";
  fs::path sig_ = dir_.path() / "sig.h5";
  fs::path empty_ = dir_.path() / "empty.h5";
};

TEST_F(RatesCommandErrors, EmptyLog) {
  const auto r = l1emu::testing::run_l1emu("rates --background " + empty_.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.stderr_text, "empty log") && contains(r.stderr_text, empty_.string())) << r.stderr_text;
  const auto s = l1emu::testing::run_l1emu("rates --background " + bg_.string() + " --signal x=" + empty_.string());
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_TRUE(contains(s.stderr_text, "empty log")) << s.stderr_text;
}

TEST_F(RatesCommandErrors, UnknownSignalName) {
  const auto r = l1emu::testing::run_l1emu("rates --background " + bg_.string() + " --signal ato4l=" + sig_.string() +
                                           " --efficiency-of lq_btau");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.stderr_text, "unknown signal name") && contains(r.stderr_text, "lq_btau") &&
              contains(r.stderr_text, "ato4l"))
      << r.stderr_text;
  for (const std::string& bad : std::vector<std::string>{"--signal " + sig_.string(), "--signal =" + sig_.string(), "--signal ato4l=",
                                "--signal 'a b=" + sig_.string() + "'"}) {
    const auto m = l1emu::testing::run_l1emu("rates --background " + bg_.string() + " " + bad);
    EXPECT_EQ(m.exit_code, 2) << bad;
    EXPECT_TRUE(contains(m.stderr_text, "--signal")) << m.stderr_text;
  }
}

TEST_F(RatesCommandErrors, TargetRateAboveTheBaseRate) {
  const auto r = l1emu::testing::run_l1emu("rates --background " + bg_.string() + " --target-rate 40MHz");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.stderr_text, "not below the base rate")) << r.stderr_text;
  const auto given = l1emu::testing::run_l1emu("rates --background " + bg_.string() + " --base-rate 2.5kHz --target-rate 3kHz");
  EXPECT_EQ(given.exit_code, 1);
  EXPECT_TRUE(contains(given.stderr_text, "not below the base rate")) << given.stderr_text;
  const auto unit = l1emu::testing::run_l1emu("rates --background " + bg_.string() + " --target-rate 1000");
  EXPECT_EQ(unit.exit_code, 2);
  EXPECT_TRUE(contains(unit.stderr_text, "missing unit")) << unit.stderr_text;
}

TEST_F(RatesCommandErrors, PlotsSkippedWithAWarningWithoutGnuplot) {
  const fs::path out = dir_.path() / "out";
  ::setenv("L1EMU_GNUPLOT", "", 1);
  const auto r = l1emu::testing::run_l1emu("rates --background " + bg_.string() + " --signal ato4l=" + sig_.string() +
                                           " --target-rate 1MHz --output " + out.string());
  ::unsetenv("L1EMU_GNUPLOT");
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_TRUE(contains(r.stderr_text, "warning: gnuplot not found")) << r.stderr_text;
  EXPECT_TRUE(fs::exists(out / "rates.json"));
  EXPECT_TRUE(fs::exists(out / "bits.csv"));
  EXPECT_TRUE(contains(l1emu::testing::read_file(out / "report.html"), "plots skipped"));
  EXPECT_FALSE(fs::exists(out / "plots" / "roc.png"));
}

TEST_F(RatesCommandErrors, PlotsWithGnuplot) {
  if (!board::find_gnuplot()) GTEST_SKIP() << "gnuplot not installed";
  const fs::path out = dir_.path() / "plotted";
  const auto r = l1emu::testing::run_l1emu("rates --background " + bg_.string() + " --signal ato4l=" + sig_.string() +
                                           " --target-rate 1MHz --target-rate 100kHz --output " + out.string());
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_FALSE(contains(r.stderr_text, "warning")) << r.stderr_text;
  for (const char* stem : {"rate_vs_threshold", "roc", "score_distributions"})
    for (const char* ext : {".png", ".svg"}) {
      const fs::path p = out / "plots" / (std::string(stem) + ext);
      EXPECT_TRUE(fs::exists(p) && fs::file_size(p) > 1000) << p;
    }
  const std::string report = l1emu::testing::read_file(out / "report.html");
  EXPECT_TRUE(contains(report, "data:image/png;base64,iVBORw0KGgo")) << "PNG signature, base64-encoded";
}

}  // namespace
