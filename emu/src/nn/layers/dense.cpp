#include "l1emu/emu/nn/layers/dense.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {

// dense_resource_rf_leq_nin (nnet_dense_resource.h): with B = ceil(n_in*n_out/R) block factor and
// S = B/n_out multiplier scale, reuse pass r walks w_index = r, r+R, ... over the transposed kernel
// Wt[j*n_in + i]; in_index steps by R and wraps back to r, out_index advances every S products.
// The per-output sequence of inputs is what fixes the result (products and sums are each assigned
// to accum_t); shared/golden/hls4ml2/README.md, "Dense, Resource".
std::vector<std::vector<std::size_t>> dense_resource_order(std::size_t n_in, std::size_t n_out, std::size_t rf) {
  std::vector<std::vector<std::size_t>> order(n_out);
  const std::size_t block = (n_in * n_out + rf - 1) / rf;
  const std::size_t scale = block / n_out;
  for (std::size_t r = 0; r < rf; ++r) {
    std::size_t in_index = r, out_index = 0, step = 0;
    for (std::size_t b = 0; b < block; ++b) {
      if (out_index < n_out) order[out_index].push_back(in_index);
      in_index += rf;
      if (in_index >= n_in) in_index = r;
      if (step + 1 >= scale) {
        step = 0;
        ++out_index;
      } else {
        ++step;
      }
    }
  }
  return order;
}

// The kernel nnet::dense_resource picks (nnet_dense_resource.h).
std::string resource_kernel_name(std::size_t n_in, std::size_t rf) {
  if (rf <= n_in) return "DenseResource_rf_leq_nin";
  return rf % n_in == 0 ? "DenseResource_rf_gt_nin_rem0" : "DenseResource_rf_gt_nin";
}

Dense::Dense(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {std::move(input)}, config.result_t, config.n_out), config_(std::move(config)) {
  set_shape({config_.n_out});  // io_parallel Dense reads its input flat, whatever its shape
  const std::size_t n_in = inputs()[0].size, n_out = config_.n_out;
  if (config_.strategy == DenseStrategy::Latency) return;  // inputs in order: no list kept
  const std::size_t rf = config_.reuse_factor;
  if (rf > n_in) {
    // dense_resource_rf_gt_nin_rem0 and dense_resource_rf_gt_nin pair x[w_index % n_in] with
    // Wt[w_index] and add every product, converted to accum_t, in orders of their own (the second
    // through per-pass partial sums in accum_t). With a wrapping accum_t every order gives the same
    // sum (addition modulo 2^W), so the inputs' order computes it; a saturating one is refused.
    if (config_.accum_t.overflow != Overflow::Wrap) {
      throw ModelError("layer '" + this->name() + "': Resource Dense with reuse factor " + std::to_string(rf) + " > " + std::to_string(n_in) +
                       " inputs and a saturating accum_t " + config_.accum_t.to_string() +
                       " is not reproduced (the rf_gt_nin kernels' order of additions matters then)");
    }
    return;
  }
  // The rf_leq_nin kernel pairs x[in_index] with Wt[w_index]; they name the same input when R
  // divides n_in (then w_index = out_index*n_in + in_index throughout). Other reuse factors take
  // other hls4ml kernels, whose orders are not reproduced yet: refuse rather than guess.
  if (rf < 1 || rf > n_in || n_in % rf != 0) {
    throw ModelError("layer '" + this->name() + "': Resource Dense with reuse factor " + std::to_string(rf) + " for " +
                     std::to_string(n_in) + " inputs is not reproduced (only dense_resource_rf_leq_nin with R dividing n_in)");
  }
  order_ = dense_resource_order(n_in, n_out, rf);
  for (const auto& o : order_) {
    if (o.size() != n_in) throw ModelError("layer '" + this->name() + "': Resource Dense order does not cover every input");
  }
}

