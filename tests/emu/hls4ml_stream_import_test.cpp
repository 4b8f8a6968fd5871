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

TEST(Hls4mlStreamImport, RefusesACopyThatConverts) {
  const std::string e = import_error_after("firmware/myproject.cpp", "nnet::clone_stream<layer7_t, layer7_t, 5>", "nnet::clone_stream<layer7_t, layer9_t, 5>");
  EXPECT_NE(e.find("nnet::clone_stream converts"), std::string::npos) << e;
}

TEST(Hls4mlStreamImport, RefusesStreamFunctionsNotCheckedAgainstHls4ml) {
  const std::string e = import_error_after("firmware/parameters.h", "nnet::softmax_implementation::stable", "nnet::softmax_implementation::legacy");
  EXPECT_NE(e.find("implementation legacy"), std::string::npos) << e;
}

// hls4ml before 1.0 wrote one table_size, and its softmax computes differently (checked against
// v0.8.1's C simulation: 88-150 of 300 events differ per output): refused with the era named.
TEST(Hls4mlStreamImport, RefusesASoftmaxOfHls4mlBefore10) {
  testing::ScratchDir scratch("stream_era");
  testing::copy_fixture("hls4ml/cnn_stream", scratch.path());
  testing::edit_file(scratch.path() / "firmware/parameters.h", "static const unsigned exp_table_size = 1024;", "static const unsigned table_size = 1024;");
  testing::edit_file(scratch.path() / "firmware/parameters.h", "    static const unsigned inv_table_size = 1024;\n", "");
  std::string e;
  try {
    (void)import_hls4ml_project(scratch.path(), std::nullopt, nullptr);
  } catch (const ModelError& error) {
    e = error.what();
  }
  EXPECT_NE(e.find("parameters.h:"), std::string::npos) << e;
  EXPECT_NE(e.find("hls4ml before 1.0"), std::string::npos) << e;
}

}  // namespace
}  // namespace l1emu::emu
