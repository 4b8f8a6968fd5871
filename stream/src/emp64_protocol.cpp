// "emp64": a Phase-2 style EMP link protocol (shared/FACTS.md section 6; the {tmux, interpacket
// gap, offset} channel description of CMSSW L1Trigger/DemonstratorTools). 64-bit words at
// frames_per_bx x 40.08 MHz.
//
// Time multiplexing: event k goes to link group g = k mod tmux, packet slot s = k / tmux. A group
// has ceil(words / capacity) links, capacity = tmux x frames_per_bx - interpacket_gap; word w of an
// event travels on link w / capacity of its group, frame w mod capacity of the packet. Link number
// = g x links_per_group + j. Packet slots of group g start at
//   offset + g x frames_per_bx + s x (tmux x frames_per_bx)
// (the groups are staggered by one BX, as events arrive one BX apart). Every packet: all frames
// valid, start of packet on the first, end of packet on the last; the rest of the slot is idle. The
// first packet on every link also carries start of orbit (FACTS section 6: the first SOP of a
// stream is also SOO). All links have the same length: offset + (tmux - 1) x frames_per_bx +
// ceil(N / tmux) x tmux x frames_per_bx frames.
//
// Words of one event (bit 0 = least significant):
//   0       header: BX in bits 11:0, orbit (modulo 2^44) in bits 55:12, bits 63:56 zero
//   1-8     muons 0-7, the 64-bit uGT muon word (l1_objects.h)
//   9-14    e/gamma pairs: object 2i in bits 31:0, object 2i+1 in bits 63:32 (32-bit uGT words)
//   15-20   tau pairs, same packing
//   21-26   jet pairs, same packing
//   27-29   sums ETT | HT << 32, ETM | HTM << 32, ETMHF | HTMHF << 32
//   30      (with crc) CRC-32 (IEEE 802.3, Boost crc_32_type) of words 0-29, each word as 8 bytes
//           little endian, in bits 31:0; bits 63:32 zero
// Event ids are not carried: decoding numbers the packet slots (k) from DecodeOptions::first_event_id.
#include <boost/crc.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "builtin_registrations.h"
#include "l1emu/stream/error.h"
#include "l1emu/stream/lhc_constants.h"
#include "l1emu/stream/link_protocol.h"
#include "packet_slot.h"

namespace l1emu::stream {
namespace {

constexpr int kPayloadWords = 30;
constexpr int kMaxWords = kPayloadWords + 1;
constexpr int kOrbitBits = 44;
constexpr std::uint64_t kLow32 = 0xffffffffULL;

using EventWords = std::array<std::uint64_t, kMaxWords>;

std::uint32_t crc32(const std::uint64_t* words, int count) {
  std::array<unsigned char, 8 * kPayloadWords> bytes{};
  for (int i = 0; i < count; ++i)
    for (int b = 0; b < 8; ++b) bytes[8 * i + b] = static_cast<unsigned char>(words[i] >> (8 * b));
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), static_cast<std::size_t>(8 * count));
  return crc.checksum();
}

std::uint64_t pair(std::uint32_t lo, std::uint32_t hi) { return lo | (std::uint64_t{hi} << 32); }

void pack_event(const Event& e, bool with_crc, EventWords& w) {
  w[0] = (std::uint64_t{e.bx} & 0xfff) | ((e.orbit & ((std::uint64_t{1} << kOrbitBits) - 1)) << 12);
  for (int i = 0; i < Event::kMuons; ++i) w[1 + i] = e.muons[i].pack();
  for (int i = 0; i < 6; ++i) {
    w[9 + i] = pair(e.egammas[2 * i].pack(), e.egammas[2 * i + 1].pack());
    w[15 + i] = pair(e.taus[2 * i].pack(), e.taus[2 * i + 1].pack());
    w[21 + i] = pair(e.jets[2 * i].pack(), e.jets[2 * i + 1].pack());
  }
  for (int i = 0; i < 3; ++i) w[27 + i] = pair(e.sums[2 * i].pack(), e.sums[2 * i + 1].pack());
  if (with_crc) w[kPayloadWords] = crc32(w.data(), kPayloadWords);
}

