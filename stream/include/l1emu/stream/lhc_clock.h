#pragma once
// LHC bunch-crossing clock (shared/FACTS.md section 1): 40.0789 MHz, 3564 BX slots per orbit,
// luminosity sections of 2^18 orbits. A BunchCrossing names one slot of one orbit; the global BX
// index (orbit x 3564 + bx) orders them and converts to time since the first slot of orbit 0.
#include <compare>
#include <cstdint>

#include "l1emu/stream/lhc_constants.h"

namespace l1emu::stream {

inline constexpr double kBxPeriodNs = 1e9 / kBunchCrossingHz;           // 24.95 ns
inline constexpr double kOrbitPeriodNs = kBxPeriodNs * kBxPerOrbit;      // 88.924 us
inline constexpr double kOrbitHz = kBunchCrossingHz / kBxPerOrbit;       // 11245.5 Hz
inline constexpr int kOrbitsPerLumiSectionLog2 = 18;
inline constexpr std::uint64_t kOrbitsPerLumiSection = std::uint64_t{1} << kOrbitsPerLumiSectionLog2;

struct BunchCrossing {
  std::uint64_t orbit = 0;
  std::uint16_t bx = 0;  // 0 .. kBxPerOrbit - 1

  /// orbit x 3564 + bx.
  [[nodiscard]] constexpr std::uint64_t global_index() const { return orbit * kBxPerOrbit + bx; }
  [[nodiscard]] static constexpr BunchCrossing from_global_index(std::uint64_t index) {
    return {index / kBxPerOrbit, static_cast<std::uint16_t>(index % kBxPerOrbit)};
  }
  /// The next slot; the last slot of an orbit is followed by slot 0 of the next orbit.
  [[nodiscard]] constexpr BunchCrossing next() const { return from_global_index(global_index() + 1); }
  /// Start of this slot in ns since slot 0 of orbit 0.
  [[nodiscard]] double time_ns() const { return static_cast<double>(global_index()) * kBxPeriodNs; }
  /// The slot that contains time t (ns since slot 0 of orbit 0; t >= 0).
  [[nodiscard]] static BunchCrossing at_time_ns(double t_ns);
  [[nodiscard]] constexpr std::uint64_t lumi_section() const { return orbit >> kOrbitsPerLumiSectionLog2; }

  friend constexpr auto operator<=>(const BunchCrossing& a, const BunchCrossing& b) {
    return a.global_index() <=> b.global_index();
  }
  friend constexpr bool operator==(const BunchCrossing&, const BunchCrossing&) = default;
};

}  // namespace l1emu::stream
