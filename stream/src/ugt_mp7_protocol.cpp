// "ugt-mp7": the Run-3 uGT input links (shared/FACTS.md section 5; cms-l1-globaltrigger
// mp7_ugt_legacy doc/scales_inputs_2_ugt). 240 MHz link clock, 6 frames of 32 bits per bunch
// crossing, one slot of 6 frames per BX, BX after BX. Link map (links 0-10; link 11, CICADA, and
// 12-15, external conditions, carry nothing an Event holds and are not produced):
//   links 0-3   muons 2l and 2l+1: frame 0 free (0), frame 1 extra eta bits (0), frames 2-5 =
//               muA[31:0], muA[63:32], muB[31:0], muB[63:32];
//   links 4-5   e/gamma 0-5, 6-11, one per frame;   links 6-7 jets 0-5, 6-11;
//   links 8-9   taus 0-5, 6-11;                      link 10 sums ETT, HT, ETM, HTM, ETMHF, HTMHF.
// Frame metadata: a BX holding an event has its 6 frames valid, start of packet on frame 0 and end
// of packet on frame 5; a BX without an event (not colliding, not in the input) is 6 idle frames.
// Frame 0 of BX 0 of every orbit carries start of orbit. The stream starts at BX 0 of the first
// event's orbit and ends with the last event's BX, so decoding knows BX and orbit from the position.
// Events must come in increasing (orbit, BX) order.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <stdexcept>

#include "builtin_registrations.h"
#include "l1emu/stream/error.h"
#include "l1emu/stream/lhc_constants.h"
#include "l1emu/stream/link_protocol.h"
#include "packet_slot.h"

namespace l1emu::stream {
namespace {

constexpr int kLinks = 11;
constexpr int kFramesPerBx = 6;
constexpr double kClockMhz = 240.0;
constexpr std::uint64_t kLow32 = 0xffffffffULL;

enum Link : int { kMuonLink0 = 0, kEGammaLink0 = 4, kJetLink0 = 6, kTauLink0 = 8, kSumLink = 10 };

/// The 6 words of every link for one event.
using SlotWords = std::array<std::array<std::uint32_t, kFramesPerBx>, kLinks>;

SlotWords pack_event(const Event& e) {
  SlotWords w;  // every word is assigned below
  for (int l = 0; l < 4; ++l) {
    const std::uint64_t a = e.muons[2 * l].pack();
    const std::uint64_t b = e.muons[2 * l + 1].pack();
    w[kMuonLink0 + l] = {0u, 0u, static_cast<std::uint32_t>(a & kLow32), static_cast<std::uint32_t>(a >> 32),
                         static_cast<std::uint32_t>(b & kLow32), static_cast<std::uint32_t>(b >> 32)};
  }
  // Link then frame rather than object index / 6 and % 6: no division per object.
  for (int h = 0; h < 2; ++h) {
    for (int k = 0; k < kFramesPerBx; ++k) {
      const int i = h * kFramesPerBx + k;
      w[kEGammaLink0 + h][k] = e.egammas[i].pack();
      w[kJetLink0 + h][k] = e.jets[i].pack();
      w[kTauLink0 + h][k] = e.taus[i].pack();
    }
  }
  for (int i = 0; i < kSumCount; ++i) w[kSumLink][i] = e.sums[i].pack();
  return w;
}

void unpack_event(const SlotWords& w, Event& e) {
  for (int l = 0; l < 4; ++l) {
    e.muons[2 * l] = Muon::unpack(w[kMuonLink0 + l][2] | (std::uint64_t{w[kMuonLink0 + l][3]} << 32));
    e.muons[2 * l + 1] = Muon::unpack(w[kMuonLink0 + l][4] | (std::uint64_t{w[kMuonLink0 + l][5]} << 32));
  }
  for (int h = 0; h < 2; ++h) {
    for (int k = 0; k < kFramesPerBx; ++k) {
      const int i = h * kFramesPerBx + k;
      e.egammas[i] = EGamma::unpack(w[kEGammaLink0 + h][k]);
      e.jets[i] = Jet::unpack(w[kJetLink0 + h][k]);
      e.taus[i] = Tau::unpack(w[kTauLink0 + h][k]);
    }
  }
  for (int i = 0; i < kSumCount; ++i) e.sums[i] = EnergySum::unpack(w[kSumLink][i]);
}

class UgtMp7Protocol final : public LinkProtocol {
 public:
  [[nodiscard]] std::string_view name() const override { return "ugt-mp7"; }
  [[nodiscard]] int link_count() const override { return kLinks; }
  [[nodiscard]] int frames_per_event_slot() const override { return kFramesPerBx; }

  [[nodiscard]] LinkFrames encode(std::span<const Event> events) const override {
    LinkFrames out;
    encode_into(events, out);
    return out;
  }

