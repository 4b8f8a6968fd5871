// The physical57 feature builder computes each object's to_physical inline (feature_builder.cpp);
// its features must be, bit for bit, the floats of to_physical that it replaced: checked here on
// events of random codes (empty slots, negative eta, every phi code of the 16-bit field, beyond the
// 1024 of the builder's table, and the fields' extremes).
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>
#include <vector>

#include "l1emu/board/feature_builder.h"
#include "l1emu/stream/l1_objects.h"

namespace l1emu::board {
namespace {

// The builder as it was: each slot's to_physical, zero for an empty slot.
std::vector<float> physical57_reference(const stream::Event& e) {
  std::vector<float> out;
  const auto put = [&](bool valid, const stream::PhysicalObject& p) {
    out.push_back(valid ? static_cast<float>(p.pt) : 0.0F);
    out.push_back(valid ? static_cast<float>(p.eta) : 0.0F);
    out.push_back(valid ? static_cast<float>(p.phi) : 0.0F);
  };
  const stream::EnergySum& etm = e.sum(stream::SumKind::etm);
  put(etm.hw_et != 0, etm.to_physical());
  for (int i = 0; i < 4; ++i) put(e.egammas[i].valid(), e.egammas[i].to_physical());
  for (int i = 0; i < 4; ++i) put(e.muons[i].valid(), e.muons[i].to_physical());
  for (int i = 0; i < 10; ++i) put(e.jets[i].valid(), e.jets[i].to_physical());
  return out;
}

TEST(FeatureBuilder, Physical57EqualsToPhysical) {
  const auto builder = make_feature_builder({"physical57", MuonPhi::vertex});
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int> u16(0, 65535);
  std::uniform_int_distribution<int> choice(0, 3);
  // Mostly codes of the hardware fields, sometimes any 16-bit value, sometimes 0 (an empty slot).
  const auto code = [&](int field_max) { const int c = choice(rng); return c == 0 ? 0 : c == 1 ? u16(rng) : u16(rng) % (field_max + 1); };
  const auto signed_code = [&](int field_max) { return static_cast<std::int16_t>(code(2 * field_max + 1) - (choice(rng) == 1 ? 32768 : field_max)); };
  std::vector<float> got(builder->size());
  for (int n = 0; n < 200000; ++n) {
    stream::Event e;
    e.sum(stream::SumKind::etm) = {static_cast<std::uint16_t>(code(4095)), static_cast<std::uint16_t>(code(143))};
    for (int i = 0; i < 4; ++i) {
      e.egammas[i].hw_et = static_cast<std::uint16_t>(code(511));
      e.egammas[i].hw_eta = signed_code(127);
      e.egammas[i].hw_phi = static_cast<std::uint16_t>(code(143));
      e.muons[i].hw_pt = static_cast<std::uint16_t>(code(511));
      e.muons[i].hw_eta = signed_code(255);
      e.muons[i].hw_phi = static_cast<std::uint16_t>(code(575));
      e.muons[i].hw_phi_out = static_cast<std::uint16_t>(code(575));
    }
    for (int i = 0; i < 10; ++i) {
      e.jets[i].hw_et = static_cast<std::uint16_t>(code(2047));
      e.jets[i].hw_eta = signed_code(127);
      e.jets[i].hw_phi = static_cast<std::uint16_t>(code(143));
    }
    builder->build(e, got);
    const std::vector<float> want = physical57_reference(e);
    for (std::size_t k = 0; k < want.size(); ++k) {
      ASSERT_EQ(std::bit_cast<std::uint32_t>(got[k]), std::bit_cast<std::uint32_t>(want[k])) << "event " << n << ", feature " << k;
    }
  }
}

}  // namespace
}  // namespace l1emu::board
