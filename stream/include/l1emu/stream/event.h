#pragma once
// One bunch crossing's worth of L1 objects in hardware units, as the uGT receives them
// (FACTS section 5: 8 muons, 12 e/gamma, 12 taus, 12 jets, 6 sums), stamped with orbit and BX by a
// filling scheme. Unused slots hold zero objects (zero word = no object).
#include <array>
#include <cstdint>

#include "l1emu/stream/l1_objects.h"

namespace l1emu::stream {

struct Event {
  static constexpr int kMuons = 8;
  static constexpr int kEGammas = 12;
  static constexpr int kTaus = 12;
  static constexpr int kJets = 12;

  std::uint64_t orbit = 0;
  std::uint16_t bx = 0;
  std::int64_t event_id = 0;

  std::array<Muon, kMuons> muons{};
  std::array<EGamma, kEGammas> egammas{};
  std::array<Tau, kTaus> taus{};
  std::array<Jet, kJets> jets{};
  std::array<EnergySum, kSumCount> sums{};

  [[nodiscard]] EnergySum& sum(SumKind k) { return sums[static_cast<int>(k)]; }
  [[nodiscard]] const EnergySum& sum(SumKind k) const { return sums[static_cast<int>(k)]; }

  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace l1emu::stream
