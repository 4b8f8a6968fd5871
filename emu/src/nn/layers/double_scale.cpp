#include "l1emu/emu/nn/layers/double_scale.h"

#include <cmath>
#include <cstdlib>

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {

DoubleScale::DoubleScale(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size), config_(std::move(config)) {
  const std::size_t n = input.size;
  if (config_.offsets.size() != n || config_.divisors.size() != n) {
    throw ModelError("layer '" + this->name() + "': offsets and divisors need " + std::to_string(n) + " values each");
  }
  // x - bias must be exact in a double: |x| < 2^52 and |bias| < 2^52 keep the difference in 53 bits.
  if (input.type.width > 52 || input.type.fractional_bits() < 0) {
    throw ModelError("layer '" + this->name() + "': input type " + input.type.to_string() + " is wider than a double holds exactly");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (config_.divisors[i] == 0) throw ModelError("layer '" + this->name() + "': divisor " + std::to_string(i) + " is 0");
    if (std::labs(config_.offsets[i]) >= (1L << 52) || std::labs(config_.divisors[i]) >= (1L << 53)) {
      throw ModelError("layer '" + this->name() + "': offset or divisor " + std::to_string(i) + " is not exact in a double");
    }
  }
  if (!inputs()[0].shape.empty()) set_shape(inputs()[0].shape);
}

std::unique_ptr<Layer> DoubleScale::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& f = c.params;
  Config cfg;
  const std::size_t n = c.inputs[0].size;
  cfg.offsets = f.integers("offsets", n);
  cfg.divisors = f.integers("divisors", n);
  cfg.result_t = f.type("result_t");
  std::unique_ptr<Layer> layer;
  try {
    layer = std::make_unique<DoubleScale>(c.name, c.inputs[0], std::move(cfg));
  } catch (const ModelError& e) {
    f.fail("divisors", e.what());
  }
  return layer;
}

void DoubleScale::write_params(LayerParamWriter& out) const {
  out.integers("offsets", config_.offsets);
  out.integers("divisors", config_.divisors);
}

std::vector<BigInt> DoubleScale::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const int frac = x.type.fractional_bits();
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    // tmp0 = x - bias: exact as a code at x's LSB, then as a double (at most 53 significant bits).
    const BigInt diff = x.codes[i] - (BigInt(config_.offsets[i]) << static_cast<unsigned>(std::max(frac, 0)));
    const double tmp0 = std::ldexp(diff.convert_to<double>(), -frac);
    const double tmp1 = tmp0 / static_cast<double>(config_.divisors[i]);
    y[i] = from_double(tmp1, result_type());
  }
  return y;
}

}  // namespace l1emu::emu