  void encode_into(std::span<const Event> events, LinkFrames& out) const override {
    out.board = LinkFrames{}.board;
    out.links.resize(kLinks);
    for (int l = 0; l < kLinks; ++l) {
      out.links[l].link = l;
      out.links[l].clock_mhz = kClockMhz;
      out.links[l].word_bits = 32;
    }
    if (events.empty()) {
      for (auto& link : out.links) link.frames.clear();
      return;
    }
    const std::uint64_t base = events.front().orbit * kBxPerOrbit;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (events[i].bx >= kBxPerOrbit)
        throw std::invalid_argument(fmt::format("ugt-mp7: event {} has BX {} (expected 0-{})", i, events[i].bx, kBxPerOrbit - 1));
      if (i > 0 && global_bx(events[i]) <= global_bx(events[i - 1]))
        throw std::invalid_argument(fmt::format(
            "ugt-mp7: events must be in increasing (orbit, BX) order; event {} (orbit {}, BX {}) follows orbit {}, BX {}",
            i, events[i].orbit, events[i].bx, events[i - 1].orbit, events[i - 1].bx));
    }
    const std::uint64_t slots = global_bx(events.back()) - base + 1;
    const std::size_t frames = static_cast<std::size_t>(slots) * kFramesPerBx;
    // Every frame is written exactly once, slot after slot (idle or the event's packet): the
    // vectors keep their storage across batches and need no clearing pass first.
    std::array<Frame*, kLinks> link_frames{};
    for (int l = 0; l < kLinks; ++l) {
      out.links[l].frames.resize(frames);
      link_frames[l] = out.links[l].frames.data();
    }
    std::size_t next = 0;
    for (std::uint64_t s = 0; s < slots; ++s) {
      const std::size_t start = static_cast<std::size_t>(s) * kFramesPerBx;
      // Start of orbit: frame 0 of every orbit's BX 0 (the stream starts at one).
      const bool orbit_start = s % kBxPerOrbit == 0;
      if (next < events.size() && global_bx(events[next]) - base == s) {
        const SlotWords w = pack_event(events[next++]);
        for (int l = 0; l < kLinks; ++l) {
          Frame* f = link_frames[l] + start;
          for (int k = 0; k < kFramesPerBx; ++k) f[k] = Frame{w[l][k], true, k == 0, k == kFramesPerBx - 1, false, true};
          f[0].start_of_orbit = orbit_start;
        }
      } else {
        for (int l = 0; l < kLinks; ++l) {
          Frame* f = link_frames[l] + start;
          for (int k = 0; k < kFramesPerBx; ++k) f[k] = Frame{};
          f[0].start_of_orbit = orbit_start;
        }
      }
    }
  }

  [[nodiscard]] DecodeResult decode(const LinkFrames& in, const DecodeOptions& options) const override {
    DecodeResult result;
    decode_into(in, options, result);
    return result;
  }

  void decode_into(const LinkFrames& in, const DecodeOptions& options, DecodeResult& result) const override {
    if (decode_aligned(in, options, result)) return;
    result.events.clear();
    result.errors = LinkErrorCounters{};
    result.event_slots = 0;
    result.dropped_events = 0;
    std::array<std::vector<Frame>, kLinks> storage;
    std::array<std::span<const Frame>, kLinks> links;
    std::array<bool, kLinks> found{};
    for (const auto& link : in.links) {
      if (link.link < 0 || link.link >= kLinks) continue;  // links 11-15 carry nothing decoded here
      if (found[link.link]) throw DataError(fmt::format("ugt-mp7: link {} appears twice", link.link));
      found[link.link] = true;
      links[link.link] = detail::strobed_frames(link, storage[link.link]);
    }
    for (int l = 0; l < kLinks; ++l)
      if (!found[l]) throw DataError(fmt::format("ugt-mp7: link {} is missing (the protocol needs links 0-{})", l, kLinks - 1));

    std::size_t frames = 0;
    for (const auto& f : links) frames = std::max(frames, f.size());
    if (options.packet_flags) check_orbit_markers(links, result.errors);

    const std::size_t slots = (frames + kFramesPerBx - 1) / kFramesPerBx;
    result.events.reserve(slots);
    std::array<std::size_t, kLinks> consumed{};
    std::array<detail::SlotResult, kLinks> state;
    for (std::size_t s = 0; s < slots; ++s) {
      const std::size_t start = s * kFramesPerBx;
      for (int l = 0; l < kLinks; ++l) {
        if (!clean_slot(links[l], start, options.packet_flags, consumed[l], state[l]))
          state[l] = detail::check_slot(links[l], start, kFramesPerBx, kFramesPerBx, options.packet_flags, consumed[l]);
      }
      close_slot(state, links, s, options, result);
    }
  }

