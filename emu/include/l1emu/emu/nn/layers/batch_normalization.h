#pragma once
// BatchNormalization (nnet::normalize) with folded parameters scale = gamma/sqrt(var+eps),
// bias = beta - scale*mean.
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
  };
  BatchNormalization(std::string name, ArraySpec input, Config config);

  [[nodiscard]] std::string_view class_name() const override { return "BatchNormalization"; }
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }

 private:
  Config config_;
};

}  // namespace l1emu::emu
