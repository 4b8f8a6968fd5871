#pragma once
// Shards of a replay (batch farms: HTCondor, Slurm job arrays; shared/DESIGN.md, Scale-out): shard I
// of N replays one contiguous range of the scenario's events, and `l1emu merge` joins the shards'
// outputs into those of a one-process run. The split depends only on the scenario's event count and
// N: whole batches of the replay (kReplayBatchEvents), shard I taking batches
// [floor(I B / N), floor((I + 1) B / N)) of the B batches, so every shard frames its links as the
// one-process run does (the links frame a batch as one stream) and rows keep their global event
// index.
#include <cstdint>
#include <string>

namespace l1emu::board {

/// Events per batch of the replay: fixed, so that no result depends on the thread, shard or rank count.
inline constexpr std::uint64_t kReplayBatchEvents = 8192;

struct Shard {
  std::uint32_t index = 0;  // 0 .. count - 1
  std::uint32_t count = 1;  // 1: the whole run
  [[nodiscard]] bool sharded() const { return count > 1; }
  friend bool operator==(const Shard&, const Shard&) = default;
};

/// Events [first, end) of the run, by global event index.
struct EventRange {
  std::uint64_t first = 0;
  std::uint64_t end = 0;
  [[nodiscard]] std::uint64_t size() const { return end - first; }
  friend bool operator==(const EventRange&, const EventRange&) = default;
};

/// "I/N" with 0 <= I < N (HTCondor's $(Process) and Slurm's SLURM_ARRAY_TASK_ID from 0 fit as
/// they are); throws ConfigError naming the text and what was expected.
[[nodiscard]] Shard parse_shard(const std::string& text);

/// The events of `shard` among `total` events.
[[nodiscard]] EventRange shard_range(std::uint64_t total, const Shard& shard);

}  // namespace l1emu::board
