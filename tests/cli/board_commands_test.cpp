// Command-line tests of the board commands: estimate and verify testvector.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "import_test_support.h"
#include "run_command.h"
#include "shared_data.h"

namespace l1emu {
namespace {

std::string demo_model() { return (testing::source_dir() / "examples" / "demo_vae" / "model.json").string(); }

TEST(EstimateCommand, JsonHasTheDocumentedKeys) {
  const auto r = testing::run_l1emu("estimate --model " + demo_model() + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto j = nlohmann::json::parse(r.stdout_text);
  for (const char* key : {"model", "device", "clock_mhz", "source", "reuse_factor", "latency_cycles", "latency_ns", "ii_cycles", "ii_ns",
                          "resources", "utilization_percent", "layers"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["device"], "xcvu9p-flgb2104-2-e");
  EXPECT_EQ(j["source"], "estimate");
  EXPECT_DOUBLE_EQ(j["ii_ns"].get<double>(), 5.0);
  EXPECT_EQ(j["layers"].size(), 8U);
}

// The HLS tool modelled: the demo's model.json names none, so the estimate assumes Vivado HLS 2019.2 and
// says how to choose; --hls-tool chooses (a name it does not know is a usage error).
TEST(EstimateCommand, HlsToolIsAssumedOrChosen) {
  auto r = testing::run_l1emu("estimate --model " + demo_model() + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  auto j = nlohmann::json::parse(r.stdout_text);
  EXPECT_EQ(j["hls_tool"], "vivado-2019.2");
  EXPECT_EQ(j["hls_tool_source"], "assumed");
  ASSERT_FALSE(j["notes"].empty());
  EXPECT_NE(j["notes"][0].get<std::string>().find("--hls-tool"), std::string::npos) << j["notes"][0];
  r = testing::run_l1emu("estimate --model " + demo_model() + " --hls-tool vitis-2024.2 --clock-uncertainty 27 --json");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  j = nlohmann::json::parse(r.stdout_text);
  EXPECT_EQ(j["hls_tool"], "vitis-2024.2");
  EXPECT_EQ(j["hls_tool_source"], "option");
  r = testing::run_l1emu("estimate --model " + demo_model());
  EXPECT_NE(r.stdout_text.find("HLS tool vivado-2019.2 (assumed)"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("note: the model states no HLS tool"), std::string::npos) << r.stdout_text;
  r = testing::run_l1emu("estimate --model " + demo_model() + " --hls-tool quartus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("--hls-tool"), std::string::npos) << r.stderr_text;
}

TEST(EstimateCommand, CsynthOverridesAndBadInputsFailCleanly) {
  const std::string fixture = (testing::source_dir() / "tests" / "board" / "data" / "csynth_small.xml").string();
  auto r = testing::run_l1emu("estimate --model " + demo_model() + " --csynth " + fixture + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto j = nlohmann::json::parse(r.stdout_text);
  EXPECT_EQ(j["source"], "csynth");
  EXPECT_EQ(j["latency_cycles"], 23);
  EXPECT_EQ(j["ii_cycles"], 2);
  r = testing::run_l1emu("estimate --model " + demo_model() + " --device xcvu13p");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("unknown device 'xcvu13p'"), std::string::npos) << r.stderr_text;
  r = testing::run_l1emu("estimate --model " + demo_model() + " --csynth /nonexistent/csynth.xml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("/nonexistent/csynth.xml"), std::string::npos) << r.stderr_text;
  EXPECT_EQ(testing::run_l1emu("estimate").exit_code, 2);
}

TEST(VerifyCommand, TestVectorsOfAxoV3HaveNoMismatch) {
  L1EMU_REQUIRE_SHARED();
  const auto dir = testing::golden_dir() / "axol1tl" / "v3";
  for (const char* name : {"TestVector_L1Menu_Collisions2024_v1_2_1_data", "TestVector_L1Menu_Collisions2024_v1_2_1_ttBar"}) {
    const auto tv = dir / "testvectors" / (std::string(name) + ".txt");
    const auto decoded = dir / "testvectors" / (std::string(name) + ".decoded.txt");
    const auto r = testing::run_l1emu("verify testvector --model " + (dir / "model.json").string() + " --testvector " + tv.string() +
                                      " --thresholds " + (dir / "testvectors" / "thresholds.json").string() + " --decoded " +
                                      decoded.string() + " --json");
    ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
    const auto j = nlohmann::json::parse(r.stdout_text);
    EXPECT_EQ(j["bx"], 3564);
    EXPECT_EQ(j["mismatches"], 0);
    EXPECT_EQ(j["decoded"]["feature_mismatch_bx"], 0);
    EXPECT_EQ(j["decoded"]["score_mismatch_bx"], 0);
  }
}

// --menu reads the bits from a menu folder's VHDL. The folder is written here from the test vectors'
// thresholds.json (AXOL1TL v3 wrapper conditions, as the 2024 v1_2_1 menu instantiates them) plus
// a CICADA condition whose score, 0 on link 11 in these files, never fires.
TEST(VerifyCommand, MenuFolderGivesTheSameBitsAsTheThresholdsFile) {
  L1EMU_REQUIRE_SHARED();
  const auto dir = testing::golden_dir() / "axol1tl" / "v3";
  const auto thresholds = nlohmann::json::parse(testing::read_text(dir / "testvectors" / "thresholds.json"));
  testing::ScratchDir scratch("menu_cli");
  const auto menu = scratch.path() / "L1Menu_Collisions2024_v1_2_1-d1";
  std::string vhdl, algorithms;
  for (const auto& [bit, b] : thresholds.items()) {
    const std::string signal = "axol1tl_trigger_i" + bit;
    vhdl += "cond_" + signal + ": entity work.axol1tl_v3_wrapper\n    generic map(false, " + std::to_string(b["threshold"].get<long>()) +
            ")\n    port map(\n        lhc_clk,\n        " + signal + "\n    );\n\n";
    algorithms += "-- " + bit + " " + b["name"].get<std::string>() + " : AXO[AXO-MODEL_v3]\nl1_bit_" + bit + " <= " + signal + ";\nalgo(0) <= l1_bit_" + bit + ";\n\n";
  }
  vhdl += "cond_cicada_trigger_i1: entity work.cicada_condition\n    generic map(\n        cscore => X\"7100\"\n    )\n    port map(\n        lhc_clk,\n"
          "        cicada_trigger_i1\n    );\n\n-- 445 L1_CICADA_VLoose : CICADA[CICADA-CSCORE_113]\nl1_cicada_v_loose <= cicada_trigger_i1;\n";
  testing::write_text(menu / "vhdl" / "module_0" / "src" / "gtl_module_instances.vhd", vhdl + algorithms);
  const auto tv = dir / "testvectors" / "TestVector_L1Menu_Collisions2024_v1_2_1_ttBar.txt";
  auto r = testing::run_l1emu("verify testvector --menu " + menu.string() + " --model " + (dir / "model.json").string() + " --testvector " + tv.string() +
                              " --json");
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  auto j = nlohmann::json::parse(r.stdout_text);
  EXPECT_EQ(j["bits_compared"], 3564 * 6);
  EXPECT_EQ(j["mismatches"], 0);
  EXPECT_EQ(j["menu_axol1tl_model"], "v3");
  ASSERT_EQ(j["bits"].size(), 6U);
  EXPECT_EQ(j["bits"][0]["expected_fires"], 207);  // L1_AXO_VLoose, shared/golden/axol1tl/README.md
  EXPECT_EQ(j["bits"][5]["kind"], "cicada");
  // --bits restricts; the CICADA bit alone needs no model.
  r = testing::run_l1emu("verify testvector --menu " + menu.string() + " --testvector " + tv.string() + " --bits 445");
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("BX: 3564, bits compared: 3564, mismatches: 0"), std::string::npos) << r.stdout_text;
  // A wrong threshold is found.
  testing::edit_file(menu / "vhdl" / "module_0" / "src" / "gtl_module_instances.vhd", "generic map(false, 15717)", "generic map(false, 30000)");
  r = testing::run_l1emu("verify testvector --menu " + menu.string() + " --model " + (dir / "model.json").string() + " --testvector " + tv.string());
  EXPECT_EQ(r.exit_code, 1) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("threshold 30000, recorded bit 1, emulated bit 0"), std::string::npos) << r.stdout_text;
  // Bits that are not AD bits of the menu, a missing model, both sources: usage errors naming them.
  r = testing::run_l1emu("verify testvector --menu " + menu.string() + " --testvector " + tv.string() + " --bits 100");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("bit 100 is not an anomaly-detection bit of the menu"), std::string::npos) << r.stderr_text;
  r = testing::run_l1emu("verify testvector --menu " + menu.string() + " --testvector " + tv.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("the menu's are AXOL1TL v3"), std::string::npos) << r.stderr_text;
  r = testing::run_l1emu("verify testvector --menu " + menu.string() + " --thresholds x --testvector " + tv.string());
  EXPECT_EQ(r.exit_code, 2);
}

TEST(VerifyCommand, UsageErrors) {
  EXPECT_EQ(testing::run_l1emu("verify").exit_code, 2);
  EXPECT_EQ(testing::run_l1emu("verify nonsense").exit_code, 2);
  EXPECT_EQ(testing::run_l1emu("verify testvector --model x").exit_code, 2);
}

}  // namespace
}  // namespace l1emu
