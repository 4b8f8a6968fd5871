#pragma once
// A slow, exact reference for assignment into an ap_[u]fixed type, written from the textual rule
// only (it deliberately shares nothing with emu/src/fixed/conversion.cpp): values are
// boost::multiprecision::cpp_rational, results are cpp_int raw codes.
//
// Rule: the exact value v is first rounded to a multiple of the destination LSB 2^-F with the
// quantization mode Q, then the overflow mode O is applied to the rounded code r.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <boost/multiprecision/cpp_int.hpp>

#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu::reference {

using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

/// Exactly 2^e, for any sign of e.
inline cpp_rational pow2(int e) {
  const cpp_int p = cpp_int(1) << std::abs(e);
  return e >= 0 ? cpp_rational(p) : cpp_rational(cpp_int(1), p);
}

/// The value of raw code c in `type`: c * 2^-(W-I).
inline cpp_rational value_of(const cpp_int& code, const FixedType& type) {
  return cpp_rational(code) * pow2(-type.fractional_bits());
}

/// Smallest and largest code: signed [-2^(W-1), 2^(W-1)-1], unsigned [0, 2^W-1].
inline cpp_int min_code(const FixedType& t) { return t.is_signed ? cpp_int(-(cpp_int(1) << (t.width - 1))) : cpp_int(0); }
inline cpp_int max_code(const FixedType& t) {
  return t.is_signed ? cpp_int((cpp_int(1) << (t.width - 1)) - 1) : cpp_int((cpp_int(1) << t.width) - 1);
}

/// Step 1: v rounded to a multiple of 2^-F with mode q, returned in LSB units (an unbounded code).
inline cpp_int round_to_lsb(const cpp_rational& v, int fractional_bits, Quantization q) {
  const cpp_rational scaled = v * pow2(fractional_bits);  // v measured in LSBs; round this to an integer
  const cpp_int n = numerator(scaled);
  const cpp_int d = denominator(scaled);  // d > 0
  cpp_int lo = n / d;                     // truncating division...
  if (lo * d > n) lo -= 1;                // ...made a floor: lo = floor(scaled)
  const cpp_int rem = n - lo * d;         // scaled = lo + rem/d with 0 <= rem/d < 1
  if (rem == 0) return lo;                // already on the grid: every mode keeps it
  const cpp_int hi = lo + 1;              // the grid point just above
  const bool negative = scaled < 0;
  switch (q) {
    case Quantization::Trn: return lo;                    // TRN: floor
    case Quantization::TrnZero: return negative ? hi : lo;  // TRN_ZERO: toward 0
    default: break;
  }
  const cpp_int twice = 2 * rem;  // compare the fraction with 1/2: 2*rem vs d
  if (twice < d) return lo;       // nearer to lo (all RND* modes)
  if (twice > d) return hi;       // nearer to hi
  switch (q) {                    // an exact tie (fraction 1/2)
    case Quantization::Rnd: return hi;                            // ties to +inf
    case Quantization::RndZero: return negative ? hi : lo;        // ties toward 0
    case Quantization::RndMinInf: return lo;                      // ties to -inf
    case Quantization::RndInf: return negative ? lo : hi;         // ties away from 0
    case Quantization::RndConv: return (lo % 2 == 0) ? lo : hi;   // ties to even
    default: break;
  }
  throw std::logic_error("reference: unknown quantization mode");
}

/// True when the rounded code r is outside [min_code, max_code] of t.
inline bool overflows(const cpp_int& r, const FixedType& t) { return r < min_code(t) || r > max_code(t); }

/// Step 2: the overflow mode applied to the rounded code r.
inline cpp_int apply_overflow(const cpp_int& r, const FixedType& t) {
  const int w = t.width;
  const cpp_int lo = min_code(t);
  const cpp_int hi = max_code(t);
  if (!overflows(r, t)) {
    // It fits and is kept, except SAT_SYM on a signed type never yields -2^(W-1).
    if (t.overflow == Overflow::SatSym && t.is_signed && r == lo) return -hi;
    return r;
  }
  switch (t.overflow) {
    case Overflow::Sat: return r < lo ? lo : hi;  // clamp
    case Overflow::SatZero: return 0;             // zero on overflow
    case Overflow::SatSym:
      if (t.is_signed) return r < 0 ? cpp_int(-hi) : hi;  // clamp to +-(2^(W-1)-1)
      return r < lo ? lo : hi;                               // unsigned: plain SAT
    case Overflow::Wrap: {
      const cpp_int modulus = cpp_int(1) << w;
      cpp_int bits = r % modulus;  // low W bits (C++ remainder keeps the sign of r...)
      if (bits < 0) bits += modulus;  // ...so fold into [0, 2^W): the register's bit pattern
      const int n = t.saturation_bits;
      if (n > 0) {
        if (t.is_signed) {
          const bool neg = r < 0;
          // MSB (bit W-1) := sign of r.
          if (neg) bit_set(bits, w - 1); else bit_unset(bits, w - 1);
          // Bits W-N .. W-2 := the opposite of the sign.
          for (int b = w - n; b <= w - 2; ++b) {
            if (neg) bit_unset(bits, b); else bit_set(bits, b);
          }
        } else {
          // Unsigned: bits W-N .. W-1 := 1, on overflow and underflow alike.
          for (int b = w - n; b <= w - 1; ++b) bit_set(bits, b);
        }
      }
      // Reinterpret the W-bit pattern: two's complement for ap_fixed.
      if (t.is_signed && bit_test(bits, w - 1)) bits -= modulus;
      return bits;
    }
  }
  throw std::logic_error("reference: unknown overflow mode");
}

/// The raw code of the exact value v assigned to type t.
inline cpp_int reference_convert(const cpp_rational& value, const FixedType& t) {
  return apply_overflow(round_to_lsb(value, t.fractional_bits(), t.quantization), t);
}

/// The exact value of a finite double: (-1)^s * 1.m * 2^e, i.e. an integer of at most 53 bits
/// times a power of two. frexp/ldexp are exact, so no rounding happens here.
inline cpp_rational exact_rational(double d) {
  if (!std::isfinite(d)) throw std::invalid_argument("reference: exact_rational of a non-finite double");
  if (d == 0.0) return cpp_rational(0);
  int e = 0;
  const double f = std::frexp(d, &e);                                  // d = f * 2^e, 0.5 <= |f| < 1
  const auto m = static_cast<std::int64_t>(std::ldexp(f, 53));         // |m| < 2^53, exact
  return cpp_rational(cpp_int(m)) * pow2(e - 53);                      // d = m * 2^(e-53)
}

/// Parses "[-]digits[.digits]" into an exact rational (how to_decimal output and the hand tables
/// are read back); throws std::invalid_argument on anything else.
inline cpp_rational parse_decimal(const std::string& text) {
  std::size_t i = (!text.empty() && text[0] == '-') ? 1 : 0;
  const bool negative = i == 1;
  cpp_int digits = 0;
  cpp_int scale = 1;  // 10^(digits after the point)
  bool seen_point = false;
  bool seen_digit = false;
  for (; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '.' && !seen_point) {
      seen_point = true;
    } else if (ch >= '0' && ch <= '9') {
      digits = digits * 10 + (ch - '0');
      seen_digit = true;
      if (seen_point) scale *= 10;
    } else {
      throw std::invalid_argument("not a decimal: '" + text + "'");
    }
  }
  if (!seen_digit) throw std::invalid_argument("not a decimal: '" + text + "'");
  return cpp_rational(negative ? cpp_int(-digits) : digits, scale);
}

}  // namespace l1emu::emu::reference
