// The anomaly-detection algorithms of a cms-l1-menu folder, read from its VHDL. The menu text here
// is written by the tests in the layout of the VHDL producer (the condition instances and the
// commented algorithm blocks of gtl_module_instances.vhd); no menu file is copied.
#include "l1emu/board/ugt_menu_folder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "import_test_support.h"
#include "l1emu/board/error.h"
#include "l1emu/board/test_vector_check.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;

std::string axo_condition(const std::string& label, const std::string& entity, const std::string& generics, const std::string& signal) {
  return label + ": entity work." + entity + "\n    generic map(" + generics + ")\n    port map(\n        lhc_clk,\n        bx_data.mu(2),\n        " + signal +
         "\n    );\n\n";
}

std::string cicada_condition(const std::string& signal, const std::string& cscore) {
  return "cond_" + signal + ": entity work.cicada_condition\n    generic map(\n        cscore => X\"" + cscore +
         "\"\n    )\n    port map(\n        lhc_clk,\n        bx_data.cicada(2),\n        " + signal + "\n    );\n\n";
}

std::string algorithm(int bit, const std::string& name, const std::string& rhs, int index) {
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "-- " + std::to_string(bit) + " " + name + " : EXPRESSION\n" + lower + " <= " + rhs + ";\nalgo(" + std::to_string(index) + ") <= " + lower +
         ";\n\n";
}

void write_module(const fs::path& menu, int module, const std::string& text) {
  testing::write_text(menu / "vhdl" / ("module_" + std::to_string(module)) / "src" / "gtl_module_instances.vhd", text);
}

TEST(UgtMenuFolder, ReadsAxol1tlAndCicadaAlgorithmsOfEveryModule) {
  testing::ScratchDir dir("menu");
  const fs::path menu = dir.path() / "L1Menu_Test-d1";
  // 2024 v1_0_0 style (adt_wrapper, label with _i) and later style (axol1tl_vN_wrapper, no _i).
  write_module(menu, 0,
               axo_condition("cond_anomaly_detection_trigger_i417_i", "adt_wrapper", "false, 11757", "anomaly_detection_trigger_i417") +
                   "single_ext_i315 <= bx_data.ext_cond(2)(7); -- EXT_BPTX_OR_VME\n" +
                   algorithm(439, "L1_AXO_Loose", "anomaly_detection_trigger_i417", 0) +
                   algorithm(446, "L1_SingleMuOpen_NotBptxOR", "single_mu_i4 and ( not single_ext_i315 )", 49));
  write_module(menu, 1,
               axo_condition("cond_axol1tl_trigger_i438", "axol1tl_v1_wrapper", "false, threshold => 389", "axol1tl_trigger_i438") +
                   cicada_condition("cicada_trigger_i432", "7100") + algorithm(445, "L1_CICADA_VLoose", "cicada_trigger_i432", 3) +
                   algorithm(440, "L1_AXO_Nominal", "axol1tl_trigger_i438", 2) +
                   algorithm(450, "L1_AXO_and_Mu", "axol1tl_trigger_i438 and single_mu_i4", 4));
  const UgtMenuFolder m = read_ugt_menu_folder(menu);
  EXPECT_EQ(m.name, "L1Menu_Test-d1");
  ASSERT_EQ(m.algorithms.size(), 3U);
  EXPECT_EQ(m.algorithms[0].bit, 439);
  EXPECT_EQ(m.algorithms[0].name, "L1_AXO_Loose");
  EXPECT_EQ(m.algorithms[0].threshold, 11757);
  EXPECT_EQ(m.algorithms[0].model, "v1");
  EXPECT_EQ(m.algorithms[1].bit, 440);
  EXPECT_EQ(m.algorithms[1].threshold, 389);
  EXPECT_EQ(m.algorithms[2].bit, 445);
  EXPECT_EQ(m.algorithms[2].kind, AdAlgorithmKind::Cicada);
  EXPECT_EQ(m.algorithms[2].threshold, 0x7100);
  EXPECT_NE(m.algorithms[2].where.find("module_1/src/gtl_module_instances.vhd:"), std::string::npos) << m.algorithms[2].where;
  // The combined algorithm is named, not compared; the muon one is not an AD algorithm at all.
  ASSERT_EQ(m.not_comparable.size(), 1U);
  EXPECT_NE(m.not_comparable[0].find("bit 450 L1_AXO_and_Mu"), std::string::npos) << m.not_comparable[0];
}

