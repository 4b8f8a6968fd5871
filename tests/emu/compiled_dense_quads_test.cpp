// Dense layers whose input codes fit a byte (signed or unsigned) and whose weights fit a signed
// byte run as vpdpbusd byte quads where the instruction set has AVX-512 VNNI (dense_quads.h: signed
// inputs stored as x + 128, each output's sum started at -128 * sum w), as the pmaddwd pairs
// elsewhere; under every instruction set this machine has, every array equals the reference
// evaluator's, with inputs and weights at the byte edges (-128, 127, 0, 255) and input counts of
// every remainder modulo 4, with and without a ReLU in the Dense's epilogue, with the bias added in
// the epilogue (sums finer than accum_t) or as the kernel sums' start value, the rows then wrapped
// into accum_t or (provably inside it) read as they are.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "compiled_compare.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/lane_converter.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "random_model.h"
#include "under_vector_isa.h"

namespace l1emu::emu {
namespace {

class CompiledQuadsUnderIsa : public testing::UnderVectorIsa {};

// Events at the edges of the input type (every input its lowest code, its highest, zero, the two
// alternating), then random codes.
std::vector<std::vector<std::int64_t>> edge_and_random_events(testing::RandomModelFactory& factory, const Model& model, int random) {
  const ArraySpec& in = model.inputs()[0];
  const CodeRange r = code_range(in.type);
  const auto lo = static_cast<std::int64_t>(r.lo), hi = static_cast<std::int64_t>(r.hi);
  std::vector<std::vector<std::int64_t>> events(5, std::vector<std::int64_t>(in.size));
  for (std::size_t i = 0; i < in.size; ++i) {
    events[0][i] = lo;
    events[1][i] = hi;
    events[2][i] = 0;
    events[3][i] = i % 2 == 0 ? lo : hi;
    events[4][i] = i % 2 == 0 ? hi : lo;
  }
  for (auto& e : testing::random_input_events(factory, model, random)) events.push_back(std::move(e));
  return events;
}

TEST_P(CompiledQuadsUnderIsa, ByteQuadsDenseMatchesTheReference) {
  testing::RandomModelFactory factory(0x0BADD + GetParam().size(), 24);
  std::mt19937 rng(29);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int quads = 0, unsigned_inputs = 0, with_relu = 0, not_bytes = 0, bias_start = 0, bias_start_no_wrap = 0;
  int remainders[4] = {0, 0, 0, 0};
  for (int m = 0; m < 160; ++m) {
    // One model in eight has a 9-bit input or weight type: never byte quads.
    const bool nine = m % 8 == 7, nine_on_input = nine && m % 16 == 7;
    const bool is_unsigned = m % 3 == 0;
    const int x_w = nine_on_input ? 9 : pick(2, 8), x_i = pick(-2, 8);
    const int w_w = nine && !nine_on_input ? 9 : pick(2, 8), w_i = pick(-1, 4);
    const ArraySpec in{"x", static_cast<std::size_t>(pick(1, 70)),
                       FixedType::parse((is_unsigned ? "ap_ufixed<" : "ap_fixed<") + std::to_string(x_w) + "," + std::to_string(x_i) + ">")};
    Dense::Config c;
    c.n_out = static_cast<std::size_t>(pick(1, 40));
    c.weight_t = FixedType::parse("ap_fixed<" + std::to_string(w_w) + "," + std::to_string(w_i) + ">");
    c.bias_t = c.weight_t;
    // As fine as the product (no product bit dropped) or finer, WRAP, narrow enough to wrap.
    const int frac = (x_w - x_i) + (w_w - w_i) + pick(0, 2), acc_w = pick(frac + 2, 30);
    c.accum_t = FixedType::parse((m % 5 == 0 ? "ap_ufixed<" : "ap_fixed<") + std::to_string(acc_w) + "," + std::to_string(acc_w - frac) + ">");
    c.result_t = m % 4 == 0 ? factory.type(2) : c.accum_t;
    c.weights = factory.codes(c.weight_t, in.size * c.n_out, 10);
    // The weight type's extreme codes somewhere in every model.
    const CodeRange wr = code_range(c.weight_t);
    c.weights[static_cast<std::size_t>(pick(0, static_cast<int>(c.weights.size()) - 1))] = BigInt(static_cast<long long>(wr.lo));
    c.weights[static_cast<std::size_t>(pick(0, static_cast<int>(c.weights.size()) - 1))] = BigInt(static_cast<long long>(wr.hi));
    c.biases = factory.codes(c.bias_t, c.n_out);
    const bool relu = m % 2 == 1;
    Model model("quads", Flavor::Head, {in});
    model.add_layer(std::make_unique<Dense>("dense", in, c));
    if (relu) model.add_layer(std::make_unique<ReLU>("act", model.array_spec(1), FixedType::parse("ap_ufixed<10,6,AP_RND_CONV,AP_SAT>")));
    model.set_outputs({relu ? "act" : "dense"});
    const auto lines = CompiledModel(model).describe();
    if (lines.front().find("pmaddwd pairs") == std::string::npos) continue;
    const bool is_quads = lines.front().find("byte quads") != std::string::npos;
    ASSERT_EQ(is_quads, !nine) << lines.front();
    ASSERT_EQ(testing::compiled_mismatches(model, edge_and_random_events(factory, model, 200), "quads model " + std::to_string(m) + " under " + GetParam()), 0U)
        << lines.front();
    if (!is_quads) {
      ++not_bytes;
      continue;
    }
    ++quads;
    if (is_unsigned) ++unsigned_inputs;
    if (relu && lines.front().find("in its epilogue") != std::string::npos) ++with_relu;
    ++remainders[in.size % 4];
    if (lines.front().find("the bias as the sums' start") != std::string::npos) {
      ++bias_start;
      if (lines.front().find("no wrap") != std::string::npos) ++bias_start_no_wrap;
    }
  }
  std::printf("%s: %d byte-quad Dense layers (%d unsigned inputs, %d with a ReLU in the epilogue; n_in %% 4 = 0,1,2,3: %d %d %d %d; "
              "%d with the bias as the sums' start, %d of them inside accum_t), %d with a 9-bit type as pairs, all identical to the reference\n",
              GetParam().c_str(), quads, unsigned_inputs, with_relu, remainders[0], remainders[1], remainders[2], remainders[3], bias_start,
              bias_start_no_wrap, not_bytes);
  EXPECT_GT(quads, 80);
  EXPECT_GT(unsigned_inputs, 20);
  EXPECT_GT(with_relu, 20);
  EXPECT_GT(not_bytes, 5);
  EXPECT_GT(bias_start - bias_start_no_wrap, 10);
  EXPECT_GT(quads - bias_start, 10);
  EXPECT_GT(bias_start_no_wrap, 5);
  for (const int r : remainders) EXPECT_GT(r, 5);
}

INSTANTIATE_TEST_SUITE_P(Isa, CompiledQuadsUnderIsa, ::testing::ValuesIn(available_vector_isas()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace l1emu::emu
