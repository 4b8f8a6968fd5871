// The compiled engine's throughput paths for hls4ml's default shapes are bit-identical to the
// reference evaluator, under every instruction set this machine has: BatchNormalization on
// pmaddwd rows (emu/src/compiled/batch_norm_rows.h; with the paper rounding's TRN folded into the
// wrap where it can be) and the split16 direct form over each block's
// input range (a convolution run as the Dense over its whole input). Each also passes a mutation
// check: the same random events find a reference with one deliberate change (another rounding, a
// dropped term), so a kernel making that error could not pass.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "under_vector_isa.h"
#include "compiled_compare.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "random_model.h"

namespace l1emu::emu {
namespace {

class CompiledFastPathUnderIsa : public testing::UnderVectorIsa {};

FixedType with_quantization(FixedType t, Quantization q) {
  t.quantization = q;
  return t;
}

Model batch_norm_model(const ArraySpec& in, const BatchNormalization::Config& c) {
  Model model("bn", c.rounding == BatchNormRounding::Twice ? Flavor::Paper : Flavor::Head, {in});
  model.add_layer(std::make_unique<BatchNormalization>("bn", in, c));
  model.set_outputs({"bn"});
  return model;
}

// Random BatchNormalization layers around hls4ml's defaults (16-bit data, 8-bit scales, TRN,
// WRAP), both roundings, some with other modes (which keep the loops).
TEST_P(CompiledFastPathUnderIsa, BatchNormRowsMatchTheReference) {
  testing::RandomModelFactory factory(0xB16 + GetParam().size(), 20);
  std::mt19937 rng(77);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  // A mutant can be equivalent on a given layer (scales whose products never drop a bit, a bias
  // that wraps away), so the check is on the share caught over all layers.
  int checked = 0, rows16 = 0, folded = 0, mutations = 0, caught = 0;
  for (int m = 0; m < 160; ++m) {
    const int xw = pick(4, 16);
    const FixedType x_t = FixedType::parse("ap_fixed<" + std::to_string(xw) + "," + std::to_string(pick(-2, xw)) + ">");
    const ArraySpec in{"x", static_cast<std::size_t>(pick(1, 70)), x_t};
    BatchNormalization::Config c;
    c.rounding = m % 2 == 0 ? BatchNormRounding::Twice : BatchNormRounding::Once;
    const int sw = pick(2, 16), bw = pick(2, 12), rw = pick(6, 20);
    c.scale_t = FixedType::parse("ap_fixed<" + std::to_string(sw) + "," + std::to_string(pick(-1, 4)) + ">");
    c.bias_t = FixedType::parse("ap_fixed<" + std::to_string(bw) + "," + std::to_string(pick(-1, 4)) + ">");
    c.result_t = m % 5 == 4 ? factory.type(2) : FixedType::parse(m % 3 == 0 ? "ap_fixed<16,6>" : "ap_fixed<" + std::to_string(rw) + "," + std::to_string(pick(1, rw)) + ">");
    c.scale = factory.codes(c.scale_t, in.size, 3);
    c.bias = factory.codes(c.bias_t, in.size, 3);
    const Model model = batch_norm_model(in, c);
    const auto line = CompiledModel(model).describe().front();
    const auto events = testing::random_input_events(factory, model, 150);
    ASSERT_EQ(testing::compiled_mismatches(model, events, "batchnorm " + std::to_string(m) + " under " + GetParam()), 0U) << line;
    ++checked;
    if (line.find("pmaddwd") == std::string::npos) continue;
    ++rows16;
    if (line.find("TRN folded") != std::string::npos) ++folded;
    // Mutations: the result rounded (RND instead of TRN), one bias dropped.
    if (c.result_t.fractional_bits() < x_t.fractional_bits() + c.scale_t.fractional_bits() - 1) {
      BatchNormalization::Config rnd = c;
      rnd.result_t = with_quantization(c.result_t, Quantization::Rnd);
      const Model mutant = batch_norm_model(in, rnd);
      caught += testing::compiled_mismatches(model, events, "", &mutant) > 0 ? 1 : 0;
      ++mutations;
    }
    BatchNormalization::Config dropped = c;
    if (dropped.bias[0] != 0 && c.result_t.fractional_bits() >= c.bias_t.fractional_bits() && c.result_t.width >= 8) {
      dropped.bias[0] = 0;
      const Model mutant = batch_norm_model(in, dropped);
      caught += testing::compiled_mismatches(model, events, "", &mutant) > 0 ? 1 : 0;
      ++mutations;
    }
  }
  std::printf("%s: %d BatchNormalization layers identical to the reference, %d on the pmaddwd rows (%d with the TRN folded into the wrap); %d of %d mutations caught\n",
              GetParam().c_str(), checked, rows16, folded, caught, mutations);
  EXPECT_GT(rows16, 40);
  // Both forms of the rows: the paper rounding's TRN shift folded into the wrap's, and the others.
  EXPECT_GT(folded, 10);
  EXPECT_GT(rows16 - folded, 10);
  EXPECT_GT(mutations, 40);
  EXPECT_GE(caught * 10, mutations * 9);
}

// A convolution of K positions x C channels into F filters at P positions, as the Dense over its
// whole input it equals (channels last): output p*F + f reads inputs [p*C, (p+K)*C) only.
Dense::Config windowed_dense(testing::RandomModelFactory& factory, std::mt19937& rng, std::size_t positions, std::size_t channels,
                             std::size_t filters, std::size_t window) {
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Dense::Config c;
  const std::size_t n_in = (positions + window - 1) * channels;
  c.n_out = positions * filters;
  c.weight_t = FixedType::parse("ap_fixed<8,2>");
  c.bias_t = FixedType::parse("ap_fixed<8,2>");
  c.accum_t = FixedType::parse("ap_fixed<16,6>");  // TRN products: 16 fraction bits into 10, s = 6
  c.result_t = FixedType::parse("ap_fixed<16,6>");
  c.weights.assign(n_in * c.n_out, BigInt(0));
  for (std::size_t p = 0; p < positions; ++p) {
    for (std::size_t f = 0; f < filters; ++f) {
      for (std::size_t i = p * channels; i < (p + window) * channels; ++i) {
        // Trained weights are mostly small: |w| < 32 takes the direct form; about 3 % larger.
        const int w = pick(0, 99) < 3 ? pick(-128, 127) : pick(-32, 31);
        c.weights[i * c.n_out + p * filters + f] = pick(0, 9) == 0 ? 0 : w;
      }
    }
  }
  c.biases = factory.codes(c.bias_t, c.n_out);
  return c;
}

Model dense_model(const ArraySpec& in, const Dense::Config& c) {
  Model model("conv_as_dense", Flavor::Paper, {in});
  model.add_layer(std::make_unique<Dense>("dense", in, c));
  model.set_outputs({"dense"});
  return model;
}

TEST_P(CompiledFastPathUnderIsa, WindowedDenseTakesTheDirectFormOverBlockRanges) {
  testing::RandomModelFactory factory(0xC0DE + GetParam().size(), 16);
  std::mt19937 rng(2026);
  const auto pick = [&](int lo, int hi) { return static_cast<std::size_t>(std::uniform_int_distribution<int>(lo, hi)(rng)); };
  int direct = 0, wide = 0;
  for (int m = 0; m < 10; ++m) {
    // Sizes of the paper CNN's convolutions and around them, 288 outputs (its first) included.
    const std::size_t window = pick(2, 3), channels = m == 0 ? 3 : pick(1, 16), filters = m == 0 ? 16 : pick(2, 32);
    const std::size_t positions = m == 0 ? 18 : std::min<std::size_t>(pick(2, 18), 256 / channels - window + 1);
    const Dense::Config c = windowed_dense(factory, rng, positions, channels, filters, window);
    const ArraySpec in{"x", (positions + window - 1) * channels, FixedType::parse("ap_fixed<16,6>")};
    const Model model = dense_model(in, c);
    const auto line = CompiledModel(model).describe().front();
    const auto events = testing::random_input_events(factory, model, 70);
    ASSERT_EQ(testing::compiled_mismatches(model, events, "windowed dense " + std::to_string(m) + " under " + GetParam()), 0U) << line;
    if (line.find("split16 direct") == std::string::npos) continue;
    ++direct;
    if (c.n_out > 256) ++wide;
    // Mutations: one term dropped (a nonzero weight of the last output's window), and the
    // products rounded (RND accumulator) instead of truncated.
    Dense::Config dropped = c;
    for (std::size_t i = in.size; i-- > 0;) {
      BigInt& w = dropped.weights[i * c.n_out + c.n_out - 1];
      if (w != 0) {
        w = 0;
        break;
      }
    }
    const Model drop_mutant = dense_model(in, dropped);
    EXPECT_GT(testing::compiled_mismatches(model, events, "", &drop_mutant), 0U) << "a dropped term went unseen: " << line;
    Dense::Config rnd = c;
    rnd.accum_t = with_quantization(c.accum_t, Quantization::Rnd);
    const Model rnd_mutant = dense_model(in, rnd);
    EXPECT_GT(testing::compiled_mismatches(model, events, "", &rnd_mutant), 0U) << "RND products not told from TRN: " << line;
  }
  std::printf("%s: %d windowed Dense layers on the direct form over block ranges (%d with more than 256 outputs), identical to the reference\n",
              GetParam().c_str(), direct, wide);
  EXPECT_GT(direct, 7);
  EXPECT_GT(wide, 0);
}

INSTANTIATE_TEST_SUITE_P(Isa, CompiledFastPathUnderIsa, ::testing::ValuesIn(available_vector_isas()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace l1emu::emu
