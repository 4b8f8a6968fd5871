#include "l1emu/board/replay.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l1emu/board/csynth_report.h"
#include "l1emu/board/decision_log.h"
#include "l1emu/board/device.h"
#include "l1emu/board/error.h"
#include "l1emu/board/link_stage.h"
#include "l1emu/board/menu.h"
#include "l1emu/board/pipeline.h"
#include "l1emu/board/score_engine.h"
#include "l1emu/board/timing_estimate.h"
#include "l1emu/emu/io/atomic_file.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/stream/dataset_source.h"
#include "l1emu/stream/event_generator.h"
#include "l1emu/stream/filling_scheme.h"
#include "l1emu/stream/lhc_clock.h"
#include "l1emu/stream/test_vector.h"
#include "replay_workers.h"

namespace l1emu::board {
namespace fs = std::filesystem;
namespace {

// Events per batch: fixed (not per thread) so the work split never changes a result.
constexpr std::size_t kBatchEvents = 8192;
// DecisionRecord::accepted: 1 processed, 0 lost to dead time, 2 lost on the links (damaged packets).
constexpr std::uint8_t kLostOnLinks = 2;

/// Events of a batch that a parallel source makes in one piece of work (one thread): consecutive
/// events of one sample inside one block of its generator's stream.
struct SourcePiece {
  std::uint8_t sample = 0;
  std::uint64_t first_index = 0;  // in the sample's stream
  std::size_t offset = 0;         // in the batch
  std::size_t count = 0;
  std::unique_ptr<stream::EventGenerator> generator;  // the carried generator, or made by make()
};

class ReplaySource {
 public:
  virtual ~ReplaySource() = default;
  /// The next event (objects and event id; the BX when the source has its own) and its sample.
  virtual bool next(stream::Event& event, std::uint8_t& sample) = 0;
  [[nodiscard]] virtual const std::vector<std::string>& samples() const = 0;
  /// True when events carry their own orbit/BX (test vectors), false when a filling scheme stamps them.
  [[nodiscard]] virtual bool has_own_bx() const { return false; }
  /// True when the source can make a batch in pieces on several threads: plan() takes the batch's
  /// events on the calling thread (samples and pieces), make() fills a piece on any thread, and
  /// finish() closes the batch (all in batch order). The events equal those of next().
  [[nodiscard]] virtual bool parallel() const { return false; }
  /// Plans up to `want` events; returns how many (fewer only at the end of the source).
  virtual std::size_t plan(std::size_t /*want*/, std::vector<std::uint8_t>& /*samples*/, std::vector<SourcePiece>& /*pieces*/) { return 0; }
  virtual void make(SourcePiece& /*piece*/, std::span<stream::Event> /*out*/) const {}
  virtual void finish(std::vector<SourcePiece>& /*pieces*/) {}
  /// Data problems met so far and what the data policy did with them (zero for sources that make
  /// their events, like the generator).
  [[nodiscard]] virtual stream::DataPolicyCounters data_problems() const { return {}; }
};

/// The generator's samples one after the other, each a stream of its own seed (scenario seed +
/// sample index) with event ids continuing across samples. Parallel: pieces never cross a block of
/// the generator's stream (EventGenerator::kBlockEvents), so each is made by a generator started
/// at its first event, except a batch's first piece, which takes the generator the previous batch
/// left there (a piece continuing a block then generates no event twice).
class GeneratorSource final : public ReplaySource {
 public:
  explicit GeneratorSource(const SourceConfig& c) : config_(c) {
    std::uint64_t first_id = 0;
    for (const auto& s : c.samples) {
      try {
        (void)stream::parse_process(s.process);
      } catch (const std::invalid_argument& e) {
        throw ConfigError(fmt::format("source.samples: {}", e.what()));
      }
      names_.push_back(s.process);
      first_ids_.push_back(first_id);
      first_id += s.events;
    }
  }
  bool next(stream::Event& event, std::uint8_t& sample) override {
    if (!skip_finished_samples()) return false;
    if (!carry_) carry_ = make_generator(index_, done_in_sample_);
    event = stream::to_event(carry_->next());
    sample = static_cast<std::uint8_t>(index_);
    ++done_in_sample_;
    return true;
  }
  [[nodiscard]] const std::vector<std::string>& samples() const override { return names_; }
  [[nodiscard]] bool parallel() const override { return true; }
  std::size_t plan(std::size_t want, std::vector<std::uint8_t>& samples, std::vector<SourcePiece>& pieces) override {
    constexpr std::uint64_t kBlock = stream::EventGenerator::kBlockEvents;
    samples.clear();
    pieces.clear();
    while (samples.size() < want && skip_finished_samples()) {
      const std::uint64_t left = config_.samples[index_].events - done_in_sample_;
      const std::uint64_t to_block_end = kBlock - done_in_sample_ % kBlock;
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>({want - samples.size(), left, to_block_end}));
      SourcePiece& p = pieces.emplace_back();
      p.sample = static_cast<std::uint8_t>(index_);
      p.first_index = done_in_sample_;
      p.offset = samples.size();
      p.count = n;
      if (carry_ && carry_->position() == done_in_sample_) p.generator = std::move(carry_);
      carry_.reset();
      samples.insert(samples.end(), n, p.sample);
      done_in_sample_ += n;
    }
    return samples.size();
  }
  void make(SourcePiece& piece, std::span<stream::Event> out) const override {
    if (!piece.generator) piece.generator = make_generator(piece.sample, piece.first_index);
    for (std::size_t i = 0; i < piece.count; ++i) out[i] = stream::to_event(piece.generator->next());
  }
  void finish(std::vector<SourcePiece>& pieces) override {
    // The last piece's generator continues where the next batch starts (at a block start it
    // reseeds itself, so it is as good as a new one there).
    if (!pieces.empty() && pieces.back().sample == index_ && pieces.back().generator &&
        pieces.back().generator->position() == done_in_sample_) {
      carry_ = std::move(pieces.back().generator);
    }
  }

