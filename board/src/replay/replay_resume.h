#pragma once
// Resume (internal): continue an interrupted replay from its committed records. They are read a
// chunk at a time, so memory stays bounded whatever their number (shared/DESIGN.md).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

#include "replay_chain.h"

namespace l1emu::board::detail {

/// Where a resumed run finds its committed records.
enum class ResumeFrom {
  journal,     // decisions.checkpoint and decisions.journal (replay_journal.h): any stop, SIGKILL included
  legacy_log,  // no checkpoint: a decisions.h5 committed by an l1emu before the journal, with its summary
};

/// Throws BoardError unless the output folder holds an interrupted run of the same resolved
/// scenario: a commit point (decisions.checkpoint) and no summary saying complete, or a summary
/// with "complete": false (an l1emu before the journal).
[[nodiscard]] ResumeFrom check_resumable(const ReplayChain& chain);

/// The next chunk of committed records (false after the last), and what is done with each chunk.
using RecordChunks = std::function<bool(std::vector<DecisionRecord>&)>;
using RecordSink = std::function<void(std::span<const DecisionRecord>)>;

/// Rebuilds counters and prescale counters from the committed records, advances the source, the BX
/// stamping, the links (in the batches of the interrupted run, so seeded link faults repeat) and
/// the pipeline over their events, checking each against the source, and hands every chunk to
/// `sink` (the new decision log). state.done (the first event: 0, or a shard's first) advances over
/// them. `file` names the records' file in messages.
void replay_committed_records(ReplayChain& chain, ReplayState& state, const RecordChunks& next, const std::filesystem::path& file,
                              const RecordSink& sink);

}  // namespace l1emu::board::detail
