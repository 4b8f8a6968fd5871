#pragma once
// Scenarios: a YAML file -> typed Config structs, validated at load (shared/STYLE.md). Unknown keys
// are errors naming the key path ("board.clok_mhz"); wrong types name the path and the line.
// `--set key=value` overrides apply to the YAML tree before validation, with the same paths
// (sequence items by index: "menu.bits.0.threshold=120"). Relative paths in the file resolve
// against the scenario file's folder. to_yaml() gives the resolved scenario, written next to the
// outputs so a run can be repeated exactly.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "l1emu/board/link_stage.h"
#include <vector>

#include "l1emu/board/menu.h"

namespace l1emu::board {

struct SampleConfig {
  std::string process = "background";  // generator process (stream/event_generator.h)
  std::uint64_t events = 0;
};

struct SourceConfig {
  std::string kind = "generator";  // generator | dataset | testvector
  std::vector<SampleConfig> samples;  // generator: replayed one after another, sample i with seed + i
  std::filesystem::path file;         // dataset (.h5) or test vector (.txt)
  std::uint64_t seed = 1;
  std::string filling_scheme = "nominal-25ns";  // stream/filling_scheme.h; test vectors keep their BX
  std::filesystem::path filling_scheme_file;
};

struct ModelSection {
  std::filesystem::path path;
  std::string features = "axo57";
  std::string muon_phi = "vertex";  // vertex | muon-system
  std::string score_output;         // empty: the model's last output
  int reuse_factor = 1;
};

struct BoardSection {
  std::string device = "xcvu9p-flgb2104-2-e";
  std::string clock_mhz = "200";
  std::string link_clock_mhz = "240.4734";  // uGT MP7 links: 6 frames per BX
  int frames_per_bx = 6;
  int cdc_cycles = 2;
  int unpack_cycles = 2;  // deserializer + feature builder
  int menu_cycles = 1;
  int fifo_depth = 4;     // in front of the model
  std::optional<int> model_latency_cycles;  // absent: the estimate (or csynth)
  std::optional<int> model_ii_cycles;
  std::filesystem::path csynth;
  double latency_budget_ns = 0.0;
};

struct MenuBitSection {
  int bit = 0;
  std::string name;
  std::int64_t threshold = 0;
  std::uint32_t prescale = 1;
  std::string bx_mask = "all";  // "all" or ranges "0-3443,3500"
};

struct MenuSection {
  std::filesystem::path thresholds_file;  // thresholds.json; bits below are added to it
  std::vector<MenuBitSection> bits;
};

struct OutputSection {
  std::filesystem::path dir;  // empty: out/<name>
  bool csv = true;
  std::uint64_t progress_every = 0;  // events between progress lines; 0: about one a second
};

struct Scenario {
  std::string name;
  std::filesystem::path file;
  SourceConfig source;
  LinkStageConfig links;  // protocol (direct | ugt-mp7 | emp64), emp64 framing, fault rates
  ModelSection model;
  BoardSection board;
  MenuSection menu;
  OutputSection output;
  std::uint64_t max_events = 0;  // 0: all the source has
  int threads = 0;               // 0: all cores
};

/// Loads, applies the overrides ("a.b.c=value") and validates. Throws ConfigError naming the file
/// and the key path.
[[nodiscard]] Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});
/// The resolved scenario as YAML (absolute paths, every default spelled out).
[[nodiscard]] std::string to_yaml(const Scenario& scenario);
/// The menu the scenario describes (thresholds file first, then the listed bits).
[[nodiscard]] MenuConfig menu_config(const Scenario& scenario);
/// Parses a BX mask: "all" or comma-separated BX numbers and inclusive ranges "a-b" within 0..3563.
[[nodiscard]] stream::BxMask parse_bx_mask(const std::string& text, const std::string& key);

}  // namespace l1emu::board