 private:
  /// Moves past samples with no events left; false when every sample is done.
  bool skip_finished_samples() {
    while (index_ < config_.samples.size() && done_in_sample_ >= config_.samples[index_].events) {
      ++index_;
      done_in_sample_ = 0;
      carry_.reset();
    }
    return index_ < config_.samples.size();
  }
  [[nodiscard]] std::unique_ptr<stream::EventGenerator> make_generator(std::size_t sample, std::uint64_t first_index) const {
    stream::GeneratorConfig g;
    g.process = stream::parse_process(config_.samples[sample].process);
    g.seed = config_.seed + sample;
    g.first_event_id = static_cast<std::int64_t>(first_ids_[sample]);
    g.first_index = first_index;
    return std::make_unique<stream::EventGenerator>(g);
  }

  SourceConfig config_;
  std::vector<std::string> names_;
  std::vector<std::uint64_t> first_ids_;  // event id of each sample's first event
  std::size_t index_ = 0;                 // the current sample
  std::uint64_t done_in_sample_ = 0;
  std::unique_ptr<stream::EventGenerator> carry_;  // positioned at done_in_sample_, or none
};

class DatasetFileSource final : public ReplaySource {
 public:
  explicit DatasetFileSource(const fs::path& file) : source_(file), names_{file.stem().string()} {}
  bool next(stream::Event& event, std::uint8_t& sample) override {
    sample = 0;
    return source_.next(event);
  }
  [[nodiscard]] const std::vector<std::string>& samples() const override { return names_; }
  [[nodiscard]] stream::DataPolicyCounters data_problems() const override { return source_.counters(); }

 private:
  stream::DatasetSource source_;
  std::vector<std::string> names_;
};

class TestVectorSource final : public ReplaySource {
 public:
  explicit TestVectorSource(const fs::path& file) : records_(stream::read_test_vector(file)), names_{file.stem().string()} {}
  bool next(stream::Event& event, std::uint8_t& sample) override {
    if (index_ >= records_.size()) return false;
    event = records_[index_++].to_event();
    sample = 0;
    return true;
  }
  [[nodiscard]] const std::vector<std::string>& samples() const override { return names_; }
  [[nodiscard]] bool has_own_bx() const override { return true; }

