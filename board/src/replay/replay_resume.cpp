#include "replay_resume.h"

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l1emu/board/error.h"
#include "chain_advance.h"
#include "replay_journal.h"

namespace l1emu::board::detail {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A prescale counter is the number of pre-prescale fires modulo the prescale (Menu::decide).
void count_prescale_fires(const Menu& menu, const DecisionRecord& r, MenuState& state) {
  for (std::size_t b = 0; b < menu.size(); ++b) {
    const std::uint32_t p = menu.config().bits[b].prescale;
    if (p > 0 && ((r.bits_before_prescale >> b) & 1U)) state.prescale_counters[b] = (state.prescale_counters[b] + 1) % p;
  }
}

}  // namespace

ResumeFrom check_resumable(const ReplayChain& chain) {
  const ReplayPaths& p = chain.paths;
  const JournalPaths journal(p.dir);
  const bool has_checkpoint = std::filesystem::exists(journal.checkpoint);
  // The summary is written atomically after the log's files are renamed into place, and the
  // journal removed after it: "complete": true is final whatever happened next.
  if (std::filesystem::exists(p.summary)) {
    std::ifstream in(p.summary);
    const auto previous = nlohmann::json::parse(in, nullptr, false);
    if (previous.is_discarded() || !previous.is_object() || !previous.contains("complete") || !previous["complete"].is_boolean()) {
      throw BoardError(fmt::format("{}: not a replay summary (expected a JSON object with \"complete\": true or false)", p.summary.string()));
    }
    if (previous["complete"].get<bool>()) throw BoardError(fmt::format("{}: the replay is already complete; nothing to resume", p.dir.string()));
  } else if (!has_checkpoint) {
    // A run killed before its first commit point (SIGKILL, out of memory, a killed MPI rank) leaves
    // its log as .partial and no checkpoint: nothing it did can be trusted, so it is replayed again.
    if (std::filesystem::exists(p.h5.string() + ".partial")) {
      throw BoardError(fmt::format("{}: nothing to resume: the run writing here was killed before it committed anything ({}.partial, no "
                                   "summary.json, no {}); replay again without --resume",
                                   p.dir.string(), p.h5.filename().string(), kCheckpointFile));
    }
    throw BoardError(fmt::format("{}: nothing to resume (no summary.json, no {}); run without --resume", p.dir.string(), kCheckpointFile));
  }
  if (read_text(p.resolved) != chain.resolved_yaml) {
    throw BoardError(fmt::format("{}: the scenario differs from the interrupted run's ({}); resume needs the same scenario and --set values",
                                 p.dir.string(), p.resolved.string()));
  }
  return has_checkpoint ? ResumeFrom::journal : ResumeFrom::legacy_log;
}

void replay_committed_records(ReplayChain& chain, ReplayState& state, const RecordChunks& next, const std::filesystem::path& file,
                              const RecordSink& sink) {
  ChainAdvance advance(chain, state);
  std::vector<DecisionRecord> records;
  stream::Event event;
  const std::uint64_t first = state.done;
  while (next(records)) {
    for (const auto& r : records) {
      state.totals.add(r);
      count_prescale_fires(chain.menu, r, state.menu_state);
      if (!advance.next(event)) {
        throw BoardError(fmt::format("{}: the source ends before event {} of the committed records", file.string(), r.event));
      }
      if (r.event != state.done || event.orbit != r.orbit || event.bx != r.bx || event.event_id != r.event_id) {
        throw BoardError(fmt::format("{}: event {} of the committed records does not match the source (event index/orbit/bx/id)", file.string(), r.event));
      }
      ++state.done;
    }
    sink(records);
  }
  // Runs stop at batch ends (or the source's end): the links framed each batch as one stream, so a
  // run continued from anywhere else would not be the uninterrupted one.
  if ((state.done - first) % kBatchEvents != 0 && state.done < chain.range.end && advance.next(event)) {
    throw BoardError(fmt::format("{}: {} committed records do not end a batch of {} events (nor the run); the records were cut or edited",
                                 file.string(), state.done - first, kBatchEvents));
  }
  advance.finish();
}

}  // namespace l1emu::board::detail
