#include "replay_summary.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l1emu/stream/lhc_clock.h"

namespace l1emu::board::detail {
namespace {

double fraction(std::uint64_t part, std::uint64_t whole) { return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0; }

// Data problems per kind, as the data policy met and handled them (shared/DESIGN.md, Reliability
// policy: counted and reported). Counted over the events read from the file, which can run ahead
// of the events replayed by the batch being read in advance.
nlohmann::json data_problems_json(const stream::DataPolicyCounters& c) {
  return {{"events_read", c.events_seen},    {"events_rejected", c.events_rejected},
          {"rows_non_finite", c.non_finite}, {"rows_negative_pt", c.negative_pt},
          {"rows_eta_out_of_acceptance", c.eta_out_of_acceptance}, {"rows_wrong_class", c.wrong_class},
          {"objects_zeroed", c.objects_zeroed}, {"values_clamped", c.values_clamped}};
}

nlohmann::json bits_json(const ReplayChain& chain, const ReplayTotals& totals) {
  const auto& names = chain.source->samples();
  nlohmann::json bits = nlohmann::json::array();
  for (std::size_t b = 0; b < chain.menu.size(); ++b) {
    const auto& a = chain.menu.config().bits[b];
    nlohmann::json per_sample = nlohmann::json::object();
    for (std::size_t s = 0; s < totals.samples.size(); ++s) {
      const auto& sc = totals.samples[s];
      const double frac_after = fraction(sc.fires_after[b], sc.events);
      // Rate = f_orbit x N_colliding x pass fraction (FACTS section 1), meaningful for a zero-bias
      // (background) sample; for signals the fraction is the efficiency.
      per_sample[names[s]] = {{"fires_before_prescale", sc.fires_before[b]}, {"fires_after_prescale", sc.fires_after[b]},
                              {"fraction_before_prescale", fraction(sc.fires_before[b], sc.events)}, {"fraction_after_prescale", frac_after},
                              {"rate_hz_after_prescale", stream::kOrbitHz * chain.colliding * frac_after}};
    }
    bits.push_back({{"bit", a.bit}, {"name", a.name}, {"threshold", a.threshold}, {"prescale", a.prescale}, {"samples", per_sample}});
  }
  return bits;
}

nlohmann::json board_json(const ReplayChain& chain, const SummaryCounts& counts) {
  const PipelineConfig& p = chain.pipeline_config;
  nlohmann::json stages = nlohmann::json::array();
  for (std::size_t i = 0; i < p.stages.size(); ++i) {
    const auto& sc = counts.stages[i];
    stages.push_back({{"name", p.stages[i].name}, {"latency_cycles", p.stages[i].latency_cycles}, {"ii_cycles", p.stages[i].ii_cycles},
                      {"fifo_depth", p.stages[i].fifo_depth}, {"dropped", sc.dropped}, {"max_fifo", sc.max_fifo}});
  }
  return {{"device", chain.device.name}, {"clock_mhz", p.board_clock.mhz()}, {"link_clock_mhz", p.link_clock.mhz()},
          {"link_protocol", std::string(chain.link->name())}, {"stages", stages}};
}

nlohmann::json latency_json(const ReplayChain& chain, const ReplayTotals& t) {
  return {{"min_cycles", t.accepted ? t.latency_min_cycles : 0}, {"max_cycles", t.latency_max_cycles},
          {"min_ns", t.latency_min_ns}, {"max_ns", t.latency_max_ns},
          {"mean_ns", t.accepted ? t.latency_sum_ns / static_cast<double>(t.accepted) : 0.0},
          {"budget_ns", chain.pipeline_config.latency_budget_ns}, {"over_budget", t.over_budget}};
}

nlohmann::json summary_json(const ReplayChain& chain, const SummaryCounts& counts, const RunInfo& run) {
  const ReplayTotals& t = counts.totals;
  const auto& names = chain.source->samples();
  nlohmann::json samples = nlohmann::json::object();
  for (std::size_t s = 0; s < t.samples.size(); ++s) samples[names[s]] = {{"events", t.samples[s].events}, {"accepted", t.samples[s].accepted}};
  // Dead time: events the pipeline could not take; events lost on the links are counted apart.
  const std::uint64_t dropped = t.dead_time_events();
  const double rate = run.seconds > 0 ? static_cast<double>(run.events_this_run) / run.seconds : 0.0;
  nlohmann::json summary = {
      {"scenario", chain.scenario.name},
      {"complete", run.complete},
      {"events", run.events},
      {"model", {{"project", chain.model.project()}, {"score_output", chain.engine.score_output()},
                 {"engine", chain.engine.compiled() ? "compiled" : "reference"}, {"latency_cycles", chain.timing.latency_cycles},
                 {"ii_cycles", chain.timing.ii_cycles},
                 {"timing_source", chain.scenario.board.model_latency_cycles ? "scenario" : chain.timing.estimate.source}}},
      {"board", board_json(chain, counts)},
      {"filling_scheme", chain.scheme ? std::string(chain.scheme->name()) : std::string("test vector BX")},
      {"colliding_bx", chain.colliding},
      {"samples", samples},
      {"dead_time", {{"dropped_events", dropped}, {"fraction", fraction(dropped, run.events)}}},
      {"latency", latency_json(chain, t)},
      {"link", {{"events", counts.link.events}, {"frames", counts.link.frames}, {"errors", counts.link.errors}, {"lost_events", t.link_lost}}},
      {"data", data_problems_json(counts.data)},
      {"bits", bits_json(chain, t)},
      {"run", {{"seconds", run.seconds}, {"events_this_run", run.events_this_run}, {"events_per_second", rate}, {"threads", run.threads}}},
      {"outputs", {{"decisions_h5", chain.paths.h5.string()}, {"decisions_csv", chain.paths.csv.string()}, {"scenario", chain.paths.resolved.string()}}}};
  if (!run.complete) summary["stopped_at_event"] = run.range.first + run.events;
  if (run.shard.sharded()) {
    summary["shard"] = {{"index", run.shard.index}, {"count", run.shard.count}, {"first_event", run.range.first}, {"end_event", run.range.end}};
  }
  return summary;
}

std::string summary_text(const ReplayChain& chain, const SummaryCounts& counts, const RunInfo& run) {
  const ReplayTotals& t = counts.totals;
  const std::uint64_t dropped = t.dead_time_events();
  const double rate = run.seconds > 0 ? static_cast<double>(run.events_this_run) / run.seconds : 0.0;
  std::string text = fmt::format("replay {}: {} events in {:.2f} s ({:.0f} events/s, {} thread(s)){}\n", chain.scenario.name, run.events, run.seconds, rate,
                                 run.threads, run.complete ? "" : fmt::format(" -- interrupted after event {}; continue with --resume", run.events));
  text += fmt::format("model {} ({}), {} at {:g} MHz: model latency {} cycles, II {}; link {}\n", chain.model.project(), chain.engine.score_output(),
                      chain.device.name, chain.pipeline_config.board_clock.mhz(), chain.timing.latency_cycles, chain.timing.ii_cycles, chain.link->name());
  text += fmt::format("latency BX start -> decision: {:.1f} .. {:.1f} ns ({} .. {} board cycles after arrival); dead time {} events ({:.4f} %)\n",
                      t.latency_min_ns, t.latency_max_ns, t.accepted ? t.latency_min_cycles : 0, t.latency_max_cycles, dropped,
                      100.0 * fraction(dropped, run.events));
  text += fmt::format("links {}: {} frames, {} errors detected, {} events lost\n", chain.link->name(), counts.link.frames, counts.link.errors, t.link_lost);
  if (counts.data.events_seen > 0) text += fmt::format("data (events read from the file): {}\n", counts.data.summary());
  const auto& names = chain.source->samples();
  for (std::size_t b = 0; b < chain.menu.size(); ++b) {
    const auto& a = chain.menu.config().bits[b];
    text += fmt::format("  bit {:3} {:<18} >= {:>7}", a.bit, a.name, a.threshold);
    for (std::size_t s = 0; s < t.samples.size(); ++s) {
      const double frac = fraction(t.samples[s].fires_after[b], t.samples[s].events);
      text += fmt::format("  {} {:.4f}", names[s], frac);
      if (s == 0) text += fmt::format(" ({:.1f} kHz)", stream::kOrbitHz * chain.colliding * frac / 1000.0);
    }
    text += "\n";
  }
  text += fmt::format("outputs in {}\n", chain.paths.dir.string());
  return text;
}

}  // namespace

LinkCounters CountsBeforeRange::link_since(const LinkCounters& now) const {
  return {now.events - link.events, now.frames - link.frames, now.errors - link.errors};
}

std::vector<StageCounters> CountsBeforeRange::stages_since(const std::vector<StageCounters>& now) const {
  std::vector<StageCounters> out = now;
  for (std::size_t i = 0; i < out.size() && i < stages.size(); ++i) {
    out[i].started -= stages[i].started;
    out[i].dropped -= stages[i].dropped;
    out[i].waited_cycles -= stages[i].waited_cycles;
  }
  return out;
}

stream::DataPolicyCounters CountsBeforeRange::data_since(const stream::DataPolicyCounters& now) const {
  stream::DataPolicyCounters d = now;
  d.events_seen -= data.events_seen;
  d.events_rejected -= data.events_rejected;
  d.non_finite -= data.non_finite;
  d.negative_pt -= data.negative_pt;
  d.eta_out_of_acceptance -= data.eta_out_of_acceptance;
  d.wrong_class -= data.wrong_class;
  d.objects_zeroed -= data.objects_zeroed;
  d.values_clamped -= data.values_clamped;
  return d;
}

ReplaySummary summarize(const ReplayChain& chain, const SummaryCounts& counts, const RunInfo& run) {
  return {summary_json(chain, counts, run).dump(1) + "\n", summary_text(chain, counts, run)};
}

}  // namespace l1emu::board::detail
