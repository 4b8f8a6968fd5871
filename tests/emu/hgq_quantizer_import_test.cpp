// HGQ's per-element quantizers (tests/fixtures/hls4ml/hgq_quantizer: five nnet_code_gen.h functions of
// `out[i] = 0;` / `out[i] = ap_[u]fixed<b,i,Q,O>(inp[i]);` statements over every rounding and overflow
// mode, integer bits below 0 and above the width) import as FixedPointQuantizer layers and reproduce
// hls4ml's own C simulation of the project (expected/README.md) on both engines. The oracle catches a
// wrong rounding mode, a dropped element and a skipped conversion; statements of any other form,
// elements written twice or never are refused, naming the line.
#include <gtest/gtest.h>

#include "code_gen_fixtures.h"
#include "hls4ml_codes_check.h"
#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/fixed_point_quantizer.h"

namespace l1emu::emu {
namespace {

using testing::compare_hls4ml_codes;
using testing::expect_hls4ml_codes;

TEST(HgqQuantizerImport, ReproducesHls4mlsOwnCSimulation) {
  testing::ScratchDir scratch("hgq_project");
  testing::write_hgq_project(scratch.path());
  const Model model = import_hls4ml_project(scratch.path(), std::nullopt, nullptr);
  ASSERT_EQ(model.layers().size(), 6U);
  const auto* q = dynamic_cast<const FixedPointQuantizer*>(model.layers()[0].get());
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->name(), "h_quantize");
  const auto& types = q->config().element_t;
  ASSERT_EQ(types.size(), 12U);
  EXPECT_FALSE(types[0].has_value());  // out[0] = 0;
  ASSERT_TRUE(types[1].has_value());
  EXPECT_EQ(types[1]->to_string(), "ap_ufixed<4,12,AP_RND>");
  EXPECT_EQ(types[3]->to_string(), "ap_ufixed<1,-1,AP_RND>");
  EXPECT_EQ(q->result_type().to_string(), "ap_fixed<14,9,AP_RND_INF,AP_SAT>");
  const auto* last = dynamic_cast<const FixedPointQuantizer*>(model.layers()[5].get());
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->config().element_t[0]->to_string(), "ap_fixed<8,6,AP_TRN_ZERO,AP_WRAP,2>");
  EXPECT_EQ(expect_hls4ml_codes(model, scratch.path()), 600U);
  // model.json keeps every element type: the written model reads back and reproduces hls4ml too.
  const Model reread = parse_model_json(write_model_json(model), "written");
  EXPECT_EQ(write_model_json(reread), write_model_json(model));
  EXPECT_EQ(expect_hls4ml_codes(reread, scratch.path()), 600U);
}

// The imported model with one edit of its model.json text; the oracle must notice it.
std::size_t mismatches_after_json_edit(const std::string& from, const std::string& to) {
  testing::ScratchDir scratch("hgq_mutant");
  testing::write_hgq_project(scratch.path());
  std::string json = write_model_json(import_hls4ml_project(scratch.path(), std::nullopt, nullptr));
  const auto at = json.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return 0;
  json.replace(at, from.size(), to);
  return compare_hls4ml_codes(parse_model_json(json, "mutant"), scratch.path(), true).mismatches;
}

TEST(HgqQuantizerImport, TheOracleCatchesMutations) {
  // A wrong rounding mode in each function (the first "rounding" key is h_quantize's, and so on).
  EXPECT_GT(mismatches_after_json_edit("\"rounding\": \"AP_RND\"", "\"rounding\": \"AP_TRN\""), 0U);
  EXPECT_GT(mismatches_after_json_edit("\"rounding\": \"AP_RND_CONV\"", "\"rounding\": \"AP_RND\""), 0U);
  EXPECT_GT(mismatches_after_json_edit("\"rounding\": \"AP_RND_MIN_INF\"", "\"rounding\": \"AP_RND\""), 0U);
  EXPECT_GT(mismatches_after_json_edit("\"rounding\": \"AP_TRN_ZERO\"", "\"rounding\": \"AP_TRN\""), 0U);
  // A wrong overflow mode, and saturation bits forgotten.
  EXPECT_GT(mismatches_after_json_edit("\"overflow\": \"AP_SAT_SYM\"", "\"overflow\": \"AP_SAT\""), 0U);
  EXPECT_GT(mismatches_after_json_edit("\"saturation_bits\": 2", "\"saturation_bits\": 0"), 0U);
  // A dropped element (h_quantize's out[1] = 0 instead of its ap_ufixed<4,12>).
  EXPECT_GT(mismatches_after_json_edit("\"bits\": [0, 4,", "\"bits\": [0, 0,"), 0U);
  // The element conversion skipped (h_quantize's out[3]: ap_ufixed<1,-1> widened to ap_ufixed<9,7>).
  EXPECT_GT(mismatches_after_json_edit("\"bits\": [0, 4, 2, 1,", "\"bits\": [0, 4, 2, 9,"), 0U);
}

