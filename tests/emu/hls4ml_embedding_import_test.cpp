// Embedding, concatenate2d and the broadcasting multiply of cms-hls4ml/L1METML, imported from a
// project (tests/fixtures/hls4ml/embed_concat) and checked against that project's C simulation
// with L1METML's nnet_utils (expected/README.md). The test writes the one statement of nnet_merge.h
// the importer reads, in our own wording.
#include <gtest/gtest.h>

#include "hls4ml_codes_check.h"
#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/embedding.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace l1emu::emu {
namespace {

const char* kRepeatingMultiply =
    "// Written by l1emu's tests: the statements of the hand-edited multiply the importer reads.\n"
    "template <class input1_T, class input2_T, class res_T, typename CONFIG_T>\n"
    "void multiply(input1_T data1[CONFIG_T::n_elem], input2_T data2[CONFIG_T::n_elem*2], res_T res[CONFIG_T::n_elem*2]) {\n"
    "  for (int ii = 0; ii < CONFIG_T::n_elem; ii++) { res[ii*2] = data1[ii] * data2[ii*2]; res[ii*2+1] = data1[ii] * data2[ii*2+1]; }\n"
    "}\n";

struct Project {
  testing::ScratchDir dir{"embed"};
  explicit Project(const std::string& multiply = kRepeatingMultiply) {
    testing::copy_fixture("hls4ml/embed_concat", dir.path());
    testing::write_text(dir.path() / "firmware" / "nnet_utils" / "nnet_merge.h", multiply);
  }
};

TEST(Hls4mlEmbeddingImport, ReproducesTheCSimulationOfAnL1MetMlShapedProject) {
  const Project p;
  const Model model = import_hls4ml_project(p.dir.path(), std::nullopt, nullptr);
  std::vector<std::string> classes;
  for (const auto& l : model.layers()) classes.emplace_back(l->class_name());
  // The flat continuous input gets its 6 x 2 shape through a Reshape; the multiply repeats w.
  EXPECT_EQ(classes, (std::vector<std::string>{"Embedding", "Reshape", "Concatenate", "UpSampling1D", "Multiply"}));
  EXPECT_EQ(model.layers()[1]->name(), "concatenate_input1");
  EXPECT_EQ(model.layers()[3]->name(), "multiply_repeat");
  EXPECT_EQ(testing::expect_hls4ml_codes(model, p.dir.path()), 300U);
  const Model again = parse_model_json(write_model_json(model), "written");
  EXPECT_EQ(testing::expect_hls4ml_codes(again, p.dir.path()), 300U);
}

TEST(Hls4mlEmbeddingImport, RefusesAProductOfUnequalSizesItCannotExplain) {
  const Project p("// Written by l1emu's tests: hls4ml's multiply.\nvoid multiply(a, b, res) { res[ii] = data1[ii] * data2[ii]; }\n");
  try {
    (void)import_hls4ml_project(p.dir.path(), std::nullopt, nullptr);
    ADD_FAILURE() << "imported";
  } catch (const ModelError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("multiplies 6 values by 12"), std::string::npos) << what;
    EXPECT_NE(what.find("pairs the inputs element by element"), std::string::npos) << what;
  }
}

TEST(Embedding, LooksUpRowsAndRefusesIndicesOutsideTheVocabulary) {
  const ArraySpec in{"cat", 3, FixedType::parse("ap_uint<3>")};
  Embedding::Config c;
  c.n_out = 2;
  c.vocab_size = 4;
  c.embeddings_t = FixedType::parse("ap_fixed<8,4>");
  c.result_t = FixedType::parse("ap_fixed<6,3,AP_RND,AP_SAT>");
  for (long v = 0; v < 8; ++v) c.embeddings.emplace_back(v * 20 - 70);  // -70 ... 70: some saturate in result_t
  Model m("e", Flavor::Head, {in});
  m.add_layer(std::make_unique<Embedding>("emb", in, c));
  m.set_outputs({"emb"});
  const ReferenceEvaluator eval(m);
  // Row r holds codes 40r - 70 and 40r - 50 of ap_fixed<8,4> (LSB 1/16), then -> ap_fixed<6,3> (LSB 1/8, RND, SAT).
  const auto out = eval.outputs(eval.evaluate({{BigInt(3), BigInt(0), BigInt(1)}}));
  std::vector<long> got;
  for (const auto& v : out) got.push_back(v.convert_to<long>());
  EXPECT_EQ(got, (std::vector<long>{25, 31, -32, -25, -15, -5}));
  EXPECT_EQ(m.layers()[0]->shape(), (std::vector<std::size_t>{3, 2}));
  try {
    (void)eval.evaluate({{BigInt(4), BigInt(0), BigInt(1)}});
    ADD_FAILURE() << "index 4 accepted";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("outside the vocabulary [0, 3]"), std::string::npos) << e.what();
  }
  const ArraySpec real{"x", 3, FixedType::parse("ap_fixed<8,4>")};
  EXPECT_THROW(Embedding("emb", real, c), ModelError);  // indices must be integers
}

}  // namespace
}  // namespace l1emu::emu