 private:
  static std::uint64_t global_bx(const Event& e) { return e.orbit * kBxPerOrbit + e.bx; }

  // The flag bytes of a frame (valid, start of packet, end of packet, start of orbit, strobe) as
  // one integer, byte i = flag i: a whole slot of a link is then checked with a few compares.
  static_assert(sizeof(Frame) == 16 && offsetof(Frame, valid) == 8 && offsetof(Frame, start_of_packet) == 9 &&
                offsetof(Frame, end_of_packet) == 10 && offsetof(Frame, start_of_orbit) == 11 && offsetof(Frame, strobe) == 12);
  static constexpr std::uint64_t kValidFlag = 1, kSopFlag = 1ULL << 8, kEopFlag = 1ULL << 16, kSooFlag = 1ULL << 24, kStrobeFlag = 1ULL << 32;
  static constexpr std::uint64_t kFlagBytes = (1ULL << 40) - 1;  // the three bytes after them are padding
  static std::uint64_t flags(const Frame& f) {
    std::uint64_t x = 0;
    std::memcpy(&x, reinterpret_cast<const unsigned char*>(&f) + offsetof(Frame, valid), sizeof x);
    return x & kFlagBytes;
  }
  // A clean packet's frames as encode() writes them (start of orbit aside), and an idle frame.
  static constexpr std::uint64_t kPacketFirst = kStrobeFlag | kValidFlag | kSopFlag;
  static constexpr std::uint64_t kPacketMiddle = kStrobeFlag | kValidFlag;
  static constexpr std::uint64_t kPacketLast = kStrobeFlag | kValidFlag | kEopFlag;
  static constexpr std::uint64_t kIdle = kStrobeFlag;

  /// decode_into() for the usual input, in one pass over the frames: links 0-10 once each, of equal
  /// length in whole slots, packet flags checked. Per slot and link, the flags are compared with
  /// the two clean cases (an idle slot, a packet framed as encode() frames it) and the start-of-
  /// orbit bits counted as check_orbit_markers counts them; anything else is left to clean_slot
  /// and check_slot exactly as in the general loop. Frames with strobe 0 shift a link's frames, so
  /// the first one seen abandons this pass (false) and the general loop decodes from scratch.
  /// Same events, counters and errors as the general loop (errors are per link and kind counts).
  bool decode_aligned(const LinkFrames& in, const DecodeOptions& options, DecodeResult& result) const {
    if (!options.packet_flags || in.links.size() < static_cast<std::size_t>(kLinks)) return false;
    std::array<const Frame*, kLinks> links{};
    const std::size_t frames = in.links.front().frames.size();  // the general loop handles unequal links
    if (frames % kFramesPerBx != 0) return false;
    for (const auto& link : in.links) {
      if (link.link < 0 || link.link >= kLinks) continue;  // links 11-15 carry nothing decoded here
      if (links[link.link] != nullptr || link.frames.size() != frames) return false;
      links[link.link] = link.frames.data();
    }
    for (const Frame* f : links)
      if (f == nullptr) return false;

    result.events.clear();
    result.errors = LinkErrorCounters{};
    result.event_slots = 0;
    result.dropped_events = 0;
    const std::size_t slots = frames / kFramesPerBx;
    result.events.reserve(slots);
    std::array<std::span<const Frame>, kLinks> spans;
    for (int l = 0; l < kLinks; ++l) spans[l] = {links[l], frames};
    std::array<std::size_t, kLinks> consumed{};
    std::array<detail::SlotResult, kLinks> state;
    for (std::size_t s = 0; s < slots; ++s) {
      const std::size_t start = s * kFramesPerBx;
      const std::uint64_t orbit_marker = s % kBxPerOrbit == 0 ? kSooFlag : 0;  // expected on frame 0 only
      for (int l = 0; l < kLinks; ++l) {
        const Frame* f = links[l] + start;
        const std::uint64_t y0 = flags(f[0]), y1 = flags(f[1]), y2 = flags(f[2]), y3 = flags(f[3]), y4 = flags(f[4]), y5 = flags(f[5]);
        const bool free = consumed[l] <= start;  // no shifted packet reaches into this slot
        if (free && ((y0 ^ (kPacketFirst | orbit_marker)) | (y1 ^ kPacketMiddle) | (y2 ^ kPacketMiddle) | (y3 ^ kPacketMiddle) |
                     (y4 ^ kPacketMiddle) | (y5 ^ kPacketLast)) == 0) {
          state[l] = {detail::SlotState::packet, {}};
        } else if (free && ((y0 ^ (kIdle | orbit_marker)) | (y1 ^ kIdle) | (y2 ^ kIdle) | (y3 ^ kIdle) | (y4 ^ kIdle) | (y5 ^ kIdle)) == 0) {
          state[l] = {};
        } else {
          if (((y0 & y1 & y2 & y3 & y4 & y5) & kStrobeFlag) == 0) return false;
          const std::uint64_t markers = ((y0 ^ orbit_marker) | (y1 << 1) | (y2 << 2) | (y3 << 3) | (y4 << 4) | (y5 << 5)) & (0x3fULL << 24);
          if (markers != 0) result.errors.add(l, LinkErrorKind::orbit_marker, static_cast<std::uint64_t>(std::popcount(markers)));
          if (!clean_slot(spans[l], start, true, consumed[l], state[l]))
            state[l] = detail::check_slot(spans[l], start, kFramesPerBx, kFramesPerBx, true, consumed[l]);
        }
      }
      close_slot(state, spans, s, options, result);
    }
    return true;
  }

