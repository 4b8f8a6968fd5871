#pragma once
// Shared by the link protocols: checks one packet slot on one link. Internal header.
#include <cstddef>
#include <span>
#include <vector>

#include "l1emu/stream/link_errors.h"
#include "l1emu/stream/link_frame.h"

namespace l1emu::stream::detail {

enum class SlotState { idle, packet, damaged };

struct SlotResult {
  SlotState state = SlotState::idle;
  LinkErrorKind error = LinkErrorKind::invalid_frame_in_packet;  // when damaged
};

/// Frames [start, start + length) must form the packet and [start + length, start + window) be idle.
/// Frames beyond the end count as idle; frames before `consumed` belong to an earlier shifted packet
/// and are skipped. With `flags`, start/end of packet are checked and a start of packet later in
/// the window marks the packet as misaligned (its frames are then consumed so that the next slot
/// does not count them again).
SlotResult check_slot(std::span<const Frame> frames, std::size_t start, std::size_t length, std::size_t window,
                      bool flags, std::size_t& consumed);

/// The frames a protocol sees: frames with strobe 0 removed (a copy only when there are any).
std::span<const Frame> strobed_frames(const LinkStream& link, std::vector<Frame>& storage);

}  // namespace l1emu::stream::detail
