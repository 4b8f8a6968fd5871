#pragma once
// The replay's counters (internal): events, processed events and bit fires per sample, latency
// extremes and sums, dead time and link losses. Built from decision records only, so a resumed run
// rebuilds them from its log and shards' counters add up to a one-process run's.
#include <cstddef>
#include <algorithm>
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

  void add(const DecisionRecord& r);  // defined below: inline, it runs once per event
  /// Events lost to dead time: neither processed nor lost on the links.
  [[nodiscard]] std::uint64_t dead_time_events() const { return events - accepted - link_lost; }

 private:
  std::size_t menu_size_;
  double budget_ns_;
};

inline void ReplayTotals::add(const DecisionRecord& r) {
  SampleCounters& s = samples.at(r.sample);
  ++events;
  ++s.events;
  if (r.outcome == Outcome::lost_on_links) ++link_lost;
  if (r.outcome != Outcome::processed) return;
  ++accepted;
  ++s.accepted;
  for (std::size_t b = 0; b < menu_size_; ++b) {
    s.fires_before[b] += (r.bits_before_prescale >> b) & 1U;
    s.fires_after[b] += (r.bits_after_prescale >> b) & 1U;
  }
  // Cycles count from the arrival in the board clock, ns from the BX start: their extremes can
  // belong to different events (the BX phase against a free-running board clock varies).
  const bool first = accepted == 1;
  latency_min_cycles = std::min<std::uint64_t>(latency_min_cycles, r.latency_cycles);
  latency_max_cycles = std::max<std::uint64_t>(latency_max_cycles, r.latency_cycles);
  latency_min_ns = first ? r.latency_ns : std::min(latency_min_ns, r.latency_ns);
  latency_max_ns = first ? r.latency_ns : std::max(latency_max_ns, r.latency_ns);
  latency_sum_ns += r.latency_ns;
  if (budget_ns_ > 0.0 && r.latency_ns > budget_ns_) ++over_budget;
}

}  // namespace l1emu::board::detail
