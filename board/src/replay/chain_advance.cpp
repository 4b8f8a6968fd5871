#include "chain_advance.h"

#include "l1emu/stream/lhc_clock.h"

namespace l1emu::board::detail {

bool ChainAdvance::next(stream::Event& event) {
  std::uint8_t sample = 0;
  if (!chain_.source->next(event, sample)) return false;
  state_.stamper.stamp(event);
  raw_.push_back(event);
  if (raw_.size() == kBatchEvents) finish();
  (void)state_.pipeline.push(stream::BunchCrossing{event.orbit, event.bx}.global_index());
  return true;
}

void ChainAdvance::finish() {
  if (raw_.empty()) return;
  chain_.link->transport_batch(raw_, carried_, arrived_);
  raw_.clear();
}

void advance_to(ReplayChain& chain, ReplayState& state, std::uint64_t end) {
  if (state.done >= end) return;
  if (state.assigner && chain.link->history_free()) {
    // Nothing downstream needs the events' contents: the filling scheme gives their BX by count,
    // the pipeline's state depends only on those, and the links keep nothing between batches. The
    // source only moves (the generator without generating).
    const std::uint64_t n = chain.source->skip(end - state.done);
    stream::Event event;
    for (std::uint64_t i = 0; i < n; ++i) {
      state.stamper.stamp(event);
      (void)state.pipeline.push(stream::BunchCrossing{event.orbit, event.bx}.global_index());
    }
    state.done += n;
    return;
  }
  ChainAdvance advance(chain, state);
  stream::Event event;
  while (state.done < end && advance.next(event)) ++state.done;
  advance.finish();
}

}  // namespace l1emu::board::detail
