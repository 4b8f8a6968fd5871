#pragma once
// BatchNormalization (nnet::normalize) with folded parameters scale = gamma/sqrt(var+eps),
// bias = beta - scale*mean.
#include <memory>
#include <vector>

#include "l1emu/emu/nn/flavor.h"
#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class BatchNormalization final : public Layer {
 public:
  struct Config {
    Flavor flavor = Flavor::Head;
    FixedType scale_t, bias_t, result_t;
    std::vector<BigInt> scale;  // codes in scale_t
    std::vector<BigInt> bias;   // codes in bias_t
    long n_filt = -1;           // -1: one scale and bias per element; else per channel, element i uses i % n_filt
  };
  BatchNormalization(std::string name, ArraySpec input, Config config);

  [[nodiscard]] std::string_view class_name() const override { return "BatchNormalization"; }
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