std::string import_error_after(const std::string& from, const std::string& to) {
  return testing::import_error_after_code_gen_edit(testing::write_hgq_project, from, to);
}

// "nnet_code_gen.h:L: " for line k of quantizer_functions.txt.
std::string at_line(int k) { return "nnet_code_gen.h:" + std::to_string(testing::kHgqFirstLine - 1 + k) + ": "; }

TEST(HgqQuantizerImport, RefusesOtherStatements) {
  const std::string plain = import_error_after("out[3] = ap_ufixed<1,-1,AP_RND,AP_WRAP>(inp[3]);", "out[3] = inp[3];");
  EXPECT_NE(plain.find(at_line(9) + "h_quantize: expected 0 or ap_fixed<...> / ap_ufixed<...>, found 'inp'"), std::string::npos) << plain;
  const std::string product = import_error_after("out[3] = ap_ufixed<1,-1,AP_RND,AP_WRAP>(inp[3]);", "out[3] = ap_ufixed<1,-1,AP_RND,AP_WRAP>(inp[3] * 2);");
  EXPECT_NE(product.find(at_line(9) + "h_quantize: expected ')', found '*'"), std::string::npos) << product;
  const std::string constant = import_error_after("out[0] = 0;", "out[0] = 1;");
  EXPECT_NE(constant.find(at_line(6) + "h_quantize: expected 0 or ap_fixed"), std::string::npos) << constant;
  const std::string mode = import_error_after("out[3] = ap_ufixed<1,-1,AP_RND,AP_WRAP>", "out[3] = ap_ufixed<1,-1,AP_ROUND,AP_WRAP>");
  EXPECT_NE(mode.find(at_line(9) + "h_quantize: fixed-point type 'ap_ufixed<1,-1,AP_ROUND,AP_WRAP>': unknown quantization mode"), std::string::npos) << mode;
  const std::string other = import_error_after("out[3] = ap_ufixed<1,-1,AP_RND,AP_WRAP>(inp[3]);", "out[3] = ap_ufixed<1,-1,AP_RND,AP_WRAP>(inp[4]);");
  EXPECT_NE(other.find(at_line(9) + "h_quantize: out[3] reads inp[4]"), std::string::npos) << other;
}

TEST(HgqQuantizerImport, EveryElementIsWrittenExactlyOnce) {
  const std::string twice = import_error_after("out[6] = 0;", "out[5] = 0;");
  EXPECT_NE(twice.find(at_line(12) + "h_quantize: out[5] is written twice (first at line " + std::to_string(testing::kHgqFirstLine - 1 + 11) + ")"),
            std::string::npos)
      << twice;
  const std::string missing = import_error_after("out[6] = 0;", "");
  EXPECT_NE(missing.find("h_quantize never writes out[6] (1 of the 12 values the call passes)"), std::string::npos) << missing;
  const std::string beyond = import_error_after("out[6] = 0;", "out[6] = 0; out[12] = 0;");
  EXPECT_NE(beyond.find(at_line(12) + "h_quantize: out[12] is beyond the 12 values the call passes"), std::string::npos) << beyond;
}

TEST(HgqQuantizerImport, RefusesMixedModesInOneFunction) {
  // generate_mask_fn writes one RND and one SAT per function, which model.json keeps once.
  const std::string e = import_error_after("out[3] = ap_ufixed<1,-1,AP_RND,AP_WRAP>", "out[3] = ap_ufixed<1,-1,AP_TRN,AP_WRAP>");
  EXPECT_NE(e.find("myproject.cpp:"), std::string::npos) << e;
  EXPECT_NE(e.find("element 3 has type ap_ufixed<1,-1>, element types must share the rounding and overflow modes of ap_ufixed<4,12,AP_RND>"),
            std::string::npos)
      << e;
}

}  // namespace
}  // namespace l1emu::emu
