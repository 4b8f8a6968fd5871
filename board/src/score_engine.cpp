#include "l1emu/board/score_engine.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "fnv1a64.h"
#include "hash_lanes_avx512.h"
#include "l1emu/board/error.h"
#include "l1emu/emu/compiled/input_codes.h"
#include "l1emu/emu/io/event_text.h"

namespace l1emu::board {

std::uint64_t hash_codes(std::span<const std::int64_t> codes) {
  std::uint64_t h = fnv1a64::kBasis;
  for (const std::int64_t c : codes) {
    auto v = static_cast<std::uint64_t>(c);
    for (int b = 0; b < 8; ++b) {
      h ^= v & 0xffU;
      h *= fnv1a64::kPrime;
      v >>= 8;
    }
  }
  return h;
}

namespace {

using fnv1a64::kBasis;
using fnv1a64::kPrime;
using fnv1a64::kPrimePowers;

// FNV-1a is one chain of dependent steps per event (xor a byte, multiply: 456 bytes for 57 codes).
// Here four events are hashed side by side in scalar lanes whose independent multiplies overlap,
// each running exactly hash_codes' chain for its event, with the zero top bytes of a group's codes
// folded into one multiply: a byte of 0 is the step h -> (h ^ 0) * P = h * P, so when every code
// of a group is non-negative and below 2^(8n), its top 8 - n steps are one multiply by P^(8-n)
// (negative codes, bytes of 0xff above their value, take all 8). CPUs with AVX-512 take
// hash_lanes_avx512.h instead: eight vectors of 8 events.
template <class Code>
void hash_lanes(const Code* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out) {
  constexpr std::size_t kGroup = 4;
  for (std::size_t first = 0; first < count; first += kGroup) {
    const std::size_t n = std::min(kGroup, count - first);
    std::uint64_t h0 = kBasis, h1 = h0, h2 = h0, h3 = h0;
    for (std::size_t k = 0; k < width; ++k) {
      const Code* codes = lanes + k * stride + first;
      std::uint64_t v0 = static_cast<std::uint64_t>(std::int64_t{codes[0]});
      std::uint64_t v1 = n > 1 ? static_cast<std::uint64_t>(std::int64_t{codes[1]}) : 0;
      std::uint64_t v2 = n > 2 ? static_cast<std::uint64_t>(std::int64_t{codes[2]}) : 0;
      std::uint64_t v3 = n > 3 ? static_cast<std::uint64_t>(std::int64_t{codes[3]}) : 0;
      const std::size_t steps = (static_cast<std::size_t>(std::bit_width(v0 | v1 | v2 | v3)) + 7) / 8;
      for (std::size_t b = 0; b < steps; ++b) {
        h0 = (h0 ^ (v0 & 0xffU)) * kPrime;
        h1 = (h1 ^ (v1 & 0xffU)) * kPrime;
        h2 = (h2 ^ (v2 & 0xffU)) * kPrime;
        h3 = (h3 ^ (v3 & 0xffU)) * kPrime;
        v0 >>= 8;
        v1 >>= 8;
        v2 >>= 8;
        v3 >>= 8;
      }
      if (steps < 8) {
        const std::uint64_t rest = kPrimePowers[8 - steps];
        h0 *= rest;
        h1 *= rest;
        h2 *= rest;
        h3 *= rest;
      }
    }
    const std::uint64_t h[4] = {h0, h1, h2, h3};
    for (std::size_t e = 0; e < n; ++e) out[first + e] = h[e];
  }
}

template <class Code>
void hash_dispatched(const Code* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out) {
  static const bool avx512 = detail::has_hash_lanes_avx512();
  if (avx512) {
    detail::hash_lanes_avx512(lanes, stride, width, count, out);
  } else {
    hash_lanes(lanes, stride, width, count, out);
  }
}

}  // namespace

void hash_code_lanes(const std::int64_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out) {
  hash_dispatched(lanes, stride, width, count, out);
}

void detail::hash_code_lanes_portable(const std::int64_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out) {
  hash_lanes(lanes, stride, width, count, out);
}

void detail::hash_code_lanes_portable(const std::int32_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out) {
  hash_lanes(lanes, stride, width, count, out);
}

void hash_code_lanes(const std::int32_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out) {
  hash_dispatched(lanes, stride, width, count, out);
}

ScoreEngine::ScoreEngine(const emu::Model& model, const ScoreEngineConfig& config)
    : model_(model), builder_(make_feature_builder(config.features)) {
  const std::string origin = config.origin.empty() ? std::string() : config.origin + ": ";
  input_width_ = emu::input_width(model);
  if (builder_->size() != input_width_) {
    throw ConfigError(fmt::format("{}feature builder '{}' gives {} values but model '{}' reads {}", origin, builder_->name(), builder_->size(),
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
  if (!found) {
    throw ConfigError(fmt::format("{}score output '{}' is not an output of model '{}' (its outputs: {})", origin, score_name_, model.project(),
                                  fmt::join(outs, ", ")));
  }
  score_offset_ = offset;
  if (!config.reference_engine && emu::CompiledModel::supports(model)) {
    compiled_ = std::make_unique<emu::CompiledModel>(model);
    // The compiled plan's input types fit its lanes (at most 62 bits, as the converters need).
    rows_to_lanes_ = std::make_unique<emu::FloatRowsToLanes>(model);
    lanes32_ = compiled_->inputs_fit_32_bits();
    if (lanes32_ && config.code_tables) code_table_ = FeatureCodeTable::make(*builder_, *rows_to_lanes_);
  } else {
    reference_ = std::make_unique<emu::ReferenceEvaluator>(model);
  }
}

ScoreEngine::~ScoreEngine() = default;

ScoreEngine::Workspace ScoreEngine::make_workspace() const {
  Workspace ws;
  if (compiled_) ws.compiled = std::make_unique<emu::CompiledModel::Workspace>(compiled_->make_workspace());
  ws.features.resize(emu::CompiledModel::kBatch * input_width_);
  // Zeros: the lanes past a short batch's events must hold codes of the input types (evaluate_lanes).
  if (lanes32_)
    ws.inputs32.resize(emu::CompiledModel::kBatch * input_width_);
  else
    ws.inputs.resize(emu::CompiledModel::kBatch * input_width_);
  ws.outputs.resize(emu::CompiledModel::kBatch * output_width_);
  ws.hashes.resize(emu::CompiledModel::kBatch);
  return ws;
}

void ScoreEngine::score(Workspace& ws, std::span<const stream::Event> events, std::span<ScoredEvent> out) const {
  for (std::size_t first = 0; first < events.size(); first += emu::CompiledModel::kBatch) {
    const std::size_t count = std::min(emu::CompiledModel::kBatch, events.size() - first);
    if (!compiled_) {
      // Reference path (types wider than the compiled plan supports): exact codes per event; the
      // hash takes each code modulo 2^64, as the int64 path does.
      std::vector<float> row(input_width_);
      for (std::size_t e = 0; e < count; ++e) {
        builder_->build(events[first + e], row);
        const auto codes = emu::input_codes(model_, row);
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
    // The batch's input codes straight into lanes (value k of event e at k * kBatch + e: the
    // layout of evaluate_lanes and of the side-by-side hash): looked up per key where the builder
    // has keys and every key of the batch is in its table, else the feature rows built and each
    // value's codes converted for all its events at once.
    constexpr std::size_t kLanes = emu::CompiledModel::kBatch;
    if (!code_table_ || !code_table_->fill(events.subspan(first, count), kLanes, ws.inputs32.data())) {
      for (std::size_t e = 0; e < count; ++e) {
        // The events were made on another thread (another core's cache): the next one's lines are
        // asked for while this one is read (its first read was 30 % of the feature builder's time).
        if (first + e + 1 < events.size()) {
          const auto* next = reinterpret_cast<const char*>(&events[first + e + 1]);
          for (std::size_t b = 0; b < sizeof(stream::Event); b += 64) __builtin_prefetch(next + b);
        }
        builder_->build(events[first + e], std::span(ws.features).subspan(e * input_width_, input_width_));
      }
      if (lanes32_) {
        rows_to_lanes_->convert(ws.features.data(), count, kLanes, ws.inputs32.data(), ws.conversion32);
      } else {
        rows_to_lanes_->convert(ws.features.data(), count, kLanes, ws.inputs.data(), ws.conversion);
      }
    }
    // Lane-major outputs: the score of every event is one contiguous row.
    constexpr auto kLaneMajor = emu::CompiledModel::OutputLayout::lane_major;
    if (lanes32_) {
      hash_code_lanes(ws.inputs32.data(), kLanes, input_width_, count, ws.hashes.data());
      compiled_->evaluate_lanes(*ws.compiled, ws.inputs32.data(), count, ws.outputs.data(), kLaneMajor);
    } else {
      hash_code_lanes(ws.inputs.data(), kLanes, input_width_, count, ws.hashes.data());
      compiled_->evaluate_lanes(*ws.compiled, ws.inputs.data(), count, ws.outputs.data(), kLaneMajor);
    }
    const std::int64_t* scores = ws.outputs.data() + score_offset_ * kLanes;
    for (std::size_t e = 0; e < count; ++e) out[first + e] = {scores[e], ws.hashes[e]};
  }
}

}  // namespace l1emu::board
