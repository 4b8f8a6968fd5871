// The table activations, PReLU, ThresholdedReLU, HardSigmoid/HardTanh and Softmax
// (shared/golden/hls4ml2/README.md, "Activations" and "Softmax"): the reference rules that the
// golden data pin down checked on single values, the model.json keys (errors, writing back).
#include <gtest/gtest.h>

#include <string>

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/parametric_activations.h"
#include "l1emu/emu/nn/layers/softmax.h"
#include "l1emu/emu/nn/layers/table_activations.h"
#include "l1emu/emu/nn/reference_evaluator.h"
#include "shared_data.h"

namespace l1emu::emu {
namespace {

FixedType t(const char* s) { return FixedType::parse(s); }

std::vector<BigInt> run(const Layer& layer, const std::vector<BigInt>& codes) {
  FixedArray x{layer.inputs()[0].type, codes};
  const FixedArray* args[] = {&x};
  return layer.evaluate(args);
}

TEST(TableIndex, TruncatesTowardZeroNotFloor) {
  // x = -2^-10 with N = 1024, D = 16: x*N/16 = -1/16, trunc0 0 (floor would give -1), index 512.
  EXPECT_EQ(table_index_part(BigInt(-1), 10, 1024, 16), 0);
  EXPECT_EQ(clamped_table_index(BigInt(-1), 10, 1024, 16, 512, 1024), 512);
  EXPECT_EQ(table_index_part(BigInt(-65), 10, 1024, 16), -4);  // -4.0625 -> -4
  EXPECT_EQ(table_index_part(BigInt(65), 10, 1024, 16), 4);
  // ELU/SELU divide by -8: x = -1 (code -1024) -> 128.
  EXPECT_EQ(table_index_part(BigInt(-1024), 10, 1024, -8), 128);
  EXPECT_EQ(clamped_table_index(BigInt(1L << 40), 10, 1024, 16, 512, 1024), 1023);
  EXPECT_EQ(clamped_table_index(BigInt(-(1L << 40)), 10, 1024, 16, 512, 1024), 0);
}

TEST(TableActivation, SigmoidIndexesTheTableOnTheCodeRoundedTowardZero) {
  TableActivation::Config c;
  c.function = TableFunction::Sigmoid;
  c.table_t = t("ap_fixed<18,8>");
  c.result_t = t("ap_fixed<18,8>");
  const TableActivation s("s", {"x", 3, t("ap_fixed<16,6>"), {}}, c);
  const auto y = run(s, {BigInt(-1), BigInt(0), BigInt(1 << 14)});
  EXPECT_EQ(y[0], s.table()[512]);
  EXPECT_EQ(y[1], s.table()[512]);
  EXPECT_EQ(y[2], s.table()[1023]);  // x = 16 clamps
  EXPECT_EQ(s.table()[512], from_double(0.5, c.table_t));
}

TEST(TableActivation, SeluLambdaIsTruncatedToUfixed16_1) {
  EXPECT_EQ(TableActivation::selu_lambda_code(), BigInt(34429));
  TableActivation::Config c;
  c.function = TableFunction::SELU;
  c.table_t = t("ap_fixed<18,8>");
  c.result_t = t("ap_fixed<32,8>");
  const TableActivation s("s", {"x", 1, t("ap_fixed<16,6>"), {}}, c);
  // x = 1 (code 1024): lambda*x = 34429/32768 exactly in <32,8> (24 fraction bits): 34429 * 2^9.
  EXPECT_EQ(run(s, {BigInt(1024)})[0], BigInt(34429) << 9);
}

TEST(TableActivation, TanhUsesTheCLibraryFloatTanh) {
  // The table is tanhf(float32 in-value), not the double tanh: with 30 fraction bits they differ.
  TableActivation::Config c;
  c.function = TableFunction::TanH;
  c.table_t = t("ap_fixed<34,2>");
  c.result_t = c.table_t;
  const TableActivation s("s", {"x", 1, t("ap_fixed<16,6>"), {}}, c);
  int differ = 0;
  for (long k = 0; k < 1024; ++k) {
    const auto in = static_cast<float>(2 * 4.0 * (static_cast<double>(k) - 512.0) / 1024.0);
    EXPECT_EQ(s.table()[static_cast<std::size_t>(k)], from_float(std::tanh(in), c.table_t));
    if (from_double(std::tanh(static_cast<double>(in)), c.table_t) != s.table()[static_cast<std::size_t>(k)]) ++differ;
  }
  EXPECT_GT(differ, 500);
}

TEST(Softmax, TopBitHelpers) {
  const FixedType s8 = t("ap_fixed<8,3>");
  EXPECT_EQ(softmax_address_bits(1024), 10);
  EXPECT_EQ(softmax_address_bits(512), 9);
  EXPECT_EQ(softmax_index(BigInt(-1), s8, 3), 7);  // the sign bit is the top address bit
  EXPECT_EQ(softmax_index(BigInt(32), s8, 3), 1);
  EXPECT_EQ(softmax_value(7, s8, 3), BigInt(-32));
  EXPECT_EQ(softmax_value(3, s8, 3), BigInt(96));
  EXPECT_EQ(softmax_value(7, t("ap_ufixed<8,3>"), 3), BigInt(224));
}

TEST(Softmax, InverseTableEntryZeroIsInfinityConverted) {
  Softmax::Config c;
  c.n_in = c.n_slice = 2;
  c.exp_table_size = c.inv_table_size = 8;
  c.exp_table_t = t("ap_fixed<18,8,AP_RND,AP_SAT>");
  c.inv_table_t = t("ap_fixed<18,8,AP_RND,AP_SAT>");
  c.accum_t = t("ap_fixed<16,6>");
  c.inv_inp_t = t("ap_fixed<18,8,AP_RND,AP_SAT>");
  c.inp_norm_t = t("ap_ufixed<11,3>");
  c.result_t = t("ap_ufixed<16,0,AP_RND,AP_SAT>");
  const Softmax sat("s", {"x", 2, t("ap_fixed<12,4>"), {}}, c);
  EXPECT_EQ(sat.inv_table()[0], c.inv_table_t.max_code());
  c.inv_table_t = t("ap_fixed<18,8>");
  const Softmax wrap("s", {"x", 2, t("ap_fixed<12,4>"), {}}, c);
  EXPECT_EQ(wrap.inv_table()[0], BigInt(0));
}

TEST(HardActivation, ClampsToZeroAndOne) {
  HardActivation::Config c;
  c.kind = HardActivation::Kind::Tanh;
  c.slope = c.shift = 0.5;
  c.slope_t = c.shift_t = t("ap_ufixed<2,0>");
  c.result_t = t("ap_fixed<8,2,AP_RND,AP_SAT>");
  const HardActivation h("h", {"x", 3, t("ap_fixed<12,4>"), {}}, c);
  const auto y = run(h, {BigInt(-2048), BigInt(0), BigInt(2047)});
  EXPECT_EQ(y[0], BigInt(-64));  // -1 at 6 fraction bits
  EXPECT_EQ(y[1], BigInt(0));
  EXPECT_EQ(y[2], BigInt(64));
}

std::string model_text(const std::string& layer) {
  return R"({"project": "t", "flavor": "head", "default_precision": "ap_fixed<16,6>",
    "inputs": [{"name": "x", "size": 8, "type": "ap_fixed<12,4>"}],
    "layers": [)" + layer + R"(], "outputs": ["y"]})";
}

