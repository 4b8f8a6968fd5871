#pragma once
// Advances the source, the BX stamping, the links and the pipeline over events without scoring them
// (internal): what a resumed run does over its committed log, and a shard over the events before
// its range. The links see the batches of a whole run (kBatchEvents from a batch boundary), so
// their frames and seeded faults repeat; the pipeline's state depends only on the events' BX.
#include <vector>

#include "replay_chain.h"

namespace l1emu::board::detail {

class ChainAdvance {
 public:
  /// Starts at state.done, which must be a batch boundary.
  ChainAdvance(ReplayChain& chain, ReplayState& state) : chain_(chain), state_(state) {}
  ChainAdvance(const ChainAdvance&) = delete;
  ChainAdvance& operator=(const ChainAdvance&) = delete;
  ~ChainAdvance() = default;

  /// The next event of the source, stamped with its BX and timed; false at the source's end.
  bool next(stream::Event& event);
  /// The last, partial batch crosses the links.
  void finish();

 private:
  ReplayChain& chain_;
  ReplayState& state_;
  std::vector<stream::Event> raw_, carried_;
  std::vector<std::uint8_t> arrived_;
};

/// Advances over events [state.done, end) (fewer when the source ends first); state.done = end.
/// Without scoring, and without even making the events when their BX come from a filling scheme
/// and the links are history-free (LinkStage::history_free).
void advance_to(ReplayChain& chain, ReplayState& state, std::uint64_t end);

}  // namespace l1emu::board::detail
