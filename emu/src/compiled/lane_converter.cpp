#include "l1emu/emu/compiled/lane_converter.h"

namespace l1emu::emu {
namespace {

Int128 pow2(int n) { return static_cast<Int128>(1) << n; }

Int128 floor_div_pow2(Int128 v, int s) {
  // Arithmetic shift of a signed Int128 floors (g++ defines >> on negative values as arithmetic).
  return v >> s;
}

}  // namespace

CodeRange code_range(const FixedType& t) {
  if (t.is_signed) return {-pow2(t.width - 1), pow2(t.width - 1) - 1};
  return {0, pow2(t.width) - 1};
}

bool fits_signed(const CodeRange& r, int bits) {
  if (bits >= 127) return true;
  return r.lo >= -pow2(bits - 1) && r.hi <= pow2(bits - 1) - 1;
}

bool LaneConverter::make(int source_frac, const CodeRange& source, const FixedType& to, int lane_bits, LaneConverter& out) {
  if (to.width > 62 || lane_bits < to.width + 1) return false;
  LaneConverter k;
  k.shift = source_frac - to.fractional_bits();
  k.overflow = to.overflow;
  k.is_signed = to.is_signed;
  k.width = to.width;
  k.saturation_bits = to.saturation_bits;
  const CodeRange dest = code_range(to);
  k.min = static_cast<std::int64_t>(dest.lo);
  k.max = static_cast<std::int64_t>(dest.hi);
  if (k.shift > 62 || k.shift < -62) return false;
  if (k.shift < 0) {
    k.rounded = {source.lo * pow2(-k.shift), source.hi * pow2(-k.shift)};
    if (!fits_signed(k.rounded, lane_bits)) return false;
  } else if (k.shift > 0) {
    const std::int64_t half = std::int64_t{1} << (k.shift - 1);
    const std::int64_t full = (std::int64_t{1} << k.shift) - 1;
    switch (to.quantization) {
      case Quantization::Trn: k.bias = 0; break;
      case Quantization::Rnd: k.bias = half; break;
      case Quantization::RndMinInf: k.bias = half - 1; break;
      case Quantization::RndZero: k.bias = half - 1; k.neg_bias = 1; break;
      case Quantization::RndInf: k.bias = half; k.neg_bias = -1; break;
      case Quantization::RndConv: k.bias = half - 1; k.parity = true; break;
      case Quantization::TrnZero: k.bias = 0; k.neg_bias = full; break;
    }
    // c + bias must not overflow the lane: the largest bias is 2^s - 1 (+1 for parity).
    const CodeRange with_bias{source.lo, source.hi + full + 1};
    if (!fits_signed(with_bias, lane_bits)) return false;
    k.rounded = {floor_div_pow2(source.lo, k.shift), floor_div_pow2(source.hi + full + 1, k.shift)};
  } else {
    k.rounded = source;
  }
  k.check_overflow = !(k.rounded.lo >= dest.lo && k.rounded.hi <= dest.hi && !(to.overflow == Overflow::SatSym && to.is_signed));
  // SAT_SYM turns the most negative code into -max; only needed when that code can occur.
  if (to.overflow == Overflow::SatSym && to.is_signed && k.rounded.lo > dest.lo && k.rounded.hi <= dest.hi) {
    k.check_overflow = false;
  }
  out = k;
  return true;
}

}  // namespace l1emu::emu
