#include "l1emu/board/scenario.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "l1emu/board/decision_log.h"
#include "l1emu/board/error.h"
#include "shared_data.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;

class ScenarioFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("l1emu_scenario_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& text) {
    const fs::path p = dir_ / "s.yaml";
    std::ofstream(p) << text;
    return p;
  }
  std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
    try {
      (void)load_scenario(write(text), sets);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

constexpr const char* kMinimal =
    "source:\n  kind: generator\n  samples:\n    - {process: background, events: 10}\nmodel:\n  path: m.json\n";

TEST_F(ScenarioFiles, DefaultsAndRelativePaths) {
  const Scenario s = load_scenario(write(kMinimal));
  EXPECT_EQ(s.name, "s");
  EXPECT_EQ(s.model.path, dir_ / "m.json");
  EXPECT_EQ(s.board.device, "xcvu9p-flgb2104-2-e");
  EXPECT_EQ(s.board.clock_mhz, "200");
  EXPECT_FALSE(s.board.model_latency_cycles.has_value());
  ASSERT_EQ(s.source.samples.size(), 1U);
  EXPECT_EQ(s.source.samples[0].events, 10U);
}

TEST_F(ScenarioFiles, UnknownKeysNameTheirPath) {
  EXPECT_NE(error_of(std::string(kMinimal) + "board:\n  clok_mhz: 200\n").find("board.clok_mhz: unknown key"), std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "menu:\n  bits:\n    - {bit: 1, treshold: 3}\n").find("menu.bits.0.treshold: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "extra: 1\n").find("extra: unknown key"), std::string::npos);
}

TEST_F(ScenarioFiles, WrongTypesNameThePathAndLine) {
  const std::string e = error_of(std::string(kMinimal) + "board:\n  fifo_depth: many\n");
  EXPECT_NE(e.find("s.yaml:8"), std::string::npos) << e;
  EXPECT_NE(e.find("board.fifo_depth"), std::string::npos) << e;
  EXPECT_NE(e.find("'many' is not an integer"), std::string::npos) << e;
  EXPECT_NE(error_of("source:\n  kind: carrier_pigeon\nmodel:\n  path: m\n").find("source.kind"), std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "menu:\n  bits:\n    - {bit: 1, bx_mask: '5-3'}\n").find("menu.bits.0.bx_mask"), std::string::npos);
}

TEST_F(ScenarioFiles, SetOverridesByKeyPath) {
  const Scenario s = load_scenario(write(std::string(kMinimal) + "menu:\n  bits:\n    - {bit: 1, threshold: 3}\n"),
                                   {"board.clock_mhz=240.4734", "menu.bits.0.threshold=120", "source.samples.0.events=7", "board.model_ii_cycles=4"});
  EXPECT_EQ(s.board.clock_mhz, "240.4734");
  EXPECT_EQ(s.menu.bits[0].threshold, 120);
  EXPECT_EQ(s.source.samples[0].events, 7U);
  EXPECT_EQ(s.board.model_ii_cycles, 4);
  EXPECT_NE(error_of(kMinimal, {"board.clok=1"}).find("board.clok: unknown key"), std::string::npos);
  EXPECT_NE(error_of(kMinimal, {"novalue"}).find("key=value"), std::string::npos);
  EXPECT_NE(error_of(kMinimal, {"board.clock_mhz=fast"}).find("board.clock_mhz: 'fast' is not a positive decimal"), std::string::npos);
  EXPECT_NE(error_of(kMinimal, {"board.device=xcvu13p"}).find("board.device: unknown device"), std::string::npos);
  EXPECT_NE(error_of(kMinimal, {"model.features=axo58"}).find("model.features: unknown feature builder"), std::string::npos);
  EXPECT_NE(error_of(kMinimal, {"links.protocol=sfp99"}).find("links: unknown link protocol 'sfp99'"), std::string::npos);
  EXPECT_NE(error_of(kMinimal, {"links.faults.bit_flips=0.1"}).find("links.faults.bit_flips"), std::string::npos);
  EXPECT_NE(error_of(kMinimal, {"source.filling_scheme=odd"}).find("source.filling_scheme: unknown filling scheme"), std::string::npos);
}

// Numbers that parse but no board has: NaN and infinities (they compare false against every limit,
// so a NaN rate or budget acted as 0), and integers whose cycle arithmetic would overflow int.
TEST_F(ScenarioFiles, NonFiniteAndOutOfRangeNumbersAreRefusedWithTheirPath) {
  for (const std::string set : {"links.faults.bit_flip_rate=.nan", "links.faults.dropped_frame_rate=.nan", "board.latency_budget_ns=.nan",
                                "board.latency_budget_ns=.inf", "board.latency_budget_ns=-1"}) {
    const std::string key = set.substr(0, set.find('='));
    const std::string e = error_of(kMinimal, {set});
    EXPECT_NE(e.find(key + ": "), std::string::npos) << set << " -> '" << e << "'";
  }
  for (const std::string set : {"board.frames_per_bx=-2147483648", "board.frames_per_bx=0", "board.frames_per_bx=2147483647", "board.cdc_cycles=2147483647",
                                "board.fifo_depth=-1", "board.model_latency_cycles=2147483647", "board.model_ii_cycles=0",
                                "model.reuse_factor=2147483647", "model.reuse_factor=0"}) {
    const std::string key = set.substr(0, set.find('='));
    const std::string e = error_of(kMinimal, {set});
    EXPECT_NE(e.find(key + ": "), std::string::npos) << set << " -> '" << e << "'";
    EXPECT_NE(e.find("is outside ["), std::string::npos) << set << " -> '" << e << "'";
  }
}

// Structures the reader does not expect are errors naming the file and line, not yaml-cpp's own
// text ("bad conversion", "operator[] call on a scalar").
TEST_F(ScenarioFiles, UnexpectedStructuresNameTheFileAndLine) {
  std::string e = error_of(std::string(kMinimal) + "? [a, b]\n: 1\n");
  EXPECT_EQ(e.find(dir_.string() + "/s.yaml:7: "), 0U) << e;
  e = error_of("- a\n- b\n");
  EXPECT_EQ(e, (dir_ / "s.yaml").string() + ":1: the top level must be a map of keys");
  e = error_of("source: 5\n", {"source.kind.x=1"});
  EXPECT_EQ(e.find(dir_.string() + "/s.yaml:1: "), 0U) << e;
}

// Found by the mutation campaign (issue 17): errors that named only a key path, a raw
// nlohmann::json text when a string that is not UTF-8 reached summary.json, and keys echoed with
// their newlines. Each names the file and line now, on one line.
TEST_F(ScenarioFiles, CampaignFindingsNameTheFileAndLine) {
  const std::string file = (dir_ / "s.yaml").string();
  std::string e = error_of(std::string(kMinimal) + "menu:\n  bits:\n    - {bit: 1, bx_mask: 'nan-3443'}\n");
  EXPECT_EQ(e.find(file + ":9: menu.bits.0.bx_mask: 'nan-3443' is not a BX"), 0U) << e;
  e = error_of(std::string(kMinimal) + "menu:\n  bits:\n    - {bit: 1}\n    - {bit: 1}\n");
  EXPECT_EQ(e.find(file + ":8: menu.bits[1].bit: bit 1 appears twice"), 0U) << e;
  e = error_of("source:\n  kind: generator\n  samples:\n    - {process: backgrount, events: 10}\nmodel:\n  path: m.json\n");
  EXPECT_EQ(e.find(file + ":4: source.samples.0.process: unknown process 'backgrount'"), 0U) << e;
  e = error_of(std::string(kMinimal) + "menu:\n  bits:\n    - {bit: 1, name: AD\xc7\x28}\n");
  EXPECT_EQ(e.find(file + ":9: menu.bits.0.name: 'AD\\xc7(' is not UTF-8 text"), 0U) << e;
  e = error_of(std::string(kMinimal) + "board:\n  \"clock\\nmhz\": 200\n");
  EXPECT_EQ(e.find(file + ":8: board.'clock\\nmhz': unknown key"), 0U) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  // yaml-cpp's own text quotes the byte it stopped at as it is (here a NUL after a backslash).
  e = error_of(std::string(kMinimal) + "name: \"a\\" + std::string(1, '\0') + "b\"\n");
  EXPECT_EQ(e.find(file + ":7: not valid YAML ('unknown escape character: "), 0U) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  EXPECT_EQ(e.find('\0'), std::string::npos) << e;
}

TEST_F(ScenarioFiles, ResolvedScenarioLoadsBackToItself) {
  const Scenario s = load_scenario(write(std::string(kMinimal) + "menu:\n  bits:\n    - {bit: 1, threshold: 3, bx_mask: '0-10,20'}\n"),
                                   {"board.model_latency_cycles=12"});
  const std::string yaml = to_yaml(s);
  const fs::path again = dir_ / "resolved.yaml";
  std::ofstream(again) << yaml;
  const Scenario t = load_scenario(again);
  EXPECT_EQ(to_yaml(t), yaml);
}

TEST(BxMask, ParsesRangesAndRejectsOutOfOrbit) {
  const auto m = parse_bx_mask("0-2, 3563", "k");
  EXPECT_EQ(m.count(), 4U);
  EXPECT_TRUE(m.test(3563));
  EXPECT_EQ(parse_bx_mask("all", "k").count(), 3564U);
  EXPECT_THROW((void)parse_bx_mask("3564", "k"), ConfigError);
  EXPECT_THROW((void)parse_bx_mask("a-b", "k"), ConfigError);
}

TEST(DecisionLogFile, RoundTripsAndAppends) {
  const fs::path dir = fs::temp_directory_path() / "l1emu_decision_log_test";
  fs::create_directories(dir);
  const fs::path h5 = dir / "d.h5";
  const fs::path csv = dir / "d.csv";
  MenuConfig menu;
  menu.bits = {{438, "L1_AXO_VLoose", 15717, 1, std::nullopt}};
  std::vector<DecisionRecord> records;
  for (std::uint64_t i = 0; i < 100000; ++i) {
    records.push_back({i, static_cast<std::uint32_t>(i / 3564), static_cast<std::uint16_t>(i % 3564), static_cast<std::int64_t>(i) * 7, static_cast<std::uint8_t>(i % 3),
                       i * 0x9e3779b97f4a7c15ULL, static_cast<std::int64_t>(i % 1000) - 500, i & 1, i & 1, i % 5 != 0 ? Outcome::processed : Outcome::lost_to_dead_time,
                       19, 130.0 + static_cast<double>(i % 5)});
  }
  {
    DecisionLog::Header header;
    header.menu = menu;
    header.samples = {"a", "b", "c"};
    header.scenario_yaml = "name: t\n";
    header.model = "test";
    header.score_fractional_bits = 4;
    auto log = DecisionLog::create(h5, csv, header);
    for (std::size_t i = 0; i < 60000; ++i) log->append(records[i]);
    EXPECT_FALSE(fs::exists(h5));  // nothing visible before commit
    log->commit();
  }
  EXPECT_EQ(DecisionLog::read_all(h5), std::vector<DecisionRecord>(records.begin(), records.begin() + 60000));
  {
    auto log = DecisionLog::open_for_append(h5, csv);
    EXPECT_EQ(log->size(), 60000U);
    for (std::size_t i = 60000; i < records.size(); ++i) log->append(records[i]);
    log->commit();
  }
  EXPECT_EQ(DecisionLog::read_all(h5), records);
  std::ifstream in(csv);
  std::size_t lines = 0;
  for (std::string l; std::getline(in, l);) ++lines;
  EXPECT_EQ(lines, records.size() + 1);
  {
    // Without commit nothing changes and no partial file is left.
    auto log = DecisionLog::open_for_append(h5, csv);
    log->append(records[0]);
  }
  EXPECT_FALSE(fs::exists(dir / "d.h5.partial"));
  EXPECT_EQ(DecisionLog::read_all(h5).size(), records.size());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace l1emu::board
