#include "l1emu/board/event_source.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "l1emu/board/error.h"
#include "l1emu/registry/registry.h"
#include "l1emu/stream/dataset_source.h"
#include "l1emu/stream/test_vector.h"

namespace l1emu::board {
namespace fs = std::filesystem;
namespace {

/// The generator's samples one after the other, each a stream of its own seed (scenario seed +
/// sample index) with event ids continuing across samples. Parallel: pieces never cross a block of
/// the generator's stream (EventGenerator::kBlockEvents), so each is made by a generator started
/// at its first event, except a batch's first piece, which takes the generator the previous batch
/// left there (a piece continuing a block then generates no event twice).
class GeneratorSource final : public EventSource {
 public:
  explicit GeneratorSource(const SourceConfig& c) : config_(c) {
    std::uint64_t first_id = 0;
    for (const auto& s : c.samples) {
      try {
        (void)stream::parse_process(s.process);
      } catch (const std::invalid_argument& e) {
        throw ConfigError(fmt::format("source.samples: {}", e.what()));
      }
      names_.push_back(s.process);
      first_ids_.push_back(first_id);
      first_id += s.events;
    }
  }
  bool next(stream::Event& event, std::uint8_t& sample) override {
    if (!skip_finished_samples()) return false;
    if (!carry_) carry_ = make_generator(index_, done_in_sample_);
    event = stream::to_event(carry_->next());
    sample = static_cast<std::uint8_t>(index_);
    ++done_in_sample_;
    return true;
  }
  [[nodiscard]] const std::vector<std::string>& samples() const override { return names_; }
  [[nodiscard]] std::uint64_t size() const override {
    std::uint64_t n = 0;
    for (const auto& s : config_.samples) n += s.events;
    return n;
  }
  [[nodiscard]] bool parallel() const override { return true; }
  std::uint64_t skip(std::uint64_t n) override {
    std::uint64_t done = 0;
    while (done < n && skip_finished_samples()) {
      const std::uint64_t k = std::min(n - done, config_.samples[index_].events - done_in_sample_);
      done_in_sample_ += k;
      done += k;
      carry_.reset();  // the next event starts a generator at its own position
    }
    return done;
  }
  std::size_t plan(std::size_t want, std::vector<std::uint8_t>& samples, std::vector<SourcePiece>& pieces) override {
    constexpr std::uint64_t kBlock = stream::EventGenerator::kBlockEvents;
    samples.clear();
    pieces.clear();
    while (samples.size() < want && skip_finished_samples()) {
      const std::uint64_t left = config_.samples[index_].events - done_in_sample_;
      const std::uint64_t to_block_end = kBlock - done_in_sample_ % kBlock;
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>({want - samples.size(), left, to_block_end}));
      SourcePiece& p = pieces.emplace_back();
      p.sample = static_cast<std::uint8_t>(index_);
      p.first_index = done_in_sample_;
      p.offset = samples.size();
      p.count = n;
      if (carry_ && carry_->position() == done_in_sample_) p.generator = std::move(carry_);
      carry_.reset();
      samples.insert(samples.end(), n, p.sample);
      done_in_sample_ += n;
    }
    return samples.size();
  }
  void make(SourcePiece& piece, std::span<stream::Event> out) const override {
    if (!piece.generator) piece.generator = make_generator(piece.sample, piece.first_index);
    for (std::size_t i = 0; i < piece.count; ++i) out[i] = stream::to_event(piece.generator->next());
  }
  void finish(std::vector<SourcePiece>& pieces) override {
    // The last piece's generator continues where the next batch starts (at a block start it
    // reseeds itself, so it is as good as a new one there).
    if (!pieces.empty() && pieces.back().sample == index_ && pieces.back().generator &&
        pieces.back().generator->position() == done_in_sample_) {
      carry_ = std::move(pieces.back().generator);
    }
  }

