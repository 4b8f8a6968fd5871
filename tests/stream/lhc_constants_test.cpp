#include "l1emu/stream/lhc_constants.h"

#include <gtest/gtest.h>

namespace l1emu::stream {
namespace {

TEST(LhcConstants, OrbitFrequencyIs11245Hz) {
  EXPECT_NEAR(kBunchCrossingHz / kBxPerOrbit, 11245.5, 0.1);
}

}  // namespace
}  // namespace l1emu::stream
