#pragma once
// KLLoss: the custom layer of hls4ml branch AE_L1_paper (nnet_distance.h, nnet::klloss) that turns
// the VAE latent (mean, log variance) into the anomaly score -0.5 * mean_i(1 + v - e^v - m^2).
#include <memory>
#include <optional>
#include <string>
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

  /// A table setting outside what the layer can evaluate: the key and what was expected.
  struct TableProblem {
    std::string key, expected;
  };
  /// The one check of the table settings, made by every reader of a model (model.json, hls4ml
  /// projects) before the layer is built: N >= 2 keeps the index clamp [0, N-1] inside the table,
  /// R >= 1 keeps table_scale = N / (2R) finite, and the upper bounds keep the table's memory sane.
  [[nodiscard]] static std::optional<TableProblem> check_table(long table_size, long exp_range);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] const std::vector<BigInt>& exp_table() const { return exp_table_; }

 private:
  Config config_;
  std::vector<BigInt> exp_table_;  // codes in exp_table_t
};

}  // namespace l1emu::emu
