// End-to-end replay of generated events as `l1emu replay` runs it: generator -> filling scheme ->
// links -> feature builder + demo model -> pipeline -> menu -> decision log (HDF5, no CSV) in a
// temporary folder. Arguments: link protocol (0 direct, 1 ugt-mp7, 2 emp64) and threads.
// Baseline beside it: the generator and to_event alone, the sequential part every replay of
// generated events waits for. events/s via SetItemsProcessed, wall-clock time (helper threads).
#include <benchmark/benchmark.h>

#include <array>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "l1emu/board/replay.h"
#include "l1emu/board/scenario.h"
#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/event_generator.h"

namespace {

namespace b = l1emu::board;
namespace s = l1emu::stream;
namespace fs = std::filesystem;

constexpr std::uint64_t kEvents = 200000;
constexpr std::array<const char*, 3> kProtocols = {"direct", "ugt-mp7", "emp64"};

void BM_ReplayGenerated(benchmark::State& state) {
  const char* protocol = kProtocols[static_cast<std::size_t>(state.range(0))];
  const int threads = static_cast<int>(state.range(1));
  const fs::path dir = fs::temp_directory_path() / ("l1emu_replay_bench_" + std::to_string(::getpid()));
  b::Scenario scenario = b::load_scenario(fs::path(L1EMU_SOURCE_DIR) / "scenarios" / "quickstart.yaml",
                                          {std::string("links.protocol=") + protocol, "output.csv=false", "output.dir=" + dir.string()});
  // Background only: the signal samples are slower to generate and would dominate a short run.
  scenario.source.samples.resize(1);
  scenario.source.samples[0].events = kEvents;
  b::ReplayOptions options;
  options.threads = threads;
  std::uint64_t events = 0;
  for (auto _ : state) {
    const b::ReplayResult r = b::run_replay(scenario, options);
    events += r.events;
  }
  fs::remove_all(dir);
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.SetLabel(std::string(protocol) + ", " + std::to_string(threads) + " thread(s)");
}
BENCHMARK(BM_ReplayGenerated)
    ->ArgsProduct({{0, 1, 2}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(2);

void BM_GeneratorToEventBaseline(benchmark::State& state) {
  s::EventGenerator g({.process = s::Process::background, .seed = 2026});
  for (auto _ : state) benchmark::DoNotOptimize(s::to_event(g.next()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GeneratorToEventBaseline);

}  // namespace

BENCHMARK_MAIN();
