#include "l1emu/emu/compiled/input_codes.h"

#include <bit>

#include "l1emu/emu/compiled/lane_converter.h"
#include "l1emu/emu/fixed/conversion.h"

namespace l1emu::emu {

std::int64_t input_code(float value, const FixedType& to) {
  const auto bits = std::bit_cast<std::uint32_t>(value);
  if ((bits & 0x7fffffffU) == 0) return 0;
  const int raw_exponent = static_cast<int>((bits >> 23) & 0xff);
  const auto exact = [&] { return from_float(value, to).convert_to<std::int64_t>(); };
  if (raw_exponent == 0 || raw_exponent == 0xff) return exact();  // subnormal, infinity, NaN
  // ap_int_base(float) maps (-0.5, 0) to +1 (from_double); below 0.5 in magnitude take that path.
  if (to.is_integer && raw_exponent <= 127 - 2) return exact();
  // value = m * 2^(e - 23) with the signed 24-bit mantissa m, i.e. m is a code with
  // 23 - e fraction bits; LaneConverter then rounds and overflows it into `to` in int64.
  const auto magnitude = static_cast<std::int64_t>((bits & 0x7fffffU) | 0x800000U);
  const std::int64_t m = (bits >> 31) != 0 ? -magnitude : magnitude;
  const int mantissa_frac = 23 - (raw_exponent - 127);
  LaneConverter k;
  if (!LaneConverter::make(mantissa_frac, CodeRange{m, m}, to, 64, k)) return exact();  // shift beyond the lane
  return lanes::convert_code<std::int64_t>(m, k);
}

InputCodeConverter::InputCodeConverter(const FixedType& to) : to_(&to) {
  for (int raw = 1; raw < 0xff; ++raw) {
    if (to.is_integer && raw <= 127 - 2) continue;  // |x| < 0.5 into ap_int: input_code's path (from_double)
    // Every 24-bit mantissa of this exponent: the range the converter's proofs must cover.
    const std::int64_t top = 0xffffff;
    prepared_[static_cast<std::size_t>(raw)] = LaneConverter::make(23 - (raw - 127), CodeRange{-top, top}, to, 64, by_exponent_[static_cast<std::size_t>(raw)]);
  }
}

std::int64_t InputCodeConverter::operator()(float value) const {
  const auto bits = std::bit_cast<std::uint32_t>(value);
  if ((bits & 0x7fffffffU) == 0) return 0;  // +-0: the empty object slots, most of an event's features
  const auto raw = static_cast<std::size_t>((bits >> 23) & 0xff);
  if (!prepared_[raw]) return input_code(value, *to_);
  const auto magnitude = static_cast<std::int64_t>((bits & 0x7fffffU) | 0x800000U);
  return lanes::convert_code<std::int64_t>((bits >> 31) != 0 ? -magnitude : magnitude, by_exponent_[raw]);
}

}  // namespace l1emu::emu
