#include "l1emu/stream/l1_objects.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

#include "l1emu/stream/random.h"

namespace l1emu::stream {
namespace {

TEST(L1Objects, MuonPackUnpackIsIdentityOnEveryWord) {
  Random rng(7);
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t w = rng.next_u64();
    EXPECT_EQ(Muon::unpack(w).pack(), w);
  }
}

TEST(L1Objects, CaloAndJetAndSumPackUnpackKeepTheirBits) {
  Random rng(8);
  for (int i = 0; i < 20000; ++i) {
    const auto w = static_cast<std::uint32_t>(rng.next_u64());
    EXPECT_EQ(CaloObject::unpack(w).pack(), w & 0x07ffffffu);  // bits 26:0 used
    EXPECT_EQ(Jet::unpack(w).pack(), w & 0x07ffffffu);         // bits 26:0 used
    EXPECT_EQ(EnergySum::unpack(w).pack(), w & 0x000fffffu);   // bits 19:0 used
  }
}

TEST(L1Objects, MuonFieldPositionsFollowFactsSection5) {
  Muon m;
  m.hw_phi = 0x3ff;
  EXPECT_EQ(m.pack(), 0x3ffULL);
  m = {};
  m.hw_pt = 0x1ff;
  EXPECT_EQ(m.pack(), 0x1ffULL << 10);
  m = {};
  m.hw_eta = -1;
  EXPECT_EQ(m.pack(), 0x1ffULL << 23);
  m = {};
  m.dxy = 3;
  EXPECT_EQ(m.pack(), 3ULL << 62);
  m = {};
  m.hw_phi_out = 0x3ff;
  EXPECT_EQ(m.pack(), 0x3ffULL << 43);
  EXPECT_EQ(Muon::unpack(0x100ULL << 23).hw_eta, -256);  // 9-bit two's complement minimum
}

TEST(L1Objects, CaloFieldPositionsFollowFactsSection5) {
  EXPECT_EQ(CaloObject::unpack(0x1ffu).hw_et, 0x1ff);
  EXPECT_EQ(CaloObject::unpack(0x80u << 9).hw_eta, -128);
  EXPECT_EQ(CaloObject::unpack(0x7fu << 9).hw_eta, 127);
  EXPECT_EQ(CaloObject::unpack(0xffu << 17).hw_phi, 0xff);
  EXPECT_EQ(CaloObject::unpack(3u << 25).iso, 3);
  EXPECT_EQ(Jet::unpack(0x7ffu).hw_et, 0x7ff);
  EXPECT_EQ(Jet::unpack(0x80u << 11).hw_eta, -128);
  EXPECT_EQ(Jet::unpack(0xffu << 19).hw_phi, 0xff);
  EXPECT_EQ(EnergySum::unpack(0xfffu).hw_et, 0xfff);
  EXPECT_EQ(EnergySum::unpack(0xffu << 12).hw_phi, 0xff);
}

TEST(L1Objects, PtRoundsHalfUpAndSaturates) {
  EXPECT_EQ(hw::pt_code(10.0, 9), 20u);
  EXPECT_EQ(hw::pt_code(10.24, 9), 20u);
  EXPECT_EQ(hw::pt_code(10.25, 9), 21u);  // half up
  EXPECT_EQ(hw::pt_code(0.2, 9), 0u);     // below half an LSB: no object
  EXPECT_EQ(hw::pt_code(-5.0, 9), 0u);
  EXPECT_EQ(hw::pt_code(std::numeric_limits<double>::quiet_NaN(), 9), 0u);
  EXPECT_EQ(hw::pt_code(255.5, 9), 511u);
  EXPECT_EQ(hw::pt_code(1e6, 9), 511u);  // saturation
  EXPECT_EQ(hw::pt_code(1e6, 11), 2047u);
  EXPECT_EQ(hw::pt_code(std::numeric_limits<double>::infinity(), 12), 4095u);
}

TEST(L1Objects, EtaRoundsAndSaturatesToTwosComplementRange) {
  EXPECT_EQ(hw::eta_code(0.0435 * 10, scales::kCaloEtaLsb, 8), 10);
  EXPECT_EQ(hw::eta_code(-0.0435 * 10, scales::kCaloEtaLsb, 8), -10);
  EXPECT_EQ(hw::eta_code(10.0, scales::kCaloEtaLsb, 8), 127);
  EXPECT_EQ(hw::eta_code(-10.0, scales::kCaloEtaLsb, 8), -128);
  EXPECT_EQ(hw::eta_code(-2.4, scales::kMuonEtaLsb, 9), -221);  // -220.69 -> -221
  EXPECT_EQ(hw::eta_code(5.0, scales::kMuonEtaLsb, 9), 255);
}

TEST(L1Objects, PhiWrapsIntoBins) {
  EXPECT_EQ(hw::phi_code(0.0, 144), 0u);
  EXPECT_EQ(hw::phi_code(-1e-9, 144), 0u);            // rounds to bin 144 -> wraps to 0
  EXPECT_EQ(hw::phi_code(std::numbers::pi, 144), 72u);
  EXPECT_EQ(hw::phi_code(-std::numbers::pi / 2, 144), 108u);
  EXPECT_EQ(hw::phi_code(2 * std::numbers::pi * 10 + 0.0436, 144), 1u);
  EXPECT_NEAR(hw::phi_value(108, 144), -std::numbers::pi / 2, 1e-12);
  EXPECT_NEAR(hw::phi_value(72, 144), std::numbers::pi, 1e-12);  // (-pi, pi]
}

TEST(L1Objects, FromPhysicalOfToPhysicalIsIdentityForEveryCode) {
  for (int pt = 1; pt < 512; ++pt) {
    for (int eta = -256; eta < 256; eta += 17) {
      Muon m;
      m.hw_pt = static_cast<std::uint16_t>(pt);
      m.hw_eta = static_cast<std::int16_t>(eta);
      m.hw_phi = static_cast<std::uint16_t>((pt * 7) % 576);
      m.hw_phi_out = m.hw_phi;
      m.quality = 12;
      EXPECT_EQ(Muon::from_physical(m.to_physical()), m);
      // Through float32, as a dataset file stores it.
      const PhysicalObject p = m.to_physical();
      const PhysicalObject pf{static_cast<float>(p.pt), static_cast<float>(p.eta), static_cast<float>(p.phi)};
      EXPECT_EQ(Muon::from_physical(pf), m);
    }
  }
  for (int et = 1; et < 2048; ++et) {
    for (int eta = -128; eta < 128; eta += 11) {
      Jet j{static_cast<std::uint16_t>(et), static_cast<std::int16_t>(eta), static_cast<std::uint16_t>(et % 144)};
      EXPECT_EQ(Jet::from_physical(j.to_physical()), j);
      if (et < 512) {
        EGamma e{{static_cast<std::uint16_t>(et), static_cast<std::int16_t>(eta), static_cast<std::uint16_t>(et % 144), 0}};
        EXPECT_EQ(EGamma::from_physical(e.to_physical()), e);
      }
    }
  }
  for (int et = 0; et < 4096; ++et) {
    EnergySum s{static_cast<std::uint16_t>(et), static_cast<std::uint16_t>(et % 144)};
    EXPECT_EQ(EnergySum::from_physical(s.to_physical()), s);
  }
}

TEST(L1Objects, PhysicalValuesUseTheLsbs) {
  const PhysicalObject p = Jet{100, -20, 36}.to_physical();
  EXPECT_DOUBLE_EQ(p.pt, 50.0);
  EXPECT_DOUBLE_EQ(p.eta, -20 * 0.0435);
  EXPECT_NEAR(p.phi, std::numbers::pi / 2, 1e-12);
  EXPECT_EQ(Jet{}.to_physical(), PhysicalObject{});  // empty stays all zero
}

}  // namespace
}  // namespace l1emu::stream
