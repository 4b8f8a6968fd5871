#pragma once
// Pack: the values of its input arrays one after another, each converted to result_t. A top
// function with scalar ports fills the array its network reads element by element,
// `preshift[k] = input_preshift_t(in_jet_pt_0);` (the ATLAS L1Topo AD projects): each port is a
// model input of one value, and Pack lists them in element order. The conversion is ap_fixed's
// constructor from the port's type (round, then overflow, with result_t's modes).
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class Pack final : public Layer {
 public:
  /// Throws ModelError without inputs.
  Pack(std::string name, std::vector<ArraySpec> inputs, FixedType result_t);
  [[nodiscard]] std::string_view class_name() const override { return "Pack"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Wiring; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
};

}  // namespace l1emu::emu
