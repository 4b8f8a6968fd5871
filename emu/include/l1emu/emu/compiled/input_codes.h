#pragma once
// Fast conversion of float inputs to raw codes (ap_fixed's float constructor) for the compiled
// engine: exact integer arithmetic on the float's mantissa and exponent, with the reference
// from_float (unbounded integers) for exponents outside the 128-bit window.
#include <array>
#include <cstdint>

#include "l1emu/emu/compiled/lane_converter.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

/// The code of `to` for `value`, as from_float; `to` must be at most 62 bits wide.
[[nodiscard]] std::int64_t input_code(float value, const FixedType& to);

/// input_code for one destination type, with the converter of every float exponent made once: a
/// float's code is its signed 24-bit mantissa rounded and overflowed by the converter of its
/// exponent, so converting a value is a table lookup and a few integer operations (input_code
/// builds the converter for each value). The same codes, the same errors.
class InputCodeConverter {
 public:
  /// `to` must be at most 62 bits wide, and outlive the converter.
  explicit InputCodeConverter(const FixedType& to);
  [[nodiscard]] std::int64_t operator()(float value) const;

 private:
  const FixedType* to_;
  std::array<LaneConverter, 256> by_exponent_{};  // by the float's raw exponent
  std::array<bool, 256> prepared_{};              // false: input_code's own path (zero, subnormal, inf, NaN, beyond int64)
};

}  // namespace l1emu::emu
