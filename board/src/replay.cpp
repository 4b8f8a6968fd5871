// The replay's run phase: outputs opened (new or resumed), then every batch through
// produce -> cross links -> score -> commit, then the summary. The components are built in
// replay/replay_chain.cpp, resume is replay/replay_resume.cpp, the summary replay/replay_summary.cpp
// and the event sources replay/event_source.cpp.
#include "l1emu/board/replay.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "l1emu/board/decision_log.h"
#include "l1emu/board/decision_record_reader.h"
#include "l1emu/board/error.h"
#include "l1emu/emu/io/atomic_file.h"
#include "replay/chain_advance.h"
#include "replay/replay_chain.h"
#include "replay/replay_journal.h"
#include "replay/replay_resume.h"
#include "replay/replay_summary.h"
#include "l1emu/stream/work_pool.h"

namespace l1emu::board {
namespace fs = std::filesystem;
namespace detail {
namespace {

void write_atomic(const fs::path& path, const std::string& text) {
  emu::AtomicFile f(path);
  f.stream() << text;
  f.commit();
}

// A batch taken from the source: events stamped with their BX, and their samples.
struct SourceBatch {
  std::vector<stream::Event> events;
  std::vector<std::uint8_t> samples;
  std::vector<SourcePiece> pieces;  // parallel sources
  bool exhausted = false;
  [[nodiscard]] std::size_t size() const { return samples.size(); }
};

// A batch after the links: what the log needs of it. Two alternate, so that batch k can be
// committed while batch k+1 is made.
struct Flight {
  std::vector<std::uint8_t> samples;
  std::vector<stream::Event> events;
  std::vector<std::uint8_t> delivered;
  std::vector<ScoredEvent> scored;
};

// While the run's threads exist the source may hand them parts of its reading (a dataset's chunks
// to inflate): the idle moments of the scoring thread then shorten the reading thread's work. It
// takes its work back before the threads go, once the background task (which may be reading) is
// over.
class SourceOnPool {
 public:
  SourceOnPool(EventSource& source, stream::WorkPool& pool) : source_(source), pool_(pool) {
    if (pool_.helpers() > 0) source_.share_work(&pool_);  // alone, the thread gains nothing by it
  }
  ~SourceOnPool() {
    try {
      pool_.wait_background();  // on the error path only: the run waited for it otherwise
    } catch (...) {
      // The run is already leaving with its own failure, which is the one reported.
    }
    source_.share_work(nullptr);
  }
  SourceOnPool(const SourceOnPool&) = delete;
  SourceOnPool& operator=(const SourceOnPool&) = delete;

 private:
  EventSource& source_;
  stream::WorkPool& pool_;
};

class ReplayRun {
 public:
  explicit ReplayRun(ReplayChain& chain) : chain_(chain), state_(chain), t0_(std::chrono::steady_clock::now()) {
    // A batch's worth up front: growing by doubling would hold two buffers at once (peak memory).
    for (SourceBatch* b : {&ready_, &next_}) {
      b->events.reserve(kBatchEvents);
      b->samples.reserve(kBatchEvents);
    }
  }
  ReplayResult run();

 private:
  void open_outputs();
  void run_parallel_source(stream::WorkPool& workers);
  void run_sequential_source(stream::WorkPool& workers);
  [[nodiscard]] std::size_t batch_size() const;
  [[nodiscard]] bool stop_after_reached(std::uint64_t events) const;
  void produce(SourceBatch& b);
  void produce_in_parallel(SourceBatch& b, stream::WorkPool& workers);
  void cross_links(SourceBatch& b, Flight& f);
  void score(Flight& f, stream::WorkPool& workers);
  void commit(const Flight& f);
  void report_progress();
  [[nodiscard]] ReplayProgress progress_now(bool finished) const;
  void report(const ReplayProgress& p) const;
  [[nodiscard]] bool stop_requested() const { return chain_.options.stop != nullptr && chain_.options.stop->load(); }
  ReplayResult finish(bool complete);

