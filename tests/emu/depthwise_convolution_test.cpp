// DepthwiseConv2D and DepthwiseConv1D (emu/src/nn/layers/depthwise_convolution.cpp): hls4ml projects
// with hls4ml 1.x's io_parallel depthwise_conv_2d_cl (a separable convolution: depthwise, then
// pointwise) and depthwise_conv_1d_cl import and reproduce hls4ml's own C simulation of them, code for
// code, on both engines (tests/fixtures/hls4ml/depthwise_sepconv, depthwise_conv1d; expected/README.md
// says how the codes were made); model.json keeps the Keras depthwise kernel; the compiled engine
// equals the reference on random depthwise models under every instruction set; what hls4ml does not
// compute (a depth multiplier, the Resource strategy) is refused naming the key.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "under_vector_isa.h"
#include "compiled_compare.h"
#include "hls4ml_codes_check.h"
#include "import_test_support.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/convolution.h"
#include "random_model.h"

namespace l1emu::emu {
namespace {

using testing::expect_hls4ml_codes;
using testing::fixture_dir;
using testing::RandomModelFactory;

TEST(DepthwiseConvolution, SeparableConv2DProjectReproducesHls4mlsOwnCSimulation) {
  const auto dir = fixture_dir("hls4ml/depthwise_sepconv");
  const Model model = import_hls4ml_project(dir, std::nullopt, nullptr);
  ASSERT_EQ(model.layers().size(), 4U);
  EXPECT_EQ(model.layers()[0]->class_name(), "DepthwiseConv2D");
  EXPECT_EQ(model.layers()[0]->shape(), (std::vector<std::size_t>{5, 6, 3}));
  EXPECT_EQ(model.layers()[1]->class_name(), "Conv2D");  // the pointwise half
  EXPECT_EQ(expect_hls4ml_codes(model, dir), 300U);
}

TEST(DepthwiseConvolution, Conv1DProjectReproducesHls4mlsOwnCSimulation) {
  const auto dir = fixture_dir("hls4ml/depthwise_conv1d");
  const Model model = import_hls4ml_project(dir, std::nullopt, nullptr);
  ASSERT_EQ(model.layers().size(), 2U);
  EXPECT_EQ(model.layers()[0]->class_name(), "DepthwiseConv1D");
  EXPECT_EQ(model.layers()[0]->shape(), (std::vector<std::size_t>{5, 3}));
  EXPECT_EQ(expect_hls4ml_codes(model, dir), 300U);
}

// model.json writes the Keras depthwise kernel (filt_height, filt_width, n_chan, 1), not the
// diagonal Conv kernel the layer computes with, and reads back the same model.
TEST(DepthwiseConvolution, ModelJsonKeepsTheDepthwiseKernel) {
  for (const char* fixture : {"hls4ml/depthwise_sepconv", "hls4ml/depthwise_conv1d"}) {
    const auto dir = fixture_dir(fixture);
    const Model model = import_hls4ml_project(dir, std::nullopt, nullptr);
    const std::string json = write_model_json(model);
    const auto layer = nlohmann::json::parse(json)["layers"][0];
    EXPECT_FALSE(layer.contains("n_filt")) << fixture;
    const auto& w = layer["weight"];
    if (layer["class"] == "DepthwiseConv2D") {
      ASSERT_EQ(w.size(), 3U);
      ASSERT_EQ(w[0].size(), 3U);
      ASSERT_EQ(w[0][0].size(), 3U);
      EXPECT_EQ(w[0][0][0].size(), 1U);
    } else {
      ASSERT_EQ(w.size(), 3U);
      ASSERT_EQ(w[0].size(), 3U);
      EXPECT_EQ(w[0][0].size(), 1U);
    }
    const Model again = parse_model_json(json, "written");
    EXPECT_EQ(write_model_json(again), json) << fixture;
    EXPECT_EQ(expect_hls4ml_codes(again, dir), 300U) << fixture;
  }
}

// A model.json of one depthwise layer with random geometry, types (every rounding and overflow
// mode) and weights (some zero), written as exact decimals.
nlohmann::json random_depthwise_json(RandomModelFactory& f) {
  const bool two_d = f.uniform(0, 1) == 1;
  const std::size_t in_h = two_d ? static_cast<std::size_t>(f.uniform(1, 6)) : 1, in_w = static_cast<std::size_t>(f.uniform(1, 7));
  const std::size_t c = static_cast<std::size_t>(f.uniform(1, 4));
  auto axis = [&](std::size_t in, std::size_t& window, std::size_t& stride, std::size_t& lo, std::size_t& hi, std::size_t& out) {
    window = static_cast<std::size_t>(f.uniform(1, 3));
    stride = static_cast<std::size_t>(f.uniform(1, 3));
    lo = static_cast<std::size_t>(f.uniform(0, 2));
    hi = static_cast<std::size_t>(f.uniform(0, 2));
    if (in + lo + hi < window) window = in + lo + hi;
    out = (in + lo + hi - window) / stride + 1;
  };
  std::size_t fh = 1, sh = 1, pt = 0, pb = 0, oh = 1, fw, sw, pl, pr, ow;
  if (two_d) axis(in_h, fh, sh, pt, pb, oh);
  axis(in_w, fw, sw, pl, pr, ow);
  const FixedType in_t = f.type(2), weight_t = f.type(), bias_t = f.type(), result_t = f.type(2);
  FixedType accum_t = f.type(2);
  if (f.uniform(0, 2) == 0) {  // hls4ml's default accumulators: TRN, WRAP
    accum_t = FixedType{f.uniform(6, 16), 0, true, Quantization::Trn, Overflow::Wrap, 0};
    accum_t.integer_bits = f.uniform(1, accum_t.width);
  }
  const auto value = [](const BigInt& code, const FixedType& t) {
    return std::ldexp(code.convert_to<double>(), -(t.width - t.integer_bits));
  };
  const auto weights = f.codes(weight_t, fh * fw * c, 20);
  nlohmann::json w = nlohmann::json::array();
  for (std::size_t kh = 0; kh < fh; ++kh) {
    nlohmann::json row = nlohmann::json::array();
    for (std::size_t kw = 0; kw < fw; ++kw) {
      nlohmann::json chans = nlohmann::json::array();
      for (std::size_t ch = 0; ch < c; ++ch) chans.push_back(nlohmann::json::array({value(weights[(kh * fw + kw) * c + ch], weight_t)}));
      row.push_back(chans);
    }
    if (two_d) {
      w.push_back(row);
    } else {
      w = row;
    }
  }
  nlohmann::json bias = nlohmann::json::array();
  for (const BigInt& b : f.codes(bias_t, c)) bias.push_back(value(b, bias_t));
  nlohmann::json layer = {{"name", "dw"}, {"class", two_d ? "DepthwiseConv2D" : "DepthwiseConv1D"}, {"input", "x"}, {"n_chan", c},
                          {"in_width", in_w}, {"filt_width", fw}, {"stride_width", sw}, {"pad_left", pl}, {"pad_right", pr},
                          {"out_width", ow}, {"weight", w}, {"bias", bias}, {"weight_t", weight_t.to_string()},
                          {"bias_t", bias_t.to_string()}, {"accum_t", accum_t.to_string()}, {"result_t", result_t.to_string()}};
  std::vector<std::size_t> shape{in_w, c};
  if (two_d) {
    for (const auto& [k, v] : std::map<std::string, std::size_t>{
             {"in_height", in_h}, {"filt_height", fh}, {"stride_height", sh}, {"pad_top", pt}, {"pad_bottom", pb}, {"out_height", oh}}) {
      layer[k] = v;
    }
    shape.insert(shape.begin(), in_h);
  }
  return {{"project", "depthwise"}, {"flavor", "head"}, {"outputs", {"dw"}},
          {"inputs", {{{"name", "x"}, {"size", in_h * in_w * c}, {"shape", shape}, {"type", in_t.to_string()}}}}, {"layers", {layer}}};
}

class DepthwiseUnderIsa : public testing::UnderVectorIsa {};

TEST_P(DepthwiseUnderIsa, RandomDepthwiseModelsMatchTheReference) {
  int models = 0;
  for (int m = 0; m < 120; ++m) {
    RandomModelFactory factory(0xD3E9 + static_cast<std::uint64_t>(m), m % 3 == 0 ? 30 : 14);
    const std::string text = random_depthwise_json(factory).dump();
    const Model model = parse_model_json(text, "random depthwise model " + std::to_string(m));
    // Written back, the model reads the same: the kernel round-trips through the diagonal.
    EXPECT_EQ(write_model_json(parse_model_json(write_model_json(model), "written")), write_model_json(model));
    if (!CompiledModel::supports(model)) continue;
    ASSERT_EQ(testing::compiled_mismatches(model, testing::random_input_events(factory, model, 70),
                                           "depthwise model " + std::to_string(m) + " under " + GetParam()),
              0U)
        << text;
    ++models;
  }
  EXPECT_GT(models, 110);
}

INSTANTIATE_TEST_SUITE_P(Isa, DepthwiseUnderIsa, ::testing::ValuesIn(available_vector_isas()),
                         [](const auto& param_info) { return param_info.param; });

// Filter f adds channel f's products only: the codes differ from a full Conv2D with the same
// weights on every channel (what a misplaced diagonal would compute), and from the depthwise
// weights applied to the wrong channel.
TEST(DepthwiseConvolution, EachFilterReadsItsOwnChannelOnly) {
  const Model model = import_hls4ml_project(fixture_dir("hls4ml/depthwise_sepconv"), std::nullopt, nullptr);
  const auto& dw = dynamic_cast<const Convolution&>(*model.layers()[0]);
  const std::size_t c = dw.config().geometry.channels;
  for (std::size_t k = 0; k < dw.window_size(); ++k) {
    for (std::size_t f = 0; f < c; ++f) {
      if (f != k % c) {
        EXPECT_EQ(dw.config().weights[k * c + f], 0) << "k " << k << " filter " << f;
      }
    }
  }
}

TEST(DepthwiseConvolution, RefusesWhatHls4mlDoesNotCompute) {
  RandomModelFactory factory(7, 14);
  nlohmann::json m = random_depthwise_json(factory);
  const auto fails_naming = [](const nlohmann::json& j, const std::string& key) {
    try {
      (void)parse_model_json(j.dump(), "model.json");
      ADD_FAILURE() << "accepted " << key;
    } catch (const ModelError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  auto multiplier = m;
  multiplier["layers"][0]["n_filt"] = 2 * multiplier["layers"][0]["n_chan"].get<int>();
  fails_naming(multiplier, "n_filt");
  auto resource = m;
  resource["layers"][0]["strategy"] = "resource";
  fails_naming(resource, "strategy");
  auto equal = m;  // n_filt == n_chan is what hls4ml's config carries: accepted
  equal["layers"][0]["n_filt"] = equal["layers"][0]["n_chan"];
  EXPECT_NO_THROW((void)parse_model_json(equal.dump(), "model.json"));
}

}  // namespace
}  // namespace l1emu::emu
