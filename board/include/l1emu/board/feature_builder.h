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

/// Where a keyed feature's key comes from (FeatureBuilder::feature_keys).
struct FeatureKey {
  /// Byte offset in stream::Event of the code (a uint16_t or int16_t field); 0: no code, key 0.
  std::uint32_t code_offset = 0;
  bool code_signed = false;
  /// key = code + bias; a sum below 0 is beyond every key.
  std::int32_t bias = 0;
  /// 0: none; else the offset of the object's uint16_t ET or pT: when it is 0 (an absent object)
  /// the key is 0, else the key above plus 1.
  std::uint32_t presence_offset = 0;
  /// The keys are 0 .. count - 1.
  std::uint32_t count = 0;
};

class FeatureBuilder {
 public:
  virtual ~FeatureBuilder() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual std::size_t size() const = 0;
  /// Writes size() values for one event.
  virtual void build(const stream::Event& event, std::span<float> out) const = 0;

  // Keyed features (optional; both built-in builders have them). Every value build() writes is a
  // function of one small integer per feature, its key, taken from one 16-bit hardware code of the
  // event (and, for physical57, whether the object is present): value k = key_value(k, key k),
  // key k in [0, feature_keys()[k].count). The score engine then converts each key's value to its
  // model input code once, into a table (feature_code_table.h), instead of converting every event's
  // values, and reads the codes of many events at once where the keys say they lie.
  /// One per feature; empty when the builder has no keys.
  [[nodiscard]] virtual std::span<const FeatureKey> feature_keys() const { return {}; }
  /// The value build() writes for feature `feature` with key `key` (key < its count).
  [[nodiscard]] virtual float key_value(std::size_t feature, std::uint32_t key) const;
};

/// The key of one event's feature as `key` defines it: at or beyond key.count for a code beyond
/// its hardware field (an event not made from packed words), which the caller must check.
[[nodiscard]] std::uint32_t feature_key(const FeatureKey& key, const stream::Event& event);

using FeatureBuilderFactory = std::function<std::unique_ptr<FeatureBuilder>(const FeatureBuilderConfig&)>;

bool register_feature_builder(std::string name, FeatureBuilderFactory factory);
[[nodiscard]] std::vector<std::string> feature_builder_names();
/// Throws registry::UnknownNameError naming the known builders for an unknown name.
[[nodiscard]] std::unique_ptr<FeatureBuilder> make_feature_builder(const FeatureBuilderConfig& config);

}  // namespace l1emu::board