void unpack_event(const EventWords& w, Event& e) {
  e.bx = static_cast<std::uint16_t>(w[0] & 0xfff);
  e.orbit = (w[0] >> 12) & ((std::uint64_t{1} << kOrbitBits) - 1);
  const auto lo = [](std::uint64_t x) { return static_cast<std::uint32_t>(x & kLow32); };
  const auto hi = [](std::uint64_t x) { return static_cast<std::uint32_t>(x >> 32); };
  for (int i = 0; i < Event::kMuons; ++i) e.muons[i] = Muon::unpack(w[1 + i]);
  for (int i = 0; i < 6; ++i) {
    e.egammas[2 * i] = EGamma::unpack(lo(w[9 + i]));
    e.egammas[2 * i + 1] = EGamma::unpack(hi(w[9 + i]));
    e.taus[2 * i] = Tau::unpack(lo(w[15 + i]));
    e.taus[2 * i + 1] = Tau::unpack(hi(w[15 + i]));
    e.jets[2 * i] = Jet::unpack(lo(w[21 + i]));
    e.jets[2 * i + 1] = Jet::unpack(hi(w[21 + i]));
  }
  for (int i = 0; i < 3; ++i) {
    e.sums[2 * i] = EnergySum::unpack(lo(w[27 + i]));
    e.sums[2 * i + 1] = EnergySum::unpack(hi(w[27 + i]));
  }
}

class Emp64Protocol final : public LinkProtocol {
 public:
  explicit Emp64Protocol(const LinkProtocolConfig& c) : config_(c) {
    if (c.tmux < 1 || c.tmux > 36) throw std::invalid_argument(fmt::format("emp64: tmux {} (expected 1-36)", c.tmux));
    if (c.frames_per_bx < 1 || c.frames_per_bx > 64)
      throw std::invalid_argument(fmt::format("emp64: frames per BX {} (expected 1-64)", c.frames_per_bx));
    period_ = c.tmux * c.frames_per_bx;
    if (c.interpacket_gap < 0 || c.interpacket_gap >= period_)
      throw std::invalid_argument(fmt::format("emp64: interpacket gap {} (expected 0-{} for tmux {} x {} frames per BX)",
                                              c.interpacket_gap, period_ - 1, c.tmux, c.frames_per_bx));
    if (c.offset < 0) throw std::invalid_argument(fmt::format("emp64: offset {} (expected >= 0)", c.offset));
    words_ = c.crc ? kMaxWords : kPayloadWords;
    capacity_ = period_ - c.interpacket_gap;
    links_per_group_ = (words_ + capacity_ - 1) / capacity_;
  }

  [[nodiscard]] std::string_view name() const override { return "emp64"; }
  [[nodiscard]] int link_count() const override { return config_.tmux * links_per_group_; }
  [[nodiscard]] int frames_per_event_slot() const override { return period_; }

  [[nodiscard]] LinkFrames encode(std::span<const Event> events) const override {
    LinkFrames out;
    out.links.resize(static_cast<std::size_t>(link_count()));
    const std::size_t slots = (events.size() + config_.tmux - 1) / config_.tmux;
    const std::size_t length =
        events.empty() ? 0 : config_.offset + std::size_t(config_.tmux - 1) * config_.frames_per_bx + slots * period_;
    for (int l = 0; l < link_count(); ++l) {
      auto& link = out.links[l];
      link.link = l;
      link.clock_mhz = config_.frames_per_bx * kBunchCrossingHz / 1e6;
      link.word_bits = 64;
      link.frames.assign(length, Frame{});
    }
    EventWords w{};
    for (std::size_t k = 0; k < events.size(); ++k) {
      const Event& e = events[k];
      if (e.bx >= kBxPerOrbit)
        throw std::invalid_argument(fmt::format("emp64: event {} has BX {} (expected 0-{})", k, e.bx, kBxPerOrbit - 1));
      if (e.orbit >> kOrbitBits != 0)
        throw std::invalid_argument(fmt::format("emp64: event {} has orbit {} (the header holds {} bits)", k, e.orbit, kOrbitBits));
      pack_event(e, config_.crc, w);
      const int g = static_cast<int>(k % config_.tmux);
      const std::size_t s = k / config_.tmux;
      const std::size_t start = slot_start(g, s);
      for (int j = 0; j < links_per_group_; ++j) {
        const int first = j * capacity_;
        const int count = packet_length(j);
        Frame* f = out.links[g * links_per_group_ + j].frames.data() + start;
        for (int i = 0; i < count; ++i) {
          f[i].data = w[first + i];
          f[i].valid = true;
        }
        f[0].start_of_packet = true;
        f[0].start_of_orbit = s == 0;
        f[count - 1].end_of_packet = true;
      }
    }
    return out;
  }

