#include "l1emu/board/score_engine.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "l1emu/board/error.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/input_codes.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/event_generator.h"

namespace l1emu::board {
namespace {

// The side-by-side hash, both forms (AVX-512 where the CPU has it, and the portable one), gives
// hash_codes' value for every event: any count (partial groups of
// 64 lanes and of their 8-lane vectors), any stride, codes over the whole int64 range, and the
// shapes its shortcut for zero top bytes must get right: a value all zeros in every event (an
// empty object slot), non-negative codes of 1 to 8 bytes, and such a group with one negative
// code or one code a byte wider than the rest.
TEST(HashCodeLanes, EqualsHashCodesPerEvent) {
  std::mt19937_64 rng(7);
  for (const std::size_t width : {std::size_t{1}, std::size_t{3}, std::size_t{57}}) {
    for (const std::size_t count : {std::size_t{1}, std::size_t{15}, std::size_t{16}, std::size_t{17}, std::size_t{64}, std::size_t{65}, std::size_t{100}, std::size_t{128}}) {
      for (int shape = 0; shape < 4; ++shape) {
        const std::size_t stride = count + 5;
        std::vector<std::int64_t> lanes(width * stride);
        for (std::size_t i = 0; i < lanes.size(); ++i) {
          const auto r = static_cast<std::int64_t>(rng());
          const std::size_t k = i / stride;
          const auto bytes = static_cast<int>((k + static_cast<std::size_t>(shape)) % 9);  // 0 (all zero) to 8 bytes
          const std::int64_t small = bytes == 0 ? 0 : bytes == 8 ? r & INT64_MAX : r & ((std::int64_t{1} << (8 * bytes)) - 1);
          switch (shape) {
            case 0: lanes[i] = i % 3 == 0 ? r : r % 5000; break;  // full range and small codes of both signs
            case 1: lanes[i] = small; break;
            case 2: lanes[i] = i % 61 == 7 ? -1 - (r & 0xff) : small; break;  // a rare negative code
            default: lanes[i] = i % 59 == 3 && bytes < 8 ? small | (std::int64_t{1} << (8 * bytes)) : small; break;  // a byte wider
          }
        }
        std::vector<std::uint64_t> out(count), portable(count);
        hash_code_lanes(lanes.data(), stride, width, count, out.data());
        detail::hash_code_lanes_portable(lanes.data(), stride, width, count, portable.data());
        for (std::size_t e = 0; e < count; ++e) {
          std::vector<std::int64_t> row(width);
          for (std::size_t k = 0; k < width; ++k) row[k] = lanes[k * stride + e];
          ASSERT_EQ(out[e], hash_codes(row)) << "shape " << shape << " width " << width << " count " << count << " event " << e;
          ASSERT_EQ(portable[e], hash_codes(row)) << "portable, shape " << shape << " width " << width << " count " << count << " event " << e;
        }
      }
    }
  }
}

// From 32-bit lanes (the replay's lanes when every input type fits them) each code is hashed as
// its sign-extended int64 value: hash_codes of the widened row, for zero slots, small and
// negative codes and the int32 extremes.
TEST(HashCodeLanes, ThirtyTwoBitLanesHashTheirInt64Values) {
  std::mt19937_64 rng(8);
  for (const std::size_t count : {std::size_t{1}, std::size_t{17}, std::size_t{64}, std::size_t{100}}) {
    const std::size_t width = 57, stride = count + 3;
    std::vector<std::int32_t> lanes(width * stride);
    for (std::size_t i = 0; i < lanes.size(); ++i) {
      const std::size_t k = i / stride;
      const auto r = static_cast<std::int32_t>(rng());
      lanes[i] = k % 4 == 0 ? 0 : k % 4 == 1 ? r % 300 : k % 4 == 2 ? (r & 0xffff) : (i % 9 == 0 ? INT32_MIN : r);
    }
    std::vector<std::uint64_t> out(count), portable(count);
    hash_code_lanes(lanes.data(), stride, width, count, out.data());
    detail::hash_code_lanes_portable(lanes.data(), stride, width, count, portable.data());
    for (std::size_t e = 0; e < count; ++e) {
      std::vector<std::int64_t> row(width);
      for (std::size_t k = 0; k < width; ++k) row[k] = lanes[k * stride + e];
      ASSERT_EQ(out[e], hash_codes(row)) << "count " << count << " event " << e;
      ASSERT_EQ(portable[e], hash_codes(row)) << "portable, count " << count << " event " << e;
    }
  }
}

// The engine checks the configuration against the model; its errors start with the origin the
// caller gives (the scenario and model files) and list the model's outputs, so that they name
// what to fix (the mutation campaign saw "score output 'x' is not an output of model 'y'" alone).
TEST(ScoreEngine, AnUnknownScoreOutputIsNamedWithItsOrigin) {
  const emu::Model model = emu::load_model(std::string(L1EMU_SOURCE_DIR) + "/examples/demo_vae/model.json");
  ScoreEngineConfig config;
  config.features.name = "physical57";
  config.score_output = "kl_los";
  config.origin = "my.yaml, model m.json";
  try {
    const ScoreEngine engine(model, config);
    FAIL() << "accepted score output kl_los";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("my.yaml, model m.json: score output 'kl_los' is not an output of model ", 0), 0U) << message;
    EXPECT_NE(message.find("(its outputs: " + model.outputs().front()), std::string::npos) << message;
  }
}

// score() (codes in lanes through the workspace's code cache, hash and model over the batch)
// equals the definition evaluated one event at a time: builder -> input_code -> hash_codes and
// CompiledModel::evaluate of a single row. Scored twice with one workspace, so the second pass
// reads codes from a warm cache.
TEST(ScoreEngine, BatchScoresEqualOneEventAtATime) {
  const emu::Model model = emu::load_model(std::string(L1EMU_SOURCE_DIR) + "/examples/demo_vae/model.json");
  ScoreEngineConfig config;
  config.features.name = "physical57";
  const ScoreEngine engine(model, config);
  const emu::CompiledModel compiled(model);
  auto compiled_ws = compiled.make_workspace();

  std::vector<stream::Event> events;
  for (const auto process : {stream::Process::background, stream::Process::ato4l}) {
    stream::EventGenerator g({.process = process, .seed = 11});
    for (int i = 0; i < 150; ++i) events.push_back(stream::to_event(g.next()));
  }
  events.emplace_back();  // an empty event: every feature 0

  const std::size_t width = emu::input_width(model);
  std::vector<std::int64_t> expected_score(events.size());
  std::vector<std::uint64_t> expected_hash(events.size());
  std::vector<float> features(width);
  std::vector<std::int64_t> row(width);
  std::vector<std::int64_t> outputs(model.output_width());
  std::size_t score_offset = 0;
  for (std::size_t i = 0; i < model.outputs().size() && model.outputs()[i] != engine.score_output(); ++i) {
    score_offset += model.array_spec(model.output_indices()[i]).size;
  }
  for (std::size_t e = 0; e < events.size(); ++e) {
    engine.features(events[e], features);
    std::size_t k = 0;
    for (const auto& in : model.inputs()) {
      for (std::size_t i = 0; i < in.size; ++i, ++k) row[k] = emu::input_code(features[k], in.type);
    }
    expected_hash[e] = hash_codes(row);
    compiled.evaluate(compiled_ws, row.data(), 1, outputs.data());
    expected_score[e] = outputs[score_offset];
  }

  auto ws = engine.make_workspace();
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<ScoredEvent> scored(events.size());
    engine.score(ws, events, scored);
    for (std::size_t e = 0; e < events.size(); ++e) {
      ASSERT_EQ(scored[e].score, expected_score[e]) << "pass " << pass << " event " << e;
      ASSERT_EQ(scored[e].inputs_hash, expected_hash[e]) << "pass " << pass << " event " << e;
    }
  }
}

}  // namespace
}  // namespace l1emu::board
