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

}  // namespace

BENCHMARK_MAIN();
