// import_hls4ml_project: fixtures imitating hls4ml project layouts import exactly like their
// hand-written model.json twins, and broken projects give errors naming file:line.
#include <gtest/gtest.h>

#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/layers/dense.h"

namespace l1emu::emu {
namespace {

using testing::copy_fixture;
using testing::edit_file;
using testing::fixture_dir;
using testing::ScratchDir;

Model twin(const std::string& name) { return load_model_json(fixture_dir("hls4ml/" + name + "/expected_model.json")); }

// Imports a (possibly edited) copy and returns the error message, or "" when it imports.
std::string import_error(const std::filesystem::path& dir, std::optional<Flavor> flavor = std::nullopt) {
  try {
    (void)import_hls4ml_project(dir, flavor);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

TEST(Hls4mlImportTest, WeightsInTextFilesWithNonDefaultModes) {
  std::vector<std::string> notes;
  const Model model = import_hls4ml_project(fixture_dir("hls4ml/dense_relu_txt"), std::nullopt, &notes);
  testing::expect_same_model(model, twin("dense_relu_txt"));
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes[0].find("hls4ml_config.yml"), std::string::npos) << notes[0];
}

TEST(Hls4mlImportTest, PaperFlavourWithNamespaceAndOneWeightsHeader) {
  const Model model = import_hls4ml_project(fixture_dir("hls4ml/bn_lrelu_paper_headers"));
  EXPECT_EQ(model.flavor(), Flavor::Paper);  // from the leaky_relu call: alpha without param_t
  testing::expect_same_model(model, twin("bn_lrelu_paper_headers"));
}

TEST(Hls4mlImportTest, HeadFlavourTwoOutputsWeightHeadersAndText) {
  const Model model = import_hls4ml_project(fixture_dir("hls4ml/lrelu_head_two_outputs"));
  EXPECT_EQ(model.flavor(), Flavor::Head);
  testing::expect_same_model(model, twin("lrelu_head_two_outputs"));
}

TEST(Hls4mlImportTest, LoadModelDetectsAProjectDirectory) {
  ScratchDir dir("hls4ml_detect");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  std::filesystem::remove(dir.path() / "expected_model.json");
  testing::expect_same_model(load_model(dir.path()), twin("dense_relu_txt"), 50);
  std::filesystem::remove_all(dir.path() / "firmware");
  try {
    (void)load_model(dir.path());
    FAIL() << "expected a ModelError";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("neither a model"), std::string::npos) << e.what();
  }
}

TEST(Hls4mlImportTest, ExplicitFlavourOverridesDetection) {
  // No layer of this project depends on the flavour: --flavour paper only changes the label.
  const Model paper = import_hls4ml_project(fixture_dir("hls4ml/dense_relu_txt"), Flavor::Paper);
  EXPECT_EQ(paper.flavor(), Flavor::Paper);
  // A paper project forced to head: its leaky_relu has no param_t, which head needs.
  const std::string error = import_error(fixture_dir("hls4ml/bn_lrelu_paper_headers"), Flavor::Head);
  EXPECT_NE(error.find("vae_l1.cpp:33"), std::string::npos) << error;
  EXPECT_NE(error.find("param_t"), std::string::npos) << error;
}

TEST(Hls4mlImportTest, FlavourFromTheProjectsNnetUtils) {
  ScratchDir dir("hls4ml_nnet_utils");
  copy_fixture("hls4ml/bn_lrelu_paper_headers", dir.path());
  // Own minimal stand-ins for the two ways nnet_batchnorm.h is written.
  testing::write_text(dir.path() / "firmware/nnet_utils/nnet_batchnorm.h",
                      "// test stand-in\nres[ires] = (res_T) (data[ires] * scale[norm_index]) + bias[norm_index];\n");
  std::vector<std::string> notes;
  const Model model = import_hls4ml_project(dir.path(), std::nullopt, &notes);
  EXPECT_EQ(model.flavor(), Flavor::Paper);
  const auto& bn = dynamic_cast<const BatchNormalization&>(*model.layers().at(0));
  EXPECT_EQ(bn.config().rounding, BatchNormRounding::Twice);
  ASSERT_GE(notes.size(), 2U);
  EXPECT_NE(notes.at(1).find("nnet_batchnorm.h:2: normalize rounds data*scale to res_T"), std::string::npos) << notes.at(1);
}

TEST(Hls4mlImportTest, FlavourFromTheLeakyReluSignatureBeatsTheConfigVersion) {
  ScratchDir dir("hls4ml_activation");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());  // its hls4ml_config.yml says Version 1.0.0
  testing::write_text(dir.path() / "firmware/nnet_utils/nnet_activation.h",
                      "// test stand-in\ntemplate <class data_T, class res_T, typename CONFIG_T>\n"
                      "void leaky_relu(data_T data[CONFIG_T::n_in], data_T alpha, res_T res[CONFIG_T::n_in]) {}\n");
  std::vector<std::string> notes;
  // No layer of this project depends on it: the flavour is a label, taken from the code.
  EXPECT_EQ(import_hls4ml_project(dir.path(), std::nullopt, &notes).flavor(), Flavor::Paper);
  EXPECT_NE(notes.at(0).find("nnet_utils/nnet_activation.h:3: leaky_relu takes alpha as data_T; no layer depends on it)"), std::string::npos) << notes.at(0);
}

// nnet::dense with the Resource strategy: hls4ml writes the kernel transposed (n_out, n_in)
// (resource_strategy.py), so the same file read as Resource gives the transposed Keras weights; a
// reuse factor that dense_resource_rf_leq_nin does not pair input-for-input is refused.
TEST(Hls4mlImportTest, ResourceDenseReadsItsWeightsTransposed) {
  const Model latency = import_hls4ml_project(fixture_dir("hls4ml/dense_relu_txt"), std::nullopt, nullptr);
  ScratchDir dir("hls4ml_resource");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  edit_file(dir.path() / "firmware/parameters.h", "static const unsigned strategy = nnet::latency;", "static const unsigned strategy = nnet::resource;");
  const Model resource = import_hls4ml_project(dir.path(), std::nullopt, nullptr);
  const auto& l = dynamic_cast<const Dense&>(*latency.layers()[0]).config();
  const auto& r = dynamic_cast<const Dense&>(*resource.layers()[0]).config();
  EXPECT_EQ(r.strategy, DenseStrategy::Resource);
  EXPECT_EQ(r.reuse_factor, 1U);
  const std::size_t n_in = 4, n_out = 3;
  ASSERT_EQ(r.weights.size(), n_in * n_out);
  for (std::size_t i = 0; i < n_in; ++i) {
    for (std::size_t j = 0; j < n_out; ++j) EXPECT_EQ(r.weights[i * n_out + j], l.weights[j * n_in + i]) << i << "," << j;
  }
  edit_file(dir.path() / "firmware/parameters.h", "static const unsigned reuse_factor = 1;\n    static const unsigned n_zeros = 2;",
            "static const unsigned reuse_factor = 3;\n    static const unsigned n_zeros = 2;");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("config2::reuse_factor: layer 'fc1': Resource Dense with reuse factor 3 for 4 inputs is not reproduced"), std::string::npos) << error;
}