TEST(UgtMenuFolder, RefusesWhatItCannotRead) {
  testing::ScratchDir dir("menu_bad");
  const auto error = [](const fs::path& p) {
    try {
      (void)read_ugt_menu_folder(p);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error(dir.path() / "absent").find("not a menu folder"), std::string::npos);
  EXPECT_NE(error(dir.path()).find("no vhdl/module_*/src/gtl_module_instances.vhd"), std::string::npos);
  write_module(dir.path(), 0, axo_condition("cond_axol1tl_trigger_i1", "axol1tl_v4_wrapper", "false, many", "axol1tl_trigger_i1"));
  const std::string bad = error(dir.path());
  EXPECT_NE(bad.find("module_0/src/gtl_module_instances.vhd:1"), std::string::npos) << bad;
  EXPECT_NE(bad.find("(sim_mode, threshold)"), std::string::npos) << bad;
  EXPECT_NE(bad.find("generic map, found 'false, many'"), std::string::npos) << bad;
  // A generic map over several lines is echoed on one (found by the mutation campaign, issue 17).
  write_module(dir.path(), 0, axo_condition("cond_axol1tl_trigger_i1", "axol1tl_v4_wrapper", "false,\n  18580\n  x", "axol1tl_trigger_i1"));
  EXPECT_NE(error(dir.path()).find("generic map, found 'false,\\n  18580\\n  x'"), std::string::npos) << error(dir.path());
  write_module(dir.path(), 0,
               axo_condition("cond_axol1tl_trigger_i1", "axol1tl_v4_wrapper", "false, 5", "axol1tl_trigger_i1") +
                   algorithm(440, "L1_AXO_A", "axol1tl_trigger_i1", 0) + algorithm(440, "L1_AXO_B", "axol1tl_trigger_i1", 1));
  EXPECT_NE(error(dir.path()).find("bit 440 is also algorithm L1_AXO_A"), std::string::npos) << error(dir.path());
  // A bit number beyond int is out of range like any other, at its line (was a bare "stoi").
  std::string text = axo_condition("cond_axol1tl_trigger_i1", "axol1tl_v4_wrapper", "false, 5", "axol1tl_trigger_i1") +
                     algorithm(440, "L1_AXO_A", "axol1tl_trigger_i1", 0);
  text.replace(text.find("-- 440"), 6, "-- 4294967296");
  write_module(dir.path(), 0, text);
  EXPECT_NE(error(dir.path()).find("gtl_module_instances.vhd:9: algorithm bit 4294967296 is outside 0-511"), std::string::npos) << error(dir.path());
}

TEST(UgtMenuFolder, CicadaScoreIsTheTopNibblesOfLink11Frames0To3) {
  // mp7_ugt_legacy gtl_pkg.vhd: integer MSB, integer LSB, decimal MSB, decimal LSB nibbles.
  EXPECT_EQ(cicada_score({0x70000000U, 0x1FFFFFFFU, 0x00000000U, 0xF0000000U, 0xF0000000U, 0xF0000000U}), 0x710F);
  EXPECT_EQ(cicada_score({0x0FFFFFFFU, 0x0FFFFFFFU, 0x0FFFFFFFU, 0x0FFFFFFFU, 0, 0}), 0);
}

TEST(UgtMenuFolder, CicadaBitsCompareTheLink11ScoreWithTheirThreshold) {
  std::vector<stream::TestVectorRecord> records(3);
  records[0].link11 = {0x70000000U, 0x10000000U, 0, 0, 0, 0};  // 0x7100: at the threshold
  records[0].set_algorithm_bit(445, true);
  records[1].link11 = {0x70000000U, 0x00000000U, 0xF0000000U, 0xF0000000U, 0, 0};  // 0x70FF: below
  records[2].link11 = {0x80000000U, 0, 0, 0, 0, 0};  // above, but the file says no
  records[0].bx = 0;
  records[1].bx = 1;
  records[2].bx = 2;
  const AdAlgorithm vloose{445, "L1_CICADA_VLoose", AdAlgorithmKind::Cicada, 0x7100, "", "here"};
  const TestVectorCheck c = check_cicada_bits({vloose}, records);
  EXPECT_EQ(c.bx_count, 3U);
  EXPECT_EQ(c.expected_fires[0], 1U);
  EXPECT_EQ(c.emulated_fires[0], 2U);
  ASSERT_EQ(c.mismatches, 1U);
  EXPECT_EQ(c.first_mismatches[0].bx, 2);
  EXPECT_EQ(c.first_mismatches[0].score, 0x8000);
}

}  // namespace
}  // namespace l1emu::board
