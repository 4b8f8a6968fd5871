// l1emu verify csim against a C-simulation log made from the golden outputs as C++ streams print
// them (6 significant digits).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "run_command.h"
#include "shared_data.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

TEST(VerifyCsim, GoldenVaePaperAgreesAndOneWrongValueIsFound) {
  L1EMU_REQUIRE_SHARED();
  const fs::path c = testing::golden_dir() / "hls4ml" / "vae_paper";
  const fs::path dir = fs::temp_directory_path() / ("l1emu_csim_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ifstream exact(c / "expected" / "outputs.txt");
  std::ofstream log(dir / "csim_results.log");
  std::ofstream bad(dir / "bad.log");
  std::string line;
  int n = 0;
  while (std::getline(exact, line)) {
    std::istringstream s(line);
    std::string out;
    int k = 0;
    for (double v = 0; s >> v; ++k) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g ", v);
      out += buf;
      if (n == 7 && k == 6) std::snprintf(buf, sizeof buf, "%g ", v + 0.01);
      bad << buf;
    }
    log << out << '\n';
    bad << '\n';
    ++n;
  }
  log.close();
  bad.close();
  auto r = testing::run_l1emu("verify csim --model " + (c / "model.json").string() + " --input " + (c / "inputs.txt").string() + " --csim " +
                              (dir / "csim_results.log").string());
  EXPECT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("1000 events, 7000 values, 0 mismatches"), std::string::npos) << r.stdout_text;
  r = testing::run_l1emu("verify csim --model " + (c / "model.json").string() + " --input " + (c / "inputs.txt").string() + " --csim " +
                         (dir / "bad.log").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stdout_text.find("1 mismatches in 1 events"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("bad.log:8: kl_loss[0]"), std::string::npos) << r.stdout_text;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace l1emu
