// Links: encode and decode throughput per protocol (events/s via SetItemsProcessed), pattern-file
// write and parse per format, and the fault injector. Baseline: packing the objects into their uGT
// words alone (the least any encoder does per event).
#include <benchmark/benchmark.h>

#include <sstream>
#include <string>
#include <vector>

#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/event_generator.h"
#include "l1emu/stream/fault_injector.h"
#include "l1emu/stream/filling_scheme.h"
#include "l1emu/stream/link_protocol.h"
#include "l1emu/stream/pattern_file.h"

namespace {

namespace s = l1emu::stream;

constexpr std::size_t kEvents = 20000;

/// Background events on every BX slot, made once.
const std::vector<s::Event>& events() {
  static const std::vector<s::Event> e = [] {
    s::EventGenerator g({.process = s::Process::background, .seed = 1});
    const auto scheme = s::make_filling_scheme({"all", {}});
    s::BxAssigner assigner(*scheme);
    std::vector<s::Event> out(kEvents);
    for (auto& ev : out) {
      ev = s::to_event(g.next());
      assigner.assign(ev);
    }
    return out;
  }();
  return e;
}

s::LinkProtocolConfig config(int which) {
  s::LinkProtocolConfig c;
  if (which == 0) return c;  // ugt-mp7
  c.name = "emp64";
  c.crc = which == 2;
  return c;
}

void label(benchmark::State& state, int which) {
  state.SetLabel(which == 0 ? "ugt-mp7" : which == 1 ? "emp64 tmux6" : "emp64 tmux6 crc");
}

void BM_PackWordsBaseline(benchmark::State& state) {
  const auto& ev = events();
  for (auto _ : state) {
    std::uint64_t x = 0;
    for (const auto& e : ev) {
      for (const auto& m : e.muons) x ^= m.pack();
      for (const auto& g : e.egammas) x ^= g.pack();
      for (const auto& t : e.taus) x ^= t.pack();
      for (const auto& j : e.jets) x ^= j.pack();
      for (const auto& u : e.sums) x ^= u.pack();
    }
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * ev.size()));
}
BENCHMARK(BM_PackWordsBaseline)->Unit(benchmark::kMillisecond);

void BM_Encode(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));
  const auto protocol = s::make_link_protocol(config(which));
  const auto& ev = events();
  for (auto _ : state) {
    auto frames = protocol->encode(ev);
    benchmark::DoNotOptimize(frames.links.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * ev.size()));
  label(state, which);
}
BENCHMARK(BM_Encode)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_Decode(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));
  const auto protocol = s::make_link_protocol(config(which));
  const auto& ev = events();
  const s::LinkFrames frames = protocol->encode(ev);
  for (auto _ : state) {
    auto result = protocol->decode(frames);
    benchmark::DoNotOptimize(result.events.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * ev.size()));
  label(state, which);
}
BENCHMARK(BM_Decode)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

const char* format_name(int i) { return i == 0 ? "emp-v1" : i == 1 ? "emp-v2" : "apx"; }

/// Pattern files of the ugt-mp7 frames of 2000 events (12000 frames on 11 links); items = frames.
void BM_PatternWrite(benchmark::State& state) {
  const auto format = s::make_pattern_format(format_name(static_cast<int>(state.range(0))));
  const auto protocol = s::make_link_protocol({});
  const std::vector<s::Event> ev(events().begin(), events().begin() + 2000);
  const s::LinkFrames frames = protocol->encode(ev);
  for (auto _ : state) {
    std::ostringstream out;
    format->write(out, frames, 0, frames.frame_count());
    benchmark::DoNotOptimize(out.str().size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames.frame_count()));
  state.SetLabel(std::string(format->name()) + ", items = frames of 11 links");
}
BENCHMARK(BM_PatternWrite)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_PatternRead(benchmark::State& state) {
  const auto format = s::make_pattern_format(format_name(static_cast<int>(state.range(0))));
  const auto protocol = s::make_link_protocol({});
  const std::vector<s::Event> ev(events().begin(), events().begin() + 2000);
  const s::LinkFrames frames = protocol->encode(ev);
  std::ostringstream out;
  format->write(out, frames, 0, frames.frame_count());
  const std::string text = out.str();
  for (auto _ : state) {
    std::istringstream in(text);
    auto back = format->read(in, "bench");
    benchmark::DoNotOptimize(back.links.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames.frame_count()));
  state.SetLabel(std::string(format->name()) + ", items = frames of 11 links");
}
BENCHMARK(BM_PatternRead)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_InjectBitFlips(benchmark::State& state) {
  const auto protocol = s::make_link_protocol(config(2));
  const s::LinkFrames clean = protocol->encode(events());
  s::FaultConfig c;
  c.bit_flip_rate = 1e-4;
  s::FaultInjector injector(c);
  for (auto _ : state) {
    state.PauseTiming();
    s::LinkFrames frames = clean;
    state.ResumeTiming();
    auto report = injector.inject(frames);
    benchmark::DoNotOptimize(report.faults.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events().size()));
  state.SetLabel("emp64 crc, 1e-4 per bit");
}
BENCHMARK(BM_InjectBitFlips)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
