#include "replay_chain.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include <fmt/format.h>

#include "l1emu/board/csynth_report.h"
#include "l1emu/board/decision_log_format.h"
#include "l1emu/board/error.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/stream/lhc_clock.h"

namespace l1emu::board::detail {
namespace fs = std::filesystem;
namespace {

ScoreEngineConfig engine_config(const Scenario& scenario, const ReplayOptions& options) {
  if (options.engine != "compiled" && options.engine != "reference") {
    throw ConfigError(fmt::format("unknown engine '{}' (compiled or reference)", options.engine));
  }
  ScoreEngineConfig c;
  c.features.name = scenario.model.features;
  c.features.muon_phi = scenario.model.muon_phi == "vertex" ? MuonPhi::vertex : MuonPhi::muon_system;
  c.score_output = scenario.model.score_output;
  c.reference_engine = options.engine == "reference";
  c.origin = fmt::format("{}, model {} (model.path, model.features, model.score_output)", scenario.file.string(), scenario.model.path.string());
  return c;
}

// A model file that does not exist is named with the scenario and its key, not only as the path
// (the mutation campaign's truncated model.path gave just "<path>: no such file or directory").
emu::Model load_scenario_model(const Scenario& scenario) {
  if (!fs::exists(scenario.model.path)) {
    throw ConfigError(fmt::format("{}: model.path: {}: no such file or directory", scenario.file.string(), scenario.model.path.string()));
  }
  return emu::load_model(scenario.model.path);
}

PipelineConfig clocks(const Scenario& scenario) {
  PipelineConfig p;
  p.board_clock = ClockDomain::from_mhz("board", scenario.board.clock_mhz);
  p.link_clock = ClockDomain::from_mhz("link", scenario.board.link_clock_mhz);
  p.frames_per_bx = scenario.board.frames_per_bx;
  p.cdc_cycles = scenario.board.cdc_cycles;
  p.latency_budget_ns = scenario.board.latency_budget_ns;
  return p;
}

ModelTiming model_timing(const Scenario& scenario, const emu::Model& model, const Device& device, const ClockDomain& board_clock) {
  ModelTiming t;
  t.estimate = estimate_model(model, device, {board_clock.mhz(), scenario.model.reuse_factor});
  t.latency_cycles = t.estimate.latency_cycles;
  t.ii_cycles = t.estimate.ii_cycles;
  if (!scenario.board.csynth.empty()) {
    // Synthesized cycles are in the report's clock; the board may run another: convert through ns.
    const CsynthReport rep = read_csynth_report(scenario.board.csynth);
    t.estimate = apply_csynth(std::move(t.estimate), rep);
    t.latency_cycles = static_cast<int>(std::ceil(static_cast<double>(rep.worst_latency_cycles) * rep.target_clock_ns / board_clock.period_ns() - 1e-9));
    t.ii_cycles = static_cast<int>(std::ceil(static_cast<double>(rep.interval_min_cycles) * rep.target_clock_ns / board_clock.period_ns() - 1e-9));
  }
  if (scenario.board.model_latency_cycles) t.latency_cycles = *scenario.board.model_latency_cycles;
  if (scenario.board.model_ii_cycles) t.ii_cycles = *scenario.board.model_ii_cycles;
  return t;
}

}  // namespace

ReplayPaths::ReplayPaths(const Scenario& scenario)
    : dir(scenario.output.dir),
      h5(dir / kDecisionLogFile),
      csv(scenario.output.csv ? dir / kDecisionCsvFile : fs::path{}),
      summary(dir / "summary.json"),
      resolved(dir / "scenario.resolved.yaml") {}

ReplayChain::ReplayChain(const Scenario& s, const ReplayOptions& o)
    : scenario(s),
      options(o),
      paths(s),
      resolved_yaml(to_yaml(s)),
      model(load_scenario_model(s)),
      engine(model, engine_config(s, o)),
      menu(menu_config(s)),
      link(make_link_stage(s.links)),
      source(make_event_source(s.source)),
      device(get_device(s.board.device)),
      pipeline_config(clocks(s)),
      timing(model_timing(s, model, device, pipeline_config.board_clock)) {
  pipeline_config.stages = {{"unpack", s.board.unpack_cycles, 1, 0},
                            {"model", timing.latency_cycles, timing.ii_cycles, s.board.fifo_depth},
                            {"menu", s.board.menu_cycles, 1, 0}};
  if (!source->has_own_bx()) scheme = stream::make_filling_scheme({s.source.filling_scheme, s.source.filling_scheme_file});
  colliding = scheme ? static_cast<double>(scheme->colliding_count()) : static_cast<double>(stream::kBxPerOrbit);
  max_events = o.max_events > 0 ? o.max_events : s.max_events;
  range = {0, max_events > 0 ? max_events : kNoEnd};
  if (o.shard.sharded()) {
    const std::uint64_t total = max_events > 0 ? std::min(max_events, source->size()) : source->size();
    range = shard_range(total, o.shard);
  }
  threads = static_cast<unsigned>(o.threads > 0 ? o.threads : s.threads);
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
}

DecisionLog::Header log_header(const ReplayChain& chain) {
  DecisionLog::Header header;
  header.menu = chain.menu.config();
  header.samples = chain.source->samples();
  header.scenario_yaml = chain.resolved_yaml;
  header.model = chain.model.project() + " (" + chain.scenario.model.path.string() + ")";
  const std::size_t score_index = static_cast<std::size_t>(chain.model.find_array(chain.engine.score_output()));
  header.score_fractional_bits = chain.model.array_spec(score_index).type.fractional_bits();
  header.filling_scheme = chain.scheme ? std::string(chain.scheme->name()) : std::string("test vector BX");
  header.colliding_bunches = static_cast<std::int64_t>(chain.colliding);
  return header;
}

ReplayState::ReplayState(const ReplayChain& chain)
    : assigner(chain.scheme ? std::make_unique<stream::BxAssigner>(*chain.scheme) : nullptr),
      stamper(assigner.get()),
      pipeline(chain.pipeline_config),
      menu_state(chain.menu.make_state()),
      totals(chain.source->samples().size(), chain.menu.size(), chain.pipeline_config.latency_budget_ns) {}

}  // namespace l1emu::board::detail
