// `l1emu generate` from the command line: help, usage errors, a small file, determinism per seed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class GenerateCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("l1emu_generate_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result run(const std::string& args) const {
    const std::string command = std::string(L1EMU_BINARY) + " generate " + args + " > " + (dir_ / "out").string() +
                                " 2> " + (dir_ / "err").string();
    const int status = std::system(command.c_str());
    Result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read(dir_ / "out");
    r.err = read(dir_ / "err");
    return r;
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

TEST_F(GenerateCommand, HelpSaysItIsATestGenerator) {
  const Result r = run("--help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("test and demo generator, not a"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--process"), std::string::npos);
}

TEST_F(GenerateCommand, UsageErrorsExitWith2) {
  EXPECT_EQ(run("--process zprime --events 10 --output " + (dir_ / "x.h5").string()).exit_code, 2);
  EXPECT_EQ(run("--process background --output " + (dir_ / "x.h5").string()).exit_code, 2);
  EXPECT_EQ(run("--process background --events 10 --output x.h5 --dtype int8").exit_code, 2);
  const Result r = run("--bogus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(r.err.empty());
  EXPECT_FALSE(fs::exists(dir_ / "x.h5"));
}

TEST_F(GenerateCommand, WritesTheRequestedEventsDeterministically) {
  const auto a = dir_ / "a.h5", b = dir_ / "b.h5";
  const Result r = run("--process ato4l --events 500 --seed 3 --output " + a.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("500 events of ato4l"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("events/s"), std::string::npos) << r.out;
  ASSERT_EQ(run("--process ato4l --events 500 --seed 3 --output " + b.string()).exit_code, 0);
  EXPECT_EQ(read(a), read(b));
}

TEST_F(GenerateCommand, UnwritableOutputIsAnErrorNotACrash) {
  const Result r = run("--process background --events 5 --output " + (dir_ / "no" / "such" / "dir.h5").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("dir.h5"), std::string::npos) << r.err;
}

}  // namespace
