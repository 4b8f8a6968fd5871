#include "l1emu/emu/nn/layers/parametric_activations.h"

#include <algorithm>

#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {

// ---- PReLU ----

PReLU::PReLU(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size), config_(std::move(config)) {}

std::unique_ptr<Layer> PReLU::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& p = c.params;
  Config cfg;
  cfg.param_t = p.type("param_t");
  cfg.result_t = p.type("result_t");
  // prelu(data, param_T alpha[n_in], res): one alpha per element, loaded as text -> double -> param_t.
  cfg.alpha = p.codes("alpha", {c.inputs[0].size}, cfg.param_t);
  return std::make_unique<PReLU>(c.name, c.inputs[0], std::move(cfg));
}

void PReLU::write_params(LayerParamWriter& out) const {
  out.type("param_t", config_.param_t);
  out.codes("alpha", config_.alpha, config_.param_t, {config_.alpha.size()});
}

std::vector<BigInt> PReLU::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    // if (datareg > 0) res[ii] = datareg; else res[ii] = alpha[ii] * datareg;
    y[i] = x.codes[i] > 0 ? convert(x.value(i), result_type())
                          : convert(multiply(ExactValue::of(config_.alpha[i], config_.param_t), x.value(i)), result_type());
  }
  return y;
}

// ---- ThresholdedReLU ----

ThresholdedReLU::ThresholdedReLU(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size),
      config_(std::move(config)),
      // thresholded_relu(data, param_T theta, res): hls4ml passes the literal, converted to param_t.
      theta_code_(from_double(config_.theta, config_.param_t)) {}

std::unique_ptr<Layer> ThresholdedReLU::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& p = c.params;
  Config cfg;
  cfg.theta = p.number("theta");
  cfg.param_t = p.type("param_t");
  cfg.result_t = p.type("result_t");
  cfg.param_literal = p.string_or("param_literal", "");
  return std::make_unique<ThresholdedReLU>(c.name, c.inputs[0], std::move(cfg));
}

void ThresholdedReLU::write_params(LayerParamWriter& out) const {
  out.number("theta", config_.theta);
  out.type("param_t", config_.param_t);
  if (!config_.param_literal.empty()) out.string("param_literal", config_.param_literal);
}

std::vector<BigInt> ThresholdedReLU::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const ExactValue theta = ExactValue::of(theta_code_, config_.param_t);
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    // if (datareg > theta) res[ii] = datareg; else res[ii] = 0;  (ap_fixed comparison is exact)
    y[i] = compare(x.value(i), theta) > 0 ? convert(x.value(i), result_type()) : BigInt(0);
  }
  return y;
}

// ---- HardSigmoid, HardTanh ----

namespace {

// Integer bits and signedness of the C++ `auto` type of slope*x + shift (ap_fixed operator rules:
// a product has I1+I2 integer bits, a sum one more than the wider operand, an unsigned operand
// gaining a bit next to a signed one).
struct SumShape {
  int integer_bits = 0;
  bool is_signed = false;
};
SumShape hard_sum_shape(const FixedType& slope_t, const FixedType& x_t, const FixedType& shift_t) {
  const int ip = slope_t.integer_bits + x_t.integer_bits;
  const bool sp = slope_t.is_signed || x_t.is_signed;
  const int i1 = ip + (shift_t.is_signed && !sp ? 1 : 0);
  const int i2 = shift_t.integer_bits + (sp && !shift_t.is_signed ? 1 : 0);
  return {std::max(i1, i2) + 1, sp || shift_t.is_signed};
}

}  // namespace

HardActivation::HardActivation(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size),
      config_(std::move(config)),
      slope_code_(from_double(config_.slope, config_.slope_t)),
      shift_code_(from_double(config_.shift, config_.shift_t)) {}

std::unique_ptr<Layer> HardActivation::parse_sigmoid(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& p = c.params;
  Config cfg;
  cfg.kind = Kind::Sigmoid;
  cfg.slope = p.number("slope");
  cfg.shift = p.number("shift");
  cfg.slope_t = p.type("slope_t");
  cfg.shift_t = p.type("shift_t");
  cfg.result_t = p.type("result_t");
  // `datareg = 1` is exact only if the auto type of slope*x + shift holds 1; otherwise the C++
  // would wrap the clamp value, which is not reproduced.
  const SumShape s = hard_sum_shape(cfg.slope_t, c.inputs[0].type, cfg.shift_t);
  if (s.integer_bits < (s.is_signed ? 2 : 1)) p.fail("slope_t", "slope*x + shift has too few integer bits to hold the clamp value 1 (not reproduced)");
  return std::make_unique<HardActivation>(c.name, c.inputs[0], cfg);
}

std::unique_ptr<Layer> HardActivation::parse_tanh(LayerBuildContext& c) {
  auto layer = parse_sigmoid(c);
  auto& h = static_cast<HardActivation&>(*layer);
  h.config_.kind = Kind::Tanh;
  return layer;
}

void HardActivation::write_params(LayerParamWriter& out) const {
  out.number("slope", config_.slope);
  out.number("shift", config_.shift);
  out.type("slope_t", config_.slope_t);
  out.type("shift_t", config_.shift_t);
}

BigInt HardActivation::result(const BigInt& code) const {
  // auto h = slope * data[ii] + shift;  (exact)  if (h > 1) h = 1; else if (h < 0) h = 0;
  ExactValue h = add(multiply(ExactValue::of(slope_code_, config_.slope_t), ExactValue::of(code, inputs()[0].type)),
                     ExactValue::of(shift_code_, config_.shift_t));
  if (compare(h, ExactValue{1, 0}) > 0) {
    h = ExactValue{1, 0};
  } else if (h.sign() < 0) {
    h = ExactValue{0, 0};
  }
  if (config_.kind == Kind::Sigmoid) return convert(h, result_type());  // res[ii] = h
  // hard_tanh: res[ii] = 2 * h - 1 (exact)
  return convert(subtract(multiply(ExactValue{2, 0}, h), ExactValue{1, 0}), result_type());
}

std::vector<BigInt> HardActivation::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = result(x.codes[i]);
  return y;
}

}  // namespace l1emu::emu
