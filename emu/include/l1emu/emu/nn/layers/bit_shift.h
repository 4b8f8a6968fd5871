#pragma once
// BitShift: `y[i] = x[i] >> s[i]` on ap_fixed / ap_ufixed values, one shift per element, as
// hand-written top functions pre-scale their inputs (the ATLAS L1Topo AD projects:
// `inputs[k] = preshift[k] >> 7;`). Xilinx's ap_fixed_base::operator>>(int) returns the same type
// with its raw bits shifted: a positive s shifts right arithmetically (the bits below the LSB are
// dropped, i.e. floor), a negative s shifts left by -s and keeps the low W bits (wraps). The
// type's quantization and overflow modes play no part (ap_fixed_base.h applies them only under
// __SC_COMPATIBLE__, which no hls4ml build defines). So the result type is the input type; the
// assignment to another array is a Linear after it.
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class BitShift final : public Layer {
 public:
  /// `right_shifts[i]`: s of element i (negative: a left shift). Throws ModelError unless there is
  /// one per input element, each |s| below the type's width, and the type is ap_fixed / ap_ufixed.
  BitShift(std::string name, ArraySpec input, std::vector<long> right_shifts);
  [[nodiscard]] std::string_view class_name() const override { return "BitShift"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Wiring; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const std::vector<long>& right_shifts() const { return right_shifts_; }

 private:
  std::vector<long> right_shifts_;
};

}  // namespace l1emu::emu
