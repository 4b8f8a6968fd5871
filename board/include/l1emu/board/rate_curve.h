#pragma once
// Trigger rate as a function of the score-code threshold (issue 7 definitions):
//   an event passes threshold T when its score code >= T;
//   rate(T) = base rate x passed(T) / events.
// Every rate carries a Clopper-Pearson ("exact") central interval on the pass fraction, scaled by the
// base rate: lo = B^-1(a/2; k, n-k+1), hi = B^-1(1-a/2; k+1, n-k) with a = 1 - CL, lo = 0 at k = 0 and
// hi = 1 at k = n (Clopper & Pearson, Biometrika 26 (1934) 404). CL = 68.27 % (one Gaussian sigma).
#include <cstdint>
#include <span>
#include <vector>

#include "l1emu/board/score_histogram.h"

namespace l1emu::board {

inline constexpr double kConfidenceLevel = 0.6827;

struct FractionInterval {
  double lo = 0;
  double hi = 1;
};

/// Clopper-Pearson interval of the fraction k/n at confidence level `cl`; throws std::invalid_argument
/// for k > n or n == 0.
[[nodiscard]] FractionInterval clopper_pearson(std::uint64_t k, std::uint64_t n, double cl = kConfidenceLevel);

/// base_hz x passed / events, evaluated in that order in double precision (so an independent check
/// computing the same expression gets the identical number).
[[nodiscard]] double rate_hz(double base_hz, std::uint64_t passed, std::uint64_t events);

struct RatePoint {
  std::int64_t threshold = 0;
  std::uint64_t passed = 0;
  double rate_hz = 0;
  double rate_lo_hz = 0;
  double rate_hi_hz = 0;
};

/// The rate at one threshold.
[[nodiscard]] RatePoint rate_at(const ScoreHistogram& background, std::int64_t threshold, double base_hz);

struct RateCurve {
  double base_rate_hz = 0;
  std::uint64_t events = 0;
  std::vector<RatePoint> points;  // increasing threshold, one per distinct threshold
};

/// One point per distinct score code present in `background` and one per extra threshold, sorted by
/// threshold without duplicates. Throws std::invalid_argument for an empty histogram.
[[nodiscard]] RateCurve rate_curve(const ScoreHistogram& background, double base_hz,
                                   std::span<const std::int64_t> extra_thresholds = {});

}  // namespace l1emu::board
