#pragma once
// The reference evaluator: the specification of l1emu's arithmetic. Scalar and plain: each layer's
// evaluate() on exact values, in model order. Every faster path must be bit-identical to it.
#include <span>
#include <vector>

#include "l1emu/emu/nn/fixed_array.h"
#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// Every array of one event: index as in Model (inputs first, then one per layer). This is the
/// per-layer trace.
using EventArrays = std::vector<FixedArray>;

class ReferenceEvaluator {
 public:
  explicit ReferenceEvaluator(const Model& model) : model_(model) {}

  /// Evaluates one event from the raw input codes (one vector per model input, in the input types).
  [[nodiscard]] EventArrays evaluate(const std::vector<std::vector<BigInt>>& input_codes) const;

  /// The model outputs of an evaluated event, concatenated in output order.
  [[nodiscard]] std::vector<BigInt> outputs(const EventArrays& arrays) const;

  [[nodiscard]] const Model& model() const { return model_; }

 private:
  const Model& model_;
};

}  // namespace l1emu::emu
