#pragma once
// Where events come from, for `replay` and `patterns encode` alike: the generator's samples, a
// 40 MHz dataset file or a uGT test vector, behind one interface, registered by kind (the scenario's
// source.kind) in the one registry template (l1emu/registry/registry.h). A source gives events in
// order; the generator can also make a batch in pieces on several threads (its stream is seeded per
// block), which gives the same events as next().
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "l1emu/board/scenario.h"
#include "l1emu/stream/data_policy.h"
#include "l1emu/stream/event.h"
#include "l1emu/stream/event_generator.h"
#include "l1emu/stream/work_pool.h"

namespace l1emu::board {

/// Events of a batch that a parallel source makes in one piece of work (one thread): consecutive
/// events of one sample inside one block of its generator's stream.
struct SourcePiece {
  std::uint8_t sample = 0;
  std::uint64_t first_index = 0;  // in the sample's stream
  std::size_t offset = 0;         // in the batch
  std::size_t count = 0;
  std::unique_ptr<stream::EventGenerator> generator;  // the carried generator, or made by make()
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  /// The next event (objects and event id; the BX when the source has its own) and its sample.
  virtual bool next(stream::Event& event, std::uint8_t& sample) = 0;
  [[nodiscard]] virtual const std::vector<std::string>& samples() const = 0;
  /// Events the source holds (a dataset's records before the data policy rejects any): what the
  /// shard split divides.
  [[nodiscard]] virtual std::uint64_t size() const = 0;
  /// Moves past the next `n` events (fewer at the end of the source) without giving them; returns
  /// how many. The default reads them; the generator only moves its position (its blocks are
  /// seeded on their own).
  virtual std::uint64_t skip(std::uint64_t n) {
    stream::Event event;
    std::uint8_t sample = 0;
    std::uint64_t done = 0;
    while (done < n && next(event, sample)) ++done;
    return done;
  }
  /// True when events carry their own orbit/BX (test vectors), false when a filling scheme stamps them.
  [[nodiscard]] virtual bool has_own_bx() const { return false; }
  /// True when the source can make a batch in pieces on several threads: plan() takes the batch's
  /// events on the calling thread (samples and pieces), make() fills a piece on any thread, and
  /// finish() closes the batch (all in batch order). The events equal those of next().
  [[nodiscard]] virtual bool parallel() const { return false; }
  /// Plans up to `want` events; returns how many (fewer only at the end of the source).
  virtual std::size_t plan(std::size_t /*want*/, std::vector<std::uint8_t>& /*samples*/, std::vector<SourcePiece>& /*pieces*/) { return 0; }
  virtual void make(SourcePiece& /*piece*/, std::span<stream::Event> /*out*/) const {}
  virtual void finish(std::vector<SourcePiece>& /*pieces*/) {}
  /// Lets the source hand independent parts of its reading to the threads of `pool` (a dataset's
  /// chunks are inflated ahead there); nullptr takes them back, after the parts in flight are
  /// done. The events are the same either way. The pool must outlive its use.
  virtual void share_work(stream::WorkPool* /*pool*/) {}
  /// Data problems met so far and what the data policy did with them (zero for sources that make
  /// their events, like the generator).
  [[nodiscard]] virtual stream::DataPolicyCounters data_problems() const { return {}; }
};

/// What a source takes beside the scenario's source section.
struct EventSourceOptions {
  stream::DataPolicyConfig data_policy;  // dataset files: what to do with bad rows
  bool require_full_orbit = true;        // test vectors: exactly one orbit, BX in order (uGT test benches)
};

using EventSourceFactory = std::function<std::unique_ptr<EventSource>(const SourceConfig&, const EventSourceOptions&)>;

/// Registers a kind of source (built in: generator, dataset, testvector); returns true, so that it
/// can initialise a static in one line.
bool register_event_source(std::string kind, EventSourceFactory factory);
[[nodiscard]] std::vector<std::string> event_source_names();
/// The source of config.kind; throws registry::UnknownNameError listing the kinds.
[[nodiscard]] std::unique_ptr<EventSource> make_event_source(const SourceConfig& config, const EventSourceOptions& options = {});

}  // namespace l1emu::board
