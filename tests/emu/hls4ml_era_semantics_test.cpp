// The importer decides BatchNorm's rounding and LeakyReLU's alpha type separately, from the
// project's own nnet_utils, then the generated code, then hls4ml_config.yml. Fixtures
// tests/fixtures/hls4ml/era_*: one project (normalize -> leaky_relu) written as hls4ml 0.6, 0.8 and
// 1.0 write it; the tests add the nnet_utils evidence of each release at run time
// (hls4ml_era_evidence.h: the few lines the importer reads, none of hls4ml's code).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "hls4ml_era_evidence.h"
#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace l1emu::emu {
namespace {

using testing::copy_fixture;
using testing::edit_file;
using testing::ScratchDir;

// One event chosen so that the semantics show: channel 0 differs between one and two roundings,
// channel 2 between alpha as data_T and as param_t.
const std::vector<float> kEvent{0.0625F, -0.0625F, -3.0F, 0.1875F};

// The fixtures' arithmetic written out independently, on doubles (every value here is a short
// dyadic fraction, so floor is exact): input ap_fixed<8,4>, scale 0.5, bias {1/32, 0, -1/4, 1/2},
// BN result ap_fixed<8,4> (LSB 1/16, TRN), alpha 0.3 as ap_fixed<8,4> (data_T) or ap_fixed<16,6>
// (param_t), output ap_fixed<8,4>. Returns output codes.
std::vector<long> expected_codes(bool twice, bool alpha_param) {
  const double bias[4] = {1.0 / 32, 0, -0.25, 0.5};
  const auto to16 = [](double v) { return std::floor(v * 16) / 16; };  // ->ap_fixed<8,4>, TRN, no overflow here
  const double alpha = alpha_param ? std::floor(0.3 * 1024) / 1024 : to16(0.3);
  std::vector<long> out;
  for (int i = 0; i < 4; ++i) {
    const double product = kEvent[static_cast<std::size_t>(i)] * 0.5;
    const double bn = twice ? to16(to16(product) + bias[i]) : to16(product + bias[i]);
    const double y = bn > 0 ? bn : to16(alpha * bn);
    out.push_back(std::lround(y * 16));
  }
  return out;
}

std::vector<long> outputs_of(const Model& model) {
  const ReferenceEvaluator eval(model);
  std::vector<long> out;
  for (const BigInt& c : eval.outputs(eval.evaluate(input_codes(model, kEvent)))) out.push_back(c.convert_to<long>());
  return out;
}

const BatchNormalization& batch_norm(const Model& m) { return dynamic_cast<const BatchNormalization&>(*m.layers().at(0)); }
const LeakyReLU& leaky(const Model& m) { return dynamic_cast<const LeakyReLU&>(*m.layers().at(1)); }

std::string all(const std::vector<std::string>& notes) {
  std::string s;
  for (const auto& n : notes) s += n + "\n";
  return s;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A scratch copy of an era fixture with the nnet_utils evidence of its release.
struct EraProject {
  ScratchDir dir;
  EraProject(const std::string& fixture, testing::NormalizeProduct product, testing::AlphaType alpha) : dir(fixture) {
    copy_fixture("hls4ml/" + fixture, dir.path());
    testing::write_nnet_utils_evidence(dir.path(), product, alpha);
  }
  [[nodiscard]] std::filesystem::path path() const { return dir.path(); }
};

EraProject release06() { return {"era_v06_bn_twice", testing::NormalizeProduct::ThreeTypes, testing::AlphaType::DataT}; }
EraProject release08() { return {"era_v08_bn_once_alpha_data", testing::NormalizeProduct::TwoTypes, testing::AlphaType::DataT}; }
EraProject release10() { return {"era_v10_bn_once_alpha_param", testing::NormalizeProduct::TwoTypes, testing::AlphaType::ParamT}; }

std::string at_line(const std::string& file, int line) { return file + ":" + std::to_string(line) + ": "; }

TEST(Hls4mlEraSemantics, TheExpectationsThemselvesTellTheErasApart) {
  // Otherwise the tests below could not fail for a wrong decision.
  EXPECT_NE(expected_codes(true, false), expected_codes(false, false));
  EXPECT_NE(expected_codes(false, false), expected_codes(false, true));
  EXPECT_EQ(expected_codes(true, false), (std::vector<long>{0, -1, -7, 9}));
  EXPECT_EQ(expected_codes(false, true), (std::vector<long>{1, -1, -9, 9}));
}

TEST(Hls4mlEraSemantics, Release06RoundsTwiceAndTypesAlphaAsData) {
  std::vector<std::string> notes;
  const EraProject project = release06();
  const Model m = import_hls4ml_project(project.path(), std::nullopt, &notes);
  const std::string text = all(notes);
  EXPECT_EQ(batch_norm(m).config().rounding, BatchNormRounding::Twice);
  EXPECT_EQ(leaky(m).config().flavor, Flavor::Paper);
  EXPECT_EQ(m.flavor(), Flavor::Paper);
  EXPECT_TRUE(has(text, "rounds twice")) << text;
  EXPECT_TRUE(has(text, at_line("nnet_utils/nnet_batchnorm.h", testing::kEvidenceLineNormalize) + "normalize calls product<data_T, scale_t, res_T>")) << text;
  EXPECT_TRUE(has(text, at_line("nnet_mult.h", testing::kEvidenceLineMult) + "mult::product returns its third type")) << text;
  EXPECT_TRUE(has(text, at_line("nnet_utils/nnet_activation.h", testing::kEvidenceLineLeakyRelu) + "leaky_relu takes alpha as data_T")) << text;
  EXPECT_EQ(outputs_of(m), expected_codes(true, false));
}

TEST(Hls4mlEraSemantics, Release08RoundsOnceButStillTypesAlphaAsData) {
  std::vector<std::string> notes;
  const EraProject project = release08();
  const Model m = import_hls4ml_project(project.path(), std::nullopt, &notes);
  const std::string text = all(notes);
  EXPECT_EQ(batch_norm(m).config().rounding, BatchNormRounding::Once);
  EXPECT_EQ(leaky(m).config().flavor, Flavor::Paper);
  EXPECT_TRUE(has(text, at_line("nnet_utils/nnet_batchnorm.h", testing::kEvidenceLineNormalize) + "normalize calls product<data_T, scale_t>")) << text;
  EXPECT_TRUE(has(text, "mult::product returns decltype(a * w)")) << text;
  EXPECT_TRUE(has(text, at_line("nnet_activation.h", testing::kEvidenceLineLeakyRelu) + "leaky_relu takes alpha as data_T")) << text;
  EXPECT_EQ(outputs_of(m), expected_codes(false, false));

  // model.json keeps the per-layer rounding against the model's flavor (paper) and reads it back.
  const std::string json = write_model_json(m);
  EXPECT_TRUE(has(json, "\"rounding\": \"once\"")) << json;
  const Model back = parse_model_json(json, "written");
  EXPECT_EQ(batch_norm(back).config().rounding, BatchNormRounding::Once);
  EXPECT_EQ(outputs_of(back), expected_codes(false, false));
}

TEST(Hls4mlEraSemantics, Release10RoundsOnceAndTypesAlphaAsParam) {
  std::vector<std::string> notes;
  const EraProject project = release10();
  const Model m = import_hls4ml_project(project.path(), std::nullopt, &notes);
  const std::string text = all(notes);
  EXPECT_EQ(batch_norm(m).config().rounding, BatchNormRounding::Once);
  EXPECT_EQ(leaky(m).config().flavor, Flavor::Head);
  EXPECT_EQ(leaky(m).config().param_t, FixedType::parse("ap_fixed<16,6>"));
  EXPECT_EQ(m.flavor(), Flavor::Head);
  EXPECT_TRUE(has(text, at_line("nnet_activation.h", testing::kEvidenceLineLeakyRelu) + "leaky_relu takes alpha as param_T")) << text;
  EXPECT_EQ(outputs_of(m), expected_codes(false, true));
  EXPECT_FALSE(has(write_model_json(m), "\"rounding\"")) << "the flavor's default needs no key";
}

TEST(Hls4mlEraSemantics, WithoutNnetUtilsTheGeneratedCodeDecides) {
  ScratchDir dir("era_fallback");
  copy_fixture("hls4ml/era_v08_bn_once_alpha_data", dir.path());
  std::vector<std::string> notes;
  // 1. The config's product alias template in parameters.h (two types: 0.7 and later).
  Model m = import_hls4ml_project(dir.path(), std::nullopt, &notes);
  EXPECT_EQ(batch_norm(m).config().rounding, BatchNormRounding::Once);
  EXPECT_TRUE(has(all(notes), "parameters.h:17: config2::product takes <x_T, y_T>")) << all(notes);
  EXPECT_TRUE(has(all(notes), "myproject.cpp:15: the leaky_relu call has no param_t")) << all(notes);
  EXPECT_EQ(outputs_of(m), expected_codes(false, false));
  // 2. Without it, hls4ml_config.yml's version.
  edit_file(dir.path() / "firmware/parameters.h", "template<class x_T, class y_T>\n    using product = nnet::product::mult<x_T, y_T>;", "");
  notes.clear();
  m = import_hls4ml_project(dir.path(), std::nullopt, &notes);
  EXPECT_EQ(batch_norm(m).config().rounding, BatchNormRounding::Once);
  EXPECT_TRUE(has(all(notes), "hls4ml_config.yml:10: Version 0.8.1 (0.7 or later: normalize rounds once)")) << all(notes);
  // 3. Without that, the leaky_relu call, as before: a guess, said to be one.
  edit_file(dir.path() / "hls4ml_config.yml", "Version: 0.8.1\n", "");
  notes.clear();
  m = import_hls4ml_project(dir.path(), std::nullopt, &notes);
  EXPECT_EQ(batch_norm(m).config().rounding, BatchNormRounding::Twice);
  EXPECT_TRUE(has(all(notes), "rounds twice (guessed from")) << all(notes);
  EXPECT_TRUE(has(all(notes), "\"rounding\": \"once\"")) << all(notes);
}

TEST(Hls4mlEraSemantics, ThreeTypeProductAliasMeansTwoRoundings) {
  ScratchDir dir("era_alias3");
  copy_fixture("hls4ml/era_v06_bn_twice", dir.path());
  edit_file(dir.path() / "hls4ml_config.yml", "Version: 0.6.0\n", "Version: 1.0.0\n");
  std::vector<std::string> notes;
  const Model m = import_hls4ml_project(dir.path(), std::nullopt, &notes);
  EXPECT_EQ(batch_norm(m).config().rounding, BatchNormRounding::Twice);
  // The code wins over the version, and the disagreement is said.
  EXPECT_TRUE(has(all(notes), "config2::product takes <x_T, y_T, res_T>")) << all(notes);
  EXPECT_TRUE(has(all(notes), "note: " + (dir.path() / "hls4ml_config.yml").string() + ":10: Version 1.0.0 (0.7 or later: normalize rounds once) says once"))
      << all(notes);
}

TEST(Hls4mlEraSemantics, FlavourOptionOverridesAndNamesTheContradiction) {
  std::vector<std::string> notes;
  const EraProject project = release10();
  const Model m = import_hls4ml_project(project.path(), Flavor::Paper, &notes);
  const std::string text = all(notes);
  EXPECT_EQ(batch_norm(m).config().rounding, BatchNormRounding::Twice);
  EXPECT_EQ(leaky(m).config().flavor, Flavor::Paper);
  EXPECT_TRUE(has(text, "rounds twice (from --flavour paper); note: ")) << text;
  EXPECT_TRUE(has(text, at_line("nnet_batchnorm.h", testing::kEvidenceLineNormalize) + "normalize calls product<data_T, scale_t>")) << text;
  EXPECT_TRUE(has(text, "says once")) << text;
  EXPECT_TRUE(has(text, "types alpha as data_T (from --flavour paper); note: ")) << text;
  EXPECT_TRUE(has(text, "says param_t")) << text;
  EXPECT_EQ(outputs_of(m), expected_codes(true, false));
}

TEST(Hls4mlEraSemantics, WithoutLeakyReluTheModelFlavourFollowsBatchNorm) {
  // A 0.8 project whose only era-dependent layer is normalize (as CICADA v1): the model-level
  // flavour is BatchNorm's (head: once), not what the unused leaky_relu signature would say.
  const EraProject dir = release08();
  edit_file(dir.path() / "firmware/myproject.cpp", "nnet::leaky_relu<layer2_t, result_t, leaky_relu_config3>(layer2_out, 0.3, layer3_out); // leaky_re_lu",
            "nnet::relu<layer2_t, result_t, leaky_relu_config3>(layer2_out, layer3_out); // relu");
  std::vector<std::string> notes;
  const Model m = import_hls4ml_project(dir.path(), std::nullopt, &notes);
  EXPECT_EQ(m.flavor(), Flavor::Head);
  EXPECT_EQ(batch_norm(m).config().rounding, BatchNormRounding::Once);
  EXPECT_TRUE(has(all(notes), "flavour head (as BatchNormalization's rounding")) << all(notes);
  EXPECT_FALSE(has(all(notes), "LeakyReLU")) << all(notes);
  EXPECT_FALSE(has(write_model_json(m), "\"rounding\""));
}

TEST(Hls4mlEraSemantics, ModelJsonRoundingKey) {
  const std::string base = R"({"project": "p", "flavor": "FLAVOR", "inputs": [{"name": "x", "size": 4, "type": "ap_fixed<8,4>"}],
    "layers": [{"name": "bn", "class": "BatchNormalization", "input": "x", ROUNDING
                "scale": [0.5, 0.5, 0.5, 0.5], "bias": [0.03125, 0, -0.25, 0.5], "scale_t": "ap_fixed<8,2>",
                "bias_t": "ap_fixed<10,4>", "result_t": "ap_fixed<8,4>"}], "outputs": ["bn"]})";
  const auto make = [&](const std::string& flavor, const std::string& rounding) {
    std::string s = base;
    s.replace(s.find("FLAVOR"), 6, flavor);
    s.replace(s.find("ROUNDING"), 8, rounding.empty() ? "" : "\"rounding\": \"" + rounding + "\",");
    return s;
  };
  EXPECT_EQ(batch_norm(parse_model_json(make("head", ""), "t")).config().rounding, BatchNormRounding::Once);
  EXPECT_EQ(batch_norm(parse_model_json(make("paper", ""), "t")).config().rounding, BatchNormRounding::Twice);
  EXPECT_EQ(batch_norm(parse_model_json(make("head", "twice"), "t")).config().rounding, BatchNormRounding::Twice);
  EXPECT_EQ(batch_norm(parse_model_json(make("paper", "once"), "t")).config().rounding, BatchNormRounding::Once);
  const Model head_twice = parse_model_json(make("head", "twice"), "t");
  EXPECT_TRUE(has(write_model_json(head_twice), "\"rounding\": \"twice\""));
  try {
    (void)parse_model_json(make("head", "thrice"), "t.json");
    FAIL() << "expected an error";
  } catch (const ModelError& e) {
    EXPECT_TRUE(has(e.what(), "rounding")) << e.what();
    EXPECT_TRUE(has(e.what(), "\"once\" or \"twice\"")) << e.what();
  }
}

