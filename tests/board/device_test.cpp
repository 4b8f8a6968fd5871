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

}  // namespace
}  // namespace l1emu::board
