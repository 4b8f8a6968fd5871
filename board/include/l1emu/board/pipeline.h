#pragma once
// Cycle-level timing model of the board's processing chain (no data: the bit-exact values come
// from ScoreEngine; this model says when each result is ready and which events are lost).
//
// Events arrive once per BX in the LHC clock. Their data come over the links in the link clock
// (frames_per_bx link ticks per BX, e.g. uGT MP7: 6 frames at 240 MHz, FACTS section 5); an
// event is complete after its last frame, crosses into the board clock through a synchronizer
// (cdc_cycles board cycles) and then runs through the stages in series. A stage has a latency L
// (the result of an event started in cycle s is ready in cycle s + L, not in s + L - 1) and an
// initiation interval II (it starts at most one event per II cycles). Before each stage sits a FIFO
// of `fifo_depth` entries; an event that finds the FIFO full is dropped (dead time; counted).
// Ramulator-style fixed phases per cycle: a stage first starts the FIFO head if its II allows,
// then arrivals of the cycle are written; so an event that can start in its arrival cycle never
// occupies the FIFO, and depth 0 means "no buffer: start now or be lost".
// All cycle arithmetic is exact (clock_domain.h).
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "l1emu/board/clock_domain.h"

namespace l1emu::board {

struct StageConfig {
  std::string name;
  int latency_cycles = 1;  // >= 0
  int ii_cycles = 1;       // >= 1
  int fifo_depth = 16;     // >= 0
};

struct PipelineConfig {
  ClockDomain bx_clock = lhc_bx_clock();
  ClockDomain link_clock{"link", Rational::make(240474000, 1)};  // 6 x 40.079 MHz
  ClockDomain board_clock{"board", Rational::make(200000000, 1)};
  int frames_per_bx = 6;  // link ticks that carry one BX's event
  int cdc_cycles = 2;     // board-clock synchronizer stages after the last frame
  std::vector<StageConfig> stages;
  /// Latency budget from the BX start to the result (ns); results later than it are counted.
  double latency_budget_ns = 0.0;  // 0: no budget
};

struct EventTiming {
  bool accepted = false;
  int dropped_at_stage = -1;             // index of the stage whose FIFO was full
  std::uint64_t arrival_cycle = 0;       // board cycle the event enters the first stage's FIFO
  std::uint64_t ready_cycle = 0;         // board cycle its result is ready (accepted events)
  std::uint64_t latency_cycles = 0;      // ready - arrival
  double latency_ns = 0.0;               // ready time - BX start time
  [[nodiscard]] bool ready_at(std::uint64_t cycle) const { return accepted && cycle >= ready_cycle; }
};

struct StageCounters {
  std::uint64_t started = 0;
  std::uint64_t dropped = 0;
  std::uint64_t max_fifo = 0;  // most events waiting at once
  std::uint64_t waited_cycles = 0;
};

struct PipelineCounters {
  std::uint64_t events = 0;
  std::uint64_t accepted = 0;
  std::uint64_t dropped = 0;
  std::uint64_t over_budget = 0;
  std::uint64_t max_latency_cycles = 0;
  std::uint64_t min_latency_cycles = UINT64_MAX;
  std::vector<StageCounters> stages;
};

class Pipeline {
 public:
  /// Throws ConfigError for a stage with latency < 0, II < 1, depth < 0, or no stage.
  explicit Pipeline(PipelineConfig config);

  /// Times the event of global BX `bx_index`; events must come in nondecreasing BX order (one per
  /// BX at most, as the links deliver them); throws std::invalid_argument otherwise.
  EventTiming push(std::uint64_t bx_index);

  [[nodiscard]] const PipelineConfig& config() const { return config_; }
  [[nodiscard]] const PipelineCounters& counters() const { return counters_; }
  /// Board cycle in which the event of BX `bx_index` is complete in the board clock domain.
  [[nodiscard]] std::uint64_t arrival_cycle(std::uint64_t bx_index) const;
  /// Sum of stage latencies (the latency of an event that never waits), in board cycles.
  [[nodiscard]] std::uint64_t nominal_latency_cycles() const;

 private:
  struct StageState {
    bool has_started = false;
    std::uint64_t last_start = 0;
    std::deque<std::uint64_t> waiting_starts;  // start cycles of events in the FIFO, ascending
  };
  PipelineConfig config_;
  std::vector<StageState> state_;
  PipelineCounters counters_;
  bool any_event_ = false;
  std::uint64_t last_bx_ = 0;
};

}  // namespace l1emu::board