  ReplayChain& chain_;
  ReplayState state_;
  std::chrono::steady_clock::time_point t0_;
  std::unique_ptr<DecisionLog> log_;
  std::optional<JournalWriter> journal_;
  std::vector<DecisionRecord> records_;  // the batch being committed, for the journal
  std::chrono::steady_clock::time_point last_commit_point_ = std::chrono::steady_clock::now();
  std::vector<ScoreEngine::Workspace> workspaces_;
  std::uint64_t start_done_ = 0;
  std::uint64_t produced_ = 0;  // events taken from the source (the producer's count)
  std::chrono::steady_clock::time_point last_progress_;
  std::uint64_t next_progress_at_ = 0;
  bool interrupted_ = false;
  CountsBeforeRange counts_before_range_;
  // Batches in flight: members, so they outlive the workers of run() that may still touch them
  // when an exception leaves a loop.
  SourceBatch ready_, next_;
  std::array<Flight, 2> flights_;
};

void ReplayRun::open_outputs() {
  const ReplayPaths& p = chain_.paths;
  fs::create_directories(p.dir);
  // A shard starts where the events before its range left the source, BX, links and pipeline; its
  // counters count from there (its summary reports its own events, merge adds them up).
  advance_to(chain_, state_, chain_.range.first);
  counts_before_range_ = {chain_.link->counters(), state_.pipeline.counters().stages, chain_.source->data_problems()};
  // With threads to spare, the log deflates its chunks on a thread of its own, off the run's loop.
  const DecisionLogOptions log_options{.background_compression = chain_.threads > 1};
  const JournalPaths journal(p.dir);
  if (chain_.options.resume) {
    const ResumeFrom from = check_resumable(chain_);
    // The h5 and csv are written again from the committed records: after a kill their partial
    // files may be unreadable (HDF5) or cut anywhere (CSV), and the committed ones may be older
    // than the last commit point or damaged since (replay_journal.h).
    log_ = DecisionLog::create(p.h5, p.csv, log_header(chain_), log_options);
    const auto to_log = [this](std::span<const DecisionRecord> records) {
      for (const auto& r : records) log_->append(r);
    };
    if (from == ResumeFrom::journal) {
      JournalReader reader(journal);
      if (reader.first_event() != state_.done) {
        throw BoardError(fmt::format("{}: the journal starts at event {}, this run at {}", journal.checkpoint.string(), reader.first_event(), state_.done));
      }
      replay_committed_records(chain_, state_, [&reader](std::vector<DecisionRecord>& out) { return reader.read_next(out); }, reader.path(), to_log);
      journal_.emplace(JournalWriter::resume(journal, reader.first_event(), reader.size()));
    } else {
      // Outputs of an l1emu before the journal: their committed log is the record of the run.
      DecisionRecordReader reader(p.h5);
      journal_.emplace(JournalWriter::create(journal, state_.done));
      replay_committed_records(chain_, state_, [&reader](std::vector<DecisionRecord>& out) { return reader.read_next(out); }, p.h5,
                               [&](std::span<const DecisionRecord> records) {
                                 to_log(records);
                                 journal_->append(records);
                               });
      journal_->commit_point();
    }
    if (chain_.options.progress) chain_.options.progress(fmt::format("replay: resuming after {} events", state_.done));
    return;
  }
  // What an older run left is removed before anything new is written, so that no mix of the two
  // can be resumed, and a run killed before its first commit point (SIGKILL, a killed MPI rank)
  // never leaves an earlier run's log and summary looking like its own: the summary first (it is
  // what marks outputs complete), the log, the commit point; then the new scenario.
  std::error_code ec;
  for (const fs::path& old : {p.summary, p.h5, p.csv}) {
    if (!old.empty()) fs::remove(old, ec);
  }
  JournalWriter::remove(journal);
  write_atomic(p.resolved, chain_.resolved_yaml);
  log_ = DecisionLog::create(p.h5, p.csv, log_header(chain_), log_options);
  journal_.emplace(JournalWriter::create(journal, state_.done));
}

// Batches are whole (but the last): their boundaries fall on multiples of kBatchEvents of the whole
// run, so an interrupted run (which stops at a batch end) continues with the batches of an
// uninterrupted one. The links frame each batch as one stream, so their frames and seeded faults
// depend on where batches start.
std::size_t ReplayRun::batch_size() const {
  const std::uint64_t end = chain_.range.end;
  return static_cast<std::size_t>(std::min<std::uint64_t>(kBatchEvents, end - std::min(end, produced_)));
}

bool ReplayRun::stop_after_reached(std::uint64_t events) const {
  const std::uint64_t stop_after = chain_.options.stop_after_events;
  return stop_after > 0 && events >= stop_after;
}

// A sequential source (dataset file, test vector): event by event.
void ReplayRun::produce(SourceBatch& b) {
  b.samples.clear();
  b.exhausted = false;
  const std::size_t want = batch_size();
  // Each event is read into its own slot of the batch (every source assigns the whole event), not
  // copied in from a local; after the first batch the buffer holds a batch already, so resizing
  // it zeroes nothing.
  b.events.resize(want);
  std::uint8_t s = 0;
  while (b.samples.size() < want) {
    stream::Event& e = b.events[b.samples.size()];
    // The slot after this one is asked for, for writing: the batch was last read on the scoring
    // thread's core, and each slot's first write waited for its lines to come back.
    if (b.samples.size() + 1 < want) {
      const auto* next = reinterpret_cast<const char*>(&e + 1);
      for (std::size_t k = 0; k < sizeof(stream::Event); k += 64) __builtin_prefetch(next + k, 1);
    }
    if (!chain_.source->next(e, s)) {
      b.exhausted = true;
      break;
    }
    state_.stamper.stamp(e);
    b.samples.push_back(s);
  }
  b.events.resize(b.samples.size());
  produced_ += b.samples.size();
}

// A parallel source (the generator): planned on this thread, made in pieces by every thread.
void ReplayRun::produce_in_parallel(SourceBatch& b, stream::WorkPool& workers) {
  EventSource& source = *chain_.source;
  const std::size_t want = batch_size();
  const std::size_t n = source.plan(want, b.samples, b.pieces);
  b.exhausted = n < want;
  b.events.resize(n);
  workers.for_each(b.pieces.size(), [&](unsigned, std::size_t p) {
    SourcePiece& piece = b.pieces[p];
    source.make(piece, std::span<stream::Event>(b.events).subspan(piece.offset, piece.count));
  });
  source.finish(b.pieces);
  for (auto& e : b.events) state_.stamper.stamp(e);
  produced_ += n;
}

// The whole batch crosses the links at once (the protocols frame consecutive BX together). The
// batch's events are not read again (the next produce refills them), so a direct link takes the
// buffer: `b.events` and the flight's events swap, and the flight is free (its commit is done).
void ReplayRun::cross_links(SourceBatch& b, Flight& f) {
  f.samples.assign(b.samples.begin(), b.samples.end());
  chain_.link->transport_batch_from(b.events, f.events, f.delivered);
}

// Chunks of a batch's scoring go to whichever thread is free; each result lands in its own slot.
void ReplayRun::score(Flight& f, stream::WorkPool& workers) {
  constexpr std::size_t kChunk = 8 * emu::CompiledModel::kBatch;  // events per chunk of scoring
  f.scored.assign(f.events.size(), {});
  workers.for_each((f.events.size() + kChunk - 1) / kChunk, [&](unsigned w, std::size_t c) {
    const std::size_t first = c * kChunk;
    const std::size_t count = std::min(kChunk, f.events.size() - first);
    chain_.engine.score(workspaces_[w], std::span<const stream::Event>(f.events).subspan(first, count),
                        std::span<ScoredEvent>(f.scored).subspan(first, count));
  });
}

// Pipeline, menu, counters and log, event by event in order: the sequential end of the chain.
void ReplayRun::commit(const Flight& f) {
  records_.clear();
  for (std::size_t i = 0; i < f.events.size(); ++i) {
    const stream::Event& e = f.events[i];
    DecisionRecord r;
    r.event = state_.done;
    r.orbit = static_cast<std::uint32_t>(e.orbit);
    r.bx = e.bx;
    r.event_id = e.event_id;
    r.sample = f.samples[i];
    r.inputs_hash = f.scored[i].inputs_hash;
    r.score_code = f.scored[i].score;
    const EventTiming t = state_.pipeline.push(stream::BunchCrossing{e.orbit, e.bx}.global_index());
    if (!f.delivered[i]) r.outcome = Outcome::lost_on_links;
    if (f.delivered[i] && t.accepted) {
      const MenuDecision d = chain_.menu.decide(r.score_code, e.bx, state_.menu_state);
      r.outcome = Outcome::processed;
      r.bits_before_prescale = d.before_prescale;
      r.bits_after_prescale = d.after_prescale;
      r.latency_cycles = static_cast<std::uint32_t>(t.latency_cycles);
      r.latency_ns = t.latency_ns;
    }
    state_.totals.add(r);
    log_->append(r);
    records_.push_back(r);
    ++state_.done;
  }
  // The batch is done: its records join the journal; a commit point every checkpoint_seconds (each
  // costs fsyncs), and always at the run's end (finish()).
  journal_->append(records_);
  records_.clear();
  const auto now = std::chrono::steady_clock::now();
  if (now - last_commit_point_ >= std::chrono::duration<double>(chain_.options.checkpoint_seconds)) {
    journal_->commit_point();
    last_commit_point_ = now;
  }
}

ReplayProgress ReplayRun::progress_now(bool finished) const {
  const EventRange& range = chain_.range;
  return {.done = state_.done - range.first,
          .this_run = state_.done - start_done_,
          .range_events = range.end != kNoEnd ? range.size() : 0,
          .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(),
          .finished = finished};
}

// A shard counts its own range (its rows' event indices start at the range's first event).
std::string progress_line(const ReplayProgress& p) {
  const double rate = p.seconds > 0 ? static_cast<double>(p.this_run) / p.seconds : 0.0;
  if (p.finished) return fmt::format("replay: {} events done, {:.0f} events/s", p.done, rate);
  const std::string of =
      p.range_events > 0 ? fmt::format(" of {} ({:.0f} %)", p.range_events, 100.0 * static_cast<double>(p.done) / static_cast<double>(p.range_events)) : "";
  return fmt::format("replay: {} events{}, {:.0f} events/s", p.done, of, rate);
}

void ReplayRun::report(const ReplayProgress& p) const {
  const ReplayOptions& o = chain_.options;
  if (o.progress_counts) {
    o.progress_counts(p);
  } else if (o.progress) {
    o.progress(progress_line(p));
  }
}

void ReplayRun::report_progress() {
  if (!chain_.options.progress && !chain_.options.progress_counts) return;
  const auto now = std::chrono::steady_clock::now();
  const std::uint64_t every = chain_.scenario.output.progress_every;
  const std::uint64_t done = state_.done;
  const bool due = every > 0 ? done >= next_progress_at_ : now - last_progress_ >= std::chrono::seconds(1);
  if (!due) return;
  report(progress_now(false));
  last_progress_ = now;
  if (every > 0) next_progress_at_ = done + every;
}

// The sequential steps run side by side: batch k crosses the links on this thread while the helper
// commits batch k-1 (the one background task); then every thread makes batch k+1 (the helper
// joining when its commit is done) and scores batch k. Commits stay in batch order.
void ReplayRun::run_parallel_source(stream::WorkPool& workers) {
  std::size_t flight_count = 0;
  SourceBatch& ready = ready_;
  produce_in_parallel(ready, workers);
  while (ready.size() > 0) {  // empty: the source or a limit (max events, stop_after_events) ended it
    Flight& f = flights_[flight_count++ % flights_.size()];
    cross_links(ready, f);
    bool more = !ready.exhausted;
    if (more && (stop_requested() || stop_after_reached(produced_))) {
      interrupted_ = true;
      more = false;
    }
    if (more) produce_in_parallel(ready, workers);
    score(f, workers);
    workers.wait_background();  // the previous batch's commit
    report_progress();
    workers.start_background([this, &f] { commit(f); });
    if (!more) break;
  }
  workers.wait_background();
}

// A sequential source fills batch k+1 on the helper while batch k crosses the links, is scored and
// committed here.
void ReplayRun::run_sequential_source(stream::WorkPool& workers) {
  SourceBatch& ready = ready_;
  SourceBatch& next = next_;
  Flight& f = flights_[0];
  workers.start_background([&] { produce(next); });
  for (;;) {
    if (stop_requested() || stop_after_reached(state_.done)) {
      interrupted_ = true;
      break;
    }
    if (state_.done >= chain_.range.end) break;
    workers.wait_background();
    std::swap(ready, next);
    if (!ready.exhausted && ready.size() > 0) workers.start_background([&] { produce(next); });
    cross_links(ready, f);
    if (f.events.empty()) break;
    score(f, workers);
    commit(f);
    report_progress();
    if (ready.exhausted) break;
  }
  workers.wait_background();
}

ReplayResult ReplayRun::run() {
  open_outputs();
  start_done_ = produced_ = state_.done;
  last_progress_ = std::chrono::steady_clock::now();
  const std::uint64_t every = chain_.scenario.output.progress_every;
  next_progress_at_ = every > 0 ? state_.done + every : 0;
  for (unsigned t = 0; t < chain_.threads; ++t) workspaces_.push_back(chain_.engine.make_workspace());
  {
    // Two ways to fill a batch, both giving the batches of a sequential run (same sizes, same
    // order), so every output is the same for any thread count.
    stream::WorkPool workers(chain_.threads - 1);
    const SourceOnPool shared(*chain_.source, workers);
    if (chain_.source->parallel()) {
      run_parallel_source(workers);
    } else {
      run_sequential_source(workers);
    }
  }
  return finish(!interrupted_);
}

// The order makes every moment of a kill resumable or final: commit point, log files renamed into
// place, summary (atomic), and only then, for a complete run, the journal removed.
ReplayResult ReplayRun::finish(bool complete) {
  journal_->commit_point();
  log_->commit();
  // A closing progress report, so even a run shorter than one reporting period says how far it got.
  const ReplayProgress closing = progress_now(true);
  report(closing);
  const double seconds = closing.seconds;
  const std::uint64_t this_run = closing.this_run;
  const std::vector<StageCounters> stages = counts_before_range_.stages_since(state_.pipeline.counters().stages);
  const SummaryCounts counts{state_.totals, stages, counts_before_range_.link_since(chain_.link->counters()),
                             counts_before_range_.data_since(chain_.source->data_problems())};
  const RunInfo info{complete, state_.totals.events, this_run, seconds, chain_.threads, chain_.options.shard, chain_.range};
  const ReplaySummary summary = summarize(chain_, counts, info);
  write_atomic(chain_.paths.summary, summary.json);
  if (complete) {
    journal_.reset();
    JournalWriter::remove(JournalPaths(chain_.paths.dir));
  }
  ReplayResult result;
  result.complete = complete;
  result.events = state_.done;
  result.seconds = seconds;
  result.output_dir = chain_.paths.dir;
  result.summary_json = summary.json;
  result.summary_text = summary.text;
  return result;
}

}  // namespace
}  // namespace detail

Replay::Replay(const Scenario& scenario, const ReplayOptions& options) : chain_(std::make_unique<detail::ReplayChain>(scenario, options)) {}
Replay::~Replay() = default;

ReplayResult Replay::run() {
  // The components carry the run's position (source, links): one run per Replay.
  if (ran_) throw BoardError("Replay::run: a Replay runs once; construct another to run again");
  ran_ = true;
  return detail::ReplayRun(*chain_).run();
}

ReplayResult run_replay(const Scenario& scenario, const ReplayOptions& options) { return Replay(scenario, options).run(); }

}  // namespace l1emu::board
