#include "replay_totals.h"

#include <algorithm>

namespace l1emu::board::detail {

ReplayTotals::ReplayTotals(std::size_t sample_count, std::size_t menu_size, double latency_budget_ns)
    : samples(sample_count, SampleCounters{0, 0, std::vector<std::uint64_t>(menu_size, 0), std::vector<std::uint64_t>(menu_size, 0)}),
      menu_size_(menu_size),
      budget_ns_(latency_budget_ns) {}

}  // namespace l1emu::board::detail
