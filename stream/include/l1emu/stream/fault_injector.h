#pragma once
// Seeded fault injection on link frames (shared/DESIGN.md, reliability policy): what a board's
// receivers can see from a bad link, applied to encoded frames before decoding. Every fault applied
// is logged with its place, so tests can compare what was injected with what the decoder counted.
// Kinds, applied in this order, each with its own rate:
//   misaligned_packet  a whole packet (start of packet .. end of packet) moved one frame later,
//                      applied only where the frame after it is idle (rate per packet);
//   missing_end_of_packet  the end-of-packet flag cleared (rate per packet);
//   dropped_frame      a valid frame lost: it becomes an idle frame with zero data (rate per valid frame);
//   repeated_frame     a valid frame replaced by a copy of the frame before it, data and flags, as a
//                      FIFO that re-reads a word (rate per valid frame);
//   bit_flip           one data bit inverted, within the link's word_bits (rate per bit of every
//                      valid frame; positions drawn with geometric gaps, so low rates are cheap).
// Same seed, same frames in: same faults out.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "l1emu/stream/link_frame.h"
#include "l1emu/stream/random.h"

namespace l1emu::stream {

enum class FaultKind : std::uint8_t { misaligned_packet, missing_end_of_packet, dropped_frame, repeated_frame, bit_flip };
inline constexpr int kFaultKindCount = 5;
[[nodiscard]] std::string_view to_string(FaultKind kind);

struct FaultConfig {
  std::uint64_t seed = 1;
  double misaligned_packet_rate = 0.0;
  double missing_end_of_packet_rate = 0.0;
  double dropped_frame_rate = 0.0;
  double repeated_frame_rate = 0.0;
  double bit_flip_rate = 0.0;
};

struct InjectedFault {
  FaultKind kind = FaultKind::bit_flip;
  /// Index into LinkFrames::links (not the link number).
  std::size_t link_index = 0;
  /// Frame index; for packet faults the first frame of the packet before the fault.
  std::size_t frame = 0;
  /// Bit for bit flips, -1 otherwise.
  int bit = -1;
};

struct FaultReport {
  std::vector<InjectedFault> faults;
  std::array<std::uint64_t, kFaultKindCount> counts{};
  [[nodiscard]] std::uint64_t count(FaultKind k) const { return counts[static_cast<std::size_t>(k)]; }
};

class FaultInjector {
 public:
  /// Throws std::invalid_argument for a rate outside [0, 1].
  explicit FaultInjector(FaultConfig config);
  /// Applies faults to the frames in place; successive calls continue the random sequence.
  FaultReport inject(LinkFrames& frames);

 private:
  FaultConfig config_;
  Random rng_;
  /// Frames (or bits) to skip before the next fault at rate p: geometric with success probability p.
  [[nodiscard]] std::uint64_t skip(double p);
};

}  // namespace l1emu::stream
