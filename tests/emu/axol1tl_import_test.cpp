// import_axol1tl_package: AXOL1TL-style emulator packages (scales.h, NN/, the emulator wrapper)
// import as InputScale -> network -> SumSquares. The v3 acceptance case writes a package from
// ../shared/golden/axol1tl/v3/model.json at run time (nothing of shared/ is copied into the
// repository), imports it and reproduces every output code of the 2000 golden events.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/io/axol1tl_package.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/axol1tl_layers.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/reference_evaluator.h"
#include "shared_data.h"

namespace l1emu::emu {
namespace {

using testing::fixture_dir;
using testing::ScratchDir;
using testing::write_text;

std::string list(const std::vector<BigInt>& codes, const FixedType& type) {
  std::string out;
  for (std::size_t i = 0; i < codes.size(); ++i) out += (i > 0 ? (i % 16 == 0 ? ",\n    " : ", ") : "") + to_decimal(codes[i], type);
  return out;
}

// Writes an AXOL1TL-style package for a model of the form InputScale -> Dense/ReLU/Linear... ->
// SumSquares, laid out like AXOL1TL_vN/ (scales.h, NN/defines.h, NN/parameters.h, NN/weights.cpp,
// NN/<top>.cpp, <top>_emulator.cpp). The text is generated here; it only imitates the layout.
void write_package(const Model& model, const std::filesystem::path& dir, const std::string& ns) {
  const auto& layers = model.layers();
  const auto* scale = dynamic_cast<const InputScale*>(layers.front().get());
  const auto* score = dynamic_cast<const SumSquares*>(layers.back().get());
  ASSERT_NE(scale, nullptr);
  ASSERT_NE(score, nullptr);
  const std::string top = model.project();
  const std::size_t n = model.inputs()[0].size;
  const auto& sc = scale->config();
  std::string shifts;
  for (std::size_t i = 0; i < sc.shifts.size(); ++i) shifts += (i > 0 ? ", " : "") + std::to_string(sc.shifts[i]) + ".";
  write_text(dir / "scales.h", "#ifndef SCALES_H_\n#define SCALES_H_\n\n#include \"NN/" + top + ".h\"\n\nnamespace " + ns + " {\n" +
                                   "typedef " + sc.shift_t.to_string() + " ad_shift_t;\ntypedef " + sc.offset_t.to_string() +
                                   " ad_offset_t;\n\nstatic const ad_shift_t ad_shift[N_INPUT_1_1] = {" + shifts +
                                   "};\nstatic const ad_offset_t ad_offsets[N_INPUT_1_1] = {" + list(sc.offsets, sc.offset_t) + "};\n}\n#endif\n");

  std::string sizes = "static const int N_INPUT_1_1 = " + std::to_string(n) + ";\n";
  std::string types = "typedef " + sc.result_t.to_string() + " input_t;\n";
  std::string externs, params, weights, calls;
  std::string previous_array = "input_scaled", previous_type = "input_t";
  const std::size_t last = layers.size() - 2;  // the network's output layer
  for (std::size_t l = 1; l <= last; ++l) {
    const Layer& layer = *layers[l];
    const std::string k = std::to_string(l + 1);
    const std::string size = "N_LAYER_" + k;
    sizes += "static const int " + size + " = " + std::to_string(layer.output_size()) + ";\n";
    const std::string type = l == last ? "result_t" : "layer" + k + "_t";
    const std::string array = l == last ? "layer" + k + "_out" : "layer" + k + "_out";
    types += "typedef " + layer.result_type().to_string() + " " + type + ";\n";
    std::string call;
    if (const auto* dense = dynamic_cast<const Dense*>(&layer)) {
      const auto& c = dense->config();
      types += "typedef " + c.accum_t.to_string() + " " + layer.name() + "_accum_t;\ntypedef " + c.weight_t.to_string() + " weight" + k +
               "_t;\ntypedef " + c.bias_t.to_string() + " bias" + k + "_t;\n";
      externs += "extern weight" + k + "_t w" + k + "[" + std::to_string(c.weights.size()) + "];\nextern bias" + k + "_t b" + k + "[" +
                 std::to_string(c.n_out) + "];\n";
      weights += "const weight" + k + "_t w" + k + "[" + std::to_string(c.weights.size()) + "] = {" + list(c.weights, c.weight_t) + "};\nconst bias" + k +
                 "_t b" + k + "[" + std::to_string(c.n_out) + "] = {" + list(c.biases, c.bias_t) + "};\n";
      params += "// " + layer.name() + "\nstruct config" + k + " : nnet::dense_config {\n    static const unsigned n_in = " +
                std::to_string(layer.inputs()[0].size) + ";\n    static const unsigned n_out = " + std::to_string(c.n_out) +
                ";\n    static const unsigned io_type = nnet::io_parallel;\n    static const unsigned strategy = nnet::latency;\n"
                "    static const unsigned reuse_factor = 1;\n    typedef " + layer.name() + "_accum_t accum_t;\n    typedef bias" + k +
                "_t bias_t;\n    typedef weight" + k + "_t weight_t;\n    template<class x_T, class y_T>\n"
                "    using product = nnet::product::mult<x_T, y_T>;\n};\n\n";
      call = "nnet::dense<" + previous_type + ", " + type + ", config" + k + ">(" + previous_array + ", " + array + ", w" + k + ", b" + k + ");";
    } else {
      const bool relu = dynamic_cast<const ReLU*>(&layer) != nullptr;
      ASSERT_TRUE(relu || dynamic_cast<const Linear*>(&layer) != nullptr) << layer.class_name();
      const std::string cfg = (relu ? "relu_config" : "linear_config") + k;
      params += "// " + layer.name() + "\nstruct " + cfg + " : nnet::activ_config {\n    static const unsigned n_in = " +
                std::to_string(layer.output_size()) + ";\n    static const unsigned table_size = 1024;\n    typedef ap_fixed<18,8> table_t;\n};\n\n";
      call = std::string("nnet::") + (relu ? "relu" : "linear") + "<" + previous_type + ", " + type + ", " + cfg + ">(" + previous_array + ", " +
             array + ");";
    }
    if (l != last) calls += "    " + type + " " + array + "[" + size + "];\n    #pragma HLS ARRAY_PARTITION variable=" + array + " complete dim=0\n";
    calls += "    " + call + " // " + layer.name() + "\n\n";
    previous_array = array;
    previous_type = type;
  }
  const std::string out_size = "N_LAYER_" + std::to_string(last + 1);
  types += "typedef " + score->result_type().to_string() + " resultsq_t;\ntypedef " + model.inputs()[0].type.to_string() + " unscaled_t;\n";
  write_text(dir / "NN/defines.h", "#ifndef DEFINES_H_\n#define DEFINES_H_\n\n#include \"ap_fixed.h\"\n#include \"ap_int.h\"\n\nnamespace " + ns +
                                       " {\n" + sizes + "\n" + types + "\n" + externs + "}\n#endif\n");
  write_text(dir / "NN/parameters.h", "#ifndef PARAMETERS_H_\n#define PARAMETERS_H_\n\n#include \"weights.h\"\n\n" + params + "#endif\n");
  write_text(dir / "NN/weights.cpp", "#include \"defines.h\"\n\nnamespace " + ns + " {\n" + weights + "}\n");
  write_text(dir / ("NN/" + top + ".cpp"), "#include \"" + top + ".h\"\n#include \"parameters.h\"\n\nnamespace " + ns + " {\n\nvoid " + top +
                                               "(\n    input_t input_scaled[N_INPUT_1_1],\n    result_t " + previous_array + "[" + out_size +
                                               "]\n) {\n    #pragma HLS PIPELINE\n\n" + calls + "}\n\n}  // namespace " + ns + "\n");
  write_text(dir / (top + "_emulator.cpp"),
             "#include \"NN/" + top + ".h\"\n#include \"scales.h\"\n\nusing namespace " + ns + ";\n\n"
             "class " + top + "_emulator : public hls4mlEmulator::Model {\n private:\n  unscaled_t _unscaled_input[N_INPUT_1_1];\n"
             "  input_t _scaled_input[N_INPUT_1_1];\n  result_t _result[" + out_size + "];\n  resultsq_t _loss;\n\n"
             "  virtual void _scaleNNInputs(unscaled_t unscaled[N_INPUT_1_1], input_t scaled[N_INPUT_1_1]) {\n"
             "    for (int i = 0; i < N_INPUT_1_1; i++) {\n      unscaled_t tmp0 = unscaled[i] - " + ns + "::ad_offsets[i];\n"
             "      input_t tmp1 = tmp0 >> " + ns + "::ad_shift[i];\n      scaled[i] = tmp1;\n    }\n  }\n\n"
             "  virtual resultsq_t _computeLoss(result_t result_p[" + out_size + "]) {\n    resultsq_t squares[" + out_size + "];\n"
             "    for (int i = 0; i < " + out_size + "; i++) squares[i] = result_p[i] * result_p[i];\n"
             "    nnet::Op_add<resultsq_t> op;\n    return nnet::reduce<resultsq_t, " + out_size +
             ", nnet::Op_add<resultsq_t>>(squares, op);\n  }\n\n public:\n"
             "  virtual void predict() {\n    " + top + "(_scaled_input, _result);\n    _loss = _computeLoss(_result);\n  }\n};\n");
}

std::string import_error(const std::filesystem::path& dir) {
  try {
    (void)import_axol1tl_package(dir);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

TEST(Axol1tlImportTest, V3PackageReproducesTheGoldenOutputs) {
  L1EMU_REQUIRE_SHARED();
  const auto golden = testing::golden_dir() / "axol1tl" / "v3";
  const Model reference = load_model_json(golden / "model.json");
  ScratchDir dir("axol1tl_v3");
  write_package(reference, dir.path(), "hls4ml_axol1tl_v3");
  std::vector<std::string> notes;
  const Model model = import_axol1tl_package(dir.path(), std::nullopt, &notes);
  EXPECT_EQ(write_model_json(model), write_model_json(reference));

  const ReferenceEvaluator evaluator(model);
  EventTextReader reader(golden / "inputs.txt", input_width(model));
  std::ifstream expected(golden / "expected" / "outputs_raw.txt");
  std::vector<float> values;
  std::size_t events = 0, mismatches = 0;
  std::string line;
  while (reader.next(values)) {
    ASSERT_TRUE(std::getline(expected, line)) << "outputs_raw.txt ends before event " << events;
    const auto outputs = evaluator.outputs(evaluator.evaluate(input_codes(model, values)));
    std::string got;
    for (const auto& code : outputs) {
      if (!got.empty()) got += ' ';
      got += code.str();
    }
    std::istringstream want_words(line);
    std::string want, word;
    while (want_words >> word) want += (want.empty() ? "" : " ") + word;
    if (got != want && mismatches++ < 3) ADD_FAILURE() << "event " << events << ": got " << got << ", expected " << want;
    ++events;
  }
  EXPECT_EQ(events, 2000U);
  EXPECT_EQ(mismatches, 0U);
  std::cout << "[ axol1tl v3 package ] " << events << " events, " << mismatches << " mismatches\n";
}

TEST(Axol1tlImportTest, HandWrittenPackageMatchesItsTwin) {
  const Model model = import_axol1tl_package(fixture_dir("axol1tl/mini"));
  testing::expect_same_model(model, load_model_json(fixture_dir("axol1tl/mini/expected_model.json")));
}

TEST(Axol1tlImportTest, LoadModelDetectsAPackage) {
  ScratchDir dir("axol1tl_detect");
  testing::copy_fixture("axol1tl/mini", dir.path());
  std::filesystem::remove(dir.path() / "expected_model.json");
  testing::expect_same_model(load_model(dir.path()), load_model_json(fixture_dir("axol1tl/mini/expected_model.json")), 50);
}

TEST(Axol1tlImportTest, TruncatedScales) {
  ScratchDir dir("axol1tl_truncated");
  testing::copy_fixture("axol1tl/mini", dir.path());
  testing::edit_file(dir.path() / "scales.h", "{2, 0, -1, 1, 3, 0}", "{2, 0, -1, 1, 3}");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("scales.h:"), std::string::npos) << error;
  EXPECT_NE(error.find("'ad_shift' has 5 values, expected 6"), std::string::npos) << error;
}

TEST(Axol1tlImportTest, MissingWeights) {
  ScratchDir dir("axol1tl_missing");
  testing::copy_fixture("axol1tl/mini", dir.path());
  std::filesystem::remove(dir.path() / "NN/weights.cpp");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("missing weights for 'w2'"), std::string::npos) << error;
}

TEST(Axol1tlImportTest, UnknownScoreComputation) {
  ScratchDir dir("axol1tl_score");
  testing::copy_fixture("axol1tl/mini", dir.path());
  testing::edit_file(dir.path() / "mini_emulator.cpp", "nnet::reduce", "nnet::maximum");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("mini_emulator.cpp:"), std::string::npos) << error;
  EXPECT_NE(error.find("_computeLoss neither reduces squares with nnet::Op_add nor returns a copy"), std::string::npos) << error;
}

// AXOL1TL v5 and later compute the score inside the network (a dot product) and _computeLoss only
// copies its one value into the score type: the package imports with score = that copy.
TEST(Axol1tlImportTest, AScoreComputedByTheNetworkIsCopiedIntoTheScoreType) {
  ScratchDir dir("axol1tl_v5_style");
  testing::copy_fixture("axol1tl/mini", dir.path());
  const auto nn = dir.path() / "NN";
  testing::edit_file(nn / "mini.cpp", "    result_t layer5_out[N_LAYER_4]\n", "    result_t layer6_out[1]\n");
  testing::edit_file(nn / "mini.cpp", "(layer4_out, layer5_out); // mu_quantized_bits\n",
                     "(layer4_out, layer5_out); // mu_quantized_bits\n    nnet::dot1d<result_t, result_t, dot_t, config6>(layer5_out, layer5_out, layer6_out); // dot\n");
  testing::edit_file(nn / "mini.cpp", "    nnet::linear<", "    result_t layer5_out[N_LAYER_4];\n    nnet::linear<");
  testing::edit_file(nn / "parameters.h", "#endif",
                     "typedef ap_fixed<10,7,AP_RND_CONV,AP_SAT> dot_t;\ntypedef ap_fixed<24,16> dot_accum_t;\n"
                     "struct config6 : nnet::dot_config {\n    static const unsigned n_in = N_LAYER_4;\n    static const unsigned n_out = 1;\n"
                     "    typedef dot_accum_t accum_t;\n};\n#endif");
  testing::edit_file(dir.path() / "mini_emulator.cpp",
                     "    resultsq_t squares[N_LAYER_4];\n    for (int i = 0; i < N_LAYER_4; i++) {\n      squares[i] = result_p[i] * result_p[i];\n    }\n"
                     "    nnet::Op_add<resultsq_t> op;\n    return nnet::reduce<resultsq_t, N_LAYER_4, nnet::Op_add<resultsq_t>>(squares, op);\n",
                     "    resultsq_t loss;\n    loss = result_p[0];\n    return loss;\n");
  std::vector<std::string> notes;
  const Model model = import_axol1tl_package(dir.path(), std::nullopt, &notes);
  ASSERT_EQ(model.outputs().size(), 2U);
  EXPECT_EQ(model.outputs()[0], "dot");
  EXPECT_EQ(model.outputs()[1], "score");
  const FixedType resultsq_t = FixedType::parse("ap_ufixed<18,14>");
  EXPECT_EQ(model.array_spec(static_cast<std::size_t>(model.find_array("score"))).type, resultsq_t);
  EXPECT_NE(notes.back().find("score = the network's output 'dot' assigned to ap_ufixed<18,14>"), std::string::npos) << notes.back();
  // The score is the dot code converted to resultsq_t, and the dot is the sum of the squared
  // latents: checked on random inputs against the layers' own arrays.
  const ReferenceEvaluator reference(model);
  std::mt19937_64 rng(55);
  const int latents = model.find_array("mu_quantized_bits");
  ASSERT_GE(latents, 0);
  for (int e = 0; e < 200; ++e) {
    const auto arrays = reference.evaluate(testing::random_input_codes(model, rng));
    const FixedArray& mu = arrays[static_cast<std::size_t>(latents)];
    ExactValue sum{0, 0};
    for (std::size_t i = 0; i < mu.size(); ++i) sum = add(sum, multiply(mu.value(i), mu.value(i)));
    const BigInt dot = convert(sum, FixedType::parse("ap_fixed<10,7,AP_RND_CONV,AP_SAT>"));
    const auto outputs = reference.outputs(arrays);
    ASSERT_EQ(outputs.size(), 2U);
    EXPECT_EQ(outputs[0], dot.convert_to<std::int64_t>());
    EXPECT_EQ(outputs[1], convert_code(dot, FixedType::parse("ap_fixed<10,7,AP_RND_CONV,AP_SAT>"), resultsq_t).convert_to<std::int64_t>());
  }
}

}  // namespace
}  // namespace l1emu::emu
