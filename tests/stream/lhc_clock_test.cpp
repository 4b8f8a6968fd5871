#include "l1emu/stream/lhc_clock.h"

#include <gtest/gtest.h>

namespace l1emu::stream {
namespace {

TEST(LhcClock, PeriodsFollowFactsSection1) {
  EXPECT_NEAR(kBxPeriodNs, 24.95, 0.001);
  EXPECT_NEAR(kOrbitPeriodNs / 1000.0, 88.924, 0.001);
  EXPECT_NEAR(kOrbitHz, 11245.5, 0.1);
  EXPECT_NEAR(static_cast<double>(kOrbitsPerLumiSection) * kOrbitPeriodNs * 1e-9, 23.31, 0.01);
}

TEST(LhcClock, NextWrapsIntoTheNextOrbit) {
  EXPECT_EQ((BunchCrossing{5, 3562}.next()), (BunchCrossing{5, 3563}));
  EXPECT_EQ((BunchCrossing{5, 3563}.next()), (BunchCrossing{6, 0}));
  EXPECT_EQ((BunchCrossing{2, 10}.global_index()), 2u * 3564u + 10u);
  EXPECT_EQ(BunchCrossing::from_global_index(3564), (BunchCrossing{1, 0}));
  EXPECT_LT((BunchCrossing{1, 3563}), (BunchCrossing{2, 0}));
}

TEST(LhcClock, TimeRoundTripsAtSlotBoundaries) {
  for (const BunchCrossing bc : {BunchCrossing{0, 0}, BunchCrossing{0, 1}, BunchCrossing{3, 3563},
                                 BunchCrossing{1000000, 1234}}) {
    const double t = bc.time_ns();
    EXPECT_EQ(BunchCrossing::at_time_ns(t), bc);
    // One picosecond before the slot starts belongs to the previous slot.
    if (bc.global_index() > 0) {
      EXPECT_EQ(BunchCrossing::at_time_ns(t - 1e-3), BunchCrossing::from_global_index(bc.global_index() - 1));
    }
    EXPECT_EQ(BunchCrossing::at_time_ns(t + kBxPeriodNs / 2), bc);
  }
  EXPECT_NEAR((BunchCrossing{1, 0}.time_ns()), kOrbitPeriodNs, 1e-6);
  EXPECT_THROW((void)BunchCrossing::at_time_ns(-1.0), std::invalid_argument);
}

TEST(LhcClock, LumiSectionIs2To18Orbits) {
  EXPECT_EQ((BunchCrossing{(1u << 18) - 1, 3563}.lumi_section()), 0u);
  EXPECT_EQ((BunchCrossing{1u << 18, 0}.lumi_section()), 1u);
}

}  // namespace
}  // namespace l1emu::stream
