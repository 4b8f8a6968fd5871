#include "l1emu/emu/nn/layers/batch_normalization.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {

BatchNormalization::BatchNormalization(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size), config_(std::move(config)) {
  const std::size_t n = config_.n_filt < 0 ? input.size : static_cast<std::size_t>(config_.n_filt);
  if (config_.n_filt == 0 || input.size % n != 0 || config_.scale.size() != n || config_.bias.size() != n) {
    throw ModelError("layer '" + this->name() + "': BatchNormalization needs one scale and bias per element or per channel");
  }
}

std::unique_ptr<Layer> BatchNormalization::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& f = c.params;
  Config cfg;
  // The model's flavor gives the default; "rounding" says it for this layer (an hls4ml 0.7/0.8
  // project rounds once, as head does, but types LeakyReLU's alpha as data_T, as paper does).
  cfg.rounding = default_rounding(c.flavor);
  const std::string rounding = f.string_or("rounding", "");
  if (rounding == "once") {
    cfg.rounding = BatchNormRounding::Once;
  } else if (rounding == "twice") {
    cfg.rounding = BatchNormRounding::Twice;
  } else if (!rounding.empty()) {
    f.fail("rounding", "expected \"once\" or \"twice\", found \"" + rounding + "\"");
  }
  cfg.scale_t = f.type("scale_t");
  cfg.bias_t = f.type("bias_t");
  cfg.result_t = f.type("result_t");
  // n_filt: nnet::normalize's per-channel form (index i % n_filt, channels last); -1 per element.
  cfg.n_filt = f.integer_or("n_filt", -1);
  const std::size_t n = c.inputs[0].size;
  if (cfg.n_filt == 0 || cfg.n_filt < -1 || (cfg.n_filt > 0 && n % static_cast<std::size_t>(cfg.n_filt) != 0)) {
    f.fail("n_filt", "expected -1 or a channel count dividing the input size " + std::to_string(n));
  }
  const std::size_t count = cfg.n_filt < 0 ? n : static_cast<std::size_t>(cfg.n_filt);
  cfg.scale = f.codes("scale", {count}, cfg.scale_t);
  cfg.bias = f.codes("bias", {count}, cfg.bias_t);
  return std::make_unique<BatchNormalization>(c.name, c.inputs[0], std::move(cfg));
}

void BatchNormalization::write_params(LayerParamWriter& out) const {
  const auto& c = config_;
  if (c.n_filt >= 0) out.integer("n_filt", c.n_filt);
  out.codes("scale", c.scale, c.scale_t, {c.scale.size()});
  out.codes("bias", c.bias, c.bias_t, {c.bias.size()});
  out.type("scale_t", c.scale_t);
  out.type("bias_t", c.bias_t);
  // Written only where it differs from what the model's flavor implies (parse above).
  if (c.rounding != default_rounding(out.model_flavor)) out.string("rounding", std::string(to_string(c.rounding)));
}

std::vector<BigInt> BatchNormalization::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const FixedType& res_t = config_.result_t;
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::size_t p = parameter_index(i);
    const ExactValue scaled = multiply(x.value(i), ExactValue::of(config_.scale[p], config_.scale_t));
    const ExactValue bias = ExactValue::of(config_.bias[p], config_.bias_t);
    if (config_.rounding == BatchNormRounding::Once) {
      // hls4ml >= 0.7: res[i] = (res_T)(data[i] * scale[i] + bias[i]): one rounding.
      y[i] = convert(add(scaled, bias), res_t);
    } else {
      // hls4ml 0.5/0.6, AE_L1_paper: res[i] = (res_T)((res_T)(data[i] * scale[i]) + bias[i]): two roundings.
      const BigInt first = convert(scaled, res_t);
      y[i] = convert(add(ExactValue::of(first, res_t), bias), res_t);
    }
  }
  return y;
}

}  // namespace l1emu::emu
