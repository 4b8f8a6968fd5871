#pragma once
// Unique and overlap rates of the menu's algorithm bits (issue 7), from exact counts of each pattern
// of bits (mergeable across files like the score histogram).
//   passed(i)      events with bit i set;
//   unique(i)      events with bit i set and no other bit set (what bit i alone adds to the menu);
//   overlap(i, j)  events with bits i and j both set (overlap(i, i) = passed(i));
//   any            events with at least one bit set (the menu's total);
//   after prescale events with bit i set after its prescale (the bit's rate in the menu; the log's
//                  bits_after_prescale, counted by the board's prescale counters).
// Rates are base rate x count / events with Clopper-Pearson intervals, as in rate_curve.h.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/board/decision_log_reader.h"
#include "l1emu/board/rate_curve.h"

namespace l1emu::board {

class BitPatternCounts {
 public:
  BitPatternCounts() = default;
  /// `prescales`: one per bit, or empty when the logs have none.
  explicit BitPatternCounts(std::vector<std::string> bit_names, std::vector<std::uint32_t> prescales = {});

  /// Counts the patterns of one chunk; throws std::invalid_argument when its bit count differs.
  void fill(const DecisionChunk& chunk);
  /// Adds the counts of `other`; throws std::invalid_argument when the bit names differ.
  BitPatternCounts& operator+=(const BitPatternCounts& other);

  [[nodiscard]] const std::vector<std::string>& bit_names() const { return names_; }
  [[nodiscard]] std::uint64_t events() const { return events_; }
  /// Pattern (bit i of the key = column i of bits, any nonzero byte counts as set) -> events.
  [[nodiscard]] const std::map<std::uint64_t, std::uint64_t>& patterns() const { return patterns_; }
  [[nodiscard]] const std::vector<std::uint32_t>& prescales() const { return prescales_; }
  /// Events with each bit set after prescale; empty unless every chunk carried bits after prescale.
  [[nodiscard]] const std::vector<std::uint64_t>& passed_after_prescale() const { return after_; }

 private:
  std::vector<std::string> names_;
  std::vector<std::uint32_t> prescales_;
  std::vector<std::uint64_t> after_;
  bool after_complete_ = true;  // every chunk so far had bits after prescale
  std::map<std::uint64_t, std::uint64_t> patterns_;
  std::uint64_t events_ = 0;
};

struct BitRates {
  std::string name;
  RatePoint passed;  // before prescale; threshold field unused
  RatePoint unique;
  std::vector<RatePoint> overlap;           // per other bit, in bit order
  std::uint32_t prescale = 1;               // 1 when the log records none
  std::optional<RatePoint> after_prescale;  // when the log has bits after prescale
};

struct BitOverlap {
  std::vector<BitRates> bits;
  RatePoint any;
  std::uint64_t events = 0;
};

/// Rates of every bit; empty when the log has no bits. Throws std::invalid_argument for no events.
[[nodiscard]] BitOverlap bit_overlap(const BitPatternCounts& counts, double base_hz);

}  // namespace l1emu::board
