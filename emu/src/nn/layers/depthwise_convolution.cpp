// DepthwiseConv2D and DepthwiseConv1D, io_parallel: hls4ml's depthwise_conv_2d_cl /
// depthwise_conv_1d_cl (nnet_sepconv2d.h, nnet_sepconv1d.h; hls4ml 1.0 and later, Latency strategy:
// depthwise_conv_2d_latency_cl / depthwise_conv_1d_latency_cl). A SeparableConv is this layer
// followed by a pointwise Conv (hls4ml's separable_conv_*_cl calls the two in turn, and its
// converter splits the Keras layer in two: seperable_to_dw_conv.py).
//
// The statements, for each output pixel (the im2col buffer of the conv layers, k = (kh*filt_width +
// kw)*n_chan + c, padded cells 0):
//   mult[k] = (accum_t)(data_buf[k] * weights[k]);          // one weight per window element
//   acc[f] = (accum_t) biases[f];                           // n_filt == n_chan: hls4ml asserts
//   for i_in < filt_height*filt_width: acc[f] += mult[i_in*n_filt + f];   // -> accum_t each time
//   res = (res_T) acc[f];
// Filter f thus adds the products of channel f only, position by position: exactly the Conv
// rule (Convolution::evaluate, k = 0..K-1 in order) on the kernel whose weight (k, f) is the
// depthwise weight k where f == k % n_chan and 0 elsewhere, because a zero product converts to 0
// and acc + 0 -> accum_t is acc. So the layer is that Convolution (its reference rule, its compiled
// kernels, which skip zero weights, and its timing rule) and only reads and writes the Keras
// depthwise kernel (filt_height, filt_width, n_chan, 1).
//
// Not reproduced, and refused: a depth multiplier above 1 (hls4ml asserts it away) and the
// Resource strategy (depthwise_conv_*_cl asserts "Resource strategy ... is not supported").
#include "l1emu/emu/nn/layer_catalogue.h"
#include "l1emu/emu/nn/layers/convolution.h"

namespace l1emu::emu {
namespace {

constexpr WindowKeys kDepthwiseKeys{"n_chan", "filt_height", "filt_width"};

// The Keras depthwise kernel's shape: (filt_height, filt_width, n_chan, 1), or (filt_width, n_chan, 1).
std::vector<std::size_t> depthwise_kernel_dims(const WindowGeometry& g) {
  if (g.rank == 1) return {g.window_width, g.channels, 1};
  return {g.window_height, g.window_width, g.channels, 1};
}

class DepthwiseConvolution final : public Convolution {
 public:
  DepthwiseConvolution(std::string name, ArraySpec input, Config config, std::vector<BigInt> depthwise_weights)
      : Convolution(std::move(name), std::move(input), std::move(config)), depthwise_weights_(std::move(depthwise_weights)) {}

  [[nodiscard]] std::string_view class_name() const override {
    return config().geometry.rank == 2 ? "DepthwiseConv2D" : "DepthwiseConv1D";
  }

  void write_params(LayerParamWriter& out) const override {
    const auto& c = config();
    c.geometry.write(out, kDepthwiseKeys);
    out.codes("weight", depthwise_weights_, c.weight_t, depthwise_kernel_dims(c.geometry));
    out.codes("bias", c.biases, c.bias_t, {c.n_filt});
    out.type("weight_t", c.weight_t);
    out.type("bias_t", c.bias_t);
    out.type("accum_t", c.accum_t);
  }

 private:
  std::vector<BigInt> depthwise_weights_;  // index k = (kh*filt_width + kw)*n_chan + c
};

std::unique_ptr<Layer> parse_depthwise(LayerBuildContext& context, int rank) {
  context.require_inputs(1);
  auto& f = context.params;
  Convolution::Config cfg;
  cfg.geometry = WindowGeometry::read(f, rank, context.inputs[0], kDepthwiseKeys);
  const std::size_t n_chan = cfg.geometry.channels;
  // hls4ml's config carries n_filt = n_chan * depth_multiplier and asserts n_filt == n_chan.
  if (f.has("n_filt") && f.count("n_filt") != n_chan) {
    f.fail("n_filt", "a depthwise convolution with depth multiplier " + std::to_string(f.count("n_filt")) + "/" + std::to_string(n_chan) +
                         " is not reproduced: hls4ml's depthwise_conv kernels assert n_filt == n_chan");
  }
  const std::string strategy = f.string_or("strategy", "latency");
  if (strategy != "latency" && strategy != "Latency" && strategy != "distributed_arithmetic") {
    f.fail("strategy", "expected \"latency\" (hls4ml's depthwise_conv_*_cl asserts that the Resource strategy is not supported), found \"" +
                           strategy + "\"");
  }
  f.ignore({"reuse_factor"});  // the Latency kernel computes the same sums whatever the reuse factor
  cfg.n_filt = n_chan;
  cfg.weight_t = f.type("weight_t");
  cfg.bias_t = f.type("bias_t");
  cfg.accum_t = f.type("accum_t");
  cfg.result_t = f.type("result_t");
  std::vector<BigInt> depthwise = f.codes("weight", depthwise_kernel_dims(cfg.geometry), cfg.weight_t);
  cfg.biases = f.codes("bias", {n_chan}, cfg.bias_t);
  // The equal Conv kernel: weight (k, f) is depthwise[k] on the diagonal f == k % n_chan, else 0.
  cfg.weights.assign(depthwise.size() * n_chan, BigInt(0));
  for (std::size_t k = 0; k < depthwise.size(); ++k) cfg.weights[k * n_chan + k % n_chan] = depthwise[k];
  return std::make_unique<DepthwiseConvolution>(context.name, context.inputs[0], std::move(cfg), std::move(depthwise));
}

}  // namespace

std::unique_ptr<Layer> parse_depthwise_conv2d(LayerBuildContext& context) { return parse_depthwise(context, 2); }
std::unique_ptr<Layer> parse_depthwise_conv1d(LayerBuildContext& context) { return parse_depthwise(context, 1); }

}  // namespace l1emu::emu
