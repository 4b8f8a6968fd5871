#include "l1emu/stream/event_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "kinematics.h"
#include "l1emu/stream/portable_math.h"

namespace l1emu::stream {
namespace {

using kinematics::FourVector;
using kinematics::two_body_decay;
namespace pm = portable_math;

constexpr double kPi = std::numbers::pi;
constexpr double kMassW = 80.4, kWidthW = 2.1;
constexpr double kMassZ = 91.19, kWidthZ = 2.5;
constexpr double kMassTop = 172.5;
constexpr double kMassB = 4.8;
constexpr double kMassTau = 1.777;
constexpr double kMassA = 50.0, kMassLQ = 80.0, kMassH0 = 60.0, kMassHplus = 60.0;
constexpr double kLeptonThreshold = 3.0, kJetThreshold = 15.0;
constexpr double kCaloEtaMax = 5.0;

enum class Kind { electron, muon, jet };

/// A visible object by the (pT, eta, phi) measure() smears. Objects the generator builds from
/// (pT, eta, phi) carry them as they are instead of a four-vector that measure() would take back
/// apart (hypot, asinh, atan2): only the azimuth needs wrapping into [-pi, pi], where atan2 puts it.
struct Visible {
  Kind kind;
  double pt, eta, phi;

  [[nodiscard]] static Visible from_pt_eta_phi(Kind kind, double pt, double eta, double phi) {
    return {kind, pt, eta, pm::wrap_to_pi(phi)};
  }
  [[nodiscard]] static Visible from_four_vector(Kind kind, const FourVector& p) {
    const double pt = p.pt();
    return {kind, pt, p.eta(pt), p.phi()};
  }
};

/// The generator's truth record of one attempt: hard visible objects (enter MET), pileup jets (do not).
struct Truth {
  std::vector<Visible> hard;
  std::vector<Visible> pileup;
  void clear() {
    hard.clear();
    pileup.clear();
  }
};

double breit_wigner(Random& rng, double mass, double width, double lo, double hi) {
  for (;;) {
    const double m = mass + 0.5 * width * pm::tan(kPi * (rng.uniform() - 0.5));
    if (m > lo && m < hi) return m;
  }
}

/// A resonance of mass m with exponential pT (mean pt_mean), Gaussian rapidity, uniform phi; its
/// transverse recoil goes to one ISR jet so the event balances before decays and measurement.
FourVector produce(Random& rng, Truth& truth, double m, double pt_mean, double y_sigma) {
  const double pt = rng.exponential(pt_mean);
  const double phi = rng.uniform(-kPi, kPi);
  const FourVector r = FourVector::from_pt_y_phi_m(pt, rng.normal(0.0, y_sigma), phi, m);
  truth.hard.push_back(Visible::from_pt_eta_phi(Kind::jet, pt, rng.normal(0.0, 2.2), phi + kPi));
  return r;
}

Kind random_light_lepton(Random& rng) { return rng.bernoulli(0.5) ? Kind::electron : Kind::muon; }

/// Unpolarised tau -> l nu nu in the collinear limit: dG/dx ~ 5 - 9x^2 + 4x^3 (rejection sampling).
double leptonic_visible_fraction(Random& rng) {
  for (;;) {
    const double x = rng.uniform();
    if (rng.uniform() * 5.0 <= 5.0 - 9.0 * x * x + 4.0 * x * x * x) return x;
  }
}

/// Collinear tau decay: the visible part keeps the direction, the rest is neutrinos (MET).
void decay_tau(Random& rng, Truth& truth, const FourVector& tau) {
  const double u = rng.uniform();
  if (u < 0.352) {
    const Kind k = u < 0.178 ? Kind::electron : Kind::muon;
    const double x = leptonic_visible_fraction(rng);
    const double pt = tau.pt();
    truth.hard.push_back(Visible::from_pt_eta_phi(k, x * pt, tau.eta(pt), tau.phi()));
  } else {
    const double x = rng.uniform(0.2, 1.0);
    const double pt = tau.pt();
    truth.hard.push_back(Visible::from_pt_eta_phi(Kind::jet, x * pt, tau.eta(pt), tau.phi()));
  }
}

void add_lepton(Random& rng, Truth& truth, const FourVector& p, int flavour) {
  if (flavour == 0) truth.hard.push_back(Visible::from_four_vector(Kind::electron, p));
  else if (flavour == 1) truth.hard.push_back(Visible::from_four_vector(Kind::muon, p));
  else decay_tau(rng, truth, p);
}

/// W -> l nu with l = e, mu, tau (1/3 each); the neutrino is invisible.
void decay_w_leptonic(Random& rng, Truth& truth, const FourVector& w, double m) {
  const int flavour = static_cast<int>(rng.uniform() * 3.0);
  const double ml = flavour == 2 ? kMassTau : 0.0;
  const auto [lepton, neutrino] = two_body_decay(w, m, ml, 0.0, rng);
  (void)neutrino;
  add_lepton(rng, truth, lepton, flavour);
}

void w_lnu(Random& rng, Truth& truth) {
  const double m = breit_wigner(rng, kMassW, kWidthW, 50.0, 120.0);
  decay_w_leptonic(rng, truth, produce(rng, truth, m, 10.0, 2.0), m);
}

void z_ll(Random& rng, Truth& truth) {
  const double m = breit_wigner(rng, kMassZ, kWidthZ, 60.0, 120.0);
  const FourVector z = produce(rng, truth, m, 10.0, 2.0);
  const int flavour = static_cast<int>(rng.uniform() * 3.0);
  const double ml = flavour == 2 ? kMassTau : 0.0;
  const auto [l1, l2] = two_body_decay(z, m, ml, ml, rng);
  add_lepton(rng, truth, l1, flavour);
  add_lepton(rng, truth, l2, flavour);
}

/// Dijet with a pT^-4 spectrum; one jet holds a semileptonic heavy-flavour decay whose lepton
/// carries a fraction z of the jet and whose neutrino half as much. The lepton is sampled above
/// 23 GeV directly so the single-lepton filter keeps most attempts.
void qcd(Random& rng, Truth& truth) {
  const double z = rng.uniform(0.25, 0.8);
  const double lepton_pt = 23.0 * pm::inverse_cbrt(rng.uniform_open0());
  const double parent_pt = std::min(lepton_pt / z, 2000.0);
  const double phi = rng.uniform(-kPi, kPi);
  const double eta1 = rng.normal(0.0, 1.6);
  const double eta2 = rng.normal(0.0, 2.0);
  const Kind lepton = random_light_lepton(rng);
  const double lepton_frac = std::min(z, 0.95);
  const double nu_frac = std::min(0.5 * lepton_frac, 1.0 - lepton_frac);
  truth.hard.push_back(Visible::from_pt_eta_phi(lepton, lepton_frac * parent_pt, eta1 + rng.normal(0.0, 0.05),
                                                phi + rng.normal(0.0, 0.05)));
  const double rest = parent_pt * (1.0 - lepton_frac - nu_frac);
  if (rest > 0) truth.hard.push_back(Visible::from_pt_eta_phi(Kind::jet, rest, eta1, phi));
  // Recoil: the away jet, sometimes split by a third jet from radiation.
  const double away = parent_pt * rng.uniform(0.8, 1.05);
  if (rng.bernoulli(0.3)) {
    const double f = rng.uniform(0.55, 0.9);
    truth.hard.push_back(Visible::from_pt_eta_phi(Kind::jet, f * away, eta2, phi + kPi + rng.normal(0, 0.3)));
    truth.hard.push_back(
        Visible::from_pt_eta_phi(Kind::jet, (1 - f) * away, rng.normal(0.0, 2.2), phi + kPi + rng.normal(0, 1.0)));
  } else {
    truth.hard.push_back(Visible::from_pt_eta_phi(Kind::jet, away, eta2, phi + kPi + rng.normal(0, 0.1)));
  }
}

void top_decay(Random& rng, Truth& truth, const FourVector& top) {
  const double mw = breit_wigner(rng, kMassW, kWidthW, 60.0, kMassTop - kMassB - 1.0);
  const auto [b, w] = two_body_decay(top, kMassTop, kMassB, mw, rng);
  truth.hard.push_back(Visible::from_four_vector(Kind::jet, b));
  if (rng.bernoulli(0.324)) {
    decay_w_leptonic(rng, truth, w, mw);
  } else {
    const auto [q1, q2] = two_body_decay(w, mw, 0.0, 0.0, rng);
    truth.hard.push_back(Visible::from_four_vector(Kind::jet, q1));
    truth.hard.push_back(Visible::from_four_vector(Kind::jet, q2));
  }
}

void ttbar(Random& rng, Truth& truth) {
  const double m = 2.0 * kMassTop + 10.0 + rng.exponential(90.0);
  const FourVector system = produce(rng, truth, m, 30.0, 1.0);
  const auto [t1, t2] = two_body_decay(system, m, kMassTop, kMassTop, rng);
  top_decay(rng, truth, t1);
  top_decay(rng, truth, t2);
}

/// A (50 GeV) -> Z* Z* -> 4 leptons: virtual masses m1 in 12-40 GeV, m2 in 4 GeV - (49.5 - m1).
void ato4l(Random& rng, Truth& truth) {
  const FourVector a = produce(rng, truth, kMassA, 20.0, 1.8);
  const double m1 = rng.uniform(12.0, 40.0);
  const double m2 = rng.uniform(4.0, kMassA - m1 - 0.5);  // m1 + m2 < mA: both bosons off shell
  const auto [z1, z2] = two_body_decay(a, kMassA, m1, m2, rng);
  for (const auto& [z, mz] : {std::pair{z1, m1}, std::pair{z2, m2}}) {
    const Kind k = random_light_lepton(rng);
    const auto [l1, l2] = two_body_decay(z, mz, 0.0, 0.0, rng);
    truth.hard.push_back(Visible::from_four_vector(k, l1));
    truth.hard.push_back(Visible::from_four_vector(k, l2));
  }
}

void lq_btau(Random& rng, Truth& truth) {
  const FourVector lq = produce(rng, truth, kMassLQ, 20.0, 1.8);
  const auto [b, tau] = two_body_decay(lq, kMassLQ, kMassB, kMassTau, rng);
  truth.hard.push_back(Visible::from_four_vector(Kind::jet, b));
  decay_tau(rng, truth, tau);
}

void htautau(Random& rng, Truth& truth) {
  const FourVector h = produce(rng, truth, kMassH0, 20.0, 1.8);
  const auto [t1, t2] = two_body_decay(h, kMassH0, kMassTau, kMassTau, rng);
  decay_tau(rng, truth, t1);
  decay_tau(rng, truth, t2);
}

void htaunu(Random& rng, Truth& truth) {
  const FourVector h = produce(rng, truth, kMassHplus, 20.0, 1.8);
  const auto [tau, nu] = two_body_decay(h, kMassHplus, kMassTau, 0.0, rng);
  (void)nu;
  decay_tau(rng, truth, tau);
}

/// The sub-process of the next accepted event. The background fractions are those of the published
/// sample after its filter (FACTS section 3: W 59.2 %, QCD 33.8 %, Z 6.7 %, ttbar 0.3 %), so the
/// choice is made once per accepted event and only that sub-process is retried until it passes.
SubProcess pick_subprocess(Process process, Random& rng) {
  if (process != Process::background) return SubProcess::signal;
  const double u = rng.uniform();
  if (u < 0.592) return SubProcess::w_lnu;
  if (u < 0.930) return SubProcess::qcd;
  if (u < 0.997) return SubProcess::z_ll;
  return SubProcess::ttbar;
}

void generate_hard(Process process, SubProcess sub, Random& rng, Truth& truth) {
  switch (sub) {
    case SubProcess::w_lnu: return w_lnu(rng, truth);
    case SubProcess::qcd: return qcd(rng, truth);
    case SubProcess::z_ll: return z_ll(rng, truth);
    case SubProcess::ttbar: return ttbar(rng, truth);
    case SubProcess::signal: break;
  }
  switch (process) {
    case Process::background: break;
    case Process::ato4l: return ato4l(rng, truth);
    case Process::lq_btau: return lq_btau(rng, truth);
    case Process::htautau: return htautau(rng, truth);
    case Process::htaunu: return htaunu(rng, truth);
  }
}

/// True when no generated e/mu inside its acceptance could pass the 23 GeV filter even after a
/// 5-sigma upward fluctuation of the 2 % lepton smearing: such attempts are dropped before the
/// (costlier) pileup, smearing and sorting, without changing the accepted sample.
bool cannot_pass_filter(const Truth& truth) {
  constexpr double kMinTruePt = layout::kLeptonFilterPtGeV / 1.1;
  for (const auto& v : truth.hard) {
    if (v.kind == Kind::jet) continue;
    if (v.pt < kMinTruePt) continue;
    const double limit = v.kind == Kind::electron ? layout::kElectronEtaMax : layout::kMuonEtaMax;
    if (std::abs(v.eta) < limit + 0.01) return false;
  }
  return true;
}

double as_float(double x) { return static_cast<double>(static_cast<float>(x)); }

/// Held as float32: the dataset's precision, and a type the optimiser cannot see through. (With
/// double fields and as_float() on each, g++ 12's SLP vectoriser at -O2/-O3 fuses the pT and eta
/// conversions into one vector double->float->double and drops it as a no-op: the values came out
/// unrounded. Reproducer in the fast-math branch's report.)
struct Candidate {
  float pt, eta, phi;
};

/// Measured kinematics: pT smeared (leptons 2 %, jets 12 %), values rounded to float32.
Candidate measure(Random& rng, const Visible& v) {
  const double resolution = v.kind == Kind::jet ? 0.12 : 0.02;
  const double pt = v.pt * std::max(0.0, 1.0 + rng.normal(0.0, resolution));
  return {static_cast<float>(pt), static_cast<float>(v.eta), static_cast<float>(v.phi)};
}

/// Sorts by decreasing pT keeping the order of equal pT (what std::stable_sort gives), by insertion:
/// the lists hold a handful of objects, and stable_sort would allocate a buffer every call.
void sort_by_pt(std::vector<Candidate>& list) {
  for (std::size_t i = 1; i < list.size(); ++i) {
    const Candidate c = list[i];
    std::size_t j = i;
    for (; j > 0 && c.pt > list[j - 1].pt; --j) list[j] = list[j - 1];
    list[j] = c;
  }
}

/// Per-thread buffers of next(), kept between calls so an event costs no heap allocation.
struct Scratch {
  Truth truth;
  std::vector<Candidate> electrons, muons, jets;
};

}  // namespace

std::string_view to_string(Process p) { return kProcessNames[static_cast<std::size_t>(p)]; }

Process parse_process(std::string_view name) {
  for (std::size_t i = 0; i < kProcessNames.size(); ++i)
    if (kProcessNames[i] == name) return static_cast<Process>(i);
  throw std::invalid_argument(
      fmt::format("unknown process '{}' (known: background, ato4l, lq_btau, htautau, htaunu)", name));
}

namespace {
/// The seed of block `block` of the stream of `seed`: two splitmix64 finalisations, so that streams
/// of neighbouring seeds and blocks (the replay uses seed + sample index) start unrelated.
std::uint64_t block_seed(std::uint64_t seed, std::uint64_t block) {
  const auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  return mix(mix(seed) + (block + 1) * 0x9e3779b97f4a7c15ULL);
}
}  // namespace

EventGenerator::EventGenerator(GeneratorConfig config) : config_(config), rng_(0) {
  if (config_.max_attempts <= 0) throw std::invalid_argument("EventGenerator: max_attempts must be > 0");
  if (!(config_.pileup_jets_mean >= 0.0 && config_.pileup_jets_mean < 50.0))
    throw std::invalid_argument("EventGenerator: pileup_jets_mean must be in [0, 50)");
  // Start of the block holding first_index, then the block's earlier events are made and dropped.
  index_ = config_.first_index - config_.first_index % kBlockEvents;
  while (index_ < config_.first_index) (void)next();
  stats_ = {};
}

DatasetEvent EventGenerator::next() {
  if (index_ % kBlockEvents == 0) rng_ = Random(block_seed(config_.seed, index_ / kBlockEvents));
  thread_local Scratch scratch;
  Truth& truth = scratch.truth;
  std::vector<Candidate>& electrons = scratch.electrons;
  std::vector<Candidate>& muons = scratch.muons;
  std::vector<Candidate>& jets = scratch.jets;
  const SubProcess sub = pick_subprocess(config_.process, rng_);
  for (int attempt = 0; attempt < config_.max_attempts; ++attempt) {
    ++stats_.attempts;
    truth.clear();
    electrons.clear();
    muons.clear();
    jets.clear();
    generate_hard(config_.process, sub, rng_, truth);
    if (cannot_pass_filter(truth)) continue;
    const int pileup = rng_.poisson(config_.pileup_jets_mean);
    for (int i = 0; i < pileup; ++i)
      truth.pileup.push_back(Visible::from_pt_eta_phi(Kind::jet, 15.0 + rng_.exponential(6.0), rng_.uniform(-4.5, 4.5),
                                                      rng_.uniform(-kPi, kPi)));
    double met_x = rng_.normal(0.0, 3.0);
    double met_y = rng_.normal(0.0, 3.0);
    auto select = [&](const Visible& v, bool hard) {
      const Candidate c = measure(rng_, v);
      if (hard && std::abs(c.eta) < kCaloEtaMax) {
        const auto [sin_phi, cos_phi] = pm::sin_cos(c.phi);
        met_x -= c.pt * cos_phi;
        met_y -= c.pt * sin_phi;
      }
      switch (v.kind) {
        case Kind::electron:
          if (c.pt >= kLeptonThreshold && std::abs(c.eta) < layout::kElectronEtaMax) electrons.push_back(c);
          break;
        case Kind::muon:
          if (c.pt >= kLeptonThreshold && std::abs(c.eta) < layout::kMuonEtaMax) muons.push_back(c);
          break;
        case Kind::jet:
          if (c.pt >= kJetThreshold && std::abs(c.eta) < layout::kJetEtaMax) jets.push_back(c);
          break;
      }
    };
    for (const auto& v : truth.hard) select(v, true);
    for (const auto& v : truth.pileup) select(v, false);

    sort_by_pt(electrons);
    sort_by_pt(muons);
    sort_by_pt(jets);
    const double lead_e = electrons.empty() ? 0.0 : electrons.front().pt;
    const double lead_mu = muons.empty() ? 0.0 : muons.front().pt;
    if (!(lead_e > layout::kLeptonFilterPtGeV || lead_mu > layout::kLeptonFilterPtGeV)) continue;

    DatasetEvent event;
    event.event_id = config_.first_event_id + static_cast<std::int64_t>(index_++);
    const double met = as_float(pm::hypot(met_x, met_y));
    event.rows[layout::kMetRow] = {met, 0.0, met > 0 ? as_float(pm::atan2(met_y, met_x)) : 0.0,
                                   static_cast<double>(ParticleClass::met)};
    auto fill = [&](const std::vector<Candidate>& list, int first_row, int slots, ParticleClass cls) {
      for (int i = 0; i < slots && i < static_cast<int>(list.size()); ++i) {
        const Candidate& c = list[static_cast<std::size_t>(i)];
        event.rows[static_cast<std::size_t>(first_row + i)] = {c.pt, c.eta, c.phi, static_cast<double>(cls)};
      }
    };
    fill(electrons, layout::kFirstElectronRow, layout::kElectrons, ParticleClass::electron);
    fill(muons, layout::kFirstMuonRow, layout::kMuons, ParticleClass::muon);
    fill(jets, layout::kFirstJetRow, layout::kJets, ParticleClass::jet);
    ++stats_.accepted;
    ++stats_.accepted_by_subprocess[static_cast<std::size_t>(sub)];
    return event;
  }
  throw std::runtime_error(fmt::format("event generator ({}): no event passed the single-lepton filter in {} attempts",
                                       to_string(config_.process), config_.max_attempts));
}

}  // namespace l1emu::stream
