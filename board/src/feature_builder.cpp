#include "l1emu/board/feature_builder.h"

#include <algorithm>
#include <array>
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
// The values are those of each object's to_physical (l1_objects.cpp) rounded to float, computed
// here inline and without its branches: the to_physical calls (out of line, one branch per empty
// slot) were about 6 % of a dataset replay's CPU (README "Benchmarks"). The same double products
// (code x LSB) give the same values; phi comes from a float table of hw::phi_value per code.
// board_tests FeatureBuilder.Physical57EqualsToPhysical compares both.
class Physical57 final : public FeatureBuilder {
 public:
  [[nodiscard]] std::string_view name() const override { return "physical57"; }
  [[nodiscard]] std::size_t size() const override { return kFeatures; }
  void build(const stream::Event& e, std::span<float> out) const override {
    namespace sc = stream::scales;
    float* o = out.data();
    const auto put = [&o](unsigned pt_code, int eta_code, double eta_lsb, float phi) {
      const bool valid = pt_code != 0;
      o[0] = valid ? static_cast<float>(static_cast<double>(pt_code) * sc::kPtLsbGeV) : 0.0F;
      o[1] = valid ? static_cast<float>(static_cast<double>(eta_code) * eta_lsb) : 0.0F;
      o[2] = valid ? phi : 0.0F;
      o += 3;
    };
    const stream::EnergySum& etm = e.sum(stream::SumKind::etm);
    put(etm.hw_et, 0, 0.0, calo_phi(etm.hw_phi));  // the sum's eta is 0 (EnergySum::to_physical)
    for (int i = 0; i < kEGammas; ++i) {
      const stream::EGamma& g = e.egammas[static_cast<std::size_t>(i)];
      put(g.hw_et, g.hw_eta, sc::kCaloEtaLsb, calo_phi(g.hw_phi));
    }
    for (int i = 0; i < kMuons; ++i) {
      const stream::Muon& m = e.muons[static_cast<std::size_t>(i)];
      put(m.hw_pt, m.hw_eta, sc::kMuonEtaLsb, muon_phi(m.hw_phi));
    }
    for (int i = 0; i < kJets; ++i) {
      const stream::Jet& j = e.jets[static_cast<std::size_t>(i)];
      put(j.hw_et, j.hw_eta, sc::kCaloEtaLsb, calo_phi(j.hw_phi));
    }
  }

 private:
  using PhiTable = std::array<float, 1024>;  // every code of a 10-bit field
  static PhiTable phi_table(int bins) {
    PhiTable t{};
    for (std::uint32_t c = 0; c < t.size(); ++c) t[c] = static_cast<float>(stream::hw::phi_value(c, bins));
    return t;
  }
  [[nodiscard]] float calo_phi(std::uint16_t code) const {
    return code < calo_phi_.size() ? calo_phi_[code] : static_cast<float>(stream::hw::phi_value(code, stream::scales::kCaloPhiBins));
  }
  [[nodiscard]] float muon_phi(std::uint16_t code) const {
    return code < muon_phi_.size() ? muon_phi_[code] : static_cast<float>(stream::hw::phi_value(code, stream::scales::kMuonPhiBins));
  }
  PhiTable calo_phi_ = phi_table(stream::scales::kCaloPhiBins);
  PhiTable muon_phi_ = phi_table(stream::scales::kMuonPhiBins);
};

const bool kAxo57 = register_feature_builder("axo57", [](const FeatureBuilderConfig& c) { return std::make_unique<Axo57>(c.muon_phi); });
const bool kPhysical57 = register_feature_builder("physical57", [](const FeatureBuilderConfig&) { return std::make_unique<Physical57>(); });

}  // namespace

bool register_feature_builder(std::string name, FeatureBuilderFactory factory) { return builders().add(std::move(name), std::move(factory)); }

std::vector<std::string> feature_builder_names() { return builders().names(); }

std::unique_ptr<FeatureBuilder> make_feature_builder(const FeatureBuilderConfig& config) { return builders().get(config.name)(config); }

}  // namespace l1emu::board
