#pragma once
// Dense, io_parallel: hls4ml's Latency strategy (nnet::dense_latency) and its Resource strategy
// (nnet::dense_resource_rf_leq_nin), which differ only in the order the products are accumulated.
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

enum class DenseStrategy { Latency, Resource };

/// dense_resource_rf_leq_nin's accumulation order (nnet_dense_resource.h) for n_in inputs, n_out
/// outputs and reuse factor rf: for each output j, the inputs in the order their products are added.
/// Also the order of conv_1d_resource_cl / conv_2d_resource_cl over a window (n_in = K, n_out = n_filt).
[[nodiscard]] std::vector<std::vector<std::size_t>> dense_resource_order(std::size_t n_in, std::size_t n_out, std::size_t rf);
/// The kernel nnet::dense_resource runs for n_in inputs and reuse factor rf (DenseResource_rf_leq_nin,
/// DenseResource_rf_gt_nin_rem0 or DenseResource_rf_gt_nin).
[[nodiscard]] std::string resource_kernel_name(std::size_t n_in, std::size_t rf);

class Dense final : public Layer {
 public:
  struct Config {
    std::size_t n_out = 0;
    FixedType weight_t, bias_t, accum_t, result_t;
    std::vector<BigInt> weights;  // codes in weight_t, index i*n_out + j (Keras kernel layout)
    std::vector<BigInt> biases;   // codes in bias_t, n_out of them
    DenseStrategy strategy = DenseStrategy::Latency;
    /// The project's config<N>::reuse_factor (parameters.h). Resource: R, with R <= n_in
    /// (dense_resource_rf_leq_nin). Latency: no effect on the arithmetic; it sets the pipeline's II and,
    /// through hls4ml's multiplier_limit, how many multipliers HLS may use (the timing estimate).
    std::size_t reuse_factor = 1;
    /// The project's config<N>::n_zeros (hls4ml counts the zero weights before quantizing them, so it
    /// may differ from the zero codes here: model_1 `hls4ml_prj_2` says 0); -1 when not stated. It
    /// enters hls4ml's multiplier_limit (the timing estimate).
    long n_zeros = -1;
  };
  Dense(std::string name, ArraySpec input, Config config);

  [[nodiscard]] std::string_view class_name() const override { return "Dense"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Dense; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }
  /// Resource: for each output j, the inputs i in the order their products are added; empty for
  /// Latency, which adds them in input order.
  [[nodiscard]] const std::vector<std::vector<std::size_t>>& accumulation_order() const { return order_; }

 private:
  Config config_;
  std::vector<std::vector<std::size_t>> order_;
};

}  // namespace l1emu::emu
