// The spatial layer classes (convolution, pooling, padding, cropping, upsampling, reshape): their
// model.json keys round-trip, malformed geometry is refused naming the key, and the rules of
// shared/golden/hls4ml2/README.md that the goldens exercise only in passing are pinned by hand.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "compiled_compare.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/reference_evaluator.h"
#include "shared_data.h"

namespace l1emu::emu {
namespace {

// One input of the given shape and type, one layer (its keys as JSON text), the layer as output.
std::string one_layer_model(const std::string& shape, std::size_t size, const std::string& type, const std::string& layer) {
  return R"({"inputs": [{"name": "x", "size": )" + std::to_string(size) + R"(, "shape": )" + shape + R"(, "type": ")" + type +
         R"("}], "layers": [{"name": "l", "input": "x", )" + layer + R"(}], "outputs": ["l"]})";
}

std::vector<BigInt> run(const Model& model, const std::vector<long>& input_codes) {
  std::vector<BigInt> codes(input_codes.begin(), input_codes.end());
  const ReferenceEvaluator evaluator(model);
  return evaluator.outputs(evaluator.evaluate({codes}));
}

std::vector<BigInt> codes(std::initializer_list<long> values) { return {values.begin(), values.end()}; }

// Expects parse_model_json to throw a ModelError whose message contains every fragment.
void expect_model_error(const std::string& text, std::initializer_list<const char*> fragments) {
  try {
    (void)parse_model_json(text, "model.json");
    ADD_FAILURE() << "no error for " << text;
  } catch (const ModelError& e) {
    const std::string message = e.what();
    for (const char* f : fragments) EXPECT_NE(message.find(f), std::string::npos) << message;
  }
}

TEST(SpatialLayersTest, GoldenModelsRoundTripThroughTheWriter) {
  L1EMU_REQUIRE_SHARED();
  std::mt19937_64 rng(11);
  for (const char* name : {"conv2d_small", "cnn_ae_paper", "pooling"}) {
    SCOPED_TRACE(name);
    const Model original = load_model_json(testing::golden_dir() / "hls4ml2" / name / "model.json");
    const std::string text = write_model_json(original);
    const Model copy = parse_model_json(text, std::string("written ") + name);
    EXPECT_EQ(write_model_json(copy), text);
    const ReferenceEvaluator a(original), b(copy);
    for (int event = 0; event < 5; ++event) {
      std::vector<std::vector<BigInt>> inputs;
      for (const auto& spec : original.inputs()) {
        std::vector<BigInt> x;
        const BigInt span = spec.type.max_code() - spec.type.min_code() + 1;
        for (std::size_t i = 0; i < spec.size; ++i) x.push_back(spec.type.min_code() + BigInt(rng()) % span);
        inputs.push_back(std::move(x));
      }
      EXPECT_EQ(a.outputs(a.evaluate(inputs)), b.outputs(b.evaluate(inputs))) << "event " << event;
    }
  }
}

// Average pooling divides the accum_t code by the overlap rounding toward zero: -7/2 -> -3
// (floor would give -4); the padded column of a "same" window is not counted.
TEST(SpatialLayersTest, AveragePoolingTruncatesTowardZeroAndCountsOnlyInsideCells) {
  const Model m = parse_model_json(
      one_layer_model("[3, 1]", 3, "ap_fixed<8,8>",
                      R"("class": "AveragePooling1D", "in_width": 3, "out_width": 2, "n_filt": 1, "pool_width": 2, "stride_width": 2,
                         "pad_left": 0, "pad_right": 1, "count_pad": false, "accum_t": "ap_fixed<8,8>", "result_t": "ap_fixed<8,8>")"),
      "t");
  EXPECT_EQ(run(m, {-3, -4, -5}), codes({-3, -5}));
  EXPECT_EQ(run(m, {3, 4, 5}), codes({3, 5}));
}

// Max pooling pads with the input type's top bit: for ap_ufixed that is half the range, larger
// than any cell below it, so a padded window of small values yields 2^(W-1) (then ->accum_t).
TEST(SpatialLayersTest, MaxPoolingPadValueIsTheTopBitOfTheInputType) {
  const std::string layer =
      R"("class": "MaxPooling1D", "in_width": 3, "out_width": 2, "n_filt": 1, "pool_width": 2, "stride_width": 2,
         "pad_left": 0, "pad_right": 1, "count_pad": false, "accum_t": "ap_ufixed<9,9>", "result_t": "ap_ufixed<9,9>")";
  const Model u = parse_model_json(one_layer_model("[3, 1]", 3, "ap_ufixed<8,8>", layer), "t");
  EXPECT_EQ(run(u, {1, 2, 3}), codes({2, 128}));
  std::string signed_layer = layer;
  for (const char* from : {"ap_ufixed<9,9>", "ap_ufixed<9,9>"}) signed_layer.replace(signed_layer.find(from), 14, "ap_fixed<9,9>");
  const Model s = parse_model_json(one_layer_model("[3, 1]", 3, "ap_fixed<8,8>", signed_layer), "t");
  EXPECT_EQ(run(s, {-100, -120, -128}), codes({-100, -128}));
}

