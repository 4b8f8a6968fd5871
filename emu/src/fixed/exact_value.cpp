#include "l1emu/emu/fixed/exact_value.h"

#include <algorithm>

namespace l1emu::emu {
namespace {

// Brings a to `f` fractional bits, f >= a.fractional_bits (a left shift, exact).
BigInt aligned(const ExactValue& a, int f) { return a.mantissa << static_cast<unsigned>(f - a.fractional_bits); }

}  // namespace

ExactValue add(const ExactValue& a, const ExactValue& b) {
  const int f = std::max(a.fractional_bits, b.fractional_bits);
  return {aligned(a, f) + aligned(b, f), f};
}

ExactValue subtract(const ExactValue& a, const ExactValue& b) {
  const int f = std::max(a.fractional_bits, b.fractional_bits);
  return {aligned(a, f) - aligned(b, f), f};
}

ExactValue multiply(const ExactValue& a, const ExactValue& b) {
  return {a.mantissa * b.mantissa, a.fractional_bits + b.fractional_bits};
}

ExactValue negate(const ExactValue& a) { return {-a.mantissa, a.fractional_bits}; }

int compare(const ExactValue& a, const ExactValue& b) {
  const int f = std::max(a.fractional_bits, b.fractional_bits);
  const BigInt x = aligned(a, f);
  const BigInt y = aligned(b, f);
  return x < y ? -1 : (x > y ? 1 : 0);
}

}  // namespace l1emu::emu
