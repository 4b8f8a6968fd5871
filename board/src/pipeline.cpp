#include "l1emu/board/pipeline.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "l1emu/board/error.h"

namespace l1emu::board {

Pipeline::Pipeline(PipelineConfig config) : config_(std::move(config)) {
  if (config_.stages.empty()) throw ConfigError("pipeline.stages: at least one stage is needed");
  if (config_.frames_per_bx < 1) throw ConfigError("pipeline.frames_per_bx must be at least 1");
  if (config_.cdc_cycles < 0) throw ConfigError("pipeline.cdc_cycles must be at least 0");
  for (std::size_t i = 0; i < config_.stages.size(); ++i) {
    const auto& s = config_.stages[i];
    if (s.latency_cycles < 0) throw ConfigError(fmt::format("pipeline.stages[{}].latency_cycles must be at least 0", i));
    if (s.ii_cycles < 1) throw ConfigError(fmt::format("pipeline.stages[{}].ii_cycles must be at least 1", i));
    if (s.fifo_depth < 0) throw ConfigError(fmt::format("pipeline.stages[{}].fifo_depth must be at least 0", i));
  }
  state_.resize(config_.stages.size());
  counters_.stages.resize(config_.stages.size());
}

std::uint64_t Pipeline::arrival_cycle(std::uint64_t bx_index) const {
  // The event of BX k starts in link tick k * frames_per_bx of the link clock that is locked to the
  // BX clock... when it is: a free-running link clock starts the event at its first tick at or after
  // the BX start. Its last frame ends frames_per_bx ticks later.
  const std::uint64_t first_frame = config_.link_clock.first_tick_at_or_after(config_.bx_clock, bx_index);
  const std::uint64_t complete = first_frame + static_cast<std::uint64_t>(config_.frames_per_bx);
  return config_.board_clock.first_tick_at_or_after(config_.link_clock, complete) + static_cast<std::uint64_t>(config_.cdc_cycles);
}

std::uint64_t Pipeline::nominal_latency_cycles() const {
  std::uint64_t l = 0;
  for (const auto& s : config_.stages) l += static_cast<std::uint64_t>(s.latency_cycles);
  return l;
}

EventTiming Pipeline::push(std::uint64_t bx_index) {
  if (any_event_ && bx_index <= last_bx_) {
    throw std::invalid_argument(fmt::format("pipeline: BX {} after BX {} (events must come one per BX, in order)", bx_index, last_bx_));
  }
  any_event_ = true;
  last_bx_ = bx_index;
  ++counters_.events;
  EventTiming t;
  t.arrival_cycle = arrival_cycle(bx_index);
  std::uint64_t ready = t.arrival_cycle;
  for (std::size_t i = 0; i < config_.stages.size(); ++i) {
    const StageConfig& cfg = config_.stages[i];
    StageState& st = state_[i];
    StageCounters& sc = counters_.stages[i];
    // Phase 1: events that start in or before this cycle leave the FIFO.
    while (!st.waiting_starts.empty() && st.waiting_starts.front() <= ready) st.waiting_starts.pop_front();
    const std::uint64_t earliest = st.has_started ? st.last_start + static_cast<std::uint64_t>(cfg.ii_cycles) : 0;
    const std::uint64_t start = std::max(ready, earliest);
    // Phase 2: the arrival is written; it needs a FIFO slot only when it cannot start now.
    if (start > ready && st.waiting_starts.size() >= static_cast<std::size_t>(cfg.fifo_depth)) {
      ++sc.dropped;
      ++counters_.dropped;
      t.dropped_at_stage = static_cast<int>(i);
      return t;
    }
    if (start > ready) {
      st.waiting_starts.push_back(start);
      sc.max_fifo = std::max<std::uint64_t>(sc.max_fifo, st.waiting_starts.size());
      sc.waited_cycles += start - ready;
    }
    st.has_started = true;
    st.last_start = start;
    ++sc.started;
    ready = start + static_cast<std::uint64_t>(cfg.latency_cycles);
  }
  t.accepted = true;
  t.ready_cycle = ready;
  t.latency_cycles = ready - t.arrival_cycle;
  t.latency_ns = config_.board_clock.ns_between(ready, config_.bx_clock, bx_index);
  ++counters_.accepted;
  counters_.max_latency_cycles = std::max(counters_.max_latency_cycles, t.latency_cycles);
  counters_.min_latency_cycles = std::min(counters_.min_latency_cycles, t.latency_cycles);
  if (config_.latency_budget_ns > 0.0 && t.latency_ns > config_.latency_budget_ns) ++counters_.over_budget;
  return t;
}

}  // namespace l1emu::board
