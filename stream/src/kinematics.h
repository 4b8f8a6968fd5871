#pragma once
// Private helpers of the event generator: four-vectors, boosts and isotropic two-body decays.
// Transcendental functions are portable_math's: the same bits on every IEEE platform.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

#include "l1emu/stream/portable_math.h"
#include "l1emu/stream/random.h"

namespace l1emu::stream::kinematics {

struct FourVector {
  double px = 0, py = 0, pz = 0, e = 0;

  [[nodiscard]] static FourVector from_pt_eta_phi_m(double pt, double eta, double phi, double m) {
    const double pz = pt * portable_math::sinh(eta);
    const auto [sin_phi, cos_phi] = portable_math::sin_cos(phi);
    return {pt * cos_phi, pt * sin_phi, pz, std::sqrt(pt * pt + pz * pz + m * m)};
  }
  /// Transverse mass mT = sqrt(m^2 + pT^2) with rapidity y.
  [[nodiscard]] static FourVector from_pt_y_phi_m(double pt, double y, double phi, double m) {
    const double mt = std::sqrt(m * m + pt * pt);
    const auto [sin_phi, cos_phi] = portable_math::sin_cos(phi);
    const auto [sinh_y, cosh_y] = portable_math::sinh_cosh(y);
    return {pt * cos_phi, pt * sin_phi, mt * sinh_y, mt * cosh_y};
  }
  [[nodiscard]] double pt() const { return portable_math::hypot(px, py); }
  [[nodiscard]] double p() const { return std::sqrt(px * px + py * py + pz * pz); }
  /// Azimuth in [-pi, pi].
  [[nodiscard]] double phi() const { return portable_math::atan2(py, px); }
  /// Pseudorapidity; +-20 along the beam.
  [[nodiscard]] double eta() const { return eta(pt()); }
  /// The same from pt() already at hand (hypot is not cheap).
  [[nodiscard]] double eta(double pt_) const {
    if (pt_ == 0.0) return pz >= 0 ? 20.0 : -20.0;
    return portable_math::asinh(pz / pt_);
  }
  FourVector operator+(const FourVector& o) const { return {px + o.px, py + o.py, pz + o.pz, e + o.e}; }
  FourVector operator*(double s) const { return {px * s, py * s, pz * s, e * s}; }

  /// Lorentz boost by velocity (bx, by, bz).
  [[nodiscard]] FourVector boosted(double bx, double by, double bz) const {
    const double b2 = bx * bx + by * by + bz * bz;
    if (b2 <= 0.0) return *this;
    const double gamma = 1.0 / std::sqrt(1.0 - b2);
    const double bp = bx * px + by * py + bz * pz;
    const double g2 = (gamma - 1.0) / b2;
    return {px + g2 * bp * bx + gamma * bx * e, py + g2 * bp * by + gamma * by * e, pz + g2 * bp * bz + gamma * bz * e,
            gamma * (e + bp)};
  }
};

/// Isotropic decay of `parent` (mass m) into masses m1, m2 (m1 + m2 <= m), in the lab frame.
inline std::pair<FourVector, FourVector> two_body_decay(const FourVector& parent, double m, double m1, double m2,
                                                        Random& rng) {
  const double s = m * m;
  const double lambda = (s - (m1 + m2) * (m1 + m2)) * (s - (m1 - m2) * (m1 - m2));
  const double p = lambda > 0 ? std::sqrt(lambda) / (2.0 * m) : 0.0;
  const double cos_t = rng.uniform(-1.0, 1.0);
  const double sin_t = std::sqrt(std::max(0.0, 1.0 - cos_t * cos_t));
  const auto [sin_phi, cos_phi] = portable_math::sin_cos(rng.uniform(0.0, 2.0 * std::numbers::pi));
  const FourVector a{p * sin_t * cos_phi, p * sin_t * sin_phi, p * cos_t, std::sqrt(p * p + m1 * m1)};
  const FourVector b{-a.px, -a.py, -a.pz, std::sqrt(p * p + m2 * m2)};
  const double bx = parent.px / parent.e, by = parent.py / parent.e, bz = parent.pz / parent.e;
  return {a.boosted(bx, by, bz), b.boosted(bx, by, bz)};
}

}  // namespace l1emu::stream::kinematics
