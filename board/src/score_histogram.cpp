#include "l1emu/board/score_histogram.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace l1emu::board {

namespace bh = boost::histogram;

// Starts with a single bin; the growing axis extends itself to every code filled.
ScoreHistogram::ScoreHistogram() : histogram_(bh::make_histogram_with(bh::dense_storage<std::uint64_t>(), Axis(0, 1))) {}

void ScoreHistogram::reserve_range(std::int64_t lo, std::int64_t hi) {
  const std::int64_t new_lo = has_origin_ ? std::min(lo, min_) : lo;
  const std::int64_t new_hi = has_origin_ ? std::max(hi, max_) : hi;
  // Unsigned difference: exact for any int64 pair with new_hi >= new_lo. The origin lies inside the
  // range, so every relative code fits an int once the span does.
  const std::uint64_t span = static_cast<std::uint64_t>(new_hi) - static_cast<std::uint64_t>(new_lo);
  if (span >= static_cast<std::uint64_t>(kMaxSpan))
    throw std::length_error(fmt::format("score codes from {} to {} span more than {} values; a score histogram of that "
                                        "width is not supported",
                                        new_lo, new_hi, kMaxSpan));
  if (!has_origin_) {
    origin_ = lo;
    has_origin_ = true;
  }
  min_ = new_lo;
  max_ = new_hi;
}

void ScoreHistogram::fill(std::span<const std::int64_t> codes) {
  if (codes.empty()) return;
  const auto [lo, hi] = std::minmax_element(codes.begin(), codes.end());
  reserve_range(*lo, *hi);
  std::vector<int> relative(codes.size());
  std::transform(codes.begin(), codes.end(), relative.begin(), [this](std::int64_t c) { return static_cast<int>(c - origin_); });
  histogram_.fill(relative);
  total_ += codes.size();
}

void ScoreHistogram::add(std::int64_t code, std::uint64_t n) {
  if (n == 0) return;
  reserve_range(code, code);
  histogram_(static_cast<int>(code - origin_), bh::weight(n));
  total_ += n;
}

ScoreHistogram& ScoreHistogram::operator+=(const ScoreHistogram& other) {
  if (other.empty()) return *this;
  // Boost.Histogram adds histograms only with identical axes; shards cover different code ranges, so
  // the bins of `other` are added one by one into this growing axis (still exact integer sums).
  reserve_range(other.min_, other.max_);
  for (const auto& [code, n] : other.nonzero_bins()) {
    histogram_(static_cast<int>(code - origin_), bh::weight(n));
    total_ += n;
  }
  return *this;
}

std::uint64_t ScoreHistogram::count(std::int64_t code) const {
  if (empty() || code < min_ || code > max_) return 0;
  const int index = histogram_.axis().index(static_cast<int>(code - origin_));
  return histogram_.at(index);
}

std::uint64_t ScoreHistogram::count_at_least(std::int64_t threshold) const {
  std::uint64_t n = 0;
  for (const auto& bin : bh::indexed(histogram_)) {
    if (*bin == 0) continue;
    if (origin_ + static_cast<std::int64_t>(bin.bin()) >= threshold) n += *bin;
  }
  return n;
}

std::vector<std::pair<std::int64_t, std::uint64_t>> ScoreHistogram::nonzero_bins() const {
  std::vector<std::pair<std::int64_t, std::uint64_t>> out;
  if (empty()) return out;
  for (const auto& bin : bh::indexed(histogram_)) {
    if (*bin != 0) out.emplace_back(origin_ + static_cast<std::int64_t>(bin.bin()), *bin);
  }
  return out;
}

}  // namespace l1emu::board
