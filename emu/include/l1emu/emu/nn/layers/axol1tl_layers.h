#pragma once
// Layers of the AXOL1TL emulator packages (shared/golden/axol1tl/README.md): the input scaling of
// the wrapper and its sum-of-squares score (later versions also use the merge layers Subtract and Dot,
// nn/layers/merge.h).
#include "l1emu/emu/nn/layers/merge.h"
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

/// _scaleNNInputs: tmp = (x - offset)->unscaled_t; tmp >>= shift (on the raw code, in unscaled_t);
/// y = tmp->result_t.
class InputScale final : public Layer {
 public:
  struct Config {
    FixedType offset_t, shift_t, unscaled_t, result_t;
    std::vector<BigInt> offsets;  // codes in offset_t
    std::vector<int> shifts;      // the integer part of each shift_t value
  };
  InputScale(std::string name, ArraySpec input, Config config);
  [[nodiscard]] std::string_view class_name() const override { return "InputScale"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::AddShift; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }

 private:
  Config config_;
};

/// _computeLoss: sq[i] = (x[i]*x[i])->result_t, then nnet::reduce with Op_add<result_t>.
class SumSquares final : public Layer {
 public:
  SumSquares(std::string name, ArraySpec input, FixedType result_t);
  [[nodiscard]] std::string_view class_name() const override { return "SumSquares"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::ProductTree; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
};

}  // namespace l1emu::emu
