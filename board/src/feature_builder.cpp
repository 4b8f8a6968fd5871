#include "l1emu/board/feature_builder.h"

#include <algorithm>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "l1emu/board/error.h"
#include "l1emu/registry/registry.h"

namespace l1emu::board {
namespace {

registry::Registry<FeatureBuilderFactory>& builders() {
  static registry::Registry<FeatureBuilderFactory> r("feature builder");
  return r;
}

constexpr std::size_t kFeatures = 57;
constexpr int kEGammas = 4;
constexpr int kMuons = 4;
constexpr int kJets = 10;

// CMSSW L1Trigger/L1TGlobal AXOL1TLCondition (as stated in shared/golden/axol1tl/README.md): the
// model reads hwPt / 2 (integer division, from 0.5 GeV to 1 GeV steps), the raw eta and phi codes.
class Axo57 final : public FeatureBuilder {
 public:
  explicit Axo57(MuonPhi muon_phi) : muon_phi_(muon_phi) {}
  [[nodiscard]] std::string_view name() const override { return "axo57"; }
  [[nodiscard]] std::size_t size() const override { return kFeatures; }
  void build(const stream::Event& e, std::span<float> out) const override {
    std::size_t k = 0;
    const auto put = [&](int pt, int eta, int phi) {
      out[k++] = static_cast<float>(pt);
      out[k++] = static_cast<float>(eta);
      out[k++] = static_cast<float>(phi);
    };
    // Only ETM: the uGT AXO condition takes no ETMHF (README: "Only ETM; no ETMHF").
    const stream::EnergySum& etm = e.sum(stream::SumKind::etm);
    put(etm.hw_et / 2, 0, etm.hw_phi);
    for (int i = 0; i < kEGammas; ++i) {
      const auto& o = e.egammas[static_cast<std::size_t>(i)];
      put(o.hw_et / 2, o.hw_eta, o.hw_phi);
    }
    for (int i = 0; i < kMuons; ++i) {
      const auto& m = e.muons[static_cast<std::size_t>(i)];
      put(m.hw_pt / 2, m.hw_eta, muon_phi_ == MuonPhi::vertex ? m.hw_phi : m.hw_phi_out);
    }
    for (int i = 0; i < kJets; ++i) {
      const auto& j = e.jets[static_cast<std::size_t>(i)];
      put(j.hw_et / 2, j.hw_eta, j.hw_phi);
    }
  }

 private:
  MuonPhi muon_phi_;
};

// The dataset's 19 rows (FACTS section 3) from the hardware codes: MET, electrons (e/gamma slots
// 0-3), muons 0-3, jets 0-9. Empty slots are zero rows.
class Physical57 final : public FeatureBuilder {
 public:
  [[nodiscard]] std::string_view name() const override { return "physical57"; }
  [[nodiscard]] std::size_t size() const override { return kFeatures; }
  void build(const stream::Event& e, std::span<float> out) const override {
    std::size_t k = 0;
    const auto put = [&](bool valid, const stream::PhysicalObject& p) {
      out[k++] = valid ? static_cast<float>(p.pt) : 0.0F;
      out[k++] = valid ? static_cast<float>(p.eta) : 0.0F;
      out[k++] = valid ? static_cast<float>(p.phi) : 0.0F;
    };
    const stream::EnergySum& etm = e.sum(stream::SumKind::etm);
    put(etm.hw_et != 0, etm.to_physical());
    for (int i = 0; i < kEGammas; ++i) put(e.egammas[static_cast<std::size_t>(i)].valid(), e.egammas[static_cast<std::size_t>(i)].to_physical());
    for (int i = 0; i < kMuons; ++i) put(e.muons[static_cast<std::size_t>(i)].valid(), e.muons[static_cast<std::size_t>(i)].to_physical());
    for (int i = 0; i < kJets; ++i) put(e.jets[static_cast<std::size_t>(i)].valid(), e.jets[static_cast<std::size_t>(i)].to_physical());
  }
};

const bool kAxo57 = register_feature_builder("axo57", [](const FeatureBuilderConfig& c) { return std::make_unique<Axo57>(c.muon_phi); });
const bool kPhysical57 = register_feature_builder("physical57", [](const FeatureBuilderConfig&) { return std::make_unique<Physical57>(); });

}  // namespace

bool register_feature_builder(std::string name, FeatureBuilderFactory factory) { return builders().add(std::move(name), std::move(factory)); }

std::vector<std::string> feature_builder_names() { return builders().names(); }

std::unique_ptr<FeatureBuilder> make_feature_builder(const FeatureBuilderConfig& config) { return builders().get(config.name)(config); }

}  // namespace l1emu::board
