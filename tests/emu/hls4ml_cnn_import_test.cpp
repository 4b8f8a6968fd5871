// An hls4ml CNN project (tests/fixtures/hls4ml/cnn_softmax: ZeroPadding2D, Conv2D with a saturating
// accumulator, ReLU, MaxPooling2D, an `auto&` Flatten, Dense, Softmax and Sigmoid) imports from its
// config structs and reproduces hls4ml's own C simulation of it (expected/README.md), code for code,
// on the reference evaluator and on the compiled engine; and its Resource-strategy sibling
// (tests/fixtures/hls4ml/cnn_softmax_resource).
#include <gtest/gtest.h>

#include "hls4ml_codes_check.h"
#include "hls4ml_era_evidence.h"
#include "import_test_support.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/convolution.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/pooling.h"

namespace l1emu::emu {
namespace {

using testing::expect_hls4ml_codes;
using testing::fixture_dir;

TEST(Hls4mlCnnImport, ReproducesHls4mlsOwnCSimulation) {
  const auto dir = fixture_dir("hls4ml/cnn_softmax");
  const Model model = import_hls4ml_project(dir, std::nullopt, nullptr);
  ASSERT_EQ(model.layers().size(), 7U);
  EXPECT_EQ(model.layers()[1]->class_name(), "Conv2D");
  EXPECT_EQ(model.layers()[3]->class_name(), "MaxPooling2D");
  // Shapes follow the tensor: the ReLU after the convolution keeps its 6 x 6 x 3 shape.
  EXPECT_EQ(model.layers()[2]->shape(), (std::vector<std::size_t>{6, 6, 3}));
  EXPECT_EQ(expect_hls4ml_codes(model, dir), 300U);
}

// The same network with the Resource strategy on the Conv2D (conv_2d_resource_cl, R = 6 of K = 18)
// and the Dense (dense_resource_rf_leq_nin, R = 9 of 27, saturating accumulator): hls4ml writes
// both kernels transposed, and both accumulate in the reuse loop's order.
TEST(Hls4mlCnnImport, ResourceStrategyReproducesHls4mlsOwnCSimulation) {
  const auto dir = fixture_dir("hls4ml/cnn_softmax_resource");
  const Model model = import_hls4ml_project(dir, std::nullopt, nullptr);
  ASSERT_EQ(model.layers().size(), 7U);
  const auto* conv = dynamic_cast<const Conv2D*>(model.layers()[1].get());
  ASSERT_NE(conv, nullptr);
  EXPECT_EQ(conv->config().strategy, DenseStrategy::Resource);
  EXPECT_EQ(conv->config().reuse_factor, 6U);
  EXPECT_EQ(conv->accumulation_order(), (std::vector<std::size_t>{0, 6, 12, 1, 7, 13, 2, 8, 14, 3, 9, 15, 4, 10, 16, 5, 11, 17}));
  const auto* dense = dynamic_cast<const Dense*>(model.layers()[4].get());
  ASSERT_NE(dense, nullptr);
  EXPECT_EQ(dense->config().strategy, DenseStrategy::Resource);
  EXPECT_EQ(dense->config().reuse_factor, 9U);
  // Back in Keras layout: the same weights as the Latency project's.
  const Model latency = import_hls4ml_project(fixture_dir("hls4ml/cnn_softmax"), std::nullopt, nullptr);
  EXPECT_EQ(conv->config().weights, dynamic_cast<const Conv2D&>(*latency.layers()[1]).config().weights);
  EXPECT_EQ(dense->config().weights, dynamic_cast<const Dense&>(*latency.layers()[4]).config().weights);
  EXPECT_EQ(expect_hls4ml_codes(model, dir), 300U);
  // model.json keeps strategy and reuse factor.
  const std::string json = write_model_json(model);
  const Model again = parse_model_json(json, "written");
  EXPECT_EQ(write_model_json(again), json);
  EXPECT_EQ(expect_hls4ml_codes(again, dir), 300U);
}

TEST(Hls4mlCnnImport, WritesAModelJsonThatReadsBackTheSameModel) {
  const Model model = import_hls4ml_project(fixture_dir("hls4ml/cnn_softmax"), std::nullopt, nullptr);
  const std::string json = write_model_json(model);
  const Model again = parse_model_json(json, "written");
  EXPECT_EQ(write_model_json(again), json);
  testing::expect_same_model(again, model, 100);
}

// What io_parallel pooling sums and compares in is read from the project's nnet_pooling.h: before
// accum_t (the CMS L1 jet taggers' hls4ml 1.0 snapshot), the input type, as if accum_t were data_T;
// after, the config's accum_t; without the file, the config's accum_t, said as the default.
TEST(Hls4mlCnnImport, PoolingAccumulatesAsTheProjectsNnetPoolingSays) {
  const auto pool_accum = [](const Model& m) {
    for (const auto& layer : m.layers()) {
      if (const auto* p = dynamic_cast<const Pooling*>(layer.get())) return p->config().accum_t.to_string();
    }
    return std::string("no pooling layer");
  };
  const auto note_about_pooling = [](const std::vector<std::string>& notes) {
    for (const auto& n : notes) {
      if (n.rfind("pooling", 0) == 0) return n;
    }
    return std::string();
  };
  std::vector<std::string> notes;
  const Model plain = import_hls4ml_project(fixture_dir("hls4ml/cnn_softmax"), std::nullopt, &notes);
  EXPECT_EQ(pool_accum(plain), "ap_fixed<10,4,AP_RND,AP_SAT>");
  EXPECT_NE(note_about_pooling(notes).find("(default:"), std::string::npos) << note_about_pooling(notes);

  for (const auto sum : {testing::PoolingSum::InputType, testing::PoolingSum::AccumT}) {
    testing::ScratchDir dir("pooling_era");
    testing::copy_fixture("hls4ml/cnn_softmax", dir.path());
    testing::write_pooling_evidence(dir.path(), sum);
    notes.clear();
    const Model m = import_hls4ml_project(dir.path(), std::nullopt, &notes);
    const bool input_type = sum == testing::PoolingSum::InputType;
    EXPECT_EQ(pool_accum(m), input_type ? "ap_ufixed<8,4>" : "ap_fixed<10,4,AP_RND,AP_SAT>");
    const std::string note = note_about_pooling(notes);
    EXPECT_NE(note.find(input_type ? "in the input type" : "in the config's accum_t"), std::string::npos) << note;
    EXPECT_NE(note.find("nnet_pooling.h:" + std::to_string(testing::kEvidenceLinePooling)), std::string::npos) << note;
    if (!input_type) continue;
    // Average of that era: C++ overload resolution decides. T avg(T (&x)[N]) alone sums in T.
    testing::edit_file(dir.path() / "firmware/parameters.h", "pool_op = nnet::Max;", "pool_op = nnet::Average;");
    EXPECT_EQ(pool_accum(import_hls4ml_project(dir.path(), std::nullopt, nullptr)), "ap_ufixed<8,4>");
    // The "wider accumulator" avg(ap_ufixed<W, I, Q, O>) takes the ap_ufixed<8,4> window of N = 4
    // cells: ap_ufixed<W + ceillog2(N), I + ceillog2(N), Q, O>, ceillog2(4) = 2.
    const std::string wide_ufixed_qo =
        "template <int W, int I, int N, ap_q_mode Q, ap_o_mode O> ap_ufixed<W, I, Q, O> avg(ap_ufixed<W, I, Q, O> (&x)[N]) {\n"
        "    ap_ufixed<W + ceillog2(N), I + ceillog2(N), Q, O> tmp = 0;\n";
    testing::write_pooling_evidence(dir.path(), sum, wide_ufixed_qo);
    EXPECT_EQ(pool_accum(import_hls4ml_project(dir.path(), std::nullopt, nullptr)), "ap_ufixed<10,6>");
    // hls4ml 0.5-0.8's common overloads take ap_fixed<W, I> and ap_int<W> only: an unsigned window
    // sums in T (Brainz22/L1JetTagger's ap_ufixed<8,0,AP_RND_CONV,AP_SAT> average differed in 995
    // of 1000 events from its own C simulation when summed in the wider type).
    const std::string wide_fixed_default =
        "template <int W, int I, int N> ap_fixed<W, I> avg(ap_fixed<W, I> (&x)[N]) {\n"
        "    ap_fixed<W + ceillog2(N), I + ceillog2(N)> tmp = 0;\n";
    testing::write_pooling_evidence(dir.path(), sum, wide_fixed_default);
    EXPECT_EQ(pool_accum(import_hls4ml_project(dir.path(), std::nullopt, nullptr)), "ap_ufixed<8,4>");
    // ap_ufixed<W, I> matches only AP_TRN, AP_WRAP: another rounding or overflow mode sums in T.
    const std::string wide_ufixed_default =
        "template <int W, int I, int N> ap_ufixed<W, I> avg(ap_ufixed<W, I> (&x)[N]) {\n"
        "    ap_ufixed<W + ceillog2(N), I + ceillog2(N)> tmp = 0;\n";
    testing::write_pooling_evidence(dir.path(), sum, wide_ufixed_default);
    EXPECT_EQ(pool_accum(import_hls4ml_project(dir.path(), std::nullopt, nullptr)), "ap_ufixed<10,6>");
    testing::edit_file(dir.path() / "firmware/defines.h", "typedef ap_ufixed<8,4> layer4_t;", "typedef ap_ufixed<8,4,AP_RND_CONV,AP_SAT> layer4_t;");
    EXPECT_EQ(pool_accum(import_hls4ml_project(dir.path(), std::nullopt, nullptr)), "ap_ufixed<8,4,AP_RND_CONV,AP_SAT>");
    testing::write_pooling_evidence(dir.path(), sum, wide_ufixed_qo);
    EXPECT_EQ(pool_accum(import_hls4ml_project(dir.path(), std::nullopt, nullptr)), "ap_ufixed<10,6,AP_RND_CONV,AP_SAT>");
  }
}

}  // namespace
}  // namespace l1emu::emu
