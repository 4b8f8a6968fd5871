#pragma once
// DoubleScale: input scaling computed in C doubles, as the TOPO emulator packages write it
// (topo_emulator_*.cpp, _scaleNNInputs):
//   double tmp0 = unscaled[i] - bias[i];   // ap_fixed - int: exact, then converted to double
//   double tmp1 = tmp0 / norm[i];          // IEEE double division
//   scaled[i] = static_cast<input_t>(tmp1); // ap_fixed's constructor from double
// The first conversion is exact because the input type is at most 52 bits wide (checked); the
// division is the same IEEE operation here as in the C++.
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class DoubleScale final : public Layer {
 public:
  struct Config {
    std::vector<long> offsets;   // bias[i], integers
    std::vector<long> divisors;  // norm[i], nonzero integers
    FixedType result_t;
  };
  DoubleScale(std::string name, ArraySpec input, Config config);
  [[nodiscard]] std::string_view class_name() const override { return "DoubleScale"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::ConstantProduct; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }

 private:
  Config config_;
};

}  // namespace l1emu::emu
