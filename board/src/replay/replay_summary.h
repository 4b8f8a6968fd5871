#pragma once
// The replay's summary (internal): summary.json and the printed text, from the components and the
// counters of the run. Every counter here adds up over event ranges (shards, ranks, a resumed run),
// so a merged summary is made by the same function.
#include <cstdint>
#include <string>
#include <vector>

#include "l1emu/board/link_stage.h"
#include "l1emu/board/pipeline.h"
#include "l1emu/stream/data_policy.h"
#include "replay_chain.h"
#include "replay_totals.h"

namespace l1emu::board::detail {

/// The counters a summary reports, over the events of the log.
struct SummaryCounts {
  const ReplayTotals& totals;
  const std::vector<StageCounters>& stages;  // per pipeline stage
  LinkCounters link;
  stream::DataPolicyCounters data;
};

/// The counters at the start of a shard's range (after the events before it), taken off the
/// counters at its end so that a shard reports only its own events. Stage FIFO maxima are kept:
/// over a prefix of the whole run, the largest of the shards' is the whole run's.
struct CountsBeforeRange {
  LinkCounters link;
  std::vector<StageCounters> stages;
  stream::DataPolicyCounters data;
  [[nodiscard]] LinkCounters link_since(const LinkCounters& now) const;
  [[nodiscard]] std::vector<StageCounters> stages_since(const std::vector<StageCounters>& now) const;
  [[nodiscard]] stream::DataPolicyCounters data_since(const stream::DataPolicyCounters& now) const;
};

/// How this run went (timings and the stopping point; not part of a result's identity).
struct RunInfo {
  bool complete = true;
  std::uint64_t events = 0;            // events in the log
  std::uint64_t events_this_run = 0;   // events replayed by this run (not resumed from the log)
  double seconds = 0.0;
  unsigned threads = 1;
  Shard shard;        // sharded: the summary says which shard and range
  EventRange range;
};

struct ReplaySummary {
  std::string json;  // summary.json
  std::string text;  // what the command prints
};

[[nodiscard]] ReplaySummary summarize(const ReplayChain& chain, const SummaryCounts& counts, const RunInfo& run);

}  // namespace l1emu::board::detail
