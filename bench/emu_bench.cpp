// Throughput of the evaluators (events/s via items_per_second). The reference evaluator is the
// baseline of the throughput issue: the compiled engine is measured beside it on the same models.
// Models: the vae_paper and AXOL1TL v3 golden models from $L1EMU_SHARED_DIR (default ../shared),
// and the shipped examples/demo_vae (same architecture as vae_paper) which needs no shared data.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace {

namespace fs = std::filesystem;
using namespace l1emu::emu;

fs::path shared_dir() {
  if (const char* env = std::getenv("L1EMU_SHARED_DIR"); env != nullptr && *env != '\0') return env;
  return fs::path(L1EMU_SOURCE_DIR) / ".." / "shared";
}

// Random input codes spanning each input type's range (a fixed seed: every run sees the same events).
std::vector<std::vector<std::vector<BigInt>>> random_events(const Model& model, std::size_t count) {
  std::mt19937_64 rng(12345);
  std::vector<std::vector<std::vector<BigInt>>> events(count);
  for (auto& event : events) {
    for (const auto& in : model.inputs()) {
      const double lo = to_double(in.type.min_code(), in.type), hi = to_double(in.type.max_code(), in.type);
      std::uniform_real_distribution<double> value(lo / 4, hi / 4);
      std::vector<BigInt> codes;
      for (std::size_t i = 0; i < in.size; ++i) codes.push_back(from_double(value(rng), in.type));
      event.push_back(std::move(codes));
    }
  }
  return events;
}

void reference_evaluator(benchmark::State& state, const fs::path& model_path) {
  if (!fs::exists(model_path)) {
    state.SkipWithError(("model not found: " + model_path.string()).c_str());
    return;
  }
  const Model model = load_model_json(model_path);
  const ReferenceEvaluator evaluator(model);
  const auto events = random_events(model, 256);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(evaluator.evaluate(events[i++ % events.size()]));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// The compiled engine on the same random events (as input codes, event-major, in batches).
// ->Threads(2) runs two copies at once, each with its own workspace: items_per_second is the sum.
void compiled_engine(benchmark::State& state, const fs::path& model_path) {
  if (!fs::exists(model_path)) {
    state.SkipWithError(("model not found: " + model_path.string()).c_str());
    return;
  }
  static std::map<std::string, std::unique_ptr<Model>> models;  // shared by the benchmark threads
  static std::mutex lock;
  const Model* model = nullptr;
  {
    std::lock_guard guard(lock);
    auto& slot = models[model_path.string()];
    if (!slot) slot = std::make_unique<Model>(load_model_json(model_path));
    model = slot.get();
  }
  const CompiledModel compiled(*model);
  auto ws = compiled.make_workspace();
  const auto events = random_events(*model, 1024);
  std::vector<std::int64_t> inputs;
  for (const auto& event : events) {
    for (const auto& array : event) {
      for (const auto& code : array) inputs.push_back(code.convert_to<std::int64_t>());
    }
  }
  std::vector<std::int64_t> outputs(CompiledModel::kBatch * compiled.output_width());
  const std::size_t width = compiled.input_width(), batches = events.size() / CompiledModel::kBatch;
  std::size_t b = 0;
  for (auto _ : state) {
    compiled.evaluate(ws, inputs.data() + (b++ % batches) * CompiledModel::kBatch * width, CompiledModel::kBatch, outputs.data());
    benchmark::DoNotOptimize(outputs.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * CompiledModel::kBatch));
}

BENCHMARK_CAPTURE(compiled_engine, vae_paper, shared_dir() / "golden/hls4ml/vae_paper/model.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(compiled_engine, vae_paper, shared_dir() / "golden/hls4ml/vae_paper/model.json")->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(compiled_engine, axol1tl_v3, shared_dir() / "golden/axol1tl/v3/model.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(compiled_engine, axol1tl_v3, shared_dir() / "golden/axol1tl/v3/model.json")->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(compiled_engine, demo_vae, fs::path(L1EMU_SOURCE_DIR) / "examples/demo_vae/model.json")->Unit(benchmark::kMicrosecond);
// Convolutional and softmax models (the layer catalogue): the seed paper's CNN AE encoder, a model
// in CICADA v2's shape and types, a jet-tagger-shaped MLP with a softmax head.
BENCHMARK_CAPTURE(compiled_engine, cnn_ae_paper, shared_dir() / "golden/hls4ml2/cnn_ae_paper/model.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(compiled_engine, cnn_ae_paper, shared_dir() / "golden/hls4ml2/cnn_ae_paper/model.json")->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(compiled_engine, cicada_v2_shape, fs::path(L1EMU_SOURCE_DIR) / "examples/cicada_v2_shape/model.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(compiled_engine, cicada_v2_shape, fs::path(L1EMU_SOURCE_DIR) / "examples/cicada_v2_shape/model.json")->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(compiled_engine, softmax_mlp, fs::path(L1EMU_SOURCE_DIR) / "examples/softmax_mlp/model.json")->Unit(benchmark::kMicrosecond);

BENCHMARK_CAPTURE(reference_evaluator, vae_paper, shared_dir() / "golden/hls4ml/vae_paper/model.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(reference_evaluator, axol1tl_v3, shared_dir() / "golden/axol1tl/v3/model.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(reference_evaluator, cicada_v2_shape, fs::path(L1EMU_SOURCE_DIR) / "examples/cicada_v2_shape/model.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(reference_evaluator, demo_vae, fs::path(L1EMU_SOURCE_DIR) / "examples/demo_vae/model.json")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
