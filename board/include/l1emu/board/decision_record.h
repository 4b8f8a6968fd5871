#pragma once
// One row of the decision log: what the board decided for one replayed event.
#include <cstdint>

namespace l1emu::board {

/// What became of an event (the `accepted` column, u8 in the file).
enum class Outcome : std::uint8_t {
  lost_to_dead_time = 0,  // the pipeline could not take it (its FIFO was full)
  processed = 1,          // scored and decided by the menu
  lost_on_links = 2,      // the links damaged its packets (not dead time)
};
inline constexpr std::uint8_t kLastOutcome = 2;

struct DecisionRecord {
  std::uint64_t event = 0;  // index in the replay (global: a shard's rows keep the whole run's index)
  std::uint32_t orbit = 0;
  std::uint16_t bx = 0;
  std::int64_t event_id = 0;
  std::uint8_t sample = 0;
  std::uint64_t inputs_hash = 0;
  std::int64_t score_code = 0;
  std::uint64_t bits_before_prescale = 0;
  std::uint64_t bits_after_prescale = 0;
  Outcome outcome = Outcome::lost_to_dead_time;
  std::uint32_t latency_cycles = 0;
  double latency_ns = 0.0;
  friend bool operator==(const DecisionRecord&, const DecisionRecord&) = default;
};

}  // namespace l1emu::board
