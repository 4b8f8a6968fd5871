#pragma once
// Frames on serial links (shared/FACTS.md sections 5 and 6): one 64-bit data word per link-clock
// tick with the metadata the EMP and APx firmware carry beside it. A LinkStream is what one link
// transmits, frame after frame; LinkFrames is a set of links captured together (a board's inputs,
// the contents of pattern files).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace l1emu::stream {

struct Frame {
  std::uint64_t data = 0;
  bool valid = false;
  bool start_of_packet = false;
  bool end_of_packet = false;
  bool start_of_orbit = false;
  /// EMP strobe: a frame with strobe 0 is not a data beat (a slower link on a faster clock); the
  /// protocols skip it. Encoders always write strobe 1.
  bool strobe = true;
  friend bool operator==(const Frame&, const Frame&) = default;
};

struct LinkStream {
  /// Link (channel) number on the board, as pattern files label it.
  int link = 0;
  /// Link clock in MHz (240 for the MP7 uGT links, 240 or 360 for Phase-2 links); 0 when unknown
  /// (pattern files do not record it).
  double clock_mhz = 0.0;
  /// Meaningful bits per data word (32 on MP7 links, 64 on Phase-2 links).
  int word_bits = 64;
  std::vector<Frame> frames;
  friend bool operator==(const LinkStream&, const LinkStream&) = default;
};

struct LinkFrames {
  /// Board name written into pattern-file headers.
  std::string board = "l1emu";
  /// Links in increasing link number, all with the same number of frames.
  std::vector<LinkStream> links;

  [[nodiscard]] std::size_t frame_count() const { return links.empty() ? 0 : links.front().frames.size(); }
  friend bool operator==(const LinkFrames&, const LinkFrames&) = default;
};

}  // namespace l1emu::stream
