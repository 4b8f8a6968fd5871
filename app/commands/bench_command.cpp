// l1emu bench: encoder throughput on random inputs in the model's input range.
#include <exception>
#include <boost/program_options.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_chain.h"
#include "bench_threads.h"
#include "command.h"
#include "command_line.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace po = boost::program_options;

namespace l1emu::app {
namespace {

constexpr const char* kUsage =
    "usage: l1emu bench --model PATH [--events N] [--engine compiled|reference] [--threads N] [--isa NAME]\n"
    "                   [--profile] [--features NAME]\n\n"
    "Measures how many events per second the encoder evaluates: random input codes spread over each\n"
    "input type's range (a fixed seed), evaluated N times in all (default 10^8 compiled, 10^4\n"
    "reference), split over the threads. Prints one line 'events_per_second: X', then the engine,\n"
    "threads, the instruction set the compiled kernels dispatched to and the CPU's vector features.\n"
    "Events are handed over in lanes (structure of arrays), as the board's feature builder delivers\n"
    "them; text parsing and output formatting are not included. --isa NAME runs the kernels as if the\n"
    "CPU had nothing better than NAME (one of the sets listed by --isa list), to compare them.\n"
    "--profile (compiled engine) then prints each layer's kernel and its share of the time, in ns\n"
    "per event (summed over the threads), to show where a model spends it.\n"
    "--features NAME times the replay's own chain instead: generated L1 events through feature builder\n"
    "NAME (physical57, axo57, ...), their input codes, the model and the inputs hash, as 'l1emu\n"
    "replay' scores them (board::ScoreEngine, chunks of 512 events); the model's last output is the\n"
    "score. The events are made before the clock starts.\n\n";

std::string cpu_features() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, model = "unknown CPU", features;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0 && model == "unknown CPU") model = line.substr(line.find(':') + 2);
    if (line.rfind("flags", 0) == 0 && features.empty()) {
      for (const char* f : {"sse4_2", "avx2", "avx512f", "avx512bw", "avx512_vnni"}) {
        if (line.find(std::string(" ") + f) != std::string::npos) features += std::string(features.empty() ? "" : " ") + f;
      }
    }
  }
  return model + " [" + features + "]";
}

