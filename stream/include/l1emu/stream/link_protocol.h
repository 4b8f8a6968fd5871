#pragma once
// Link protocols: how events of L1 objects travel as frames on a board's input links, and back.
// An interface plus implementations registered by name (shared/STYLE.md):
//   "ugt-mp7"  the Run-3 uGT input links of FACTS section 5: 240 MHz, 6 32-bit frames per bunch
//              crossing, one bunch crossing after the other (ugt_mp7_protocol.cpp);
//   "emp64"    a Phase-2 style EMP link: 64-bit words, time-multiplexed (TMUX), with interpacket
//              gap, offset and an optional CRC word (emp64_protocol.cpp).
// encode() gives one LinkStream per link; decode() gives the events back with error counters.
// Decoding is positional (packets sit in slots fixed by the protocol), and checks the packet flags
// when the frames carry them; a damaged packet is counted (link_errors.h) and its event dropped,
// never decoded into garbage.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l1emu/stream/event.h"
#include "l1emu/stream/link_errors.h"
#include "l1emu/stream/link_frame.h"

namespace l1emu::stream {

struct LinkProtocolConfig {
  std::string name = "ugt-mp7";
  // emp64 only (ugt-mp7 has a fixed layout and ignores them):
  /// Time multiplexing: events go round robin to `tmux` groups of links; a packet spans tmux BX.
  int tmux = 6;
  /// Frames per bunch crossing: 9 at 360 MHz (25 Gb/s), 6 at 240 MHz (16 Gb/s) (FACTS section 6).
  int frames_per_bx = 9;
  /// Idle frames at the end of every packet slot; a packet has at most tmux x frames_per_bx - gap frames.
  int interpacket_gap = 6;
  /// Idle frames before the first packet.
  int offset = 0;
  /// Append a CRC-32 word to every event.
  bool crc = false;
};

struct DecodeOptions {
  /// Check start/end of packet and start of orbit. False for files that do not carry them (EMP v1):
  /// packets are then taken from their positions and valid flags alone.
  bool packet_flags = true;
  /// Orbit number of the first orbit in the frames (ugt-mp7 counts orbits from the stream start).
  std::uint64_t first_orbit = 0;
  /// Event id of the first packet slot; ids count packet slots, so a dropped event leaves a hole.
  std::int64_t first_event_id = 0;
};

struct DecodeResult {
  std::vector<Event> events;
  LinkErrorCounters errors;
  /// Event slots that held packets (decoded or dropped).
  std::uint64_t event_slots = 0;
  /// Event slots dropped because a packet on one of their links was damaged or missing.
  std::uint64_t dropped_events = 0;
};

class LinkProtocol {
 public:
  virtual ~LinkProtocol() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Links per encoded stream.
  [[nodiscard]] virtual int link_count() const = 0;
  /// Frames every event occupies on one link, gaps included (throughput accounting).
  [[nodiscard]] virtual int frames_per_event_slot() const = 0;
  /// Throws std::invalid_argument for events the protocol cannot carry (order, range).
  [[nodiscard]] virtual LinkFrames encode(std::span<const Event> events) const = 0;
  /// Throws DataError when links the protocol needs are absent; link faults are counted instead.
  [[nodiscard]] virtual DecodeResult decode(const LinkFrames& frames, const DecodeOptions& options = {}) const = 0;
  /// encode() into `out`, which may keep the storage of an earlier call: a replay encodes batch
  /// after batch, and fresh megabytes of frames per batch cost page faults. The default assigns
  /// encode()'s result.
  virtual void encode_into(std::span<const Event> events, LinkFrames& out) const { out = encode(events); }
  /// decode() into `out` (everything in it replaced), likewise.
  virtual void decode_into(const LinkFrames& frames, const DecodeOptions& options, DecodeResult& out) const { out = decode(frames, options); }
};

using LinkProtocolFactory = std::function<std::unique_ptr<LinkProtocol>(const LinkProtocolConfig&)>;

/// Registers an implementation; returns true so it can initialise a static in one line.
bool register_link_protocol(std::string name, LinkProtocolFactory factory);
/// Names of the registered protocols, sorted.
[[nodiscard]] std::vector<std::string> link_protocol_names();
/// Builds config.name; throws registry::UnknownNameError (a std::invalid_argument) for an unknown
/// name, std::invalid_argument for a bad configuration.
[[nodiscard]] std::unique_ptr<LinkProtocol> make_link_protocol(const LinkProtocolConfig& config);

}  // namespace l1emu::stream
