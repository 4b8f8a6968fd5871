#include "l1emu/stream/lhc_clock.h"

#include <cmath>
#include <stdexcept>

namespace l1emu::stream {

BunchCrossing BunchCrossing::at_time_ns(double t_ns) {
  if (!(t_ns >= 0.0) || !std::isfinite(t_ns)) throw std::invalid_argument("BunchCrossing::at_time_ns: time must be >= 0");
  auto index = static_cast<std::uint64_t>(std::floor(t_ns / kBxPeriodNs));
  // Guard the boundary against the division's rounding: slot k starts exactly at k x period.
  while (index > 0 && static_cast<double>(index) * kBxPeriodNs > t_ns) --index;
  while (static_cast<double>(index + 1) * kBxPeriodNs <= t_ns) ++index;
  return from_global_index(index);
}

}  // namespace l1emu::stream
