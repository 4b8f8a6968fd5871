#pragma once
// Frame-by-frame comparison of two captures (pattern files read into LinkFrames): what a firmware
// engineer does with the expected and the captured output of a board. Links are matched by link
// number; for each link the first differing frame is reported (data, valid, packet and orbit
// flags, strobe), and links or frames present on one side only are differences too.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/stream/link_frame.h"

namespace l1emu::stream {

struct LinkDifference {
  int link = 0;
  std::size_t frame = 0;          // index of the first differing frame
  std::optional<Frame> expected;  // absent when the expected side has no such link or frame
  std::optional<Frame> actual;
  std::string what;               // "data", "valid", "start of packet", ..., "missing link", "extra frames"
};

struct FrameComparison {
  std::size_t links_compared = 0;
  std::size_t frames_compared = 0;
  std::vector<LinkDifference> differences;  // at most one per link, in increasing link number
  [[nodiscard]] bool identical() const { return differences.empty(); }
};

[[nodiscard]] FrameComparison compare_frames(const LinkFrames& expected, const LinkFrames& actual);

/// One line describing a frame as pattern files show it: "1v 00000000deadbeef (SOP EOP SOO)".
[[nodiscard]] std::string describe_frame(const Frame& f);

}  // namespace l1emu::stream
