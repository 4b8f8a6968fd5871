#pragma once
// ScoreEngine: events -> feature builder -> model (bit-exact) -> score code, in batches. Uses the
// compiled integer plan (bit-identical to the reference evaluator, emu/compiled) and falls back to
// the reference evaluator for models the plan does not support. Immutable and shared by threads;
// each thread owns a Workspace.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "l1emu/board/feature_builder.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/float_rows_to_lanes.h"
#include "l1emu/board/feature_code_table.h"
#include "l1emu/emu/nn/model.h"
#include "l1emu/emu/nn/reference_evaluator.h"
#include "l1emu/stream/event.h"

namespace l1emu::board {

struct ScoreEngineConfig {
  FeatureBuilderConfig features;
  /// The output array holding the score (its first value); empty: the model's last output.
  std::string score_output;
  /// The reference evaluator instead of the compiled plan (slow; the same codes: a cross-check).
  bool reference_engine = false;
  /// The compiled plan's input codes from per-key tables where the builder has keys
  /// (feature_code_table.h); false converts every event's feature values (the same codes: the
  /// tables' cross-check).
  bool code_tables = true;
  /// Where the model and this configuration come from ("scenario.yaml, model model.json"): the
  /// engine checks them against each other, and its errors start with it so that they name the
  /// files to fix (every error names the file: DESIGN.md). Empty: no prefix.
  std::string origin;
};

struct ScoredEvent {
  std::int64_t score = 0;           // raw code of the score in its type
  std::uint64_t inputs_hash = 0;    // FNV-1a 64 over the model input codes (little-endian int64)
};

class ScoreEngine {
 public:
  /// Throws ConfigError when the builder's size differs from the model's input width or the score
  /// output does not exist. The model must outlive the engine.
  ScoreEngine(const emu::Model& model, const ScoreEngineConfig& config);
  ~ScoreEngine();

  struct Workspace {
    std::unique_ptr<emu::CompiledModel::Workspace> compiled;
    std::vector<float> features;         // a batch's feature rows (event e at e * input width)
    std::vector<std::int64_t> inputs;    // the input codes in lanes, 64-bit ...
    std::vector<std::int32_t> inputs32;  // ... or 32-bit where every input type fits (lanes32)
    emu::FloatRowsToLanes::Scratch<std::int64_t> conversion;
    emu::FloatRowsToLanes::Scratch<std::int32_t> conversion32;
    std::vector<std::int64_t> outputs;
    std::vector<std::uint64_t> hashes;
  };
  [[nodiscard]] Workspace make_workspace() const;

  /// Scores every event (any count).
  void score(Workspace& ws, std::span<const stream::Event> events, std::span<ScoredEvent> out) const;
  /// The feature values of one event (debugging, verify).
  void features(const stream::Event& event, std::span<float> out) const { builder_->build(event, out); }

  [[nodiscard]] const emu::Model& model() const { return model_; }
  [[nodiscard]] const FeatureBuilder& builder() const { return *builder_; }
  [[nodiscard]] bool compiled() const { return compiled_ != nullptr; }
  [[nodiscard]] const std::string& score_output() const { return score_name_; }

 private:
  const emu::Model& model_;
  std::unique_ptr<FeatureBuilder> builder_;
  std::unique_ptr<emu::CompiledModel> compiled_;
  std::unique_ptr<emu::ReferenceEvaluator> reference_;
  std::string score_name_;
  std::size_t score_offset_ = 0;  // position of the score in the concatenated outputs
  // A batch's feature rows -> input codes in lanes (each model input's type).
  std::unique_ptr<emu::FloatRowsToLanes> rows_to_lanes_;
  std::size_t input_width_ = 0;
  std::size_t output_width_ = 0;
  // Every input type at most 32 bits wide: the codes go to the compiled plan in 32-bit lanes, the
  // lanes `l1emu bench` times, which an int32 plan reads in place (64-bit lanes it narrows in a copy).
  bool lanes32_ = false;
  // The input codes by table lookup (32-bit lanes, a builder with keys); null: converted per event.
  std::unique_ptr<FeatureCodeTable> code_table_;
};

/// FNV-1a 64 of the codes (the decision log's inputs hash).
[[nodiscard]] std::uint64_t hash_codes(std::span<const std::int64_t> codes);
/// hash_codes of `count` events at once from lanes: code k of event e at lanes[k * stride + e].
/// From 32-bit lanes each code is hashed as its int64 value (sign-extended), as hash_codes does.
void hash_code_lanes(const std::int64_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out);
void hash_code_lanes(const std::int32_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out);

namespace detail {
/// hash_code_lanes in four scalar lanes: what CPUs without AVX-512 run (others take eight vectors of
/// 8 events); both are checked against hash_codes by the tests.
void hash_code_lanes_portable(const std::int64_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out);
void hash_code_lanes_portable(const std::int32_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out);
}  // namespace detail

}  // namespace l1emu::board
