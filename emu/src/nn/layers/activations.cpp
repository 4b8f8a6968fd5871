#include "l1emu/emu/nn/layers/activations.h"

#include "l1emu/emu/fixed/conversion.h"

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
