#include "l1emu/board/shard_merge.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l1emu/board/decision_record_reader.h"
#include "l1emu/board/error.h"
#include "l1emu/board/scenario.h"
#include "l1emu/emu/io/atomic_file.h"
#include "replay_chain.h"
#include "replay_summary.h"

namespace l1emu::board {
namespace fs = std::filesystem;
using detail::ReplayChain;

namespace {

// What merge needs of one shard's folder.
struct ShardOutputs {
  fs::path dir;
  Shard shard;
  EventRange range;
  std::uint64_t events = 0;
  std::string scenario_yaml;  // resolved, with the merge's output folder
  nlohmann::json summary;
};

nlohmann::json read_summary(const fs::path& dir) {
  const fs::path file = dir / "summary.json";
  if (!fs::exists(file)) throw BoardError(fmt::format("{}: not a replay output (no summary.json)", dir.string()));
  std::ifstream in(file);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw BoardError(fmt::format("{}: not a replay summary (expected a JSON object)", file.string()));
  return j;
}

ShardOutputs read_shard(const fs::path& dir, const fs::path& output_dir) {
  ShardOutputs s;
  s.dir = dir;
  s.summary = read_summary(dir);
  const auto& j = s.summary;
  if (!j.contains("shard")) throw BoardError(fmt::format("{}: not a shard (replayed without --shard I/N)", dir.string()));
  try {
    s.shard = {j["shard"]["index"].get<std::uint32_t>(), j["shard"]["count"].get<std::uint32_t>()};
    s.range = {j["shard"]["first_event"].get<std::uint64_t>(), j["shard"]["end_event"].get<std::uint64_t>()};
    s.events = j["events"].get<std::uint64_t>();
    if (!j["complete"].get<bool>()) {
      throw BoardError(fmt::format("{}: shard {}/{} is incomplete (stopped at event {}); finish it with replay --resume --shard {}/{}", dir.string(),
                                   s.shard.index, s.shard.count, j.value("stopped_at_event", std::uint64_t{0}), s.shard.index, s.shard.count));
    }
  } catch (const nlohmann::json::exception& e) {
    throw BoardError(fmt::format("{}: summary.json lacks what merge reads ({})", dir.string(), e.what()));
  }
  // The shards ran with their own output folders: compared (and merged) with the merge's.
  s.scenario_yaml = to_yaml(load_scenario(dir / "scenario.resolved.yaml", {"output.dir=" + output_dir.string()}));
  return s;
}

// Every check before anything is written; the shards sorted by index.
std::vector<ShardOutputs> read_shards(const std::vector<fs::path>& dirs, const fs::path& output_dir) {
  if (dirs.empty()) throw BoardError("merge: no shard folders given");
  std::vector<ShardOutputs> shards;
  for (const auto& d : dirs) {
    if (fs::exists(output_dir) && fs::exists(d) && fs::equivalent(d, output_dir)) {
      throw BoardError(fmt::format("{}: the output folder is one of the shards; merge into another folder", output_dir.string()));
    }
    shards.push_back(read_shard(d, output_dir));
  }
  std::sort(shards.begin(), shards.end(), [](const auto& a, const auto& b) { return a.shard.index < b.shard.index; });
  const ShardOutputs& first = shards.front();
  for (const auto& s : shards) {
    if (s.shard.count != first.shard.count) {
      throw BoardError(fmt::format("{} is shard {}/{} but {} is shard {}/{}: shards of different splits", s.dir.string(), s.shard.index, s.shard.count,
                                   first.dir.string(), first.shard.index, first.shard.count));
    }
    if (s.scenario_yaml != first.scenario_yaml) {
      throw BoardError(fmt::format("{}: a shard of a different scenario than {} (their scenario.resolved.yaml differ beyond the output folder)",
                                   s.dir.string(), first.dir.string()));
    }
  }
  for (std::size_t i = 1; i < shards.size(); ++i) {
    if (shards[i].shard.index == shards[i - 1].shard.index) {
      throw BoardError(fmt::format("{} and {} are both shard {}/{}: overlapping shards", shards[i - 1].dir.string(), shards[i].dir.string(),
                                   shards[i].shard.index, shards[i].shard.count));
    }
  }
  std::uint64_t next = 0;
  for (std::uint32_t i = 0; i < first.shard.count; ++i) {
    if (i >= shards.size() || shards[i].shard.index != i) throw BoardError(fmt::format("shard {}/{} is missing (given: {} folder(s))", i, first.shard.count, shards.size()));
    const auto& s = shards[i];
    if (s.range.first != next || s.events > s.range.size()) {
      throw BoardError(fmt::format("{}: shard {}/{} holds events [{}, {}) where [{}, ...) follows the shards before it", s.dir.string(), i,
                                   s.shard.count, s.range.first, s.range.first + s.events, next));
    }
    next = s.range.end;
  }
  return shards;
}

// Counters a shard's summary reports over its own events, added up over the shards.
struct SummedCounts {
  LinkCounters link;
  std::vector<StageCounters> stages;
  stream::DataPolicyCounters data;
  double seconds = 0.0;
};

SummedCounts sum_counts(const std::vector<ShardOutputs>& shards, std::size_t stage_count) {
  SummedCounts c;
  c.stages.resize(stage_count);
  for (const auto& s : shards) {
    const auto& j = s.summary;
    c.link.events += j["link"]["events"].get<std::uint64_t>();
    c.link.frames += j["link"]["frames"].get<std::uint64_t>();
    c.link.errors += j["link"]["errors"].get<std::uint64_t>();
    for (std::size_t i = 0; i < stage_count; ++i) {
      c.stages[i].dropped += j["board"]["stages"][i]["dropped"].get<std::uint64_t>();
      c.stages[i].max_fifo = std::max(c.stages[i].max_fifo, j["board"]["stages"][i]["max_fifo"].get<std::uint64_t>());
    }
    const auto& d = j["data"];
    stream::DataPolicyCounters sd;
    sd.events_seen = d["events_read"];
    sd.events_rejected = d["events_rejected"];
    sd.non_finite = d["rows_non_finite"];
    sd.negative_pt = d["rows_negative_pt"];
    sd.eta_out_of_acceptance = d["rows_eta_out_of_acceptance"];
    sd.wrong_class = d["rows_wrong_class"];
    sd.objects_zeroed = d["objects_zeroed"];
    sd.values_clamped = d["values_clamped"];
    c.data += sd;
    c.seconds += j["run"]["seconds"].get<double>();
  }
  return c;
}

// The shards' rows in event order into one log; prescale counters run again over the whole run.
void merge_rows(const std::vector<ShardOutputs>& shards, ReplayChain& chain, detail::ReplayTotals& totals) {
  fs::create_directories(chain.paths.dir);
  auto log = DecisionLog::create(chain.paths.h5, chain.paths.csv, detail::log_header(chain));
  MenuState prescales = chain.menu.make_state();
  std::vector<DecisionRecord> records;
  for (const auto& s : shards) {
    DecisionRecordReader reader(s.dir / kDecisionLogFile);
    if (reader.size() != s.events) {
      throw BoardError(fmt::format("{}: {} rows where its summary.json counts {} events", reader.path().string(), reader.size(), s.events));
    }
    std::uint64_t expected = s.range.first;
    while (reader.read_next(records)) {
      for (auto& r : records) {
        if (r.event != expected) throw BoardError(fmt::format("{}: row of event {} where event {} was expected", reader.path().string(), r.event, expected));
        ++expected;
        r.bits_after_prescale = chain.menu.prescale(r.bits_before_prescale, prescales);
        totals.add(r);
        log->append(r);
      }
    }
  }
  log->commit();
}

void write_atomic(const fs::path& path, const std::string& text) {
  emu::AtomicFile f(path);
  f.stream() << text;
  f.commit();
}

}  // namespace

MergeResult merge_shards(const std::vector<fs::path>& shard_dirs, const fs::path& output_dir) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<ShardOutputs> shards = read_shards(shard_dirs, output_dir);
  ReplayChain chain(load_scenario(shard_dirs.front() / "scenario.resolved.yaml", {"output.dir=" + output_dir.string()}), ReplayOptions{});
  detail::ReplayTotals totals(chain.source->samples().size(), chain.menu.size(), chain.pipeline_config.latency_budget_ns);
  merge_rows(shards, chain, totals);
  const SummedCounts c = sum_counts(shards, chain.pipeline_config.stages.size());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // The run's time: the shards' replays added up, and the merge.
  const detail::RunInfo run{true, totals.events, totals.events, c.seconds + seconds, chain.threads, Shard{}, EventRange{0, totals.events}};
  const detail::ReplaySummary summary = detail::summarize(chain, {totals, c.stages, c.link, c.data}, run);
  write_atomic(chain.paths.resolved, chain.resolved_yaml);
  write_atomic(chain.paths.summary, summary.json);
  return {totals.events, shards.size(), chain.paths.dir, summary.json, summary.text};
}

}  // namespace l1emu::board