std::unique_ptr<Layer> Dense::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& f = c.params;
  Config cfg;
  cfg.n_out = f.count("n_out");
  cfg.weight_t = f.type("weight_t");
  cfg.bias_t = f.type("bias_t");
  cfg.accum_t = f.type("accum_t");
  cfg.result_t = f.type("result_t");
  cfg.weights = f.codes("weight", {c.inputs[0].size, cfg.n_out}, cfg.weight_t);
  cfg.biases = f.codes("bias", {cfg.n_out}, cfg.bias_t);
  const std::string strategy = f.string_or("strategy", "latency");
  if (strategy == "resource" || strategy == "Resource") {
    cfg.strategy = DenseStrategy::Resource;
    cfg.reuse_factor = static_cast<std::size_t>(f.integer_in("reuse_factor", 1, 1L << 24));
    const std::string expected = resource_kernel_name(c.inputs[0].size, cfg.reuse_factor);
    if (const std::string kernel = f.string_or("kernel", expected); kernel != expected) {
      f.fail("kernel", "hls4ml runs " + expected + " for reuse factor " + std::to_string(cfg.reuse_factor) + " and " +
                           std::to_string(c.inputs[0].size) + " inputs, found \"" + kernel + "\"");
    }
  } else if (strategy == "latency" || strategy == "Latency") {
    // Latency with reuse > 1 computes the same sums in the same order; the factor is kept for the
    // timing estimate (II and multiplier limit).
    cfg.reuse_factor = f.has("reuse_factor") ? static_cast<std::size_t>(f.integer_in("reuse_factor", 1, 1L << 24)) : 1;
    if (f.has("n_zeros")) cfg.n_zeros = f.integer_in("n_zeros", 0, static_cast<long>(c.inputs[0].size * cfg.n_out));
  } else {
    f.fail("strategy", "expected \"latency\" or \"resource\", found \"" + strategy + "\"");
  }
  std::unique_ptr<Layer> layer;
  try {
    layer = std::make_unique<Dense>(c.name, c.inputs[0], std::move(cfg));
  } catch (const ModelError& e) {
    f.fail("reuse_factor", e.what());
  }
  return layer;
}

void Dense::write_params(LayerParamWriter& out) const {
  const auto& c = config_;
  out.integer("n_out", static_cast<long>(c.n_out));
  out.codes("weight", c.weights, c.weight_t, {inputs()[0].size, c.n_out});
  out.codes("bias", c.biases, c.bias_t, {c.n_out});
  out.type("weight_t", c.weight_t);
  out.type("bias_t", c.bias_t);
  out.type("accum_t", c.accum_t);
  if (c.strategy == DenseStrategy::Resource) {
    out.string("strategy", "resource");
    out.integer("reuse_factor", static_cast<long>(c.reuse_factor));
    out.string("kernel", resource_kernel_name(inputs()[0].size, c.reuse_factor));
  } else if (c.reuse_factor > 1) {
    out.integer("reuse_factor", static_cast<long>(c.reuse_factor));  // the project's, for the timing estimate
    if (c.n_zeros >= 0) out.integer("n_zeros", c.n_zeros);
  }
}

std::vector<BigInt> Dense::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const std::size_t n_in = x.size();
  const std::size_t n_out = config_.n_out;
  const FixedType& acc_t = config_.accum_t;
  std::vector<BigInt> y(n_out);
  for (std::size_t j = 0; j < n_out; ++j) {
    // acc[j] = (accum_t) biases[j]
    BigInt acc = convert_code(config_.biases[j], config_.bias_t, acc_t);
    for (std::size_t t = 0; t < n_in; ++t) {
      const std::size_t i = order_.empty() ? t : order_[j][t];
      // mult[i*n_out+j] = (accum_t)(data[i] * weights[i*n_out+j]): the product is exact, then assigned.
      const ExactValue product = multiply(x.value(i), ExactValue::of(config_.weights[i * n_out + j], config_.weight_t));
      const BigInt mult = convert(product, acc_t);
      // acc[j] += mult: exact sum, assigned back to accum_t after every term (order matters under SAT).
      acc = convert(add(ExactValue::of(acc, acc_t), ExactValue::of(mult, acc_t)), acc_t);
    }
    // res[j] = (res_T) acc[j]
    y[j] = convert_code(acc, acc_t, config_.result_t);
  }
  return y;
}

}  // namespace l1emu::emu
