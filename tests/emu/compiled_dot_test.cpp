// The compiled Dot (nnet::dot1d, AXOL1TL v5's score) is bit-identical to the reference evaluator:
// the one-pass form that sums the products modulo the lane and wraps once (reduction_kernels.cpp,
// DotKernel::sum_mod), on int32 plans with int64 arithmetic (v5's 18-bit codes into a 37-bit
// accumulator) and on plain lanes, and the per-term form it leaves for rounding or saturating
// steps. Accumulators narrow enough to wrap are drawn. Mutation: an accumulator one bit wider
// (its wrap moved) is told apart on the same events.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "compiled_compare.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/nn/layers/merge.h"
#include "random_model.h"

namespace l1emu::emu {
namespace {

Model dot_model(const ArraySpec& a, const ArraySpec& b, const FixedType& accum_t, const FixedType& result_t) {
  Model model("dot", Flavor::Head, {a, b});
  model.add_layer(std::make_unique<Dot>("dot", std::vector<ArraySpec>{a, b}, accum_t, result_t));
  model.set_outputs({"dot"});
  return model;
}

std::string fixed(int width, int integer, const std::string& modes = "") {
  return "ap_fixed<" + std::to_string(width) + "," + std::to_string(integer) + modes + ">";
}

TEST(CompiledDot, OnePassSumModuloTheLaneMatchesTheReference) {
  testing::RandomModelFactory factory(0xD07, 24);
  std::mt19937 rng(37);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int checked = 0, one_pass = 0, wrapped = 0, wide = 0, per_term = 0, mutations = 0, caught = 0;
  for (int m = 0; m < 300; ++m) {
    const std::size_t n = static_cast<std::size_t>(pick(1, 40));
    ArraySpec a{"a", n, FixedType::parse("ap_fixed<18,11>")}, b{"b", n, FixedType::parse("ap_fixed<18,11>")};
    FixedType accum_t = FixedType::parse("ap_fixed<37,23>"), result_t = FixedType::parse("ap_fixed<18,14,AP_RND_CONV,AP_SAT>");
    if (m % 3 != 0) {  // v5's types one time in three; else random widths, and fractions at times coarser than the product's
      const int wa = pick(2, 20), wb = pick(2, 20);
      a.type = FixedType::parse(fixed(wa, pick(-2, wa + 2)));
      b.type = FixedType::parse(fixed(wb, pick(-2, wb + 2)));
      const int product_frac = a.type.fractional_bits() + b.type.fractional_bits();
      const int acc_frac = product_frac + (pick(0, 4) == 0 ? -pick(1, 3) : pick(0, 3));
      const int acc_w = pick(4, 44);  // narrow ones wrap
      accum_t = FixedType::parse(fixed(acc_w, acc_w - acc_frac));
      if (pick(0, 5) == 0) accum_t.overflow = Overflow::Sat;
      result_t = factory.type(2);
    }
    const Model model = dot_model(a, b, accum_t, result_t);
    if (!CompiledModel::supports(model)) continue;
    const auto line = CompiledModel(model).describe().front();
    if (line.find(" dot") == std::string::npos) continue;
    const auto events = testing::random_input_events(factory, model, 150);
    ASSERT_EQ(testing::compiled_mismatches(model, events, "dot " + std::to_string(m)), 0U) << line << " " << accum_t.to_string();
    ++checked;
    if (line.find("one pass") == std::string::npos) {
      ++per_term;
      continue;
    }
    ++one_pass;
    if (line.find("int64 lanes") != std::string::npos) ++wide;
    if (line.find("wrapped once") == std::string::npos) continue;
    ++wrapped;
    FixedType wider = accum_t;
    wider.width += 1;
    wider.integer_bits += 1;
    const Model mutant = dot_model(a, b, wider, result_t);
    caught += testing::compiled_mismatches(model, events, "", &mutant) > 0 ? 1 : 0;
    ++mutations;
  }
  std::printf("%d Dot layers identical to the reference: %d in one pass (%d wrapped once, %d on int64 lanes in an int32 plan), %d per term; "
              "%d of %d mutations caught\n", checked, one_pass, wrapped, wide, per_term, caught, mutations);
  EXPECT_GT(one_pass, 100);
  EXPECT_GT(wrapped, 50);
  EXPECT_GT(wide, 30);
  EXPECT_GT(per_term, 20);
  // A wider accumulator changes nothing where no sum of the events reaches its top bit (most of
  // the wider random ones): a share, and many in all.
  EXPECT_GE(caught * 10, mutations * 3);
  EXPECT_GT(caught, 60);
}

}  // namespace
}  // namespace l1emu::emu
