#include "l1emu/emu/nn/layers/axol1tl_layers.h"

#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"
#include "l1emu/emu/nn/reduce.h"

namespace l1emu::emu {

std::unique_ptr<Layer> InputScale::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& f = c.params;
  Config cfg;
  cfg.offset_t = f.type("offset_t");
  cfg.shift_t = f.type("shift_t");
  cfg.unscaled_t = f.type("unscaled_t");
  cfg.result_t = f.type("result_t");
  const std::size_t n = c.inputs[0].size;
  cfg.offsets = f.codes("offsets", {n}, cfg.offset_t);
  for (const BigInt& code : f.codes("shifts", {n}, cfg.shift_t)) {
    // The shift amount is the integer part of the shift_t value (ap_fixed to_int: toward zero).
    const int frac = cfg.shift_t.fractional_bits();
    BigInt whole = frac <= 0 ? BigInt(code << static_cast<unsigned>(-frac)) : BigInt(abs(code) >> static_cast<unsigned>(frac));
    if (frac > 0 && code < 0) whole = -whole;
    if (whole > 1024 || whole < -1024) f.fail("shifts", "shift amount out of range: " + whole.str());
    cfg.shifts.push_back(whole.convert_to<int>());
  }
  return std::make_unique<InputScale>(c.name, c.inputs[0], std::move(cfg));
}

void InputScale::write_params(LayerParamWriter& out) const {
  const auto& c = config_;
  out.codes("offsets", c.offsets, c.offset_t, {c.offsets.size()});
  out.integers("shifts", std::vector<long>(c.shifts.begin(), c.shifts.end()));
  out.type("offset_t", c.offset_t);
  out.type("shift_t", c.shift_t);
  out.type("unscaled_t", c.unscaled_t);
}

std::unique_ptr<Layer> SumSquares::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  return std::make_unique<SumSquares>(c.name, c.inputs[0], c.params.type("result_t"));
}

void SumSquares::write_params(LayerParamWriter& /*out*/) const {}


InputScale::InputScale(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size), config_(std::move(config)) {}

std::vector<BigInt> InputScale::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const FixedType& u = config_.unscaled_t;
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    // tmp0 = (unscaled_t)(x[i] - offset[i]): exact difference, one assignment.
    BigInt tmp = convert(subtract(x.value(i), ExactValue::of(config_.offsets[i], config_.offset_t)), u);
    // tmp1 = tmp0 >> shift[i]: ap_fixed shifts keep the type and act on the raw code. A right
    // shift floors (arithmetic shift); a negative amount shifts left and keeps the low W bits.
    const int s = config_.shifts[i];
    if (s >= 0) {
      tmp = floor_shift(tmp, static_cast<unsigned>(s));
    } else {
      tmp = convert(ExactValue{tmp << static_cast<unsigned>(-s), u.fractional_bits()},
                    FixedType{u.width, u.integer_bits, u.is_signed, Quantization::Trn, Overflow::Wrap, 0});
    }
    // result = (result_t) tmp1: the only rounding.
    y[i] = convert(ExactValue::of(tmp, u), config_.result_t);
  }
  return y;
}

SumSquares::SumSquares(std::string name, ArraySpec input, FixedType result_t)
    : Layer(std::move(name), {input}, result_t, 1) {}

std::vector<BigInt> SumSquares::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  std::vector<BigInt> squares(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) squares[i] = convert(multiply(x.value(i), x.value(i)), result_type());
  return {reduce_add(squares, result_type())};
}

}  // namespace l1emu::emu
