// l1emu verify rtl on the project's own small Verilog designs (tests/fixtures/rtl/README.md): each
// HLS interface kind computes tiny_dense in RTL written independently of l1emu, so agreement on
// every output code is evidence; the latencies and IIs follow from the designs. Tests that
// simulate skip when verilator is not on PATH.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(L1EMU_SOURCE_DIR) / "tests" / "fixtures" / "rtl";

bool have_verilator() { return std::system("command -v verilator >/dev/null 2>&1") == 0; }

#define REQUIRE_VERILATOR() \
  if (!have_verilator()) GTEST_SKIP() << "verilator is not on PATH (apt-get install verilator): RTL simulation not tested"

class VerifyRtl : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');  // parameterised tests: Name/param
    dir_ = fs::temp_directory_path() / ("l1emu_rtl_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // Events with rounding ties of ap_fixed<8,4> (multiples of 1/32), values out of its range
    // [-8, 8) (they wrap) and negative ones.
    std::ofstream in(dir_ / "events.txt");
    for (int k = 0; k < 300; ++k) {
      const double x0 = k % 5 != 0 ? (k % 37) * 0.53125 - 9.7 : (k % 11) * 0.03125 - 0.15625;
      const double x1 = k % 3 != 0 ? ((k * 7) % 29) * -0.40625 + 6.03125 : -((k % 13) * 0.09375);
      in << x0 << ' ' << x1 << '\n';
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  // An RTL folder: the top `design`.v as myproject.v, the core and its ROM (or `rom` as the ROM).
  fs::path rtl(const std::string& design, const std::string& rom = "", const fs::path& where = {}) {
    const fs::path d = where.empty() ? dir_ / design : where;
    fs::create_directories(d);
    fs::copy_file(kFixtures / "verilog" / (design + ".v"), d / "myproject.v");
    fs::copy_file(kFixtures / "verilog" / "tiny_dense_core.v", d / "tiny_dense_core.v");
    if (rom.empty()) {
      fs::copy_file(kFixtures / "verilog" / "tiny_dense_rom.dat", d / "tiny_dense_rom.dat");
    } else {
      std::ofstream(d / "tiny_dense_rom.dat") << rom;
    }
    return d;
  }

  testing::CommandResult verify(const fs::path& rtl_dir, const std::string& extra = "") {
    // Builds are cached beside the executable, so a second test run does not verilate again.
    const fs::path cache = fs::path(L1EMU_BINARY).parent_path() / "rtl-test-cache";
    return testing::run_l1emu("verify rtl --model " + (kFixtures / "tiny_dense").string() + " --rtl " + rtl_dir.string() + " --input " +
                              (dir_ / "events.txt").string() + " --build-dir " + cache.string() + " " + extra);
  }

  static bool has(const testing::CommandResult& r, const std::string& text) { return r.stdout_text.find(text) != std::string::npos; }

  // Edits a fixture copy: `from` (which must be there) becomes `to`.
  static void replace_in(const fs::path& file, const std::string& from, const std::string& to) {
    std::string text = testing::read_file(file);
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(file) << text;
  }

  fs::path dir_;
};

TEST_F(VerifyRtl, VivadoApVldPipelineAgreesWithLatency2AndII1InEveryMode) {
  REQUIRE_VERILATOR();
  const fs::path d = rtl("vivado_ap_vld");
  auto r = verify(d);
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_TRUE(has(r, "verify rtl: 300 events, 0 mismatches\n")) << r.stdout_text;
  EXPECT_TRUE(has(r, "rtl latency: 2 cycles, II: mean 1.00 (min 1, max 1); l1emu estimate:")) << r.stdout_text;
  EXPECT_TRUE(has(r, "fc1_input_V [16] ap_vld: 2 value(s) x 8 bits")) << r.stdout_text;
  r = verify(d, "--mode single");
  EXPECT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_TRUE(has(r, "rtl latency: 2 cycles, II: not measured in this mode")) << r.stdout_text;
  r = verify(d, "--mode gaps --json");
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  const auto j = nlohmann::json::parse(r.stdout_text);
  EXPECT_EQ(j["events"], 300);
  EXPECT_EQ(j["mismatches"], 0);
  EXPECT_EQ(j["latency_cycles"]["min"], 2);
  EXPECT_EQ(j["latency_cycles"]["max"], 2);
  EXPECT_EQ(j["ii_cycles"]["min"], 1);  // events offered back to back between the gaps
  EXPECT_LT(j["ii_cycles"]["samples"].get<int>(), 299);  // the gapped ones are not II samples
  EXPECT_GT(j["rtl_events_per_second"].get<double>(), 0.0);
}

// One design per interface kind: its port as verify rtl describes it and the cycles the design has.
struct InterfaceCase {
  const char* design;
  const char* mode;
  const char* port;
  const char* timing;
};

class VerifyRtlInterfaces : public VerifyRtl, public ::testing::WithParamInterface<InterfaceCase> {};

TEST_P(VerifyRtlInterfaces, AgreesWithTheDesignsCycles) {
  REQUIRE_VERILATOR();
  const InterfaceCase& c = GetParam();
  const auto r = verify(rtl(c.design), std::string("--mode ") + c.mode);
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_TRUE(has(r, "verify rtl: 300 events, 0 mismatches\n")) << r.stdout_text;
  EXPECT_TRUE(has(r, c.port)) << r.stdout_text;
  EXPECT_TRUE(has(r, c.timing)) << r.stdout_text;
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, VerifyRtlInterfaces,
    ::testing::Values(
        // Vitis ap_return, sequential: done 3 cycles after start, ready with done.
        InterfaceCase{"vitis_ap_return", "stream", "ap_return_1 [16] ap_none", "rtl latency: 3 cycles, II: mean 4.00 (min 4, max 4)"},
        // AXI-Stream, two input beats per event, no block handshake.
        InterfaceCase{"axi_stream", "stream", "fc1_input_TDATA [8] AXI-Stream: 1 value(s) x 8 bits, 2 beats per event",
                      "rtl latency: 2 cycles, II: mean 2.00 (min 2, max 2)"},
        // ap_fifo in, one FIFO per output value out: start, read, write.
        InterfaceCase{"ap_fifo", "gaps", "layer2_out_V_data_1_V_din [16] ap_fifo", "rtl latency: 2 cycles, II: mean 3.00 (min 3, max 3)"}),
    [](const ::testing::TestParamInfo<InterfaceCase>& param) { return std::string(param.param.design); });

TEST_F(VerifyRtl, FreeRunningDesignAgreesOnlyAtItsLatency) {
  REQUIRE_VERILATOR();
  const fs::path d = rtl("free_running");
  auto r = verify(d, "--latency 2 --mode gaps");
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_TRUE(has(r, "verify rtl: 300 events, 0 mismatches\n")) << r.stdout_text;
  EXPECT_TRUE(has(r, "no handshake (free-running)")) << r.stdout_text;
  r = verify(d, "--latency 2 --ii 1 --mode gaps --json");
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  const auto j = nlohmann::json::parse(r.stdout_text);
  EXPECT_EQ(j["given"]["latency_cycles"], 2);
  EXPECT_EQ(j["ii_cycles"]["max"], 1);  // only inputs one II apart count as II samples
  EXPECT_GT(j["ii_cycles"]["samples"].get<int>(), 0);
  EXPECT_LT(j["ii_cycles"]["samples"].get<int>(), 299);
  // One cycle early or late reads the neighbouring event's outputs.
  for (const char* wrong : {"--latency 1", "--latency 3"}) {
    r = verify(d, wrong);
    EXPECT_EQ(r.exit_code, 1) << wrong << r.stdout_text << r.stderr_text;
    EXPECT_FALSE(has(r, " 0 mismatches")) << r.stdout_text;
  }
  r = verify(d);
  EXPECT_EQ(r.exit_code, 2) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("give its --latency"), std::string::npos) << r.stderr_text;
}

