#pragma once
// The rates analysis of issue 7 in one place: samples (one or many decision logs each, merged
// exactly), the rate curve, thresholds for target rates, efficiencies of signals at those
// thresholds, ROC/AUC per signal and the bit overlaps of the menu. Outputs are in rates_report.h.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "l1emu/board/base_rate.h"
#include "l1emu/board/bit_overlap.h"
#include "l1emu/board/decision_log_reader.h"
#include "l1emu/board/rate_curve.h"
#include "l1emu/board/roc.h"
#include "l1emu/board/score_histogram.h"
#include "l1emu/board/threshold_finder.h"

namespace l1emu::board {

/// One sample (background or a signal): the merged counts of all its logs.
struct Sample {
  std::string name;
  std::vector<std::filesystem::path> logs;
  DecisionLogMetadata metadata;  // of the first log
  ScoreHistogram scores;
  BitPatternCounts bits;
};

/// Reads every log (chunked) and merges them; throws stream::DataError naming the file for a bad or
/// empty log and for logs of one sample whose bit names differ, std::invalid_argument for no logs.
[[nodiscard]] Sample load_sample(std::string name, const std::vector<std::filesystem::path>& logs,
                                 std::size_t chunk_events = 1 << 16);

struct RatesConfig {
  BaseRateSpec base_rate{true, 0};
  std::vector<double> target_rates_hz;
  std::vector<std::int64_t> thresholds;
};

struct Efficiency {
  std::int64_t threshold = 0;
  std::uint64_t passed = 0;
  std::uint64_t events = 0;
  double efficiency = 0;
  double lo = 0;
  double hi = 1;
};

struct SignalResult {
  std::string name;
  std::uint64_t events = 0;
  Roc roc;
  std::vector<Efficiency> at_targets;     // aligned with RatesResult::targets
  std::vector<Efficiency> at_thresholds;  // aligned with RatesResult::at_thresholds
};

struct RatesResult {
  BaseRate base_rate;
  std::uint64_t events = 0;
  RateCurve curve;
  std::vector<TargetThreshold> targets;
  std::vector<RatePoint> at_thresholds;  // the --threshold values
  std::vector<SignalResult> signals;
  BitOverlap bits;  // empty when the background log has no bits
};

/// Efficiency (fraction passing code >= threshold) with its Clopper-Pearson interval.
[[nodiscard]] Efficiency efficiency_at(const ScoreHistogram& sample, std::int64_t threshold);

/// Throws std::invalid_argument for a target not below the base rate and for an unresolvable base rate.
[[nodiscard]] RatesResult compute_rates(const Sample& background, const std::vector<Sample>& signals,
                                        const RatesConfig& config);

}  // namespace l1emu::board
