#include "l1emu/board/rates_analysis.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

#include "l1emu/stream/error.h"

namespace l1emu::board {

Sample load_sample(std::string name, const std::vector<std::filesystem::path>& logs, std::size_t chunk_events) {
  if (logs.empty()) throw std::invalid_argument(fmt::format("sample '{}': no decision log given", name));
  Sample sample;
  sample.name = std::move(name);
  DecisionChunk chunk;
  for (const auto& log : logs) {
    DecisionLogReader reader(log, chunk_events);
    if (sample.logs.empty()) {
      sample.metadata = reader.metadata();
      sample.bits = BitPatternCounts(reader.metadata().bit_names, reader.metadata().prescales);
    } else if (reader.metadata().bit_names != sample.metadata.bit_names || reader.metadata().prescales != sample.metadata.prescales) {
      throw stream::DataError(fmt::format("{}: bit names [{}] (or their prescales) differ from [{}] of {} (logs of sample '{}' must come from "
                                          "the same menu)",
                                          reader.path().string(), fmt::join(reader.metadata().bit_names, ", "),
                                          fmt::join(sample.metadata.bit_names, ", "), sample.logs.front().string(),
                                          sample.name));
    }
    if (!sample.logs.empty() && (reader.metadata().colliding_bunches != sample.metadata.colliding_bunches ||
                                 reader.metadata().filling_scheme != sample.metadata.filling_scheme)) {
      // The zero-bias base rate is taken from the first log; merging logs of different fills would
      // give a rate that belongs to neither.
      throw stream::DataError(fmt::format("{}: colliding_bunches/filling_scheme differ from those of {} (logs of "
                                          "sample '{}' must share the filling scheme)",
                                          reader.path().string(), sample.logs.front().string(), sample.name));
    }
    sample.logs.push_back(reader.path());
    // Each log gets its own histogram, merged afterwards: the same path as shards from other machines.
    ScoreHistogram scores;
    while (reader.read_next(chunk)) {
      try {
        scores.fill(chunk.score_code);
      } catch (const std::length_error& e) {
        throw stream::DataError(fmt::format("{}: /decisions/score_code: {}", reader.path().string(), e.what()));
      }
      sample.bits.fill(chunk);
    }
    try {
      sample.scores += scores;
    } catch (const std::length_error& e) {
      throw stream::DataError(fmt::format("sample '{}' ({}): {}", sample.name, reader.path().string(), e.what()));
    }
  }
  return sample;
}

Efficiency efficiency_at(const ScoreHistogram& sample, std::int64_t threshold) {
  if (sample.empty()) throw std::invalid_argument("efficiency of an empty sample");
  Efficiency e;
  e.threshold = threshold;
  e.passed = sample.count_at_least(threshold);
  e.events = sample.total();
  e.efficiency = static_cast<double>(e.passed) / static_cast<double>(e.events);
  const FractionInterval ci = clopper_pearson(e.passed, e.events);
  e.lo = ci.lo;
  e.hi = ci.hi;
  return e;
}

RatesResult compute_rates(const Sample& background, const std::vector<Sample>& signals, const RatesConfig& config) {
  RatesResult r;
  try {
    r.base_rate = resolve_base_rate(config.base_rate, background.metadata);
  } catch (const std::invalid_argument& e) {
    // The zero-bias rate is read from the first background log's attributes: name it.
    if (background.logs.empty()) throw;
    throw std::invalid_argument(fmt::format("{}: {}", background.logs.front().string(), e.what()));
  }
  r.events = background.scores.total();
  r.curve = rate_curve(background.scores, r.base_rate.hz, config.thresholds);
  for (const double target : config.target_rates_hz) r.targets.push_back(find_threshold(background.scores, r.base_rate.hz, target));
  for (const std::int64_t t : config.thresholds) r.at_thresholds.push_back(rate_at(background.scores, t, r.base_rate.hz));
  for (const Sample& s : signals) {
    SignalResult sr;
    sr.name = s.name;
    sr.events = s.scores.total();
    sr.roc = compute_roc(s.scores, background.scores);
    for (const auto& t : r.targets) sr.at_targets.push_back(efficiency_at(s.scores, t.threshold));
    for (const std::int64_t t : config.thresholds) sr.at_thresholds.push_back(efficiency_at(s.scores, t));
    r.signals.push_back(std::move(sr));
  }
  if (!background.bits.bit_names().empty()) r.bits = bit_overlap(background.bits, r.base_rate.hz);
  return r;
}

}  // namespace l1emu::board
