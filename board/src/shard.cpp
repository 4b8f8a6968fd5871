#include "l1emu/board/shard.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "l1emu/board/error.h"

namespace l1emu::board {
namespace {

bool parse_number(std::string_view text, std::uint32_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard s;
  if (slash == std::string::npos || !parse_number(std::string_view(text).substr(0, slash), s.index) ||
      !parse_number(std::string_view(text).substr(slash + 1), s.count) || s.count == 0 || s.index >= s.count) {
    throw ConfigError(fmt::format("--shard '{}': expected I/N with N >= 1 and 0 <= I < N (shard I of N, counted from 0)", text));
  }
  return s;
}

EventRange shard_range(std::uint64_t total, const Shard& shard) {
  const std::uint64_t batches = (total + kReplayBatchEvents - 1) / kReplayBatchEvents;
  // floor(batches x i / count) without the product (which can exceed 64 bits): with
  // batches = q count + r, it is q i + floor(r i / count), and r i < count^2 <= 2^64.
  const std::uint64_t q = batches / shard.count;
  const std::uint64_t r = batches % shard.count;
  const auto batch_at = [&](std::uint64_t i) { return q * i + r * i / shard.count; };
  const std::uint64_t first = std::min(total, batch_at(shard.index) * kReplayBatchEvents);
  const std::uint64_t end = std::min(total, batch_at(shard.index + 1ULL) * kReplayBatchEvents);
  return {first, end};
}

}  // namespace l1emu::board
