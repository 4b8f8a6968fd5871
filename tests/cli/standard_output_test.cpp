// Standard output is checked like any output file: a command whose printed result could not be
// written (a full disk behind `>`, here /dev/full) exits 1 with a message instead of 0.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "run_command.h"
#include "shared_data.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string stderr_text;
};

// Runs l1emu with standard output on /dev/full.
Outcome run_onto_a_full_stdout(const std::string& arguments, const fs::path& err) {
  const std::string command = std::string(L1EMU_BINARY) + " " + arguments + " >/dev/full 2>" + err.string();
  const int status = std::system(command.c_str());
  Outcome o;
  if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  o.stderr_text = testing::read_file(err);
  return o;
}

class StandardOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
    dir_ = fs::temp_directory_path() / ("l1emu_stdout_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(StandardOutput, PredictResultsOntoAFullDiskAreAnError) {
  const fs::path model = testing::source_dir() / "examples" / "demo_vae" / "model.json";
  const fs::path input = testing::source_dir() / "examples" / "demo_vae" / "inputs.txt";
  const Outcome o = run_onto_a_full_stdout("predict --threads 1 --model " + model.string() + " --input " + input.string(), dir_ / "err");
  EXPECT_EQ(o.exit_code, 1) << o.stderr_text;
  EXPECT_NE(o.stderr_text.find("l1emu predict: writing to standard output failed"), std::string::npos) << o.stderr_text;
}

TEST_F(StandardOutput, ASummaryOntoAFullDiskIsAnError) {
  const Outcome o = run_onto_a_full_stdout("generate --process background --events 10 --output " + (dir_ / "bg.h5").string(), dir_ / "err");
  EXPECT_EQ(o.exit_code, 1) << o.stderr_text;
  EXPECT_NE(o.stderr_text.find("l1emu generate: writing to standard output failed"), std::string::npos) << o.stderr_text;
}

}  // namespace
}  // namespace l1emu
