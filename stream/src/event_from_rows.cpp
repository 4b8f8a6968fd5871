// to_event: the hardware codes of an event's 19 rows computed together. Object by object
// (to_event_per_object, the from_physical of l1_objects.cpp) each row took two data-dependent
// branches (is the slot filled, which slots) and three scalar divisions; with the rows of a
// dataset event half empty at random, the mispredictions and the division latency made this the
// largest single cost of a dataset replay (9 % of the CPU, 16 % with the from_physical calls:
// README "Benchmarks"). Here the 19 rows run through one loop of selects, which the compiler
// turns into vector divisions and roundings. The values are those of from_physical bit for bit:
// the same IEEE operations (x / lsb + 0.5, floor, the same clamps) on the same operands, only
// several at a time; an event with a phi that is not finite or not within (-2 pi, 2 pi) (where
// phi_code calls fmod) is converted object by object. stream_tests EventFromRows compares both.
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/l1_objects.h"

namespace l1emu::stream {
namespace {

constexpr int kRows = layout::kRows;
constexpr int kLanes = 24;  // the 19 rows padded to whole vectors of 8 doubles (AVX-512) or 4
constexpr double kTwoPi = 2.0 * std::numbers::pi;  // as in l1_objects.cpp

// Per row, the scales of its object kind (l1_objects.h): the bit widths give the clamps. The
// padding lanes get a jet's scales (their codes are computed from zeros and not used).
struct RowScales {
  std::array<double, kLanes> pt_max{};   // (1 << pt bits) - 1
  std::array<double, kLanes> eta_lsb{};  // MET row: any (its eta is not used)
  std::array<double, kLanes> eta_lo{}, eta_hi{};
  std::array<double, kLanes> phi_lsb{};  // 2 pi / bins, the same division as hw::phi_code
  std::array<double, kLanes> phi_bins{};
};

constexpr RowScales make_scales() {
  RowScales s;
  for (int r = 0; r < kLanes; ++r) {
    int pt_bits = Jet::kEtBits;
    int eta_bits = Jet::kEtaBits;
    double eta_lsb = scales::kCaloEtaLsb;
    int bins = scales::kCaloPhiBins;
    switch (r < kRows ? layout::row_class(r) : ParticleClass::jet) {
      case ParticleClass::met: pt_bits = EnergySum::kEtBits; break;
      case ParticleClass::electron: pt_bits = CaloObject::kEtBits; eta_bits = CaloObject::kEtaBits; break;
      case ParticleClass::muon:
        pt_bits = Muon::kPtBits;
        eta_bits = Muon::kEtaBits;
        eta_lsb = scales::kMuonEtaLsb;
        bins = scales::kMuonPhiBins;
        break;
      default: break;
    }
    s.pt_max[r] = static_cast<double>((1U << pt_bits) - 1);
    s.eta_lsb[r] = eta_lsb;
    s.eta_lo[r] = -static_cast<double>(1 << (eta_bits - 1));
    s.eta_hi[r] = static_cast<double>((1 << (eta_bits - 1)) - 1);
    s.phi_lsb[r] = kTwoPi / bins;
    s.phi_bins[r] = bins;
  }
  return s;
}

constexpr RowScales kScales = make_scales();

struct RowCodes {
  alignas(64) std::array<std::int32_t, kLanes> pt, eta, phi;  // every lane written by row_codes
};

// The codes of every row; false when a phi needs phi_code's fmod (the codes are then not used).
// The rows' columns are first copied into arrays of their own: the loop over contiguous lanes is
// one the compiler vectorises (over the 4-double rows it stays scalar, with branches).
bool row_codes(const DatasetEvent& d, RowCodes& c) {
  // Not value-initialised: every lane is written here (the rows, then zeros in the padding), where
  // zeroing the arrays first was a `rep stos` of 576 bytes per event.
  alignas(64) std::array<double, kLanes> pts, etas, phis;
  for (int r = 0; r < kRows; ++r) {
    pts[r] = d.rows[r].pt;
    etas[r] = d.rows[r].eta;
    phis[r] = d.rows[r].phi;
  }
  for (int r = kRows; r < kLanes; ++r) pts[r] = etas[r] = phis[r] = 0.0;
  int unusual = 0;
  for (int r = 0; r < kLanes; ++r) {
    // hw::pt_code: 0 unless pt > 0 (NaN included), else floor(pt / LSB + 0.5) saturated.
    const double in_pt = pts[r];
    double pt = std::floor(in_pt / scales::kPtLsbGeV + 0.5);
    pt = pt >= kScales.pt_max[r] ? kScales.pt_max[r] : pt;
    pt = in_pt > 0.0 ? pt : 0.0;
    // hw::eta_code: 0 for NaN, else floor(eta / LSB + 0.5) clamped to the signed field.
    const double in_eta = etas[r];
    double eta = std::floor(in_eta / kScales.eta_lsb[r] + 0.5);
    eta = eta < kScales.eta_lo[r] ? kScales.eta_lo[r] : (eta > kScales.eta_hi[r] ? kScales.eta_hi[r] : eta);
    eta = in_eta == in_eta ? eta : 0.0;
    // hw::phi_code for |phi| < 2 pi (finite): x in [0, 2 pi], code in [0, bins], bins wraps to 0.
    const double in_phi = phis[r];
    const bool usual = std::abs(in_phi) < kTwoPi;
    const double x = in_phi < 0.0 ? in_phi + kTwoPi : in_phi;
    double phi = std::floor(x / kScales.phi_lsb[r] + 0.5);
    phi = phi >= kScales.phi_bins[r] ? phi - kScales.phi_bins[r] : phi;
    phi = usual ? phi : 0.0;
    unusual |= usual ? 0 : 1;
    c.pt[r] = static_cast<std::int32_t>(pt);
    c.eta[r] = static_cast<std::int32_t>(eta);
    c.phi[r] = static_cast<std::int32_t>(phi);
  }
  return unusual == 0;
}

// An empty slot (code pt 0) is the default object, as from_physical returns it.
template <typename Object>
void set_calo(Object& o, const RowCodes& c, int r) {
  const bool filled = c.pt[r] != 0;
  o.hw_et = static_cast<std::uint16_t>(c.pt[r]);
  o.hw_eta = static_cast<std::int16_t>(filled ? c.eta[r] : 0);
  o.hw_phi = static_cast<std::uint16_t>(filled ? c.phi[r] : 0);
}

// The codes into the event's objects: 57 narrow stores. Kept out of GCC's SLP vectoriser, which
// gathered the muons' fields through pairs of 64-bit stores reloaded as one 128-bit vector: a
// store-forwarding stall on every event, 30 % of to_event's time (perf annotate).
#if defined(__clang__)
#define L1EMU_WITHOUT_SLP __attribute__((noinline))  // clang has no such option (nor GCC's stall)
#else
#define L1EMU_WITHOUT_SLP __attribute__((noinline, optimize("no-tree-slp-vectorize")))
#endif
L1EMU_WITHOUT_SLP void write_objects(const RowCodes& c, Event& e) {
  using namespace layout;
  // The sum keeps its phi when its ET is 0 (EnergySum::from_physical).
  e.sum(SumKind::etm) = {static_cast<std::uint16_t>(c.pt[kMetRow]), static_cast<std::uint16_t>(c.phi[kMetRow])};
  for (int i = 0; i < kElectrons; ++i) set_calo(e.egammas[i], c, kFirstElectronRow + i);
  for (int i = 0; i < kJets; ++i) set_calo(e.jets[i], c, kFirstJetRow + i);
  for (int i = 0; i < kMuons; ++i) {
    const int r = kFirstMuonRow + i;
    const bool filled = c.pt[r] != 0;
    Muon& m = e.muons[i];
    m.hw_pt = static_cast<std::uint16_t>(c.pt[r]);
    m.hw_eta = static_cast<std::int16_t>(filled ? c.eta[r] : 0);
    m.hw_phi = static_cast<std::uint16_t>(filled ? c.phi[r] : 0);
    m.hw_phi_out = m.hw_phi;
    m.quality = static_cast<std::uint8_t>(filled ? 12 : 0);  // as Muon::from_physical
  }
}

}  // namespace

void to_event(const DatasetEvent& d, Event& e) {
  RowCodes c;
  if (!row_codes(d, c)) {
    e = to_event_per_object(d);
    return;
  }
  // A copy of an empty event rather than `Event{}`, which GCC zeroes with a `rep stos` (slow to
  // start: 13 % of to_event in a dataset replay). GCC also saw through a plain copy of the constant
  // (all zeros) and made it the same `rep stos`: the empty asm hides where the pointer points, so the
  // copy stays a copy (vector moves).
  static const Event kEmpty{};
  const Event* empty = &kEmpty;
  asm("" : "+r"(empty));  // an optimisation barrier only: no instruction
  e = *empty;
  e.event_id = d.event_id;
  write_objects(c, e);
}

Event to_event(const DatasetEvent& d) {
  Event e;
  to_event(d, e);
  return e;
}

}  // namespace l1emu::stream