// The Latency strategy's ReuseFactor is the project's: parameters.h's config<N>::reuse_factor, the
// value HLS compiles (hls4ml writes each layer's there; model_3 `hls4ml_prj_pynq` has 64 on its Dense
// layers under a Model-level 1). It does not change the arithmetic; the import keeps it for the
// timing estimate, model.json writes it per layer and the model's largest at the top, and a written
// model reads back with it.
TEST(Hls4mlImportTest, LatencyDenseCarriesTheProjectsReuseFactor) {
  ScratchDir dir("hls4ml_latency_reuse");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  const Model r1 = import_hls4ml_project(dir.path(), std::nullopt, nullptr);
  EXPECT_EQ(dynamic_cast<const Dense&>(*r1.layers()[0]).config().reuse_factor, 1U);
  EXPECT_NE(write_model_json(r1).find("\"reuse_factor\": 1,"), std::string::npos);
  edit_file(dir.path() / "firmware/parameters.h", "static const unsigned reuse_factor = 1;\n    static const unsigned n_zeros = 2;",
            "static const unsigned reuse_factor = 6;\n    static const unsigned n_zeros = 2;");
  const Model r6 = import_hls4ml_project(dir.path(), std::nullopt, nullptr);
  const auto& d = dynamic_cast<const Dense&>(*r6.layers()[0]).config();
  EXPECT_EQ(d.strategy, DenseStrategy::Latency);
  EXPECT_EQ(d.reuse_factor, 6U);
  EXPECT_EQ(d.n_zeros, 2);  // parameters.h's n_zeros, kept for hls4ml's multiplier_limit
  const std::string json = write_model_json(r6);
  EXPECT_NE(json.find("\"reuse_factor\": 6,"), std::string::npos) << json.substr(0, 200);  // the model's, at the top
  const Model back = parse_model_json(json, "round trip");
  EXPECT_EQ(dynamic_cast<const Dense&>(*back.layers()[0]).config().reuse_factor, 6U);
  EXPECT_EQ(dynamic_cast<const Dense&>(*back.layers()[0]).config().n_zeros, 2);
  EXPECT_EQ(write_model_json(back), json);
  edit_file(dir.path() / "firmware/parameters.h", "static const unsigned reuse_factor = 6;", "static const unsigned reuse_factor = 0;");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("config2::reuse_factor must be at least 1, found 0"), std::string::npos) << error;
}

