#pragma once
// l1emu bench --features NAME: the replay's own scoring chain timed (internal to the bench command).
#include <cstddef>
#include <cstdint>
#include <string>

#include "l1emu/emu/nn/model.h"

namespace l1emu::app {

struct ChainBenchResult {
  double seconds = 0;
  std::int64_t checksum = 0;  // every event's score and low hash byte summed: the same for any thread count
};

/// Scores `events` events through board::ScoreEngine with feature builder `features`, as the
/// replay scores a batch: L1 objects -> features -> input codes in lanes -> model -> score and
/// inputs hash, in the replay's chunks of 512 events over `threads` threads. The events are
/// generated background (the stream generator, a fixed seed) before the clock starts and reused
/// cyclically from a pool of 4096. Throws board::ConfigError when the builder does not fit the model.
ChainBenchResult bench_replay_chain(const emu::Model& model, const std::string& features, std::size_t events, unsigned threads);

}  // namespace l1emu::app
