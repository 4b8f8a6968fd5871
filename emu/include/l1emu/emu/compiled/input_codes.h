#pragma once
// Fast conversion of float inputs to raw codes (ap_fixed's float constructor) for the compiled
// engine: exact integer arithmetic on the float's mantissa and exponent, with the reference
// from_float (unbounded integers) for exponents outside the 128-bit window.
#include <cstdint>

#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

/// The code of `to` for `value`, as from_float; `to` must be at most 62 bits wide.
[[nodiscard]] std::int64_t input_code(float value, const FixedType& to);

}  // namespace l1emu::emu