std::string softmax_layer(const std::string& impl, int n_outer, int table) {
  return R"({"name": "y", "class": "Softmax", "input": "x", "implementation": ")" + impl + R"(", "n_in": 8, "n_slice": 8,
    "n_outer": )" + std::to_string(n_outer) + R"(, "n_inner": 1, "exp_table_size": )" + std::to_string(table) +
         R"(, "inv_table_size": 1024, "exp_scale": 1.0, "exp_table_t": "ap_fixed<18,8>", "inv_table_t": "ap_fixed<18,8>",
    "accum_t": "ap_fixed<16,6>", "inv_inp_t": "ap_fixed<18,8>", "inp_norm_t": "ap_ufixed<11,3>", "result_t": "ap_fixed<16,6>"})";
}

void expect_model_error(const std::string& text, const std::string& key) {
  try {
    (void)parse_model_json(text, "test");
    ADD_FAILURE() << "expected an error naming " << key;
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
  }
}

TEST(Softmax, RejectsWhatIsNotReproduced) {
  EXPECT_NO_THROW((void)parse_model_json(model_text(softmax_layer("stable", 1, 1024)), "test"));
  expect_model_error(model_text(softmax_layer("stable", 2, 1024)), "n_outer");
  expect_model_error(model_text(softmax_layer("stable", 1, 1000)), "exp_table_size");
  expect_model_error(model_text(softmax_layer("latency", 1, 8192)), "exp_table_size");  // 13 bits > 12-bit input
  EXPECT_NO_THROW((void)parse_model_json(model_text(softmax_layer("legacy", 1, 1000)), "test"));  // legacy clamps its index
  expect_model_error(model_text(softmax_layer("fast", 1, 1024)), "implementation");
  expect_model_error(model_text(R"({"name": "y", "class": "Sigmoid", "input": "x", "table_size": 1, "table_t": "ap_fixed<18,8>",
    "result_t": "ap_fixed<16,6>"})"), "table_size");
}

TEST(TableLayers, GoldenModelWritesBackExactly) {
  L1EMU_REQUIRE_SHARED();
  const auto path = testing::golden_dir() / "hls4ml2" / "activations_tables" / "model.json";
  const Model original = load_model_json(path);
  const std::string text = write_model_json(original);
  const Model copy = parse_model_json(text, "written");
  EXPECT_EQ(write_model_json(copy), text);
  EXPECT_NE(text.find("\"param_literal\""), std::string::npos);
  const ReferenceEvaluator a(original), b(copy);
  std::vector<std::vector<BigInt>> inputs{{}};
  for (int e = 0; e < 50; ++e) {
    inputs[0].clear();
    for (std::size_t i = 0; i < original.inputs()[0].size; ++i) inputs[0].emplace_back((e * 977 + static_cast<int>(i) * 313) % 4096 - 2048);
    const auto x = a.evaluate(inputs), y = b.evaluate(inputs);
    for (std::size_t k = 0; k < x.size(); ++k) ASSERT_EQ(x[k].codes, y[k].codes) << "array " << k;
  }
}

}  // namespace
}  // namespace l1emu::emu
