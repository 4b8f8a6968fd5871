// `l1emu patterns encode|decode` from the command line: help, usage errors, a round trip through
// pattern files that re-encodes byte for byte, fault counters in the summary, bad files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "run_command.h"
#include "shared_data.h"

namespace {

namespace fs = std::filesystem;
using l1emu::testing::read_file;
using l1emu::testing::run_l1emu;

class PatternsCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("l1emu_patterns_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).string(); }
  [[nodiscard]] std::vector<fs::path> files(const std::string& sub) const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_ / sub)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
  }
  [[nodiscard]] std::string joined(const std::string& sub) const {
    std::string s;
    for (const auto& f : files(sub)) s += " " + f.string();
    return s;
  }
  fs::path dir_;
};

TEST_F(PatternsCommand, HelpNamesActionsProtocolsAndFormats) {
  const auto r = run_l1emu("patterns --help");
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("l1emu patterns encode"), std::string::npos);
  EXPECT_NE(r.stdout_text.find("l1emu patterns decode"), std::string::npos);
  const auto e = run_l1emu("patterns encode --help");
  EXPECT_EQ(e.exit_code, 0);
  EXPECT_NE(e.stdout_text.find("--frames-per-file"), std::string::npos);
  EXPECT_NE(e.stdout_text.find("--bit-flip-rate"), std::string::npos);
  const auto d = run_l1emu("patterns decode --help");
  EXPECT_EQ(d.exit_code, 0);
  EXPECT_NE(d.stdout_text.find("--first-orbit"), std::string::npos);
}

TEST_F(PatternsCommand, UsageErrorsExitWith2) {
  EXPECT_EQ(run_l1emu("patterns").exit_code, 2);
  EXPECT_EQ(run_l1emu("patterns transcode").exit_code, 2);
  EXPECT_EQ(run_l1emu("patterns encode --input x.h5 --format apx --output " + path("o")).exit_code, 2);  // no protocol
  EXPECT_EQ(run_l1emu("patterns encode --input x.h5 --protocol gct --format apx --output " + path("o")).exit_code, 2);
  EXPECT_EQ(run_l1emu("patterns encode --input x.h5 --protocol emp64 --format emp-v3 --output " + path("o")).exit_code, 2);
  EXPECT_EQ(run_l1emu("patterns encode --input x.h5 --protocol emp64 --gap 99 --format apx --output " + path("o")).exit_code, 2);
  EXPECT_EQ(run_l1emu("patterns encode --input x.h5 --protocol emp64 --format apx --bit-flip-rate 2 --output " + path("o")).exit_code, 2);
  EXPECT_EQ(run_l1emu("patterns decode --protocol emp64 --output " + path("x.h5")).exit_code, 2);  // no files
  EXPECT_EQ(run_l1emu("patterns encode --input x.h5 --protocol emp64 --format apx --eta-policy drop --output " + path("o")).exit_code, 2);
  const auto r = run_l1emu("patterns encode --bogus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("l1emu patterns"), std::string::npos) << r.stderr_text;
  EXPECT_FALSE(fs::exists(path("o")));
}

TEST_F(PatternsCommand, EncodeDecodeEncodeReproducesThePatternFiles) {
  ASSERT_EQ(run_l1emu("generate --process background --events 3000 --seed 4 --output " + path("bg.h5")).exit_code, 0);
  for (const std::string protocol : {"ugt-mp7", "emp64 --crc"}) {
    for (const std::string format : {"emp-v1", "emp-v2", "apx"}) {
      SCOPED_TRACE(protocol + " " + format);
      fs::remove_all(dir_ / "a");
      fs::remove_all(dir_ / "b");
      const auto enc = run_l1emu("patterns encode --input " + path("bg.h5") + " --protocol " + protocol + " --format " +
                                 format + " --frames-per-file 8192 --output " + path("a"));
      ASSERT_EQ(enc.exit_code, 0) << enc.stderr_text;
      EXPECT_NE(enc.stdout_text.find("3000 events"), std::string::npos) << enc.stdout_text;
      const auto dec = run_l1emu("patterns decode --protocol " + protocol + " --output " + path("back.h5") + joined("a"));
      ASSERT_EQ(dec.exit_code, 0) << dec.stderr_text;
      EXPECT_NE(dec.stdout_text.find("3000 events decoded of 3000 event slots, 0 dropped"), std::string::npos)
          << dec.stdout_text;
      EXPECT_NE(dec.stdout_text.find("link errors: none"), std::string::npos) << dec.stdout_text;
      const auto again = run_l1emu("patterns encode --input " + path("back.h5") + " --protocol " + protocol + " --format " +
                                   format + " --frames-per-file 8192 --output " + path("b"));
      ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
      const auto a = files("a"), b = files("b");
      ASSERT_EQ(a.size(), b.size());
      ASSERT_GT(a.size(), 1u);
      for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(read_file(a[i]) == read_file(b[i])) << a[i];
    }
  }
}

// A full disk is an error naming the output (one line), and the process ends by exiting, not by a
// signal in the HDF5 library's exit clean-up after the failed close.
TEST_F(PatternsCommand, DecodeOntoAFullDiskFailsCleanly) {
  ASSERT_EQ(run_l1emu("generate --process background --events 2000 --seed 4 --output " + path("bg.h5")).exit_code, 0);
  ASSERT_EQ(run_l1emu("patterns encode --input " + path("bg.h5") + " --protocol ugt-mp7 --format emp-v2 --output " + path("a")).exit_code, 0);
  const auto dec = l1emu::testing::run_l1emu_on_a_full_disk("patterns decode --protocol ugt-mp7 --output " + path("back.h5") + joined("a"), 32);
  EXPECT_FALSE(dec.crashed) << dec.exit_code << " " << dec.stderr_text;
  EXPECT_EQ(dec.exit_code, 1) << dec.stderr_text;
  EXPECT_NE(dec.stderr_text.find(path("back.h5")), std::string::npos) << dec.stderr_text;
  EXPECT_EQ(std::count(dec.stderr_text.begin(), dec.stderr_text.end(), '\n'), 1) << dec.stderr_text;
  EXPECT_FALSE(fs::exists(path("back.h5")));
  EXPECT_FALSE(fs::exists(path("back.h5.tmp")));
}

TEST_F(PatternsCommand, InjectedFaultsAreCountedByTheDecoder) {
  ASSERT_EQ(run_l1emu("generate --process background --events 2000 --seed 5 --output " + path("bg.h5")).exit_code, 0);
  const auto enc = run_l1emu("patterns encode --input " + path("bg.h5") +
                             " --protocol emp64 --crc --format emp-v2 --missing-eop-rate 0.01 --fault-seed 9 --output " +
                             path("a"));
  ASSERT_EQ(enc.exit_code, 0) << enc.stderr_text;
  const auto pos = enc.stdout_text.find("missing_end_of_packet ");
  ASSERT_NE(pos, std::string::npos) << enc.stdout_text;
  const std::string injected = enc.stdout_text.substr(pos, enc.stdout_text.find_first_of(",\n", pos) - pos);
  const auto dec = run_l1emu("patterns decode --protocol emp64 --crc --output " + path("back.h5") + joined("a"));
  ASSERT_EQ(dec.exit_code, 0) << dec.stderr_text;
  EXPECT_NE(dec.stdout_text.find("link errors: " + injected + "\n"), std::string::npos) << injected << "\n"
                                                                                        << dec.stdout_text;
}

TEST_F(PatternsCommand, EncodesAUgtTestVector) {
  L1EMU_REQUIRE_SHARED();
  const fs::path dir = l1emu::testing::golden_dir() / "axol1tl" / "v3" / "testvectors";
  ASSERT_TRUE(fs::is_directory(dir));
  fs::path tv;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".txt") tv = e.path();
  ASSERT_FALSE(tv.empty());
  const auto r = run_l1emu("patterns encode --input " + tv.string() +
                           " --protocol ugt-mp7 --format emp-v1 --frames-per-file 0 --output " + path("tv"));
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("3564 events from uGT test vector"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("11 links x 21384 frames"), std::string::npos) << r.stdout_text;
  const auto d = run_l1emu("patterns decode --protocol ugt-mp7 --output " + path("tv.h5") + joined("tv"));
  ASSERT_EQ(d.exit_code, 0) << d.stderr_text;
  EXPECT_NE(d.stdout_text.find("3564 events decoded"), std::string::npos) << d.stdout_text;
}

