#pragma once
// Compares every array of a batch of events between the compiled engine and the reference
// evaluator (the property the compiled kernels must hold: bit-identical codes everywhere).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/nn/reference_evaluator.h"
#include "random_model.h"

namespace l1emu::testing {

/// Mismatching values over all arrays and outputs (the first one is reported with ADD_FAILURE).
/// With `reference_model` (a mutation check: the same layers with one deliberate change, the
/// same array layout), the reference evaluates that model instead and nothing is reported: the
/// caller expects mismatches, proving that these events would catch such an error.
inline std::size_t compiled_mismatches(const emu::Model& model, const std::vector<std::vector<std::int64_t>>& events,
                                       const std::string& label, const emu::Model* reference_model = nullptr) {
  using emu::BigInt;
  using emu::CompiledModel;
  const CompiledModel compiled(model);
  auto ws = compiled.make_workspace();
  const emu::ReferenceEvaluator reference(reference_model != nullptr ? *reference_model : model);
  const std::size_t width = compiled.input_width();
  std::size_t mismatches = 0;
  for (std::size_t first = 0; first < events.size(); first += CompiledModel::kBatch) {
    const std::size_t count = std::min(CompiledModel::kBatch, events.size() - first);
    std::vector<std::int64_t> inputs;
    for (std::size_t e = 0; e < count; ++e) inputs.insert(inputs.end(), events[first + e].begin(), events[first + e].end());
    std::vector<std::int64_t> outputs(count * compiled.output_width());
    compiled.evaluate(ws, inputs.data(), count, outputs.data());
    for (std::size_t e = 0; e < count; ++e) {
      std::vector<std::vector<BigInt>> codes;
      std::size_t k = 0;
      for (const auto& in : model.inputs()) {
        std::vector<BigInt> array;
        for (std::size_t i = 0; i < in.size; ++i) array.emplace_back(inputs[e * width + k++]);
        codes.push_back(std::move(array));
      }
      const auto arrays = reference.evaluate(codes);
      for (std::size_t a = 0; a < arrays.size(); ++a) {
        for (std::size_t i = 0; i < arrays[a].size(); ++i) {
          const BigInt got(ws.code(a, i, e));
          if (got == arrays[a].codes[i]) continue;
          if (mismatches == 0 && reference_model == nullptr) {
            ADD_FAILURE() << label << ": event " << first + e << " array '" << model.array_spec(a).name << "' ("
                          << model.array_spec(a).type.to_string() << ") value " << i << ": compiled " << got << ", reference "
                          << arrays[a].codes[i];
          }
          ++mismatches;
        }
      }
      const auto expected = reference.outputs(arrays);
      for (std::size_t m = 0; m < expected.size(); ++m) {
        if (BigInt(outputs[e * compiled.output_width() + m]) != expected[m]) ++mismatches;
      }
    }
  }
  return mismatches;
}

/// `count` events of random codes of the model's input types.
inline std::vector<std::vector<std::int64_t>> random_input_events(RandomModelFactory& factory, const emu::Model& model, int count) {
  std::vector<std::vector<std::int64_t>> events;
  for (int e = 0; e < count; ++e) {
    std::vector<std::int64_t> codes;
    for (const auto& in : model.inputs()) {
      for (std::size_t i = 0; i < in.size; ++i) codes.push_back(factory.random_code(in.type).convert_to<std::int64_t>());
    }
    events.push_back(std::move(codes));
  }
  return events;
}

}  // namespace l1emu::testing
