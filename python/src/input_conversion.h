#pragma once
// Values to raw codes of a FixedType, fast: float32 as hls4ml's test bench converts its inputs
// (ap_fixed's float constructor; InputCodeConverter of the compiled engine) and float64 through
// ap_fixed's double constructor. Both are table lookups by the value's binary exponent, exact and
// equal to the specification (emu::from_float / emu::from_double), which they fall back to where a
// lane converter cannot be proven exact.
#include <array>
#include <cstdint>
#include <vector>

#include "l1emu/emu/compiled/lane_converter.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::python {

/// ap_fixed's double constructor into `to` (at most 62 bits wide, as the compiled engine's types):
/// the double's signed 53-bit mantissa is a code with 52 - e fraction bits, which the lane
/// converter of its exponent rounds and overflows into `to`. NaN is the caller's to reject.
class DoubleCodeConverter {
 public:
  explicit DoubleCodeConverter(const emu::FixedType& to);
  [[nodiscard]] std::int64_t operator()(double value) const;

 private:
  emu::FixedType to_;
  std::vector<emu::LaneConverter> by_exponent_;  // by the double's raw exponent (11 bits)
  std::vector<bool> prepared_;                   // false: from_double (zero, subnormal, inf, beyond int64 lanes)
};

/// The largest width the fast converters take (the compiled engine's limit).
inline constexpr int kMaxFastWidth = 62;

}  // namespace l1emu::python
