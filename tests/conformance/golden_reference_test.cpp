// Conformance of the reference evaluator with every golden case in ../shared/golden: every raw
// code of every output and of every layer trace, for every event.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "golden_case.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace l1emu {
namespace {

namespace fs = std::filesystem;
using testing::golden_dir;
using testing::read_token_lines;

TEST(GoldenData, IsPresent) {
  L1EMU_REQUIRE_SHARED();
  EXPECT_FALSE(testing::golden_case_names().empty()) << "no case with a model.json under " << golden_dir();
}

class GoldenReference : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenReference, EveryOutputAndTraceCodeMatches) {
  L1EMU_REQUIRE_SHARED();
  const fs::path dir = golden_dir() / GetParam();
  const emu::Model model = emu::load_model_json(dir / "model.json");
  const emu::ReferenceEvaluator evaluator(model);

  const auto expected_outputs = read_token_lines(dir / "expected" / "outputs_raw.txt");
  // Trace files present for this case, by layer index.
  std::vector<std::pair<std::size_t, std::vector<std::vector<std::string>>>> traces;
  for (std::size_t l = 0; l < model.layers().size(); ++l) {
    const fs::path file = dir / "expected" / "trace" / (model.layers()[l]->name() + ".txt");
    if (fs::exists(file)) traces.emplace_back(l, read_token_lines(file));
  }
  ASSERT_FALSE(traces.empty()) << "no trace files for " << GetParam();

  emu::EventTextReader reader(dir / "inputs.txt", emu::input_width(model));
  std::vector<float> values;
  std::size_t events = 0, mismatches = 0, codes_compared = 0;
  const std::size_t first_layer = model.inputs().size();
  while (reader.next(values)) {
    const auto arrays = evaluator.evaluate(emu::input_codes(model, values));
    bool event_ok = true;
    const auto outputs = evaluator.outputs(arrays);
    const auto& expected = expected_outputs.at(events);
    if (expected.size() != outputs.size()) event_ok = false;
    for (std::size_t i = 0; i < outputs.size() && i < expected.size(); ++i, ++codes_compared) {
      if (outputs[i].str() != expected[i]) event_ok = false;
    }
    for (const auto& [layer, lines] : traces) {
      const auto& codes = arrays[first_layer + layer].codes;
      const auto& want = lines.at(events);
      if (want.size() != codes.size()) event_ok = false;
      for (std::size_t i = 0; i < codes.size() && i < want.size(); ++i, ++codes_compared) {
        if (codes[i].str() != want[i]) {
          if (event_ok) ADD_FAILURE() << GetParam() << " event " << events << " layer " << model.layers()[layer]->name()
                                      << " value " << i << ": got " << codes[i].str() << ", expected " << want[i];
          event_ok = false;
        }
      }
    }
    if (!event_ok) ++mismatches;
    ++events;
  }
  std::printf("%s: %zu events, %zu mismatches (%zu codes compared, %zu trace files)\n", GetParam().c_str(), events,
              mismatches, codes_compared, traces.size());
  EXPECT_EQ(events, expected_outputs.size());
  EXPECT_EQ(mismatches, 0U);
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenReference, ::testing::ValuesIn(testing::golden_case_names()),
                         [](const auto& param_info) { return testing::case_test_name(param_info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenReference);

}  // namespace
}  // namespace l1emu
