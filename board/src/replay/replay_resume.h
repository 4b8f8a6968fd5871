#pragma once
// Resume (internal): continue an interrupted replay from its committed outputs. The log is read a
// chunk at a time, so memory stays bounded whatever its size (shared/DESIGN.md).
#include <cstdint>

#include "replay_chain.h"

namespace l1emu::board::detail {

/// Throws BoardError unless the output folder holds an interrupted run (summary.json with
/// "complete": false) of the same resolved scenario.
void check_resumable(const ReplayChain& chain);

/// Rebuilds counters and prescale counters from the committed log, advances the source, the BX
/// stamping, the links (in the batches of the interrupted run, so seeded link faults repeat) and
/// the pipeline over its events, checking each against the source; state.done (the first event of
/// the log: 0, or a shard's first) advances over them.
void replay_committed_log(ReplayChain& chain, ReplayState& state);

}  // namespace l1emu::board::detail