TEST(Hls4mlImportTest, MissingWeightFile) {
  ScratchDir dir("hls4ml_missing");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  std::filesystem::remove(dir.path() / "firmware/weights/w4.txt");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("myproject.cpp:45"), std::string::npos) << error;
  EXPECT_NE(error.find("missing weights for 'w4'"), std::string::npos) << error;
  EXPECT_NE(error.find("w4.txt"), std::string::npos) << error;
}

TEST(Hls4mlImportTest, WeightFileWithWrongCount) {
  ScratchDir dir("hls4ml_count");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  testing::write_text(dir.path() / "firmware/weights/b2.txt", "0.5, -0.125\n");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("b2.txt: 2 values, expected 3"), std::string::npos) << error;
}

TEST(Hls4mlImportTest, TruncatedInitializer) {
  ScratchDir dir("hls4ml_truncated");
  copy_fixture("hls4ml/bn_lrelu_paper_headers", dir.path());
  edit_file(dir.path() / "firmware/weights.h", "0.3, 0.6, -0.9, 2.0,", "0.3, 0.6, -0.9,");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("weights.h:10"), std::string::npos) << error;
  EXPECT_NE(error.find("has 19 values, expected 20"), std::string::npos) << error;
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
}

TEST(Hls4mlImportTest, ConfigSizeDisagreesWithWeights) {
  ScratchDir dir("hls4ml_n_out");
  copy_fixture("hls4ml/bn_lrelu_paper_headers", dir.path());
  edit_file(dir.path() / "firmware/parameters.h", "n_in = 5, n_out = 4;", "n_in = 5, n_out = 3;");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("weights.h:10"), std::string::npos) << error;
  EXPECT_NE(error.find("'w3' is declared with 20 elements"), std::string::npos) << error;
}

TEST(Hls4mlImportTest, WeightArrayTypeDisagreesWithTheConfig) {
  ScratchDir dir("hls4ml_array_type");
  copy_fixture("hls4ml/bn_lrelu_paper_headers", dir.path());
  edit_file(dir.path() / "firmware/weights.h", "bias3_t b3[4]", "weight3_t b3[4]");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("weights.h:17: 'b3' is declared as ap_fixed<8,2>, but config3 reads it as ap_fixed<8,3>"), std::string::npos) << error;
}

TEST(Hls4mlImportTest, ConfigInputSizeDisagreesWithTheLayerInput) {
  ScratchDir dir("hls4ml_n_in");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  edit_file(dir.path() / "firmware/parameters.h", "n_in = 4;", "n_in = 5;");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("parameters.h:22: size mismatch: config2::n_in = 5"), std::string::npos) << error;
}

TEST(Hls4mlImportTest, UnknownTypedef) {
  ScratchDir dir("hls4ml_typedef");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  edit_file(dir.path() / "firmware/defines.h", "typedef ap_fixed<12,5> layer2_t;", "");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("myproject.cpp:"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown type 'layer2_t'"), std::string::npos) << error;
}

TEST(Hls4mlImportTest, UnsupportedCallNamesCallAndLine) {
  ScratchDir dir("hls4ml_embedding");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  edit_file(dir.path() / "firmware/myproject.cpp", "    nnet::linear<layer4_t, result_t, linear_config5>(layer4_out, layer5_out); // out",
            "    nnet::gru<layer4_t, result_t, softmax_config5>(layer4_out, layer5_out); // out");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("1 layer call(s) that l1emu does not reproduce yet: nnet::gru at "), std::string::npos) << error;
  EXPECT_NE(error.find("myproject.cpp:47"), std::string::npos) << error;
}

