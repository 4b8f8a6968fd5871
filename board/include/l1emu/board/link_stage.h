#pragma once
// The link step between a source and the board: events in, events as the board's deserializer
// sees them out. An interface registered by name: "direct" hands the objects over unchanged
// (exactly what an error-free uGT link delivers, since the protocol carries the object words
// verbatim, FACTS section 5); "ugt-mp7" and "emp64" encode each batch into frames per link with
// stream's LinkProtocol, optionally inject faults (stream's FaultInjector, seeded), and decode the
// frames back: what the board's deserializer would see, lost packets included.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l1emu/stream/event.h"

namespace l1emu::board {

struct LinkCounters {
  std::uint64_t events = 0;
  std::uint64_t frames = 0;
  std::uint64_t errors = 0;  // detected faults (CRC, broken packets); the board keeps running
};

class LinkStage {
 public:
  virtual ~LinkStage() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Carries one event across the links; returns false when the event was lost (counted).
  virtual bool transport(const stream::Event& in, stream::Event& out) = 0;
  /// Carries a batch of events in increasing (orbit, BX) order: out[i] is event i as the board
  /// sees it, delivered[i] 0 when it was lost. The default carries them one by one.
  virtual void transport_batch(std::span<const stream::Event> in, std::vector<stream::Event>& out, std::vector<std::uint8_t>& delivered);
  /// transport_batch for a caller that gives `in` up (its contents are unspecified afterwards): a
  /// link that delivers events unchanged hands the buffer over instead of copying every event.
  virtual void transport_batch_from(std::vector<stream::Event>& in, std::vector<stream::Event>& out, std::vector<std::uint8_t>& delivered) {
    transport_batch(in, out, delivered);
  }
  [[nodiscard]] virtual const LinkCounters& counters() const = 0;
  /// True when what a batch gives depends on that batch only (no seeded faults, whose random
  /// stream runs over every frame): a shard may then start without carrying the events before it.
  [[nodiscard]] virtual bool history_free() const { return false; }
};

struct LinkStageConfig {
  std::string protocol = "direct";
  /// emp64 framing (ugt-mp7 has a fixed layout): time multiplexing, frames per BX, gap, offset, CRC.
  int tmux = 6;
  int frames_per_bx = 9;
  int interpacket_gap = 6;
  int offset = 0;
  bool crc = false;
  /// Fault injection on the frames (rates per bit, frame or packet; all zero: clean links).
  std::uint64_t fault_seed = 1;
  double bit_flip_rate = 0.0;
  double dropped_frame_rate = 0.0;
  double repeated_frame_rate = 0.0;
  double missing_end_of_packet_rate = 0.0;
  double misaligned_packet_rate = 0.0;
};

using LinkStageFactory = std::function<std::unique_ptr<LinkStage>(const LinkStageConfig&)>;
bool register_link_stage(std::string name, LinkStageFactory factory);
[[nodiscard]] std::vector<std::string> link_stage_names();
/// Throws registry::UnknownNameError naming the known protocols.
[[nodiscard]] std::unique_ptr<LinkStage> make_link_stage(const LinkStageConfig& config);

}  // namespace l1emu::board
