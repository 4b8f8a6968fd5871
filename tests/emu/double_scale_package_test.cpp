// A CMSSW emulator package whose wrapper scales its inputs in C doubles (the TOPO packages):
// static_cast<input_t>((unscaled[i] - bias[i]) / norm[i]). The package here is written by the test
// (an hls4ml fixture as NN/, a scaling header, a wrapper of our own wording in that form); the
// model must be DoubleScale followed by the network, computing exactly that.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/io/double_scale_package.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/emu/nn/layers/double_scale.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace l1emu::emu {
namespace {

void write_package(const std::filesystem::path& dir, const std::string& norm) {
  std::filesystem::create_directories(dir / "NN");
  std::filesystem::copy(testing::fixture_dir("hls4ml/dense_relu_txt/firmware"), dir / "NN", std::filesystem::copy_options::recursive);
  testing::write_text(dir / "scaling.h", "namespace pkg {\nint norm[4] = {" + norm + "};\nint bias[4] = {3, -2, 0, 100};\n}\n");
  testing::write_text(dir / "pkg_emulator.cpp",
                      "#include \"scaling.h\"\n"
                      "typedef ap_fixed<23,23> unscaled_t;\n"
                      "class pkg_emulator {\n"
                      "  virtual void _scaleNNInputs(unscaled_t unscaled[4], input_t scaled[4]) {\n"
                      "    for (int i = 0; i < 4; i++) {\n"
                      "      double tmp0 = unscaled[i] - pkg::bias[i];\n"
                      "      double tmp1 = tmp0 / pkg::norm[i];\n"
                      "      scaled[i] = static_cast<input_t>(tmp1);\n"
                      "    }\n"
                      "  }\n"
                      "};\n");
}

TEST(DoubleScalePackage, ScalesInDoublesThenRunsTheNetwork) {
  testing::ScratchDir dir("double_scale");
  write_package(dir.path(), "4, 1, 3, 64");  // 3 is not a power of two: the double division rounds
  ASSERT_TRUE(is_double_scale_package(dir.path()));
  std::vector<std::string> notes;
  const Model model = load_model(dir.path(), std::nullopt, &notes);
  ASSERT_EQ(model.layers()[0]->class_name(), "DoubleScale");
  EXPECT_EQ(model.inputs()[0].type.to_string(), "ap_fixed<23,23>");
  EXPECT_NE(notes.back().find("input scaling in doubles"), std::string::npos) << notes.back();
  const Model network = import_hls4ml_project(testing::fixture_dir("hls4ml/dense_relu_txt"), std::nullopt, nullptr);
  const ReferenceEvaluator a(model), b(network);
  const long norm[4] = {4, 1, 3, 64}, bias[4] = {3, -2, 0, 100};
  std::mt19937_64 rng(8);
  for (int e = 0; e < 500; ++e) {
    std::vector<BigInt> x, scaled;
    for (int i = 0; i < 4; ++i) {
      const long v = static_cast<long>(rng() % 4000) - 2000;
      x.push_back(BigInt(v));
      scaled.push_back(from_double(static_cast<double>(v - bias[i]) / static_cast<double>(norm[i]), network.inputs()[0].type));
    }
    EXPECT_EQ(a.outputs(a.evaluate({x})), b.outputs(b.evaluate({scaled}))) << "event " << e;
  }
  // model.json keeps the layer.
  const std::string json = write_model_json(model);
  EXPECT_EQ(write_model_json(parse_model_json(json, "again")), json);
}

TEST(DoubleScalePackage, AZeroDivisorIsRefused) {
  testing::ScratchDir dir("double_scale_zero");
  write_package(dir.path(), "4, 0, 3, 64");
  try {
    (void)load_model(dir.path(), std::nullopt, nullptr);
    ADD_FAILURE() << "imported";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("divisor 1 is 0"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace l1emu::emu