 private:
  std::vector<stream::TestVectorRecord> records_;
  std::vector<std::string> names_;
  std::size_t index_ = 0;
};

// Data problems per kind, as the data policy met and handled them (shared/DESIGN.md, Reliability
// policy: counted and reported). Counted over the events read from the file, which can run ahead
// of the events replayed by the batch being read in advance.
nlohmann::json data_problems_json(const stream::DataPolicyCounters& c) {
  return {{"events_read", c.events_seen},    {"events_rejected", c.events_rejected},
          {"rows_non_finite", c.non_finite}, {"rows_negative_pt", c.negative_pt},
          {"rows_eta_out_of_acceptance", c.eta_out_of_acceptance}, {"rows_wrong_class", c.wrong_class},
          {"objects_zeroed", c.objects_zeroed}, {"values_clamped", c.values_clamped}};
}

std::unique_ptr<ReplaySource> make_source(const SourceConfig& c) {
  if (c.kind == "generator") return std::make_unique<GeneratorSource>(c);
  if (c.kind == "dataset") return std::make_unique<DatasetFileSource>(c.file);
  return std::make_unique<TestVectorSource>(c.file);
}

struct SampleCounters {
  std::uint64_t events = 0;
  std::uint64_t accepted = 0;
  std::vector<std::uint64_t> fires_before;
  std::vector<std::uint64_t> fires_after;
};

struct Totals {
  std::vector<SampleCounters> samples;
  std::uint64_t events = 0;
  std::uint64_t accepted = 0;
  std::uint64_t latency_min_cycles = UINT64_MAX;
  std::uint64_t latency_max_cycles = 0;
  double latency_min_ns = 0.0;
  double latency_max_ns = 0.0;
  double latency_sum_ns = 0.0;
  std::uint64_t over_budget = 0;

  std::uint64_t link_lost = 0;  // events whose packets the links damaged (accepted 2; not dead time)

  void add(const DecisionRecord& r, std::size_t menu_size, double budget_ns) {
    SampleCounters& s = samples.at(r.sample);
    ++events;
    ++s.events;
    if (r.accepted == kLostOnLinks) ++link_lost;
    if (r.accepted != 1) return;
    ++accepted;
    ++s.accepted;
    for (std::size_t b = 0; b < menu_size; ++b) {
      s.fires_before[b] += (r.bits_before_prescale >> b) & 1U;
      s.fires_after[b] += (r.bits_after_prescale >> b) & 1U;
    }
    // Cycles count from the arrival in the board clock, ns from the BX start: their extremes can
    // belong to different events (the BX phase against a free-running board clock varies).
    const bool first = accepted == 1;
    latency_min_cycles = std::min<std::uint64_t>(latency_min_cycles, r.latency_cycles);
    latency_max_cycles = std::max<std::uint64_t>(latency_max_cycles, r.latency_cycles);
    latency_min_ns = first ? r.latency_ns : std::min(latency_min_ns, r.latency_ns);
    latency_max_ns = first ? r.latency_ns : std::max(latency_max_ns, r.latency_ns);
    latency_sum_ns += r.latency_ns;
    if (budget_ns > 0.0 && r.latency_ns > budget_ns) ++over_budget;
  }
};

void write_atomic(const fs::path& path, const std::string& text) {
  emu::AtomicFile f(path);
  f.stream() << text;
  f.commit();
}

}  // namespace