TEST_F(VerifyRtl, StaleRtlNamesTheConstantArrayThatDiffers) {
  REQUIRE_VERILATOR();
  // The RTL computes with w2[0] = 1.25 (code 0x14), and its preprocessed source says so.
  const fs::path solution = dir_ / "solution1";
  const fs::path d = rtl("vivado_ap_vld", "0014\nFFE0\n0004\n0030\n0080\nFF00\n", solution / "impl" / "verilog");
  auto r = verify(d);
  EXPECT_EQ(r.exit_code, 1) << r.stdout_text << r.stderr_text;
  EXPECT_TRUE(has(r, "verify rtl: 300 events, ")) << r.stdout_text;
  EXPECT_FALSE(has(r, " 0 mismatches")) << r.stdout_text;
  EXPECT_TRUE(has(r, "output layer2_out[0]")) << r.stdout_text;  // w2[0] feeds only output 0
  EXPECT_FALSE(has(r, "stale RTL check")) << "no preprocessed source yet: " << r.stdout_text;

  fs::create_directories(solution / ".autopilot" / "db");
  fs::copy_file(kFixtures / "verilog" / "stale_myproject.pp.0.cpp", solution / ".autopilot" / "db" / "myproject.pp.0.cpp");
  r = verify(d);
  EXPECT_EQ(r.exit_code, 1) << r.stdout_text << r.stderr_text;
  EXPECT_TRUE(has(r, "stale RTL check: 2 constant arrays of ")) << r.stdout_text;
  EXPECT_TRUE(has(r, "  w2: 1 of 4 values differ")) << r.stdout_text;
  EXPECT_FALSE(has(r, "  b2: ")) << r.stdout_text;
}

