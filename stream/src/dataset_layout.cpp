#include "l1emu/stream/dataset_layout.h"

#include <cmath>

#include "l1emu/stream/l1_objects.h"

namespace l1emu::stream {
namespace {

PhysicalObject physical(const ParticleRow& r) { return {r.pt, r.eta, r.phi}; }

// A hardware eta code stands for its bin [(c - 1/2) LSB, (c + 1/2) LSB) and to_physical gives the
// centre. Where the bin straddles the class's acceptance edge (e/gamma code 69 = 3.0015 holds
// 2.98..3.02 for |eta| < 3; jet code 92 for |eta| < 4), the centre lies outside, and the data policy
// would zero, when the file is read back, an object the hardware carried. Such a bin is written as
// the largest float32 inside the acceptance: a value of the same bin (it encodes to the same code),
// exact in float32 and float64 files alike, so decode -> encode reproduces the links.
double eta_in_bin_inside_acceptance(double eta, ParticleClass c) {
  const double limit = layout::eta_limit(c);
  if (limit <= 0.0 || std::abs(eta) < limit) return eta;
  const double lsb = c == ParticleClass::muon ? scales::kMuonEtaLsb : scales::kCaloEtaLsb;
  const double inside = std::copysign(static_cast<double>(std::nextafter(static_cast<float>(limit), 0.0F)), eta);
  const auto code = [lsb](double x) { return std::floor(x / lsb + 0.5); };
  return code(inside) == code(eta) ? inside : eta;  // a bin wholly outside stays outside (the policy decides)
}

ParticleRow row(const PhysicalObject& p, ParticleClass c) {
  if (p.pt == 0.0 && c != ParticleClass::met) return {};
  return {p.pt, eta_in_bin_inside_acceptance(p.eta, c), p.phi, static_cast<double>(c)};
}

}  // namespace

Event to_event_per_object(const DatasetEvent& d) {
  using namespace layout;
  Event e;
  e.event_id = d.event_id;
  e.sum(SumKind::etm) = EnergySum::from_physical(physical(d.rows[kMetRow]));
  for (int i = 0; i < kElectrons; ++i) e.egammas[i] = EGamma::from_physical(physical(d.rows[kFirstElectronRow + i]));
  for (int i = 0; i < kMuons; ++i) e.muons[i] = Muon::from_physical(physical(d.rows[kFirstMuonRow + i]));
  for (int i = 0; i < kJets; ++i) e.jets[i] = Jet::from_physical(physical(d.rows[kFirstJetRow + i]));
  return e;
}

DatasetEvent to_dataset_event(const Event& e) {
  using namespace layout;
  DatasetEvent d;
  d.event_id = e.event_id;
  d.rows[kMetRow] = row(e.sum(SumKind::etm).to_physical(), ParticleClass::met);
  for (int i = 0; i < kElectrons; ++i)
    d.rows[kFirstElectronRow + i] = row(e.egammas[i].to_physical(), ParticleClass::electron);
  for (int i = 0; i < kMuons; ++i) d.rows[kFirstMuonRow + i] = row(e.muons[i].to_physical(), ParticleClass::muon);
  for (int i = 0; i < kJets; ++i) d.rows[kFirstJetRow + i] = row(e.jets[i].to_physical(), ParticleClass::jet);
  return d;
}

}  // namespace l1emu::stream