TEST(Hls4mlImportTest, ATopFunctionOfUnsupportedCallsIsNamed) {
  ScratchDir dir("hls4ml_only_unsupported");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  const auto cpp = dir.path() / "firmware/myproject.cpp";
  edit_file(cpp, "nnet::dense<input_t", "nnet::simple_rnn<input_t");
  edit_file(cpp, "nnet::dense<layer3_t", "nnet::simple_rnn<layer3_t");
  edit_file(cpp, "nnet::relu<", "nnet::lstm<");
  edit_file(cpp, "nnet::linear<", "nnet::gru<");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("top function myproject makes only unsupported calls: nnet::simple_rnn (line 37), nnet::lstm (line 41), "
                       "nnet::simple_rnn (line 45), nnet::gru (line 47)"),
            std::string::npos) << error;
  EXPECT_EQ(error.find("no top function found"), std::string::npos) << error;
}

// A top function without any nnet:: call (a mutation campaign's garbled project) is named with
// its file and line, not "no top function found" without a file.
TEST(Hls4mlImportTest, ATopFunctionWithoutLayerCallsIsNamedWithItsFile) {
  ScratchDir dir("hls4ml_no_layer_calls");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  const auto cpp = dir.path() / "firmware/myproject.cpp";
  for (int i = 0; i < 8; ++i) edit_file(cpp, "nnet::", "other::");  // the weight loading and the four layers
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("myproject.cpp:6: the top function myproject makes no nnet:: layer call"), std::string::npos) << error;
}

// No function at all is the expected top function: the message names the project's files read
// (not the weight files) and the function it expected.
TEST(Hls4mlImportTest, NoTopFunctionNamesTheFilesReadAndTheExpectedFunction) {
  ScratchDir dir("hls4ml_no_top");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  const auto cpp = dir.path() / "firmware/myproject.cpp";
  edit_file(cpp, "void myproject(", "void renamed(");
  for (int i = 0; i < 8; ++i) edit_file(cpp, "nnet::", "other::");  // the weight loading and the four layers
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("myproject.cpp"), std::string::npos) << error;
  EXPECT_NE(error.find("parameters.h"), std::string::npos) << error;
  EXPECT_EQ(error.find("weights"), std::string::npos) << error;
  EXPECT_NE(error.find("no top function found: 1 function definition(s) read, none makes an nnet:: layer call; expected the top "
                       "function myproject"),
            std::string::npos) << error;
}

TEST(Hls4mlImportTest, EveryUnsupportedCallIsListedInOneMessage) {
  ScratchDir dir("hls4ml_two_unsupported");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  edit_file(dir.path() / "firmware/myproject.cpp", "    nnet::linear<layer4_t, result_t, linear_config5>(layer4_out, layer5_out); // out",
            "    nnet::gru<layer4_t, result_t, softmax_config5>(layer4_out, layer5_out); // out");
  edit_file(dir.path() / "firmware/myproject.cpp", "nnet::relu<", "nnet::lstm<");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("2 layer call(s)"), std::string::npos) << error;
  EXPECT_NE(error.find("nnet::lstm at "), std::string::npos) << error;
  EXPECT_NE(error.find("nnet::gru at "), std::string::npos) << error;
}

TEST(Hls4mlImportTest, ConflictingIfdefBranchesAreAnError) {
  ScratchDir dir("hls4ml_ifdef");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  edit_file(dir.path() / "firmware/defines.h", "typedef ap_fixed<12,5> layer2_t;",
            "#ifdef WIDE\ntypedef ap_fixed<16,6> layer2_t;\n#else\ntypedef ap_fixed<12,5> layer2_t;\n#endif");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("conflicting definitions of type 'layer2_t'"), std::string::npos) << error;
}

// The fixture's load_weights_from_txt call sits in #ifdef LOAD_WEIGHTS_FROM_TXT (as in the CMSSW
// packages). When a project file defines the macro, the C simulation loads the text files, and
// text and header weights must agree.
TEST(Hls4mlImportTest, TextAndHeaderWeightsMustAgree) {
  ScratchDir dir("hls4ml_disagree");
  copy_fixture("hls4ml/lrelu_head_two_outputs", dir.path());
  testing::write_text(dir.path() / "firmware/weights/w2.txt", "0.5, -0.3, 1.1, 0.0, -1.25, 0.7, 1e0, 0.125, -2.0\n");
  edit_file(dir.path() / "firmware/defines.h", "#define DEFINES_H_", "#define DEFINES_H_\n#define LOAD_WEIGHTS_FROM_TXT");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("value 7 of 'w2' differs"), std::string::npos) << error;
}

