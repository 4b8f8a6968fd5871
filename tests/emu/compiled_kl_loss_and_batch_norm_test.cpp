// The KL loss's table look-up (a vector gather on int32 lanes) and the 16-bit BatchNormalization
// rows (shifts by run-time counts) against the reference evaluator, under every instruction set
// this machine has: random types, table sizes and ranges (indices clamped at both ends) and
// random codes, every array of every event.
#include <gtest/gtest.h>

#include <string>

#include "under_vector_isa.h"
#include "compiled_compare.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/layers/kl_loss.h"
#include "random_model.h"

namespace l1emu::emu {
namespace {

class KernelsUnderIsa : public testing::UnderVectorIsa {};

// hls4ml's KL loss on z_mean and z_log_var of the paper's types and of random ones: the int32
// plan (the gather) in most, a 64-bit plan where the ranges need it; both must match.
TEST_P(KernelsUnderIsa, KlLossMatchesTheReference) {
  testing::RandomModelFactory factory(0x1C1055 + GetParam().size(), 20);
  int gathered = 0;
  for (int m = 0; m < 60; ++m) {
    const auto data_type = [&] { return m % 3 == 0 ? FixedType::parse("ap_fixed<16,6>") : factory.type(4); };
    const std::size_t n = static_cast<std::size_t>(factory.uniform(1, 8));
    const ArraySpec mean{"z_mean", n, data_type()}, log_var{"z_log_var", n, data_type()};
    KLLoss::Config c;
    c.accum_t = m % 3 == 0 ? FixedType::parse("ap_fixed<16,6>") : factory.type(6);
    c.exp_table_t = m % 3 == 0 ? FixedType::parse("ap_fixed<18,8>") : factory.type(6);
    c.result_t = m % 3 == 0 ? FixedType::parse("ap_fixed<16,6>") : factory.type(6);
    c.table_size = m % 4 == 0 ? factory.uniform(2, 1500) : 1 << factory.uniform(1, 10);
    c.exp_range = factory.uniform(1, 9);
    Model model("kl", Flavor::Paper, {mean, log_var});
    model.add_layer(std::make_unique<KLLoss>("kl", std::vector<ArraySpec>{mean, log_var}, c));
    model.set_outputs({"kl"});
    if (!CompiledModel::supports(model)) continue;
    const std::string line = CompiledModel(model).describe().front();
    if (line.find("int32 kl-loss") != std::string::npos) ++gathered;
    ASSERT_EQ(testing::compiled_mismatches(model, testing::random_input_events(factory, model, 150), "kl " + std::to_string(m) + " under " + GetParam()),
              0U)
        << line;
  }
  EXPECT_GT(gathered, 30);
}

// BatchNormalization with 16-bit data and narrow scales (the pmaddwd rows), both flavours'
// rounding (hls4ml's normalize: once, and twice with the bias added after the first rounding).
TEST_P(KernelsUnderIsa, BatchNormRowsMatchTheReference) {
  testing::RandomModelFactory factory(0xB16B0 + GetParam().size(), 16);
  int rows16 = 0;
  for (int m = 0; m < 60; ++m) {
    const auto fixed = [&](int w_lo, int w_hi) {
      const int w = factory.uniform(w_lo, w_hi);
      return FixedType::parse("ap_fixed<" + std::to_string(w) + "," + std::to_string(factory.uniform(-2, w)) + ">");
    };
    const ArraySpec in{"x", static_cast<std::size_t>(factory.uniform(1, 60)), m % 2 == 0 ? FixedType::parse("ap_fixed<16,6>") : fixed(4, 16)};
    BatchNormalization::Config c;
    c.rounding = m % 3 == 0 ? BatchNormRounding::Once : BatchNormRounding::Twice;
    c.scale_t = fixed(2, 10);
    c.bias_t = fixed(2, 10);
    c.result_t = m % 2 == 0 ? FixedType::parse("ap_fixed<16,6>") : fixed(3, 18);
    c.scale = factory.codes(c.scale_t, in.size);
    c.bias = factory.codes(c.bias_t, in.size);
    Model model("bn", c.rounding == BatchNormRounding::Once ? Flavor::Head : Flavor::Paper, {in});
    model.add_layer(std::make_unique<BatchNormalization>("bn", in, std::move(c)));
    model.set_outputs({"bn"});
    const std::string line = CompiledModel(model).describe().front();
    if (line.find("pmaddwd") != std::string::npos) ++rows16;
    ASSERT_EQ(testing::compiled_mismatches(model, testing::random_input_events(factory, model, 150), "bn " + std::to_string(m) + " under " + GetParam()),
              0U)
        << line;
  }
  EXPECT_GT(rows16, 20);
}

INSTANTIATE_TEST_SUITE_P(Isa, KernelsUnderIsa, ::testing::ValuesIn(available_vector_isas()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace l1emu::emu
