// The compiled engine is bit-identical to the reference evaluator: on random models (random layer
// mixes, sizes, every quantization and overflow mode, WRAP and SAT accumulators, widths up to 62
// bits) with random inputs, every array of every event; and on every golden case.
#include "under_vector_isa.h"
#include "l1emu/emu/compiled/compiled_model.h"

#include <gtest/gtest.h>

#include <bit>
#include <limits>
#include <optional>

#include <filesystem>
#include <map>
#include <random>

#include "golden_case.h"
#include "l1emu/emu/compiled/input_codes.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/reference_evaluator.h"
#include "compiled_compare.h"
#include "random_model.h"

namespace l1emu::emu {
namespace {

// Compares every array of `events` events between the compiled plan and the reference.
// Returns the number of mismatching values (and reports the first one).
std::size_t compare_all_arrays(const Model& model, const std::vector<std::vector<std::int64_t>>& events, const std::string& label) {
  return testing::compiled_mismatches(model, events, label);
}

TEST(CompiledModel, MatchesTheReferenceOnRandomModels) {
  constexpr std::uint64_t kSeed = 0xC0FFEE;
  std::size_t models = 0, values = 0, layers = 0, fallbacks = 0, widened = 0, wide_dots = 0;
  std::map<std::string, std::size_t> dense_paths;  // how often each Dense kernel variant was checked
  for (int m = 0; m < 300; ++m) {
    testing::RandomModelFactory factory(kSeed + static_cast<std::uint64_t>(m), m % 3 == 0 ? 40 : 20);
    const Model model = factory.model(factory.uniform(1, 6));
    std::string why;
    if (!CompiledModel::supports(model, &why)) continue;
    std::vector<std::vector<std::int64_t>> events;
    for (int e = 0; e < 100; ++e) {
      std::vector<std::int64_t> codes;
      for (const auto& in : model.inputs()) {
        for (std::size_t i = 0; i < in.size; ++i) codes.push_back(factory.random_code(in.type).convert_to<std::int64_t>());
      }
      events.push_back(std::move(codes));
    }
    const auto bad = compare_all_arrays(model, events, "random model seed " + std::to_string(kSeed + static_cast<std::uint64_t>(m)));
    ASSERT_EQ(bad, 0U) << "model " << m << "\n" << [&] {
      std::string s;
      for (const auto& line : CompiledModel(model).describe()) s += line + "\n";
      return s;
    }();
    ++models;
    values += events.size();
    for (const auto& line : CompiledModel(model).describe()) {
      ++layers;
      if (line.find("reference") != std::string::npos) ++fallbacks;
      if (line.find("int64 inside the int32 plan") != std::string::npos) ++widened;
      if (line.find("dot (products and sums on int64 lanes)") != std::string::npos) ++wide_dots;
      for (const char* path : {"split16", "pmaddwd", "blocked 8x8", "ordered-sum"}) {
        if (line.find(path) != std::string::npos) ++dense_paths[path];
      }
    }
  }
  std::printf("compiled vs reference: %zu random models (%zu layers, %zu on the per-event fallback), %zu events, every array identical\n",
              models, layers, fallbacks, values);
  EXPECT_GT(models, 250U);
  // The property is about the compiled kernels: most layers must run on them, not on the fallback,
  // and every Dense variant must have been exercised.
  EXPECT_LT(fallbacks * 5, layers);
  // Layers whose arithmetic needs 64 bits inside a 32-bit plan run widened, the rest stay narrow.
  std::printf("  layers on 64-bit lanes inside a 32-bit plan: %zu\n", widened);
  EXPECT_GT(widened, 5U);
  // Dot layers with 64-bit products read and write the 32-bit lanes in place.
  std::printf("  Dot layers with int64 arithmetic inside a 32-bit plan: %zu\n", wide_dots);
  EXPECT_GT(wide_dots, 3U);
  for (const char* path : {"split16", "pmaddwd", "blocked 8x8", "ordered-sum"}) {
    std::printf("  Dense %s: %zu layers\n", path, dense_paths[path]);
    EXPECT_GT(dense_paths[path], 5U) << path;
  }
}

TEST(CompiledModel, LaneInputsGiveTheSameOutputsAsEventInputs) {
  testing::RandomModelFactory factory(4242, 16);
  for (int m = 0; m < 40; ++m) {
    const Model model = factory.model(factory.uniform(1, 5));
    const CompiledModel compiled(model);
    auto ws = compiled.make_workspace();
    const std::size_t width = compiled.input_width(), n = CompiledModel::kBatch - static_cast<std::size_t>(m % 7);
    std::vector<std::int64_t> events(CompiledModel::kBatch * width), lanes(CompiledModel::kBatch * width);
    std::size_t k = 0;
    for (std::size_t e = 0; e < CompiledModel::kBatch; ++e) {
      k = 0;
      for (const auto& in : model.inputs()) {
        for (std::size_t i = 0; i < in.size; ++i, ++k) {
          events[e * width + k] = factory.random_code(in.type).convert_to<std::int64_t>();
          lanes[k * CompiledModel::kBatch + e] = events[e * width + k];
        }
      }
    }
    std::vector<std::int64_t> a(n * compiled.output_width()), b(n * compiled.output_width());
    compiled.evaluate(ws, events.data(), n, a.data());
    compiled.evaluate_lanes(ws, lanes.data(), n, b.data());
    ASSERT_EQ(a, b) << "model " << m;
    if (compiled.inputs_fit_32_bits()) {
      const std::vector<std::int32_t> lanes32(lanes.begin(), lanes.end());
      std::vector<std::int64_t> c(n * compiled.output_width());
      compiled.evaluate_lanes(ws, lanes32.data(), n, c.data());
      ASSERT_EQ(a, c) << "model " << m << " from 32-bit lanes";
      // Read in place: the caller's lanes stay as they were.
      ASSERT_EQ(lanes32, std::vector<std::int32_t>(lanes.begin(), lanes.end())) << "model " << m;
    }
    // Lane-major outputs hold the same codes, output by output.
    std::vector<std::int64_t> d(CompiledModel::kBatch * compiled.output_width());
    compiled.evaluate_lanes(ws, lanes.data(), n, d.data(), CompiledModel::OutputLayout::lane_major);
    for (std::size_t e = 0; e < n; ++e) {
      for (std::size_t o = 0; o < compiled.output_width(); ++o) {
        ASSERT_EQ(d[o * CompiledModel::kBatch + e], a[e * compiled.output_width() + o]) << "model " << m << " event " << e << " output " << o;
      }
    }
    // An event-major evaluation after the in-place one works on the workspace's own lanes again.
    std::vector<std::int64_t> again(n * compiled.output_width());
    compiled.evaluate(ws, events.data(), n, again.data());
    ASSERT_EQ(a, again) << "model " << m;
  }
}

TEST(CompiledModel, RejectsTypesWiderThanItsLanes) {
  const ArraySpec in{"x", 2, FixedType::parse("ap_fixed<64,10>")};
  Model model("wide", Flavor::Head, {in});
  model.add_layer(std::make_unique<Linear>("y", in, FixedType::parse("ap_fixed<16,6>")));
  model.set_outputs({"y"});
  std::string why;
  EXPECT_FALSE(CompiledModel::supports(model, &why));
  EXPECT_NE(why.find("ap_fixed<64,10>"), std::string::npos) << why;
  EXPECT_THROW(CompiledModel{model}, std::invalid_argument);
}

TEST(CompiledModel, FastInputCodesMatchTheFloatConstructor) {
  std::mt19937_64 rng(77);
  testing::RandomModelFactory factory(78, 62);
  std::size_t checked = 0;
  for (int t = 0; t < 2000; ++t) {
    const FixedType type = factory.type(1);
    for (int i = 0; i < 200; ++i) {
      const int exponent = std::uniform_int_distribution<int>(-60, 60)(rng);
      float v = std::ldexp(std::uniform_real_distribution<float>(-1.0F, 1.0F)(rng), exponent);
      if (i % 7 == 0) v = std::ldexp(std::round(v * 8.0F) / 8.0F, 0);  // values with few mantissa bits: ties
      ASSERT_EQ(BigInt(input_code(v, type)), from_float(v, type)) << v << " into " << type.to_string();
      ++checked;
    }
  }
  std::printf("input_code vs from_float: %zu conversions identical\n", checked);
}

// The per-type converter (prepared exponents) gives input_code's codes, on every exponent class:
// normal floats of every magnitude, ties, zeros, subnormals, infinities and NaN (where both throw).
TEST(CompiledModel, PreparedInputCodeConverterMatchesInputCode) {
  std::mt19937_64 rng(79);
  testing::RandomModelFactory factory(80, 62);
  std::size_t checked = 0, thrown = 0;
  for (int t = 0; t < 600; ++t) {
    const FixedType type = factory.type(1);
    const InputCodeConverter convert(type);
    for (int i = 0; i < 300; ++i) {
      float v;
      if (i < 8) {
        v = std::array<float, 8>{0.0F, -0.0F, 1e-45F, -1e-40F, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                                 std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::max()}[static_cast<std::size_t>(i)];
      } else if (i % 5 == 0) {
        v = std::bit_cast<float>(static_cast<std::uint32_t>(rng()));  // any bit pattern
      } else {
        v = std::ldexp(std::uniform_real_distribution<float>(-1.0F, 1.0F)(rng), std::uniform_int_distribution<int>(-70, 70)(rng));
        if (i % 7 == 0) v = std::round(v * 8.0F) / 8.0F;  // ties
      }
      std::optional<std::int64_t> expected, got;
      try {
        expected = input_code(v, type);
      } catch (const std::exception&) {
      }
      try {
        got = convert(v);
      } catch (const std::exception&) {
      }
      ASSERT_EQ(got, expected) << v << " into " << type.to_string();
      ++checked;
      if (!expected) ++thrown;
    }
  }
  std::printf("prepared converter vs input_code: %zu conversions identical (%zu rejected by both)\n", checked, thrown);
}

// --- Instruction sets: the kernels dispatch at run time (Highway); every set this machine has
// must give the reference's codes. Each test runs once per available set.
class CompiledUnderIsa : public testing::UnderVectorIsa {};

// Random events for a model: codes of its input types.
std::vector<std::vector<std::int64_t>> random_events(testing::RandomModelFactory& factory, const Model& model, int count) {
  return testing::random_input_events(factory, model, count);
}

// hls4ml's default shape (16-bit data, narrow weights, TRN products into a WRAP accumulator of at
// most 16 bits) at sizes up to the paper's encoder, where the 16-bit split kernel runs: dense
// weights (the register-blocked and VNNI forms) and sparse ones (column lists), all-zero included.
TEST_P(CompiledUnderIsa, Split16DenseMatchesTheReference) {
  testing::RandomModelFactory factory(0x5E1F16 + GetParam().size(), 16);
  std::mt19937 rng(2024);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int checked = 0, vnni = 0, sparse = 0, direct = 0, direct_large = 0;
  for (int m = 0; m < 120; ++m) {
    const bool mostly_small = m % 4 == 1;  // hls4ml's default types, big enough that a few weights are larger
    const FixedType x_t = mostly_small ? FixedType::parse("ap_fixed<16,6>")
                                       : FixedType::parse("ap_fixed<" + std::to_string(pick(4, 16)) + "," + std::to_string(pick(-2, 8)) + ">");
    const ArraySpec in{"x", static_cast<std::size_t>(mostly_small ? pick(16, 70) : pick(1, 70)), x_t};
    Dense::Config c;
    c.n_out = static_cast<std::size_t>(mostly_small ? pick(8, 40) : pick(1, 40));
    c.weight_t = FixedType::parse("ap_fixed<" + std::to_string(pick(2, 12)) + "," + std::to_string(pick(-1, 3)) + ">");
    c.bias_t = c.weight_t;
    const int acc_w = pick(6, 16);
    c.accum_t = FixedType::parse(std::string(pick(0, 4) == 0 ? "ap_ufixed<" : "ap_fixed<") + std::to_string(acc_w) + "," +
                                 std::to_string(pick(1, acc_w)) + ">");
    c.result_t = factory.type(2);
    if (m % 4 == 1 || m % 4 == 2) {
      // hls4ml's defaults, 8-bit weights: over all 8 bits many exceed the direct form (the VNNI
      // shape); mostly small below (the direct form with a few larger weights).
      c.weight_t = FixedType::parse(mostly_small ? "ap_fixed<8,1>" : "ap_fixed<8," + std::to_string(pick(0, 2)) + ">");
      c.bias_t = c.weight_t;
      c.accum_t = FixedType::parse(mostly_small ? "ap_fixed<16,6>" : "ap_fixed<16," + std::to_string(pick(4, 8)) + ">");
    }
    const int zero_percent = m % 4 == 3 ? (m % 8 == 7 ? 100 : pick(80, 97)) : 5;
    c.weights = factory.codes(c.weight_t, in.size * c.n_out, zero_percent);
    if (mostly_small) {
      // Mostly small weights, as trained ones are: all but about 5 % divided by 4 (|w| <= 32, where
      // the direct form takes |w| < 64).
      for (auto& w : c.weights) {
        if (pick(0, 99) >= 5) w /= 4;
      }
    }
    c.biases = factory.codes(c.bias_t, c.n_out);
    Model model("split16", Flavor::Paper, {in});
    model.add_layer(std::make_unique<Dense>("dense", in, std::move(c)));
    model.set_outputs({"dense"});
    const auto lines = CompiledModel(model).describe();
    if (lines.front().find("split16") == std::string::npos) continue;  // e.g. products that keep every bit
    ASSERT_EQ(compare_all_arrays(model, random_events(factory, model, 150), "split16 model " + std::to_string(m) + " under " + GetParam()), 0U)
        << lines.front();
    ++checked;
    if (lines.front().find("VNNI") != std::string::npos) ++vnni;  // byte weights, s <= 8
    if (lines.front().find("sparse") != std::string::npos) ++sparse;
    if (lines.front().find("direct") != std::string::npos) ++direct;
    if (lines.front().find("larger weights from column lists") != std::string::npos) ++direct_large;
  }
  std::printf("%s: %d split16 Dense layers (%d of the VNNI shape, %d sparse, %d direct of which %d with larger weights) identical to the reference\n",
              GetParam().c_str(), checked, vnni, sparse, direct, direct_large);
  EXPECT_GT(checked, 60);
  EXPECT_GT(vnni, 8);  // the AVX3_DL run exercises the VNNI kernel on these
  EXPECT_GT(sparse, 8);
  EXPECT_GT(direct, 8);
  EXPECT_GT(direct_large, 12);
}

// The split16 kernel keeps its int16 rows in fixed stack scratch (kSplit16MaxLanes codes, so 1024
// rows of CompiledModel::kBatch lanes): a Dense with more outputs, or siblings that would merge
// into more, take another path and still give the reference's codes (a layer wider than the
// scratch once overran it and crashed predict).
TEST_P(CompiledUnderIsa, Split16LeavesLayersWiderThanItsScratch) {
  testing::RandomModelFactory factory(0x5E1F + GetParam().size(), 16);
  const ArraySpec in{"x", 20, FixedType::parse("ap_fixed<16,6>")};
  const auto dense = [&](const std::string& name, std::size_t n_out) {
    Dense::Config c;
    c.n_out = n_out;
    c.weight_t = FixedType::parse("ap_fixed<8,1>");
    c.bias_t = c.weight_t;
    c.accum_t = FixedType::parse("ap_fixed<16,6>");
    c.result_t = FixedType::parse("ap_fixed<16,6>");
    c.weights = factory.codes(c.weight_t, in.size * c.n_out, 5);
    c.biases = factory.codes(c.bias_t, c.n_out);
    return std::make_unique<Dense>(name, in, std::move(c));
  };
  // kSplit16MaxLanes of emu/src/compiled/dense_split16.h over the batch.
  constexpr std::size_t kMaxRows = 256 * 256 / CompiledModel::kBatch;
  for (const std::size_t n_out : {std::size_t{300}, kMaxRows, kMaxRows + 1}) {
    Model model("wide", Flavor::Paper, {in});
    model.add_layer(dense("dense", n_out));
    model.set_outputs({"dense"});
    const auto lines = CompiledModel(model).describe();
    EXPECT_EQ(lines.front().find("split16") != std::string::npos, n_out <= kMaxRows) << n_out << ": " << lines.front();
    ASSERT_EQ(compare_all_arrays(model, random_events(factory, model, 300), "wide Dense under " + GetParam()), 0U) << lines.front();
  }
  Model siblings("siblings", Flavor::Paper, {in});
  siblings.add_layer(dense("mean", kMaxRows / 2 + 8));
  siblings.add_layer(dense("log_var", kMaxRows / 2 + 8));
  siblings.set_outputs({"mean", "log_var"});
  const auto lines = CompiledModel(siblings).describe();
  EXPECT_EQ(lines.front().find("also computes"), std::string::npos) << lines.front();
  ASSERT_EQ(compare_all_arrays(siblings, random_events(factory, siblings, 300), "wide siblings under " + GetParam()), 0U);
}

// Dense layers whose products keep every bit (16-bit codes, an accumulator as fine as the
// product) run as pmaddwd pairs (dense_pairs.cpp): inputs 2p and 2p+1 share a 32-bit lane, odd
// and even input counts. Under EMU128 the odd inputs' products once went to the second sum of
// Highway's ReorderWidenMulAccumulate, which the kernel dropped (issue 17): this test failed there.
TEST_P(CompiledUnderIsa, PairsDenseMatchesTheReference) {
  testing::RandomModelFactory factory(0x9A125 + GetParam().size(), 16);
  int checked = 0, odd = 0;
  for (int m = 0; m < 40; ++m) {
    const int x_w = factory.uniform(4, 16), x_i = factory.uniform(-2, 8);
    const int w_w = factory.uniform(2, 16), w_i = factory.uniform(-1, 4);
    const ArraySpec in{"x", static_cast<std::size_t>(factory.uniform(2, 60)),
                       FixedType::parse("ap_fixed<" + std::to_string(x_w) + "," + std::to_string(x_i) + ">")};
    Dense::Config c;
    c.n_out = static_cast<std::size_t>(factory.uniform(1, 20));
    c.weight_t = FixedType::parse("ap_fixed<" + std::to_string(w_w) + "," + std::to_string(w_i) + ">");
    c.bias_t = c.weight_t;
    // The product's fractional bits exactly: no product bit is dropped (shift 0).
    const int frac = (x_w - x_i) + (w_w - w_i);
    c.accum_t = FixedType::parse("ap_fixed<24," + std::to_string(24 - frac) + ">");  // WRAP, within int32 lanes
    c.result_t = factory.type(2);
    c.weights = factory.codes(c.weight_t, in.size * c.n_out, 5);
    c.biases = factory.codes(c.bias_t, c.n_out);
    Model model("pairs", Flavor::Paper, {in});
    model.add_layer(std::make_unique<Dense>("dense", in, std::move(c)));
    model.set_outputs({"dense"});
    const auto lines = CompiledModel(model).describe();
    if (lines.front().find("pmaddwd pairs") == std::string::npos) continue;
    ASSERT_EQ(compare_all_arrays(model, random_events(factory, model, 150), "pairs model " + std::to_string(m) + " under " + GetParam()), 0U)
        << lines.front();
    ++checked;
    if (in.size % 2 == 1) ++odd;
  }
  std::printf("%s: %d pmaddwd-pairs Dense layers (%d with an odd input count) identical to the reference\n", GetParam().c_str(),
              checked, odd);
  EXPECT_GT(checked, 20);
  EXPECT_GT(odd, 5);
}

// Sibling Dense layers (one input, adjacent outputs, same types) run as one pass; siblings whose
// result types differ do not; both give the reference's codes in every array.
TEST_P(CompiledUnderIsa, SiblingDenseLayersMatchTheReference) {
  testing::RandomModelFactory factory(0x51B + GetParam().size(), 16);
  for (int m = 0; m < 20; ++m) {
    const ArraySpec in{"x", static_cast<std::size_t>(factory.uniform(1, 40)), FixedType::parse("ap_fixed<16,6>")};
    Model model("siblings", Flavor::Paper, {in});
    const auto dense = [&](const std::string& name, const std::string& result_t) {
      Dense::Config c;
      c.n_out = static_cast<std::size_t>(factory.uniform(1, 12));
      c.weight_t = FixedType::parse("ap_fixed<8,1>");
      c.bias_t = c.weight_t;
      c.accum_t = FixedType::parse("ap_fixed<16,6>");
      c.result_t = FixedType::parse(result_t);
      c.weights = factory.codes(c.weight_t, in.size * c.n_out, 5);
      c.biases = factory.codes(c.bias_t, c.n_out);
      return std::make_unique<Dense>(name, in, std::move(c));
    };
    const bool same = m % 4 != 3;
    model.add_layer(dense("mean", "ap_fixed<16,6>"));
    model.add_layer(dense("log_var", same ? "ap_fixed<16,6>" : "ap_fixed<12,4,AP_RND,AP_SAT>"));
    model.set_outputs({"mean", "log_var"});
    const auto lines = CompiledModel(model).describe();
    EXPECT_EQ(lines.front().find("also computes 'log_var'") != std::string::npos, same) << lines.front();
    ASSERT_EQ(compare_all_arrays(model, random_events(factory, model, 130), "siblings " + std::to_string(m) + " under " + GetParam()), 0U)
        << lines.front() << "\n" << lines.back();
  }
}

// Paper BatchNorm in hls4ml's default shapes (truncating, wrapping types): where the second wrap
// makes the first redundant the plan drops it ("one wrap"), else keeps both; wider and narrower
// result types, unsigned ones and other modes mixed in. Every array matches the reference.
TEST(CompiledModel, PaperBatchNormMatchesTheReference) {
  testing::RandomModelFactory factory(0xB17B, 16);
  int one_wrap = 0, both_wraps = 0;
  for (int m = 0; m < 120; ++m) {
    const auto fixed = [&](int w_lo, int w_hi, bool allow_unsigned) {
      const int w = factory.uniform(w_lo, w_hi);
      const bool is_unsigned = allow_unsigned && factory.uniform(0, 5) == 0;
      std::string spelled = std::string(is_unsigned ? "ap_ufixed<" : "ap_fixed<") + std::to_string(w) + "," + std::to_string(factory.uniform(-2, w));
      if (factory.uniform(0, 7) == 0) spelled += factory.uniform(0, 1) == 0 ? ",AP_RND,AP_WRAP" : ",AP_TRN,AP_SAT";
      return FixedType::parse(spelled + ">");
    };
    const ArraySpec in{"x", static_cast<std::size_t>(factory.uniform(1, 60)), fixed(4, 18, true)};
    BatchNormalization::Config c;
    c.rounding = BatchNormRounding::Twice;
    c.scale_t = fixed(2, 10, false);
    c.bias_t = fixed(2, 10, false);
    c.result_t = fixed(3, 18, true);
    c.scale = factory.codes(c.scale_t, in.size);
    c.bias = factory.codes(c.bias_t, in.size);
    Model model("bn", Flavor::Paper, {in});
    model.add_layer(std::make_unique<BatchNormalization>("bn", in, std::move(c)));
    model.set_outputs({"bn"});
    const std::string line = CompiledModel(model).describe().front();
    ASSERT_EQ(compare_all_arrays(model, random_events(factory, model, 130), "paper batchnorm " + std::to_string(m)), 0U) << line;
    if (line.find("one wrap") != std::string::npos) ++one_wrap;
    if (line.find("(one pass)") != std::string::npos || line.find("(two passes)") != std::string::npos) ++both_wraps;
  }
  std::printf("paper BatchNorm: %d with the first wrap dropped, %d with both conversions, identical to the reference\n", one_wrap, both_wraps);
  EXPECT_GT(one_wrap, 20);
  EXPECT_GT(both_wraps, 20);
}

// LeakyReLU whose positive branch changes nothing (result type = input type: one fused pass) and
// whose result type differs (two passes), for both flavours and random alphas.
TEST_P(CompiledUnderIsa, LeakyReluMatchesTheReference) {
  testing::RandomModelFactory factory(0x1EA + GetParam().size(), 16);
  for (int m = 0; m < 24; ++m) {
    const FixedType x_t = m % 2 == 0 ? FixedType::parse("ap_fixed<16,6>") : factory.type(4);
    const ArraySpec in{"x", static_cast<std::size_t>(factory.uniform(1, 30)), x_t};
    Model model("leaky", m % 3 == 0 ? Flavor::Head : Flavor::Paper, {in});
    LeakyReLU::Config c;
    c.flavor = model.flavor();
    c.alpha = static_cast<double>(factory.uniform(1, 99)) / 100.0;
    c.param_t = FixedType::parse("ap_fixed<16,6>");
    c.result_t = m % 4 < 2 ? x_t : factory.type(4);
    model.add_layer(std::make_unique<LeakyReLU>("leaky", in, c));
    model.set_outputs({"leaky"});
    ASSERT_EQ(compare_all_arrays(model, random_events(factory, model, 130), "leaky " + std::to_string(m) + " under " + GetParam()), 0U);
  }
}

TEST_P(CompiledUnderIsa, RandomModelsMatchTheReference) {
  constexpr std::uint64_t kSeed = 0x15A;
  int checked = 0;
  for (int m = 0; m < 80; ++m) {
    testing::RandomModelFactory factory(kSeed + static_cast<std::uint64_t>(m), m % 3 == 0 ? 40 : 16);
    const Model model = factory.model(factory.uniform(1, 6));
    if (!CompiledModel::supports(model)) continue;
    ASSERT_EQ(compare_all_arrays(model, random_events(factory, model, 70), "random model " + std::to_string(m) + " under " + GetParam()), 0U);
    ++checked;
  }
  EXPECT_GT(checked, 60);
}

TEST_P(CompiledUnderIsa, GoldenCasesMatch) {
  L1EMU_REQUIRE_SHARED();
  for (const std::string& name : testing::golden_case_names()) {
    const auto dir = testing::golden_dir() / name;
    const Model model = load_model_json(dir / "model.json");
    EventTextReader reader(dir / "inputs.txt", input_width(model));
    std::vector<float> values;
    std::vector<std::vector<std::int64_t>> events;
    while (reader.next(values) && events.size() < 300) {
      std::vector<std::int64_t> codes;
      std::size_t k = 0;
      for (const auto& in : model.inputs()) {
        for (std::size_t i = 0; i < in.size; ++i) codes.push_back(input_code(values[k++], in.type));
      }
      events.push_back(std::move(codes));
    }
    EXPECT_EQ(compare_all_arrays(model, events, name + " under " + GetParam()), 0U);
  }
}

INSTANTIATE_TEST_SUITE_P(Isa, CompiledUnderIsa, ::testing::ValuesIn(available_vector_isas()),
                         [](const auto& param_info) { return param_info.param; });

TEST(VectorIsa, RestrictsToAvailableSetsOnly) {
  const auto sets = available_vector_isas();
  ASSERT_FALSE(sets.empty());
  EXPECT_EQ(active_vector_isa(), sets.front());
  EXPECT_THROW(restrict_vector_isa("NOT_AN_ISA"), std::invalid_argument);
  EXPECT_EQ(active_vector_isa(), sets.front());
  restrict_vector_isa(sets.back());
  EXPECT_EQ(active_vector_isa(), sets.back());
  EXPECT_EQ(available_vector_isas(), sets);  // the list is the machine's, whatever the restriction
  restrict_vector_isa("");
  EXPECT_EQ(active_vector_isa(), sets.front());
}

class CompiledGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(CompiledGolden, MatchesTheReferenceAndTheExpectedOutputs) {
  L1EMU_REQUIRE_SHARED();
  const auto dir = testing::golden_dir() / GetParam();
  const Model model = load_model_json(dir / "model.json");
  EventTextReader reader(dir / "inputs.txt", input_width(model));
  std::vector<float> values;
  std::vector<std::vector<std::int64_t>> events;
  while (reader.next(values)) {
    std::vector<std::int64_t> codes;
    std::size_t k = 0;
    for (const auto& in : model.inputs()) {
      for (std::size_t i = 0; i < in.size; ++i) codes.push_back(input_code(values[k++], in.type));
    }
    events.push_back(std::move(codes));
  }
  EXPECT_EQ(compare_all_arrays(model, events, GetParam()), 0U);
  for (const auto& line : CompiledModel(model).describe()) std::printf("  %s\n", line.c_str());
}

INSTANTIATE_TEST_SUITE_P(Golden, CompiledGolden, ::testing::ValuesIn(testing::golden_case_names()),
                         [](const auto& param_info) { return testing::case_test_name(param_info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CompiledGolden);

}  // namespace
}  // namespace l1emu::emu

namespace l1emu::emu {
namespace {

// Mostly-zero weights (the convolution-as-Dense case) run as column lists summed in vector
// registers, 16 lanes at a time, the rest of a batch lane by lane: products kept whole or rounded
// by a shift (TRN, RND; RND_CONV takes the general loop), every accum_t overflow rule there (a wrap
// to a narrow signed or unsigned type, or a saturating one checked after the sum) and batches that
// are not whole blocks.
TEST(CompiledModel, RegisterColumnSumsMatchTheReferenceOnEveryBatchSize) {
  std::mt19937_64 rng(0x5EED);
  const ArraySpec in{"x", 48, FixedType::parse("ap_fixed<8,4>")};
  for (const char* accum : {"ap_fixed<12,4>", "ap_ufixed<11,3>", "ap_fixed<14,6,AP_TRN,AP_SAT>", "ap_fixed<32,24>", "ap_fixed<10,4>",
                            "ap_fixed<9,3,AP_RND>", "ap_ufixed<9,3,AP_RND>", "ap_fixed<10,4,AP_RND_CONV>"}) {
    Dense::Config c;
    c.n_out = 5;
    c.weight_t = c.bias_t = FixedType::parse("ap_fixed<6,2>");
    c.accum_t = FixedType::parse(accum);  // x*w has 8 fraction bits
    c.result_t = FixedType::parse("ap_fixed<10,4,AP_RND,AP_SAT>");
    for (std::size_t k = 0; k < in.size * c.n_out; ++k) c.weights.push_back(BigInt(rng() % 8 == 0 ? static_cast<long>(rng() % 64) - 32 : 0L));
    for (std::size_t k = 0; k < c.n_out; ++k) c.biases.push_back(BigInt(static_cast<long>(rng() % 64) - 32));
    Model model("columns", Flavor::Head, {in});
    model.add_layer(std::make_unique<Dense>("d", in, c));
    model.set_outputs({"d"});
    const auto plan = CompiledModel(model).describe();
    ASSERT_NE(plan.at(0).find("column lists"), std::string::npos) << plan.at(0);
    for (const int events : {1, 7, 16, 37, 64, 100, 211}) {
      std::vector<std::vector<std::int64_t>> codes;
      for (int e = 0; e < events; ++e) {
        std::vector<std::int64_t> event;
        for (std::size_t i = 0; i < in.size; ++i) event.push_back(static_cast<std::int64_t>(rng() % 256) - 128);
        codes.push_back(std::move(event));
      }
      EXPECT_EQ(compare_all_arrays(model, codes, std::string(accum) + ", " + std::to_string(events) + " events"), 0U);
    }
  }
}

}  // namespace
}  // namespace l1emu::emu