  /// Slot s once every link's state is known (both decode loops): damaged links' errors counted;
  /// no event when every link is idle; the event dropped when a packet is damaged or missing on a
  /// link, else unpacked with its BX and orbit from the slot's position.
  static void close_slot(const std::array<detail::SlotResult, kLinks>& state, const std::array<std::span<const Frame>, kLinks>& links,
                         std::size_t s, const DecodeOptions& options, DecodeResult& result) {
    int packets = 0;
    int damaged = 0;
    for (int l = 0; l < kLinks; ++l) {
      if (state[l].state == detail::SlotState::packet) ++packets;
      if (state[l].state == detail::SlotState::damaged) {
        ++damaged;
        result.errors.add(l, state[l].error);
      }
    }
    if (packets == 0 && damaged == 0) return;
    const auto event_index = static_cast<std::int64_t>(result.event_slots++);
    if (damaged != 0) {
      ++result.dropped_events;
      return;
    }
    if (packets != kLinks) {
      for (int l = 0; l < kLinks; ++l) {
        if (state[l].state == detail::SlotState::idle) {
          result.errors.add(l, LinkErrorKind::incomplete_event);
          break;
        }
      }
      ++result.dropped_events;
      return;
    }
    const std::size_t start = s * kFramesPerBx;
    SlotWords words;
    for (int l = 0; l < kLinks; ++l)
      for (int k = 0; k < kFramesPerBx; ++k) words[l][k] = static_cast<std::uint32_t>(links[l][start + k].data & kLow32);
    Event& e = result.events.emplace_back();
    unpack_event(words, e);
    e.bx = static_cast<std::uint16_t>(s % kBxPerOrbit);
    e.orbit = options.first_orbit + s / kBxPerOrbit;
    e.event_id = options.first_event_id + event_index;
  }

  /// The two cases of a clean link, decided inline as detail::check_slot decides them: a slot of
  /// 6 idle frames, or 6 valid frames with start of packet on the first only and end of packet on
  /// the last only (flags checked when `flags`). False: anything else, left to check_slot.
  static bool clean_slot(std::span<const Frame> frames, std::size_t start, bool flags, std::size_t consumed, detail::SlotResult& out) {
    if (consumed > start || start + kFramesPerBx > frames.size()) return false;
    const Frame* f = frames.data() + start;
    unsigned valid = 0, sop = 0, eop = 0;
    for (int k = 0; k < kFramesPerBx; ++k) {
      valid |= unsigned{f[k].valid} << k;
      sop |= unsigned{f[k].start_of_packet} << k;
      eop |= unsigned{f[k].end_of_packet} << k;
    }
    if (valid == 0) {
      out = {};
      return true;
    }
    constexpr unsigned kAll = (1U << kFramesPerBx) - 1;
    if (valid == kAll && (!flags || (sop == 1U && eop == 1U << (kFramesPerBx - 1)))) {
      out = {detail::SlotState::packet, {}};
      return true;
    }
    return false;
  }

  /// Start of orbit belongs on frame 0 of every 3564 x 6 frames and nowhere else.
  static void check_orbit_markers(const std::array<std::span<const Frame>, kLinks>& links, LinkErrorCounters& errors) {
    constexpr std::size_t kOrbitFrames = std::size_t{kBxPerOrbit} * kFramesPerBx;
    for (int l = 0; l < kLinks; ++l) {
      const auto& f = links[l];
      // A countdown to the next orbit's first frame instead of a division per frame.
      std::size_t to_marker = 0;
      for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i].start_of_orbit != (to_marker == 0)) errors.add(l, LinkErrorKind::orbit_marker);
        to_marker = to_marker == 0 ? kOrbitFrames - 1 : to_marker - 1;
      }
    }
  }
};

}  // namespace

void detail::register_ugt_mp7_protocol() {
  register_link_protocol("ugt-mp7", [](const LinkProtocolConfig&) { return std::make_unique<UgtMp7Protocol>(); });
}

}  // namespace l1emu::stream
