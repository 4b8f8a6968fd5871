#pragma once
// Counters of link errors found while decoding, per link and kind. Link faults are data problems
// on the hot path: they are counted, the damaged packet is dropped, decoding goes on
// (shared/DESIGN.md, reliability policy). Every damaged packet is counted once, under the first
// kind in this order that describes it.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace l1emu::stream {

enum class LinkErrorKind : std::uint8_t {
  /// A start of packet later than the slot where the protocol expects it (the packet is shifted).
  misaligned_packet,
  /// Some but not all frames of a packet slot are valid (a frame was lost or the packet broken).
  invalid_frame_in_packet,
  /// A valid frame where the protocol expects an idle frame (interpacket gap, empty bunch crossing).
  data_outside_packet,
  /// The first frame of a packet lacks start of packet.
  missing_start_of_packet,
  /// The last frame of a packet lacks end of packet.
  missing_end_of_packet,
  /// Start or end of packet inside a packet.
  unexpected_packet_flag,
  /// The CRC word does not match the payload.
  crc_mismatch,
  /// Header word with reserved bits set or a bunch crossing out of range.
  bad_header,
  /// Start of orbit missing at the first frame of an orbit, or present elsewhere.
  orbit_marker,
  /// An event whose packets arrived on some of its links but not on others.
  incomplete_event,
};
inline constexpr int kLinkErrorKindCount = 10;

[[nodiscard]] std::string_view to_string(LinkErrorKind kind);

class LinkErrorCounters {
 public:
  using Counts = std::array<std::uint64_t, kLinkErrorKindCount>;

  void add(int link, LinkErrorKind kind, std::uint64_t n = 1) { by_link_[link][static_cast<std::size_t>(kind)] += n; }
  void merge(const LinkErrorCounters& other);

  [[nodiscard]] std::uint64_t count(int link, LinkErrorKind kind) const;
  [[nodiscard]] std::uint64_t count(LinkErrorKind kind) const;
  [[nodiscard]] std::uint64_t total() const;
  /// Links with at least one error, in increasing link number.
  [[nodiscard]] const std::map<int, Counts>& by_link() const { return by_link_; }
  /// "kind N, kind N" over the non-zero kinds, or "none".
  [[nodiscard]] std::string summary() const;

 private:
  std::map<int, Counts> by_link_;
};

}  // namespace l1emu::stream
