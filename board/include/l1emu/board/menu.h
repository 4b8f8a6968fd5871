#pragma once
// The menu of the AD trigger: algorithm bits that fire when the score code reaches a threshold.
// The firmware wrapper (mp7_ugt_legacy axol1tl_vN_wrapper.vhd) tests `unsigned(score) >= threshold`
// on the raw score code (shared/golden/axol1tl/README.md), so thresholds are integer codes and the
// comparison is on integers. A BX mask blocks a bit in the masked-out slots (uGT algorithm BX masks);
// a prescale N keeps every N-th pre-prescale fire (uGT prescale counters: the counter counts fires
// and the bit passes when it reaches N), 0 disables the bit, 1 keeps every fire.
#include <bitset>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/stream/filling_scheme.h"

namespace l1emu::board {

struct AlgorithmBit {
  int bit = 0;  // global algorithm bit, 0..511 (test-vector column 59)
  std::string name;
  std::int64_t threshold = 0;  // score code
  std::uint32_t prescale = 1;
  std::optional<stream::BxMask> bx_mask;  // absent: every BX
};

struct MenuConfig {
  std::vector<AlgorithmBit> bits;
};

/// Prescale counters: explicit mutable state (shared/STYLE.md), one per menu bit.
struct MenuState {
  std::vector<std::uint32_t> prescale_counters;
};

struct MenuDecision {
  std::uint64_t before_prescale = 0;  // bit i = menu entry i
  std::uint64_t after_prescale = 0;
};

class Menu {
 public:
  static constexpr std::size_t kMaxBits = 64;
  /// Throws ConfigError for a bit outside 0..511, a duplicate bit, or more than kMaxBits entries.
  explicit Menu(MenuConfig config);

  [[nodiscard]] const MenuConfig& config() const { return config_; }
  [[nodiscard]] std::size_t size() const { return config_.bits.size(); }
  [[nodiscard]] MenuState make_state() const { return {std::vector<std::uint32_t>(size(), 0)}; }
  /// Pre-prescale bits only (pure: what test vectors record).
  [[nodiscard]] std::uint64_t fire(std::int64_t score, std::uint16_t bx) const;
  [[nodiscard]] MenuDecision decide(std::int64_t score, std::uint16_t bx, MenuState& state) const;
  /// The bits that pass their prescale counters, given the pre-prescale bits (decide's second step;
  /// merging shards runs it again in event order, since a shard's counters start at 0).
  [[nodiscard]] std::uint64_t prescale(std::uint64_t before_prescale, MenuState& state) const;

 private:
  MenuConfig config_;
};

/// thresholds.json of shared/golden/axol1tl/*/testvectors: {"<bit>": {"threshold": N, "name": S}},
/// bits in ascending order, prescale 1, no mask. Throws ConfigError naming the file and key.
[[nodiscard]] MenuConfig read_thresholds_json(const std::filesystem::path& file);

}  // namespace l1emu::board