TEST_F(VerifyRtl, MissingRomFileIsAnErrorNotZeros) {
  const fs::path d = rtl("vivado_ap_vld");
  fs::remove(d / "tiny_dense_rom.dat");
  const auto r = verify(d);
  EXPECT_EQ(r.exit_code, 1) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("tiny_dense_core.v:10: memory file ./tiny_dense_rom.dat not found"), std::string::npos) << r.stderr_text;
}

TEST_F(VerifyRtl, PortWidthThatIsNotValuesTimesWidthIsRefused) {
  const fs::path d = rtl("vivado_ap_vld");
  replace_in(d / "myproject.v", "input  [15:0] fc1_input_V;", "input  [14:0] fc1_input_V;");
  const auto r = verify(d);
  EXPECT_EQ(r.exit_code, 1) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("port fc1_input_V: 15 bits is not a whole number of 8-bit values of input fc1_input (ap_fixed<8,4>)"),
            std::string::npos)
      << r.stderr_text;
}

TEST_F(VerifyRtl, PortOfNoParameterIsRefused) {
  const fs::path d = rtl("free_running");
  replace_in(d / "myproject.v", "input [15:0] fc1_input,", "input [15:0] fc1_input,\n    input [3:0] mode_select,");
  const auto r = verify(d, "--latency 2");
  EXPECT_EQ(r.exit_code, 1) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("port mode_select: neither an HLS control port"), std::string::npos) << r.stderr_text;
}

TEST_F(VerifyRtl, WithoutVerilatorSaysHowToInstallIt) {
  const fs::path d = rtl("vivado_ap_vld");
  const auto r = testing::run_l1emu("verify rtl --model " + (kFixtures / "tiny_dense").string() + " --rtl " + d.string() + " --input " +
                                        (dir_ / "events.txt").string() + " --build-dir " + (dir_ / "cache").string(),
                                    "export PATH=/nonexistent");
  EXPECT_EQ(r.exit_code, 1) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("verilator not found on PATH"), std::string::npos) << r.stderr_text;
}

}  // namespace
}  // namespace l1emu
