// Keyed feature builders and the input-code tables the score engine looks their keys up in
// (feature_builder.h, feature_code_table.h). The tables hold what the per-event path converts:
// checked on events of random codes (empty slots, negative eta, the fields' extremes, and fields
// beyond their hardware widths, whose keys must fall outside the tables so that such a batch is
// converted the long way).
#include "l1emu/board/feature_code_table.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "l1emu/board/feature_builder.h"
#include "l1emu/board/score_engine.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/stream/event_generator.h"
#include "l1emu/stream/l1_objects.h"

namespace l1emu::board {
namespace {

// Events of random codes: mostly within the hardware fields (`wide` = 0), or sometimes any 16-bit
// value (`wide` > 0: about one field in `wide` of each kind).
class RandomEvents {
 public:
  explicit RandomEvents(std::uint64_t seed, int wide) : rng_(seed), wide_(wide) {}
  stream::Event next() {
    stream::Event e;
    e.sum(stream::SumKind::etm) = {code(4095), code(255)};
    for (int i = 0; i < 4; ++i) {
      e.egammas[i].hw_et = code(511);
      e.egammas[i].hw_eta = signed_code(128);
      e.egammas[i].hw_phi = code(255);
      e.muons[i].hw_pt = code(511);
      e.muons[i].hw_eta = signed_code(256);
      e.muons[i].hw_phi = code(1023);
      e.muons[i].hw_phi_out = code(1023);
    }
    for (int i = 0; i < 10; ++i) {
      e.jets[i].hw_et = code(2047);
      e.jets[i].hw_eta = signed_code(128);
      e.jets[i].hw_phi = code(255);
    }
    return e;
  }

