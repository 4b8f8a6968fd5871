// The encoder's cheaper activation and input-scale paths are bit-identical to the reference
// evaluator under every instruction set this machine has: a ReLU as one clamping conversion
// (emu/src/compiled/relu_clamp.h), a ReLU or Linear applied in the epilogue of the pmaddwd-pairs
// Dense that feeds it, a LeakyReLU in a split16 Dense's epilogue, and the InputScale kernel.
// Every rounding and overflow mode of the activation's result type is drawn. Mutation checks: the
// same events find a reference with one deliberate change (another rounding of the ReLU, the
// ReLU's zero dropped), so a kernel making that error could not pass.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "compiled_compare.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/axol1tl_layers.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "random_model.h"
#include "under_vector_isa.h"

namespace l1emu::emu {
namespace {

class CompiledActivationUnderIsa : public testing::UnderVectorIsa {};

FixedType parse_type(const std::string& s) { return FixedType::parse(s); }

// A result type for the activation: AXOL1TL's quantized ReLU type, or any width, rounding and
// overflow mode (the factory draws all seven roundings and four overflows).
FixedType activation_type(testing::RandomModelFactory& factory, std::mt19937& rng) {
  const int pick = std::uniform_int_distribution<int>(0, 3)(rng);
  if (pick == 0) return parse_type("ap_ufixed<10,6,AP_RND_CONV,AP_SAT>");
  return factory.type(2);
}

Model relu_model(const ArraySpec& in, const FixedType& result_t, bool relu) {
  Model model("act", Flavor::Head, {in});
  if (relu) {
    model.add_layer(std::make_unique<ReLU>("act", in, result_t));
  } else {
    model.add_layer(std::make_unique<Linear>("act", in, result_t));
  }
  model.set_outputs({"act"});
  return model;
}

// A ReLU alone, on random input and result types: the clamp form where relu_as_clamp admits it,
// the compare-and-select form elsewhere; both equal to the reference.
TEST_P(CompiledActivationUnderIsa, StandaloneReluMatchesTheReference) {
  testing::RandomModelFactory factory(0xC1A + GetParam().size(), 24);
  std::mt19937 rng(5);
  int checked = 0, clamps = 0, mutations = 0, caught = 0;
  for (int m = 0; m < 200; ++m) {
    const ArraySpec in{"x", static_cast<std::size_t>(std::uniform_int_distribution<int>(1, 40)(rng)), factory.type(2)};
    const FixedType result_t = activation_type(factory, rng);
    const Model model = relu_model(in, result_t, true);
    if (!CompiledModel::supports(model)) continue;
    const auto line = CompiledModel(model).describe().front();
    const auto events = testing::random_input_events(factory, model, 150);
    ASSERT_EQ(testing::compiled_mismatches(model, events, "relu " + std::to_string(m) + " under " + GetParam()), 0U)
        << line << " " << in.type.to_string() << " -> " << result_t.to_string();
    ++checked;
    if (line.find("clamp at zero") == std::string::npos) continue;
    ++clamps;
    // Mutations: the ReLU's zero dropped (a Linear; for a signed result type only, since an
    // unsigned SAT type clamps the negatives to 0 as well), and another rounding (RND for RND_CONV,
    // RND_CONV for the others) where the result drops at least two fraction bits.
    if (result_t.is_signed) {
      const Model linear = relu_model(in, result_t, false);
      caught += testing::compiled_mismatches(model, events, "", &linear) > 0 ? 1 : 0;
      ++mutations;
    }
    if (result_t.fractional_bits() + 1 < in.type.fractional_bits() && result_t.quantization != Quantization::Rnd &&
        result_t.quantization != Quantization::RndMinInf && in.type.width > 6) {
      FixedType other = result_t;
      other.quantization = result_t.quantization == Quantization::RndConv ? Quantization::Rnd : Quantization::RndConv;
      const Model mutant = relu_model(in, other, true);
      caught += testing::compiled_mismatches(model, events, "", &mutant) > 0 ? 1 : 0;
      ++mutations;
    }
  }
  std::printf("%s: %d ReLU layers identical to the reference, %d as a clamp at zero; %d of %d mutations caught\n",
              GetParam().c_str(), checked, clamps, caught, mutations);
  EXPECT_GT(clamps, 50);
  EXPECT_GT(checked, clamps + 20);  // the select form is exercised too
  EXPECT_GT(mutations, 60);
  EXPECT_GE(caught * 10, mutations * 6);  // a mutant can be equivalent on a given layer (a result that saturates everywhere)
}

// A pmaddwd-pairs Dense (16-bit codes, an accumulator as fine as the product, WRAP) feeding a ReLU
// or a Linear layer: the activation runs in the Dense's epilogue; both arrays equal the reference.
Model pairs_with_activation(const ArraySpec& in, const Dense::Config& c, const FixedType& act_t, bool relu) {
  Model model("pairs_act", Flavor::Head, {in});
  model.add_layer(std::make_unique<Dense>("dense", in, c));
  const ArraySpec d = model.array_spec(1);
  if (relu) {
    model.add_layer(std::make_unique<ReLU>("act", d, act_t));
  } else {
    model.add_layer(std::make_unique<Linear>("act", d, act_t));
  }
  model.set_outputs({"act"});
  return model;
}

TEST_P(CompiledActivationUnderIsa, PairsDenseAppliesTheActivationInItsEpilogue) {
  testing::RandomModelFactory factory(0xE91 + GetParam().size(), 24);
  std::mt19937 rng(11);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int fused = 0, relus = 0, mutations = 0, caught = 0;
  for (int m = 0; m < 120; ++m) {
    const int x_w = pick(4, 16), x_i = pick(-2, 8), w_w = pick(2, 8), w_i = pick(-1, 3);
    const ArraySpec in{"x", static_cast<std::size_t>(pick(2, 60)),
                       parse_type((m % 4 == 0 ? "ap_ufixed<" : "ap_fixed<") + std::to_string(x_w) + "," + std::to_string(x_i) + ">")};
    Dense::Config c;
    c.n_out = static_cast<std::size_t>(pick(1, 30));
    c.weight_t = parse_type("ap_fixed<" + std::to_string(w_w) + "," + std::to_string(w_i) + ">");
    c.bias_t = c.weight_t;
    // As fine as the product (no product bit dropped), WRAP, signed or not, narrow enough to wrap.
    const int frac = (x_w - x_i) + (w_w - w_i), acc_w = pick(frac + 2, 30);
    c.accum_t = parse_type((m % 5 == 0 ? "ap_ufixed<" : "ap_fixed<") + std::to_string(acc_w) + "," + std::to_string(acc_w - frac) + ">");
    c.result_t = c.accum_t;
    c.weights = factory.codes(c.weight_t, in.size * c.n_out, 10);
    c.biases = factory.codes(c.bias_t, c.n_out);
    const bool relu = m % 3 != 0;
    const FixedType act_t = activation_type(factory, rng);
    const Model model = pairs_with_activation(in, c, act_t, relu);
    const auto lines = CompiledModel(model).describe();
    if (lines.front().find("pmaddwd pairs") == std::string::npos) continue;
    // The activation runs in the epilogue wherever it has a compiled kernel of its own (not one
    // widened to 64-bit lanes or the per-event reference, which no epilogue replaces).
    const bool in_epilogue = lines.front().find("in its epilogue") != std::string::npos;
    ASSERT_EQ(in_epilogue, lines[1].find("computed by the previous layer") != std::string::npos) << lines[0] << "\n" << lines[1];
    if (!in_epilogue) {
      ASSERT_TRUE(lines[1].find("int64") != std::string::npos || lines[1].find("reference") != std::string::npos) << lines[1];
    }
    const auto events = testing::random_input_events(factory, model, 150);
    ASSERT_EQ(testing::compiled_mismatches(model, events, "pairs+activation " + std::to_string(m) + " under " + GetParam()), 0U)
        << lines.front() << " -> " << act_t.to_string();
    if (!in_epilogue) continue;
    ++fused;
    if (!relu || !act_t.is_signed) continue;  // an unsigned SAT type clamps a Linear's negatives to 0 too
    ++relus;
    const Model linear = pairs_with_activation(in, c, act_t, false);
    caught += testing::compiled_mismatches(model, events, "", &linear) > 0 ? 1 : 0;
    ++mutations;
  }
  std::printf("%s: %d pmaddwd-pairs Dense layers with the activation in the epilogue (%d ReLU); %d of %d mutations caught\n",
              GetParam().c_str(), fused, relus, caught, mutations);
  EXPECT_GT(fused, 60);
  EXPECT_GT(mutations, 25);
  EXPECT_GE(caught * 10, mutations * 6);  // a mutant can be equivalent on a given layer (a result that saturates everywhere)
}

// A split16 Dense (hls4ml's default shape: 16-bit codes, truncated products into a 16-bit WRAP
// accumulator; the direct, sparse and VNNI forms) feeding a LeakyReLU (vae_paper): the activation
// runs as the sums are sign-extended, where its x -> result_t changes nothing; both arrays equal
// the reference, for random alphas, parameter and result types of either flavor. Mutation: the
// same events against a ReLU for the LeakyReLU (the negative branch dropped).
Model split16_with_leaky(const ArraySpec& in, const Dense::Config& c, const LeakyReLU::Config& a, bool relu_instead) {
  Model model("split16_leaky", a.flavor, {in});
  model.add_layer(std::make_unique<Dense>("dense", in, c));
  const ArraySpec d = model.array_spec(1);
  if (relu_instead) {
    model.add_layer(std::make_unique<ReLU>("act", d, a.result_t));
  } else {
    model.add_layer(std::make_unique<LeakyReLU>("act", d, a));
  }
  model.set_outputs({"act"});
  return model;
}

TEST_P(CompiledActivationUnderIsa, Split16DenseAppliesTheLeakyReluInItsEpilogue) {
  testing::RandomModelFactory factory(0x5B16 + GetParam().size(), 20);
  std::mt19937 rng(17);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int fused = 0, checked = 0, mutations = 0, caught = 0;
  for (int m = 0; m < 120; ++m) {
    const int x_i = pick(2, 10), w_i = pick(0, 2);
    const ArraySpec in{"x", static_cast<std::size_t>(pick(2, 60)), parse_type("ap_fixed<16," + std::to_string(x_i) + ">")};
    Dense::Config c;
    c.n_out = static_cast<std::size_t>(pick(1, 40));
    c.weight_t = parse_type("ap_fixed<8," + std::to_string(w_i) + ">");
    c.bias_t = c.weight_t;
    // Coarser than the product (1 to 15 bits dropped, truncated), 16 bits, WRAP: split16's shape.
    const int product_frac = (16 - x_i) + (8 - w_i), acc_frac = product_frac - pick(1, std::min(15, product_frac));
    c.accum_t = parse_type("ap_fixed<16," + std::to_string(16 - acc_frac) + ">");
    c.result_t = c.accum_t;
    c.weights = factory.codes(c.weight_t, in.size * c.n_out, m % 3 == 0 ? 80 : 10);  // sparse column lists at times
    c.biases = factory.codes(c.bias_t, c.n_out);
    LeakyReLU::Config a;
    a.flavor = m % 2 == 0 ? Flavor::Paper : Flavor::Head;
    // Keras' usual alphas, and at times one that makes alpha*x overflow the result (the wrap).
    a.alpha = m % 3 == 1 ? std::uniform_real_distribution<double>(-1.5, 3.0)(rng) : std::uniform_real_distribution<double>(0.0, 0.5)(rng);
    a.param_t = pick(0, 1) == 0 ? parse_type("ap_fixed<16,6>") : factory.type(2);
    // The activation's result type: the Dense's (hls4ml's default, fused) or any other.
    a.result_t = pick(0, 3) != 0 ? c.accum_t : factory.type(2);
    const Model model = split16_with_leaky(in, c, a, false);
    if (!CompiledModel::supports(model)) continue;
    const auto lines = CompiledModel(model).describe();
    if (lines.front().find("split16") == std::string::npos) continue;
    const auto events = testing::random_input_events(factory, model, 150);
    ASSERT_EQ(testing::compiled_mismatches(model, events, "split16+leaky " + std::to_string(m) + " under " + GetParam()), 0U)
        << lines.front() << " -> " << a.result_t.to_string();
    ++checked;
    const bool in_epilogue = lines.front().find("in its epilogue") != std::string::npos;
    ASSERT_EQ(in_epilogue, lines[1].find("computed by the previous layer") != std::string::npos) << lines[0] << "\n" << lines[1];
    if (!in_epilogue) continue;
    ++fused;
    const Model relu = split16_with_leaky(in, c, a, true);
    caught += testing::compiled_mismatches(model, events, "", &relu) > 0 ? 1 : 0;
    ++mutations;
  }
  std::printf("%s: %d split16 Dense layers with a LeakyReLU identical to the reference, %d with it in the epilogue; %d of %d mutations caught\n",
              GetParam().c_str(), checked, fused, caught, mutations);
  EXPECT_GT(fused, 40);
  EXPECT_GT(checked, fused + 10);  // the unfused pass is exercised too
  EXPECT_GE(caught * 10, mutations * 8);
}

// InputScale (AXOL1TL's first layer), its rows compiled for a constant kBatch lanes, with the
// types of AXOL1TL v5 and v3 and random ones (wide enough at times for 64-bit lanes); 300 events,
// so the last batch is a partial one. Every path is taken: the Highway rows with per-lane shifts
// (input_scale_rows.h), the one-pass loop (other result conversions, 64-bit lanes) and the passes
// (an unscaled_t assignment that rounds or saturates). Shifts past the unscaled width included
// (the rows' right shift stops at the lane's last bit).
TEST_P(CompiledActivationUnderIsa, InputScaleRowsMatchTheReference) {
  testing::RandomModelFactory narrow(0x15C + GetParam().size(), 20), wide(0x15D + GetParam().size(), 44);
  std::mt19937 rng(3);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int checked = 0, rows = 0, one_pass = 0, passes = 0;
  for (int m = 0; m < 240; ++m) {
    const int kind = m % 4;  // 0: v5's types, 1: v3's, 2: random, 3: random and wide
    testing::RandomModelFactory& factory = kind == 3 ? wide : narrow;
    const ArraySpec in{"x", static_cast<std::size_t>(pick(1, 70)), kind < 2 ? parse_type("ap_fixed<18,13>") : factory.type(2)};
    InputScale::Config c;
    c.offset_t = kind == 0 ? parse_type("ap_fixed<10,10>") : kind == 1 ? parse_type("ap_fixed<10,9>") : factory.type();
    c.shift_t = FixedType{5, 5, true, Quantization::Trn, Overflow::Wrap, 0};
    c.unscaled_t = kind < 2 ? parse_type("ap_fixed<18,13>") : factory.type(2);
    if (kind >= 2 && pick(0, 1) == 0) {  // AXOL1TL's plain WRAP unscaled_t, at any width
      c.unscaled_t.overflow = Overflow::Wrap;
      c.unscaled_t.saturation_bits = 0;
    }
    c.result_t = kind == 0 ? parse_type("ap_fixed<14,6,AP_RND_CONV,AP_SAT>") : kind == 1 ? parse_type("ap_fixed<8,6,AP_RND_CONV,AP_SAT>") : factory.type(2);
    c.offsets = factory.codes(c.offset_t, in.size);
    const bool far = pick(0, 1) == 0;  // right shifts up to shift_t's maximum, past the unscaled width
    for (std::size_t i = 0; i < in.size; ++i) c.shifts.push_back(far ? pick(-3, 15) : pick(-3, 7));
    Model model("scale", Flavor::Head, {in});
    model.add_layer(std::make_unique<InputScale>("scale", in, std::move(c)));
    model.set_outputs({"scale"});
    if (!CompiledModel::supports(model)) continue;
    const auto line = CompiledModel(model).describe().front();
    if (line.find("input-scale") == std::string::npos) continue;
    ASSERT_EQ(testing::compiled_mismatches(model, testing::random_input_events(factory, model, 300), "input scale " + std::to_string(m) + " under " + GetParam()), 0U) << line;
    ++checked;
    if (line.find("per-lane shifts") != std::string::npos) {
      ++rows;
    } else if (line.find("one pass") != std::string::npos) {
      ++one_pass;
    } else {
      ++passes;
    }
  }
  std::printf("%s: %d InputScale layers identical to the reference (%d Highway rows, %d one-pass loops, %d in passes)\n", GetParam().c_str(),
              checked, rows, one_pass, passes);
  EXPECT_GT(checked, 150);
  EXPECT_GT(rows, 60);
  EXPECT_GT(one_pass, 5);
  EXPECT_GT(passes, 5);
}

INSTANTIATE_TEST_SUITE_P(Isa, CompiledActivationUnderIsa, ::testing::ValuesIn(available_vector_isas()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace l1emu::emu
