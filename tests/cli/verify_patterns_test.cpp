// l1emu verify patterns: a capture compared with itself passes; one changed word is reported with
// its link and frame and the command fails.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

TEST(VerifyPatterns, FindsTheFirstDifferingFramePerLink) {
  const fs::path dir = fs::temp_directory_path() / ("l1emu_verify_patterns_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  ASSERT_EQ(testing::run_l1emu("generate --process background --events 100 --seed 3 --output " + (dir / "ev.h5").string()).exit_code, 0);
  const auto enc = testing::run_l1emu("patterns encode --input " + (dir / "ev.h5").string() +
                                      " --protocol ugt-mp7 --format emp-v2 --output " + (dir / "a").string());
  ASSERT_EQ(enc.exit_code, 0) << enc.stderr_text;
  const fs::path file = dir / "a" / "patterns_0000.txt";
  const auto same = testing::run_l1emu("verify patterns --expected " + file.string() + " --actual " + file.string());
  EXPECT_EQ(same.exit_code, 0) << same.stdout_text << same.stderr_text;
  EXPECT_NE(same.stdout_text.find("links differing: 0"), std::string::npos) << same.stdout_text;

  // Change the last hex digit of the data word of link 003 in frame 0012.
  std::string text = testing::read_file(file);
  const auto line = text.find("Frame 0012");
  ASSERT_NE(line, std::string::npos);
  std::size_t at = line;
  for (int column = 0; column <= 3; ++column) at = text.find(' ', text.find_first_not_of(' ', text.find("  ", at) + 2) + 5);
  const std::size_t last_hex = at - 1;
  text[last_hex] = text[last_hex] == 'f' ? 'e' : 'f';
  std::ofstream(dir / "b.txt") << text;
  const auto diff = testing::run_l1emu("verify patterns --expected " + file.string() + " --actual " + (dir / "b.txt").string());
  EXPECT_EQ(diff.exit_code, 1);
  EXPECT_NE(diff.stdout_text.find("links differing: 1"), std::string::npos) << diff.stdout_text;
  EXPECT_NE(diff.stdout_text.find("link   3 frame     12: data"), std::string::npos) << diff.stdout_text;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace l1emu
