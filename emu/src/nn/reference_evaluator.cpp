#include "l1emu/emu/nn/reference_evaluator.h"

#include <stdexcept>

namespace l1emu::emu {

EventArrays ReferenceEvaluator::evaluate(const std::vector<std::vector<BigInt>>& input_codes) const {
  const auto& inputs = model_.inputs();
  if (input_codes.size() != inputs.size()) throw std::invalid_argument("wrong number of input arrays");
  EventArrays arrays;
  arrays.reserve(model_.array_count());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (input_codes[i].size() != inputs[i].size) throw std::invalid_argument("input '" + inputs[i].name + "' has the wrong size");
    arrays.push_back(FixedArray{inputs[i].type, input_codes[i]});
  }
  const auto& layers = model_.layers();
  const auto& wiring = model_.layer_input_indices();
  std::vector<const FixedArray*> args;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    args.clear();
    for (std::size_t index : wiring[l]) args.push_back(&arrays[index]);
    arrays.push_back(FixedArray{layers[l]->result_type(), layers[l]->evaluate(args)});
  }
  return arrays;
}

std::vector<BigInt> ReferenceEvaluator::outputs(const EventArrays& arrays) const {
  std::vector<BigInt> out;
  for (std::size_t index : model_.output_indices()) {
    const auto& codes = arrays[index].codes;
    out.insert(out.end(), codes.begin(), codes.end());
  }
  return out;
}

}  // namespace l1emu::emu
