// The golden hls4ml cases, written out as hls4ml-style projects at run time (weights as text files
// or as headers, with and without a namespace), import back to the same model and reproduce the
// golden outputs. Nothing of ../shared is copied into the repository.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/kl_loss.h"
#include "l1emu/emu/nn/reference_evaluator.h"
#include "shared_data.h"

namespace l1emu::emu {
namespace {

using testing::write_text;

struct ProjectStyle {
  bool weights_in_text = true;
  std::string ns;  // "" for no namespace
};

std::string decimals(const std::vector<BigInt>& codes, const FixedType& type, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < codes.size(); ++i) out += (i > 0 ? separator : "") + to_decimal(codes[i], type);
  return out;
}

// Writes `model` as an hls4ml io_parallel project in `dir` (firmware/defines.h, parameters.h,
// myproject.cpp, weights/). The text is generated here and only imitates hls4ml's layout.
void write_project(const Model& model, const std::filesystem::path& dir, const ProjectStyle& style) {
  const std::string open_ns = style.ns.empty() ? "" : "namespace " + style.ns + " {\n\n";
  const std::string close_ns = style.ns.empty() ? "" : "\n}  // namespace " + style.ns + "\n";
  const auto& in = model.inputs().at(0);
  std::string defines = "#define N_INPUT_1_1 " + std::to_string(in.size) + "\n";
  std::string types = "typedef " + in.type.to_string() + " input_t;\n";
  std::string params, calls, weight_includes, load_calls;
  std::map<std::string, std::pair<std::string, std::string>> arrays;  // layer name -> (C array, C type)
  arrays[in.name] = {"input_1", "input_t"};
  std::string out_params;
  const auto add_parameter = [&](const std::string& name, const std::string& type, const std::vector<BigInt>& codes, const FixedType& t) {
    const std::string n = std::to_string(codes.size());
    if (style.weights_in_text) {
      write_text(dir / "firmware/weights" / (name + ".txt"), decimals(codes, t, ", ") + "\n");
      write_text(dir / "firmware/weights" / (name + ".h"), "#ifndef " + name + "_H_\n#define " + name + "_H_\n\n" + type + " " + name + "[" + n +
                                                               "];\n\n#endif\n");
      load_calls += "        nnet::load_weights_from_txt<" + type + ", " + n + ">(" + name + ", \"" + name + ".txt\");\n";
    } else {
      write_text(dir / "firmware/weights" / (name + ".h"), "//Numpy array shape [" + n + "]\n#ifndef " + name + "_H_\n#define " + name +
                                                               "_H_\n\n#ifndef __SYNTHESIS__\n" + type + " " + name + "[" + n + "];\n#else\n" +
                                                               type + " " + name + "[" + n + "] = {" + decimals(codes, t, ", ") +
                                                               "};\n#endif\n\n#endif\n");
    }
    weight_includes += "#include \"weights/" + name + ".h\"\n";
  };
  for (std::size_t l = 0; l < model.layers().size(); ++l) {
    const Layer& layer = *model.layers()[l];
    const std::string k = std::to_string(l + 2);
    const std::string size = "N_LAYER_" + k;
    const std::string type = "layer" + k + "_t";
    const std::string array = "layer" + k + "_out";
    defines += "#define " + size + " " + std::to_string(layer.output_size()) + "\n";
    types += "typedef " + layer.result_type().to_string() + " " + type + ";\n";
    std::string ins, in_types;
    for (const auto& input : layer.inputs()) {
      ins += arrays.at(input.name).first + ", ";
      in_types += arrays.at(input.name).second + ", ";
    }
    const std::string n_in = std::to_string(layer.inputs()[0].size);
    std::string call;
    if (const auto* dense = dynamic_cast<const Dense*>(&layer)) {
      const auto& c = dense->config();
      types += "typedef " + c.accum_t.to_string() + " " + layer.name() + "_accum_t;\ntypedef " + c.weight_t.to_string() + " weight" + k +
               "_t;\ntypedef " + c.bias_t.to_string() + " bias" + k + "_t;\n";
      add_parameter("w" + k, "weight" + k + "_t", c.weights, c.weight_t);
      add_parameter("b" + k, "bias" + k + "_t", c.biases, c.bias_t);
      params += "// " + layer.name() + "\nstruct config" + k + " : nnet::dense_config {\n    static const unsigned n_in = " + n_in +
                ";\n    static const unsigned n_out = " + std::to_string(c.n_out) +
                ";\n    static const unsigned io_type = nnet::io_parallel;\n    static const unsigned strategy = nnet::latency;\n"
                "    static const unsigned reuse_factor = 1;\n    static const unsigned multiplier_limit = DIV_ROUNDUP(n_in * n_out, reuse_factor);\n"
                "    typedef " + layer.name() + "_accum_t accum_t;\n    typedef bias" + k + "_t bias_t;\n    typedef weight" + k +
                "_t weight_t;\n    template<class x_T, class y_T>\n    using product = nnet::product::mult<x_T, y_T>;\n};\n\n";
      call = "nnet::dense<" + in_types + type + ", config" + k + ">(" + ins + "OUT, w" + k + ", b" + k + ");";
    } else if (const auto* bn = dynamic_cast<const BatchNormalization*>(&layer)) {
      const auto& c = bn->config();
      types += "typedef " + c.scale_t.to_string() + " " + layer.name() + "_scale_t;\ntypedef " + c.bias_t.to_string() + " " + layer.name() + "_bias_t;\n";
      add_parameter("s" + k, layer.name() + "_scale_t", c.scale, c.scale_t);
      add_parameter("b" + k, layer.name() + "_bias_t", c.bias, c.bias_t);
      params += "// " + layer.name() + "\nstruct config" + k + " : nnet::batchnorm_config {\n    static const unsigned n_in = " + n_in +
                ";\n    static const unsigned n_filt = -1;\n    static const unsigned n_scale_bias = (n_filt == -1) ? n_in : n_filt;\n"
                "    static const unsigned io_type = nnet::io_parallel;\n    typedef " + layer.name() + "_bias_t bias_t;\n    typedef " +
                layer.name() + "_scale_t scale_t;\n};\n\n";
      call = "nnet::normalize<" + in_types + type + ", config" + k + ">(" + ins + "OUT, s" + k + ", b" + k + ");";
    } else if (const auto* lrelu = dynamic_cast<const LeakyReLU*>(&layer)) {
      const auto& c = lrelu->config();
      char alpha[40];
      std::snprintf(alpha, sizeof alpha, "%.17g", c.alpha);
      std::string param_t;
      if (c.flavor == Flavor::Head) {
        types += "typedef " + c.param_t.to_string() + " " + layer.name() + "_param_t;\n";
        param_t = "    typedef " + layer.name() + "_param_t param_t;\n";
      }
      params += "// " + layer.name() + "\nstruct leaky_relu_config" + k + " : nnet::activ_config {\n    static const unsigned n_in = " + n_in +
                ";\n    static const unsigned table_size = 1024;\n    static const unsigned io_type = nnet::io_parallel;\n" + param_t + "};\n\n";
      call = "nnet::leaky_relu<" + in_types + type + ", leaky_relu_config" + k + ">(" + ins + alpha + ", OUT);";
    } else if (const auto* kl = dynamic_cast<const KLLoss*>(&layer)) {
      const auto& c = kl->config();
      types += "typedef " + c.accum_t.to_string() + " " + layer.name() + "_accum_t;\ntypedef " + c.exp_table_t.to_string() + " " + layer.name() +
               "_exp_table_t;\n";
      params += "// " + layer.name() + "\nstruct distance_config" + k + " : nnet::distance_config {\n    static const unsigned n_in = " + n_in +
                ";\n    static const unsigned n_out = 1;\n    typedef " + layer.name() + "_accum_t accum_t;\n    typedef " + layer.name() +
                "_exp_table_t exp_table_t;\n    static const unsigned table_size = " + std::to_string(c.table_size) +
                ";\n    static const unsigned exp_range = " + std::to_string(c.exp_range) + ";\n};\n\n";
      call = "nnet::klloss<" + in_types + type + ", distance_config" + k + ">(" + ins + "OUT);";
    } else {
      const bool relu = dynamic_cast<const ReLU*>(&layer) != nullptr;
      ASSERT_TRUE(relu || dynamic_cast<const Linear*>(&layer) != nullptr) << layer.class_name();
      const std::string cfg = (relu ? "relu_config" : "linear_config") + k;
      params += "// " + layer.name() + "\nstruct " + cfg + " : nnet::activ_config {\n    static const unsigned n_in = " + n_in +
                ";\n    static const unsigned table_size = 1024;\n    typedef ap_fixed<18,8> table_t;\n};\n\n";
      call = std::string("nnet::") + (relu ? "relu" : "linear") + "<" + in_types + type + ", " + cfg + ">(" + ins + "OUT);";
    }
    const bool is_output = std::find(model.outputs().begin(), model.outputs().end(), layer.name()) != model.outputs().end();
    if (!is_output) calls += "    " + type + " " + array + "[" + size + "];\n    #pragma HLS ARRAY_PARTITION variable=" + array + " complete dim=0\n";
    calls += "    " + call.replace(call.find("OUT"), 3, array) + " // " + layer.name() + "\n\n";
    arrays[layer.name()] = {array, type};
  }
  for (const auto& o : model.outputs()) {
    const std::string k = arrays.at(o).first.substr(5, arrays.at(o).first.size() - 9);
    out_params += ",\n    " + arrays.at(o).second + " " + arrays.at(o).first + "[N_LAYER_" + k + "]";
  }
  write_text(dir / "firmware/defines.h", "#ifndef DEFINES_H_\n#define DEFINES_H_\n\n#include \"ap_fixed.h\"\n#include \"ap_int.h\"\n\n" + open_ns +
                                             defines + "\n" + types + close_ns + "\n#endif\n");
  write_text(dir / "firmware/parameters.h", "#ifndef PARAMETERS_H_\n#define PARAMETERS_H_\n\n#include \"nnet_utils/nnet_helpers.h\"\n" +
                                                weight_includes + "\n" + open_ns + params + close_ns + "\n#endif\n");
  std::string load;
  if (!load_calls.empty()) {
    load = "#ifndef __SYNTHESIS__\n    static bool loaded_weights = false;\n    if (!loaded_weights) {\n" + load_calls +
           "        loaded_weights = true;\n    }\n#endif\n\n";
  }
  write_text(dir / "firmware/myproject.cpp", "#include \"myproject.h\"\n#include \"parameters.h\"\n\n" + open_ns + "void myproject(\n    input_t input_1[N_INPUT_1_1]" +
                                                 out_params + "\n) {\n    #pragma HLS ARRAY_RESHAPE variable=input_1 complete dim=0\n    #pragma HLS PIPELINE\n\n" +
                                                 load + calls + "}\n" + close_ns);
  write_text(dir / "hls4ml_config.yml", "Backend: Vivado\nIOType: io_parallel\nProjectName: myproject\nHLSConfig:\n  Model:\n    Strategy: Latency\n");
}

class GoldenProjectImportTest : public ::testing::TestWithParam<std::tuple<std::string, bool, std::string>> {};

TEST_P(GoldenProjectImportTest, ImportsAndReproducesTheGoldenOutputs) {
  L1EMU_REQUIRE_SHARED();
  const auto& [name, text, ns] = GetParam();
  const auto golden = testing::golden_dir() / "hls4ml" / name;
  const Model reference = load_model_json(golden / "model.json");
  testing::ScratchDir dir("golden_" + name);
  write_project(reference, dir.path(), {text, ns});
  const Model model = import_hls4ml_project(dir.path());
  EXPECT_EQ(model.flavor(), reference.flavor());
  // The same model (project name aside): every name, type and parameter code.
  const auto without_project = [](std::string json) { return json.substr(json.find('\n', json.find("\"project\""))); };
  EXPECT_EQ(without_project(write_model_json(model)), without_project(write_model_json(reference)));

  // And the golden outputs of the first 300 events (the adversarial ones included where they fall).
  const ReferenceEvaluator evaluator(model);
  EventTextReader reader(golden / "inputs.txt", input_width(model));
  std::ifstream expected(golden / "expected" / "outputs_raw.txt");
  std::vector<float> values;
  std::string line;
  std::size_t events = 0, mismatches = 0;
  while (events < 300 && reader.next(values)) {
    ASSERT_TRUE(std::getline(expected, line));
    std::string got;
    for (const auto& code : evaluator.outputs(evaluator.evaluate(input_codes(model, values)))) {
      if (!got.empty()) got += ' ';
      got += code.str();
    }
    std::istringstream words(line);
    std::string want, word;
    while (words >> word) want += (want.empty() ? "" : " ") + word;
    if (got != want && mismatches++ < 3) ADD_FAILURE() << "event " << events << ": got " << got << ", expected " << want;
    ++events;
  }
  EXPECT_EQ(mismatches, 0U) << "of " << events << " events";
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenProjectImportTest,
                         ::testing::Values(std::make_tuple("dense_relu_small", true, ""), std::make_tuple("vae_paper", true, ""),
                                           std::make_tuple("vae_head", false, "hls4ml_vae"),
                                           std::make_tuple("vae_paper_modes", false, "")),
                         [](const auto& param_info) { return std::get<0>(param_info.param) + (std::get<1>(param_info.param) ? "_text" : "_headers"); });

// The importer makes the model.json loader's checks of a KLLoss table: a table_size of 0 or an
// exp_range of 0 would index an empty table or divide by zero when the model runs.
class KLLossTableImportTest : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(KLLossTableImportTest, OutOfRangeTableSettingsAreRefusedWithTheirPlace) {
  const auto& [from, to] = GetParam();
  const Model demo = load_model_json(testing::source_dir() / "examples/demo_vae/model.json");
  testing::ScratchDir dir("klloss_table");
  write_project(demo, dir.path(), {true, ""});
  testing::edit_file(dir.path() / "firmware/parameters.h", from, to);
  std::string error;
  try {
    (void)import_hls4ml_project(dir.path());
  } catch (const ModelError& refused) {
    error = refused.what();
  }
  EXPECT_NE(error.find("parameters.h:"), std::string::npos) << error;
  const std::string key = to.substr(to.find("unsigned ") + 9, to.find(" =") - to.find("unsigned ") - 9);
  EXPECT_NE(error.find(key), std::string::npos) << error;
  EXPECT_NE(error.find("must be in ["), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(Settings, KLLossTableImportTest,
                         ::testing::Values(std::make_pair("unsigned table_size = 1024;\n    static const unsigned exp_range", "unsigned table_size = 0;\n    static const unsigned exp_range"),
                                           std::make_pair("unsigned table_size = 1024;\n    static const unsigned exp_range", "unsigned table_size = 2097152;\n    static const unsigned exp_range"),
                                           std::make_pair("unsigned table_size = 1024;\n    static const unsigned exp_range", "unsigned table_size = 4294967297;\n    static const unsigned exp_range"),
                                           std::make_pair("unsigned exp_range = 8;", "unsigned exp_range = 0;")),
                         [](const auto& param_info) { return "case" + std::to_string(param_info.index); });

}  // namespace
}  // namespace l1emu::emu
