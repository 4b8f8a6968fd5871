#pragma once
// The check every hls4ml fixture with an oracle makes: l1emu's codes, on the reference evaluator and
// on the compiled engine, against hls4ml's own C simulation of the project (the fixture's
// expected/outputs_raw.txt, made out of tree as its expected/README.md says).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "import_test_support.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace l1emu::testing {

using emu::CompiledModel;
using emu::EventTextReader;
using emu::Model;
using emu::ReferenceEvaluator;

struct CodesComparison {
  std::size_t events = 0;
  std::size_t mismatches = 0;  // output codes of either engine that differ from hls4ml's
};

// Every output code of every event of the fixture's inputs.txt, on the reference evaluator (and on
// the compiled engine unless `reference_only`), against expected/outputs_raw.txt.
inline CodesComparison compare_hls4ml_codes(const Model& model, const std::filesystem::path& dir, bool reference_only = false) {
  const ReferenceEvaluator reference(model);
  const CompiledModel compiled(model);
  auto ws = compiled.make_workspace();
  const auto expected = read_text(dir / "expected/outputs_raw.txt");
  std::istringstream lines(expected);
  EventTextReader reader(dir / "inputs.txt", input_width(model));
  std::vector<double> values;  // as predict reads them (a C int port's values exactly)
  const auto readings = input_readings(model);
  CodesComparison result;
  std::string line;
  while (reader.next(values, readings) && std::getline(lines, line)) {
    const auto codes = input_codes(model, values);
    const auto outputs = reference.outputs(reference.evaluate(codes));
    std::vector<std::int64_t> flat;
    for (const auto& array : codes) {
      for (const auto& c : array) flat.push_back(c.convert_to<std::int64_t>());
    }
    std::vector<std::int64_t> fast(compiled.output_width());
    if (!reference_only) compiled.evaluate(ws, flat.data(), 1, fast.data());
    std::istringstream want(line);
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      long long w = 0;
      want >> w;
      if (outputs[i] != w || (!reference_only && fast[i] != w)) {
        if (result.mismatches == 0 && !reference_only) {
          ADD_FAILURE() << "event " << result.events << " output " << i << ": reference " << outputs[i] << ", compiled " << fast[i] << ", hls4ml " << w;
        }
        ++result.mismatches;
      }
    }
    ++result.events;
  }
  return result;
}

// The check: no mismatch on either engine; returns the number of events.
inline std::size_t expect_hls4ml_codes(const Model& model, const std::filesystem::path& dir) {
  const CodesComparison c = compare_hls4ml_codes(model, dir);
  EXPECT_EQ(c.mismatches, 0U);
  return c.events;
}

}  // namespace l1emu::testing
