#include "l1emu/board/score_engine.h"

#include <algorithm>

#include <fmt/format.h>

#include "l1emu/board/error.h"
#include "l1emu/emu/compiled/input_codes.h"
#include "l1emu/emu/io/event_text.h"

namespace l1emu::board {

std::uint64_t hash_codes(std::span<const std::int64_t> codes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (const std::int64_t c : codes) {
    auto v = static_cast<std::uint64_t>(c);
    for (int b = 0; b < 8; ++b) {
      h ^= v & 0xffU;
      h *= 0x100000001b3ULL;  // FNV-1a 64 prime
      v >>= 8;
    }
  }
  return h;
}

ScoreEngine::ScoreEngine(const emu::Model& model, const ScoreEngineConfig& config)
    : model_(model), builder_(make_feature_builder(config.features)) {
  input_width_ = emu::input_width(model);
  if (builder_->size() != input_width_) {
    throw ConfigError(fmt::format("feature builder '{}' gives {} values but model '{}' reads {}", builder_->name(), builder_->size(),
                                  model.project(), input_width_));
  }
  output_width_ = model.output_width();
  const auto& outs = model.outputs();
  score_name_ = config.score_output.empty() ? outs.back() : config.score_output;
  std::size_t offset = 0;
  bool found = false;
  for (std::size_t i = 0; i < outs.size(); ++i) {
    if (outs[i] == score_name_) {
      found = true;
      break;
    }
    offset += model.array_spec(model.output_indices()[i]).size;
  }
  if (!found) throw ConfigError(fmt::format("score output '{}' is not an output of model '{}'", score_name_, model.project()));
  score_offset_ = offset;
  if (!config.reference_engine && emu::CompiledModel::supports(model)) {
    compiled_ = std::make_unique<emu::CompiledModel>(model);
  } else {
    reference_ = std::make_unique<emu::ReferenceEvaluator>(model);
  }
}

ScoreEngine::~ScoreEngine() = default;

ScoreEngine::Workspace ScoreEngine::make_workspace() const {
  Workspace ws;
  if (compiled_) ws.compiled = std::make_unique<emu::CompiledModel::Workspace>(compiled_->make_workspace());
  ws.features.resize(input_width_);
  ws.inputs.resize(emu::CompiledModel::kBatch * input_width_);
  ws.outputs.resize(emu::CompiledModel::kBatch * output_width_);
  return ws;
}

void ScoreEngine::score(Workspace& ws, std::span<const stream::Event> events, std::span<ScoredEvent> out) const {
  const auto& inputs = model_.inputs();
  for (std::size_t first = 0; first < events.size(); first += emu::CompiledModel::kBatch) {
    const std::size_t count = std::min(emu::CompiledModel::kBatch, events.size() - first);
    if (!compiled_) {
      // Reference path (types wider than the compiled plan supports): exact codes per event; the
      // hash takes each code modulo 2^64, as the int64 path does.
      for (std::size_t e = 0; e < count; ++e) {
        builder_->build(events[first + e], ws.features);
        const auto codes = emu::input_codes(model_, ws.features);
        std::vector<std::int64_t> low;
        for (const auto& array : codes) {
          for (const auto& c : array) {
            const emu::BigInt magnitude = c < 0 ? emu::BigInt(-c) : c;
            const auto bits = static_cast<std::uint64_t>(magnitude & emu::BigInt(~std::uint64_t{0}));
            low.push_back(static_cast<std::int64_t>(c < 0 ? ~bits + 1 : bits));
          }
        }
        const auto outs = reference_->outputs(reference_->evaluate(codes));
        out[first + e] = {static_cast<std::int64_t>(outs[score_offset_]), hash_codes(low)};
      }
      continue;
    }
    for (std::size_t e = 0; e < count; ++e) {
      builder_->build(events[first + e], ws.features);
      std::int64_t* row = ws.inputs.data() + e * input_width_;
      std::size_t k = 0;
      for (const auto& in : inputs) {
        for (std::size_t i = 0; i < in.size; ++i, ++k) row[k] = emu::input_code(ws.features[k], in.type);
      }
      out[first + e].inputs_hash = hash_codes({row, input_width_});
    }
    compiled_->evaluate(*ws.compiled, ws.inputs.data(), count, ws.outputs.data());
    for (std::size_t e = 0; e < count; ++e) out[first + e].score = ws.outputs[e * output_width_ + score_offset_];
  }
}

}  // namespace l1emu::board
