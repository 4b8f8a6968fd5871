// `l1emu bench`: one events_per_second line and the instruction set it ran on, under every set
// the machine has (--isa), with the same checksum (identical results); bad sets are usage errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "run_command.h"
#include "shared_data.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

std::string field(const std::string& text, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : std::string();
}

TEST(BenchCommand, ReportsThroughputAndTheSameChecksumUnderEveryInstructionSet) {
  const fs::path model = testing::source_dir() / "examples" / "demo_vae" / "model.json";
  const auto list = testing::run_l1emu("bench --isa list");
  ASSERT_EQ(list.exit_code, 0) << list.stderr_text;
  std::vector<std::string> sets;
  std::istringstream lines(list.stdout_text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) sets.push_back(line);
  }
  ASSERT_FALSE(sets.empty());
  std::string checksum;
  for (const auto& isa : sets) {
    const auto r = testing::run_l1emu("bench --model " + model.string() + " --events 20000 --threads 2 --isa " + isa);
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    EXPECT_FALSE(field(r.stdout_text, "events_per_second: ([0-9]+)").empty()) << r.stdout_text;
    EXPECT_EQ(field(r.stdout_text, "isa: ([A-Z0-9_]+)"), isa) << r.stdout_text;
    const std::string sum = field(r.stdout_text, "checksum (-?[0-9]+)");
    ASSERT_FALSE(sum.empty()) << r.stdout_text;
    if (checksum.empty()) checksum = sum;
    EXPECT_EQ(sum, checksum) << isa;
  }
  // The encoder's checksum sums every event's first output code over the same events (event e is
  // pool entry e mod 4096): the same for any thread count, and for the reference evaluator. 1000
  // events end in a partial batch; with 3 threads the batches split unevenly.
  std::string encoder_sum;
  for (const std::string& run : {std::string("--threads 1"), std::string("--threads 3"), std::string("--threads 2 --engine reference")}) {
    const auto r = testing::run_l1emu("bench --model " + model.string() + " --events 1000 " + run);
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    const std::string sum = field(r.stdout_text, "checksum (-?[0-9]+)");
    ASSERT_FALSE(sum.empty()) << r.stdout_text;
    if (encoder_sum.empty()) encoder_sum = sum;
    EXPECT_EQ(sum, encoder_sum) << run;
  }
  // --profile: one line per layer of the demo model (8 layers) and the total.
  const auto prof = testing::run_l1emu("bench --model " + model.string() + " --events 20000 --threads 1 --profile");
  ASSERT_EQ(prof.exit_code, 0) << prof.stderr_text;
  for (const char* layer : {"batch_normalization", "dense_1", "leaky_re_lu_1", "dense_2", "z_mean", "z_log_var", "kl_loss", "all layers"}) {
    EXPECT_NE(prof.stdout_text.find(layer), std::string::npos) << layer << "\n" << prof.stdout_text;
  }
  // --features: the replay's chain (feature builder -> codes -> model -> hash); every event's score
  // and hash in the checksum, the same for any thread count and instruction set.
  std::string chain_sum;
  for (const std::string& run : {std::string("--threads 1"), std::string("--threads 3"), "--threads 2 --isa " + sets.front()}) {
    const auto r = testing::run_l1emu("bench --model " + model.string() + " --events 5000 --features physical57 " + run);
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    EXPECT_FALSE(field(r.stdout_text, "events_per_second: ([0-9]+)").empty()) << r.stdout_text;
    EXPECT_NE(r.stdout_text.find("chain: features physical57"), std::string::npos) << r.stdout_text;
    const std::string sum = field(r.stdout_text, "checksum (-?[0-9]+)");
    if (chain_sum.empty()) chain_sum = sum;
    EXPECT_EQ(sum, chain_sum) << run;
  }
  const auto unknown = testing::run_l1emu("bench --model " + model.string() + " --events 100 --features physical56");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.stderr_text.find("physical57"), std::string::npos) << unknown.stderr_text;  // the known builders listed
  const auto bad = testing::run_l1emu("bench --model " + model.string() + " --isa NOT_AN_ISA");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.stderr_text.find("NOT_AN_ISA"), std::string::npos) << bad.stderr_text;
}

}  // namespace
}  // namespace l1emu