// Max pooling converts the maximum to accum_t before result_t: with a narrow SAT accum_t the
// value clips there even though result_t could hold it.
TEST(SpatialLayersTest, MaxPoolingConvertsThroughAccumT) {
  const Model m = parse_model_json(
      one_layer_model("[2, 2, 1]", 4, "ap_fixed<8,8>",
                      R"("class": "GlobalMaxPooling2D", "in_height": 2, "in_width": 2, "n_filt": 1,
                         "accum_t": "ap_fixed<4,4,AP_TRN,AP_SAT>", "result_t": "ap_fixed<8,8>")"),
      "t");
  EXPECT_EQ(run(m, {1, 100, 3, 4}), codes({7}));
}

// conv_1d_resource_cl with R = 2 over a window of K = 4 adds elements 0, 2, 1, 3 (the reuse loop's
// passes r = 0, 1); with a saturating accumulator the order shows: 7, 7+7 -> 7, 7-7 = 0, 0-7 = -7,
// where the Latency order gives 7, 0, 7, 0. The compiled engine agrees with the reference.
TEST(SpatialLayersTest, ResourceConvolutionAddsTheWindowInTheReuseLoopOrder) {
  const auto conv = [](const std::string& strategy) {
    return parse_model_json(
        one_layer_model("[4, 1]", 4, "ap_fixed<8,8>",
                        R"("class": "Conv1D", "in_width": 4, "n_chan": 1, "n_filt": 1, "filt_width": 4, "stride_width": 1, "pad_left": 0,
                           "pad_right": 0, "out_width": 1, "weight": [[[1]],[[1]],[[1]],[[1]]], "bias": [0], "weight_t": "ap_fixed<8,4>",
                           "bias_t": "ap_fixed<8,4>", "accum_t": "ap_fixed<4,4,AP_TRN,AP_SAT>", "result_t": "ap_fixed<8,8>", )" +
                            strategy),
        "t");
  };
  const Model latency = conv(R"("strategy": "latency")");
  const Model resource = conv(R"("strategy": "resource", "reuse_factor": 2)");
  const Model resource4 = conv(R"("strategy": "resource", "reuse_factor": 4)");
  EXPECT_EQ(run(latency, {7, -7, 7, -7}), codes({0}));
  EXPECT_EQ(run(resource, {7, -7, 7, -7}), codes({-7}));
  EXPECT_EQ(run(resource4, {7, -7, 7, -7}), codes({0}));  // R = K: one element per pass, in order
  const std::vector<std::vector<std::int64_t>> events{{7, -7, 7, -7}, {-7, 7, -7, 7}, {5, 6, -8, 3}};
  for (const Model* m : {&latency, &resource, &resource4}) EXPECT_EQ(testing::compiled_mismatches(*m, events, "resource conv"), 0U);
}

TEST(SpatialLayersTest, CroppingAndUpSamplingMoveCellsAsTheTemplatesDo) {
  const Model crop = parse_model_json(
      one_layer_model("[3, 3, 1]", 9, "ap_fixed<8,8>",
                      R"("class": "Cropping2D", "n_chan": 1, "in_height": 3, "in_width": 3, "out_height": 1, "out_width": 2,
                         "crop_top": 1, "crop_bottom": 1, "crop_left": 1, "crop_right": 0, "result_t": "ap_fixed<4,4,AP_TRN,AP_SAT>")"),
      "t");
  EXPECT_EQ(run(crop, {0, 1, 2, 3, 40, -50, 6, 7, 8}), codes({7, -8}));
  // resize_nearest with a non-integer factor 3 -> 5: rx = 3*65536/5 + 1 = 39322, x = (j*rx) >> 16
  // = 0, 0, 1, 1, 2 (not round(j*3/5)).
  const Model up = parse_model_json(one_layer_model("[3, 1]", 3, "ap_fixed<8,8>",
                                                    R"("class": "UpSampling1D", "n_chan": 1, "in_width": 3, "out_width": 5,
                                                       "algorithm": "nearest", "result_t": "ap_fixed<8,8>")"),
                                    "t");
  EXPECT_EQ(run(up, {10, 20, 30}), codes({10, 10, 20, 20, 30}));
}

