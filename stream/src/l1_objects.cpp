#include "l1emu/stream/l1_objects.h"

#include <array>
#include <cmath>
#include <numbers>

namespace l1emu::stream {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

/// phi in (-pi, pi]: the dataset convention (FACTS section 3, rad).
double wrap_signed(double phi) {
  while (phi > std::numbers::pi) phi -= kTwoPi;
  while (phi <= -std::numbers::pi) phi += kTwoPi;
  return phi;
}

double phi_value_exact(std::uint32_t code, int bins) { return wrap_signed(code * (kTwoPi / bins)); }

/// phi_value_exact of every code of a 10-bit field, computed once: feature builders ask for it per
/// object and event, and the wrap loops cost more than a table lookup.
template <int Bins>
const std::array<double, 1024>& phi_table() {
  static const std::array<double, 1024> table = [] {
    std::array<double, 1024> t{};
    for (std::uint32_t c = 0; c < t.size(); ++c) t[c] = phi_value_exact(c, Bins);
    return t;
  }();
  return table;
}

}  // namespace

namespace hw {

std::uint32_t pt_code(double pt_gev, int bits) {
  const double max_code = static_cast<double>((1u << bits) - 1);
  if (!(pt_gev > 0.0)) return 0;  // also NaN
  const double code = std::floor(pt_gev / scales::kPtLsbGeV + 0.5);
  return static_cast<std::uint32_t>(code >= max_code ? max_code : code);
}

std::int32_t eta_code(double eta, double lsb, int bits) {
  const double lo = -static_cast<double>(1 << (bits - 1));
  const double hi = static_cast<double>((1 << (bits - 1)) - 1);
  if (std::isnan(eta)) return 0;
  const double code = std::floor(eta / lsb + 0.5);
  return static_cast<std::int32_t>(code < lo ? lo : (code > hi ? hi : code));
}

std::uint32_t phi_code(double phi, int bins) {
  if (!std::isfinite(phi)) return 0;
  // fmod(x, y) is x itself when |x| < |y| (fmod is exact): skip the call for the usual phi.
  double x = std::abs(phi) < kTwoPi ? phi : std::fmod(phi, kTwoPi);
  if (x < 0) x += kTwoPi;
  const double lsb = kTwoPi / bins;
  const auto code = static_cast<std::int64_t>(std::floor(x / lsb + 0.5));
  // code is in [0, bins] here; the division is only needed for the one wrapping value.
  return static_cast<std::uint32_t>(code < bins ? code : code % bins);
}

double phi_value(std::uint32_t code, int bins) {
  if (code < 1024) {
    if (bins == scales::kCaloPhiBins) return phi_table<scales::kCaloPhiBins>()[code];
    if (bins == scales::kMuonPhiBins) return phi_table<scales::kMuonPhiBins>()[code];
  }
  return phi_value_exact(code, bins);
}

}  // namespace hw

// ---- Muon ----------------------------------------------------------------------------------------

PhysicalObject Muon::to_physical() const {
  if (!valid()) return {};
  return {hw_pt * scales::kPtLsbGeV, hw_eta * scales::kMuonEtaLsb, hw::phi_value(hw_phi, scales::kMuonPhiBins)};
}

Muon Muon::from_physical(const PhysicalObject& p) {
  Muon m;
  m.hw_pt = static_cast<std::uint16_t>(hw::pt_code(p.pt, kPtBits));
  if (m.hw_pt == 0) return {};
  m.hw_eta = static_cast<std::int16_t>(hw::eta_code(p.eta, scales::kMuonEtaLsb, kEtaBits));
  m.hw_phi = static_cast<std::uint16_t>(hw::phi_code(p.phi, scales::kMuonPhiBins));
  m.hw_phi_out = m.hw_phi;
  m.quality = 12;
  return m;
}

// ---- e/gamma, tau --------------------------------------------------------------------------------

PhysicalObject CaloObject::to_physical() const {
  if (!valid()) return {};
  return {hw_et * scales::kPtLsbGeV, hw_eta * scales::kCaloEtaLsb, hw::phi_value(hw_phi, scales::kCaloPhiBins)};
}

CaloObject CaloObject::from_physical(const PhysicalObject& p) {
  CaloObject c;
  c.hw_et = static_cast<std::uint16_t>(hw::pt_code(p.pt, kEtBits));
  if (c.hw_et == 0) return {};
  c.hw_eta = static_cast<std::int16_t>(hw::eta_code(p.eta, scales::kCaloEtaLsb, kEtaBits));
  c.hw_phi = static_cast<std::uint16_t>(hw::phi_code(p.phi, scales::kCaloPhiBins));
  return c;
}

// ---- jet -----------------------------------------------------------------------------------------

PhysicalObject Jet::to_physical() const {
  if (!valid()) return {};
  return {hw_et * scales::kPtLsbGeV, hw_eta * scales::kCaloEtaLsb, hw::phi_value(hw_phi, scales::kCaloPhiBins)};
}

Jet Jet::from_physical(const PhysicalObject& p) {
  Jet j;
  j.hw_et = static_cast<std::uint16_t>(hw::pt_code(p.pt, kEtBits));
  if (j.hw_et == 0) return {};
  j.hw_eta = static_cast<std::int16_t>(hw::eta_code(p.eta, scales::kCaloEtaLsb, kEtaBits));
  j.hw_phi = static_cast<std::uint16_t>(hw::phi_code(p.phi, scales::kCaloPhiBins));
  return j;
}

// ---- energy sums ---------------------------------------------------------------------------------

PhysicalObject EnergySum::to_physical() const {
  return {hw_et * scales::kPtLsbGeV, 0.0, hw::phi_value(hw_phi, scales::kCaloPhiBins)};
}

EnergySum EnergySum::from_physical(const PhysicalObject& p) {
  return {static_cast<std::uint16_t>(hw::pt_code(p.pt, kEtBits)),
          static_cast<std::uint16_t>(hw::phi_code(p.phi, scales::kCaloPhiBins))};
}

}  // namespace l1emu::stream