// Nothing defines LOAD_WEIGHTS_FROM_TXT: the C++ compiles the header weights, so l1emu follows
// them, ignores the (stale) text file and says so (CICADA_v1p1 and v2p1 ship such text files).
TEST(Hls4mlImportTest, WeightTextsLeftOutByTheirIfdefAreNotRead) {
  ScratchDir dir("hls4ml_stale_txt");
  copy_fixture("hls4ml/lrelu_head_two_outputs", dir.path());
  testing::write_text(dir.path() / "firmware/weights/w2.txt", "0.5, -0.3, 1.1, 0.0, -1.25, 0.7, 1e0, 0.125, -2.0\n");
  std::vector<std::string> notes;
  const Model stale = import_hls4ml_project(dir.path(), std::nullopt, &notes);
  const Model original = import_hls4ml_project(fixture_dir("hls4ml/lrelu_head_two_outputs"), std::nullopt, nullptr);
  EXPECT_EQ(write_model_json(stale), write_model_json(original));
  bool said = false;
  for (const auto& n : notes) said = said || (n.find("weights from the headers") != std::string::npos && n.find("#ifdef LOAD_WEIGHTS_FROM_TXT") != std::string::npos);
  EXPECT_TRUE(said);
}

// A stray '}' a compiler would refuse (here after the top function) is refused with its place,
// not imported.
TEST(Hls4mlImportTest, SourceThatWouldNotCompileIsRefused) {
  ScratchDir dir("hls4ml_stray_brace");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  edit_file(dir.path() / "firmware/myproject.cpp", "layer5_out); // out\n\n}", "layer5_out); // out\n\n}\n}");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("myproject.cpp:50: '}' closes nothing"), std::string::npos) << error;
}

// Infinite weights (inf in a text file, a literal beyond double's range in a header) are refused
// with their place; ap_fixed would have stored them as 0.
TEST(Hls4mlImportTest, InfiniteWeightsAreRefused) {
  {
    ScratchDir dir("hls4ml_inf_text");
    copy_fixture("hls4ml/dense_relu_txt", dir.path());
    edit_file(dir.path() / "firmware/weights/w2.txt", "0.75, -0.3,", "0.75, -inf,");
    const std::string error = import_error(dir.path());
    EXPECT_NE(error.find("w2.txt: value 2 '-inf' is not a finite number"), std::string::npos) << error;
  }
  {
    ScratchDir dir("hls4ml_inf_header");
    copy_fixture("hls4ml/bn_lrelu_paper_headers", dir.path());
    edit_file(dir.path() / "firmware/weights.h", "{1.5, 0.75,", "{1.5, 1e999,");
    const std::string error = import_error(dir.path());
    EXPECT_NE(error.find("weights.h:7: unexpected '1e999'"), std::string::npos) << error;
  }
}

// Array extents whose product overflows are refused where declared (the product was undefined).
TEST(Hls4mlImportTest, ArrayExtentsBeyondAnyArrayAreRefused) {
  ScratchDir dir("hls4ml_huge_array");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  edit_file(dir.path() / "firmware/weights/w2.h", "w2[12]", "w2[1099511627776][1099511627776]");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("w2.h:6: 'w2' is declared with more elements than any array can hold"), std::string::npos) << error;
}

// Values compiled only under __SYNTHESIS__ while the C simulation's load_weights_from_txt calls sit
// in an #ifdef nothing defines (an early AXOL1TL hls folder): that C simulation computes with zero
// weights and differs from the firmware, so the import stops and says how to choose. Defining the
// load macro makes the text files the weights (and they must agree with the header).
TEST(Hls4mlImportTest, WeightsOnlyTheSynthesisSeesAreRefused) {
  ScratchDir dir("hls4ml_synthesis_only");
  copy_fixture("hls4ml/lrelu_head_two_outputs", dir.path());
  edit_file(dir.path() / "firmware/weights/w2.h", "weight2_t w2[9] = {", "#ifndef __SYNTHESIS__\nweight2_t w2[9];\n#else\nweight2_t w2[9] = {");
  edit_file(dir.path() / "firmware/weights/w2.h", "-2.0};\n", "-2.0};\n#endif\n");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("w2.h:12: the values of 'w2' are compiled only when __SYNTHESIS__ is defined"), std::string::npos) << error;
  EXPECT_NE(error.find("#ifdef LOAD_WEIGHTS_FROM_TXT, and no file of the project defines it"), std::string::npos) << error;
  EXPECT_NE(error.find("computes with zero weights"), std::string::npos) << error;
  edit_file(dir.path() / "firmware/defines.h", "#define DEFINES_H_", "#define DEFINES_H_\n#define LOAD_WEIGHTS_FROM_TXT");
  const Model model = import_hls4ml_project(dir.path(), std::nullopt, nullptr);
  EXPECT_EQ(write_model_json(model), write_model_json(import_hls4ml_project(fixture_dir("hls4ml/lrelu_head_two_outputs"), std::nullopt, nullptr)));
}

