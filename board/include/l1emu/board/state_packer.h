#pragma once
// How Vivado HLS chains operations into the states (clock cycles) of a pipeline: an operation goes
// into the current state when its delay still fits in the usable part of the period (the period
// minus the clock uncertainty), otherwise it starts the next state (UG902, "operation chaining").
// The timing estimate (timing_estimate.cpp) packs each layer's critical path with it, and then the
// layers, as the top-level pipeline of an io_parallel model chains its sub-function calls: a call of
// latency L occupies L + 1 states, its first state chained onto what precedes it when the delays fit,
// its last state followed by the next call in the same state when they fit (the schedules that show
// it are cited in timing_estimate.cpp).
#include <vector>

namespace l1emu::board {

class StatePacker {
 public:
  explicit StatePacker(long usable_ps);

  /// Chains an operation of `delay_ps` after the previous one. An operation longer than the usable
  /// period is a multi-cycle operation: it fills whole states and ends in the last.
  void add(long delay_ps);
  /// The next operation starts a new state (a registered output, for example a ROM read's data).
  void register_output();
  /// Places a block of states (a sub-function call): its first state chained onto the current state
  /// when both fit, the states after it new, the last one left open for what follows.
  void add_block(const std::vector<long>& state_delays_ps);

  /// Delay of each state used so far (empty when nothing was added).
  [[nodiscard]] const std::vector<long>& states() const { return states_; }
  /// Number of states; a pipeline of S states has latency S - 1 cycles.
  [[nodiscard]] int state_count() const { return static_cast<int>(states_.size()); }

 private:
  long usable_ps_;
  bool open_ = false;  // the last state still accepts operations
  std::vector<long> states_;
};

}  // namespace l1emu::board
