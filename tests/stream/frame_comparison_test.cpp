#include "l1emu/stream/frame_comparison.h"

#include <gtest/gtest.h>

namespace l1emu::stream {
namespace {

LinkFrames capture(std::initializer_list<int> links, std::size_t frames) {
  LinkFrames f;
  for (int n : links) {
    LinkStream l;
    l.link = n;
    for (std::size_t i = 0; i < frames; ++i) l.frames.push_back(Frame{0x1000U + i, true, i % 6 == 0, i % 6 == 5, i == 0, true});
    f.links.push_back(l);
  }
  return f;
}

TEST(FrameComparison, IdenticalCapturesHaveNoDifference) {
  const auto c = compare_frames(capture({0, 1, 2}, 60), capture({0, 1, 2}, 60));
  EXPECT_TRUE(c.identical());
  EXPECT_EQ(c.links_compared, 3U);
  EXPECT_EQ(c.frames_compared, 180U);
}

TEST(FrameComparison, ReportsTheFirstDifferencePerLinkWithItsField) {
  auto a = capture({0, 1, 2}, 60);
  auto b = a;
  b.links[1].frames[17].data ^= 0x4;
  b.links[1].frames[30].valid = false;  // later on the same link: not reported
  b.links[2].frames[6].start_of_packet = false;
  const auto c = compare_frames(a, b);
  ASSERT_EQ(c.differences.size(), 2U);
  EXPECT_EQ(c.differences[0].link, 1);
  EXPECT_EQ(c.differences[0].frame, 17U);
  EXPECT_EQ(c.differences[0].what, "data");
  EXPECT_EQ(c.differences[1].link, 2);
  EXPECT_EQ(c.differences[1].frame, 6U);
  EXPECT_EQ(c.differences[1].what, "start of packet");
}

TEST(FrameComparison, MissingLinksAndFramesAreDifferences) {
  const auto c = compare_frames(capture({0, 1, 3}, 60), capture({0, 1, 2}, 54));
  ASSERT_EQ(c.differences.size(), 4U);  // links 0 and 1 short, 2 extra, 3 missing
  EXPECT_EQ(c.differences[0].what, "missing frames");
  EXPECT_EQ(c.differences[0].frame, 54U);
  EXPECT_EQ(c.differences[2].what, "extra link");
  EXPECT_EQ(c.differences[3].what, "missing link");
}

TEST(FrameComparison, DescribesFramesAsPatternFilesShowThem) {
  EXPECT_EQ(describe_frame(Frame{0xdeadbeef, true, true, false, true, true}), "1v 00000000deadbeef (SOP SOO)");
  EXPECT_EQ(describe_frame(Frame{}), "0v 0000000000000000");
}

}  // namespace
}  // namespace l1emu::stream
