#include "replay_totals.h"

#include <algorithm>

namespace l1emu::board::detail {

ReplayTotals::ReplayTotals(std::size_t sample_count, std::size_t menu_size, double latency_budget_ns)
    : samples(sample_count, SampleCounters{0, 0, std::vector<std::uint64_t>(menu_size, 0), std::vector<std::uint64_t>(menu_size, 0)}),
      menu_size_(menu_size),
      budget_ns_(latency_budget_ns) {}

void ReplayTotals::add(const DecisionRecord& r) {
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
