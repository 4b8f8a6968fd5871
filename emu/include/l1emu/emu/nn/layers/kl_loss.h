#pragma once
// KLLoss: the custom layer of hls4ml branch AE_L1_paper (nnet_distance.h, nnet::klloss) that turns
// the VAE latent (mean, log variance) into the anomaly score -0.5 * mean_i(1 + v - e^v - m^2).
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class KLLoss final : public Layer {
 public:
  struct Config {
    FixedType accum_t, exp_table_t, result_t;
    int table_size = 1024;
    int exp_range = 8;
  };
  /// inputs: [mean, log_var], two arrays of equal size.
  KLLoss(std::string name, std::vector<ArraySpec> inputs, Config config);

  [[nodiscard]] std::string_view class_name() const override { return "KLLoss"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::ExpTableScore; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] const std::vector<BigInt>& exp_table() const { return exp_table_; }

 private:
  Config config_;
  std::vector<BigInt> exp_table_;  // codes in exp_table_t
};

}  // namespace l1emu::emu