// n_filt != -1 (nnet_batchnorm.h from 0.8): one scale and bias per channel, element i using
// i % n_filt. The per-channel import computes what the per-element one does with the parameters
// repeated.
TEST(Hls4mlEraSemantics, PerChannelBatchNormUsesElementModuloNFilt) {
  ScratchDir channel("bn_per_channel"), element("bn_per_element");
  for (const auto* dir : {&channel, &element}) copy_fixture("hls4ml/era_v10_bn_once_alpha_param", dir->path());
  edit_file(channel.path() / "firmware/parameters.h", "static const unsigned n_filt = -1;", "static const unsigned n_filt = 2;");
  edit_file(channel.path() / "firmware/weights.h", "scale2_t s2[4] = {0.5, 0.5, 0.5, 0.5};", "scale2_t s2[2] = {0.5, 0.25};");
  edit_file(channel.path() / "firmware/weights.h", "bias2_t b2[4] = {0.03125, 0, -0.25, 0.5};", "bias2_t b2[2] = {0.03125, -0.25};");
  edit_file(element.path() / "firmware/weights.h", "scale2_t s2[4] = {0.5, 0.5, 0.5, 0.5};", "scale2_t s2[4] = {0.5, 0.25, 0.5, 0.25};");
  edit_file(element.path() / "firmware/weights.h", "bias2_t b2[4] = {0.03125, 0, -0.25, 0.5};", "bias2_t b2[4] = {0.03125, -0.25, 0.03125, -0.25};");
  const Model per_channel = import_hls4ml_project(channel.path(), std::nullopt, nullptr);
  const Model per_element = import_hls4ml_project(element.path(), std::nullopt, nullptr);
  const auto* bn = dynamic_cast<const BatchNormalization*>(per_channel.layers()[0].get());
  ASSERT_NE(bn, nullptr);
  EXPECT_EQ(bn->config().n_filt, 2);
  EXPECT_EQ(bn->config().scale.size(), 2U);
  const ReferenceEvaluator a(per_channel), b(per_element);
  std::mt19937_64 rng(31);
  for (int e = 0; e < 300; ++e) {
    const auto inputs = testing::random_input_codes(per_channel, rng);
    EXPECT_EQ(a.outputs(a.evaluate(inputs)), b.outputs(b.evaluate(inputs))) << "event " << e;
  }
  // An n_filt that does not divide the inputs is refused.
  edit_file(channel.path() / "firmware/parameters.h", "static const unsigned n_filt = 2;", "static const unsigned n_filt = 3;");
  try {
    (void)import_hls4ml_project(channel.path(), std::nullopt, nullptr);
    ADD_FAILURE() << "n_filt = 3 of 4 inputs imported";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("n_filt = 3 does not divide the 4 inputs"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace l1emu::emu
