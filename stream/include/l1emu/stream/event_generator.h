#pragma once
// Synthetic events in the 40 MHz dataset layout (FACTS section 3). A test and demo generator, not a
// physics generator: resonances with a Breit-Wigner mass, exponential pT and Gaussian rapidity,
// isotropic two-body decays, collinear tau decays, Gaussian detector smearing. Physically plausible
// shapes are enough for the trigger chain; no cross sections, no parton showers.
//
// Processes:
//  - background: the SM mix of the published (filtered) sample: each accepted event is
//    W -> l nu 59.2 %, QCD 33.8 %, Z -> ll 6.7 %, ttbar 0.3 % (FACTS section 3); the sub-process is
//    drawn first and retried until it passes the filter.
//      W/Z: boson + one recoiling ISR jet; l = e, mu or tau. QCD: dijet with a pT^-4 spectrum, a
//      lepton from a semileptonic heavy-flavour decay inside one jet (plus its neutrino).
//      ttbar: t -> b W, W -> l nu (32.4 %) or two jets.
//  - ato4l:   A (50 GeV) -> Z* Z* -> 4 leptons (e/mu), virtual masses sampled under 50 GeV.
//  - lq_btau: LQ (80 GeV) -> b tau.
//  - htautau: h0 (60 GeV) -> tau tau.
//  - htaunu:  h+ (60 GeV) -> tau nu.
// Every event also gets soft pileup-like jets (Poisson mean 2.5, pT 15 GeV + exponential 6 GeV,
// |eta| < 4.5). Taus decay to e/mu + 2 nu (35 %, visible fraction from the unpolarised spectrum)
// or to a hadronic jet (visible fraction uniform 0.2-1).
// MET = -(vector sum of the measured hard visible objects with |eta| < 5), so it carries the
// neutrinos and the mismeasurement, plus Gaussian noise of 3 GeV per component for pileup.
// Then the dataset's selection: objects inside the acceptance |eta| < 3 (e), 2.1 (mu), 4 (jets),
// thresholds pT >= 3 GeV (leptons) and >= 15 GeV (jets), pT-ordered within class, the 4/4/10
// leading kept, empty slots zero; events without a leading e or mu above 23 GeV are regenerated.
// Values are rounded to float32 before selection, so the selection holds in float32 and float64
// files alike. Deterministic: a seed gives the same events on every platform with IEEE doubles.
#include <array>
#include <cstdint>
#include <string_view>

#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/random.h"

namespace l1emu::stream {

enum class Process : std::uint8_t { background, ato4l, lq_btau, htautau, htaunu };
inline constexpr std::array<std::string_view, 5> kProcessNames = {"background", "ato4l", "lq_btau", "htautau",
                                                                  "htaunu"};
[[nodiscard]] std::string_view to_string(Process p);
/// Throws std::invalid_argument naming the known processes.
[[nodiscard]] Process parse_process(std::string_view name);

/// Sub-processes of the background mix, for statistics.
enum class SubProcess : std::uint8_t { w_lnu, qcd, z_ll, ttbar, signal };
inline constexpr int kSubProcessCount = 5;

struct GeneratorConfig {
  Process process = Process::background;
  std::uint64_t seed = 1;
  std::int64_t first_event_id = 0;
  double pileup_jets_mean = 2.5;
  /// Attempts per accepted event before giving up (a configuration that cannot pass the filter).
  int max_attempts = 100000;
};

struct GeneratorStats {
  std::uint64_t accepted = 0;
  std::uint64_t attempts = 0;
  std::array<std::uint64_t, kSubProcessCount> accepted_by_subprocess{};
};

class EventGenerator {
 public:
  explicit EventGenerator(GeneratorConfig config);
  /// The next event passing the filter, event ids consecutive from first_event_id.
  [[nodiscard]] DatasetEvent next();
  [[nodiscard]] const GeneratorStats& stats() const { return stats_; }
  [[nodiscard]] const GeneratorConfig& config() const { return config_; }

 private:
  GeneratorConfig config_;
  Random rng_;
  GeneratorStats stats_;
  std::int64_t next_id_;
};

}  // namespace l1emu::stream
