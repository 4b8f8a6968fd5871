#include "l1emu/stream/dataset_layout.h"

namespace l1emu::stream {
namespace {

PhysicalObject physical(const ParticleRow& r) { return {r.pt, r.eta, r.phi}; }

ParticleRow row(const PhysicalObject& p, ParticleClass c) {
  if (p.pt == 0.0 && c != ParticleClass::met) return {};
  return {p.pt, p.eta, p.phi, static_cast<double>(c)};
}

}  // namespace

Event to_event(const DatasetEvent& d) {
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