// io_parallel and io_stream are hls4ml's io types (tests/emu/hls4ml_stream_import_test.cpp imports an
// io_stream project); any other value is refused, naming the line.
TEST(Hls4mlImportTest, UnknownIoTypesAreRejected) {
  ScratchDir dir("hls4ml_io_type");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  edit_file(dir.path() / "hls4ml_config.yml", "IOType: io_parallel", "IOType: io_serial");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("hls4ml_config.yml:10: IOType 'io_serial' is not supported"), std::string::npos) << error;
}

// A value of the config is echoed as a one-line excerpt, and a ProjectName that is not UTF-8 (JSON,
// hence model.json, cannot hold it) is refused naming the line: a mutation campaign found the import
// failing inside the JSON writer, naming no file.
TEST(Hls4mlImportTest, ConfigValuesAreTextAndEchoedOnOneLine) {
  ScratchDir dir("hls4ml_config_bytes");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  edit_file(dir.path() / "hls4ml_config.yml", "IOType: io_parallel", "IOType: \"io\\nserial\"");
  std::string error = import_error(dir.path());
  EXPECT_NE(error.find("hls4ml_config.yml:10: IOType 'io\\nserial' is not supported"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  const std::string config = testing::read_text(dir.path() / "hls4ml_config.yml");
  const auto at = config.find("ProjectName: ");
  ASSERT_NE(at, std::string::npos);
  edit_file(dir.path() / "hls4ml_config.yml", "ProjectName: ", "ProjectName: \xae");
  error = import_error(dir.path());
  EXPECT_NE(error.find("hls4ml_config.yml:"), std::string::npos) << error;
  EXPECT_NE(error.find(": ProjectName '\\xae"), std::string::npos) << error;
  EXPECT_NE(error.find("is not UTF-8 text"), std::string::npos) << error;
}

// A config whose io_type contradicts the types its call passes is refused, not guessed.
TEST(Hls4mlImportTest, AnIoTypeContradictingTheCallIsRejected) {
  ScratchDir dir("hls4ml_io_contradiction");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  const std::string params = testing::read_text(dir.path() / "firmware/parameters.h");
  ASSERT_NE(params.find("nnet::io_parallel"), std::string::npos);
  edit_file(dir.path() / "firmware/parameters.h", "nnet::io_parallel", "nnet::io_stream");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("parameters.h:24: config2::io_type = io_stream, but nnet::dense at "), std::string::npos) << error;
  EXPECT_NE(error.find("reads plain arrays (io_parallel)"), std::string::npos) << error;
}

// Only what the compiler reads of the project is parsed: the .cpp that makes nnet:: calls, its
// header, defines.h, parameters.h and what they include. Unrelated code beside it (here a header
// that defines the same names differently, as particle-flow code beside the correlator's tau NN
// does) is not read, unless the project includes it.
TEST(Hls4mlImportTest, OnlyFilesTheProjectReadsAreParsed) {
  ScratchDir dir("hls4ml_beside");
  copy_fixture("hls4ml/dense_relu_txt", dir.path());
  testing::write_text(dir.path() / "firmware/other_algo.h", "#define N_INPUT_1_1 99\ntypedef ap_fixed<4,2> layer2_t;\n");
  testing::write_text(dir.path() / "firmware/ap_fixed.h", "this is not C++ l1emu could read <\n");
  std::vector<std::string> notes;
  EXPECT_NO_THROW((void)import_hls4ml_project(dir.path(), std::nullopt, &notes));
  edit_file(dir.path() / "firmware/parameters.h", "#define PARAMETERS_H_", "#define PARAMETERS_H_\n#include \"other_algo.h\"");
  const std::string error = import_error(dir.path());
  EXPECT_NE(error.find("other_algo.h:1: conflicting definitions of constant 'N_INPUT_1_1'"), std::string::npos) << error;
}

}  // namespace
}  // namespace l1emu::emu
