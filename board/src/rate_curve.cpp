#include "l1emu/board/rate_curve.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <map>
#include <stdexcept>

namespace l1emu::board {

FractionInterval clopper_pearson(std::uint64_t k, std::uint64_t n, double cl) {
  if (n == 0) throw std::invalid_argument("Clopper-Pearson interval of 0 trials");
  if (k > n) throw std::invalid_argument(fmt::format("Clopper-Pearson interval: {} successes in {} trials", k, n));
  if (!(cl > 0 && cl < 1)) throw std::invalid_argument("Clopper-Pearson interval: confidence level outside (0, 1)");
  const double alpha = 1 - cl;
  const auto kd = static_cast<double>(k), nd = static_cast<double>(n);
  FractionInterval r;
  r.lo = k == 0 ? 0.0 : boost::math::quantile(boost::math::beta_distribution<double>(kd, nd - kd + 1), alpha / 2);
  r.hi = k == n ? 1.0 : boost::math::quantile(boost::math::beta_distribution<double>(kd + 1, nd - kd), 1 - alpha / 2);
  return r;
}

double rate_hz(double base_hz, std::uint64_t passed, std::uint64_t events) {
  return base_hz * static_cast<double>(passed) / static_cast<double>(events);
}

namespace {

RatePoint make_point(std::int64_t threshold, std::uint64_t passed, std::uint64_t events, double base_hz) {
  const FractionInterval ci = clopper_pearson(passed, events);
  return {threshold, passed, rate_hz(base_hz, passed, events), base_hz * ci.lo, base_hz * ci.hi};
}

}  // namespace

RatePoint rate_at(const ScoreHistogram& background, std::int64_t threshold, double base_hz) {
  if (background.empty()) throw std::invalid_argument("rate of an empty background sample");
  return make_point(threshold, background.count_at_least(threshold), background.total(), base_hz);
}

RateCurve rate_curve(const ScoreHistogram& background, double base_hz, std::span<const std::int64_t> extra_thresholds) {
  if (background.empty()) throw std::invalid_argument("rate curve of an empty background sample");
  const auto bins = background.nonzero_bins();
  // passed(T) for T = each code present: suffix sums over the bins.
  std::map<std::int64_t, std::uint64_t> passed;
  std::uint64_t above = 0;
  for (auto it = bins.rbegin(); it != bins.rend(); ++it) {
    above += it->second;
    passed[it->first] = above;
  }
  for (const std::int64_t t : extra_thresholds) {
    if (passed.contains(t)) continue;
    const auto next = std::lower_bound(bins.begin(), bins.end(), t, [](const auto& b, std::int64_t v) { return b.first < v; });
    passed[t] = next == bins.end() ? 0 : passed.at(next->first);
  }
  RateCurve curve{base_hz, background.total(), {}};
  curve.points.reserve(passed.size());
  for (const auto& [t, k] : passed) curve.points.push_back(make_point(t, k, background.total(), base_hz));
  return curve;
}

}  // namespace l1emu::board
