#include "bench_chain.h"
#include "bench_threads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <span>
#include <vector>

#include "l1emu/board/score_engine.h"
#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/event_generator.h"

namespace l1emu::app {

ChainBenchResult bench_replay_chain(const emu::Model& model, const std::string& features, std::size_t events, unsigned threads) {
  board::ScoreEngineConfig config;
  config.features.name = features;
  config.origin = "bench --features " + features;
  const board::ScoreEngine engine(model, config);

  constexpr std::size_t kPool = 4096;
  constexpr std::size_t kChunk = 512;  // events per scoring call, as the replay's workers take them
  std::vector<stream::Event> pool(kPool);
  stream::EventGenerator generator({.process = stream::Process::background, .seed = 2022});
  for (auto& e : pool) stream::to_event(generator.next(), e);

  std::atomic<std::int64_t> checksum{0};
  const auto start = std::chrono::steady_clock::now();
  on_threads(threads, events, [&](unsigned, std::size_t begin, std::size_t end) {
    auto ws = engine.make_workspace();
    std::vector<board::ScoredEvent> scored(kChunk);
    std::int64_t sum = 0;
    // Event e is pool[e % kPool] whatever the thread count (a chunk stops at the pool's end).
    for (std::size_t e = begin; e < end;) {
      const std::size_t first = e % kPool;
      const std::size_t count = std::min({kChunk, end - e, kPool - first});
      engine.score(ws, std::span<const stream::Event>(pool).subspan(first, count), std::span<board::ScoredEvent>(scored).first(count));
      for (std::size_t i = 0; i < count; ++i) sum += scored[i].score + static_cast<std::int64_t>(scored[i].inputs_hash & 0xff);
      e += count;
    }
    checksum += sum;
  });
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), checksum.load()};
}

}  // namespace l1emu::app
