#include "l1emu/board/feature_builder.h"

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <cstring>
#include <stdexcept>

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

// The 19 slots of both builders, three features each: ETM, e/gammas 0-3, muons 0-3, jets 0-9, and
// the widths of their hardware fields (l1_objects.h; the ETM has no eta), which bound the keys.
enum class Slot : std::uint8_t { etm, egamma, muon, jet };
constexpr Slot slot_of(std::size_t feature) {
  const std::size_t s = feature / 3;
  return s == 0 ? Slot::etm : s <= kEGammas ? Slot::egamma : s <= kEGammas + kMuons ? Slot::muon : Slot::jet;
}
struct FieldBits {
  int pt, eta, phi;
};
constexpr FieldBits field_bits(Slot s) {
  switch (s) {
    case Slot::etm: return {stream::EnergySum::kEtBits, 0, 8};
    case Slot::egamma: return {stream::CaloObject::kEtBits, stream::CaloObject::kEtaBits, 8};
    case Slot::muon: return {stream::Muon::kPtBits, stream::Muon::kEtaBits, 10};
    case Slot::jet: return {stream::Jet::kEtBits, stream::Jet::kEtaBits, 8};
  }
  return {0, 0, 0};
}
constexpr std::int32_t eta_half(Slot s) { return field_bits(s).eta == 0 ? 0 : std::int32_t{1} << (field_bits(s).eta - 1); }
// The keys of both builders (FeatureKey): each feature's code with its eta offset to start at 0;
// physical57 (`presence`) adds key 0 for an absent object's eta and phi (its pT's key 0 is pT 0).
// The offsets are taken from an event, which needs no offsetof into arrays of structs.
std::array<FeatureKey, kFeatures> keys_of(bool presence, MuonPhi muon_phi) {
  static const stream::Event probe{};
  const auto offset = [](const void* field) {
    return static_cast<std::uint32_t>(static_cast<const unsigned char*>(field) - reinterpret_cast<const unsigned char*>(&probe));
  };
  std::array<FeatureKey, kFeatures> keys{};
  std::size_t k = 0;
  const auto put = [&](Slot slot, const std::uint16_t* pt, const std::int16_t* eta, const std::uint16_t* phi) {
    const FieldBits bits = field_bits(slot);
    const std::uint32_t present = presence ? offset(pt) : 0;
    const std::uint32_t extra = presence ? 1 : 0;
    keys[k++] = {.code_offset = offset(pt), .count = std::uint32_t{1} << bits.pt};
    keys[k++] = eta == nullptr ? FeatureKey{.count = 1}
                               : FeatureKey{.code_offset = offset(eta), .code_signed = true, .bias = eta_half(slot), .presence_offset = present,
                                            .count = (std::uint32_t{1} << bits.eta) + extra};
    keys[k++] = {.code_offset = offset(phi), .presence_offset = present, .count = (std::uint32_t{1} << bits.phi) + extra};
  };
  const stream::EnergySum& etm = probe.sum(stream::SumKind::etm);
  put(Slot::etm, &etm.hw_et, nullptr, &etm.hw_phi);
  for (int i = 0; i < kEGammas; ++i) {
    const auto& o = probe.egammas[static_cast<std::size_t>(i)];
    put(Slot::egamma, &o.hw_et, &o.hw_eta, &o.hw_phi);
  }
  for (int i = 0; i < kMuons; ++i) {
    const auto& m = probe.muons[static_cast<std::size_t>(i)];
    put(Slot::muon, &m.hw_pt, &m.hw_eta, muon_phi == MuonPhi::vertex ? &m.hw_phi : &m.hw_phi_out);
  }
  for (int i = 0; i < kJets; ++i) {
    const auto& j = probe.jets[static_cast<std::size_t>(i)];
    put(Slot::jet, &j.hw_et, &j.hw_eta, &j.hw_phi);
  }
  return keys;
}

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

  // Keys: the codes (eta offset to start at 0); values: pT -> code / 2, eta and phi -> the code.
  [[nodiscard]] std::span<const FeatureKey> feature_keys() const override { return keys_; }
  [[nodiscard]] float key_value(std::size_t feature, std::uint32_t key) const override {
    const auto code = static_cast<std::int32_t>(key);
    switch (feature % 3) {
      case 0: return static_cast<float>(code / 2);
      case 1: return static_cast<float>(code - eta_half(slot_of(feature)));
      default: return static_cast<float>(code);
    }
  }

 private:
  MuonPhi muon_phi_;
  std::array<FeatureKey, kFeatures> keys_ = keys_of(false, muon_phi_);
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

  // Keys: pT -> its code (0 is absent and 0.0); eta and phi -> 0 for an absent object, else the
  // code (eta offset to start at 0) plus 1.
  [[nodiscard]] std::span<const FeatureKey> feature_keys() const override { return keys_; }
  [[nodiscard]] float key_value(std::size_t feature, std::uint32_t key) const override {
    namespace sc = stream::scales;
    if (key == 0) return 0.0F;  // pt code 0, or an absent object's eta and phi, as build() writes them
    const Slot slot = slot_of(feature);
    switch (feature % 3) {
      case 0: return static_cast<float>(static_cast<double>(key) * sc::kPtLsbGeV);
      case 1: {
        const double lsb = slot == Slot::muon ? sc::kMuonEtaLsb : sc::kCaloEtaLsb;
        return static_cast<float>(static_cast<double>(static_cast<std::int32_t>(key - 1) - eta_half(slot)) * lsb);
      }
      default: {
        const auto code = static_cast<std::uint16_t>(key - 1);
        return slot == Slot::muon ? muon_phi(code) : calo_phi(code);
      }
    }
  }

 private:
  std::array<FeatureKey, kFeatures> keys_ = keys_of(true, MuonPhi::vertex);
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

std::uint32_t feature_key(const FeatureKey& key, const stream::Event& event) {
  if (key.code_offset == 0) return 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(&event);
  std::int32_t code = 0;
  if (key.code_signed) {
    std::int16_t c = 0;
    std::memcpy(&c, bytes + key.code_offset, sizeof c);
    code = c;
  } else {
    std::uint16_t c = 0;
    std::memcpy(&c, bytes + key.code_offset, sizeof c);
    code = c;
  }
  const std::int32_t shifted = code + key.bias;
  const std::uint32_t beyond = key.count;  // no table holds it
  if (key.presence_offset == 0) return shifted < 0 ? beyond : static_cast<std::uint32_t>(shifted);
  std::uint16_t present = 0;
  std::memcpy(&present, bytes + key.presence_offset, sizeof present);
  return present == 0 ? 0 : shifted < 0 ? beyond : static_cast<std::uint32_t>(shifted) + 1;
}

float FeatureBuilder::key_value(std::size_t, std::uint32_t) const {
  throw std::logic_error(fmt::format("feature builder '{}' has no keys", name()));
}

bool register_feature_builder(std::string name, FeatureBuilderFactory factory) { return builders().add(std::move(name), std::move(factory)); }

std::vector<std::string> feature_builder_names() { return builders().names(); }

std::unique_ptr<FeatureBuilder> make_feature_builder(const FeatureBuilderConfig& config) { return builders().get(config.name)(config); }

}  // namespace l1emu::board
