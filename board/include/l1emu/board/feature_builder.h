#pragma once
// Feature builders: L1 objects in hardware units -> the model's input values, as the firmware
// builds them. An interface plus implementations registered by name (shared/STYLE.md), picked by
// name from a scenario or the command line:
//   "axo57"      the AXOL1TL input of the uGT (CMSSW AXOL1TLCondition; shared/golden/axol1tl/README.md):
//                ETM (Et/2, 0, phi), 4 e/gamma, 4 muons, 10 jets, each (pT/2, eta, phi) in hardware
//                integers (pT halved by integer division), zero slots (0, 0, 0). Muon phi is the
//                vertex field (9:0) or the muon-system field (52:43): a per-menu fact.
//   "physical57" the seed paper's flattening (FACTS section 3): (pT GeV, eta, phi rad) of MET,
//                4 electrons, 4 muons, 10 jets in dataset row order, from the hardware codes
//                (l1_objects.h to_physical), as float32: what a model trained on the dataset reads.
// Values are float because the hls4ml test-bench convention converts a float to the input type;
// axo57's integers are below 2^24, so they stay exact.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l1emu/stream/event.h"

namespace l1emu::board {

enum class MuonPhi : std::uint8_t { vertex, muon_system };

struct FeatureBuilderConfig {
  std::string name = "axo57";
  MuonPhi muon_phi = MuonPhi::vertex;
};

class FeatureBuilder {
 public:
  virtual ~FeatureBuilder() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual std::size_t size() const = 0;
  /// Writes size() values for one event.
  virtual void build(const stream::Event& event, std::span<float> out) const = 0;

  // Keyed features (optional; both built-in builders have them). Every value build() writes is a
  // function of one small integer per feature, its key, taken from one hardware field (and, for
  // physical57, whether the object is present): value k = key_value(k, key k), key k in
  // [0, key_counts()[k]). The score engine then converts each key's value to its model input code
  // once, into a table (feature_code_table.h), instead of converting every event's values.
  /// One count per feature; empty when the builder has no keys.
  [[nodiscard]] virtual std::span<const std::uint32_t> key_counts() const { return {}; }
  /// The event's keys: key k at out[k * stride]. A field beyond its hardware width (an event not
  /// made from packed words) gives a key at or beyond its count, which the caller must check.
  virtual void keys(const stream::Event& event, std::uint32_t* out, std::size_t stride) const;
  /// The value build() writes for feature `feature` with key `key` (key < key_counts()[feature]).
  [[nodiscard]] virtual float key_value(std::size_t feature, std::uint32_t key) const;
};

using FeatureBuilderFactory = std::function<std::unique_ptr<FeatureBuilder>(const FeatureBuilderConfig&)>;

bool register_feature_builder(std::string name, FeatureBuilderFactory factory);
[[nodiscard]] std::vector<std::string> feature_builder_names();
/// Throws registry::UnknownNameError naming the known builders for an unknown name.
[[nodiscard]] std::unique_ptr<FeatureBuilder> make_feature_builder(const FeatureBuilderConfig& config);

}  // namespace l1emu::board
