#include "l1emu/stream/fault_injector.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>


namespace l1emu::stream {
namespace {

struct Packet {
  std::size_t first = 0;
  std::size_t last = 0;
};

/// Packets by their flags: a valid start of packet up to the next valid end of packet.
std::vector<Packet> find_packets(const std::vector<Frame>& frames) {
  std::vector<Packet> packets;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (!(frames[i].valid && frames[i].start_of_packet)) continue;
    std::size_t j = i;
    while (j < frames.size() && frames[j].valid && !frames[j].end_of_packet) ++j;
    if (j < frames.size() && frames[j].valid) packets.push_back({i, j});
    i = j;
  }
  return packets;
}

}  // namespace

std::string_view to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::misaligned_packet: return "misaligned_packet";
    case FaultKind::missing_end_of_packet: return "missing_end_of_packet";
    case FaultKind::dropped_frame: return "dropped_frame";
    case FaultKind::repeated_frame: return "repeated_frame";
    case FaultKind::bit_flip: return "bit_flip";
  }
  return "unknown";
}

FaultInjector::FaultInjector(FaultConfig config) : config_(config), rng_(config.seed) {
  for (const double rate : {config.misaligned_packet_rate, config.missing_end_of_packet_rate, config.dropped_frame_rate,
                            config.repeated_frame_rate, config.bit_flip_rate})
    if (!(rate >= 0.0 && rate <= 1.0)) throw std::invalid_argument(fmt::format("fault rate {} (expected 0-1)", rate));
}

std::uint64_t FaultInjector::skip(double p) {
  if (p <= 0.0) return std::numeric_limits<std::uint64_t>::max();
  if (p >= 1.0) return 0;
  // Inverse transform of the geometric distribution: failures before the first success.
  const double u = rng_.uniform_open0();
  const double k = std::floor(std::log(u) / std::log1p(-p));
  return k >= 1.8e19 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(k);
}

FaultReport FaultInjector::inject(LinkFrames& frames) {
  FaultReport report;
  const auto log = [&](FaultKind kind, std::size_t link, std::size_t frame, int bit = -1) {
    report.faults.push_back({kind, link, frame, bit});
    ++report.counts[static_cast<std::size_t>(kind)];
  };

  for (std::size_t l = 0; l < frames.links.size(); ++l) {
    auto& f = frames.links[l].frames;
    // Packet faults: misalignment, then missing end of packet, on the packets as encoded.
    if (config_.misaligned_packet_rate > 0.0 || config_.missing_end_of_packet_rate > 0.0) {
      for (const Packet& p : find_packets(f)) {
        if (config_.misaligned_packet_rate > 0.0 && rng_.uniform() < config_.misaligned_packet_rate && p.last + 1 < f.size() &&
            !f[p.last + 1].valid) {
          for (std::size_t i = p.last + 1; i > p.first; --i) f[i] = f[i - 1];
          f[p.first] = Frame{};
          log(FaultKind::misaligned_packet, l, p.first);
          continue;
        }
        if (config_.missing_end_of_packet_rate > 0.0 && rng_.uniform() < config_.missing_end_of_packet_rate) {
          f[p.last].end_of_packet = false;
          log(FaultKind::missing_end_of_packet, l, p.first);
        }
      }
    }
    // Frame faults over the valid frames, positions with geometric gaps.
    const auto over_valid_frames = [&](double rate, auto&& apply) {
      if (rate <= 0.0) return;
      std::uint64_t gap = skip(rate);
      for (std::size_t i = 0; i < f.size(); ++i) {
        if (!f[i].valid) continue;
        if (gap > 0) {
          --gap;
          continue;
        }
        apply(i);
        gap = skip(rate);
      }
    };
    over_valid_frames(config_.dropped_frame_rate, [&](std::size_t i) {
      f[i] = Frame{};
      log(FaultKind::dropped_frame, l, i);
    });
    over_valid_frames(config_.repeated_frame_rate, [&](std::size_t i) {
      if (i == 0) return;
      f[i] = f[i - 1];
      log(FaultKind::repeated_frame, l, i);
    });
    if (config_.bit_flip_rate > 0.0) {
      const int bits = frames.links[l].word_bits < 1 || frames.links[l].word_bits > 64 ? 64 : frames.links[l].word_bits;
      std::uint64_t gap = skip(config_.bit_flip_rate);
      for (std::size_t i = 0; i < f.size(); ++i) {
        if (!f[i].valid) continue;
        const auto n = static_cast<std::uint64_t>(bits);
        std::uint64_t bit = 0;
        while (gap < n - bit) {
          bit += gap;
          f[i].data ^= std::uint64_t{1} << bit;
          log(FaultKind::bit_flip, l, i, static_cast<int>(bit));
          ++bit;
          gap = skip(config_.bit_flip_rate);
        }
        gap -= n - bit;
      }
    }
  }
  return report;
}

}  // namespace l1emu::stream
