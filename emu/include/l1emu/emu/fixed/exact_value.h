#pragma once
// ExactValue: a number m * 2^-f held exactly. This is how the reference evaluator carries the
// intermediate results of ap_fixed operators: Xilinx's + - * never round (a*b is <W1+W2, I1+I2>,
// a+b grows one integer bit), so the exact rational value is what reaches the next assignment.
#include <string>

#include "l1emu/emu/fixed/big_int.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

struct ExactValue {
  BigInt mantissa = 0;
  int fractional_bits = 0;  // value = mantissa * 2^-fractional_bits

  /// The value held by `code` of type `type` (the register read as two's complement or unsigned).
  static ExactValue of(const BigInt& code, const FixedType& type) { return {code, type.fractional_bits()}; }

  [[nodiscard]] int sign() const { return mantissa.sign(); }
};

/// Exact a + b (the operands are aligned to the finer LSB; nothing is dropped).
[[nodiscard]] ExactValue add(const ExactValue& a, const ExactValue& b);
/// Exact a - b.
[[nodiscard]] ExactValue subtract(const ExactValue& a, const ExactValue& b);
/// Exact a * b.
[[nodiscard]] ExactValue multiply(const ExactValue& a, const ExactValue& b);
/// Exact -a.
[[nodiscard]] ExactValue negate(const ExactValue& a);
/// Three-way comparison of exact values: -1, 0 or 1.
[[nodiscard]] int compare(const ExactValue& a, const ExactValue& b);

}  // namespace l1emu::emu
