#pragma once
// The replay's counters (internal): events, processed events and bit fires per sample, latency
// extremes and sums, dead time and link losses. Built from decision records only, so a resumed run
// rebuilds them from its log and shards' counters add up to a one-process run's.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "l1emu/board/decision_record.h"

namespace l1emu::board::detail {

struct SampleCounters {
  std::uint64_t events = 0;
  std::uint64_t accepted = 0;
  std::vector<std::uint64_t> fires_before;
  std::vector<std::uint64_t> fires_after;
};

struct ReplayTotals {
  ReplayTotals(std::size_t samples, std::size_t menu_size, double latency_budget_ns);

  std::vector<SampleCounters> samples;
  std::uint64_t events = 0;
  std::uint64_t accepted = 0;
  std::uint64_t latency_min_cycles = UINT64_MAX;
  std::uint64_t latency_max_cycles = 0;
  double latency_min_ns = 0.0;
  double latency_max_ns = 0.0;
  double latency_sum_ns = 0.0;
  std::uint64_t over_budget = 0;
  std::uint64_t link_lost = 0;  // events whose packets the links damaged (not dead time)

  void add(const DecisionRecord& r);
  /// Events lost to dead time: neither processed nor lost on the links.
  [[nodiscard]] std::uint64_t dead_time_events() const { return events - accepted - link_lost; }

 private:
  std::size_t menu_size_;
  double budget_ns_;
};

}  // namespace l1emu::board::detail
