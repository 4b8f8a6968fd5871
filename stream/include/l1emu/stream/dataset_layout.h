#pragma once
// The layout of the 40 MHz dataset (arXiv 2107.02157; shared/FACTS.md section 3): per event 19 rows
// of [pT, eta, phi, class]. Row 0 = MET (class 1, eta 0), rows 1-4 electrons (class 2), 5-8 muons
// (class 3), 9-18 jets (class 4); pT-ordered within a class; empty slots all zero with class 0.
#include <array>
#include <cstdint>
#include <string_view>

#include "l1emu/stream/event.h"

namespace l1emu::stream {

enum class ParticleClass : std::uint8_t { empty = 0, met = 1, electron = 2, muon = 3, jet = 4 };

namespace layout {
inline constexpr int kRows = 19;
inline constexpr int kColumns = 4;
inline constexpr int kMetRow = 0;
inline constexpr int kFirstElectronRow = 1;
inline constexpr int kElectrons = 4;
inline constexpr int kFirstMuonRow = 5;
inline constexpr int kMuons = 4;
inline constexpr int kFirstJetRow = 9;
inline constexpr int kJets = 10;

inline constexpr std::string_view kParticlesDataset = "Particles";
inline constexpr std::string_view kNamesDataset = "Particles_Names";
inline constexpr std::string_view kClassesDataset = "Particles_Classes";
inline constexpr std::string_view kEventIdDataset = "EvtId";
inline constexpr std::array<std::string_view, 4> kColumnNames = {"Pt", "Eta", "Phi", "Class"};
inline constexpr std::array<std::string_view, 4> kClassNames = {"MET_class_1", "Four_Ele_class_2",
                                                                "Four_Mu_class_3", "Ten_Jet_class_4"};

/// Acceptance of FACTS section 3: |eta| < 3 (e), 2.1 (mu), 4 (jets).
inline constexpr double kElectronEtaMax = 3.0;
inline constexpr double kMuonEtaMax = 2.1;
inline constexpr double kJetEtaMax = 4.0;
/// Event filter: leading electron or leading muon pT > 23 GeV.
inline constexpr double kLeptonFilterPtGeV = 23.0;

/// The class a row must carry when it holds an object.
[[nodiscard]] constexpr ParticleClass row_class(int row) {
  if (row == kMetRow) return ParticleClass::met;
  if (row < kFirstMuonRow) return ParticleClass::electron;
  if (row < kFirstJetRow) return ParticleClass::muon;
  return ParticleClass::jet;
}
[[nodiscard]] constexpr double eta_limit(ParticleClass c) {
  switch (c) {
    case ParticleClass::electron: return kElectronEtaMax;
    case ParticleClass::muon: return kMuonEtaMax;
    case ParticleClass::jet: return kJetEtaMax;
    default: return 0.0;
  }
}
}  // namespace layout

struct ParticleRow {
  double pt = 0.0;
  double eta = 0.0;
  double phi = 0.0;
  double cls = 0.0;  // stored as a float in the file; 0..4
  friend bool operator==(const ParticleRow&, const ParticleRow&) = default;
};

/// One event in the dataset's physical layout.
struct DatasetEvent {
  std::int64_t event_id = 0;
  std::array<ParticleRow, layout::kRows> rows{};
  friend bool operator==(const DatasetEvent&, const DatasetEvent&) = default;
};

/// Rows -> hardware objects: MET -> ETM, electrons -> e/gamma 0-3, muons -> muons 0-3, jets ->
/// jets 0-9 (rounding and saturation of l1_objects.h). Orbit and BX are left at 0.
[[nodiscard]] Event to_event(const DatasetEvent& d);
/// The same into `out` (every field assigned, orbit and BX 0): a batch's slot is filled in place.
void to_event(const DatasetEvent& d, Event& out);
/// The same, object by object through the from_physical of l1_objects.h: the definition to_event
/// keeps to (to_event computes the 19 rows' codes together, branch-free; event_from_rows.cpp).
[[nodiscard]] Event to_event_per_object(const DatasetEvent& d);
/// Hardware objects -> rows (the inverse for the slots the layout has; further objects dropped).
/// Objects are written in slot order; class 0 and zeros for empty slots.
[[nodiscard]] DatasetEvent to_dataset_event(const Event& e);

}  // namespace l1emu::stream
