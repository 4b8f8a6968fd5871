#pragma once
// BatchNormalization (nnet::normalize) with folded parameters scale = gamma/sqrt(var+eps),
// bias = beta - scale*mean.
#include <memory>
#include <string_view>
#include <vector>

#include "l1emu/emu/nn/flavor.h"
#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

/// How often nnet::normalize rounds to res_T; it depends on the hls4ml release, not on the model.
enum class BatchNormRounding {
  Once,   // hls4ml >= 0.7: product<data_T, scale_t> returns decltype(a*w), so res = (res_T)(x*scale + bias)
  Twice,  // hls4ml 0.5/0.6 and AE_L1_paper: product<data_T, scale_t, res_T> returns res_T, so
          // res = (res_T)((res_T)(x*scale) + bias)
};

[[nodiscard]] constexpr std::string_view to_string(BatchNormRounding r) { return r == BatchNormRounding::Once ? "once" : "twice"; }
/// What a model-level flavour implies when nothing else is said (shared/golden/README.md).
[[nodiscard]] constexpr BatchNormRounding default_rounding(Flavor f) {
  return f == Flavor::Head ? BatchNormRounding::Once : BatchNormRounding::Twice;
}

class BatchNormalization final : public Layer {
 public:
  struct Config {
    BatchNormRounding rounding = BatchNormRounding::Once;
    FixedType scale_t, bias_t, result_t;
    std::vector<BigInt> scale;  // codes in scale_t
    std::vector<BigInt> bias;   // codes in bias_t
    long n_filt = -1;           // -1: one scale and bias per element; else per channel, element i uses i % n_filt
  };
  BatchNormalization(std::string name, ArraySpec input, Config config);

  [[nodiscard]] std::string_view class_name() const override { return "BatchNormalization"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Normalize; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }
  /// Index into scale/bias of element i.
  [[nodiscard]] std::size_t parameter_index(std::size_t i) const { return config_.n_filt < 0 ? i : i % static_cast<std::size_t>(config_.n_filt); }

 private:
  Config config_;
};

}  // namespace l1emu::emu
