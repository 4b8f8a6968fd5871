#include "l1emu/emu/nn/layers/dense.h"

#include "l1emu/emu/fixed/conversion.h"

namespace l1emu::emu {

Dense::Dense(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {std::move(input)}, config.result_t, config.n_out), config_(std::move(config)) {}

std::vector<BigInt> Dense::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const std::size_t n_in = x.size();
  const std::size_t n_out = config_.n_out;
  const FixedType& acc_t = config_.accum_t;
  std::vector<BigInt> y(n_out);
  for (std::size_t j = 0; j < n_out; ++j) {
    // acc[j] = (accum_t) biases[j]
    BigInt acc = convert_code(config_.biases[j], config_.bias_t, acc_t);
    for (std::size_t i = 0; i < n_in; ++i) {
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
