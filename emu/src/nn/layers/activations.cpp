#include "l1emu/emu/nn/layers/activations.h"

#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {

ReLU::ReLU(std::string name, ArraySpec input, FixedType result_t)
    : Layer(std::move(name), {input}, result_t, input.size) {}

std::vector<BigInt> ReLU::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    // if (data[i] > 0) res[i] = data[i]; else res[i] = 0;  (the assignment converts to res_T)
    y[i] = x.codes[i] > 0 ? convert(x.value(i), result_type()) : BigInt(0);
  }
  return y;
}

Linear::Linear(std::string name, ArraySpec input, FixedType result_t)
    : Layer(std::move(name), {input}, result_t, input.size) {}

std::vector<BigInt> Linear::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = convert(x.value(i), result_type());  // res[i] = data[i]
  return y;
}

std::unique_ptr<Layer> ReLU::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  return std::make_unique<ReLU>(c.name, c.inputs[0], c.params.type("result_t"));
}

void ReLU::write_params(LayerParamWriter& /*out*/) const {}

std::unique_ptr<Layer> Linear::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  return std::make_unique<Linear>(c.name, c.inputs[0], c.params.type("result_t"));
}

void Linear::write_params(LayerParamWriter& /*out*/) const {}

std::unique_ptr<Layer> LeakyReLU::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& f = c.params;
  Config cfg;
  cfg.flavor = c.flavor;
  cfg.alpha = f.number("alpha");
  cfg.result_t = f.type("result_t");
  if (c.flavor == Flavor::Head) {
    cfg.param_t = f.type("param_t");
  } else {
    f.ignore({"param_t"});  // AE_L1_paper types alpha as the input's data_T; param_t has no effect there
  }
  return std::make_unique<LeakyReLU>(c.name, c.inputs[0], cfg);
}

void LeakyReLU::write_params(LayerParamWriter& out) const {
  out.number("alpha", config_.alpha);
  if (config_.flavor == Flavor::Head) out.type("param_t", config_.param_t);
}

LeakyReLU::LeakyReLU(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size),
      config_(config),
      // The firmware multiplies by alpha held in a fixed-point type: param_t on HEAD, the input's
      // data_T in AE_L1_paper (leaky_relu(data_T data[], data_T alpha, ...)).
      alpha_type_(config.flavor == Flavor::Head ? config.param_t : input.type),
      alpha_code_(from_double(config.alpha, alpha_type_)) {}

std::vector<BigInt> LeakyReLU::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const ExactValue alpha = ExactValue::of(alpha_code_, alpha_type_);
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    // if (datareg > 0) res[i] = datareg; else res[i] = alpha * datareg;
    y[i] = x.codes[i] > 0 ? convert(x.value(i), result_type()) : convert(multiply(alpha, x.value(i)), result_type());
  }
  return y;
}

}  // namespace l1emu::emu
