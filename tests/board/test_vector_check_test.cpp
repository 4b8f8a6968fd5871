#include "l1emu/board/test_vector_check.h"

#include <gtest/gtest.h>

#include "l1emu/registry/registry.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "l1emu/board/error.h"
#include "l1emu/board/feature_builder.h"
#include "l1emu/board/link_stage.h"
#include "l1emu/board/menu.h"
#include "l1emu/board/score_engine.h"
#include "l1emu/emu/io/model_loader.h"
#include "shared_data.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;

struct Case {
  const char* file;
  std::vector<std::size_t> fires;  // bits 438-442, shared/golden/axol1tl/README.md
};

fs::path tv_dir() { return testing::golden_dir() / "axol1tl" / "v3" / "testvectors"; }

// Acceptance of issue 6: 0 mismatches over the 3564 BX of both 2024 v1_2_1 test vectors with AXOL1TL
// v3 and thresholds.json; the per-bit fire counts are those the golden README states.
TEST(TestVectorCheck, AxoV3ReproducesBothTestVectors) {
  L1EMU_REQUIRE_SHARED();
  const emu::Model model = emu::load_model(testing::golden_dir() / "axol1tl" / "v3" / "model.json");
  const ScoreEngine engine(model, {});
  const Menu menu(read_thresholds_json(tv_dir() / "thresholds.json"));
  ASSERT_EQ(menu.size(), 5U);
  for (const Case& c : {Case{"TestVector_L1Menu_Collisions2024_v1_2_1_data", {1, 1, 1, 0, 0}},
                        Case{"TestVector_L1Menu_Collisions2024_v1_2_1_ttBar", {207, 70, 46, 5, 0}}}) {
   // Through the real uGT links (every BX encoded into ugt-mp7 frames and decoded back) and direct.
   for (const char* protocol : {"ugt-mp7", "direct"}) {
    LinkStageConfig link_config;
    link_config.protocol = protocol;
    auto link = make_link_stage(link_config);
    const auto records = stream::read_test_vector(tv_dir() / (std::string(c.file) + ".txt"));
    const TestVectorCheck check = check_test_vector(engine, menu, *link, records);
    EXPECT_EQ(check.bx_count, 3564U) << c.file << " " << protocol;
    EXPECT_EQ(check.mismatches, 0U) << c.file << " " << protocol;
    EXPECT_EQ(check.emulated_fires, c.fires) << c.file << " " << protocol;
    EXPECT_EQ(check.expected_fires, c.fires) << c.file << " " << protocol;
    if (std::string(protocol) == "ugt-mp7") {
      EXPECT_GT(link->counters().frames, 3564U * 6U) << "the events crossed real frames";
    }

    // The decoded file gives the features and the score of every BX.
    std::ifstream decoded(tv_dir() / (std::string(c.file) + ".decoded.txt"));
    ASSERT_TRUE(decoded) << c.file;
    std::string line;
    std::vector<float> features(57);
    std::size_t lines = 0;
    while (std::getline(decoded, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream s(line);
      std::size_t bx = 0;
      s >> bx;
      engine.features(records.at(bx).to_event(), features);
      for (std::size_t k = 0; k < 57; ++k) {
        double v = 0;
        s >> v;
        ASSERT_EQ(static_cast<double>(features[k]), v) << c.file << " BX " << bx << " feature " << k;
      }
      std::int64_t score = 0;
      s >> score;
      ASSERT_EQ(check.scores.at(bx), score) << c.file << " BX " << bx;
      ++lines;
    }
    EXPECT_EQ(lines, 3564U);
   }
  }
}

// The muon-system phi field gives the same v3 decisions (README: a per-menu fact).
TEST(TestVectorCheck, MuonSystemPhiGivesTheSameV3Decisions) {
  L1EMU_REQUIRE_SHARED();
  const emu::Model model = emu::load_model(testing::golden_dir() / "axol1tl" / "v3" / "model.json");
  ScoreEngineConfig config;
  config.features.muon_phi = MuonPhi::muon_system;
  const ScoreEngine engine(model, config);
  const Menu menu(read_thresholds_json(tv_dir() / "thresholds.json"));
  auto link = make_link_stage({});
  const auto records = stream::read_test_vector(tv_dir() / "TestVector_L1Menu_Collisions2024_v1_2_1_ttBar.txt");
  EXPECT_EQ(check_test_vector(engine, menu, *link, records).mismatches, 0U);
}

TEST(FeatureBuilder, Axo57HalvesPtAndKeepsRawAngles) {
  auto b = make_feature_builder({"axo57", MuonPhi::vertex});
  stream::Event e;
  e.sum(stream::SumKind::etm) = {23, 100};
  e.egammas[0].hw_et = 7;
  e.egammas[0].hw_eta = -20;
  e.egammas[0].hw_phi = 30;
  e.muons[1].hw_pt = 9;
  e.muons[1].hw_eta = -153;
  e.muons[1].hw_phi = 213;
  e.muons[1].hw_phi_out = 400;
  e.jets[9].hw_et = 2047;
  e.jets[9].hw_eta = 100;
  e.jets[9].hw_phi = 143;
  e.jets[10].hw_et = 50;  // jets 10 and 11 are not features
  std::vector<float> f(57);
  b->build(e, f);
  EXPECT_EQ(f[0], 11.0F);
  EXPECT_EQ(f[1], 0.0F);
  EXPECT_EQ(f[2], 100.0F);
  EXPECT_EQ(f[3], 3.0F);
  EXPECT_EQ(f[4], -20.0F);
  EXPECT_EQ(f[5], 30.0F);
  EXPECT_EQ(f[3 + 12 + 3], 4.0F);
  EXPECT_EQ(f[3 + 12 + 4], -153.0F);
  EXPECT_EQ(f[3 + 12 + 5], 213.0F);
  EXPECT_EQ(f[54], 1023.0F);
  EXPECT_EQ(f[55], 100.0F);
  EXPECT_EQ(f[56], 143.0F);
  auto system = make_feature_builder({"axo57", MuonPhi::muon_system});
  system->build(e, f);
  EXPECT_EQ(f[3 + 12 + 5], 400.0F);
}

TEST(FeatureBuilder, Physical57UsesTheHardwareScales) {
  auto b = make_feature_builder({"physical57", MuonPhi::vertex});
  stream::Event e;
  e.jets[0].hw_et = 80;  // 40 GeV
  e.jets[0].hw_eta = 10;  // 0.435
  std::vector<float> f(57);
  b->build(e, f);
  EXPECT_EQ(f[27], 40.0F);
  EXPECT_FLOAT_EQ(f[28], 0.435F);
  EXPECT_EQ(f[0], 0.0F);
}

TEST(FeatureBuilder, UnknownNameListsTheKnownOnes) {
  try {
    (void)make_feature_builder({"axo58", MuonPhi::vertex});
    FAIL();
  } catch (const registry::UnknownNameError& e) {
    EXPECT_EQ(std::string(e.what()), "unknown feature builder 'axo58' (known: axo57, physical57)");
    EXPECT_EQ(e.name(), "axo58");
  }
}

TEST(Menu, ThresholdIsInclusiveAndMasksAndPrescalesApply) {
  MenuConfig c;
  stream::BxMask mask;
  mask.set(3);
  c.bits = {{438, "a", 100, 1, std::nullopt}, {439, "b", 100, 3, std::nullopt}, {440, "c", 100, 1, mask}, {441, "d", 100, 0, std::nullopt}};
  const Menu m(c);
  EXPECT_EQ(m.fire(99, 3), 0U);
  EXPECT_EQ(m.fire(100, 3), 0b1111U);
  EXPECT_EQ(m.fire(100, 4), 0b1011U);
  MenuState s = m.make_state();
  std::vector<std::uint64_t> after;
  for (int i = 0; i < 6; ++i) after.push_back(m.decide(500, 3, s).after_prescale);
  // a every time, b every third fire, c (mask open at BX 3) every time, d never (prescale 0).
  EXPECT_EQ(after, (std::vector<std::uint64_t>{0b101, 0b101, 0b111, 0b101, 0b101, 0b111}));
  c.bits.push_back({438, "dup", 1, 1, std::nullopt});
  EXPECT_THROW(Menu{c}, ConfigError);
}

// A thresholds.json bit out of range or given twice ("7" and "07") is an error naming the file
// (the mutation campaign of issue 17 saw only "menu.bits[4].bit: 65536 is outside 0..511").
TEST(Menu, ThresholdsFileBitsOutOfRangeOrTwiceNameTheFile) {
  const fs::path file = fs::temp_directory_path() / ("l1emu_thresholds_" + std::to_string(::getpid()) + ".json");
  const auto error = [&](const std::string& text) {
    std::ofstream(file) << text;
    try {
      (void)read_thresholds_json(file);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error(R"({"65536": {"threshold": 5}})"), file.string() + ": key '65536': bit 65536 is outside 0..511");
  EXPECT_EQ(error(R"({"7": {"threshold": 5}, "07": {"threshold": 6}})"), file.string() + ": key '7': bit 7 appears twice");
  fs::remove(file);
}

}  // namespace
}  // namespace l1emu::board
