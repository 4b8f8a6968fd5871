// The board's per-event steps: pipeline timing (exact rational clock crossing), menu decisions,
// score engine (feature builder + compiled model) and the feature builder alone as its baseline;
// events/s via SetItemsProcessed.
#include <benchmark/benchmark.h>

#include <vector>

#include "l1emu/board/menu.h"
#include "l1emu/board/pipeline.h"
#include "l1emu/board/score_engine.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/event_generator.h"

namespace {

namespace b = l1emu::board;
namespace s = l1emu::stream;

const std::vector<s::Event>& events() {
  static const std::vector<s::Event> ev = [] {
    s::EventGenerator g({.process = s::Process::background, .seed = 3});
    std::vector<s::Event> v;
    for (int i = 0; i < 4096; ++i) v.push_back(s::to_event(g.next()));
    return v;
  }();
  return ev;
}

void BM_PipelinePush(benchmark::State& state) {
  b::PipelineConfig c;
  c.stages = {{"unpack", 2, 1, 0}, {"model", 16, 1, 4}, {"menu", 1, 1, 0}};
  b::Pipeline p(c);
  std::uint64_t bx = 0;
  for (auto _ : state) benchmark::DoNotOptimize(p.push(bx++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PipelinePush);

void BM_MenuDecide(benchmark::State& state) {
  b::MenuConfig c;
  for (int i = 0; i < 5; ++i) c.bits.push_back({438 + i, "b", 1000 * (i + 1), 1, std::nullopt});
  const b::Menu m(c);
  b::MenuState st = m.make_state();
  std::int64_t score = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m.decide(score, static_cast<std::uint16_t>(score % 3564), st));
    score = (score + 977) % 8000;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MenuDecide);

void BM_FeatureBuilderPhysical57(benchmark::State& state) {
  auto builder = b::make_feature_builder({"physical57", b::MuonPhi::vertex});
  std::vector<float> f(57);
  std::size_t i = 0;
  for (auto _ : state) {
    builder->build(events()[i++ % events().size()], f);
    benchmark::DoNotOptimize(f.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FeatureBuilderPhysical57);

void BM_ScoreEngineDemoVae(benchmark::State& state) {
  const l1emu::emu::Model model = l1emu::emu::load_model(std::string(L1EMU_SOURCE_DIR) + "/examples/demo_vae/model.json");
  b::ScoreEngineConfig c;
  c.features.name = "physical57";
  const b::ScoreEngine engine(model, c);
  auto ws = engine.make_workspace();
  std::vector<b::ScoredEvent> out(events().size());
  for (auto _ : state) {
    engine.score(ws, events(), out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events().size()));
}
BENCHMARK(BM_ScoreEngineDemoVae);

// The decision log's inputs hash (FNV-1a 64 over 57 codes): one event at a time (the definition,
// baseline) and 64 events side by side from lanes, as the score engine computes it.
std::vector<std::int64_t> hash_lanes_input() {
  std::vector<std::int64_t> lanes(57 * 64);
  for (std::size_t i = 0; i < lanes.size(); ++i) lanes[i] = static_cast<std::int64_t>(i * 2654435761U % 4096) - 2048;
  return lanes;
}

void BM_HashCodesPerEvent(benchmark::State& state) {
  const auto lanes = hash_lanes_input();
  std::vector<std::int64_t> row(57);
  for (auto _ : state) {
    for (std::size_t e = 0; e < 64; ++e) {
      for (std::size_t k = 0; k < 57; ++k) row[k] = lanes[k * 64 + e];
      benchmark::DoNotOptimize(b::hash_codes(row));
    }
  }
  state.SetItemsProcessed(state.iterations() * 64);
}
BENCHMARK(BM_HashCodesPerEvent);

void BM_HashCodeLanes(benchmark::State& state) {
  const auto lanes = hash_lanes_input();
  std::vector<std::uint64_t> out(64);
  for (auto _ : state) {
    b::hash_code_lanes(lanes.data(), 64, 57, 64, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 64);
}
BENCHMARK(BM_HashCodeLanes);

}  // namespace

BENCHMARK_MAIN();