 private:
  /// Moves past samples with no events left; false when every sample is done.
  bool skip_finished_samples() {
    while (index_ < config_.samples.size() && done_in_sample_ >= config_.samples[index_].events) {
      ++index_;
      done_in_sample_ = 0;
      carry_.reset();
    }
    return index_ < config_.samples.size();
  }
  [[nodiscard]] std::unique_ptr<stream::EventGenerator> make_generator(std::size_t sample, std::uint64_t first_index) const {
    stream::GeneratorConfig g;
    g.process = stream::parse_process(config_.samples[sample].process);
    g.seed = config_.seed + sample;
    g.first_event_id = static_cast<std::int64_t>(first_ids_[sample]);
    g.first_index = first_index;
    return std::make_unique<stream::EventGenerator>(g);
  }

  SourceConfig config_;
  std::vector<std::string> names_;
  std::vector<std::uint64_t> first_ids_;  // event id of each sample's first event
  std::size_t index_ = 0;                 // the current sample
  std::uint64_t done_in_sample_ = 0;
  std::unique_ptr<stream::EventGenerator> carry_;  // positioned at done_in_sample_, or none
};

// Records are read 512 at a time (the reader's default is 8192): a batch of 616-byte records then
// stays in the L2 cache from the read through the data policy to to_event, where 8192 (5 MB)
// went out to memory and came back for each of those passes. The order, and so every event, is
// the same for any read size.
constexpr std::size_t kDatasetReadEvents = 512;

class DatasetFileSource final : public EventSource {
 public:
  DatasetFileSource(const fs::path& file, const stream::DataPolicyConfig& policy)
      : source_(file, policy, stream::DatasetReaderOptions{.chunk_events = kDatasetReadEvents}), names_{file.stem().string()} {}
  bool next(stream::Event& event, std::uint8_t& sample) override {
    sample = 0;
    return source_.next(event);
  }
  [[nodiscard]] const std::vector<std::string>& samples() const override { return names_; }
  [[nodiscard]] std::uint64_t size() const override { return source_.reader().size(); }
  [[nodiscard]] stream::DataPolicyCounters data_problems() const override { return source_.counters(); }
  void share_work(stream::WorkPool* pool) override { source_.share_work(pool); }

 private:
  stream::DatasetSource source_;
  std::vector<std::string> names_;
};

class TestVectorSource final : public EventSource {
 public:
  TestVectorSource(const fs::path& file, bool require_full_orbit)
      : records_(stream::read_test_vector(file, stream::TestVectorReadOptions{require_full_orbit})), names_{file.stem().string()} {}
  bool next(stream::Event& event, std::uint8_t& sample) override {
    if (index_ >= records_.size()) return false;
    event = records_[index_++].to_event();
    sample = 0;
    return true;
  }
  [[nodiscard]] const std::vector<std::string>& samples() const override { return names_; }
  [[nodiscard]] std::uint64_t size() const override { return records_.size(); }
  [[nodiscard]] bool has_own_bx() const override { return true; }

 private:
  std::vector<stream::TestVectorRecord> records_;
  std::vector<std::string> names_;
  std::size_t index_ = 0;
};

registry::Registry<EventSourceFactory>& sources() {
  static registry::Registry<EventSourceFactory> r("event source kind");
  return r;
}

const bool kBuiltin = [] {
  register_event_source("generator", [](const SourceConfig& c, const EventSourceOptions&) { return std::make_unique<GeneratorSource>(c); });
  register_event_source("dataset", [](const SourceConfig& c, const EventSourceOptions& o) {
    return std::make_unique<DatasetFileSource>(c.file, o.data_policy);
  });
  register_event_source("testvector", [](const SourceConfig& c, const EventSourceOptions& o) {
    return std::make_unique<TestVectorSource>(c.file, o.require_full_orbit);
  });
  return true;
}();

}  // namespace

bool register_event_source(std::string kind, EventSourceFactory factory) { return sources().add(std::move(kind), std::move(factory)); }

std::vector<std::string> event_source_names() {
  (void)kBuiltin;
  return sources().names();
}

std::unique_ptr<EventSource> make_event_source(const SourceConfig& config, const EventSourceOptions& options) {
  (void)kBuiltin;
  return sources().get(config.kind)(config, options);
}

}  // namespace l1emu::board