ReplayResult run_replay(const Scenario& scenario, const ReplayOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path dir = scenario.output.dir;
  fs::create_directories(dir);
  const fs::path h5_path = dir / "decisions.h5";
  const fs::path csv_path = scenario.output.csv ? dir / "decisions.csv" : fs::path{};
  const fs::path summary_path = dir / "summary.json";
  const fs::path resolved_path = dir / "scenario.resolved.yaml";
  const std::string resolved = to_yaml(scenario);

  // --- set-up (names become objects once; the loop touches only those) ---
  const emu::Model model = emu::load_model(scenario.model.path);
  ScoreEngineConfig ecfg;
  ecfg.features.name = scenario.model.features;
  ecfg.features.muon_phi = scenario.model.muon_phi == "vertex" ? MuonPhi::vertex : MuonPhi::muon_system;
  ecfg.score_output = scenario.model.score_output;
  if (options.engine != "compiled" && options.engine != "reference") throw ConfigError(fmt::format("unknown engine '{}' (compiled or reference)", options.engine));
  ecfg.reference_engine = options.engine == "reference";
  const ScoreEngine engine(model, ecfg);
  const Menu menu(menu_config(scenario));
  auto link = make_link_stage(scenario.links);
  auto source = make_source(scenario.source);
  const Device& device = get_device(scenario.board.device);

  PipelineConfig pcfg;
  pcfg.board_clock = ClockDomain::from_mhz("board", scenario.board.clock_mhz);
  pcfg.link_clock = ClockDomain::from_mhz("link", scenario.board.link_clock_mhz);
  pcfg.frames_per_bx = scenario.board.frames_per_bx;
  pcfg.cdc_cycles = scenario.board.cdc_cycles;
  pcfg.latency_budget_ns = scenario.board.latency_budget_ns;
  ModelEstimate est = estimate_model(model, device, {pcfg.board_clock.mhz(), scenario.model.reuse_factor});
  int model_latency = est.latency_cycles;
  int model_ii = est.ii_cycles;
  if (!scenario.board.csynth.empty()) {
    // Synthesized cycles are in the report's clock; the board may run another: convert through ns.
    const CsynthReport rep = read_csynth_report(scenario.board.csynth);
    est = apply_csynth(std::move(est), rep);
    model_latency = static_cast<int>(std::ceil(static_cast<double>(rep.worst_latency_cycles) * rep.target_clock_ns / pcfg.board_clock.period_ns() - 1e-9));
    model_ii = static_cast<int>(std::ceil(static_cast<double>(rep.interval_min_cycles) * rep.target_clock_ns / pcfg.board_clock.period_ns() - 1e-9));
  }
  if (scenario.board.model_latency_cycles) model_latency = *scenario.board.model_latency_cycles;
  if (scenario.board.model_ii_cycles) model_ii = *scenario.board.model_ii_cycles;
  pcfg.stages = {{"unpack", scenario.board.unpack_cycles, 1, 0},
                 {"model", model_latency, model_ii, scenario.board.fifo_depth},
                 {"menu", scenario.board.menu_cycles, 1, 0}};
  Pipeline pipeline(pcfg);

  std::unique_ptr<stream::FillingScheme> scheme;
  std::unique_ptr<stream::BxAssigner> assigner;
  if (!source->has_own_bx()) {
    scheme = stream::make_filling_scheme({scenario.source.filling_scheme, scenario.source.filling_scheme_file});
    assigner = std::make_unique<stream::BxAssigner>(*scheme);
  }
  const double colliding = scheme ? static_cast<double>(scheme->colliding_count()) : static_cast<double>(stream::kBxPerOrbit);

  const std::uint64_t max_events = options.max_events > 0 ? options.max_events : scenario.max_events;
  unsigned threads = static_cast<unsigned>(options.threads > 0 ? options.threads : scenario.threads);
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());

  Totals totals;
  totals.samples.assign(source->samples().size(), SampleCounters{0, 0, std::vector<std::uint64_t>(menu.size(), 0), std::vector<std::uint64_t>(menu.size(), 0)});
  MenuState menu_state = menu.make_state();
  std::unique_ptr<DecisionLog> log;
  // With threads to spare, the log deflates its chunks on a thread of its own, off this loop.
  const DecisionLogOptions log_options{.background_compression = threads > 1};
  std::uint64_t done = 0;

  // Advances source, BX stamping, links and pipeline over one event without scoring (resume).
  stream::Event event;
  std::uint8_t sample = 0;
  std::uint64_t last_global_bx = 0;
  bool have_bx = false;
  const auto stamp = [&](stream::Event& e) {
    if (assigner) {
      (void)assigner->assign(e);
    } else if (have_bx && stream::BunchCrossing{e.orbit, e.bx}.global_index() <= last_global_bx) {
      // A test vector is one orbit; a second pass over it would be the next orbit.
      e.orbit = last_global_bx / stream::kBxPerOrbit + 1;
    }
    last_global_bx = stream::BunchCrossing{e.orbit, e.bx}.global_index();
    have_bx = true;
  };

  if (options.resume) {
    if (!fs::exists(summary_path)) throw BoardError(fmt::format("{}: nothing to resume (no summary.json)", dir.string()));
    std::ifstream in(summary_path);
    const auto previous = nlohmann::json::parse(in, nullptr, false);
    if (previous.is_discarded() || !previous.is_object() || !previous.contains("complete") || !previous["complete"].is_boolean()) {
      throw BoardError(fmt::format("{}: not a replay summary (expected a JSON object with \"complete\": true or false)", summary_path.string()));
    }
    if (previous["complete"].get<bool>()) throw BoardError(fmt::format("{}: the replay is already complete; nothing to resume", dir.string()));
    std::ifstream rin(resolved_path);
    const std::string before((std::istreambuf_iterator<char>(rin)), std::istreambuf_iterator<char>());
    if (before != resolved) {
      throw BoardError(fmt::format("{}: the scenario differs from the interrupted run's ({}); resume needs the same scenario and --set values",
                                   dir.string(), resolved_path.string()));
    }
    const auto records = DecisionLog::read_all(h5_path);
    for (const auto& r : records) {
      totals.add(r, menu.size(), pcfg.latency_budget_ns);
      for (std::size_t b = 0; b < menu.size(); ++b) {
        const std::uint32_t p = menu.config().bits[b].prescale;
        if (p > 0 && ((r.bits_before_prescale >> b) & 1U)) menu_state.prescale_counters[b] = (menu_state.prescale_counters[b] + 1) % p;
      }
    }
    // The links see the same batches as in the interrupted run, so seeded link faults repeat.
    std::vector<stream::Event> raw, carried;
    std::vector<std::uint8_t> arrived;
    const auto flush_links = [&] {
      link->transport_batch(raw, carried, arrived);
      raw.clear();
    };
    for (const auto& r : records) {
      if (!source->next(event, sample)) throw BoardError(fmt::format("{}: the source ends before the {} logged events", dir.string(), records.size()));
      stamp(event);
      if (event.orbit != r.orbit || event.bx != r.bx || event.event_id != r.event_id) {
        throw BoardError(fmt::format("{}: event {} of the log does not match the source (orbit/bx/id)", h5_path.string(), r.event));
      }
      raw.push_back(event);
      if (raw.size() == kBatchEvents) flush_links();
      (void)pipeline.push(stream::BunchCrossing{event.orbit, event.bx}.global_index());
    }
    if (!raw.empty()) flush_links();
    done = records.size();
    log = DecisionLog::open_for_append(h5_path, csv_path, log_options);
    if (options.progress) options.progress(fmt::format("replay: resuming after {} events", done));
  } else {
    write_atomic(resolved_path, resolved);
    std::error_code ec;
    fs::remove(summary_path, ec);
    DecisionLog::Header header;
    header.menu = menu.config();
    header.samples = source->samples();
    header.scenario_yaml = resolved;
    header.model = model.project() + " (" + scenario.model.path.string() + ")";
    {
      const std::size_t score_index = static_cast<std::size_t>(model.find_array(engine.score_output()));
      header.score_fractional_bits = model.array_spec(score_index).type.fractional_bits();
    }
    header.filling_scheme = scheme ? std::string(scheme->name()) : std::string("test vector BX");
    header.colliding_bunches = static_cast<std::int64_t>(colliding);
    log = DecisionLog::create(h5_path, csv_path, header, log_options);
  }

  std::vector<ScoreEngine::Workspace> workspaces;
  for (unsigned t = 0; t < threads; ++t) workspaces.push_back(engine.make_workspace());
  // Two ways to fill a batch, both giving the batches of a sequential run (same sizes, same order),
  // so every output is the same for any thread count:
  //  - a parallel source (the generator) is planned on this thread and made in pieces by every
  //    thread (generation dominates a replay of generated events);
  //  - a sequential source (dataset file, test vector) fills batch k+1 on a helper thread while
  //    batch k crosses the links, is scored and committed; the helper then joins the batch in flight.
  struct SourceBatch {
    std::vector<stream::Event> events;
    std::vector<std::uint8_t> samples;
    std::vector<SourcePiece> pieces;  // parallel sources
    bool exhausted = false;
    [[nodiscard]] std::size_t size() const { return samples.size(); }
  };
  const bool parallel_source = source->parallel();
  SourceBatch ready;
  SourceBatch next;
  for (SourceBatch* b : {&ready, &next}) {
    b->events.reserve(kBatchEvents);
    b->samples.reserve(kBatchEvents);
  }
  std::uint64_t produced = done;  // events taken from the source (the producer's count)
  const auto batch_size = [&] {
    std::size_t want = kBatchEvents;
    if (max_events > 0) want = static_cast<std::size_t>(std::min<std::uint64_t>(want, max_events - std::min(max_events, produced)));
    if (options.stop_after_events > 0) {
      want = static_cast<std::size_t>(std::min<std::uint64_t>(want, options.stop_after_events - std::min(options.stop_after_events, produced)));
    }
    return want;
  };
  const auto produce = [&](SourceBatch& b) {
    b.events.clear();
    b.samples.clear();
    b.exhausted = false;
    const std::size_t want = batch_size();
    stream::Event e;
    std::uint8_t s = 0;
    while (b.samples.size() < want) {
      if (!source->next(e, s)) {
        b.exhausted = true;
        break;
      }
      stamp(e);
      b.events.push_back(e);
      b.samples.push_back(s);
    }
    produced += b.samples.size();
  };
  bool interrupted = false;
  const std::uint64_t start_done = done;
  auto last_progress = std::chrono::steady_clock::now();
  const std::uint64_t every = scenario.output.progress_every;
  std::uint64_t next_progress_at = every > 0 ? done + every : 0;
  constexpr std::size_t kChunk = 8 * emu::CompiledModel::kBatch;  // events per chunk of scoring
  // A batch after the links: what the log needs of it. Two alternate, so that batch k can be
  // committed while batch k+1 is made.
  struct Flight {
    std::vector<std::uint8_t> samples;
    std::vector<stream::Event> events;
    std::vector<std::uint8_t> delivered;
    std::vector<ScoredEvent> scored;
  };
  std::array<Flight, 2> flights;
  std::size_t flight_count = 0;
  // Pipeline, menu, counters and log, event by event in order: the sequential end of the chain.
  const auto commit = [&](const Flight& f) {
    for (std::size_t i = 0; i < f.events.size(); ++i) {
      const stream::Event& e = f.events[i];
      DecisionRecord r;
      r.event = done;
      r.orbit = e.orbit;
      r.bx = e.bx;
      r.event_id = e.event_id;
      r.sample = f.samples[i];
      r.inputs_hash = f.scored[i].inputs_hash;
      r.score_code = f.scored[i].score;
      const EventTiming t = pipeline.push(stream::BunchCrossing{e.orbit, e.bx}.global_index());
      if (!f.delivered[i]) r.accepted = kLostOnLinks;
      if (f.delivered[i] && t.accepted) {
        const MenuDecision d = menu.decide(r.score_code, e.bx, menu_state);
        r.accepted = 1;
        r.bits_before_prescale = d.before_prescale;
        r.bits_after_prescale = d.after_prescale;
        r.latency_cycles = static_cast<std::uint32_t>(t.latency_cycles);
        r.latency_ns = t.latency_ns;
      }
      totals.add(r, menu.size(), pcfg.latency_budget_ns);
      log->append(r);
      ++done;
    }
  };
  const auto report_progress = [&] {
    if (!options.progress) return;
    const auto now = std::chrono::steady_clock::now();
    const bool due = every > 0 ? done >= next_progress_at : now - last_progress >= std::chrono::seconds(1);
    if (!due) return;
    const double s = std::chrono::duration<double>(now - t0).count();
    options.progress(fmt::format("replay: {} events{}, {:.0f} events/s", done,
                                 max_events > 0 ? fmt::format(" of {} ({:.0f} %)", max_events, 100.0 * static_cast<double>(done) / static_cast<double>(max_events)) : "",
                                 s > 0 ? static_cast<double>(done - start_done) / s : 0.0));
    last_progress = now;
    if (every > 0) next_progress_at = done + every;
  };
  // Declared after everything the producer and the background commit touch, so it is destroyed
  // (and waits for them) first, also when an exception leaves the loop.
  detail::ReplayWorkers workers(threads - 1);
  const auto produce_in_parallel = [&](SourceBatch& b) {
    const std::size_t want = batch_size();
    const std::size_t n = source->plan(want, b.samples, b.pieces);
    b.exhausted = n < want;
    b.events.resize(n);
    workers.for_each_chunk(b.pieces.size(), [&](unsigned, std::size_t p) {
      SourcePiece& piece = b.pieces[p];
      source->make(piece, std::span<stream::Event>(b.events).subspan(piece.offset, piece.count));
    });
    source->finish(b.pieces);
    for (auto& e : b.events) stamp(e);
    produced += n;
  };
  // Chunks of a batch's scoring go to whichever thread is free; each result lands in its own slot.
  const auto score = [&](Flight& f) {
    f.scored.assign(f.events.size(), {});
    workers.for_each_chunk((f.events.size() + kChunk - 1) / kChunk, [&](unsigned w, std::size_t c) {
      const std::size_t first = c * kChunk;
      const std::size_t count = std::min(kChunk, f.events.size() - first);
      engine.score(workspaces[w], std::span<const stream::Event>(f.events).subspan(first, count), std::span<ScoredEvent>(f.scored).subspan(first, count));
    });
  };
  // The whole batch crosses the links at once (the protocols frame consecutive BX together).
  const auto cross_links = [&](const SourceBatch& b, Flight& f) {
    f.samples.assign(b.samples.begin(), b.samples.end());
    link->transport_batch(b.events, f.events, f.delivered);
  };

  if (parallel_source) {
    // The sequential steps run side by side: batch k crosses the links on this thread while the
    // helper commits batch k-1 (the one background task); then every thread makes batch k+1 (the
    // helper joining when its commit is done) and scores batch k. Commits stay in batch order.
    produce_in_parallel(ready);
    for (;;) {
      if (ready.size() == 0) break;  // the source or a limit (--events, --stop-after) ended it
      Flight& f = flights[flight_count++ % flights.size()];
      cross_links(ready, f);
      bool more = !ready.exhausted;
      if (options.stop && options.stop->load()) {
        interrupted = true;
        more = false;
      }
      if (more) produce_in_parallel(ready);
      score(f);
      workers.wait_background();  // the previous batch's commit
      report_progress();
      workers.start_background([&commit, &f] { commit(f); });
      if (!more) break;
    }
    if (options.stop_after_events > 0 && produced >= options.stop_after_events) interrupted = true;
  } else {
    // A sequential source fills batch k+1 on the helper while batch k crosses the links, is scored
    // and committed here.
    workers.start_background([&] { produce(next); });
    for (;;) {
      if ((options.stop && options.stop->load()) || (options.stop_after_events > 0 && done >= options.stop_after_events)) {
        interrupted = true;
        break;
      }
      if (max_events > 0 && done >= max_events) break;
      workers.wait_background();
      std::swap(ready, next);
      if (!ready.exhausted && ready.size() > 0) workers.start_background([&] { produce(next); });
      Flight& f = flights[0];
      cross_links(ready, f);
      if (f.events.empty()) break;
      score(f);
      commit(f);
      report_progress();
      if (ready.exhausted) break;
    }
  }
  workers.wait_background();
  log->commit();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // A closing progress line, so even a run shorter than one reporting period says how far it got.
  if (options.progress) {
    options.progress(fmt::format("replay: {} events done, {:.0f} events/s", done,
                                 seconds > 0 ? static_cast<double>(done - start_done) / seconds : 0.0));
  }
  const bool complete = !interrupted;

  // --- summary ---
  nlohmann::json bits = nlohmann::json::array();
  for (std::size_t b = 0; b < menu.size(); ++b) {
    const auto& a = menu.config().bits[b];
    nlohmann::json per_sample = nlohmann::json::object();
    for (std::size_t s = 0; s < totals.samples.size(); ++s) {
      const auto& sc = totals.samples[s];
      const double frac_before = sc.events > 0 ? static_cast<double>(sc.fires_before[b]) / static_cast<double>(sc.events) : 0.0;
      const double frac_after = sc.events > 0 ? static_cast<double>(sc.fires_after[b]) / static_cast<double>(sc.events) : 0.0;
      // Rate = f_orbit x N_colliding x pass fraction (FACTS section 1), meaningful for a zero-bias
      // (background) sample; for signals the fraction is the efficiency.
      per_sample[source->samples()[s]] = {{"fires_before_prescale", sc.fires_before[b]}, {"fires_after_prescale", sc.fires_after[b]},
                                          {"fraction_before_prescale", frac_before}, {"fraction_after_prescale", frac_after},
                                          {"rate_hz_after_prescale", stream::kOrbitHz * colliding * frac_after}};
    }
    bits.push_back({{"bit", a.bit}, {"name", a.name}, {"threshold", a.threshold}, {"prescale", a.prescale}, {"samples", per_sample}});
  }
  nlohmann::json samples = nlohmann::json::object();
  for (std::size_t s = 0; s < totals.samples.size(); ++s) {
    samples[source->samples()[s]] = {{"events", totals.samples[s].events}, {"accepted", totals.samples[s].accepted}};
  }
  nlohmann::json stages = nlohmann::json::array();
  for (std::size_t i = 0; i < pcfg.stages.size(); ++i) {
    const auto& sc = pipeline.counters().stages[i];
    stages.push_back({{"name", pcfg.stages[i].name}, {"latency_cycles", pcfg.stages[i].latency_cycles}, {"ii_cycles", pcfg.stages[i].ii_cycles},
                      {"fifo_depth", pcfg.stages[i].fifo_depth}, {"dropped", sc.dropped}, {"max_fifo", sc.max_fifo}});
  }
  // Dead time: events the pipeline could not take; events lost on the links are counted apart.
  const std::uint64_t dropped = totals.events - totals.accepted - totals.link_lost;
  nlohmann::json summary = {
      {"scenario", scenario.name},
      {"complete", complete},
      {"events", done},
      {"model", {{"project", model.project()}, {"score_output", engine.score_output()}, {"engine", engine.compiled() ? "compiled" : "reference"},
                 {"latency_cycles", model_latency}, {"ii_cycles", model_ii}, {"timing_source", scenario.board.model_latency_cycles ? "scenario" : est.source}}},
      {"board", {{"device", device.name}, {"clock_mhz", pcfg.board_clock.mhz()}, {"link_clock_mhz", pcfg.link_clock.mhz()},
                 {"link_protocol", std::string(link->name())}, {"stages", stages}}},
      {"filling_scheme", scheme ? std::string(scheme->name()) : std::string("test vector BX")},
      {"colliding_bx", colliding},
      {"samples", samples},
      {"dead_time", {{"dropped_events", dropped}, {"fraction", done > 0 ? static_cast<double>(dropped) / static_cast<double>(done) : 0.0}}},
      {"latency", {{"min_cycles", totals.accepted ? totals.latency_min_cycles : 0}, {"max_cycles", totals.latency_max_cycles},
                   {"min_ns", totals.latency_min_ns}, {"max_ns", totals.latency_max_ns},
                   {"mean_ns", totals.accepted ? totals.latency_sum_ns / static_cast<double>(totals.accepted) : 0.0},
                   {"budget_ns", pcfg.latency_budget_ns}, {"over_budget", totals.over_budget}}},
      {"link", {{"events", link->counters().events}, {"frames", link->counters().frames}, {"errors", link->counters().errors},
                {"lost_events", totals.link_lost}}},
      {"data", data_problems_json(source->data_problems())},
      {"bits", bits},
      {"run", {{"seconds", seconds}, {"events_this_run", done - start_done},
               {"events_per_second", seconds > 0 ? static_cast<double>(done - start_done) / seconds : 0.0}, {"threads", threads}}},
      {"outputs", {{"decisions_h5", h5_path.string()}, {"decisions_csv", csv_path.string()}, {"scenario", resolved_path.string()}}}};
  if (!complete) summary["stopped_at_event"] = done;
  ReplayResult result;
  result.complete = complete;
  result.events = done;
  result.seconds = seconds;
  result.output_dir = dir;
  result.summary_json = summary.dump(1) + "\n";
  write_atomic(summary_path, result.summary_json);

  std::string text = fmt::format("replay {}: {} events in {:.2f} s ({:.0f} events/s, {} thread(s)){}\n", scenario.name, done, seconds,
                                 seconds > 0 ? static_cast<double>(done - start_done) / seconds : 0.0, threads,
                                 complete ? "" : fmt::format(" -- interrupted after event {}; continue with --resume", done));
  text += fmt::format("model {} ({}), {} at {:g} MHz: model latency {} cycles, II {}; link {}\n", model.project(), engine.score_output(), device.name,
                      pcfg.board_clock.mhz(), model_latency, model_ii, link->name());
  text += fmt::format("latency BX start -> decision: {:.1f} .. {:.1f} ns ({} .. {} board cycles after arrival); dead time {} events ({:.4f} %)\n",
                      totals.latency_min_ns, totals.latency_max_ns, totals.accepted ? totals.latency_min_cycles : 0, totals.latency_max_cycles,
                      dropped, done > 0 ? 100.0 * static_cast<double>(dropped) / static_cast<double>(done) : 0.0);
  text += fmt::format("links {}: {} frames, {} errors detected, {} events lost\n", link->name(), link->counters().frames,
                      link->counters().errors, totals.link_lost);
  if (const auto data = source->data_problems(); data.events_seen > 0) text += fmt::format("data (events read from the file): {}\n", data.summary());
  for (std::size_t b = 0; b < menu.size(); ++b) {
    const auto& a = menu.config().bits[b];
    text += fmt::format("  bit {:3} {:<18} >= {:>7}", a.bit, a.name, a.threshold);
    for (std::size_t s = 0; s < totals.samples.size(); ++s) {
      const auto& sc = totals.samples[s];
      const double frac = sc.events > 0 ? static_cast<double>(sc.fires_after[b]) / static_cast<double>(sc.events) : 0.0;
      text += fmt::format("  {} {:.4f}", source->samples()[s], frac);
      if (s == 0) text += fmt::format(" ({:.1f} kHz)", stream::kOrbitHz * colliding * frac / 1000.0);
    }
    text += "\n";
  }
  text += fmt::format("outputs in {}\n", dir.string());
  result.summary_text = text;
  return result;
}

}  // namespace l1emu::board
