// An hls4ml io_stream project (tests/fixtures/hls4ml/cnn_stream: hls::stream parameters, nnet::array
// packs, clone_stream, repack_stream, ZeroPadding2D, Conv2D through its mult_config kernel, ReLU,
// Average and Max pooling, Dense, Softmax and Sigmoid) imports and reproduces hls4ml's own C
// simulation of it (expected/README.md) code for code on both engines; stream functions that compute
// differently from their io_parallel twin are refused with the reason.
#include <gtest/gtest.h>

#include "hls4ml_codes_check.h"
#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/softmax.h"

namespace l1emu::emu {
namespace {

using testing::expect_hls4ml_codes;
using testing::fixture_dir;

TEST(Hls4mlStreamImport, ReproducesHls4mlsOwnCSimulation) {
  const auto dir = fixture_dir("hls4ml/cnn_stream");
  const Model model = import_hls4ml_project(dir, std::nullopt, nullptr);
  ASSERT_EQ(model.layers().size(), 8U);
  // The input stream is sized by the layer that reads it (config2: 6 x 6 x 2), the copies are the
  // arrays they copy: both pooling layers read the ReLU, the Dense reads the average pooling.
  ASSERT_EQ(model.inputs().size(), 1U);
  EXPECT_EQ(model.inputs()[0].size, 72U);
  EXPECT_EQ(model.inputs()[0].type.to_string(), "ap_fixed<10,4>");
  EXPECT_EQ(model.layers()[3]->class_name(), "AveragePooling2D");
  EXPECT_EQ(model.layers()[3]->inputs()[0].name, "relu");
  EXPECT_EQ(model.layers()[4]->inputs()[0].name, "avg_pool");
  EXPECT_EQ(model.layers()[7]->class_name(), "MaxPooling2D");
  EXPECT_EQ(model.layers()[7]->inputs()[0].name, "relu");
  EXPECT_EQ(expect_hls4ml_codes(model, dir), 300U);
}

// Imports a scratch copy of the fixture with one edit of `file`; returns the error, or "" when it
// imported.
std::string import_error_after(const std::string& file, const std::string& from, const std::string& to) {
  testing::ScratchDir scratch("stream");
  testing::copy_fixture("hls4ml/cnn_stream", scratch.path());
  testing::edit_file(scratch.path() / file, from, to);
  try {
    (void)import_hls4ml_project(scratch.path(), std::nullopt, nullptr);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

TEST(Hls4mlStreamImport, RefusesAveragePoolingWhoseTreeSumCanRound) {
  // ap_fixed<8,4> cannot hold four ap_ufixed<8,4> cells: the stream's convert-then-tree sum and
  // io_parallel's running sum may differ.
  const std::string e = import_error_after("firmware/defines.h", "typedef ap_fixed<14,7> avg_accum_t;", "typedef ap_fixed<8,4,AP_TRN,AP_SAT> avg_accum_t;");
  EXPECT_NE(e.find("myproject.cpp:"), std::string::npos) << e;
  EXPECT_NE(e.find("io_stream nnet::pooling2d_cl"), std::string::npos) << e;
  EXPECT_NE(e.find("reduce_pool"), std::string::npos) << e;
  // The exact accumulator of the fixture imports.
  EXPECT_EQ(import_error_after("firmware/defines.h", "typedef ap_fixed<14,7> avg_accum_t;", "typedef ap_fixed<16,7> avg_accum_t;"), "");
}

TEST(Hls4mlStreamImport, RefusesASoftmaxReadInSeveralPacks) {
  const std::string e = import_error_after("firmware/defines.h", "typedef nnet::array<ap_fixed<12,4,AP_RND,AP_SAT>, 5*1> layer7_t;",
                                           "typedef nnet::array<ap_fixed<12,4,AP_RND,AP_SAT>, 1*1> layer7_t;");
  EXPECT_NE(e.find("io_stream nnet::softmax"), std::string::npos) << e;
  EXPECT_NE(e.find("packs of 1"), std::string::npos) << e;
}

TEST(Hls4mlStreamImport, RefusesAConvolutionWhoseKernelHasOtherTypes) {
  const std::string e = import_error_after("firmware/parameters.h", "    typedef conv_accum_t accum_t;\n    typedef bias3_t bias_t;\n    typedef weight3_t weight_t;\n    template<class data_T, class res_T",
                                           "    typedef dense_accum_t accum_t;\n    typedef bias3_t bias_t;\n    typedef weight3_t weight_t;\n    template<class data_T, class res_T");
  EXPECT_NE(e.find("config3_mult::accum_t"), std::string::npos) << e;
}

// A copy between element types assigns each value (`out[j] = in[j]`): a Linear layer.
TEST(Hls4mlStreamImport, ACopyThatConvertsIsALinearLayer) {
  testing::ScratchDir scratch("stream_convert");
  testing::copy_fixture("hls4ml/cnn_stream", scratch.path());
  testing::edit_file(scratch.path() / "firmware/defines.h", "typedef nnet::array<ap_fixed<10,4,AP_RND,AP_SAT>, 27*1> layer6_t;",
                     "typedef nnet::array<ap_fixed<8,3>, 27*1> layer6_t;");
  const Model model = import_hls4ml_project(scratch.path(), std::nullopt, nullptr);
  ASSERT_EQ(model.layers().size(), 9U);
  EXPECT_EQ(model.layers()[4]->class_name(), "Linear");
  EXPECT_EQ(model.layers()[4]->name(), "flatten");
  EXPECT_EQ(model.layers()[4]->result_type().to_string(), "ap_fixed<8,3>");
  EXPECT_EQ(model.layers()[5]->inputs()[0].name, "flatten");
}

// Global pooling in io_stream: a running value per channel, Max agreeing with io_parallel's, and
// the result read as one pack of all channels.
TEST(Hls4mlStreamImport, GlobalPoolingInOnePackImports) {
  testing::ScratchDir scratch("stream_global");
  testing::copy_fixture("hls4ml/cnn_stream", scratch.path());
  testing::edit_file(scratch.path() / "firmware/myproject.cpp", "nnet::pooling2d_cl<layer4_t, layer11_t, config11>",
                     "nnet::global_pooling2d_cl<layer4_t, layer11_t, config11>");
  const Model model = import_hls4ml_project(scratch.path(), std::nullopt, nullptr);
  EXPECT_EQ(model.layers().back()->class_name(), "GlobalMaxPooling2D");
  EXPECT_EQ(model.layers().back()->output_size(), 3U);
  // A result in packs of one channel would repeat hls4ml's first pack: refused.
  testing::edit_file(scratch.path() / "firmware/defines.h", "typedef nnet::array<ap_ufixed<6,3,AP_RND,AP_SAT>, 3*1> layer11_t;",
                     "typedef nnet::array<ap_ufixed<6,3,AP_RND,AP_SAT>, 1*1> layer11_t;");
  try {
    (void)import_hls4ml_project(scratch.path(), std::nullopt, nullptr);
    ADD_FAILURE() << "imported";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("io_stream nnet::global_pooling2d_cl: the result arrives in packs of 1"), std::string::npos) << e.what();
  }
}

// A Resource convolution with a reuse factor above its window sums in any order under a wrapping
// accum_t and is computed as the Latency layer, but hls4ml wrote its kernel for the resource
// strategy, transposed to (n_filt, window): it is read back to Keras' order all the same
// (uw-acme/HLS4ML_-NeutDetector's io_stream Conv1D layers, reuse factor 48 > 3: each output of its
// own C simulation differed in 674 of 1000 events while the kernel was read untransposed).
TEST(Hls4mlStreamImport, AResourceConvolutionComputedAsLatencyReadsItsTransposedKernel) {
  testing::ScratchDir plain("stream_conv_latency"), resource("stream_conv_resource");
  for (const auto& dir : {plain.path(), resource.path()}) {
    testing::copy_fixture("hls4ml/cnn_stream", dir);
    testing::edit_file(dir / "firmware/defines.h", "typedef ap_fixed<16,6,AP_TRN,AP_SAT> conv_accum_t;", "typedef ap_fixed<16,6> conv_accum_t;");
  }
  const Model twin = import_hls4ml_project(plain.path(), std::nullopt, nullptr);
  const auto params = resource.path() / "firmware/parameters.h";
  std::string text = testing::read_text(params);
  const std::size_t config3 = text.find("struct config3 : nnet::conv2d_config {");
  ASSERT_NE(config3, std::string::npos);
  for (const std::string key : {"reuse_factor = 1;", "strategy = nnet::latency;"}) {
    const std::size_t at = text.find("static const unsigned " + key, config3);
    ASSERT_NE(at, std::string::npos) << key;
    const std::string to = key == "reuse_factor = 1;" ? "reuse_factor = 54;" : "strategy = nnet::resource;";
    text.replace(at + 22, key.size(), to);
  }
  testing::write_text(params, text);
  // w3 as hls4ml writes it for the resource strategy: file[f * 18 + r] = keras[r * 3 + f].
  const auto w3 = resource.path() / "firmware/weights/w3.h";
  std::string header = testing::read_text(w3);
  const std::size_t open = header.find('{', header.find("w3[54]")), close = header.find('}', open);
  std::vector<std::string> values;
  std::string list = header.substr(open + 1, close - open - 1);
  for (std::size_t from = 0; from <= list.size();) {
    const std::size_t comma = std::min(list.find(',', from), list.size());
    values.push_back(list.substr(from, comma - from));
    from = comma + 1;
  }
  ASSERT_EQ(values.size(), 54U);
  std::string transposed;
  for (std::size_t f = 0; f < 3; ++f) {
    for (std::size_t r = 0; r < 18; ++r) transposed += (transposed.empty() ? "" : ",") + values[r * 3 + f];
  }
  header.replace(open + 1, close - open - 1, transposed);
  testing::write_text(w3, header);
  const Model model = import_hls4ml_project(resource.path(), std::nullopt, nullptr);
  testing::expect_same_model(model, twin, 300);
}

TEST(Hls4mlStreamImport, RefusesStreamFunctionsNotCheckedAgainstHls4ml) {
  const std::string e = import_error_after("firmware/parameters.h", "nnet::softmax_implementation::stable", "nnet::softmax_implementation::legacy");
  EXPECT_NE(e.find("implementation legacy"), std::string::npos) << e;
}

// The same project as hls4ml 0.8.1 writes it: the softmax config has one table_size, and its
// tables are addressed by the input and exp_table_t types (hls4ml 0.6 to 1.1). Checked against
// v0.8.1's own C simulation, whose softmax codes differ from 1.2's.
TEST(Hls4mlStreamImport, ReproducesHls4ml081sCSimulationWithItsSoftmaxTables) {
  const auto dir = fixture_dir("hls4ml/cnn_stream_v08");
  const Model model = import_hls4ml_project(dir, std::nullopt, nullptr);
  const auto* softmax = dynamic_cast<const Softmax*>(model.layers()[5].get());
  ASSERT_NE(softmax, nullptr);
  EXPECT_EQ(softmax->config().tables, SoftmaxTables::Shared);
  EXPECT_EQ(softmax->config().exp_table_size, 1024);
  EXPECT_EQ(expect_hls4ml_codes(model, dir), 300U);
  // The expectations themselves tell the generations apart.
  EXPECT_NE(testing::read_text(dir / "expected/outputs_raw.txt"), testing::read_text(fixture_dir("hls4ml/cnn_stream/expected/outputs_raw.txt")));
  // model.json keeps the generation (table_size, no exp_table_size).
  const std::string json = write_model_json(model);
  EXPECT_NE(json.find("\"table_size\""), std::string::npos);
  EXPECT_EQ(json.find("exp_table_size"), std::string::npos);
  const Model again = parse_model_json(json, "written");
  EXPECT_EQ(write_model_json(again), json);
  EXPECT_EQ(expect_hls4ml_codes(again, dir), 300U);
}

}  // namespace
}  // namespace l1emu::emu
