#pragma once
// FixedPointQuantizer: HGQ's heterogeneous (per-element) activation quantizer, as hls4ml writes it
// for io_parallel (hls4ml/backends/fpga/passes/hgq_proxy_model.py, generate_mask_fn): a function in
// nnet_utils/nnet_code_gen.h with one statement per element,
//   out[i] = 0;                                        // b == 0: the element is pruned
//   out[i] = ap_[u]fixed<b,i,AP_RND,AP_SAT>(inp[i]);   // k, b, i of element i
// so element i is converted into its own type (round, then overflow) and that value assigned to
// output_t (a second conversion), or set to the constant 0. One rounding and one overflow mode serve
// every element (the quantizer's RND and SAT).
#include <memory>
#include <optional>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class FixedPointQuantizer final : public Layer {
 public:
  struct Config {
    /// One per input element: its own type, or nullopt for `out[i] = 0;`.
    std::vector<std::optional<FixedType>> element_t;
    FixedType result_t;
  };
  /// Throws ModelError unless there is one entry per input element and the element types share
  /// their rounding mode, overflow mode and saturation bits (as hls4ml writes them).
  FixedPointQuantizer(std::string name, ArraySpec input, Config config);
  [[nodiscard]] std::string_view class_name() const override { return "FixedPointQuantizer"; }
  // A rounding addition and an overflow check per element (none for AP_TRN / AP_WRAP: wiring).
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::AddShift; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }

 private:
  Config config_;
};

}  // namespace l1emu::emu
