#include "l1emu/board/threshold_finder.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace l1emu::board {

TargetThreshold find_threshold(const ScoreHistogram& background, double base_hz, double target_hz) {
  if (background.empty()) throw std::invalid_argument("threshold for a target rate: empty background sample");
  if (!(std::isfinite(target_hz) && target_hz > 0))
    throw std::invalid_argument(fmt::format("target rate {} Hz: must be positive", target_hz));
  const std::uint64_t events = background.total();
  // rate_hz(base, n, n) may differ from base by rounding; the all-pass rate is the one compared below.
  if (target_hz >= base_hz || target_hz >= rate_hz(base_hz, events, events))
    throw std::invalid_argument(fmt::format("target rate {} Hz is not below the base rate {} Hz: every event passes "
                                            "any threshold at or below the lowest score code, so no threshold is needed",
                                            target_hz, base_hz));
  const auto bins = background.nonzero_bins();
  // Walk the codes downward; passed is the count with code >= the current code.
  std::uint64_t passed = 0;
  std::int64_t threshold = bins.front().first;  // reached only if target >= base rate, excluded above
  for (auto it = bins.rbegin(); it != bins.rend(); ++it) {
    passed += it->second;
    if (rate_hz(base_hz, passed, events) > target_hz) {
      if (it->first == std::numeric_limits<std::int64_t>::max())
        throw std::invalid_argument("threshold for a target rate: the largest int64 score code has no successor");
      threshold = it->first + 1;
      break;
    }
  }
  return {target_hz, threshold, rate_at(background, threshold, base_hz)};
}

}  // namespace l1emu::board