 private:
  // 0 (an empty slot), the field's largest code, or any code of the field; rarely (wide) the first
  // code beyond the field or any 16-bit value.
  std::uint16_t code(int field_max) {
    if (wide_ > 0 && std::uniform_int_distribution<int>(0, wide_ - 1)(rng_) == 0) {
      return static_cast<std::uint16_t>(rng_() % 2 == 0 ? field_max + 1 : rng_());
    }
    switch (std::uniform_int_distribution<int>(0, 5)(rng_)) {
      case 0: return 0;
      case 1: return static_cast<std::uint16_t>(field_max);
      default: return static_cast<std::uint16_t>(std::uniform_int_distribution<int>(0, field_max)(rng_));
    }
  }
  // -half .. half - 1, its extremes included; rarely (wide) just beyond, or any 16-bit value.
  std::int16_t signed_code(int half) {
    if (wide_ > 0 && std::uniform_int_distribution<int>(0, wide_ - 1)(rng_) == 0) {
      const int edge = rng_() % 2 == 0 ? -half - 1 : half;
      return static_cast<std::int16_t>(rng_() % 2 == 0 ? edge : static_cast<int>(rng_()));
    }
    switch (std::uniform_int_distribution<int>(0, 5)(rng_)) {
      case 0: return static_cast<std::int16_t>(-half);
      case 1: return static_cast<std::int16_t>(half - 1);
      default: return static_cast<std::int16_t>(std::uniform_int_distribution<int>(-half, half - 1)(rng_));
    }
  }
  std::mt19937_64 rng_;
  int wide_;
};

const std::vector<FeatureBuilderConfig> kBuilders = {{"axo57", MuonPhi::vertex}, {"axo57", MuonPhi::muon_system}, {"physical57", MuonPhi::vertex}};

std::string describe(const FeatureBuilderConfig& c) { return c.name + (c.muon_phi == MuonPhi::vertex ? " (vertex phi)" : " (muon-system phi)"); }

// Within the hardware fields every key lies in its table and names the value build() writes, bit
// for bit; a field beyond its width gives its feature a key outside the table.
TEST(FeatureKeys, EveryBuiltValueIsItsKeysValue) {
  for (const auto& config : kBuilders) {
    const auto builder = make_feature_builder(config);
    const auto sources = builder->feature_keys();
    ASSERT_EQ(sources.size(), builder->size()) << describe(config);
    std::vector<std::uint32_t> counts, keys(builder->size());
    for (const auto& source : sources) counts.push_back(source.count);
    std::vector<float> built(builder->size());
    const auto keys_of = [&](const stream::Event& e) {
      for (std::size_t k = 0; k < sources.size(); ++k) keys[k] = feature_key(sources[k], e);
    };
    RandomEvents narrow(5, 0);
    for (int n = 0; n < 50000; ++n) {
      const stream::Event e = narrow.next();
      builder->build(e, built);
      keys_of(e);
      for (std::size_t k = 0; k < built.size(); ++k) {
        ASSERT_LT(keys[k], counts[k]) << describe(config) << " event " << n << " feature " << k;
        ASSERT_EQ(std::bit_cast<std::uint32_t>(builder->key_value(k, keys[k])), std::bit_cast<std::uint32_t>(built[k]))
            << describe(config) << " event " << n << " feature " << k << " key " << keys[k];
      }
    }
    // One field beyond its width: the ETM's ET, an e/gamma's eta below its field, a jet's phi.
    stream::Event beyond;
    beyond.sum(stream::SumKind::etm).hw_et = 4096;
    beyond.egammas[1].hw_et = 3;
    beyond.egammas[1].hw_eta = -129;
    beyond.jets[2].hw_et = 5;
    beyond.jets[2].hw_phi = 256;
    keys_of(beyond);
    EXPECT_GE(keys[0], counts[0]) << describe(config);
    EXPECT_GE(keys[3 * 2 + 1], counts[3 * 2 + 1]) << describe(config);
    EXPECT_GE(keys[3 * 11 + 2], counts[3 * 11 + 2]) << describe(config);
  }
}

// The engine's codes from the tables equal those converted per event (code_tables off): scores
// and input hashes of generated events, of random codes, and of batches with a field beyond its
// width here and there (those batches take the per-event path, the others the tables). The demo
// model reads physical57's values; axo57's integers go through the same input types.
TEST(FeatureCodeTable, ScoresEqualThePerEventConversion) {
  const emu::Model model = emu::load_model(std::string(L1EMU_SOURCE_DIR) + "/examples/demo_vae/model.json");
  for (const auto& features : kBuilders) {
    ScoreEngineConfig with;
    with.features = features;
    ScoreEngineConfig without = with;
    without.code_tables = false;
    const ScoreEngine tabled(model, with), converted(model, without);
    std::vector<stream::Event> events;
    stream::EventGenerator g({.process = stream::Process::background, .seed = 4});
    // Whole batches of the engine (CompiledModel::kBatch events) each of a kind.
    constexpr int kBatch = static_cast<int>(emu::CompiledModel::kBatch);
    for (int i = 0; i < 5 * kBatch; ++i) events.push_back(stream::to_event(g.next()));
    RandomEvents narrow(6, 0), wide(7, 400);
    for (int i = 0; i < 8 * kBatch; ++i) events.push_back(narrow.next());
    for (int i = 0; i < 8 * kBatch; ++i) events.push_back(wide.next());
    // Batches in the fields but for one value just beyond its field (the first key outside a
    // table), each field kind in turn: those take the per-event path.
    const std::vector<void (*)(stream::Event&)> just_beyond = {
        [](stream::Event& e) { e.sum(stream::SumKind::etm).hw_et = 4096; },
        [](stream::Event& e) { e.sum(stream::SumKind::etm) = {7, 256}; },
        [](stream::Event& e) { e.egammas[3] = {}, e.egammas[3].hw_et = 512; },
        [](stream::Event& e) { e.egammas[0].hw_et = 9, e.egammas[0].hw_eta = 128; },
        [](stream::Event& e) { e.egammas[0].hw_et = 9, e.egammas[0].hw_eta = -129; },
        [](stream::Event& e) { e.muons[2].hw_pt = 512; },
        [](stream::Event& e) { e.muons[1].hw_pt = 3, e.muons[1].hw_eta = 256; },
        [](stream::Event& e) { e.muons[1].hw_pt = 3, e.muons[1].hw_eta = -257; },
        [](stream::Event& e) { e.muons[1].hw_pt = 3, e.muons[1].hw_phi = 1024, e.muons[1].hw_phi_out = 1024; },
        [](stream::Event& e) { e.jets[9].hw_et = 2048; },
        [](stream::Event& e) { e.jets[4].hw_et = 2, e.jets[4].hw_eta = 128; },
        [](stream::Event& e) { e.jets[4].hw_et = 2, e.jets[4].hw_phi = 256; },
    };
    for (const auto change : just_beyond) {
      for (int i = 0; i < kBatch; ++i) {
        events.push_back(narrow.next());
        if (i == 10) change(events.back());
      }
    }
    events.emplace_back();
    auto ws_a = tabled.make_workspace();
    auto ws_b = converted.make_workspace();
    std::vector<ScoredEvent> a(events.size()), b(events.size());
    tabled.score(ws_a, events, a);
    converted.score(ws_b, events, b);
    for (std::size_t e = 0; e < events.size(); ++e) {
      ASSERT_EQ(a[e].score, b[e].score) << describe(features) << " event " << e;
      ASSERT_EQ(a[e].inputs_hash, b[e].inputs_hash) << describe(features) << " event " << e;
    }
  }
}

// fill itself: every batch of codes within their fields is filled from the tables (it returns true:
// the fast path is taken, not silently left to the per-event path), with the codes of the per-event
// conversion, for batches of the engine's kBatch, 64, 16, 17 and 1 events (whole blocks of 16 and
// the rest); a code
// just beyond its field anywhere in the batch makes it return false.
TEST(FeatureCodeTable, FillsBatchesWithinTheFieldsAndRefusesTheOthers) {
  const emu::Model model = emu::load_model(std::string(L1EMU_SOURCE_DIR) + "/examples/demo_vae/model.json");
  const emu::FloatRowsToLanes converter(model);
  for (const auto& config : kBuilders) {
    const auto builder = make_feature_builder(config);
    const auto table = FeatureCodeTable::make(*builder, converter);
    ASSERT_NE(table, nullptr) << describe(config);
    const std::size_t width = builder->size();
    RandomEvents narrow(8, 0);
    constexpr std::size_t kLanes = emu::CompiledModel::kBatch;
    for (const std::size_t count : {kLanes, std::size_t{64}, std::size_t{16}, std::size_t{17}, std::size_t{1}}) {
      for (int round = 0; round < 20; ++round) {
        std::vector<stream::Event> events;
        for (std::size_t e = 0; e < count; ++e) events.push_back(narrow.next());
        std::vector<float> rows(count * width);
        for (std::size_t e = 0; e < count; ++e) builder->build(events[e], std::span(rows).subspan(e * width, width));
        std::vector<std::int32_t> expected(width * kLanes), got(width * kLanes);
        emu::FloatRowsToLanes::Scratch<std::int32_t> scratch;
        converter.convert(rows.data(), count, kLanes, expected.data(), scratch);
        ASSERT_TRUE(table->fill(events, kLanes, got.data())) << describe(config) << " count " << count;
        for (std::size_t k = 0; k < width; ++k) {
          for (std::size_t e = 0; e < count; ++e) {
            ASSERT_EQ(got[k * kLanes + e], expected[k * kLanes + e]) << describe(config) << " feature " << k << " event " << e;
          }
        }
        // The same batch with one code just beyond its field (a jet's ET, then an e/gamma's eta).
        events[count / 2].jets[1].hw_et = 2048;
        EXPECT_FALSE(table->fill(events, kLanes, got.data())) << describe(config) << " count " << count;
        events[count / 2].jets[1].hw_et = 0;
        events[count - 1].egammas[2].hw_et = 1;
        events[count - 1].egammas[2].hw_eta = -129;
        EXPECT_FALSE(table->fill(events, kLanes, got.data())) << describe(config) << " count " << count;
      }
    }
  }
}

// The tables are made where the builder has keys and the plan takes 32-bit lanes; equal tables are
// kept once (physical57's four e/gamma pT features share one, and so on).
TEST(FeatureCodeTable, EqualTablesAreKeptOnce) {
  const emu::Model model = emu::load_model(std::string(L1EMU_SOURCE_DIR) + "/examples/demo_vae/model.json");
  const auto builder = make_feature_builder({"physical57", MuonPhi::vertex});
  const emu::FloatRowsToLanes converter(model);
  const auto table = FeatureCodeTable::make(*builder, converter);
  ASSERT_NE(table, nullptr);
  EXPECT_GT(table->distinct_tables(), 3U);
  EXPECT_LT(table->distinct_tables(), builder->size() / 2);
}

}  // namespace
}  // namespace l1emu::board
