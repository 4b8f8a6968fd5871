// The direct convolution kernel (convolution_direct_kernel.cpp: window sums in registers, WRAP
// accumulators, the next ReLU or Linear applied in its epilogue) is bit-identical to the reference
// on random models: Conv1D/Conv2D with random shapes, channels, filters, strides and pads, WRAP
// accumulators of 8..31 bits (sums that wrap and sums that provably do not), products exact, of a
// coarser LSB than accum_t, or rounded (TRN, RND and the modes left to other kernels), random
// result types, followed by a ReLU or Linear of a random result type (every quantization and
// overflow mode) or by nothing; every array of every event compared, under every instruction set.
// Mutations (a dropped window term, a different rounding of the fused activation, a different
// overflow mode of it) must be caught by the same events.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

#include "under_vector_isa.h"
#include "compiled_compare.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/convolution.h"
#include "random_model.h"

namespace l1emu::emu {
namespace {

using testing::RandomModelFactory;

struct ConvCase {
  ArraySpec input;
  Convolution::Config conv;
  int activation = 0;  // 0 none, 1 ReLU, 2 Linear, 3 LeakyReLU (alpha 0.3 in ap_fixed<16,6>)
  FixedType activation_t;
};

std::size_t axis(RandomModelFactory& f, std::size_t in, std::size_t& window, std::size_t& stride, std::size_t& lo, std::size_t& hi) {
  window = static_cast<std::size_t>(f.uniform(1, 3));
  stride = static_cast<std::size_t>(f.uniform(1, 3));
  lo = static_cast<std::size_t>(f.uniform(0, 1));
  hi = static_cast<std::size_t>(f.uniform(0, 1));
  if (in + lo + hi < window) window = in + lo + hi;
  return (in + lo + hi - window) / stride + 1;
}

ConvCase random_case(RandomModelFactory& f) {
  ConvCase c;
  WindowGeometry& g = c.conv.geometry;
  g.rank = f.uniform(0, 2) == 0 ? 1 : 2;
  g.in_height = g.rank == 2 ? static_cast<std::size_t>(f.uniform(1, 9)) : 1;
  g.in_width = static_cast<std::size_t>(f.uniform(1, 9));
  g.channels = static_cast<std::size_t>(f.uniform(1, 3));
  if (g.rank == 2) g.out_height = axis(f, g.in_height, g.window_height, g.stride_height, g.pad_top, g.pad_bottom);
  g.out_width = axis(f, g.in_width, g.window_width, g.stride_width, g.pad_left, g.pad_right);
  c.input.name = "image";
  c.input.type = f.type(2);
  c.input.type.width = f.uniform(2, 12);
  c.input.shape = g.input_dims();
  c.input.size = g.input_size();
  Convolution::Config& k = c.conv;
  k.n_filt = static_cast<std::size_t>(f.uniform(1, 6));
  k.weight_t = f.type(2);
  k.weight_t.width = f.uniform(2, 12);
  k.bias_t = f.type(2);
  // A plain WRAP accumulator (the direct kernel's domain), its LSB above, at or below the
  // products' so that products are rounded, exact, or shifted up.
  k.accum_t = FixedType{f.uniform(8, 31), 0, true, static_cast<Quantization>(f.uniform(0, 6)), Overflow::Wrap, 0};
  const int product_frac = c.input.type.fractional_bits() + k.weight_t.fractional_bits();
  k.accum_t.integer_bits = k.accum_t.width - (product_frac + f.uniform(-3, 3));
  k.result_t = f.uniform(0, 2) == 0 ? k.accum_t : f.type(2);
  const std::size_t window = g.window_height * g.window_width * g.channels;
  k.weights = f.codes(k.weight_t, window * k.n_filt, 15);
  k.biases = f.codes(k.bias_t, k.n_filt);
  c.activation = f.uniform(0, 4) == 0 ? 0 : f.uniform(1, 3) == 3 ? 2 : 1;
  c.activation_t = f.type(2);
  return c;
}

Model build(const ConvCase& c) {
  Model model("direct_conv", Flavor::Head, {c.input});
  std::unique_ptr<Layer> conv;
  if (c.conv.geometry.rank == 2) {
    conv = std::make_unique<Conv2D>("conv", c.input, c.conv);
  } else {
    conv = std::make_unique<Conv1D>("conv", c.input, c.conv);
  }
  const ArraySpec out = conv->output_spec();
  model.add_layer(std::move(conv));
  if (c.activation == 1) model.add_layer(std::make_unique<ReLU>("act", out, c.activation_t));
  if (c.activation == 2) model.add_layer(std::make_unique<Linear>("act", out, c.activation_t));
  if (c.activation == 3) {
    LeakyReLU::Config a;
    a.alpha = 0.3;
    a.param_t = FixedType::parse("ap_fixed<16,6>");
    a.result_t = c.activation_t;
    model.add_layer(std::make_unique<LeakyReLU>("act", out, a));
  }
  model.set_outputs({c.activation == 0 ? "conv" : "act"});
  return model;
}

class DirectConvolutionUnderIsa : public testing::UnderVectorIsa {};

// A LeakyReLU after a direct convolution is not the epilogue's ReLU or Linear: it runs as its own
// pass (the Dense kernels' epilogue takes LeakyReLUs, so epilogue_activation offers them), and
// the model equals the reference.
TEST_P(DirectConvolutionUnderIsa, LeakyReluAfterTheDirectKernelMatchesTheReference) {
  int direct = 0;
  for (int m = 0; m < 60; ++m) {
    RandomModelFactory factory(0x1EA4 + static_cast<std::uint64_t>(m), 20);
    ConvCase c = random_case(factory);
    c.activation = 3;
    const Model model = build(c);
    const auto lines = CompiledModel(model).describe();
    if (lines[0].find("direct int32") == std::string::npos) continue;
    ++direct;
    EXPECT_EQ(lines[0].find("applies the next layer"), std::string::npos) << lines[0];
    const auto events = testing::random_input_events(factory, model, 130);
    ASSERT_EQ(testing::compiled_mismatches(model, events, "conv+leaky " + std::to_string(m) + " under " + GetParam()), 0U) << lines[0];
  }
  EXPECT_GT(direct, 20);
}

TEST_P(DirectConvolutionUnderIsa, RandomConvolutionsAndFusedActivationsMatchTheReference) {
  constexpr std::uint64_t kSeed = 0xD1C0;
  int direct = 0, fused = 0, rounded = 0, dropped_terms = 0, dropped_caught = 0, mutations = 0, caught = 0;
  for (int m = 0; m < 300; ++m) {
    RandomModelFactory factory(kSeed + static_cast<std::uint64_t>(m), 20);
    const ConvCase c = random_case(factory);
    const Model model = build(c);
    const CompiledModel compiled(model);
    const std::string line = compiled.describe()[0];
    const bool is_direct = line.find("direct int32") != std::string::npos;
    direct += is_direct ? 1 : 0;
    fused += line.find("applies the next layer") != std::string::npos ? 1 : 0;
    rounded += line.find("rounded products") != std::string::npos ? 1 : 0;
    const auto events = testing::random_input_events(factory, model, 130);
    ASSERT_EQ(testing::compiled_mismatches(model, events, "model " + std::to_string(m) + " (" + line + ") under " + GetParam()), 0U);
    if (!is_direct) continue;
    // A dropped window term: the first nonzero weight set to zero in the reference's model.
    ConvCase dropped = c;
    for (BigInt& w : dropped.conv.weights) {
      if (w != 0) {
        w = 0;
        break;
      }
    }
    if (dropped.conv.weights != c.conv.weights) {
      const Model mutant = build(dropped);
      dropped_caught += testing::compiled_mismatches(model, events, "", &mutant) > 0 ? 1 : 0;
      ++dropped_terms;
    }
    if (c.activation != 0) {
      // The fused activation with another rounding mode, then another overflow mode. (Equivalent
      // on many random layers: no fraction bit dropped, no value out of range.)
      ConvCase other = c;
      other.activation_t.quantization = c.activation_t.quantization == Quantization::Trn ? Quantization::RndConv : Quantization::Trn;
      const Model rounding_mutant = build(other);
      caught += testing::compiled_mismatches(model, events, "", &rounding_mutant) > 0 ? 1 : 0;
      ++mutations;
      other = c;
      other.activation_t.overflow = c.activation_t.overflow == Overflow::Wrap ? Overflow::Sat : Overflow::Wrap;
      other.activation_t.saturation_bits = 0;
      const Model overflow_mutant = build(other);
      caught += testing::compiled_mismatches(model, events, "", &overflow_mutant) > 0 ? 1 : 0;
      ++mutations;
    }
  }
  std::printf("%s: %d of 300 convolutions on the direct kernel (%d with a fused activation, %d with rounded products); "
              "%d of %d dropped terms and %d of %d activation mode changes caught\n",
              GetParam().c_str(), direct, fused, rounded, dropped_caught, dropped_terms, caught, mutations);
  EXPECT_GT(direct, 150);
  EXPECT_GT(fused, 80);
  EXPECT_GT(rounded, 20);
  // The events must tell these mutants apart where they differ: random result types often
  // saturate or round a dropped term or a mode change away, so not every mutant is visible.
  EXPECT_GE(dropped_caught * 10, dropped_terms * 6);
  EXPECT_GT(caught * 10, mutations * 2);
}

INSTANTIATE_TEST_SUITE_P(EveryIsa, DirectConvolutionUnderIsa, ::testing::ValuesIn(available_vector_isas()));

// CICADA v2's shape and types (18x14x1 ap_ufixed<10,10> input, 2x2 stride 2, 4 filters,
// ap_fixed<12,4> weights, ap_fixed<30,22> accumulator, ReLU into ap_ufixed<10,6,AP_RND_CONV,AP_SAT>):
// the direct kernel with the ReLU fused, and equal to the reference.
TEST(DirectConvolution, CicadaShapeFusesTheRelu) {
  RandomModelFactory factory(0xC1CADA, 20);
  ConvCase c;
  WindowGeometry& g = c.conv.geometry;
  g.in_height = 18;
  g.in_width = 14;
  g.channels = 1;
  g.window_height = g.window_width = g.stride_height = g.stride_width = 2;
  g.out_height = 9;
  g.out_width = 7;
  c.input = {"inputs_", 252, FixedType::parse("ap_ufixed<10,10>"), {18, 14, 1}};
  c.conv.n_filt = 4;
  c.conv.weight_t = FixedType::parse("ap_fixed<12,4>");
  c.conv.bias_t = FixedType::parse("ap_ufixed<1,1>");
  c.conv.accum_t = FixedType::parse("ap_fixed<30,22>");
  c.conv.result_t = c.conv.accum_t;
  c.conv.weights = factory.codes(c.conv.weight_t, 16, 0);
  c.conv.biases = factory.codes(c.conv.bias_t, 4, 0);
  c.activation = 1;
  c.activation_t = FixedType::parse("ap_ufixed<10,6,AP_RND_CONV,AP_SAT>");
  const Model model = build(c);
  const CompiledModel compiled(model);
  EXPECT_NE(compiled.describe()[0].find("direct int32 wrap-sum windows (exact products"), std::string::npos) << compiled.describe()[0];
  EXPECT_NE(compiled.describe()[0].find("applies the next layer"), std::string::npos) << compiled.describe()[0];
  EXPECT_NE(compiled.describe()[1].find("computed by the previous layer"), std::string::npos) << compiled.describe()[1];
  const auto events = testing::random_input_events(factory, model, 300);
  EXPECT_EQ(testing::compiled_mismatches(model, events, "CICADA-shaped convolution"), 0U);
  ConvCase trn = c;
  trn.activation_t = FixedType::parse("ap_ufixed<10,6,AP_TRN,AP_SAT>");
  const Model trn_mutant = build(trn);
  EXPECT_GT(testing::compiled_mismatches(model, events, "", &trn_mutant), 0U) << "RND_CONV not told from TRN";
  ConvCase wrap = c;
  wrap.activation_t = FixedType::parse("ap_ufixed<10,6,AP_RND_CONV,AP_WRAP>");
  const Model wrap_mutant = build(wrap);
  EXPECT_GT(testing::compiled_mismatches(model, events, "", &wrap_mutant), 0U) << "SAT not told from WRAP";
}

}  // namespace
}  // namespace l1emu::emu
