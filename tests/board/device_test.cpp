#include "l1emu/board/device.h"

#include <gtest/gtest.h>

namespace l1emu::board {
namespace {

TEST(Device, KnowsTheVu9pAndTheMp7Virtex7) {
  const Device* vu9p = find_device("xcvu9p-flgb2104-2-e");
  ASSERT_NE(vu9p, nullptr);
  EXPECT_EQ(vu9p->resources.dsps, 6840);
  EXPECT_EQ(vu9p->resources.luts, 1182240);
  const Device* v7 = find_device("xc7vx690t");
  ASSERT_NE(v7, nullptr);
  EXPECT_EQ(v7->resources.bram36, 1470);
  EXPECT_EQ(find_device("xcvu13p"), nullptr);
}

// The Zynq-7020 of the pynq-z2 boards (hls4ml's VivadoAccelerator default part), whose HLS schedules
// give the 7-series operation delays: DS190's counts, slower operations than UltraScale+.
TEST(Device, KnowsTheZynq7020WithSevenSeriesDelays) {
  const Device* z7 = find_device("xc7z020clg400-1");
  ASSERT_NE(z7, nullptr);
  EXPECT_EQ(z7->resources.dsps, 220);
  EXPECT_EQ(z7->resources.bram36, 140);
  const Device* vu9p = find_device("xcvu9p-flgb2104-2-e");
  ASSERT_NE(vu9p, nullptr);
  EXPECT_GT(z7->delays.add_ps, vu9p->delays.add_ps);
  EXPECT_GT(z7->delays.wide_multiply_ps, vu9p->delays.wide_multiply_ps);
}

}  // namespace
}  // namespace l1emu::board
