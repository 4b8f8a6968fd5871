#include "l1emu/stream/link_errors.h"

#include <fmt/format.h>

namespace l1emu::stream {

std::string_view to_string(LinkErrorKind kind) {
  switch (kind) {
    case LinkErrorKind::misaligned_packet: return "misaligned_packet";
    case LinkErrorKind::invalid_frame_in_packet: return "invalid_frame_in_packet";
    case LinkErrorKind::data_outside_packet: return "data_outside_packet";
    case LinkErrorKind::missing_start_of_packet: return "missing_start_of_packet";
    case LinkErrorKind::missing_end_of_packet: return "missing_end_of_packet";
    case LinkErrorKind::unexpected_packet_flag: return "unexpected_packet_flag";
    case LinkErrorKind::crc_mismatch: return "crc_mismatch";
    case LinkErrorKind::bad_header: return "bad_header";
    case LinkErrorKind::orbit_marker: return "orbit_marker";
    case LinkErrorKind::incomplete_event: return "incomplete_event";
  }
  return "unknown";
}

void LinkErrorCounters::merge(const LinkErrorCounters& other) {
  for (const auto& [link, counts] : other.by_link_)
    for (std::size_t k = 0; k < counts.size(); ++k)
      if (counts[k] != 0) by_link_[link][k] += counts[k];
}

std::uint64_t LinkErrorCounters::count(int link, LinkErrorKind kind) const {
  const auto it = by_link_.find(link);
  return it == by_link_.end() ? 0 : it->second[static_cast<std::size_t>(kind)];
}

std::uint64_t LinkErrorCounters::count(LinkErrorKind kind) const {
  std::uint64_t n = 0;
  for (const auto& [link, counts] : by_link_) n += counts[static_cast<std::size_t>(kind)];
  return n;
}

std::uint64_t LinkErrorCounters::total() const {
  std::uint64_t n = 0;
  for (const auto& [link, counts] : by_link_)
    for (const auto c : counts) n += c;
  return n;
}

std::string LinkErrorCounters::summary() const {
  std::string out;
  for (int k = 0; k < kLinkErrorKindCount; ++k) {
    const std::uint64_t n = count(static_cast<LinkErrorKind>(k));
    if (n == 0) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", to_string(static_cast<LinkErrorKind>(k)), n);
  }
  return out.empty() ? "none" : out;
}

}  // namespace l1emu::stream