  [[nodiscard]] DecodeResult decode(const LinkFrames& in, const DecodeOptions& options) const override {
    const int n_links = link_count();
    std::vector<std::vector<Frame>> storage(n_links);
    std::vector<std::span<const Frame>> links(n_links);
    std::vector<bool> found(n_links, false);
    for (const auto& link : in.links) {
      if (link.link < 0 || link.link >= n_links)
        throw DataError(fmt::format("emp64: link {} is not part of this configuration (links 0-{})", link.link, n_links - 1));
      if (found[link.link]) throw DataError(fmt::format("emp64: link {} appears twice", link.link));
      found[link.link] = true;
      links[link.link] = detail::strobed_frames(link, storage[link.link]);
    }
    for (int l = 0; l < n_links; ++l)
      if (!found[l]) throw DataError(fmt::format("emp64: link {} is missing (this configuration has links 0-{})", l, n_links - 1));

    DecodeResult result;
    // Valid frames before a group's first slot are data outside any packet.
    for (int l = 0; l < n_links; ++l) {
      const std::size_t first = slot_start(l / links_per_group_, 0);
      for (std::size_t i = 0; i < first && i < links[l].size(); ++i) {
        if (links[l][i].valid) {
          result.errors.add(l, LinkErrorKind::data_outside_packet);
          break;
        }
      }
    }
    std::size_t slots = 0;
    for (int g = 0; g < config_.tmux; ++g) {
      for (int j = 0; j < links_per_group_; ++j) {
        const std::size_t size = links[g * links_per_group_ + j].size();
        const std::size_t first = slot_start(g, 0);
        if (size > first) slots = std::max(slots, (size - first + period_ - 1) / period_);
      }
    }
    result.events.reserve(slots * static_cast<std::size_t>(config_.tmux));
    std::vector<std::size_t> consumed(n_links, 0);
    std::vector<detail::SlotResult> state(links_per_group_);
    EventWords w{};
    for (std::size_t s = 0; s < slots; ++s) {
      for (int g = 0; g < config_.tmux; ++g) {
        const std::size_t start = slot_start(g, s);
        int packets = 0;
        int damaged = 0;
        for (int j = 0; j < links_per_group_; ++j) {
          const int l = g * links_per_group_ + j;
          state[j] = detail::check_slot(links[l], start, packet_length(j), period_, options.packet_flags, consumed[l]);
          if (state[j].state == detail::SlotState::packet) ++packets;
          if (state[j].state == detail::SlotState::damaged) {
            ++damaged;
            result.errors.add(l, state[j].error);
          }
        }
        if (packets == 0 && damaged == 0) continue;
        ++result.event_slots;
        if (damaged != 0) {
          ++result.dropped_events;
          continue;
        }
        if (packets != links_per_group_) {
          for (int j = 0; j < links_per_group_; ++j) {
            if (state[j].state == detail::SlotState::idle) {
              result.errors.add(g * links_per_group_ + j, LinkErrorKind::incomplete_event);
              break;
            }
          }
          ++result.dropped_events;
          continue;
        }
        for (int j = 0; j < links_per_group_; ++j)
          for (int i = 0; i < packet_length(j); ++i) w[j * capacity_ + i] = links[g * links_per_group_ + j][start + i].data;
        const int last_link = g * links_per_group_ + links_per_group_ - 1;
        if (config_.crc && w[kPayloadWords] != crc32(w.data(), kPayloadWords)) {
          result.errors.add(last_link, LinkErrorKind::crc_mismatch);
          ++result.dropped_events;
          continue;
        }
        if ((w[0] >> (12 + kOrbitBits)) != 0 || (w[0] & 0xfff) >= kBxPerOrbit) {
          result.errors.add(g * links_per_group_, LinkErrorKind::bad_header);
          ++result.dropped_events;
          continue;
        }
        Event& e = result.events.emplace_back();
        unpack_event(w, e);
        e.event_id = options.first_event_id + static_cast<std::int64_t>(s * config_.tmux + g);
      }
    }
    return result;
  }

 private:
  [[nodiscard]] std::size_t slot_start(int group, std::size_t slot) const {
    return std::size_t(config_.offset) + std::size_t(group) * config_.frames_per_bx + slot * period_;
  }
  /// Frames of the packet on link j of a group (the last link takes the remaining words).
  [[nodiscard]] int packet_length(int j) const { return std::min(capacity_, words_ - j * capacity_); }

  LinkProtocolConfig config_;
  int period_ = 0;
  int words_ = 0;
  int capacity_ = 0;
  int links_per_group_ = 0;
};

}  // namespace

void detail::register_emp64_protocol() {
  register_link_protocol("emp64", [](const LinkProtocolConfig& c) { return std::make_unique<Emp64Protocol>(c); });
}

}  // namespace l1emu::stream
