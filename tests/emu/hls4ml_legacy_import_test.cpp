// Projects of hls4ml before 0.5 call conv_1d_latency_cl, compute_layer and dense_large from the top
// function and a softmax without an implementation member. The importer maps each onto today's
// layer only when the project's own nnet_utils prove the same statements
// (emu/src/io/legacy_nnet_calls.cpp). Fixture tests/fixtures/hls4ml/legacy_v04: its
// expected/outputs_raw.txt is the C simulation of that project with those generations' nnet_utils
// (expected/README.md); the tests write the statements the importer reads (hls4ml_legacy_evidence.h).
#include <gtest/gtest.h>

#include "hls4ml_codes_check.h"
#include "hls4ml_legacy_evidence.h"
#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/convolution.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/softmax.h"

namespace l1emu::emu {
namespace {

using testing::LegacyEvidence;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct LegacyProject {
  testing::ScratchDir dir{"legacy"};
  explicit LegacyProject(const LegacyEvidence& evidence = {}) {
    testing::copy_fixture("hls4ml/legacy_v04", dir.path());
    testing::write_legacy_evidence(dir.path(), evidence);
  }
  [[nodiscard]] std::filesystem::path path() const { return dir.path(); }
  [[nodiscard]] std::string import_error() const {
    try {
      (void)import_hls4ml_project(path(), std::nullopt, nullptr);
    } catch (const ModelError& e) {
      return e.what();
    }
    return "";
  }
};

TEST(Hls4mlLegacyImport, ReproducesTheCSimulationOfAProjectBefore05) {
  const LegacyProject project;
  std::vector<std::string> notes;
  const Model model = import_hls4ml_project(project.path(), std::nullopt, &notes);
  ASSERT_EQ(model.layers().size(), 5U);
  EXPECT_EQ(model.layers()[0]->class_name(), "Conv1D");
  EXPECT_EQ(model.layers()[1]->class_name(), "ReLU");
  const auto& dense = dynamic_cast<const Dense&>(*model.layers()[2]);
  EXPECT_EQ(dense.config().strategy, DenseStrategy::Latency);
  const auto& large = dynamic_cast<const Dense&>(*model.layers()[3]);
  EXPECT_EQ(large.config().strategy, DenseStrategy::Resource);
  EXPECT_EQ(large.config().reuse_factor, 3U);
  EXPECT_EQ(dynamic_cast<const Softmax&>(*model.layers()[4]).config().implementation, SoftmaxImplementation::Latency);

  std::string text;
  for (const auto& n : notes) text += n + "\n";
  EXPECT_TRUE(has(text, "nnet_utils/nnet_layer.h:")) << text;
  EXPECT_TRUE(has(text, "compute_layer (hls4ml before 0.1) computes dense_latency's statements")) << text;
  EXPECT_TRUE(has(text, "nnet_utils/nnet_dense_large.h:")) << text;
  EXPECT_TRUE(has(text, "conv_1d_latency_cl (hls4ml 0.2 to 0.4)")) << text;
  EXPECT_TRUE(has(text, "softmax (hls4ml before 0.5, no implementation member) computes 0.5's softmax_latency")) << text;

  EXPECT_EQ(testing::expect_hls4ml_codes(model, project.path()), 300U);
  // model.json holds today's layers, which compute the same.
  const Model again = parse_model_json(write_model_json(model), "written");
  EXPECT_EQ(testing::expect_hls4ml_codes(again, project.path()), 300U);
}

TEST(Hls4mlLegacyImport, RefusesACopyWhoseStatementsDiffer) {
  {
    // The global correlator's tau NN adds every product ADD_LAT times.
    LegacyEvidence e;
    e.compute_layer.replace(e.compute_layer.find("acc[jj] += mult[ii][jj];"), 24, "for (int ia = 0; ia < ADD_LAT; ia++) acc_lat[jj][ia] += mult[ii][jj];");
    const std::string error = LegacyProject(e).import_error();
    EXPECT_TRUE(has(error, "nnet::compute_layer at ")) << error;
    EXPECT_TRUE(has(error, "ADD_LAT")) << error;
  }
  {
    // A ReLU fused into the result loop.
    LegacyEvidence e;
    e.compute_layer.replace(e.compute_layer.find("res[ires] = (res_T) (acc[ires]);"), 33,
                            "if (acc[ires] > 0) res[ires] = (res_T) (acc[ires]); else res[ires] = 0;");
    EXPECT_TRUE(has(LegacyProject(e).import_error(), "more than one statement"));
  }
  {
    // A product not rounded to accum_t before the sum.
    LegacyEvidence e;
    const std::string call = "product<data_T, typename CONFIG_T::weight_t, typename CONFIG_T::accum_t>(data[in_index], weights[w_index])";
    e.dense_large.replace(e.dense_large.find(call), call.size(), "data[in_index] * weights[w_index]");
    const std::string error = LegacyProject(e).import_error();
    EXPECT_TRUE(has(error, "nnet::dense_large at ")) << error;
    EXPECT_TRUE(has(error, "add product<data_T, weight_t, accum_t>")) << error;
  }
  {
    // Weights read in another order.
    LegacyEvidence e;
    e.conv.replace(e.conv.find("jj*CONFIG_T::n_chan*CONFIG_T::n_filt + cc*CONFIG_T::n_filt + ff"), 62, "ff*CONFIG_T::n_chan*CONFIG_T::filt_width + cc*CONFIG_T::filt_width + jj");
    EXPECT_TRUE(has(LegacyProject(e).import_error(), "Keras (width, channel, filter) order"));
  }
  {
    // A softmax that subtracts the maximum first is not the latency one.
    LegacyEvidence e;
    e.softmax.replace(e.softmax.find("(data[i])"), 9, "(data[i] - x_max)");
    const std::string error = LegacyProject(e).import_error();
    EXPECT_TRUE(has(error, "nnet::softmax at ")) << error;
    EXPECT_TRUE(has(error, "has no implementation member")) << error;
  }
  {
    // One message lists every call it refuses.
    LegacyEvidence e;
    e.compute_layer = "// nothing\n";
    e.conv = "// nothing\n";
    const std::string error = LegacyProject(e).import_error();
    EXPECT_TRUE(has(error, "makes 2 layer call(s)")) << error;
    EXPECT_TRUE(has(error, "nnet_layer.h does not define it")) << error;
    EXPECT_TRUE(has(error, "nnet_conv.h does not define it")) << error;
  }
}

TEST(Hls4mlLegacyImport, RefusesWithoutTheProjectsNnetUtils) {
  const LegacyProject project;
  std::filesystem::remove_all(project.path() / "firmware" / "nnet_utils");
  const std::string error = project.import_error();
  EXPECT_TRUE(has(error, "function of hls4ml before 0.5")) << error;
  EXPECT_TRUE(has(error, "which is missing")) << error;
}

TEST(Hls4mlLegacyImport, RefusesAChannelFirstConvolutionWhoseSumCanSaturate) {
  // conv_1d_latency_cl adds channel by channel; l1emu's Conv1D position by position: the same
  // only when accum_t wraps.
  const LegacyProject project;
  testing::edit_file(project.path() / "firmware/parameters.h", "typedef ap_fixed<14,6> accum_t;\n    typedef bias2_t",
                     "typedef ap_fixed<14,6,AP_TRN,AP_SAT> accum_t;\n    typedef bias2_t");
  const std::string error = project.import_error();
  EXPECT_TRUE(has(error, "channel by channel")) << error;
  EXPECT_TRUE(has(error, "saturating")) << error;
}

TEST(Hls4mlLegacyImport, FindsNnetUtilsBesideTheFirmwareFolder) {
  // hls4ml before 0.2 kept one nnet_utils next to the project folders (build_prj.tcl: -I).
  const LegacyProject project;
  std::filesystem::rename(project.path() / "firmware" / "nnet_utils", project.path() / "nnet_utils");
  EXPECT_EQ(project.import_error(), "");
}

}  // namespace
}  // namespace l1emu::emu
