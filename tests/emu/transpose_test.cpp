// Transpose: output element (c_0, ..., c_{n-1}) is the input element whose coordinate along axis
// perm[d] is c_d (hls4ml nnet_transpose.h). Checked here against coordinates worked out directly,
// against hls4ml's transpose_2d statement, and the compiled engine against the reference.
#include "l1emu/emu/nn/layers/transpose.h"

#include <gtest/gtest.h>

#include <random>

#include "compiled_compare.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace l1emu::emu {
namespace {

Model transpose_model(std::vector<std::size_t> shape, std::vector<std::size_t> perm, const char* in_type, const char* out_type) {
  std::size_t n = 1;
  for (const auto s : shape) n *= s;
  const ArraySpec in{"x", n, FixedType::parse(in_type), shape};
  Model m("transpose", Flavor::Head, {in});
  m.add_layer(std::make_unique<Transpose>("t", in, FixedType::parse(out_type), shape, perm));
  m.set_outputs({"t"});
  return m;
}

std::vector<long> outputs(const Model& m, const std::vector<long>& codes) {
  const ReferenceEvaluator eval(m);
  std::vector<BigInt> in;
  for (const long c : codes) in.emplace_back(c);
  std::vector<long> out;
  for (const BigInt& c : eval.outputs(eval.evaluate({in}))) out.push_back(c.convert_to<long>());
  return out;
}

TEST(Transpose, MovesEveryCoordinateAsThePermutationSays) {
  // Input (2, 3, 4) holding its own flat index; perm (2, 0, 1): output (4, 2, 3), out[k][i][j] = in[i][j][k].
  const Model m = transpose_model({2, 3, 4}, {2, 0, 1}, "ap_int<8>", "ap_int<8>");
  EXPECT_EQ(m.layers()[0]->shape(), (std::vector<std::size_t>{4, 2, 3}));
  std::vector<long> codes(24);
  for (long v = 0; v < 24; ++v) codes[static_cast<std::size_t>(v)] = v;
  const auto out = outputs(m, codes);
  for (std::size_t k = 0; k < 4; ++k) {
    for (std::size_t i = 0; i < 2; ++i) {
      for (std::size_t j = 0; j < 3; ++j) EXPECT_EQ(out[(k * 2 + i) * 3 + j], static_cast<long>((i * 3 + j) * 4 + k)) << k << i << j;
    }
  }
  // nnet_array.h transpose_2d: res[j * height + i] = data[i * width + j].
  const Model two = transpose_model({3, 5}, {1, 0}, "ap_int<8>", "ap_int<8>");
  std::vector<long> flat(15);
  for (long v = 0; v < 15; ++v) flat[static_cast<std::size_t>(v)] = v - 7;
  const auto t = outputs(two, flat);
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 5; ++j) EXPECT_EQ(t[j * 3 + i], flat[i * 5 + j]);
  }
  // The identity permutation changes nothing; the result type converts (res[i] = data[idx]).
  const Model same = transpose_model({2, 2}, {0, 1}, "ap_fixed<8,4>", "ap_fixed<6,3,AP_RND,AP_SAT>");
  EXPECT_EQ(outputs(same, {-128, 5, 127, -3}), (std::vector<long>{-32, 3, 31, -1}));
}

TEST(Transpose, CompiledMatchesTheReferenceOnRandomPermutations) {
  std::mt19937_64 rng(0x7A);
  testing::RandomModelFactory factory(0x7A);
  for (int m = 0; m < 40; ++m) {
    const std::size_t dims = 2 + rng() % 3;
    std::vector<std::size_t> shape, perm(dims);
    for (std::size_t d = 0; d < dims; ++d) {
      shape.push_back(1 + rng() % 5);
      perm[d] = d;
    }
    std::shuffle(perm.begin(), perm.end(), rng);
    const Model model = transpose_model(shape, perm, "ap_fixed<12,5>", m % 2 == 0 ? "ap_fixed<12,5>" : "ap_ufixed<7,3,AP_RND_CONV,AP_SAT>");
    EXPECT_EQ(testing::compiled_mismatches(model, testing::random_input_events(factory, model, 70), "transpose " + std::to_string(m)), 0U);
  }
}

TEST(Transpose, ModelJsonKeepsItAndRefusesWhatIsNotAPermutation) {
  const Model m = transpose_model({2, 3, 4}, {1, 2, 0}, "ap_fixed<10,4>", "ap_fixed<10,4>");
  const std::string json = write_model_json(m);
  EXPECT_NE(json.find("\"perm\""), std::string::npos) << json;
  const Model again = parse_model_json(json, "written");
  EXPECT_EQ(write_model_json(again), json);
  std::vector<long> codes(24);
  for (long v = 0; v < 24; ++v) codes[static_cast<std::size_t>(v)] = v * 3 - 30;
  EXPECT_EQ(outputs(again, codes), outputs(m, codes));
  for (const auto& [from, to, what] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"\"perm\": [1, 2, 0]", "\"perm\": [1, 1, 0]", "each of the axes"},
           {"\"perm\": [1, 2, 0]", "\"perm\": [1, 0]", "perm"},
           {"\"from_shape\": [2, 3, 4]", "\"from_shape\": [2, 3, 5]", "holds 30 values"}}) {
    std::string bad = json;
    const auto at = bad.find(from);
    ASSERT_NE(at, std::string::npos) << from << "\n" << json;
    bad.replace(at, from.size(), to);
    try {
      (void)parse_model_json(bad, "bad");
      ADD_FAILURE() << to;
    } catch (const ModelError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace l1emu::emu
