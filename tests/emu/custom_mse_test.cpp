// CustomMSE, the seed paper's DNN AE score, against hls4ml's own custom_mse (branch AE_L1_paper) on
// the cases of tests/fixtures/custom_mse (README.md there: how the expected codes were made).
#include "l1emu/emu/nn/layers/custom_mse.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "compiled_compare.h"
#include "import_test_support.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace l1emu::emu {
namespace {

struct TypeSet {
  const char* origin;
  const char* truth;
  const char* pred;
  const char* table;
  const char* squared;
  const char* accum;
  const char* result;
};

// The two sets of the fixture's README.
const TypeSet kSets[] = {
    {"ap_fixed<16,10>", "ap_fixed<16,6>", "ap_fixed<16,6>", "ap_fixed<18,8,AP_RND_CONV,AP_SAT>", "ap_fixed<24,12,AP_RND_CONV,AP_SAT>",
     "ap_fixed<22,10,AP_RND_CONV,AP_SAT>", "ap_fixed<20,10>"},
    {"ap_fixed<12,8>", "ap_fixed<10,4>", "ap_fixed<12,3,AP_RND,AP_SAT>", "ap_fixed<16,3>", "ap_ufixed<12,6>", "ap_fixed<14,5,AP_RND,AP_SAT>",
     "ap_fixed<12,6>"},
};

Model custom_mse_model(const TypeSet& s) {
  const std::vector<ArraySpec> in{{"origin", 57, FixedType::parse(s.origin)}, {"truth", 57, FixedType::parse(s.truth)}, {"pred", 57, FixedType::parse(s.pred)}};
  CustomMSE::Config c;
  c.table_t = FixedType::parse(s.table);
  c.error_t = FixedType::parse(s.origin);  // what the branch's writer gives error_t
  c.squared_error_t = FixedType::parse(s.squared);
  c.accum_t = FixedType::parse(s.accum);
  c.result_t = FixedType::parse(s.result);
  Model m("custom_mse", Flavor::Paper, in);
  m.add_layer(std::make_unique<CustomMSE>("score", in, c));
  m.set_outputs({"score"});
  return m;
}

std::vector<std::vector<BigInt>> split_inputs(const std::string& line) {
  std::istringstream s(line);
  std::vector<std::vector<BigInt>> arrays(3);
  for (auto& a : arrays) {
    for (int i = 0; i < 57; ++i) {
      long long c = 0;
      s >> c;
      a.emplace_back(c);
    }
  }
  return arrays;
}

TEST(CustomMSE, ReproducesHls4mlsCustomMseOfTheAeL1PaperBranch) {
  const auto dir = testing::fixture_dir("custom_mse");
  for (int set = 0; set < 2; ++set) {
    const Model model = custom_mse_model(kSets[set]);
    const ReferenceEvaluator reference(model);
    const CompiledModel compiled(model);
    auto ws = compiled.make_workspace();
    std::ifstream inputs(dir / ("inputs_" + std::to_string(set) + ".txt"));
    std::ifstream expected(dir / ("expected_" + std::to_string(set) + ".txt"));
    std::string line;
    long long want = 0;
    std::size_t events = 0, mismatches = 0, masked_events = 0;
    while (std::getline(inputs, line) && (expected >> want)) {
      const auto arrays = split_inputs(line);
      const BigInt got = reference.outputs(reference.evaluate(arrays))[0];
      std::vector<std::int64_t> flat;
      for (const auto& a : arrays) {
        for (const auto& c : a) flat.push_back(c.convert_to<std::int64_t>());
      }
      std::int64_t fast = 0;
      compiled.evaluate(ws, flat.data(), 1, &fast);
      if (got != BigInt(want) || fast != want) {
        if (mismatches == 0) ADD_FAILURE() << "set " << set << " event " << events << ": reference " << got << ", compiled " << fast << ", hls4ml " << want;
        ++mismatches;
      }
      for (const auto& c : arrays[0]) masked_events += c == 0 ? 1 : 0;
      ++events;
    }
    EXPECT_EQ(events, 300U);
    EXPECT_EQ(mismatches, 0U);
    EXPECT_GT(masked_events, 300U);  // the mask is exercised
  }
}

TEST(CustomMSE, AnEventWhoseOriginIsAllZeroScoresZero) {
  // Every value masked: the errors, their squares and the mean are 0 whatever the prediction is.
  const Model model = custom_mse_model(kSets[0]);
  const ReferenceEvaluator eval(model);
  std::vector<std::vector<BigInt>> in(3, std::vector<BigInt>(57, BigInt(0)));
  for (int i = 0; i < 57; ++i) {
    in[1][static_cast<std::size_t>(i)] = BigInt(1000 + i);
    in[2][static_cast<std::size_t>(i)] = BigInt(-2000 + 37 * i);
  }
  EXPECT_EQ(eval.outputs(eval.evaluate(in))[0], BigInt(0));
  in[0][4] = BigInt(1);  // one unmasked eta: (true - tanh(pred) * 3)^2 / 57
  EXPECT_NE(eval.outputs(eval.evaluate(in))[0], BigInt(0));
}

// The compiled kernel against the reference on random types (every rounding and overflow mode) and
// inputs with masked values and extremes.
TEST(CustomMSE, CompiledMatchesTheReferenceOnRandomTypes) {
  testing::RandomModelFactory factory(0xC0DE, 20);
  std::mt19937_64 rng(0xC0DE);
  const char* quant[] = {"AP_TRN", "AP_RND", "AP_RND_CONV", "AP_RND_ZERO", "AP_RND_INF", "AP_RND_MIN_INF", "AP_TRN_ZERO"};
  const char* over[] = {"AP_WRAP", "AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM"};
  const auto type = [&](int min_width, bool allow_unsigned) {
    const int w = min_width + static_cast<int>(rng() % 9);
    const int i = 1 + static_cast<int>(rng() % static_cast<unsigned>(w));
    const bool u = allow_unsigned && rng() % 4 == 0;
    return std::string(u ? "ap_ufixed<" : "ap_fixed<") + std::to_string(w) + "," + std::to_string(i) + "," + quant[rng() % 7] + "," + over[rng() % 4] + ">";
  };
  std::size_t compiled_layers = 0;
  for (int m = 0; m < 40; ++m) {
    const std::string t0 = type(8, false), t1 = type(8, false), t2 = type(10, false), tt = type(10, false), sq = type(10, true), acc = type(10, false),
                      res = type(8, false);
    const Model model = custom_mse_model({t0.c_str(), t1.c_str(), t2.c_str(), tt.c_str(), sq.c_str(), acc.c_str(), res.c_str()});
    auto events = testing::random_input_events(factory, model, 70);
    for (auto& e : events) {
      for (std::size_t i = 0; i < 57; ++i) {
        if (rng() % 5 == 0) e[i] = 0;  // masked
      }
    }
    EXPECT_EQ(testing::compiled_mismatches(model, events, "custom_mse " + std::to_string(m) + ": " + t0 + " " + t1 + " " + t2 + " " + tt + " " + sq + " " + acc), 0U);
    compiled_layers += CompiledModel(model).describe().at(0).find("reference") == std::string::npos ? 1 : 0;
  }
  EXPECT_GT(compiled_layers, 35U);
}

TEST(CustomMSE, ModelJsonRoundTripsAndRefusesOtherSizes) {
  const Model model = custom_mse_model(kSets[1]);
  const std::string json = write_model_json(model);
  EXPECT_NE(json.find("\"CustomMSE\""), std::string::npos);
  EXPECT_EQ(write_model_json(parse_model_json(json, "written")), json);
  const std::vector<ArraySpec> small{{"o", 54, FixedType::parse("ap_fixed<16,6>")}, {"t", 54, FixedType::parse("ap_fixed<16,6>")}, {"p", 54, FixedType::parse("ap_fixed<16,6>")}};
  CustomMSE::Config c;
  c.table_t = c.error_t = c.squared_error_t = c.accum_t = c.result_t = FixedType::parse("ap_fixed<16,6>");
  EXPECT_THROW(CustomMSE("s", small, c), ModelError);
  const std::vector<ArraySpec> narrow{{"o", 57, FixedType::parse("ap_fixed<16,6>")}, {"t", 57, FixedType::parse("ap_fixed<16,6>")}, {"p", 57, FixedType::parse("ap_fixed<8,3>")}};
  EXPECT_THROW(CustomMSE("s", narrow, c), ModelError);  // 1024 entries need 10 address bits
}

}  // namespace
}  // namespace l1emu::emu
