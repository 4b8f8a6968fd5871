// `l1emu rates` from the command line: help states the definitions; usage errors exit with 2.
// (Runs on real logs are in tests/board/rates_*_test.cpp, which write logs with HDF5.)
#include <gtest/gtest.h>

#include "run_command.h"

namespace {

using l1emu::testing::run_l1emu;

TEST(RatesCommand, HelpStatesTheDefinitions) {
  const auto r = run_l1emu("rates --help");
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  for (const char* part : {"score code >= T", "base rate x (passing events / events)", "smallest integer score code T",
                           "zero-bias", "Clopper-Pearson", "68.27", "P(s > b) + 0.5 P(s = b)", "TPR at FPR = 1e-5",
                           "--efficiency-of"})
    EXPECT_NE(r.stdout_text.find(part), std::string::npos) << part;
}

TEST(RatesCommand, UsageErrors) {
  EXPECT_EQ(run_l1emu("rates").exit_code, 2);
  EXPECT_EQ(run_l1emu("rates --background x.h5 --base-rate 40").exit_code, 2);
  EXPECT_EQ(run_l1emu("rates --background x.h5 --target-rate fast").exit_code, 2);
  EXPECT_EQ(run_l1emu("rates --background x.h5 --threshold 1.5").exit_code, 2);
  const auto r = run_l1emu("rates --background /no/such/decisions.h5");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("/no/such/decisions.h5"), std::string::npos) << r.stderr_text;
}

}  // namespace
