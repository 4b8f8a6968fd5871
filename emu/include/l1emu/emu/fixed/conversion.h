#pragma once
// Conversions into a FixedType exactly as Xilinx ap_fixed assignment does them.
//
// Rule (ap_fixed_base operator= and the double constructor; shared/golden/README.md): the exact
// source value is first rounded to the destination LSB 2^-F with the quantization mode, then the
// overflow mode is applied to the rounded value (so a rounding carry can overflow).
#include <string>

#include "l1emu/emu/fixed/big_int.h"
#include "l1emu/emu/fixed/exact_value.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

/// Raw code of `value` assigned to `to`.
[[nodiscard]] BigInt convert(const ExactValue& value, const FixedType& to);

/// Raw code of `code` (of type `from`) assigned to `to`.
[[nodiscard]] BigInt convert_code(const BigInt& code, const FixedType& from, const FixedType& to);

/// Raw code of ap_fixed's constructor from a double: the double is the exact value
/// (-1)^s * 1.m * 2^e, then the rule above. NaN is rejected (ap_fixed only warns and produces
/// garbage); infinities convert as ap_fixed does, as the value 2^1024 with their sign.
/// For an integer type (ap_int / ap_uint) it is ap_int_base's constructor instead: toward zero, the
/// low W bits kept, and every value in (-0.5, 0) gives +1 (ap_int_base(double)).
[[nodiscard]] BigInt from_double(double value, const FixedType& to);

/// ap_fixed's constructor from a float: the float widened to double, then from_double.
[[nodiscard]] BigInt from_float(float value, const FixedType& to);

/// The exact decimal of a code: max(F, 0) digits after the point (none when F <= 0), as the
/// golden outputs.txt files print values.
[[nodiscard]] std::string to_decimal(const BigInt& code, const FixedType& type);

/// The nearest double to a code's value (for plots and summaries, never for arithmetic).
[[nodiscard]] double to_double(const BigInt& code, const FixedType& type);

/// floor(m / 2^s) for s >= 0, for negative m too (an arithmetic right shift).
[[nodiscard]] BigInt floor_shift(const BigInt& m, unsigned s);

}  // namespace l1emu::emu
