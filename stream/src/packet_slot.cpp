#include "packet_slot.h"

#include <algorithm>
#include <iterator>

namespace l1emu::stream::detail {

SlotResult check_slot(std::span<const Frame> frames, std::size_t start, std::size_t length, std::size_t window,
                      bool flags, std::size_t& consumed) {
  const std::size_t n = frames.size();
  const std::size_t end = start + length;
  const std::size_t window_end = start + window;
  // Fast path, the common cases on a clean link: a whole idle slot, or a complete packet with its
  // flags in place and an idle gap.
  if (consumed <= start && window_end <= n) {
    const Frame* f = frames.data() + start;
    std::size_t valid_frames = 0;
    for (std::size_t i = 0; i < window; ++i) valid_frames += f[i].valid ? 1 : 0;
    if (valid_frames == 0) return {};
    if (valid_frames == length && f[0].valid && f[length - 1].valid) {
      bool clean = !flags || (f[0].start_of_packet && f[length - 1].end_of_packet);
      for (std::size_t i = 1; clean && flags && i < length; ++i) clean = !f[i].start_of_packet && !f[i - 1].end_of_packet;
      if (clean) {
        bool contiguous = true;
        for (std::size_t i = 0; contiguous && i < length; ++i) contiguous = f[i].valid;
        if (contiguous) return {SlotState::packet, {}};
      }
    }
  }
  const auto valid = [&](std::size_t i) { return i < n && i >= consumed && frames[i].valid; };

  std::size_t valid_in_packet = 0;
  for (std::size_t i = start; i < end; ++i) valid_in_packet += valid(i) ? 1 : 0;
  bool valid_in_gap = false;
  for (std::size_t i = end; i < window_end && !valid_in_gap; ++i) valid_in_gap = valid(i);
  if (valid_in_packet == 0 && !valid_in_gap) return {};

  if (flags && !(valid(start) && frames[start].start_of_packet)) {
    for (std::size_t i = start + 1; i < window_end && i < n; ++i) {
      if (valid(i) && frames[i].start_of_packet) {
        consumed = std::max(consumed, i + length);
        return {SlotState::damaged, LinkErrorKind::misaligned_packet};
      }
    }
  }
  if (valid_in_packet != 0 && valid_in_packet != length) return {SlotState::damaged, LinkErrorKind::invalid_frame_in_packet};
  if (valid_in_gap || valid_in_packet == 0) return {SlotState::damaged, LinkErrorKind::data_outside_packet};
  if (flags) {
    if (!frames[start].start_of_packet) return {SlotState::damaged, LinkErrorKind::missing_start_of_packet};
    if (!frames[end - 1].end_of_packet) return {SlotState::damaged, LinkErrorKind::missing_end_of_packet};
    for (std::size_t i = start; i < end; ++i) {
      if ((i != start && frames[i].start_of_packet) || (i + 1 != end && frames[i].end_of_packet))
        return {SlotState::damaged, LinkErrorKind::unexpected_packet_flag};
    }
  }
  return {SlotState::packet, {}};
}

std::span<const Frame> strobed_frames(const LinkStream& link, std::vector<Frame>& storage) {
  const bool all = std::all_of(link.frames.begin(), link.frames.end(), [](const Frame& f) { return f.strobe; });
  if (all) return link.frames;
  storage.clear();
  std::copy_if(link.frames.begin(), link.frames.end(), std::back_inserter(storage), [](const Frame& f) { return f.strobe; });
  return storage;
}

}  // namespace l1emu::stream::detail
