#pragma once
// The threshold for a target rate (issue 7): the smallest integer score code T whose rate does not
// exceed the target, so that the rate at T-1 exceeds it. rate(T) never increases with T, and it
// changes only just above a code present, so T is (the largest code c with rate(c) > target) + 1.
// The comparison is made on rates computed by rate_hz() (rate_curve.h), the same numbers reported.
#include <cstdint>

#include "l1emu/board/rate_curve.h"
#include "l1emu/board/score_histogram.h"

namespace l1emu::board {

struct TargetThreshold {
  double target_rate_hz = 0;
  std::int64_t threshold = 0;
  RatePoint at;  // rate and its interval at `threshold`
};

/// Throws std::invalid_argument when the target is not below the base rate (every threshold at or
/// below the lowest code gives the base rate, so no threshold has a rate above it at T-1), when the
/// target is not positive, or for an empty background.
[[nodiscard]] TargetThreshold find_threshold(const ScoreHistogram& background, double base_hz, double target_hz);

}  // namespace l1emu::board
