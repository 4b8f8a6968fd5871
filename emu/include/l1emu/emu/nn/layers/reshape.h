#pragma once
// Flatten and Reshape: identity on the codes (shared/golden/hls4ml2/README.md, "Flatten,
// Reshape"). In io_parallel hls4ml makes them a C++ reference to the input array, so there is no
// conversion and result_t must be the input's type; only the shape changes.
#include <memory>

#include "l1emu/emu/nn/layers/gather_layer.h"

namespace l1emu::emu {

class Reshape final : public GatherLayer {
 public:
  /// `flatten`: the class is Flatten (the output is one-dimensional).
  Reshape(std::string name, ArraySpec input, bool flatten);
  [[nodiscard]] std::string_view class_name() const override { return flatten_ ? "Flatten" : "Reshape"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Wiring; }
  template <bool Flatten>
  static std::unique_ptr<Layer> parse(LayerBuildContext& context) {
    return parse_as(context, Flatten);
  }
  void write_params(LayerParamWriter& /*out*/) const override {}

 private:
  static std::unique_ptr<Layer> parse_as(LayerBuildContext& context, bool flatten);
  bool flatten_;
};

}  // namespace l1emu::emu
