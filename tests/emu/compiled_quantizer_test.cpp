// The compiled FixedPointQuantizer (HGQ's per-element quantizer) is bit-identical to the reference
// layer: random layers (every rounding and overflow mode, saturation bits, signed and unsigned
// element types with integer bits below 0 and above the width, pruned elements, result types that
// round and overflow again, input and result types beyond 32 bits) on inputs over the whole code
// range, compared array by array under every vector ISA, never on the reference fallback. Random
// layers also read back from model.json code for code.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "compiled_compare.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/fixed_point_quantizer.h"
#include "random_model.h"

namespace l1emu::emu {
namespace {

// A random quantizer over `in`: one rounding mode, overflow mode and N for all its elements, as
// hls4ml writes them; widths and integer bits spread like HGQ's (a few bits, the binary point
// anywhere from above the MSB to below the LSB).
std::unique_ptr<FixedPointQuantizer> random_quantizer(testing::RandomModelFactory& f, const std::string& name, const ArraySpec& in, int max_width) {
  const auto q = static_cast<Quantization>(f.uniform(0, 6));
  const auto o = static_cast<Overflow>(f.uniform(0, 3));
  const int n_sat = o == Overflow::Wrap && f.uniform(0, 4) == 0 ? f.uniform(1, 3) : 0;
  FixedPointQuantizer::Config c;
  for (std::size_t i = 0; i < in.size; ++i) {
    if (f.uniform(0, 6) == 0) {
      c.element_t.emplace_back();  // out[i] = 0;
      continue;
    }
    FixedType t;
    t.width = f.uniform(std::max(1, n_sat), f.uniform(0, 3) == 0 ? max_width : 10);
    t.integer_bits = f.uniform(-6, t.width + 8);
    t.is_signed = f.uniform(0, 2) != 0;
    t.quantization = q;
    t.overflow = o;
    t.saturation_bits = n_sat;
    c.element_t.push_back(t);
  }
  c.result_t = f.type(1);
  return std::make_unique<FixedPointQuantizer>(name, in, std::move(c));
}

Model random_model(std::uint64_t seed, int max_width) {
  testing::RandomModelFactory f(seed, max_width);
  const ArraySpec in{"x", static_cast<std::size_t>(f.uniform(1, 16)), f.type(1), {}};
  Model model("quantizers", Flavor::Head, {in});
  auto first = random_quantizer(f, "q", in, max_width);
  const ArraySpec between = first->output_spec();
  model.add_layer(std::move(first));
  std::vector<std::string> outputs{"q"};
  if (f.uniform(0, 1) == 1) {  // a second quantizer reading the first, as HGQ models chain them
    model.add_layer(random_quantizer(f, "q2", between, max_width));
    outputs.push_back("q2");
  }
  model.set_outputs(outputs);
  return model;
}

class CompiledQuantizerUnderIsa : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { restrict_vector_isa(GetParam()); }
  void TearDown() override { restrict_vector_isa(""); }
};

TEST_P(CompiledQuantizerUnderIsa, RandomLayersMatchTheReference) {
  int narrow = 0, wide = 0, checked = 0, reduced = 0;
  for (int m = 0; m < 300; ++m) {
    const Model model = random_model(0x46505131 + static_cast<std::uint64_t>(m), m % 3 == 0 ? 44 : 20);  // a third beyond 32 bits
    if (!CompiledModel::supports(model)) continue;
    testing::RandomModelFactory events_rng(static_cast<std::uint64_t>(m));
    const auto events = testing::random_input_events(events_rng, model, 300);
    ASSERT_EQ(testing::compiled_mismatches(model, events, "quantizer model " + std::to_string(m) + " under " + GetParam()), 0U);
    for (const std::string& line : CompiledModel(model).describe()) {
      ASSERT_EQ(line.find("reference"), std::string::npos) << "model " << m << ": " << line;
      ASSERT_NE(line.find("fixed-point quantizer"), std::string::npos) << "model " << m << ": " << line;
      (line.find("int32") != std::string::npos ? narrow : wide)++;
      reduced += line.find("reduced code") != std::string::npos ? 1 : 0;
    }
    ++checked;
  }
  std::printf("  %d models: %d quantizers on int32 lanes, %d on int64, %d with conversions through a reduced code\n", checked, narrow, wide, reduced);
  EXPECT_GT(checked, 280);
  EXPECT_GT(narrow, 50);
  EXPECT_GT(wide, 50);
  EXPECT_GT(reduced, 10);  // SafeConversion's Fold and Sign paths are exercised
}

INSTANTIATE_TEST_SUITE_P(Isa, CompiledQuantizerUnderIsa, ::testing::ValuesIn(available_vector_isas()),
                         [](const auto& param_info) { return param_info.param; });

// Ties and the extremes: every code of narrow input types through every mode pair.
TEST(CompiledQuantizer, EveryInputCodeOfNarrowInputs) {
  for (int m = 0; m < 200; ++m) {
    testing::RandomModelFactory f(0xC0DE + static_cast<std::uint64_t>(m), 12);
    FixedType x_t = f.type(1);
    x_t.width = f.uniform(1, 11);
    x_t.integer_bits = f.uniform(-3, x_t.width + 3);
    const ArraySpec in{"x", static_cast<std::size_t>(f.uniform(1, 8)), x_t, {}};
    Model model("sweep", Flavor::Head, {in});
    model.add_layer(random_quantizer(f, "q", in, 12));
    model.set_outputs({"q"});
    std::vector<std::vector<std::int64_t>> events;
    for (BigInt c = x_t.min_code(); c <= x_t.max_code(); ++c) events.emplace_back(in.size, c.convert_to<std::int64_t>());
    ASSERT_EQ(testing::compiled_mismatches(model, events, "sweep model " + std::to_string(m)), 0U);
  }
}

// Binary points far apart (more than a lane's bits): the element codes come from a reduced code
// (SafeConversion's Fold and Sign), in every mode, for elements far coarser and far finer.
TEST(CompiledQuantizer, BinaryPointsFartherApartThanTheLane) {
  int folded = 0, signs = 0;
  for (int m = 0; m < 160; ++m) {
    testing::RandomModelFactory f(0xFA2 + static_cast<std::uint64_t>(m), 24);
    FixedType x_t = f.type(2);
    x_t.integer_bits = f.uniform(0, 1) ? -f.uniform(40, 70) : f.uniform(60, 90);  // F = W - I: about +-70
    const ArraySpec in{"x", 6, x_t, {}};
    FixedPointQuantizer::Config c;
    const auto q = static_cast<Quantization>(m % 7);
    const auto o = static_cast<Overflow>((m / 7) % 4);
    const int n_sat = o == Overflow::Wrap && m % 3 == 0 ? 1 : 0;
    for (int i = 0; i < 6; ++i) {
      FixedType t{f.uniform(1, 12), 0, f.uniform(0, 1) == 1, q, o, n_sat};
      t.integer_bits = t.width - x_t.fractional_bits() + (i < 3 ? f.uniform(60, 80) : -f.uniform(60, 80));  // coarser, then finer
      c.element_t.push_back(t);
    }
    c.result_t = f.type(1);
    Model model("far", Flavor::Head, {in});
    model.add_layer(std::make_unique<FixedPointQuantizer>("q", in, std::move(c)));
    model.set_outputs({"q"});
    const std::string plan = CompiledModel(model).describe().back();
    ASSERT_EQ(plan.find("reference"), std::string::npos) << plan;
    folded += plan.find("reduced code") != std::string::npos ? 1 : 0;
    testing::RandomModelFactory events_rng(static_cast<std::uint64_t>(m));
    ASSERT_EQ(testing::compiled_mismatches(model, testing::random_input_events(events_rng, model, 400), "far model " + std::to_string(m)), 0U) << plan;
    signs += x_t.fractional_bits() > 62 ? 1 : 0;
  }
  EXPECT_EQ(folded, 160);
  EXPECT_GT(signs, 20);
}

TEST(CompiledQuantizer, RandomLayersReadBackFromModelJson) {
  for (int m = 0; m < 100; ++m) {
    const Model model = random_model(0x15050 + static_cast<std::uint64_t>(m), 30);
    const std::string json = write_model_json(model);
    const Model reread = parse_model_json(json, "model " + std::to_string(m));
    ASSERT_EQ(write_model_json(reread), json);
    const auto* a = dynamic_cast<const FixedPointQuantizer*>(model.layers()[0].get());
    const auto* b = dynamic_cast<const FixedPointQuantizer*>(reread.layers()[0].get());
    ASSERT_NE(b, nullptr);
    ASSERT_EQ(a->config().element_t, b->config().element_t) << json;
  }
}

}  // namespace
}  // namespace l1emu::emu