int run(const std::vector<std::string>& args) {
  std::string model_path, engine = "compiled", isa;
  long long events = -1;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  po::options_description options("options");
  options.add_options()("help,h", "print this help")("model", po::value(&model_path), "model.json or a directory holding one")(
      "events", po::value(&events), "events to evaluate")("engine", po::value(&engine), "compiled (default) or reference")(
      "threads", po::value(&threads), "threads (default: all cores)")(
      "isa", po::value(&isa), "instruction set of the compiled kernels (default: the CPU's best; 'list' prints them)")(
      "profile", "print the time per layer (compiled engine)")(
      "features", po::value<std::string>(), "time the replay's chain: events -> this feature builder -> codes -> model");
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kUsage, vm)) return 0;
  if (isa == "list") {
    for (const auto& name : emu::available_vector_isas()) std::printf("%s\n", name.c_str());
    return 0;
  }
  if (!isa.empty()) {
    try {
      emu::restrict_vector_isa(isa);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  if (model_path.empty()) throw UsageError("--model is required");
  if (engine != "compiled" && engine != "reference") throw UsageError("unknown engine '" + engine + "'");
  if (threads == 0) throw UsageError("--threads must be at least 1");
  if (events < 0) events = engine == "compiled" ? 100'000'000 : 10'000;
  if (events == 0) throw UsageError("--events must be positive");

  const emu::Model model = emu::load_model(model_path);
  std::string why;
  if (engine == "compiled" && !emu::CompiledModel::supports(model, &why)) throw std::runtime_error("compiled engine: " + why);
  if (vm.count("features") > 0) {
    if (engine != "compiled" || vm.count("profile") > 0) throw UsageError("--features times the compiled chain; it takes neither --engine reference nor --profile");
    const std::string features = vm["features"].as<std::string>();
    const ChainBenchResult r = bench_replay_chain(model, features, static_cast<std::size_t>(events), threads);
    std::printf("events_per_second: %.0f\n", static_cast<double>(events) / r.seconds);
    std::printf("chain: features %s -> input codes -> model -> inputs hash, threads: %u, events: %lld, seconds: %.3f, model: %s, isa: %s, cpu: %s "
                "(checksum %lld)\n",
                features.c_str(), threads, events, r.seconds, model.project().c_str(), emu::active_vector_isa().c_str(), cpu_features().c_str(),
                static_cast<long long>(r.checksum));
    return 0;
  }

  // A pool of random events, reused cyclically so that memory traffic stays what a stream costs.
  constexpr std::size_t kPool = 4096;
  std::size_t width = 0;
  for (const auto& in : model.inputs()) width += in.size;
  std::mt19937_64 rng(2022);
  std::vector<std::int64_t> pool(kPool * width);
  std::vector<std::vector<std::vector<emu::BigInt>>> reference_pool;
  for (std::size_t e = 0; e < kPool; ++e) {
    std::size_t k = 0;
    std::vector<std::vector<emu::BigInt>> arrays;
    for (const auto& in : model.inputs()) {
      const auto lo = in.type.min_code().convert_to<std::int64_t>(), hi = in.type.max_code().convert_to<std::int64_t>();
      std::uniform_int_distribution<std::int64_t> code(lo + (hi - lo) / 4, hi - (hi - lo) / 4);
      std::vector<emu::BigInt> array;
      for (std::size_t i = 0; i < in.size; ++i, ++k) {
        pool[e * width + k] = code(rng);
        array.emplace_back(pool[e * width + k]);
      }
      arrays.push_back(std::move(array));
    }
    if (engine == "reference") reference_pool.push_back(std::move(arrays));
  }

  std::unique_ptr<emu::CompiledModel> compiled;
  if (engine == "compiled") compiled = std::make_unique<emu::CompiledModel>(model);
  // The same pool in lanes (structure of arrays per batch), as a feature builder delivers events.
  constexpr std::size_t kLanes = emu::CompiledModel::kBatch;
  // 32-bit codes where the input types allow (half the memory traffic), as a feature builder would
  // deliver them.
  std::vector<std::int64_t> lane_pool(pool.size());
  for (std::size_t b = 0; b < kPool / kLanes; ++b) {
    for (std::size_t e = 0; e < kLanes; ++e) {
      for (std::size_t k = 0; k < width; ++k) lane_pool[b * kLanes * width + k * kLanes + e] = pool[(b * kLanes + e) * width + k];
    }
  }
  const bool narrow = compiled && compiled->inputs_fit_32_bits();
  std::vector<std::int32_t> lane_pool32;
  if (narrow) lane_pool32.assign(lane_pool.begin(), lane_pool.end());
  const emu::ReferenceEvaluator reference(model);
  std::atomic<std::int64_t> checksum{0};
  const bool profile = vm.count("profile") > 0 && compiled;
  std::vector<double> layer_ns;  // summed over the threads
  std::mutex profile_mutex;
  const auto total = static_cast<std::size_t>(events);
  const auto start = std::chrono::steady_clock::now();
  // Event e is pool[e % kPool] whatever the engine, thread count or batch size: the compiled
  // engine's threads take whole batches (the pool is whole batches, so a batch is one slot of it).
  // The checksum sums every event's first output code, so it is the same for both engines, any
  // thread count and any instruction set: a bit-exactness check as well as a guard against the
  // work being optimised away.
  static_assert(kPool % kLanes == 0);
  const std::size_t batches = (total + kLanes - 1) / kLanes;
  on_threads(threads, compiled ? batches : total, [&](unsigned, std::size_t begin, std::size_t end) {
    std::int64_t sum = 0;
    if (compiled) {
      auto ws = compiled->make_workspace();
      ws.set_profiling(profile);
      std::vector<std::int64_t> out(kLanes * compiled->output_width());
      for (std::size_t b = begin; b < end; ++b) {
        const std::size_t count = std::min(kLanes, total - b * kLanes);
        const std::size_t offset = (b % (kPool / kLanes)) * kLanes * width;
        // Lane-major outputs: a trigger reads the score of many events, not every output of one.
        constexpr auto kLaneMajor = emu::CompiledModel::OutputLayout::lane_major;
        if (narrow) {
          compiled->evaluate_lanes(ws, lane_pool32.data() + offset, count, out.data(), kLaneMajor);
        } else {
          compiled->evaluate_lanes(ws, lane_pool.data() + offset, count, out.data(), kLaneMajor);
        }
        for (std::size_t e = 0; e < count; ++e) sum += out[e];
      }
      if (profile) {
        const std::lock_guard lock(profile_mutex);
        layer_ns.resize(ws.layer_nanoseconds().size(), 0.0);
        for (std::size_t l = 0; l < layer_ns.size(); ++l) layer_ns[l] += ws.layer_nanoseconds()[l];
      }
    } else {
      for (std::size_t e = begin; e < end; ++e) {
        sum += reference.outputs(reference.evaluate(reference_pool[e % kPool])).front().convert_to<std::int64_t>();
      }
    }
    checksum += sum;  // keeps the work observable
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("events_per_second: %.0f\n", static_cast<double>(total) / seconds);
  std::printf("engine: %s, threads: %u, events: %zu, seconds: %.3f, model: %s, isa: %s, cpu: %s (checksum %lld)\n", engine.c_str(),
              threads, total, seconds, model.project().c_str(), engine == "compiled" ? emu::active_vector_isa().c_str() : "-",
              cpu_features().c_str(), static_cast<long long>(checksum.load()));
  if (profile) {
    double sum = 0.0;
    for (const double ns : layer_ns) sum += ns;
    const auto lines = compiled->describe();
    std::printf("profile (ns per event, summed over threads; the clock reads add a little):\n");
    for (std::size_t l = 0; l < layer_ns.size() && l < lines.size(); ++l) {
      std::printf("  %8.2f ns %5.1f %%  %s\n", layer_ns[l] / static_cast<double>(total), sum > 0 ? 100.0 * layer_ns[l] / sum : 0.0,
                  lines[l].c_str());
    }
    std::printf("  %8.2f ns         all layers\n", sum / static_cast<double>(total));
  }
  return 0;
}

const CommandRegistrar registrar{{"bench", "measure encoder throughput (events/s) on random inputs", &run}};

}  // namespace
}  // namespace l1emu::app
