#include "l1emu/emu/nn/layers/batch_normalization.h"

#include "l1emu/emu/fixed/conversion.h"

namespace l1emu::emu {

BatchNormalization::BatchNormalization(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size), config_(std::move(config)) {}

std::vector<BigInt> BatchNormalization::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const FixedType& res_t = config_.result_t;
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const ExactValue scaled = multiply(x.value(i), ExactValue::of(config_.scale[i], config_.scale_t));
    const ExactValue bias = ExactValue::of(config_.bias[i], config_.bias_t);
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