TEST(SpatialLayersTest, MalformedKeysAreRefusedNamingTheKey) {
  const std::string conv_tail =
      R"("n_filt": 1, "filt_height": 2, "filt_width": 2, "stride_height": 1, "stride_width": 1, "pad_top": 0, "pad_bottom": 0,
         "pad_left": 0, "pad_right": 0, "weight": [[[[1]],[[1]]],[[[1]],[[1]]]], "bias": [0], "weight_t": "ap_fixed<8,4>",
         "bias_t": "ap_fixed<8,4>", "accum_t": "ap_fixed<16,8>", "result_t": "ap_fixed<16,8>")";
  const std::string good = R"("class": "Conv2D", "in_height": 3, "in_width": 3, "n_chan": 1, "out_height": 2, "out_width": 2, )";
  EXPECT_NO_THROW((void)parse_model_json(one_layer_model("[3, 3, 1]", 9, "ap_fixed<8,4>", good + conv_tail), "t"));
  EXPECT_NO_THROW((void)parse_model_json(one_layer_model("[3, 3, 1]", 9, "ap_fixed<8,4>", good + R"("strategy": "resource", "reuse_factor": 2, )" + conv_tail), "t"));
  // conv_2d_resource_cl with R not dividing K = 4 pairs inputs with other filters' weights.
  expect_model_error(one_layer_model("[3, 3, 1]", 9, "ap_fixed<8,4>", good + R"("strategy": "resource", "reuse_factor": 3, )" + conv_tail),
                     {"'reuse_factor'", "Resource convolution with reuse factor 3", "window of 4", "not reproduced"});
  expect_model_error(one_layer_model("[3, 3, 1]", 9, "ap_fixed<8,4>", good + R"("strategy": "resource", )" + conv_tail), {"'reuse_factor'"});
  expect_model_error(one_layer_model("[3, 3, 1]", 9, "ap_fixed<8,4>", good + R"("strategy": "resource_unrolled", )" + conv_tail),
                     {"'strategy'", "expected \"latency\" or \"resource\""});
  expect_model_error(
      one_layer_model("[3, 3, 1]", 9, "ap_fixed<8,4>",
                      R"("class": "Conv2D", "in_height": 3, "in_width": 3, "n_chan": 1, "out_height": 2, "out_width": 3, )" + conv_tail),
      {"'out_width'", "expected (in + pads - window)/stride + 1 = 2"});
  expect_model_error(
      one_layer_model("[9, 1, 1]", 9, "ap_fixed<8,4>",
                      R"("class": "Conv2D", "in_height": 3, "in_width": 3, "n_chan": 1, "out_height": 2, "out_width": 2, )" + conv_tail),
      {"'in_height'", "shape [9, 1, 1]"});
  expect_model_error(
      one_layer_model("[8]", 8, "ap_fixed<8,4>",
                      R"("class": "Conv2D", "in_height": 3, "in_width": 3, "n_chan": 1, "out_height": 2, "out_width": 2, )" + conv_tail),
      {"'in_height'", "9 values", "has 8"});
  expect_model_error(one_layer_model("[4, 1]", 4, "ap_fixed<8,4>",
                                     R"("class": "AveragePooling1D", "in_width": 4, "out_width": 2, "n_filt": 1, "pool_width": 2,
                                        "stride_width": 2, "pad_left": 0, "pad_right": 0, "count_pad": true, "accum_t": "ap_fixed<8,4>",
                                        "result_t": "ap_fixed<8,4>")"),
                     {"'count_pad'", "not reproduced"});
  expect_model_error(one_layer_model("[2, 2]", 4, "ap_fixed<8,4>", R"("class": "Flatten", "result_t": "ap_fixed<9,4>")"),
                     {"'result_t'", "must equal the input's type ap_fixed<8,4>"});
  expect_model_error(one_layer_model("[2, 2]", 4, "ap_fixed<8,4>",
                                     R"("class": "UpSampling1D", "n_chan": 2, "in_width": 2, "out_width": 4, "algorithm": "bilinear",
                                        "result_t": "ap_fixed<8,4>")"),
                     {"'algorithm'", "nearest"});
  expect_model_error(one_layer_model("[2, 2]", 4, "ap_fixed<8,4>",
                                     R"("class": "ZeroPadding1D", "n_chan": 2, "in_width": 2, "out_width": 4, "pad_left": 1,
                                        "pad_right": 0, "result_t": "ap_fixed<8,4>")"),
                     {"'out_width'", "expected in_width + pad_left + pad_right = 3"});
}

}  // namespace
}  // namespace l1emu::emu
