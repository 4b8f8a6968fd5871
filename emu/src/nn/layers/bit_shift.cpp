#include "l1emu/emu/nn/layers/bit_shift.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {

BitShift::BitShift(std::string name, ArraySpec input, std::vector<long> right_shifts)
    : Layer(std::move(name), {input}, input.type, input.size), right_shifts_(std::move(right_shifts)) {
  if (right_shifts_.size() != input.size) {
    throw ModelError("layer '" + this->name() + "': " + std::to_string(right_shifts_.size()) + " shifts for " + std::to_string(input.size) +
                     " input values");
  }
  // ap_int_base has shift operators of its own; only ap_fixed_base's are reproduced here.
  if (input.type.is_integer) throw ModelError("layer '" + this->name() + "': shifts of the integer type " + input.type.to_string() + " are not reproduced");
  for (std::size_t i = 0; i < right_shifts_.size(); ++i) {
    const long s = right_shifts_[i];
    // A shift by the width or more is undefined for the native integers Xilinx's headers use.
    if (s <= -input.type.width || s >= input.type.width) {
      throw ModelError("layer '" + this->name() + "': element " + std::to_string(i) + " is shifted by " + std::to_string(s) + ", not less than the width " +
                       std::to_string(input.type.width) + " of " + input.type.to_string());
    }
  }
}

std::unique_ptr<Layer> BitShift::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& f = c.params;
  std::vector<long> shifts = f.integers("right_shifts", c.inputs[0].size);
  const FixedType result_t = f.type("result_t");
  if (result_t != c.inputs[0].type) f.fail("result_t", "must be the input's type " + c.inputs[0].type.to_string() + " (a shift keeps the type)");
  std::unique_ptr<Layer> layer;
  try {
    layer = std::make_unique<BitShift>(c.name, c.inputs[0], std::move(shifts));
  } catch (const ModelError& e) {
    f.fail("right_shifts", e.what());
  }
  return layer;
}

void BitShift::write_params(LayerParamWriter& out) const { out.integers("right_shifts", right_shifts_); }

std::vector<BigInt> BitShift::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const FixedType& t = x.type;
  const BigInt modulus = BigInt(1) << t.width;
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const long s = right_shifts_[i];
    if (s >= 0) {
      // ap_fixed_base::operator>>(unsigned): r.V = V >> sh, an arithmetic shift of the raw code.
      // Boost.Multiprecision's >> on a negative value truncates toward zero, so floor explicitly.
      const BigInt divisor = BigInt(1) << s;
      BigInt q = x.codes[i] / divisor;
      if (x.codes[i] < 0 && q * divisor != x.codes[i]) q -= 1;
      y[i] = q;
      continue;
    }
    // ap_fixed_base::operator<<(unsigned): r.V = V << sh in W bits: the low W bits, read back as
    // a signed (ap_fixed) or unsigned (ap_ufixed) code.
    BigInt v = (x.codes[i] << static_cast<unsigned>(-s)) % modulus;
    if (v < 0) v += modulus;
    if (t.is_signed && v >= (modulus >> 1)) v -= modulus;
    y[i] = v;
  }
  return y;
}

}  // namespace l1emu::emu
