#include "l1emu/emu/fixed/conversion.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace l1emu::emu {
namespace {

// Rounds value to a multiple of 2^-f with quantization q; returns the multiple (the new code).
// Each case is the ap_fixed_base::quantization_adjust rule written on exact numbers: with `rem`
// the dropped part, `half` its midpoint and `floor` the truncated code.
BigInt quantize(const ExactValue& value, int f, Quantization q) {
  const int d = f - value.fractional_bits;
  if (d >= 0) return value.mantissa << static_cast<unsigned>(d);  // finer destination: exact
  const auto s = static_cast<unsigned>(-d);
  BigInt floor = floor_shift(value.mantissa, s);
  const BigInt rem = value.mantissa - (floor << s);  // in [0, 2^s)
  if (rem == 0) return floor;
  const bool negative = value.mantissa < 0;
  const BigInt half = BigInt(1) << (s - 1);
  const int vs_half = rem < half ? -1 : (rem > half ? 1 : 0);
  bool up = false;
  switch (q) {
    case Quantization::Trn: up = false; break;                     // floor
    case Quantization::TrnZero: up = negative; break;              // toward zero
    case Quantization::Rnd: up = vs_half >= 0; break;              // ties toward +inf
    case Quantization::RndMinInf: up = vs_half > 0; break;         // ties toward -inf
    case Quantization::RndZero: up = vs_half > 0 || (vs_half == 0 && negative); break;   // ties toward 0
    case Quantization::RndInf: up = vs_half > 0 || (vs_half == 0 && !negative); break;   // ties away from 0
    case Quantization::RndConv: up = vs_half > 0 || (vs_half == 0 && bit_test(floor, 0)); break;  // ties to even
  }
  if (up) floor += 1;
  return floor;
}

// Applies the overflow mode to an already rounded code (ap_fixed_base::overflow_adjust).
BigInt apply_overflow(const BigInt& q, const FixedType& t) {
  const BigInt min = t.min_code();
  const BigInt max = t.max_code();
  const bool in_range = q >= min && q <= max;
  // AP_SAT_SYM never yields the most negative code of a signed type: -2^(W-1) becomes -max.
  const bool sym_min = t.overflow == Overflow::SatSym && t.is_signed && q == min;
  if (in_range && !sym_min) return q;
  const bool negative = q < 0;
  switch (t.overflow) {
    case Overflow::Sat:
      return negative ? min : max;
    case Overflow::SatZero:
      return 0;
    case Overflow::SatSym:
      if (!t.is_signed) return negative ? min : max;
      return negative ? BigInt(-max) : max;
    case Overflow::Wrap:
      break;
  }
  // AP_WRAP: keep the low W bits of the two's-complement pattern.
  const BigInt modulus = BigInt(1) << t.width;
  BigInt pattern = q % modulus;  // cpp_int % keeps the sign of q
  if (pattern < 0) pattern += modulus;
  if (t.saturation_bits > 0) {
    // AP_WRAP with N saturation bits (SystemC SC_WRAP, n_bits): on overflow the N MSBs are forced.
    // Signed: the MSB takes the sign of the value and the N-1 bits below it the opposite value.
    // Unsigned: the N MSBs are set to 1 (Xilinx sets them on overflow and underflow alike).
    const int w = t.width;
    const int n = t.saturation_bits;
    auto set_bit = [&pattern](int bit, bool on) {
      if (on) {
        bit_set(pattern, static_cast<unsigned>(bit));
      } else {
        bit_unset(pattern, static_cast<unsigned>(bit));
      }
    };
    if (t.is_signed) {
      set_bit(w - 1, negative);
      for (int b = w - n; b <= w - 2; ++b) set_bit(b, !negative);
    } else {
      for (int b = w - n; b <= w - 1; ++b) set_bit(b, true);
    }
  }
  if (t.is_signed && bit_test(pattern, static_cast<unsigned>(t.width - 1))) pattern -= modulus;
  return pattern;
}

}  // namespace

BigInt floor_shift(const BigInt& m, unsigned s) {
  if (m >= 0) return m >> s;
  // -floor(-m / 2^s) rounded the other way: floor(m / 2^s) = -ceil(-m / 2^s).
  const BigInt neg = -m;
  BigInt q = neg >> s;
  if ((q << s) != neg) q += 1;
  return -q;
}

BigInt convert(const ExactValue& value, const FixedType& to) {
  return apply_overflow(quantize(value, to.fractional_bits(), to.quantization), to);
}

BigInt convert_code(const BigInt& code, const FixedType& from, const FixedType& to) {
  return convert(ExactValue::of(code, from), to);
}

BigInt from_double(double value, const FixedType& to) {
  if (std::isnan(value)) throw std::invalid_argument("cannot convert NaN to " + to.to_string());
  const auto bits = std::bit_cast<std::uint64_t>(value);
  if ((bits & 0x7fffffffffffffffULL) == 0) return 0;  // +0 and -0
  // ap_fixed's constructor reads the IEEE fields and always sets the implicit mantissa bit, so an
  // infinity is 2^1024 and a subnormal is 1.m x 2^-1023; both are reproduced here.
  const int exponent = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  if (to.is_integer && exponent <= -2 && (bits >> 63) != 0) {
    // ap_int_base(double) / ap_int_base(float): when the shift that drops the fraction reaches the
    // mantissa width + 2 (|x| < 0.5) the register is set to -1 for a negative value and then
    // negated, so every x in (-0.5, 0) becomes +1 (kept to W bits). Elsewhere it truncates toward
    // zero and keeps the low W bits, which convert() does for the integer type (TrnZero, Wrap).
    return convert(ExactValue{BigInt(1), 0}, to);
  }
  BigInt mantissa = BigInt((bits & ((1ULL << 52) - 1)) | (1ULL << 52));
  if (bits >> 63) mantissa = -mantissa;
  return convert(ExactValue{mantissa, 52 - exponent}, to);
}

BigInt from_float(float value, const FixedType& to) { return from_double(static_cast<double>(value), to); }

std::string to_decimal(const BigInt& code, const FixedType& type) {
  const int f = type.fractional_bits();
  if (f <= 0) return (code << static_cast<unsigned>(-f)).str();
  // code / 2^f = code * 5^f / 10^f: an exact decimal with f digits after the point.
  BigInt magnitude = abs(code) * pow(BigInt(5), static_cast<unsigned>(f));
  std::string digits = magnitude.str();
  if (digits.size() < static_cast<std::size_t>(f) + 1) digits.insert(0, f + 1 - digits.size(), '0');
  digits.insert(digits.size() - static_cast<std::size_t>(f), ".");
  return code < 0 ? "-" + digits : digits;
}

double to_double(const BigInt& code, const FixedType& type) {
  return std::ldexp(code.convert_to<double>(), -type.fractional_bits());
}

}  // namespace l1emu::emu
