#pragma once
// Conv2D and Conv1D, io_parallel with hls4ml's Latency strategy (nnet::conv_2d_latency_cl /
// conv_1d_latency_cl with the generated im2col fill_buffer): for each output pixel the window is
// gathered in Keras kernel order and handed to the Dense rule (bias first, every product and every
// partial sum ->accum_t, k = 0..K-1 in order). shared/golden/hls4ml2/README.md, "Conv2D", "Conv1D".
// The Resource strategy (conv_2d_resource_cl / conv_1d_resource_cl, nnet_conv2d_resource.h, the
// same in hls4ml 0.8.1, 1.0.0 and 1.1) runs dense_resource_rf_leq_nin's reuse loop over the window
// vector: with R dividing K, every filter adds window elements k = r, r+R, ... for r = 0..R-1.
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layer.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/window_geometry.h"

namespace l1emu::emu {

/// What Conv2D and Conv1D share; a Conv1D is the rank-1 geometry (height 1).
class Convolution : public Layer {
 public:
  struct Config {
    WindowGeometry geometry;  // channels = n_chan, window = filt_height x filt_width
    std::size_t n_filt = 0;
    FixedType weight_t, bias_t, accum_t, result_t;
    std::vector<BigInt> weights;  // codes in weight_t, index k*n_filt + f with k = (kh*filt_width + kw)*n_chan + c
    std::vector<BigInt> biases;   // codes in bias_t, n_filt of them
    DenseStrategy strategy = DenseStrategy::Latency;
    std::size_t reuse_factor = 1;  // Resource: R, with R dividing K (weights stay in Keras layout here)
  };
  Convolution(std::string name, ArraySpec input, Config config);

  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Convolution; }
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }
  /// K = filt_height*filt_width*n_chan: the length of one window.
  [[nodiscard]] std::size_t window_size() const {
    return config_.geometry.window_height * config_.geometry.window_width * config_.geometry.channels;
  }
  /// The input index of window element k of output pixel p = oh*out_width + ow, or -1 for a padded cell.
  [[nodiscard]] long window_input(std::size_t pixel, std::size_t k) const;
  /// The window elements k in the order every filter adds them: 0..K-1 for Latency, the
  /// conv_*_resource_cl order for Resource.
  [[nodiscard]] const std::vector<std::size_t>& accumulation_order() const { return order_; }

 protected:
  static std::unique_ptr<Layer> parse_rank(LayerBuildContext& context, int rank);

 private:
  Config config_;
  std::vector<std::size_t> order_;
};

class Conv2D final : public Convolution {
 public:
  using Convolution::Convolution;
  [[nodiscard]] std::string_view class_name() const override { return "Conv2D"; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context) { return parse_rank(context, 2); }
};

class Conv1D final : public Convolution {
 public:
  using Convolution::Convolution;
  [[nodiscard]] std::string_view class_name() const override { return "Conv1D"; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context) { return parse_rank(context, 1); }
};

}  // namespace l1emu::emu
