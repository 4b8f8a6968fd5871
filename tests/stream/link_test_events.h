#pragma once
// Events for the link tests: generated background events (the generator API) stamped onto a filling
// scheme, and events with every field of every object drawn at random, so every bit of every link
// word is exercised (the generator fills only some slots).
#include <cstddef>
#include <string>
#include <vector>

#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/event.h"
#include "l1emu/stream/event_generator.h"
#include "l1emu/stream/filling_scheme.h"
#include "l1emu/stream/random.h"

namespace l1emu::stream::testing {

inline std::vector<Event> generated_events(std::size_t n, const std::string& scheme_name = "all", std::uint64_t seed = 11) {
  GeneratorConfig config;
  config.seed = seed;
  EventGenerator generator(config);
  const auto scheme = make_filling_scheme({scheme_name, {}});
  BxAssigner assigner(*scheme);
  std::vector<Event> events(n);
  for (std::size_t i = 0; i < n; ++i) {
    events[i] = to_event(generator.next());
    events[i].event_id = static_cast<std::int64_t>(i);
    assigner.assign(events[i]);
  }
  return events;
}

/// 10^5 generated events on every slot, made once per test program.
inline const std::vector<Event>& hundred_thousand_events() {
  static const std::vector<Event> events = generated_events(100000);
  return events;
}

/// Every object field random (any bit pattern the uGT words can hold), BX consecutive from 0.
inline std::vector<Event> random_field_events(std::size_t n, std::uint64_t seed = 5) {
  Random rng(seed);
  std::vector<Event> events(n);
  for (std::size_t i = 0; i < n; ++i) {
    Event& e = events[i];
    e.event_id = static_cast<std::int64_t>(i);
    e.orbit = i / 3564;
    e.bx = static_cast<std::uint16_t>(i % 3564);
    const auto u32 = [&] { return static_cast<std::uint32_t>(rng.next_u64()); };
    for (auto& m : e.muons) m = Muon::unpack(rng.next_u64());
    for (auto& g : e.egammas) g = EGamma::unpack(u32());
    for (auto& t : e.taus) t = Tau::unpack(u32());
    for (auto& j : e.jets) j = Jet::unpack(u32());
    for (auto& s : e.sums) s = EnergySum::unpack(u32());
  }
  return events;
}

}  // namespace l1emu::stream::testing
