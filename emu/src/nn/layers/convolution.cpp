#include "l1emu/emu/nn/layers/convolution.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {
namespace {

constexpr WindowKeys kConvKeys{"n_chan", "filt_height", "filt_width"};

// The Keras kernel shape: (filt_height, filt_width, n_chan, n_filt), or (filt_width, n_chan, n_filt).
std::vector<std::size_t> kernel_dims(const WindowGeometry& g, std::size_t n_filt) {
  if (g.rank == 1) return {g.window_width, g.channels, n_filt};
  return {g.window_height, g.window_width, g.channels, n_filt};
}

}  // namespace

Convolution::Convolution(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {std::move(input)}, config.result_t, config.geometry.out_height * config.geometry.out_width * config.n_filt),
      config_(std::move(config)) {
  const auto& g = config_.geometry;
  if (inputs()[0].size != g.input_size()) throw ModelError("layer '" + this->name() + "': the input size does not match the geometry");
  if (config_.weights.size() != window_size() * config_.n_filt || config_.biases.size() != config_.n_filt) {
    throw ModelError("layer '" + this->name() + "': expected " + std::to_string(window_size() * config_.n_filt) + " weights and " +
                     std::to_string(config_.n_filt) + " biases");
  }
  set_shape(g.output_dims(config_.n_filt));
  const std::size_t n_k = window_size();
  if (config_.strategy == DenseStrategy::Latency) {
    for (std::size_t k = 0; k < n_k; ++k) order_.push_back(k);
    return;
  }
  // conv_*_resource_cl: acc[i_pxl][i_out] += (accum_t)(data_buf[i_pxl][i_in] * weights[i_w]) with
  // i_in = i_rf + R*step and i_w = i_out*K + i_in (the (F, K) kernel hls4ml writes transposed)
  // only when R divides K; hls4ml accepts other factors (R <= K with block_factor % n_filt == 0),
  // where i_in wraps and pairs inputs with other filters' weights: refused rather than guessed.
  const std::size_t rf = config_.reuse_factor;
  if (rf < 1 || rf > n_k || n_k % rf != 0) {
    throw ModelError("layer '" + this->name() + "': Resource convolution with reuse factor " + std::to_string(rf) + " for a window of " +
                     std::to_string(n_k) + " inputs is not reproduced (only reuse factors dividing filt_height*filt_width*n_chan)");
  }
  const auto orders = dense_resource_order(n_k, config_.n_filt, rf);
  for (const auto& o : orders) {
    if (o != orders.front() || o.size() != n_k) throw ModelError("layer '" + this->name() + "': Resource convolution order does not cover the window");
  }
  order_ = orders.front();
}

long Convolution::window_input(std::size_t pixel, std::size_t k) const {
  const auto& g = config_.geometry;
  // fill_buffer's im2col order: k = (kh*filt_width + kw)*n_chan + c, the channel fastest.
  const std::size_t c = k % g.channels;
  const std::size_t kw = (k / g.channels) % g.window_width;
  const std::size_t kh = k / (g.channels * g.window_width);
  const long r = g.row(pixel / g.out_width, kh);
  const long q = g.column(pixel % g.out_width, kw);
  return g.inside(r, q) ? static_cast<long>(g.input_index(r, q, c)) : -1;
}

std::unique_ptr<Layer> Convolution::parse_rank(LayerBuildContext& c, int rank) {
  c.require_inputs(1);
  auto& f = c.params;
  Config cfg;
  cfg.geometry = WindowGeometry::read(f, rank, c.inputs[0], kConvKeys);
  cfg.n_filt = f.count("n_filt");
  cfg.weight_t = f.type("weight_t");
  cfg.bias_t = f.type("bias_t");
  cfg.accum_t = f.type("accum_t");
  cfg.result_t = f.type("result_t");
  cfg.weights = f.codes("weight", kernel_dims(cfg.geometry, cfg.n_filt), cfg.weight_t);
  cfg.biases = f.codes("bias", {cfg.n_filt}, cfg.bias_t);
  const std::string strategy = f.string_or("strategy", "latency");
  if (strategy == "resource" || strategy == "Resource") {
    cfg.strategy = DenseStrategy::Resource;
    cfg.reuse_factor = static_cast<std::size_t>(f.integer_in("reuse_factor", 1, 1L << 24));
  } else if (strategy == "latency" || strategy == "Latency") {
    f.ignore({"reuse_factor"});  // Latency with reuse > 1 computes the same sums in the same order
  } else {
    f.fail("strategy", "expected \"latency\" or \"resource\", found \"" + strategy + "\"");
  }
  const bool resource = cfg.strategy == DenseStrategy::Resource;
  std::unique_ptr<Layer> layer;
  try {
    if (rank == 2) {
      layer = std::make_unique<Conv2D>(c.name, c.inputs[0], std::move(cfg));
    } else {
      layer = std::make_unique<Conv1D>(c.name, c.inputs[0], std::move(cfg));
    }
  } catch (const ModelError& e) {
    if (resource) f.fail("reuse_factor", e.what());
    throw;
  }
  return layer;
}

void Convolution::write_params(LayerParamWriter& out) const {
  const auto& c = config_;
  c.geometry.write(out, kConvKeys);
  out.integer("n_filt", static_cast<long>(c.n_filt));
  out.codes("weight", c.weights, c.weight_t, kernel_dims(c.geometry, c.n_filt));
  out.codes("bias", c.biases, c.bias_t, {c.n_filt});
  out.type("weight_t", c.weight_t);
  out.type("bias_t", c.bias_t);
  out.type("accum_t", c.accum_t);
  if (c.strategy == DenseStrategy::Resource) {
    out.string("strategy", "resource");
    out.integer("reuse_factor", static_cast<long>(c.reuse_factor));
  } else {
    out.string("strategy", "latency");
  }
}

std::vector<BigInt> Convolution::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const auto& g = config_.geometry;
  const std::size_t n_filt = config_.n_filt;
  const FixedType& acc_t = config_.accum_t;
  std::vector<BigInt> y(output_size());
  for (std::size_t pixel = 0; pixel < g.out_height * g.out_width; ++pixel) {
    for (std::size_t f = 0; f < n_filt; ++f) {
      // dense_latency on the window (Resource: its reuse loop): acc = (accum_t) biases[f]
      BigInt acc = convert_code(config_.biases[f], config_.bias_t, acc_t);
      for (const std::size_t k : order_) {
        // A padded cell is 0 in the im2col buffer: its product is 0 and acc + 0 -> accum_t is acc.
        const long i = window_input(pixel, k);
        if (i < 0) continue;
        // mult = (accum_t)(data[k] * weights[k*n_filt + f]); acc = (accum_t)(acc + mult)
        // (Resource: acc += (accum_t)(data_buf[i_in] * Wt[f*K + k]), the same two conversions)
        const ExactValue product =
            multiply(x.value(static_cast<std::size_t>(i)), ExactValue::of(config_.weights[k * n_filt + f], config_.weight_t));
        const BigInt mult = convert(product, acc_t);
        acc = convert(add(ExactValue::of(acc, acc_t), ExactValue::of(mult, acc_t)), acc_t);
      }
      // res[pixel*n_filt + f] = (res_T) acc (Resource: cast<data_T, res_T, mult_config>(acc), the same
      // conversion when mult_config::accum_t is accum_t, as hls4ml generates it)
      y[pixel * n_filt + f] = convert_code(acc, acc_t, config_.result_t);
    }
  }
  return y;
}

}  // namespace l1emu::emu