TEST_F(PatternsCommand, BadFilesAreErrorsNamingFileAndLine) {
  std::ofstream(path("bad.txt")) << "ID: x\nMetadata: (strobe,) start of orbit, start of packet, end of packet, valid\n"
                                    "      Link           000\nFrame 0000    1101 000000000000000\n";
  const auto r = run_l1emu("patterns decode --protocol ugt-mp7 --output " + path("x.h5") + " " + path("bad.txt"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(r.crashed);
  EXPECT_NE(r.stderr_text.find("bad.txt:4"), std::string::npos) << r.stderr_text;
  std::ofstream(path("notes.txt")) << "hello\n";
  const auto n = run_l1emu("patterns decode --protocol ugt-mp7 --output " + path("x.h5") + " " + path("notes.txt"));
  EXPECT_EQ(n.exit_code, 1);
  EXPECT_NE(n.stderr_text.find("notes.txt:1"), std::string::npos) << n.stderr_text;
  ASSERT_EQ(run_l1emu("generate --process background --events 50 --output " + path("bg.h5")).exit_code, 0);
  const std::string encode = "patterns encode --input " + path("bg.h5") + " --protocol emp64 --format apx --output " + path("p");
  ASSERT_EQ(run_l1emu(encode).exit_code, 0);
  const auto twice = run_l1emu(encode);
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.stderr_text.find("already holds pattern file patterns_0000.txt"), std::string::npos) << twice.stderr_text;
  EXPECT_EQ(run_l1emu(encode + " --overwrite").exit_code, 0);
  const auto m = run_l1emu("patterns encode --input " + path("missing.h5") +
                           " --protocol ugt-mp7 --format apx --output " + path("o"));
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_NE(m.stderr_text.find("missing.h5"), std::string::npos) << m.stderr_text;
  EXPECT_FALSE(fs::exists(path("x.h5")));
}

}  // namespace
