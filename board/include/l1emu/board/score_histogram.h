#pragma once
// Counts of events per integer score code, as a Boost.Histogram with one unit-width bin per code
// (an integer axis that grows to cover every code filled). Counts are exact integers, so histograms of
// files, shards or MPI ranks merge by addition and give exactly the histogram of the union
// (shared/DESIGN.md, scale-out): rates from many files add up exactly.
#include <boost/histogram.hpp>

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace l1emu::board {

class ScoreHistogram {
 public:
  /// Dense bins over [min code, max code] cost 8 bytes each; wider spans are refused rather than
  /// exhausting memory (a score code is an ap_fixed raw code, normally well under 2^24 values).
  static constexpr std::int64_t kMaxSpan = std::int64_t{1} << 26;

  ScoreHistogram();

  /// Adds one event per code. Throws std::length_error when the codes would span more than kMaxSpan.
  void fill(std::span<const std::int64_t> codes);
  /// Adds `count` events at `code`.
  void add(std::int64_t code, std::uint64_t count);
  /// Adds every bin of `other` (exact).
  ScoreHistogram& operator+=(const ScoreHistogram& other);

  [[nodiscard]] std::uint64_t total() const { return total_; }
  [[nodiscard]] bool empty() const { return total_ == 0; }
  /// Events with code == c.
  [[nodiscard]] std::uint64_t count(std::int64_t code) const;
  /// Events with code >= threshold (the events that pass threshold T, issue 7).
  [[nodiscard]] std::uint64_t count_at_least(std::int64_t threshold) const;
  /// (code, count) for every code with count > 0, in increasing code order.
  [[nodiscard]] std::vector<std::pair<std::int64_t, std::uint64_t>> nonzero_bins() const;
  /// Smallest and largest code filled; only meaningful when !empty().
  [[nodiscard]] std::int64_t min_code() const { return min_; }
  [[nodiscard]] std::int64_t max_code() const { return max_; }

  friend bool operator==(const ScoreHistogram& a, const ScoreHistogram& b) { return a.nonzero_bins() == b.nonzero_bins(); }

 private:
  using Axis = boost::histogram::axis::integer<int, boost::histogram::use_default, boost::histogram::axis::option::growth_t>;
  using Histogram = boost::histogram::histogram<std::tuple<Axis>, boost::histogram::dense_storage<std::uint64_t>>;

  void reserve_range(std::int64_t lo, std::int64_t hi);

  // Boost's integer axis indexes with int; codes are stored relative to origin_ (the first code seen)
  // so any int64 code works as long as the span fits kMaxSpan.
  std::int64_t origin_ = 0;
  bool has_origin_ = false;
  Histogram histogram_;
  std::uint64_t total_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace l1emu::board
