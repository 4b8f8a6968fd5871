#pragma once
// The replay: a scenario's source -> filling scheme -> link step -> feature builder + model
// (bit-exact, threads over fixed batches) -> cycle-level pipeline timing -> menu -> decision log,
// summary. A component with phases (shared/STYLE.md, "a run as an object with phases"):
// construction turns the scenario's names into validated objects once (model, score engine, menu,
// links, event source, device, clocks, pipeline, filling scheme); run() opens the outputs (new or
// resumed) and drives every batch through produce -> cross links -> score -> commit, then writes
// the summary. With two or more threads the source fills batch k+1 on a helper thread while batch
// k crosses the links, is scored (chunks shared by every free thread) and committed.
// Deterministic: batches have a fixed size and every per-event result lands in its own slot; the
// source, links, timing, prescales and logging run in event order, so outputs are identical for
// any thread count.
// Interruption: when `stop` becomes true (SIGINT, SIGTERM) or stop_after_events is reached, the
// events done so far are committed (decision log, summary with "complete": false and the stopping
// point). Crash safety (replay/replay_journal.h): every batch's records are appended to
// decisions.journal, and a commit point (decisions.checkpoint, replaced atomically) is made every
// checkpoint_seconds, so after SIGKILL or a power loss the records up to the last commit point are
// kept and --resume continues from there.
// Resume (replay_resume.cpp): the committed records (the journal) are read a chunk at a time and
// written again into new decisions.h5 and decisions.csv; counters and prescale
// states are rebuilt from it (a prescale counter is the number of pre-prescale fires modulo the
// prescale), the source, links and pipeline are advanced over the events done (pipeline state
// depends only on their BX), and the replay continues: the result equals an uninterrupted run.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "l1emu/board/scenario.h"
#include "l1emu/board/shard.h"

namespace l1emu::board {

/// Where a run stands, for a caller that shows several runs as one (rank 0 under mpirun adds up the
/// ranks' counts: shared/DESIGN.md, Scale-out, "progress from rank 0 shows all ranks").
struct ReplayProgress {
  std::uint64_t done = 0;          // events of the run's range committed, resumed ones included
  std::uint64_t this_run = 0;      // of which this run committed (the throughput's numerator)
  std::uint64_t range_events = 0;  // events in the range; 0 when the source's end is not known ahead
  double seconds = 0.0;            // since this run started
  bool finished = false;           // the run's closing report (complete or interrupted)
};

struct ReplayOptions {
  std::uint64_t max_events = 0;        // 0: the scenario's max_events (0 there: the whole source)
  int threads = 0;                     // 0: the scenario's, then all cores
  std::string engine = "compiled";     // or "reference": the specification itself (slow, same results)
  bool resume = false;
  /// Replay only this shard's events (shard.h); `l1emu merge` joins the shards' outputs.
  Shard shard;
  const std::atomic<bool>* stop = nullptr;
  /// For programs and tests that embed the replay (not on the command line): behave as interrupted
  /// once this many events are done (at the end of the batch that reaches it).
  std::uint64_t stop_after_events = 0;
  /// Seconds between commit points of the journal (at batch ends; each costs a few fsyncs): what a
  /// SIGKILL or a power loss can lose at most. 0: after every batch.
  double checkpoint_seconds = 1.0;
  std::function<void(const std::string&)> progress;  // one line per call
  /// When set, called instead of the periodic and closing lines of `progress` (at the same moments),
  /// for a caller that formats its own; `progress` still gets the other messages (resuming).
  std::function<void(const ReplayProgress&)> progress_counts;
};

struct ReplayResult {
  bool complete = false;
  std::uint64_t events = 0;
  double seconds = 0.0;
  std::filesystem::path output_dir;
  std::string summary_json;  // as written to summary.json
  std::string summary_text;  // the printed summary
};

namespace detail {
struct ReplayChain;
}

class Replay {
 public:
  /// Set-up: loads the model and builds every component the scenario names; throws ConfigError /
  /// BoardError / stream::DataError / emu::ModelError with complete messages. Writes nothing.
  Replay(const Scenario& scenario, const ReplayOptions& options);
  ~Replay();
  Replay(const Replay&) = delete;
  Replay& operator=(const Replay&) = delete;

  /// Runs the replay (new outputs, or continued ones with options.resume); once per Replay.
  [[nodiscard]] ReplayResult run();

 private:
  std::unique_ptr<detail::ReplayChain> chain_;
  bool ran_ = false;
};

/// Replay(scenario, options).run().
[[nodiscard]] ReplayResult run_replay(const Scenario& scenario, const ReplayOptions& options);

}  // namespace l1emu::board
