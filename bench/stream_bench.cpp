// Stream sources: generator, HDF5 writer and reader, data policy + hardware conversion, test-vector
// parsing; events/s via SetItemsProcessed. The generator alone is the baseline for generate+write.
//
// L1EMU_STREAM_BENCH_FILE=<file.h5> makes BM_DatasetSourceFile stream that file once per iteration
// (used to measure the peak memory of a 10-million-event read with /usr/bin/time -v).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "l1emu/stream/dataset_reader.h"
#include "l1emu/stream/dataset_source.h"
#include "l1emu/stream/dataset_writer.h"
#include "l1emu/stream/event_generator.h"
#include "l1emu/stream/test_vector.h"

namespace {

namespace s = l1emu::stream;

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("l1emu_stream_bench_" + name);
}

/// A background file of n events, written once per process.
const std::filesystem::path& sample_file(std::size_t n) {
  static const std::filesystem::path path = [n] {
    auto p = temp_file("sample.h5");
    s::EventGenerator g({.process = s::Process::background, .seed = 1});
    s::DatasetWriter w(p);
    for (std::size_t i = 0; i < n; ++i) w.write(g.next());
    w.close();
    return p;
  }();
  return path;
}

void BM_Generate(benchmark::State& state) {
  s::EventGenerator g({.process = static_cast<s::Process>(state.range(0)), .seed = 1});
  for (auto _ : state) benchmark::DoNotOptimize(g.next());
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(s::to_string(g.config().process)));
}
BENCHMARK(BM_Generate)->DenseRange(0, 4);

void BM_GenerateAndWrite(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto path = temp_file("write.h5");
  for (auto _ : state) {
    s::EventGenerator g({.process = s::Process::background, .seed = 1});
    s::DatasetWriter w(path);
    for (std::size_t i = 0; i < n; ++i) w.write(g.next());
    w.close();
  }
  std::filesystem::remove(path);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_GenerateAndWrite)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_ReadDataset(benchmark::State& state) {
  const auto& path = sample_file(200000);
  std::size_t events = 0;
  std::vector<s::DatasetEvent> chunk;
  for (auto _ : state) {
    s::DatasetReader r(path);
    while (r.next_chunk(chunk)) events += chunk.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_ReadDataset)->Unit(benchmark::kMillisecond);

void stream_source(benchmark::State& state, const std::filesystem::path& path) {
  std::size_t events = 0;
  s::Event e;
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    s::DatasetSource source(path);
    while (source.next(e)) {
      checksum += e.jets[0].hw_et;
      ++events;
    }
  }
  benchmark::DoNotOptimize(checksum);
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

void BM_DatasetSource(benchmark::State& state) { stream_source(state, sample_file(200000)); }
BENCHMARK(BM_DatasetSource)->Unit(benchmark::kMillisecond);

void BM_DatasetSourceFile(benchmark::State& state) {
  const char* file = std::getenv("L1EMU_STREAM_BENCH_FILE");
  if (file == nullptr || *file == '\0') {
    state.SkipWithError("set L1EMU_STREAM_BENCH_FILE to an HDF5 dataset file");
    for (auto _ : state) {
    }
    return;
  }
  stream_source(state, file);
}
BENCHMARK(BM_DatasetSourceFile)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_TestVectorParseFormat(benchmark::State& state) {
  s::EventGenerator g({.process = s::Process::background, .seed = 1});
  s::TestVectorRecord r = s::TestVectorRecord::from_event(s::to_event(g.next()));
  const std::string line = s::format_test_vector_line(r);
  for (auto _ : state) {
    r = s::parse_test_vector_line(line, "bench", 1);
    benchmark::DoNotOptimize(s::format_test_vector_line(r));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TestVectorParseFormat);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove(temp_file("sample.h5"), ec);
  return 0;
}
